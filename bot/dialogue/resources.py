"""Curated links for the person's audience and profession, key dates, and
people to talk to."""

from __future__ import annotations

import re
from datetime import date

from bot.dialogue import answers, payloads
from bot.dialogue.professions import card, focus
from bot.dialogue.reply import Reply, Turn, button
from bot.dialogue.services import Services
from bot.knowledge.repository import KeyDate, Resource
from bot.matching import Profile

MAX_LINKS = 6
MAX_TO_FIND = 2  # resources with no official address: who publishes them and how to find them
# who is asking -> the knowledge base's audience ids (knowledge/audiences.yml)
STAGE_AUDIENCE = {
    "former-registrant": "returners",
    "trained-abroad": "international",
    "support-worker": "support-workers",
    "armed-forces-leaver": "armed-forces-leavers",
    "athlete": "athletes",
    "career-changer": "career-changers",
    "has-degree": "career-changers",
    "at-school": "young-people",
    "at-college": "young-people",
}
ASKER_AUDIENCE = {"parent": "parents-carers", "teacher": "teachers", "ambassador": "ambassadors"}


def audience_of(profile: Profile) -> str:
    if profile.asking_for in ASKER_AUDIENCE:
        return ASKER_AUDIENCE[profile.asking_for]
    for signal, audience in STAGE_AUDIENCE.items():
        if signal in profile.signals:
            return audience
    return "young-people"


def named_audience(ctx: Services, text: str) -> str | None:
    """An audience the message names ("anything for teachers?"), longest phrase first."""
    words = f" {ctx.matcher.normaliser(text)} "
    named = [(len(phrase), a.id) for a in ctx.kb.audiences() for phrase in a.phrases if f" {phrase} " in words]
    return max(named)[1] if named else None


def asked_for(ctx: Services, text: str) -> list[Resource]:
    """The resources a message asks for by what they are ("a VR one", "a competition"),
    those with most cue words first."""
    words = ctx.words(text)
    scored = [(sum(len(w.split()) for w in set(pattern.findall(words))), r) for r, pattern in ctx.resource_cues]
    return [r for n, r in sorted(scored, key=lambda x: -x[0]) if n]


def resources(ctx: Services, turn: Turn) -> Reply:
    profile = ctx.profile(turn.profile)
    audience = named_audience(ctx, turn.text or "") or audience_of(profile)
    p = focus(ctx, turn)
    wanted = asked_for(ctx, turn.text or "")  # what they asked for, whoever it was made for
    links = [{**payloads.link(r.title, r.url, r.source), "description": r.description} for r in wanted if r.url]
    links += [
        {**payloads.link(link.title, link.url, link.source), "description": ""} for link in (p.links if p else ())
    ]
    for_them = ctx.kb.resources_for(audience, p.id if p else None)
    links += [{**payloads.link(r.title, r.url, r.source), "description": r.description} for r in for_them if r.url]
    first: dict[str, dict] = {}  # each address once, in its first place, with a description if any
    for link in links:
        if not first.setdefault(link["url"], link)["description"] and link["description"]:
            first[link["url"]] = link
    links = list(first.values())[:MAX_LINKS]
    names = {a.id: a.name for a in ctx.kb.audiences()}
    reply = Reply().remember(profile=profile.to_dict())
    named_routes = turn.values("route")
    if len(named_routes) == 1:
        reply.remember(route=named_routes[0])  # "apprenticeship vacancies", then "who pays on those?"
    if not links:
        return reply.say("utter_resources_none").say("utter_human_handoff")
    reply.say("utter_resources_intro", audience=names[audience].lower())
    to_find = ([r for r in wanted if not r.url] + [r for r in for_them if not r.url and r not in wanted])[:MAX_TO_FIND]
    asked = [r for r in to_find if r in wanted]  # what they asked for comes first
    for r in asked:
        reply.say("utter_resource_to_find", title=r.title, description=r.description, find=r.find)
    for link in links:
        reply.say("utter_resource_item", title=link["title"], description=link["description"], url=link["url"])
    for r in to_find:
        if r not in asked:
            reply.say("utter_resource_to_find", title=r.title, description=r.description, find=r.find)
    reply.show(payloads.resources(links, audience=audience))
    if p is not None:
        # links about one job (its own page, its professional body): that job's card too
        reply.show(card(ctx, p, "resources")).remember(profession=p.id)
    return reply


def outreach(ctx: Services, turn: Turn) -> Reply:
    """Help for a teacher's lesson or event, or an AHP's talk: the everyday answer about careers
    talks when there is one, and the links for their audience."""
    reply = answers.answer(ctx, turn, ("outreach",)) if answers.best(ctx, turn, ("outreach",)) else Reply()
    if not reply.payloads("resources") or len(reply.payloads("resources")[0]["resources"]) < 2:
        reply.extend(resources(ctx, turn))
    return reply


def key_dates(ctx: Services, turn: Turn, today: date | None = None) -> Reply:
    """The year's dates; one that is the same every year is named on its next day."""
    today = today or date.today()
    p = focus(ctx, turn)
    reply = Reply().say("utter_key_dates_intro")
    for d in ctx.kb.key_dates():
        if d.professions and (p is None or p.id not in d.professions):
            continue
        say_key_date(reply, d, today)
    reply.say(
        "utter_key_dates_next",
        buttons=[
            button(ctx.intent_labels["ask_routes"], "ask_routes"),
            button(ctx.intent_labels["ask_resources"], "ask_resources"),
        ],
    )
    return reply


def say_key_date(reply: Reply, d: KeyDate, today: date | None = None) -> Reply:
    upcoming = d.next_on(today or date.today())
    if upcoming:
        return reply.say("utter_key_date_next_on", name=d.name, day=f"{upcoming.day} {upcoming:%B %Y}", detail=d.text)
    return reply.say("utter_key_date", name=d.name, when=d.when, detail=d.text)


def _plain(text: str) -> str:
    return " " + " ".join(re.findall(r"[a-z0-9]+", text.lower().replace("'", ""))) + " "


def named_key_dates(ctx: Services, text: str) -> list[KeyDate]:
    """The key dates a message names ("AHPs Day", "ahp day", "clearing"), by their names and
    what else people call them (knowledge/key_dates.yml)."""
    words = _plain(text)
    return [d for d in ctx.kb.key_dates() if any(_plain(n) in words for n in (d.name, *d.phrases))]
