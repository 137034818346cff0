"""Settings from environment variables (documented in README.md), read at each
`settings()` call: nothing is cached."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Settings:
    knowledge_dir: Path
    var_dir: Path
    host: str = "localhost"
    rasa_port: int = 5005
    action_port: int = 5055
    web_port: int = 8000
    cors_origins: tuple[str, ...] = ()
    db_url: str = ""  # the conversation store; SQLite under var/ when empty
    redis_url: str = ""  # a Redis lock store, for more than one Rasa server
    retention_days: int = 90
    session_turns: int = 40  # messages before a long conversation goes on in a new session
    cached_conversations: int = 500  # trackers each Rasa server keeps in memory (bot/tracker_store.py)
    messages_at_once: int = 4  # messages each Rasa server works on at a time; the rest wait in turn (0: no limit)
    rate_per_client: float = 2.0  # messages a second one address may send through make run-cluster's nginx

    @property
    def conversations_db_url(self) -> str:
        return self.db_url or f"sqlite:///{self.var_dir / 'conversations.db'}"

    @property
    def webhook_url(self) -> str:
        return f"http://{self.host}:{self.rasa_port}/webhooks/rest/webhook"

    @property
    def action_url(self) -> str:
        return f"http://{self.host}:{self.action_port}/webhook"

    @property
    def knowledge_db(self) -> Path:
        return self.var_dir / "knowledge.db"

    @property
    def spacy_model_dir(self) -> Path:
        return self.var_dir / "spacy" / "ahp_en"

    @property
    def safety_model(self) -> Path:
        """The safeguarding classifier the build step trains (bot/safety_model.py)."""
        return self.var_dir / "safety" / "model.pkl"


def settings() -> Settings:
    env = os.environ
    web_port = int(env.get("AHP_WEB_PORT", 8000))
    # the website demo's own origin may always call the bot; others only when listed
    origins = env.get("AHP_CORS_ORIGINS", f"http://localhost:{web_port},http://127.0.0.1:{web_port}")
    return Settings(
        knowledge_dir=Path(env.get("AHP_KNOWLEDGE_DIR", PROJECT_ROOT / "knowledge")),
        var_dir=Path(env.get("AHP_VAR_DIR", PROJECT_ROOT / "var")),
        host=env.get("AHP_HOST", "localhost"),
        rasa_port=int(env.get("AHP_RASA_PORT", 5005)),
        action_port=int(env.get("AHP_ACTION_PORT", 5055)),
        web_port=web_port,
        cors_origins=tuple(o.strip() for o in origins.split(",") if o.strip()),
        db_url=env.get("AHP_DB_URL", ""),
        redis_url=env.get("AHP_REDIS_URL", ""),
        retention_days=int(env.get("AHP_RETENTION_DAYS", 90)),
        session_turns=int(env.get("AHP_SESSION_TURNS", 40)),
        cached_conversations=int(env.get("AHP_CACHED_CONVERSATIONS", 500)),
        messages_at_once=int(env.get("AHP_MESSAGES_AT_ONCE", 4)),
        rate_per_client=float(env.get("AHP_RATE_PER_CLIENT", 2)),
    )


def without_tensorflow() -> None:
    """Mark TensorFlow missing in this process, for programs that never use it (the action
    server, the build step; the Rasa server alone runs DIET). spaCy's array library, thinc,
    imports TensorFlow whenever it is installed, to offer TensorFlow layers: three seconds of
    every start and a few hundred megabytes of memory. Call it first thing in a program's
    main: a later `import tensorflow` (Rasa itself) then fails at once, not quietly."""
    if "tensorflow" not in sys.modules:
        sys.modules["tensorflow"] = None  # type: ignore[assignment]
