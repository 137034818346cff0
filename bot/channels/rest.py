"""The contract's REST webhook (POST /webhooks/rest/webhook), made safe to face
the public: a clear 400 for a malformed request, a friendly reply for an empty
or over-long message, control characters and personal data removed
(bot/privacy.py) before Rasa sees the text, and never an empty answer:
if the bot produced nothing (an action failed, the action server is down) the
person gets an apology instead of silence. Replies it writes itself come from
domain.yml like every other text.
"""

from __future__ import annotations

import re
import unicodedata
from asyncio import CancelledError, Semaphore
from contextlib import AbstractAsyncContextManager, nullcontext
from functools import lru_cache
from typing import Any, Awaitable, Callable

import structlog
import yaml
from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request

from bot.config import PROJECT_ROOT, settings
from bot.privacy import redact
from bot.session import LENGTH, SPLIT_METADATA, TurnCounter

logger = structlog.get_logger()
MAX_MESSAGE_CHARS = 2000  # the widget enforces the same limit
MAX_SENDER_CHARS = 128
SILENT_PAYLOADS = ("/link_clicked",)  # recorded events that need no answer
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@lru_cache(maxsize=None)
def channel_text(response_name: str) -> str:
    """The first text of a response in domain.yml (read once per process)."""
    responses = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text())["responses"]
    if response_name not in responses:
        raise KeyError(f"response {response_name} is not in domain.yml")
    return responses[response_name][0]["text"]


def clean(text: str) -> str:
    """NFC, without control characters (newlines and tabs stay)."""
    return _CONTROL.sub("", unicodedata.normalize("NFC", text)).strip()


class RestChannel(InputChannel):
    @classmethod
    def name(cls) -> str:
        return "rest"

    def __init__(self, session_turns: int | None = None, messages_at_once: int | None = None):
        config = settings()
        self.turns = TurnCounter(config.session_turns if session_turns is None else session_turns)
        limit = config.messages_at_once if messages_at_once is None else messages_at_once
        # Under a burst, messages worked on all at once share the CPU and each takes as long as
        # all of them; a few at a time, in the order they came, keeps every reply's wait short
        # and alike (bench/load_bench.py: README "Speed").
        self.in_turn: AbstractAsyncContextManager = Semaphore(limit) if limit > 0 else nullcontext()

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint("ahp_rest_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(request: Request):
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request):
            try:
                body = request.json
            except Exception:  # sanic raises its own error types for bad JSON or encoding
                body = None
            if not isinstance(body, dict):
                return response.json({"error": "send a JSON object with 'sender' and 'message'"}, status=400)
            sender, text = body.get("sender"), body.get("message")
            if not isinstance(sender, str) or not 0 < len(sender) <= MAX_SENDER_CHARS:
                return response.json(
                    {"error": f"'sender' must be a string of 1 to {MAX_SENDER_CHARS} characters"}, status=400
                )
            if not isinstance(text, str):
                return response.json({"error": "'message' must be a string"}, status=400)

            def reply(name: str):
                return response.json([{"recipient_id": sender, "text": channel_text(name)}])

            if len(text) > MAX_MESSAGE_CHARS:
                return reply("utter_message_too_long")
            # personal data typed by mistake never reaches Rasa, its store or its logs
            text = redact(clean(text)).text
            if not text:
                return reply("utter_empty_message")
            collector = CollectingOutputChannel()
            try:
                async with self.in_turn:
                    if self.turns.due(sender):
                        # a long conversation goes on in a new session that carries what it knows
                        await on_new_message(
                            UserMessage(
                                "/session_start",
                                CollectingOutputChannel(),
                                sender,
                                input_channel=self.name(),
                                metadata={SPLIT_METADATA: LENGTH},
                            )
                        )
                    await on_new_message(UserMessage(text, collector, sender, input_channel=self.name()))
            except CancelledError:
                logger.error("rest.message.timeout", sender=sender)
            except Exception:
                logger.exception("rest.message.failure", sender=sender)
            if not collector.messages and not text.startswith(SILENT_PAYLOADS):
                return reply("utter_technical_problem")
            return response.json(collector.messages)

        return webhook
