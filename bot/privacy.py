"""Personal data people type by mistake, taken out before anything is stored.

The REST channel (bot/channels/rest.py) redacts every message before Rasa sees
it, so the tracker store, the logs and the action server never hold it: email
addresses, phone numbers, UK postcodes, dates of birth, NHS numbers and names
introduced as "my name is ...". A careers conversation needs none of them.

Each kind is replaced by a placeholder the person can still read in their
transcript ("[email]"). Care is taken not to over-redact: profession names,
UCAS course codes ("B160"), school years ("year 12"), ages ("I'm 16"), years
("left in 2017") and bands ("band 5") stay.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PLACEHOLDERS = {
    "email": "[email]",
    "nhs_number": "[NHS number]",
    "phone": "[phone number]",
    "postcode": "[postcode]",
    "date_of_birth": "[date of birth]",
    "name": "[name]",
}

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# NHS numbers: 10 digits, often 3-3-4; checked with the modulus 11 check digit
_NHS = re.compile(r"(?<![\d+])(\d{3})[ -]?(\d{3})[ -]?(\d{4})(?!\d)")
# UK phone numbers: 07..., 01.../02..., +44 ..., with spaces, dashes or brackets
_PHONE = re.compile(r"(?<![\w+])(?:\+44\s?\(?0?\)?|\(?0)\d{2,4}\)?[\s-]?\d{3,4}[\s-]?\d{3,4}(?!\d)")
# UK postcodes (outward and inward code); the inward part keeps "B160" course codes safe
_POSTCODE = re.compile(
    r"\b(?:[A-PR-UWYZ][0-9][0-9A-HJKPSTUW]?|[A-PR-UWYZ][A-HK-Y][0-9][0-9ABEHMNPRVWXY]?)"
    r"\s*[0-9][ABD-HJLNP-UW-Z]{2}\b",
    re.IGNORECASE,
)
_MONTHS = (
    "jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    "sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_DATE = (
    rf"(?:\d{{1,2}}[/.-]\d{{1,2}}[/.-](?:19|20)?\d{{2}}|"
    rf"\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTHS})\s*,?\s*(?:19|20)\d{{2}}|"
    rf"(?:{_MONTHS})\s+\d{{1,2}}(?:st|nd|rd|th)?\s*,?\s*(?:19|20)\d{{2}})"
)
# a date given as a birthday, or any full date (day, month and year) at all
_DOB = re.compile(rf"(?:(?:born|birthday|date of birth|dob|d\.o\.b\.?)\s*(?:is|was|on|:)?\s*)?{_DATE}", re.IGNORECASE)
# "my name is Sam", "I'm called Sam Smith", "call me Sam"
_NAME = re.compile(  # the cue in any case; a second, capitalised word is a surname
    r"\b(?P<cue>(?i:my name(?:'s| is)|i am called|i'm called|im called|call me|name's))\s+"
    r"(?P<name>[^\W\d_][\w'-]*(?:\s+[A-Z][\w'-]*)?)",
    re.UNICODE,
)
# words that follow "I'm called"/"call me" but are not a name
_NOT_NAMES = {"a", "an", "the", "back", "later", "when", "if", "about", "please", "not", "just"}


def _nhs_check_digit_ok(digits: str) -> bool:
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1)))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(digits[9])


@dataclass(frozen=True)
class Redacted:
    text: str
    kinds: tuple[str, ...]  # what was taken out, for counting (never the values)


def redact(text: str) -> Redacted:
    kinds: list[str] = []

    def sub(pattern: re.Pattern, kind: str, value: str, keep=None) -> str:
        def replace(m: re.Match) -> str:
            if keep and keep(m):
                return m.group(0)
            kinds.append(kind)
            if kind == "name":  # keep the cue so the sentence still reads
                return f"{m.group('cue')} {PLACEHOLDERS['name']}"
            return PLACEHOLDERS[kind]

        return pattern.sub(replace, value)

    text = sub(_EMAIL, "email", text)
    text = sub(_NHS, "nhs_number", text, keep=lambda m: not _nhs_check_digit_ok("".join(m.groups())))
    text = sub(_PHONE, "phone", text)
    text = sub(_POSTCODE, "postcode", text)
    text = sub(_DOB, "date_of_birth", text)
    text = sub(_NAME, "name", text, keep=lambda m: m.group("name").lower() in _NOT_NAMES)
    return Redacted(text, tuple(kinds))
