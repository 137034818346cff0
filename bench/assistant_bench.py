"""Assistant benchmark: time per reply through the REST webhook, and training
from scratch.

Starts the real action server and Rasa server on free loopback ports, then
plays realistic multi-turn conversations one message at a time (a single
conversation at once, as one person chatting) and reports p50/p95/p99 of the
time from sending a message to receiving the whole reply. Then trains the
model from scratch (`python -m bot.train --force`) and times it. Prints the
figures and writes bench/results/assistant.json. Run with `make bench`.
"""

from __future__ import annotations

import json
import platform
import statistics
import tempfile
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.stack import Stack  # noqa: E402
from tests.conftest import stack_settings  # noqa: E402

ROUNDS = 12
SCRIPTS = [
    [
        "hi",
        "i love football and im good at biology",
        "how do i get into it",
        "what about pay",
        "compare it with podiatry",
        "I'm in year 12 and need to earn while I learn",
        "how do I become a physio",
        "can I save my results",
        "thanks",
        "bye",
    ],
    [
        "I was a dietitian and I've been out of practice for 6 years, how do I come back?",
        "will the HCPC find me a placement?",
        "any links for returners?",
        "thanks",
    ],
    [
        "what are the allied health professions",
        "what does an orthoptist do",
        "who regulates them",
        "what grades do i need",
        "is it a shortage job",
        "tell me about degree apprenticeships",
    ],
    [
        "my daughter loves art and drama",
        "any resources for parents?",
        "when is the ucas deadline",
        "asdfgh",
        "are you a bot?",
        "can I talk to a real person",
    ],
]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def converse(url: str, sender: str, text: str) -> float:
    body = json.dumps({"sender": sender, "message": text}).encode()
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=30) as response:
        replies = json.loads(response.read())
    elapsed = (time.perf_counter() - started) * 1000
    if not replies:
        raise RuntimeError(f"no reply to {text!r}")
    return elapsed


def main() -> int:
    store = Path(tempfile.mkdtemp(prefix="bench-store-"))
    config = stack_settings(store)
    stack = Stack(config, log_dir=ROOT / "var" / "logs" / "bench")
    started = time.perf_counter()
    stack.start()
    startup_s = time.perf_counter() - started
    latencies: list[float] = []
    try:
        for s, script in enumerate(SCRIPTS):  # warm-up: first use loads the knowledge base
            for text in script:
                converse(config.webhook_url, f"warmup-{s}", text)
        for r in range(ROUNDS):
            for s, script in enumerate(SCRIPTS):
                for text in script:
                    latencies.append(converse(config.webhook_url, f"bench-{r}-{s}", text))
    finally:
        stack.stop()

    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "bot.train", "--force"],
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    train_s = time.perf_counter() - started

    figures = {
        "messages": len(latencies),
        "reply_ms_p50": round(percentile(latencies, 0.50), 1),
        "reply_ms_p95": round(percentile(latencies, 0.95), 1),
        "reply_ms_p99": round(percentile(latencies, 0.99), 1),
        "reply_ms_mean": round(statistics.fmean(latencies), 1),
        "reply_ms_max": round(max(latencies), 1),
        "servers_ready_s": round(startup_s, 1),
        "train_from_scratch_s": round(train_s, 1),
        "machine": {"python": platform.python_version(), "cpus": __import__("os").cpu_count()},
    }
    print("assistant through the REST webhook, one conversation at a time:")
    for key, value in figures.items():
        print(f"  {key:22} {value}")
    out = ROOT / "bench" / "results" / "assistant.json"
    out.write_text(json.dumps(figures, indent=2) + "\n")
    print(f"written to {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
