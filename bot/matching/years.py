"""How long someone has been out of practice, however they say it.

"6 years", "six years", "three and a half years", "2.5 yrs", "18 months",
"a decade", "half a decade", "a couple of years", "since 2016", "left in
2019", "came off the register back in 2015". A duration counts only when its
words say it is time away ("ago", "out", "off", "a break", "since", "haven't
practised"...), not time worked ("I was a physio for ten years"): the person
said both, and only one decides the days of updating.
"""

from __future__ import annotations

import re
from datetime import date

_UNITS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
).split()
_TENS = {"twenty": 20, "thirty": 30, "forty": 40}
WORD_NUMBERS = {w: i for i, w in enumerate(_UNITS)} | dict(_TENS)
for _t, _v in _TENS.items():
    for _i, _u in enumerate(_UNITS[1:10], 1):
        WORD_NUMBERS[f"{_t}-{_u}"] = WORD_NUMBERS[f"{_t} {_u}"] = _v + _i
VAGUE_NUMBERS = {
    "a couple of": 2,
    "a couple": 2,
    "couple of": 2,
    "a few": 3,
    "few": 3,
    "several": 4,
    "a": 1,
    "an": 1,
    "one": 1,
}

_word_number = "|".join(sorted((re.escape(w) for w in WORD_NUMBERS), key=len, reverse=True))
_vague = "|".join(sorted((re.escape(w) for w in VAGUE_NUMBERS), key=len, reverse=True))
_amount = (
    rf"(?P<amount>\d+(?:\.\d+)?|{_word_number}|{_vague})"
    rf"(?P<half>\s*(?:and\s+a\s+half|and\s+half|½|\.5))?"
)
_half = r"(?P<lead_half>half\s+a\s+|half\s+an\s+)"
_DURATION = re.compile(
    rf"(?<![\w.])(?:{_half}(?P<unit_h>decade|year)|{_amount}\s*(?:\+|-?\s*odd|ish|or so)?\s*(?:more\s+)?"
    rf"(?P<unit>decades?|years?|yrs?|yr|months?|mths?))(?![a-z])"
)
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")

# words near a duration that make it time away from practice ...
_AWAY_AFTER = re.compile(
    r"^\W{0,3}(?:\w+\s+){0,2}?(?:ago|out|off|away|break|gap|since|now|"
    r"out of practice|not practi[sc]|without|of not|since i|since leaving)\b"
)
_AWAY_BEFORE = re.compile(
    r"(?:\bout|\baway|\boff|\bbreak|\bgap|not practi[sc]\w*|n't practi[sc]\w*|"
    r"n't worked|not worked|n't been|stopped|\bleft|\bquit|lapsed|been out|"
    r"out for|off for|away for|been away)[^.!?]{0,30}$"
)
# ... words that make it time worked, studied or lived ...
_WORKED_BEFORE = re.compile(
    r"(?:\bworked|\bpractised|\bpracticed|\b(?:was|been) an?\b[^.!?]*\bfor|"
    r"\bqualified|\bexperience|\bspent|\bfor the first|\bworking|\bdid)"
    r"[^.!?]{0,25}$"
)
_WORKED_AFTER = re.compile(
    r"^\W{0,3}(?:of\s+)?(?:experience|in the nhs|as an?\b|working|"
    r"qualified|in practice|in post|at band|of practice\b(?! out))"
)
# ... and words that only hint at time passing ("it's been 4 years")
_HINT_BEFORE = re.compile(
    r"(?:\blast|\bpast|almost|nearly|\bover|about|around|roughly|"
    r"just under|just over|it's been|its been|been)[^.!?]{0,12}$"
)
_LEFT_YEAR = re.compile(
    r"(?:left|leaving|stopped|stop|quit|since|lapsed|came off|come off|"
    r"off the register|last practi[sc]ed|last worked|haven't worked|"
    r"haven't practi[sc]ed|not practi[sc]ed|not worked|finished|gave up|"
    r"took a break|career break|break in|out since|retired|resigned|back in|until|till|til|"
    r"last time i (?:\w+ )?(?:worked|practi[sc]ed) was)"
    r"\D{0,25}$"
)


# the year they changed to other work, the work between ("ex ODP, went into teaching at a college
# in 2022")
_CHANGED_YEAR = re.compile(r"\b(?:went into|moved into|switched to|changed to|retrained as)\b[^\d.!?]{0,45}$")


# the year a registration was let go, told with its reason between ("let my registration go when
# I had my daughter in 2016")
_LET_GO_YEAR = re.compile(
    r"\blet (?:my |her |his |their )?(?:hcpc |gosc )?(?:registration|reg) (?:go|lapse|slide)[^\d.!?]{0,45}$"
)


# a reply that is only an amount, to "how long have you been out?" ("nearly 4", "6ish", "been out
# about seven years i suppose")
_BARE_AMOUNT = re.compile(
    rf"^\W*(?:(?:i've|ive|i have|i'd say|id say)\s+)?(?:(?:been|out|off|away)\s+(?:out\s+|off\s+|away\s+)?(?:for\s+)?)?"
    rf"(?:about|around|roughly|nearly|almost|just over|just under|over|"
    rf"under|maybe|prob(?:ably)?)?\s*(?P<amount>\d+(?:\.\d+)?|{_word_number})"
    rf"(?P<half>\s*(?:and\s+a\s+half|½|\.5))?\s*(?:ish|\+|odd|or so)?\s*"
    rf"(?P<unit>years?|yrs?|months?)?(?:\s*(?:now|ago|out|i (?:suppose|think|guess|reckon)|"
    rf"tbh|give or take|or so))*\W*$",
    re.I,
)
# left when a child was born, and the child's age now ("stopped when my second was born, she's
# 6 now", "went on mat leave with my son, who's now 10", "before my kids were born, the eldest is 9",
# "when my eldest was born and he's just turned 12")
_SINCE_CHILD = re.compile(
    r"\b(?:born|mat(?:ernity)? leave|pregnant|had (?:him|her|my \w+))\b[^.!?]{0,40}?"
    r"\b(?:(?:who's|who is|he's|she's|they're|hes|shes|theyre|he is|she is|is|now)\s+(?:now\s+)?"
    r"(?:just\s+)?(?:turned\s+)?|(?:he|she|they|who)\s+(?:has\s+|have\s+)?(?:just\s+)?turned\s+)"
    r"(\d{1,2}|" + _word_number + r")\b"
)
# a time everyone dates things by ("left just before the first lockdown")
_EVENTS = {"lockdown": 2020, "covid": 2020, "the pandemic": 2020}
_LEFT_EVENT = re.compile(
    r"\b(?:left|leaving|stopped|quit|finished|gave up|retired|resigned|last worked|out since|"
    r"last practi[sc]ed)\b[^.!?]{0,45}?\b(lockdown|covid|the pandemic)\b"
)
# a leaving told by the calendar's words, not its number ("let my hcpc lapse last year by
# accident", "came off the register earlier this year")
_RELATIVE_YEARS = {"the year before last": 2.0, "last year": 1.0, "earlier this year": 0.5, "this year": 0.5}
_LEFT_RELATIVE = re.compile(
    r"\b(?:left|stopped|quit|lapsed?|let (?:\w+ ){0,3}?(?:go|lapse|slide)|came off|come off|gave up|"
    r"finished|retired|resigned|last worked|last practi[sc]ed|took a break)\b[^.!?\d]{0,40}?"
    r"\b(the year before last|last year|earlier this year|this year)\b"
)
# words that say someone stopped working, for a year of qualifying and the years worked after it
_STOPPED = re.compile(r"\b(?:stopped|left|quit|gave up|gave it up|finished|packed (?:it )?in|took a break)\b")
# the age they left at, then the age they are now
_LEFT_AT_AGE = re.compile(r"\b(?:at|aged|turned) (\d{2})\b[^.!?]{0,50}?\b(?:now|i'm|i am) (?:aged )?(\d{2})\b")


def _value(match: re.Match) -> float:
    if match.group("lead_half"):
        return 5.0 if match.group("unit_h") == "decade" else 0.5
    raw = match.group("amount")
    if raw in WORD_NUMBERS:
        amount = float(WORD_NUMBERS[raw])
    elif raw in VAGUE_NUMBERS:
        amount = float(VAGUE_NUMBERS[raw])
    else:
        amount = float(raw)
    if match.group("half"):
        amount += 0.5
    unit = match.group("unit")
    if unit.startswith("decade"):
        amount *= 10
    elif unit.startswith("m"):
        amount /= 12
    return round(amount, 2)


# what makes a number of years someone's age ("58 year old", "a 40-year-old", "52 years of age")
_AGE_AFTER = re.compile(r"^\s*-?\s*(?:old\b|of age\b)")


def durations(text: str) -> list[tuple[float, str]]:
    """Each duration in `text` with whether its words say time "away", time "worked", or "".
    `text` is lower case."""
    found = []
    for match in _DURATION.finditer(text):
        if (
            match.group("amount") in ("a", "an", "one")
            and match.group("unit")
            and match.group("unit").startswith(("year", "yr"))
            and re.search(r"\b(?:this|last|next|every|per|each)\s*$", text[: match.start()])
        ):
            continue  # "last year", "a year" as a period, not a length
        before, after = text[max(0, match.start() - 45) : match.start()], text[match.end() : match.end() + 30]
        if _AGE_AFTER.match(after):
            continue  # "a 58 year old returner": someone's age, not a length of time
        value = _value(match)
        if _WORKED_AFTER.search(after):
            kind = "worked"
        elif _AWAY_AFTER.search(after) or _AWAY_BEFORE.search(before):
            kind = "away"
        elif _WORKED_BEFORE.search(before):
            kind = "worked"
        elif _HINT_BEFORE.search(before):
            kind = "away"
        else:
            kind = ""
        found.append((value, kind))
    return found


def only_an_amount(text: str) -> bool:
    """A message that is only an amount, perhaps of years ("nearly 4", "about five years", "8ish"):
    the answer to "how long have you been out?"."""
    return bool(_BARE_AMOUNT.match(text))


# the year someone qualified: "got my SLT degree in 2015", "graduated in 2012", "qualified 2016"
_QUALIFIED_YEAR = re.compile(
    r"(?:qualified|qualifying|trained|graduated|graduating|graduation|degree|finished uni|"
    r"finished university|finished (?:my |the )?(?:[\w-]+ )?(?:course|training))"
    r"\D{0,25}$"
)


# the same, with the job between ("qualified as a speech and language therapist in 1998")
_QUALIFIED_AS = re.compile(r"(?:qualified|qualifying|trained|graduated)\D{0,50}$")


def _years_since(text: str, told_by: re.Pattern, today: date, reach: int = 40) -> float | None:
    """Years since the first year in `text` that `told_by` words come just before (within
    `reach` characters), or None."""
    for match in _YEAR.finditer(text):
        year = int(match.group(1))
        if 1960 <= year <= today.year and told_by.search(text[max(0, match.start() - reach) : match.start()]):
            return float(today.year - year)
    return None


def years_since_qualifying(text: str, today: date | None = None) -> float | None:
    """Years since the year a (lower-case, normalised) message says someone qualified, or None."""
    today = today or date.today()
    found = _years_since(text, _QUALIFIED_YEAR, today)
    # ("graduated in speech and language therapy in 2014": the subject between)
    return found if found is not None else _years_since(text, _QUALIFIED_AS, today, reach=60)


def years_out(text: str, today: date | None = None, returner: bool = False) -> float | None:
    """Years out of practice that a (lower-case, normalised) message states, or None.

    A year of leaving ("since 2016", "left in 2019") counts from `today`. A bare
    duration with no words about time away or worked counts only for someone
    already known to be returning (`returner`)."""
    today = today or date.today()
    left = _years_since(text, _LEFT_YEAR, today)
    if left is None:
        left = _years_since(text, _LET_GO_YEAR, today, reach=80)
    if left is None:
        left = _years_since(text, _CHANGED_YEAR, today, reach=70)
    if left is not None:
        return left
    event = _LEFT_EVENT.search(text)
    if event:
        return float(today.year - _EVENTS[event.group(1)])
    relative = _LEFT_RELATIVE.search(text)
    if relative:
        return _RELATIVE_YEARS[relative.group(1)]
    spans = durations(text)
    for value, kind in spans:
        if kind == "away":
            return value
    worked = next((value for value, kind in spans if kind == "worked"), None)
    qualified = _years_since(text, _QUALIFIED_AS, today, reach=60)
    if worked is not None and qualified is not None and _STOPPED.search(text) and 0 < worked < qualified:
        # "qualified in 1998, worked 6 yrs then stopped": out since the year they stopped
        return qualified - worked
    child = _SINCE_CHILD.search(text)
    if child:
        raw = child.group(1)
        return float(WORD_NUMBERS[raw] if raw in WORD_NUMBERS else int(raw))
    if returner:
        for value, kind in spans:
            if kind == "":
                return value
        bare = _BARE_AMOUNT.match(text)
        if bare and not bare.group("unit"):  # (with a unit it is a duration, read above)
            raw = bare.group("amount")
            amount = float(WORD_NUMBERS[raw]) if raw in WORD_NUMBERS else float(raw)
            if amount < 50:
                return amount + (0.5 if bare.group("half") else 0.0)
        ages = _LEFT_AT_AGE.search(text)  # "retired at 49, now 61": the years between
        if ages and 0 < int(ages.group(2)) - int(ages.group(1)) < 50:
            return float(int(ages.group(2)) - int(ages.group(1)))
    return None
