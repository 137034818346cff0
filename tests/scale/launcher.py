"""`make run-cluster`'s launcher (python -m ops.cluster) run as an operator runs it,
on free ports with a run directory of its own: for tests/scale/test_supervised.py
and bench/restart_bench.py."""
from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

from ops.cluster import supervisor
from ops.layout import Layout
from ops.processes import alive, descendants, free_port
from tests.started import Started

READY_TIMEOUT_S = 400


class Launched(Started):
    """The launcher in its own session, its output collected by a thread."""

    def __init__(self, run_dir: Path, instances: int = 2, lock_lifetime: int | None = None):
        self.layout = Layout(run_dir, rasa_ports=[free_port() for _ in range(instances)])
        command = [sys.executable, "-m", "ops.cluster", "--run-dir", str(run_dir),
                   "--rasa-ports", ",".join(map(str, self.layout.rasa_ports)),
                   "--proxy-port", str(self.layout.proxy_port),
                   "--action-port", str(self.layout.action_port),
                   "--db-port", str(self.layout.db_port), "--redis-port", str(self.layout.redis_port)]
        if lock_lifetime:
            command += ["--lock-lifetime", str(lock_lifetime)]
        super().__init__(command)
        self.known: set[int] = set()   # every pid seen under supervisord, for the clean-up

    def wait_ready(self) -> None:
        self.wait_printed_ready(READY_TIMEOUT_S)
        self.remember()

    @property
    def port(self) -> int:
        return self.layout.proxy_port

    @property
    def ports(self) -> list[int]:
        layout = self.layout
        return [layout.proxy_port, *layout.rasa_ports, layout.action_port, layout.db_port,
                layout.redis_port]

    def infos(self) -> dict[str, dict]:
        return {i["name"]: i for i in supervisor(self.layout.root).getAllProcessInfo()}

    def remember(self) -> list[int]:
        """The launcher (now supervisord) and every process under it."""
        found = [self.process.pid, *descendants(self.process.pid)]
        self.known.update(found)
        return found

    def leftovers(self) -> list[str]:
        """Processes of this set-up still alive: ones seen under supervisord, and any
        whose command line names the run directory."""
        left = {pid for pid in self.known if alive(pid)}
        root = str(self.layout.root).encode()
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    if root in (entry / "cmdline").read_bytes() and alive(int(entry.name)):
                        left.add(int(entry.name))
                except OSError:
                    pass
        described = []
        for pid in left:
            try:  # (one that ends between the two looks is not left over)
                command = Path(f"/proc/{pid}/cmdline").read_bytes()
            except OSError:
                continue
            if alive(pid):
                described.append(f"{pid} {command[:150]!r}")
        return described

    def close(self) -> None:
        """Whatever happened in the test: nothing of it left running, its files removed."""
        self.stop()
        for pid in self.known:
            if alive(pid):
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        self.layout.remove()


def wait_for(check, timeout: float, every: float = 0.2) -> float | None:
    """Seconds until `check()` held, or None if it did not within `timeout`."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if check():
            return time.monotonic() - started
        time.sleep(every)
    return None
