"""Starts and stops the assistant's servers: the action server and the Rasa
server (`make run` uses `main`; the tests use `Stack`).

Each server is a child process in its own process group, so stopping the
stack stops everything it started, and nothing outlives a Ctrl-C.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from bot.config import PROJECT_ROOT, Settings, settings
from bot.train import model_path


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
        self.processes[name] = subprocess.Popen(
            command, cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True)

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env["AHP_ACTION_ENDPOINT"] = self.config.action_url
        env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
        return env

    def start_actions(self) -> None:
        self._spawn("actions", [sys.executable, "-m", "rasa_sdk", "--actions", "actions",
                                "--port", str(self.config.action_port)], self.env())

    def start_rasa(self) -> None:
        command = [sys.executable, "-m", "rasa", "run", "--model", str(self.model),
                   "--endpoints", "endpoints.yml", "--credentials", "credentials.yml",
                   "--port", str(self.config.rasa_port), "--interface", self.config.host]
        if self.config.cors_origins:
            command += ["--cors", *self.config.cors_origins]
        self._spawn("rasa", command, self.env())

    def start(self, timeout: float = 180) -> "Stack":
        self.start_actions()
        self.start_rasa()
        self.wait_ready(timeout)
        return self

    def wait_ready(self, timeout: float = 180) -> None:
        urls = {"actions": f"http://{self.config.host}:{self.config.action_port}/health",
                "rasa": f"http://{self.config.host}:{self.config.rasa_port}/"}
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


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return False


def main() -> int:
    config = settings()
    stack = Stack(config, log_dir=config.var_dir / "logs")
    print("starting the action server and the Rasa server (loading the model takes ~20 s)...")
    try:
        stack.start()
        print(f"ready:\n  Rasa REST webhook  {config.webhook_url}\n"
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
