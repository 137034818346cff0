"""Speed fixes for Rasa 3.6 itself, applied in the Rasa server when our REST
channel starts (bot/channels/rest.py), measured before and after.

- Action results: Rasa validates every action server response with
  `jsonschema.validate`, which re-checks the *schema* before each use; a
  profile of the server under load (20 conversations, py-spy) put 17% of its
  CPU there. The replacement builds the validator once, from the same schema,
  and raises the same error with the same message.
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
        error.message += (f". Failed to validate Action server response from API, make sure your "
                          f"response from the Action endpoint is valid. For more information about "
                          f"the format visit {DOCS_BASE_URL}/custom-actions")
        raise error
    return True


def apply() -> None:
    from rasa.core.actions.action import RemoteAction
    RemoteAction._validate_action_result = _validate_action_result
