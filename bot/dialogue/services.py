"""The knowledge base and matcher, opened once per process on first use."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache

from bot.knowledge.repository import KnowledgeBase, Profession, Resource
from bot.matching import Matcher, Profile
from bot.nlp import QUESTION, SENTENCES, WAY_IN, phrase_pattern


@dataclass
class Services:
    kb: KnowledgeBase
    matcher: Matcher

    @cached_property
    def labels(self) -> dict[str, str]:
        return self.kb.language("labels")

    @cached_property
    def intent_labels(self) -> dict[str, str]:
        return self.kb.language("intent_labels")

    @cached_property
    def way_in_words(self) -> re.Pattern:
        """The words that ask for the ways into a job ("get into", "become a", "way in"), and
        the shapes such questions take (bot.nlp.WAY_IN)."""
        cues = phrase_pattern(self.kb.question_cues.get("ask_routes") or ())
        return re.compile(f"{cues.pattern}|{WAY_IN.pattern}", re.I)

    @cached_property
    def route_circumstances(self) -> set[str]:
        """The signals that change which ways into a job fit (knowledge/routes.yml fitting_rules)."""
        return {s for rule in self.kb.route_rules for s in (*rule.when, *rule.unless, *rule.plus)}

    @cached_property
    def question_words(self) -> re.Pattern:
        """The words of every question the knowledge base knows ("how long", "website", "pay")."""
        return phrase_pattern([cue for cues in self.kb.question_cues.values() for cue in cues])

    @cached_property
    def cues_of(self) -> dict[str, re.Pattern]:
        """Each question intent's own words ("what grades" asks for entry requirements)."""
        return {intent: phrase_pattern(cues) for intent, cues in self.kb.question_cues.items() if cues}

    def in_its_own_words(self, intent: str | None, text: str) -> bool:
        """The message asks `intent`'s question in that question's own words."""
        cues = self.cues_of.get(intent or "")
        return bool(cues and cues.search(self.words(text)))

    @cached_property
    def myth_words(self) -> re.Pattern:
        """The words that ask whether something heard about returning is true."""
        return phrase_pattern(self.kb.language("myth_cues"))

    @cached_property
    def resource_cues(self) -> list[tuple[Resource, re.Pattern]]:
        """Each resource that has cues, with one pattern for them."""
        return [(r, phrase_pattern(r.cues)) for r in self.kb.resources() if r.cues]

    def asks_way_in(self, text: str, alone: bool = False) -> bool:
        """A question of its own in the message, besides whatever else it says, about how
        to get in ("My boy's 17 and did badly in his GCSEs. What way in is there for him?");
        `alone`: or the message's only sentence is that question."""
        sentences = [s for s in SENTENCES.split(text) if s.strip()]
        return (len(sentences) > 1 or alone) and any(
            QUESTION.search(s) and self.way_in_words.search(self.words(s)) for s in sentences
        )

    def words(self, text: str) -> str:
        """A message as the knowledge base's phrases are matched on: normalised, single-spaced."""
        return " ".join(self.matcher.normaliser(text or "").split())

    def profession(self, pid: str | None) -> Profession | None:
        return self.kb.profession(pid) if pid else None

    def join(self, items) -> str:
        return self.labels["list_separator"].join(items)

    def profile(self, data) -> Profile:
        return Profile.from_dict(data)


@lru_cache(maxsize=1)
def services() -> Services:
    matcher = Matcher.from_settings()
    return Services(matcher.kb, matcher)
