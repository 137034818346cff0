"""The REST webhook's own behaviour under a burst: a few messages worked on at a
time, the others waiting their turn, every one answered (bot/channels/rest.py)."""
from __future__ import annotations

import asyncio
import json
from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace

import pytest

from bot.channels.rest import RestChannel


def burst(messages_at_once: int, senders: int) -> tuple[int, list]:
    """`senders` people send at the same moment; the assistant takes 20 ms a message.
    The most messages worked on at once, and the replies."""
    working = most = 0

    async def assistant(message):
        nonlocal working, most
        working += 1
        most = max(most, working)
        await asyncio.sleep(0.02)
        message.output_channel.messages.append({"recipient_id": message.sender_id, "text": "ok " + message.text})
        working -= 1

    blueprint = RestChannel(session_turns=0, messages_at_once=messages_at_once).blueprint(assistant)
    receive = next(r.handler for r in blueprint._future_routes if r.uri == "/webhook")

    async def everyone():
        return await asyncio.gather(
            *(receive(SimpleNamespace(json={"sender": f"s{i}", "message": f"hi {i}"})) for i in range(senders)))

    # in a thread of its own: a test of another suite may have left an event loop running here
    with ThreadPoolExecutor(1) as pool:
        replies = pool.submit(asyncio.run, everyone()).result()
    return most, [json.loads(r.body) for r in replies]


@pytest.mark.parametrize("limit, expected", [(1, 1), (3, 3), (0, 8)])
def test_a_burst_is_worked_on_a_few_at_a_time_and_everyone_is_answered(limit, expected):
    most, replies = burst(limit, senders=8)
    assert most == expected
    assert [r[0]["text"] for r in replies] == [f"ok hi {i}" for i in range(8)]
