"""Generated conversations for the impact report's tests and benchmark.

Each conversation is first a plain `Spec` (who, what was recommended, asked,
shown, clicked...), then written to a conversation store as the events Rasa
would store for it, serialised by Rasa's own event classes. Tests compare the
report's figures with counts computed from the specs alone.
"""
from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone

from rasa.shared.core.events import (ActionExecuted, BotUttered, SessionStarted, SlotSet,
                                     UserUttered)
from sqlalchemy import insert

from bot.conversations import ConversationStore, events

PROFESSIONS = ["physiotherapist", "paramedic", "podiatrist", "orthoptist", "dietitian",
               "occupational-therapist", "art-therapist", "therapeutic-radiographer",
               "diagnostic-radiographer", "speech-and-language-therapist"]
ROUTES = ["degree", "apprenticeship", "postgraduate", "support-worker", "return-to-practice"]
URLS = [f"https://www.healthcareers.nhs.uk/page-{i}" for i in range(6)]
AUDIENCES = {  # the profile signals that say who is asking
    "young-people": {"at-school": "year 11"}, "parents-carers": {"asker-parent": "my son"},
    "career-changers": {"career-changer": "career change"},
    "returners": {"former-registrant": "I was registered"}, "not-said": {}}


@dataclass
class Spec:
    sender_id: str
    day: date
    returning: bool
    audience: str
    recommended: list[str] = field(default_factory=list)
    asked: list[str] = field(default_factory=list)
    routes: list[str] = field(default_factory=list)
    shown: list[str] = field(default_factory=list)
    clicked: list[str] = field(default_factory=list)
    rtp_questions: int = 0
    fallbacks: int = 0
    out_of_scope: int = 0
    other_messages: int = 1
    safeguarding: int = 0
    feedback: str | None = None

    @property
    def user_messages(self) -> int:
        return (self.other_messages + self.rtp_questions + self.fallbacks + self.out_of_scope
                + len(self.clicked) + (self.feedback is not None) + bool(self.recommended)
                + bool(self.asked) + self.safeguarding + self.returning)


def make_specs(n: int, start: date, days: int, seed: int = 7) -> list[Spec]:
    rng = random.Random(seed)
    specs = []
    for i in range(n):
        returning = rng.random() < 0.15
        # a returning visit comes three days later: keep it inside the period
        day = start + timedelta(days=rng.randrange(max(1, days - 3) if returning else days))
        s = Spec(f"gen-{i:06d}", day, returning, rng.choice(list(AUDIENCES)))
        if rng.random() < 0.8:
            s.recommended = rng.sample(PROFESSIONS, 3)
        if rng.random() < 0.5:
            s.asked = rng.sample(PROFESSIONS, rng.randint(1, 2))
            s.routes = rng.sample(ROUTES, rng.randint(1, 3))
        if rng.random() < 0.6:
            s.shown = rng.sample(URLS, 3)
            s.clicked = rng.sample(s.shown, rng.randint(0, 2))
        s.rtp_questions = rng.choice([0, 0, 0, 1, 2]) if s.audience == "returners" else 0
        s.fallbacks = rng.choice([0, 0, 0, 1])
        s.out_of_scope = rng.choice([0, 0, 0, 0, 1])
        s.other_messages = rng.randint(1, 4)
        s.safeguarding = 1 if rng.random() < 0.01 else 0
        s.feedback = rng.choice([None, None, "yes", "yes", "no"])
        specs.append(s)
    return specs


def _events(spec: Spec, rng: random.Random) -> list[dict]:
    clock = datetime.combine(spec.day, time(9), tzinfo=timezone.utc).timestamp() + rng.randrange(30000)
    out: list = []

    def at(event):
        nonlocal clock
        clock += rng.uniform(2, 40)
        event.timestamp = clock
        out.append(event)

    def user(intent, entities=(), text="..."):
        at(UserUttered(text, {"name": intent, "confidence": 0.9}, list(entities)))

    def bot(custom=None):
        at(BotUttered("...", {"custom": custom} if custom else {}))

    at(ActionExecuted("action_session_start"))
    at(SessionStarted())
    at(ActionExecuted("action_listen"))
    for _ in range(spec.other_messages):
        user("greet")
        bot()
    profile = {"mentions": [], "signals": AUDIENCES[spec.audience]}
    if spec.recommended:
        user("tell_about_me")
        at(SlotSet("profile", profile))
        bot({"type": "recommendations", "professions": [{"id": p, "name": p, "score": 0.5,
                                                         "reasons": []} for p in spec.recommended]})
    elif spec.audience != "not-said":
        at(SlotSet("profile", profile))
    if spec.asked:
        user("ask_routes")
        for p in spec.asked:
            bot({"type": "profession", "id": p})
        bot({"type": "routes", "profession": spec.asked[0], "routes": [{"id": r} for r in spec.routes]})
    if spec.shown:
        bot({"type": "resources", "resources": [{"title": u, "url": u, "source": u} for u in spec.shown]})
    for url in spec.clicked:
        user("link_clicked", [{"entity": "url", "value": url}])
    for _ in range(spec.rtp_questions):
        user("ask_return_to_practice")
        bot()
    for _ in range(spec.fallbacks):
        user("nlu_fallback")
        bot()
    for _ in range(spec.out_of_scope):
        user("out_of_scope")
        bot()
    for _ in range(spec.safeguarding):
        user("at_risk")
        bot({"type": "safeguarding"})
    if spec.returning:  # a second session, three days later
        clock += 3 * 86400
        at(ActionExecuted("action_session_start"))
        at(SessionStarted())
        user("greet")
        bot()
    if spec.feedback:
        user("feedback", [{"entity": "helpful", "value": spec.feedback}])
        bot()
    return [e.as_dict() for e in out]


def write(store: ConversationStore, specs: list[Spec], seed: int = 7) -> int:
    """Writes the specs' events as Rasa's SQLTrackerStore stores them; returns rows."""
    rng = random.Random(seed)
    store.create()
    rows = []
    for spec in specs:
        for e in _events(spec, rng):
            rows.append({"sender_id": spec.sender_id, "type_name": e["event"],
                         "timestamp": e["timestamp"],
                         "intent_name": (e.get("parse_data") or {}).get("intent", {}).get("name"),
                         "action_name": e.get("name"), "data": json.dumps(e)})
    with store.engine.begin() as connection:
        for i in range(0, len(rows), 5000):
            connection.execute(insert(events), rows[i:i + 5000])
    return len(rows)
