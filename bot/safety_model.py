"""The safeguarding classifier: a logistic model over word and character n-grams,
averaged with a naive Bayes model over word n-grams, that tells risk (and its
kind) from safe talk in a sentence, for what the phrase lists in bot/safety.py
cannot hold: indirect hints, slang, misspellings.

Trained by the build step (`python -m bot.build`) on the safety development set
(tests/blind/safety-dev.yml, written for this by people who never saw the
phrase lists), on more messages written for training and the development
conversations' calm turns and ordinary chat (data/safety/) and, as ordinary chat,
on every careers example of the NLU training data (data/nlu/: without them the
model has seen alarming words only, and alarms on ordinary questions); saved
under var/safety/, loaded by the NLU pipeline. The frozen test set
(tests/blind/safety-test.yml) is never trained on.
"""

from __future__ import annotations

import math
import pickle
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

SAFE = "safe"
ROOT = Path(__file__).resolve().parent.parent
TRAINING_SET = ROOT / "tests" / "blind" / "safety-dev.yml"
CAREERS_TALK = ROOT / "data" / "nlu"
# more risk and safe messages written for training, and the development conversations'
# calm turns (long, personal careers talk)
MORE_MESSAGES = ROOT / "data" / "safety"
# The detector's settings, chosen on the development set by cross-validation
# (bench/safety.py --set dev --cv 5): risk when P(risk) of a sentence or the whole
# message reaches THRESHOLD. Risk examples weigh more than safe ones (there are
# far more safe ones, and a missed child at risk costs more than a false alarm): 7 since
# data/safety/chat_voices.yml added 1,538 safe chat messages (5 gave recall 0.933 with them);
# 10 since 1,000 long calm careers stories (long_calm_talk.yml), which at 7 lost long risk messages
# ("I've sorted out who gets my cat"): 5-fold recall 0.947 -> 0.936 at 7, 0.947 at 10; false alarms
# 0.043 -> 0.046; alarms on the 486 calm turns of a blind development batch 14 -> 7.
THRESHOLD = 0.5
C_DETECTOR = 4.0
DETECTOR_WEIGHTS = {0: 1.0, 1: 10.0}
# Ordinary chat (questions, follow-ups, goodbyes: nearly everything the widget hears) weighs
# twice as much as the rest of safe talk, so that "stop" or "my skills will be out of date"
# raise no alarm. Chosen by 5-fold cross-validation over the development set and the ordinary
# chat of data/safety/ (weight 1 -> 2: alarms on held-out chat 16 -> 13 of 1,380, on the
# development set's safe messages 0.046 -> 0.041, risk caught 0.952 -> 0.948; 3 and 5 cost
# more risk than they saved alarms).
ORDINARY = "safe_career_talk"
ORDINARY_WEIGHT = 2.0
# A second reader of the same text, multinomial naive Bayes over word n-grams, errs where the
# logistic model does not (it is surer, on fewer words), and P(risk) is the weighted mean of
# the two. Chosen by 5-fold cross-validation over the development set (2026-12-07; weights
# 0.2, 0.35 and 0.5, thresholds 0.5 to 0.8): the logistic model alone caught 0.970 of risk with
# 0.036 false alarms; with 0.35 of naive Bayes at the same threshold 0.984 and 0.042, the least
# cost with a missed risk counted as ten false alarms (the weight risk has in training).
SECOND_WEIGHT = 0.35
NB_ALPHA = 0.1


def words(features: str) -> str:
    return features.split(" ||| ")[0]


def chars(features: str) -> str:
    return features.split(" ||| ")[-1]


def load_examples(path: Path) -> list[tuple[str, str]]:
    """(text, label): label is the kind of risk, ORDINARY for ordinary chat, or SAFE for
    other safe talk (alarming words in safe use)."""
    messages = yaml.safe_load(Path(path).read_text(encoding="utf-8"))["messages"]
    return [(m["text"], m["kind"] if m["risk"] else ORDINARY if m["kind"] == ORDINARY else SAFE) for m in messages]


def is_risk(label: str) -> bool:
    return label not in (SAFE, ORDINARY)


def extra_examples() -> list[tuple[str, str]]:
    """Everything the classifier learns from besides the safety development set: the
    messages of data/safety/ and the careers talk of data/nlu/."""
    out = []
    for path in sorted(MORE_MESSAGES.glob("*.yml")):
        out += load_examples(path)
    return out + careers_examples()


def careers_examples(nlu_dir: Path = CAREERS_TALK) -> list[tuple[str, str]]:
    """Every NLU training example, as ordinary chat (none of them is about risk: the
    assistant's NLU is not trained on risk)."""
    out = []
    for path in sorted(Path(nlu_dir).glob("*.yml")):
        for block in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu") or ():
            for line in (block.get("examples") or "").splitlines():
                line = line.strip()
                if line.startswith("- "):
                    out.append((re.sub(r"\[([^\]]+)\]\{[^}]+\}", r"\1", line[2:]), ORDINARY))
    return out


def _union():
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import FeatureUnion

    return FeatureUnion(
        [
            (
                "words",
                TfidfVectorizer(
                    preprocessor=words, ngram_range=(1, 2), min_df=1, sublinear_tf=True, token_pattern=r"(?u)\b[\w']+\b"
                ),
            ),
            (
                "chars",
                TfidfVectorizer(
                    preprocessor=chars, analyzer="char_wb", ngram_range=(2, 5), min_df=2, sublinear_tf=True
                ),
            ),
        ]
    )


class LinearScore:
    """The detector's P(risk) worked out directly from its fitted parts: the same n-grams
    (each vectorizer's own analyzer), sublinear tf times idf, each part scaled to unit length,
    then the logistic model. The same figure as the pipeline's predict_proba (tested) for a
    tenth of the time: scikit-learn's checks, sparse matrices and joblib cost far more than the
    sums for a few sentences, and this runs on every message."""

    def __init__(self, pipeline: Any) -> None:
        union, logistic = pipeline.steps[0][1], pipeline.steps[-1][1]
        coef = logistic.coef_[0]
        self.bias = float(logistic.intercept_[0])
        self.parts = []
        offset = 0
        for _name, vectorizer in union.transformer_list:
            size = len(vectorizer.vocabulary_)
            self.parts.append(
                (
                    vectorizer.build_analyzer(),
                    vectorizer.vocabulary_,
                    vectorizer.idf_.tolist(),
                    coef[offset : offset + size].tolist(),
                )
            )
            offset += size

    def probability(self, text: str) -> float:
        score = self.bias
        for analyze, vocabulary, idf, coef in self.parts:
            counts = Counter(i for i in map(vocabulary.get, analyze(text)) if i is not None)
            weights = [((1.0 + math.log(n)) * idf[i], coef[i]) for i, n in counts.items()]
            length = math.sqrt(sum(w * w for w, _ in weights))
            if length:
                score += sum(w * c for w, c in weights) / length
        return 1.0 / (1.0 + math.exp(-score)) if score > -700 else 0.0


class NaiveBayesScore:
    """The second reader's P(risk) worked out directly, as LinearScore does for the first: its
    vectorizer's n-grams, sublinear tf times idf scaled to unit length, then each class's
    log prior plus the weighted log probabilities of the n-grams."""

    def __init__(self, pipeline: Any) -> None:
        vectorizer, bayes = pipeline.steps[0][1], pipeline.steps[-1][1]
        self.analyze = vectorizer.build_analyzer()
        self.vocabulary = vectorizer.vocabulary_
        self.idf = vectorizer.idf_.tolist()
        safe, risk = bayes.feature_log_prob_
        self.difference = (risk - safe).tolist()  # only the difference between the classes matters
        self.prior = float(bayes.class_log_prior_[1] - bayes.class_log_prior_[0])

    def probability(self, text: str) -> float:
        counts = Counter(i for i in map(self.vocabulary.get, self.analyze(text)) if i is not None)
        weights = [((1.0 + math.log(n)) * self.idf[i], i) for i, n in counts.items()]
        length = math.sqrt(sum(w * w for w, _ in weights))
        score = self.prior + (sum(w * self.difference[i] for w, i in weights) / length if length else 0.0)
        return 1.0 / (1.0 + math.exp(-score)) if score > -700 else 0.0


@dataclass
class RiskModel:
    """Linear models over the same features: the detector and its second reader tell risk
    from safe talk (the weighted mean of their probabilities against THRESHOLD decides), the
    last which kind of risk it is."""

    detector: Any  # sklearn Pipeline: P(risk) of a "prepared ||| raw" string
    kinds: Any  # sklearn Pipeline: the kind of risk
    threshold: float = THRESHOLD
    second: Any = None  # sklearn Pipeline: naive Bayes P(risk) of the same string
    second_weight: float = SECOND_WEIGHT
    _score: LinearScore | None = field(default=None, repr=False, compare=False)
    _second_score: NaiveBayesScore | None = field(default=None, repr=False, compare=False)

    @property
    def score(self) -> LinearScore:
        if self._score is None:
            self._score = LinearScore(self.detector)
        return self._score

    @property
    def second_score(self) -> NaiveBayesScore | None:
        if self._second_score is None and self.second is not None:
            self._second_score = NaiveBayesScore(self.second)
        return self._second_score

    def __getstate__(self) -> dict:
        # the fast scores are rebuilt from the pipelines when first used
        return {**self.__dict__, "_score": None, "_second_score": None}

    @staticmethod
    def features(raw: str, prepared: str) -> str:
        return f"{prepared} ||| {raw.lower()}"

    @classmethod
    def train(
        cls, examples: list[tuple[str, str]], prepare, threshold: float = THRESHOLD, seed: int = 7, split=None
    ) -> "RiskModel":
        """`split` (a message's sentences): each sentence of a safe message is safe too, and
        the model reads sentences on their own ("I've just moved here with my husband")."""
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.naive_bayes import MultinomialNB
        from sklearn.pipeline import make_pipeline

        if split is not None:
            parts = [(split(t), label) for t, label in examples if not is_risk(label)]
            examples = examples + [(s, label) for p, label in parts if len(p) > 1 for s in p]
        texts = [cls.features(t, prepare(t)) for t, _ in examples]
        detector = make_pipeline(
            _union(), LogisticRegression(C=C_DETECTOR, max_iter=3000, class_weight=DETECTOR_WEIGHTS, random_state=seed)
        )
        detector.fit(
            texts,
            [int(is_risk(label)) for _, label in examples],
            logisticregression__sample_weight=[ORDINARY_WEIGHT if label == ORDINARY else 1.0 for _, label in examples],
        )
        second = make_pipeline(
            TfidfVectorizer(preprocessor=words, ngram_range=(1, 2), sublinear_tf=True, token_pattern=r"(?u)\b[\w']+\b"),
            MultinomialNB(alpha=NB_ALPHA, class_prior=[0.5, 0.5]),
        )
        second.fit(texts, [int(is_risk(label)) for _, label in examples])
        risky = [(x, label) for x, (_, label) in zip(texts, examples) if is_risk(label)]
        kinds = make_pipeline(
            _union(), LogisticRegression(C=8.0, max_iter=3000, class_weight="balanced", random_state=seed)
        )
        kinds.fit([x for x, _ in risky], [label for _, label in risky])
        return cls(detector, kinds, threshold, second)

    def probability(self, raw: str, prepared: str) -> float:
        text = self.features(raw, prepared)
        first = self.score.probability(text)
        if self.second_score is None:
            return first
        return (1.0 - self.second_weight) * first + self.second_weight * self.second_score.probability(text)

    def probabilities(self, texts: list[tuple[str, str]]) -> list[float]:
        """P(risk) of each (raw, prepared) text."""
        return [self.probability(raw, prepared) for raw, prepared in texts]

    def which(self, raw: str, prepared: str) -> str:
        return str(self.kinds.predict([self.features(raw, prepared)])[0])

    def kind(self, raw: str, prepared: str) -> str | None:
        """The kind of risk when the sentence is risky enough, else None."""
        if self.probability(raw, prepared) < self.threshold:
            return None
        return self.which(raw, prepared)

    def save(self, path: Path) -> None:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        Path(path).write_bytes(pickle.dumps(self))

    @staticmethod
    def load(path: Path) -> "RiskModel | None":
        path = Path(path)
        return pickle.loads(path.read_bytes()) if path.exists() else None
