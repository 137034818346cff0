"""Facts about professions: what they do, where, regulator, entry, pay, demand;
the list of AHPs; and side-by-side comparisons."""

from __future__ import annotations

import re
from dataclasses import replace

from bot.dialogue.reply import Reply, Turn, button
from bot.dialogue.services import Services
from bot.knowledge.repository import Profession

ASPECTS = {
    "ask_profession_info": "summary",
    "ask_profession_settings": "settings",
    "ask_regulator": "regulator",
    "ask_entry_requirements": "entry",
    "ask_pay": "pay",
    "ask_demand": "demand",
}
MAX_COMPARED = 3


_REFERS = re.compile(
    r"\b(?:that|it|this|them|they|one)\b|"
    # "sounds perfect. what's the route with my degree": the one just suggested
    r"\bsounds (?:perfect|good|great|ideal|amazing|brilliant|interesting|right|like me)\b",
    re.I,
)
_MENTIONED = re.compile(r"\b(?:i|i've|ive) (?:mentioned|said|named|asked about|brought up|was looking at)\b", re.I)
_WHICH_JOBS = re.compile(r"\b(?:which|what)(?: one| ones| jobs?| professions?| ahps?| careers?)\b", re.I)
OWN_ROLES = ("current", "former")  # entity roles: the person's own job, not the one asked about


def focus(ctx: Services, turn: Turn) -> Profession | None:
    """The profession this message is about: the one they want to become or name now
    ("I'm a support worker, how do I become an OT": the OT), one they point to in the
    last list ("the second one", "the other one"), else the one being discussed, else
    the one they last named, else ("get into that") the best of the last list. A returner's
    question about coming back is about the job they left."""
    reading = turn.reading
    shown = [pid for pid in turn.recommended if pid]
    pointed = None
    profile = ctx.profile(turn.profile)
    if reading is not None and reading.ordinal and shown:
        index = reading.ordinal - 1 if reading.ordinal > 0 else len(shown) - 1
        pointed = shown[index] if 0 <= index < len(shown) else None
    elif reading is not None and reading.other:
        # "and the other one I mentioned?": the other job they named themselves (latest first),
        # else the other one of the last list
        theirs = [m.id for m in reversed(profile.positive("profession")) if m.id != turn.profession]
        if theirs and (not shown or _MENTIONED.search(turn.text or "")):
            pointed = theirs[0]
        else:
            pointed = next((pid for pid in shown if pid != turn.profession), None)
    named = [
        e.get("value") for e in turn.entities if e.get("entity") == "profession" and e.get("role") not in OWN_ROLES
    ]
    own = [e.get("value") for e in turn.entities if e.get("entity") == "profession" and e.get("role") in OWN_ROLES]
    target = reading.target if reading is not None else None
    # a returner asking how to come back means the job they left, not one they mention
    # ("podiatrist, been out 4 yrs, in sales for an orthotics company": podiatry)
    former = profile.former_profession if "trained-abroad" not in profile.signals else None
    about_returning = turn.intent in ("ask_return_to_practice", "ask_rtp_myth") or (
        turn.intent == "ask_routes" and not named
    )

    def candidates():
        if former and about_returning and not target:
            yield former
        yield from (target, *named, pointed)
        yield from _in_named_groups(ctx, turn, shown)
        yield from (turn.profession, *own)
        # else the job they last named in the conversation, even if no reply was about it yet
        yield from reversed([m.id for m in profile.positive("profession")])
        if _REFERS.search(turn.text or ""):
            yield from shown[:1]  # "how would I get into that?" just after a list: the best of it

    return next((ctx.profession(pid) for pid in candidates() if ctx.profession(pid)), None)


def _in_named_groups(ctx: Services, turn: Turn, shown: list[str]):
    """For a group named ("how do radiographers get in?"): its member already being discussed,
    else the one the group's name usually means, else its first member just shown."""
    for group_id in turn.values("profession_group"):
        group = ctx.kb.group(group_id)
        if group is None:
            continue
        if turn.profession in group.professions:
            yield turn.profession
        if group.usually_means:
            yield group.usually_means
        yield from (pid for pid in shown if pid in group.professions)


def _the_rest_of_the_group(ctx: Services, turn: Turn, reply: Reply, p: Profession) -> None:
    """ "What do radiographers do?" answered for the one the word usually means: the others
    in the group are named too, each a button."""
    if turn.values("profession"):
        return
    for group_id in turn.values("profession_group"):
        group = ctx.kb.group(group_id)
        others = [o for pid in (group.professions if group else ()) if pid != p.id and (o := ctx.profession(pid))]
        if group and p.id in group.professions and others:
            reply.say(
                "utter_group_also",
                others=ctx.join(o.name.lower() for o in others),
                buttons=[button(o.name, "ask_profession_info", profession=o.id) for o in others],
            )


def which_profession(ctx: Services, turn: Turn, intent: str) -> Reply:
    """Ask which profession, offering the group's members or the person's recommendations."""
    group_id = turn.first("profession_group")
    group = ctx.kb.group(group_id)
    if group:
        options = list(group.professions)
        response = "utter_which_in_group"
    else:
        # their recommendations, else the professions the guide most wants people to know
        options = turn.recommended[:3] or [p.id for p in ctx.kb.professions("registered") if p.in_demand][:3]
        response = "utter_which_profession"
    # (a list remembered from earlier may name a job the knowledge base no longer has)
    buttons = [button(o.name, intent, profession=o.id) for o in map(ctx.profession, options) if o is not None]
    buttons.append(button(ctx.intent_labels["ask_what_are_ahps"], "ask_what_are_ahps"))
    return Reply().say(response, buttons=buttons, said=group_id.replace("-", " ") if group else "")


def demand_lists(ctx: Services, reply: Reply) -> Reply:
    """Which jobs are small and vital, short of people, or of most concern (the guide's lists)."""
    registered = ctx.kb.professions("registered")
    names = {
        flag: ctx.join(p.name for p in registered if getattr(p, flag))
        for flag in ("small_and_vital", "shortage", "highest_supply_concern")
    }
    return reply.say(
        "utter_demand_lists",
        small=names["small_and_vital"],
        shortage=names["shortage"],
        concern=names["highest_supply_concern"],
    )


def demand_lines(ctx: Services, p: Profession) -> list[str]:
    keys = [
        k
        for k, on in (
            ("shortage", p.shortage),
            ("highest_supply_concern", p.highest_supply_concern),
            ("small_and_vital", p.small_and_vital),
        )
        if on
    ]
    return [ctx.labels[k] for k in keys] or [ctx.labels["not_listed"]]


def next_steps(ctx: Services, p: Profession, skip: str) -> list[dict]:
    options = [
        ("ask_profession_info", "summary"),
        ("ask_profession_settings", "settings"),
        ("ask_routes", "routes"),
        ("ask_entry_requirements", "entry"),
        ("ask_pay", "pay"),
        ("ask_resources", "resources"),
    ]
    return [button(ctx.intent_labels[intent], intent, profession=p.id) for intent, aspect in options if aspect != skip][
        :4
    ] + [button(ctx.intent_labels["compare_professions"], "compare_professions", profession=p.id)]


def detail(ctx: Services, turn: Turn) -> Reply:
    aspect = ASPECTS.get(turn.intent, "summary")
    p = focus(ctx, turn)
    if p is None and aspect == "regulator":
        # "what's the HCPC?": what the regulators are, before any job is chosen
        words = f" {ctx.matcher.normaliser(turn.text or '')} "
        named = [r for r in ctx.kb.regulators if f" {r.id} " in words] or list(ctx.kb.regulators)
        reply = Reply()
        for r in named:
            reply.say("utter_regulator", regulator=r.name, summary=r.summary, url=r.url)
        return reply
    if aspect == "demand" and (p is None or _WHICH_JOBS.search(turn.text or "")):
        # "which one is the smallest?", "which jobs are short of people?": the guide's lists
        return demand_lists(ctx, Reply())
    if p is None:
        return which_profession(ctx, turn, turn.intent or "ask_profession_info")
    reply = Reply().remember(profession=p.id)
    name = p.name
    if aspect == "summary" and turn.text:
        from bot.dialogue import answers  # (answers uses this module's card and focus)

        plainly_asked = answers.strong(ctx, turn)
        if plainly_asked is not None:  # "is radiography just x-rays?": that answer, not the summary
            p = answers.subject(ctx, plainly_asked, p) or p
            return answers.say_answer(ctx, reply, plainly_asked, p).say(
                "utter_profession_next", buttons=next_steps(ctx, p, aspect), name=p.name
            )
    if aspect == "summary":
        reply.say("utter_profession_summary", name=name, summary=p.summary)
        if p.detail("more"):
            reply.say("utter_profession_more", more=p.detail("more"))
        _the_rest_of_the_group(ctx, turn, reply, p)
    elif aspect == "settings":
        reply.say("utter_profession_settings", name=name, settings=p.settings)
    elif aspect == "regulator":
        if p.regulator == "gosc":
            reply.say("utter_profession_regulator_gosc", name=name)
        elif p.regulator == "hcpc":
            reply.say(
                "utter_profession_regulator_hcpc", name=name, titles=ctx.join(f"“{t}”" for t in p.protected_titles)
            )
        else:
            reply.say("utter_profession_not_regulated", name=name)
    elif aspect == "entry":
        reply.say("utter_profession_entry", name=name, requirements=p.entry_requirements)
        if p.detail("course"):
            reply.say("utter_profession_course", course=p.detail("course"))
        # what they need depends on the way in: the ways that fit them
        from bot.dialogue.routes import say_routes  # (routes uses this module's focus)

        say_routes(reply, p, ctx.matcher.fit_routes(p.id, ctx.profile(turn.profile)))
    elif aspect == "pay":
        pay(reply, p)
    elif aspect == "demand":
        reply.say("utter_profession_demand", name=name, demand="; ".join(demand_lines(ctx, p)))
    reply.show(card(ctx, p, aspect))
    reply.say("utter_profession_next", buttons=next_steps(ctx, p, aspect), name=name)
    return reply


def card(ctx: Services, p: Profession, aspect: str) -> dict:
    """The contract's `profession` payload, with what the widget's profession card shows:
    what the job is, how to get in, how long it takes, pay, and its own page."""
    band = ctx.labels["band"].format(band=p.starting_band) if p.starting_band else None
    return {
        "type": "profession",
        "id": p.id,
        "aspect": aspect,
        "name": p.name,
        "summary": p.summary,
        "entry_requirements": p.entry_requirements,
        "course": p.detail("course"),
        "pay": " ".join(x for x in (band, p.detail("band_note"), p.detail("no_band")) if x)
        or ctx.labels["band_unknown"],
        "page": {"title": p.links[0].title, "url": p.links[0].url} if p.links else None,
    }


def pay(reply: Reply, p: Profession) -> Reply:
    """The starting band where an official page gives it, and why there is none where not."""
    if p.starting_band:
        response = "utter_profession_band" if p.kind == "registered" else "utter_support_band"
        reply.say(response, name=p.name, band=p.starting_band)
        if p.detail("band_note"):
            reply.say("utter_profession_band_note", note=p.detail("band_note"))
    elif p.detail("no_band"):
        reply.say("utter_profession_no_band", name=p.name, why=p.detail("no_band"))
    else:
        reply.say("utter_profession_band_unknown", name=p.name)
    return reply


def list_ahps(ctx: Services, turn: Turn) -> Reply:
    registered = ctx.kb.professions("registered")
    support = ctx.kb.professions("support")
    # the guide counts diagnostic and therapeutic radiography as one profession
    count = len(registered) - sum(len(g.professions) - 1 for g in ctx.kb.groups if g.counts_as_one)
    reply = Reply()
    named = [p for p in map(ctx.profession, turn.values("profession")) if p is not None]
    for p in named:
        # "is a paramedic an AHP?": yes first, then the list
        reply.say("utter_is_an_ahp" if p.kind == "registered" else "utter_is_ahp_support", name=p.name)
    if len(named) == 1:
        reply.show(card(ctx, named[0], "summary")).remember(profession=named[0].id)
    return (
        reply.say(
            "utter_ahps",
            count=count,
            registered=ctx.join(p.name for p in registered),
            support=ctx.join(p.name for p in support),
        )
        .show(
            {
                "type": "profession_list",
                "professions": [{"id": p.id, "name": p.name, "kind": p.kind} for p in registered + support],
            }
        )
        .say(
            "utter_ahps_next",
            buttons=[
                button(ctx.intent_labels["find_career"], "find_career"),
                button(ctx.intent_labels["ask_routes"], "ask_routes"),
                button(ctx.intent_labels["ask_demand"], "ask_demand"),
            ],
        )
    )


def _titles_named(ctx: Services, p: Profession, text: str) -> list[str]:
    """The job's protected titles a message names, with its own name when another is named."""
    words = " " + " ".join(re.findall(r"[\w&'-]+", text.lower())) + " "  # as typed: "dietician" is a title
    named = [t for t in p.protected_titles if f" {t.lower()} " in words or f" {t.lower()}s " in words]
    if named and p.name.lower() not in named:
        named.insert(0, p.name.lower())
    return list(dict.fromkeys(named))


def compare(ctx: Services, turn: Turn) -> Reply:
    chosen: list[str] = []
    for group_id in turn.values("profession_group"):
        group = ctx.kb.group(group_id)
        chosen += list(group.professions) if group else []
    chosen += turn.values("profession")
    # "podiatrist vs chiropodist", "prosthetics and orthotics": one job by two of its names;
    # "a dietitian and a PT who does meal plans": one job and a role that is not an AHP.
    # Other jobs join only when the message points at them ("compare it with dietitian").
    named_alone = len(chosen) == 1 and not _REFERS.search(turn.text or "")
    if len(chosen) == 1 and turn.text:
        # "orthoptist vs optician": one AHP job and a job that is not one, which an everyday answer
        # tells apart, rather than the job beside it in a list shown before
        from bot.dialogue import answers  # (answers uses this module's card and focus)

        plainly = answers.strong(ctx, turn)
        if plainly is not None and plainly.topic == "difference":
            p = ctx.profession(chosen[0])
            return answers.say_answer(ctx, Reply(), plainly, answers.subject(ctx, plainly, p))
    if len(chosen) == 1 and turn.profession and turn.profession not in chosen and not named_alone:
        chosen.insert(0, turn.profession)
    for extra in turn.recommended if not named_alone else ():
        if len(dict.fromkeys(chosen)) >= 2:
            break
        if extra:
            chosen.append(extra)
    compared = [o for o in map(ctx.profession, dict.fromkeys(chosen)) if o is not None][:MAX_COMPARED]
    chosen = [o.id for o in compared]
    if len(chosen) < 2:
        # "prosthetist vs orthotist?": one profession with two titles, or a role that is not
        # an AHP ("dietitian or nutritionist?"): an everyday answer may tell them apart
        from bot.dialogue import answers  # (answers uses this module's card and focus)

        found = answers.best(ctx, turn, ("difference",)) if turn.text else []
        p = ctx.profession(chosen[0]) if chosen else None
        if found:
            return answers.say_answer(ctx, Reply(), found[0], answers.subject(ctx, found[0], p))
        if p is not None:
            # no answer tells these two apart: what the one AHP job is, from its card, and when
            # the other name is one of its protected titles ("is a chiropodist the same?"), so
            reply = Reply()
            titles = _titles_named(ctx, p, turn.text or "")
            regulator = next((r for r in ctx.kb.regulators if r.id == p.regulator), None)
            if len(titles) > 1 and regulator is not None:
                reply.say(
                    "utter_same_job_two_titles",
                    titles=ctx.join(f"“{t}”" for t in titles),
                    regulator=regulator.name,
                )
            return reply.extend(detail(ctx, replace(turn, intent="ask_profession_info")))
        buttons = [
            button(ctx.intent_labels["ask_what_are_ahps"], "ask_what_are_ahps"),
            button(ctx.intent_labels["find_career"], "find_career"),
        ]
        return Reply().say("utter_compare_need_two", buttons=buttons)
    profile = ctx.profile(turn.profile)
    reply = Reply().say("utter_compare_intro", names=ctx.join(o.name for o in compared))
    rows = []
    for p in compared:
        band = ctx.labels["band"].format(band=p.starting_band) if p.starting_band else ctx.labels["band_unknown"]
        routes = [r.name for r in p.routes]
        demand = demand_lines(ctx, p)
        reply.say(
            "utter_compare_item",
            name=p.name,
            summary=p.summary,
            settings=p.settings,
            routes=ctx.join(routes),
            requirements=p.entry_requirements,
            band=band,
            demand="; ".join(demand),
        )
        rows.append(
            {
                "id": p.id,
                "name": p.name,
                "summary": p.summary,
                "settings": p.settings,
                "routes": [{"id": r.id, "name": r.name} for r in p.routes],
                "fitting_routes": [r.id for r in ctx.matcher.fit_routes(p.id, profile)],
                "entry_requirements": p.entry_requirements,
                "starting_band": p.starting_band,
                "shortage": p.shortage,
                "small_and_vital": p.small_and_vital,
            }
        )
    reply.show({"type": "comparison", "professions": rows})
    for p in compared:
        # the contract's mark for each job whose facts the reply shows (no name: the table is its card)
        reply.show({"type": "profession", "id": p.id, "aspect": "compared"})
    reply.say(
        "utter_compare_next",
        buttons=[
            button(ctx.intent_labels["ask_routes"] + ": " + o.name, "ask_routes", profession=o.id) for o in compared
        ],
    )
    # the jobs compared are now the list "the second one" points into
    return reply.remember(profession=chosen[0], recommended=chosen)
