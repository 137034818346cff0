"""The conversation store with the real servers: conversations survive a
restart, personal data never reaches it, and the report reads what the
server wrote."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from bot.conversations import ConversationStore
from tests.assistant.conftest import custom, texts

pytestmark = pytest.mark.slow


def stored_text(stack) -> str:
    """Every piece of text the store holds (not its numbers: a timestamp such as
    1796651559.8077004 holds "07700" by chance)."""
    store = ConversationStore(stack.config.conversations_db_url)
    try:
        return "\n".join(strings([c.events for c in store.conversations()]))
    finally:
        store.close()


def strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (k, *strings(v))]
    if isinstance(value, list):
        return [s for v in value for s in strings(v)]
    return []


def test_conversations_survive_a_restart_of_the_servers(stack, client):
    me = "store-restart"
    client.say(me, "I love football and biology")
    stack.stop("rasa")
    stack.stop("actions")
    stack.start_actions()
    stack.start_rasa()
    stack.wait_ready()
    # "it" is still the physiotherapist recommended before the restart
    [routes] = custom(client.say(me, "how do I get into it?"), "routes")
    assert routes["profession"] == "physiotherapist"


def test_personal_data_is_redacted_before_it_is_stored(stack, client):
    me = "store-privacy"
    reply = client.say(me, "Hi my name is Jamie Rivers, email jamie.r@example.com, "
                           "phone 07700 900123, I live in SW1A 1AA, born 12/03/2010, "
                           "NHS number 943 476 5919, and I love art")
    assert reply and "something went wrong" not in texts(reply).lower()   # answered as usual
    stored = stored_text(stack)
    for secret in ("Jamie", "Rivers", "jamie.r@example.com", "07700", "SW1A", "12/03/2010",
                   "943 476 5919"):
        assert secret not in stored, secret
    assert "[email]" in stored and "[postcode]" in stored


def test_the_report_reads_what_the_server_stored(stack, client, tmp_path):
    from bot.report.__main__ import build
    for i in range(6):
        client.say(f"store-report-{i}", "I love sport and helping people get better")
        client.say(f"store-report-{i}", "/feedback{\"helpful\":\"yes\"}")
    store = ConversationStore(stack.config.conversations_db_url)
    today = datetime.now(timezone.utc).date()
    try:
        figures, path = build(store, today, today, tmp_path)
    finally:
        store.close()
    assert figures.conversations >= 6
    assert figures.recommended["physiotherapist"] >= 6
    assert figures.feedback["yes"] >= 6
    assert "Physiotherapist" in path.read_text()
