"""The multi-instance set-up (ops/layout.py) started directly as children of this
process, without supervisord: what the scale tests (tests/scale) and the load
benchmark (bench/load_bench.py) run. Nothing restarts on its own here, so the
tests decide what is down and when (`kill`, `stop`, `start`, `heal`); the
programs, their commands and nginx's configuration are the ones `make
run-cluster` gives supervisord. Each program dies with this process
(ops/processes.py), and `Cluster.stop()` stops them in reverse order.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ops.layout import Layout, Program
from ops.processes import descendants, spawn, stop_group, wait_until

TIMEOUTS = {"postgres": 60, "redis": 20, "actions": 120, "nginx": 20}   # Rasa: `timeout`


def start_program(program: Program, logs: Path, env: dict[str, str] | None = None,
                  timeout: float = 60) -> subprocess.Popen:
    """Start one program as a child that dies with this process; return once it is ready."""
    process = spawn(program.wrapped, log=logs / f"{program.name}.log", cwd=program.directory,
                    env={**os.environ, **program.env, **(env or {})}, death_signal=program.stop_signal)
    try:
        wait_until(program.ready, program.name, timeout, process)
    except BaseException:
        stop_group(process, program.stop_signal)
        raise
    return process


@dataclass
class Cluster:
    """PostgreSQL + Redis + one action server + `instances` Rasa servers + nginx,
    on free loopback ports unless given, in `root` (a temporary directory when None,
    removed by `stop`). `lock_lifetime` sets Rasa's TICKET_LOCK_LIFETIME (seconds a
    conversation's ticket lives; Rasa's default is 60): the time another instance
    waits before it can take over a conversation whose lock a killed instance held."""
    instances: int = 2
    model: Path | None = None
    root: Path | None = None
    proxy: bool = True
    rasa_ports: list[int] | None = None
    lock_lifetime: int | None = None
    rate_per_client: float = 0   # messages a second nginx lets one address send (0: no limit)
    extra_env: dict[str, str] = field(default_factory=dict)
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._temporary = self.root is None
        self.root = Path(self.root or tempfile.mkdtemp(prefix="ahp-cluster-"))
        options = {"model": self.model} if self.model else {}
        self.layout = Layout(self.root, self.instances, self.rasa_ports, lock_lifetime=self.lock_lifetime,
                             rate_per_client=self.rate_per_client, extra_env=self.extra_env, **options)
        self.rasa_ports = self.layout.rasa_ports
        self.programs = {p.name: p for p in self.layout.programs()}
        if not self.proxy:
            del self.programs["nginx"]

    # start and stop ---------------------------------------------------------------------------
    def start(self, timeout: float = 180) -> "Cluster":
        """Everything, in order: the first instance creates the events table, and two model
        loads at once on two cores take longer than one after the other."""
        try:
            self.layout.prepare()
            for name in self.programs:
                self.start_program(name, timeout)
            return self
        except BaseException:
            self.stop()
            raise

    def start_program(self, name: str, timeout: float = 180) -> None:
        self.processes[name] = start_program(self.programs[name], self.layout.logs,
                                             timeout=TIMEOUTS.get(name, timeout))

    def stop_program(self, name: str) -> None:
        stop_group(self.processes.pop(name, None), self.programs[name].stop_signal)

    def stop(self, remove: bool = True) -> None:
        for name in reversed(list(self.processes)):
            self.stop_program(name)
        if remove:   # the data outside the run directory (see Layout.postgres_dir) too
            if self._temporary:
                self.layout.remove()
            elif self.layout.root not in self.layout.postgres_dir.parents:
                shutil.rmtree(self.layout.postgres_dir, ignore_errors=True)

    def __enter__(self) -> "Cluster":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # faults ---------------------------------------------------------------------------------
    def kill(self, name: str) -> None:
        """SIGKILL a program's process group, as a crash would."""
        process = self.processes.pop(name, None)
        if process is not None and process.poll() is None:
            stop_group(process, signal.SIGKILL)

    def kill_instance(self, i: int) -> None:
        self.kill(f"rasa-{i}")

    def start_instance(self, i: int, timeout: float = 120) -> None:
        self.start_program(f"rasa-{i}", timeout)

    def restart(self, name: str) -> None:
        self.stop_program(name)
        self.start_program(name)

    def heal(self, timeout: float = 120) -> None:
        """Start again, in order, whatever a test stopped or killed."""
        for name in self.programs:
            process = self.processes.get(name)
            if process is None or process.poll() is not None:
                self.processes.pop(name, None)
                self.start_program(name, timeout)

    # addresses and state --------------------------------------------------------------------
    @property
    def webhook_url(self) -> str:
        """The proxy's webhook (or the first instance's, without a proxy)."""
        return self.layout.webhook_url if self.proxy else self.layout.instance_urls[0]

    @property
    def instance_urls(self) -> list[str]:
        return self.layout.instance_urls

    @property
    def postgres_url(self) -> str:
        return self.layout.postgres_url

    @property
    def nginx_dir(self) -> Path:
        return self.layout.nginx_dir

    def server_pids(self) -> dict[str, int]:
        """The servers' processes by name; nginx's workers, not its master, as they do the work."""
        pids = {}
        for name, process in self.processes.items():
            if process.poll() is not None:
                continue
            if name == "nginx":
                for n, pid in enumerate(descendants(process.pid)):
                    pids[f"nginx-worker-{n}"] = pid
            else:
                pids[name] = process.pid
        return pids

    def events(self, sender: str) -> list[dict]:
        """A conversation's events from PostgreSQL, in the order they were stored."""
        return conversation_events(self.postgres_url, sender)

    def user_texts(self, sender: str) -> list[str]:
        return [e.get("text") for e in self.events(sender) if e["event"] == "user"]


def conversation_events(postgres_url: str, sender: str) -> list[dict]:
    from sqlalchemy import create_engine, text
    engine = create_engine(postgres_url, future=True)
    try:
        with engine.connect() as connection:
            rows = connection.execute(text(
                "select type_name, data from events where sender_id = :s order by id"),
                {"s": sender}).all()
    finally:
        engine.dispose()
    return [dict(json.loads(data), event=type_name) for type_name, data in rows]
