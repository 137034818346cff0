"""The questions careers advisers hear every day (issue: answers with a source and a
date) get a specific answer through the webhook, whichever way they are asked.

Each question is asked in two wordings of our own; the reply must carry the
knowledge record that answers it (the `answer` payload names it, and the record
names its source) and say the fact itself, not a general signpost."""
from __future__ import annotations

import uuid

import pytest

from tests.assistant.conftest import custom, texts

pytestmark = pytest.mark.slow

QUESTIONS = [
    # (wording, the answer record it needs, words the reply must say)
    ("do i need a driving licence to be a paramedic", "paramedic-driving", ["licence"]),
    ("paramedics have to be able to drive ambulances right? what licence", "paramedic-driving",
     ["licence"]),
    ("is a dietitian the same thing as a nutritionist", "dietitian-or-nutritionist", ["protected"]),
    ("whats the difference between dietitians and nutritionists", "dietitian-or-nutritionist",
     ["protected"]),
    ("what's the difference between a prosthetist and an orthotist", "prosthetist-or-orthotist",
     ["orthos"]),
    ("prosthetist vs orthotist, are they different jobs?", "prosthetist-or-orthotist", ["orthos"]),
    ("do radiographers only do x-rays", "radiographers-more-than-x-rays", ["mri"]),
    ("is radiography just taking xrays all day", "radiographers-more-than-x-rays", ["mri"]),
    ("is there any money while i study", "learning-support-fund", ["£5,000"]),
    ("how would i afford to live while doing a physio degree", "learning-support-fund", ["£5,000"]),
    ("who pays for return to practice", "rtp-money", ["£"]),
    ("will it cost me anything to get back on the register as a returning OT", "rtp-money", ["£"]),
    ("who can supervise me when i return to practice", "rtp-supervisor", ["supervis"]),
    ("I'm coming back to physio after years off, who's allowed to be my supervisor",
     "rtp-supervisor", ["supervis"]),
]


@pytest.mark.parametrize("text,answer,says", QUESTIONS, ids=[q[0][:40] for q in QUESTIONS])
def test_everyday_question_gets_its_sourced_answer(client, text, answer, says):
    messages = client.say(f"everyday-{uuid.uuid4().hex[:8]}", text)
    got = [p["id"] for p in custom(messages, "answer")]
    assert answer in got, (text, got, texts(messages))
    reply = texts(messages).lower()
    assert all(word.lower() in reply for word in says), reply
    assert not custom(messages, "safeguarding")


@pytest.mark.parametrize("text", ["when is AHPs Day", "what date is allied health professions day this year"])
def test_ahps_day_is_given_with_its_date(client, text):
    reply = texts(client.say(f"dates-{uuid.uuid4().hex[:8]}", text))
    assert "AHPs Day" in reply and "14 October" in reply, reply


@pytest.mark.parametrize("text", ["what band does a physio start on",
                                  "how much do newly qualified physiotherapists get paid"])
def test_a_professions_starting_band_is_given(client, text):
    messages = client.say(f"band-{uuid.uuid4().hex[:8]}", text)
    assert [p["id"] for p in custom(messages, "profession")] == ["physiotherapist"], messages
    assert "band 5" in texts(messages).lower()
