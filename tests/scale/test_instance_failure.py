"""A Rasa instance killed (SIGKILL) in the middle of a burst through the
proxy: the conversations it held go on on the other instance, with their
history (the profession remembered before the crash is used after it).

On the suite's cluster, whose Rasa ticket lock lifetime is 10 s (tests/scale/conftest.py;
Rasa's default is 60 s): a conversation whose message was in flight on the killed
instance keeps that instance's ticket in Redis, and the other instance waits for the
ticket to expire before it takes the conversation over. The killed instance is started
again after the test (`healthy`)."""
from __future__ import annotations

import threading
import time

import pytest

from tests.scale.conftest import say, together
from tests.scale.test_faults import INTERESTS, QUESTION, physio_routes

pytestmark = pytest.mark.slow

FILLER = ["what about pay", "is it a shortage job", "what grades do i need", "where do they work"]


def test_instance_killed_mid_burst(healthy):
    cluster = healthy
    senders = [f"scale-kill-{n}" for n in range(12)]
    first = together([lambda s=s: say(cluster.webhook_url, s, INTERESTS) for s in senders])
    assert all(r.status == 200 for r in first), first
    victim_port = cluster.rasa_ports[0]
    on_victim = [s for s, r in zip(senders, first) if r.upstream.endswith(f":{victim_port}")]
    assert on_victim, "the hash put no conversation on instance 0"

    failed: list = []
    stop_at = time.monotonic() + 6

    def burst(sender):
        n = 0
        while time.monotonic() < stop_at and n < 30:  # bounded in time and count
            reply = say(cluster.webhook_url, sender, FILLER[n % len(FILLER)], timeout=60)
            if reply.status != 200:
                failed.append((sender, reply))  # in flight on the killed instance
            n += 1
        return n

    killer = threading.Timer(2.0, cluster.kill_instance, args=(0,))
    killer.start()
    sent = together([lambda s=s: burst(s) for s in senders])
    killer.join()
    assert sum(sent) > len(senders)

    # at most the message in flight at the crash fails, with a JSON error, per conversation
    assert len(failed) <= len(on_victim), failed
    assert all(r.status in (502, 503) and "error" in r.body for _, r in failed), failed

    after = together([lambda s=s: say(cluster.webhook_url, s, QUESTION, timeout=60) for s in senders])
    survivor = f":{cluster.rasa_ports[1]}"
    for sender, reply in zip(senders, after):
        assert physio_routes(reply), (sender, reply)
        assert reply.upstream.endswith(survivor), reply.upstream
        texts = cluster.user_texts(sender)
        assert texts[0] == INTERESTS and texts[-1] == QUESTION and texts.count(QUESTION) == 1
