"""Rasa's data validation and the development split's independence: checks of the
training data that need no trained model, run by `make test` after the unit tests
and before training."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import yaml

from bot.config import PROJECT_ROOT
from tests.similarity import MIN_WORDS, near_copies, normal

RASA = [sys.executable, "-m", "rasa"]
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
