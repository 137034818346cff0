"""The safeguarding classifier's fast scores: the same figures as scikit-learn's own, for a
fraction of the time (they run on every message)."""
from __future__ import annotations

import pytest

from bot.safety_model import SAFE, RiskModel

EXAMPLES = [
    ("i want to end it all tonight", "suicide"), ("nobody would notice if i was gone", "suicide"),
    ("he hits me when he is drunk", "abuse"), ("i cut my arms again last night", "self_harm"),
    ("what does a physio earn", SAFE), ("how do i become a radiographer", SAFE),
    ("this essay is killing me lol", SAFE), ("is podiatry a good job", SAFE),
    ("i love football and biology", SAFE), ("can i do an apprenticeship", SAFE),
] * 2


@pytest.fixture(scope="module")
def model():
    return RiskModel.train(EXAMPLES, str.lower, seed=1)


@pytest.mark.parametrize("text", [
    "i want to end it", "what does a radiographer earn", "he hits me", "zzz qqq", "i i i love love it",
])
def test_the_fast_scores_are_scikit_learns(model, text):
    features = RiskModel.features(text, text.lower())
    assert model.score.probability(features) == pytest.approx(model.detector.predict_proba([features])[0][1])
    assert model.second_score.probability(features) == pytest.approx(model.second.predict_proba([features])[0][1])


def test_risk_is_the_weighted_mean_of_the_two_readers(model):
    text = "nobody would notice"
    features = RiskModel.features(text, text)
    first = model.detector.predict_proba([features])[0][1]
    second = model.second.predict_proba([features])[0][1]
    expected = (1 - model.second_weight) * first + model.second_weight * second
    assert model.probability(text, text) == pytest.approx(expected)
    assert model.probability("i want to end it all", "i want to end it all") > model.threshold
    assert model.probability("how do i become a physio", "how do i become a physio") < model.threshold


def test_a_model_saved_without_the_second_reader_still_scores(model, tmp_path):
    from dataclasses import replace
    old = replace(model, second=None)
    old.save(tmp_path / "model.pkl")
    loaded = RiskModel.load(tmp_path / "model.pkl")
    features = RiskModel.features("he hits me", "he hits me")
    assert loaded.probability("he hits me", "he hits me") == pytest.approx(
        model.detector.predict_proba([features])[0][1])
