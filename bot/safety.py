"""Does a message suggest that someone is at risk, and of what? Plain Python,
used by the NLU pipeline (bot/nlu/components.py) on every message before
anything else decides the reply, so urgent help never depends on the intent
classifier.

Each sentence is read on its own, after spelling, text-speak and emoji are
turned into words and every word into its dictionary form ("wants" -> "want"),
by two readers:

- phrase lists (knowledge/language.yml `safeguarding`), one per kind of risk.
  A risk phrase ("want to die", "cut myself") counts unless the sentence is
  about work or study and no one in particular. A risk topic ("self harm",
  "anorexia") counts only when the person speaks of themselves or someone they
  know, and not of work, study or patients: "I'd like to work with people who
  self-harm" is career talk. Risk in someone else ("my friend says she wants to
  die") is the kind `friend`. Misspelt list words are corrected ("sucidal"), and
  their inflections and run-together forms read as the list's ("selfharming");
- a classifier (bot/safety_model.py) trained on messages written for this by
  people who never saw the lists (tests/blind, data/safety), word and
  character n-grams, which catches what no list holds: indirect hints, slang,
  misspellings.

Either one finding risk is enough (missing a child at risk costs far more than
an unneeded helpline), except that what the lists find needs a little support
from the classifier (LIST_SUPPORT): risk words told as a calm past, a film or a
case at work raise no alarm. `Assessment.career` is the message without the risk
sentences, for the career answer that follows the urgent help.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

KINDS = ("suicide", "self_harm", "medical_emergency", "abuse", "bullying", "eating_disorder", "friend")
MAX_CHARS = 5000
# What the lists find counts when the classifier gives the sentence or the message at least
# this much, so that words of risk in a calm past, a film or work ("I overdosed at 19; clean
# twelve years now", "a play about a boy who self-harms") raise no alarm. Chosen on the
# development set by cross-validation (727 messages): no risk message lost, one safe message in
# forty no longer alarmed.
LIST_SUPPORT = 0.15
# A sentence of a longer message that only the classifier finds risky needs at least this much
# from the whole message too: cut out of its message, "i can't stop earning, it's just my wage
# coming in" reads like risk, and the message around it says it is not. Chosen by 5-fold
# cross-validation over the development set (bench/safety.py --set dev --cv 5): 0.1 kept every
# risk message caught (recall 0.947) and cut false alarms 26 -> 23 (0.046 -> 0.041), and alarms
# on 650 calm turns of blind development conversations 9 -> 8; 0.15 and above lost risk.
WHOLE_SUPPORT = 0.1
# A message told as a joke (knowledge/language.yml jest_cues, none of earnest_cues) alarms only
# when the classifier is this sure of a sentence or of the whole: no risk message of the
# development or training data is told that way, and "ugh I want to die, the interview is
# TOMORROW 😂" reads 0.57.
JEST_THRESHOLD = 0.9
_SENTENCE = re.compile(r"(?<=[.!?])\s+|[\n;]+|\s+(?:but|anyway|anyways|also|btw|lol|haha)\s+")
_LEADING = re.compile(r"^(?:but|anyway|anyways|also|btw|lol|haha|and|so)\b[\s,.!]*", re.IGNORECASE)


def list_phrases(lists: dict) -> set[str]:
    """Every phrase and topic of the safeguarding lists, lower-cased."""
    return {
        p.lower() for group in ("phrases", "topics") for kind in KINDS for p in (lists.get(group) or {}).get(kind, ())
    }


def list_words(lists: dict) -> set[str]:
    """The words of the lists' phrases and topics, for spelling and inflections to find."""
    return {w for p in list_phrases(lists) for w in p.replace("-", " ").split() if w.isalpha() and len(w) >= 4}


def inflection_bases(word: str) -> list[str]:
    """What a word may be an inflection of: "harming" -> "harm", "cutting" -> "cut"."""
    from bot.nlp import _INFLECTIONS

    out = []
    for ending, bases in _INFLECTIONS:
        stem = word[: -len(ending)]
        if word.endswith(ending) and len(stem) >= 3:
            out += [stem + b for b in bases]
            if len(stem) >= 2 and stem[-1] == stem[-2]:
                out.append(stem[:-1])
    return out


@dataclass(frozen=True)
class Assessment:
    risk: bool
    kind: str | None = None  # one of KINDS when at risk
    reason: str = ""  # "phrase" | "topic" | "classifier"
    career: str = ""  # the message without its risk sentences
    career_talk: bool = False  # risk words talked about as work or study
    sentences: tuple[str, ...] = field(default_factory=tuple)


class _Phrases:
    """Phrases matched on the dictionary forms of a sentence's words."""

    def __init__(self, phrases: Iterable[str], lemmas: Callable[[str], str], flags: int = 0):
        forms = sorted({lemmas(p) for p in phrases if p.strip()}, key=len, reverse=True)
        self.pattern = (
            re.compile(r"(?<![\w'])(?:" + "|".join(re.escape(f) for f in forms) + r")(?![\w'])", flags)
            if forms
            else None
        )

    def search(self, text: str) -> re.Match | None:
        return self.pattern.search(text) if self.pattern else None


class SafetyCheck:
    def __init__(
        self, lists: dict, normalise: Callable[[str], str], lemma_table: Mapping[str, str] | None = None, model=None
    ):
        self.normalise = normalise
        self.lemma_table = lemma_table or {}
        self.emoji = dict(lists.get("emoji") or {})
        # "self harm" written "selfharm"; "end it" is no word of its own
        self.joined = {
            "".join(p.split()): p
            for p in list_phrases(lists)
            if len(p.split()) == 2 and "".join(p.split()).isalpha() and len("".join(p.split())) >= 7
        }
        # phrases go through the same normalising as messages, so both read alike
        self.phrases = {kind: _Phrases(lists["phrases"].get(kind, ()), self.prepare) for kind in KINDS}
        self.topics = {kind: _Phrases(lists["topics"].get(kind, ()), self.prepare) for kind in KINDS}
        self.self_cues = _Phrases(lists["first_person_cues"], self.prepare)
        self.other_cues = _Phrases(lists["third_person_cues"], self.prepare)
        self.career_cues = _Phrases(lists["career_context_cues"], self.prepare)
        self.past_cues = _Phrases(lists.get("past_cues") or (), self.prepare)
        self.recovered_cues = _Phrases(lists.get("recovered_cues") or (), self.prepare)
        self.present_cues = _Phrases(lists.get("present_cues") or (), self.prepare)
        self.jest_cues = _Phrases(lists.get("jest_cues") or (), self.prepare)
        self.earnest_cues = _Phrases(lists.get("earnest_cues") or (), self.prepare)
        # matched on the message as written, before anything else reads it
        self.figures = _Phrases(lists.get("figures_of_speech") or (), str.lower, re.IGNORECASE)
        self.model = model
        self.whole_support = WHOLE_SUPPORT

    @classmethod
    def from_pipeline(cls, nlp, model=None) -> "SafetyCheck":
        """From the KB-built spaCy pipeline: its lists (meta), lemma table and normaliser,
        which here also corrects misspelt words of the lists ("sucidal" -> "suicidal")."""
        from bot.nlp import Normaliser

        lists = nlp.meta["ahp"]["safeguarding"]
        # the table itself, not a dict of it: most of its keys are hashes, found by .get(word)
        table = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_lookup")
        normalise = Normaliser.from_pipeline(nlp, more_words=list_words(lists))
        return cls(lists, normalise, table, model)

    def lemmas(self, text: str) -> str:
        return " ".join(self._lemma(w) for w in text.split())

    def _lemma(self, word: str) -> str:
        """A word's dictionary form ("wants" -> "want"); a list phrase written as one word
        reads as the phrase ("selfharming" -> "self harm")."""
        found = self.lemma_table.get(word)
        if found:
            return found
        for form in (word, *inflection_bases(word)):
            if form in self.joined:
                return " ".join(self.lemma_table.get(w) or w for w in self.joined[form].split())
        return word

    def prepare(self, text: str) -> str:
        """Emoji as words, then the normaliser (text-speak, spelling), then lemmas."""
        for symbol, words in self.emoji.items():
            text = text.replace(symbol, f" {words} ")
        return self.lemmas(self.normalise(text))

    def sentences(self, text: str) -> list[str]:
        return [s.strip() for s in _SENTENCE.split(text[:MAX_CHARS]) if s and s.strip()]

    def _phrase_kind(self, sentence: str) -> tuple[str | None, str]:
        """The kind a sentence's words say, and whether by a "phrase" or a "topic"."""
        career = self.career_cues.search(sentence)
        someone = self.self_cues.search(sentence) or self.other_cues.search(sentence)
        for kind in KINDS:
            found = self.phrases[kind].search(sentence)
            if found and (someone or not career):
                # "do OTs help people with suicidal thoughts?" is about the work, not anyone
                return self._whose(kind, sentence, found.start()), "phrase"
        if career:
            return None, ""
        for kind in KINDS:
            found = self.topics[kind].search(sentence)
            if found and someone:
                return self._whose(kind, sentence, found.start()), "topic"
        return None, ""

    def _whose(self, kind: str, sentence: str, at: int) -> str:
        """`friend` when the risk is someone else's ("my mate says he wants to die")."""
        if kind == "friend":
            return kind
        other = self.other_cues.search(sentence[:at])
        mine = self.self_cues.search(sentence[at : at + 40])  # "...cut myself", "hurt me"
        return "friend" if other and not mine and kind not in ("abuse", "bullying") else kind

    def assess(self, text: str) -> Assessment:
        if not text or not text.strip():
            return Assessment(False)
        raw = self.sentences(self.figures.pattern.sub(" ", text) if self.figures.pattern else text)
        prepared = [self.prepare(s) for s in raw]
        risky: list[int] = []
        kind, reason = None, ""
        whole = " ".join(prepared)
        calm_past = bool(
            self.past_cues.search(whole) and self.recovered_cues.search(whole) and not self.present_cues.search(whole)
        )
        # (without the classifier, nothing would read a joke's words: the lists still count)
        jest = self.model is not None and bool(self.jest_cues.search(whole) and not self.earnest_cues.search(whole))
        # told as over, or as a joke: the words of risk alone are no alarm, and the
        # classifier has to hear risk in the message as a whole (as a joke: be sure of it)
        calm = calm_past or jest
        bar = JEST_THRESHOLD if jest else self.model.threshold if self.model is not None else 1.0
        odds: list[float] = []
        message = " ".join(raw)
        if self.model is not None:
            # every sentence and (with several) the whole message, in one pass of the model
            texts = list(zip(raw, prepared)) + ([(message, whole)] if len(raw) > 1 else [])
            odds = self.model.probabilities(texts)
        for i, sentence in enumerate(prepared):
            found, how = (None, "") if calm else self._phrase_kind(sentence)
            if found and odds and max(odds[i], odds[-1]) < LIST_SUPPORT:
                # nothing else in it sounds like risk ("I was in care because of neglect;
                # I'm 24 now and settled"): not an alarm
                continue
            if found:
                risky.append(i)
                kind, reason = kind or found, reason or how
        if self.model is not None:
            # a sentence the classifier alone alarms on needs some support from its whole message
            supported = len(raw) == 1 or odds[-1] >= (bar if calm else self.whole_support)
            for i, (s, p) in enumerate(zip(raw, prepared)):
                if i not in risky and supported and odds[i] >= bar:
                    risky.append(i)
                    kind, reason = kind or self.model.which(s, p), reason or "classifier"
            if not risky and len(raw) > 1 and odds[-1] >= bar:
                # risk the message says only as a whole: its riskiest sentence carries it
                risky.append(odds.index(max(odds[:-1])))
                kind, reason = self.model.which(message, whole), "classifier"
        career_talk = bool(self.career_cues.search(whole)) and not risky
        if not risky:
            return Assessment(False, career_talk=career_talk, career=text, sentences=tuple(raw))
        rest = " ".join(_LEADING.sub("", s) for i, s in enumerate(raw) if i not in risky).strip()
        return Assessment(True, kind, reason, rest, False, tuple(raw))

    def __call__(self, text: str) -> bool:
        return self.assess(text).risk
