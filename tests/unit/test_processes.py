"""Starting servers: free ports for tests and benchmarks, and `make run`'s start-up errors."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from bot.config import PROJECT_ROOT, settings
from bot.stack import Stack
from ops.processes import _outgoing_port_range, free_port, port_is_free


def test_free_ports_are_distinct_free_and_below_the_range_for_outgoing_connections():
    """Not bind(port 0)'s choice, which a client socket can take before the server binds it."""
    ports = [free_port() for _ in range(40)]
    assert len(set(ports)) == len(ports)
    assert all(1024 < port < _outgoing_port_range()[0] for port in ports)
    assert all(port_is_free(port) for port in ports)


@pytest.fixture
def taken_port():
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", free_port()))
        listener.listen()
        yield listener.getsockname()[1]


def test_a_port_in_use_is_named_before_anything_starts(taken_port, tmp_path):
    env = {"AHP_HOST": "127.0.0.1", "AHP_ACTION_PORT": str(taken_port), "AHP_RASA_PORT": str(free_port()),
           "AHP_WEB_PORT": str(free_port()), "AHP_VAR_DIR": str(tmp_path)}
    done = subprocess.run([sys.executable, "-m", "bot.stack"], cwd=PROJECT_ROOT, capture_output=True,
                          text=True, timeout=60, env={**_without_ahp_settings(), **env})
    assert done.returncode == 1
    assert f"port {taken_port} (AHP_ACTION_PORT) is already in use on 127.0.0.1" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "logs").exists()   # nothing was started


def test_a_server_that_stops_while_starting_is_reported_with_the_end_of_its_log(tmp_path):
    log_dir = tmp_path / "logs"
    log_dir.mkdir()
    (log_dir / "actions.log").write_text("an earlier start's last words\n")
    config = replace(settings(), host="127.0.0.1", action_port=free_port())
    stack = Stack(config, model=Path("unused"), log_dir=log_dir)
    stack._spawn("actions", [sys.executable, "-c", "print('OSError: address already in use')"], {})
    with pytest.raises(RuntimeError) as raised:
        stack.wait_ready(timeout=30)
    message = str(raised.value)
    assert message.startswith("the actions server stopped while starting (exit code 0)")
    assert "address already in use" in message
    assert "earlier start" not in message


def _without_ahp_settings() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("AHP_")}
