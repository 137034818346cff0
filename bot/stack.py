"""Starts and stops the assistant's servers: the action server, the Rasa
server and the website demo (`make run` uses `main`; the tests use `Stack`).

Each server is a child process in its own process group, so stopping the
stack stops everything it started, and nothing outlives a Ctrl-C.
"""
from __future__ import annotations

import ctypes
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from sqlalchemy.engine import make_url

from bot.config import PROJECT_ROOT, Settings, settings
from bot.train import model_path

TRACKER_STORE = "bot.tracker_store.PingingSQLTrackerStore"  # Rasa's SQL store, reconnecting
DB_PASSWORD_VARIABLE = "AHP_DB_PASSWORD"
PR_SET_PDEATHSIG = 1   # prctl(2)
REDIS_PASSWORD_VARIABLE = "AHP_REDIS_PASSWORD"


def endpoints(config: Settings) -> dict:
    """Rasa's endpoints: the action server, the SQL tracker store from one URL
    (SQLite under var/ by default, PostgreSQL when AHP_DB_URL says so) and, when
    AHP_REDIS_URL is set, a Redis lock store. Passwords stay in the environment:
    the file names the variable, not the value."""
    url = make_url(config.conversations_db_url)
    store = {"type": TRACKER_STORE, "dialect": url.drivername.split("+")[0], "db": url.database}
    if url.host:
        store.update(url=url.host, port=url.port or 5432, username=url.username)
    if url.password:
        store["password"] = "${" + DB_PASSWORD_VARIABLE + "}"
    # the domain goes to the action server only for actions that ask for it: ours never do,
    # and sending all of it with every call cost a measurable part of each reply
    found = {"action_endpoint": {"url": config.action_url, "enable_selective_domain": True},
             "tracker_store": store}
    if config.redis_url:  # several Rasa servers: one lock per conversation, in Redis
        redis = make_url(config.redis_url)
        found["lock_store"] = {"type": "redis", "url": redis.host, "port": redis.port or 6379,
                               "db": int(redis.database or 0)}
        if redis.password:
            found["lock_store"]["password"] = "${" + REDIS_PASSWORD_VARIABLE + "}"
    return found


@dataclass
class Stack:
    config: Settings
    model: Path = field(default_factory=model_path)
    log_dir: Path | None = None
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    def _spawn(self, name: str, command: list[str], env: dict[str, str]) -> None:
        log = subprocess.DEVNULL
        if self.log_dir is not None:
            self.log_dir.mkdir(parents=True, exist_ok=True)
            log = open(self.log_dir / f"{name}.log", "ab")
        try:
            self.processes[name] = subprocess.Popen(
                command, cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True, preexec_fn=die_with_parent)
        finally:
            if log is not subprocess.DEVNULL:
                log.close()   # the child has its own copy

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        password = make_url(self.config.conversations_db_url).password
        if password:
            env[DB_PASSWORD_VARIABLE] = password
        if self.config.redis_url and make_url(self.config.redis_url).password:
            env[REDIS_PASSWORD_VARIABLE] = make_url(self.config.redis_url).password
        env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
        return env

    @property
    def endpoints_file(self) -> Path:
        return self.config.var_dir / f"endpoints-{self.config.rasa_port}.yml"

    def start_actions(self) -> None:
        # rasa_sdk listens on every interface unless SANIC_HOST says otherwise
        self._spawn("actions", [sys.executable, "-m", "rasa_sdk", "--actions", "actions",
                                "--port", str(self.config.action_port)],
                    {**self.env(), "SANIC_HOST": self.config.host})

    def start_rasa(self) -> None:
        self.config.var_dir.mkdir(parents=True, exist_ok=True)
        self.endpoints_file.write_text(yaml.safe_dump(endpoints(self.config), sort_keys=False))
        command = [sys.executable, "-m", "rasa", "run", "--model", str(self.model),
                   "--endpoints", str(self.endpoints_file), "--credentials", "credentials.yml",
                   "--port", str(self.config.rasa_port), "--interface", self.config.host]
        if self.config.cors_origins:
            command += ["--cors", *self.config.cors_origins]
        self._spawn("rasa", command, self.env())

    def start_web(self) -> None:
        rasa_url = f"http://{self.config.host}:{self.config.rasa_port}"
        self._spawn("web", [sys.executable, "-m", "bot.web", "--host", self.config.host,
                            "--port", str(self.config.web_port), "--rasa-url", rasa_url], self.env())

    def start(self, timeout: float = 180, web: bool = True) -> "Stack":
        self.start_actions()
        self.start_rasa()
        if web:
            self.start_web()
        self.wait_ready(timeout)
        return self

    def wait_ready(self, timeout: float = 180) -> None:
        urls = {"actions": f"http://{self.config.host}:{self.config.action_port}/health",
                "rasa": f"http://{self.config.host}:{self.config.rasa_port}/",
                "web": f"http://{self.config.host}:{self.config.web_port}/"}
        deadline = time.monotonic() + timeout
        for name, url in urls.items():
            if name not in self.processes:
                continue
            while not _answers(url):
                if self.processes[name].poll() is not None:
                    raise RuntimeError(f"the {name} server stopped while starting "
                                       f"(exit code {self.processes[name].returncode})")
                if time.monotonic() > deadline:
                    raise TimeoutError(f"the {name} server did not answer {url} in {timeout:.0f}s")
                time.sleep(0.25)

    def stop(self, name: str | None = None) -> None:
        for key in [name] if name else list(self.processes):
            process = self.processes.pop(key, None)
            if process is None or process.poll() is not None:
                continue
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()

    def __enter__(self) -> "Stack":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def die_with_parent() -> None:
    """In a child, before it runs: the kernel stops it (SIGTERM) when the process that
    started it dies, even by SIGKILL, so no server outlives its supervisor. Linux only."""
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except OSError:
        pass   # not Linux: a Ctrl-C or a kill still stops everything through main()


def free_port() -> int:
    """A free TCP port on loopback, for servers the tests and benchmarks start."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return False


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def main() -> int:
    # Ctrl-C, and a `kill` too, stop every server: they run in sessions of their own,
    # so nothing else would. (SIGINT is set explicitly: a shell starts a background
    # job with it ignored.)
    signal.signal(signal.SIGINT, _interrupt)
    signal.signal(signal.SIGTERM, _interrupt)
    config = settings()
    stack = Stack(config, log_dir=config.var_dir / "logs")
    print("starting the action server, the Rasa server and the website demo...")
    try:
        stack.start()
        print(f"ready:\n  website demo       http://{config.host}:{config.web_port}/\n"
              f"  Rasa REST webhook  {config.webhook_url}\n"
              f"  action server      {config.action_url}\n"
              f"  logs               {config.var_dir / 'logs'}\nCtrl-C stops everything.")
        while all(p.poll() is None for p in stack.processes.values()):
            time.sleep(1)
        stopped = [n for n, p in stack.processes.items() if p.poll() is not None]
        print(f"stopped unexpectedly: {', '.join(stopped)} (see the logs)", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nstopping...")
        return 0
    finally:
        stack.stop()


if __name__ == "__main__":
    sys.exit(main())
