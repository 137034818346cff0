"""Four speed fixes to Rasa 3.6 itself, measured before and after; none
changes a reply. bot/rasa_cli.py puts them in place before the Rasa server
starts (`make run` and `make run-cluster` start Rasa through it); a bare
`rasa run` answers the same without them, only slower. They replace private
methods, so they are refused on another Rasa version (`require_rasa_36`, which
bot/lock_store.py, the one correctness fix, checks too).

- Action results: Rasa validates every action server response with
  `jsonschema.validate`, which re-checks the *schema* before each use; a
  profile of the server under load (20 conversations, py-spy) put 17% of its
  CPU there. The replacement builds the validator once, from the same schema,
  checks each event against the one kind of event it names rather than all 23,
  and raises the same error with the same message.
- Action calls: Rasa sends the action server every event of the session with
  every call, so each reply in a long session costs more than the last. Our
  actions read only the slots and the latest message (actions/adapter.py), so
  the call carries no events (the state Rasa sends otherwise is unchanged).
  One conversation, same sender, 15 turns: see README "Measured".
- Graph runs: each message runs Rasa's model graph three times or more (the
  NLU pipeline, then the policies before each action), each through dask's
  scheduler, which works out the order of the nodes again and schedules them
  one by one: about a tenth of the server's CPU under load. The replacement
  works out each target list's order once and calls the same nodes, in an order
  that puts every node after the nodes it needs, with the same inputs.
- Loading DIET: Rasa builds a saved TensorFlow model's weights by training it
  on one example with `fit`, which first compiles the whole training step into
  a TensorFlow graph: half of a Rasa server's start-up (about 5 of 11 s,
  py-spy), paid again by every instance that starts or restarts. The
  replacement runs that one training step eagerly (no graph to compile; the
  same weights and optimizer are created), then loads the saved weights over
  them as Rasa does, so the loaded model is the same.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any


@lru_cache(maxsize=1)
def _action_result_validator():
    from jsonschema.validators import validator_for
    from rasa.core.actions.action import RemoteAction

    schema = RemoteAction.action_response_format_spec()
    cls = validator_for(schema)
    cls.check_schema(schema)  # once, not on every response
    return cls(schema)


@lru_cache(maxsize=1)
def _action_result_quick_check():
    """The same schema with each event checked against the one kind of event it names.
    Rasa's schema lets an event be one of 23 kinds (`oneOf`), each fixing the `event`
    field to its own value, so an event is valid exactly when the kind it names accepts
    it; checking it against all 23 was most of the cost. None if the schema is not so."""
    import copy

    schema = copy.deepcopy(_action_result_validator().schema)
    event = schema["properties"]["events"]["items"]
    kinds = event.pop("oneOf")
    cls = type(_action_result_validator())
    by_event = {kind["properties"]["event"].get("const"): cls(kind) for kind in kinds}
    if None in by_event or len(by_event) != len(kinds):
        return None
    return cls(schema), by_event


def _validate_action_result(self, result) -> bool:
    from jsonschema.exceptions import best_match
    from rasa.core.actions.action import DOCS_BASE_URL

    quick = _action_result_quick_check()
    if quick is not None:
        outline, by_event = quick
        if outline.is_valid(result) and all(
            (kind := by_event.get(event.get("event"))) is not None and kind.is_valid(event)
            for event in result.get("events") or ()
        ):
            return True
    # failed the quick check (or none): Rasa's whole check, for its error message
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


def _run_graph(self, inputs: dict | None = None, targets: list | None = None) -> dict:
    """DaskGraphRunner.run without dask: the same nodes, given what they need, in an
    order worked out once per target list. A node's output is (its name, the value),
    and an input is handed over as (its name, the value), as under dask."""
    from rasa.engine.exceptions import GraphRunError

    run_targets = list(targets) if targets else list(self._graph_schema.target_names)
    order, needs = _graph_plan(self, tuple(run_targets), tuple(sorted(inputs or ())))
    done: dict[str, Any] = {name: (name, value) for name, value in (inputs or {}).items()}
    try:
        for name in order:
            done[name] = self._instantiated_nodes[name](*(done.get(n, n) for n in needs[name]))
    except RuntimeError as e:
        raise GraphRunError("Error running runner.") from e
    return dict(done[t] for t in run_targets)


def _graph_plan(runner, targets: tuple, inputs: tuple) -> tuple[list[str], dict[str, list[str]]]:
    """The nodes the targets need, each after those it needs (inputs replace nodes of the
    same name, as in DaskGraphRunner), and what each needs: cached on the runner, whose
    schema does not change."""
    plans = runner.__dict__.setdefault("_ahp_plans", {})
    if (targets, inputs) not in plans:
        schema = runner._graph_schema.minimal_graph_schema(list(targets))
        needs = {name: list(node.needs.values()) for name, node in schema.nodes.items() if name not in inputs}
        order: list[str] = []
        placed: set[str] = set()

        def place(name: str) -> None:
            if name in placed or name not in needs:
                return
            placed.add(name)
            for need in needs[name]:
                place(need)
            order.append(name)

        for target in targets:
            place(target)
        for name in needs:  # a node no target needs still runs, as under dask
            place(name)
        plans[(targets, inputs)] = (order, needs)
    return plans[(targets, inputs)]


def _load_rasa_model(
    cls, model_file_name, model_data_example, predict_data_example=None, finetune_mode=False, *args, **kwargs
):
    """RasaModel.load with its one-example `fit` run eagerly: the same steps otherwise."""
    from rasa.utils.tensorflow import models  # and its TensorFlow, which Rasa pins
    from rasa.utils.tensorflow.constants import LEARNING_RATE, RUN_EAGERLY
    from rasa.utils.tensorflow.data_generator import RasaBatchDataGenerator

    model = cls(*args, **kwargs)
    learning_rate = kwargs.get("config", {}).get(LEARNING_RATE, 0.001)
    run_eagerly = kwargs.get("config", {}).get(RUN_EAGERLY)
    # eagerly: the step only creates the weights, which the saved ones then replace
    model.compile(optimizer=models.tf.keras.optimizers.Adam(learning_rate), run_eagerly=True)
    model.fit(RasaBatchDataGenerator(model_data_example, batch_size=1), verbose=False)
    model.run_eagerly = run_eagerly  # as Rasa compiled it, for everything after loading
    model.load_weights(model_file_name)
    if not finetune_mode and predict_data_example:
        model.run_inference(predict_data_example)  # traces the prediction graph, as Rasa does
    return model


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
    """Put the four speed fixes in place (bot/rasa_cli.py does, before the Rasa server starts)."""
    from rasa.core.actions.action import RemoteAction
    from rasa.engine.runner.dask import DaskGraphRunner
    from rasa.utils.tensorflow.models import RasaModel

    require_rasa_36()
    RemoteAction._validate_action_result = _validate_action_result
    RemoteAction._action_call_format = _action_call_format
    DaskGraphRunner.run = _run_graph
    RasaModel.load = classmethod(_load_rasa_model)
