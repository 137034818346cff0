"""The first stage of the two-stage fallback: "did you mean" with the likeliest
intents as buttons, instead of Rasa's single yes/no question."""

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.dialogue import services
from bot.dialogue.reply import button

OFFERED = 3


class ActionAskAffirmation(Action):
    def name(self) -> str:
        return "action_default_ask_affirmation"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict):
        labels = services().intent_labels
        ranking = (tracker.latest_message or {}).get("intent_ranking") or []
        likely = [r["name"] for r in ranking if r.get("name") in labels][:OFFERED]
        for fallback in ("find_career", "ask_routes", "human_handoff"):
            if len(likely) >= OFFERED:
                break
            if fallback not in likely:
                likely.append(fallback)
        buttons = [button(labels[name], name) for name in likely]
        buttons.append({"title": services().labels["something_else"], "payload": "/deny"})
        dispatcher.utter_message(response="utter_did_you_mean", buttons=buttons)
        return []
