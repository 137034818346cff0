"""The one build step from knowledge/*.yml to the knowledge database.

The database is written to a temporary file and moved into place, so a reader
never sees a half-built database and a failed build leaves the old one intact.
Loading the same files twice gives the same database (and is skipped when the
content hash is unchanged).
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import create_engine, func, insert, select

from bot.knowledge import models as m
from bot.knowledge.records import RECORDS
from bot.knowledge.schema import KNOWLEDGE_FILES, LANGUAGE_CUES, KnowledgeError, validate


def read_knowledge(knowledge_dir: Path) -> dict[str, Any]:
    """Parse every knowledge file; a YAML syntax error names the file."""
    data: dict[str, Any] = {}
    errors = []
    for name in KNOWLEDGE_FILES:
        path = Path(knowledge_dir) / f"{name}.yml"
        if not path.exists():
            continue
        try:
            loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            errors.append(f"knowledge/{name}.yml: not valid YAML: {exc}")
            continue
        if loaded is not None:
            data[name] = loaded
    if errors:
        raise KnowledgeError(errors)
    return data


def content_hash(data: dict[str, Any]) -> str:
    """Of the knowledge and the table layout, so a new column rebuilds the database too."""
    layout = {t.name: sorted(c.name for c in t.columns) for t in m.metadata.sorted_tables}
    return hashlib.sha256(json.dumps([data, layout], sort_keys=True, default=str).encode()).hexdigest()


def stored_hash(db_path: Path) -> str | None:
    if not Path(db_path).exists():
        return None
    engine = create_engine(f"sqlite:///{db_path}", future=True)
    try:
        with engine.connect() as connection:
            return connection.scalar(select(m.meta.c.value).where(m.meta.c.key == "content_hash"))
    except Exception:  # an old or broken file is simply rebuilt
        return None
    finally:
        engine.dispose()


def build_database(knowledge_dir: Path, db_path: Path, force: bool = False) -> bool:
    """Validate the knowledge files and write the database. True if it was (re)written."""
    data = read_knowledge(knowledge_dir)
    validate(data)
    digest = content_hash(data)
    if not force and stored_hash(db_path) == digest:
        return False
    db_path = Path(db_path)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = db_path.with_suffix(".tmp")
    tmp.unlink(missing_ok=True)
    engine = create_engine(f"sqlite:///{tmp}", future=True)
    try:
        m.metadata.create_all(engine)
        with engine.begin() as connection:
            for table, rows in _rows(data).items():
                if rows:
                    connection.execute(insert(table), rows)
            connection.execute(
                insert(m.meta),
                [
                    {"key": "content_hash", "value": digest},
                    {"key": "route_fallback_order", "value": json.dumps(data["routes"]["fallback_order"])},
                ],
            )
    finally:
        engine.dispose()
    os.replace(tmp, db_path)
    return True


def _rows(data: dict[str, Any]) -> dict[Any, list[dict]]:
    """Every row of the database but `meta`, by table."""
    rows: dict[Any, list[dict]] = {table: [] for table in m.metadata.sorted_tables}
    for record in RECORDS:
        file, key = record.listed_in
        for position, entry in enumerate(data[file][key]):
            for table, found in m.STORED[record].rows(entry, position).items():
                rows[table] += found
    lang = data["language"]
    rows[m.word_lists] += [
        {"name": "safeguarding", "data": lang["safeguarding"]},
        {"name": "question_cues", "data": lang.get("question_cues") or {}},
    ]
    for key, value in lang["text_speak"].items():
        rows[m.language].append({"section": "text_speak", "key": str(key).lower(), "value": value})
    for section in LANGUAGE_CUES:
        for cue in dict.fromkeys(x.lower() for x in lang[section]):
            rows[m.language].append({"section": section, "key": cue, "value": cue})
    for section in ("reasons", "route_reasons", "labels", "intent_labels"):
        for key, value in data["text"][section].items():
            rows[m.language].append({"section": section, "key": key, "value": value})
    return rows


def table_counts(db_path: Path) -> dict[str, int]:
    """Rows per table: what the build step reports, and what the tests compare."""
    engine = create_engine(f"sqlite:///{db_path}", future=True)
    try:
        with engine.connect() as connection:
            return {t.name: connection.scalar(select(func.count()).select_from(t)) for t in m.metadata.sorted_tables}
    finally:
        engine.dispose()
