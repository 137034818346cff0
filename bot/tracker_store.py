"""Rasa's SQL tracker store, with each pooled connection tested before use.

Without the test, after the database restarts the first query on each pooled
connection fails, and Rasa's fail-safe store then answers from an EMPTY
in-memory tracker and appends a new session to the stored conversation: the
person's context is silently lost (found by tests/scale's database restart).
On SQLite it also turns on write-ahead logging with synchronous=NORMAL: safe
from corruption and from a crash of the server (only the last moments could be
lost if the machine loses power), and it took save and load from 18% of the
Rasa server's CPU under load to less (bench/load_bench.py, README).
Rasa loads this class by name from the endpoints that bot/stack.py writes.
"""
from rasa.core.tracker_store import SQLTrackerStore
from sqlalchemy import event


class PingingSQLTrackerStore(SQLTrackerStore):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.engine.pool._pre_ping = True  # what create_engine(pool_pre_ping=True) sets
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_wal)
            self.engine.dispose()  # connections opened so far predate the listener


def _sqlite_wal(connection, _record) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
