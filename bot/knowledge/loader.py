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
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from bot.knowledge import models as m
from bot.knowledge.schema import DETAILS, KNOWLEDGE_FILES, LANGUAGE_CUES, KnowledgeError, validate


def _sources(value: Any) -> list[str]:
    return value if isinstance(value, list) else [value]


def _plain(value: Any) -> Any:
    """JSON-ready: dates as ISO strings, every source as a list."""
    if isinstance(value, dict):
        return {k: (_sources(v) if k == "source" else _plain(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


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
    layout = {t.name: sorted(c.name for c in t.columns) for t in m.Base.metadata.sorted_tables}
    return hashlib.sha256(json.dumps([data, layout], sort_keys=True, default=str).encode()).hexdigest()


def stored_hash(db_path: Path) -> str | None:
    if not Path(db_path).exists():
        return None
    engine = create_engine(f"sqlite:///{db_path}", future=True)
    try:
        with Session(engine) as session:
            row = session.get(m.Meta, "content_hash")
            return row.value if row else None
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
        m.Base.metadata.create_all(engine)
        with Session(engine) as session, session.begin():
            session.add_all(_rows(data))
            session.add(m.Meta(key="content_hash", value=digest))
            session.add(m.Meta(key="route_fallback_order", value=json.dumps(data["routes"]["fallback_order"])))
    finally:
        engine.dispose()
    os.replace(tmp, db_path)
    return True


def _rows(data: dict[str, Any]) -> list[Any]:
    rows: list[Any] = []
    for r in data["regulators"]["regulators"]:
        rows.append(
            m.Regulator(
                id=r["id"],
                name=r["name"],
                url=r["url"],
                summary=r["summary"]["text"],
                summary_source=_sources(r["summary"]["source"]),
            )
        )
    for a in data["audiences"]["audiences"]:
        rows.append(
            m.Audience(
                id=a["id"],
                name=a["name"],
                description=a["description"]["text"],
                source=_sources(a["description"]["source"]),
                phrases=a["phrases"],
            )
        )
    for i, r in enumerate(data["routes"]["routes"]):
        rows.append(
            m.Route(
                id=r["id"],
                position=i,
                name=r["name"],
                summary=r["summary"]["text"],
                summary_source=_sources(r["summary"]["source"]),
                involves=r["involves"]["text"],
                involves_source=_sources(r["involves"]["source"]),
                requires=r.get("requires", []),
                phrases=r["phrases"],
            )
        )
    for i, rule in enumerate(data["routes"]["fitting_rules"]):
        rows.append(
            m.RouteRule(
                id=rule["id"],
                position=i,
                when=rule.get("when", []),
                unless=rule.get("unless", []),
                routes=rule["routes"],
                plus=rule.get("plus", {}),
            )
        )
    for i, p in enumerate(data["professions"]["professions"]):
        flags = p["flags"]
        flag_sources = sorted({s for f in flags.values() for s in _sources(f["source"])})
        profession = m.Profession(
            id=p["id"],
            position=i,
            name=p["name"],
            kind=p["kind"],
            summary=p["summary"]["text"],
            summary_source=_sources(p["summary"]["source"]),
            settings=p["settings"]["text"],
            settings_source=_sources(p["settings"]["source"]),
            regulator_id=p["regulator"]["id"] if p["regulator"] else None,
            regulator_source=_sources(p["regulator"]["source"]) if p["regulator"] else None,
            protected_titles=p.get("protected_titles", {}).get("titles"),
            protected_titles_source=(_sources(p["protected_titles"]["source"]) if "protected_titles" in p else None),
            entry_requirements=p["entry_requirements"]["text"],
            entry_requirements_source=_sources(p["entry_requirements"]["source"]),
            starting_band=p.get("starting_band", {}).get("band"),
            starting_band_source=(_sources(p["starting_band"]["source"]) if "starting_band" in p else None),
            shortage=flags["shortage"]["value"],
            highest_supply_concern=flags["highest_supply_concern"]["value"],
            small_and_vital=flags["small_and_vital"]["value"],
            flags_source=flag_sources,
            details=_plain({k: p[k] for k in DETAILS if k in p}),
        )
        aliases = {a.strip().lower() for a in p["aliases"]} | {p["name"].lower()}
        profession.aliases = [m.ProfessionAlias(alias=a) for a in sorted(aliases)]
        profession.routes = [
            m.ProfessionRoute(
                route_id=r["id"],
                position=j,
                note=r["note"],
                requires=r.get("requires", []),
                source=_sources(r["source"]),
            )
            for j, r in enumerate(p["routes"])
        ]
        profession.links = [
            m.ProfessionLink(title=link["title"], url=link["url"], source=_sources(link["source"]))
            for link in p["links"]
        ]
        rows.append(profession)
    for g in data["groups"]["groups"]:
        rows.append(
            m.ProfessionGroup(
                id=g["id"],
                phrases=[x.lower() for x in g["phrases"]],
                professions=g["professions"],
                source=_sources(g["source"]),
                counts_as_one=g.get("counts_as_one", False),
                usually_means=g.get("usually_means"),
            )
        )
    for c in data["concepts"]["concepts"]:
        concept = m.Concept(id=c["id"], category=c["category"], source=_sources(c["source"]))
        concept.phrases = [m.ConceptPhrase(phrase=x) for x in sorted({x.strip().lower() for x in c["phrases"]})]
        concept.weights = [m.ConceptWeight(profession_id=k, weight=v) for k, v in c["points_to"].items()]
        rows.append(concept)
    for d in data["riasec"]["dimensions"]:
        rows.append(
            m.RiasecDimension(
                id=d["id"],
                name=d["name"],
                reason=d["reason"],
                phrases=[x.lower() for x in d["phrases"]],
                source=_sources(d["source"]),
            )
        )
    for pr in data["riasec"]["profiles"]:
        rows.append(
            m.RiasecProfile(
                profession_id=pr["profession"], onet=pr["onet"], scores=pr["scores"], source=_sources(pr["source"])
            )
        )
    for s in data["signals"]["signals"]:
        rows.append(
            m.Signal(
                id=s["id"],
                kind=s["kind"],
                phrases=[x.lower() for x in s["phrases"]],
                points_to=s.get("points_to", {}),
                source=_sources(s["source"]) if s.get("source") else None,
            )
        )
    for q in data["questions"]["questions"]:
        rows.append(m.Question(id=q["id"], text=q["text"], options=q["options"]))
    for i, r in enumerate(data["resources"]["resources"]):
        resource = m.Resource(
            id=r["id"],
            position=i,
            title=r["title"],
            description=r["description"],
            url=r["url"],
            find=r.get("find"),
            cues=r.get("cues") or [],
            source=_sources(r["source"]),
        )
        resource.audiences = [m.ResourceAudience(audience_id=a) for a in dict.fromkeys(r["audiences"])]
        resource.professions = [m.ResourceProfession(profession_id=p) for p in dict.fromkeys(r["professions"])]
        rows.append(resource)
    rtp = data["return_to_practice"]
    for req in rtp["updating_requirements"]:
        for rule in req.get("rules", []):
            rows.append(
                m.UpdatingRule(
                    regulator_id=req["regulator"],
                    min_years_out=rule["min_years_out"],
                    max_years_out=rule["max_years_out"],
                    days=rule["days"],
                    text=rule["text"],
                    source=_sources(rule["source"]),
                )
            )
        if "text" in req:
            rows.append(
                m.UpdatingRule(
                    regulator_id=req["regulator"], text=req["text"], source=_sources(req["source"]), is_note=True
                )
            )
        for note in req.get("notes", []):
            rows.append(
                m.UpdatingRule(
                    regulator_id=req["regulator"], text=note["text"], source=_sources(note["source"]), is_note=True
                )
            )
    for f in rtp["figures"]:
        rows.append(m.Figure(id=f["id"], text=f["text"], source=_sources(f["source"])))
    for i, myth in enumerate(rtp["myths"]):
        rows.append(
            m.Myth(
                id=myth["id"],
                position=i,
                myth=myth["myth"],
                fact=myth["fact"],
                phrases=myth["phrases"],
                source=_sources(myth["source"]),
            )
        )
    for kind, entries in (("key_date", data["key_dates"]["key_dates"]), ("answer", data["answers"]["answers"])):
        for i, entry in enumerate(entries):
            rows.append(m.Record(kind=kind, id=entry["id"], position=i, data=_plain(entry)))
    rows.append(m.Record(kind="safeguarding", id="lists", position=0, data=data["language"]["safeguarding"]))
    rows.append(
        m.Record(kind="question_cues", id="lists", position=0, data=data["language"].get("question_cues") or {})
    )
    for i, h in enumerate(data["helplines"]["helplines"]):
        rows.append(
            m.Helpline(
                id=h["id"],
                position=i,
                name=h["name"],
                phone=h["phone"],
                use=h["use"],
                url=h["url"],
                kind=h["kind"],
                source=_sources(h["source"]),
            )
        )
    lang = data["language"]
    for key, value in lang["text_speak"].items():
        rows.append(m.LanguageEntry(section="text_speak", key=str(key).lower(), value=value))
    for section in LANGUAGE_CUES:
        for cue in dict.fromkeys(x.lower() for x in lang[section]):
            rows.append(m.LanguageEntry(section=section, key=cue, value=cue))
    for section in ("reasons", "route_reasons", "labels", "intent_labels"):
        for key, value in data["text"][section].items():
            rows.append(m.LanguageEntry(section=section, key=key, value=value))
    return rows


def table_counts(db_path: Path) -> dict[str, int]:
    """Rows per table: what the build step reports, and what the tests compare."""
    engine = create_engine(f"sqlite:///{db_path}", future=True)
    try:
        with Session(engine) as session:
            return {t.name: len(session.execute(select(t)).all()) for t in m.Base.metadata.sorted_tables}
    finally:
        engine.dispose()
