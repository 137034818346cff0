"""One very long conversation: does the cost of a message grow with its length?

Starts the action server and one Rasa server (SQLite), then plays a single
conversation of TURNS messages: the first tells the assistant about the person
(a degree in another subject, an interest), the rest cycle through the
realistic scripts of bench/assistant_bench.py, and the last asks a route
question that only the first message's circumstance can answer
(postgraduate). Prints the median and p95 reply time of each window of
WINDOW turns and writes bench/results/long_conversation.json.

    .venv/bin/python bench/long_conversation.py [--turns 300] [--runs 1]
"""
from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.assistant_bench import SCRIPTS, converse, percentile  # noqa: E402
from bench.conversations import post  # noqa: E402
from bot.stack import Stack  # noqa: E402
from tests.conftest import stack_settings  # noqa: E402

WINDOW = 50
FIRST = "I already have a degree in history, and I love sport"
LAST = "how would I become a physio"
SKIP = {"bye", "thanks"}   # the conversation goes on: no goodbyes in the middle


def play(url: str, turns: int) -> tuple[list[float], bool]:
    sender = f"long-{time.time_ns()}"
    middle = [m for script in SCRIPTS for m in script if m not in SKIP]
    timings = [converse(url, sender, FIRST)]
    for i in range(turns - 2):
        timings.append(converse(url, sender, middle[i % len(middle)]))
    reply, ms = post(url, sender, LAST)
    timings.append(ms)
    routes = [m["custom"] for m in reply if (m.get("custom") or {}).get("type") == "routes"]
    remembered = any(r.get("profession") == "physiotherapist"
                     and "postgraduate" in {x["id"] for x in r.get("routes") or []} for r in routes)
    return timings, remembered


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--turns", type=int, default=300)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--no-save", action="store_true")
    args = parser.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="ahp-long-"))
    stack = Stack(stack_settings(tmp), log_dir=tmp / "logs")
    stack.start(web=False)
    runs = []
    try:
        converse(stack.config.webhook_url, "warm-up", "hi")
        for _ in range(args.runs):
            timings, remembered = play(stack.config.webhook_url, args.turns)
            windows = []
            for start in range(0, len(timings), WINDOW):
                part = timings[start:start + WINDOW]
                windows.append({"turns": f"{start}-{start + len(part) - 1}",
                                "median_ms": round(statistics.median(part), 1),
                                "p95_ms": round(percentile(part, 0.95), 1)})
            runs.append({"windows": windows, "remembered_turn_1_at_the_end": remembered,
                         "last_to_first_window_median": round(
                             windows[-1]["median_ms"] / windows[0]["median_ms"], 2)})
    finally:
        stack.stop()
    result = {"turns": args.turns, "session_turns": stack.config.session_turns, "runs": runs,
              "python": platform.python_version(), "measured_at": time.strftime("%Y-%m-%dT%H:%M:%S")}
    for i, run in enumerate(runs, 1):
        print(f"run {i}: " + ", ".join(f"{w['turns']}: {w['median_ms']} ms" for w in run["windows"]))
        print(f"  last/first window median {run['last_to_first_window_median']}; "
              f"turn 1's degree used at the end: {run['remembered_turn_1_at_the_end']}")
    if not args.no_save:
        out = ROOT / "bench" / "results" / "long_conversation.json"
        out.write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
