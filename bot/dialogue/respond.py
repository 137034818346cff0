"""The one step every turn passes through: what this message said is merged
into what the conversation knows before any reply is chosen, and the reply
answers every part of the message, not only the request the intent names."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from bot.dialogue import answers
from bot.dialogue.about_me import also_suits, understand_me
from bot.dialogue.professions import compare, detail, focus
from bot.dialogue.reply import Reply, Turn
from bot.dialogue.resources import asked_for, named_key_dates, outreach, resources, say_key_date
from bot.dialogue.routes import WAITING_LONGER, matching_myth, return_to_practice, routes, support_role_first
from bot.dialogue.services import Services
from bot.matching.reading import Reading
from bot.matching.years import only_an_amount
from bot.nlp import FOLLOW_UP, FOLLOW_UP_WORDS, QUESTION, SENTENCES, asks_in_a_clause

Handler = Callable[[Services, Turn], Reply]
# questions DIET may read into a long message that tells their situation and the job they want
SITUATION_OVERRIDABLE = (
    "ask_pay",
    "ask_money",
    "ask_difference",
    "ask_demand",
    "ask_profession_info",
    "ask_practical",
    "ask_progression",
    "ask_profession_settings",
)
SITUATION_WORDS = 12
# questions a returner may mean about their own return (not pay: "what's the band?" is the job's)
RETURNER_QUESTIONS = (
    "ask_profession_info",
    "ask_profession_settings",
    "ask_demand",
    "ask_money",
    "ask_practical",
    "ask_next_steps",
    "ask_key_dates",
    "ask_regulator",
    "ask_pay",
)
# questions someone trained abroad may mean about their own registration here
# (and what DIET makes of a short follow-up it can't place: "and how much is the fee?")
ABROAD_QUESTIONS = (
    "ask_entry_requirements",
    "ask_pay",
    "ask_regulator",
    "ask_money",
    "ask_practical",
    "ask_key_dates",
    "ask_profession_info",
    "ask_return_to_practice",
    "compare_professions",
    "ask_difference",
)
# a detail of registering from abroad, not the way in itself ("how long does the HCPC take?")
_ABROAD_DETAIL = re.compile(
    r"\b(?:english|ielts|oet|toefl|language|fees?|cost|how much|how long|"
    r"decide|decision|regulator)\b",
    re.I,
)
# asking for something that exists, not how to do or become something
_ASKS_FOR_SOMETHING = re.compile(
    r"\b(?:is there|are there|any|anything|something|got any|"
    r"where (?:can|could|do|would)|how (?:can|could|do|would) (?:i|we) get|"
    r"recommend|suggest)\b",
    re.I,
)
_THERE_IS = re.compile(r"\bthere(?:'s| is)\b", re.I)
# the questions whose own answer a resource's name in them does not replace
NOT_FOR_RESOURCES = ("ask_routes", "ask_rtp_myth", "compare_professions", "at_risk", "ask_resources")
# ... and those that a resource asked for in a question of its own does ("my lad is gaming mad.
# is there anything interactive he'd use?" reads to DIET like telling about themselves)
ABOUT_ONESELF = ("tell_about_me", "find_career", "ask_return_to_practice")
_ASKS_FOR_LINKS = re.compile(
    r"\b(?:websites?|web sites?|sites|links?|videos?|resources|materials?|leaflets?|posters?|schemes?|guidance|"
    r"programmes?|programs?|initiatives?|e-?learning|vacanc(?:y|ies)|"
    r"(?:anything|something|stuff) (?:online|visual|to (?:read|watch|show))|"
    r"(?:anything|something|stuff)\b[^.?!]{0,25}\b(?:print|hand out|handout|give out|share with)|"
    r"(?:anything|something|stuff) (?:interactive|hands-on|practical|fun)|"
    r"where (?:can|could|do|should|would|will) (?:my|our|a|the) \w+ (?:read|find|look|watch|go|see)|"
    r"open days?|taster (?:days?|sessions?|courses?|events?)|tasters|webinars?|podcasts?|"
    r"where (?:can|could|do|does|should|would|will) (?:i|we|she|he|they|you) (?:even )?(?:read|find|look|watch|go|see|"
    r"apply|send|start looking|search)|"
    # "how would I find those jobs", "how does she find a placement": finding something out there
    r"how (?:can|could|do|does|would|will|should) (?:i|we|she|he|they|you) (?:even )?(?:find|look for|search for|"
    r"track down) (?:a|an|the|those|these|them|one|some|any)\b|"
    # asked for by the shape of the words: "where's the ucas bit", "where do they advertise",
    # "point me to", "anywhere I can see", "is there a table I can look at", "vid?"
    r"where(?:'s| is| are|s) (?:the|a|an) [\w-]+|"
    r"where (?:do|does|can|would|will) (?:they|the nhs|nhs|trusts|employers|you|hospitals) "
    r"(?:advertise|post|list|put up|find)|"
    r"(?:point|send|link|direct) (?:me|us)|anywhere (?:i|we|he|she|they) (?:can|could) (?:see|read|watch|find|look)|"
    r"vids?|youtube|tiktok|insta(?:gram)?|accounts? (?:i|we) (?:can|could) follow|handouts?|booklets?|"
    # things to show or hand out, people to hear from, and where to sign up, in any words
    r"clips?|footage|films?|printables?|printable|print (?:off|out)|flyers?|"
    r"sign (?:up|on)|register (?:for|my interest)|"
    r"(?:come|visit) (?:in |along |over |into \w+ )?(?:and |to )?(?:speak|talk)|"
    r"(?:speak|talk|chat) to (?:someone|somebody|anyone|a real|an actual)|"
    r"pay (?:tables?|charts?|scales?)|(?:table|chart|calendar|list)\b[^.?!]{0,15}\b(?:i|we) (?:can|could) "
    r"(?:look at|see|use|check)|"
    r"(?:is there|are there|any) (?:an? |any )?(?:info|information|material|calendar|booklet|guide)s? "
    r"(?:about|on|in|for|of)|"
    r"(?:piece|article|blurb|paragraph|text) (?:i|we) (?:can|could) (?:drop|use|put|share)|"
    r"(?:someone|somebody|anyone|people)\b[^.?!]{0,40}\b(?:could|can) (?:talk|speak|chat) to|"
    r"something (?:written|i can show|we can show|to show|for parents|i can drop)|"
    r"(?:watch|read|look at) together|online (?:short )?courses?|short courses? online|"
    r"check (?:that|if|whether) (?:this person|they|someone|he|she|the \w+) (?:is|are) (?:properly )?"
    r"(?:qualified|registered))\b",
    re.I,
)
EDUCATORS = ("teacher", "ambassador")
_ONE_OF_THEM = re.compile(
    r"\b(?:one of (?:my|our|the) (?:students|pupils|learners|class)|a (?:student|pupil|"
    r"learner) (?:of mine|who)|(?:my|our) (?:student|pupil|learner)\b)",
    re.I,
)
# what DIET makes of a way-in question whose words it has not seen ("is there a way of doing it
# without going off to uni full time?": money)
OFTEN_A_WAY_IN = (
    "find_career",
    "ask_money",
    "ask_rtp_myth",
    "ask_key_dates",
    "ask_entry_requirements",
    "ask_profession_info",
)
# the questions a short follow-up naming another job can ask again ("and for OT?")
FOLLOWED = (
    "ask_routes",
    "ask_resources",
    "ask_pay",
    "ask_entry_requirements",
    "ask_profession_info",
    "ask_profession_settings",
    "ask_regulator",
    "ask_demand",
)
# study fitted around a job or family: how long the course takes full and part time
_PART_TIME = re.compile(
    r"\b(?:part[- ]time|full[- ]time only|full[- ]time or)\b|"
    r"\b(?:study|train|training|do it|do that|do the course)\b[^.?!]{0,25}\b(?:while|whilst|and)\s+"
    r"(?:still\s+)?(?:working|keep(?:ing)? (?:my|the) job|in work|employed)\b|"
    r"\bkeep (?:my job|working|on working)\b[^.?!]{0,30}\b(?:study|train|course|same time)\b|"
    r"\bwhile (?:i'm |im |i am |i )(?:still )?(?:working|in work)\b|"
    r"\bwhile still (?:working|in work)\b",
    re.I,
)
# a paid way in asked for, or work that cannot stop ("is there a paid route?", "I can't stop working")
_PAID_ROUTE_OR_CANNOT_STOP = (
    r"paid (?:route|way|option|training|course)s?|"
    r"(?:can't|cannot|cant|couldn't) (?:afford to )?(?:stop|give up|quit) (?:working|work|earning)|"
    r"(?:can't|cannot|cant|couldn't) afford (?:not to|to not) (?:work|earn)"
)
_PAID_TO_TRAIN = re.compile(
    r"\b(?:get paid|be paid|paid while|pay while|earn|earning|a wage|wages|salary|"
    r"work(?:ing)? while|employed while|need (?:the |some )?money|"
    r"while (?:i'm |im |i am |i )?(?:still )?(?:working|in work|employed|in my job)|"
    r"keep (?:my|a) job|(?:need|have|got) to (?:work|earn)|" + _PAID_ROUTE_OR_CANNOT_STOP + r")\b",
    re.I,
)
# whether a job they want is within their reach ("is that realistic for me?", "is it doable")
_REALISTIC = re.compile(
    r"\b(?:realistic|realistically|doable|do-able|achievable|feasible|viable|possible for me|an option for me|"
    r"in reach|within reach|out of reach|pipe ?dream)\b",
    re.I,
)
# earning while training, not what the job pays ("can I do that while working? I need a wage")
_WHILE_TRAINING = re.compile(
    r"\bwhile (?:i'm |im |i am |i |you're |youre |you |ur |u r |u )?(?:work|train|study|learn|"
    r"doing (?:it|that|this|the course|the degree|a degree|the training))|"
    r"\b(?:work|working|employed|paid|earn|earning) while\b|"
    r"\b(?:train|study|learn)\b[^.?!]{0,40}\band (?:get paid|earn)\b|"
    r"\b(?:" + _PAID_ROUTE_OR_CANNOT_STOP + r")\b",
    re.I,
)
# what DIET makes of a question that tells a circumstance and leans on the job being discussed
VAGUE_ABOUT_ROUTES = (
    "tell_about_me",
    "find_career",
    "ask_rtp_myth",
    "ask_return_to_practice",
    "ask_entry_requirements",
    "ask_profession_info",
    "nlu_fallback",
    "affirm",
    "deny",
)
# what a returner asks about their own return, in any words: how much updating, where to start
_RETURN_QUESTION = re.compile(
    r"\b(?:days|hours|updating|update|how much (?:time|practice|supervised)|in total|the total|"
    r"minimum|step one|first step|first steps|first thing|where (?:do|would|should) i (?:start|begin)|"
    r"what(?:'s| is) involved|whats involved|"
    r"what (?:do|would|will) i (?:actually |really |even )?(?:have to |need to )?do|"
    r"back in|back on|get going|how do i start|"
    r"who (?:do|should|would|can) i (?:\w+ ){0,3}(?:contact|talk to|speak to|ring|call|email|apply to)|"
    r"who (?:does|can|will|would) help|who helps|get in touch|"
    r"online|e-?learning|study|studying|course|courses|part[- ]time|reading|books|at home|from home|"
    r"in clinic|on the job|hours|weeks|full[- ]time)\b",
    re.I,
)  # (how they update)
_STUDY = re.compile(
    r"\b(?:uni|university|degree|degrees|course|courses|study|studying|train|training|"
    r"qualify|master'?s|college|apprenticeship)\b",
    re.I,
)
# a job taken on the way to another ("as a stepping stone", "first and work up from there")
_A_STEP = re.compile(
    r"\b(?:first|stepping[- ]stone|step in between|in between|on the way|work (?:my|your|ur|their|his|her) way up|"
    r"work up|move up|step up|go up|progress|get to)\b",
    re.I,
)
_SAME_AS = re.compile(r"\b(?:same (?:as|thing|job)|different|difference|vs\.?|versus)\b", re.I)
_SUBJECT_AFTER = 45  # characters after "I have a degree" that may name its subject
_WHEN = re.compile(r"\b(?:when|what date|which date|what day|which day|dates?)\b", re.I)
_HOW_LONG = re.compile(r"\bhow (?:long|quick|quickly|fast|soon|many (?:days|hours|weeks|months))\b|\bdays\b", re.I)
# a time in someone else's career ("my friend is a band 6, she qualified 2 years ago")
_SOMEONE_ELSES_CAREER = re.compile(
    r"\b(?:she|he|they|she's|he's|shes|hes)\s+(?:has\s+|have\s+|'s\s+)?(?:qualified|graduated|registered|"
    r"been registered|been qualified|started|trained)\b",
    re.I,
)
# what DIET makes of a returner's worry said in passing ("and its all unpaid isnt it")
VAGUE_FOR_A_RETURNER = ("tell_about_me", "find_career", "ask_what_are_ahps", "affirm", "deny", "thank")
# the everyday answers a career question may be after, whatever DIET read it as
# (not "difference": "would I have to start again" is no question about two jobs)
EVERYDAY_TOPICS = ("money", "practical", "progression", "next-steps")
PLAINLY_ASKED = 2.0  # an answer's cue words a question needs to be taken as asking for it
_A_COURSE = re.compile(r"\b(?:degree|uni|university|masters?|master's|course)\b", re.I)
# requests whose answer already is, or asks for, what the person enjoys
ABOUT_THEM = ("tell_about_me", "find_career", "ask_my_results", "ask_return_to_practice", "ask_rtp_myth")


def prepare(ctx: Services, turn: Turn) -> Turn:
    """The turn with its reading (read here if the NLU pipeline did not) and the
    conversation's profile updated by it."""
    reading = turn.reading
    if reading is None:
        typed = turn.text and not turn.text.startswith("/")  # "/intent{...}" is a button
        reading = ctx.matcher.understand.read(turn.text) if typed else Reading()
    profile = ctx.profile(turn.profile).merge(reading.profile)
    if (
        "former-registrant" in profile.signals
        and reading.profile.years_out is None
        and turn.text
        and not turn.text.startswith("/")
        and (profile.years_out is None or only_an_amount(turn.text) or not QUESTION.search(turn.text))
        and not (profile.years_out is not None and _SOMEONE_ELSES_CAREER.search(turn.text))
    ):
        # a returner's "it's been about eight years", "nearly 4": time out of practice, said later
        # on (a question with a time in it, "does 30 days mean a month?", asks about the rules;
        # "my friend... she qualified 2 years ago" is someone else's time)
        profile.years_out = ctx.matcher.understand.years_out(turn.text) or profile.years_out
    if (
        "former-registrant" in profile.signals
        and profile.former_profession is None
        and "trained-abroad" not in profile.signals
        and len((turn.text or "").split()) <= FOLLOW_UP_WORDS
    ):
        # a returner's "ODP", "I was a dietitian": the job they are coming back to
        profile.former_profession = _one_registered_job(ctx, reading)
    return replace(turn, reading=reading, profile=profile.to_dict())


def _one_registered_job(ctx: Services, reading: Reading) -> str | None:
    """The one regulated job a message names, not as one they want to become, if that is all it names."""
    named = [pid for pid in dict.fromkeys(reading.named) if getattr(ctx.profession(pid), "regulator", None)]
    wanted = any(e.role == "target" for e in reading.entities)
    return named[0] if len(named) == 1 and not wanted else None


def _returner(ctx: Services, turn: Turn) -> bool:
    """Anything in the conversation about coming back to a profession they left."""
    assert turn.reading is not None  # (read by prepare(), which every turn passes through first)
    profile = ctx.profile(turn.profile)
    return bool(
        turn.reading.returning
        or profile.former_profession
        or profile.years_out is not None
        or "former-registrant" in profile.signals
    )


def _came_back(ctx: Services, turn: Turn) -> bool:
    """Said, now or before, that they left the register or how long they have been out (not
    only that they are one: "I'm an OT, when is AHPs Day?")."""
    assert turn.reading is not None  # (read by prepare(), which every turn passes through first)
    profile = ctx.profile(turn.profile)
    return bool(turn.reading.returning or profile.years_out is not None or "former-registrant" in profile.signals)


def _tells_situation_and_aim(ctx: Services, turn: Turn) -> bool:
    """A message that tells their situation (a job, a degree, a need to earn) at some length
    and names a job they want that is not their own."""
    assert turn.reading is not None  # (read by prepare(), which every turn passes through first)
    reading, profile = turn.reading, ctx.profile(turn.profile)
    own = {profile.current_role, profile.former_profession}
    return (
        bool(reading.profile.signals)
        and reading.profile.asking_for == "self"
        and reading.sentences >= 2
        and len((turn.text or "").split()) >= SITUATION_WORDS
        and reading.target is not None
        and reading.target not in own
    )


def _asks_for_a_resource(ctx: Services, turn: Turn) -> bool:
    """Asks for something that exists ("is there", "any") and names a resource by what it is;
    for a message DIET reads as about the person, in a question of its own."""
    text = turn.text or ""
    if turn.intent in ABOUT_ONESELF:
        # ("I've heard there's NHS help for military spouses?" asks whether it exists)
        return any(
            (_ASKS_FOR_SOMETHING.search(s) or _THERE_IS.search(s)) and asked_for(ctx, s)
            for s in SENTENCES.split(text)
            if QUESTION.search(s)
        )
    return bool(_ASKS_FOR_SOMETHING.search(text) and asked_for(ctx, text))


def _prepares_a_talk_or_lesson(turn: Turn) -> bool:
    """A teacher or an AHP telling of a lesson, an event or a talk they are preparing, not
    of one young person's interests ("one of my students loves football", "my son loves art"),
    whom suggestions would be for."""
    assert turn.reading is not None  # (read by prepare(), which every turn passes through first)
    signals = turn.reading.profile.signals
    if (
        not any(f"asker-{who}" in signals for who in EDUCATORS)
        or turn.reading.returning
        or "former-registrant" in signals
    ):
        return False  # ("left in 2014 to retrain as a teacher... thinking of going back": a returner)
    about_one = _ONE_OF_THEM.search(turn.text or "") or "asker-parent" in signals
    # what a young person likes or is good at ("school" is a value of the talk, not theirs)
    likes = [
        m
        for m in turn.reading.profile.positive("concept")
        if m.category in ("hobby", "interest", "strength", "subject")
    ]
    return not (likes and about_one)


def _interests_beside_the_circumstances(reading: Reading, text: str) -> bool:
    """Interests told apart from the circumstances said: "sport" and "science" in "I've got a
    sports science degree", "English lit" in "I do have a degree actually, English lit" are the
    degree's subject, not something they enjoy."""
    text = " ".join(text.lower().split())
    said = ""
    for words in reading.profile.signals.values():
        at = text.find(words.lower())
        said += " " + (text[at : at + len(words) + _SUBJECT_AFTER] if at >= 0 else words.lower())
    return any(
        m.kind in ("concept", "riasec") and m.positive and m.said.lower() not in said
        for m in reading.profile.mentions.values()
    )


def _trained_abroad(ctx: Services, turn: Turn) -> bool:
    """Trained outside the UK and never registered here (nothing said of leaving the register)."""
    signals = ctx.profile(turn.profile).signals
    return "trained-abroad" in signals and "former-registrant" not in signals


_FIRST_PERSON = re.compile(r"\b(?:i|i'd|id|i'm|im|i've|ive|we|we'd|we're|my|our)\b", re.I)


def _asks_for_links(ctx: Services, text: str) -> bool:
    """Links asked for, as written or once spelling and text-speak are fixed."""
    return bool(_ASKS_FOR_LINKS.search(text) or _ASKS_FOR_LINKS.search(ctx.words(text)))


def _asked_not_told(ctx: Services, text: str) -> bool:
    """A question, or words about someone else: not a person telling their own circumstance."""
    return bool(QUESTION.search(ctx.words(text)) or not _FIRST_PERSON.search(text))


def _handler_for(ctx: Services, turn: Turn, handler: Handler, before: dict) -> Handler:
    """The handler that answers what the message asks, given who is asking: DIET's intent
    named `handler`; what the person said, now and before, can mean another question."""
    assert turn.reading is not None  # (read by prepare(), which every turn passes through first)
    assert turn.profile is not None  # (merged by prepare() too)
    if (
        (
            turn.profile.get("years_out") != before.get("years_out")
            or turn.profile.get("former_profession") != before.get("former_profession")
            and _came_back(ctx, turn)
        )
        and turn.intent not in ("ask_return_to_practice", "ask_rtp_myth")
        and not _trained_abroad(ctx, turn)
    ):
        # years out, or the job they left, told (whatever the words were read as): the updating
        # that fits them (trained abroad and wanting to work here again: the international route)
        return return_to_practice
    if (
        turn.intent in VAGUE_FOR_A_RETURNER
        and _came_back(ctx, turn)
        and not _trained_abroad(ctx, turn)
        and not turn.reading.interests
        and set(turn.reading.named) <= {ctx.profile(turn.profile).former_profession}
        and matching_myth(ctx, turn.text or "")
    ):
        # a returner's "and its all unpaid isnt it, thats what put me off": one of the myths about
        # coming back, whatever DIET made of the words, set right with its fact
        return return_to_practice
    if (
        turn.intent not in ("ask_return_to_practice", "ask_rtp_myth", "ask_resources", "at_risk")
        and _came_back(ctx, turn)
        and not _trained_abroad(ctx, turn)
        and (_RETURN_QUESTION.search(turn.text or "") or WAITING_LONGER.search(turn.text or ""))
        and set(turn.reading.named) <= {ctx.profile(turn.profile).former_profession}
    ):
        # a returner's "so whats the number of days", "ok whats step one", "want back in":
        # their updating, whatever DIET made of the words
        return return_to_practice
    if (
        turn.intent not in ("ask_return_to_practice", "ask_rtp_myth", "ask_resources", "at_risk")
        and _came_back(ctx, turn)
        and not _trained_abroad(ctx, turn)
        and QUESTION.search(turn.text or "")
        and set(turn.reading.named) <= {ctx.profile(turn.profile).former_profession}
        and answers.best(ctx, turn, ("returning",), at_least=PLAINLY_ASKED)
    ):
        # a returner's "could i do some of it at a uni helping teach students": a question about
        # coming back that an answer about returning plainly fits, whatever DIET made of it
        return return_to_practice
    if (
        turn.intent not in ("ask_routes", "at_risk")
        and turn.reading.target is not None
        and _REALISTIC.search(turn.text or "")
        and not _returner(ctx, turn)
    ):
        # "physio is what I really want. is that realistic for me?": the ways in that fit them
        return routes
    paid_to_train = bool(_PAID_TO_TRAIN.search(turn.text or ""))
    if (
        (turn.intent in RETURNER_QUESTIONS or turn.intent == "ask_routes" and paid_to_train)
        and _returner(ctx, turn)
        and not _trained_abroad(ctx, turn)
        and (
            answers.best(ctx, turn, ("returning",))
            or turn.intent == "ask_profession_info"
            and not turn.reading.named
            and not turn.reading.groups
            and not turn.reading.described
            and ctx.profile(turn.profile).former_profession
        )
    ):
        # a returner's "do I have to find my own placement?", "would I be paid while I do
        # it?" are about their return, not the job; so is a vague "so who does help then?"
        # (they know what the job is)
        return return_to_practice
    if (
        _trained_abroad(ctx, turn)
        and (
            turn.intent in ABROAD_QUESTIONS or (turn.intent == "ask_routes" and _ABROAD_DETAIL.search(turn.text or ""))
        )
        and answers.best(ctx, turn, ("international",))
        and not turn.reading.named
    ):
        # trained abroad, asking about the English test, the fee or how long: their answer
        return answers.international
    named = turn.values("profession")
    if (
        turn.intent == "ask_difference"
        and len(set(named)) == 1
        and (
            len([e for e in turn.entities if e.get("entity") == "profession"]) > 1
            or named[0] == turn.profession
            and _SAME_AS.search(turn.text or "")
        )
        # ("the difference between an odp and a theatre nurse" has an answer of its own)
        and not answers.best(ctx, turn, ("difference",), at_least=PLAINLY_ASKED)
    ):
        # "podiatrist vs chiropodist?", "is that the same as a chiropodist?" about podiatry: one
        # job by two of its names
        return compare
    registered = {
        pid for pid in turn.reading.named if (p := ctx.profession(pid)) is not None and p.kind == "registered"
    }
    if turn.intent == "ask_difference" and len(registered) > 1:
        told_apart = answers.best(ctx, turn, ("difference",), at_least=PLAINLY_ASKED)
        if not told_apart or not registered & set(told_apart[0].professions):
            # "what separates a dietitian from a podiatrist?": no everyday answer plainly asked for
            # is about these registered jobs ("an odp and a theatre nurse" asks for its own); a
            # support role beside one is left to the answers about support roles
            return compare
    said = turn.reading.profile
    own = said.current_role or turn.reading.target or said.former_profession
    if (
        _trained_abroad(ctx, turn)
        and "trained-abroad" in said.signals
        and own
        and set(turn.reading.named) <= {own}
        and (
            turn.intent in ABROAD_QUESTIONS
            and QUESTION.search(turn.text or "")
            or turn.intent in ABOUT_ONESELF + ("find_career",)
            and (turn.reading.target or turn.reading.returning)
        )
    ):
        # "I'm a paramedic from New Zealand... what do I need to sort?", "radiologic technologist
        # from the Philippines, I want to work as a radiographer in England": who they are, the
        # job, and how someone trained abroad registers here
        return routes
    if turn.intent in ("ask_return_to_practice", "ask_regulator") and _trained_abroad(ctx, turn):
        # "I qualified in Kerala, how can I work here?": the international route, not a return
        return routes
    if (
        turn.intent == "ask_resources"
        and not _asks_for_links(ctx, turn.text or "")
        and ctx.asks_way_in(turn.text or "", alone=True)
        and (turn.reading.target or turn.reading.named)
        and not _came_back(ctx, turn)
    ):
        # "she's thinking about occupational therapy. how would she go about getting onto it": a
        # question about the way into a job they name, not a request for links
        return routes
    discussed = ctx.profession(turn.profession)
    support_named = [pid for pid in turn.reading.named if (r := ctx.profession(pid)) and r.kind == "support"]
    if (
        discussed is not None
        and discussed.kind == "registered"
        and support_named
        and set(turn.reading.named) <= set(support_named) | {discussed.id}
        and _A_STEP.search(turn.text or "")
        and not _came_back(ctx, turn)
        and turn.intent != "at_risk"
    ):
        # "could i go assistant practitioner first and work up from there" while physio is being
        # discussed: the support-worker way into physio, and what the support role asks for
        return support_role_first
    if turn.intent not in NOT_FOR_RESOURCES and _asks_for_a_resource(ctx, turn):
        # "is there a VR one?", "could they enter a competition?": a resource, by what it is
        return resources
    if turn.intent in ABOUT_ONESELF + ("ask_pay", "out_of_scope", "nlu_fallback") and _prepares_a_talk_or_lesson(turn):
        # "I'm running a careers morning for year 9, no idea where to start", "band 6 physio,
        # asked to do a talk at my old school": materials and help for the talk, not jobs for them
        return outreach
    if turn.intent in SITUATION_OVERRIDABLE and _tells_situation_and_aim(ctx, turn):
        # "PT at a gym, 26, BTEC in sport, I need a wage. Physio?": the ways in for them
        return understand_me
    if (
        turn.intent in ("ask_return_to_practice", "ask_rtp_myth")
        and not _returner(ctx, turn)
        and (turn.reading.target or turn.reading.circumstances or turn.reading.interests)
        and (turn.reading.target or not matching_myth(ctx, turn.text or "", min_words=2))
    ):
        # "retail manager, burnt out, could I do what the OT did?" reads to DIET like a
        # returner; nothing said, now or before, is about coming back: a career question
        # ("how do i get into it, im only in yr 8": the ways into the job being discussed;
        # "is it too late to become a speech therapist at 41?": a myth about returning is not theirs)
        asks_way_in = ctx.way_in_words.search(ctx.words(turn.text or ""))
        # "what if I don't want uni at all?" about the job being discussed: a circumstance of
        # theirs (not who they ask for) that changes its ways in
        own_circumstance = any(not s.startswith("asker-") for s in turn.reading.profile.signals)
        everyday = (
            answers.best(ctx, turn, EVERYDAY_TOPICS, at_least=PLAINLY_ASKED) if QUESTION.search(turn.text or "") else []
        )
        if (
            everyday
            and not asks_way_in
            and not _A_COURSE.search(turn.text or "")
            and (not turn.reading.target or turn.reading.target in everyday[0].professions)
        ):
            # "someone said I'd have to be in therapy myself while training, is that true?": not
            # about coming back, and not about them: what an everyday answer says (one about the
            # job the question names, when it names one; "so i can do a drama degree and then do
            # that?" asks about a way in)
            return lambda c, t: answers.answer(c, t, EVERYDAY_TOPICS)
        return (
            routes if turn.reading.target or ((asks_way_in or own_circumstance) and focus(ctx, turn)) else understand_me
        )
    if (
        turn.intent in ("ask_return_to_practice", "ask_rtp_myth")
        and not _returner(ctx, turn)
        and turn.profession
        and _STUDY.search(turn.text or "")
        and not matching_myth(ctx, turn.text or "", min_words=2)
    ):
        # "wait so i need to do 2 lots of uni??" about the art therapist being discussed, from
        # someone who never said they were registered: its ways in, not "welcome back"
        return routes
    if (
        (
            turn.intent == "ask_money"
            and paid_to_train
            or turn.intent == "ask_pay"
            and _WHILE_TRAINING.search(turn.text or "")
        )
        and not _returner(ctx, turn)
        and focus(ctx, turn) is not None
    ):
        # "can I get paid while training for OT?": the paid ways into that job, and what
        # students are given ("any extra money for students? I'm used to a decent salary")
        return paid_ways_and_student_money
    if (
        turn.intent in ("tell_about_me", "find_career")
        and asks_in_a_clause(ctx.words(turn.text), ctx.way_in_words)
        and not _came_back(ctx, turn)
        and focus(ctx, turn) is not None
    ):
        # "i have a sports science degree btw any shortcut with that": about them, and a question
        # about the way into the job being discussed, which what they told may change
        return routes
    told = set(turn.reading.profile.signals) & ctx.route_circumstances
    if (
        told - set(before.get("signals") or {})
        and not _interests_beside_the_circumstances(turn.reading, turn.text or "")
        # (a question in its intent's own words asks that: "what do they earn?", "wat do they get
        # paid"; "I'd need to earn though" only tells)
        and not (_asked_not_told(ctx, turn.text or "") and ctx.in_its_own_words(turn.intent, turn.text or ""))
        and handler not in (routes, return_to_practice, resources)
        and not _came_back(ctx, turn)
        and (
            turn.intent in VAGUE_ABOUT_ROUTES
            or turn.intent in ("ask_routes", "ask_pay")
            and not QUESTION.search(turn.text or "")
        )
        and (turn.profession or turn.reading.target)
        and focus(ctx, turn) is not None
    ):
        # "thing is I can't drop to no wage", "I've a sociology degree, does that change
        # anything?" while a job is being discussed: the ways into it that fit them now
        return routes
    if (
        turn.intent == "ask_entry_requirements"
        and turn.first("route")
        and _HOW_LONG.search(turn.text or "")
        and not _returner(ctx, turn)
    ):
        # "how long is the apprenticeship?": that route, and how long it takes
        return routes
    if (
        turn.intent == "ask_entry_requirements"
        and _returner(ctx, turn)
        and not turn.reading.named
        and _HOW_LONG.search(turn.text or "")
    ):
        # a returner's "how long would it all take?" is about their updating, not a course
        return return_to_practice
    return handler


def _follow_up(ctx: Services, turn: Turn) -> Handler | None:
    """ "and the other one?", "what about OT?": a short follow-up that names or points to another
    job and asks nothing of its own asks the last question again, about that job."""
    text, asked = turn.text or "", turn.asked
    if (
        asked not in FOLLOWED
        or len(text.split()) > FOLLOW_UP_WORDS
        or not FOLLOW_UP.match(text)
        or ctx.question_words.search(ctx.words(text))
    ):
        return None
    assert turn.reading is not None  # (read by prepare(), which every turn passes through first)
    reading = turn.reading
    if not (reading.named or reading.groups or reading.other or reading.ordinal):
        return None
    if asked == "ask_routes":
        return routes
    if asked == "ask_resources":
        return resources
    return lambda c, t: detail(c, replace(t, intent=asked))


def answered_kind(handler: Handler, turn: Turn) -> str | None:
    """The kind of question a reply answered, for the next turn's follow-up."""
    if handler is routes:
        return "ask_routes"
    if handler is resources:
        return "ask_resources"
    return turn.intent if handler is detail and turn.intent in FOLLOWED else None


def respond(ctx: Services, turn: Turn, handler: Handler) -> Reply:
    before = ctx.profile(turn.profile).to_dict()
    turn = prepare(ctx, turn)
    assert turn.reading is not None  # (prepare() reads it when the NLU pipeline did not)
    followed = _follow_up(ctx, turn)
    handler = followed or _handler_for(ctx, turn, handler, before)
    reply = handler(ctx, turn)
    reply.slots.setdefault("asked", turn.asked if followed else answered_kind(handler, turn))
    if (
        handler is not resources
        and turn.intent != "at_risk"
        and _asks_for_links(ctx, turn.text or "")
        and not reply.payloads("resources")
    ):
        # "is there anything more visual, like videos?": the answer, and where to look
        links = resources(ctx, turn)
        if links.payloads("resources"):
            reply.extend(links)
    said_dates = {"utter_key_date", "utter_key_date_next_on"} & set(reply.responses())
    if not said_dates and _WHEN.search(turn.text or "") and turn.intent != "at_risk":
        # "When is AHPs Day and where can I find stuff about it?": the links, and the date
        for d in named_key_dates(ctx, turn.text or ""):
            say_key_date(reply, d)
    about = focus(ctx, turn) if _PART_TIME.search(turn.text or "") else None
    if about is not None and about.detail("course") and "utter_profession_course" not in reply.responses():
        # "can it be part time?": how long the course takes, full and part time
        reply.say("utter_profession_course", course=about.detail("course"))
    if (
        not reply.payloads("routes")
        and handler not in (routes, understand_me, return_to_practice)
        and not _returner(ctx, turn)
        and ctx.asks_way_in(turn.text or "", alone=turn.intent in OFTEN_A_WAY_IN)
        and focus(ctx, turn) is not None
    ):
        # "im 15 so i can't drive yet. how would i get into it?": the answer, and the ways in
        # ("so how would someone like me actually become one", which DIET reads as finding a career)
        reply.extend(routes(ctx, turn))
    if turn.profile != before:
        reply.slots.setdefault("profile", turn.profile)  # nothing told is lost
    if len(turn.reading.named) > 1 and turn.intent in ("ask_difference", "compare_professions"):
        # "whats the difference between a physio and an OT" ... "and the second one?": the OT
        reply.slots.setdefault("recommended", list(turn.reading.named))
    if turn.reading.interests and turn.intent not in ABOUT_THEM and not reply.payloads("recommendations"):
        # "I love sport, how do I become a physio?": the routes, and what else could suit them
        reply.extend(also_suits(ctx, ctx.profile(turn.profile)))
    return reply


def paid_ways_and_student_money(ctx: Services, turn: Turn) -> Reply:
    """Money while training, from someone who needs to earn: both parts answered, the one the
    question asks first. "can I get paid while I train?": the ways into the job that pay, then
    what students on a course are given; "any extra money for students? I'm used to a decent
    salary": the other way round."""
    # without a word of its own for the money ("do you get anything while doing the degree?"),
    # the question is still about money while studying: that answer, for the job in question
    money = answers.best(ctx, turn, ("money",)) or answers.best(
        ctx, replace(turn, text="money while studying"), ("money",)
    )
    asked = " ".join(s for s in SENTENCES.split(turn.text or "") if QUESTION.search(s)) or turn.text or ""
    money_first = bool(money) and not (_PAID_TO_TRAIN.search(asked) or _WHILE_TRAINING.search(asked))
    reply = Reply()
    if money_first:
        answers.say_answer(ctx, reply, money[0], None)
    reply.extend(routes(ctx, turn))
    if money and not money_first:
        answers.say_answer(ctx, reply, money[0], None)
    return reply
