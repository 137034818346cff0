"""Rasa's own checks on the trained model: story tests, the NLU evaluation on the
development split (tests/nlu/heldout.yml: written apart from the training data,
but used to choose the architecture and the data, so a regression check, not an
independent measure; the blind conversation set is that, bench/conversations.py),
and the faster model loading of bot/rasa_patches.py. The checks of the data alone
are in tests/training_data/."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from bot.config import PROJECT_ROOT

pytestmark = pytest.mark.slow
# Rasa's command line through the Rasa server's own start-up point, fixes in place (bot/rasa_cli.py)
RASA_FIXED = [sys.executable, "-m", "bot.rasa_cli"]
MIN_F1 = 0.90
# Intents: 0.88 since 19 training examples that came near blind test messages were removed
# (measured 0.897 and 0.898 in two trainings, 5 examples for each new intent, so one message
# moves it by about 0.006); the frozen blind conversations are the measure that counts now.
# 0.887 on 2026-12-07, once 31 near-copies of training examples were taken out of the split.
# 0.87 since the ninth session of 2026-12-07: on that session's new machine the same inputs
# (commit 024da1e, before any change) trained a model scoring 0.878 (accuracy 0.905), and the
# session's changes left it at 0.878: TensorFlow on another CPU trains a slightly different DIET.
MIN_INTENT_F1 = 0.87


def rasa(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(RASA_FIXED + list(args), cwd=PROJECT_ROOT, capture_output=True, text=True)


def test_story_tests_pass(model, tmp_path):
    done = rasa("test", "core", "--model", str(model), "--stories", "tests/stories",
                "--fail-on-prediction-errors", "--out", str(tmp_path))
    failed = (tmp_path / "failed_test_stories.yml")
    report = failed.read_text() if failed.exists() else ""
    assert done.returncode == 0, report or (done.stdout[-3000:] + done.stderr[-3000:])
    assert "story:" not in report


def test_nlu_on_the_development_split(model, tmp_path):
    done = rasa("test", "nlu", "--model", str(model), "--nlu", "tests/nlu/heldout.yml",
                "--out", str(tmp_path), "--no-plot")
    assert done.returncode == 0, done.stderr[-3000:]
    intents = json.loads((tmp_path / "intent_report.json").read_text())
    entities = json.loads((tmp_path / "MessageReader_report.json").read_text())
    figures = {"intent_macro_f1": round(intents["macro avg"]["f1-score"], 4),
               "intent_accuracy": round(intents["accuracy"], 4),
               "entity_micro_f1": round(entities["micro avg"]["f1-score"], 4),
               "entity_macro_f1": round(entities["macro avg"]["f1-score"], 4),
               "examples": int(intents["macro avg"]["support"]),
               "entities": int(entities["micro avg"]["support"])}
    print("\nNLU on the development split:", figures)
    assert figures["intent_macro_f1"] >= MIN_INTENT_F1
    assert figures["entity_micro_f1"] >= MIN_F1


LOAD_CHECK = """
import asyncio, json, sys
from rasa.core.agent import Agent
from bot import rasa_patches

def ranked(agent):
    return [asyncio.run(agent.parse_message(m))["intent_ranking"] for m in json.loads(sys.argv[2])]

rasas = ranked(Agent.load(sys.argv[1]))
rasa_patches.apply()
print(json.dumps({"rasa": rasas, "fixed": ranked(Agent.load(sys.argv[1]))}))
"""


def test_the_faster_model_loading_gives_the_model_rasa_loads(model):
    """bot/rasa_patches.py builds DIET's weights without compiling its training step: every
    intent's confidence, to the last digit, is what Rasa's own loading gives."""
    messages = json.dumps(["hiya", "i love netball and making things with my hands", "physioterapy pay?",
                           "ive been out of radiography since 2019, can i go back", "whats an orthoptist",
                           "not sure really", "is a dietitian the same as a nutritionist?", "ta bye"])
    done = subprocess.run([sys.executable, "-c", LOAD_CHECK, str(model), messages], cwd=PROJECT_ROOT,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-3000:]
    ranked = json.loads(done.stdout.strip().splitlines()[-1])
    assert len(ranked["rasa"]) == 8 and all(len(r) >= 5 for r in ranked["rasa"])
    assert ranked["fixed"] == ranked["rasa"]
