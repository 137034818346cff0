"""A supervisor started as an operator starts it: in its own session, its output collected
by a thread (`make run`'s in tests/assistant/test_make_run.py, `make run-cluster`'s in
tests/scale/launcher.py)."""
from __future__ import annotations

import signal
import subprocess
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

from bot.config import PROJECT_ROOT

READY = "Ctrl-C stops everything"   # what both print once every server answers


class Started:
    def __init__(self, command: list[str], env: dict[str, str] | None = None):
        self.output: list[str] = []
        self.process = subprocess.Popen(command, cwd=PROJECT_ROOT, env=env, stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT, text=True, start_new_session=True)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.output.append(line)

    @property
    def text(self) -> str:
        return "".join(self.output)

    def wait_printed_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while READY not in self.text:
            assert self.process.poll() is None, f"it stopped:\n{self.text[-3000:]}"
            assert time.monotonic() < deadline, f"not ready in {timeout:.0f}s:\n{self.text[-3000:]}"
            time.sleep(0.2)

    def stop(self) -> None:
        """SIGTERM, as an operator would; SIGKILL if it has not stopped within a minute."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@contextmanager
def started_together(start: Callable[[str], "Started"], names: Iterable[str]) -> Iterator[dict]:
    """`start(name)` for each name, all at once (a start is mostly waiting for each server in
    turn, so side by side they take little longer than one); each closed afterwards."""
    started = {name: start(name) for name in names}
    try:
        yield started
    finally:
        for each in started.values():
            each.close()
