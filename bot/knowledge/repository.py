"""The query API over the knowledge database that the rest of the product uses.

Results are plain frozen dataclasses, so callers never hold a database session.
The engine is created on first use, not on import. The knowledge is small and
read-only while a process runs, so each kind is read once and kept.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session, selectinload

from bot.knowledge import models as m


@dataclass(frozen=True)
class Regulator:
    id: str
    name: str
    url: str
    summary: str
    source: tuple[str, ...]


@dataclass(frozen=True)
class RouteOption:
    id: str
    name: str
    note: str
    requires: tuple[str, ...]
    source: tuple[str, ...]


@dataclass(frozen=True)
class Link:
    title: str
    url: str
    source: tuple[str, ...]


@dataclass(frozen=True)
class Profession:
    id: str
    name: str
    kind: str
    aliases: tuple[str, ...]
    summary: str
    settings: str
    regulator: str | None
    protected_titles: tuple[str, ...]
    entry_requirements: str
    starting_band: str | None
    shortage: bool
    highest_supply_concern: bool
    small_and_vital: bool
    routes: tuple[RouteOption, ...]
    links: tuple[Link, ...]
    sources: dict[str, tuple[str, ...]] = field(compare=False)
    # further facts as in professions.yml, each {text, source, checked}: course, band_note,
    # no_band, practical (a list), more
    details: dict[str, Any] = field(default_factory=dict, compare=False)

    def detail(self, name: str) -> str | None:
        fact = self.details.get(name)
        return fact["text"] if isinstance(fact, dict) else None

    @property
    def route_ids(self) -> tuple[str, ...]:
        return tuple(r.id for r in self.routes)

    @property
    def in_demand(self) -> bool:
        """Named by the guide as in shortage or small and vital."""
        return self.shortage or self.small_and_vital


@dataclass(frozen=True)
class Route:
    id: str
    name: str
    summary: str
    involves: str
    requires: tuple[str, ...]
    source: tuple[str, ...]
    phrases: tuple[str, ...] = ()


@dataclass(frozen=True)
class RouteRule:
    id: str
    when: tuple[str, ...]
    unless: tuple[str, ...]
    routes: tuple[str, ...]
    plus: dict[str, tuple[str, ...]]


@dataclass(frozen=True)
class Resource:
    id: str
    title: str
    description: str
    url: str | None
    audiences: tuple[str, ...]
    professions: tuple[str, ...]
    source: tuple[str, ...]
    find: str | None = None  # who publishes it and how to find it, when there is no url
    cues: tuple[str, ...] = ()  # what people ask for when they mean this one ("vr", "a competition")


@dataclass(frozen=True)
class Concept:
    id: str
    category: str
    phrases: tuple[str, ...]
    weights: dict[str, float]
    source: tuple[str, ...]


@dataclass(frozen=True)
class Signal:
    id: str
    kind: str
    phrases: tuple[str, ...]
    points_to: dict[str, float]


@dataclass(frozen=True)
class Group:
    id: str
    phrases: tuple[str, ...]
    professions: tuple[str, ...]
    counts_as_one: bool = False
    usually_means: str | None = None


@dataclass(frozen=True)
class RiasecDimension:
    id: str
    name: str
    reason: str
    phrases: tuple[str, ...]


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    options: tuple[tuple[str, str], ...]  # (label, concept id)


@dataclass(frozen=True)
class UpdatingRequirement:
    regulator: str
    days: int | None
    text: str
    notes: tuple[str, ...]
    source: tuple[str, ...]


@dataclass(frozen=True)
class Myth:
    id: str
    myth: str
    fact: str
    source: tuple[str, ...]
    phrases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Audience:
    id: str
    name: str
    description: str
    phrases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Helpline:
    id: str
    name: str
    phone: str | None
    use: str
    url: str
    kind: str
    source: tuple[str, ...]


@dataclass(frozen=True)
class KeyDate:
    id: str
    name: str
    when: str
    text: str
    source: tuple[str, ...]
    month: int | None = None  # the same day every year: the reply names the next one
    day: int | None = None
    professions: tuple[str, ...] = ()

    def next_on(self, today: date) -> date | None:
        if not (self.month and self.day):
            return None
        this_year = date(today.year, self.month, self.day)
        return this_year if this_year >= today else date(today.year + 1, self.month, self.day)


@dataclass(frozen=True)
class Answer:
    """A careers adviser's everyday answer (knowledge/answers.yml)."""

    id: str
    topic: str
    title: str
    text: str
    cues: tuple[str, ...]
    source: tuple[str, ...]
    checked: str
    professions: tuple[str, ...] = ()
    about: tuple[str, ...] = ()  # other roles it compares with ("nutritionist")
    regulator: str | None = None


@dataclass(frozen=True)
class _UpdatingRow:
    min_years_out: float | None
    max_years_out: float | None
    days: int | None
    text: str
    source: tuple[str, ...]
    is_note: bool


def _t(value) -> tuple:
    return tuple(value or ())


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

    def _session(self) -> Session:
        return Session(self._engine)

    # --- professions -------------------------------------------------------------------
    @cached_property
    def _professions(self) -> dict[str, Profession]:
        with self._session() as s:
            route_names = dict(s.execute(select(m.Route.id, m.Route.name)).all())
            rows = s.scalars(
                select(m.Profession)
                .order_by(m.Profession.position)
                .options(
                    selectinload(m.Profession.aliases),
                    selectinload(m.Profession.routes),
                    selectinload(m.Profession.links),
                )
            ).all()
            return {
                p.id: Profession(
                    id=p.id,
                    name=p.name,
                    kind=p.kind,
                    aliases=tuple(a.alias for a in p.aliases),
                    summary=p.summary,
                    settings=p.settings,
                    regulator=p.regulator_id,
                    protected_titles=_t(p.protected_titles),
                    entry_requirements=p.entry_requirements,
                    starting_band=p.starting_band,
                    shortage=p.shortage,
                    highest_supply_concern=p.highest_supply_concern,
                    small_and_vital=p.small_and_vital,
                    routes=tuple(
                        RouteOption(r.route_id, route_names[r.route_id], r.note, _t(r.requires), _t(r.source))
                        for r in p.routes
                    ),
                    links=tuple(Link(k.title, k.url, _t(k.source)) for k in p.links),
                    sources={
                        "summary": _t(p.summary_source),
                        "settings": _t(p.settings_source),
                        "regulator": _t(p.regulator_source),
                        "protected_titles": _t(p.protected_titles_source),
                        "entry_requirements": _t(p.entry_requirements_source),
                        "starting_band": _t(p.starting_band_source),
                        "flags": _t(p.flags_source),
                    },
                    details=dict(p.details or {}),
                )
                for p in rows
            }

    def professions(self, kind: str | None = None) -> list[Profession]:
        return [p for p in self._professions.values() if kind is None or p.kind == kind]

    def profession(self, profession_id: str) -> Profession | None:
        return self._professions.get(profession_id)

    def profession_by_alias(self, text: str) -> Profession | None:
        key = " ".join(text.lower().split())
        with self._session() as s:
            pid = s.scalar(select(m.ProfessionAlias.profession_id).where(m.ProfessionAlias.alias == key))
        return self._professions.get(pid) if pid else None

    def professions_for_route(self, route_id: str) -> list[Profession]:
        return [p for p in self._professions.values() if route_id in p.route_ids]

    # --- routes ----------------------------------------------------------------------------
    @cached_property
    def _routes(self) -> dict[str, Route]:
        with self._session() as s:
            return {
                r.id: Route(
                    r.id,
                    r.name,
                    r.summary,
                    r.involves,
                    _t(r.requires),
                    _t(r.summary_source) + _t(r.involves_source),
                    _t(r.phrases),
                )
                for r in s.scalars(select(m.Route).order_by(m.Route.position))
            }

    def routes(self) -> list[Route]:
        return list(self._routes.values())

    def route(self, route_id: str) -> Route | None:
        return self._routes.get(route_id)

    @cached_property
    def route_rules(self) -> tuple[RouteRule, ...]:
        with self._session() as s:
            return tuple(
                RouteRule(r.id, _t(r.when), _t(r.unless), _t(r.routes), {k: _t(v) for k, v in r.plus.items()})
                for r in s.scalars(select(m.RouteRule).order_by(m.RouteRule.position))
            )

    @cached_property
    def route_fallback_order(self) -> tuple[str, ...]:
        """Routes to offer, in order, when no fitting rule leaves any."""
        with self._session() as s:
            return tuple(json.loads(s.get(m.Meta, "route_fallback_order").value))

    # --- resources and audiences -----------------------------------------------------------
    @cached_property
    def _resources(self) -> list[Resource]:
        with self._session() as s:
            rows = s.scalars(
                select(m.Resource)
                .order_by(m.Resource.position)
                .options(selectinload(m.Resource.audiences), selectinload(m.Resource.professions))
            ).all()
            return [
                Resource(
                    r.id,
                    r.title,
                    r.description,
                    r.url,
                    tuple(a.audience_id for a in r.audiences),
                    tuple(p.profession_id for p in r.professions),
                    _t(r.source),
                    r.find,
                    _t(r.cues),
                )
                for r in rows
            ]

    def resources(self) -> list[Resource]:
        return list(self._resources)

    def resources_for(self, audience: str | None = None, profession: str | None = None) -> list[Resource]:
        """Resources for an audience and/or a profession; profession-specific ones first."""
        found = [
            r
            for r in self._resources
            if (audience is None or audience in r.audiences)
            and (profession is None or not r.professions or profession in r.professions)
        ]
        return sorted(found, key=lambda r: 0 if profession and profession in r.professions else 1)

    @cached_property
    def regulators(self) -> tuple[Regulator, ...]:
        with self._session() as s:
            return tuple(
                Regulator(r.id, r.name, r.url, r.summary, _t(r.summary_source)) for r in s.scalars(select(m.Regulator))
            )

    @cached_property
    def _audiences(self) -> tuple[Audience, ...]:
        with self._session() as s:
            return tuple(Audience(a.id, a.name, a.description, _t(a.phrases)) for a in s.scalars(select(m.Audience)))

    def audiences(self) -> list[Audience]:
        return list(self._audiences)

    # --- interests -------------------------------------------------------------------------
    @cached_property
    def _concepts(self) -> dict[str, Concept]:
        with self._session() as s:
            rows = s.scalars(
                select(m.Concept).options(selectinload(m.Concept.phrases), selectinload(m.Concept.weights))
            ).all()
            return {
                c.id: Concept(
                    c.id,
                    c.category,
                    tuple(p.phrase for p in c.phrases),
                    {w.profession_id: w.weight for w in c.weights},
                    _t(c.source),
                )
                for c in rows
            }

    def concepts(self) -> list[Concept]:
        return list(self._concepts.values())

    def concept(self, concept_id: str) -> Concept | None:
        return self._concepts.get(concept_id)

    def professions_for_term(self, term: str) -> list[tuple[str, float, str]]:
        """(profession id, weight, concept id) for a phrase people type, strongest first."""
        key = " ".join(term.lower().split())
        with self._session() as s:
            cid = s.scalar(select(m.ConceptPhrase.concept_id).where(m.ConceptPhrase.phrase == key))
        if cid is None:
            return []
        weights = self._concepts[cid].weights
        return sorted(((p, w, cid) for p, w in weights.items()), key=lambda x: -x[1])

    def terms_for_profession(self, profession_id: str) -> list[tuple[Concept, float]]:
        return sorted(
            ((c, c.weights[profession_id]) for c in self._concepts.values() if profession_id in c.weights),
            key=lambda x: -x[1],
        )

    @cached_property
    def signals(self) -> tuple[Signal, ...]:
        with self._session() as s:
            return tuple(Signal(x.id, x.kind, _t(x.phrases), dict(x.points_to)) for x in s.scalars(select(m.Signal)))

    @cached_property
    def groups(self) -> tuple[Group, ...]:
        with self._session() as s:
            return tuple(
                Group(g.id, _t(g.phrases), _t(g.professions), g.counts_as_one, g.usually_means)
                for g in s.scalars(select(m.ProfessionGroup))
            )

    def group(self, group_id: str | None) -> Group | None:
        return next((g for g in self.groups if g.id == group_id), None)

    @cached_property
    def riasec_dimensions(self) -> tuple[RiasecDimension, ...]:
        with self._session() as s:
            return tuple(
                RiasecDimension(d.id, d.name, d.reason, _t(d.phrases)) for d in s.scalars(select(m.RiasecDimension))
            )

    @cached_property
    def riasec_profiles(self) -> dict[str, dict[str, float]]:
        with self._session() as s:
            return {p.profession_id: dict(p.scores) for p in s.scalars(select(m.RiasecProfile))}

    @cached_property
    def questions(self) -> tuple[Question, ...]:
        with self._session() as s:
            return tuple(
                Question(q.id, q.text, tuple((o["label"], o["concept"]) for o in q.options))
                for q in s.scalars(select(m.Question))
            )

    @cached_property
    def _language(self) -> dict[str, dict[str, str]]:
        sections: dict[str, dict[str, str]] = {}
        with self._session() as s:
            for section, key, value in s.execute(
                select(m.LanguageEntry.section, m.LanguageEntry.key, m.LanguageEntry.value)
            ):
                sections.setdefault(section, {})[key] = value
        return sections

    def language(self, section: str) -> dict[str, str]:
        """Wording data: text_speak, negation_cues, positive_cues, clause_breaks, reasons..."""
        return dict(self._language.get(section, {}))

    # --- return to practice and dates -------------------------------------------------------
    @cached_property
    def _updating_rules(self) -> dict[str, list[_UpdatingRow]]:
        rules: dict[str, list[_UpdatingRow]] = {}
        with self._session() as s:
            for r in s.scalars(select(m.UpdatingRule).order_by(m.UpdatingRule.id)):
                rules.setdefault(r.regulator_id, []).append(
                    _UpdatingRow(r.min_years_out, r.max_years_out, r.days, r.text, _t(r.source), r.is_note)
                )
        return rules

    def updating_requirement(self, regulator: str, years_out: float) -> UpdatingRequirement | None:
        """What the regulator asks of someone returning after `years_out` years."""
        rows = self._updating_rules.get(regulator, [])
        notes = tuple(r.text for r in rows if r.is_note)
        for r in rows:
            if r.is_note:
                continue
            # half-open ranges: HCPC asks for updating from two years out "or more"
            below_max = r.max_years_out is None or years_out < r.max_years_out
            if r.min_years_out is not None and r.min_years_out <= years_out and below_max:
                return UpdatingRequirement(regulator, r.days, r.text, notes, r.source)
        if notes:  # a regulator whose rules are stated as text only (GOsC)
            first = next(r for r in rows if r.is_note)
            return UpdatingRequirement(regulator, None, first.text, notes[1:], first.source)
        return None

    @cached_property
    def _myths(self) -> tuple[Myth, ...]:
        with self._session() as s:
            return tuple(
                Myth(x.id, x.myth, x.fact, _t(x.source), _t(x.phrases))
                for x in s.scalars(select(m.Myth).order_by(m.Myth.position))
            )

    def myths(self) -> list[Myth]:
        return list(self._myths)

    @cached_property
    def _figures(self) -> dict[str, str]:
        with self._session() as s:
            return {f.id: f.text for f in s.scalars(select(m.Figure))}

    def figures(self) -> dict[str, str]:
        return dict(self._figures)

    def _records(self, kind: str) -> list[dict[str, Any]]:
        with self._session() as s:
            return [
                r.data for r in s.scalars(select(m.Record).where(m.Record.kind == kind).order_by(m.Record.position))
            ]

    @cached_property
    def _key_dates(self) -> tuple[KeyDate, ...]:
        return tuple(
            KeyDate(
                k["id"],
                k["name"],
                str(k["when"]),
                k["text"],
                _t(k["source"]),
                k.get("month"),
                k.get("day"),
                _t(k.get("professions")),
            )
            for k in self._records("key_date")
        )

    def key_dates(self) -> list[KeyDate]:
        return list(self._key_dates)

    @cached_property
    def safeguarding(self) -> dict[str, Any]:
        """The safeguarding phrase lists, by kind of risk (knowledge/language.yml)."""
        [lists] = self._records("safeguarding")
        return lists

    @cached_property
    def question_cues(self) -> dict[str, list[str]]:
        """Words that say what a question asks for, by intent (knowledge/language.yml)."""
        found = self._records("question_cues")
        return dict(found[0]) if found else {}

    @cached_property
    def returning_words(self) -> tuple[str, ...]:
        """Words only a question about coming back uses ("updating", "readmission"):
        the returning cues and the return-to-practice question cues (knowledge/language.yml)."""
        return tuple(sorted({*self.language("returning_cues"), *self.question_cues.get("ask_return_to_practice", ())}))

    @cached_property
    def _answers(self) -> tuple[Answer, ...]:
        return tuple(
            Answer(
                a["id"],
                a["topic"],
                a["title"],
                a["text"],
                _t(a["cues"]),
                _t(a["source"]),
                a["checked"],
                _t(a.get("professions")),
                _t(a.get("about")),
                a.get("regulator"),
            )
            for a in self._records("answer")
        )

    def answers(self, topic: str | None = None) -> list[Answer]:
        return [a for a in self._answers if topic is None or a.topic == topic]

    @cached_property
    def _helplines(self) -> tuple[Helpline, ...]:
        with self._session() as s:
            return tuple(
                Helpline(h.id, h.name, h.phone, h.use, h.url, h.kind, _t(h.source))
                for h in s.scalars(select(m.Helpline).order_by(m.Helpline.position))
            )

    def helplines(self, kind: str | None = None) -> list[Helpline]:
        return [h for h in self._helplines if kind is None or h.kind == kind]

    def close(self) -> None:
        self._engine.dispose()
