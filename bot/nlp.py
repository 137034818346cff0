"""The spaCy pipeline built from the knowledge base, and the text normaliser.

The pipeline is a blank English pipeline with the lookup lemmatizer from
spacy-lookups-data and an entity ruler whose patterns are the knowledge
base's phrases: profession aliases (PROFESSION), words naming several
professions (PROFESSION_GROUP), interest concepts (CONCEPT) and circumstances
(SIGNAL). Entity ids (`ent.ent_id_`) are the knowledge base's canonical ids.
Entry routes ("degree apprenticeship", "master's") are found by a span ruler
into `doc.spans["routes"]`, apart from the entities, because some route words
are also circumstances ("apprenticeship" says the person needs to earn).
Nothing is downloaded: the lemma tables ship inside spacy-lookups-data.

Spelling and text-speak are fixed *before* the pipeline by `Normaliser`, so
that the pipeline's token offsets match the text it was given.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any, cast

import spacy
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.language import Language
from spacy.pipeline import EntityRuler, Lemmatizer, SpanRuler

from bot.knowledge.repository import KnowledgeBase

LABEL_PROFESSION = "PROFESSION"
LABEL_GROUP = "PROFESSION_GROUP"
LABEL_CONCEPT = "CONCEPT"
LABEL_SIGNAL = "SIGNAL"
LABEL_ROUTE = "ROUTE"
ROUTE_SPANS = "routes"
NAME_SPANS = "names"

_WORD = re.compile(r"[a-z][a-z'&/-]*|\d+|[^\sa-z\d]", re.UNICODE)


def blank_pipeline() -> Language:
    nlp = spacy.blank("en")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()  # loads the lemma lookup table from spacy-lookups-data
    return nlp


def phrase_patterns(nlp: Language, label: str, ident: str, phrase: str) -> list[dict]:
    """Token patterns for a phrase: as written, and by lemma (so "sports" finds "sport")."""
    doc = nlp(phrase.lower())
    lower = [{"LOWER": t.lower_} for t in doc]
    lemma = [{"LEMMA": t.lemma_} for t in doc]
    # the lemma pattern even when it reads the same: it is what matches "support workers"
    return [{"label": label, "id": ident, "pattern": lower}, {"label": label, "id": ident, "pattern": lemma}]


def _without_shadowing(patterns: list[dict]) -> list[dict]:
    """Drops a lemma pattern that is another entry's exact phrase: the lemma of
    "arts therapy" is "art therapy", which names the art therapist alone."""
    exact: dict[tuple[str, ...], str] = {}
    for p in patterns:
        if "LOWER" in p["pattern"][0]:
            exact.setdefault(tuple(t["LOWER"] for t in p["pattern"]), p["id"])
    return [
        p
        for p in patterns
        if "LEMMA" not in p["pattern"][0] or exact.get(tuple(t["LEMMA"] for t in p["pattern"]), p["id"]) == p["id"]
    ]


def name_patterns(nlp: Language, kb: KnowledgeBase) -> list[dict]:
    """Professions and the words that name several at once."""
    patterns: list[dict] = []
    for p in kb.professions():
        for alias in p.aliases:
            patterns += phrase_patterns(nlp, LABEL_PROFESSION, p.id, alias)
    for g in kb.groups:
        for phrase in g.phrases:
            patterns += phrase_patterns(nlp, LABEL_GROUP, g.id, phrase)
    return _without_shadowing(patterns)


def kb_patterns(nlp: Language, kb: KnowledgeBase) -> list[dict]:
    """Entity ruler patterns from the knowledge base, most specific labels first."""
    patterns = name_patterns(nlp, kb)
    for c in kb.concepts():
        for phrase in c.phrases:
            patterns += phrase_patterns(nlp, LABEL_CONCEPT, c.id, phrase)
    for s in kb.signals:
        for phrase in s.phrases:
            patterns += phrase_patterns(nlp, LABEL_SIGNAL, s.id, phrase)
    return _without_shadowing(patterns)


def build_pipeline(kb: KnowledgeBase, out_dir: Path | None = None, wordnet_dir: Path | None = None) -> Language:
    """The pipeline; with `wordnet_dir` (where WordNet's files are copied), also the
    table of words outside the lexicon that reach its concepts (bot/matching/wordnet.py)."""
    nlp = blank_pipeline()
    # patterns before the rulers exist, so phrases are only lemmatised
    patterns = kb_patterns(nlp, kb)
    route_patterns = [
        pattern
        for r in kb.routes()
        for phrase in r.phrases
        for pattern in phrase_patterns(nlp, LABEL_ROUTE, r.id, phrase)
    ]
    ruler = cast(
        EntityRuler, nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": None, "overwrite_ents": True})
    )
    ruler.add_patterns(patterns)
    # Professions and routes again as span groups, for the assistant's entities: in
    # doc.ents one span has one label, and "support worker" is also a circumstance.
    # Overlaps are kept; bot/nlu/entities.py chooses between them.
    names = cast(
        SpanRuler,
        nlp.add_pipe("span_ruler", name="name_ruler", config={"spans_key": NAME_SPANS, "phrase_matcher_attr": None}),
    )
    names.add_patterns([p for p in patterns if p["label"] in (LABEL_PROFESSION, LABEL_GROUP)])
    routes = cast(
        SpanRuler,
        nlp.add_pipe("span_ruler", name="route_ruler", config={"spans_key": ROUTE_SPANS, "phrase_matcher_attr": None}),
    )
    routes.add_patterns(route_patterns)
    nlp.meta["name"] = "ahp_en"
    nlp.meta["description"] = "AHP careers guide: lookup lemmas and an entity ruler built from knowledge/"
    # what the normaliser needs besides the pipeline, so a Rasa component can build it
    # from the spaCy model alone, without opening the knowledge database
    nlp.meta["ahp"] = {
        "text_speak": kb.language("text_speak"),
        "safeguarding": kb.safeguarding,
        "wordnet": _wordnet_table(kb, patterns, wordnet_dir),
    }
    nlp.meta["ahp"]["english"] = _english_near_domain_words(nlp, wordnet_dir)
    if out_dir is not None:
        Path(out_dir).parent.mkdir(parents=True, exist_ok=True)
        nlp.to_disk(out_dir)
    return nlp


def _wordnet_table(kb: KnowledgeBase, patterns: list[dict], wordnet_dir: Path | None) -> dict:
    from bot.matching import wordnet

    if wordnet_dir is None:
        return {}
    if not wordnet.available():
        print(
            "WordNet is not installed (scripts/install-wordnet): words outside the "
            "knowledge base's phrases will not reach its concepts"
        )
        return {}
    known = {str(v).lower() for p in patterns for token in p["pattern"] for v in token.values()}
    return wordnet.cached_expansions(Path(wordnet_dir), kb.concepts(), known)


def _english_near_domain_words(nlp: Language, wordnet_dir: Path | None) -> list[str]:
    """English words the lemma table lacks ("said", "nearly", "then") that lie within
    an edit or two of a knowledge-base word, so the normaliser would "correct" them
    ("said" to "paid", "nearly" to "early"): WordNet's words and irregular forms, and
    spaCy's stop words. Only these are kept, so the pipeline's meta stays small."""
    words = set(STOP_WORDS)
    if wordnet_dir is not None:
        from bot.matching import wordnet

        if wordnet.available():
            wn = wordnet.reader(wordnet.corpus(Path(wordnet_dir)))
            words.update(w for w in wn.all_lemma_names() if w.isalpha())
            words.update(form for exceptions in wn._exception_map.values() for form in exceptions if form.isalpha())
    normaliser = Normaliser.from_pipeline(nlp)
    return sorted(w for w in words if normaliser.correct(w) != w)


# where one sentence of a message ends and the next begins
SENTENCES = re.compile(r"(?<=[.!?])\s+|\n+")
# a message (or sentence) that asks something: a question mark, or a question word first
# ("so how long then", "ok what about pay")
QUESTION = re.compile(
    r"\?|^\W*(?:(?:so|and|or|ok|okay|right|but|then)\W+)*(?:how|what|which|where|when|"
    r"who|why|is|are|can|could|do|does|will|would|should|"
    r"whats|hows|wheres|whens|whos|any)\b",
    re.I,
)  # (typed without the apostrophe)
# the clauses of a message, where a question may start after what someone tells ("i have a
# sports science degree btw any shortcut with that")
CLAUSES = re.compile(r"[.!?;,]+\s*|\s+(?:btw|but|so|anyway|and then)\s+", re.I)


def asks_in_a_clause(text: str, about: re.Pattern) -> bool:
    """A clause of the message is a question with words of `about` in it."""
    return any(QUESTION.search(c) and about.search(c) for c in CLAUSES.split(text or "") if c and c.strip())


# a question that starts with its question word ("so who would arrange it then"), never a yes or no
WH_QUESTION = re.compile(
    r"^\W*(?:(?:so|and|ok|okay|right|but|then|oh|hmm|really|go on|well|yeah|yes|no|cool|great|alright|"
    r"ah|fine|sure|wow)\W+)*"
    r"(?:how|what|which|where|when|who|whose|why|whats|hows|wheres|whens|whos)\b",
    re.I,
)


# a short follow-up that only points at another job ("and the other one?", "what about OT?",
# "same for podiatry"): the last question again, about that job
FOLLOW_UP = re.compile(
    r"^\W*(?:(?:and|so|ok|okay|right|but|then|oh)\W+)*(?:(?:what|how|wat) (?:about|abt)\b|"
    r"(?:the )?same for\b|for\b|and\b|the\b|[\w-]+\W*\??\W*$|[\w-]+ [\w-]+\W*\??\W*$)",
    re.I,
)
FOLLOW_UP_WORDS = 8  # words: "and what about the other one then?" at most
# asking for a way into a job by the shape of the words, where a list of phrases can't reach:
# "a way of doing it", "another route into it", "without going off to uni", "work his way up",
# "how would someone like her become one" (matched on normalised text)
WAY_IN = re.compile(
    r"\b(?:a|another|other|any|some|the quickest|the fastest|the easiest|the cheapest)\s+"
    r"(?:way|route|path|option|road)s?\s+(?:of|to|into|in|for|onto)\b"
    r"|\bwithout\s+(?:\w+\s+){0,2}(?:uni|university|a degree|the degree|college)\b"
    r"|\bwork\s+(?:my|your|ur|his|her|their|our|one's|yr)\s+way\s+up\b"
    r"|\bhow\s+(?:do|does|would|could|can|did|should)\s+(?:you|i|u|she|he|they|someone|one|people|we)\s+"
    r"(?:\w+\s+){0,2}(?:become|get into|get in|get onto|train|qualify|start)\b"
    r"|\bstarting\s+point\b"
    # "whats the quickest way", "any shortcut with that", "does that get me onto a course"
    r"|\b(?:the\s+)?(?:quickest|fastest|easiest|shortest|cheapest)\s+(?:way|route|path|option)s?\b"
    r"|\b(?:short\s?cuts?|fast[\s-]?track(?:ed)?)\b"
    r"|\bget\s+(?:me|him|her|them|you|someone)\s+(?:onto|on to|into|in to)\b"
    r"|\bstep\s+up\s+(?:to|into)\b"
    # a choice between the ways in: "is it degree only?", "uni or apprenticeship?"
    r"|\b(?:degree|uni|university)\s+only\b|\bonly\s+(?:by|through|via|with)\s+(?:a\s+)?(?:degree|uni|university)\b"
    r"|\b(?:uni|university|a\s+degree|degree|college)\s+or\s+(?:an?\s+|do\s+an?\s+)?apprentice(?:ship)?s?\b"
    r"|\bapprentice(?:ship)?s?\s+or\s+(?:go\s+to\s+)?(?:uni|university|a\s+degree|degree)\b",
    re.I,
)


def phrase_pattern(phrases) -> re.Pattern:
    """One regex for a list of phrases on normalised text: whole words, longest first; a
    phrase may be followed by "'s" ("how long's the course", "the physio's room")."""
    longest_first = sorted({p.lower() for p in phrases}, key=len, reverse=True)
    return re.compile(r"(?<![\w'])(" + "|".join(map(re.escape, longest_first)) + r")(?!\w|'(?!s\b))")


@lru_cache(maxsize=4)
def ruler_patterns(nlp: Language, ruler: str) -> list[dict[str, Any]]:
    """The patterns of one of the pipeline's rulers (an EntityRuler or a SpanRuler; every
    pattern of theirs is a token pattern, a list of token attributes)."""
    pipe: Any = nlp.get_pipe(ruler)
    return list(pipe.patterns)


def load_pipeline(path: str) -> Language:
    return spacy.load(path)


def _deletes(word: str, distance: int) -> set[str]:
    out, frontier = {word}, {word}
    for _ in range(distance):
        frontier = {w[:i] + w[i + 1 :] for w in frontier for i in range(len(w))}
        out |= frontier
    return out


def _edit_distance(a: str, b: str) -> int:
    """Optimal string alignment distance (Levenshtein plus adjacent swaps)."""
    prev2, prev = None, list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            if prev2 is not None and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[-1]


# word endings, and what the base word may end in instead ("starting" -> "start", "hoping" -> "hope")
_INFLECTIONS = (
    ("ying", ("ie",)),
    ("ies", ("y",)),
    ("ied", ("y",)),
    ("ing", ("", "e")),
    ("ed", ("", "e")),
    ("es", ("", "e")),
    ("s", ("",)),
    ("er", ("", "e")),
    ("est", ("", "e")),
)


_SHORT_CLOSED = re.compile(r"(?:^|[^aeiou])[aeiou][bdfgklmnprtvz]$")  # "swim", "stop", "run"


# sounds spelt as they are heard, and their usual spelling
_SOUNDS = {"shun": "tion", "shon": "tion", "shen": "tion", "fizz": "phys", "fiz": "phys"}
_SOUNDED_OUT = re.compile("|".join(sorted(_SOUNDS, key=len, reverse=True)))


class Normaliser:
    """Lower-cases, expands text-speak and corrects misspelt domain words.

    A word is corrected only when it is not a known English word (the lemma
    table's words, or a regular inflection of one: "starting" is not a misspelt
    "sporting") and lies within one edit (two for words of eight letters or
    more) of a word in the knowledge base's phrases: "radiograpy" becomes
    "radiography", "there" stays "there". Lookup is a symmetric-delete index,
    so correcting costs microseconds, not a scan of the vocabulary.
    """

    def __init__(self, domain_words: set[str], english_words: set[str], text_speak: dict[str, str]):
        self.text_speak = text_speak
        self.english = english_words
        self.known = english_words | domain_words
        self._index: dict[str, set[str]] = defaultdict(set)
        for word in domain_words:
            if len(word) >= 4 and word.isalpha():
                for d in _deletes(word, self._max_distance(word)):
                    self._index[d].add(word)

    def _inflects_english(self, word: str) -> bool:
        """An inflected form of a known English word (the lemma table lacks many forms)."""
        for ending, bases in _INFLECTIONS:
            if word.endswith(ending) and len(word) - len(ending) >= (1 if ending == "ying" else 2):
                stem = word[: -len(ending)]
                candidates = [stem + b for b in bases]
                if len(stem) >= 2 and stem[-1] == stem[-2] and stem[-1] not in "aeiouls":
                    candidates.append(stem[:-1])  # "stopping" -> "stop"
                elif _SHORT_CLOSED.search(stem) and ending[0] in "ie":
                    # "swiming" would be "swimming": a short closed stem doubles its consonant
                    candidates = [c for c in candidates if c != stem]
                if any(c in self.english for c in candidates):
                    return True
        return False

    @staticmethod
    def _max_distance(word: str) -> int:
        return 2 if len(word) >= 8 else 1

    @classmethod
    def from_pipeline(
        cls, nlp: Language, kb: KnowledgeBase | None = None, more_words: Iterable[str] = ()
    ) -> "Normaliser":
        """`more_words`: other words to correct towards (the safeguarding lists' words)."""
        words: set[str] = set(more_words)
        for pattern in ruler_patterns(nlp, "entity_ruler"):
            for token in pattern["pattern"]:
                words.update(str(v) for v in token.values())
        table = cast(Lemmatizer, nlp.get_pipe("lemmatizer")).lookups.get_table("lemma_lookup")
        english = {k for k in table.keys() if isinstance(k, str)} | {v for v in table.values() if isinstance(v, str)}
        english |= set(STOP_WORDS) | set(nlp.meta.get("ahp", {}).get("english", ()))
        text_speak = kb.language("text_speak") if kb else nlp.meta["ahp"]["text_speak"]
        return cls(words, english, text_speak)

    def correct(self, word: str) -> str:
        if word in self.known or len(word) < 4 or not word.isalpha():
            return word
        if self._inflects_english(word):
            return word  # "matters", "starting", "waited" are words, not misspelt domain words
        best, best_distance = word, self._max_distance(word) + 1
        for d in _deletes(word, self._max_distance(word)):
            for candidate in self._index.get(d, ()):
                dist = _edit_distance(word, candidate)
                if dist < best_distance or (dist == best_distance and candidate < best):
                    best, best_distance = candidate, dist
        if best_distance <= self._max_distance(best):
            return best
        sounded = _SOUNDED_OUT.sub(lambda m: _SOUNDS[m.group(0)], word)
        # spelt as it sounds ("occupashunal", "dietishun"): the usual spelling of the sound, if
        # that is a word of the knowledge base or within reach of one
        if sounded == word or sounded in self.known:
            return sounded
        fixed = self.correct(sounded)
        return fixed if fixed != sounded else word

    def __call__(self, text: str) -> str:
        return self.aligned(text)[0]

    def aligned(self, text: str) -> tuple[str, list[tuple[int, int, int, int]]]:
        """The normalised text, and for each word in it (norm start, norm end,
        start, end) in `text`, so spans found in the one map back to the other."""
        # lower-case character by character, keeping offsets ("İ".lower() is two characters)
        lowered = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
        lowered = lowered.replace("’", "'").replace("‘", "'")
        words: list[str] = []
        pieces: list[tuple[int, int, int, int]] = []
        at = 0
        for found in _WORD.finditer(lowered):
            word = found.group()
            replaced = self.text_speak.get(word)
            out = replaced if replaced is not None else self.correct(word)
            if words:
                at += 1
            words.append(out)
            pieces.append((at, at + len(out), found.start(), found.end()))
            at += len(out)
        return " ".join(words), pieces


def original_span(pieces: list[tuple[int, int, int, int]], start: int, end: int) -> tuple[int, int]:
    """Where the normalised span [start, end) lies in the original text."""
    first = next(p for p in pieces if p[1] > start)
    last = next(p for p in reversed(pieces) if p[0] < end)

    def unchanged(p):  # a word the normaliser left as it was: offsets inside it carry over
        return p[1] - p[0] == p[3] - p[2]

    begin = first[2] + max(0, start - first[0]) if unchanged(first) else first[2]
    finish = last[3] - max(0, last[1] - end) if unchanged(last) else last[3]
    return begin, finish
