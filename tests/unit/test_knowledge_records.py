"""The knowledge layer's one definition per record (bot/knowledge/records.py): a field
declared there reaches the schema, the table and the loaded record; one lookup path for
aliases."""
from __future__ import annotations

from dataclasses import dataclass, fields

import pytest
from jsonschema import Draft7Validator
from sqlalchemy import MetaData, create_engine, insert

from bot.knowledge import fields as f
from bot.knowledge.fields import entry_schema
from bot.knowledge.loader import build_database, read_knowledge
from bot.knowledge.models import STORED, Stored
from bot.knowledge.records import RECORDS, Profession
from bot.knowledge.schema import SCHEMAS
from bot.nlp import LABEL_PROFESSION, NAME_SPANS
from tests.conftest import KNOWLEDGE


@dataclass(frozen=True, kw_only=True)
class ProfessionWithMotto(Profession, table="professions", child_key="profession_id"):
    """A profession with one more field, declared here and nowhere else."""
    motto: str | None = f.text(None)


def test_a_new_field_is_one_line_in_its_record_definition(tmp_path):
    data = read_knowledge(KNOWLEDGE)
    entries = data["professions"]["professions"]
    entries[0]["motto"] = "Keep people moving"

    # the schema: the field is validated, a wrong type named
    schema = entry_schema(ProfessionWithMotto)
    assert not list(Draft7Validator(schema).iter_errors(entries[0]))
    errors = [e.message for e in Draft7Validator(schema).iter_errors({**entries[1], "motto": 5})]
    assert errors and all("5 is not of type 'string'" in e for e in errors)

    # the table and the loaded record, through the code the build and the repository use
    metadata = MetaData()
    stored = {r: Stored(r, metadata) for r in (ProfessionWithMotto if r is Profession else r for r in RECORDS)}
    assert "motto" in stored[ProfessionWithMotto].table.c
    engine = create_engine(f"sqlite:///{tmp_path / 'k.db'}", future=True)
    metadata.create_all(engine)
    with engine.begin() as connection:
        for position, entry in enumerate(entries):
            for table, rows in stored[ProfessionWithMotto].rows(entry, position).items():
                if rows:
                    connection.execute(insert(table), rows)
    with engine.connect() as connection:
        loaded = stored[ProfessionWithMotto].read(connection)
    engine.dispose()
    assert [p.motto for p in loaded] == ["Keep people moving"] + [None] * (len(entries) - 1)

    # and every other field as the real definition loads it
    build_database(KNOWLEDGE, tmp_path / "real.db")
    engine = create_engine(f"sqlite:///{tmp_path / 'real.db'}", future=True)
    with engine.connect() as connection:
        real = STORED[Profession].read(connection)
    engine.dispose()
    for with_motto, plain in zip(loaded, real):
        assert {n.name: getattr(with_motto, n.name) for n in fields(Profession)} == \
            {n.name: getattr(plain, n.name) for n in fields(Profession)}


@pytest.mark.parametrize("record", RECORDS, ids=lambda r: r.__name__)
def test_each_record_is_validated_and_stored_by_its_definition_alone(record):
    """No second, hand-written schema or table beside the definition."""
    file, key = record.listed_in
    assert SCHEMAS[file]["properties"][key]["items"] == entry_schema(record)
    table = STORED[record].table
    assert set(table.c.keys()) == {"position"} | {c.name for name, kind in f.kinds(record)
                                                  for c in kind.columns(name)}


def test_the_pipeline_finds_every_profession_by_each_name_the_knowledge_base_knows(kb, nlp):
    """One list of aliases (the name included), in one stored form: the spaCy patterns are
    built from it and profession_by_alias looks in it, so the two cannot drift apart."""
    for p in kb.professions():
        assert p.name.lower() in p.aliases
        for alias in p.aliases:
            assert kb.profession_by_alias(alias.upper()) == p
            doc = nlp(alias)
            found = {s.id_ for s in doc.spans[NAME_SPANS]
                     if s.label_ == LABEL_PROFESSION and (s.start, s.end) == (0, len(doc))}
            assert found == {p.id}, alias
