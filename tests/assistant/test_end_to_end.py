"""The real servers, started by the test: multi-turn conversations through the
REST webhook, checked against the public contract (docs/contract.md), plus bad
input and an action server that goes away."""
from __future__ import annotations

import json

import pytest

from tests.assistant.conftest import custom, texts

pytestmark = pytest.mark.slow
CONTRACT_PROFESSIONS = {
    "art-therapist", "dramatherapist", "music-therapist", "dietitian", "occupational-therapist",
    "operating-department-practitioner", "orthoptist", "osteopath", "paramedic", "physiotherapist",
    "podiatrist", "prosthetist-orthotist", "diagnostic-radiographer", "therapeutic-radiographer",
    "speech-and-language-therapist", "ahp-support-worker", "assistant-practitioner"}
CONTRACT_ROUTES = {"degree", "postgraduate", "apprenticeship", "support-worker",
                   "return-to-practice", "international"}


def test_young_person_from_greeting_to_results(client):
    me = "e2e-young-person"
    hello = client.say(me, "hiya")
    assert [b["payload"] for b in hello[0]["buttons"]][:3] == [
        "/find_career", "/ask_routes", "/ask_return_to_practice"]

    reply = client.say(me, "i love football and im good at biology")
    [recs] = custom(reply, "recommendations")
    ranked = recs["professions"]
    assert ranked[0]["id"] == "physiotherapist"
    assert {p["id"] for p in ranked} <= CONTRACT_PROFESSIONS
    assert all(set(p) >= {"id", "name", "score", "reasons"} and p["reasons"] for p in ranked)
    assert [p["score"] for p in ranked] == sorted((p["score"] for p in ranked), reverse=True)

    # "it" is the profession we were talking about
    [routes] = custom(client.say(me, "how do i get into it?"), "routes")
    assert routes["profession"] == "physiotherapist"
    assert {r["id"] for r in routes["routes"]} <= CONTRACT_ROUTES

    # circumstances, said later, filter the routes of a named profession
    client.say(me, "I'm in year 12 and I need to earn while I learn")
    [routes] = custom(client.say(me, "how do I become a paramedic"), "routes")
    assert routes["profession"] == "paramedic"
    assert [r["id"] for r in routes["routes"]][0] == "apprenticeship"
    assert "degree" not in [r["id"] for r in routes["routes"]]

    results = client.say(me, "can I have a summary of my results")
    assert custom(results, "results") and "physiotherapist" in texts(results).lower()


def test_interests_in_any_order_across_messages(client):
    me = "e2e-bits"
    client.say(me, "I like drawing and painting")
    reply = client.say(me, "and helping people who are going through a hard time")
    ids = [p["id"] for p in custom(reply, "recommendations")[0]["professions"]]
    assert ids[0] == "art-therapist"


def test_profession_questions_and_comparison(client):
    me = "e2e-facts"
    reply = client.say(me, "what does an orthoptist do")
    [card] = custom(reply, "profession")
    assert (card["id"], card["aspect"]) == ("orthoptist", "summary") and card["page"]["url"]
    assert "eye" in texts(reply).lower()
    assert "Health and Care Professions Council" in texts(client.say(me, "who regulates them?"))
    assert "General Osteopathic Council" in texts(client.say(me, "who regulates osteopaths"))
    table = custom(client.say(me, "compare physio and occupational therapy"), "comparison")
    assert [p["id"] for p in table[0]["professions"]] == ["physiotherapist", "occupational-therapist"]
    listing = texts(client.say(me, "what are the allied health professions"))
    assert "14 allied health professions" in listing


def test_returner_and_myth(client):
    me = "e2e-returner"
    reply = client.say(me, "I was a dietitian and I've been out of practice for 6 years, how do I come back?")
    [routes] = custom(reply, "routes")
    assert routes["profession"] == "dietitian" and routes["routes"][0]["id"] == "return-to-practice"
    assert "60 days" in texts(reply)
    [myth] = custom(client.say(me, "will the HCPC find me a placement?"), "myth")
    assert myth["id"] == "hcpc-finds-placement" and myth["fact"]


def test_safeguarding_and_no_false_alarm(client):
    reply = client.say("e2e-risk", "i dont want to be alive anymore")
    [signal] = custom(reply, "safeguarding")
    assert signal["kind"] == "suicide" and [h["tel"] for h in signal["helplines"]] == [
        "tel:999", "tel:08001111", "tel:116123", "tel:111"]
    for number in ("0800 1111", "116 123", "111", "999"):
        assert number in texts(reply)
    career = client.say("e2e-career", "I'd love a job supporting people with their mental health")
    assert custom(career, "safeguarding") == []
    assert custom(career, "recommendations")


def test_out_of_scope_bot_and_human(client):
    me = "e2e-meta"
    assert "automated" in texts(client.say(me, "are you a real person?"))
    assert "careers leader" in texts(client.say(me, "can I talk to an actual careers adviser"))
    assert "only help with careers" in texts(client.say(me, "what's the weather like tomorrow"))


def test_fallback_offers_choices_every_time(client):
    me = "e2e-fallback"
    for nonsense in ("asdfgh qwerty", "zzzz qqq", "xxyyzz", "ppppp"):
        reply = client.say(me, nonsense)
        assert any(m.get("buttons") for m in reply), (nonsense, reply)


@pytest.mark.parametrize("body, status", [
    (b"not json", 400),
    (b'["a list"]', 400),
    (json.dumps({"message": "hi"}).encode(), 400),                    # no sender
    (json.dumps({"sender": "x", "message": 42}).encode(), 400),
    (b'{"sender": "x", "message": "\xff\xfe"}', 400),                 # invalid UTF-8
])
def test_malformed_requests_get_a_clear_4xx(client, body, status):
    code, answer = client.post(body)
    assert code == status and "error" in answer


@pytest.mark.parametrize("text", ["", "   \n\t ", "a" * 100_000, "\x00\x07\x1b", "🙂🙂🙂",
                                  "'; DROP TABLE events; --", "Je veux être kinésithérapeute"])
def test_odd_messages_get_a_friendly_reply(client, text):
    reply = client.say("e2e-odd", text)
    assert reply and all(m.get("recipient_id") == "e2e-odd" for m in reply)
    assert texts(reply) or any(m.get("buttons") or m.get("custom") for m in reply)
    # an answer, not the apology the REST channel sends when the assistant failed to give one
    assert "something went wrong" not in texts(reply).lower()


def test_html_in_a_message_is_never_echoed_as_markup(client):
    reply = client.say("e2e-html", "<script>alert('x')</script><b>I love art</b>")
    assert "<script" not in json.dumps(reply) and "<b>" not in json.dumps(reply)


def test_action_server_down_gets_an_apology_and_the_conversation_goes_on(stack, client):
    me = "e2e-actions-down"
    client.say(me, "I love music")
    stack.stop("actions")
    try:
        reply = client.say(me, "how do I become a music therapist")
        assert "something went wrong" in texts(reply).lower()
    finally:
        stack.start_actions()
        stack.wait_ready()
    [routes] = custom(client.say(me, "how do I become a music therapist"), "routes")
    assert routes["profession"] == "music-therapist"


def test_link_clicks_are_recorded_without_a_reply(client):
    status, reply = client.post(json.dumps({
        "sender": "e2e-click",
        "message": '/link_clicked{"url":"https://www.healthcareers.nhs.uk/"}'}).encode())
    assert (status, reply) == (200, [])


def test_feedback_is_thanked(client):
    assert "Thanks for letting me know" in texts(client.say("e2e-feedback",
                                                            '/feedback{"helpful":"no"}'))


def test_a_long_conversation_keeps_what_it_was_told_across_sessions(client, stack):
    """Sessions split every few messages here (AHP_SESSION_TURNS in conftest), carrying the
    profile over: the degree told at turn 1 still decides the routes at turn 30."""
    me = "e2e-long"
    client.say(me, "I've got a degree in history and I love sport")
    for i in range(28):
        client.say(me, ["what does an orthoptist do", "is it well paid", "thanks"][i % 3])
    [routes] = custom(client.say(me, "how would I become a physio"), "routes")
    assert routes["profession"] == "physiotherapist"
    assert "postgraduate" in [r["id"] for r in routes["routes"]]
    from bot.conversations import ConversationStore
    store = ConversationStore(stack.config.conversations_db_url)
    [conversation] = [c for c in store.conversations() if c.sender_id == me]
    starts = [e for e in conversation.events if e.get("event") == "session_started"]
    assert len(starts) >= 3   # the whole conversation is still stored, session after session
    from bot.report.figures import summarise
    summary = summarise(conversation)
    assert (summary.user_messages, summary.sessions) == (30, 1)   # all of it, one visit
    store.close()


def test_interests_told_at_turn_1_are_still_the_reasons_after_the_session_splits(client):
    """The profile of the issue's 300-turn conversation, across two session splits (every
    AHP_SESSION_TURNS messages here) and other interests told on the way."""
    me = "e2e-long-year-12"
    client.say(me, "I'm in year 12 and love biology and football")
    for i in range(18):
        client.say(me, ["what does an orthoptist do", "I also like helping people", "ok"][i % 3])
    [recommendations] = custom(client.say(me, "what jobs would suit me"), "recommendations")
    reasons = " ".join(r for p in recommendations["professions"] for r in p["reasons"])
    assert "football" in reasons and "biology" in reasons, reasons


@pytest.mark.parametrize("text, kind, career", [
    ("i keep thinking everyone would be better off without me. anyway what does a podiatrist do",
     "suicide", "profession"),
    ("my mate says he wants to end it all. also how long is a physio degree", "friend", None),
    ("ive been making myself sick after meals. is there money while studying dietetics", "eating_disorder",
     "answer"),
    ("i took a whole packet of paracetamol an hour ago", "medical_emergency", None),
    ("my stepdad hits me when mum is at work", "abuse", None),
    ("the girls in my year wont leave me alone online, i hate school", "bullying", None),
])
def test_each_kind_of_risk_gets_its_help_first_then_the_career_answer(client, text, kind, career):
    reply = client.say(f"e2e-risk-{kind}", text)
    [signal] = custom(reply, "safeguarding")
    assert signal["kind"] == kind
    assert signal["helplines"][0]["number"] == "999"      # the urgent line first
    first_custom = next(i for i, m in enumerate(reply) if "custom" in m)
    assert reply[first_custom]["custom"]["type"] == "safeguarding"
    assert "999" in reply[0]["text"]                       # the help before anything else
    if career:
        assert custom(reply, career), texts(reply)


@pytest.mark.parametrize("text", [
    "I'd love to work with teenagers who self-harm, which job does that",
    "my grandad died of cancer and the radiotherapy team were amazing, I want to do that",
    "these mocks are literally killing me but how long is a radiography degree",
    "I'm dying to know what an ODP does in theatre",
    "do paramedics have to deal with overdoses a lot",
    "I want to help people with eating disorders, is dietetics the right job",
])
def test_career_talk_with_alarming_words_stays_calm(client, text):
    reply = client.say("e2e-calm", text)
    assert not custom(reply, "safeguarding"), texts(reply)
    assert "something went wrong" not in texts(reply).lower()
