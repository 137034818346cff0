"""nginx in front: it reads the sender from the JSON body (the body is
buffered before the upstream is chosen), keeps each conversation on one
instance, and spreads conversations over both."""
from __future__ import annotations

import json

import pytest

from tests.scale.conftest import post_raw, say, together

pytestmark = pytest.mark.slow


def test_each_conversation_stays_on_one_instance_and_both_are_used(cluster):
    senders = [f"scale-affinity-{n}" for n in range(16)]
    turns = ["hi", "I love football and biology", "how do I get into it?"]

    def converse(sender):
        return [say(cluster.webhook_url, sender, text) for text in turns]

    conversations = together([lambda s=s: converse(s) for s in senders], workers=8)
    used = set()
    for sender, replies in zip(senders, conversations):
        assert all(r.status == 200 for r in replies), replies
        upstreams = {r.upstream for r in replies}
        assert len(upstreams) == 1, (sender, upstreams)  # one instance per conversation
        used |= upstreams
        assert replies[2].custom("routes")[0]["profession"] == "physiotherapist"
    assert len(used) == 2, used  # the hash spreads the conversations

    # the proxy's log shows the sender it hashed on: read from the body
    log = (cluster.nginx_dir / "access.log").read_text()
    assert 'sender="scale-affinity-3"' in log


def test_same_sender_same_instance_whatever_the_key_order(cluster):
    sender = "scale-order"
    first = post_raw(cluster.webhook_url, json.dumps({"sender": sender, "message": "hi"}).encode())
    second = post_raw(cluster.webhook_url,
                      json.dumps({"message": "thanks", "sender": sender}, indent=1).encode())
    assert first.status == second.status == 200
    assert first.upstream == second.upstream


def test_proxy_errors_are_json(cluster):
    too_big = post_raw(cluster.webhook_url, b'{"sender": "x", "message": "' + b"a" * 70000 + b'"}')
    assert too_big.status == 413 and isinstance(too_big.body, dict) and "error" in too_big.body
