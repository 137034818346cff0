"""Rasa's SQL tracker store, with each pooled connection tested before use (a
pool of open connections on SQLite), and the trackers of recent conversations
kept in memory.

Without the test, after the database restarts the first query on each pooled
connection fails, and Rasa's fail-safe store then answers from an EMPTY
in-memory tracker and appends a new session to the stored conversation: the
person's context is silently lost (found by tests/scale's database restart).
On SQLite it also turns on write-ahead logging with synchronous=NORMAL: safe
from corruption and from a crash of the server (only the last moments could be
lost if the machine loses power), and it took save and load from 18% of the
Rasa server's CPU under load to less (bench/load_bench.py, README).

Rasa rebuilds the tracker from every event of the session on every message
(decoding each event's JSON and replaying it) and counts the stored events
again before saving: together about a third of the server's time under load.
Here the tracker saved last is kept and handed back while the store holds no
newer event for the conversation (one indexed query for the highest event id),
so another instance writing to the same conversation, or a tracker changed but
not saved, still means a fresh load. A save writes Rasa's rows in one INSERT
(Rasa adds an ORM object per event). The stored events are exactly Rasa's.
Rasa loads this class by name from endpoints.yml (`tracker_store: type:`).
"""

from __future__ import annotations

import itertools
import json
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import bindparam, create_engine, event, func, insert, select
from sqlalchemy.orm import sessionmaker
from sqlalchemy.pool import QueuePool

from bot.config import settings


@dataclass
class _Cached:
    tracker: DialogueStateTracker
    last_event_id: int | None  # the highest stored event id when this tracker was saved
    events: int  # len(tracker.events) then: a tracker changed since differs


class PingingSQLTrackerStore(SQLTrackerStore):
    engine: Any  # SQLTrackerStore's SQLAlchemy engine (replaced below on SQLite)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.engine.dialect.name == "sqlite":
            # SQLAlchemy 1.4 opens and closes a connection to a SQLite file for every
            # session (NullPool), running the pragmas each time: a small pool keeps a few
            # open (each used by one session at a time, whichever thread it is on)
            url = self.engine.url
            self.engine.dispose()
            self.engine = create_engine(
                url, poolclass=QueuePool, pool_size=4, connect_args={"check_same_thread": False}
            )
            event.listen(self.engine, "connect", _sqlite_wal)
            self.sessionmaker = sessionmaker(bind=self.engine)
        else:
            self.engine.pool._pre_ping = True  # what create_engine(pool_pre_ping=True) sets
        self._cache: OrderedDict[str, _Cached] = OrderedDict()
        # built once: building a statement costs as much as running it
        self._highest_id = select(func.max(self.SQLEvent.id)).where(self.SQLEvent.sender_id == bindparam("sender"))
        # about 0.1 MB a conversation (a session of at most AHP_SESSION_TURNS messages)
        self._cache_size = settings().cached_conversations

    def _last_event_id(self, session, sender_id: str) -> int | None:
        return session.execute(self._highest_id, {"sender": sender_id}).scalar()

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        cached = self._cache.get(sender_id)
        if cached is not None:
            with self.engine.connect() as connection:  # a connection is cheaper than an ORM session
                last = self._last_event_id(connection, sender_id)
            if last == cached.last_event_id and len(cached.tracker.events) == cached.events:
                self._cache.move_to_end(sender_id)
                return cached.tracker
            del self._cache[sender_id]
        return await super().retrieve(sender_id)

    def _additional_events(self, session, tracker: DialogueStateTracker):
        """The events Rasa's save writes: those added since this tracker was kept, without
        counting the stored ones again."""
        cached = self._cache.get(tracker.sender_id)
        if cached is not None and cached.tracker is tracker:
            return itertools.islice(tracker.events, cached.events, None)
        return super()._additional_events(session, tracker)

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Rasa's save (the same rows), in one INSERT of all the new events rather than one
        ORM object each, and reading the highest event id in the same transaction."""
        await self.stream_events(tracker)
        sender = tracker.sender_id
        # Keep it unless it now holds a second session: loading it again then reads the
        # new session only, which keeps a long conversation's tracker short. Not with an
        # event broker, whose streaming compares the tracker with a fresh load.
        sessions = sum(isinstance(e, SessionStarted) for e in tracker.events)
        keep = self._cache_size and self.event_broker is None and sessions <= 1
        with self.session_scope() as session:
            rows = [self._row(sender, e) for e in self._additional_events(session, tracker)]
            if rows:
                session.execute(insert(self.SQLEvent.__table__), rows)
            last = self._last_event_id(session, sender) if keep else None  # the lock is still held
            session.commit()
        self._cache.pop(sender, None)
        if keep:
            self._cache[sender] = _Cached(tracker, last, len(tracker.events))
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)

    @staticmethod
    def _row(sender_id: str, event) -> dict[str, Any]:
        """The row SQLTrackerStore.save writes for an event (Rasa 3.6)."""
        data = event.as_dict()
        return {
            "sender_id": sender_id,
            "type_name": event.type_name,
            "timestamp": data.get("timestamp"),
            "intent_name": data.get("parse_data", {}).get("intent", {}).get("name"),
            "action_name": data.get("name"),
            "data": json.dumps(data),
        }


def _sqlite_wal(connection, _record) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
