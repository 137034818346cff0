"""The rasa-sdk actions as Rasa calls them: a tracker in, messages and slot
events out (tracker fixtures and a CollectingDispatcher, as Rasa's own
reference assistants test theirs)."""
from __future__ import annotations

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

import actions.adapter
from actions.careers import (ActionCompare, ActionListAhps, ActionMyth, ActionProfessionDetail,
                             ActionReturnToPractice, ActionRoutes, ActionUnderstandMe)
from actions.fallback import ActionAskAffirmation


@pytest.fixture(autouse=True)
def test_services(ctx, monkeypatch):
    monkeypatch.setattr(actions.adapter, "services", lambda: ctx)
    monkeypatch.setattr("actions.fallback.services", lambda: ctx)


def tracker(text="", intent="", entities=(), slots=None, ranking=None) -> Tracker:
    return Tracker.from_dict({
        "sender_id": "test", "slots": slots or {}, "events": [], "paused": False,
        "followup_action": None, "active_loop": {}, "latest_action_name": "action_listen",
        "latest_message": {"text": text, "intent": {"name": intent, "confidence": 0.9},
                           "entities": list(entities), "intent_ranking": ranking or []}})


def run(action, t):
    dispatcher = CollectingDispatcher()
    events = action.run(dispatcher, t, {})
    return dispatcher.messages, {e["name"]: e["value"] for e in events if e["event"] == "slot"}


def test_understand_me_sends_recommendations_and_remembers_the_profile():
    messages, slots = run(ActionUnderstandMe(), tracker("I love drama and acting", "tell_about_me"))
    custom = [m["custom"] for m in messages if m.get("custom")]
    assert custom[0]["type"] == "recommendations"
    assert custom[0]["professions"][0]["id"] == "dramatherapist"
    assert slots["recommended"][0] == "dramatherapist"
    assert slots["profile"]["mentions"]
    # response names go to Rasa with the values that fill them
    item = next(m for m in messages if m.get("response") == "utter_recommendation")
    assert item["name"] == "Dramatherapist" and item["rank"] == 1


def said(messages) -> list[str]:
    """What the person is sent, in order: response names, and each payload's type."""
    return [m.get("response") or m["custom"]["type"] for m in messages]


def about(payload: dict) -> tuple:
    """A contract payload reduced to its type, what it is about, and the ids it lists."""
    listed = payload.get("routes") or payload.get("professions") or []
    return payload["type"], payload.get("profession") or payload.get("id"), [x["id"] for x in listed]


PROFESSION = "profession"
NO_PROFILE = {"mentions": [], "signals": {}, "school_year": None, "years_out": None,
              "former_profession": None, "current_role": None}
ROUTES_SAID = ["utter_routes_intro", "utter_route_item", "utter_route_item", "utter_route_item", "routes",
               "utter_routes_tell_me_more", "utter_routes_next", "profession"]


@pytest.mark.parametrize("action, intent, entities, slots, events, sent, payload", [
    (ActionRoutes(), "ask_routes", [{"entity": PROFESSION, "value": "paramedic"}], {},
     [SlotSet(PROFESSION, "paramedic"), SlotSet("asked", "ask_routes")], ROUTES_SAID,
     ("routes", "paramedic", ["degree", "apprenticeship", "support-worker"])),
    (ActionRoutes(), "ask_routes", [], {PROFESSION: "orthoptist"},
     [SlotSet(PROFESSION, "orthoptist"), SlotSet("asked", "ask_routes")], ROUTES_SAID,
     ("routes", "orthoptist", ["degree", "apprenticeship", "support-worker"])),
    (ActionProfessionDetail(), "ask_profession_info", [{"entity": PROFESSION, "value": "podiatrist"}], {},
     [SlotSet(PROFESSION, "podiatrist"), SlotSet("asked", "ask_profession_info")],
     ["utter_profession_summary", "profession", "utter_profession_next"], ("profession", "podiatrist", [])),
    (ActionCompare(), "compare_professions", [{"entity": PROFESSION, "value": "dietitian"},
                                              {"entity": PROFESSION, "value": "paramedic"}], {},
     [SlotSet(PROFESSION, "dietitian"), SlotSet("recommended", ["dietitian", "paramedic"]), SlotSet("asked", None)],
     ["utter_compare_intro", "utter_compare_item", "utter_compare_item", "comparison", "profession", "profession",
      "utter_compare_next"],
     ("comparison", None, ["dietitian", "paramedic"])),
    (ActionReturnToPractice(), "ask_return_to_practice", [], {PROFESSION: "dietitian"},
     [SlotSet(PROFESSION, "dietitian"), SlotSet("profile", NO_PROFILE), SlotSet("asked", None)],
     ["utter_rtp_intro", "utter_rtp_ask_years", "utter_rtp_figures", "routes", "resources", "utter_rtp_next"],
     ("routes", "dietitian", ["return-to-practice"])),
    (ActionListAhps(), "ask_what_are_ahps", [], {}, [SlotSet("asked", None)],
     ["utter_ahps", "profession_list", "utter_ahps_next"],
     ("profession_list", None, ["physiotherapist", "occupational-therapist", "speech-and-language-therapist",
                                "diagnostic-radiographer", "therapeutic-radiographer", "dietitian",
                                "podiatrist", "orthoptist", "prosthetist-orthotist",
                                "operating-department-practitioner", "paramedic", "osteopath",
                                "art-therapist", "dramatherapist", "music-therapist", "ahp-support-worker",
                                "assistant-practitioner"])),
])
def test_each_action_sends_its_contract_payload_and_sets_its_slots(action, intent, entities, slots, events,
                                                                   sent, payload):
    dispatcher = CollectingDispatcher()
    assert action.run(dispatcher, tracker("", intent, entities, slots), {}) == events
    assert said(dispatcher.messages) == sent
    [shown] = [m["custom"] for m in dispatcher.messages if m.get("custom", {}).get("type") == payload[0]]
    assert about(shown) == payload


def test_the_myths_action_sends_each_myth_as_text_and_payload(kb):
    dispatcher = CollectingDispatcher()
    assert ActionMyth().run(dispatcher, tracker("", "ask_rtp_myth"), {}) == [SlotSet("asked", None)]
    myths = kb.myths()
    assert said(dispatcher.messages) == ["utter_myths_intro", *["utter_myth", "myth"] * len(myths),
                                         "utter_rtp_next"]
    texts = [(m["myth"], m["fact"]) for m in dispatcher.messages if m.get("response") == "utter_myth"]
    payloads = [m["custom"] for m in dispatcher.messages if m.get("custom")]
    assert texts == [(p["myth"], p["fact"]) for p in payloads] == [(m.myth, m.fact) for m in myths]
    assert [p["id"] for p in payloads] == [m.id for m in myths]


def test_routes_use_the_remembered_profession_and_circumstances():
    profile = {"mentions": [], "signals": {"needs-to-earn": "need to earn"}}
    messages, slots = run(ActionRoutes(), tracker("how do I get in", "ask_routes",
                                                  slots={"profession": "physiotherapist",
                                                         "profile": profile}))
    [routes] = [m["custom"] for m in messages if m.get("custom", {}).get("type") == "routes"]
    assert routes["profession"] == "physiotherapist"
    assert [r["id"] for r in routes["routes"]] == ["apprenticeship", "support-worker"]
    assert slots == {"profession": "physiotherapist", "asked": "ask_routes"}   # for "and for OT?"


def test_did_you_mean_offers_the_likeliest_intents_and_a_way_out():
    ranking = [{"name": "nlu_fallback", "confidence": 0.4}, {"name": "ask_pay", "confidence": 0.3},
               {"name": "greet", "confidence": 0.2}, {"name": "ask_routes", "confidence": 0.1}]
    messages, _ = run(ActionAskAffirmation(), tracker("salry?", "nlu_fallback", ranking=ranking))
    [message] = messages
    assert message["response"] == "utter_did_you_mean"
    payloads = [b["payload"] for b in message["buttons"]]
    # greet is not offered: only intents with a label worth a button
    assert payloads == ["/ask_pay", "/ask_routes", "/find_career", "/deny"]


def test_a_new_session_carries_each_slot_over_once_and_marks_a_length_split():
    from actions.session import ActionSessionStart
    t = Tracker.from_dict({
        "sender_id": "test", "events": [], "paused": False, "followup_action": None,
        "active_loop": {}, "latest_action_name": "action_listen",
        "slots": {"profile": {"signals": {"has-degree": "i have a degree"}}, "profession": "dietitian",
                  "recommended": None, "session_started_metadata": {"x": 1}},
        "latest_message": {"text": "/session_start", "intent": {"name": "session_start"},
                           "metadata": {"ahp_session_split": "length"}}})
    events = ActionSessionStart().run(CollectingDispatcher(), t, {})
    assert events[0] == {"event": "session_started", "timestamp": None,
                         "metadata": {"ahp_session_split": "length"}}
    assert {e["name"]: e["value"] for e in events if e["event"] == "slot"} == {
        "profile": {"signals": {"has-degree": "i have a degree"}}, "profession": "dietitian"}
    assert events[-1]["event"] == "action" and events[-1]["name"] == "action_listen"


def test_the_turn_counter_starts_a_session_every_n_messages_and_forgets_old_senders():
    from bot.session import TurnCounter
    counter = TurnCounter(turns=3, senders=2)
    assert [counter.due("a") for _ in range(7)] == [False, False, False, True, False, False, True]
    counter.due("b"), counter.due("c")          # "a" is the oldest of three: forgotten
    assert "a" not in counter._counts and TurnCounter(turns=0).due("x") is False
