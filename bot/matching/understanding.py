"""Text to Profile: the KB-built spaCy pipeline plus negation and a few numbers."""
from __future__ import annotations

import re
from datetime import date

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from bot.knowledge.repository import KnowledgeBase
from bot.matching.profile import Mention, Profile
from bot.nlp import (LABEL_CONCEPT, LABEL_GROUP, LABEL_PROFESSION, LABEL_SIGNAL, Normaliser)

_NUMBER_WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty".split())}
_NUM = r"(\d+(?:\.\d+)?|" + "|".join(_NUMBER_WORDS) + r"|a couple of|a few)"
_YEARS = r"\s*\+?\s*(?:years?|yrs?)"
# "out for 6 years", "6 years out", "left 3 years ago", "haven't practised for 4 years"
_YEARS_OUT = [
    re.compile(r"(?:out|away|off|break|gap|not practi[sc]ed|haven't practi[sc]ed|"
               r"haven't worked|stopped|left)\D{0,25}?" + _NUM + _YEARS),
    re.compile(_NUM + _YEARS + r"\s*(?:out|away|off|ago|break|gap|out of practice)"),
]
_LEFT_IN = re.compile(r"(?:left|stopped|quit|since|out since|came off|off the register)\D{0,15}?"
                      r"\b((?:19|20)\d\d)\b")
_SCHOOL_YEAR = re.compile(r"\b(?:year|yr|y)\s?(7|8|9|10|11|12|13)\b")
_SOFT_NUMBERS = {"a couple of": 2, "a few": 3}


def _number(text: str) -> float:
    if text in _NUMBER_WORDS:
        return float(_NUMBER_WORDS[text])
    if text in _SOFT_NUMBERS:
        return float(_SOFT_NUMBERS[text])
    return float(text)


class _Cues:
    """Multi-word cue lists as token tuples, indexed by first token, longest first."""

    def __init__(self, nlp: Language, phrases):
        cues = {tuple(t.lower_ for t in nlp.make_doc(p)) for p in phrases}
        self.by_first: dict[str, list[tuple[str, ...]]] = {}
        self.by_last: dict[str, list[tuple[str, ...]]] = {}
        for cue in sorted(cues, key=len, reverse=True):
            self.by_first.setdefault(cue[0], []).append(cue)
            self.by_last.setdefault(cue[-1], []).append(cue)

    def match(self, tokens: list[str], i: int) -> int:
        for cue in self.by_first.get(tokens[i], ()):
            if tuple(tokens[i:i + len(cue)]) == cue:
                return len(cue)
        return 0

    def ends_before(self, tokens: list[str], end: int) -> bool:
        if end == 0:
            return False
        return any(end >= len(cue) and tuple(tokens[end - len(cue):end]) == cue
                   for cue in self.by_last.get(tokens[end - 1], ()))


class Understander:
    """Reads one message into a Profile of what it says."""

    def __init__(self, nlp: Language, normaliser: Normaliser, kb: KnowledgeBase):
        self.nlp, self.normalise, self.kb = nlp, normaliser, kb
        lang = {name: kb.language(name) for name in (
            "negation_cues", "positive_cues", "clause_breaks", "negation_after_cues",
            "self_current_cues", "self_past_cues", "support_role_words")}
        self.negation = _Cues(nlp, lang["negation_cues"])
        self.positive = _Cues(nlp, lang["positive_cues"])
        self.breaks = _Cues(nlp, lang["clause_breaks"])
        self.negation_after = _Cues(nlp, lang["negation_after_cues"])
        self.self_current = _Cues(nlp, lang["self_current_cues"])
        self.self_past = _Cues(nlp, lang["self_past_cues"])
        self.support_role = _Cues(nlp, lang["support_role_words"])
        self.categories = {c.id: c.category for c in kb.concepts()}
        self.registered = {p.id for p in kb.professions("registered")}
        self.riasec = PhraseMatcher(nlp.vocab, attr="LEMMA")
        for dim in kb.riasec_dimensions:
            self.riasec.add(dim.id, [nlp(p) for p in dim.phrases])

    # --- polarity ------------------------------------------------------------------
    def polarity(self, doc: Doc) -> list[bool]:
        """For each token, whether it sits in a positive (True) or negated context."""
        tokens = [t.lower_ for t in doc]
        out = [True] * len(tokens)
        positive, negated_at, clause_start, i = True, -10, 0, 0
        clause_has_positive_cue = False
        while i < len(tokens):
            n_break = self.breaks.match(tokens, i)
            n_pos = self.positive.match(tokens, i)
            n_neg = self.negation.match(tokens, i)
            n_after = self.negation_after.match(tokens, i)
            if n_break and n_break >= max(n_pos, n_neg):
                positive, clause_start, clause_has_positive_cue = True, i + n_break, False
                i += n_break
                continue
            if n_after and n_after >= max(n_pos, n_neg) and not clause_has_positive_cue:
                for j in range(clause_start, i):
                    out[j] = False
            if n_pos and n_pos >= n_neg:
                # "don't like": a cue verb right after a negation stays negated
                if positive or i - negated_at > 2:
                    positive = True
                    clause_has_positive_cue = True
                for j in range(i, i + n_pos):
                    out[j] = positive
                i += n_pos
                continue
            if n_neg:
                positive, negated_at = False, i + n_neg - 1
                for j in range(i, i + n_neg):
                    out[j] = False
                i += n_neg
                continue
            out[i] = positive
            i += 1
        return out

    # --- reading -------------------------------------------------------------------
    def __call__(self, text: str) -> Profile:
        profile = Profile()
        if not text or not text.strip():
            return profile
        normalised = self.normalise(text[:2000])  # a careers message is short; cap the work
        doc = self.nlp(normalised)
        polarity = self.polarity(doc)
        tokens = [t.lower_ for t in doc]
        returning = past_role = False
        for ent in doc.ents:
            positive = polarity[ent.start]
            if ent.label_ == LABEL_CONCEPT:
                earlier = profile.mentions.get(("concept", ent.ent_id_))
                if earlier and earlier.positive and not positive:
                    continue  # "an operating theatre, but not a surgeon": the interest stands
                profile.add(Mention("concept", ent.ent_id_, ent.text, positive,
                                    self.categories.get(ent.ent_id_, "")))
            elif ent.label_ == LABEL_GROUP:
                profile.add(Mention("group", ent.ent_id_, ent.text, positive))
            elif ent.label_ == LABEL_SIGNAL:
                if ent.ent_id_ == "return-intent":
                    returning = True
                else:
                    profile.signals[ent.ent_id_] = ent.text
            elif ent.label_ == LABEL_PROFESSION:
                past_role |= self._profession(profile, ent, tokens, positive)
        qualified_in = profile.former_profession
        if returning and not qualified_in and profile.positive("profession"):
            named = profile.positive("profession")[0].id
            qualified_in = named if named in self.registered else None
        if qualified_in and "trained-abroad" not in profile.signals and (
                returning or past_role or "former-registrant" in profile.signals):
            # qualified here, worked, and wants to come back: a returner
            profile.former_profession = qualified_in
            profile.signals.setdefault("former-registrant", "you were registered before")
        if "former-registrant" in profile.signals:
            profile.years_out = self._years_out(normalised)
        year = _SCHOOL_YEAR.search(normalised)
        if year:
            profile.school_year = int(year.group(1))
            profile.signals.setdefault("at-school", year.group(0))
        for match_id, start, end in self.riasec(doc):
            dim = self.nlp.vocab.strings[match_id]
            profile.add(Mention("riasec", dim, doc[start:end].text, polarity[start]))
        return profile

    def _profession(self, profile: Profile, ent, tokens: list[str], positive: bool) -> bool:
        """Record a named profession; True if the person says they were one."""
        pid, past = ent.ent_id_, False
        if ent.end < len(tokens) and self.support_role.match(tokens, ent.end) \
                and pid in self.registered:
            # "physio assistant": a support role in that profession's team
            profile.signals["support-worker"] = f"{ent.text} {tokens[ent.end]}"
            profile.add(Mention("profession", pid, ent.text, True))
            return False
        if self.self_past.ends_before(tokens, ent.start):
            if pid in self.registered:
                profile.former_profession = pid  # qualified in it; a returner unless trained abroad
                past = True
            positive = True
        elif self.self_current.ends_before(tokens, ent.start):
            profile.current_role = pid
            if pid in self.registered:
                profile.former_profession = pid  # qualified in it (abroad, or coming back)
            else:
                profile.signals["support-worker"] = ent.text
            positive = True
        profile.add(Mention("profession", pid, ent.text, positive))
        return past

    def years_out(self, text: str) -> float | None:
        """Years out of practice that a message states ("6 years out", "left in 2017")."""
        return self._years_out(self.normalise(text[:2000]))

    @staticmethod
    def _years_out(text: str) -> float | None:
        left = _LEFT_IN.search(text)
        if left:
            return float(max(0, date.today().year - int(left.group(1))))
        for pattern in _YEARS_OUT:
            found = pattern.search(text)
            if found:
                return _number(found.group(1))
        return None
