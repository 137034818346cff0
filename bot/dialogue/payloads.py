"""The contract's `resources` payload (docs/contract.md), built here for every
reply that shows links, so that it has one shape wherever it comes from."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

LINK_KEYS = ("title", "url", "source")


def link(title: str, url: str, source: Sequence[str] = ()) -> dict[str, str]:
    """One link; its source is the first the knowledge base gives for it, else the address
    itself (a page is its own source)."""
    return {"title": title, "url": url, "source": source[0] if source else url}


def resources(links: Iterable[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    """The payload, from links made by `link` (any other keys they carry are left out)."""
    return {"type": "resources", **extra, "resources": [{key: one[key] for key in LINK_KEYS} for one in links]}
