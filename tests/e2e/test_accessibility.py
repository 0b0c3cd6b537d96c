"""The staff page in real Chromium (Debian's, driven by Playwright) at 1280 and 360 px, an
Arabic preview laid out right to left, and axe-core (npm registry, scripts/axe.sh): no WCAG
2.0/2.1 A or AA violation on the staff page, nor on the widget in German and Arabic after an
exchange. Public-sector sites in the EU must meet WCAG 2.1 AA (EN 301 549). Screenshots go to
tests/artifacts/."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from bot import PROJECT_DIR
from tests.e2e.conftest import STAFF_TOKENS
from tests.e2e.test_widget import ARTIFACTS, PHONE, browser, say  # noqa: F401 (fixture)

pytestmark = pytest.mark.e2e

DESKTOP = {"width": 1280, "height": 900}
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture(scope="module")
def axe_source() -> str:
    installed = subprocess.run(
        [str(PROJECT_DIR / "scripts" / "axe.sh")], capture_output=True, text=True
    )
    if installed.returncode != 0:
        pytest.fail(f"axe-core could not be installed: {installed.stderr[-500:]}")
    return Path(installed.stdout.strip()).read_text(encoding="utf-8")


def violations(page: Page, axe_source: str) -> list[dict[str, Any]]:
    """axe-core's WCAG 2.0/2.1 A and AA violations on the page as it is now."""
    page.evaluate(axe_source)
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_AA
    )
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]


@pytest.fixture
def staff_page(browser: Browser, rasa_url: str) -> Iterator[Page]:  # noqa: F811
    # bypass_csp lets the test inject axe-core; the page's own policy is tested in
    # tests/e2e/test_staff.py
    context = browser.new_context(viewport=DESKTOP, locale="de-DE", bypass_csp=True)
    opened = context.new_page()
    opened.goto(f"{rasa_url}/staff/?lang=de")
    yield opened
    context.close()


def sign_in(page: Page, token: str) -> None:
    page.fill("#token", token)
    page.click("form.stack button[type=submit]")
    page.wait_for_selector("#unanswered")


def newcomers_write(rasa_url: str) -> None:
    """Questions the bot cannot answer well and a 👎, so the page has all its tables."""
    import uuid

    from tests.e2e.test_rest import say as say_rest

    for text in (
        "Wie wird das Wetter am Wochenende? Tel. 04 2373100",
        "wie wird das wetter morgen",
        "Is there a flat with a garden for rent for a family with three cats",
    ):
        say_rest(rasa_url, uuid.uuid4().hex, text, municipality="kranj")
    sender = uuid.uuid4().hex
    replies = say_rest(rasa_url, sender, "Wie finde ich eine Wohnung?", municipality="kranj")
    rating = [r for r in replies if r.get("buttons") and "/feedback" in r["buttons"][0]["payload"]]
    say_rest(rasa_url, sender, rating[0]["buttons"][1]["payload"], municipality="kranj")


def test_staff_page_signs_in_and_passes_axe(
    staff_page: Page, axe_source: str, rasa_url: str
) -> None:
    newcomers_write(rasa_url)
    assert staff_page.locator("#token").count() == 1
    assert violations(staff_page, axe_source) == []  # the sign-in page
    staff_page.screenshot(path=str(ARTIFACTS / "staff-sign-in.png"))
    sign_in(staff_page, STAFF_TOKENS["STAFF_TOKEN_KRANJ"])
    assert staff_page.get_attribute("html", "lang") == "de"
    assert staff_page.locator("#unanswered tbody tr").count() >= 1
    assert staff_page.locator("#feedback tbody tr").count() >= 1
    assert staff_page.locator(".suggestions li").count() >= 1
    assert violations(staff_page, axe_source) == []
    staff_page.screenshot(path=str(ARTIFACTS / "staff-1280.png"), full_page=True)
    staff_page.set_viewport_size(PHONE)
    # nothing wider than the phone's screen but the tables' own scroll areas
    width = staff_page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]
    assert violations(staff_page, axe_source) == []
    staff_page.screenshot(path=str(ARTIFACTS / "staff-360.png"), full_page=True)


def test_arabic_preview_is_right_to_left(staff_page: Page, axe_source: str) -> None:
    sign_in(staff_page, STAFF_TOKENS["STAFF_TOKEN_KRANJ"])
    staff_page.fill("#question", "كيف أجد طبيبًا في كراني؟")
    staff_page.select_option("#preview-language", "ar")
    staff_page.click("#preview form button[type=submit]")
    chat = staff_page.locator(".result .chat")
    chat.wait_for()
    assert chat.get_attribute("dir") == "rtl" and chat.get_attribute("lang") == "ar"
    direction = chat.evaluate("node => getComputedStyle(node).direction")
    assert direction == "rtl"
    assert violations(staff_page, axe_source) == []
    chat.scroll_into_view_if_needed()
    staff_page.screenshot(path=str(ARTIFACTS / "staff-preview-ar.png"))


@pytest.mark.parametrize(
    ("language", "question"), [("de", "Wo gibt es Sprachkurse?"), ("ar", "أين أجد دروس اللغة؟")]
)
def test_widget_passes_axe_after_an_exchange(
    browser: Browser,  # noqa: F811
    rasa_url: str,
    axe_source: str,
    language: str,
    question: str,
) -> None:
    context = browser.new_context(viewport=PHONE, locale=language, bypass_csp=True)
    page = context.new_page()
    page.goto(f"{rasa_url}/webhooks/widget/")
    page.wait_for_selector(".wc-form input")
    page.select_option(".wc-language", language)
    page.wait_for_timeout(1500)
    say(page, question)
    assert violations(page, axe_source) == []
    page.screenshot(path=str(ARTIFACTS / f"widget-axe-{language}.png"))
    context.close()


def test_thumbs_down_in_the_widget_is_counted(
    browser: Browser,  # noqa: F811
    rasa_url: str,
) -> None:
    import requests

    def counted() -> str:
        page = requests.get(
            f"{rasa_url}/staff/kranj/?lang=uk",
            headers={"Authorization": f"Bearer {STAFF_TOKENS['STAFF_TOKEN_KRANJ']}"},
            timeout=60,
        )
        return page.text.split('id="feedback"')[1].split("</section>")[0]

    context = browser.new_context(viewport=PHONE, locale="uk", bypass_csp=True)
    page = context.new_page()
    page.goto(f"{rasa_url}/webhooks/widget/")
    page.wait_for_selector(".wc-form input")
    assert "uk 0/1" not in counted()
    say(page, "Де знайти лікаря в Крані?")
    rating = page.locator(".wc-rating .wc-choice")
    assert rating.count() == 2
    height = rating.nth(1).bounding_box()["height"]  # type: ignore[index]
    assert height < page.locator(".wc-send").bounding_box()["height"]  # type: ignore[index]
    page.screenshot(path=str(ARTIFACTS / "widget-feedback-uk.png"))
    rating.nth(1).click()
    page.wait_for_timeout(2500)
    assert "uk 0/1" in counted()  # one 👎 in Ukrainian, for the answer it was asked after
    context.close()
