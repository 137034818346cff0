"""Everyday questions with one sourced answer each (knowledge/answers.yml):
money while studying, practical requirements, differences between roles,
progression, next steps, returning to practice, training abroad, careers talks.

The answer is chosen by the words of the question (each answer's `cues`,
matched on the normalised text, longer cues counting for more; a cue's content
words in another order count for less), the profession it is about, and who
regulates that profession."""

from __future__ import annotations

import re
from dataclasses import replace

from bot.dialogue import payloads
from bot.dialogue.professions import card, detail, focus
from bot.dialogue.reply import Reply, Turn, button
from bot.dialogue.services import Services
from bot.knowledge.repository import Answer, Profession

# intent -> the topics its questions are about
TOPICS = {
    "ask_money": ("money",),
    "ask_practical": ("practical",),
    "ask_difference": ("difference",),
    "ask_progression": ("progression",),
    "ask_next_steps": ("next-steps",),
    "ask_outreach": ("outreach", "next-steps"),
    "ask_return_to_practice": ("returning",),
    "ask_rtp_myth": ("returning",),
    "ask_routes": ("international",),
}
NAMED_BONUS = 3.0  # the question names the other role the answer compares with
PROFESSION_BONUS = 1.0
OTHER_NAMED_BONUS = 0.5  # for each other job the question names that the answer is about too


# whose it is does not change what is asked: "check your art" is the cue "my art"
_POSSESSIVES = {
    "your": "my",
    "ur": "my",
    "their": "my",
    "his": "my",
    "her": "my",
    "our": "my",
    "yourself": "myself",
    "urself": "myself",
    "themselves": "myself",
    "themself": "myself",
    "himself": "myself",
    "herself": "myself",
    "ourselves": "myself",
}


def _word_form(word: str) -> str:
    """One form for words that ask the same: "months" and "month", "placements" and
    "placement" (not "class" or "bus"), "your art" and "my art", "yourself" and "myself"."""
    word = _POSSESSIVES.get(word, word)
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")) else word


def _words(text: str) -> str:
    return f" {' '.join(_word_form(w) for w in re.findall(r'[a-z0-9£]+(?:[-.][a-z0-9]+)*', text.lower()))} "


def _has(words: str, phrase: str) -> bool:
    return _words(phrase) in words


# words that only hold a cue together ("will the trust pay"): the rest say what it is about
_GLUE = set(
    "a an the my i me you it its to of for in on at with do does did will would can could should "
    "is are was be been have has had get got that this there any some and or "
    "what who how which where when why".split()
)
LOOSE = 0.5  # a cue whose every content word is in the question, in another order or apart


def _loosely_has(words: str, phrase: str) -> int:
    """The content words of a cue of two or more of them, when the question has them all
    ("would my trust have to pay for it": "will the trust pay"), else 0."""
    content = [w for w in _words(phrase).split() if w not in _GLUE]
    return len(content) if len(content) >= 2 and all(f" {w} " in words for w in content) else 0


def score(answer: Answer, words: str, profession: Profession | None) -> float:
    """How well `answer` fits a question (its words normalised), 0 when it does not."""
    if answer.professions and (profession is None or profession.id not in answer.professions):
        if not any(_has(words, term) for term in answer.about):
            return 0.0
    if (
        answer.regulator
        and profession is not None
        and profession.regulator
        and profession.regulator != answer.regulator
    ):
        return 0.0
    if answer.regulator == "gosc" and profession is None:
        return 0.0  # the osteopaths' own answers only when osteopaths are the subject
    found: float = sum(len(cue.split()) for cue in answer.cues if _has(words, cue))
    if not found:
        found = LOOSE * max((_loosely_has(words, cue) for cue in answer.cues), default=0)
    if not found:
        return 0.0
    bonus = NAMED_BONUS if any(_has(words, term) for term in answer.about) else 0.0
    if profession is not None and profession.id in answer.professions:
        bonus += PROFESSION_BONUS
    return found + bonus


def best(ctx: Services, turn: Turn, topics: tuple[str, ...] | None = None, at_least: float = 0.0) -> list[Answer]:
    """The answers that fit the question best (more than one on a tie), best first; none
    that scores less than `at_least`."""
    words = _words(ctx.matcher.normaliser(turn.text or ""))
    route = ctx.kb.route(turn.route) if turn.route and not turn.values("route") else None
    if route is not None:
        # "who pays the uni fees on that?" just after the apprenticeship: asked about that way in
        words += _words(route.name).lstrip()
    profession = focus(ctx, turn)
    # the other jobs the question names: an answer about them too fits it better ("the
    # difference between a physio and an OT": the answer about both, not the one about physios)
    others = set(turn.reading.named if turn.reading is not None else ()) - {profession.id if profession else ""}
    scored = [(score(a, words, profession), a) for a in ctx.kb.answers() if topics is None or a.topic in topics]
    scored = [
        (s + OTHER_NAMED_BONUS * len(others & set(a.professions)), a) for s, a in scored if s > 0 and s >= at_least
    ]
    if not scored:
        return []
    top = max(s for s, _ in scored)
    return [a for s, a in sorted(scored, key=lambda x: -x[0]) if s == top]


def international(ctx: Services, turn: Turn) -> Reply:
    """A question from someone trained abroad (English test, fee, how long): the answer for them."""
    return answer(ctx, turn, ("international",))


def strong(ctx: Services, turn: Turn) -> Answer | None:
    """The everyday answer a question plainly asks for, whatever intent it was read as: it
    names what the answer is about and uses one of its cues ("is radiography just x-rays?")."""
    words = _words(ctx.matcher.normaliser(turn.text or ""))
    profession = focus(ctx, turn)
    scored = [(score(a, words, profession), a) for a in ctx.kb.answers()]
    top, found = max(scored, key=lambda x: x[0], default=(0.0, None))
    return found if top > NAMED_BONUS else None


def subject(ctx: Services, answer: Answer, profession: Profession | None) -> Profession | None:
    """The job an answer is said about: its own when it is about one job and not the one being
    discussed ("is that the same as a nutritionist?" after a list that led with podiatry)."""
    if len(answer.professions) == 1 and (profession is None or profession.id not in answer.professions):
        return ctx.profession(answer.professions[0])
    return profession


def say_answer(ctx: Services, reply: Reply, answer: Answer, profession: Profession | None) -> Reply:
    links = [s for s in answer.source if s.startswith("https://")]
    reply.say(
        "utter_answer",
        title=answer.title,
        detail=answer.text,
        more=links[0] if links else ctx.labels["health_careers_url"],
    )
    reply.show(
        {
            "type": "answer",
            "id": answer.id,
            "topic": answer.topic,
            "source": list(answer.source),
            "checked": answer.checked,
        }
    )
    if links:  # where the answer comes from, to read more
        reply.show(payloads.resources(payloads.link(answer.title, url) for url in links))
    if profession is not None:
        reply.show(card(ctx, profession, answer.topic))
        reply.remember(profession=profession.id)
    return reply


def answer(ctx: Services, turn: Turn, topics: tuple[str, ...] | None = None) -> Reply:
    topics = topics or TOPICS.get(turn.intent)
    found = best(ctx, turn, topics)
    profession = focus(ctx, turn)
    reply = Reply()
    if not found:
        # the question's kind is known but not this one: say so, and who can answer
        reply.say("utter_answer_unknown")
        if profession is not None and turn.intent == "ask_practical":
            # "do I need grade 8 for music therapy?": what that job asks of people coming in
            return reply.extend(detail(ctx, replace(turn, intent="ask_entry_requirements")))
        return reply.say("utter_human_handoff")
    chosen = found[0]
    profession = subject(ctx, chosen, profession)
    say_answer(ctx, reply, chosen, profession)
    about = {"profession": profession.id} if profession else {}
    return reply.say(
        "utter_answer_next",
        buttons=[
            button(ctx.intent_labels["ask_routes"], "ask_routes", **about),
            button(ctx.intent_labels["ask_resources"], "ask_resources", **about),
        ],
    )
