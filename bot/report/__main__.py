"""`python -m bot.report [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--out DIR]`:
writes report.html, figures.json and figures.csv (default var/report/) from
the conversation store. A command-line tool on purpose: the report is never
served to the public."""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date, datetime, time as day_time, timedelta, timezone
from pathlib import Path

from bot.config import settings
from bot.conversations import ConversationStore
from bot.report.figures import compute, summarise
from bot.report.render import write


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def build(store: ConversationStore, start: date, end: date, out_dir: Path):
    from bot.knowledge.repository import KnowledgeBase

    kb = KnowledgeBase(settings().knowledge_db)
    professions = kb.professions()
    names = (
        {p.id: p.name for p in professions}
        | {r.id: r.name for r in kb.routes()}
        | {a.id: a.name for a in kb.audiences()}
        | {"not-said": "Not said", "yes": "Yes", "no": "No"}
    )
    names |= {r.url: r.title for r in kb.resources() if r.url}
    in_demand = {p.id for p in professions if p.in_demand}
    begin = datetime.combine(start, day_time(), tzinfo=timezone.utc).timestamp()
    finish = datetime.combine(end + timedelta(days=1), day_time(), tzinfo=timezone.utc).timestamp()
    summaries = (s for s in map(summarise, store.conversations(begin, finish)) if s)
    figures = compute(summaries, start, end, [p.id for p in professions], [r.id for r in kb.routes()])
    kb.close()
    return figures, write(figures, out_dir, names, in_demand)


def main(argv: list[str] | None = None) -> int:
    s = settings()
    today = datetime.now(timezone.utc).date()
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--from", dest="start", type=_date, default=today - timedelta(days=29))
    parser.add_argument("--to", dest="end", type=_date, default=today)
    parser.add_argument("--out", type=Path, default=s.var_dir / "report")
    args = parser.parse_args(argv)
    if args.end < args.start:
        parser.error("--to is before --from")
    started = time.perf_counter()
    store = ConversationStore(s.conversations_db_url)
    try:
        store.create()
        figures, path = build(store, args.start, args.end, args.out)
    finally:
        store.close()
    print(
        f"{figures.conversations if figures.conversations is not None else 'fewer than 5'} "
        f"conversations, {args.start} to {args.end}: {path} "
        f"({time.perf_counter() - started:.1f}s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
