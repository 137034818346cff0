"""The tables of the knowledge database (SQLAlchemy 1.4 Core, 2.0-style API).

A record's tables are generated from its definition (records.py): one table with a
column for each stored field (a fact adds `<field>_source`, a JSON list of its
sources) and `position`, the entry's place in its YAML list; a field kept in a table
of its own (aliases, a profession's routes) gets that table, with the owner's key.
The rest is wording that is not a record: `language` and `word_lists`.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Column, ForeignKey, Integer, MetaData, String, Table, Text, select
from sqlalchemy.engine import Connection

from bot.knowledge.fields import InTable, Record, key_field, kinds, record_from
from bot.knowledge.records import RECORDS

metadata = MetaData()

meta = Table("meta", metadata, Column("key", String, primary_key=True), Column("value", Text, nullable=False))

# wording data that is not a fact: text-speak, cue lists, reply templates
language = Table(
    "language",
    metadata,
    Column("section", String, primary_key=True),
    Column("key", String, primary_key=True),
    Column("value", Text, nullable=False),
)

# nested wording lists stored whole: the safeguarding phrases, the question cues
word_lists = Table(
    "word_lists", metadata, Column("name", String, primary_key=True), Column("data", JSON, nullable=False)
)


class Stored:
    """A record's tables, and the conversions between its YAML entries, its rows and the
    record, all from its definition."""

    def __init__(self, record: type[Record], metadata: MetaData):
        self.record = record
        key_name, key_kind = key_field(record)
        self.key_column = key_kind.column or key_name
        columns: dict[str, Column] = {}
        for name, kind in kinds(record):
            for column in kind.columns(name):
                columns.setdefault(column.name, column)  # values within one mapping share a source column
        self.table = Table(
            record.table,
            metadata,
            columns.pop(self.key_column),
            Column("position", Integer, nullable=False),
            *columns.values(),
        )
        # the fields kept in tables of their own, by field name
        self.apart = {
            name: kind.child_table(
                metadata,
                Column(record.child_key, Text, ForeignKey(f"{record.table}.{self.key_column}"), nullable=False),
            )
            for name, kind in kinds(record)
            if isinstance(kind, InTable)
        }

    def rows(self, entry: dict, position: int) -> dict[Table, list[dict]]:
        """The rows that store one validated YAML entry, by table."""
        row: dict[str, Any] = {"position": position}
        for name, kind in kinds(self.record):
            row.update(kind.to_columns(name, entry))
        found = {self.table: [row]}
        for name, kind in kinds(self.record):
            if isinstance(kind, InTable):
                found[self.apart[name]] = [
                    {self.record.child_key: row[self.key_column], **r} for r in kind.child_rows(name, entry)
                ]
        return found

    def read(self, connection: Connection) -> list[Any]:
        """Every stored entry, in the order of its YAML list."""
        apart: dict[Any, dict[str, list]] = {}  # owner's key -> table -> rows
        for table in self.apart.values():
            for row in connection.execute(select(table)).mappings():
                apart.setdefault(row[self.record.child_key], {}).setdefault(table.name, []).append(row)
        return [
            record_from(self.record, row, apart.get(row[self.key_column], {}))
            for row in connection.execute(select(self.table).order_by(self.table.c.position)).mappings()
        ]


STORED: dict[type[Record], Stored] = {record: Stored(record, metadata) for record in RECORDS}
