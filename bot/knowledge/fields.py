"""How a field of a knowledge record is written, stored and read back.

Each field of a record (records.py) is declared once, with one of the kinds below.
A kind says what the field looks like in knowledge/*.yml (a JSON Schema fragment),
which columns of the knowledge database hold it, and how a validated YAML entry
becomes those columns and the columns become the record's value. schema.py,
models.py, loader.py and repository.py use nothing else, so a new field is one line
in records.py.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, Callable, ClassVar

from sqlalchemy import JSON, Boolean, Column, Float, ForeignKey, Integer, MetaData, Table, Text

# --- JSON Schema building blocks ---------------------------------------------------------
TEXT = {"type": "string", "minLength": 1}
ID = {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]*$"}
IDS = {"type": "array", "items": ID}
PHRASES = {"type": "array", "minItems": 1, "items": TEXT}
TEXTS = {"type": "array", "items": TEXT}
SOURCE = {"oneOf": [{"type": "string"}, {"type": "array", "minItems": 1, "items": {"type": "string"}}]}
FACT = {"type": "object", "required": ["text", "source"], "properties": {"text": TEXT, "source": SOURCE}}
FACTS = {"type": "array", "minItems": 1, "items": FACT}
BOOLEAN = {"type": "boolean"}
NUMBER = {"type": "number"}

KIND = "knowledge"  # the key of a field's kind in its dataclass metadata


class _Required:
    def __repr__(self) -> str:
        return "REQUIRED"


REQUIRED: Any = _Required()  # a kind's default when the entry must write the field


class Record:
    """Base of every knowledge record. A record listed in a YAML file names its table and
    where its entries are (`listed_in`: "<file>.<key>", by default the table's name twice);
    a record with fields in tables of their own names the column that points back to it
    (`child_key`). A sub-record (a profession's route, a link) names neither."""

    table: ClassVar[str] = ""
    listed_in: ClassVar[tuple[str, str]]
    min_items: ClassVar[int]
    child_key: ClassVar[str] = ""

    def __init_subclass__(
        cls, table: str = "", listed_in: str | None = None, min_items: int = 1, child_key: str = "", **kwargs
    ):
        super().__init_subclass__(**kwargs)
        cls.table = table
        if table:
            file, _, key = (listed_in or f"{table}.{table}").partition(".")
            cls.listed_in = (file, key)
        cls.min_items = min_items
        cls.child_key = child_key


_KINDS: dict[type, list[tuple[str, Kind]]] = {}


def kinds(record: type) -> list[tuple[str, Kind]]:
    """(name, kind) of each field of a record class, in order."""
    if record in _KINDS:
        return _KINDS[record]
    found = []
    for f in dataclasses.fields(record):
        if KIND not in f.metadata:
            raise TypeError(f"{record.__name__}.{f.name} is declared without a kind (fields.py)")
        found.append((f.name, f.metadata[KIND]))
    if any(isinstance(k, Sourced) for _, k in found) and not any(isinstance(k, Sources) for _, k in found):
        raise TypeError(f"{record.__name__} has facts with sources but no `sources` field")
    _KINDS[record] = found
    return found


def key_of(record: type) -> tuple[str, Value] | None:
    """The field that identifies an entry of this record, if any (a link has none)."""
    return next(((n, k) for n, k in kinds(record) if isinstance(k, Value) and k.primary), None)


def key_field(record: type[Record]) -> tuple[str, Value]:
    """The field that identifies an entry of a record listed in a YAML file."""
    found = key_of(record)
    if found is None:
        raise TypeError(f"{record.__name__} is listed in knowledge/ but has no key field")
    return found


def plain(value: Any) -> Any:
    """JSON-ready: dates as ISO strings, every source as a list."""
    if isinstance(value, dict):
        return {k: (as_list(v) if k == "source" else plain(v)) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def as_list(value: Any) -> list:
    """A source (or anything) written as one string or a list, as a list."""
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _types(json: dict) -> set[str]:
    """The JSON types a schema allows, besides null."""
    if "type" in json:
        return set([json["type"]] if isinstance(json["type"], str) else json["type"]) - {"null"}
    if "oneOf" in json:
        return set().union(*(_types(s) for s in json["oneOf"]))
    return {"string"} if "enum" in json or "pattern" in json else set()


def _allows_null(json: dict) -> bool:
    if "type" in json:
        return "null" in ([json["type"]] if isinstance(json["type"], str) else json["type"])
    return any(_allows_null(s) for s in json.get("oneOf", ()))


def column_type(json: dict):
    """The SQL type of a value with this schema: lists and mappings as JSON."""
    types = _types(json)
    if types & {"array", "object"}:
        return JSON
    if types == {"boolean"}:
        return Boolean
    if types == {"integer"}:
        return Integer
    if types == {"number"}:
        return Float
    return Text


def _frozen(value: Any) -> Any:
    """A record's value: lists as tuples."""
    return tuple(value) if isinstance(value, list) else value


class Kind:
    """What every kind answers; a kind that keeps its field in its own table is an InTable."""

    default: Any = REQUIRED  # the value when the YAML entry leaves the field out
    yaml: str | None = None  # the YAML key, when it is not the field's name

    @property
    def required(self) -> bool:
        return self.default is REQUIRED

    def properties(self, name: str) -> dict[tuple[str, ...], tuple[dict, bool]]:
        """The field's place in the YAML entry: {path: (schema, required)}."""
        return {}

    def columns(self, name: str) -> list[Column]:
        return []

    def to_columns(self, name: str, entry: dict) -> dict[str, Any]:
        return {}

    def read(self, name: str, row: Any, own_rows: list) -> Any:
        """The record's value from its row (and, for an InTable, the rows of its own table)."""
        raise NotImplementedError

    def sources(self, name: str, row: Any) -> dict[str, tuple[str, ...]]:
        return {}

    def declare(self) -> Any:
        """The dataclass field this kind declares (`dataclasses.field` with its default)."""
        if self.default is REQUIRED:
            return dataclasses.field(metadata={KIND: self})
        if isinstance(self.default, dict):
            return dataclasses.field(default_factory=dict, metadata={KIND: self})
        return dataclasses.field(default=self.default, metadata={KIND: self})


@dataclass(frozen=True)
class Value(Kind):
    """A value stored in one column as written (lists and mappings as JSON)."""

    json: dict
    default: Any = REQUIRED
    yaml: str | None = None
    column: str | None = None  # the column's name, when it is not the field's
    primary: bool = False  # identifies the entry
    references: str | None = None  # the table whose `id` it names
    clean: Callable[[Any, dict], Any] | None = None  # (value, entry) -> what is stored
    convert: Callable[[Any], Any] | None = None  # stored -> the record's value

    def properties(self, name):
        return {(self.yaml or name,): (self.json, self.required)}

    def columns(self, name):
        nullable = self.default is None or _allows_null(self.json)
        foreign = [ForeignKey(f"{self.references}.id")] if self.references else []
        return [
            Column(self.column or name, column_type(self.json), *foreign, primary_key=self.primary, nullable=nullable)
        ]

    def to_columns(self, name, entry):
        key = self.yaml or name
        if key not in entry:
            stored = None if self.default is None else plain(self.default)
        else:
            stored = plain(self.clean(entry[key], entry) if self.clean else entry[key])
        return {self.column or name: stored}

    def read(self, name, row, own_rows):
        stored = row[self.column or name]
        if stored is None:
            return None if self.default is REQUIRED else self.default
        return self.convert(stored) if self.convert else _frozen(stored)


@dataclass(frozen=True)
class Sourced(Kind):
    """A value written with its own source, `{<value_key>: ..., source: ..., checked: ...}`
    (a fact is `{text: ...}`), stored as the value's column and `<field>_source`. Values
    written inside one mapping (`within`: a profession's flags) share one source entry."""

    value_key: str
    json: dict
    default: Any = REQUIRED
    nullable: bool = False  # written, but may be null (a support role's regulator)
    column: str | None = None
    references: str | None = None
    within: str | None = None

    def _source_column(self, name: str) -> str:
        return f"{self.within or name}_source"

    def properties(self, name):
        mapping: dict[str, Any] = {
            "type": "object",
            "required": [self.value_key, "source"],
            "properties": {self.value_key: self.json, "source": SOURCE},
        }
        if self.nullable:
            mapping = {"oneOf": [{"type": "null"}, mapping]}
        path = (self.within, name) if self.within else (name,)
        return {path: (mapping, self.required)}

    def columns(self, name):
        nullable = self.nullable or not self.required
        foreign = [ForeignKey(f"{self.references}.id")] if self.references else []
        return [
            Column(self.column or name, column_type(self.json), *foreign, nullable=nullable),
            Column(self._source_column(name), JSON, nullable=nullable),
        ]

    def to_columns(self, name, entry):
        if self.within:
            group = entry[self.within]
            # the sources of every value in the group, once each
            pooled = sorted({s for written in group.values() for s in as_list(written["source"])})
            return {self.column or name: group[name][self.value_key], self._source_column(name): pooled}
        written = entry.get(name)
        if written is None:
            return {self.column or name: None, self._source_column(name): None}
        return {
            self.column or name: plain(written[self.value_key]),
            self._source_column(name): as_list(written["source"]),
        }

    def read(self, name, row, own_rows):
        stored = row[self.column or name]
        if stored is None:
            return None if self.default is REQUIRED else self.default
        return _frozen(stored)

    def sources(self, name, row):
        return {self.within or name: tuple(row[self._source_column(name)] or ())}


@dataclass(frozen=True)
class Together(Kind):
    """Several optional YAML keys stored together, as written, in one JSON column: facts
    the product reads by name (`Profession.detail("course")`)."""

    parts: tuple[tuple[str, dict], ...]

    @property
    def required(self) -> bool:
        return False

    def declare(self) -> Any:
        return dataclasses.field(default_factory=dict, metadata={KIND: self})

    def properties(self, name):
        return {(part,): (json, False) for part, json in self.parts}

    def columns(self, name):
        return [Column(name, JSON, nullable=False)]

    def to_columns(self, name, entry):
        return {name: plain({part: entry[part] for part, _ in self.parts if part in entry})}

    def read(self, name, row, own_rows):
        return dict(row[name] or {})


@dataclass(frozen=True)
class Derived(Kind):
    """Not written in the entry nor stored with it: the repository fills it in."""

    default: Any = None

    def read(self, name, row, own_rows):
        return self.default


@dataclass(frozen=True)
class Sources(Kind):
    """The source of each fact of the record, by field name (a record's `sources`)."""

    @property
    def required(self) -> bool:
        return False

    def declare(self) -> Any:
        return dataclasses.field(default_factory=dict, compare=False, metadata={KIND: self})


class InTable(Kind):
    """A field kept in a table of its own, one row per item, each with its owner's key."""

    table: str

    def child_table(self, metadata: MetaData, owner: Column) -> Table:
        """The table; `owner` is the column that holds the owning entry's key."""
        raise NotImplementedError

    def child_rows(self, name: str, entry: dict) -> list[dict]:
        """The rows of one entry's field, without the owner's key."""
        raise NotImplementedError


@dataclass(frozen=True)
class Members(InTable):
    """A set of strings (aliases, an audience's ids), one row each, read back sorted."""

    table: str
    column: str
    json: dict = dataclasses.field(default_factory=lambda: PHRASES)
    unique: bool = False  # no two entries share one (an alias names one profession)
    references: str | None = None
    clean: Callable[[Any, dict], Any] | None = None
    default: Any = REQUIRED

    def properties(self, name):
        return {(name,): (self.json, self.required)}

    def child_table(self, metadata, owner):
        foreign = [ForeignKey(f"{self.references}.id")] if self.references else []
        owner.primary_key = not self.unique
        return Table(self.table, metadata, owner, Column(self.column, Text, *foreign, primary_key=True))

    def child_rows(self, name, entry):
        written = entry.get(name, [])
        members = self.clean(written, entry) if self.clean else written
        return [{self.column: m} for m in sorted(set(members))]

    def read(self, name, row, own_rows):
        return tuple(sorted(child[self.column] for child in own_rows))


@dataclass(frozen=True)
class Weights(InTable):
    """Weights by profession (`{physiotherapist: 1.0}`), one row each, read back in id order."""

    table: str
    json: dict
    yaml: str | None = None
    default: Any = REQUIRED

    def properties(self, name):
        return {(self.yaml or name,): (self.json, self.required)}

    def child_table(self, metadata, owner):
        owner.primary_key = True
        return Table(
            self.table,
            metadata,
            owner,
            Column("profession_id", Text, ForeignKey("professions.id"), primary_key=True),
            Column("weight", Float, nullable=False),
        )

    def child_rows(self, name, entry):
        return [{"profession_id": p, "weight": w} for p, w in entry[self.yaml or name].items()]

    def read(self, name, row, own_rows):
        return {c["profession_id"]: c["weight"] for c in sorted(own_rows, key=lambda c: c["profession_id"])}


@dataclass(frozen=True)
class Children(InTable):
    """A list of sub-records (a profession's routes and links), one row each with its
    position, read back in order."""

    record: type
    table: str
    min_items: int = 1
    default: Any = REQUIRED

    def properties(self, name):
        return {
            (name,): ({"type": "array", "minItems": self.min_items, "items": entry_schema(self.record)}, self.required)
        }

    def child_table(self, metadata, owner):
        # (owner, key) identifies a row when the sub-record has a key (a route's id), else
        # (owner, position); the key's own column comes from the sub-record's definition
        owner.primary_key = True
        keyed = key_of(self.record) is not None
        columns = [c for field_name, kind in kinds(self.record) for c in kind.columns(field_name)]
        return Table(
            self.table, metadata, owner, Column("position", Integer, primary_key=not keyed, nullable=False), *columns
        )

    def child_rows(self, name, entry):
        rows = []
        for position, item in enumerate(entry.get(name, [])):
            row = {"position": position}
            for field_name, kind in kinds(self.record):
                row.update(kind.to_columns(field_name, item))
            rows.append(row)
        return rows

    def read(self, name, row, own_rows):
        return tuple(record_from(self.record, child, {}) for child in sorted(own_rows, key=lambda c: c["position"]))


def entry_schema(record: type) -> dict:
    """The JSON Schema of one YAML entry of a record, from its fields."""
    schema: dict = {"type": "object", "required": [], "properties": {}}
    for name, kind in kinds(record):
        for path, (json, required) in kind.properties(name).items():
            node = schema
            for part in path[:-1]:  # a value written inside a mapping (flags: shortage:), which
                # holds declared values only: one no field declares would never be loaded
                if part not in node["properties"]:
                    node["required"].append(part)
                    node["properties"][part] = {
                        "type": "object",
                        "required": [],
                        "properties": {},
                        "additionalProperties": False,
                    }
                node = node["properties"][part]
            node["properties"][path[-1]] = json
            if required:
                node["required"].append(path[-1])
    return schema


def record_from(record: type, row: Any, children: dict[str, list]) -> Any:
    """A record from its row, and the rows of its fields kept in tables of their own
    (by table name)."""
    values: dict[str, Any] = {}
    sources: dict[str, tuple[str, ...]] = {}
    for name, kind in kinds(record):
        if not isinstance(kind, Sources):
            values[name] = kind.read(name, row, children.get(kind.table, []) if isinstance(kind, InTable) else [])
            sources.update(kind.sources(name, row))
    values |= {name: sources for name, kind in kinds(record) if isinstance(kind, Sources)}
    return record(**values)


# --- the declarations records.py uses: each returns the dataclass field ----------------------
def key(json: dict = ID, **options) -> Any:
    """The value that identifies an entry (`id`, or a regulator's or profession's id)."""
    return Value(json, primary=True, **options).declare()


def value(json: dict, default: Any = REQUIRED, **options) -> Any:
    """A value stored as written: text, a number, a flag, a list or a mapping."""
    return Value(json, default, **options).declare()


def text(default: Any = REQUIRED) -> Any:
    return Value(TEXT, default).declare()


def choice(*allowed: str) -> Any:
    return Value({"enum": list(allowed)}).declare()


def phrases(default: Any = REQUIRED, lower: bool = False) -> Any:
    """Words people use; `lower`: stored in lower case."""
    clean = (lambda written, entry: [p.lower() for p in written]) if lower else None
    return Value(PHRASES, default, clean=clean).declare()


def source(default: Any = REQUIRED) -> Any:
    """The entry's own source: `guide#<section>` or official https URLs, one or a list."""
    return Value(SOURCE, default, clean=lambda written, entry: as_list(written), convert=tuple).declare()


def checked() -> Any:
    """The date the entry was last checked against its source, as YYYY-MM-DD (the date
    itself is checked with every fact's, in schema.py)."""
    return Value({}).declare()


def fact(default: Any = REQUIRED) -> Any:
    """`{text: ..., source: ..., checked: ...}`: the record gets the text, its `sources`
    the source."""
    return Sourced("text", TEXT, default).declare()


def sourced(value_key: str, json: dict, default: Any = REQUIRED, **options) -> Any:
    """`{<value_key>: ..., source: ..., checked: ...}`: the record gets the value."""
    return Sourced(value_key, json, default, **options).declare()


def flag(within: str) -> Any:
    """`{value: true|false, source: ...}` written inside the mapping `within`."""
    return Sourced("value", BOOLEAN, within=within).declare()


def together(**parts: dict) -> Any:
    return Together(tuple(parts.items())).declare()


def members(table: str, column: str, json: dict = PHRASES, **options) -> Any:
    return Members(table, column, json, **options).declare()


def weights(table: str, json: dict, yaml: str | None = None) -> Any:
    return Weights(table, json, yaml).declare()


def children(record: type, table: str, min_items: int = 1, default: Any = REQUIRED) -> Any:
    return Children(record, table, min_items, default).declare()


def derived(default: Any = None) -> Any:
    return Derived(default).declare()


def sources() -> Any:
    return Sources().declare()
