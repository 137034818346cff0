"""The chat widget in a real browser against the real running assistant:
Playwright drives Debian's Chromium (/usr/bin/chromium, installed by
`scripts/install-browser`; Playwright's own browser download is not used)."""
from __future__ import annotations

import pytest

from bot.config import PROJECT_ROOT
from bot.stack import Stack
from tests.conftest import stack_settings

SCREENSHOTS = PROJECT_ROOT / "var" / "screenshots"


@pytest.fixture(scope="module")
def web_stack(model, tmp_path_factory):
    """The action server, the Rasa server and the website demo on free ports;
    the Rasa server accepts calls from the demo's origin (CORS)."""
    running = Stack(stack_settings(tmp_path_factory.mktemp("store")), model=model,
                    log_dir=tmp_path_factory.mktemp("logs"))
    running.start()
    yield running
    running.stop()


@pytest.fixture(scope="module")
def demo_url(web_stack) -> str:
    return f"http://127.0.0.1:{web_stack.config.web_port}/"


@pytest.fixture
def page(browser):
    """A fresh tab (its own sessionStorage, so its own conversation). Any
    dialog (alert, confirm) is recorded and dismissed; page errors too."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, reduced_motion="reduce")
    context.set_default_timeout(30_000)
    tab = context.new_page()
    tab.dialogs = []
    tab.errors = []
    tab.on("dialog", lambda dialog: (tab.dialogs.append(dialog.message), dialog.dismiss()))
    tab.on("pageerror", lambda error: tab.errors.append(str(error)))
    yield tab
    context.close()
