"""Safeguarding benchmark: `make bench-safety`.

On the frozen blind safety set (tests/blind/safety-test.yml: risk messages and
safe messages with alarming words, written by people who never saw the phrase
lists or the training data) it prints recall on the risk messages, the
false-alarm rate on the safe ones and how often the kind of risk is right, for
each reader on its own and together:

- phrases: the phrase lists of knowledge/language.yml;
- classifier: the model trained on the development set (bot/safety_model.py);
- combined: what the assistant uses (either one);
- webhook (--url): the whole assistant through the REST webhook, counting a
  reply as an alarm when it carries the contract's `safeguarding` payload; run
  against an older build to measure the detector it replaced.

`--set dev --cv 5` measures on the development set with the classifier trained
on the other folds (the figure used for tuning). Writes bench/results/safety.json.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
import urllib.request
import uuid
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SETS = {"test": ROOT / "tests" / "blind" / "safety-test.yml", "dev": ROOT / "tests" / "blind" / "safety-dev.yml"}
RESULTS = ROOT / "bench" / "results" / "safety.json"


def load(path: Path) -> list[dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))["messages"]


def score(messages: list[dict], verdicts: list[tuple[bool, str | None]]) -> dict:
    risk = [(m, v) for m, v in zip(messages, verdicts) if m["risk"]]
    safe = [(m, v) for m, v in zip(messages, verdicts) if not m["risk"]]
    caught = [(m, v) for m, v in risk if v[0]]
    by_kind = {}
    for kind in sorted({m["kind"] for m, _ in risk}):
        of_kind = [v for m, v in risk if m["kind"] == kind]
        by_kind[kind] = {"messages": len(of_kind), "recall": round(sum(v[0] for v in of_kind) / len(of_kind), 4)}
    return {
        "risk_messages": len(risk),
        "safe_messages": len(safe),
        "recall": round(len(caught) / max(1, len(risk)), 4),
        "false_alarm_rate": round(sum(v[0] for _, v in safe) / max(1, len(safe)), 4),
        "kind_right": round(sum(v[1] == m["kind"] for m, v in caught) / max(1, len(caught)), 4),
        "by_kind": by_kind,
        "false_alarms_by_kind": dict(Counter(m["kind"] for m, v in safe if v[0])),
    }


def offline(messages: list[dict], check_for) -> dict[str, list]:
    """Verdicts of the phrase lists, the classifier and both, per message."""
    check = check_for(None)
    phrases = [(a.risk, a.kind) for a in map(check.assess, (m["text"] for m in messages))]
    full = check_for(True)
    combined = [(a.risk, a.kind) for a in map(full.assess, (m["text"] for m in messages))]
    model = full.model
    classifier = []
    for m in messages:
        hits = [model.kind(s, full.prepare(s)) for s in full.sentences(m["text"])]
        found = next((h for h in hits if h), None)
        classifier.append((found is not None, found))
    return {"phrases": phrases, "classifier": classifier, "combined": combined}


def through_webhook(url: str, messages: list[dict]) -> list[tuple[bool, str | None]]:
    verdicts = []
    for m in messages:
        body = json.dumps({"sender": f"safety-{uuid.uuid4().hex[:10]}", "message": m["text"]}).encode()
        request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=60) as response:
            reply = json.loads(response.read() or b"[]")
        signal = next(
            (
                r["custom"]
                for r in reply
                if isinstance(r.get("custom"), dict) and r["custom"].get("type") == "safeguarding"
            ),
            None,
        )
        verdicts.append((signal is not None, (signal or {}).get("kind")))
    return verdicts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", choices=sorted(SETS), default="test")
    parser.add_argument("--url", help="also measure a running assistant through its webhook")
    parser.add_argument("--label", default="webhook", help="name for the --url figures")
    parser.add_argument("--cv", type=int, default=0, help="dev only: folds for the classifier")
    parser.add_argument("--no-save", action="store_true")
    args = parser.parse_args(argv)
    if args.cv and args.set != "dev":
        parser.error("--cv is for the development set")
    messages = load(SETS[args.set])

    from bot.config import settings
    from bot.nlp import load_pipeline
    from bot.safety import SafetyCheck
    from bot.safety_model import RiskModel

    nlp = load_pipeline(str(settings().spacy_model_dir))
    figures: dict[str, dict] = {}
    started = time.perf_counter()
    if args.cv:
        from bot.safety_model import SAFE, extra_examples

        phrases_only = SafetyCheck.from_pipeline(nlp)
        order = list(range(len(messages)))
        random.Random(7).shuffle(order)
        verdicts: dict[str, list] = {
            "phrases": [None] * len(messages),
            "classifier": [None] * len(messages),
            "combined": [None] * len(messages),
        }
        extra = extra_examples()
        for fold in range(args.cv):
            held = set(order[fold :: args.cv])
            train = [
                (m["text"], m["kind"] if m["risk"] else SAFE) for i, m in enumerate(messages) if i not in held
            ] + extra
            fold_model = RiskModel.train(train, phrases_only.prepare, split=phrases_only.sentences)
            test = [messages[i] for i in sorted(held)]
            got = offline(
                test,
                lambda with_model, fold_model=fold_model: SafetyCheck.from_pipeline(
                    nlp, fold_model if with_model else None
                ),
            )
            for k, v in got.items():
                for i, verdict in zip(sorted(held), v):
                    verdicts[k][i] = verdict
    else:
        model = RiskModel.load(settings().safety_model)
        if model is None:
            print("no trained classifier: run `python -m bot.build` with tests/blind/safety-dev.yml present")
            return 1
        verdicts = offline(messages, lambda with_model: SafetyCheck.from_pipeline(nlp, model if with_model else None))
    for name, v in verdicts.items():
        figures[name] = score(messages, v)
    if args.url:
        figures[args.label] = score(messages, through_webhook(args.url, messages))
    result = {
        "set": str(SETS[args.set].relative_to(ROOT)),
        "messages": len(messages),
        "seconds": round(time.perf_counter() - started, 1),
        "readers": figures,
    }
    print(f"{result['set']}: {len(messages)} messages")
    for name, f in figures.items():
        print(
            f"  {name:12s} recall {f['recall']:.3f} ({f['risk_messages']} risk)  false alarms "
            f"{f['false_alarm_rate']:.3f} ({f['safe_messages']} safe)  kind right {f['kind_right']:.3f}"
        )
    if not args.no_save:
        # one entry per set; readers measured in separate runs (another build's webhook) add up
        saved = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
        entry = saved.setdefault(args.set + (f"-cv{args.cv}" if args.cv else ""), {})
        readers = {**entry.get("readers", {}), **figures}
        entry.update(result, readers=readers)
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(json.dumps(saved, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
