"""The impact report's figures equal counts computed from the generated specs
alone; small groups are suppressed; retention deletes exactly what is old."""
from __future__ import annotations

import json
from collections import Counter
from datetime import date, datetime, timedelta, timezone

import pytest

from bot.conversations import ConversationStore
from bot.report.figures import SUPPRESS_BELOW, compute, summarise
from tests import conversation_factory as factory

START = date(2026, 9, 1)
DAYS = 30


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    store = ConversationStore(f"sqlite:///{tmp_path_factory.mktemp('store') / 'conv.db'}")
    specs = factory.make_specs(1200, START, DAYS)
    factory.write(store, specs)
    yield store, specs
    store.close()


def report(store, start=START, end=START + timedelta(days=DAYS - 1)):
    begin = datetime.combine(start, datetime.min.time(), tzinfo=timezone.utc).timestamp()
    finish = datetime.combine(end + timedelta(days=1), datetime.min.time(),
                              tzinfo=timezone.utc).timestamp()
    return compute(filter(None, map(summarise, store.conversations(begin, finish))), start, end,
                   factory.PROFESSIONS, factory.ROUTES)


def shown(n):
    return None if 0 < n < SUPPRESS_BELOW else n


def test_figures_equal_independent_counts(generated):
    store, specs = generated
    f = report(store)
    assert f.conversations == len(specs) >= 1000
    assert f.returning_visitors == sum(s.returning for s in specs)
    assert f.user_messages == sum(s.user_messages for s in specs)
    assert f.per_day == {d: shown(c) for d, c in {
        (START + timedelta(days=i)).isoformat(): sum(s.day == START + timedelta(days=i) for s in specs)
        for i in range(DAYS)}.items()}
    assert sum(v for v in f.per_week.values() if v) == len(specs) - sum(
        v for v in Counter(f"{s.day.isocalendar()[0]}-W{s.day.isocalendar()[1]:02d}" for s in specs).values()
        if v < SUPPRESS_BELOW)
    for audience, count in Counter(s.audience for s in specs).items():
        assert f.audience[audience] == shown(count)
    for field, attr in (("recommended", "recommended"), ("asked_about", "asked"),
                        ("routes", "routes"), ("resources_shown", "shown"),
                        ("resources_clicked", "clicked")):
        expected = Counter(x for s in specs for x in set(getattr(s, attr)))
        got = getattr(f, field)
        for key, count in expected.items():
            assert got[key] == shown(count), (field, key)
    assert f.rtp_conversations == shown(sum(s.rtp_questions > 0 for s in specs))
    assert f.rtp_questions == shown(sum(s.rtp_questions for s in specs))
    messages = sum(s.user_messages for s in specs)
    assert f.fallback_rate == round(sum(s.fallbacks for s in specs) / messages, 4)
    assert f.out_of_scope_rate == round(sum(s.out_of_scope for s in specs) / messages, 4)
    assert f.safeguarding_replies == shown(sum(s.safeguarding for s in specs))
    assert f.feedback == {k: shown(Counter(s.feedback for s in specs)[k]) for k in ("yes", "no")}


def test_date_range_filters(generated):
    store, specs = generated
    week = report(store, START, START + timedelta(days=6))
    assert week.conversations == sum(START <= s.day <= START + timedelta(days=6) for s in specs)


def test_small_groups_are_suppressed(tmp_path):
    store = ConversationStore(f"sqlite:///{tmp_path / 'small.db'}")
    factory.write(store, factory.make_specs(3, START, 1))
    f = report(store, START, START)
    assert f.conversations is None and f.fallback_rate is None
    assert all(v is None or v == 0 for v in f.recommended.values())
    store.close()


def test_report_files_are_aggregated_and_escaped(generated, tmp_path, kb):
    from bot.report.render import write
    store, specs = generated
    f = report(store)
    f.audience["<script>alert(1)</script>"] = 7
    path = write(f, tmp_path, {p.id: p.name for p in kb.professions()}, {"podiatrist"})
    page = path.read_text()
    assert "<script>alert" not in page and "&lt;script&gt;" in page
    assert "gen-0000" not in page                       # no sender ids
    assert json.loads((tmp_path / "figures.json").read_text())["conversations"] == len(specs)
    assert (tmp_path / "figures.csv").read_text().startswith("figure,item,value")
    assert page.count("data:image/png;base64,") == 9


def test_retention_deletes_exactly_what_is_older(tmp_path):
    store = ConversationStore(f"sqlite:///{tmp_path / 'retention.db'}")
    specs = factory.make_specs(200, START, DAYS, seed=3)
    factory.write(store, specs)
    now = datetime.combine(START + timedelta(days=90 + DAYS // 2), datetime.min.time(),
                           tzinfo=timezone.utc).timestamp()
    last_activity = {c.sender_id: max(e["timestamp"] for e in c.events)
                     for c in store.conversations()}
    expected_gone = {sid for sid, ts in last_activity.items() if ts < now - 90 * 86400}
    assert 0 < len(expected_gone) < len(specs)           # the set straddles the limit
    deleted, _ = store.delete_older_than(90, now=now)
    kept = {c.sender_id for c in store.conversations()}
    assert deleted == len(expected_gone)
    assert kept == set(last_activity) - expected_gone
    assert store.delete_older_than(90, now=now) == (0, 0)
    store.close()


def test_a_session_begun_because_the_chat_grew_long_is_not_a_return():
    from bot.conversations import Conversation
    ts = datetime(2026, 9, 3, 10, tzinfo=timezone.utc).timestamp()
    events = [{"event": "session_started", "timestamp": ts},
              {"event": "user", "timestamp": ts + 1, "text": "hi", "parse_data": {"intent": {"name": "greet"}}},
              {"event": "session_started", "timestamp": ts + 2, "metadata": {"ahp_session_split": "length"}},
              {"event": "user", "timestamp": ts + 3, "text": "bye", "parse_data": {"intent": {"name": "goodbye"}}}]
    assert summarise(Conversation("long", events)).sessions == 1
    # the /session_start the REST channel sends before such a session is not a message of theirs
    events.insert(2, {"event": "user", "timestamp": ts + 2, "text": "/session_start",
                      "parse_data": {"intent": {"name": "session_start"}},
                      "metadata": {"ahp_session_split": "length"}})
    assert summarise(Conversation("long", events)).user_messages == 2
    events.append({"event": "session_started", "timestamp": ts + 4})
    assert summarise(Conversation("came-back", events)).sessions == 2


def test_the_store_is_read_a_batch_of_conversations_at_a_time_each_whole(tmp_path):
    from sqlalchemy import event, insert

    from bot.conversations import events
    store = ConversationStore(f"sqlite:///{tmp_path / 'interleaved.db'}")
    store.create()
    # three people talking at once: their events interleave in the table
    rows = [("b", 1.0), ("a", 2.0), ("b", 3.0), ("c", 4.0), ("a", 5.0), ("c", 6.0), ("b", 7.0)]
    with store.engine.begin() as connection:
        connection.execute(insert(events), [
            {"sender_id": s, "type_name": "user", "timestamp": t, "data": json.dumps({"timestamp": t})}
            for s, t in rows])
    queries = []
    event.listen(store.engine, "before_cursor_execute", lambda *args: queries.append(args[2]))

    def read(*window, batch):
        return [(c.sender_id, [e["timestamp"] for e in c.events])
                for c in store.conversations(*window, batch=batch)]
    # in the order they began, each with all its events, whatever the batch
    whole = [("b", [1.0, 3.0, 7.0]), ("a", [2.0, 5.0]), ("c", [4.0, 6.0])]
    assert read(batch=2) == read(batch=500) == whole
    assert read(2.5, 6.5, batch=1) == [("b", [3.0]), ("c", [4.0, 6.0]), ("a", [5.0])]
    # the first conversation comes after reading the senders and one batch, not the whole table
    queries.clear()
    first = next(store.conversations(batch=1))
    assert first.sender_id == "b" and len(queries) == 2
    store.close()
