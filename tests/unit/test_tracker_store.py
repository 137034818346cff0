"""The tracker store keeps recent trackers in memory without ever answering from a
stale one, and stores exactly the rows Rasa's own SQL store stores."""
import asyncio
import json
from concurrent.futures import ThreadPoolExecutor

import pytest
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import select

from bot.tracker_store import PingingSQLTrackerStore

DOMAIN = Domain.from_dict({"slots": {"interests": {"type": "list", "mappings": [{"type": "custom"}]}}})


def run(coroutine):
    # in a thread of its own: an earlier test may have left an event loop running here
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def store(path, cls=PingingSQLTrackerStore):
    return cls(DOMAIN, dialect="sqlite", db=str(path))


def started(sender: str) -> DialogueStateTracker:
    tracker = DialogueStateTracker(sender, DOMAIN.slots)
    for e in (ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen"),
              UserUttered("I love sport", {"name": "tell_interests"}), SlotSet("interests", ["sport"])):
        tracker.update(e)
    return tracker


def test_a_conversation_written_by_another_instance_is_loaded_again(tmp_path):
    one, two = store(tmp_path / "s.db"), store(tmp_path / "s.db")
    run(one.save(started("a")))
    tracker = run(one.retrieve("a"))
    assert run(one.retrieve("a")) is tracker          # nothing newer stored: kept in memory
    other = run(two.retrieve("a"))
    other.update(UserUttered("how do I become a physio", {"name": "ask_routes"}))
    run(two.save(other))
    fresh = run(one.retrieve("a"))
    assert fresh is not tracker
    assert fresh.latest_message.text == "how do I become a physio"
    assert fresh.get_slot("interests") == ["sport"]


def test_a_tracker_changed_but_not_saved_is_not_handed_back(tmp_path):
    one = store(tmp_path / "s.db")
    run(one.save(started("a")))
    tracker = run(one.retrieve("a"))
    tracker.update(UserUttered("this message failed half-way", {"name": "greet"}))
    again = run(one.retrieve("a"))
    assert again.latest_message.text == "I love sport"


def test_the_rows_are_rasas_own(tmp_path):
    ours, rasas = store(tmp_path / "ours.db"), store(tmp_path / "rasa.db", SQLTrackerStore)
    for s in (ours, rasas):
        tracker = started("a")
        run(s.save(tracker))
        tracker = run(s.retrieve("a"))
        tracker.update(UserUttered("and the pay?", {"name": "ask_pay"}))
        tracker.update(ActionExecuted("action_answer"))
        run(s.save(tracker))

    def rows(s):   # all but the time each event was made
        with s.session_scope() as session:
            return [(r.sender_id, r.type_name, r.intent_name, r.action_name,
                     {k: v for k, v in json.loads(r.data).items() if k != "timestamp"})
                    for r in session.execute(select(s.SQLEvent).order_by(s.SQLEvent.id)).scalars()]
    assert rows(ours) == rows(rasas)
    assert len(rows(ours)) == 7


def test_a_new_session_is_read_on_its_own(tmp_path):
    one = store(tmp_path / "s.db")
    tracker = started("a")
    run(one.save(tracker))
    tracker = run(one.retrieve("a"))
    for e in (ActionExecuted("action_session_start"), SessionStarted(), SlotSet("interests", ["sport"]),
              ActionExecuted("action_listen"), UserUttered("hello again", {"name": "greet"})):
        tracker.update(e)
    run(one.save(tracker))
    loaded = run(one.retrieve("a"))
    assert loaded is not tracker
    assert sum(isinstance(e, SessionStarted) for e in loaded.events) == 1
    assert loaded.get_slot("interests") == ["sport"] and loaded.latest_message.text == "hello again"
    assert len(run(one.retrieve_full_tracker("a")).events) == 10


@pytest.mark.parametrize("cached", [True, False])
def test_nothing_is_stored_twice(tmp_path, cached):
    one = store(tmp_path / "s.db")
    run(one.save(started("a")))
    tracker = run(one.retrieve("a")) if cached else run(store(tmp_path / "s.db").retrieve("a"))
    run(one.save(tracker))                       # nothing new
    assert len(run(one.retrieve_full_tracker("a")).events) == 5
