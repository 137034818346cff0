"""The conversation store that Rasa's SQL tracker store writes (SQLite under
var/ by default, PostgreSQL by AHP_DB_URL): reading its events for the impact
report, and deleting old conversations (`python -m bot.conversations --days N`,
`make retention`).

The table is Rasa's own (`events`: one row per event, its JSON in `data`);
this module reads and deletes rows with SQLAlchemy Core and never changes
what Rasa wrote otherwise.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

from sqlalchemy import Column, Float, Integer, MetaData, String, Table, Text, create_engine, delete, func, select
from sqlalchemy.engine import Engine

from bot.config import settings

DAY = 86400.0
metadata = MetaData()
# Rasa's SQLTrackerStore.SQLEvent, as it creates it
events = Table(
    "events",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("sender_id", String(255), nullable=False, index=True),
    Column("type_name", String(255), nullable=False),
    Column("timestamp", Float),
    Column("intent_name", String(255)),
    Column("action_name", String(255)),
    Column("data", Text),
)


@dataclass
class Conversation:
    """One sender's events, oldest first."""

    sender_id: str
    events: list[dict] = field(default_factory=list)


class ConversationStore:
    def __init__(self, url: str | None = None, engine: Engine | None = None):
        self.engine = engine or create_engine(url or settings().conversations_db_url, future=True)

    def create(self) -> None:
        """The table, where Rasa has not made it yet (tests and generated sets)."""
        metadata.create_all(self.engine)

    def conversations(
        self, start: float | None = None, end: float | None = None, batch: int = 500
    ) -> Iterator[Conversation]:
        """Conversations with their events between start and end (epoch seconds), in the
        order they began, read `batch` conversations at a time: only one batch's events are
        in memory at once, so a large store never sits in memory whole."""
        window = []
        if start is not None:
            window.append(events.c.timestamp >= start)
        if end is not None:
            window.append(events.c.timestamp < end)
        senders_query = (
            select(events.c.sender_id).where(*window).group_by(events.c.sender_id).order_by(func.min(events.c.id))
        )
        with self.engine.connect() as connection:
            senders = list(connection.execute(senders_query).scalars())
        for i in range(0, len(senders), batch):
            chunk = senders[i : i + batch]
            query = (
                select(events.c.sender_id, events.c.data)
                .where(events.c.sender_id.in_(chunk), *window)
                .order_by(events.c.id)
            )
            by_sender = {sender: Conversation(sender) for sender in chunk}
            with self.engine.connect() as connection:
                for row in connection.execute(query):
                    by_sender[row.sender_id].events.append(json.loads(row.data))
            yield from by_sender.values()

    def delete_older_than(self, days: float, now: float | None = None) -> tuple[int, int]:
        """Deletes every conversation whose last event is more than `days` old.
        Returns (conversations, events) deleted."""
        cutoff = (now if now is not None else time.time()) - days * DAY
        stale = select(events.c.sender_id).group_by(events.c.sender_id).having(func.max(events.c.timestamp) < cutoff)
        with self.engine.begin() as connection:
            senders = [r.sender_id for r in connection.execute(stale)]
            deleted = 0
            for i in range(0, len(senders), 500):
                chunk = senders[i : i + 500]
                deleted += connection.execute(delete(events).where(events.c.sender_id.in_(chunk))).rowcount
        return len(senders), deleted

    def close(self) -> None:
        self.engine.dispose()


def main(argv: list[str] | None = None) -> int:
    s = settings()
    parser = argparse.ArgumentParser(description="Delete conversations older than a number of days.")
    parser.add_argument(
        "--days",
        type=float,
        default=s.retention_days,
        help=f"keep this many days (default {s.retention_days}, AHP_RETENTION_DAYS)",
    )
    args = parser.parse_args(argv)
    if args.days < 0:
        parser.error("--days must not be negative")
    store = ConversationStore(s.conversations_db_url)
    try:
        store.create()
        conversations, deleted = store.delete_older_than(args.days)
    finally:
        store.close()
    print(f"deleted {conversations} conversations ({deleted} events) older than {args.days:g} days")
    return 0


if __name__ == "__main__":
    sys.exit(main())
