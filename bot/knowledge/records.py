"""The one definition of each kind of knowledge record.

Each class says, field by field (fields.py), what an entry of knowledge/*.yml holds,
where the knowledge database keeps it, and what the rest of the product gets back:
the class itself, a frozen dataclass, so callers never hold a database session. The
JSON Schema (schema.py), the tables (models.py), the loader and the repository are
derived from these classes: a new field is one line here, and its data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.knowledge import fields as f
from bot.knowledge.fields import FACT, FACTS, ID, IDS, NUMBER, PHRASES, TEXT, TEXTS, Record

CONTRACT_PROFESSIONS = (
    "art-therapist",
    "dramatherapist",
    "music-therapist",
    "dietitian",
    "occupational-therapist",
    "operating-department-practitioner",
    "orthoptist",
    "osteopath",
    "paramedic",
    "physiotherapist",
    "podiatrist",
    "prosthetist-orthotist",
    "diagnostic-radiographer",
    "therapeutic-radiographer",
    "speech-and-language-therapist",
    "ahp-support-worker",
    "assistant-practitioner",
)
CONTRACT_ROUTES = (
    "degree",
    "postgraduate",
    "apprenticeship",
    "support-worker",
    "return-to-practice",
    "international",
)
RIASEC = ("R", "I", "A", "S", "E", "C")
CATEGORIES = ("interest", "hobby", "subject", "strength", "value", "task")
ANSWER_TOPICS = (
    "money",
    "practical",
    "difference",
    "progression",
    "next-steps",
    "returning",
    "international",
    "outreach",
)

PROFESSION_ID = {"enum": list(CONTRACT_PROFESSIONS)}
PROFESSION_IDS = {"type": "array", "items": PROFESSION_ID}
ROUTE_ID = {"enum": list(CONTRACT_ROUTES)}
ROUTE_IDS = {"type": "array", "items": ROUTE_ID}
WEIGHTS = {
    "type": "object",
    "minProperties": 1,
    "propertyNames": PROFESSION_ID,
    "additionalProperties": {"type": "number", "minimum": 0.05, "maximum": 2.0},
}
HTTPS = {"type": "string", "pattern": "^https://"}


def phrase_key(text: str) -> str:
    """The form a name or phrase people type is stored and looked up in: lower case,
    single spaces."""
    return " ".join(text.lower().split())


def profession_aliases(aliases: list[str], profession: dict) -> list[str]:
    """What a profession entry is found by: its aliases and its name."""
    return [phrase_key(a) for a in (*aliases, profession["name"])]


def _phrase_keys(written: list[str], entry: dict) -> list[str]:
    return [phrase_key(p) for p in written]


def _fact_sources(record: Any) -> tuple[str, ...]:
    return tuple(s for found in record.sources.values() for s in found)


@dataclass(frozen=True, kw_only=True)
class Regulator(Record, table="regulators"):
    id: str = f.key()
    name: str = f.text()
    url: str = f.text()
    summary: str = f.fact()
    sources: dict[str, tuple[str, ...]] = f.sources()

    @property
    def source(self) -> tuple[str, ...]:
        return _fact_sources(self)


@dataclass(frozen=True, kw_only=True)
class Audience(Record, table="audiences"):
    id: str = f.key()
    name: str = f.text()
    description: str = f.fact()
    phrases: tuple[str, ...] = f.phrases()  # how people name this audience ("teachers")
    sources: dict[str, tuple[str, ...]] = f.sources()


@dataclass(frozen=True, kw_only=True)
class RouteOption(Record):
    """A route into one profession (professions.yml: routes), with what is particular to it."""

    id: str = f.key(ROUTE_ID, column="route_id", references="routes")
    name: str = f.derived("")  # the route's name (routes.yml), filled in by the repository
    note: str = f.text()
    requires: tuple[str, ...] = f.value(IDS, ())  # signals the person must have for it to be offered
    source: tuple[str, ...] = f.source()


@dataclass(frozen=True, kw_only=True)
class Link(Record):
    title: str = f.text()
    url: str = f.value(HTTPS)
    source: tuple[str, ...] = f.source()


@dataclass(frozen=True, kw_only=True)
class Profession(Record, table="professions", child_key="profession_id"):
    id: str = f.key(PROFESSION_ID)
    name: str = f.text()
    kind: str = f.choice("registered", "support")
    # lower case; unique across professions; the name is one of them
    aliases: tuple[str, ...] = f.members("profession_aliases", "alias", unique=True, clean=profession_aliases)
    summary: str = f.fact()  # what the work is, plain words for a young reader
    settings: str = f.fact()  # where they work
    regulator: str | None = f.sourced(
        "id", ID, nullable=True, column="regulator_id", references="regulators"
    )  # hcpc | gosc | None for support roles
    protected_titles: tuple[str, ...] = f.sourced("titles", PHRASES, ())
    entry_requirements: str = f.fact()
    starting_band: str | None = f.sourced("band", TEXT, None)  # left out where no official figure
    shortage: bool = f.flag("flags")  # the guide's lists
    highest_supply_concern: bool = f.flag("flags")
    small_and_vital: bool = f.flag("flags")
    routes: tuple[RouteOption, ...] = f.children(RouteOption, "profession_routes")  # only those that exist
    links: tuple[Link, ...] = f.children(Link, "profession_links")  # at least one official page about it
    sources: dict[str, tuple[str, ...]] = f.sources()
    # further facts as written, each {text, source, checked}: how long the course takes; a note
    # on the band ("band 6 after two years"); why there is no band (most osteopaths are
    # self-employed); practical requirements (driving licence, portfolio); what else the work involves
    details: dict[str, Any] = f.together(course=FACT, band_note=FACT, no_band=FACT, practical=FACTS, more=FACT)

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


@dataclass(frozen=True, kw_only=True)
class Route(Record, table="routes"):
    id: str = f.key(ROUTE_ID)
    name: str = f.text()
    summary: str = f.fact()
    involves: str = f.fact()
    requires: tuple[str, ...] = f.value(IDS, ())  # signals the person must have for it to be offered
    phrases: tuple[str, ...] = f.phrases()  # what people call it; the route span ruler's patterns
    sources: dict[str, tuple[str, ...]] = f.sources()

    @property
    def source(self) -> tuple[str, ...]:
        return _fact_sources(self)


@dataclass(frozen=True, kw_only=True)
class RouteRule(Record, table="route_rules", listed_in="routes.fitting_rules"):
    """Which routes fit which circumstances (signal ids), tried in order: the first whose
    `when` the person has all of and `unless` none of applies. The last fits everyone
    (schema.py checks it)."""

    id: str = f.key()
    when: tuple[str, ...] = f.value(IDS, ())
    unless: tuple[str, ...] = f.value(IDS, ())
    routes: tuple[str, ...] = f.value(ROUTE_IDS)
    # more routes when the person also has a signal ({has-degree: [postgraduate]})
    plus: dict[str, tuple[str, ...]] = f.value(
        {"type": "object", "additionalProperties": ROUTE_IDS},
        {},
        convert=lambda stored: {signal: tuple(routes) for signal, routes in stored.items()},
    )


@dataclass(frozen=True, kw_only=True)
class Group(Record, table="profession_groups", listed_in="groups.groups"):
    """Words that name several professions at once ("radiography", "arts therapies")."""

    id: str = f.key()
    phrases: tuple[str, ...] = f.phrases(lower=True)
    professions: tuple[str, ...] = f.value({"type": "array", "minItems": 2, "items": PROFESSION_ID})
    source: tuple[str, ...] = f.source()
    counts_as_one: bool = f.value({"type": "boolean"}, False)  # one profession, several roles
    usually_means: str | None = f.value(PROFESSION_ID, None)  # the member a question naming it is about


@dataclass(frozen=True, kw_only=True)
class Concept(Record, table="concepts", child_key="concept_id"):
    id: str = f.key()
    category: str = f.choice(*CATEGORIES)
    phrases: tuple[str, ...] = f.members("concept_phrases", "phrase", unique=True, clean=_phrase_keys)
    weights: dict[str, float] = f.weights("concept_weights", WEIGHTS, yaml="points_to")
    source: tuple[str, ...] = f.source()


@dataclass(frozen=True, kw_only=True)
class Signal(Record, table="signals"):
    """Phrases that tell the person's stage, constraints and who is asking."""

    id: str = f.key()
    kind: str = f.choice("stage", "constraint", "asker")
    phrases: tuple[str, ...] = f.phrases(lower=True)
    points_to: dict[str, float] = f.value(WEIGHTS, {})
    source: tuple[str, ...] | None = f.source(None)  # needed with points_to (schema.py)


@dataclass(frozen=True, kw_only=True)
class RiasecDimension(Record, table="riasec_dimensions", listed_in="riasec.dimensions", min_items=6):
    id: str = f.key({"enum": list(RIASEC)})
    name: str = f.text()
    reason: str = f.text()
    phrases: tuple[str, ...] = f.phrases(lower=True)
    source: tuple[str, ...] = f.source()


@dataclass(frozen=True, kw_only=True)
class RiasecProfile(Record, table="riasec_profiles", listed_in="riasec.profiles"):
    """O*NET Holland interest scores of the closest occupation."""

    profession: str = f.key(PROFESSION_ID, column="profession_id", references="professions")
    onet: str = f.text()
    scores: dict[str, float] = f.value(
        {
            "type": "object",
            "required": list(RIASEC),
            "additionalProperties": {"type": "number", "minimum": 1, "maximum": 7},
        }
    )
    source: tuple[str, ...] = f.source()


@dataclass(frozen=True, kw_only=True)
class Question(Record, table="questions"):
    """A question that separates professions when a profile is vague."""

    id: str = f.key()
    text: str = f.text()
    options: tuple[tuple[str, str], ...] = f.value(  # (label, concept id)
        {
            "type": "array",
            "minItems": 2,
            "items": {"type": "object", "required": ["label", "concept"], "properties": {"label": TEXT, "concept": ID}},
        },
        convert=lambda stored: tuple((o["label"], o["concept"]) for o in stored),
    )


@dataclass(frozen=True, kw_only=True)
class Resource(Record, table="resources", child_key="resource_id"):
    id: str = f.key()
    title: str = f.text()
    description: str = f.text()
    url: str | None = f.value({"oneOf": [{"type": "null"}, {"type": "string", "pattern": "^https?://"}]})
    audiences: tuple[str, ...] = f.members(
        "resource_audiences", "audience_id", references="audiences", json={"type": "array", "minItems": 1, "items": ID}
    )
    professions: tuple[str, ...] = f.members(
        "resource_professions", "profession_id", references="professions", json=PROFESSION_IDS
    )
    source: tuple[str, ...] = f.source()
    find: str | None = f.text(None)  # who publishes it and how to find it, when there is no url
    cues: tuple[str, ...] = f.value(TEXTS, ())  # what people ask for when they mean it ("vr", "a competition")


@dataclass(frozen=True, kw_only=True)
class UpdatingRule(Record):
    """How much updating a regulator asks of a returner, by years out of practice
    (from min_years_out, below max_years_out; no max: or more)."""

    min_years_out: float = f.value(NUMBER)
    max_years_out: float | None = f.value({"type": ["number", "null"]})
    days: int = f.value({"type": "integer", "minimum": 0})
    text: str = f.text()
    source: tuple[str, ...] = f.source()


@dataclass(frozen=True, kw_only=True)
class Note(Record):
    text: str = f.text()
    source: tuple[str, ...] = f.source()


@dataclass(frozen=True, kw_only=True)
class RegulatorUpdating(
    Record,
    table="updating_requirements",
    child_key="regulator_id",
    listed_in="return_to_practice.updating_requirements",
    min_items=2,
):
    """What a regulator asks of people coming back to its register: rules by years out,
    or a text where it states none (GOsC), and notes."""

    regulator: str = f.key(column="regulator_id", references="regulators")
    text: str | None = f.text(None)
    source: tuple[str, ...] | None = f.source(None)
    rules: tuple[UpdatingRule, ...] = f.children(UpdatingRule, "updating_rules", min_items=0, default=())
    notes: tuple[Note, ...] = f.children(Note, "updating_notes", min_items=0, default=())


@dataclass(frozen=True, kw_only=True)
class Figure(Record, table="figures", listed_in="return_to_practice.figures", min_items=0):
    id: str = f.key()
    text: str = f.text()
    source: tuple[str, ...] = f.source()


@dataclass(frozen=True, kw_only=True)
class Myth(Record, table="myths", listed_in="return_to_practice.myths"):
    id: str = f.key()
    myth: str = f.text()
    fact: str = f.text()
    source: tuple[str, ...] = f.source()
    phrases: tuple[str, ...] = f.phrases()  # words that point a question to this myth


@dataclass(frozen=True, kw_only=True)
class Helpline(Record, table="helplines"):
    id: str = f.key()
    name: str = f.text()
    phone: str | None = f.value({"type": ["string", "null"], "pattern": "^[0-9 ]+$"})
    use: str = f.text()
    url: str = f.value(HTTPS)
    kind: str = f.choice("urgent", "careers")
    source: tuple[str, ...] = f.source()


@dataclass(frozen=True, kw_only=True)
class KeyDate(Record, table="key_dates"):
    id: str = f.key()
    name: str = f.text()
    when: str = f.text()
    text: str = f.text()
    source: tuple[str, ...] = f.source()
    # a date that is the same every year gives month and day, so the reply names the next one
    month: int | None = f.value({"type": "integer", "minimum": 1, "maximum": 12}, None)
    day: int | None = f.value({"type": "integer", "minimum": 1, "maximum": 31}, None)
    professions: tuple[str, ...] = f.value(PROFESSION_IDS, ())
    # what else people call it, besides its name ("clearing", "AHP day")
    phrases: tuple[str, ...] = f.value(PHRASES, ())

    def next_on(self, today: date) -> date | None:
        if not (self.month and self.day):
            return None
        this_year = date(today.year, self.month, self.day)
        return this_year if this_year >= today else date(today.year + 1, self.month, self.day)


@dataclass(frozen=True, kw_only=True)
class Answer(Record, table="answers"):
    """A careers adviser's everyday answer (knowledge/answers.yml); `cues` are the words
    that point a question to it (matched on lemmas)."""

    id: str = f.key()
    topic: str = f.choice(*ANSWER_TOPICS)
    title: str = f.text()
    text: str = f.text()
    cues: tuple[str, ...] = f.phrases()
    source: tuple[str, ...] = f.source()
    checked: str = f.checked()
    professions: tuple[str, ...] = f.value(PROFESSION_IDS, ())
    about: tuple[str, ...] = f.value(PHRASES, ())  # other roles it compares with ("nutritionist")
    regulator: str | None = f.value(ID, None)
    # the myth this answer sets right ("it has to be on a ward, doesn't it?"): said with it when
    # the question believes it
    myth: str | None = f.value(ID, None, references="myths")


# every record listed in knowledge/*.yml, in the order they are loaded
RECORDS: tuple[type[Record], ...] = (
    Regulator,
    Audience,
    Route,
    RouteRule,
    Profession,
    Group,
    Concept,
    RiasecDimension,
    RiasecProfile,
    Signal,
    Question,
    Resource,
    RegulatorUpdating,
    Figure,
    Myth,
    KeyDate,
    Answer,
    Helpline,
)
