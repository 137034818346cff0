"""One client sending far too fast is told to slow down (429) by nginx's per-client
limit, while every other person's message still gets its reply. Each client
here has its own loopback address (127.0.0.x), as people have their own addresses."""
from __future__ import annotations

import http.client
import json
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

from ops.direct import start_program
from ops.layout import nginx_program, write_nginx
from ops.processes import free_port, stop_group

RATE = 2            # messages a second per address, as make run-cluster sets by default
PEOPLE = 20
TURNS = 4
PAUSE = 1.0         # seconds between one person's messages
FLOODERS = 2       # connections the one fast client keeps busy, back to back
TURN_TEXTS = ("hi", "I love football and helping people", "how do I become a physio?", "thanks")


def send(port: int, source: str, sender: str, text: str) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60, source_address=(source, 0))
    try:
        connection.request("POST", "/webhooks/rest/webhook",
                           body=json.dumps({"sender": sender, "message": text}),
                           headers={"Content-Type": "application/json"})
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def test_a_client_far_above_the_limit_gets_429s_while_others_go_on(cluster, tmp_path):
    port = free_port()
    write_nginx(tmp_path / "nginx", port, cluster.rasa_ports, rate_per_client=RATE)
    limited = start_program(nginx_program(tmp_path / "nginx", port), tmp_path)
    stop = threading.Event()
    flood: list[int] = []

    def flooder(n: int) -> None:
        sender = f"flood-{n}-{uuid.uuid4().hex[:6]}"
        while not stop.is_set():
            flood.append(send(port, "127.0.0.2", sender, "physio"))

    def person(i: int) -> list[int]:
        sender = uuid.uuid4().hex
        time.sleep(PAUSE * i / PEOPLE)   # people arrive over a second, not all at one instant
        replies = []
        for text in TURN_TEXTS[:TURNS]:
            replies.append(send(port, f"127.0.0.{10 + i}", sender, text))
            time.sleep(PAUSE)
        return replies

    with ThreadPoolExecutor(PEOPLE) as warming:   # a service that has been up a while: warm
        list(warming.map(lambda i: [send(cluster.layout.proxy_port, "127.0.0.1", f"warm-{i}", text)
                                    for text in TURN_TEXTS[:2]], range(PEOPLE)))
    try:
        with ThreadPoolExecutor(FLOODERS) as flooding:
            for n in range(FLOODERS):
                flooding.submit(flooder, n)
            time.sleep(1)
            with ThreadPoolExecutor(PEOPLE) as people:
                replies = [r for found in people.map(person, range(PEOPLE)) for r in found]
            stop.set()
    finally:
        stop.set()
        stop_group(limited)

    # (how fast the others' replies come is a figure for a benchmark on a quiet machine, not
    # a pass mark here: on the 2-core test machine their p95 was under 0.3 s alone, 0.39 s once in
    # the whole suite)
    assert flood.count(429) > len(flood) // 2, f"the flood was not limited: {len(flood)} sent"
    assert len(replies) == PEOPLE * TURNS
    assert all(status == 200 for status in replies), [s for s in replies if s != 200]
