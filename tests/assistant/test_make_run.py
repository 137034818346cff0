"""`make run`'s supervisor (python -m bot.stack): it prints the addresses when
ready, and a Ctrl-C or a kill stops every server it started."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time

import pytest

from bot.config import PROJECT_ROOT
from ops.processes import free_port

pytestmark = pytest.mark.slow


def listening(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_run_stops_every_server(model, tmp_path, signum):
    ports = {"AHP_RASA_PORT": free_port(), "AHP_ACTION_PORT": free_port(), "AHP_WEB_PORT": free_port()}
    env = {**os.environ, **{k: str(v) for k, v in ports.items()}, "AHP_HOST": "127.0.0.1",
           "AHP_DB_URL": f"sqlite:///{tmp_path / 'conversations.db'}"}
    run = subprocess.Popen([sys.executable, "-m", "bot.stack"], cwd=PROJECT_ROOT, env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                           start_new_session=True)
    try:
        deadline = time.monotonic() + 180
        output = ""
        while "Ctrl-C stops everything" not in output and time.monotonic() < deadline:
            output += run.stdout.readline()
        assert f"http://127.0.0.1:{ports['AHP_WEB_PORT']}/" in output
        assert all(listening(p) for p in ports.values())
        run.send_signal(signum)
        assert run.wait(timeout=60) == 0
        assert not any(listening(p) for p in ports.values())
    finally:
        if run.poll() is None:  # the test failed early: let the supervisor stop its servers
            run.send_signal(signal.SIGTERM)
            try:
                run.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(run.pid, signal.SIGKILL)


def test_run_killed_outright_leaves_nothing_running(model, tmp_path):
    """SIGKILL gives the supervisor no chance to stop anything: its servers must die with it."""
    ports = {"AHP_RASA_PORT": free_port(), "AHP_ACTION_PORT": free_port(), "AHP_WEB_PORT": free_port()}
    env = {**os.environ, **{k: str(v) for k, v in ports.items()}, "AHP_HOST": "127.0.0.1",
           "AHP_DB_URL": f"sqlite:///{tmp_path / 'conversations.db'}"}
    run = subprocess.Popen([sys.executable, "-m", "bot.stack"], cwd=PROJECT_ROOT, env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 180
        output = ""
        while "Ctrl-C stops everything" not in output and time.monotonic() < deadline:
            output += run.stdout.readline()
        assert all(listening(p) for p in ports.values())
        run.kill()
        run.wait(timeout=10)
        deadline = time.monotonic() + 30
        while any(listening(p) for p in ports.values()) and time.monotonic() < deadline:
            time.sleep(0.5)
        assert not any(listening(p) for p in ports.values())
    finally:
        if run.poll() is None:
            run.kill()
