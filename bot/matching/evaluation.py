"""Scoring the matcher against a labelled set.

The sets: tests/blind/matcher-test.yml (frozen, written blind to the lexicon),
tests/blind/matcher-dev.yml (for tuning) and tests/data/matcher_eval.yml (the
first set, written by the lexicon's author: a regression check, not a measure).
A case's `routes` is the exact set that fits; `routes_include` and
`routes_exclude` (the blind sets) only what certainly fits and certainly does not.
Top-1 is also reported apart for messages the lexicon covers (a knowledge
phrase or profession name in them, word for word) and for the rest, which only
reading beyond the lexicon can get right.

Used by the benchmark (bench/matcher_bench.py), which prints and saves the
figures, and by the tests, which hold the matcher to the issue's thresholds.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.matching.engine import Matcher
from bot.matching.profile import Profile


@dataclass
class Evaluation:
    cases: int = 0
    top1: int = 0
    top3: int = 0
    reciprocal_rank: float = 0.0
    route_tp: int = 0
    route_fp: int = 0
    route_fn: int = 0
    parse_ms: list[float] = field(default_factory=list)
    rank_ms: list[float] = field(default_factory=list)
    misses: list[dict] = field(default_factory=list)
    covered: list[bool] = field(default_factory=list)  # per case: the lexicon holds its words
    hits: list[bool] = field(default_factory=list)  # per case: top-1 right

    def figures(self) -> dict:
        def pct(values, q):
            ordered = sorted(values)
            return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 3) if ordered else None

        precision = self.route_tp / max(1, self.route_tp + self.route_fp)
        recall = self.route_tp / max(1, self.route_tp + self.route_fn)

        def share(flags):
            return round(sum(flags) / len(flags), 4) if flags else None

        covered = [h for h, c in zip(self.hits, self.covered) if c]
        beyond = [h for h, c in zip(self.hits, self.covered) if not c]
        return {
            "cases": self.cases,
            "top1": round(self.top1 / max(1, self.cases), 4),
            "lexicon_covered_cases": len(covered),
            "top1_lexicon_covered": share(covered),
            "beyond_lexicon_cases": len(beyond),
            "top1_beyond_lexicon": share(beyond),
            "top3": round(self.top3 / max(1, self.cases), 4),
            "mrr": round(self.reciprocal_rank / max(1, self.cases), 4),
            "route_precision": round(precision, 4),
            "route_recall": round(recall, 4),
            "understand_ms_p50": pct(self.parse_ms, 0.5),
            "understand_ms_p95": pct(self.parse_ms, 0.95),
            "rank_ms_p50": pct(self.rank_ms, 0.5),
            "rank_ms_p95": pct(self.rank_ms, 0.95),
        }


def load_cases(path: Path) -> list[dict]:
    return yaml.safe_load(Path(path).read_text(encoding="utf-8"))["cases"]


def _lexicon_covers(matcher: Matcher, turns: list[str]) -> bool:
    """A knowledge phrase or a profession's name is in the words, as they are."""
    for turn in turns:
        doc = matcher.nlp(matcher.normaliser(turn))
        if any(ent.label_ in ("CONCEPT", "PROFESSION", "PROFESSION_GROUP") for ent in doc.ents):
            return True
    return False


ALL_ROUTES = {"degree", "postgraduate", "apprenticeship", "support-worker", "return-to-practice", "international"}


def evaluate(matcher: Matcher, cases: list[dict]) -> Evaluation:
    result = Evaluation()
    for case in cases:
        profile = Profile()
        for turn in case["turns"]:
            t0 = time.perf_counter()
            said = matcher.understand(turn)
            t1 = time.perf_counter()
            profile = profile.merge(said)
            ranking = matcher.rank(profile)
            t2 = time.perf_counter()
            result.parse_ms.append((t1 - t0) * 1000)
            result.rank_ms.append((t2 - t1) * 1000)
        ids = ranking.ids()
        expected = case["expect"]
        rank = min((ids.index(e) + 1 for e in expected if e in ids), default=len(ids) + 1)
        result.cases += 1
        result.top1 += rank == 1
        result.hits.append(rank == 1)
        result.covered.append(_lexicon_covers(matcher, case["turns"]))
        result.top3 += rank <= 3
        result.reciprocal_rank += 1 / rank
        got = {r.id for r in matcher.fit_routes(expected[0], profile)}
        want = set(case.get("routes_include", case.get("routes", ())))
        unwanted = set(case.get("routes_exclude", ())) | (ALL_ROUTES - want if "routes" in case else set())
        result.route_tp += len(got & want)
        result.route_fp += len(got & unwanted)
        result.route_fn += len(want - got)
        if rank > 1 or want - got or got & unwanted:
            result.misses.append(
                {
                    "id": case["id"],
                    "turns": case["turns"],
                    "expect": expected,
                    "got": ids[:3],
                    "routes_want": sorted(want),
                    "routes_got": sorted(got),
                }
            )
    return result
