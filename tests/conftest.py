"""Shared fixtures: a knowledge database and spaCy pipeline built from knowledge/
into a temporary folder, so the tests never depend on (or touch) var/."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.knowledge.loader import build_database
from bot.knowledge.repository import KnowledgeBase
from bot.nlp import build_pipeline

ROOT = Path(__file__).resolve().parent.parent
KNOWLEDGE = ROOT / "knowledge"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("built")
    build_database(KNOWLEDGE, out / "knowledge.db")
    kb = KnowledgeBase(out / "knowledge.db")
    build_pipeline(kb, out / "spacy")
    kb.close()
    return out


@pytest.fixture(scope="session")
def kb(built) -> KnowledgeBase:
    return KnowledgeBase(built / "knowledge.db")


@pytest.fixture(scope="session")
def matcher(kb, built):
    from bot.matching import Matcher
    return Matcher(kb, built / "spacy")


@pytest.fixture
def knowledge_copy(tmp_path) -> Path:
    """A writable copy of knowledge/ for tests that break it on purpose."""
    dest = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, dest)
    return dest


@pytest.fixture(scope="session")
def nlp(built):
    from bot.nlp import load_pipeline
    return load_pipeline(str(built / "spacy"))


@pytest.fixture(scope="session")
def ctx(kb, matcher):
    """The dialogue layer's services over the test-built knowledge base."""
    from bot.dialogue import Services
    return Services(kb, matcher)
