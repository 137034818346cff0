"""The two plain data types every dialogue function speaks."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from bot.matching.reading import Reading


@dataclass
class Turn:
    """One message from the person, with what the conversation remembers."""

    text: str = ""
    intent: str = ""
    entities: list[dict[str, Any]] = field(default_factory=list)
    profile: dict[str, Any] | None = None  # bot.matching.Profile as a dict: with this message
    profession: str | None = None  # the profession being talked about
    recommended: list[str] = field(default_factory=list)  # the last professions shown
    route: str | None = None  # the route being talked about ("that way")
    asked: str | None = None  # the kind of question last answered (an intent)
    reading: Reading | None = None  # what this message says (bot.matching.reading)
    ranking: list[dict[str, Any]] = field(default_factory=list)  # the intents, likeliest first

    def values(self, entity: str) -> list[str]:
        """Entity values in the order they appear, without repeats."""
        found = []
        for e in self.entities:
            if e.get("entity") != entity:
                continue
            for v in e["value"] if isinstance(e.get("value"), list) else [e.get("value")]:
                if v is not None and v not in found:
                    found.append(v)
        return found

    def first(self, entity: str) -> Any:
        found = self.values(entity)
        return found[0] if found else None


def button(title: str, intent: str, **entities: Any) -> dict[str, str]:
    """A button that sends an intent (and entities) straight to the assistant."""
    payload = "/" + intent + (json.dumps(entities, separators=(",", ":")) if entities else "")
    return {"title": title, "payload": payload}


def job_names(name: str) -> dict[str, str]:
    """A job's name as it reads inside a sentence: "job" ("occupational therapist",
    "AHP support worker"), "a_name" with its article ("an occupational therapist")
    and "A_name" to start a sentence."""
    job = name[0].lower() + name[1:] if name[1:2].islower() else name
    article = "an" if job[:1].lower() in "aeiou" or job.startswith(("AHP", "MRI")) else "a"
    return {"job": job, "a_name": f"{article} {job}", "A_name": f"{article.capitalize()} {job}"}


@dataclass
class Reply:
    messages: list[dict[str, Any]] = field(default_factory=list)
    slots: dict[str, Any] = field(default_factory=dict)

    def say(self, response: str, buttons: list[dict] | None = None, **values: Any) -> "Reply":
        if isinstance(values.get("name"), str) and values["name"]:
            values = {**job_names(values["name"]), **values}
        message: dict[str, Any] = {"response": response, "values": values}
        if buttons:
            message["buttons"] = buttons
        self.messages.append(message)
        return self

    def show(self, payload: dict[str, Any]) -> "Reply":
        self.messages.append({"custom": payload})
        return self

    def remember(self, **slots: Any) -> "Reply":
        self.slots.update(slots)
        return self

    def extend(self, other: "Reply") -> "Reply":
        self.messages += other.messages
        self.slots.update(other.slots)
        return self

    # for tests and channels without a response renderer
    def responses(self) -> list[str]:
        return [m["response"] for m in self.messages if "response" in m]

    def payloads(self, kind: str | None = None) -> list[dict[str, Any]]:
        return [
            m["custom"] for m in self.messages if "custom" in m and (kind is None or m["custom"].get("type") == kind)
        ]
