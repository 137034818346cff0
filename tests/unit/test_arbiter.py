"""A greeting or thanks that also tells the assistant something, or a long story
DIET can't place, is answered for what it says (bot/nlu/arbiter.py)."""
from __future__ import annotations

import pytest

from bot.nlu.arbiter import choose


def ranked(*pairs):
    return [{"name": n, "confidence": c} for n, c in pairs]


@pytest.mark.parametrize("text, ranking, expected", [
    # a greeting that goes on to say what they love
    ("hiya! i'm in year 9 and i'm obsessed with netball", ranked(("greet", 0.8), ("tell_about_me", 0.1)),
     "tell_about_me"),
    # thanks, then a question: the question's intent
    ("thanks! and how would i become a paramedic", ranked(("thank", 0.6), ("ask_routes", 0.3)), "ask_routes"),
    # a long story DIET is unsure of, full of interests
    ("so basically i spend every weekend at the skate park and i help my nan with her garden",
     ranked(("out_of_scope", 0.3), ("tell_about_me", 0.25)), "tell_about_me"),
    # small talk DIET is sure of stays small talk, whatever a word in it might mean
    ("talk later then", ranked(("goodbye", 0.95),), None),
    # out of scope with a topic word is still out of scope
    ("got a good recipe for lasagne", ranked(("out_of_scope", 0.5), ("tell_about_me", 0.3)), None),
    # nothing to read: DIET stands
    ("hello there friend", ranked(("greet", 0.9),), None),
    ("thanks", ranked(("thank", 0.9),), None),
    # "telling about me" with nothing about them, but a job named: the job question
    ("what does a podiatrist actually do", ranked(("tell_about_me", 0.5), ("ask_profession_info", 0.3)),
     "ask_profession_info"),
    # DIET is sure of a careers intent: it stands
    ("what does a paramedic do all day", ranked(("ask_profession_info", 0.9),), None),
    # "what are the AHPs" words around one named job: a question about that job
    ("so what is an orthoptist in the ahp world", ranked(("ask_what_are_ahps", 0.95),), "ask_profession_info"),
    ("what are the allied health professions", ranked(("ask_what_are_ahps", 0.95),), None),
])
def test_what_the_message_says_decides_when_diet_cannot(matcher, text, ranking, expected):
    found = choose(ranking, matcher.understand.read(text), text)
    assert (found or {}).get("name") == expected


@pytest.mark.parametrize("text, expected", [
    ("will the HCPC find me a placement?", "ask_rtp_myth"),
    ("is there a grant or bursary for students", "ask_money"),
    ("what about work experience or shadowing someone", "ask_next_steps"),
    ("the weather is nice today", None),
])
def test_an_unsure_question_is_placed_by_the_knowledge_base_s_own_words(matcher, kb, text, expected):
    from bot.nlu.arbiter import knowledge_intent
    unsure = ranked(("ask_regulator", 0.2), ("ask_rtp_myth", 0.1))
    found = choose(unsure, matcher.understand.read(text), text, knowledge_intent(kb, matcher.normaliser))
    assert (found or {}).get("name") == expected
