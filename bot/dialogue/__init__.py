"""What the assistant says for each request, as plain data.

Each function takes the shared `Services` (knowledge base and matcher) and a
`Turn` (what the person just sent, and what the conversation remembers) and
returns a `Reply`: response names from domain.yml with the values that fill them,
buttons, the contract's custom payloads (docs/contract.md) and the slots
to remember. No Rasa imports: actions/ adapts these to rasa-sdk, and any other
channel can call them directly.
"""

from bot.dialogue.reply import Reply, Turn
from bot.dialogue.services import Services, services

__all__ = ["Reply", "Turn", "Services", "services"]
