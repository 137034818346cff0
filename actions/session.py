"""A new session carries over what the conversation knows, once.

Rasa's own action_session_start copies every SlotSet event of the old session,
so each new session starts with all the old one's slot events and a long
conversation gets no shorter. This one sets each slot once, to its value now.
A session the REST channel starts because the conversation grew long (not
because the person came back) is marked, so the impact report does not count
it as a returning visitor (bot/channels/rest.py, bot/report/figures.py)."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.session import SPLIT_METADATA

NOT_CARRIED = ("session_started_metadata",)


class ActionSessionStart(Action):
    def name(self) -> str:
        return "action_session_start"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict):
        started = SessionStarted()
        metadata = (tracker.latest_message or {}).get("metadata") or {}
        if metadata.get(SPLIT_METADATA):
            started["metadata"] = {SPLIT_METADATA: metadata[SPLIT_METADATA]}
        carried = [
            SlotSet(name, value)
            for name, value in tracker.slots.items()
            if value is not None and name not in NOT_CARRIED
        ]
        return [started, *carried, ActionExecuted("action_listen")]
