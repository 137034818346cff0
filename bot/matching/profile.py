"""What a person has said about themselves, gathered across a conversation.

A profile is plain data that round-trips through a dict, so a Rasa slot or a
JSON column can hold it. Later statements about the same thing replace
earlier ones ("I like blood" then "actually I hate blood").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Mention:
    """One thing the person said: a concept, profession, group or interest type."""

    kind: str  # concept | profession | group | riasec
    id: str
    said: str  # the words as they wrote them (normalised)
    positive: bool = True
    category: str = ""  # for concepts: interest, hobby, subject...
    weight: float = 1.0  # below 1 when the words only fall under the concept ("cello": music)

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "id": self.id,
            "said": self.said,
            "positive": self.positive,
            "category": self.category,
            "weight": self.weight,
        }


STAGES = (
    "at-school",
    "at-college",
    "at-university",
    "has-degree",
    "career-changer",
    "support-worker",
    "former-registrant",
    "trained-abroad",
    "armed-forces-leaver",
    "athlete",
)
ASKERS = {"asker-parent": "parent", "asker-teacher": "teacher", "asker-ambassador": "ambassador"}
INFERRED = ""  # what they said, for a signal inferred rather than read: no words of theirs


@dataclass
class Profile:
    mentions: dict[tuple[str, str], Mention] = field(default_factory=dict)
    signals: dict[str, str] = field(default_factory=dict)  # signal id -> what they said (or INFERRED)
    school_year: int | None = None
    years_out: float | None = None
    former_profession: str | None = None
    current_role: str | None = None

    # --- building ------------------------------------------------------------------
    def add(self, mention: Mention) -> None:
        key = (mention.kind, mention.id)
        earlier = self.mentions.pop(key, None)  # re-insert so the latest statement is last
        if earlier and earlier.positive == mention.positive and earlier.weight > mention.weight:
            mention = earlier  # "I love sport ... and skateboarding": sport stays said outright
        self.mentions[key] = mention

    def infer(self, signal: str) -> None:
        """A circumstance the assistant works out (a returner from the job they did and the
        year they left, or from a button) rather than reads in words of theirs."""
        self.signals.setdefault(signal, INFERRED)

    def merge(self, other: "Profile") -> "Profile":
        """A new profile: this one updated by what `other` (a later message) says."""
        merged = Profile.from_dict(self.to_dict())
        for mention in other.mentions.values():
            merged.add(mention)
        merged.signals.update(other.signals)
        for name in ("school_year", "years_out", "former_profession", "current_role"):
            if getattr(other, name) is not None:
                setattr(merged, name, getattr(other, name))
        return merged

    # --- reading -------------------------------------------------------------------
    def positive(self, kind: str | None = None) -> list[Mention]:
        return [m for m in self.mentions.values() if m.positive and (kind is None or m.kind == kind)]

    def negative(self, kind: str | None = None) -> list[Mention]:
        return [m for m in self.mentions.values() if not m.positive and (kind is None or m.kind == kind)]

    def has(self, signal: str) -> bool:
        return signal in self.signals

    @property
    def asking_for(self) -> str:
        for signal, who in ASKERS.items():
            if signal in self.signals:
                return who
        return "self"

    @property
    def stage(self) -> list[str]:
        return [s for s in STAGES if s in self.signals]

    @property
    def is_empty(self) -> bool:
        return not self.mentions and not self.signals

    # --- storage -------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return {
            "mentions": [m.to_dict() for m in self.mentions.values()],
            "signals": dict(self.signals),
            "school_year": self.school_year,
            "years_out": self.years_out,
            "former_profession": self.former_profession,
            "current_role": self.current_role,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> "Profile":
        profile = cls()
        if not data:
            return profile
        for m in data.get("mentions", []):
            profile.add(Mention(**m))
        profile.signals = dict(data.get("signals", {}))
        profile.school_year = data.get("school_year")
        profile.years_out = data.get("years_out")
        profile.former_profession = data.get("former_profession")
        profile.current_role = data.get("current_role")
        return profile
