"""Impact report benchmark: generates 10,000 conversations (about 250,000
events in Rasa's format) into a temporary SQLite store, then times building
the report from it (read, summarise, aggregate, charts, HTML, CSV, JSON).
Prints the figures and writes bench/results/report.json. Run with `make bench`."""

from __future__ import annotations

import json
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.conversations import ConversationStore  # noqa: E402
from bot.report.__main__ import build  # noqa: E402
from tests import conversation_factory as factory  # noqa: E402

CONVERSATIONS = 10_000
START, DAYS = date(2026, 9, 1), 60


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        store = ConversationStore(f"sqlite:///{tmp}/conversations.db")
        started = time.perf_counter()
        rows = factory.write(store, factory.make_specs(CONVERSATIONS, START, DAYS))
        generate_s = time.perf_counter() - started
        started = time.perf_counter()
        figures, path = build(store, START, START + timedelta(days=DAYS - 1), Path(tmp) / "report")
        report_s = time.perf_counter() - started
        size_kb = path.stat().st_size / 1024
        store.close()
    result = {
        "conversations": CONVERSATIONS,
        "events": rows,
        "report_seconds": round(report_s, 2),
        "generate_seconds": round(generate_s, 2),
        "report_html_kb": round(size_kb, 1),
        "counted": figures.conversations,
    }
    print("impact report from the conversation store:")
    for key, value in result.items():
        print(f"  {key:18} {value}")
    (ROOT / "bench" / "results" / "report.json").write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
