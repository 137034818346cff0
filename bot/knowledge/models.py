"""SQLAlchemy models of the knowledge database (SQLAlchemy 1.4, 2.0-style API).

Sources are stored as JSON lists of strings next to the fact they support.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Boolean, Column, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import declarative_base, relationship

Base: Any = declarative_base()  # (SQLAlchemy 1.4 ships no types: a base of unknown type)


class Meta(Base):
    __tablename__ = "meta"
    key = Column(String, primary_key=True)
    value = Column(Text, nullable=False)


class Regulator(Base):
    __tablename__ = "regulators"
    id = Column(String, primary_key=True)
    name = Column(String, nullable=False)
    url = Column(String, nullable=False)
    summary = Column(Text, nullable=False)
    summary_source = Column(JSON, nullable=False)


class Audience(Base):
    __tablename__ = "audiences"
    id = Column(String, primary_key=True)
    name = Column(String, nullable=False)
    description = Column(Text, nullable=False)
    source = Column(JSON, nullable=False)
    phrases = Column(JSON, nullable=False)  # how people name this audience ("teachers")


class Profession(Base):
    __tablename__ = "professions"
    id = Column(String, primary_key=True)
    position = Column(Integer, nullable=False)
    name = Column(String, nullable=False)
    kind = Column(String, nullable=False)
    summary = Column(Text, nullable=False)
    summary_source = Column(JSON, nullable=False)
    settings = Column(Text, nullable=False)
    settings_source = Column(JSON, nullable=False)
    regulator_id = Column(String, ForeignKey("regulators.id"))
    regulator_source = Column(JSON)
    protected_titles = Column(JSON)
    protected_titles_source = Column(JSON)
    entry_requirements = Column(Text, nullable=False)
    entry_requirements_source = Column(JSON, nullable=False)
    starting_band = Column(String)
    starting_band_source = Column(JSON)
    shortage = Column(Boolean, nullable=False)
    highest_supply_concern = Column(Boolean, nullable=False)
    small_and_vital = Column(Boolean, nullable=False)
    flags_source = Column(JSON, nullable=False)
    # further facts, each {text, source, checked} as in professions.yml: course,
    # band_note, no_band, practical (a list), more
    details = Column(JSON, nullable=False, default=dict)

    aliases = relationship("ProfessionAlias", cascade="all, delete-orphan")
    routes = relationship("ProfessionRoute", cascade="all, delete-orphan", order_by="ProfessionRoute.position")
    links = relationship("ProfessionLink", cascade="all, delete-orphan")


class ProfessionAlias(Base):
    __tablename__ = "profession_aliases"
    alias = Column(String, primary_key=True)
    profession_id = Column(String, ForeignKey("professions.id"), nullable=False, index=True)


class ProfessionLink(Base):
    __tablename__ = "profession_links"
    id = Column(Integer, primary_key=True)
    profession_id = Column(String, ForeignKey("professions.id"), nullable=False, index=True)
    title = Column(String, nullable=False)
    url = Column(String, nullable=False)
    source = Column(JSON, nullable=False)


class Route(Base):
    __tablename__ = "routes"
    id = Column(String, primary_key=True)
    position = Column(Integer, nullable=False)
    name = Column(String, nullable=False)
    summary = Column(Text, nullable=False)
    summary_source = Column(JSON, nullable=False)
    involves = Column(Text, nullable=False)
    involves_source = Column(JSON, nullable=False)
    requires = Column(JSON, nullable=False)
    phrases = Column(JSON, nullable=False)  # what people call it; the route span ruler's patterns


class ProfessionRoute(Base):
    __tablename__ = "profession_routes"
    profession_id = Column(String, ForeignKey("professions.id"), primary_key=True)
    route_id = Column(String, ForeignKey("routes.id"), primary_key=True, index=True)
    position = Column(Integer, nullable=False)
    note = Column(Text, nullable=False)
    requires = Column(JSON, nullable=False)
    source = Column(JSON, nullable=False)


class RouteRule(Base):
    """Which routes fit which circumstances, tried in order (first match wins)."""

    __tablename__ = "route_rules"
    id = Column(String, primary_key=True)
    position = Column(Integer, nullable=False)
    when = Column(JSON, nullable=False)
    unless = Column(JSON, nullable=False)
    routes = Column(JSON, nullable=False)
    plus = Column(JSON, nullable=False)


class ProfessionGroup(Base):
    __tablename__ = "profession_groups"
    id = Column(String, primary_key=True)
    phrases = Column(JSON, nullable=False)
    professions = Column(JSON, nullable=False)
    source = Column(JSON, nullable=False)
    counts_as_one = Column(Boolean, nullable=False, default=False)  # one profession, several roles
    usually_means = Column(String, nullable=True)  # the member a question naming the group is about


class Concept(Base):
    __tablename__ = "concepts"
    id = Column(String, primary_key=True)
    category = Column(String, nullable=False)
    source = Column(JSON, nullable=False)
    phrases = relationship("ConceptPhrase", cascade="all, delete-orphan")
    weights = relationship("ConceptWeight", cascade="all, delete-orphan")


class ConceptPhrase(Base):
    __tablename__ = "concept_phrases"
    phrase = Column(String, primary_key=True)
    concept_id = Column(String, ForeignKey("concepts.id"), nullable=False, index=True)


class ConceptWeight(Base):
    __tablename__ = "concept_weights"
    concept_id = Column(String, ForeignKey("concepts.id"), primary_key=True)
    profession_id = Column(String, ForeignKey("professions.id"), primary_key=True, index=True)
    weight = Column(Float, nullable=False)


class RiasecDimension(Base):
    __tablename__ = "riasec_dimensions"
    id = Column(String, primary_key=True)
    name = Column(String, nullable=False)
    reason = Column(String, nullable=False)
    phrases = Column(JSON, nullable=False)
    source = Column(JSON, nullable=False)


class RiasecProfile(Base):
    __tablename__ = "riasec_profiles"
    profession_id = Column(String, ForeignKey("professions.id"), primary_key=True)
    onet = Column(String, nullable=False)
    scores = Column(JSON, nullable=False)
    source = Column(JSON, nullable=False)


class Signal(Base):
    __tablename__ = "signals"
    id = Column(String, primary_key=True)
    kind = Column(String, nullable=False)
    phrases = Column(JSON, nullable=False)
    points_to = Column(JSON, nullable=False)
    source = Column(JSON)


class Question(Base):
    __tablename__ = "questions"
    id = Column(String, primary_key=True)
    text = Column(Text, nullable=False)
    options = Column(JSON, nullable=False)


class Resource(Base):
    __tablename__ = "resources"
    id = Column(String, primary_key=True)
    position = Column(Integer, nullable=False)
    title = Column(String, nullable=False)
    description = Column(Text, nullable=False)
    url = Column(String)
    find = Column(Text)  # who publishes it and how to find it, when there is no url
    cues = Column(JSON, nullable=False, default=list)  # what people ask for when they mean it
    source = Column(JSON, nullable=False)
    audiences = relationship("ResourceAudience", cascade="all, delete-orphan")
    professions = relationship("ResourceProfession", cascade="all, delete-orphan")


class ResourceAudience(Base):
    __tablename__ = "resource_audiences"
    resource_id = Column(String, ForeignKey("resources.id"), primary_key=True)
    audience_id = Column(String, ForeignKey("audiences.id"), primary_key=True, index=True)


class ResourceProfession(Base):
    __tablename__ = "resource_professions"
    resource_id = Column(String, ForeignKey("resources.id"), primary_key=True)
    profession_id = Column(String, ForeignKey("professions.id"), primary_key=True, index=True)


class UpdatingRule(Base):
    """How much updating a regulator asks of a returner, by years out of practice."""

    __tablename__ = "updating_rules"
    id = Column(Integer, primary_key=True)
    regulator_id = Column(String, ForeignKey("regulators.id"), nullable=False, index=True)
    min_years_out = Column(Float)
    max_years_out = Column(Float)
    days = Column(Integer)
    text = Column(Text, nullable=False)
    source = Column(JSON, nullable=False)
    is_note = Column(Boolean, nullable=False, default=False)


class Figure(Base):
    __tablename__ = "figures"
    id = Column(String, primary_key=True)
    text = Column(Text, nullable=False)
    source = Column(JSON, nullable=False)


class Myth(Base):
    __tablename__ = "myths"
    id = Column(String, primary_key=True)
    position = Column(Integer, nullable=False)
    myth = Column(Text, nullable=False)
    fact = Column(Text, nullable=False)
    phrases = Column(JSON, nullable=False)  # words that point a question to this myth
    source = Column(JSON, nullable=False)


class Helpline(Base):
    __tablename__ = "helplines"
    id = Column(String, primary_key=True)
    position = Column(Integer, nullable=False)
    name = Column(String, nullable=False)
    phone = Column(String)
    use = Column(Text, nullable=False)
    url = Column(String, nullable=False)
    kind = Column(String, nullable=False)  # urgent | careers
    source = Column(JSON, nullable=False)


class Record(Base):
    """A knowledge entry stored whole, as its validated YAML (answers, key dates):
    a new field is one edit to its schema and data, none here."""

    __tablename__ = "records"
    kind = Column(String, primary_key=True)
    id = Column(String, primary_key=True)
    position = Column(Integer, nullable=False)
    data = Column(JSON, nullable=False)


class LanguageEntry(Base):
    """Wording data that is not a fact: text-speak, negation cues, reply templates."""

    __tablename__ = "language"
    section = Column(String, primary_key=True)
    key = Column(String, primary_key=True)
    value = Column(Text, nullable=False)
