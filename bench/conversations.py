"""Blind conversation benchmark: `make bench-conversations`.

Plays each conversation of a blind set (tests/blind/, written by people who
never saw knowledge/, data/ or the code) through the REST webhook, a new
sender per conversation, and scores every checked turn from what an outside
evaluator sees: the contract's `custom` payloads and the reply text
(../shared/contract.md). A conversation passes when all its checked turns
pass. Prints the share passed per category and overall, and what share of the
set's key words the knowledge base's lexicon holds (how much of the set could
be answered by phrase lookup alone); writes bench/results/conversations.json.

    python bench/conversations.py                  # the frozen test set
    python bench/conversations.py --set dev --failures   # the development set, with each failure
    python bench/conversations.py --url http://localhost:5005/webhooks/rest/webhook

Failures are listed only for the development set: the test set is for
measuring, not for reading.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
import urllib.request
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
BLIND = ROOT / "tests" / "blind"
SETS = {"test": BLIND / "conversations-test.yml", "dev": BLIND / "conversations-dev.yml"}
RESULTS = ROOT / "bench" / "results" / "conversations.json"
CATEGORIES = (
    "young_people_interests",
    "career_changer_routes",
    "profession_facts",
    "returners",
    "adult_resources",
    "safety",
)
TOP = 3  # a recommendation counts when it is among the first three


# --- scoring one reply ---------------------------------------------------------------
def _payloads(messages: list[dict], kind: str) -> list[dict]:
    return [m["custom"] for m in messages if isinstance(m.get("custom"), dict) and m["custom"].get("type") == kind]


def _text(messages: list[dict]) -> str:
    return " ".join(" ".join(str(m.get("text") or "").split()) for m in messages).lower()


def check_turn(expect: dict, messages: list[dict]) -> list[str]:
    """What in `expect` this reply fails to show (empty: the turn passes)."""
    failed = []
    recommendations = _payloads(messages, "recommendations")
    tops = [[p.get("id") for p in r.get("professions") or []][:TOP] for r in recommendations]
    if "recommendations" in expect:
        wanted = set(expect["recommendations"])
        if not any(wanted & set(top) for top in tops):
            failed.append(f"recommendations: wanted one of {sorted(wanted)} in the top {TOP}, got {tops or 'none'}")
    if expect.get("not_recommended"):
        unwanted = set(expect["not_recommended"])
        if any(unwanted & set(top) for top in tops):
            failed.append(f"not_recommended: {sorted(unwanted)} in {tops}")
    if "routes" in expect:
        want = expect["routes"] or {}
        ok = False
        seen = []
        for payload in _payloads(messages, "routes"):
            ids = {r.get("id") for r in payload.get("routes") or []}
            seen.append((payload.get("profession"), sorted(ids)))
            if "profession" in want and payload.get("profession") != want["profession"]:
                continue
            if set(want.get("include") or ()) <= ids and not set(want.get("exclude") or ()) & ids:
                ok = True
        if not ok:
            failed.append(f"routes: wanted {want}, got {seen or 'none'}")
    if "profession" in expect:
        shown = [p.get("id") for p in _payloads(messages, "profession")]
        if expect["profession"] not in shown:
            failed.append(f"profession: wanted {expect['profession']}, got {shown or 'none'}")
    if expect.get("resources"):
        if not any(p.get("resources") for p in _payloads(messages, "resources")):
            failed.append("resources: none")
    if expect.get("myth"):
        if not _payloads(messages, "myth"):
            failed.append("myth: none")
    alarmed = bool(_payloads(messages, "safeguarding"))
    if expect.get("safeguarding") and not alarmed:
        failed.append("safeguarding: missed")
    if not expect.get("safeguarding") and alarmed:
        failed.append("safeguarding: false alarm")
    if expect.get("says_any"):
        text = _text(messages)
        if not any(" ".join(str(s).lower().split()) in text for s in expect["says_any"]):
            failed.append(f"says_any: none of {expect['says_any']}")
    return failed


# --- playing a set -------------------------------------------------------------------
@dataclass
class Outcome:
    id: str
    category: str
    turns: int
    passed: bool
    failures: list[dict] = field(default_factory=list)


def load(path: Path) -> list[dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))["conversations"]


def post(url: str, sender: str, text: str) -> tuple[list[dict], float]:
    body = json.dumps({"sender": sender, "message": text}).encode()
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=60) as response:
        replies = json.loads(response.read() or b"[]")
    return replies, (time.perf_counter() - started) * 1000


def play(url: str, conversation: dict, timings: list[float]) -> Outcome:
    sender = f"blind-{conversation['id']}-{uuid.uuid4().hex[:8]}"
    failures = []
    for i, turn in enumerate(conversation["turns"]):
        # a turn is checked (even with an empty expect) for false alarms
        replies, ms = post(url, sender, str(turn["user"]))
        timings.append(ms)
        failed = check_turn(turn.get("expect") or {}, replies)
        if failed:
            failures.append(
                {
                    "turn": i,
                    "user": turn["user"],
                    "failed": failed,
                    "reply": [m.get("text") or m.get("custom") for m in replies],
                }
            )
    return Outcome(conversation["id"], conversation["category"], len(conversation["turns"]), not failures, failures)


def figures(outcomes: list[Outcome]) -> dict:
    by_category: dict[str, list[Outcome]] = defaultdict(list)
    for o in outcomes:
        by_category[o.category].append(o)
    multi = [o for o in outcomes if o.turns >= 4]
    return {
        "conversations": len(outcomes),
        "overall": round(sum(o.passed for o in outcomes) / max(1, len(outcomes)), 4),
        "categories": {
            c: {
                "conversations": len(by_category[c]),
                "passed": sum(o.passed for o in by_category[c]),
                "share": round(sum(o.passed for o in by_category[c]) / max(1, len(by_category[c])), 4),
            }
            for c in CATEGORIES
            if by_category[c]
        },
        "multi_turn": {
            "conversations": len(multi),
            "share": round(sum(o.passed for o in multi) / max(1, len(multi)), 4),
        },
        "failure_kinds": dict(
            Counter(f.split(":")[0] for o in outcomes for t in o.failures for f in t["failed"]).most_common()
        ),
    }


# --- how much of the set the lexicon already holds -----------------------------------
_WORD = re.compile(r"[a-z][a-z'-]*")


def lexicon_share(conversations: list[dict]) -> dict:
    """Share of the set's key words (distinct non-stop words of the people's messages)
    that are words of the knowledge base's phrases (the spaCy pipeline's patterns)."""
    from spacy.lang.en.stop_words import STOP_WORDS

    from bot.config import settings
    from bot.nlp import load_pipeline, ruler_patterns

    nlp = load_pipeline(str(settings().spacy_model_dir))
    lexicon: set[str] = set()
    for pattern in ruler_patterns(nlp, "entity_ruler"):
        for token in pattern["pattern"]:
            lexicon.update(str(v).lower() for v in token.values())
    words = Counter(
        w
        for c in conversations
        for t in c["turns"]
        for w in _WORD.findall(str(t["user"]).lower())
        if w not in STOP_WORDS and len(w) > 2
    )
    held = {w for w in words if w in lexicon}
    return {
        "key_words": len(words),
        "in_lexicon": len(held),
        "share_of_key_words": round(len(held) / max(1, len(words)), 4),
        "share_of_occurrences": round(sum(words[w] for w in held) / max(1, sum(words.values())), 4),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", choices=sorted(SETS), default="test")
    parser.add_argument("--url", help="a running webhook (default: start the servers here)")
    parser.add_argument("--failures", action="store_true", help="print each failing turn (development set only)")
    parser.add_argument("--only", help="a comma-separated list of conversation ids")
    parser.add_argument("--no-save", action="store_true", help="print only")
    args = parser.parse_args(argv)
    if args.failures and args.set == "test":
        parser.error("the test set is for measuring: failures are listed for --set dev only")
    conversations = load(SETS[args.set])
    if args.only:
        wanted = set(args.only.split(","))
        conversations = [c for c in conversations if c["id"] in wanted]

    stack = None
    url = args.url
    if url is None:
        sys.path.insert(0, str(ROOT))
        from bot.stack import Stack
        from tests.conftest import stack_settings
        import tempfile

        tmp = Path(tempfile.mkdtemp(prefix="ahp-conversations-"))
        stack = Stack(stack_settings(tmp), log_dir=tmp / "logs")
        stack.start(web=False)
        url = stack.config.webhook_url
    timings: list[float] = []
    try:
        outcomes = [play(url, c, timings) for c in conversations]
    finally:
        if stack is not None:
            stack.stop()

    result = figures(outcomes)
    ordered = sorted(timings)
    result["reply_ms"] = {
        "messages": len(ordered),
        "p50": round(ordered[len(ordered) // 2], 1) if ordered else None,
        "p95": round(ordered[int(0.95 * (len(ordered) - 1))], 1) if ordered else None,
    }
    result["lexicon"] = lexicon_share(conversations)
    result["set"] = str(SETS[args.set].relative_to(ROOT))
    result["failed_ids"] = [o.id for o in outcomes if not o.passed]
    print(f"{result['set']}: {result['conversations']} conversations, overall {result['overall']:.3f}")
    for name, c in result["categories"].items():
        print(f"  {name:24s} {c['passed']:3d}/{c['conversations']:3d}  {c['share']:.3f}")
    print(f"  multi-turn (4+ turns)    {result['multi_turn']['share']:.3f} of {result['multi_turn']['conversations']}")
    print(f"  failure kinds: {result['failure_kinds']}")
    lex = result["lexicon"]
    print(
        f"lexicon holds {lex['in_lexicon']} of the set's {lex['key_words']} key words "
        f"({lex['share_of_key_words']:.1%}; {lex['share_of_occurrences']:.1%} of occurrences)"
    )
    print(f"reply time: p50 {result['reply_ms']['p50']} ms, p95 {result['reply_ms']['p95']} ms")
    if args.failures:
        for o in outcomes:
            for f in o.failures:
                print(f"\n[{o.id} {o.category} turn {f['turn']}] {f['user']}")
                for reason in f["failed"]:
                    print(f"   FAIL {reason}")
                for r in f["reply"]:
                    print(f"   > {json.dumps(r)[:300] if not isinstance(r, str) else r[:300]}")
    if not args.no_save and not args.only:
        saved = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
        saved[args.set] = result
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(json.dumps(saved, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
