"""The fixes to Rasa 3.6: the lock store that keeps a waiting message's ticket
alive (bot/lock_store.py, named in endpoints.yml), the four speed fixes put in
place by the Rasa server's start-up point (bot/rasa_patches.py through
bot/rasa_cli.py), and the version guard of both. Nothing here changes Rasa for
the tests that follow: replaced methods are restored by monkeypatch."""
from __future__ import annotations

import asyncio
import time
from concurrent.futures import ThreadPoolExecutor

import jsonschema
import pytest
import rasa
from rasa.core.actions.action import RemoteAction
from rasa.core.lock_store import InMemoryLockStore, LockStore
from rasa.utils.endpoints import EndpointConfig
from rasa.utils.tensorflow.models import RasaModel

from bot import rasa_cli, rasa_patches
from bot.lock_store import TicketRenewingLockStore

LIFETIME = 0.5   # seconds: both tickets expire in the same poll of the waiter
POLL = 0.1
GIVE_UP = 3      # seconds: a waiter still waiting then is waiting for ever


def run(coroutine):
    # in a thread of its own: an earlier test may have left an event loop running here
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def next_message_after_a_crash(store: LockStore) -> float:
    """A holder takes a conversation's ticket and dies (it never finishes); the next
    message asks for the lock at once, with the same lifetime. The seconds until
    the next message gets the lock; asyncio.TimeoutError after GIVE_UP."""
    store.issue_ticket("c", lock_lifetime=LIFETIME)

    async def next_message() -> float:
        started = time.monotonic()
        async with store.lock("c", lock_lifetime=LIFETIME, wait_time_in_seconds=POLL):
            return time.monotonic() - started

    return run(asyncio.wait_for(next_message(), timeout=GIVE_UP))


# --- the lock store -----------------------------------------------------------------------------
def test_rasa_alone_makes_the_message_after_a_crashed_holder_wait_for_ever():
    """What the fix is for: unpatched Rasa 3.6 removes the waiter's ticket with the dead
    holder's and then never serves it."""
    with pytest.raises(asyncio.TimeoutError):
        next_message_after_a_crash(InMemoryLockStore())


def test_with_the_fix_the_message_after_a_crashed_holder_gets_its_turn():
    waited = next_message_after_a_crash(TicketRenewingLockStore())
    assert LIFETIME - POLL <= waited < GIVE_UP   # after the dead holder's ticket expired, not before


def test_a_live_holder_keeps_the_lock_until_it_is_done():
    store = TicketRenewingLockStore()
    order = []

    async def message(name: str, hold: float):
        async with store.lock("c", lock_lifetime=5, wait_time_in_seconds=POLL):
            order.append(f"{name} starts")
            await asyncio.sleep(hold)
            order.append(f"{name} ends")

    async def both():
        first = asyncio.create_task(message("first", 0.4))
        await asyncio.sleep(0.05)
        await message("second", 0)
        await first

    run(asyncio.wait_for(both(), timeout=GIVE_UP))
    assert order == ["first starts", "first ends", "second starts", "second ends"]
    assert store.get_lock("c") is None   # nobody waiting: the lock is gone


def test_rasa_creates_the_lock_store_named_in_an_endpoint():
    created = LockStore.create(EndpointConfig(type="bot.lock_store.TicketRenewingLockStore", url=""))
    assert isinstance(created, TicketRenewingLockStore)
    assert isinstance(created.storage, InMemoryLockStore)


@pytest.mark.parametrize("url, expected", [
    ("redis://127.0.0.1:6380/2", {"host": "127.0.0.1", "port": 6380, "db": 2, "password": None}),
    ("redis://:s%40cret@redis.example", {"host": "redis.example", "port": 6379, "db": 0,
                                         "password": "s@cret"}),
    ("redis://ahp:pw@10.0.0.5:6379/0", {"host": "10.0.0.5", "username": "ahp", "password": "pw"}),
])
def test_a_redis_url_gives_rasas_redis_lock_store(url, expected):
    from rasa.core.lock_store import RedisLockStore
    store = TicketRenewingLockStore(EndpointConfig(url=url, key_prefix="ahp"))
    assert isinstance(store.storage, RedisLockStore)   # redis-py connects only when first used
    connection = store.storage.red.connection_pool.connection_kwargs
    assert {k: connection.get(k) for k in expected} == expected
    assert store.storage.key_prefix == "ahp:lock:"     # the endpoint's other options reach Rasa's store


def test_a_url_that_is_not_redis_is_refused():
    with pytest.raises(ValueError, match="redis://"):
        TicketRenewingLockStore(EndpointConfig(url="localhost:6379"))


# --- the speed fixes ------------------------------------------------------------------------------
def test_faster_action_result_check_accepts_and_rejects_as_rasa_does():
    good = {"events": [{"event": "slot", "name": "profession", "value": "paramedic"}],
            "responses": [{"response": "utter_greet"}]}
    bad = {"events": "not a list", "responses": []}
    assert rasa_patches._validate_action_result(None, good) is True
    jsonschema.validate(good, RemoteAction.action_response_format_spec())   # Rasa's own agrees
    with pytest.raises(jsonschema.ValidationError) as ours:
        rasa_patches._validate_action_result(None, bad)
    with pytest.raises(jsonschema.ValidationError) as rasas:
        jsonschema.validate(bad, RemoteAction.action_response_format_spec())
    assert ours.value.message.startswith(rasas.value.message)


@pytest.mark.parametrize("events", [
    [{"event": "slot", "name": "focus", "value": None}, {"event": "bot", "text": "hi", "data": {}, "metadata": {}}],
    [{"event": "followup", "name": "action_listen", "timestamp": None}],
    [{"event": "slot", "name": 3, "value": "x"}],                   # a name that is not a string
    [{"event": "no_such_kind"}],
    [{"name": "focus"}],                                             # no kind at all
    ["slot"],
    [{"event": "user", "text": "hello", "parse_data": {"intent_ranking": "not a list"}}],
    [{"event": "action", "name": "utter_greet", "timestamp": "yesterday"}],
])
def test_the_quick_check_of_action_events_agrees_with_rasas(events):
    result = {"events": events, "responses": []}
    try:
        jsonschema.validate(result, RemoteAction.action_response_format_spec())
        rasa_accepts = True
    except jsonschema.ValidationError:
        rasa_accepts = False
    try:
        ours = rasa_patches._validate_action_result(None, result)
    except jsonschema.ValidationError:
        ours = False
    assert ours == rasa_accepts


def test_action_calls_carry_the_state_but_no_events(monkeypatch):
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import SlotSet, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker
    monkeypatch.setattr(RemoteAction, "_action_call_format", rasa_patches._action_call_format)
    domain = Domain.from_yaml("version: '3.1'\nslots:\n  profession: {type: text, mappings: [{type: custom}]}")
    tracker = DialogueStateTracker.from_events("me", [
        UserUttered("hello", {"name": "greet", "confidence": 1.0}), SlotSet("profession", "dietitian")],
        slots=domain.slots)
    action = RemoteAction("action_routes", EndpointConfig("http://x", enable_selective_domain=True))
    call = action._action_call_format(tracker, domain)
    assert call["tracker"]["events"] is None and "domain" not in call
    assert call["tracker"]["slots"]["profession"] == "dietitian"
    assert call["tracker"]["latest_message"]["text"] == "hello"


def a_graph_runner(calls: list):
    """A DaskGraphRunner over a small graph: b needs a and the input "x"; c needs b and a;
    d needs a and is no target's; each node records its call and returns (name, what it got)."""
    from rasa.engine.graph import GraphSchema, SchemaNode
    from rasa.engine.runner.dask import DaskGraphRunner

    needs = {"a": {}, "b": {"first": "a", "given": "x"}, "c": {"one": "b", "two": "a"}, "d": {"one": "a"}}
    runner = DaskGraphRunner.__new__(DaskGraphRunner)
    runner._graph_schema = GraphSchema(
        {name: SchemaNode(needs=n, uses=object, constructor_name="create", fn="run", config={},
                          is_target=name == "c") for name, n in needs.items()})

    def node(name):
        def call(*got):
            calls.append(name)
            return name, (name, got)
        return call

    runner._instantiated_nodes = {name: node(name) for name in needs}
    runner._execution_context = None
    return runner


@pytest.mark.parametrize("targets,inputs", [
    (None, {"x": 1}), (["c"], {"x": [1, 2]}), (["b", "a"], {"x": 1}), (["c"], {"a": "given", "x": 0}), (["c"], {})])
def test_graph_runs_without_dask_give_what_dask_gives(targets, inputs):
    from rasa.engine.runner.dask import DaskGraphRunner
    dask_calls, our_calls = [], []
    theirs = DaskGraphRunner.run(a_graph_runner(dask_calls), inputs, targets)
    ours = rasa_patches._run_graph(a_graph_runner(our_calls), inputs, targets)
    assert ours == theirs
    assert sorted(our_calls) == sorted(dask_calls)   # the same nodes, each once
    for before, after in (("a", "b"), ("b", "c"), ("a", "c")):  # a node runs after those it needs
        if before in our_calls and after in our_calls:
            assert our_calls.index(before) < our_calls.index(after)


def test_a_failing_node_fails_the_run_as_under_dask():
    from rasa.engine.exceptions import GraphRunError
    runner = a_graph_runner([])

    def broken(*_):
        raise RuntimeError("node failed")

    runner._instantiated_nodes["b"] = broken
    with pytest.raises(GraphRunError):
        rasa_patches._run_graph(runner, {"x": 1}, ["c"])


@pytest.fixture
def rasa_restored(monkeypatch):
    """The methods the fixes replace as they are now, put back after the test."""
    from rasa.engine.runner.dask import DaskGraphRunner
    for name in ("_validate_action_result", "_action_call_format"):
        monkeypatch.setattr(RemoteAction, name, getattr(RemoteAction, name))
    monkeypatch.setattr(DaskGraphRunner, "run", DaskGraphRunner.run)
    monkeypatch.setattr(RasaModel, "load", RasaModel.__dict__["load"])


def test_the_start_up_point_puts_the_speed_fixes_in_before_rasa_runs(rasa_restored, monkeypatch):
    seen = {}

    def rasa_main():
        from rasa.engine.runner.dask import DaskGraphRunner
        seen["validate"] = RemoteAction._validate_action_result
        seen["call"] = RemoteAction._action_call_format
        seen["graph"] = DaskGraphRunner.run
        seen["load"] = RasaModel.__dict__["load"].__func__

    monkeypatch.setattr("rasa.__main__.main", rasa_main)
    assert RemoteAction._validate_action_result is not rasa_patches._validate_action_result
    rasa_cli.main()
    assert seen == {"validate": rasa_patches._validate_action_result,
                    "call": rasa_patches._action_call_format, "graph": rasa_patches._run_graph,
                    "load": rasa_patches._load_rasa_model}


def test_the_rasa_server_is_started_through_the_start_up_point():
    from bot.config import settings
    from bot.stack import Stack
    command, _ = Stack(settings()).rasa_command()
    assert command[1:4] == ["-m", "bot.rasa_cli", "run"]


def test_the_action_server_starts_without_tensorflow():
    """bot.action_server: every action loads with TensorFlow marked missing, and spaCy does
    without it."""
    import subprocess
    import sys

    from bot.config import PROJECT_ROOT, settings
    from bot.stack import Stack
    command, _ = Stack(settings()).actions_command()
    assert command[1:5] == ["-m", "bot.action_server", "--actions", "actions"]
    check = ("from bot.config import without_tensorflow; without_tensorflow()\n"
             "import rasa_sdk.executor, actions, thinc.compat, sys\n"
             "executor = rasa_sdk.executor.ActionExecutor(); executor.register_package('actions')\n"
             "assert not thinc.compat.has_tensorflow and sys.modules['tensorflow'] is None\n"
             "print(len(executor.actions))")
    done = subprocess.run([sys.executable, "-c", check], cwd=PROJECT_ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    assert int(done.stdout.split()[-1]) >= 10


# --- the version guard ------------------------------------------------------------------------------
def test_the_fixes_refuse_another_rasa_version(rasa_restored, monkeypatch):
    monkeypatch.setattr(rasa, "__version__", "3.7.0")
    with pytest.raises(RuntimeError, match=r"Rasa 3\.6\.x.*3\.7\.0"):
        rasa_patches.apply()
    with pytest.raises(RuntimeError, match=r"Rasa 3\.6\.x.*3\.7\.0"):
        TicketRenewingLockStore()
    assert RemoteAction._validate_action_result is not rasa_patches._validate_action_result
