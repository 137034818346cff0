"""The intent, given what the message says: DIET reads a message as a whole
and knows nothing of the knowledge base, so a greeting or a thank-you that
also tells the assistant something ("hiya, i'm in year 10 and love netball"),
or a long message it is unsure about, would lose what was said. Plain Python,
applied by bot.nlu.components.MessageReader between DIET and the fallback."""

from __future__ import annotations

import re
from collections.abc import Callable

from bot.matching.reading import Reading
from bot.matching.years import only_an_amount
from bot.nlp import FOLLOW_UP, FOLLOW_UP_WORDS, QUESTION, SENTENCES, WAY_IN, WH_QUESTION, phrase_pattern

SMALL_TALK = ("greet", "goodbye", "thank", "affirm", "deny")
# what the assistant does rather than what it knows: never a guess at a careers question
NOT_CAREERS = SMALL_TALK + (
    "nlu_fallback",
    "out_of_scope",
    "help",
    "restart",
    "bot_challenge",
    "human_handoff",
    "feedback",
    "link_clicked",
    "at_risk",
)
SURE_OF_SMALL_TALK = 0.8  # "talk later 👋" is a goodbye, whatever "talk" might mean
LONG = 6  # words: a message this long says more than hello
STORY = 10  # words: a message this long that DIET can't place tells about them
LIFE_STORY = 30  # words: a message this long with their interests is about them
ABOUT_ME = ("tell_about_me",)  # needs something about the person: interests or circumstances
UNSURE = 0.45  # the FallbackClassifier's threshold (config.yml)
SURE = 0.9  # the confidence given to an intent chosen here
AMBIGUOUS = 0.05  # the FallbackClassifier's ambiguity_threshold (config.yml)
GUESS = 0.3  # DIET's careers guess taken when the message names nothing itself
# intents that can't be about one job the message describes ("is there one where you
# run the MRI scanners?" reads to DIET like "are you a bot?")
NOT_ABOUT_ONE_JOB = (
    "ask_what_are_ahps",
    "bot_challenge",
    "out_of_scope",
    "nlu_fallback",
    "greet",
    "affirm",
    "deny",
    "thank",
)
# the questions about a job or a topic, one of which a question's own words can point to
QUESTIONS = (
    "ask_profession_info",
    "ask_profession_settings",
    "ask_regulator",
    "ask_entry_requirements",
    "ask_pay",
    "ask_demand",
    "ask_routes",
    "ask_resources",
    "ask_key_dates",
    "ask_next_steps",
    "ask_money",
    "ask_practical",
    "ask_difference",
    "ask_progression",
    "ask_outreach",
)
# a returner's questions and the myths they believe: both answered by the return to practice reply
RETURNING = ("ask_return_to_practice", "ask_rtp_myth")
# questions that, with a way in named, are about that way in ("is the apprentice paid?")
ABOUT_A_WAY_IN = ("ask_profession_info", "ask_pay")
# the questions about one job (a job named in an unsure question is asked about in one of these)
JOB_QUESTIONS = (
    "ask_profession_info",
    "ask_profession_settings",
    "ask_regulator",
    "ask_entry_requirements",
    "ask_pay",
    "ask_demand",
    "ask_routes",
    "compare_professions",
    "ask_difference",
    "ask_practical",
    "ask_money",
    "ask_progression",
)
# a step from where they are towards a job ("could that lead to being a physio one day")
_TOWARDS = re.compile(
    r"\b(?:lead to|leads to|lead on to|end up|go on to|going on to|from there|"
    r"stepping stone|one day|eventually|later on|after that|work (?:my|your|ur) way)\b",
    re.I,
)
# "how do i become a pilot": a job named after "become a" / "get into" ...
_BECOME_WHAT = re.compile(
    r"\b(?:become|becoming|be|train as|qualify as)\s+(?:a|an)\s+([a-z]+)|"
    r"\bget(?:ting)? (?:into|in to)\s+([a-z]+)",
    re.I,
)
# ... unless the word after it points back, or at this chat's own subject
_OWN_SUBJECT = {
    "it",
    "that",
    "this",
    "one",
    "them",
    "those",
    "the",
    "an",
    "a",
    "nhs",
    "health",
    "healthcare",
    "ahp",
    "ahps",
    "allied",
    "uni",
    "university",
    "hospital",
    "hospitals",
    "therapy",
    "therapist",
    "registered",
    "qualified",
    "proper",
    "fully",
    "student",
    "trainee",
    "apprentice",
    "job",
    "career",
    "role",
    "support",
    "assistant",
    "helper",
    "returner",
    "practice",
    "work",
    "there",
    "something",
    "anything",
    "any",
    "some",
    "my",
    "your",
    "ur",
    "his",
    "her",
    "their",
    "what",
}
# whether a job is one of the AHPs ("does paramedic count as one of them?")
_MEMBERSHIP = re.compile(
    r"\b(?:count|counts|counted|classed|class(?:ed)? as|included|one of (?:them|those|the)|"
    r"part of (?:it|that|them|the))\b",
    re.I,
)
_WHICH_ONE = re.compile(
    r"\b(?:which|what)(?:'s| is)? (?:one|job|ahp|profession|career|role|kind|type|sort|branch|specialism)\b|"
    r"\bthe one (?:that|who|which|where)\b|\bcalled\b|"
    # "is that an nhs job??", "is that even a real job": whether the job described is one
    r"\bis (?:that|it|this) (?:even |actually |really )?(?:an? )?(?:real |actual |proper )?(?:nhs )?"
    r"(?:job|career|role|thing)\b",
    re.I,
)  # one job, not a list
_ABOUT_ME = re.compile(r"\b(?:i|i'm|im|i've|ive|we)\b", re.I)  # a subject: "help me with" is a request
# whether something just told changes the answer ("does that change anything", "would it help")
_CHANGES_ANYTHING = re.compile(
    r"\b(?:does|do|would|will|could|can|should)\s+(?:that|it|this|those|these)\s+(?:change|help|matter|count|"
    r"make (?:a|any) difference|affect)\b|\bchange anything\b|\bmake a difference\b",
    re.I,
)
# a question asked inside a sentence ("and later on could i become the OT one")
_COULD_I = re.compile(r"\b(?:could|can|would|will|should|might) (?:i|he|she|they|we|you)\b", re.I)
# training for the job, as opposed to doing it
# (not "qualify": "paid when they first qualify" is what the job pays)
_TRAINING = re.compile(r"\b(?:train|training|trainee|study|studying|course|uni|university)\b", re.I)
# a question that starts as one ("is that not just...", "does it..."), not a yes or a no that goes on
_YES_NO_QUESTION = re.compile(
    r"^\W*(?:(?:so|and|ok|okay|but|wait|hang on)\W+)*(?:is|isn't|isnt|are|aren't|"
    r"do|does|doesn't|did|can|could|would|will|should)\b",
    re.I,
)
# a question whose subject is the job ("do they", "does it", "is that job")
_ABOUT_A_JOB = re.compile(
    r"\b(?:do|does|did|are|is|can|could|would|will)\s+(?:they|that job|he|she)\b|"
    r"\b(?:they|it)\s+(?:do|does|work|get|go|have|need|use|spend)\b|"
    # "you" for whoever does the job: "do you get to do MRI straight away", "is that part of the job"
    r"\b(?:do|does|would|will)\s+(?:you|u)\s+(?:get to|have to|need to|specialise|specialize|end up)\b|"
    r"\bpart of the job\b|\ba separate (?:thing|job|role|profession)\b|"
    r"\bsomething (?:you|u|they) (?:specialise|specialize|train|move) (?:in|into|later)\b",
    re.I,
)
# the words that ask to start the conversation again (and forget it)
_START_AGAIN = re.compile(
    r"\b(?:restart|re-start|reset|wipe|clear|redo|begin|fresh|afresh|"
    r"new (?:chat|conversation|session)|(?:from|to) the (?:top|start|beginning)|erase|refresh|"
    r"from scratch|undo|"
    r"start\b[^.?!]{0,20}\b(?:again|over)|forget (?:what|everything|it all|all)|"
    r"ignore everything|question one|bin (?:all|it|that))\b",
    re.I,
)
# "what is it?", "what do they do?", "what's that?": the job just named, as a whole question
_WHAT_IS_IT = re.compile(
    r"^\W*(?:(?:so|and|ok|okay|but|sorry|um+|erm)\W+)*(?:what(?:'s| is| are)|whats)\s+"
    r"(?:it|that|this|they|them|that job|that one)\s*(?:then|exactly|actually|even)?\W*$|"
    r"^\W*(?:(?:so|and|ok|okay|but)\W+)*what (?:do|does) (?:they|it|that job|"
    r"(?!(?:i|we|you|u|me|my|our)\b)(?:an? |the )?[a-z' -]{2,40}?) (?:actually |even |really )?do\W*$",
    re.I,
)


# a question told inside a sentence ("they'll ask what an orthoptist is and i dont know")
_WHAT_ONE_IS = re.compile(r"\bwhat (?:an? |the )?[a-z' -]{2,40}? (?:actually |even |really )?(?:is|does|do)\b", re.I)


def _asks_what_it_is_inside(text: str, reading: Reading) -> bool:
    """A question about the one job named, asked inside a sentence that tells something."""
    spans = [m.span() for m in _WHAT_ONE_IS.finditer(text)]
    return any(e.entity == "profession" and a <= e.start < b for e in reading.entities for a, b in spans)


def _last_question(text: str) -> str:
    """The last sentence that asks something ("I had to pretend I knew!! What is it?": "What is it?")."""
    asked = [s for s in SENTENCES.split(text) if "?" in s]
    return re.split(r"[,;:]\s*", asked[-1] if asked else text)[-1]  # "..., what is that?"


def _questions(text: str) -> list[str]:
    """The last question, then each sentence that asks something, as its last clause ("what does
    an orthoptist do? my nan saw one": the first)."""
    asked = [re.split(r"[,;:]\s*", s)[-1] for s in SENTENCES.split(text) if "?" in s]
    return [_last_question(text)] + asked


MIN_WORDS = 3  # "hi", "thanks a lot": nothing to read


# an everyday answer's topic (knowledge/answers.yml) -> the intent asking for it
TOPIC_INTENTS = {
    "money": "ask_money",
    "practical": "ask_practical",
    "difference": "ask_difference",
    "progression": "ask_progression",
    "next-steps": "ask_next_steps",
    "returning": "ask_return_to_practice",
    "international": "ask_routes",
    "outreach": "ask_outreach",
}
MIN_CUE_WORDS = 2  # cue words an unsure question needs to be placed by the knowledge base
# the everyday answers' questions that a message telling about someone may ask as well
ANSWERED_EVERY_DAY = ("ask_money", "ask_practical", "ask_difference", "ask_progression", "ask_next_steps")


def knowledge_intent(kb, normalise: Callable[[str], str]) -> Callable[[str], str | None]:
    """The intent the knowledge base's own words point to: a return-to-practice myth's
    phrases, or an everyday answer's cues (the words each one is about). The function
    also has `.evidence(text)`: each intent with how many of its cue words the text uses."""
    pattern = phrase_pattern
    # each answer's cues as one pattern, compiled once (the words, and how many each cue has);
    # a job's name says what the question is about, not what it asks, so it is no evidence
    names = {n.lower() for p in kb.professions() for n in (p.name, *p.aliases)}
    # a cue an answer shares with a question ("get in": art therapy's portfolio, and the ways
    # in) says what is asked, not which answer: it counts for the question only
    asking = {c.lower() for cues in kb.question_cues.values() for c in cues}
    answers = [
        (a.topic, pattern([c for c in a.cues if c.lower() not in asking]))
        for a in kb.answers()
        if any(c.lower() not in asking for c in a.cues)
    ]
    evidence_of = [
        (a.topic, pattern([c for c in a.cues if c.lower() not in names | asking]))
        for a in kb.answers()
        if any(c.lower() not in names | asking for c in a.cues)
    ]
    myths = pattern([p for m in kb.myths() for p in m.phrases if len(p.split()) > 1])

    questions = [(intent, pattern(cues)) for intent, cues in kb.question_cues.items() if cues]
    returning = pattern(kb.returning_words)

    def words_of(cues: re.Pattern, words: str) -> int:
        return sum(len(found.split()) for found in set(cues.findall(words)))

    def asks(name: str, cues: re.Pattern, words: str) -> int:
        """The cue words of a question in the message; a way in asked for in its own shape
        ("is there another route into it?") counts as much as a two-word cue."""
        found = words_of(cues, words)
        return found + (MIN_CUE_WORDS if name == "ask_routes" and WAY_IN.search(words) else 0)

    def intent(text: str) -> str | None:
        words = " ".join(normalise(text).split())
        if myths.search(words):
            return "ask_rtp_myth"
        scored = [(words_of(cues, words), topic) for topic, cues in answers]
        best, topic = max(scored, default=(0, None))
        # what the question asks for, said in so many words ("how do i get started?"): it wins
        # when it says more than an answer's cues ("how do i get in after my a levels" asks
        # for the routes, though "get in" is also a cue of the art therapy portfolio answer)
        asks, name = most_asked(words)
        if (
            topic is not None
            and best >= MIN_CUE_WORDS
            and best >= asks
            and (topic != "returning" or returning.search(words))
        ):
            # (a question about coming back says so: "how long is the course?" is not one)
            return TOPIC_INTENTS.get(topic)
        return name if asks else None

    def most_asked(words: str) -> tuple[int, str | None]:
        return max(((asks(name, cues, words), name) for name, cues in questions), default=(0, None))

    def asked_in(words: str) -> str | None:
        best, name = most_asked(words)
        return name if best else None

    def inside_a_longer_cue(words: str) -> dict[str, int]:
        """Each question's cue words that are part of a longer cue of another question: "pay"
        in "have to pay fees" (money) is no word for what a job pays."""
        found = [(name, m.start(), m.end()) for name, cues in questions for m in cues.finditer(words)]
        return {
            name: sum(
                len(words[a:b].split())
                for n, a, b in found
                if n == name and any(o != name and s <= a and b <= e and e - s > b - a for o, s, e in found)
            )
            for name, _ in questions
        }

    def evidence(text: str) -> tuple[dict[str, int], dict[str, int]]:
        """Question intents and the cue words of each that the message uses: any at all
        (a word for DIET's choice), and enough to choose the intent by (two of an answer's)."""
        words = " ".join(normalise(text).split())
        shadowed = inside_a_longer_cue(words)
        some = {name: max(0, asks(name, cues, words) - shadowed[name]) for name, cues in questions}
        enough = dict(some)
        for topic, cues in evidence_of:
            name = TOPIC_INTENTS.get(topic)
            count = words_of(cues, words)
            if name and (topic != "returning" or returning.search(words)):
                some[name] = some.get(name, 0) + count
                if count >= MIN_CUE_WORDS:
                    enough[name] = enough.get(name, 0) + count
        return some, enough

    def asked(text: str) -> str | None:
        """The question intent whose cue words the message uses most, if any."""
        return asked_in(" ".join(normalise(text).split()))

    intent.evidence = evidence  # type: ignore[attr-defined]
    intent.asked = asked  # type: ignore[attr-defined]
    return intent


def _asked(by_knowledge, text: str) -> str | None:
    """The question intent the knowledge base's cue words point to (its `asked`), if any."""
    if by_knowledge is None:
        return None
    return getattr(by_knowledge, "asked", by_knowledge)(text)


def _asking_part(text: str) -> str:
    """The sentences of a message that ask something, when it also tells something; else all of it."""
    sentences = [s for s in SENTENCES.split(text) if s.strip()]
    asking = [s for s in sentences if QUESTION.search(s)]
    said = " ".join(asking)
    # ("... have to be in therapy themselves while training. true?": the question is the sentence before)
    return said if asking and len(asking) < len(sentences) and len(said.split()) >= MIN_WORDS + 1 else text


def _by_the_words(guess: str, ranking: list[dict], reading: Reading, text: str, evidence) -> str | None:
    """Another question than DIET's `guess` when the message has no word of the guess and some
    of the other's ("how long is uni for speech therapy" read as money): the words win, those
    of the sentences that ask first ("what do paramedics earn? they always ask about money": pay)."""
    some, said = evidence(_asking_part(text))
    if reading.routes and guess in ABOUT_A_WAY_IN:
        # "what's an apprenticeship in that like", "is the apprentice paid?": that way in
        # (what a qualified one earns is not what an apprentice is paid)
        return "ask_routes"
    if reading.routes and not said.get("ask_money"):
        # "is there an apprenticeship for it": a route named is a routes question (but "any
        # funding if i did the masters" asks about money for that route)
        said["ask_routes"] = said.get("ask_routes", 0) + 1
    if some.get(guess):
        return None
    order = {r["name"]: i for i, r in enumerate(ranking)}
    cued = sorted((n for n, count in said.items() if count), key=lambda n: (-said[n], order.get(n, len(order))))
    return cued[0] if cued else None


def choose(
    ranking: list[dict], reading: Reading, text: str, by_knowledge: Callable[[str], str | None] | None = None
) -> dict | None:
    """A better intent than DIET's first choice, or None to keep DIET's."""
    if not ranking:
        return None
    if only_an_amount(text):
        # "nearly 4", "6ish": an answer about themselves (how long they've been out), not chit-chat
        return {"name": "tell_about_me", "confidence": SURE}
    if (
        ranking[0].get("confidence", 0.0) < UNSURE
        and len(text.split()) <= FOLLOW_UP_WORDS
        and FOLLOW_UP.match(text)
        and (reading.other or reading.ordinal or reading.named or reading.groups)
    ):
        # "and the other one?": a follow-up the replies answer as the last question again;
        # one that asks something in its own words ("so the OT one how long is uni") asks that
        return {"name": _asked(by_knowledge, text) or "ask_profession_info", "confidence": SURE}
    if len(text.split()) < MIN_WORDS:
        if ranking[0].get("confidence", 0.0) < UNSURE and reading.interests and not reading.named:
            # "art", "football and drama": an interest said on its own, not gibberish
            return {"name": "tell_about_me", "confidence": SURE}
        if ranking[0].get("confidence", 0.0) < UNSURE and reading.circumstances and "?" not in text:
            # "physio. lapsed.", "year 10": where they are, said on its own (kept for what follows)
            return {"name": "tell_about_me", "confidence": SURE}
        found = _asked(by_knowledge, text) if ranking[0].get("confidence", 0.0) < UNSURE else None
        # "how long?", "what pay": a question all in the knowledge base's words (about the job
        # being discussed), not something to guess at
        return {"name": found, "confidence": SURE} if found else None
    first = ranking[0]
    if (
        len(set(reading.named)) == 1
        and first["name"] not in ("ask_profession_info", "at_risk")
        and any(_WHAT_IS_IT.search(q) for q in _questions(text))
    ):
        # "...she wants to be an 'ODP' and I had to pretend I knew what that was!! What is it?":
        # the one job named, whatever else the story made DIET think of ("what does an OT actually
        # do? my nan had one after her hip op": the question first, then the story)
        return {"name": "ask_profession_info", "confidence": SURE}
    if (
        (first["name"] in ABOUT_ME + SMALL_TALK + ("find_career", "restart") or first.get("confidence", 0.0) < UNSURE)
        and reading.profile.signals
        and not reading.returning
        and _CHANGES_ANYTHING.search(text)
    ):
        # "a few already have degrees in other things... does that change anything": where they
        # stand, told to ask whether it changes the way in (whatever DIET made of it: "oh forgot
        # to say ive got a bsc in sport, does that change things" was half "start again")
        return {"name": "ask_routes", "confidence": SURE}
    if (
        first["name"] in ABOUT_ME + ("find_career",)
        and len(set(reading.named)) == 1
        and not reading.interests
        and _asks_what_it_is_inside(text, reading)
    ):
        # "one of them is bound to ask what an orthoptist is and i genuinely dont know": what the
        # job is, not jobs for them (with their interests told, jobs for them stand)
        return {"name": "ask_profession_info", "confidence": SURE}
    if (
        first["name"] not in RETURNING + ("at_risk", "ask_money")
        and QUESTION.search(text)
        and "needs-to-earn" in reading.profile.signals
        and _TRAINING.search(text)
        and _ABOUT_ME.search(text)
        and not reading.returning
        and not (by_knowledge is not None and by_knowledge(text) == "ask_money")
    ):
        # "could i train for that without giving up my wage? got a mortgage": a way in that pays
        # while they train, not what the job pays once qualified (whatever DIET made of it: "ok
        # and ..." reads as a yes; and DIET's own "ways in" stands against the word "wage"); a
        # question in the words of money for study ("a student loan for my first degree") is that
        return {"name": "ask_routes", "confidence": SURE}
    last = _last_question(text)
    if (
        first["name"] in ABOUT_ME + ("find_career", "ask_what_are_ahps", "ask_outreach", "ask_resources")
        and last.strip() != text.strip()
        and "?" in text
    ):
        # "...which is awkward because I barely know some of them. what does an orthoptist do?":
        # a story that ends in a question about one job it names there asks that question
        asked = _asked(by_knowledge, last)
        where = text.rfind(last)
        there = {e.value for e in reading.entities if e.entity == "profession" and e.start >= where}
        if asked in JOB_QUESTIONS and len(there) == 1:
            return {"name": asked, "confidence": SURE}
    if (
        first["name"] in ABOUT_ME + SMALL_TALK + ("ask_what_are_ahps", "help", "human_handoff")
        and QUESTION.search(text)
        and not _ABOUT_ME.search(text)
        and _ABOUT_A_JOB.search(text)
        and not reading.circumstances
    ):
        # "do they do more than sport stuff": a question about the job being discussed, whatever
        # interest words are in it, not something told about the person ("so do they do the
        # actual operation" is not asking for a person to talk to either)
        return {"name": "ask_profession_info", "confidence": SURE}
    asking = _asking_part(text)
    if (
        first["name"] in ABOUT_ME + ("find_career",)
        and by_knowledge is not None
        and QUESTION.search(asking)
        and by_knowledge(asking) in ANSWERED_EVERY_DAY
    ):
        # "someone said I'd have to be in therapy myself while training, is that true?": about
        # them, but asking what an everyday answer says (two or more of its own cue words)
        return {"name": by_knowledge(asking), "confidence": SURE}
    if first["name"] == "restart" and first.get("confidence", 0.0) >= UNSURE and not _START_AGAIN.search(text):
        # "want back in": starting again forgets everything the person has said, so only the
        # words for it start again; else what the message asks, or "did you mean ...?"
        found = _asked(by_knowledge, text) or ("ask_return_to_practice" if reading.returning else None)
        careers = [r["name"] for r in ranking[1:] if r["name"] not in NOT_CAREERS and r.get("confidence", 0.0) >= GUESS]
        return {
            "name": found or (careers[0] if careers else "nlu_fallback"),
            "confidence": SURE if found or careers else UNSURE,
        }
    if first["name"] == "restart" and (reading.routes or reading.named or reading.groups):
        # "could i start as a helper and work up": a question about a way in, not "start
        # again" (which would forget everything the person has said)
        found = _asked(by_knowledge, text)
        careers = [r["name"] for r in ranking[1:] if r["name"] not in NOT_CAREERS]
        if found or careers:
            return {"name": found or careers[0], "confidence": SURE}
    if (
        (
            first["name"] in ("ask_progression", "ask_next_steps", "find_career", "ask_routes")
            or first.get("confidence", 0.0) < UNSURE
        )
        and any(e.entity == "profession" and e.role == "target" for e in reading.entities)
        and (QUESTION.search(text) or _COULD_I.search(text))
        and _TOWARDS.search(text)
    ):
        # "could that lead to being a physio one day?", "could I go on from there to be a
        # proper physio?": the way into the job they want, not where a job leads
        return {"name": "ask_routes", "confidence": SURE}
    if first["name"] == "ask_routes" and not (
        reading.named or reading.groups or reading.routes or reading.interests or reading.described
    ):
        asked_for = _BECOME_WHAT.search(text)
        job = asked_for and (asked_for.group(1) or asked_for.group(2) or "").lower()
        if job and job not in _OWN_SUBJECT:
            # "how do I become a pilot?": a job this chat doesn't cover, not the AHP ways in
            return {"name": "out_of_scope", "confidence": SURE}
    if (
        first["name"] == "ask_return_to_practice"
        and not reading.returning
        and reading.profile.former_profession is None
        and reading.profile.years_out is None
        and not (reading.target or reading.named or reading.circumstances)
        and _ABOUT_A_JOB.search(text)
        and not _ABOUT_ME.search(text)
    ):
        # "wait do they work with dancers": a question about the job being discussed, nothing in
        # it about coming back (whatever interest it names); what its words ask, if they say
        found = _asked(by_knowledge, text)
        return {"name": found if found and found not in RETURNING else "ask_profession_info", "confidence": SURE}
    if (
        first["name"] == "ask_return_to_practice"
        and not reading.returning
        and reading.profile.former_profession is None
        and reading.profile.years_out is None
        and not (reading.target or reading.named or reading.circumstances or reading.interests)
    ):
        # "would I get any NHS money towards it?": nothing in it is about coming back (or
        # about them: the replies read a story), so DIET's next careers question (a
        # returner's follow-up still reaches their return: the replies know who is asking)
        nearby = [r for r in ranking[1:3] if r["name"] in QUESTIONS and r.get("confidence", 0.0) >= GUESS]
        if nearby:
            return {"name": nearby[0]["name"], "confidence": SURE}
        # ... else what its own words ask ("does she get any grant towards it?": money)
        found = _asked(by_knowledge, text)
        if found and found not in ("ask_return_to_practice", "ask_rtp_myth"):
            return {"name": found, "confidence": SURE}
    if first["name"] in ("affirm", "deny") and (
        WH_QUESTION.match(text) or (_YES_NO_QUESTION.match(text) and len(text.split()) >= LONG - 2)
    ):
        # "so who would arrange it then", "what else counts then", "is that not just an optician":
        # a follow-up question, not a yes or no; its words say which, else it is about what is being discussed (the
        # replies read a returner's question as about their return)
        found = by_knowledge(text) if by_knowledge is not None else None
        return {"name": found or "ask_profession_info", "confidence": SURE}
    if (
        first["name"] == "ask_what_are_ahps"
        and not (reading.named or reading.groups)
        and not _MEMBERSHIP.search(text)
        and _asked(by_knowledge, text) in JOB_QUESTIONS
    ):
        # "whats the training": a question about the job being discussed in the words of one,
        # not the list of the 14
        return {"name": _asked(by_knowledge, text), "confidence": SURE}
    if first.get("confidence", 0.0) < UNSURE and by_knowledge is not None:
        # DIET can't place it: the knowledge base's words may ("will the HCPC find me a placement?")
        found = by_knowledge(text)
        if found in ABOUT_A_WAY_IN and reading.routes and not reading.named:
            found = "ask_routes"  # "whats an apprenticeship in that like": the way in, not the job
        if found:
            return {"name": found, "confidence": SURE}
    says_something = bool(
        reading.interests
        or reading.named
        or reading.groups
        or reading.routes
        or reading.circumstances
        or reading.described
    )
    careers = [r for r in ranking if r["name"] not in NOT_CAREERS]
    if (
        first.get("confidence", 0.0) < UNSURE
        and careers
        and (says_something or careers[0].get("confidence", 0.0) >= GUESS)
    ):
        if reading.described and not reading.named:  # "and a diagnostic one?"
            return {"name": "ask_profession_info", "confidence": SURE}
        if (
            len(set(reading.named)) == 1
            and QUESTION.search(text)
            and not reading.routes
            and careers[0]["name"] not in JOB_QUESTIONS + ("ask_what_are_ahps",)
        ):
            # "do ODPs actually watch operations?": a question about the job it names, not
            # DIET's weak guess at links or dates (a guess at the list of AHPs stands: "which
            # are the 14? I only know physio")
            return {"name": "ask_profession_info", "confidence": SURE}
        if reading.interests and not reading.named and "?" not in text:
            return {"name": "tell_about_me", "confidence": SURE}
        if reading.profile.signals and not (reading.named or reading.routes) and not QUESTION.search(text):
            # "id need to keep earning too": where they stand, told, not a question to guess at
            return {"name": "tell_about_me", "confidence": SURE}
        if reading.routes and careers[0]["name"] in ABOUT_A_WAY_IN:
            # "so what's the apprenticeship in it like": a way in named is asked about, not the job
            return {"name": "ask_routes", "confidence": SURE}
        evidence = getattr(by_knowledge, "evidence", None)
        worded = (
            evidence is not None
            and careers[0]["name"] in QUESTIONS
            and _by_the_words(careers[0]["name"], careers, reading, text, evidence)
        )
        # a careers message DIET is unsure of: what its words ask ("is there an apprenticeship
        # then so i dont have to move", which DIET half reads as dates), else DIET's best careers
        # guess, which beats "I didn't understand"
        return {"name": worded or careers[0]["name"], "confidence": SURE}
    if by_knowledge is not None and (
        first["name"] == "out_of_scope"
        or (first["name"] in SMALL_TALK + ("help", "human_handoff") and QUESTION.search(text))
    ):
        # "How many days then?", "how do i get in": a question in the knowledge base's own
        # words, not a yes, a thank-you, "what can you do?", "can I talk to someone?" or something
        # off the topic (by what it asks, not by its topic: "fortnite or minecraft, which is
        # better" stays off topic)
        found = _asked(by_knowledge, text)
        if found:
            return {"name": found, "confidence": SURE}
    evidence = getattr(by_knowledge, "evidence", None)
    if (
        evidence is not None
        and len(ranking) > 1
        and first["name"] in ABOUT_ME + ("find_career",)
        and ranking[1]["name"] in QUESTIONS
        and first.get("confidence", 0.0) - ranking[1].get("confidence", 0.0) < AMBIGUOUS
        and QUESTION.search(text)
        and evidence(text)[0].get(ranking[1]["name"])
    ):
        # "would there be any funding, I've got some redundancy money but not loads": telling
        # something and asking, too close for DIET to choose ("did you mean ...?"); the question
        # its words ask is answered (what it tells is read all the same)
        return {"name": ranking[1]["name"], "confidence": SURE}
    if evidence is not None and first["name"] in QUESTIONS:
        worded = _by_the_words(first["name"], ranking, reading, text, evidence)
        if worded:
            return {"name": worded, "confidence": SURE}
    if (
        len(ranking) > 1
        and first["name"] in QUESTIONS + RETURNING
        and ranking[1]["name"] not in NOT_CAREERS
        and first.get("confidence", 0.0) - ranking[1].get("confidence", 0.0) < AMBIGUOUS
    ):
        # "do i need grade 8 to do music therapy": a careers question and another careers
        # intent, too close for DIET to choose; the one its words say more of (else DIET's
        # first) answers it better than "did you mean ...?" ("going back to orthoptics... but
        # everyone says the return courses cost thousands": coming back, or a myth about it)
        # (nothing named or told is needed: "what band would i be after" is pay or progression)
        some = evidence(text)[0] if evidence is not None else {}
        pick = max(ranking[:2], key=lambda r: some.get(r["name"], 0))
        return {"name": pick["name"], "confidence": SURE}
    if not says_something:
        return None
    if (
        first["name"] == "out_of_scope"
        and reading.interests
        and _ABOUT_ME.search(text)
        and ("?" not in text and len(text.split()) >= LONG or len(text.split()) >= LIFE_STORY)
    ):
        # "me n my friends do dance covers and i do all the editing": about them, not off topic
        # (and a life story full of what they do, whatever it ends by asking)
        return {"name": "tell_about_me", "confidence": SURE}
    if first["name"] in SMALL_TALK and (first.get("confidence", 0.0) < SURE_OF_SMALL_TALK or len(text.split()) >= LONG):
        # the greeting or thanks was only the start: answer what the rest says
        if reading.interests:
            return {"name": "tell_about_me", "confidence": SURE}
        careers = [r for r in ranking if r["name"] not in NOT_CAREERS]
        if careers:
            return {"name": careers[0]["name"], "confidence": SURE}
        return {"name": "tell_about_me", "confidence": SURE}
    if first.get("confidence", 0.0) < UNSURE and reading.interests and "?" not in text and len(text.split()) >= STORY:
        # a long story about themselves that DIET can't place: it is about them
        return {"name": "tell_about_me", "confidence": SURE}
    if reading.described and (
        first["name"] in NOT_ABOUT_ONE_JOB
        or (first["name"] in ("find_career", "tell_about_me") and _WHICH_ONE.search(text))
    ):
        # "which one of them does kids' eyes?": a question about the job it describes
        return {"name": "ask_profession_info", "confidence": SURE}
    if (
        first["name"] == "ask_what_are_ahps"
        and len(set(reading.named)) == 1
        and not reading.groups
        and not _MEMBERSHIP.search(text)
    ):
        # "what's a support worker in an AHP team?": a question about that one job (but "does
        # paramedic count as one of them?" asks whether it is an AHP)
        return {"name": "ask_profession_info", "confidence": SURE}
    if (
        first["name"] in ABOUT_ME + ("out_of_scope",)
        and not reading.circumstances
        and reading.routes
        and not (reading.named or reading.groups)
        and QUESTION.search(text)
    ):
        # "or could i start as like a helper and work up": a question about a way in, whatever
        # it says of them ("work my way up" is also a liking for jobs without uni)
        return {"name": "ask_routes", "confidence": SURE}
    if (
        first["name"] in ABOUT_ME + ("out_of_scope",)
        and not (reading.interests or reading.circumstances)
        and (reading.named or reading.groups or reading.routes)
    ):
        # "what does a podiatrist do": a question about a job, not about themselves
        others = [r for r in ranking[1:] if r["name"] not in SMALL_TALK + ABOUT_ME and r["name"] != "nlu_fallback"]
        if others:
            return {"name": others[0]["name"], "confidence": max(others[0].get("confidence", 0), UNSURE)}
    return None
