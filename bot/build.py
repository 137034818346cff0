"""The build step: knowledge/*.yml -> var/knowledge.db -> var/spacy/ahp_en.

`python -m bot.build` validates the knowledge files, (re)writes the database
when they changed and rebuilds the spaCy pipeline from it. Exits 1 with the
list of problems when the knowledge is invalid.
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import sys
import time
from pathlib import Path

from bot.config import settings
from bot.knowledge.loader import build_database, stored_hash, table_counts
from bot.knowledge.schema import KnowledgeError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--force", action="store_true", help="rebuild even if nothing changed")
    args = parser.parse_args(argv)
    s = settings()
    started = time.perf_counter()
    try:
        changed = build_database(s.knowledge_dir, s.knowledge_db, force=args.force)
    except KnowledgeError as exc:
        print(exc, file=sys.stderr)
        return 1
    stamp = s.spacy_model_dir / "kb_hash"
    # the knowledge and the code that turns it into the pipeline
    pipeline_code = hashlib.sha256(
        b"".join((Path(__file__).parent / name).read_bytes() for name in ("nlp.py", "matching/wordnet.py"))
    ).hexdigest()[:16]
    digest = f"{stored_hash(s.knowledge_db)}:{pipeline_code}"
    if changed or not stamp.exists() or stamp.read_text() != digest:
        # imported here: spaCy loads TensorFlow through thinc, seconds a nothing-changed run needn't pay
        from bot.knowledge.repository import KnowledgeBase
        from bot.nlp import build_pipeline

        if s.spacy_model_dir.exists():
            shutil.rmtree(s.spacy_model_dir)
        kb = KnowledgeBase(s.knowledge_db)
        build_pipeline(kb, s.spacy_model_dir, wordnet_dir=s.var_dir)
        kb.close()
        stamp.write_text(digest)
        counts = table_counts(s.knowledge_db)
        print(
            f"knowledge base built in {time.perf_counter() - started:.1f}s: "
            + ", ".join(f"{n} {t}" for t, n in counts.items() if t != "meta")
        )
    else:
        print("knowledge base up to date")
    return build_safety_model(s)


def build_safety_model(s) -> int:
    """Train the safeguarding classifier on the safety development set when it or the
    pipeline changed (bot/safety_model.py)."""
    from bot.safety_model import CAREERS_TALK, MORE_MESSAGES, TRAINING_SET

    if not TRAINING_SET.exists():
        print(f"no {TRAINING_SET.name}: safeguarding uses its phrase lists only")
        return 0
    stamp = s.safety_model.with_suffix(".inputs")
    digest = hashlib.sha256(
        b"".join(
            p.read_bytes()
            for p in (
                TRAINING_SET,
                s.spacy_model_dir / "kb_hash",
                *sorted(CAREERS_TALK.glob("*.yml")),
                *sorted(MORE_MESSAGES.glob("*.yml")),
                Path(__file__).parent / "safety.py",
                Path(__file__).parent / "safety_model.py",
            )
            if p.exists()
        )
    ).hexdigest()
    if s.safety_model.exists() and stamp.exists() and stamp.read_text() == digest:
        return 0
    started = time.perf_counter()
    from bot.nlp import load_pipeline
    from bot.safety import SafetyCheck
    from bot.safety_model import RiskModel, extra_examples, load_examples

    check = SafetyCheck.from_pipeline(load_pipeline(str(s.spacy_model_dir)))
    examples = load_examples(TRAINING_SET) + extra_examples()
    RiskModel.train(examples, check.prepare, split=check.sentences).save(s.safety_model)
    stamp.write_text(digest)
    print(f"safeguarding classifier trained on {len(examples)} messages in {time.perf_counter() - started:.1f}s")
    return 0


if __name__ == "__main__":
    from bot.config import without_tensorflow

    without_tensorflow()  # spaCy would import it, and nothing built here uses it
    sys.exit(main())
