"""Does a message suggest that someone is at risk? Plain Python, used by the
NLU pipeline (bot/nlu/components.py) so the urgent-help reply never depends
on the intent classifier alone.

The phrase lists are data (knowledge/language.yml). A risk phrase ("want to
die", "he hits me") always counts. A risk topic ("self harm", "bullying")
counts only when the person speaks of themselves or someone they know and not
of work or services, so career talk about mental health is no false alarm.
`assess` also says when a message is career talk, so the NLU pipeline can
withdraw the classifier's guess of "at risk" for "I'd like to work with people
who self-harm" (but never when a risk phrase is there).
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

    def assess(self, text: str) -> str | None:
        """"risk", "career" (a risk topic or career words, talked about as work), or None."""
        if not text or not text.strip():
            return None
        normalised = self.normalise(text[:5000])
        if self.risk.search(normalised):
            return "risk"
        career = bool(self.career.search(normalised))
        if self.topic.search(normalised) and self.first_person.search(normalised) and not career:
            return "risk"
        return "career" if career else None

    def __call__(self, text: str) -> bool:
        return self.assess(text) == "risk"
