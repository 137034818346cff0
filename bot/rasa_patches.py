"""Two speed fixes to Rasa 3.6 itself, measured before and after; neither
changes a reply. bot/rasa_cli.py puts them in place before the Rasa server
starts (`make run` and `make run-cluster` start Rasa through it); a bare
`rasa run` answers the same without them, only slower. They replace private
methods, so they are refused on another Rasa version (`require_rasa_36`, which
bot/lock_store.py, the one correctness fix, checks too).

- Action results: Rasa validates every action server response with
  `jsonschema.validate`, which re-checks the *schema* before each use; a
  profile of the server under load (20 conversations, py-spy) put 17% of its
  CPU there. The replacement builds the validator once, from the same schema,
  and raises the same error with the same message.
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


RASA_VERSION = "3.6."  # what the fixes here and in bot/lock_store.py were written against


def require_rasa_36() -> None:
    """Refuse to start on another Rasa: the methods these fixes replace or extend are
    private, and another version may have changed them."""
    import rasa

    if not rasa.__version__.startswith(RASA_VERSION):
        raise RuntimeError(
            f"bot/rasa_patches.py and bot/lock_store.py change private methods of "
            f"Rasa {RASA_VERSION}x; check them against Rasa {rasa.__version__} "
            f"before starting"
        )


def apply() -> None:
    """Put the two speed fixes in place (bot/rasa_cli.py does, before the Rasa server starts)."""
    from rasa.core.actions.action import RemoteAction

    require_rasa_36()
    RemoteAction._validate_action_result = _validate_action_result
    RemoteAction._action_call_format = _action_call_format
