"""Ranking professions and fitting routes: the matcher that every channel calls.

Scores add up evidence from what the person said:
- a concept they mention adds its weight for each profession it points to
  (knowledge/concepts.yml); a negated mention subtracts it;
- naming a profession adds NAMED_WEIGHT, a group (radiography) GROUP_WEIGHT;
- circumstances with `points_to` (signals.yml) add their weights;
- broad statements add at most RIASEC_WEIGHT through the O*NET interest
  profiles, kept below the smallest concept weight so that a specific term
  always outweighs them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

from bot.knowledge.repository import KnowledgeBase, Question, RouteOption
from bot.matching.profile import Profile
from bot.matching.understanding import Understander
from bot.nlp import Normaliser, load_pipeline

NAMED_WEIGHT = 1.5
QUALIFIED_IN_WEIGHT = 2.5
GROUP_WEIGHT = 0.6
RIASEC_WEIGHT = 0.15  # < the smallest concept weight (0.2)
TIE_MARGIN = 0.08  # scores this close count as a tie ...
TIE_BONUS = 0.05  # ... which in-demand professions win
VAGUE_MIN_SCORE = 0.9
VAGUE_MIN_GAP = 0.12
# a task someone says they can't stand, weighing at least this much in a profession, rules that
# profession out however much else fits ("love being outside, but no blood or needles": not a
# paramedic)
DISLIKED_TASK_WEIGHT = 0.5


@dataclass
class Scored:
    id: str
    name: str
    raw: float
    reasons: list[str] = field(default_factory=list)
    in_demand_reason: str | None = None
    bonus: float = 0.0  # the in-demand tie-break, part of the order

    @property
    def score(self) -> float:
        """0..1 for display: 1 - e^-(raw + bonus), so more evidence saturates towards 1
        and scores fall in the order of the ranking."""
        return round(1 - math.exp(-max(self.raw + self.bonus, 0.0)), 3)

    def to_payload(self) -> dict:
        reasons = self.reasons + ([self.in_demand_reason] if self.in_demand_reason else [])
        return {"id": self.id, "name": self.name, "score": self.score, "reasons": reasons}


@dataclass
class Ranking:
    professions: list[Scored]
    vague: bool
    questions: list[Question]

    def top(self, n: int = 3) -> list[Scored]:
        return [p for p in self.professions[:n] if p.raw > 0]

    def ids(self) -> list[str]:
        return [p.id for p in self.professions]


@dataclass
class RouteFit:
    id: str
    name: str
    note: str
    why: list[str]


class Matcher:
    def __init__(self, kb: KnowledgeBase, spacy_model: Path | str):
        self.kb = kb
        self.nlp = load_pipeline(str(spacy_model))
        self.normaliser = Normaliser.from_pipeline(self.nlp, kb)
        self.understand = Understander(self.nlp, self.normaliser, kb)
        self.professions = {p.id: p for p in kb.professions()}
        self.positions = {pid: i for i, pid in enumerate(self.professions)}
        self.concepts = {c.id: c for c in kb.concepts()}
        self.groups = {g.id: g for g in kb.groups}
        self.signals = {s.id: s for s in kb.signals}
        self.dimensions = {d.id: d for d in kb.riasec_dimensions}
        self.reasons = kb.language("reasons")
        self.route_reasons = kb.language("route_reasons")
        self.riasec = {pid: self._centred(scores) for pid, scores in kb.riasec_profiles.items()}

    @classmethod
    def from_settings(cls) -> "Matcher":
        from bot.config import settings

        s = settings()
        return cls(KnowledgeBase(s.knowledge_db), s.spacy_model_dir)

    @staticmethod
    def _centred(scores: dict[str, float]) -> dict[str, float]:
        mean = sum(scores.values()) / len(scores)
        return {dim: (value - mean) / 6 for dim, value in scores.items()}

    # --- ranking ---------------------------------------------------------------------
    def rank(self, profile: Profile) -> Ranking:
        scored = {pid: Scored(pid, p.name, 0.0) for pid, p in self.professions.items()}
        best_reason: dict[str, dict[str, float]] = {pid: {} for pid in scored}

        def credit(pid: str, amount: float, reason: str | None) -> None:
            scored[pid].raw += amount
            if reason and amount > 0:
                best_reason[pid][reason] = max(best_reason[pid].get(reason, 0), amount)

        ruled_out: set[str] = set()
        for m in profile.mentions.values():
            sign = 1.0 if m.positive else -1.0
            if m.kind == "concept" and m.id in self.concepts:
                reason = self._reason(m.category, m.said)
                for pid, w in self.concepts[m.id].weights.items():
                    credit(pid, sign * w * m.weight, reason)
                    if not m.positive and m.category == "task" and w * m.weight >= DISLIKED_TASK_WEIGHT:
                        ruled_out.add(pid)
            elif m.kind == "profession" and m.id in scored:
                credit(
                    m.id, sign * NAMED_WEIGHT, self.reasons["named"].format(name=self.professions[m.id].name.lower())
                )
            elif m.kind == "group" and m.id in self.groups:
                for pid in self.groups[m.id].professions:
                    credit(pid, sign * GROUP_WEIGHT, self.reasons["group"].format(said=m.said))
        if profile.former_profession in scored:
            credit(profile.former_profession, QUALIFIED_IN_WEIGHT, None)
        for sid, said in profile.signals.items():
            signal = self.signals.get(sid)
            # an inferred signal still counts, but quotes nothing: they did not say it
            told = self.reasons["signal"].format(said=_second_person(said)) if said else None
            for pid, w in signal.points_to.items() if signal else ():
                credit(pid, w, told)
        self._add_riasec(profile, credit)
        for pid in ruled_out:
            scored[pid].raw = min(scored[pid].raw, 0.0)

        for pid, reasons in best_reason.items():
            scored[pid].reasons = [r for r, _ in sorted(reasons.items(), key=lambda x: -x[1])][:4]
        ranked = self._order(list(scored.values()))
        vague = self._is_vague(profile, ranked)
        return Ranking(ranked, vague, self._questions(ranked) if vague else [])

    def _reason(self, category: str, said: str) -> str:
        said = _second_person(said)
        if category == "strength" and said.startswith("good at"):
            return self.reasons["strength_good_at"].format(said=said[len("good at ") :])
        if category in ("strength", "value", "task") and said.split()[0].endswith("ing"):
            category = "hobby"  # "fixing things" reads as something they enjoy
        return self.reasons.get(category, self.reasons["interest"]).format(said=said)

    def _add_riasec(self, profile: Profile, credit) -> None:
        vector: dict[str, float] = {}
        for m in profile.mentions.values():
            if m.kind == "riasec":
                vector[m.id] = vector.get(m.id, 0.0) + (1.0 if m.positive else -1.0)
        if not vector:
            return
        for pid, centred in self.riasec.items():
            raw = sum(v * centred.get(dim, 0.0) for dim, v in vector.items())
            amount = RIASEC_WEIGHT * max(-1.0, min(1.0, raw * 2))
            if amount > 0:
                # the reason names the interest type this profession leans on most
                dim = max((d for d in vector if vector[d] > 0), key=lambda d: centred.get(d, 0.0), default=None)
                credit(pid, amount, self.dimensions[dim].reason if dim and centred[dim] > 0 else None)
            else:
                credit(pid, amount, None)

    def _order(self, scored: list[Scored]) -> list[Scored]:
        """Best first; where scores are close, in-demand professions go first, and say so."""

        def bonus(s: Scored) -> float:
            return TIE_BONUS if s.raw > 0 and self.professions[s.id].in_demand else 0.0

        for s in scored:
            s.bonus = bonus(s)
        ranked = sorted(scored, key=lambda s: (-(s.raw + s.bonus), self.positions[s.id]))
        for s in ranked[:5]:
            p = self.professions[s.id]
            if s.raw <= 0 or not p.in_demand:
                continue
            rivals = [
                o
                for o in ranked[:6]
                if o.id != s.id
                and o.raw > 0
                and not self.professions[o.id].in_demand
                and abs(o.raw - s.raw) <= TIE_MARGIN
            ]
            if rivals:
                key = "in_demand_shortage" if p.shortage else "in_demand_small_and_vital"
                s.in_demand_reason = self.reasons[key]
        return ranked

    @staticmethod
    def _is_vague(profile: Profile, ranked: list[Scored]) -> bool:
        if not ranked or ranked[0].raw <= 0:
            return True
        top, second = ranked[0].raw, ranked[1].raw if len(ranked) > 1 else 0.0
        return top < VAGUE_MIN_SCORE or (top - second) < VAGUE_MIN_GAP

    def _questions(self, ranked: list[Scored], limit: int = 2) -> list[Question]:
        """Questions whose answers point to different leading professions."""
        leaders = [s.id for s in ranked[:5] if s.raw > 0 and s.raw >= 0.6 * ranked[0].raw] or [s.id for s in ranked[:5]]
        scored_questions = []
        for q in self.kb.questions:
            favoured = set()
            for _, concept_id in q.options:
                weights = self.concepts[concept_id].weights
                top = max(weights, key=lambda c: weights[c])
                if top in leaders:
                    favoured.add(top)
            scored_questions.append((len(favoured), favoured, q))
        scored_questions.sort(key=lambda x: -x[0])
        chosen: list[Question] = []
        covered: set[str] = set()
        for _, favoured, q in scored_questions:
            if len(chosen) == limit:
                break
            if not chosen or favoured - covered:
                chosen.append(q)
                covered |= favoured
        return chosen

    # --- routes ----------------------------------------------------------------------
    def fit_routes(
        self, profession_id: str | None, profile: Profile | None = None, asked: tuple[str, ...] = ()
    ) -> list[RouteFit]:
        """The routes into a profession (or, for None, into the AHP workforce) that
        exist and fit the person, each with why; then those `asked` about that exist."""
        profession = self.professions[profession_id] if profession_id else None
        profile = profile or Profile()
        signals = set(profile.signals)
        qualified_in = profile.former_profession
        if qualified_in and qualified_in != profession_id:
            # registered (or trained) in another profession: they hold a degree, but
            # returning or the international route apply only to their own profession
            signals -= {"former-registrant", "trained-abroad"}
            signals.add("has-degree")
        if profession:
            available = {r.id: r for r in profession.routes}
        else:
            available = {
                r.id: RouteOption(id=r.id, name=r.name, note=r.summary, source=r.source) for r in self.kb.routes()
            }
        # the first rule that fits; the last fits everyone (the build checks it: schema.py)
        rule = next(
            rule for rule in self.kb.route_rules if set(rule.when) <= signals and not set(rule.unless) & signals
        )
        wanted = list(rule.routes) + [r for s, extra in rule.plus.items() if s in signals for r in extra]
        fits = []
        for rid in dict.fromkeys(wanted):
            if rid not in available or not self._requirements_met(rid, available[rid], signals):
                continue
            key = f"{rule.id}_plus_{next((s for s, e in rule.plus.items() if rid in e and s in signals), '')}"
            why = [self.route_reasons.get(key) or self.route_reasons[rule.id]]
            if rid == "return-to-practice" and profession:
                why += self._updating(profession, profile.years_out)
            fits.append(RouteFit(rid, available[rid].name, available[rid].note, why))
        if not fits:
            for rid in self.kb.route_fallback_order:
                if rid in available:
                    why = [self.route_reasons["fallback"]]
                    if not self._requirements_met(rid, available[rid], signals):
                        why.append(self.route_reasons["fallback_needs_degree"])
                    fits.append(RouteFit(rid, available[rid].name, available[rid].note, why))
                    break
        for rid in asked:
            if rid in available and rid not in {f.id for f in fits}:
                fits.append(RouteFit(rid, available[rid].name, available[rid].note, [self.route_reasons["asked"]]))
        return fits

    def _requirements_met(self, route_id: str, option, signals: set[str]) -> bool:
        route = self.kb.route(route_id)
        needed = set(route.requires if route else ()) | set(option.requires)
        return needed <= signals

    def _updating(self, profession, years_out: float | None) -> list[str]:
        if years_out is None or not profession.regulator:
            return []
        req = self.kb.updating_requirement(profession.regulator, years_out)
        return [req.text] if req else []

    # --- convenience -----------------------------------------------------------------
    def recommend(self, text: str, profile: Profile | None = None) -> tuple[Profile, Ranking]:
        """Read one more message into the profile and rank."""
        merged = (profile or Profile()).merge(self.understand(text))
        return merged, self.rank(merged)


def _second_person(said: str) -> str:
    swaps = {
        "my": "your",
        "i'm": "you're",
        "i": "you",
        "me": "you",
        "myself": "yourself",
        "i've": "you've",
        "am": "are",
        "mine": "yours",
    }
    return " ".join(swaps.get(w, w) for w in said.split())
