"""Load benchmark: many conversations at once through the REST webhook.

Plays the realistic multi-turn SCRIPTS of bench/assistant_bench.py with
CONCURRENCY conversations at the same time (each a closed loop: send a
message, wait for the whole reply, send the next; a new sender for each
script played), for DURATION seconds or MAX_MESSAGES messages, whichever
comes first, after WARMUP_S seconds of the same load that are not counted,
against

  (a) one Rasa server on SQLite (bot.stack.Stack), straight to its webhook;
  (b) two Rasa servers on PostgreSQL + Redis behind nginx hashing on the
      sender (ops.direct.Cluster, the programs of `make run-cluster`).

Reports messages per second, p50/p95/p99 latency, errors (non-200 answers,
timeouts, and the apology the REST channel sends when processing failed)
and the peak memory (VmHWM) of every server process. Prints a table and
writes bench/results/load.json.

    .venv/bin/python bench/load_bench.py [--duration 40] [--concurrency 20] [--setups a,b]
                                         [--instances 2] [--rates 45,0] [--out load.json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.assistant_bench import SCRIPTS, percentile  # noqa: E402
from bot.stack import Stack  # noqa: E402
from ops.direct import Cluster  # noqa: E402
from ops.processes import descendants, peak_rss_kb  # noqa: E402
from tests.conftest import stack_settings  # noqa: E402

TARGETS = {"messages_per_s": 40, "p95_ms": 300, "errors": 0}
WARMUP_S = 10  # the same load first, not counted: caches, pools and TensorFlow settle
APOLOGY = "something went wrong"


async def _send(session: aiohttp.ClientSession, url: str, sender: str, text: str) -> tuple[float, str | None]:
    started = time.perf_counter()
    try:
        async with session.post(url, json={"sender": sender, "message": text}) as response:
            body = await response.json(content_type=None)
            elapsed = (time.perf_counter() - started) * 1000
            if response.status != 200:
                return elapsed, f"HTTP {response.status}"
            if not isinstance(body, list) or not body:
                return elapsed, "empty reply"
            if any(APOLOGY in (m.get("text") or "").lower() for m in body):
                return elapsed, "apology"
            return elapsed, None
    except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as error:
        return (time.perf_counter() - started) * 1000, type(error).__name__


async def load(
    url: str,
    label: str,
    duration: float,
    concurrency: int,
    max_messages: int,
    rate: float = 0,
    warmup: float = WARMUP_S,
    servers: dict[str, int] | None = None,
) -> dict:
    """rate > 0: people pause between messages, so that all conversations together
    send about `rate` messages a second (each sends every concurrency/rate seconds,
    or as soon as its last reply came if that took longer); rate 0: no pauses at all
    (saturation: throughput is the capacity, latency is queueing). The same load runs
    for `warmup` seconds first, not counted. `servers` (name: pid): the CPU each used
    per counted message is reported too."""
    timeout = aiohttp.ClientTimeout(total=30)
    connector = aiohttp.TCPConnector(limit=concurrency)
    latencies: list[float] = []
    errors: dict[str, int] = {}
    async with aiohttp.ClientSession(timeout=timeout, connector=connector) as session:
        # warm-up: every script once (first use loads the knowledge base, JIT caches...)
        for s, script in enumerate(SCRIPTS):
            for text in script:
                await _send(session, url, f"{label}-warmup-{s}", text)

        interval = concurrency / rate if rate else 0.0

        async def closed_loop(seconds: float, phase: str, record: bool) -> None:
            deadline = time.monotonic() + seconds
            sent = 0

            async def conversation(worker: int) -> None:
                nonlocal sent
                play = 0
                # stagger the starts so paced conversations don't all send at once
                next_send = time.monotonic() + (interval * worker / concurrency)
                while time.monotonic() < deadline and sent < max_messages:
                    script = SCRIPTS[(worker + play) % len(SCRIPTS)]
                    sender = f"{label}-{phase}-{worker}-{rate:g}-{play}"
                    for text in script:
                        if interval:
                            await asyncio.sleep(max(0.0, next_send - time.monotonic()))
                            next_send = max(next_send + interval, time.monotonic())
                        if time.monotonic() >= deadline or sent >= max_messages:
                            return
                        sent += 1
                        elapsed, error = await _send(session, url, sender, text)
                        if record:
                            latencies.append(elapsed)
                            if error:
                                errors[error] = errors.get(error, 0) + 1
                    play += 1

            await asyncio.gather(*(conversation(w) for w in range(concurrency)))

        if warmup:
            await closed_loop(warmup, "warmup-load", record=False)
        cpu_before = _cpu_seconds(servers or {})
        started = time.monotonic()
        await closed_loop(duration, "load", record=True)
        wall = time.monotonic() - started
        cpu_after = _cpu_seconds(servers or {})
    cpu_ms = {
        name: round((cpu_after[name] - cpu_before[name]) * 1000 / max(1, len(latencies)), 2)
        for name in cpu_before
        if name in cpu_after
    }
    return {
        "messages": len(latencies),
        "seconds": round(wall, 1),
        "messages_per_s": round(len(latencies) / wall, 1),
        "p50_ms": round(percentile(latencies, 0.50), 1),
        "p95_ms": round(percentile(latencies, 0.95), 1),
        "p99_ms": round(percentile(latencies, 0.99), 1),
        "max_ms": round(max(latencies), 1),
        "errors": sum(errors.values()),
        "error_kinds": errors,
        "cpu_ms_per_message": cpu_ms,
    }


def _cpu_seconds(servers: dict[str, int]) -> dict[str, float]:
    """CPU time (user + system) each server has used, its child processes included
    (PostgreSQL's backends)."""
    tick = os.sysconf("SC_CLK_TCK")
    found = {}
    for name, pid in servers.items():
        total = 0.0
        for each in (pid, *descendants(pid)):
            try:
                fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
                total += (int(fields[11]) + int(fields[12])) / tick
            except (OSError, IndexError, ValueError):
                pass
        found[name] = total
    return found


def _peaks(pids: dict[str, int]) -> dict[str, float | None]:
    return {name: (round(kb / 1024, 1) if (kb := peak_rss_kb(pid)) else None) for name, pid in pids.items()}


def _client_backends(postmaster: int) -> int:
    """PostgreSQL's processes serving a client connection (`postgres: ahp conversations ...`)."""
    found = 0
    for pid in descendants(postmaster):
        try:
            found += Path(f"/proc/{pid}/cmdline").read_bytes().startswith(b"postgres: ahp ")
        except OSError:
            pass
    return found


def _mode(rate: float) -> str:
    return f"paced {rate:g} msg/s" if rate else "no pauses"


def run_single(duration: float, concurrency: int, max_messages: int, rates: list[float]) -> list[dict]:
    store = Path(tempfile.mkdtemp(prefix="load-store-"))
    stack = Stack(stack_settings(store), log_dir=ROOT / "var" / "logs" / "load-a")
    stack.start(web=False)
    results = []
    try:
        for rate in rates:
            servers = {("rasa-0" if n == "rasa" else n): p.pid for n, p in stack.processes.items()}
            figures = asyncio.run(
                load(stack.config.webhook_url, "a", duration, concurrency, max_messages, rate, servers=servers)
            )
            figures["setup"] = f"(a) 1 Rasa, SQLite, {_mode(rate)}"
            results.append(figures)
        peaks = _peaks({("rasa-0" if n == "rasa" else n): p.pid for n, p in stack.processes.items()})
    finally:
        stack.stop()
    for figures in results:
        figures["peak_rss_mb"] = peaks
    return results


def run_cluster(duration: float, concurrency: int, max_messages: int, instances: int, rates: list[float]) -> list[dict]:
    cluster = Cluster(instances=instances)
    cluster.start()
    results = []
    try:
        for rate in rates:
            servers = {name: p.pid for name, p in cluster.processes.items()}
            figures = asyncio.run(
                load(cluster.webhook_url, "b", duration, concurrency, max_messages, rate, servers=servers)
            )
            figures["setup"] = f"(b) {instances} Rasa, PG + Redis, nginx, {_mode(rate)}"
            results.append(figures)
        peaks = _peaks(cluster.server_pids())
        connections = _client_backends(cluster.processes["postgres"].pid)
        log = (cluster.nginx_dir / "access.log").read_text().splitlines()
        assert cluster.rasa_ports is not None  # (Layout chooses them when it is made)
        per_instance = {
            f"rasa-{i}": sum(f"upstream=127.0.0.1:{port}" in line for line in log)
            for i, port in enumerate(cluster.rasa_ports)
        }
    finally:
        cluster.stop()
    for figures in results:
        figures["peak_rss_mb"] = peaks
    results[-1]["requests_per_instance_all_runs"] = per_instance
    results[-1]["postgres_connections"] = connections  # one backend process each
    return results


def table(results: list[dict]) -> str:
    head = f"{'set-up':44} {'msgs':>6} {'msg/s':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>6}"
    lines = [head, "-" * len(head)]
    for r in results:
        lines.append(
            f"{r['setup']:44} {r['messages']:>6} {r['messages_per_s']:>7} {r['p50_ms']:>8} "
            f"{r['p95_ms']:>8} {r['p99_ms']:>8} {r['errors']:>6}"
        )
    lines.append("")
    lines.append("CPU per counted message (ms, each server with its child processes):")
    for r in results:
        lines.append(f"  {r['setup']}: " + ", ".join(f"{k} {v}" for k, v in r["cpu_ms_per_message"].items()))
    lines.append("peak memory (VmHWM, MB):")
    for r in results:
        lines.append(f"  {r['setup']}: " + ", ".join(f"{k} {v}" for k, v in r["peak_rss_mb"].items()))
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=40, help="seconds of load per set-up")
    parser.add_argument("--concurrency", type=int, default=20, help="conversations at once")
    parser.add_argument("--max-messages", type=int, default=20000)
    parser.add_argument("--instances", type=int, default=2)
    parser.add_argument("--setups", default="a,b")
    parser.add_argument(
        "--rates", default="45,0", help="offered messages/s per run, comma-separated; 0 = no pauses (capacity)"
    )
    parser.add_argument("--out", default="load.json", help="file name under bench/results/")
    args = parser.parse_args()
    rates = [float(r) for r in args.rates.split(",")]
    results = []
    if "a" in args.setups:
        print(
            f"(a) one instance on SQLite, {args.concurrency} conversations, {args.duration:.0f}s per run...", flush=True
        )
        results += run_single(args.duration, args.concurrency, args.max_messages, rates)
    if "b" in args.setups:
        print(
            f"(b) {args.instances} instances, PostgreSQL + Redis + nginx, {args.concurrency} "
            f"conversations, {args.duration:.0f}s per run...",
            flush=True,
        )
        results += run_cluster(args.duration, args.concurrency, args.max_messages, args.instances, rates)
    print(table(results))
    # the target: 20 conversations offering 40 messages a second to one instance
    a = next((r for r in results if r["setup"].startswith("(a)") and "paced" in r["setup"]), None)
    if a:
        met = (
            a["messages_per_s"] >= TARGETS["messages_per_s"]
            and a["p95_ms"] < TARGETS["p95_ms"]
            and a["errors"] == TARGETS["errors"]
        )
        print(
            f"targets for (a) (>= {TARGETS['messages_per_s']} msg/s, p95 < {TARGETS['p95_ms']} ms, "
            f"0 errors): {'met' if met else 'MISSED'}"
        )
    out = ROOT / "bench" / "results" / args.out
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        json.dumps(
            {
                "concurrency": args.concurrency,
                "duration_s": args.duration,
                "targets_a": TARGETS,
                "results": results,
                "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
            },
            indent=2,
        )
        + "\n"
    )
    print(f"written to {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
