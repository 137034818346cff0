"""A running cluster (ops/direct.py): PostgreSQL, Redis, two Rasa instances,
one action server and nginx hashing on the sender, all on loopback, started
once for the scale tests. Tests that break something put it back
(`Cluster.heal`). scripts/install-services installs the Debian packages."""
from __future__ import annotations

import json
import shutil
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from ops.direct import Cluster


def _require_services() -> None:
    missing = [name for name in ("redis-server", "nginx") if not shutil.which(name)
               and not (name == "nginx" and shutil.os.path.exists("/usr/sbin/nginx"))]
    if missing:
        pytest.fail(f"{', '.join(missing)} missing: run scripts/install-services")


def start_cluster(model, tmp_path_factory, **options) -> Cluster:
    _require_services()
    return Cluster(model=model, root=tmp_path_factory.mktemp("cluster"), **options).start()


# Rasa's ticket lock lifetime (TICKET_LOCK_LIFETIME; Rasa's default is 60 s): how long a
# conversation whose message was in flight on a killed instance waits before the other
# instance takes it over (test_instance_failure.py); far longer than any message takes.
LOCK_LIFETIME_S = 10


@pytest.fixture(scope="session")
def cluster(model, tmp_path_factory):
    running = start_cluster(model, tmp_path_factory, lock_lifetime=LOCK_LIFETIME_S)
    yield running
    running.stop()


@pytest.fixture
def healthy(cluster):
    """The cluster, whole again after the test whatever it stopped."""
    yield cluster
    cluster.heal()


class Reply:
    def __init__(self, status: int, body, upstream: str | None, content_type: str):
        self.status, self.body, self.upstream, self.content_type = status, body, upstream, content_type

    def custom(self, kind: str) -> list[dict]:
        if not isinstance(self.body, list):
            return []
        return [m["custom"] for m in self.body if m.get("custom", {}).get("type") == kind]

    @property
    def text(self) -> str:
        if not isinstance(self.body, list):
            return ""
        return "\n".join(m.get("text", "") for m in self.body)

    def __repr__(self) -> str:
        return f"Reply({self.status}, {self.upstream}, {str(self.body)[:200]})"


def post_raw(url: str, body: bytes, content_type: str = "application/json",
             timeout: float = 90) -> Reply:
    request = urllib.request.Request(url, data=body, headers={"Content-Type": content_type})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            raw, status, headers = response.read(), response.status, response.headers
    except urllib.error.HTTPError as error:
        raw, status, headers = error.read(), error.code, error.headers
    try:
        parsed = json.loads(raw or b"null")
    except ValueError:
        parsed = raw
    return Reply(status, parsed, headers.get("X-Upstream"), headers.get("Content-Type", ""))


def say(url: str, sender: str, text: str, timeout: float = 90) -> Reply:
    return post_raw(url, json.dumps({"sender": sender, "message": text}).encode(), timeout=timeout)


def together(calls, workers: int = 50) -> list:
    """Run the zero-argument callables at once; their results in order."""
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(call) for call in calls]
        return [f.result(timeout=180) for f in futures]
