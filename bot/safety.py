"""Does a message suggest that someone is at risk? Plain Python, used by the
NLU pipeline (bot/nlu/components.py) so the urgent-help reply never depends
on the intent classifier alone.

The phrase lists are data (knowledge/language.yml). A risk phrase ("want to
die", "he hits me") always counts. A risk topic ("self harm", "bullying")
counts only when the person speaks of themselves or someone they know and not
of work or services, so career talk about mental health is no false alarm.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable

SECTIONS = ("risk_phrases", "risk_topic_phrases", "first_person_cues", "career_context_cues")


def _pattern(phrases: Iterable[str], normalise: Callable[[str], str]) -> re.Pattern:
    forms = sorted({normalise(p) for p in phrases if p.strip()}, key=len, reverse=True)
    return re.compile(r"(?<![\w'-])(?:" + "|".join(re.escape(f) for f in forms) + r")(?![\w'-])")


class RiskDetector:
    def __init__(self, lists: dict[str, Iterable[str]], normalise: Callable[[str], str]):
        self.normalise = normalise
        self.risk = _pattern(lists["risk_phrases"], normalise)
        self.topic = _pattern(lists["risk_topic_phrases"], normalise)
        self.first_person = _pattern(lists["first_person_cues"], normalise)
        self.career = _pattern(lists["career_context_cues"], normalise)

    def __call__(self, text: str) -> bool:
        if not text or not text.strip():
            return False
        normalised = self.normalise(text[:5000])
        if self.risk.search(normalised):
            return True
        return bool(self.topic.search(normalised) and self.first_person.search(normalised)
                    and not self.career.search(normalised))
