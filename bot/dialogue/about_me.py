"""What the person tells about themselves: recommendations with reasons, a
clarifying question when the profile is vague, circumstances remembered for
routes, and the summary of results they can keep."""

from __future__ import annotations

from bot.dialogue import payloads
from bot.dialogue.reply import Reply, Turn, button
from bot.dialogue.routes import return_to_practice, routes
from bot.dialogue.services import Services
from bot.matching import Profile
from bot.matching.profile import Mention

TOP = 5  # professions in the recommendations payload
SHOWN = 3  # of which described in text
INTEREST_KINDS = ("concept", "profession", "group", "riasec")
# an adult asking for a young person: what the assistant offers them
ASKER_RESPONSE = {"parent": "utter_for_parent", "teacher": "utter_for_teacher", "ambassador": "utter_for_ambassador"}


def ask_interests(ctx: Services) -> Reply:
    return Reply().say(
        "utter_ask_interests",
        buttons=[button(label, "tell_about_me", concept=concept) for label, concept in _starter_interests(ctx)],
    )


def _starter_interests(ctx: Services) -> list[tuple[str, str]]:
    seen, options = set(), []
    for q in ctx.kb.questions:
        for label, concept in q.options:
            if concept not in seen:
                seen.add(concept)
                options.append((label, concept))
    return options[:6]


def _from_buttons(ctx: Services, turn: Turn) -> Profile:
    """A question's button sends a concept id (or years out) rather than words."""
    update = Profile()
    for cid in turn.values("concept"):
        concept = ctx.kb.concept(cid)
        if concept:
            label = next((lbl for q in ctx.kb.questions for lbl, c in q.options if c == cid), concept.phrases[0])
            update.add(Mention("concept", cid, label.lower(), True, concept.category))
    if turn.first("years_out") is not None:
        update.years_out = float(turn.first("years_out"))
        update.infer("former-registrant")
    return update


# circumstances that rule ways in out, told with interests: the ways in that are left are part
# of the answer
WAYS_IN_CIRCUMSTANCES = ("wants-work-now", "needs-to-earn", "no-a-levels")


def understand_me(ctx: Services, turn: Turn) -> Reply:
    buttons = _from_buttons(ctx, turn)
    update = (turn.reading.profile if turn.reading else Profile()).merge(buttons)
    profile = ctx.profile(turn.profile).merge(buttons)
    reply = Reply().remember(profile=profile.to_dict())
    told_interests = any(m.kind in INTEREST_KINDS for m in update.mentions.values())

    # "I was a physio and want to come back": a returner's question comes first
    if "former-registrant" in update.signals or update.years_out is not None:
        return reply.extend(return_to_practice(ctx, turn, profile))
    # "I was a radiographer in Syria, can I work here?": their own job's way in from abroad
    if "trained-abroad" in update.signals and profile.former_profession:
        return reply.extend(routes(ctx, turn))
    # "I'm a barista and I want to be a paramedic but I need the wage": the ways in, too
    aiming = turn.reading is not None and (
        turn.reading.target is not None
        or any(n not in (profile.former_profession, profile.current_role) for n in turn.reading.named)
    )
    if told_interests:
        reply.extend(recommend(ctx, profile))
        # "he wants to help people. What way in is there for him?", "hands-on with patients, but a
        # degree isn't realistic for me": the ways in too, the ones that fit what they said
        narrows = any(s in update.signals for s in WAYS_IN_CIRCUMSTANCES)
        return reply.extend(routes(ctx, turn)) if aiming or narrows or ctx.asks_way_in(turn.text or "") else reply
    if update.asking_for in ("parent", "teacher", "ambassador"):
        return reply.extend(_for_adults(ctx, update.asking_for))
    if aiming:
        return reply.extend(routes(ctx, turn))
    if update.signals or update.school_year is not None:
        reply.say("utter_noted_circumstances")
        if profile.positive() and turn.recommended:
            return reply.extend(recommend(ctx, profile))
        return reply.extend(ask_interests(ctx))
    # nothing we could read: say so, and offer ways to answer
    reply.say("utter_did_not_understand_interests")
    return reply.extend(ask_interests(ctx))


def _for_adults(ctx: Services, who: str) -> Reply:
    return Reply().say(
        ASKER_RESPONSE[who],
        buttons=[
            button(ctx.intent_labels["ask_resources"], "ask_resources"),
            button(ctx.intent_labels["find_career"], "find_career"),
            button(ctx.intent_labels["ask_what_are_ahps"], "ask_what_are_ahps"),
        ],
    )


def recommend(ctx: Services, profile: Profile) -> Reply:
    ranking = ctx.matcher.rank(profile)
    top = ranking.top(TOP)
    reply = Reply()
    if not top:
        reply.say("utter_no_match_yet")
        return reply.extend(_question(ctx, ranking) if ranking.questions else ask_interests(ctx))
    reply.say("utter_recommendations_intro")
    for i, s in enumerate(top[:SHOWN], 1):
        reasons = s.to_payload()["reasons"]
        reply.say("utter_recommendation", rank=i, name=s.name, reasons="; ".join(reasons))
    reply.show({"type": "recommendations", "professions": [s.to_payload() for s in top]})
    reply.remember(recommended=[s.id for s in top], profession=top[0].id)
    if ranking.vague and ranking.questions:
        reply.say("utter_vague")
        return reply.extend(_question(ctx, ranking))
    best = top[0]
    reply.say(
        "utter_recommendations_next",
        name=best.name,
        buttons=[
            button(
                ctx.intent_labels["ask_profession_info"] + ": " + best.name, "ask_profession_info", profession=best.id
            ),
            button(ctx.intent_labels["ask_routes"] + ": " + best.name, "ask_routes", profession=best.id),
            button(ctx.intent_labels["ask_next_steps"], "ask_next_steps", profession=best.id),
            button(ctx.intent_labels["ask_my_results"], "ask_my_results"),
        ],
    )
    return reply


def also_suits(ctx: Services, profile: Profile) -> Reply:
    """Recommendations alongside another answer, when the same message told the assistant
    about interests: the list and the payload, but the conversation's focus stays."""
    ranking = ctx.matcher.rank(profile)
    top = ranking.top(TOP)
    if not top:
        return Reply()
    reply = Reply().say("utter_recommendations_also")
    for i, s in enumerate(top[:SHOWN], 1):
        reply.say("utter_recommendation", rank=i, name=s.name, reasons="; ".join(s.to_payload()["reasons"]))
    reply.show({"type": "recommendations", "professions": [s.to_payload() for s in top]})
    return reply.remember(recommended=[s.id for s in top])


def _question(ctx: Services, ranking) -> Reply:
    q = ranking.questions[0]
    return Reply().say(
        "utter_clarifying_question",
        question=q.text,
        buttons=[button(label, "tell_about_me", concept=concept) for label, concept in q.options],
    )


def find_career(ctx: Services, turn: Turn) -> Reply:
    profile = ctx.profile(turn.profile)
    if any(m.kind in INTEREST_KINDS for m in profile.positive()):
        return recommend(ctx, profile)
    return Reply().say("utter_find_career_intro").extend(ask_interests(ctx))


def my_results(ctx: Services, turn: Turn) -> Reply:
    """A summary to keep: professions, reasons, routes and links; no personal data."""
    profile = ctx.profile(turn.profile)
    ranking = ctx.matcher.rank(profile)
    top = ranking.top(SHOWN) if profile.positive() else []
    if not top:
        return Reply().say("utter_results_none").extend(ask_interests(ctx))
    reply = Reply().say("utter_results_header")
    items: list[dict] = []
    links: dict[str, dict[str, str]] = {}
    for i, s in enumerate(top, 1):
        fits = ctx.matcher.fit_routes(s.id, profile)
        reasons = s.to_payload()["reasons"]
        reply.say(
            "utter_results_item", rank=i, name=s.name, reasons="; ".join(reasons), routes=ctx.join(r.name for r in fits)
        )
        items.append({**s.to_payload(), "routes": [{"id": r.id, "name": r.name} for r in fits]})
        ranked = ctx.kb.profession(s.id)
        assert ranked is not None  # (the matcher ranks the knowledge base's own professions)
        for link in ranked.links:
            links.setdefault(link.url, payloads.link(link.title, link.url, link.source))
    reply.say("utter_results_links", links="\n".join(f"- {link['title']}: {link['url']}" for link in links.values()))
    # things to do this month: work experience, seeing the work, talking to someone who does it
    steps = ctx.kb.answers("next-steps")
    reply.say("utter_results_next_steps", steps="\n".join(f"- {a.title}: {a.text}" for a in steps))
    reply.show(
        {"type": "recommendations", "professions": [{k: v for k, v in item.items() if k != "routes"} for item in items]}
    )
    reply.show(payloads.resources(links.values()))
    reply.show(
        {
            "type": "results",
            "professions": items,
            "resources": list(links.values()),
            "next_steps": [{"id": a.id, "title": a.title, "text": a.text} for a in steps],
        }
    )
    reply.say("utter_results_footer")
    return reply.say("utter_ask_feedback")
