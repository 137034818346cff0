"""NLU cross-validation: `rasa test nlu --cross-validation` on the training
data (5 folds), intent and entity F1 printed and written to
bench/results/nlu_cross_validation.json. Run with `make bench-nlu`
(several minutes). The held-out figures come from the test suite instead
(tests/assistant/test_rasa_checks.py, bench/results/nlu_heldout.json).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FOLDS = 5


def main() -> int:
    out = Path(tempfile.mkdtemp(prefix="nlu-cv-"))
    started = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "rasa",
            "test",
            "nlu",
            "--cross-validation",
            "--folds",
            str(FOLDS),
            "--config",
            "config.yml",
            "--nlu",
            "data/nlu",
            "--domain",
            "domain.yml",
            "--out",
            str(out),
            "--no-plot",
        ],
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    intents = json.loads((out / "intent_report.json").read_text())
    entities = json.loads((out / "KnowledgeEntityExtractor_report.json").read_text())
    figures = {
        "folds": FOLDS,
        "intent_macro_f1": round(intents["macro avg"]["f1-score"], 4),
        "intent_accuracy": round(intents["accuracy"], 4),
        "entity_micro_f1": round(entities["micro avg"]["f1-score"], 4),
        "seconds": round(time.perf_counter() - started, 1),
    }
    print("NLU cross-validation:", figures)
    (ROOT / "bench" / "results" / "nlu_cross_validation.json").write_text(json.dumps(figures, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
