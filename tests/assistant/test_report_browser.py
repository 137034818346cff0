"""The impact report for a generated set of 1,200 conversations, opened in
Debian's Chromium: it renders, its charts load, and a screenshot is kept
under var/screenshots/ for people to look at."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from bot.config import PROJECT_ROOT
from bot.conversations import ConversationStore
from tests import conversation_factory as factory

pytestmark = pytest.mark.slow


def test_report_renders_in_a_real_browser(tmp_path, browser):
    from bot.report.__main__ import build
    start = date(2026, 9, 1)
    store = ConversationStore(f"sqlite:///{tmp_path / 'conversations.db'}")
    factory.write(store, factory.make_specs(1200, start, 30))
    try:
        figures, path = build(store, start, start + timedelta(days=29), tmp_path / "report")
    finally:
        store.close()
    shots = PROJECT_ROOT / "var" / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        page.goto(path.as_uri())
        assert page.locator("h1").inner_text() == "AHP careers guide: impact report"
        charts = page.locator("img")
        assert charts.count() == 9
        # every chart decoded into a real picture
        assert all(charts.nth(i).evaluate("img => img.naturalWidth > 0") for i in range(9))
        assert "1200" in page.locator(".key").inner_text()
        page.screenshot(path=str(shots / "impact-report.png"), full_page=True)
    finally:
        page.close()
    assert (shots / "impact-report.png").stat().st_size > 20_000
