"""The chat widget on the website demo page, in Chromium, against the real
assistant: conversation, cards, reload, keyboard, errors, accessibility
(axe-core), injection and screenshots."""
from __future__ import annotations

import re

import pytest

from tests.browser.conftest import SCREENSHOTS

pytestmark = pytest.mark.slow

expect = pytest.importorskip("playwright.sync_api").expect

STARTERS = ["Find a career that suits me", "Ways in", "I want to return to practice",
            "I'm a parent or teacher"]
INTERESTS = "I love football and I'm good at biology"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

BOT = ".ahpw-msg--bot:not(.ahpw-msg--typing)"
USER = ".ahpw-msg--user"

# true once the widget has more bot messages than `n` and is not waiting
_REPLIED = """n => document.querySelectorAll('.ahpw-msg--bot:not(.ahpw-msg--typing)').length > n
                 && !document.querySelector('.ahpw-msg--typing')"""


def replied(page, action) -> None:
    """Does `action` and waits until the bot's reply to it is shown."""
    before = page.locator(BOT).count()
    action()
    page.wait_for_function(_REPLIED, arg=before)


def launcher(page):
    return page.get_by_role("button", name="Chat about health careers")


def message_input(page):
    return page.get_by_role("textbox", name="Type your message")


def open_widget(page, url: str) -> None:
    page.goto(url)
    launcher(page).click()
    expect(page.get_by_role("dialog", name="Ask about careers in health")).to_be_visible()
    for title in STARTERS:
        expect(page.get_by_role("button", name=title, exact=True)).to_be_visible()


def say(page, text: str) -> None:
    def act():
        message_input(page).fill(text)
        message_input(page).press("Enter")
    replied(page, act)


def test_conversation_cards_routes_and_reload(page, demo_url):
    open_widget(page, demo_url)
    expect(launcher(page)).to_have_attribute("aria-expanded", "true")
    expect(message_input(page)).to_be_focused()
    # the greeting was asked for silently: no user message
    expect(page.locator(USER)).to_have_count(0)

    replied(page, lambda: page.get_by_role("button", name="Find a career that suits me").click())
    expect(page.locator(USER).last).to_contain_text("Find a career that suits me")

    say(page, INTERESTS)
    cards = page.locator(".ahpw-card")
    expect(cards.first).to_be_visible()
    first = cards.first
    name = first.get_by_role("heading").inner_text()
    expect(first.locator(".ahpw-reasons li").first).to_be_visible()
    expect(first.get_by_role("button", name=re.compile(r"^Tell me more"))).to_be_visible()

    replied(page, lambda: first.get_by_role("button", name=re.compile(r"^Ways in")).click())
    expect(page.locator(USER).last).to_contain_text(f"Ways in: {name}")
    routes = page.locator(".ahpw-routes").last
    expect(routes).to_be_visible()
    expect(routes.locator("li").first.get_by_role("heading")).to_be_visible()

    # a profession card: what the job is, getting in, how long, pay and its own page
    replied(page, lambda: first.get_by_role("button", name=re.compile(r"^Tell me more")).click())
    profession = page.locator(".ahpw-card").last
    for label in ("What they do:", "Getting in:", "How long:", "Pay:"):
        expect(profession).to_contain_text(label)
    expect(profession.get_by_role("link")).to_have_attribute("href", re.compile(r"^https://"))

    # the starter buttons from the greeting still work after later messages
    earlier = page.get_by_role("button", name="I want to return to practice", exact=True)
    expect(earlier).to_be_enabled()
    replied(page, earlier.click)
    expect(page.locator(USER).last).to_have_text(re.compile("I want to return to practice"))

    # links: only http(s), opened safely in a new tab
    say(page, "/ask_resources")
    links = page.locator(".ahpw-log a")
    expect(links.first).to_be_visible()
    for i in range(links.count()):
        link = links.nth(i)
        assert re.match(r"https?://", link.get_attribute("href"))
        assert link.get_attribute("target") == "_blank"
        assert link.get_attribute("rel") == "noopener noreferrer"

    # the same tab after a reload: the same conversation, no second greeting
    users, bots = page.locator(USER).count(), page.locator(BOT).count()
    page.reload()
    launcher(page).click()
    expect(page.locator(USER)).to_have_count(users)
    expect(page.locator(BOT)).to_have_count(bots)
    expect(page.locator(".ahpw-card").first).to_be_visible()
    expect(page.locator(".ahpw-msg--typing")).to_have_count(0)
    assert page.errors == []


def test_keyboard_only(page, demo_url):
    page.goto(demo_url)
    expect(launcher(page)).to_be_visible()
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('ahpw-launcher')"):
            break
    expect(launcher(page)).to_be_focused()
    page.keyboard.press("Enter")
    expect(message_input(page)).to_be_focused()
    expect(page.get_by_role("button", name=STARTERS[0], exact=True)).to_be_visible()

    def type_and_enter():
        page.keyboard.type(INTERESTS)
        page.keyboard.press("Enter")
    replied(page, type_and_enter)
    expect(page.locator(USER).last).to_contain_text(INTERESTS)
    expect(page.locator(".ahpw-card").first).to_be_visible()

    # Tab moves on until it reaches a quick-reply or card button
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('ahpw-choice')"):
            break
    focused = page.locator(".ahpw-choice:focus")
    expect(focused).to_have_count(1)
    title = focused.evaluate("b => b.firstChild.textContent")
    replied(page, lambda: page.keyboard.press("Enter"))
    expect(page.locator(USER).last).to_contain_text(title)

    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog")).to_be_hidden()
    expect(launcher(page)).to_be_focused()
    expect(launcher(page)).to_have_attribute("aria-expanded", "false")


def test_safeguarding_length_limit_and_start_again(page, demo_url):
    open_widget(page, demo_url)
    say(page, "I feel awful and I want to hurt myself")
    urgent = page.locator(".ahpw-msg--urgent")
    expect(urgent.first).to_be_visible()
    expect(urgent.first).to_contain_text("999")
    # every number is a tap-to-call link, the emergency one first
    calls = page.locator(".ahpw-call")
    expect(calls.first).to_have_attribute("href", "tel:999")
    assert {calls.nth(i).get_attribute("href") for i in range(calls.count())} >= {
        "tel:999", "tel:08001111", "tel:116123"}
    expect(page.get_by_role("link", name=re.compile(r"Call Childline: 0800 1111"))).to_be_visible()

    users = page.locator(USER).count()
    message_input(page).fill("a" * 2001)
    expect(page.locator(".ahpw-hint")).to_contain_text("too long")
    message_input(page).press("Enter")
    expect(page.locator(USER)).to_have_count(users)  # not sent
    message_input(page).fill("a" * 1950)
    expect(page.locator(".ahpw-hint")).to_contain_text("50 characters left")
    message_input(page).fill("")

    page.get_by_role("button", name="Start again").click()
    expect(page.locator(USER)).to_have_count(0)
    expect(page.get_by_role("button", name=STARTERS[0], exact=True)).to_be_visible()
    expect(page.locator(".ahpw-msg--urgent")).to_have_count(0)


def test_injection_is_shown_as_text(page, demo_url):
    attack = "<img src=x onerror=alert(1)><script>alert(2)</script>"
    open_widget(page, demo_url)
    say(page, attack)
    expect(page.locator(USER).last.locator(".ahpw-text")).to_have_text(attack)
    expect(page.locator(".ahpw img, .ahpw script")).to_have_count(0)
    assert page.dialogs == []
    assert page.errors == []


def test_accessibility_axe(page, demo_url):
    from axe_playwright_python.sync_playwright import Axe

    open_widget(page, demo_url)
    say(page, INTERESTS)
    expect(page.locator(".ahpw-card").first).to_be_visible()
    log = page.get_by_role("log", name="Conversation")
    expect(log).to_be_visible()
    assert log.locator(":scope > ul > li").count() >= 3  # messages as list items
    # the new reply, and only it, is announced through one polite live region
    announcer = page.locator(".ahpw [role=status][aria-live=polite]")
    expect(announcer).to_have_count(1)
    expect(announcer).to_contain_text("Physiotherapist")
    expect(announcer).not_to_contain_text(INTERESTS)
    results = Axe().run(page, options={
        "runOnly": {"type": "tag", "values": AXE_TAGS},
        "rules": {"target-size": {"enabled": True}},
        "resultTypes": ["violations"]})
    violations = results.response["violations"]
    assert violations == [], results.generate_report()
    ran = {r["id"] for kind in ("passes", "incomplete", "inapplicable") for r in results.response[kind]}
    assert "target-size" in ran and "color-contrast" in ran


def test_screenshots(page, demo_url):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    open_widget(page, demo_url)
    say(page, INTERESTS)
    expect(page.locator(".ahpw-card").first).to_be_visible()
    page.screenshot(path=str(SCREENSHOTS / "widget-desktop-1280.png"))
    page.set_viewport_size({"width": 360, "height": 740})
    panel = page.get_by_role("dialog")
    # full screen on a narrow screen, with nothing wider than the screen
    expect(panel).to_have_css("width", "360px")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path=str(SCREENSHOTS / "widget-mobile-360.png"))
    # like 200% zoom of a 1280 x 800 window
    page.set_viewport_size({"width": 640, "height": 400})
    expect(panel).to_have_css("width", "640px")
    page.screenshot(path=str(SCREENSHOTS / "widget-zoom-200.png"))


def test_unreachable_server_then_retry(page, demo_url, web_stack):
    open_widget(page, demo_url)
    web_stack.stop("rasa")
    try:
        message_input(page).fill("What does a paramedic do?")
        message_input(page).press("Enter")
        error = page.locator(".ahpw-msg--error")
        expect(error).to_be_visible()
        expect(error).to_contain_text("can't reach")
        expect(page.locator(USER)).to_have_count(1)
    finally:
        web_stack.start_rasa()
        web_stack.wait_ready()
    replied(page, lambda: page.get_by_role("button", name="Try again").click())
    expect(page.locator(".ahpw-msg--error")).to_have_count(0)
    expect(page.locator(USER)).to_have_count(1)  # the message is not shown twice
    expect(page.locator(BOT).last).to_contain_text(re.compile("paramedic", re.I))


def test_opening_a_link_is_reported_to_the_bot(page, demo_url):
    open_widget(page, demo_url)
    say(page, "any resources for parents?")
    first_link = page.locator(".ahpw-resources a").first
    expect(first_link).to_be_visible()
    href = first_link.get_attribute("href")
    # the link opens an outside https page in a new tab: no network here, so don't try
    page.context.route("https://**/*", lambda route: route.abort())
    with page.expect_request(lambda r: r.method == "POST" and "/link_clicked" in (r.post_data or "")) as sent:
        first_link.click()
    assert href in sent.value.post_data


def test_asked_to_slow_down_it_says_so_kindly_then_retries(page, demo_url):
    """A 429 from the server (nginx's per-client limit) is a kind 'wait a few seconds', not
    'can't reach'; the message is kept and Try again sends it."""
    open_widget(page, demo_url)
    limited = []

    def slow_down_once(route):
        request = route.request
        if request.method == "POST" and not limited:
            limited.append(request.post_data)
            route.fulfill(status=429, content_type="application/json", body='{"error": "too many"}',
                          headers={"Retry-After": "5",
                                   "Access-Control-Allow-Origin": request.headers.get("origin", "*")})
        else:
            route.continue_()

    page.route("**/webhooks/rest/webhook", slow_down_once)
    message_input(page).fill("What does a paramedic do?")
    message_input(page).press("Enter")
    error = page.locator(".ahpw-msg--error")
    expect(error).to_contain_text("faster than I can read them")
    expect(page.locator(USER)).to_have_count(1)
    replied(page, lambda: page.get_by_role("button", name="Try again").click())
    expect(page.locator(".ahpw-msg--error")).to_have_count(0)
    expect(page.locator(BOT).last).to_contain_text(re.compile("paramedic", re.I))
