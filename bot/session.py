"""Long conversations in bounded sessions.

Rasa loads a conversation's events of the current session on every message and
sends them to the action server, so one long session costs more with every
turn. After SESSION_TURNS messages the REST channel starts a new session
(Rasa's `/session_start`), which carries the slots over once (actions/session.py):
nothing the person said is lost, and the impact report still reads every
session of the conversation.
"""

from __future__ import annotations

from collections import OrderedDict

SPLIT_METADATA = "ahp_session_split"  # in the /session_start message and its SessionStarted
LENGTH = "length"


class TurnCounter:
    """Messages per sender since their session began, for the senders seen lately.

    Kept in memory: it only decides when to start the next session, so losing it on a
    restart (or another instance taking a conversation over) only delays that."""

    def __init__(self, turns: int, senders: int = 10_000):
        self.turns, self.senders = turns, senders
        self._counts: OrderedDict[str, int] = OrderedDict()

    def due(self, sender: str) -> bool:
        """Count one message from `sender`; True when a new session should start first."""
        count = self._counts.pop(sender, 0) + 1
        split = self.turns > 0 and count > self.turns
        self._counts[sender] = 1 if split else count
        while len(self._counts) > self.senders:
            self._counts.popitem(last=False)
        return split
