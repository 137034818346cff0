"""The query API over the knowledge database that the rest of the product uses.

Results are the records of records.py, frozen dataclasses, so callers never hold a
database session. The engine is created on first use, not on import. The knowledge
is small and read-only while a process runs, so each kind is read once, whole, and
kept; every lookup (an alias, a phrase) is made in what was read.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, select

from bot.knowledge import models as m
from bot.knowledge.records import (
    Answer,
    Audience,
    Concept,
    Figure,
    Group,
    Helpline,
    KeyDate,
    Link,
    Myth,
    Profession,
    Question,
    Regulator,
    RegulatorUpdating,
    Resource,
    RiasecDimension,
    RiasecProfile,
    Route,
    RouteOption,
    RouteRule,
    Signal,
    phrase_key,
)

# the query API, and the records the rest of the product imports from here
__all__ = [
    "KnowledgeBase",
    "UpdatingRequirement",
    "Answer",
    "Audience",
    "Concept",
    "Figure",
    "Group",
    "Helpline",
    "KeyDate",
    "Link",
    "Myth",
    "Profession",
    "Question",
    "Regulator",
    "RegulatorUpdating",
    "Resource",
    "RiasecDimension",
    "RiasecProfile",
    "Route",
    "RouteOption",
    "RouteRule",
    "Signal",
]


@dataclass(frozen=True)
class UpdatingRequirement:
    """What a regulator asks of someone returning after a given time out."""

    regulator: str
    days: int | None
    text: str
    notes: tuple[str, ...]
    source: tuple[str, ...]


class KnowledgeBase:
    """Read access to the knowledge database."""

    def __init__(self, db_path: Path | str | None = None):
        if db_path is None:
            from bot.config import settings

            db_path = settings().knowledge_db
        self.db_path = Path(db_path)
        if not self.db_path.exists():
            raise FileNotFoundError(f"knowledge database {self.db_path} not found: build it with `python -m bot.build`")
        self._engine = create_engine(f"sqlite:///{self.db_path}", future=True)
        self._read: dict[type, tuple] = {}

    def _all(self, record: type) -> tuple:
        """Every entry of a kind of record, in the order of its YAML list (read once)."""
        if record not in self._read:
            with self._engine.connect() as connection:
                self._read[record] = tuple(m.STORED[record].read(connection))
        return self._read[record]

    # --- professions -------------------------------------------------------------------
    @cached_property
    def _professions(self) -> dict[str, Profession]:
        names = {r.id: r.name for r in self._all(Route)}
        return {
            p.id: replace(p, routes=tuple(replace(r, name=names[r.id]) for r in p.routes))
            for p in self._all(Profession)
        }

    def professions(self, kind: str | None = None) -> list[Profession]:
        return [p for p in self._professions.values() if kind is None or p.kind == kind]

    def profession(self, profession_id: str) -> Profession | None:
        return self._professions.get(profession_id)

    @cached_property
    def _by_alias(self) -> dict[str, str]:
        """Profession ids by alias: the aliases the spaCy pipeline's PROFESSION patterns are
        built from (bot/nlp.py), in the form they were stored in."""
        return {alias: p.id for p in self._professions.values() for alias in p.aliases}

    def profession_by_alias(self, text: str) -> Profession | None:
        pid = self._by_alias.get(phrase_key(text))
        return self._professions.get(pid) if pid else None

    def professions_for_route(self, route_id: str) -> list[Profession]:
        return [p for p in self._professions.values() if route_id in p.route_ids]

    # --- routes ----------------------------------------------------------------------------
    @cached_property
    def _routes(self) -> dict[str, Route]:
        return {r.id: r for r in self._all(Route)}

    def routes(self) -> list[Route]:
        return list(self._routes.values())

    def route(self, route_id: str) -> Route | None:
        return self._routes.get(route_id)

    @property
    def route_rules(self) -> tuple[RouteRule, ...]:
        """Tried in order; the last fits everyone (the build checks it)."""
        return self._all(RouteRule)

    @cached_property
    def route_fallback_order(self) -> tuple[str, ...]:
        """Routes to offer, in order, when no fitting rule leaves any."""
        with self._engine.connect() as connection:
            stored = connection.scalar(select(m.meta.c.value).where(m.meta.c.key == "route_fallback_order"))
        return tuple(json.loads(stored))

    # --- resources and audiences -----------------------------------------------------------
    def resources(self) -> list[Resource]:
        return list(self._all(Resource))

    def resources_for(self, audience: str | None = None, profession: str | None = None) -> list[Resource]:
        """Resources for an audience and/or a profession; profession-specific ones first."""
        found = [
            r
            for r in self._all(Resource)
            if (audience is None or audience in r.audiences)
            and (profession is None or not r.professions or profession in r.professions)
        ]
        return sorted(found, key=lambda r: 0 if profession and profession in r.professions else 1)

    @property
    def regulators(self) -> tuple[Regulator, ...]:
        return self._all(Regulator)

    def audiences(self) -> list[Audience]:
        return list(self._all(Audience))

    # --- interests -------------------------------------------------------------------------
    @cached_property
    def _concepts(self) -> dict[str, Concept]:
        return {c.id: c for c in self._all(Concept)}

    def concepts(self) -> list[Concept]:
        return list(self._concepts.values())

    def concept(self, concept_id: str) -> Concept | None:
        return self._concepts.get(concept_id)

    @cached_property
    def _by_phrase(self) -> dict[str, str]:
        return {phrase: c.id for c in self._concepts.values() for phrase in c.phrases}

    def professions_for_term(self, term: str) -> list[tuple[str, float, str]]:
        """(profession id, weight, concept id) for a phrase people type, strongest first."""
        cid = self._by_phrase.get(phrase_key(term))
        if cid is None:
            return []
        weights = self._concepts[cid].weights
        return sorted(((p, w, cid) for p, w in weights.items()), key=lambda x: -x[1])

    def terms_for_profession(self, profession_id: str) -> list[tuple[Concept, float]]:
        return sorted(
            ((c, c.weights[profession_id]) for c in self._concepts.values() if profession_id in c.weights),
            key=lambda x: -x[1],
        )

    @property
    def signals(self) -> tuple[Signal, ...]:
        return self._all(Signal)

    @property
    def groups(self) -> tuple[Group, ...]:
        return self._all(Group)

    def group(self, group_id: str | None) -> Group | None:
        return next((g for g in self.groups if g.id == group_id), None)

    @property
    def riasec_dimensions(self) -> tuple[RiasecDimension, ...]:
        return self._all(RiasecDimension)

    @cached_property
    def riasec_profiles(self) -> dict[str, dict[str, float]]:
        return {p.profession: dict(p.scores) for p in self._all(RiasecProfile)}

    @property
    def questions(self) -> tuple[Question, ...]:
        return self._all(Question)

    @cached_property
    def _language(self) -> dict[str, dict[str, str]]:
        sections: dict[str, dict[str, str]] = {}
        with self._engine.connect() as connection:
            for section, key, value in connection.execute(
                select(m.language.c.section, m.language.c.key, m.language.c.value)
            ):
                sections.setdefault(section, {})[key] = value
        return sections

    def language(self, section: str) -> dict[str, str]:
        """Wording data: text_speak, negation_cues, positive_cues, clause_breaks, reasons..."""
        return dict(self._language.get(section, {}))

    @cached_property
    def _word_lists(self) -> dict[str, Any]:
        with self._engine.connect() as connection:
            return dict(connection.execute(select(m.word_lists.c.name, m.word_lists.c.data)).all())

    @cached_property
    def safeguarding(self) -> dict[str, Any]:
        """The safeguarding phrase lists, by kind of risk (knowledge/language.yml)."""
        return self._word_lists["safeguarding"]

    @cached_property
    def question_cues(self) -> dict[str, list[str]]:
        """Words that say what a question asks for, by intent (knowledge/language.yml)."""
        return dict(self._word_lists.get("question_cues") or {})

    @cached_property
    def returning_words(self) -> tuple[str, ...]:
        """Words only a question about coming back uses ("updating", "readmission"):
        the returning cues and the return-to-practice question cues (knowledge/language.yml)."""
        return tuple(sorted({*self.language("returning_cues"), *self.question_cues.get("ask_return_to_practice", ())}))

    # --- return to practice and dates -------------------------------------------------------
    def updating_requirement(self, regulator: str, years_out: float) -> UpdatingRequirement | None:
        """What the regulator asks of someone returning after `years_out` years."""
        found = next((u for u in self._all(RegulatorUpdating) if u.regulator == regulator), None)
        if found is None:
            return None
        # its own text (a regulator that states no rules: GOsC) first, then the notes
        notes = ([(found.text, found.source)] if found.text else []) + [(n.text, n.source) for n in found.notes]
        texts = tuple(text for text, _ in notes)
        for rule in found.rules:
            # half-open ranges: HCPC asks for updating from two years out "or more"
            below_max = rule.max_years_out is None or years_out < rule.max_years_out
            if rule.min_years_out <= years_out and below_max:
                return UpdatingRequirement(regulator, rule.days, rule.text, texts, rule.source)
        if notes:  # no rule for this time out: the first note stands for them
            first_text, first_source = notes[0]
            return UpdatingRequirement(regulator, None, first_text, texts[1:], first_source or ())
        return None

    def myths(self) -> list[Myth]:
        return list(self._all(Myth))

    def figures(self) -> dict[str, str]:
        return {f.id: f.text for f in self._all(Figure)}

    def key_dates(self) -> list[KeyDate]:
        return list(self._all(KeyDate))

    def answers(self, topic: str | None = None) -> list[Answer]:
        return [a for a in self._all(Answer) if topic is None or a.topic == topic]

    def helplines(self, kind: str | None = None) -> list[Helpline]:
        return [h for h in self._all(Helpline) if kind is None or h.kind == kind]

    def close(self) -> None:
        self._engine.dispose()
