"""Facts due for checking: `make check-knowledge` (python -m bot.knowledge.freshness).

Every fact in knowledge/*.yml (a mapping with a `source`) carries the date it
was last `checked` against that source (the build refuses a fact without one).
A fact is due when that date is older than its kind allows: twelve months in
general, sooner for what changes often (`sooner` below: helplines, dates, pay,
funding and fees). Prints the facts that are due, file and entry first, and
exits 1 with --strict when there are any (CI lists them without failing).
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from bot.knowledge.loader import read_knowledge
from bot.knowledge.schema import KNOWLEDGE_FILES, _entry_label, _walk_facts

DEFAULT_MONTHS = 12
# (file, what the fact's path or answer topic contains) -> months before it is due
SOONER = (
    ("helplines", "", 3),  # numbers and services change without notice
    ("key_dates", "", 6),  # UCAS moves its dates each cycle
    ("professions", "starting_band", 6),
    ("professions", "band_note", 6),
    ("answers", "money", 6),  # grants, loans and fees
    ("answers", "returning", 6),  # fees and the HCPC's updating window
    ("answers", "international", 6),  # fees and English language rules
)


@dataclass(frozen=True)
class Due:
    where: str
    checked: date | None
    months: int

    def __str__(self) -> str:
        return f"{self.where}: last checked {self.checked or 'never'}, due every {self.months} months"


def _months(name: str, path: list, fact: dict, data: dict) -> int:
    for file, marker, months in SOONER:
        if file != name:
            continue
        if not marker or marker in [str(p) for p in path]:
            return months
        if name == "answers" and path and isinstance(path[-1], int):
            if data["answers"][path[-1]].get("topic") == marker:
                return months
    return DEFAULT_MONTHS


def _months_between(earlier: date, later: date) -> int:
    return (later.year - earlier.year) * 12 + later.month - earlier.month - (later.day < earlier.day)


def due(knowledge_dir: Path, today: date | None = None) -> list[Due]:
    today = today or date.today()
    data = read_knowledge(knowledge_dir)
    found = []
    for name in KNOWLEDGE_FILES:
        for path, fact in _walk_facts(data.get(name, {}), []):
            checked = fact.get("checked")
            checked = date.fromisoformat(checked) if isinstance(checked, str) else checked
            months = _months(name, path, fact, data.get(name, {}))
            if checked is None or _months_between(checked, today) >= months:
                found.append(Due(f"knowledge/{name}.yml: {_entry_label(data[name], path)}", checked, months))
    return found


def main(argv: list[str] | None = None) -> int:
    from bot.config import settings

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--strict", action="store_true", help="exit 1 when any fact is due")
    parser.add_argument("--on", type=date.fromisoformat, help="as if today were this date")
    args = parser.parse_args(argv)
    found = due(settings().knowledge_dir, args.on)
    for d in found:
        print(d)
    print(f"{len(found)} fact(s) due for checking" if found else "every fact checked recently enough")
    return 1 if found and args.strict else 0


if __name__ == "__main__":
    sys.exit(main())
