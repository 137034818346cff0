"""The trained model and the running servers, for tests that need the real
assistant. `make test` trains first; run alone, the fixture trains if needed."""
from __future__ import annotations

import json
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from dataclasses import replace
from pathlib import Path

import pytest

from bot import train
from bot.config import PROJECT_ROOT, settings
from bot.stack import Stack


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def model() -> Path:
    stamp = PROJECT_ROOT / "models" / f"{train.MODEL_NAME}.inputs"
    if not (train.model_path().exists() and stamp.exists() and stamp.read_text() == train.digest()):
        subprocess.run([sys.executable, "-m", "bot.train"], cwd=PROJECT_ROOT, check=True)
    return train.model_path()


def test_settings(tmp_path: Path):
    """Free loopback ports and a conversation store of the test's own."""
    web_port = free_port()
    return replace(settings(), host="127.0.0.1", rasa_port=free_port(), action_port=free_port(),
                   web_port=web_port, cors_origins=(f"http://127.0.0.1:{web_port}",),
                   db_url=f"sqlite:///{tmp_path / 'conversations.db'}")


@pytest.fixture(scope="module")
def stack(model, tmp_path_factory):
    config = test_settings(tmp_path_factory.mktemp("store"))
    running = Stack(config, model=model, log_dir=tmp_path_factory.mktemp("logs"))
    running.start()
    yield running
    running.stop()


class Client:
    def __init__(self, url: str):
        self.url = url

    def post(self, body: bytes, content_type: str = "application/json") -> tuple[int, object]:
        request = urllib.request.Request(self.url, data=body, headers={"Content-Type": content_type})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"null")

    def say(self, sender: str, text: str) -> list[dict]:
        status, messages = self.post(json.dumps({"sender": sender, "message": text}).encode())
        assert status == 200, (status, messages)
        return messages


@pytest.fixture(scope="module")
def client(stack) -> Client:
    return Client(stack.config.webhook_url)


def custom(messages: list[dict], kind: str) -> list[dict]:
    return [m["custom"] for m in messages if m.get("custom", {}).get("type") == kind]


def texts(messages: list[dict]) -> str:
    return "\n".join(m.get("text", "") for m in messages)
