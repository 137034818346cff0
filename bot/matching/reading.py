"""What one message says, read once: the person's interests and circumstances
(a Profile to merge into the conversation's), the professions and routes it
names and which profession is the one they are asking about or aiming for.

The NLU pipeline reads every message once (bot/nlu/components.py) and passes
the reading to the actions in the parse data, so every reply can use what this
message said as well as what came before.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.matching.profile import Profile

INTEREST_KINDS = ("concept", "profession", "group", "riasec")


@dataclass
class Reading:
    profile: Profile = field(default_factory=Profile)
    named: list[str] = field(default_factory=list)  # professions named, in order
    target: str | None = None  # the profession they ask about or want to become
    groups: list[str] = field(default_factory=list)  # "radiography", "arts therapies"
    routes: list[str] = field(default_factory=list)  # routes named ("apprenticeship")
    ordinal: int | None = None  # "the second one": 2; "the last one": -1
    other: bool = False  # "the other one"
    that_route: bool = False  # "that way", "that route": the route talked about before
    sentences: int = 0
    described: str | None = None  # the job described, not named: "the scans one"
    returning: bool = False  # talks of coming back ("return to practice", "updating")
    entities: list = field(default_factory=list, repr=False)  # bot.nlu.entities.Found, for Rasa

    @property
    def interests(self) -> bool:
        """Told what they enjoy, are good at or value (naming a job alone is not that)."""
        return any(m.kind in ("concept", "riasec") and m.positive for m in self.profile.mentions.values())

    @property
    def circumstances(self) -> bool:
        p = self.profile
        return bool(p.signals) or p.school_year is not None or p.years_out is not None

    @property
    def is_empty(self) -> bool:
        return (
            self.profile.is_empty
            and not self.named
            and not self.groups
            and not self.routes
            and self.ordinal is None
            and not self.other
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "profile": self.profile.to_dict(),
            "named": list(self.named),
            "target": self.target,
            "groups": list(self.groups),
            "routes": list(self.routes),
            "ordinal": self.ordinal,
            "other": self.other,
            "that_route": self.that_route,
            "sentences": self.sentences,
            "described": self.described,
            "returning": self.returning,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> "Reading":
        if not data:
            return cls()
        return cls(
            Profile.from_dict(data.get("profile")),
            list(data.get("named") or ()),
            data.get("target"),
            list(data.get("groups") or ()),
            list(data.get("routes") or ()),
            data.get("ordinal"),
            bool(data.get("other")),
            bool(data.get("that_route")),
            int(data.get("sentences") or 0),
            described=data.get("described"),
            returning=bool(data.get("returning")),
        )
