"""How long a crashed Rasa instance of `make run-cluster` takes to answer again.

Starts the launcher (python -m ops.cluster) on free ports with one Rasa instance
and nothing else to do, then RUNS times: SIGKILL the instance, and time until
supervisord has started it again and its health endpoint (Rasa's /) answers.
Also reports how long the first start of the instance took (supervisord's log:
spawned, to the launcher's next program). Prints the figures and writes
bench/results/restart.json.

    .venv/bin/python bench/restart_bench.py [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import sys
import tempfile
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ops.processes import answers  # noqa: E402
from tests.scale.launcher import Launched, wait_for  # noqa: E402

WITHIN_S = 120  # give up on a run after this long


def _spawned_at(log: str, name: str) -> list[datetime]:
    return [
        datetime.strptime(line[:23], "%Y-%m-%d %H:%M:%S,%f")
        for line in log.splitlines()
        if f"spawned: '{name}'" in line
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    launched = Launched(Path(tempfile.mkdtemp(prefix="ahp-restart-")), instances=1)
    times = []
    try:
        launched.wait_ready()
        log = (launched.layout.root / "supervisord.log").read_text()
        # the first start: rasa-0 spawned, then nginx spawned once rasa-0 answered
        first_start = (_spawned_at(log, "nginx")[0] - _spawned_at(log, "rasa-0")[0]).total_seconds()
        assert launched.layout.rasa_ports is not None  # (Layout chooses them when it is made)
        health = f"http://127.0.0.1:{launched.layout.rasa_ports[0]}/"
        for run in range(args.runs):
            old = launched.infos()["rasa-0"]["pid"]
            os.kill(old, signal.SIGKILL)

            def back(old: int = old) -> bool:
                info = launched.infos()["rasa-0"]
                return info["statename"] == "RUNNING" and info["pid"] not in (0, old) and answers(health)

            took = wait_for(back, WITHIN_S, every=0.1)
            print(
                f"run {run + 1}: answering again {took:.1f} s after SIGKILL"
                if took is not None
                else f"run {run + 1}: not back in {WITHIN_S} s",
                flush=True,
            )
            times.append(round(took, 1) if took is not None else None)
    finally:
        launched.close()
    done = sorted(t for t in times if t is not None)
    summary = {
        "first_start_s": round(first_start, 1),
        "restart_s": times,
        "restart_median_s": done[len(done) // 2] if done else None,
        "restart_max_s": done[-1] if done else None,
        "load_average_at_end": os.getloadavg()[0],
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
    }
    print(
        f"first start {summary['first_start_s']} s; after SIGKILL: median "
        f"{summary['restart_median_s']} s, max {summary['restart_max_s']} s over {len(times)} runs"
    )
    out = ROOT / "bench" / "results" / "restart.json"
    out.write_text(json.dumps(summary, indent=2) + "\n")
    print(f"written to {out.relative_to(ROOT)}")
    return 0 if len(done) == len(times) else 1


if __name__ == "__main__":
    sys.exit(main())
