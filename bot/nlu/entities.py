"""Entities with canonical ids, found by the KB-built spaCy pipeline.

Text is normalised first (spelling, text-speak), the rulers run on that, and
each span is mapped back to where it stands in the original message, so
"how do i become a physioterapist" gives `profession` = `physiotherapist` over
the characters "physioterapist".
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.language import Language

from bot.nlp import LABEL_GROUP, LABEL_PROFESSION, NAME_SPANS, ROUTE_SPANS, Normaliser, original_span, ruler_patterns

MAX_CHARS = 5000  # a careers message is short; longer text is read up to here


@dataclass(frozen=True)
class Found:
    entity: str  # profession | profession_group | route
    value: str  # the knowledge base id
    start: int
    end: int
    text: str
    role: str | None = None  # professions: target | current | former (bot.matching.understanding)

    def to_rasa(self) -> dict:
        found = {
            "entity": self.entity,
            "value": self.value,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "confidence_entity": 1.0,
        }
        if self.role:
            found["role"] = self.role
        return found


class EntityFinder:
    def __init__(self, nlp: Language, skip_groups: tuple[str, ...] = ("allied-health-professions",)):
        self.nlp = nlp
        self.normaliser = Normaliser.from_pipeline(nlp)
        self.skip_groups = set(skip_groups)
        self.exact = {
            (p["id"], " ".join(t["LOWER"] for t in p["pattern"]))
            for p in ruler_patterns(nlp, "name_ruler")
            if "LOWER" in p["pattern"][0]
        }

    def __call__(self, text: str) -> list[Found]:
        text = (text or "")[:MAX_CHARS]
        normalised, pieces = self.normaliser.aligned(text)
        if not pieces:
            return []
        return self.find(text, self.nlp(normalised), pieces)

    def find(self, text: str, doc, pieces: list[tuple[int, int, int, int]]) -> list[Found]:
        """The entities of `doc` (the pipeline run on `text` normalised, with the
        normaliser's `pieces`), with spans in `text`."""
        normalised = doc.text
        spans = []
        for span in doc.spans.get(NAME_SPANS, ()):
            if span.label_ == LABEL_PROFESSION:
                spans.append(("profession", span.id_, span.start_char, span.end_char))
            elif span.label_ == LABEL_GROUP and span.id_ not in self.skip_groups:
                spans.append(("profession_group", span.id_, span.start_char, span.end_char))
        for span in doc.spans.get(ROUTE_SPANS, ()):
            spans.append(("route", span.id_, span.start_char, span.end_char))
        # the longest span wins ("support worker route" over "support worker"); on a tie,
        # the phrase as written ("arts therapists" is the group, though its lemma is an
        # art therapist's), then a profession before a group before a route
        rank = {"profession": 0, "profession_group": 1, "route": 2}
        spans.sort(key=lambda s: (-(s[3] - s[2]), (s[1], normalised[s[2] : s[3]]) not in self.exact, rank[s[0]], s[2]))
        kept: list[tuple[str, str, int, int]] = []
        for s in spans:
            if all(s[3] <= k[2] or s[2] >= k[3] for k in kept):
                kept.append(s)
        found = []
        for entity, value, start, end in sorted(kept, key=lambda s: s[2]):
            o_start, o_end = original_span(pieces, start, end)
            found.append(Found(entity, value, o_start, o_end, text[o_start:o_end]))
        return found
