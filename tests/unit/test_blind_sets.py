"""The blind sets (tests/blind/) stay what they claim to be: written apart from
the product, frozen before any tuning, and never copied into what the product
learns from. A frozen file changed since it was frozen, or any training example
or lexicon phrase 0.85 similar or more to a frozen test message, fails here."""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
import yaml

from tests.similarity import MIN_WORDS, near_copies, normal

ROOT = Path(__file__).resolve().parents[2]
BLIND = ROOT / "tests" / "blind"
FROZEN = ("conversations-test.yml", "safety-test.yml", "matcher-test.yml")


def frozen_messages() -> list[str]:
    out = []
    for turn in _load("conversations-test.yml")["conversations"]:
        out += [t["user"] for t in turn["turns"]]
    out += [m["text"] for m in _load("safety-test.yml")["messages"]]
    for case in _load("matcher-test.yml")["cases"]:
        out += list(case["turns"])
    return [m for m in {normal(x) for x in out} if len(m.split()) >= MIN_WORDS]


def _load(name: str) -> dict:
    return yaml.safe_load((BLIND / name).read_text(encoding="utf-8"))


def training_examples() -> list[str]:
    """Every text the product learns from: the NLU examples, and all the safety
    classifier learns from (the development set, data/safety/, calm development turns)."""
    from bot.safety_model import TRAINING_SET, extra_examples, load_examples
    return [normal(text) for text, _ in load_examples(TRAINING_SET) + extra_examples()]


LEXICON_KEYS = {"phrases", "aliases", "cues", "about", "topics", "support_role_words",
                "clause_breaks", "text_speak"}


def lexicon_phrases() -> list[str]:
    """Every phrase the product matches on: knowledge phrases, aliases, cue lists, answers' cues."""
    out: list[str] = []

    def walk(node, path):
        if isinstance(node, dict):
            for k, v in node.items():
                walk(v, path + [str(k)])
        elif isinstance(node, list):
            for v in node:
                walk(v, path)
        elif isinstance(node, str) and any(p in LEXICON_KEYS or p.endswith("_cues") for p in path):
            out.append(node)
    for path in (ROOT / "knowledge").glob("*.yml"):
        walk(yaml.safe_load(path.read_text()), [])
    # the names of the professions and their fields are everyone's words, not wording taken
    # from a test ("whats speech and language therapy" is close to the field's name)
    names = {normal(a) for p in yaml.safe_load((ROOT / "knowledge" / "professions.yml").read_text())["professions"]
             for a in [p["name"], *(p.get("aliases") or ())]}
    return [normal(x) for x in out if normal(x) and normal(x) not in names]


def test_frozen_sets_are_unchanged_since_they_were_frozen():
    recorded = dict(line.split()[::-1] for line in (BLIND / "FROZEN.sha256").read_text().splitlines()
                    if line.strip() and not line.startswith("#"))
    for name in FROZEN:
        digest = hashlib.sha256((BLIND / name).read_bytes()).hexdigest()
        assert recorded[name] == digest, f"{name} changed after it was frozen"
        header = (BLIND / name).read_text(encoding="utf-8").splitlines()[0]
        assert re.match(r"# Frozen at commit [0-9a-f]{7,40}\b", header), name


def test_the_conversation_set_is_big_varied_and_a_third_multi_turn():
    conversations = _load("conversations-test.yml")["conversations"]
    assert len(conversations) >= 300
    multi = [c for c in conversations if len(c["turns"]) >= 4]
    assert len(multi) * 3 >= len(conversations)
    categories = {c["category"] for c in conversations}
    assert categories == {"young_people_interests", "career_changer_routes", "profession_facts",
                          "returners", "adult_resources", "safety"}


def test_the_safety_sets_have_enough_risk_and_safe_messages():
    total_risk = total_safe = 0
    for name in ("safety-test.yml", "safety-dev.yml"):
        messages = _load(name)["messages"]
        total_risk += sum(m["risk"] for m in messages)
        total_safe += sum(not m["risk"] for m in messages)
    assert total_risk >= 300 and total_safe >= 300


@pytest.mark.parametrize("source", [training_examples, lexicon_phrases],
                         ids=["training examples", "lexicon phrases"])
def test_nothing_the_product_learns_from_copies_a_frozen_test_message(source):
    tests = frozen_messages()
    # a phrase shorter than a message worth checking cannot copy one ("assistant practitioner")
    learnt = sorted({x for x in source() if len(x.split()) >= MIN_WORDS})
    copies = near_copies(learnt, tests)
    assert copies == [], f"{len(copies)} near-copies of frozen test messages, e.g. {copies[:5]}"
