"""Starts and stops the assistant's servers: the action server, the Rasa
server and the website demo (`make run` uses `main`; the tests use `Stack`).

Each server is a child process in a session of its own that the kernel stops
when this process dies (ops/processes.py), so stopping the stack stops
everything it started, and nothing outlives a Ctrl-C, a kill or a SIGKILL.
The multi-instance set-up (ops/) runs the same commands under supervisord.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from bot.config import PROJECT_ROOT, Settings, settings
from bot.train import model_path
from ops.processes import answers, port_is_free, spawn, stop_group

ENDPOINTS = "endpoints.yml"  # Rasa's endpoints: their addresses come from endpoint_env()


def endpoint_env(config: Settings) -> dict[str, str]:
    """The variables endpoints.yml reads: the action server, the conversation store
    (SQLite under var/ unless AHP_DB_URL names another) and the lock store's Redis
    (empty: in memory). Passwords in these URLs stay in the environment."""
    return {
        "AHP_ACTION_URL": config.action_url,
        "AHP_DB_URL": config.conversations_db_url,
        "AHP_REDIS_URL": config.redis_url,
    }


@dataclass
class Stack:
    config: Settings
    model: Path = field(default_factory=model_path)
    log_dir: Path | None = None
    extra_env: dict[str, str] = field(default_factory=dict)  # e.g. Rasa's TICKET_LOCK_LIFETIME
    processes: dict = field(default_factory=dict)  # name -> subprocess.Popen
    log_starts: dict = field(default_factory=dict)  # name -> (log, its size before this start)

    def _spawn(self, name: str, command: list[str], env: dict[str, str]) -> None:
        log = self.log_dir / f"{name}.log" if self.log_dir is not None else None
        if log is not None:
            self.log_starts[name] = (log, log.stat().st_size if log.exists() else 0)
        self.processes[name] = spawn(command, log=log, env=env, cwd=PROJECT_ROOT)

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(self.own_env())
        return env

    def own_env(self) -> dict[str, str]:
        """What the servers need beyond this process's environment."""
        env = endpoint_env(self.config)
        if "TF_CPP_MIN_LOG_LEVEL" not in os.environ:
            env["TF_CPP_MIN_LOG_LEVEL"] = "2"
        env.update(self.extra_env)
        return env

    # the commands (ops/ gives the same ones to supervisord) ----------------------------------
    def actions_command(self) -> tuple[list[str], dict[str, str]]:
        # rasa_sdk (through bot.action_server, without TensorFlow) listens on every interface
        # unless SANIC_HOST says otherwise
        return (
            [sys.executable, "-m", "bot.action_server", "--actions", "actions", "--port", str(self.config.action_port)],
            {"SANIC_HOST": self.config.host},
        )

    def rasa_command(self) -> tuple[list[str], dict[str, str]]:
        """The command and its extra environment: `rasa run` with the fixes to Rasa 3.6
        in place (bot/rasa_cli.py)."""
        command = [
            sys.executable,
            "-m",
            "bot.rasa_cli",
            "run",
            "--model",
            str(self.model),
            "--endpoints",
            ENDPOINTS,
            "--credentials",
            "credentials.yml",
            "--port",
            str(self.config.rasa_port),
            "--interface",
            self.config.host,
        ]
        if self.config.cors_origins:
            command += ["--cors", *self.config.cors_origins]
        return command, {}

    def web_command(self) -> tuple[list[str], dict[str, str]]:
        rasa_url = f"http://{self.config.host}:{self.config.rasa_port}"
        return (
            [
                sys.executable,
                "-m",
                "bot.web",
                "--host",
                self.config.host,
                "--port",
                str(self.config.web_port),
                "--rasa-url",
                rasa_url,
            ],
            {},
        )

    @property
    def health_urls(self) -> dict[str, str]:
        return {
            "actions": f"http://{self.config.host}:{self.config.action_port}/health",
            "rasa": f"http://{self.config.host}:{self.config.rasa_port}/",
            "web": f"http://{self.config.host}:{self.config.web_port}/",
        }

    # start and stop ---------------------------------------------------------------------------
    def start_actions(self) -> None:
        command, extra = self.actions_command()
        self._spawn("actions", command, {**self.env(), **extra})

    def start_rasa(self) -> None:
        command, extra = self.rasa_command()
        self._spawn("rasa", command, {**self.env(), **extra})

    def start_web(self) -> None:
        command, extra = self.web_command()
        self._spawn("web", command, {**self.env(), **extra})

    def start(self, timeout: float = 180, web: bool = True) -> "Stack":
        self.check_ports_free(web)
        self.start_actions()
        self.start_rasa()
        if web:
            self.start_web()
        self.wait_ready(timeout)
        return self

    def wait_ready(self, timeout: float = 180) -> None:
        deadline = time.monotonic() + timeout
        for name, url in self.health_urls.items():
            if name not in self.processes:
                continue
            while not answers(url):
                if self.processes[name].poll() is not None:
                    raise RuntimeError(
                        f"the {name} server stopped while starting (exit code "
                        f"{self.processes[name].returncode}){self.last_log_lines(name)}"
                    )
                if time.monotonic() > deadline:
                    raise TimeoutError(f"the {name} server did not answer {url} in {timeout:.0f}s")
                time.sleep(0.25)

    def check_ports_free(self, web: bool = True) -> None:
        """Stop before starting anything if a port is taken: the server would fail
        later with its own, less clear message (rasa_sdk even exits with code 0)."""
        ports = {"AHP_ACTION_PORT": self.config.action_port, "AHP_RASA_PORT": self.config.rasa_port}
        if web:
            ports["AHP_WEB_PORT"] = self.config.web_port
        taken = [f"{port} ({name})" for name, port in ports.items() if not port_is_free(port, self.config.host)]
        if taken:
            raise RuntimeError(
                f"port {', '.join(taken)} is already in use on {self.config.host}: stop what is "
                "listening there, or set the variable in brackets to a free port"
            )

    def last_log_lines(self, name: str, lines: int = 8) -> str:
        """What a server wrote to its log in this start, last lines only, for an error message."""
        if name not in self.log_starts:
            return ""
        log, start = self.log_starts[name]
        with open(log, "rb") as file:
            file.seek(start)
            written = file.read().decode(errors="replace").strip().splitlines()[-lines:]
        return "; its log ends:\n  " + "\n  ".join(written) if written else ""

    def stop(self, name: str | None = None) -> None:
        for key in [name] if name else list(self.processes):
            stop_group(self.processes.pop(key, None))

    def __enter__(self) -> "Stack":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def main() -> int:
    """A simple supervisor: it restarts nothing. A server that stops on its own is
    reported, and the others are stopped with it (exit code 1); Ctrl-C, SIGTERM or
    SIGHUP stop them all (exit code 0); a SIGKILL of this process stops them too,
    through the kernel (each asked for SIGTERM when its parent dies)."""
    # SIGINT is set explicitly: a shell starts a background job with it ignored
    for signum in STOP_SIGNALS:
        signal.signal(signum, _interrupt)
    config = settings()
    stack = Stack(config, log_dir=config.var_dir / "logs")
    print("starting the action server, the Rasa server and the website demo...", flush=True)
    try:
        stack.start()
        print(
            f"ready:\n  website demo       http://{config.host}:{config.web_port}/\n"
            f"  Rasa REST webhook  {config.webhook_url}\n"
            f"  action server      {config.action_url}\n"
            f"  logs               {config.var_dir / 'logs'}\nCtrl-C stops everything.",
            flush=True,
        )
        while all(p.poll() is None for p in stack.processes.values()):
            time.sleep(1)
        stopped = [n for n, p in stack.processes.items() if p.poll() is not None]
        print(
            f"stopped unexpectedly: {', '.join(stopped)} (see the logs); stopping the others",
            file=sys.stderr,
            flush=True,
        )
        return 1
    except (RuntimeError, TimeoutError) as error:  # a port taken, or a server that could not start
        print(f"could not start: {error}", file=sys.stderr, flush=True)
        return 1
    except KeyboardInterrupt:
        print("\nstopping...", flush=True)
        return 0
    finally:
        for signum in STOP_SIGNALS:  # a second Ctrl-C must not cut the stop short
            signal.signal(signum, signal.SIG_IGN)
        stack.stop()


if __name__ == "__main__":
    sys.exit(main())
