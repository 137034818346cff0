"""The running servers and a REST client, for tests that need the real assistant."""
from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest

from bot.stack import Stack
from tests.conftest import stack_settings


SESSION_TURNS = "8"   # short sessions, so every multi-turn test also crosses session splits


@pytest.fixture(scope="session")
def stack(model, tmp_path_factory):
    """One set of servers for the whole suite (each start costs seconds); every test
    speaks as senders of its own, and a test that stops a server starts it again."""
    with pytest.MonkeyPatch.context() as env:
        env.setenv("AHP_SESSION_TURNS", SESSION_TURNS)
        running = Stack(stack_settings(tmp_path_factory.mktemp("store")), model=model,
                        log_dir=tmp_path_factory.mktemp("logs"))
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


@pytest.fixture(scope="session")
def client(stack) -> Client:
    return Client(stack.config.webhook_url)


def custom(messages: list[dict], kind: str) -> list[dict]:
    return [m["custom"] for m in messages if m.get("custom", {}).get("type") == kind]


def texts(messages: list[dict]) -> str:
    return "\n".join(m.get("text", "") for m in messages)
