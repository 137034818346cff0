"""Shared fixtures: a knowledge database and spaCy pipeline built from knowledge/
into a temporary folder, so the unit tests need nothing built under var/ (WordNet's
expansions are reused from there when the build step cached them). The
other suites use what `make test` builds, as `make run` does: the trained model
in models/ (trained from var/spacy) and servers that read var/; they keep their
screenshots under var/screenshots/ and nothing else in the checkout changes."""
from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from bot.config import settings
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
    # with WordNet's words when the machine has WordNet, as `python -m bot.build` builds it:
    # without them the normaliser "corrects" everyday words it does not know ("went" to "rent").
    # Its expansions are cached under var/ (by their inputs; the build step made them already)
    build_pipeline(kb, out / "spacy", wordnet_dir=settings().var_dir)
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


# --- the trained model and the running servers (tests/assistant, tests/browser) ----------
def stack_settings(tmp_path: Path):
    """Free loopback ports, the demo page's origin allowed to call the bot, and a
    conversation store of the test's own."""
    from bot.config import settings
    from ops.processes import free_port
    web_port = free_port()
    return replace(settings(), host="127.0.0.1", rasa_port=free_port(), action_port=free_port(),
                   web_port=web_port, cors_origins=(f"http://127.0.0.1:{web_port}",),
                   db_url=f"sqlite:///{tmp_path / 'conversations.db'}")


@pytest.fixture(scope="session")
def model() -> Path:
    """The trained model; `make test` trains first, run alone this trains if needed."""
    from bot import train
    stamp = ROOT / "models" / f"{train.MODEL_NAME}.inputs"
    if not (train.model_path().exists() and stamp.exists() and stamp.read_text() == train.digest()):
        subprocess.run([sys.executable, "-m", "bot.train"], cwd=ROOT, check=True)
    return train.model_path()


# --- Debian's Chromium through Playwright (scripts/install-browser installs it) -------------
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/install-browser")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()
