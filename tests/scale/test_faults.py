"""Faults in the multi-instance set-up: the action server, the database and
Redis going away and coming back. Each test puts the cluster back as it was
(the `healthy` fixture). A Rasa instance killed mid-burst is in
test_instance_failure.py."""
from __future__ import annotations

import time

import pytest

from tests.scale.conftest import say

pytestmark = pytest.mark.slow

INTERESTS = "I love football and biology"
QUESTION = "how do I get into it?"
APOLOGY = "something went wrong"


def physio_routes(reply) -> bool:
    found = reply.custom("routes")
    return reply.status == 200 and len(found) == 1 and found[0]["profession"] == "physiotherapist"


def test_action_server_stopped_mid_conversation(healthy):
    cluster, me = healthy, "scale-fault-actions"
    assert say(cluster.webhook_url, me, INTERESTS).custom("recommendations")

    cluster.stop_program("actions")
    down = say(cluster.webhook_url, me, QUESTION)
    assert down.status == 200 and APOLOGY in down.text.lower(), down

    cluster.start_program("actions")
    back = say(cluster.webhook_url, me, QUESTION)
    assert physio_routes(back), back  # the conversation goes on with its context


def test_database_restarted(healthy):
    cluster, me = healthy, "scale-fault-db"
    assert say(cluster.webhook_url, me, INTERESTS).status == 200
    started = time.monotonic()
    cluster.restart("postgres")
    restart_s = time.monotonic() - started

    # the next message works on whichever instance holds the conversation, and
    # on the other one (each has its own pool of now-dead connections)
    after = say(cluster.webhook_url, me, QUESTION)
    assert physio_routes(after), after
    for url in cluster.instance_urls:
        other = say(url, f"{me}-{url[-25:]}", "hi")
        assert other.status == 200 and APOLOGY not in other.text.lower(), other
    assert cluster.user_texts(me) == [INTERESTS, QUESTION]
    # one session: the context was read from the store, not started afresh
    assert [e["event"] for e in cluster.events(me)].count("session_started") == 1
    assert restart_s < 30


def test_redis_unavailable_then_back(healthy):
    cluster, me = healthy, "scale-fault-redis"
    assert say(cluster.webhook_url, me, INTERESTS).status == 200

    cluster.stop_program("redis")
    down = say(cluster.webhook_url, me, "what about pay", timeout=60)
    # a friendly reply (the REST channel's apology) or a clear JSON error, never silence
    assert (down.status == 200 and APOLOGY in down.text.lower()) or \
        (down.status >= 500 and isinstance(down.body, dict) and "error" in down.body), down

    cluster.start_program("redis")
    back = say(cluster.webhook_url, me, QUESTION)
    assert physio_routes(back), back
    # nothing half-written: the message Redis refused was not processed at all
    assert cluster.user_texts(me) == [INTERESTS, QUESTION]
    events = cluster.events(me)
    assert [e["event"] for e in events].count("session_started") == 1
