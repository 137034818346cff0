"""`make run`'s supervisor (python -m bot.stack): it prints the addresses when
ready, every server listening on AHP_HOST only; SIGTERM, Ctrl-C (SIGINT to its
process group) or a SIGKILL of the supervisor itself leave nothing running or
listening within 30 s; and it restarts nothing silently: a server that dies is
reported and the others are stopped with it."""
from __future__ import annotations

import ipaddress
import os
import signal
import sys
import time
from pathlib import Path

import pytest

from ops.processes import alive, descendants, free_port, listening
from tests.started import Started, started_together

pytestmark = pytest.mark.slow

WITHIN_S = 30


class Run(Started):
    """python -m bot.stack on free ports, in its own session, its output collected."""

    def __init__(self, tmp_path: Path):
        self.ports = {"AHP_RASA_PORT": free_port(), "AHP_ACTION_PORT": free_port(),
                      "AHP_WEB_PORT": free_port()}
        env = {**os.environ, **{k: str(v) for k, v in self.ports.items()}, "AHP_HOST": "127.0.0.1",
               "AHP_DB_URL": f"sqlite:///{tmp_path / 'conversations.db'}"}
        super().__init__([sys.executable, "-m", "bot.stack"], env)
        self.servers: list[int] = []

    def wait_ready(self) -> None:
        self.wait_printed_ready(180)
        assert f"http://127.0.0.1:{self.ports['AHP_WEB_PORT']}/" in self.text
        # AHP_HOST only: a server on every interface (0.0.0.0) would face the network
        assert {name: listening_on(port) for name, port in self.ports.items()} == \
            {name: {"127.0.0.1"} for name in self.ports}
        self.servers = descendants(self.process.pid)
        assert len(self.servers) >= 3, self.servers   # actions, rasa, web

    def nothing_left(self) -> bool:
        return not any(alive(p) for p in self.servers) and \
            not any(listening(p) for p in self.ports.values())

    def close(self) -> None:
        self.stop()
        for pid in self.servers:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)


def listening_on(port: int) -> set[str]:
    """The addresses on which a TCP port is listening, from the kernel's tables."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for row in Path(table).read_text().splitlines()[1:]:
            local, state = row.split()[1], row.split()[3]
            address, hex_port = local.split(":")
            if state == "0A" and int(hex_port, 16) == port:   # 0A: LISTEN
                raw = bytes.fromhex(address)
                if sys.byteorder == "little":   # each 32-bit word in the machine's byte order
                    raw = b"".join(raw[i:i + 4][::-1] for i in range(0, len(raw), 4))
                found.add(str(ipaddress.ip_address(raw)))
    return found


def wait_for(check, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.2)
    return True


SIGNALS = ["SIGTERM", "SIGINT", "SIGKILL"]


@pytest.fixture(scope="module")
def runs(model, tmp_path_factory):
    """A `make run` of its own for each test below, started together (one after the other
    took over half a minute)."""
    with started_together(lambda _: Run(tmp_path_factory.mktemp("run")), (*SIGNALS, "server dies")) as runs:
        yield runs


@pytest.mark.parametrize("how", SIGNALS)
def test_run_stops_every_server(runs, how):
    run = runs[how]
    run.wait_ready()
    signalled = time.monotonic()
    if how == "SIGTERM":
        run.process.send_signal(signal.SIGTERM)
    elif how == "SIGINT":   # Ctrl-C: the terminal signals the foreground process group
        os.killpg(run.process.pid, signal.SIGINT)
    else:                   # no chance to stop anything: the servers must die with it
        run.process.kill()
    code = run.process.wait(timeout=WITHIN_S)
    assert code == (-signal.SIGKILL if how == "SIGKILL" else 0), run.text[-2000:]
    assert wait_for(run.nothing_left, WITHIN_S - (time.monotonic() - signalled)), \
        ([p for p in run.servers if alive(p)], [p for p in run.ports.values() if listening(p)])


def test_a_server_that_dies_is_reported_not_restarted(runs):
    run = runs["server dies"]
    run.wait_ready()
    rasa = next(p for p in run.servers if b"rasa_cli\x00run" in Path(f"/proc/{p}/cmdline").read_bytes())
    os.kill(rasa, signal.SIGKILL)
    assert run.process.wait(timeout=WITHIN_S) == 1
    assert "stopped unexpectedly: rasa" in run.text, run.text[-2000:]
    assert wait_for(run.nothing_left, WITHIN_S), [p for p in run.servers if alive(p)]
