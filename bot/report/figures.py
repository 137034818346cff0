"""From stored events to the report's figures.

Every figure counts conversations (one sender), except where it says
messages. Groups smaller than SUPPRESS_BELOW are suppressed (None) so no
small group can point to a person. Nothing a person typed is kept: only
intents, ids from the assistant's own payloads, and answers to buttons.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timezone
from typing import Iterable

from bot.conversations import Conversation
from bot.dialogue.resources import audience_of
from bot.session import SPLIT_METADATA
from bot.matching import Profile

SUPPRESS_BELOW = 5
FALLBACK_INTENTS = ("nlu_fallback",)
RTP_INTENTS = ("ask_return_to_practice", "ask_rtp_myth")
NOT_SAID = "not-said"


@dataclass
class Summary:
    """What one conversation did, in ids and counts only."""

    sender_id: str
    first_day: date
    days: set[date] = field(default_factory=set)
    sessions: int = 0
    user_messages: int = 0
    fallbacks: int = 0
    out_of_scope: int = 0
    rtp_questions: int = 0
    safeguarding: int = 0
    audience: str = NOT_SAID
    recommended: set[str] = field(default_factory=set)
    asked_about: set[str] = field(default_factory=set)
    routes: set[str] = field(default_factory=set)
    resources_shown: set[str] = field(default_factory=set)
    resources_clicked: set[str] = field(default_factory=set)
    feedback: str | None = None  # yes | no, the last answer


def _day(ts: float) -> date:
    return datetime.fromtimestamp(ts, tz=timezone.utc).date()


def summarise(conversation: Conversation) -> Summary | None:
    """None for a conversation with no message from a person (nothing to count)."""
    summary: Summary | None = None
    profile = None
    sessions = 0
    for e in conversation.events:
        kind, ts = e.get("event"), e.get("timestamp") or 0.0
        if kind == "user" and (e.get("metadata") or {}).get(SPLIT_METADATA):
            continue  # the REST channel's /session_start for a long chat: not the person's
        if kind == "user":
            if summary is None:
                summary = Summary(conversation.sender_id, _day(ts))
            summary.days.add(_day(ts))
            summary.user_messages += 1
            parse = e.get("parse_data") or {}
            intent = (parse.get("intent") or {}).get("name")
            entities = {x.get("entity"): x.get("value") for x in parse.get("entities") or []}
            summary.fallbacks += intent in FALLBACK_INTENTS
            summary.out_of_scope += intent == "out_of_scope"
            summary.rtp_questions += intent in RTP_INTENTS
            if intent == "feedback" and entities.get("helpful") in ("yes", "no"):
                summary.feedback = entities["helpful"]
            if intent == "link_clicked" and isinstance(entities.get("url"), str):
                summary.resources_clicked.add(entities["url"])
        elif kind == "session_started" and not (e.get("metadata") or {}).get(SPLIT_METADATA):
            sessions += 1  # a session begun because the chat grew long is no return
        elif kind == "slot" and e.get("name") == "profile" and isinstance(e.get("value"), dict):
            profile = e["value"]
        elif kind == "bot" and summary is not None:
            _read_payload(summary, ((e.get("data") or {}).get("custom") or {}))
    if summary is None:
        return None
    summary.sessions = max(sessions, 1)
    if profile:
        p = Profile.from_dict(profile)
        if p.signals or p.school_year is not None:
            summary.audience = audience_of(p)
    return summary


def _read_payload(summary: Summary, payload: dict) -> None:
    kind = payload.get("type")
    if kind == "recommendations":
        summary.recommended |= {p.get("id") for p in payload.get("professions") or [] if p.get("id")}
    elif kind == "profession" and payload.get("id"):
        summary.asked_about.add(payload["id"])
    elif kind == "comparison":
        summary.asked_about |= {p.get("id") for p in payload.get("professions") or [] if p.get("id")}
    elif kind == "routes":
        if payload.get("profession"):
            summary.asked_about.add(payload["profession"])
        summary.routes |= {r.get("id") for r in payload.get("routes") or [] if r.get("id")}
    elif kind == "resources":
        summary.resources_shown |= {r.get("url") for r in payload.get("resources") or [] if r.get("url")}
    elif kind == "safeguarding":
        summary.safeguarding += 1


@dataclass
class Figures:
    start: str
    end: str
    conversations: int | None
    returning_visitors: int | None
    user_messages: int | None
    per_day: dict[str, int | None]
    per_week: dict[str, int | None]
    audience: dict[str, int | None]
    recommended: dict[str, int | None]
    asked_about: dict[str, int | None]
    routes: dict[str, int | None]
    resources_shown: dict[str, int | None]
    resources_clicked: dict[str, int | None]
    rtp_conversations: int | None
    rtp_questions: int | None
    fallback_rate: float | None
    out_of_scope_rate: float | None
    safeguarding_replies: int | None
    feedback: dict[str, int | None]
    suppressed_below: int = SUPPRESS_BELOW

    def to_dict(self) -> dict:
        return asdict(self)


def _safe(n: int) -> int | None:
    """A count, or None when it is a group too small to show (1 to 4)."""
    return None if 0 < n < SUPPRESS_BELOW else n


def _safe_counter(counter: Counter, order: Iterable[str] = ()) -> dict[str, int | None]:
    keys = list(dict.fromkeys([*order, *sorted(counter, key=lambda k: (-counter[k], k))]))
    return {k: _safe(counter.get(k, 0)) for k in keys}


def compute(
    summaries: Iterable[Summary], start: date, end: date, professions: Iterable[str] = (), routes: Iterable[str] = ()
) -> Figures:
    per_day: Counter[str] = Counter()
    per_week: Counter[str] = Counter()
    audience: Counter[str] = Counter()
    recommended: Counter[str] = Counter()
    asked: Counter[str] = Counter()
    routes_seen: Counter[str] = Counter()
    shown: Counter[str] = Counter()
    clicked: Counter[str] = Counter()
    feedback: Counter[str] = Counter()
    conversations = returning = messages = fallbacks = out_of_scope = 0
    rtp_conversations = rtp_questions = safeguarding = 0
    for s in summaries:
        conversations += 1
        returning += len(s.days) > 1 or s.sessions > 1
        messages += s.user_messages
        fallbacks += s.fallbacks
        out_of_scope += s.out_of_scope
        rtp_conversations += s.rtp_questions > 0
        rtp_questions += s.rtp_questions
        safeguarding += s.safeguarding
        per_day[s.first_day.isoformat()] += 1
        year, week, _ = s.first_day.isocalendar()
        per_week[f"{year}-W{week:02d}"] += 1
        audience[s.audience] += 1
        recommended.update(s.recommended)
        asked.update(s.asked_about)
        routes_seen.update(s.routes)
        shown.update(s.resources_shown)
        clicked.update(s.resources_clicked)
        if s.feedback:
            feedback[s.feedback] += 1
    days = [date.fromordinal(d).isoformat() for d in range(start.toordinal(), end.toordinal() + 1)]
    weeks = sorted(per_week)
    return Figures(
        start=start.isoformat(),
        end=end.isoformat(),
        conversations=_safe(conversations),
        returning_visitors=_safe(returning),
        user_messages=_safe(messages),
        per_day={d: _safe(per_day.get(d, 0)) for d in days},
        per_week={w: _safe(per_week[w]) for w in weeks},
        audience=_safe_counter(audience),
        recommended=_safe_counter(recommended, professions),
        asked_about=_safe_counter(asked, professions),
        routes=_safe_counter(routes_seen, routes),
        resources_shown=_safe_counter(shown),
        resources_clicked=_safe_counter(clicked),
        rtp_conversations=_safe(rtp_conversations),
        rtp_questions=_safe(rtp_questions),
        fallback_rate=round(fallbacks / messages, 4) if conversations >= SUPPRESS_BELOW else None,
        out_of_scope_rate=round(out_of_scope / messages, 4) if conversations >= SUPPRESS_BELOW else None,
        safeguarding_replies=_safe(safeguarding),
        feedback=_safe_counter(feedback, ("yes", "no")),
    )
