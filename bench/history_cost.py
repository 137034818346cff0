"""Where the cost of a long session goes: Rasa's per-message work on one tracker
at growing lengths, in process, from a conversation store that
bench/long_conversation.py left (it prints the path; run it with
`--session-turns 0` for one unbroken session).

Times, at turns 25, 150 and 275: rebuilding the tracker from its stored events
(what a tracker store load does; bot/tracker_store.py keeps the tracker instead),
the full tracker state Rasa 3.6 sends the action server by default (with
EventVerbosity.ALL) against the eventless one bot/rasa_patches.py sends,
`applied_events()` and `past_states()` (the history the memoization and rule
policies featurise for every prediction, several a message).

    .venv/bin/python bench/history_cost.py /tmp/ahp-long-XXXX/conversations.db
"""

from __future__ import annotations

import json
import sqlite3
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TURNS = (25, 150, 275)


def timed(f, n: int = 5) -> float:
    started = time.perf_counter()
    for _ in range(n):
        f()
    return (time.perf_counter() - started) / n * 1000


def main(argv: list[str]) -> int:
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity

    domain = Domain.load(str(ROOT / "domain.yml"))
    with sqlite3.connect(argv[0]) as db:  # the longest one-session conversation in the store
        [sender] = db.execute(
            "SELECT sender_id FROM events GROUP BY sender_id HAVING "
            "SUM(type_name = 'session_started') = 1 "
            "ORDER BY COUNT(*) DESC LIMIT 1"
        ).fetchone()
        events = [
            json.loads(data)
            for (data,) in db.execute("SELECT data FROM events WHERE sender_id = ? ORDER BY id", (sender,))
        ]
    users = [i for i, e in enumerate(events) if e["event"] == "user"]

    def costs(part: list[dict]) -> list[float]:
        tracker = DialogueStateTracker.from_dict(sender, part, domain.slots)
        return [
            timed(lambda: DialogueStateTracker.from_dict(sender, part, domain.slots)),
            timed(lambda: json.dumps(tracker.current_state(EventVerbosity.ALL))),
            timed(lambda: json.dumps(tracker.current_state(EventVerbosity.NONE))),
            timed(tracker.applied_events),
            timed(lambda: tracker.past_states(domain)),
        ]

    print("turn  events  rebuild  state_ALL+json  state_NONE+json  applied_events  past_states  (ms)")
    for turn in (t for t in TURNS if t < len(users)):
        part = events[: users[turn]]
        row = costs(part)
        print(f"{turn:4} {len(part):7} " + " ".join(f"{v:{w}.2f}" for v, w in zip(row, (8, 15, 16, 15, 12))))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
