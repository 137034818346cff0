"""Ways in: routes into a profession or the AHP workforce, one route explained,
return to practice by years out and regulator, and return-to-practice myths."""

from __future__ import annotations

import re
from dataclasses import replace

from bot.dialogue import answers, payloads
from bot.dialogue.professions import focus
from bot.dialogue.reply import Reply, Turn, button
from bot.dialogue.services import Services
from bot.matching import Profile
from bot.matching.years import WORD_NUMBERS
from bot.nlp import SENTENCES


YEARS_OUT_BUTTONS = (1, 3, 6)  # under 2, 2 to 5, 5 or more (knowledge/return_to_practice.yml)
RETURN = "return-to-practice"
# "if I leave it another year", "if I wait two more years before applying": a later return
WAITING_LONGER = re.compile(
    r"\b(?:leave|left|wait|waited|waiting|put|putting)\b[^.?!]{0,20}?\b(?:another|"
    r"(a|one|two|three|four|five|\d+) (?:more|extra|further))\s+years?\b"
    r"|\banother (a|one|two|three|four|five|\d+)?\s*years?\b",
    re.I,
)
# asking how much updating it takes ("what's the minimum", "how many days")
_HOW_MUCH = re.compile(r"\b(?:how many|how much|minimum|min|days|hours|how long)\b", re.I)
# how long their updating takes, in weeks of full-time days
_IN_WEEKS = re.compile(r"\b(?:weeks?|full[- ]time|months?)\b", re.I)
DAYS_A_WEEK = 5
# asking for the way back, not stating a belief about it
_ROUTE_BACK = re.compile(r"\b(?:route|way|road|path) back\b|\bhow (?:do|would|can) i (?:get|come|go) back\b", re.I)


def _route_payload(profession: str | None, fits) -> dict:
    return {
        "type": "routes",
        "profession": profession,
        "routes": [{"id": r.id, "name": r.name, "why": r.why, "note": r.note} for r in fits],
    }


def routes(ctx: Services, turn: Turn) -> Reply:
    p = focus(ctx, turn)
    named_routes = turn.values("route")
    # one route named: that route explained; two ("degree or apprenticeship?"): the ways in
    route_id = named_routes[0] if len(named_routes) == 1 else None
    if not named_routes and turn.reading is not None and turn.reading.that_route:
        route_id = turn.route  # "could I do the other one that way?"
    profile = ctx.profile(turn.profile)
    reply = Reply()
    trained_abroad_only = "trained-abroad" in profile.signals and "former-registrant" not in profile.signals
    never_here = profile.former_profession is None and not (turn.reading and turn.reading.returning)
    if route_id == RETURN and "former-registrant" not in profile.signals and (trained_abroad_only or never_here):
        # "never registered... could I use return to practice to become an OT?", "physio in India
        # for 8 years... is return to practice for me?": not theirs; the ways in that fit them
        reply.say("utter_rtp_not_yours")
        route_id, named_routes = None, [r for r in named_routes if r != RETURN]
    if route_id and ctx.kb.route(route_id):
        reply.extend(explain_route(ctx, route_id, p).remember(route=route_id))
        if p is None or route_id in p.route_ids:
            return reply
    fits = ctx.matcher.fit_routes(p.id if p else None, profile, asked=tuple(named_routes))
    available = p.route_ids if p else tuple(r.id for r in ctx.kb.routes())
    others = [rid for rid in available if rid not in {r.id for r in fits}]
    say_routes(reply, p, fits, others)
    route_names = {r.id: r.name for r in ctx.kb.routes()}
    if profile.is_empty and others:
        # nothing known about the person yet: say the other routes exist and ask
        reply.say("utter_routes_tell_me_more", others=ctx.join(route_names[rid].lower() for rid in others))
    buttons = [
        button(route_names[r.id], "ask_routes", route=r.id, **({"profession": p.id} if p else {})) for r in fits[:3]
    ]
    buttons.append(button(ctx.intent_labels["ask_resources"], "ask_resources", **({"profession": p.id} if p else {})))
    reply.say("utter_routes_next", buttons=buttons)
    if p:
        reply.show({"type": "profession", "id": p.id, "aspect": "routes"})  # the ways into it
    return reply.remember(profession=p.id) if p else reply


def support_role_first(ctx: Services, turn: Turn) -> Reply:
    """ "could I do an assistant practitioner role first as a stepping stone?" about the job being
    discussed: the support-worker way into that job, and what the support role named asks for."""
    p = ctx.profession(turn.profession)
    assert p is not None and turn.reading is not None  # (respond chooses this only then)
    reading = replace(turn.reading, target=p.id, named=[p.id])
    reply = routes(ctx, replace(turn, entities=[{"entity": "route", "value": "support-worker"}], reading=reading))
    for role in (r for r in map(ctx.profession, turn.reading.named) if r is not None and r.kind == "support"):
        reply.say("utter_profession_entry", name=role.name, requirements=role.entry_requirements)
    return reply.remember(profession=p.id)


def say_routes(reply: Reply, p, fits, others: list[str] | None = None) -> Reply:
    """The ways in that fit the person, said and shown (the contract's `routes` payload)."""
    if p:
        reply.say("utter_routes_intro", name=p.name)
    else:
        reply.say("utter_routes_intro_general")
    for r in fits:
        reply.say("utter_route_item", route=r.name, why=" ".join(r.why), note=r.note)
    payload = _route_payload(p.id if p else None, fits)
    if others is not None:
        payload["other_routes"] = others
    return reply.show(payload)


def explain_route(ctx: Services, route_id: str, p) -> Reply:
    route = ctx.kb.route(route_id)
    assert route is not None  # (routes() explains only a route the knowledge base has)
    offering = [x.name for x in ctx.kb.professions_for_route(route_id)]
    reply = Reply()
    if p is not None and route_id not in p.route_ids:
        return reply.say("utter_route_not_available", route=route.name.lower(), name=p.name)
    if p is not None:
        note = next(r.note for r in p.routes if r.id == route_id)
        reply.say("utter_route_for_profession", route=route.name, name=p.name, note=note, involves=route.involves)
        reply.remember(profession=p.id)
    else:
        reply.say(
            "utter_route_summary",
            route=route.name,
            summary=route.summary,
            involves=route.involves,
            professions=ctx.join(offering),
        )
    reply.show({"type": "routes", "profession": p.id if p else None, "routes": [{"id": route.id, "name": route.name}]})
    if p is not None:
        reply.show({"type": "profession", "id": p.id, "aspect": "routes"})  # the job the way in is to
    reply.say(
        "utter_routes_next",
        buttons=[
            button(ctx.intent_labels["find_career"], "find_career"),
            button(ctx.intent_labels["ask_resources"], "ask_resources"),
        ],
    )
    return reply


# --- return to practice ------------------------------------------------------------
def return_to_practice(ctx: Services, turn: Turn, profile: Profile | None = None) -> Reply:
    if profile is None:
        profile = ctx.profile(turn.profile)
        if profile.years_out is None and turn.text and not turn.text.startswith("/"):
            # asked as a returner: a bare "7 years" is time out of practice
            profile.years_out = ctx.matcher.understand.years_out(turn.text)
    said = turn.reading.profile if turn.reading else None
    # the profession they qualified in, when this message says it, comes first
    p = ctx.profession(said.former_profession) if said and said.former_profession else None
    wants_to_become = turn.reading is not None and any(e.role == "target" for e in turn.reading.entities)
    if p is None and profile.former_profession and not wants_to_become:
        # a returner's own job, told before: another job named now is a comparison ("is it the
        # same rules as physios?"), not the one they are coming back to
        p = ctx.profession(profile.former_profession)
    p = p or focus(ctx, turn)
    if p is None and profile.former_profession:
        p = ctx.profession(profile.former_profession)
    if turn.first("years_out") is not None:
        profile.years_out = float(turn.first("years_out"))
    kept = profile.to_dict()
    later = WAITING_LONGER.search(turn.text or "") if profile.years_out is not None else None
    if later and profile.years_out is not None:  # (later is looked for only then)
        # "and if I leave it another year?": the updating for then (what they told stays as it is)
        more = (later.group(1) or later.group(2) or "one").lower()
        profile.years_out += 1.0 if more in ("a", "one") else float(WORD_NUMBERS.get(more) or more)
    reply = Reply()
    # a specific question ("who can supervise me?", "who pays?") gets its own answer first
    specific = answers.best(ctx, turn, ("returning",)) if turn.text else []
    myth_found = matching_myth(ctx, turn.text or "") or believed_myth(ctx, turn, specific)
    if myth_found:  # the myth behind the question, answered with its fact ...
        say_myth(reply, myth_found)
    for answer in specific[:1]:  # ... and the practical answer
        answers.say_answer(ctx, reply, answer, None)
    general = not specific and not myth_found
    if p is not None and p.regulator == "gosc":
        if not specific:
            req = ctx.kb.updating_requirement("gosc", profile.years_out or 0)
            assert req is not None  # (the GOsC's rules are notes, which answer for any time out)
            reply.say("utter_rtp_gosc", name=p.name, detail=req.text)
    elif p is not None and p.regulator is None:
        reply.say("utter_rtp_not_registered", name=p.name)
    else:
        if general:
            reply.say("utter_rtp_intro", name=p.name.lower() if p else "")
        if profile.years_out is None and general:
            if _HOW_MUCH.search(turn.text or ""):
                # "what's the minimum updating?" before saying how long: every band's days
                bands = (ctx.kb.updating_requirement("hcpc", years) for years in YEARS_OUT_BUTTONS)
                reply.say("utter_rtp_updating_bands", bands=" ".join(b.text for b in bands if b))
            # one button per band of the regulator's rules, sending a year inside the band
            reply.say(
                "utter_rtp_ask_years",
                buttons=[
                    button(ctx.labels[f"years_out_{years}"], "tell_about_me", years_out=years)
                    for years in YEARS_OUT_BUTTONS
                ],
            )
        elif profile.years_out is not None:
            req = ctx.kb.updating_requirement("hcpc", profile.years_out)
            assert req is not None  # (the HCPC's rules cover any time out, and it has notes)
            reply.say("utter_rtp_updating", years=_years(profile.years_out), detail=req.text, notes=" ".join(req.notes))
            if req.days and _IN_WEEKS.search(turn.text or ""):
                # "so how many weeks if I did it full time?": the days they need, in weeks
                reply.say("utter_rtp_weeks", days=req.days, weeks=_years(req.days / DAYS_A_WEEK))
        if general:
            figures = ctx.kb.figures()
            reply.say("utter_rtp_figures", experience=figures["returner-experience"], band=figures["returner-band-7"])
    fits = (
        [f for f in ctx.matcher.fit_routes(p.id, _as_returner(profile, p.id)) if f.id == "return-to-practice"]
        if p
        else []
    )
    route = ctx.kb.route(RETURN)
    assert route is not None  # (a route of the contract: the build refuses knowledge without it)
    reply.show(
        {
            "type": "routes",
            "profession": p.id if p else None,
            "routes": [{"id": route.id, "name": route.name, "why": fits[0].why if fits else [route.summary]}],
        }
    )
    resources = [
        payloads.link(r.title, r.url, r.source) for r in ctx.kb.resources_for("returners", p.id if p else None) if r.url
    ]
    if resources:
        reply.show(payloads.resources(resources))
    reply.say(
        "utter_rtp_next",
        buttons=[
            button(ctx.intent_labels["ask_rtp_myth"], "ask_rtp_myth"),
            button(ctx.intent_labels["ask_resources"], "ask_resources"),
            button(ctx.intent_labels["human_handoff"], "human_handoff"),
        ],
    )
    if p:
        reply.remember(profession=p.id)
    return reply.remember(profile=kept)


def _as_returner(profile: Profile, pid: str) -> Profile:
    returner = Profile.from_dict(profile.to_dict())
    returner.infer("former-registrant")
    returner.former_profession = returner.former_profession or pid
    return returner


def _years(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


# --- myths -------------------------------------------------------------------------
def matching_myth(ctx: Services, text: str, min_words: int = 1):
    """The myth a question is about (its phrases in the words), or None. `min_words=2`: only
    phrases that say the myth themselves ("do the degree again"), not a word that may be about
    anything ("management")."""
    words = ctx.words(text)
    if any(_AGE.search(s) and _DOUBT.search(s) for s in SENTENCES.split(words)):
        words += " . at my age"  # "would anyone take on a 58 year old returner": the worry about age
    best, best_score = None, 0
    for m in ctx.kb.myths():
        score = sum(len(ph) for ph in m.phrases if len(ph.split()) >= min_words and _said(ph, words))
        if score > best_score:
            best, best_score = m, score
    return best


# someone's own age, and a doubt beside it: together, the worry that they are too old to return
_AGE = re.compile(r"\b\d{2}\s*-?\s*(?:years?|yrs?)\s*-?\s*old\b|\baged? \d{2}\b|\bi'?m \d{2}\b(?!\s*(?:years?|yrs?))")
_DOUBT = re.compile(
    r"\b(?:anyone|anybody|any employer|would they|will they|still|too|past it|hire|employ|take (?:me |them )?on|"
    r"want (?:me|someone)|realistic|realistically|chance)\b"
)

# words that may stand between a myth's words without changing what it says
_FILLER = (
    r"(?:new|fresh|whole|entire|full|complete|literally|really|actually|honestly|just|even|straight|all|so|"
    r"like|absolute|absolutely|total|totally|far|way)"
)
_AN = re.compile(r"(?<![\w'])an(?![\w'])")


def _said(phrase: str, words: str) -> bool:
    """The phrase in the words, a filler word allowed between its words ("a whole new degree",
    "cost an absolute fortune", "take me straight back"; not "on a hospital ward"), "a" and
    "an" alike."""
    pattern = rf"\s+(?:{_FILLER}\s+)?".join(re.escape(w) for w in _AN.sub("a", phrase).split())
    return re.search(r"(?<![\w'])" + pattern + r"(?![\w'])", _AN.sub("a", words)) is not None


# a question about their own case ("for me", "in my case", "do i need")
_FOR_ME = re.compile(r"\b(?:for me|in my case|for someone like me|do i (?:need|have)|would i (?:need|have))\b", re.I)
_MAY_I = re.compile(r"\b(?:could|can|may|might) (?:i|we|you)\b|\bi (?:could|can|may|might)\b", re.I)


def believed_myth(ctx: Services, turn: Turn, specific: list):
    """The myth that the answer to a question sets right, when the question believes it ("I
    presume the HCPC places you somewhere?", "i suppose it has to be in a proper theatre"), in
    words no phrase of the myth holds."""
    typed = turn.text and not turn.text.startswith("/")
    if not typed or not specific or not specific[0].myth or not ctx.myth_words.search(ctx.words(turn.text)):
        return None
    if _MAY_I.search(turn.text or ""):
        # "my friend reckons I could work as an assistant while I update": what they may do, not
        # a belief about what they must
        return None
    return next((m for m in ctx.kb.myths() if m.id == specific[0].myth), None)


def say_myth(reply: Reply, m) -> Reply:
    reply.say("utter_myth", myth=m.myth, fact=m.fact)
    return reply.show({"type": "myth", "id": m.id, "myth": m.myth, "fact": m.fact, "source": list(m.source)})


def myth(ctx: Services, turn: Turn) -> Reply:
    best = matching_myth(ctx, turn.text or "")
    specific = answers.best(ctx, turn, ("returning",)) if turn.text else []
    typed = turn.text and not turn.text.startswith("/")
    believes = ctx.myth_words.search(ctx.words(turn.text)) if typed else None
    if (
        typed
        and not believes
        and not specific
        and (not best or ctx.asks_way_in(turn.text) or _ROUTE_BACK.search(turn.text))
    ):
        # "I left SLT in 2022 to care for mum. Can I go back now?": no myth in it, their return
        return return_to_practice(ctx, turn)
    if typed and not best and specific:
        # no myth in it, a question about returning ("my manager reckons I could go back, is she
        # right?"): its answer, with the rest of their return
        return return_to_practice(ctx, turn)
    if best and typed and turn.reading is not None and turn.reading.profile.years_out is not None:
        # a myth told with how long they have been out: its fact, and the updating for them
        return return_to_practice(ctx, turn)
    if typed and not believes and ctx.profile(turn.profile).years_out is not None and _FOR_ME.search(turn.text or ""):
        # "so no supervised practice hours at all for me?" after telling how long: the updating
        # for them, with the myth and the answer the question touches
        return return_to_practice(ctx, turn)
    reply = Reply()
    if best or not specific:
        reply.say("utter_myth_intro" if best else "utter_myths_intro")
        for m in [best] if best else ctx.kb.myths():
            say_myth(reply, m)
    for answer in specific[:1]:
        answers.say_answer(ctx, reply, answer, None)
    reply.say(
        "utter_rtp_next",
        buttons=[
            button(ctx.intent_labels["ask_return_to_practice"], "ask_return_to_practice"),
            button(ctx.intent_labels["ask_resources"], "ask_resources"),
            button(ctx.intent_labels["human_handoff"], "human_handoff"),
        ],
    )
    return reply
