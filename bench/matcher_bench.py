"""Matcher benchmark: accuracy on the labelled set and time per call.

Prints top-1, top-3, mean reciprocal rank, route precision and recall, and
the p50/p95 time of reading a message and of ranking, then writes them to
bench/results/matcher.json. Run with `make bench`.
"""
from __future__ import annotations

import json
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.matching import Matcher  # noqa: E402
from bot.matching.evaluation import evaluate, load_cases  # noqa: E402

CASES = ROOT / "tests" / "data" / "matcher_eval.yml"


def main() -> int:
    started = time.perf_counter()
    matcher = Matcher.from_settings()
    load_s = time.perf_counter() - started
    cases = load_cases(CASES)
    evaluate(matcher, cases[:20])  # warm up caches before timing
    result = evaluate(matcher, cases)
    figures = {"load_s": round(load_s, 2), **result.figures(),
               "python": platform.python_version(), "machine": platform.machine(),
               "measured_at": time.strftime("%Y-%m-%dT%H:%M:%S")}
    width = max(map(len, figures))
    for key, value in figures.items():
        print(f"{key:<{width}}  {value}")
    if "--misses" in sys.argv:
        for miss in result.misses:
            print(json.dumps(miss))
    out = ROOT / "bench" / "results" / "matcher.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(figures, indent=2) + "\n")
    print(f"written to {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
