"""Circumstances that a list of phrases cannot enumerate: a degree in any
subject, an age, a qualification from abroad. Each reader takes the
normalised (lower-case) message and returns the signal ids it states, with
the words that said it (quoted back in reasons)."""

from __future__ import annotations

import re

# "i have a history degree", "i've got a ba in english", "my degree is in law",
# "i graduated in 2015", "i did marketing at uni": held, not asked about ("how long is
# a physio degree") and not the route ("a degree apprenticeship")
_HOLD = (
    r"(?:i have|i've got|ive got|i got|i hold|i did|i've done|i done|i completed|i finished|"
    r"i've finished|i'm a|i am a|with|having|holding|got|have|has)"
)
_DEGREE_WORD = r"(?:degrees?|ba|bsc|b\.sc|bmus|beng|llb|ma|msc|masters|master's|phd|doctorate|hnd|ba hons|bsc hons)"
_DEGREE = re.compile(
    rf"\b{_HOLD}\s+(?:a|an|my|the)?\s*(?:(?!(?:degree|but|no|not|without)\b)[\w'&-]+\s+){{0,4}}?"
    rf"{_DEGREE_WORD}\b(?!\s+apprentice)"
    rf"|\bmy\s+(?:(?!degree\b)[\w'&-]+\s+){{0,3}}?degree\b(?!\s+apprentice)"
    rf"|\bmy\s+(?:ba|bsc|b\.sc|bmus|beng|llb|msc|masters|master's|phd|hnd)\b"  # (not "my ma": a mum)
    rf"|\bi\s+(?:graduated|(?:studied|did|read)\s+[\w\s]{{1,30}}?\s+at\s+(?:uni|university))\b"
    # ... with the "i" left out, as typed in a list ("... a bit of arabic, did modern languages at uni")
    rf"|(?:^|[,;.!]\s*|\band\s+)(?:studied|did|read)\s+[\w\s]{{1,30}}?\s+at\s+(?:uni|university)\b"
    rf"|\b(?:a|an)\s+[\w'&-]+\s+graduate\b|\bi'm\s+a\s+graduate\b|\bi\s+am\s+a\s+graduate\b"
    rf"|\b(?:first|undergraduate|previous|existing|bachelor's|bachelors)\s+degree\b"
    # a degree's letters and its subject, as on a CV: "(BSc sports therapy)", "BSc (Hons) Psychology"
    rf"|\b(?:bsc|b\.sc|msc|beng|bmus|llb|ba\s+\(\s?hons\s?\)|ba\s+hons)\s+(?:\(\s?hons\s?\)\s+|hons\s+)?(?!in\b|from\b|degree\b)[a-z]{{4,}}\b"
    rf"|\b(?:after|since|finished|left)\s+(?:uni|university)\b"
    # a teaching degree, "BEd", lower-cased to a word it shares letters with: only as something held
    rf"|\b(?:i've got|ive got|i have|i hold|i did|with|got|have) (?:a|my) b\.?ed\b"
    rf"(?!\s+(?:in (?:the|my|a|our)\b|at\b|for\b))"
    # a CV-like list: "band 3 rehab assistant, english lit degree.", "history degree in 2019",
    # "(nursing degree)"
    rf"|(?:^|[,.;:(]\s*|\band\s+(?:a|an)\s+)(?:(?!(?:a|an|the|this|that|which|what|physio|ot|no|not|any|without|need|needs)\b)"
    rf"[\w'&-]+\s+){{1,3}}degree\b(?!\s+apprentice)(?![^.,;!?]{{0,20}}\?)"
    # ... or the item told the other way round: "PE teacher 11 yrs, degree in sport science."
    rf"|(?:^|[,.;:(]\s*)(?:a\s+)?(?:{_DEGREE_WORD})\s+in\s+[\w'&-]+(?![^.;!?]{{0,40}}\?)"
)
_NOT_HELD = re.compile(
    r"\b(?:how long|how hard|is a|is the|do i need|need a|without a|don't have|"
    r"do not have|no|not got|haven't got|\w+n't|doesnt|dont|hasnt|havent|didnt|does not|did not|do not|never|not|"
    r"doing a|"
    # ("if someone already has a degree": a case that is so, not a supposition)
    r"studying for|want a|get a|(?<!even )if(?!\s+(?:[\w']+\s+){0,2}already\b)|what if|suppose|supposing)\s+"
    r"(?:[\w'&-]+\s+){0,3}$"
)

# "came off the HCPC register", "let my HCPC registration lapse": the phrase lists
# (knowledge/signals.yml) can't hold every regulator's name in the middle
_LEFT_REGISTER = re.compile(
    r"\b(?:came|come|coming|fell|dropped|taken|took myself|went|been|go|going) off (?:the )?"
    r"(?:[\w-]+ )?register\b|\b(?:left|leaving|rejoin|rejoining|re-join|back on|get back on|"
    r"return to|returning to) (?:the )?(?:[\w-]+ )?register\b"
    r"|\bmy (?:[\w-]+ )?registration (?:has |had )?(?:lapsed|expired|ran out|run out)\b"
    r"|\blet my (?:[\w-]+ )?registration (?:lapse|go|expire)\b"
    r"|\b(?:didn't|did not|never|couldn't|could not|wasn't able to) (?:keep|kept) (?:up )?(?:my |the )?"
    r"(?:[\w-]+ )?(?:registration|register|hcpc|gosc|reg)\b"
)
# never on a register, never qualified: whatever else they say of going back ("back to work after
# the kids", "a return to work scheme"), there is no profession to return to
NEVER_QUALIFIED = re.compile(
    r"\b(?:never|not ever|haven't ever|have not ever|wasn't ever|was never)\s+"
    r"(?:(?:actually|properly|officially|even|really|got|gotten)\s+)?(?:been\s+)?"
    r"(?:registered|(?:went |got |go |get )?on(?:to)? (?:the|a|any) register|joined (?:the|a|any) register|qualified|"
    r"(?:did|done|finished|got|had) (?:the|a|my|any) degree|"
    r"done anything (?:medical|clinical|medical or clinical|in health(?:care)?)|"
    r"worked (?:in|as) (?:a |an )?(?:health|healthcare|the nhs|ahp|clinician|therapist))\b"
    r"|\b(?:dropped out|didn't finish|did not finish|never finished)\b"
)
# "went abroad teaching English", "we moved to Portugal for his job": time spent abroad, not a
# qualification from there (LIVED_THERE: the words just before the place they name)
LIVED_THERE = re.compile(
    r"\b(?:went|go|gone|going|moved|moving|relocated|emigrated|been|lived|living|"
    r"worked|working|travelled|travelling|traveled|traveling|out|teaching(?! hospital)|taught|teach)\s+"
    r"(?:to|in|out to|over to|"
    r"back to|off to)?\s*(?:\w+\s+){0,2}$"
)
TRAINED_THERE = re.compile(
    r"\b(?:trained|training|qualified|qualification|studied|graduated|degree)\s+"
    r"(?:\w+\s+){0,3}(?:in|from|abroad|overseas)\b"
)
WENT_ABROAD = re.compile(
    r"\b(?:went|go|gone|going|moved|moving|been|lived|living|worked|working|travelled|"
    r"travelling|traveled|traveling|years?|time|spent \w+)\s+(?:\w+\s+)?(?:abroad|overseas)\b"
    r"|\b(?:abroad|overseas) (?:teaching|working|travelling|traveling|for)\b"
)
# "UK-trained OT, worked in Australia": trained here, so not the international route
UK_TRAINED = re.compile(
    r"\b(?:uk[- ]trained|uk[- ]qualified|trained in the uk|qualified in the uk|"
    r"trained here|qualified here|(?:trained|qualified|studied) in (?:england|"
    r"scotland|wales|northern ireland))\b"
)

# words that say someone has a profession or training, without which a country named is
# where they came from, not where they trained ("we came from Ukraine two years ago")
AS_A_PROFESSIONAL = re.compile(
    r"\b(?:trained|training|train|qualified|qualification|qualifications|degree|"
    r"diploma|bsc|msc|registered|registration|licen[cs]e|licensed|worked|work|"
    r"working|practised|practiced|practising|practicing|graduated|career|job|"
    r"i'm an?|i am an?|i was an?|im an?)\b"
)

# "step up without quitting", "i still need my wage coming in": a need to keep earning told by
# what they won't give up, which a list of phrases can't hold in every wording
_KEEP_EARNING = re.compile(
    r"\b(?:without|not|never|can't|cannot|couldn't|won't|wouldn't|don't want to|rather not|avoid)\s+"
    r"(?:\w+\s+)?(?:quit(?:ting)?|leav(?:e|ing)\s+(?:my|the)\s+(?:job|work)|"
    r"giv(?:e|ing)\s+up\s+(?:my\s+|the\s+)?(?:job|work|wage|income|salary)|"
    r"pack(?:ing)?\s+in\s+(?:my\s+|the\s+)?(?:job|work)|los(?:e|ing)\s+(?:my\s+|the\s+)?(?:wage|income|salary|pay))\b"
    r"|\b(?:need|needs|needed)\s+(?:my|a|the|some|our)\s+(?:wage|income|salary|pay(?:check|cheque)?)\b"
    r"|\b(?:wage|income|money|salary|pay)\s+(?:still\s+)?coming\s+in\b"
    # "he can't afford to stop earning"
    r"|\b(?:can't|cant|cannot|couldn't|could not)\s+afford\s+to\s+(?:stop|give up|lose|quit)\s+"
    r"(?:earning|working|work|(?:my|his|her|their|the)\s+(?:job|wage|income|salary))\b"
)
# "i can't afford to be a student again", "couldn't afford the uni fees": studying unpaid is
# out of reach, said in words a list can't hold every order of
_CANT_AFFORD_STUDY = re.compile(
    r"\b(?:can't|cant|cannot|can not|couldn't|couldnt|could not|won't be able to|wouldn't be able to)\s+"
    r"afford\b(?:\s+[\w']+){0,7}?\s+(?:a\s+)?(?:student|students|uni|university|study|studying|degree|"
    r"course|training|fees|tuition)\b"
)
# "a degree isn't realistic for me", "dont fancy going back to studying for years", "not keen on
# uni at my age": no degree wanted (the ways in that start work now suit them)
_NO_DEGREE_WANTED = re.compile(
    r"\b(?:don't|dont|do not|didn't|wouldn't|won't|not|never|no)\s+(?:really\s+)?"
    r"(?:fancy|want|wanna|keen on|up for|like the idea of|interested in|bothered about)\s+"
    r"(?:(?:to|do|doing|go|going|back|start|starting|another|a|the|more|years|three|of|all|that)\s+){0,4}"
    r"(?:degree|uni|university|studying|student life)\b(?!\s+apprentice)"
    r"|\b(?:a degree|uni|university|studying|a university course)\s+(?:isn't|is not|isnt|wouldn't be|"
    r"won't be|is never going to be|just isn't|really isn't)\s+(?:really\s+)?(?:realistic|an option|possible|"
    r"doable|for me|happening)\b"
)
_NOT_NEEDED = re.compile(r"\b(?:don't|dont|do not|doesn't|does not|won't|no|not)\s+(?:really\s+)?$")

_AGE = re.compile(
    r"\b(?:i'm|i am|im|aged?)\s+(1[0-9]|[2-6][0-9])\b(?!\s*(?:%|years? (?:out|ago)|"
    r"hours|days|weeks|months|minutes|am|pm))|\b(1[0-9]|[2-6][0-9])\s*(?:years?|yrs?)\s*old\b"
)


def read(text: str) -> dict[str, str]:
    """Signal ids this message states, with the words that state them."""
    found: dict[str, str] = {}
    for match in _DEGREE.finditer(text):
        if not _NOT_HELD.search(text[max(0, match.start() - 30) : match.start()] + " "):
            found["has-degree"] = match.group(0).strip(" ,.;:(")
            break
    earning = _KEEP_EARNING.search(text)
    if earning and not _NOT_NEEDED.search(text[: earning.start()]):  # ("I don't need a wage")
        found["needs-to-earn"] = earning.group(0)
    afford = _CANT_AFFORD_STUDY.search(text)
    if afford and "needs-to-earn" not in found:
        found["needs-to-earn"] = afford.group(0)
    no_degree = _NO_DEGREE_WANTED.search(text)
    if no_degree:
        found["wants-work-now"] = no_degree.group(0)
    left = _LEFT_REGISTER.search(text)
    if left:
        found["former-registrant"] = left.group(0)
    age = _AGE.search(text)
    if age:
        years = int(age.group(1) or age.group(2))
        if years <= 18:
            found["at-school"] = age.group(0)
    return found


def age(text: str) -> int | None:
    found = _AGE.search(text)
    return int(found.group(1) or found.group(2)) if found else None
