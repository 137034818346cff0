"""Validation of knowledge/*.yml before anything is loaded.

Structure is checked with JSON Schema; what JSON Schema cannot express (every
`source` well formed, every fact dated with when it was `checked`, ids that
refer to each other, aliases unique across professions) is checked afterwards.
Every error names the file and the entry.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Iterator
from urllib.parse import urlparse

from jsonschema import Draft7Validator

CONTRACT_PROFESSIONS = (
    "art-therapist",
    "dramatherapist",
    "music-therapist",
    "dietitian",
    "occupational-therapist",
    "operating-department-practitioner",
    "orthoptist",
    "osteopath",
    "paramedic",
    "physiotherapist",
    "podiatrist",
    "prosthetist-orthotist",
    "diagnostic-radiographer",
    "therapeutic-radiographer",
    "speech-and-language-therapist",
    "ahp-support-worker",
    "assistant-practitioner",
)
CONTRACT_ROUTES = (
    "degree",
    "postgraduate",
    "apprenticeship",
    "support-worker",
    "return-to-practice",
    "international",
)
RIASEC = ("R", "I", "A", "S", "E", "C")
CATEGORIES = ("interest", "hobby", "subject", "strength", "value", "task")

LANGUAGE_CUES = (
    "negation_cues",
    "positive_cues",
    "clause_breaks",
    "negation_after_cues",
    "self_current_cues",
    "self_past_cues",
    "support_role_words",
    "target_cues",
    "returning_cues",
    "myth_cues",
    "role_modifiers",
)
RISK_KINDS = ("suicide", "self_harm", "medical_emergency", "abuse", "bullying", "eating_disorder", "friend")
KNOWLEDGE_FILES = (
    "sources",
    "regulators",
    "audiences",
    "professions",
    "groups",
    "routes",
    "concepts",
    "riasec",
    "signals",
    "questions",
    "resources",
    "return_to_practice",
    "key_dates",
    "language",
    "text",
    "helplines",
    "answers",
)
# a profession's further facts, stored together (models.Profession.details)
DETAILS = ("course", "band_note", "no_band", "practical", "more")
ANSWER_TOPICS = (
    "money",
    "practical",
    "difference",
    "progression",
    "next-steps",
    "returning",
    "international",
    "outreach",
)


class KnowledgeError(ValueError):
    """The knowledge files are invalid; the message lists every problem."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("invalid knowledge base:\n  " + "\n  ".join(errors))


_source = {"oneOf": [{"type": "string"}, {"type": "array", "minItems": 1, "items": {"type": "string"}}]}
_text = {"type": "string", "minLength": 1}
_fact = {"type": "object", "required": ["text", "source"], "properties": {"text": _text, "source": _source}}
_facts = {"type": "array", "minItems": 1, "items": _fact}
_id = {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]*$"}
_phrases = {"type": "array", "minItems": 1, "items": _text}
_profession_id = {"enum": list(CONTRACT_PROFESSIONS)}
_route_id = {"enum": list(CONTRACT_ROUTES)}
_weights = {
    "type": "object",
    "minProperties": 1,
    "propertyNames": _profession_id,
    "additionalProperties": {"type": "number", "minimum": 0.05, "maximum": 2.0},
}
_flag = {
    "type": "object",
    "required": ["value", "source"],
    "properties": {"value": {"type": "boolean"}, "source": _source},
}


def _listing(key: str, item: dict) -> dict:
    return {"type": "object", "required": [key], "properties": {key: {"type": "array", "minItems": 1, "items": item}}}


SCHEMAS: dict[str, dict] = {
    "sources": {
        "type": "object",
        "required": ["guide", "official_domains"],
        "properties": {
            "guide": {
                "type": "object",
                "required": ["title", "sections"],
                "properties": {"sections": {"type": "object", "minProperties": 1, "additionalProperties": _text}},
            },
            "official_domains": {"type": "array", "items": _text},
        },
    },
    "regulators": _listing(
        "regulators",
        {
            "type": "object",
            "required": ["id", "name", "url", "summary"],
            "properties": {"id": _id, "name": _text, "url": _text, "summary": _fact},
        },
    ),
    "audiences": _listing(
        "audiences",
        {
            "type": "object",
            "required": ["id", "name", "description", "phrases"],
            "properties": {"id": _id, "name": _text, "description": _fact, "phrases": _phrases},
        },
    ),
    "professions": _listing(
        "professions",
        {
            "type": "object",
            "required": [
                "id",
                "name",
                "kind",
                "aliases",
                "summary",
                "settings",
                "regulator",
                "routes",
                "entry_requirements",
                "flags",
                "links",
            ],
            "properties": {
                "id": _profession_id,
                "name": _text,
                "kind": {"enum": ["registered", "support"]},
                "aliases": _phrases,
                "summary": _fact,
                "settings": _fact,
                "entry_requirements": _fact,
                "regulator": {
                    "oneOf": [
                        {"type": "null"},
                        {"type": "object", "required": ["id", "source"], "properties": {"id": _id, "source": _source}},
                    ]
                },
                "protected_titles": {
                    "type": "object",
                    "required": ["titles", "source"],
                    "properties": {"titles": _phrases, "source": _source},
                },
                "routes": {
                    "type": "array",
                    "minItems": 1,
                    "items": {
                        "type": "object",
                        "required": ["id", "note", "source"],
                        "properties": {
                            "id": _route_id,
                            "note": _text,
                            "source": _source,
                            "requires": {"type": "array", "items": _id},
                        },
                    },
                },
                "starting_band": {
                    "type": "object",
                    "required": ["band", "source"],
                    "properties": {"band": _text, "source": _source},
                },
                # how long the course takes; a note on the band ("band 6 after two years");
                # why there is no band (most osteopaths are self-employed); practical requirements
                # (driving licence, portfolio); what else the work involves
                "course": _fact,
                "band_note": _fact,
                "no_band": _fact,
                "practical": _facts,
                "more": _fact,
                "flags": {
                    "type": "object",
                    "required": ["shortage", "highest_supply_concern", "small_and_vital"],
                    "additionalProperties": _flag,
                },
                "links": {
                    "type": "array",
                    "minItems": 1,
                    "items": {
                        "type": "object",
                        "required": ["title", "url", "source"],
                        "properties": {
                            "title": _text,
                            "url": {"type": "string", "pattern": "^https://"},
                            "source": _source,
                        },
                    },
                },
            },
        },
    ),
    "groups": _listing(
        "groups",
        {
            "type": "object",
            "required": ["id", "phrases", "professions", "source"],
            "properties": {
                "id": _id,
                "phrases": _phrases,
                "source": _source,
                "counts_as_one": {"type": "boolean"},
                "usually_means": _profession_id,
                "professions": {"type": "array", "minItems": 2, "items": _profession_id},
            },
        },
    ),
    "routes": {
        "type": "object",
        "required": ["routes", "fitting_rules", "fallback_order"],
        "properties": {
            "routes": {
                "type": "array",
                "minItems": 1,
                "items": {
                    "type": "object",
                    "required": ["id", "name", "phrases", "summary", "involves"],
                    "properties": {
                        "id": _route_id,
                        "name": _text,
                        "phrases": _phrases,
                        "summary": _fact,
                        "involves": _fact,
                        "requires": {"type": "array", "items": _id},
                    },
                },
            },
            "fitting_rules": {
                "type": "array",
                "minItems": 1,
                "items": {
                    "type": "object",
                    "required": ["id", "routes"],
                    "properties": {
                        "id": _id,
                        "when": {"type": "array", "items": _id},
                        "unless": {"type": "array", "items": _id},
                        "routes": {"type": "array", "items": _route_id},
                        "plus": {"type": "object", "additionalProperties": {"type": "array", "items": _route_id}},
                    },
                },
            },
            "fallback_order": {"type": "array", "items": _route_id},
        },
    },
    "concepts": _listing(
        "concepts",
        {
            "type": "object",
            "required": ["id", "category", "phrases", "points_to", "source"],
            "properties": {
                "id": _id,
                "category": {"enum": list(CATEGORIES)},
                "phrases": _phrases,
                "points_to": _weights,
                "source": _source,
            },
        },
    ),
    "riasec": {
        "type": "object",
        "required": ["dimensions", "profiles"],
        "properties": {
            "dimensions": {
                "type": "array",
                "minItems": 6,
                "items": {
                    "type": "object",
                    "required": ["id", "name", "reason", "phrases", "source"],
                    "properties": {
                        "id": {"enum": list(RIASEC)},
                        "name": _text,
                        "reason": _text,
                        "phrases": _phrases,
                        "source": _source,
                    },
                },
            },
            "profiles": {
                "type": "array",
                "minItems": 1,
                "items": {
                    "type": "object",
                    "required": ["profession", "onet", "scores", "source"],
                    "properties": {
                        "profession": _profession_id,
                        "onet": _text,
                        "source": _source,
                        "scores": {
                            "type": "object",
                            "required": list(RIASEC),
                            "additionalProperties": {"type": "number", "minimum": 1, "maximum": 7},
                        },
                    },
                },
            },
        },
    },
    "signals": _listing(
        "signals",
        {
            "type": "object",
            "required": ["id", "kind", "phrases"],
            "properties": {
                "id": _id,
                "kind": {"enum": ["stage", "constraint", "asker"]},
                "phrases": _phrases,
                "points_to": _weights,
                "source": _source,
            },
        },
    ),
    "questions": _listing(
        "questions",
        {
            "type": "object",
            "required": ["id", "text", "options"],
            "properties": {
                "id": _id,
                "text": _text,
                "options": {
                    "type": "array",
                    "minItems": 2,
                    "items": {
                        "type": "object",
                        "required": ["label", "concept"],
                        "properties": {"label": _text, "concept": _id},
                    },
                },
            },
        },
    ),
    "resources": _listing(
        "resources",
        {
            "type": "object",
            "required": ["id", "title", "description", "audiences", "professions", "url", "source"],
            "properties": {
                "id": _id,
                "title": _text,
                "description": _text,
                "source": _source,
                "find": _text,  # who publishes it and how to find it, when there is no url
                # what people ask for when they mean this one ("vr", "a competition")
                "cues": {"type": "array", "items": _text},
                "audiences": {"type": "array", "minItems": 1, "items": _id},
                "professions": {"type": "array", "items": _profession_id},
                "url": {"oneOf": [{"type": "null"}, {"type": "string", "pattern": "^https?://"}]},
            },
        },
    ),
    "return_to_practice": {
        "type": "object",
        "required": ["updating_requirements", "figures", "myths"],
        "properties": {
            "updating_requirements": {
                "type": "array",
                "minItems": 2,
                "items": {
                    "type": "object",
                    "required": ["regulator"],
                    "properties": {
                        "regulator": _id,
                        "text": _text,
                        "source": _source,
                        "notes": {"type": "array", "items": _fact},
                        "rules": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "required": ["min_years_out", "max_years_out", "days", "text", "source"],
                                "properties": {
                                    "min_years_out": {"type": "number"},
                                    "max_years_out": {"type": ["number", "null"]},
                                    "days": {"type": "integer", "minimum": 0},
                                    "text": _text,
                                    "source": _source,
                                },
                            },
                        },
                    },
                },
            },
            "figures": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["id", "text", "source"],
                    "properties": {"id": _id, "text": _text, "source": _source},
                },
            },
            "myths": {
                "type": "array",
                "minItems": 1,
                "items": {
                    "type": "object",
                    "required": ["id", "myth", "fact", "phrases", "source"],
                    "properties": {"id": _id, "myth": _text, "fact": _text, "phrases": _phrases, "source": _source},
                },
            },
        },
    },
    "helplines": _listing(
        "helplines",
        {
            "type": "object",
            "required": ["id", "name", "phone", "use", "url", "kind", "source"],
            "properties": {
                "id": _id,
                "name": _text,
                "use": _text,
                "source": _source,
                "phone": {"type": ["string", "null"], "pattern": "^[0-9 ]+$"},
                "url": {"type": "string", "pattern": "^https://"},
                "kind": {"enum": ["urgent", "careers"]},
            },
        },
    ),
    # a date that is the same every year gives month and day, so the reply names the next one
    "key_dates": _listing(
        "key_dates",
        {
            "type": "object",
            "required": ["id", "name", "when", "text", "source"],
            "properties": {
                "id": _id,
                "name": _text,
                "when": _text,
                "text": _text,
                "source": _source,
                "month": {"type": "integer", "minimum": 1, "maximum": 12},
                "day": {"type": "integer", "minimum": 1, "maximum": 31},
                "professions": {"type": "array", "items": _profession_id},
            },
        },
    ),
    # answers to the questions a careers adviser hears every day; `cues` are the words
    # that point a question to one (matched on lemmas), `about` other roles it compares
    "answers": _listing(
        "answers",
        {
            "type": "object",
            "required": ["id", "topic", "title", "text", "cues", "source"],
            "properties": {
                "id": _id,
                "topic": {"enum": list(ANSWER_TOPICS)},
                "title": _text,
                "text": _text,
                "source": _source,
                "cues": _phrases,
                "professions": {"type": "array", "items": _profession_id},
                "about": _phrases,
                "regulator": _id,
            },
        },
    ),
    "language": {
        "type": "object",
        "required": ["text_speak", "safeguarding", *LANGUAGE_CUES],
        "properties": {
            "text_speak": {"type": "object", "additionalProperties": {"type": "string"}},
            **{cue: _phrases for cue in LANGUAGE_CUES},
            "question_cues": {"type": "object", "additionalProperties": _phrases},
            "safeguarding": {
                "type": "object",
                "required": [
                    "phrases",
                    "topics",
                    "first_person_cues",
                    "third_person_cues",
                    "career_context_cues",
                    "emoji",
                ],
                "properties": {
                    "phrases": {
                        "type": "object",
                        "required": list(RISK_KINDS),
                        "additionalProperties": False,
                        "properties": {k: {"type": "array", "items": _text} for k in RISK_KINDS},
                    },
                    "topics": {
                        "type": "object",
                        "required": list(RISK_KINDS),
                        "additionalProperties": False,
                        "properties": {k: {"type": "array", "items": _text} for k in RISK_KINDS},
                    },
                    "first_person_cues": _phrases,
                    "third_person_cues": _phrases,
                    "career_context_cues": _phrases,
                    "past_cues": _phrases,
                    "recovered_cues": _phrases,
                    "present_cues": _phrases,
                    "emoji": {"type": "object", "additionalProperties": _text},
                },
            },
        },
    },
    "text": {
        "type": "object",
        "required": ["reasons", "route_reasons", "labels", "intent_labels"],
        "properties": {
            "reasons": {"type": "object", "additionalProperties": _text},
            "route_reasons": {"type": "object", "additionalProperties": _text},
            "labels": {"type": "object", "additionalProperties": _text},
            "intent_labels": {"type": "object", "additionalProperties": _text},
        },
    },
}


def _entry_name(path: list) -> str:
    """'professions[3]' style position, with the entry's id when the caller adds it."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def _entry_label(data: Any, path: list) -> str:
    """The id of the list entry an error is in, so the message names the entry."""
    node, label = data, _entry_name(path)
    for i, part in enumerate(path):
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(part, int) and isinstance(node, dict) and "id" in node:
            label = f"entry '{node['id']}' ({_entry_name(path[: i + 1])})"
            if i + 1 < len(path):
                label += f" at {_entry_name(path[i + 1 :])}"
            break  # name the file's own entry (a profession), not an item inside it
    return label


def _walk_sources(node: Any, path: list) -> Iterator[tuple[list, Any]]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "source":
                yield path + [key], value
            else:
                yield from _walk_sources(value, path + [key])
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _walk_sources(value, path + [i])


def check_source(value: str, sections: set[str], domains: list[str]) -> str | None:
    """Why `value` is not an acceptable source, or None when it is."""
    if value.startswith("guide#"):
        slug = value[len("guide#") :]
        return None if slug in sections else f"unknown guide section '{slug}'"
    if not value.startswith("https://"):
        return f"'{value}' is neither guide#<section> nor an https URL"
    host = (urlparse(value).hostname or "").lower()
    if any(host == d or host.endswith("." + d) for d in domains):
        return None
    return f"'{host}' is not an official domain listed in sources.yml"


def validate(data: dict[str, Any]) -> None:
    """Raise KnowledgeError listing every problem in the loaded files."""
    errors: list[str] = []
    for name in KNOWLEDGE_FILES:
        if name not in data:
            errors.append(f"knowledge/{name}.yml: file is missing or empty")
            continue
        for err in sorted(Draft7Validator(SCHEMAS[name]).iter_errors(data[name]), key=str):
            where = _entry_label(data[name], list(err.absolute_path))
            errors.append(f"knowledge/{name}.yml: {where}: {err.message}")
    if errors:
        raise KnowledgeError(errors)

    sections = set(data["sources"]["guide"]["sections"])
    domains = [d.lower() for d in data["sources"]["official_domains"]]
    for name in KNOWLEDGE_FILES:
        for path, value in _walk_sources(data[name], []):
            for one in value if isinstance(value, list) else [value]:
                problem = check_source(one, sections, domains)
                if problem:
                    where = _entry_label(data[name], path)
                    errors.append(f"knowledge/{name}.yml: {where}: bad source: {problem}")
    for name in KNOWLEDGE_FILES:
        for path, fact in _walk_facts(data[name], []):
            problem = _check_date(fact.get("checked"))
            if problem:
                errors.append(f"knowledge/{name}.yml: {_entry_label(data[name], path)}: {problem}")
    errors += _cross_checks(data)
    if errors:
        raise KnowledgeError(errors)


def _walk_facts(node: Any, path: list) -> Iterator[tuple[list, dict]]:
    """Every fact: a mapping with a `source`."""
    if isinstance(node, dict):
        if "source" in node:
            yield path, node
        for key, value in node.items():
            yield from _walk_facts(value, path + [key])
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _walk_facts(value, path + [i])


def _check_date(value: Any) -> str | None:
    """Why `value` is not the date a fact was last checked against its source."""
    if value is None:
        return "a fact needs `checked`: the date it was last checked against its source"
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            return f"checked '{value}' is not a date (YYYY-MM-DD)"
    if not isinstance(value, date):
        return f"checked '{value}' is not a date (YYYY-MM-DD)"
    if value > date.today():
        return f"checked {value} is in the future"
    return None


def _duplicates(name: str, entries: list[dict], key: str = "id") -> list[str]:
    seen, errors = set(), []
    for entry in entries:
        if entry[key] in seen:
            errors.append(f"knowledge/{name}.yml: entry '{entry[key]}': duplicate {key}")
        seen.add(entry[key])
    return errors


def _cross_checks(data: dict[str, Any]) -> list[str]:
    errors: list[str] = []
    professions = data["professions"]["professions"]
    regulators = {r["id"] for r in data["regulators"]["regulators"]}
    audiences = {a["id"] for a in data["audiences"]["audiences"]}
    concepts = data["concepts"]["concepts"]
    concept_ids = {c["id"] for c in concepts}
    signal_ids = {s["id"] for s in data["signals"]["signals"]}

    for name, key in (
        ("professions", "professions"),
        ("regulators", "regulators"),
        ("audiences", "audiences"),
        ("groups", "groups"),
        ("concepts", "concepts"),
        ("signals", "signals"),
        ("questions", "questions"),
        ("resources", "resources"),
        ("key_dates", "key_dates"),
        ("answers", "answers"),
    ):
        errors += _duplicates(name, data[name][key])
    errors += _duplicates("routes", data["routes"]["routes"])
    errors += _duplicates("return_to_practice", data["return_to_practice"]["myths"])

    present = {p["id"] for p in professions}
    for missing in sorted(set(CONTRACT_PROFESSIONS) - present):
        errors.append(f"knowledge/professions.yml: contract profession '{missing}' is missing")
    for missing in sorted(set(CONTRACT_ROUTES) - {r["id"] for r in data["routes"]["routes"]}):
        errors.append(f"knowledge/routes.yml: contract route '{missing}' is missing")

    owner: dict[str, str] = {}
    for p in professions:
        where = f"knowledge/professions.yml: entry '{p['id']}'"
        for alias in p["aliases"]:
            key = alias.strip().lower()
            if key in owner and owner[key] != p["id"]:
                errors.append(f"{where}: alias '{alias}' is also an alias of '{owner[key]}'")
            owner[key] = p["id"]
        reg = p["regulator"]
        if p["kind"] == "registered" and (reg is None or reg["id"] not in regulators):
            errors.append(f"{where}: a registered profession needs a regulator from regulators.yml")
        if p["kind"] == "registered" and "protected_titles" not in p:
            errors.append(f"{where}: a registered profession needs protected_titles")
        route_ids = [r["id"] for r in p["routes"]]
        if len(route_ids) != len(set(route_ids)):
            errors.append(f"{where}: a route is listed twice")

    for g in data["groups"]["groups"]:
        for phrase in g["phrases"]:
            if phrase.strip().lower() in owner:
                errors.append(
                    f"knowledge/groups.yml: entry '{g['id']}': phrase '{phrase}' "
                    f"is an alias of '{owner[phrase.strip().lower()]}'"
                )
        if g.get("usually_means") and g["usually_means"] not in g["professions"]:
            errors.append(
                f"knowledge/groups.yml: entry '{g['id']}': usually_means "
                f"'{g['usually_means']}' is not one of its professions"
            )

    phrase_owner: dict[str, str] = {}
    for c in concepts:
        for phrase in c["phrases"]:
            key = phrase.strip().lower()
            if key in phrase_owner and phrase_owner[key] != c["id"]:
                errors.append(
                    f"knowledge/concepts.yml: entry '{c['id']}': phrase '{phrase}' "
                    f"is also a phrase of '{phrase_owner[key]}'"
                )
            phrase_owner[key] = c["id"]

    for q in data["questions"]["questions"]:
        for option in q["options"]:
            if option["concept"] not in concept_ids:
                errors.append(f"knowledge/questions.yml: entry '{q['id']}': unknown concept '{option['concept']}'")
    for r in data["resources"]["resources"]:
        if r["url"] is None and not r.get("find"):
            errors.append(
                f"knowledge/resources.yml: entry '{r['id']}': without a url it needs "
                "`find`: who publishes it and how to find it"
            )
        for a in r["audiences"]:
            if a not in audiences:
                errors.append(f"knowledge/resources.yml: entry '{r['id']}': unknown audience '{a}'")
    for rule in data["routes"]["fitting_rules"]:
        for s in rule.get("when", []) + rule.get("unless", []) + list(rule.get("plus", {})):
            if s not in signal_ids:
                errors.append(f"knowledge/routes.yml: rule '{rule['id']}': unknown signal '{s}'")
    for s in data["signals"]["signals"]:
        if s.get("points_to") and not s.get("source"):
            errors.append(f"knowledge/signals.yml: entry '{s['id']}': points_to needs a source")
    sections = set(data["sources"]["guide"]["sections"])
    domains = [d.lower() for d in data["sources"]["official_domains"]]
    for h in data["helplines"]["helplines"]:
        problem = check_source(h["url"], sections, domains)
        if problem:
            errors.append(f"knowledge/helplines.yml: entry '{h['id']}': bad url: {problem}")
    for req in data["return_to_practice"]["updating_requirements"]:
        if req["regulator"] not in regulators:
            errors.append(f"knowledge/return_to_practice.yml: unknown regulator '{req['regulator']}'")
    return errors
