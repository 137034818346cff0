"""Near-copies: a message in one set that is, as words, 0.85 similar or more to one in
another. The blind sets' checks (tests/unit/test_blind_sets.py) and the NLU development
split's (tests/training_data/test_rasa_data.py) use this one measure."""
from __future__ import annotations

import re

from rapidfuzz import fuzz, process

SIMILAR = 85          # rapidfuzz ratio, 0-100: 0.85 similar or more is a copy
MIN_WORDS = 4         # shorter messages ("yes", "sport", "thanks") are what anyone would write
_WORD = re.compile(r"[a-z0-9£]+(?:'[a-z]+)?")


def normal(text: str) -> str:
    """Lower-case words only: punctuation, emoji and spacing do not make a message new."""
    return " ".join(_WORD.findall(str(text).lower()))


def near_copies(learnt: list[str], tests: list[str]) -> list[tuple[str, str]]:
    """Each pair (learnt, test) of normalised messages 0.85 similar or more."""
    hits = process.cdist(learnt, tests, scorer=fuzz.ratio, score_cutoff=SIMILAR, workers=1)
    return [(learnt[i], tests[j]) for i, j in zip(*hits.nonzero())]
