"""Rasa's own checks on the training data and the trained model: data
validation, story tests, and the NLU evaluation on the development split
(tests/nlu/heldout.yml: written apart from the training data, but used to
choose the architecture and the data, so a regression check, not an
independent measure; the blind conversation set is that, bench/conversations.py)."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from bot.config import PROJECT_ROOT
from tests.similarity import MIN_WORDS, near_copies, normal

pytestmark = pytest.mark.slow
RASA = [sys.executable, "-m", "rasa"]
MIN_F1 = 0.90
# Intents: 0.88 since 19 training examples that came near blind test messages were removed
# (measured 0.897 and 0.898 in two trainings, 5 examples for each new intent, so one message
# moves it by about 0.006); the frozen blind conversations are the measure that counts now.
# 0.887 on 2026-12-07, once 31 near-copies of training examples were taken out of the split.
MIN_INTENT_F1 = 0.88
PAYLOAD_ONLY_INTENTS = ("link_clicked", "feedback")  # sent by buttons and the widget only
# set only by bot.nlu.components.SafeguardingClassifier, never learnt by DIET
UNTRAINED_INTENTS = (*PAYLOAD_ONLY_INTENTS, "at_risk")
ANNOTATION = re.compile(r"\[([^\]]+)\]\{[^}]+\}")


def rasa(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(RASA + list(args), cwd=PROJECT_ROOT, capture_output=True, text=True)


def examples(path: Path) -> dict[str, str]:
    out = {}
    for block in yaml.safe_load(path.read_text())["nlu"]:
        for line in block["examples"].splitlines():
            if line.strip().startswith("- "):
                out[" ".join(ANNOTATION.sub(r"\1", line.strip()[2:]).lower().split())] = block["intent"]
    return out


# A finding of `rasa data validate`: a warning (path:line: UserWarning: text) or a log line at
# WARNING or ERROR (date time LEVEL logger - text)
FINDING = re.compile(r"UserWarning: (.+)|^\S+ \S+ (?:WARNING|ERROR)\s+\S+\s+- (.+)")


def known_findings() -> set[str]:
    """What `rasa data validate` is expected to say, by name: each response that only the actions
    or Rasa's own actions say (tests/unit/test_domain.py) is in no story or rule, and the intents
    that only the widget or the safeguarding check set have no examples to learn from."""
    from tests.unit.test_domain import SAID_BY_RASA, dialogue_steps, domain, responses_in_code
    in_dialogue = {step["action"] for step in dialogue_steps() if "action" in step}
    said_by_actions = (responses_in_code()[0] | SAID_BY_RASA) & set(domain()["responses"])
    return ({f"The utterance '{name}' is not used in any story or rule."
             for name in said_by_actions - in_dialogue}
            | {f"The intent '{name}' is listed in the domain file, but is not found in the NLU "
               "training data." for name in UNTRAINED_INTENTS})


def test_training_data_validates():
    # no flags: config.yml, domain.yml and data/ are where Rasa's CLI looks for them
    done = rasa("data", "validate")
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    output = re.sub(r"\x1b\[[0-9;]*m", "", done.stdout + "\n" + done.stderr)
    findings = {(m.group(1) or m.group(2)).strip() for m in map(FINDING.search, output.splitlines()) if m}
    assert findings - known_findings() == set(), "new findings of rasa data validate"
    assert known_findings() - findings == set(), "known findings no longer made: is the check still run?"


def test_development_examples_are_not_in_the_training_data():
    """Not the same message, nor a near-copy (the measure the blind sets are checked with)."""
    training = []
    for path in (PROJECT_ROOT / "data" / "nlu").glob("*.yml"):
        training += examples(path).items()
    held_out = examples(PROJECT_ROOT / "tests" / "nlu" / "heldout.yml")
    assert len(held_out) >= 300
    # the same words, whatever the punctuation, emoji or apostrophes, at any length
    bare = {normal(text).replace("'", "") for text, _ in training}
    assert [text for text in held_out if normal(text).replace("'", "") in bare] == []
    # and, for messages long enough to be someone's own words, not 0.85 similar or more
    worded = [sorted({normal(t) for t in texts if len(normal(t).split()) >= MIN_WORDS})
              for texts in ([text for text, _ in training], held_out)]
    assert near_copies(*worded) == []
    assert {intent for _, intent in training} <= set(held_out.values())  # every intent is tested


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
