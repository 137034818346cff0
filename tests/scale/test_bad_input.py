"""Bad input through the proxy: random JSON bodies and random unicode
messages never get a 5xx; a flood of messages in one conversation is
answered and stored once each."""
from __future__ import annotations

import json

import pytest

from hypothesis import HealthCheck, given, settings, strategies as st

from tests.scale.conftest import post_raw, say, together

pytestmark = pytest.mark.slow

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12)
messages = st.fixed_dictionaries(
    {"sender": st.text(min_size=0, max_size=140) | json_values,
     "message": st.text(max_size=2100) | json_values},
    optional={"metadata": json_values})
bodies = (messages.map(lambda b: json.dumps(b).encode())
          | json_values.map(lambda b: json.dumps(b).encode())
          | st.binary(max_size=300)
          | st.text(max_size=200).map(lambda t: t.encode("utf-8", "surrogatepass")))


def acceptable(reply) -> bool:
    if reply.status == 200:
        return isinstance(reply.body, list)
    return 400 <= reply.status < 500 and isinstance(reply.body, dict) and "error" in reply.body


@settings(max_examples=60, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.data_too_large])
@given(body=bodies)
def test_random_bodies_never_get_a_server_error(cluster, body):
    reply = post_raw(cluster.webhook_url, body, timeout=60)
    assert acceptable(reply), (body[:200], reply)


@settings(max_examples=60, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(sender=st.sampled_from(["scale-fuzz-a", "scale-fuzz-b", "scale-fuzz-c"]),
       text=st.text(max_size=300))
def test_random_unicode_messages_get_a_reply(cluster, sender, text):
    reply = say(cluster.webhook_url, sender, text, timeout=60)
    assert reply.status == 200 and isinstance(reply.body, list) and reply.body, (text, reply)


@pytest.mark.load  # about 50 s: one conversation's messages queue on its lock, polled each second
def test_flood_of_messages_in_one_conversation(cluster):
    me, count = "scale-flood", 50
    texts = [f"tell me about physiotherapy please, question {n}" for n in range(count)]
    replies = together([lambda t=t: say(cluster.webhook_url, me, t, timeout=120) for t in texts],
                       workers=count)
    assert all(r.status == 200 and isinstance(r.body, list) and r.body for r in replies), \
        [r for r in replies if r.status != 200]
    stored = cluster.user_texts(me)
    assert len(stored) == len(set(stored)), "a user message was stored twice"
    assert set(stored) <= set(texts)
    apologies = sum("something went wrong" in r.text.lower() for r in replies)
    assert len(stored) == count - apologies  # every message answered for real was stored once
    assert apologies == 0, f"{apologies} of {count} messages could not be processed"
    # the history is well-formed: one session start, each user turn followed by a reply
    kinds = [e["event"] for e in cluster.events(me)]
    assert kinds.count("session_started") == 1
    users = [i for i, k in enumerate(kinds) if k == "user"]
    for start, end in zip(users, users[1:] + [len(kinds)]):
        assert "bot" in kinds[start:end]
