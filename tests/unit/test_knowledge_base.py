"""What the knowledge base holds, and how the build step treats bad data."""
from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest
import yaml

from bot.knowledge.loader import build_database, read_knowledge, table_counts
from bot.knowledge.repository import KnowledgeBase
from bot.knowledge.schema import CONTRACT_PROFESSIONS, CONTRACT_ROUTES, KnowledgeError
from tests.conftest import KNOWLEDGE, SHARED

REGISTERED = [p for p in CONTRACT_PROFESSIONS if p not in ("ahp-support-worker", "assistant-practitioner")]


CONTRACT_COPY = KNOWLEDGE.parent / "docs" / "contract.md"


def test_the_contract_copy_is_the_shared_contract():
    """docs/contract.md is the public contract as the repository keeps it; beside a checkout of
    ../shared (as on the team's machines) it must be the same text."""
    shared = SHARED / "contract.md"
    assert CONTRACT_COPY.exists()
    if shared.exists():
        assert CONTRACT_COPY.read_text() == shared.read_text(), "docs/contract.md differs from ../shared"


def test_contract_ids_match_the_public_contract():
    text = CONTRACT_COPY.read_text()
    professions = text.split("Professions (`profession` ids)")[1].split("Entry routes")[0]
    routes = text.split("Entry routes (`route` ids)")[1].split("## Machine-readable")[0]
    assert re.findall(r"^\| `([a-z-]+)` \|", professions, re.M) == list(CONTRACT_PROFESSIONS)
    assert re.findall(r"^\| `([a-z-]+)` \|", routes, re.M) == list(CONTRACT_ROUTES)


def test_every_contract_id_is_in_the_knowledge_base(kb):
    assert {p.id for p in kb.professions()} == set(CONTRACT_PROFESSIONS)
    assert {r.id for r in kb.routes()} == set(CONTRACT_ROUTES)


@pytest.mark.parametrize("pid", CONTRACT_PROFESSIONS)
def test_every_profession_is_complete(kb, pid):
    p = kb.profession(pid)
    assert p.routes, "needs at least one route"
    assert len(kb.terms_for_profession(pid)) >= 10, "needs at least ten interest terms"
    assert p.links and all(link.url.startswith("https://") for link in p.links)
    assert kb.resources_for(profession=pid), "needs at least one resource"
    for fact in ("summary", "settings", "entry_requirements", "flags"):
        assert p.sources[fact], f"{fact} has no source"
    if pid in REGISTERED:
        assert p.regulator == ("gosc" if pid == "osteopath" else "hcpc")
        assert p.protected_titles and p.sources["protected_titles"]
    else:
        assert p.regulator is None and p.route_ids == ("support-worker",)


def _facts(node, path=()):
    """Every dict in the YAML that states something: it has text, a note, a url or a value."""
    if isinstance(node, dict):
        if {"text", "note", "value", "fact", "band", "titles"} & set(node) or (
                "url" in node and "title" in node):
            yield path, node
        for k, v in node.items():
            yield from _facts(v, path + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _facts(v, path + (i,))


def test_every_fact_names_a_source():
    data = read_knowledge(KNOWLEDGE)
    unsourced = [(name, path) for name, content in data.items()
                 if name not in ("language", "text", "questions", "sources")
                 for path, fact in _facts(content) if not fact.get("source")
                 and not (name == "resources" and "source" in _parent(content, path))]
    assert unsourced == []


def _parent(content, path):
    node = content
    for part in path[:-1]:
        node = node[part]
    return node if isinstance(node, dict) else {}


def test_links_are_https_and_sources_official():
    data = read_knowledge(KNOWLEDGE)
    domains = data["sources"]["official_domains"]
    for r in data["resources"]["resources"]:
        assert r["url"] is None or r["url"].startswith("https://"), r["id"]
    for p in data["professions"]["professions"]:
        for link in p["links"]:
            host = urlparse(link["url"]).hostname
            assert any(host == d or host.endswith("." + d) for d in domains), link["url"]


def test_flags_follow_the_guide(kb):
    shortage = {p.id for p in kb.professions() if p.shortage}
    concern = {p.id for p in kb.professions() if p.highest_supply_concern}
    small = {p.id for p in kb.professions() if p.small_and_vital}
    assert shortage == {"diagnostic-radiographer", "therapeutic-radiographer",
                        "operating-department-practitioner", "orthoptist", "prosthetist-orthotist"}
    assert concern == {"paramedic", "occupational-therapist", "diagnostic-radiographer",
                       "speech-and-language-therapist", "podiatrist"}
    assert small == {"therapeutic-radiographer", "podiatrist", "orthoptist", "prosthetist-orthotist"}


def test_arts_therapies_need_a_masters(kb):
    for pid in ("art-therapist", "dramatherapist", "music-therapist"):
        ids = kb.profession(pid).route_ids
        assert "postgraduate" in ids and "degree" not in ids


@pytest.mark.parametrize("alias, pid", [
    ("physio", "physiotherapist"), ("OT", "occupational-therapist"),
    ("SALT", "speech-and-language-therapist"), ("slt", "speech-and-language-therapist"),
    ("ODP", "operating-department-practitioner"), ("P&O", "prosthetist-orthotist"),
    ("  Podiatry ", "podiatrist"), ("dietician", "dietitian"), ("paramedic", "paramedic"),
])
def test_profession_by_alias(kb, alias, pid):
    assert kb.profession_by_alias(alias).id == pid


def test_queries_by_route_audience_and_term(kb):
    assert {p.id for p in kb.professions_for_route("postgraduate")} >= {
        "art-therapist", "physiotherapist"}
    assert "osteopath" not in {p.id for p in kb.professions_for_route("apprenticeship")}
    returners = kb.resources_for(audience="returners")
    assert returners and all("returners" in r.audiences for r in returners)
    assert kb.resources_for(audience="teachers")
    assert kb.profession_by_alias("astronaut") is None
    top = kb.professions_for_term("football")
    assert top and top[0][0] == "physiotherapist"


def test_return_to_practice_updating_by_years_out(kb):
    assert kb.updating_requirement("hcpc", 1).days == 0
    assert kb.updating_requirement("hcpc", 1.9).days == 0
    assert kb.updating_requirement("hcpc", 2).days == 30   # "two years or more"
    assert kb.updating_requirement("hcpc", 3).days == 30
    assert kb.updating_requirement("hcpc", 5).days == 60   # "5 or more years"
    assert kb.updating_requirement("hcpc", 12).days == 60
    assert kb.updating_requirement("gosc", 6) is not None
    assert len(kb.myths()) >= 5 and all(m.source for m in kb.myths())
    figures = " ".join(kb.figures().values()).lower()
    assert "nine years" in figures or "9 years" in figures
    assert "60%" in figures


def test_loader_is_idempotent(tmp_path):
    db = tmp_path / "k.db"
    assert build_database(KNOWLEDGE, db) is True
    first = table_counts(db)
    assert build_database(KNOWLEDGE, db) is False          # unchanged: skipped
    assert build_database(KNOWLEDGE, db, force=True) is True  # forced: same result
    assert table_counts(db) == first
    kb = KnowledgeBase(db)
    assert len(kb.professions()) == len(CONTRACT_PROFESSIONS)
    kb.close()


def _edit(knowledge_dir, name, change):
    path = knowledge_dir / f"{name}.yml"
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False))


def _fails(knowledge_dir, tmp_path, *expected):
    with pytest.raises(KnowledgeError) as err:
        build_database(knowledge_dir, tmp_path / "bad.db")
    for words in expected:
        assert words in str(err.value)
    assert not (tmp_path / "bad.db").exists()


def test_missing_source_fails_the_build(knowledge_copy, tmp_path):
    _edit(knowledge_copy, "professions",
          lambda d: d["professions"][0]["summary"].pop("source"))
    first = yaml.safe_load((KNOWLEDGE / "professions.yml").read_text())["professions"][0]["id"]
    _fails(knowledge_copy, tmp_path, "knowledge/professions.yml", f"entry '{first}'", "'source'")


def test_unknown_route_id_fails_the_build(knowledge_copy, tmp_path):
    _edit(knowledge_copy, "professions",
          lambda d: d["professions"][1]["routes"][0].update(id="gap-year"))
    second = yaml.safe_load((KNOWLEDGE / "professions.yml").read_text())["professions"][1]["id"]
    _fails(knowledge_copy, tmp_path, "knowledge/professions.yml", f"entry '{second}'", "gap-year")


def test_duplicate_alias_across_professions_fails_the_build(knowledge_copy, tmp_path):
    _edit(knowledge_copy, "professions",
          lambda d: d["professions"][2]["aliases"].append(d["professions"][3]["aliases"][0]))
    _fails(knowledge_copy, tmp_path, "knowledge/professions.yml", "is also an alias of")


def test_unofficial_source_and_bad_yaml_fail_the_build(knowledge_copy, tmp_path):
    _edit(knowledge_copy, "routes",
          lambda d: d["routes"][0]["summary"].update(source="https://example.com/blog"))
    _fails(knowledge_copy, tmp_path, "knowledge/routes.yml", "example.com", "not an official domain")
    (knowledge_copy / "key_dates.yml").write_text("key_dates: [unclosed\n")
    _fails(knowledge_copy, tmp_path, "knowledge/key_dates.yml", "not valid YAML")


def test_a_failed_build_keeps_the_old_database(knowledge_copy, tmp_path):
    db = tmp_path / "k.db"
    build_database(knowledge_copy, db)
    before = table_counts(db)
    _edit(knowledge_copy, "resources", lambda d: d["resources"][0].update(audiences=["martians"]))
    with pytest.raises(KnowledgeError, match="unknown audience 'martians'"):
        build_database(knowledge_copy, db)
    assert table_counts(db) == before


def test_starting_bands_only_where_an_official_page_states_them(kb):
    banded = {p.id: p for p in kb.professions() if p.starting_band}
    assert banded["operating-department-practitioner"].starting_band == "5"
    assert banded["assistant-practitioner"].starting_band == "4"
    for p in banded.values():
        assert p.sources["starting_band"] and all(
            s.startswith("https://") for s in p.sources["starting_band"]), p.id


def test_every_fact_is_dated_and_a_missing_date_fails_the_build(knowledge_copy, tmp_path):
    text = (knowledge_copy / "regulators.yml").read_text()
    assert "checked:" in text
    (knowledge_copy / "regulators.yml").write_text(text.replace("checked:", "# checked:", 1))
    _fails(knowledge_copy, tmp_path, "knowledge/regulators.yml", "needs `checked`")


def _months_after(day, months):
    from datetime import date
    index = day.month - 1 + months
    return date(day.year + index // 12, index % 12 + 1, min(day.day, 28))


def test_facts_that_change_often_are_due_sooner():
    from datetime import date
    from bot.knowledge.freshness import due
    from tests.conftest import KNOWLEDGE
    from collections import Counter
    # the date most facts were checked on (a fact checked later is simply due later)
    newest = Counter(d.checked for d in due(KNOWLEDGE, date(2100, 1, 1))).most_common(1)[0][0]

    def files(months):
        return {str(d).split(":")[0] for d in due(KNOWLEDGE, _months_after(newest, months))
                if d.checked == newest}
    assert files(2) == set()
    assert files(4) == {"knowledge/helplines.yml"}
    assert {"knowledge/key_dates.yml", "knowledge/answers.yml", "knowledge/professions.yml"} \
        <= files(7) and "knowledge/concepts.yml" not in files(7)
    assert "knowledge/concepts.yml" in files(12)


def test_how_long_a_podiatry_degree_takes_is_told_from_an_nhs_page(kb):
    """Podiatry's course length comes from an NHS trust's training page (three years full time),
    not "I don't have a figure"."""
    p = kb.profession("podiatrist")
    assert "three years full time" in p.detail("course")
    degree = next(r for r in p.routes if r.id == "degree")
    assert "three years" in degree.note
