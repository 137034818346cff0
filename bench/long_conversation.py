"""One very long conversation: does the cost of a message grow with its length?

Starts the action server and one Rasa server (SQLite, free loopback ports, as
bench/conversations.py does), then plays a single conversation of TURNS
messages through the REST webhook: turn 1 tells the assistant a profile (year
12, biology and football); the rest cycle through interests, questions about
professions, routes and small talk that tell it nothing new about who is
asking; the last asks which jobs would suit them, and the reasons given must
still name turn 1's interests (sport, biology).
Prints the median reply time of each block of BLOCK turns and the ratio of the
median of turns 250-299 (the last block) to that of turns 0-49, and writes
bench/results/long_conversation.json.

    .venv/bin/python bench/long_conversation.py [--turns 300] [--runs 1]
        [--session-turns N]   # AHP_SESSION_TURNS for the run (0: one session, no split)
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.assistant_bench import percentile  # noqa: E402
from bench.conversations import post  # noqa: E402
from bot.stack import Stack  # noqa: E402
from tests.conftest import stack_settings  # noqa: E402

BLOCK = 50
FIRST = "I'm in year 12 and love biology and football"
LAST = "what jobs would suit me"
TOLD_AT_TURN_1 = ("sport", "football", "biolog")
# nothing here tells a circumstance (age, degree, past registration) that would replace turn 1's
MIDDLE = [
    # interests
    "I also like helping people",
    "I'm good at science",
    "I enjoy art and making things",
    "what jobs would suit me",
    # professions
    "what does an orthoptist do",
    "is it well paid",
    "what does a podiatrist do",
    "who regulates them",
    "is it a shortage job",
    "compare it with physiotherapy",
    "what are the allied health professions",
    "what does a radiographer do",
    # routes
    "how do I get into it",
    "tell me about degree apprenticeships",
    "what grades do i need",
    "how do I become a paramedic",
    "any resources?",
    # small talk
    "hi",
    "thanks",
    "ok",
    "are you a bot?",
    "cool",
    "asdfgh",
    "that's interesting",
]


def play(url: str, turns: int) -> tuple[list[float], dict]:
    sender = f"long-{time.time_ns()}"
    reply, ms = post(url, sender, FIRST)
    timings = [ms]
    for i in range(turns - 2):
        reply, ms = post(url, sender, MIDDLE[i % len(MIDDLE)])
        if not reply:
            raise RuntimeError(f"no reply at turn {i + 1}")
        timings.append(ms)
    reply, ms = post(url, sender, LAST)
    timings.append(ms)
    reasons = sorted(
        {
            reason
            for m in reply
            if (m.get("custom") or {}).get("type") == "recommendations"
            for p in m["custom"].get("professions") or []
            for reason in p.get("reasons") or []
        }
    )
    return timings, {
        "reasons_at_the_last_turn": reasons,
        "profile_used_at_the_last_turn": any(word in reason.lower() for reason in reasons for word in TOLD_AT_TURN_1),
    }


def blocks(timings: list[float]) -> list[dict]:
    found = []
    for start in range(0, len(timings), BLOCK):
        part = timings[start : start + BLOCK]
        found.append(
            {
                "turns": f"{start}-{start + len(part) - 1}",
                "median_ms": round(statistics.median(part), 1),
                "p95_ms": round(percentile(part, 0.95), 1),
                "max_ms": round(max(part), 1),
            }
        )
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--turns", type=int, default=300)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument(
        "--session-turns",
        type=int,
        default=None,
        help="AHP_SESSION_TURNS for the servers (0: never split; default: the setting)",
    )
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "long_conversation.json")
    parser.add_argument("--no-save", action="store_true")
    args = parser.parse_args(argv)
    if args.session_turns is not None:  # the servers read it from the environment they inherit
        os.environ["AHP_SESSION_TURNS"] = str(args.session_turns)
    tmp = Path(tempfile.mkdtemp(prefix="ahp-long-"))
    stack = Stack(stack_settings(tmp), log_dir=tmp / "logs")
    stack.start(web=False)
    runs = []
    try:
        post(stack.config.webhook_url, "warm-up", "hi")
        for _ in range(args.runs):
            timings, remembered = play(stack.config.webhook_url, args.turns)
            found = blocks(timings)
            runs.append(
                {
                    "blocks": found,
                    **remembered,
                    "last_to_first_block_median": round(found[-1]["median_ms"] / found[0]["median_ms"], 2),
                }
            )
    finally:
        stack.stop()
    session_turns = int(os.environ.get("AHP_SESSION_TURNS", stack.config.session_turns))
    result = {
        "turns": args.turns,
        "block": BLOCK,
        "session_turns": session_turns,
        "first_message": FIRST,
        "runs": runs,
        "last_to_first_block_median": [r["last_to_first_block_median"] for r in runs],
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    print(f"{args.turns} turns, one conversation, sessions of {session_turns or 'unbounded'} messages")
    for i, run in enumerate(runs, 1):
        print(f"run {i}: median per block: " + ", ".join(f"{b['turns']}: {b['median_ms']} ms" for b in run["blocks"]))
        print(
            f"  median of the last block / the first: {run['last_to_first_block_median']}; "
            f"turn 1's interests in the last reply's reasons: {run['profile_used_at_the_last_turn']} "
            f"({'; '.join(run['reasons_at_the_last_turn'])})"
        )
    print(f"conversation store: {tmp / 'conversations.db'} (bench/history_cost.py reads it)")
    if not args.no_save:
        args.out.write_text(json.dumps(result, indent=2) + "\n")
        print(f"written to {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
