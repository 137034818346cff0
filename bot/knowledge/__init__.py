"""The curated knowledge base: YAML in knowledge/, validated, loaded into SQL."""

from bot.knowledge.repository import KnowledgeBase

__all__ = ["KnowledgeBase"]
