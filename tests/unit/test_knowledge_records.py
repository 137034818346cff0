"""The knowledge layer's one definition per record (bot/knowledge/records.py): a field
declared there reaches the schema, the table and the loaded record; one lookup path for
aliases; the route-rule invariants the matcher relies on, checked by the build."""
from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass, fields

import pytest
import yaml
from jsonschema import Draft7Validator
from sqlalchemy import MetaData, create_engine, insert

from bot.knowledge import fields as f
from bot.knowledge.fields import entry_schema
from bot.knowledge.loader import build_database, read_knowledge
from bot.knowledge.models import STORED, Stored
from bot.knowledge.records import RECORDS, Profession
from bot.knowledge.schema import SCHEMAS, KnowledgeError
from bot.nlp import LABEL_PROFESSION, NAME_SPANS
from tests.conftest import KNOWLEDGE, ROOT


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


# --- the route-rule invariants Matcher.fit_routes relies on ------------------------------------
def _edit(knowledge_dir, name, change):
    path = knowledge_dir / f"{name}.yml"
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False))


def _build_fails(knowledge_dir, tmp_path, *expected):
    with pytest.raises(KnowledgeError) as failed:
        build_database(knowledge_dir, tmp_path / "bad.db")
    for words in expected:
        assert words in str(failed.value)
    assert not (tmp_path / "bad.db").exists()
    return str(failed.value)


def _catch_all_first(routes):
    rules = routes["fitting_rules"]
    rules.insert(0, rules.pop())


def test_a_build_without_a_catch_all_last_rule_fails_naming_the_file_and_rule(knowledge_copy, tmp_path):
    """`python -m bot.build` itself: exit 1, the reason on stderr, nothing written."""
    last = yaml.safe_load((KNOWLEDGE / "routes.yml").read_text())["fitting_rules"][-1]["id"]
    _edit(knowledge_copy, "routes", _catch_all_first)
    var = tmp_path / "var"
    env = {**os.environ, "AHP_KNOWLEDGE_DIR": str(knowledge_copy), "AHP_VAR_DIR": str(var)}
    built = subprocess.run([sys.executable, "-m", "bot.build"], cwd=ROOT, env=env,
                           capture_output=True, text=True, timeout=300)
    assert built.returncode == 1
    assert "knowledge/routes.yml: rule '" in built.stderr
    assert "the last fitting rule must fit everyone" in built.stderr
    assert f"rule '{last}' (fitting_rules[0]): fits everyone, so the rules after it" in built.stderr
    assert not (var / "knowledge.db").exists()


def test_the_last_rule_with_a_condition_fails_the_build(knowledge_copy, tmp_path):
    _edit(knowledge_copy, "routes", lambda d: d["fitting_rules"][-1].update(when=["at-school"]))
    last = yaml.safe_load((knowledge_copy / "routes.yml").read_text())["fitting_rules"][-1]["id"]
    _build_fails(knowledge_copy, tmp_path, "knowledge/routes.yml", f"rule '{last}'",
                 "the last fitting rule must fit everyone (no `when` or `unless`)")


def test_a_rule_with_no_reason_to_give_fails_the_build(knowledge_copy, tmp_path):
    rule = yaml.safe_load((KNOWLEDGE / "routes.yml").read_text())["fitting_rules"][0]["id"]
    _edit(knowledge_copy, "text", lambda d: d["route_reasons"].pop(rule))
    _build_fails(knowledge_copy, tmp_path, "knowledge/routes.yml", f"rule '{rule}'",
                 "no reason for it in text.yml route_reasons")


def test_a_rule_id_twice_or_an_unknown_signal_fails_the_build(knowledge_copy, tmp_path):
    def change(routes):
        rules = routes["fitting_rules"]
        rules.insert(1, {**rules[0], "when": ["wants-to-be-an-astronaut"]})
    _edit(knowledge_copy, "routes", change)
    _build_fails(knowledge_copy, tmp_path, "duplicate id", "unknown signal 'wants-to-be-an-astronaut'")


def test_a_profession_the_fallback_order_offers_nothing_fails_the_build(knowledge_copy, tmp_path):
    _edit(knowledge_copy, "routes", lambda d: d.update(fallback_order=["degree"]))
    _build_fails(knowledge_copy, tmp_path, "knowledge/routes.yml: fallback_order",
                 "'ahp-support-worker', which would then be offered no route at all")
