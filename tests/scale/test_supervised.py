"""`make run-cluster` as an operator runs it: its launcher (python -m ops.cluster) in
a subprocess on free ports with a run directory of its own, supervisord in charge.

- A Rasa instance killed (SIGKILL) while 20 conversations go on through nginx:
  every conversation goes on with its history (at most the message in flight
  fails), supervisord has the instance back within 30 s, and nothing else was
  restarted. The same for the action server: its apology while it is down, then
  the conversation goes on.
- SIGTERM or SIGINT to the launcher, or SIGKILL to supervisord: within 30 s
  nothing the set-up started is still running or listening.
"""
from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess
import sys
import threading
import time

import pytest

from bot.config import PROJECT_ROOT
from ops.cluster import status, supervisor
from ops.direct import conversation_events
from ops.processes import answers, listening
from tests.scale.conftest import Reply
from tests.scale.launcher import Launched, wait_for
from tests.scale.test_faults import APOLOGY, INTERESTS, QUESTION, physio_routes
from tests.started import started_together

pytestmark = pytest.mark.slow

BACK_WITHIN_S = 30   # the bound: a crashed instance answers again, everything stops
CONVERSATIONS = 20
PAUSE_S = 0.5        # between one person's messages (under nginx's 2 a second per address)
FILLER = ["what about pay", "is it a shortage job", "what grades do i need", "where do they work"]


def say(port: int, source: str, sender: str, text: str, timeout: float = 90) -> Reply:
    """A message from its own loopback address, as each person has their own."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout,
                                            source_address=(source, 0))
    try:
        connection.request("POST", "/webhooks/rest/webhook",
                           body=json.dumps({"sender": sender, "message": text}),
                           headers={"Content-Type": "application/json"})
        response = connection.getresponse()
        raw = response.read()
        try:
            body = json.loads(raw or b"null")
        except ValueError:
            body = raw
        return Reply(response.status, body, response.getheader("X-Upstream"),
                     response.getheader("Content-Type", ""))
    except (OSError, http.client.HTTPException) as error:
        return Reply(0, repr(error), None, "")
    finally:
        connection.close()


def restarted(before: dict[str, dict], after: dict[str, dict]) -> set[str]:
    return {name for name, info in after.items()
            if (info["pid"], info["start"]) != (before[name]["pid"], before[name]["start"])
            or info["statename"] != "RUNNING"}


def back_up(launched: Launched, name: str, old_pid: int, health: str) -> bool:
    info = supervisor(launched.layout.root).getProcessInfo(name)
    return info["statename"] == "RUNNING" and info["pid"] not in (0, old_pid) and answers(health)


# --- a crash under supervisord -------------------------------------------------------------------
@pytest.fixture(scope="module")
def launched(model, tmp_path_factory):
    # Rasa's ticket lock at 10 s: a conversation whose message was in flight on the killed
    # instance waits that long (not Rasa's 60 s) before another instance takes it over
    running = Launched(tmp_path_factory.mktemp("supervised") / "run", lock_lifetime=10)
    try:
        running.wait_ready()
        yield running
    finally:
        running.close()


def test_killed_instance_is_restarted_and_conversations_go_on(launched):
    senders = [f"sup-kill-{n}" for n in range(CONVERSATIONS)]
    sources = {s: f"127.0.0.{10 + n}" for n, s in enumerate(senders)}
    first = [say(launched.port, sources[s], s, INTERESTS) for s in senders]
    assert all(r.status == 200 and r.custom("recommendations") for r in first), first
    victim = f":{launched.layout.rasa_ports[0]}"
    assert any(r.upstream.endswith(victim) for r in first), "the hash put no conversation on rasa-0"

    before = launched.infos()
    stop = threading.Event()
    failed: dict[str, list[Reply]] = {s: [] for s in senders}
    sent: dict[str, int] = {s: 0 for s in senders}

    def converse(sender: str) -> None:
        n = 0
        while not stop.is_set():
            reply = say(launched.port, sources[sender], sender, FILLER[n % len(FILLER)])
            sent[sender] += 1
            if reply.status != 200 or APOLOGY in reply.text.lower():
                failed[sender].append(reply)
            n += 1
            stop.wait(PAUSE_S)

    threads = [threading.Thread(target=converse, args=(s,)) for s in senders]
    for thread in threads:
        thread.start()
    try:
        assert wait_for(lambda: sum(sent.values()) >= 2 * CONVERSATIONS, 60) is not None
        old_pid = before["rasa-0"]["pid"]
        os.kill(old_pid, signal.SIGKILL)
        health = f"http://127.0.0.1:{launched.layout.rasa_ports[0]}/"
        back_in = wait_for(lambda: back_up(launched, "rasa-0", old_pid, health), BACK_WITHIN_S)
        # and the conversations keep going a little while after it is back
        counted = sum(sent.values())
        wait_for(lambda: sum(sent.values()) >= counted + 2 * CONVERSATIONS, 60)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=120)
    print(f"rasa-0 answered again {back_in} s after SIGKILL")
    assert back_in is not None, f"rasa-0 was not back within {BACK_WITHIN_S}s"

    after = launched.infos()
    assert restarted(before, after) == {"rasa-0"}, (before, after)
    rows = {r.name: r for r in status(launched.layout.root)}
    assert rows["rasa-0"].restarts == 1 and all(r.restarts == 0 for n, r in rows.items() if n != "rasa-0")
    assert all(r.state == "RUNNING" and r.healthy for r in rows.values()), rows

    # at most the message in flight at the crash failed, per conversation, with a JSON error
    assert all(len(f) <= 1 for f in failed.values()), {s: f for s, f in failed.items() if len(f) > 1}
    assert all(r.status in (502, 503) and "error" in r.body for f in failed.values() for r in f), failed
    assert all(n >= 3 for n in sent.values()), sent
    # every conversation goes on with its history: the profession told first shapes the answer
    for sender in senders:
        reply = say(launched.port, sources[sender], sender, QUESTION)
        assert physio_routes(reply), (sender, reply)
        texts = [e.get("text") for e in conversation_events(launched.layout.postgres_url, sender)
                 if e["event"] == "user"]
        assert texts[0] == INTERESTS and texts[-1] == QUESTION and texts.count(QUESTION) == 1, texts
    launched.remember()


def test_killed_action_server_apologises_then_comes_back(launched):
    me, source = "sup-actions", "127.0.0.5"
    assert say(launched.port, source, me, INTERESTS).custom("recommendations")
    before = launched.infos()
    old_pid = before["actions"]["pid"]
    os.kill(old_pid, signal.SIGKILL)
    assert wait_for(lambda: not listening(launched.layout.action_port), 10) is not None

    down = say(launched.port, source, me, QUESTION)
    assert down.status == 200 and APOLOGY in down.text.lower(), down

    health = f"http://127.0.0.1:{launched.layout.action_port}/health"
    back_in = wait_for(lambda: back_up(launched, "actions", old_pid, health), BACK_WITHIN_S)
    print(f"the action server answered again {back_in} s after SIGKILL")
    assert back_in is not None, f"the action server was not back within {BACK_WITHIN_S}s"
    back = say(launched.port, source, me, QUESTION)
    assert physio_routes(back), back   # the conversation goes on with its context
    assert restarted(before, launched.infos()) == {"actions"}

    out = subprocess.run([sys.executable, "-m", "ops.cluster", "status", "--run-dir",
                          str(launched.layout.root)], cwd=PROJECT_ROOT, capture_output=True,
                         text=True, timeout=60)
    assert out.returncode == 0, out.stdout + out.stderr
    lines = {line.split()[0]: line.split() for line in out.stdout.splitlines()[1:]}
    assert lines["actions"][1] == "RUNNING" and lines["actions"][4] == "1", out.stdout
    assert lines["nginx"][5] == str(launched.port) and lines["nginx"][6] == "ok", out.stdout
    launched.remember()


# --- stopping ------------------------------------------------------------------------------------
SIGNALS = ["SIGTERM", "SIGINT", "SIGKILL supervisord"]


@pytest.fixture(scope="module")
def launched_for_signals(model, tmp_path_factory):
    """A set-up of its own for each signal, started together (one after the other took most
    of a minute)."""
    with started_together(lambda _: Launched(tmp_path_factory.mktemp("signalled") / "run", instances=1),
                          SIGNALS) as launched:
        yield launched


@pytest.mark.parametrize("how", SIGNALS)
def test_every_signal_stops_everything(launched_for_signals, how):
    launched = launched_for_signals[how]
    launched.wait_ready()
    started = launched.remember()
    assert len(started) >= 6 and all(listening(p) for p in launched.ports), launched.text[-2000:]
    signalled = time.monotonic()
    if how == "SIGTERM":           # `kill`, or SIGTERM to `make run-cluster`, which passes it on
        launched.process.send_signal(signal.SIGTERM)
    elif how == "SIGINT":          # Ctrl-C: the terminal signals the foreground process group
        os.killpg(launched.process.pid, signal.SIGINT)
    else:                          # supervisord killed outright: the kernel stops the programs
        launched.process.kill()
    launched.process.wait(timeout=BACK_WITHIN_S)
    left = BACK_WITHIN_S - (time.monotonic() - signalled)
    gone = wait_for(lambda: not launched.leftovers() and not any(listening(p) for p in launched.ports),
                    left)
    assert gone is not None, (launched.leftovers(), [p for p in launched.ports if listening(p)])
    print(f"{how}: everything stopped {time.monotonic() - signalled:.1f} s after the signal")
