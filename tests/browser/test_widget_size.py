"""Everything a host page loads for the widget stays small: widget.js and the
widget.css it loads, at most 40 KB gzipped together."""
from __future__ import annotations

import gzip

from bot.config import PROJECT_ROOT

WIDGET = PROJECT_ROOT / "web" / "widget"
LIMIT = 40 * 1024


def gzipped(name: str) -> int:
    return len(gzip.compress((WIDGET / name).read_bytes(), compresslevel=9))


def test_widget_is_at_most_40_kb_gzipped():
    total = gzipped("widget.js") + gzipped("widget.css")
    assert total <= LIMIT, f"the widget is {total} bytes gzipped (limit {LIMIT})"
