"""The matcher against the labelled set: the issue's accuracy bar."""
from __future__ import annotations

from bot.matching.evaluation import evaluate, load_cases
from tests.conftest import ROOT


def test_the_labelled_set_meets_the_bar(matcher):
    cases = load_cases(ROOT / "tests" / "data" / "matcher_eval.yml")
    assert len(cases) >= 150
    figures = evaluate(matcher, cases).figures()
    assert figures["top3"] >= 0.95, figures
    assert figures["top1"] >= 0.80, figures
    assert figures["route_precision"] >= 0.95, figures
    assert figures["route_recall"] >= 0.95, figures
