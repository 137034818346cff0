"""Rasa's lock store (one ticket lock per conversation; in memory, or in Redis
when `AHP_REDIS_URL` names one) with one correctness fix to Rasa 3.6: a message
waiting for its conversation's lock keeps its own ticket alive. Rasa loads this
class by name from endpoints.yml (`lock_store: type:`), as it loads
bot.tracker_store.PingingSQLTrackerStore.

Rasa gives a waiting message's ticket the same lifetime as the one it waits
behind. When an instance crashes holding a ticket (tests/scale: an instance
killed mid-burst), both tickets expire within the same poll, the waiter's own
ticket is removed with the dead one, and Rasa then considers the conversation
locked forever (no ticket is "now serving" its number) until the request times
out (tests/unit/test_rasa_fixes.py shows the hang). A waiter is alive, so here
it renews its ticket each time it looks at the lock again; a crashed holder's
ticket still expires and is removed.
"""

from __future__ import annotations

import time
from collections import defaultdict, deque
from typing import Any
from urllib.parse import unquote, urlsplit

from rasa.core.lock import Ticket, TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, InMemoryLockStore, LockStore, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

from bot.rasa_patches import require_rasa_36

REDIS_PORT = 6379


def redis_lock_store(url: str, options: dict[str, Any] | None = None) -> RedisLockStore:
    """Rasa's Redis lock store for `redis://[user:password@]host[:port][/db]`
    (`rediss://` for TLS); `options` are RedisLockStore's others (key_prefix, ...)."""
    parts = urlsplit(url)
    if parts.scheme not in ("redis", "rediss"):
        raise ValueError(f"a Redis URL starts redis:// or rediss://, not {parts.scheme}://")
    return RedisLockStore(
        host=parts.hostname or "localhost",
        port=parts.port or REDIS_PORT,
        db=int(parts.path.strip("/") or 0),
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
        use_ssl=parts.scheme == "rediss",
        **(options or {}),
    )


class TicketRenewingLockStore(LockStore):
    """Rasa's ticket locks, kept in Redis when the endpoint has a URL and in memory
    when it has none, with the tickets of messages waiting here renewed."""

    def __init__(self, endpoint_config: EndpointConfig | None = None) -> None:
        require_rasa_36()  # the waiting loop extended here is Rasa 3.6's
        url = endpoint_config.url if endpoint_config else None
        options = endpoint_config.kwargs if endpoint_config else {}
        self.storage: LockStore = redis_lock_store(url, options) if url else InMemoryLockStore()
        self._waiting: dict[str, set[int]] = defaultdict(set)  # conversation -> tickets waiting here
        super().__init__()

    # where the locks are kept --------------------------------------------------------------------
    def get_lock(self, conversation_id: str) -> TicketLock | None:
        return self.storage.get_lock(conversation_id)

    def save_lock(self, lock: TicketLock) -> None:
        self.storage.save_lock(lock)

    def delete_lock(self, conversation_id: str) -> None:
        self.storage.delete_lock(conversation_id)

    # the fix -------------------------------------------------------------------------------------
    async def _acquire_lock(self, conversation_id: str, ticket: int, wait_time_in_seconds: float) -> TicketLock:
        """Rasa's waiting loop, with this message's ticket known to be alive while it waits."""
        self._waiting[conversation_id].add(ticket)
        try:
            return await super()._acquire_lock(conversation_id, ticket, wait_time_in_seconds)
        finally:
            self._waiting[conversation_id].discard(ticket)
            if not self._waiting[conversation_id]:
                del self._waiting[conversation_id]

    def update_lock(self, conversation_id: str) -> None:
        """What Rasa does between two looks at the lock (remove expired tickets and
        save), with the tickets of the messages waiting here renewed first, and put
        back in their place if another instance removed them already."""
        lock = self.get_lock(conversation_id)
        if not lock:
            return
        alive = time.time() + LOCK_LIFETIME
        for number in self._waiting.get(conversation_id, ()):
            mine = next((t for t in lock.tickets if t.number == number), None)
            if mine:
                mine.expires = max(mine.expires, alive)
            else:
                lock.tickets.append(Ticket(number, alive))
                lock.tickets = deque(sorted(lock.tickets, key=lambda t: t.number))
        lock.remove_expired_tickets()
        self.save_lock(lock)
