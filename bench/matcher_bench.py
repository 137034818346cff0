"""Matcher benchmark: accuracy on a labelled set and time per call.

Prints top-1 (overall, and apart for messages the lexicon covers and for the
rest), top-3, mean reciprocal rank, route precision and recall, and the
p50/p95 time of reading a message and of ranking, then writes them to
bench/results/matcher.json under the set's name. Run with `make bench`.

    python bench/matcher_bench.py                # the frozen blind set
    python bench/matcher_bench.py --set dev --misses
    python bench/matcher_bench.py --set legacy   # the first set, by the lexicon's author
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.matching import Matcher  # noqa: E402
from bot.matching.evaluation import evaluate, load_cases  # noqa: E402

SETS = {
    "test": ROOT / "tests" / "blind" / "matcher-test.yml",
    "dev": ROOT / "tests" / "blind" / "matcher-dev.yml",
    "legacy": ROOT / "tests" / "data" / "matcher_eval.yml",
}


def main(argv: list[str] | None = None) -> int:
    # argparse, so that a mistyped option stops here instead of measuring the frozen set
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", choices=sorted(SETS), default="test")
    parser.add_argument("--misses", action="store_true", help="print each miss (not for the test set)")
    args = parser.parse_args(argv)
    which = args.set
    if args.misses and which == "test":
        print("the test set is for measuring: misses are listed for --set dev or legacy only")
        return 2
    started = time.perf_counter()
    matcher = Matcher.from_settings()
    load_s = time.perf_counter() - started
    cases = load_cases(SETS[which])
    evaluate(matcher, cases[:20])  # warm up caches before timing
    result = evaluate(matcher, cases)
    figures = {
        "set": str(SETS[which].relative_to(ROOT)),
        "load_s": round(load_s, 2),
        **result.figures(),
        "python": platform.python_version(),
        "machine": platform.machine(),
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%S"),
    }
    width = max(map(len, figures))
    for key, value in figures.items():
        print(f"{key:<{width}}  {value}")
    if args.misses:
        for miss in result.misses:
            print(json.dumps(miss))
    out = ROOT / "bench" / "results" / "matcher.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    saved = json.loads(out.read_text()) if out.exists() else {}
    saved = saved if "top1" not in saved else {}  # the old single-set layout
    saved[which] = figures
    out.write_text(json.dumps(saved, indent=2) + "\n")
    print(f"written to {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
