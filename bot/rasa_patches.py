"""Fixes to Rasa 3.6 itself (two for speed, one for correctness), applied in the
Rasa server when our REST channel starts (bot/channels/rest.py), measured before
and after, and refused on another Rasa version (their targets are private code).

- Action results: Rasa validates every action server response with
  `jsonschema.validate`, which re-checks the *schema* before each use; a
  profile of the server under load (20 conversations, py-spy) put 17% of its
  CPU there. The replacement builds the validator once, from the same schema,
  and raises the same error with the same message.
- Conversation locks: a message waiting for its turn holds a ticket with the
  same lifetime as the one it waits behind. When an instance crashes holding a
  ticket (tests/scale: an instance killed mid-burst), both tickets expire
  within the same poll, the waiter's own ticket is removed with the dead one,
  and Rasa then considers the conversation locked forever (no ticket is "now
  serving" its number) until the request times out. A waiter is alive, so it
  keeps its own ticket from expiring while it waits; a crashed holder's ticket
  still expires and is removed.
- Action calls: Rasa sends the action server every event of the session with
  every call, so each reply in a long session costs more than the last. Our
  actions read only the slots and the latest message (actions/adapter.py), so
  the call carries no events (the state Rasa sends otherwise is unchanged).
  One conversation, same sender, 15 turns: see README "Measured".
"""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def _action_result_validator():
    from jsonschema.validators import validator_for
    from rasa.core.actions.action import RemoteAction

    schema = RemoteAction.action_response_format_spec()
    cls = validator_for(schema)
    cls.check_schema(schema)  # once, not on every response
    return cls(schema)


def _validate_action_result(self, result) -> bool:
    from jsonschema.exceptions import best_match
    from rasa.core.actions.action import DOCS_BASE_URL

    error = best_match(_action_result_validator().iter_errors(result))
    if error is not None:
        error.message += (
            f". Failed to validate Action server response from API, make sure your "
            f"response from the Action endpoint is valid. For more information about "
            f"the format visit {DOCS_BASE_URL}/custom-actions"
        )
        raise error
    return True


async def _acquire_lock(self, conversation_id, ticket: int, wait_time_in_seconds: float):
    import asyncio
    import time

    from rasa.core.lock import Ticket
    from rasa.core.lock_store import LOCK_LIFETIME, LockError

    while True:
        lock = self.get_lock(conversation_id)
        if not lock:
            break
        if not lock.is_locked(ticket):
            return lock
        await asyncio.sleep(wait_time_in_seconds)
        lock = self.get_lock(conversation_id)
        if lock:
            alive = time.time() + LOCK_LIFETIME
            mine = [t for t in lock.tickets if t.number == ticket]
            if mine:
                mine[0].expires = max(mine[0].expires, alive)
            else:  # removed already: put it back in its place in the queue
                lock.tickets.append(Ticket(ticket, alive))
                lock.tickets = type(lock.tickets)(sorted(lock.tickets, key=lambda t: t.number))
            lock.remove_expired_tickets()
            self.save_lock(lock)
    raise LockError(f"Could not acquire lock for conversation_id '{conversation_id}'.")


def _action_call_format(self, tracker, domain) -> dict:
    """RemoteAction's request, with the tracker's state but none of its events."""
    import rasa
    from rasa.shared.core.trackers import EventVerbosity

    result = {
        "next_action": self._name,
        "sender_id": tracker.sender_id,
        "tracker": tracker.current_state(EventVerbosity.NONE),
        "version": rasa.__version__,
    }
    if not self._is_selective_domain_enabled() or domain.does_custom_action_explicitly_need_domain(self.name()):
        result["domain"] = domain.as_dict()
    return result


RASA_VERSION = "3.6."  # the private methods replaced here are those of Rasa 3.6


def apply() -> None:
    import rasa
    from rasa.core.actions.action import RemoteAction
    from rasa.core.lock_store import LockStore

    if not rasa.__version__.startswith(RASA_VERSION):
        raise RuntimeError(
            f"bot/rasa_patches.py replaces private methods of Rasa {RASA_VERSION}x; "
            f"check them against Rasa {rasa.__version__} before starting"
        )
    RemoteAction._validate_action_result = _validate_action_result
    RemoteAction._action_call_format = _action_call_format
    LockStore._acquire_lock = _acquire_lock
