"""Text to a Reading: the KB-built spaCy pipeline plus negation, roles and numbers."""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from bot.knowledge.repository import KnowledgeBase
from bot.matching import circumstances
from bot.matching.profile import Mention, Profile
from bot.matching.reading import Reading
from bot.matching.years import years_out, years_since_qualifying
from bot.nlp import LABEL_CONCEPT, LABEL_GROUP, LABEL_PROFESSION, LABEL_SIGNAL, Normaliser, phrase_pattern
from bot.nlu.entities import EntityFinder, Found

MAX_CHARS = 2000  # the REST channel's limit: a careers message is short
MAX_MODIFIERS = 3  # words between "I'm a" and the job they describe ("a band 3 rehab assistant")
_ORDINALS = {
    "first": 1,
    "1st": 1,
    "second": 2,
    "2nd": 2,
    "third": 3,
    "3rd": 3,
    "fourth": 4,
    "4th": 4,
    "fifth": 5,
    "5th": 5,
    "last": -1,
    "top": 1,
}
_ORDINAL = re.compile(
    r"\b(?:the\s+)?(" + "|".join(_ORDINALS) + r")\s+(?:one|job|option|choice|"
    r"suggestion|result|profession|career|role|thing)\b|\bnumber\s+([1-5])\b|"
    r"\boption\s+([1-5])\b"
)
_OTHER = re.compile(
    r"\b(?:the|that)\s+other\s+(?:one|job|option|profession|career|role)\b|"
    r"\bthe other\b\s*[?.!]*$"
)
# A job pointed to by what it does, not by name: "the scans one", "which one does
# kids' eyes", "is there one where you run the MRI scanners", "what's that called"
_DESCRIBED = re.compile(
    r"\b(?:the|a|an)\s+(?!(?:other|same|first|second|third|last|next|best|right|only|new|main|good|"
    r"bad|big|small|hard|easy)\b)"
    r"(?:[\w&'-]+\s+){1,3}?one\b(?!\s+(?:of|day|year|time)\b)"
    r"|\bthe one (?:that|who|which|where|with|for|in|on|doing|working|helping)\b"
    r"|\bwhich (?:one|job|ahp|profession|career|role|therapist|kind|type|sort|branch|specialism)s?"
    r"(?: of (?:them|those|these|you|it|radiography|therapy|therapist|radiographer))?"
    r" (?:is|does|do|works?|helps?|deals?|looks?|treats?|fix(?:es)?|uses?|runs?|goes|has)\b"
    r"|\bis there (?:one|a job|a role|a career|an ahp|a profession|someone|anyone)\s+"
    r"(?:where|that|who|which|for|working|doing)\b"
    r"|\bwhat(?:'s| is| was)? (?:that|it|the job|the one|the role|they(?:'re| are)?) called\b"
    # "there's a job in the nhs where you use music as therapy", "the guy who made his new leg"
    r"|\b(?:a|the) (?:job|role|career|profession)(?: in (?:the nhs|healthcare|hospitals?))? (?:where|that|who|which)\b"
    r"|\bthe (?:guy|man|woman|lady|person|bloke|people|team) (?:who|that) (?:made|makes|fitted|fits|"
    r"sorted|sorts|treated|treats|helped|helps|did|does|built|builds)\b"
)
DESCRIBED_AT_LEAST = 0.5  # the concept weight (knowledge/concepts.yml) the job described must reach
DESCRIBED_AHEAD = 0.3  # ... and its lead over the next job, or the description is unclear
_SOMEONE_ELSES = {"the", "my", "her", "his", "their", "our", "your", "a", "an", "mum's", "dad's"}
# "think it was an orthoptist", "she was a physio": someone else's job, not theirs
_SOMEONE_ELSE_WAS = re.compile(r"\b(?:it|that|this|he|she|they|who|which|there|mum|dad)\s+(?:was|were)(?:\s+an?)?$")
_SAYS_NO = re.compile(
    r"\b(?:no|not|never|without|nothing|can't|cannot|don't|didn't|isn't|won't|"
    r"haven't|hasn't|failed|few)\b|n't\b"
)
# "I don't need a wage": the one way of saying no to needing to earn
# "if I did the normal degree", "what if I did a degree in sport science first": a degree
# supposed, not one held
_SUPPOSED = re.compile(r"\b(?<!even )(?:if|suppose|supposing)\s+(?:[\w']+\s+){0,4}$")
_NO_NEED = re.compile(
    r"\b(?:don't|dont|do not|doesn't|doesnt|does not|won't|wont|no)\s+(?:really\s+)?"
    r"(?:need|needs|mind|care|matter|worry|bother)\b|\bnot (?:bothered|an issue|a problem|"
    r"worried|fussed)\b|\bmoney(?:'s| is) fine\b"
)
_THAT_ROUTE = re.compile(r"\b(?:that|this|the same|same)\s+(?:way|route|path|option|pathway)\b")
# what a description sets itself against ("rather than take pictures", "instead of x-rays")
_CONTRAST = re.compile(r"\b(?:rather than|instead of|as opposed to)\s+([^.?!,;]{1,40})")
_SENTENCE = re.compile(r"[.!?]+(?:\s|$)|\n+")
# "is return to practice for me?", "is that classed as return to practice": the way back named
# in a question about whether it applies to them (for someone trained abroad, no sign that they
# were registered here)
_ASKS_IF_IT_APPLIES = re.compile(
    r"^\W*(?:(?:so|and|but|ok|okay)\W+)*(?:is|are|does|do|would|could|can|will|should)\b[^.!?]*\?"
)
_WAY_BACK_NAMES = ("return to practice", "returning to practice", "back to practice")
# going back to study is not coming back to practice ("not going back to full time uni at 40")
_BACK_TO_STUDY = re.compile(
    r"\s*(?:to|into)\s+(?:full[- ]time\s+|part[- ]time\s+)?(?:uni|university|school|college|studying|study|"
    r"education|lectures|exams|being an? (?:full[- ]time |part[- ]time )?student)\b"
)
# a registration told with a place abroad this close after it was held there, unless a UK
# register is named
_REGISTERED_THERE = 60
_UK_REGISTER = re.compile(r"\b(?:hcpc|gosc|uk register|register here|registered here|in the uk register)\b")

# the HCPC's return rules apply to someone who never registered once their qualification is
# more than this many years old (knowledge/return_to_practice.yml)
RETURN_RULES_AFTER = 5
_QUALIFIED = re.compile(r"\b(?:qualified|graduated|trained)\b")
# qualifications someone holds, told as such
_HELD_QUALIFICATIONS = re.compile(
    r"\b(?:only|just|i've|ive|i have|i've got|ive got|i got|i did|did my|got my|with)\s+(?:have\s+|got\s+)?"
    r"(?:\d+|a few|few|some|five|four|three|two|my)?\s*(?:gcses?|a levels?)\b(?![^.!?]{0,20}\b(?:next|this) year\b)"
)
# wanting the job of the people just named ("i want to do what they do", "do their job")
_THEIR_JOB_WANTED = re.compile(
    r"\b(?:want|wanna|like|love|'d like|hope|plan)\s+(?:to\s+)?(?:do|be doing)\s+(?:what they do|their job|that job)\b"
)
_SCHOOL_YEAR = re.compile(
    r"\b(?:year|yr|y)\s?(7|8|9|10|11|12|13|seven|eight|nine|ten|eleven|twelve|thirteen)\b(?!\s+(?:years?|yrs?)\b)"
)
_YEAR_NUMBER = {"seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13}


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
            if tuple(tokens[i : i + len(cue)]) == cue:
                return len(cue)
        return 0

    def ends_before(self, tokens: list[str], end: int) -> bool:
        if end == 0:
            return False
        return any(
            end >= len(cue) and tuple(tokens[end - len(cue) : end]) == cue
            for cue in self.by_last.get(tokens[end - 1], ())
        )


_BEFORE_NOUNS = {
    "especially",
    "mostly",
    "mainly",
    "particularly",
    "only",
    "usually",
    "early",
    "family",
    "daily",
    "weekly",
    "monthly",
    "holy",
    "rally",
    "belly",
    "jolly",
    "really",
}


# the verb forms of "hear", which match the interest "hearing" by their lemma
_HEARD = {"hear", "hears", "heard"}
# "we've got two kids", "my three children": their family, a circumstance, not an interest in children
# their own family as part of their own story ("let my registration go when I had my daughter",
# "stopped after my son was born", "to look after my kids"): not a parent asking for a child
_FAMILY_IN_THEIR_STORY = re.compile(
    r"\b(?:had|having|born|pregnant|pregnancy|mat(?:ernity)? leave|paternity leave|look(?:ing|ed)? after|"
    r"car(?:e|ed|ing) for|rais(?:e|ed|ing)|br(?:ing|ought|inging) up|school run|around|stay(?:ed|ing)? home with)"
    r"\b[^.!?]{0,25}?\b(?:my|our) (?:son|daughter|child|kid|boy|girl|twins|baby|little one)s?\b"
    r"|\b(?:my|our) (?:son|daughter|child|kid|boy|girl|twins|baby|first|second|third|eldest|youngest)s?\b"
    r"[^.!?]{0,20}?\b(?:was|were|came along|arrived) (?:born|along)?"
)
_OWN_CHILDREN = {"kids", "children", "kid", "child", "little ones"}
_SPEAK = {"talk", "speak", "chat"}
_WORKING_OUT = {"working out", "work out", "worked out", "works out"}
_WORKED_OUT_THING = {
    "what",
    "how",
    "why",
    "which",
    "who",
    "where",
    "when",
    "whether",
    "if",
    "the",
    "a",
    "an",
    "my",
    "your",
    "their",
    "his",
    "her",
    "our",
    "people's",
    "everyone's",
    "menus",
    "menu",
    "meals",
    "recipes",
    "diets",
    "plans",
    "rotas",
    "budgets",
    "costs",
    "prices",
    "puzzles",
    "problems",
    "sums",
    "numbers",
    "maths",
    "routes",
    "timetables",
}
_MUST_OR_WHO = {"who", "have", "has", "need", "needs", "must", "gotta", "got"}
_HAVING = {"my", "our", "two", "three", "four", "five", "2", "3", "4", "5", "few"}


def _used_as_verb(doc, i: int) -> bool:
    """ "and honestly envy their job": a verb after an adverb, which the WordNet table
    (nouns) must not read. After "I" a word is often a hobby said as a verb ("I knit",
    "I skate"), so that is left to the table."""
    before = doc[i - 1].lower_ if i else ""
    return before.endswith("ly") and before not in _BEFORE_NOUNS


class Understander:
    """Reads one message into a Profile of what it says."""

    def __init__(self, nlp: Language, normaliser: Normaliser, kb: KnowledgeBase):
        self.nlp, self.normalise, self.kb = nlp, normaliser, kb
        lang = {
            name: kb.language(name)
            for name in (
                "negation_cues",
                "positive_cues",
                "clause_breaks",
                "negation_after_cues",
                "self_current_cues",
                "self_past_cues",
                "support_role_words",
                "target_cues",
                "start_as_cues",
                "role_modifiers",
            )
        }
        self.negation = _Cues(nlp, lang["negation_cues"])
        self.positive = _Cues(nlp, lang["positive_cues"])
        self.breaks = _Cues(nlp, lang["clause_breaks"])
        self.negation_after = _Cues(nlp, lang["negation_after_cues"])
        self.self_current = _Cues(nlp, lang["self_current_cues"])
        self.self_past = _Cues(nlp, lang["self_past_cues"])
        self.support_role = _Cues(nlp, lang["support_role_words"])
        self.target_cue = _Cues(nlp, lang["target_cues"])
        self.start_as = _Cues(nlp, lang["start_as_cues"])
        self.role_modifiers = set(lang["role_modifiers"])
        self.returning_words = phrase_pattern(kb.returning_words)
        self.wordnet: dict[str, list] = nlp.meta.get("ahp", {}).get("wordnet") or {}
        self.cue_words = {w for section in lang.values() for cue in section for w in cue.split()}
        self.entities = EntityFinder(nlp)
        self.concepts = {c.id: c for c in kb.concepts()}
        # a word of one job's name and of no other's ("diagnostic", "therapeutic", "drama"):
        # "and a diagnostic one?" points to that job
        name_words: dict[str, set[str]] = {}
        for p in kb.professions():
            for name in (p.name, *(a for a in p.aliases if " " not in a)):
                for word in re.findall(r"[a-z]{4,}", name.lower()):
                    name_words.setdefault(word, set()).add(p.id)
        self.name_words = {w: next(iter(ids)) for w, ids in name_words.items() if len(ids) == 1}
        self.categories = {c.id: c.category for c in self.concepts.values()}
        self.registered = {p.id for p in kb.professions("registered")}
        self.usually_means = {g.id: g.usually_means for g in kb.groups if g.usually_means}
        self.group_members = {g.id: set(g.professions) for g in kb.groups}
        self.support_roles = {p.id for p in kb.professions("support")}
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
        return self.read(text).profile

    def read(self, text: str) -> Reading:
        """Everything one message says: interests, circumstances, the professions and
        routes it names, and the profession it is about."""
        reading = Reading()
        if not text or not text.strip():
            return reading
        text = text[:MAX_CHARS]
        normalised, pieces = self.normalise.aligned(text)
        if not pieces:
            return reading
        doc = self.nlp(normalised)
        profile = reading.profile
        reading.sentences = len([s for s in _SENTENCE.split(normalised) if s.strip()])
        polarity = self.polarity(doc)
        tokens = [t.lower_ for t in doc]
        returning = past_role = False
        roles: dict[int, str] = {}  # entity start token -> role of the profession named there
        targets: set[str] = set()  # the professions they want to become
        way_back_asked_about = False  # "is return to practice for me?"
        named_jobs = {e.ent_id_ for e in doc.ents if e.label_ == LABEL_PROFESSION}
        for ent in doc.ents:
            positive = polarity[ent.start]
            if ent.label_ == LABEL_CONCEPT:
                if ent.text.lower() in _HEARD:
                    continue  # "I've heard there's help": hearsay, not an interest in hearing
                if ent.text.lower() in _OWN_CHILDREN and ent.start > 0 and tokens[ent.start - 1] in _HAVING:
                    continue  # "we've got two kids": their family, not an interest
                if (
                    ent.text.lower() in _WORKING_OUT
                    and tokens[ent.end : ent.end + 1]
                    and tokens[ent.end] in _WORKED_OUT_THING
                ):
                    continue  # "working out menus", "work out what to cook": figuring out, not exercise
                if (
                    ent.text.lower() in _SPEAK
                    and tokens[ent.end : ent.end + 1] == ["to"]
                    and _MUST_OR_WHO & set(tokens[max(0, ent.start - 4) : ent.start])
                ):
                    continue  # "who do I talk to", "do they have to talk to patients": not a liking for talk
                earlier = profile.mentions.get(("concept", ent.ent_id_))
                if earlier and earlier.positive and not positive:
                    continue  # "an operating theatre, but not a surgeon": the interest stands
                profile.add(Mention("concept", ent.ent_id_, ent.text, positive, self.categories.get(ent.ent_id_, "")))
            elif ent.label_ == LABEL_GROUP:
                profile.add(Mention("group", ent.ent_id_, ent.text, positive))
                if ent.ent_id_ in self.usually_means:
                    # "I was a radiographer", "my radiography degree": the job the word usually
                    # means, unless the message names one of the group ("a radiographer, on the
                    # radiotherapy side")
                    members_named = named_jobs & self.group_members.get(ent.ent_id_, set())
                    meant = members_named.pop() if len(members_named) == 1 else self.usually_means[ent.ent_id_]
                    role = self._profession(profile, ent, tokens, positive, pid=meant)
                    if role:
                        roles[ent.start_char] = role
                    if role == "target":
                        targets.add(meant)
                    past_role |= role == "former"
            elif ent.label_ == LABEL_SIGNAL:
                if (
                    not positive
                    and not _SAYS_NO.search(ent.text)
                    and not (ent.ent_id_ == "needs-to-earn" and not _NO_NEED.search(doc[: ent.end].text[-50:]))
                ):
                    # "I haven't got a degree": not a degree ("no degree" says no itself); but "I
                    # can't live on a student loan", "can't drop to no wage" need to earn all the same
                    continue
                if ent.ent_id_ == "has-degree" and (
                    _SUPPOSED.search(doc[: ent.start].text.lower()[-40:] + " ")
                    or doc[ent.end : ent.end + 1].text.lower().startswith("apprentice")
                ):
                    # "if I did the normal degree": supposed; "does it have a degree
                    # apprenticeship": a way in asked about, not a degree held
                    continue
                if ent.ent_id_ == "former-registrant" and ent.text.lower() in _WAY_BACK_NAMES:
                    opening = max((m.end() for m in _SENTENCE.finditer(normalised, 0, ent.start_char)), default=0)
                    way_back_asked_about |= bool(_ASKS_IF_IT_APPLIES.match(normalised[opening:]))
                if ent.ent_id_ == "return-intent":
                    returning = True
                elif ent.ent_id_ == "trained-abroad":
                    # the first place named: where a story starts ("qualified in Nigeria, worked
                    # at a teaching hospital in Lagos") is where training is told
                    profile.signals.setdefault(ent.ent_id_, ent.text)
                else:
                    profile.signals[ent.ent_id_] = ent.text
            elif ent.label_ == LABEL_PROFESSION:
                role = self._profession(profile, ent, tokens, positive)
                if role:
                    roles[ent.start_char] = role
                if role == "target":
                    targets.add(ent.ent_id_)
                past_role |= role == "former"
        for signal, said in circumstances.read(normalised).items():
            profile.signals.setdefault(signal, said)
        abroad = profile.signals.get("trained-abroad", "")
        where = normalised.find(abroad) if abroad else -1
        if (
            circumstances.UK_TRAINED.search(normalised)
            or (abroad in ("abroad", "overseas") and circumstances.WENT_ABROAD.search(normalised))
            or (
                where > 0
                and circumstances.LIVED_THERE.search(normalised[max(0, where - 40) : where])
                # (training said near the place: "graduated in 2014, then taught english in spain"
                # trained here; "worked in india, where i qualified as a physio" there)
                and not circumstances.TRAINED_THERE.search(normalised[max(0, where - 40) : where + 60])
            )
            or (
                "trained-abroad" in profile.signals
                and not circumstances.AS_A_PROFESSIONAL.search(normalised)
                and not ((profile.positive("profession") or profile.positive("group")) and profile.asking_for == "self")
            )
        ):
            # worked abroad, trained here; or came from abroad with no job or training said
            # ("physio from Spain here" says one)
            profile.signals.pop("trained-abroad", None)
        if (
            way_back_asked_about
            and "trained-abroad" in profile.signals
            and profile.signals.get("former-registrant", "").lower() in _WAY_BACK_NAMES
        ):
            # "worked as a physio in India ... is return to practice for me?": asking whether the way
            # back applies to someone trained abroad, who has no UK registration to come back to
            del profile.signals["former-registrant"]
        registered = profile.signals.get("former-registrant", "").lower()
        abroad = profile.signals.get("trained-abroad", "").lower()
        if (
            registered
            and abroad
            and not _UK_REGISTER.search(normalised)
            and 0 <= normalised.find(abroad) - normalised.find(registered) <= _REGISTERED_THERE
        ):
            # "i am registered radiologic technologist in the philippines": registered there, with
            # no UK registration to come back to
            del profile.signals["former-registrant"]
        if (
            "has-degree" in profile.signals
            and profile.signals.get("at-university", "\0") in profile.signals["has-degree"]
        ):
            del profile.signals["at-university"]  # "i did english at uni": studied, not studying
        said_parent = profile.signals.get("asker-parent", "").lower()
        if said_parent.startswith(("my ", "our ")) and said_parent in normalised:
            told = [m.span() for m in _FAMILY_IN_THEIR_STORY.finditer(normalised)]
            at = [i for i in range(len(normalised)) if normalised.startswith(said_parent, i)]
            if told and all(any(a <= i < b for a, b in told) for i in at):
                del profile.signals["asker-parent"]  # every mention of the child is part of their own story
        never = circumstances.NEVER_QUALIFIED.search(normalised)
        never_registered = never is not None and not never.group(0).startswith(("dropped", "didn", "did n"))
        # where they say what they qualified in: the degree they hold and what follows it
        # ("graduated in dietetics"), and after each "qualified", "graduated", "trained"
        degree = profile.signals.get("has-degree", "").lower()
        qualified_in_words = (
            normalised[normalised.index(degree) :][: len(degree) + 45] if degree and degree in normalised else degree
        )
        qualified_in_words += " ".join(normalised[q.start() : q.end() + 45] for q in _QUALIFIED.finditer(normalised))
        # every place a job is named, not just the last ("graduated in dietetics ... now I want to
        # work as a dietitian": the degree names it first)
        jobs_named = [
            (e.ent_id_, e.label_, e.text.lower()) for e in doc.ents if e.label_ in (LABEL_PROFESSION, LABEL_GROUP)
        ]
        qualified_never_registered = never_registered and any(said in qualified_in_words for _, _, said in jobs_named)
        # (a degree in the job and never registered: the regulator's return rules still apply)
        never_qualified = not past_role and bool(never) and not qualified_never_registered
        if never_qualified:
            # "never been registered, 20 years in retail... a return to practice route?": a career
            # changer, whatever the words about coming back
            returning = False
            profile.signals.pop("former-registrant", None)
        qualified_in = profile.former_profession
        if (returning or "former-registrant" in profile.signals) and not qualified_in:
            # the job they name, unless it is the one they want to become ("back to work after
            # the kids... could I become an art therapist?")
            named = [m.id for m in profile.positive("profession") if m.id not in targets]
            qualified_in = named[0] if named and named[0] in self.registered else None
        if (
            qualified_in
            and "trained-abroad" not in profile.signals
            and (returning or past_role or "former-registrant" in profile.signals)
        ):
            # qualified here, worked, and wants to come back: a returner
            profile.former_profession = qualified_in
            profile.infer("former-registrant")
        if returning and not qualified_in and targets and "former-registrant" not in profile.signals:
            never_qualified = True  # back to work, and a new job to become: not a return to it
            returning = False
        profile.years_out = years_out(normalised, returner="former-registrant" in profile.signals)
        if profile.years_out is not None and qualified_in and "trained-abroad" not in profile.signals:
            profile.infer("former-registrant")
        since = years_since_qualifying(normalised) if never_registered else None
        if since is not None and since <= RETURN_RULES_AFTER:
            # qualified recently and never registered: they apply to join, nothing to return to
            profile.signals.pop("former-registrant", None)
            profile.former_profession = None
            returning = False
        elif since is not None and qualified_never_registered and "trained-abroad" not in profile.signals:
            # qualified here and never registered: the return rules apply once the qualification
            # is more than five years old, counted from the year they qualified
            profile.former_profession = profile.former_profession or next(
                (job for job, label, said in jobs_named if label == LABEL_PROFESSION and said in qualified_in_words),
                None,
            )
            profile.infer("former-registrant")
            profile.years_out = since
            returning = True
        if "former-registrant" not in profile.signals:
            profile.years_out = None  # time in another job or at school is not time out of practice
        if profile.signals.get("at-school", "").lower() in ("gcse", "gcses", "a level", "a levels") and (
            _HELD_QUALIFICATIONS.search(normalised)
        ):
            # "i only have 5 gcses tho", "got my a levels years ago": qualifications held, not school now
            del profile.signals["at-school"]
        year = _SCHOOL_YEAR.search(normalised)
        if year:
            profile.school_year = _YEAR_NUMBER.get(year.group(1)) or int(year.group(1))
            profile.signals.setdefault("at-school", year.group(0))
        self._beyond_lexicon(profile, doc, polarity)
        for match_id, start, end in self.riasec(doc):
            dim = self.nlp.vocab.strings[match_id]
            profile.add(Mention("riasec", dim, doc[start:end].text, polarity[start]))
        self._names(reading, doc, pieces, text, roles)
        ordinal = _ORDINAL.search(normalised)
        if ordinal:
            word = ordinal.group(1)
            reading.ordinal = _ORDINALS[word] if word else int(ordinal.group(2) or ordinal.group(3))
        reading.other = bool(_OTHER.search(normalised))
        reading.that_route = bool(_THAT_ROUTE.search(normalised))
        reading.returning = returning or (
            not never_qualified
            and any(not _BACK_TO_STUDY.match(normalised, m.end()) for m in self.returning_words.finditer(normalised))
        )
        described = _DESCRIBED.search(normalised)
        if not reading.named and reading.ordinal is None and not reading.other and described:
            by_name = {self.name_words[w] for w in described.group(0).split() if w in self.name_words}
            # "which one treats people with radiation rather than taking pictures?": what follows
            # "rather than" counts against the jobs it points to
            contrasted = " ".join(m.group(1) for m in _CONTRAST.finditer(normalised))
            against = {m.id for m in profile.mentions.values() if m.kind == "concept" and m.said.lower() in contrasted}
            reading.described = by_name.pop() if len(by_name) == 1 else self._described(profile, against)
            reading.target = reading.described  # nothing named, so no target yet
        return reading

    def _described(self, profile: Profile, against: frozenset[str] | set[str] = frozenset()) -> str | None:
        """The one job a description points to by the concepts it uses ("the scans
        one": imaging, diagnostic radiography), or None when no job clearly leads; the
        concepts in `against` ("rather than taking pictures") count against their jobs."""
        scores: dict[str, float] = {}
        for m in profile.mentions.values():
            concept = self.concepts.get(m.id) if m.kind == "concept" else None
            sign = -1.0 if m.id in against else 1.0
            for pid, w in concept.weights.items() if concept else ():
                # "helps people who can't swallow": a "not" in a description still describes
                scores[pid] = scores.get(pid, 0.0) + sign * w * m.weight
        ranked = sorted(scores.items(), key=lambda x: -x[1]) + [(None, 0.0), (None, 0.0)]
        (best, top), (_, second) = ranked[0], ranked[1]
        return best if top >= DESCRIBED_AT_LEAST and top - second >= DESCRIBED_AHEAD else None

    def _beyond_lexicon(self, profile: Profile, doc, polarity: list[bool]) -> None:
        """Words no phrase holds that WordNet puts under a concept ("cello": music)."""
        if not self.wordnet:
            return
        covered = {i for ent in doc.ents for i in range(ent.start, ent.end)}
        for token in doc:
            if (
                token.i in covered
                or token.is_stop
                or not token.is_alpha
                or len(token) < 3
                or token.lower_ in self.cue_words
                or _used_as_verb(doc, token.i)
            ):
                continue
            # the dictionary form only when it is shorter ("cellos": cello); "bit" is no "bite"
            lemma = token.lemma_ if len(token.lemma_) < len(token.lower_) else None
            found = self.wordnet.get(token.lower_) or (self.wordnet.get(lemma) if lemma else None)
            for concept_id, weight in found or ():
                key = ("concept", concept_id)
                if key not in profile.mentions:
                    profile.add(
                        Mention(
                            "concept",
                            concept_id,
                            token.text,
                            polarity[token.i],
                            self.categories.get(concept_id, ""),
                            weight,
                        )
                    )

    def _names(self, reading: Reading, doc, pieces, text: str, roles: dict[int, str]) -> None:
        """Professions, groups and routes named, and the target: a profession after
        "become a", else the first that is not the person's own role."""
        found: list[Found] = self.entities.find(text, doc, pieces)
        tokens = [t.lower_ for t in doc]
        token_at = {t.idx: t.i for t in doc}  # normalised start -> token index
        by_start = {p[2]: p[0] for p in pieces}  # original start -> normalised start
        targets: list[str] = []
        others: list[str] = []
        for i, f in enumerate(found):
            if f.entity == "profession":
                start = by_start.get(f.start, -1)
                role = roles.get(start)
                if role is None and f.value in self.support_roles and start in token_at:
                    if self._their_support_role(reading, f.text, tokens, token_at[start]):
                        role = "current"  # "I'm a (theatre) support worker": their job, not their aim
                found[i] = Found(f.entity, f.value, f.start, f.end, f.text, role)
                if f.value not in reading.named:
                    reading.named.append(f.value)
                (targets if role == "target" else others if role is None else []).append(f.value)
            elif f.entity == "profession_group" and f.value not in reading.groups:
                reading.groups.append(f.value)
            elif f.entity == "route" and f.value not in reading.routes:
                reading.routes.append(f.value)
        reading.entities = found
        # of the jobs named with no role, one in the last question is the one asked about ("...not
        # just physio, and I barely know some of them. what does an orthoptist do?")
        asked = text.rfind("?")
        if asked >= 0 and len(set(others)) > 1:
            opening = max(text.rfind(mark, 0, asked) for mark in ".!?\n") + 1
            in_question = [
                f.value for f in found if f.entity == "profession" and f.role is None and opening <= f.start < asked
            ]
            others = in_question + others
        if not targets and _THEIR_JOB_WANTED.search(text.lower()):
            # "been watching the ODPs for 2 yrs and i want to do what they do": the job they named
            targets = [pid for pid in others if pid in self.registered][-1:]
        reading.target = next(iter(targets or others), None)

    def _profession(
        self, profile: Profile, ent, tokens: list[str], positive: bool, pid: str | None = None
    ) -> str | None:
        """Record a named profession (`pid`, else the span's own); its role when the person
        says they are one ("current"), were one ("former"), or want to become one ("target")."""
        pid, role = pid or ent.ent_id_, None
        if ent.end < len(tokens) and self.support_role.match(tokens, ent.end) and pid in self.registered:
            profile.add(Mention("profession", pid, ent.text, True))
            if self.target_cue.ends_before(tokens, ent.start) or self._cue_before(self.start_as, tokens, ent.start):
                # "could he start as an OT assistant and work his way up?", "a job as a physio
                # assistant": a step towards that profession, not a job they have
                return "target"
            # "physio assistant": a support role in that profession's team
            profile.signals["support-worker"] = f"{ent.text} {tokens[ent.end]}"
            return "current"
        # what the person is or was comes first: "used to be a" ends with "be a";
        # "prosthetist, left in 2017", "podiatrist, been out 4 yrs": the job they left
        # ("dietitian, 61, retired in 2020": an age between the job and what they did); "left my
        # physio course" is training left, not a job
        after = [t for t in tokens[ent.end : ent.end + 5] if t not in (",", "-", "and") and not t.isdigit()][:2]
        someone_else = ent.start > 0 and tokens[ent.start - 1] in _SOMEONE_ELSES
        # "ex-paramedic": the cue before the hyphen
        start = ent.start - 1 if ent.start > 1 and tokens[ent.start - 1] == "-" else ent.start
        if (
            self._cue_before(self.self_past, tokens, start)
            and after[:1] not in (["course"], ["training"], ["studies"], ["apprenticeship"], ["placement"])
            and not _SOMEONE_ELSE_WAS.search(" ".join(tokens[max(0, start - 4) : start]))
            or (after[:1] in (["left"], ["quit"], ["retired"], ["out"], ["stopped"]) and not someone_else)
            or (after in (["been", "out"], ["been", "away"], ["been", "off"]) and not someone_else)
            or (after in (["not", "practised"], ["not", "practiced"], ["not", "worked"]) and not someone_else)
        ):
            if pid in self.registered:
                profile.former_profession = pid  # qualified in it; a returner unless trained abroad
            role, positive = "former", True
        elif self._cue_before(self.self_current, tokens, start):
            profile.current_role = pid
            if pid in self.registered:
                profile.former_profession = pid  # qualified in it (abroad, or coming back)
            else:
                profile.signals["support-worker"] = ent.text
            role, positive = "current", True
        elif self.target_cue.ends_before(tokens, start):
            role = "target"
        profile.add(Mention("profession", pid, ent.text, positive))
        return role

    def _their_support_role(self, reading: Reading, said: str, tokens: list[str], at: int) -> bool:
        """A support role named just after "I'm a" ("I'm a band 3 support worker"), or a few
        words after it when the support-worker words read in the message are these ("I'm a
        theatre support worker")."""
        if self._cue_before(self.self_current, tokens, at):
            return True
        told = reading.profile.signals.get("support-worker", "").lower().split()
        # the support words read there ("ot support"), or their last one ("support" of "support worker")
        return bool(told and said.lower().split()[0] in told) and any(
            self.self_current.ends_before(tokens, j) for j in range(max(0, at - 4), at)
        )

    def _cue_before(self, cues: _Cues, tokens: list[str], start: int) -> bool:
        """A cue that ends just before the job, or before a few words that only describe it
        ("I'm a band 3 rehab assistant")."""
        end = start
        while True:
            if cues.ends_before(tokens, end):
                return True
            if (
                end == 0
                or start - end >= MAX_MODIFIERS
                or not (tokens[end - 1] in self.role_modifiers or tokens[end - 1].isdigit())
            ):
                return False
            end -= 1

    def years_out(self, text: str) -> float | None:
        """Years out of practice that a message states ("6 years out", "left in 2017")."""
        return years_out(self.normalise(text[:MAX_CHARS]), returner=True)
