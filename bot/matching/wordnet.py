"""Words outside the lexicon, reached through WordNet.

People name their hobbies in words no list holds: "cello", "skateboarding",
"jujitsu", "babysitting". WordNet (Princeton WordNet 3.0 from Debian's
`wordnet-base`, read with NLTK's reader; nothing is downloaded) knows that a
cello is a kind of musical instrument and skateboarding a kind of sport.

The build step computes, once, a table from every WordNet noun and verb that
no knowledge-base phrase holds to the concepts (knowledge/concepts.yml) it
falls under, with a weight that shrinks with the distance:

- a concept's anchors are the likeliest senses of its own phrases ("guitar",
  "piano") and the nearest broader terms two of them share ("musical
  instrument"), leaving out terms so broad they say little ("person", "act");
- a word (a noun: verbs' senses are too many and too loose) reaches a concept
  when its likeliest sense (or a second one used nearly as often) has an
  anchor among its broader terms, at most MAX_STEPS steps up.

The reader (bot.matching.understanding) looks words up in the table; the
table lives in the spaCy pipeline's meta, so Rasa and the actions share it.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import shutil
import warnings
from collections import deque
from pathlib import Path

DEBIAN_WORDNET = Path("/usr/share/wordnet")
DEBIAN_LEXNAMES = Path("/usr/share/man/man5/lexnames.5WN.gz")
MAX_STEPS = 4  # broader-term steps from a word's sense to an anchor
# An anchor with more narrower terms than this is too broad to say what someone
# enjoys ("diversion", 464; "feeling", 445); "sport" has 176, "musical instrument" 163.
MAX_SPREAD_OWN = 400  # for the sense of a concept's own phrase
MAX_SPREAD_SHARED = 250  # for a broader term two phrases share
MIN_SHARED_DEPTH = 5  # ... which must also sit this far below the top
# A word this common in WordNet's sense-tagged corpus is an everyday word ("dog",
# "love", "school"), not the name of a hobby; hobby words are rare there.
MAX_WORD_COUNT = 30
WEIGHT_BY_STEPS = {0: 0.8, 1: 0.8, 2: 0.65, 3: 0.5, 4: 0.4}
_FILES = (
    "data.adj",
    "data.adv",
    "data.noun",
    "data.verb",
    "index.adj",
    "index.adv",
    "index.noun",
    "index.verb",
    "adj.exc",
    "adv.exc",
    "noun.exc",
    "verb.exc",
    "cntlist.rev",
)


def available() -> bool:
    return (DEBIAN_WORDNET / "data.noun").exists() and DEBIAN_LEXNAMES.exists()


def corpus(var_dir: Path) -> Path:
    """WordNet's files in a folder of ours with the `lexnames` file NLTK's reader
    expects (Debian ships its contents only as the lexnames(5WN) manual page)."""
    folder = Path(var_dir) / "wordnet"
    if (folder / "lexnames").exists():
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    for name in _FILES:
        shutil.copyfile(DEBIAN_WORDNET / name, folder / name)
    rows = re.findall(r"^(\d\d)\s+((?:adj|adv|noun|verb)\.\w+)\s", gzip.open(DEBIAN_LEXNAMES, "rt").read(), re.M)
    category = {"noun": 1, "verb": 2, "adj": 3, "adv": 4}
    (folder / "lexnames").write_text("".join(f"{n}\t{name}\t{category[name.split('.')[0]]}\n" for n, name in rows))
    return folder


def reader(folder: Path):
    import nltk
    from nltk.corpus.reader.wordnet import WordNetCorpusReader

    class EnglishWordNet(WordNetCorpusReader):
        def map_wn(self, version="wordnet"):
            return None  # no mapping to other WordNet versions: English only, nothing fetched

    if str(folder) not in nltk.data.path:
        nltk.data.path.insert(0, str(folder))  # NLTK reads only under its data paths
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "The multilingual functions are not available")
        return EnglishWordNet(str(folder), None)


def _likeliest(wn, phrase: str, pos: str, n: int = 1):
    return wn.synsets(phrase.replace(" ", "_"), pos=pos)[:n]


def _spread(synset, limit: int) -> int:
    """Narrower terms under `synset`, counted up to `limit` + 1."""
    seen: set = set()
    queue = deque([synset])
    while queue and len(seen) <= limit:
        for h in queue.popleft().hyponyms():
            if h not in seen:
                seen.add(h)
                queue.append(h)
    return len(seen)


def anchors(wn, concepts) -> dict:
    """Synset -> the ids of the concepts it anchors."""
    found: dict = {}
    for concept in concepts:
        own = [s for p in concept.phrases for s in _likeliest(wn, p, "n")]
        candidates = {s: MAX_SPREAD_OWN for s in own}
        for i, a in enumerate(own):
            for b in own[i + 1 :]:
                for shared in a.lowest_common_hypernyms(b):
                    if shared not in candidates and shared.min_depth() >= MIN_SHARED_DEPTH:
                        candidates[shared] = MAX_SPREAD_SHARED
        for synset, limit in candidates.items():
            if _spread(synset, limit) <= limit:
                found.setdefault(synset, set()).add(concept.id)
    return found


def _senses(wn, lemma: str) -> list:
    """The likeliest sense, and the next one too if it is used nearly as often."""
    senses = wn.synsets(lemma, pos="n")[:2]
    counts = [sum(n.count() for n in s.lemmas() if n.name().lower() == lemma) for s in senses]
    if len(senses) == 2 and not (counts[1] and counts[1] * 2 >= counts[0]):
        senses = senses[:1]
    return senses


def expansions(wn, concepts, known_words: set[str]) -> dict[str, list[list]]:
    """Word -> [[concept id, weight], ...] for single WordNet nouns outside `known_words`."""
    anchored = anchors(wn, concepts)
    table: dict[str, list[list]] = {}
    for lemma in wn.all_lemma_names(pos="n"):
        if not lemma.isalpha() or lemma in known_words:
            continue
        if sum(n.count() for s in wn.synsets(lemma) for n in s.lemmas() if n.name().lower() == lemma) > MAX_WORD_COUNT:
            continue
        best: dict[str, int] = {}
        for sense in _senses(wn, lemma):
            frontier, seen = [sense], {sense}
            for steps in range(MAX_STEPS + 1):
                hits = [c for s in frontier for c in anchored.get(s, ())]
                for c in hits:
                    best[c] = min(best.get(c, steps), steps)
                if hits:
                    break
                broader = [h for s in frontier for h in s.hypernyms() + s.instance_hypernyms()]
                frontier = [h for h in dict.fromkeys(broader) if h not in seen]
                seen.update(frontier)
        if best:
            nearest = min(best.values())
            table[lemma] = [[c, WEIGHT_BY_STEPS[nearest]] for c, d in sorted(best.items()) if d == nearest]
    return table


def cached_expansions(var_dir: Path, concepts, known_words: set[str]) -> dict[str, list[list]]:
    """`expansions`, reused while the concepts, the known words and this code stay the same
    (computing it takes most of a minute)."""
    key = hashlib.sha256(
        json.dumps(
            [[(c.id, sorted(c.phrases)) for c in concepts], sorted(known_words), Path(__file__).read_text()]
        ).encode()
    ).hexdigest()[:16]
    cache = corpus(var_dir) / f"expansions-{key}.json"
    if cache.exists():
        return json.loads(cache.read_text())
    table = expansions(reader(corpus(var_dir)), concepts, known_words)
    for old in cache.parent.glob("expansions-*.json"):
        if old != cache:
            old.unlink(missing_ok=True)
    # written whole, then renamed: a process reading the cache meanwhile (parallel tests, a
    # build beside them) sees no file or all of it
    partial = cache.with_name(f"{cache.name}.{os.getpid()}.partial")
    partial.write_text(json.dumps(table, sort_keys=True))
    partial.replace(cache)
    return table
