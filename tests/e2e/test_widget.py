"""The web widget in real headless Chromium (Debian's package, driven by Playwright): German,
Arabic and Ukrainian, a quick reply, a page reload, right-to-left layout, escaping, and a
360 px wide screen. Screenshots go to tests/artifacts/."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, Route, sync_playwright

from bot import PROJECT_DIR
from bot.locales.catalog import load_catalog

pytestmark = pytest.mark.e2e

ARTIFACTS = PROJECT_DIR / "tests" / "artifacts"
PHONE = {"width": 360, "height": 740}


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    installed = subprocess.run(
        [str(PROJECT_DIR / "scripts" / "browser.sh")], capture_output=True, text=True
    )
    if installed.returncode != 0:
        pytest.fail(f"Chromium could not be installed: {installed.stderr[-500:]}")
    chromium = installed.stdout.split()[0]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser, rasa_url: str) -> Iterator[Page]:
    # bypass_csp lets the test harness evaluate its own checks; the page's policy itself is
    # tested in test_demo_page_sends_a_content_security_policy
    context = browser.new_context(viewport=PHONE, locale="en-US", bypass_csp=True)
    opened = context.new_page()
    opened.goto(f"{rasa_url}/webhooks/widget/")
    opened.wait_for_selector(".wc-form input")
    yield opened
    context.close()


def settle(page: Page, before: int) -> None:
    """Wait until the bot has answered and no further part of the answer arrives."""
    page.wait_for_function(f"document.querySelectorAll('.wc-bot').length > {before}")
    count = -1
    while count != page.locator(".wc-bot").count():
        count = page.locator(".wc-bot").count()
        page.wait_for_timeout(700)


def say(page: Page, text: str) -> str:
    """Type a message, wait for the bot's whole answer, return its first message."""
    before = page.locator(".wc-bot").count()
    page.fill(".wc-form input", text)
    page.press(".wc-form input", "Enter")
    settle(page, before)
    return page.locator(".wc-bot").nth(before).inner_text()


def test_german_quick_reply_and_reload(page: Page) -> None:
    greeting = say(page, "Guten Tag, ich bin neu hier und brauche Hilfe")
    assert "Hallo" in greeting or "Willkommen" in greeting
    assert page.get_attribute(".wc-panel", "lang") == "de"
    assert page.locator(".wc-choice").count() >= 6
    before = page.locator(".wc-bot").count()
    page.locator(".wc-choice", has_text="Arbeit").click()
    settle(page, before)
    page.screenshot(path=str(ARTIFACTS / "widget-de.png"))
    shown = page.locator(".wc-msg").count()
    page.reload()
    page.wait_for_selector(".wc-msg")
    assert page.locator(".wc-msg").count() == shown, "the conversation survives a reload"
    answer = say(page, "Danke!")
    assert page.get_attribute(".wc-panel", "lang") == "de", answer
    page.screenshot(path=str(ARTIFACTS / "widget-de-after-reload.png"))


def test_arabic_is_laid_out_right_to_left(page: Page) -> None:
    say(page, "مرحبا، أبحث عن شقة للإيجار")
    assert page.get_attribute(".wc-panel", "dir") == "rtl"
    bubble = page.locator(".wc-bot").last
    assert bubble.get_attribute("dir") == "rtl"
    assert bubble.evaluate("node => getComputedStyle(node).direction") == "rtl"
    width = page.evaluate("document.querySelector('.wc-panel').getBoundingClientRect().width")
    assert width <= PHONE["width"], "the panel fits a 360 px screen"
    page.screenshot(path=str(ARTIFACTS / "widget-ar.png"))


def test_ukrainian_and_language_picker(page: Page) -> None:
    answer = say(page, "Привіт, шукаю роботу")
    assert page.get_attribute(".wc-panel", "lang") == "uk", answer
    page.select_option(".wc-language", "fr")
    page.wait_for_function("document.querySelector('.wc-panel').lang === 'fr'")
    assert page.inner_text(".wc-send") == "Envoyer", "switched without reloading"
    page.screenshot(path=str(ARTIFACTS / "widget-uk-fr.png"))


def test_privacy_link_shows_the_notice_in_the_chosen_language(page: Page) -> None:
    before = page.locator(".wc-bot").count()
    page.select_option(".wc-language", "sl")
    settle(page, before)  # the bot confirms the switch
    assert page.inner_text(".wc-privacy") == load_catalog("sl")["phrases"]["widget_privacy"]
    before = page.locator(".wc-bot").count()
    page.click(".wc-privacy")
    settle(page, before)
    notice = load_catalog("sl")["responses"]["utter_privacy"][0]["text"]
    shown = page.locator(".wc-bot").nth(before).inner_text()
    assert notice.replace("{retention_days}", "30").split(".")[0] in shown
    page.screenshot(path=str(ARTIFACTS / "widget-sl-privacy.png"))


def test_markup_is_shown_as_text_never_run(page: Page) -> None:
    say(page, "<img src=x onerror=\"document.title='hacked'\"> hello")
    assert page.locator(".wc-log img").count() == 0
    assert "<img" in page.locator(".wc-user").last.inner_text()
    assert page.title() != "hacked"
    links = page.locator(".wc-log a")
    for index in range(links.count()):
        assert links.nth(index).get_attribute("href").startswith(("http://", "https://"))
        assert "noopener" in links.nth(index).get_attribute("rel")


def test_demo_page_sends_a_content_security_policy(rasa_url: str) -> None:
    import requests

    page = requests.get(f"{rasa_url}/webhooks/widget/", timeout=30)
    assert page.status_code == 200
    policy = page.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe" not in policy
    script = requests.get(f"{rasa_url}/webhooks/widget/widget.js", timeout=30)
    assert script.headers["Content-Type"].startswith("application/javascript")
    assert requests.get(f"{rasa_url}/webhooks/widget/secret.txt", timeout=30).status_code == 404


def test_share_my_location_finds_services_near_it(browser: Browser, rasa_url: str) -> None:
    context = browser.new_context(
        viewport=PHONE,
        locale="en-US",
        bypass_csp=True,
        geolocation={"latitude": 46.2457, "longitude": 14.3584},
        permissions=["geolocation"],
    )
    page = context.new_page()
    page.goto(f"{rasa_url}/webhooks/widget/")
    page.wait_for_selector(".wc-form input")
    say(page, "Where is the nearest pharmacy?")
    before = page.locator(".wc-bot").count()
    page.click(".wc-locate")
    settle(page, before)
    assert "your location" in page.locator(".wc-bot").nth(before).inner_text()
    page.screenshot(path=str(ARTIFACTS / "widget-location.png"))
    context.close()


def test_message_written_while_connecting_is_answered(browser: Browser, rasa_url: str) -> None:
    """The socket.io client arrives late (a slow network): a message written before the
    session is confirmed waits in the page and is answered, not lost or refused."""
    context = browser.new_context(viewport=PHONE, locale="de-DE", bypass_csp=True)
    slow = context.new_page()

    def late(route: Route) -> None:
        slow.wait_for_timeout(2500)
        route.continue_()

    slow.route("**/socket.io.min.js", late)
    slow.goto(f"{rasa_url}/webhooks/widget/")
    slow.wait_for_selector(".wc-form input")
    slow.fill(".wc-form input", "Guten Tag, ich bin neu hier und brauche Hilfe")
    slow.press(".wc-form input", "Enter")
    settle(slow, 0)
    assert slow.get_attribute(".wc-panel", "lang") == "de"
    assert slow.locator(".wc-bot").count() >= 1
    assert slow.inner_text(".wc-status") == ""  # nothing was refused
    context.close()


def test_counter_card_for_an_arabic_reader_in_bozen(browser: Browser, rasa_url: str) -> None:
    """Large print at 360 px: Arabic right to left, Italian and German left to right."""
    context = browser.new_context(viewport=PHONE, locale="ar", bypass_csp=True)
    page = context.new_page()

    # the demo page embeds Kranj's widget; this page embeds Bozen's (the attribute is read
    # when the deferred script runs, after this observer has changed it)
    page.add_init_script(
        "new MutationObserver(() => document.querySelectorAll('script[data-municipality]')"
        ".forEach(s => s.setAttribute('data-municipality', 'bolzano')))"
        ".observe(document, {childList: true, subtree: true});"
    )
    page.goto(f"{rasa_url}/webhooks/widget/")
    page.wait_for_selector(".wc-form input")
    say(page, "أين أقرب صيدلية؟")
    title = load_catalog("ar")["phrases"]["card_button"]
    before = page.locator(".wc-bot").count()
    page.locator(".wc-choice", has_text=title).first.click()
    page.wait_for_selector(".wc-card")
    settle(page, before)
    card = page.locator(".wc-card").last
    sides = card.locator(".wc-card-purpose")
    assert sides.count() == 3
    assert sides.nth(0).get_attribute("lang") == "ar"
    assert sides.nth(0).evaluate("n => getComputedStyle(n).direction") == "rtl"
    for position in (1, 2):
        assert sides.nth(position).evaluate("n => getComputedStyle(n).direction") == "ltr"
    assert {sides.nth(1).get_attribute("lang"), sides.nth(2).get_attribute("lang")} == {"it", "de"}
    size = float(card.evaluate("n => parseFloat(getComputedStyle(n).fontSize)"))
    assert size >= 20, "large print"
    box = card.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    page.screenshot(path=str(ARTIFACTS / "widget-counter-card-ar-bozen.png"))
    context.close()


PHONE_ORDER_JS = """
() => {
  const walker = document.createTreeWalker(document.querySelector('.wc-log') || document.body,
                                           NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const at = node.data.indexOf('+386');
    if (at < 0) continue;
    const boxes = [];
    for (let i = at; i < Math.min(node.data.length, at + 16); i++) {
      if (node.data[i] === ' ') continue;
      const range = document.createRange();
      range.setStart(node, i);
      range.setEnd(node, i + 1);
      const box = range.getBoundingClientRect();
      boxes.push({ch: node.data[i], x: box.left, y: Math.round(box.top)});
    }
    return boxes;
  }
  return null;
}
"""


def test_phone_number_reads_as_dialled_in_arabic(page: Page) -> None:
    """In an Arabic reply the phone number keeps its order on screen: "+386 4 …" from left
    to right, not "… 4 386+" (the groups reordered by right-to-left text)."""
    say(page, "أين أقرب صيدلية؟")
    boxes = page.evaluate(PHONE_ORDER_JS)
    assert boxes, "a Kranj phone number is shown"
    first_line = [b for b in boxes if b["y"] == boxes[0]["y"]]
    assert len(first_line) >= 5
    xs = [b["x"] for b in first_line]
    assert xs == sorted(xs), first_line  # "+", "3", "8", "6", "4", … left to right
    page.screenshot(path=str(ARTIFACTS / "widget-ar-phone.png"))
