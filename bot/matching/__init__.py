"""Interests and circumstances to ranked professions and fitting routes."""

from bot.matching.engine import Matcher
from bot.matching.profile import Mention, Profile

__all__ = ["Matcher", "Mention", "Profile"]
