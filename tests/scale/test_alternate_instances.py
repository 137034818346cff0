"""The key test: two Rasa instances sharing PostgreSQL and Redis, one
conversation's turns sent alternately to instance A and instance B directly
(not through the proxy): the history is whole and in order, and the context
of one turn is used by the next on the other instance."""
from __future__ import annotations

import pytest

from tests.scale.conftest import say

pytestmark = pytest.mark.slow

TURNS = ["hi", "I love football and biology", "how do I get into it?", "what about pay",
         "I'm in year 12 and need to earn while I learn", "how do I become a paramedic",
         "can I have a summary of my results", "thanks"]


def test_turns_alternating_between_instances_keep_one_history(cluster):
    a, b = cluster.instance_urls
    me = "scale-alternate"
    replies = [say((a, b)[i % 2], me, text) for i, text in enumerate(TURNS)]
    assert all(r.status == 200 and r.body for r in replies), replies

    # turn 2 on A remembered the profession; turn 3 on B used it
    assert replies[1].custom("recommendations")[0]["professions"][0]["id"] == "physiotherapist"
    [routes] = replies[2].custom("routes")
    assert routes["profession"] == "physiotherapist"
    # circumstances told to B filter the routes A gives
    [routes] = replies[5].custom("routes")
    assert routes["profession"] == "paramedic" and routes["routes"][0]["id"] == "apprenticeship"
    assert "physiotherapist" in replies[6].text.lower()

    # the store holds every user message once, in order, and each turn's bot replies
    assert cluster.user_texts(me) == TURNS
    events = cluster.events(me)
    kinds = [e["event"] for e in events]
    assert kinds.count("session_started") == 1
    users = [i for i, k in enumerate(kinds) if k == "user"]
    for start, end in zip(users, users[1:] + [len(kinds)]):  # every turn answered before the next
        assert "bot" in kinds[start:end], kinds[start:end]
    stamps = [e["timestamp"] for e in events]
    assert stamps == sorted(stamps)


def test_one_turn_to_each_instance_in_quick_succession(cluster):
    """The minimal hand-over: interests to B, the question to A at once."""
    a, b = cluster.instance_urls
    me = "scale-alternate-short"
    assert say(b, me, "I love football and biology").status == 200
    [routes] = say(a, me, "how do I get into it?").custom("routes")
    assert routes["profession"] == "physiotherapist"
    assert cluster.user_texts(me) == ["I love football and biology", "how do I get into it?"]
