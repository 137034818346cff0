"""Train the Rasa model when its inputs changed: `python -m bot.train`.

Inputs are config.yml, domain.yml, data/, the KB-built spaCy pipeline (its
knowledge hash) and the custom NLU components. Their digest is stored beside
the model, so `make run` and `make test` train once and then reuse the model.
The spaCy pipeline's content is invisible to Rasa's own cache, so a knowledge
change forces a full retrain.
"""

from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
import time
from pathlib import Path

from bot.config import PROJECT_ROOT, settings

MODEL_NAME = "ahp"


def inputs(root: Path = PROJECT_ROOT) -> list[Path]:
    files = [
        root / "config.yml",
        root / "domain.yml",
        *sorted(
            p for p in (root / "data").rglob("*.yml") if "safety" not in p.relative_to(root / "data").parts
        ),  # the classifier's, not Rasa's
        *sorted((root / "bot" / "nlu").glob("*.py")),
        root / "bot" / "safety.py",
        settings().spacy_model_dir / "kb_hash",
    ]
    return [f for f in files if f.exists()]


def digest(root: Path = PROJECT_ROOT) -> str:
    h = hashlib.sha256()
    for f in inputs(root):
        h.update(str(f.relative_to(root) if f.is_relative_to(root) else f.name).encode())
        h.update(f.read_bytes())
    return h.hexdigest()


def model_path(root: Path = PROJECT_ROOT) -> Path:
    return root / "models" / f"{MODEL_NAME}.tar.gz"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--force", action="store_true", help="train even if nothing changed")
    parser.add_argument(
        "--skip-validation",
        action="store_true",
        help="leave out Rasa's data validation (make test has just run it as a stage of its own)",
    )
    args = parser.parse_args(argv)
    stamp = PROJECT_ROOT / "models" / f"{MODEL_NAME}.inputs"
    wanted = digest()
    if not args.force and model_path().exists() and stamp.exists() and stamp.read_text() == wanted:
        print("model up to date")
        return 0
    started = time.perf_counter()
    # Rasa's default places, named here as in inputs()
    command = [
        sys.executable,
        "-m",
        "rasa",
        "train",
        "--config",
        "config.yml",
        "--domain",
        "domain.yml",
        "--data",
        "data",
        "--out",
        "models",
        "--fixed-model-name",
        MODEL_NAME,
        "--force",
    ]
    if args.skip_validation:
        command.append("--skip-validation")
    done = subprocess.run(command, cwd=PROJECT_ROOT)
    if done.returncode != 0:
        return done.returncode
    stamp.write_text(wanted)
    print(f"model trained in {time.perf_counter() - started:.0f}s: {model_path()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
