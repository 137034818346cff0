"""Train the Rasa model when its inputs changed: `python -m bot.train`.

Inputs are config.yml, domain.yml, data/, the KB-built spaCy pipeline (its
knowledge hash) and the custom NLU components. Their digest is stored beside
the model, so `make run` and `make test` train once and then reuse the model.
The spaCy pipeline's content is invisible to Rasa's own cache, so a knowledge
change forces a full retrain.

A trained model is also kept outside the clone, by the digest of its inputs and
the pinned packages (${AHP_MODEL_CACHE:-~/.cache/ahp-careers/models}, the last
three; AHP_MODEL_CACHE=off keeps none): a fresh clone whose inputs some earlier
training on this machine had too takes that model instead of training the same
one again (one and a half to three minutes). `--force` always trains.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
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


KEEP_IN_CACHE = 3


def cache_dir() -> Path | None:
    where = os.environ.get("AHP_MODEL_CACHE", "")
    if where == "off":
        return None
    return Path(where) if where else Path.home() / ".cache" / "ahp-careers" / "models"


def cache_key(inputs_digest: str) -> str:
    """The inputs' digest and the exact package versions (Rasa, TensorFlow) that train on them."""
    constraints = PROJECT_ROOT / "constraints.txt"
    pinned = constraints.read_bytes() if constraints.exists() else b""
    return hashlib.sha256(inputs_digest.encode() + pinned).hexdigest()[:32]


def from_cache(key: str, to: Path) -> bool:
    """Copy the cached model for `key` to `to`; False when there is none."""
    where = cache_dir()
    cached = where / f"{key}.tar.gz" if where else None
    if cached is None or not cached.exists():
        return False
    to.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(cached, to)
    return True


def keep_in_cache(model: Path, key: str) -> None:
    """Keep `model` for `key` (written whole, then renamed), and only the newest few."""
    where = cache_dir()
    if where is None:
        return
    try:
        where.mkdir(parents=True, exist_ok=True)
        partial = where / f"{key}.{os.getpid()}.partial"
        shutil.copyfile(model, partial)
        partial.replace(where / f"{key}.tar.gz")
        kept = sorted(where.glob("*.tar.gz"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in kept[KEEP_IN_CACHE:]:
            old.unlink(missing_ok=True)
    except OSError as error:  # a cache that cannot be written is no reason to fail training
        print(f"model not kept in the cache {where}: {error}", file=sys.stderr)


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
    key = cache_key(wanted)
    if not args.force and from_cache(key, model_path()):
        stamp.write_text(wanted)
        print(f"model for these inputs taken from the cache {cache_dir()} (trained on this machine before)")
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
    keep_in_cache(model_path(), key)
    print(f"model trained in {time.perf_counter() - started:.0f}s: {model_path()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
