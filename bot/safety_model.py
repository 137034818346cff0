"""The safeguarding classifier: a linear model over word and character n-grams
that tells risk (and its kind) from safe talk in a sentence, for what the
phrase lists in bot/safety.py cannot hold: indirect hints, slang, misspellings.

Trained by the build step (`python -m bot.build`) on the safety development set
(tests/blind/safety-dev.yml, written for this by people who never saw the
phrase lists), saved under var/safety/, loaded by the NLU pipeline. The frozen
test set (tests/blind/safety-test.yml) is never trained on.
"""
from __future__ import annotations

import pickle
from dataclasses import dataclass
from pathlib import Path

import yaml

SAFE = "safe"
TRAINING_SET = Path(__file__).resolve().parent.parent / "tests" / "blind" / "safety-dev.yml"
# Risk when the classifier gives a sentence at least this probability of any kind
# of risk; chosen on the development set by cross-validation (bench/safety.py).
THRESHOLD = 0.5


def words(features: str) -> str:
    return features.split(" ||| ")[0]


def chars(features: str) -> str:
    return features.split(" ||| ")[-1]


def load_examples(path: Path) -> list[tuple[str, str]]:
    """(text, label): label is the kind of risk, or "safe"."""
    messages = yaml.safe_load(Path(path).read_text(encoding="utf-8"))["messages"]
    return [(m["text"], m["kind"] if m["risk"] else SAFE) for m in messages]


@dataclass
class RiskModel:
    pipeline: object          # sklearn Pipeline over "prepared ||| raw" strings
    threshold: float = THRESHOLD

    @staticmethod
    def features(raw: str, prepared: str) -> str:
        return f"{prepared} ||| {raw.lower()}"

    @classmethod
    def train(cls, examples: list[tuple[str, str]], prepare, threshold: float = THRESHOLD,
              seed: int = 7) -> "RiskModel":
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import FeatureUnion, make_pipeline

        union = FeatureUnion([
            ("words", TfidfVectorizer(preprocessor=words, ngram_range=(1, 2), min_df=1,
                                      sublinear_tf=True, token_pattern=r"(?u)\b[\w']+\b")),
            ("chars", TfidfVectorizer(preprocessor=chars, analyzer="char_wb", ngram_range=(2, 5),
                                      min_df=2, sublinear_tf=True)),
        ])
        pipeline = make_pipeline(union, LogisticRegression(
            C=8.0, max_iter=2000, class_weight="balanced", random_state=seed))
        texts = [cls.features(t, prepare(t)) for t, _ in examples]
        pipeline.fit(texts, [label for _, label in examples])
        return cls(pipeline, threshold)

    def risk(self, raw: str, prepared: str) -> tuple[float, str]:
        """P(any risk) and the likeliest kind of risk."""
        probabilities = self.pipeline.predict_proba([self.features(raw, prepared)])[0]
        classes = list(self.pipeline.classes_)
        by_class = dict(zip(classes, probabilities))
        kind = max((c for c in classes if c != SAFE), key=by_class.get)
        return 1.0 - by_class.get(SAFE, 0.0), kind

    def kind(self, raw: str, prepared: str) -> str | None:
        p, kind = self.risk(raw, prepared)
        return kind if p >= self.threshold else None

    def save(self, path: Path) -> None:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        Path(path).write_bytes(pickle.dumps(self))

    @staticmethod
    def load(path: Path) -> "RiskModel | None":
        path = Path(path)
        return pickle.loads(path.read_bytes()) if path.exists() else None
