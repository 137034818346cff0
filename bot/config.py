"""Settings, read once from environment variables (documented in README.md)."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Settings:
    knowledge_dir: Path
    var_dir: Path

    @property
    def knowledge_db(self) -> Path:
        return self.var_dir / "knowledge.db"

    @property
    def knowledge_db_url(self) -> str:
        return os.environ.get("AHP_KNOWLEDGE_DB_URL") or f"sqlite:///{self.knowledge_db}"

    @property
    def spacy_model_dir(self) -> Path:
        return self.var_dir / "spacy" / "ahp_en"


def settings() -> Settings:
    return Settings(
        knowledge_dir=Path(os.environ.get("AHP_KNOWLEDGE_DIR", PROJECT_ROOT / "knowledge")),
        var_dir=Path(os.environ.get("AHP_VAR_DIR", PROJECT_ROOT / "var")),
    )
