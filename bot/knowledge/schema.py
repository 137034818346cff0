"""Validation of knowledge/*.yml before anything is loaded.

Structure is checked with JSON Schema: for the files that list records, the schema
of each entry comes from the record's definition (records.py); language.yml,
text.yml and sources.yml, wording rather than records, are described here. Then
what JSON Schema cannot express: every `source` well formed, every fact dated with
when it was `checked`, what the definitions say beyond types (keys unique, an alias
owned by one profession, references to entries that exist), facts that tie entries
together, and the route rules' invariants that Matcher.fit_routes relies on.
Every error names the file and the entry.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Iterator
from urllib.parse import urlparse

from jsonschema import Draft7Validator

from bot.knowledge.fields import (
    PHRASES,
    TEXT,
    Children,
    Members,
    Record,
    Sourced,
    entry_schema,
    key_field,
    key_of,
    kinds,
)
from bot.knowledge.records import (
    CONTRACT_PROFESSIONS,
    CONTRACT_ROUTES,
    RECORDS,
    ROUTE_IDS,
    phrase_key,
    profession_aliases,
)

LANGUAGE_CUES = (
    "negation_cues",
    "positive_cues",
    "clause_breaks",
    "negation_after_cues",
    "self_current_cues",
    "self_past_cues",
    "support_role_words",
    "target_cues",
    "start_as_cues",
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
# route reasons (text.yml) that Matcher.fit_routes uses besides one per fitting rule
ROUTE_REASONS = ("fallback", "fallback_needs_degree", "asked")


class KnowledgeError(ValueError):
    """The knowledge files are invalid; the message lists every problem."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("invalid knowledge base:\n  " + "\n  ".join(errors))


def _record_files() -> dict[str, dict]:
    """The schema of every file that lists records: one array per record kind."""
    files: dict[str, dict] = {}
    for record in RECORDS:
        file, key = record.listed_in
        schema = files.setdefault(file, {"type": "object", "required": [], "properties": {}})
        schema["required"].append(key)
        schema["properties"][key] = {"type": "array", "minItems": record.min_items, "items": entry_schema(record)}
    return files


SCHEMAS: dict[str, dict] = _record_files()
# what comes when no fitting rule leaves a route (routes.yml)
SCHEMAS["routes"]["required"].append("fallback_order")
SCHEMAS["routes"]["properties"]["fallback_order"] = {**ROUTE_IDS, "minItems": 1}
SCHEMAS |= {
    "sources": {
        "type": "object",
        "required": ["guide", "official_domains"],
        "properties": {
            "guide": {
                "type": "object",
                "required": ["title", "sections"],
                "properties": {"sections": {"type": "object", "minProperties": 1, "additionalProperties": TEXT}},
            },
            "official_domains": {"type": "array", "items": TEXT},
        },
    },
    "language": {
        "type": "object",
        "required": ["text_speak", "safeguarding", *LANGUAGE_CUES],
        "properties": {
            "text_speak": {"type": "object", "additionalProperties": {"type": "string"}},
            **{cue: PHRASES for cue in LANGUAGE_CUES},
            "question_cues": {"type": "object", "additionalProperties": PHRASES},
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
                        "properties": {k: {"type": "array", "items": TEXT} for k in RISK_KINDS},
                    },
                    "topics": {
                        "type": "object",
                        "required": list(RISK_KINDS),
                        "additionalProperties": False,
                        "properties": {k: {"type": "array", "items": TEXT} for k in RISK_KINDS},
                    },
                    "first_person_cues": PHRASES,
                    "third_person_cues": PHRASES,
                    "career_context_cues": PHRASES,
                    "past_cues": PHRASES,
                    "recovered_cues": PHRASES,
                    "present_cues": PHRASES,
                    "jest_cues": PHRASES,
                    "earnest_cues": PHRASES,
                    "figures_of_speech": PHRASES,
                    "emoji": {"type": "object", "additionalProperties": TEXT},
                },
            },
        },
    },
    "text": {
        "type": "object",
        "required": ["reasons", "route_reasons", "labels", "intent_labels"],
        "properties": {
            "reasons": {"type": "object", "additionalProperties": TEXT},
            "route_reasons": {"type": "object", "required": list(ROUTE_REASONS), "additionalProperties": TEXT},
            "labels": {"type": "object", "additionalProperties": TEXT},
            "intent_labels": {"type": "object", "additionalProperties": TEXT},
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
    errors += _definition_checks(data) + _cross_checks(data, sections, domains) + _route_rule_checks(data)
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


def _entries(data: dict[str, Any], record: type[Record]) -> list[dict]:
    file, key = record.listed_in
    return data[file][key]


def _a(noun: str) -> str:
    return f"an {noun}" if noun[0] in "aeiou" else f"a {noun}"


def _definition_checks(data: dict[str, Any]) -> list[str]:
    """What the record definitions (records.py) say beyond JSON Schema: keys are unique,
    a unique member (an alias) belongs to one entry, a reference names an entry that exists."""
    errors: list[str] = []
    keys = {record.table: [entry[key_field(record)[0]] for entry in _entries(data, record)] for record in RECORDS}
    for record in RECORDS:
        file = f"knowledge/{record.listed_in[0]}.yml"
        key_name = key_field(record)[0]
        for ident in _twice(keys[record.table]):
            errors.append(f"{file}: entry '{ident}': duplicate {key_name}")
        owners: dict[str, dict[str, Any]] = {}  # field -> unique member -> the entry that has it
        for entry in _entries(data, record):
            for name, kind in kinds(record):
                problems = _field_problems(name, kind, entry, keys, owners.setdefault(name, {}), entry[key_name])
                errors += [f"{file}: entry '{entry[key_name]}': {problem}" for problem in problems]
    return errors


def _twice(values: list) -> list:
    return [v for v in dict.fromkeys(values) if values.count(v) > 1]


def _field_problems(name: str, kind: Any, entry: dict, keys: dict[str, list], owners: dict, owner: Any) -> list[str]:
    """What is wrong with one field of an entry (or of a sub-record of it), `owner` its key."""
    problems: list[str] = []
    named = _reference(name, kind, entry)
    if named is not None and named not in keys[kind.references]:
        problems.append(f"unknown {kind.references.removesuffix('s')} '{named}'")
    if isinstance(kind, Members):
        written = entry.get(name, [])
        members = list(dict.fromkeys(kind.clean(written, entry) if kind.clean else written))
        if kind.references:
            problems += [
                f"unknown {kind.references.removesuffix('s')} '{m}'" for m in members if m not in keys[kind.references]
            ]
        if kind.unique:
            for m in members:
                if owners.setdefault(m, owner) != owner:
                    problems.append(f"{kind.column} '{m}' is also {_a(kind.column)} of '{owners[m]}'")
    if isinstance(kind, Children):
        items = entry.get(name, [])
        sub_key = key_of(kind.record)
        if sub_key:
            problems += [f"{name}: '{k}' is listed twice" for k in _twice([item[sub_key[0]] for item in items])]
        for item in items:
            for sub_name, sub_kind in kinds(kind.record):
                problems += [
                    f"{name}: {problem}" for problem in _field_problems(sub_name, sub_kind, item, keys, {}, owner)
                ]
    return problems


def _reference(name: str, kind: Any, entry: dict) -> Any:
    """The id a field names another entry by, when it does and is written."""
    if not getattr(kind, "references", None) or isinstance(kind, Members):
        return None
    written = entry.get(kind.yaml or name)
    if isinstance(kind, Sourced) and written is not None:
        return written[kind.value_key]
    return written


def _cross_checks(data: dict[str, Any], sections: set[str], domains: list[str]) -> list[str]:
    """What ties one entry to others in ways the definitions cannot say."""
    errors: list[str] = []
    professions = data["professions"]["professions"]
    concept_ids = {c["id"] for c in data["concepts"]["concepts"]}

    present = {p["id"] for p in professions}
    for missing in sorted(set(CONTRACT_PROFESSIONS) - present):
        errors.append(f"knowledge/professions.yml: contract profession '{missing}' is missing")
    for missing in sorted(set(CONTRACT_ROUTES) - {r["id"] for r in data["routes"]["routes"]}):
        errors.append(f"knowledge/routes.yml: contract route '{missing}' is missing")

    for p in professions:
        where = f"knowledge/professions.yml: entry '{p['id']}'"
        if p["kind"] == "registered" and p["regulator"] is None:
            errors.append(f"{where}: a registered profession needs a regulator from regulators.yml")
        if p["kind"] == "registered" and "protected_titles" not in p:
            errors.append(f"{where}: a registered profession needs protected_titles")

    # a group's phrase names the group, never one profession: the same phrase as a name or
    # an alias would be found as both
    alias_owner = {alias: p["id"] for p in professions for alias in profession_aliases(p["aliases"], p)}
    for g in data["groups"]["groups"]:
        for phrase in g["phrases"]:
            if phrase_key(phrase) in alias_owner:
                errors.append(
                    f"knowledge/groups.yml: entry '{g['id']}': phrase '{phrase}' "
                    f"is an alias of '{alias_owner[phrase_key(phrase)]}'"
                )
        if g.get("usually_means") and g["usually_means"] not in g["professions"]:
            errors.append(
                f"knowledge/groups.yml: entry '{g['id']}': usually_means "
                f"'{g['usually_means']}' is not one of its professions"
            )

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
    for s in data["signals"]["signals"]:
        if s.get("points_to") and not s.get("source"):
            errors.append(f"knowledge/signals.yml: entry '{s['id']}': points_to needs a source")
    for h in data["helplines"]["helplines"]:
        problem = check_source(h["url"], sections, domains)
        if problem:
            errors.append(f"knowledge/helplines.yml: entry '{h['id']}': bad url: {problem}")
    return errors


def _route_rule_checks(data: dict[str, Any]) -> list[str]:
    """What Matcher.fit_routes relies on: it applies the first fitting rule whose `when` the
    person has all of and `unless` none of, so the last must fit everyone and none before it
    may; every rule's reason is in text.yml; every signal a rule or route names exists; and
    when no rule leaves a route, fallback_order has one for every profession."""
    errors: list[str] = []
    rules = data["routes"]["fitting_rules"]
    signal_ids = {s["id"] for s in data["signals"]["signals"]}
    reasons = data["text"]["route_reasons"]

    def where(i: int) -> str:
        return f"knowledge/routes.yml: rule '{rules[i]['id']}' (fitting_rules[{i}])"

    fits_everyone = [i for i, rule in enumerate(rules) if not rule.get("when") and not rule.get("unless")]
    last = len(rules) - 1
    if last not in fits_everyone:
        errors.append(
            f"{where(last)}: the last fitting rule must fit everyone (no `when` or `unless`): "
            "the rules are tried in order, and the last is applied when no other fits"
        )
    for i in fits_everyone:
        if i != last:
            later = ", ".join(f"'{r['id']}'" for r in rules[i + 1 :])
            errors.append(
                f"{where(i)}: fits everyone, so the rules after it ({later}) never apply; "
                "only the last rule may have no `when` or `unless`"
            )
    for i, rule in enumerate(rules):
        for signal in [*rule.get("when", []), *rule.get("unless", []), *rule.get("plus", {})]:
            if signal not in signal_ids:
                errors.append(f"{where(i)}: unknown signal '{signal}'")
        if rule["id"] not in reasons:
            errors.append(
                f"{where(i)}: no reason for it in text.yml route_reasons ('{rule['id']}': why these routes fit)"
            )
    for route in data["routes"]["routes"]:
        for signal in route.get("requires", []):
            if signal not in signal_ids:
                errors.append(f"knowledge/routes.yml: entry '{route['id']}': requires unknown signal '{signal}'")
    fallback = data["routes"]["fallback_order"]
    for p in data["professions"]["professions"]:
        for option in p["routes"]:
            for signal in option.get("requires", []):
                if signal not in signal_ids:
                    errors.append(
                        f"knowledge/professions.yml: entry '{p['id']}': route '{option['id']}' "
                        f"requires unknown signal '{signal}'"
                    )
        if not {option["id"] for option in p["routes"]} & set(fallback):
            errors.append(
                f"knowledge/routes.yml: fallback_order: none of its routes is a route of "
                f"'{p['id']}', which would then be offered no route at all"
            )
    return errors
