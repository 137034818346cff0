"""Tracker -> Turn, Reply -> dispatcher messages and slot events."""

from __future__ import annotations

from abc import ABCMeta, abstractmethod
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.dialogue import Reply, Services, Turn, services
from bot.dialogue.respond import respond
from bot.matching.reading import Reading

READING = "reading"  # the parse data key bot.nlu.components.MessageReader writes
CAREER_RANKING = "career_ranking"  # ... and the one SafeguardingClassifier writes


def turn_from(tracker: Tracker) -> Turn:
    message = tracker.latest_message or {}
    return Turn(
        text=message.get("text") or "",
        intent=(message.get("intent") or {}).get("name") or "",
        entities=list(message.get("entities") or []),
        profile=tracker.get_slot("profile"),
        profession=tracker.get_slot("profession"),
        recommended=list(tracker.get_slot("recommended") or []),
        route=tracker.get_slot("route"),
        asked=tracker.get_slot("asked"),
        reading=Reading.from_dict(message[READING]) if message.get(READING) else None,
        # for a message at risk, the intents of its career part
        ranking=list(message.get(CAREER_RANKING) or message.get("intent_ranking") or []),
    )


def dispatch(reply: Reply, dispatcher: CollectingDispatcher) -> list[dict[str, Any]]:
    for message in reply.messages:
        if "custom" in message:
            dispatcher.utter_message(json_message=message["custom"])
        else:
            dispatcher.utter_message(
                response=message["response"], buttons=message.get("buttons") or [], **message["values"]
            )
    return [SlotSet(name, value) for name, value in reply.slots.items()]


class DialogueAction(Action, metaclass=ABCMeta):
    """An action that hands the turn to one bot.dialogue function."""

    action_name: str

    def name(self) -> str:
        return self.action_name

    @staticmethod
    @abstractmethod
    def handle(ctx: Services, turn: Turn) -> Reply: ...

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict):
        return dispatch(respond(services(), turn_from(tracker), self.handle), dispatcher)
