"""The staff loop end to end: what newcomers ask that the bot cannot answer is kept for the
municipality's staff, scrubbed and without a sender."""

from __future__ import annotations

import itertools
import uuid
from typing import Any

import pytest
import requests
from sqlalchemy import create_engine, text

from bot.locales.catalog import load_catalog
from bot.staff.access import FAILURES_ALLOWED
from bot.staff.unanswered import groups, rows
from tests.e2e.conftest import STAFF_TOKENS
from tests.e2e.test_rest import say

pytestmark = pytest.mark.e2e


def test_out_of_scope_question_is_kept_grouped_and_scrubbed(
    rasa_url: str, database_url_e2e: str
) -> None:
    asked = [
        "Wie wird das Wetter morgen? Schreib mir an ali.k@example.org oder 0664 1234567",
        "wie wird das wetter morgen",
    ]
    sender = uuid.uuid4().hex
    for message in asked:
        say(rasa_url, sender, message, municipality="dornbirn")
    engine = create_engine(database_url_e2e, future=True)
    kept = rows(engine, "dornbirn")
    weather = [r for r in kept if "wetter" in r.text.lower()]
    assert len(weather) == 2, [r.text for r in kept]
    for row in weather:
        assert not any(char.isdigit() for char in row.text)
        assert "@" not in row.text and "example.org" not in row.text
        assert row.language == "de"
    grouped = [g for g in groups(kept) if "wetter" in g.example.lower()]
    assert grouped and grouped[0].count == 2
    with engine.connect() as connection:
        stored = connection.execute(text("SELECT * FROM unanswered_questions")).mappings().all()
    assert all(sender not in str(dict(row)) for row in stored)
    engine.dispose()


# The staff page (/staff/): access, unanswered questions, feedback, CSV, preview.

STAFF_ROUTES = [
    ("GET", "/staff/"),
    ("GET", "/staff/kranj/"),
    ("GET", "/staff/kranj/unanswered.csv"),
    ("POST", "/staff/kranj/preview"),
    ("POST", "/staff/logout"),
]


def _staff(
    url: str, method: str, path: str, token: str | None = None, **kwargs: Any
) -> requests.Response:
    headers = dict(kwargs.pop("headers", {}))
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return requests.request(
        method, url + path, headers=headers, allow_redirects=False, timeout=60, **kwargs
    )


def _address() -> dict[str, str]:
    """A made-up client address of its own (the e2e servers trust 127.0.0.1 as a proxy)."""
    return {"X-Forwarded-For": f"198.51.100.{next(_addresses)}"}


_addresses = itertools.count(1)
KRANJ = STAFF_TOKENS["STAFF_TOKEN_KRANJ"]
ADMIN = STAFF_TOKENS["STAFF_ADMIN_TOKEN"]


@pytest.mark.parametrize(("method", "path"), STAFF_ROUTES)
def test_no_token_gets_401_on_every_staff_route(rasa_url: str, method: str, path: str) -> None:
    reply = _staff(rasa_url, method, path, headers=_address())
    assert reply.status_code == 401
    assert "<form" in reply.text and "kranj" not in reply.text.lower()
    assert reply.headers["Cache-Control"] == "no-store"
    assert "default-src 'none'" in reply.headers["Content-Security-Policy"]


def test_wrong_tokens_get_401_then_429(rasa_url: str) -> None:
    client = _address()
    statuses = [
        _staff(
            rasa_url, "GET", "/staff/kranj/", f"guess-{n}-0123456789", headers=client
        ).status_code
        for n in range(FAILURES_ALLOWED + 1)
    ]
    assert statuses == [401] * FAILURES_ALLOWED + [429]
    # the right token from that address waits too; another address is not affected
    assert _staff(rasa_url, "GET", "/staff/kranj/", KRANJ, headers=client).status_code == 429
    assert _staff(rasa_url, "GET", "/staff/kranj/", KRANJ, headers=_address()).status_code == 200


def test_kranj_staff_see_kranj_only(rasa_url: str) -> None:
    client = _address()
    assert _staff(rasa_url, "GET", "/staff/kranj/", KRANJ, headers=client).status_code == 200
    for path in ("/staff/bolzano/", "/staff/bolzano/unanswered.csv"):
        refused = _staff(rasa_url, "GET", path, KRANJ, headers=client)
        assert refused.status_code == 403
        assert "Bozen" not in refused.text and "Bolzano" not in refused.text
    home = _staff(rasa_url, "GET", "/staff/", KRANJ, headers=client)
    assert home.status_code == 303 and home.headers["Location"].startswith("/staff/kranj/")
    admin = _staff(rasa_url, "GET", "/staff/?lang=de", ADMIN, headers=client)
    assert admin.status_code == 200 and "Bozen" in admin.text and "/staff/kranj/" in admin.text


def test_signing_in_sets_a_private_cookie(rasa_url: str) -> None:
    session = requests.Session()
    session.headers.update(_address())
    signed = session.post(
        f"{rasa_url}/staff/login", data={"token": KRANJ}, allow_redirects=False, timeout=30
    )
    assert signed.status_code == 303
    cookie = signed.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/staff/" in cookie
    page = session.get(f"{rasa_url}/staff/kranj/", timeout=60)
    assert page.status_code == 200 and 'id="unanswered"' in page.text
    wrong = session.post(
        f"{rasa_url}/staff/login", data={"token": "nope"}, allow_redirects=False, timeout=30
    )
    assert wrong.status_code == 401


def test_unanswered_question_on_the_page_grouped_and_scrubbed(rasa_url: str) -> None:
    sender = uuid.uuid4().hex
    for message in (
        "Wie wird das Wetter am Wochenende? Schreib mir: wetter.fan@example.org, Tel 04 2373100",
        "wie wird das wetter am wochenende",
    ):
        say(rasa_url, sender, message, municipality="kranj")
    page = _staff(rasa_url, "GET", "/staff/kranj/", KRANJ, headers=_address())
    rows = [row for row in page.text.split("<tr>") if "wetter" in row.lower()]
    assert rows, page.text[:2000]
    row = rows[0]
    count = int(row.split('class="number">')[1].split("<")[0])
    assert count >= 2  # both questions in one group (other tests may ask about the weather too)
    example = row.split("</td>")[0]
    assert not any(char.isdigit() for char in example)
    assert "example.org" not in page.text and "@" not in example
    assert sender not in page.text
    csv_reply = _staff(rasa_url, "GET", "/staff/kranj/unanswered.csv", KRANJ, headers=_address())
    assert csv_reply.status_code == 200
    assert csv_reply.headers["Content-Type"].startswith("text/csv")
    lines = csv_reply.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "day,language,reason,likely_intents,question"
    assert sum("wetter" in line.lower() for line in lines) >= 2
    assert "example.org" not in csv_reply.text and sender not in csv_reply.text


def test_thumbs_down_after_an_answer_is_counted(rasa_url: str) -> None:
    sender = uuid.uuid4().hex
    # French: no other test rates an answer in French, so the count is this test's
    replies = say(rasa_url, sender, "Comment trouver un logement à louer ?", municipality="kranj")
    asked = [r for r in replies if r.get("buttons") and "/feedback" in r["buttons"][0]["payload"]]
    assert asked, replies
    down = asked[0]["buttons"][1]
    assert down["title"] == load_catalog("fr")["phrases"]["feedback_no"]
    thanks = say(rasa_url, sender, down["payload"], municipality="kranj")
    sorry = load_catalog("fr")["responses"]["utter_feedback_sorry"][0]["text"]
    assert thanks[0]["text"] == sorry
    page = _staff(rasa_url, "GET", "/staff/kranj/?lang=fr", KRANJ, headers=_address())
    section = page.text.split('id="feedback"')[1].split("</section>")[0]
    assert "fr 0/1" in section
    # never twice in a row: the next answer does not ask again
    again = say(rasa_url, sender, "Comment trouver du travail ?", municipality="kranj")
    assert not any(r.get("buttons") and "/feedback" in r["buttons"][0]["payload"] for r in again)


def test_text_only_clients_rate_with_a_number(rasa_url: str) -> None:
    """Numbered choices on a text-only client: "2" is the thumbs down, counted."""
    sender = uuid.uuid4().hex
    replies = say(rasa_url, sender, "Kje najdem zdravnika?", municipality="bolzano", text_only=True)
    no = load_catalog("sl")["phrases"]["feedback_no"]
    lines = [line for r in replies for line in r["text"].splitlines()]
    [choice] = [line.split(".")[0] for line in lines if line.endswith(f". {no}")]
    # the numbers run on after the answer's own choices (the FAQ's other questions)
    assert int(choice) == sum(line[:1].isdigit() and ". " in line for line in lines)
    say(rasa_url, sender, choice, municipality="bolzano", text_only=True)
    page = _staff(rasa_url, "GET", "/staff/bolzano/", ADMIN, headers=_address())
    section = page.text.split('id="feedback"')[1].split("</section>")[0]
    assert "sl 0/1" in section


def test_preview_shows_the_arabic_answer_right_to_left_and_records_nothing(
    rasa_url: str, database_url_e2e: str
) -> None:
    engine = create_engine(database_url_e2e, future=True)
    before = len(rows(engine, "kranj"))
    reply = _staff(
        rasa_url,
        "POST",
        "/staff/kranj/preview?lang=en",
        KRANJ,
        headers=_address(),
        data={"question": "كيف أجد شقة للإيجار في كراني؟", "language": ""},
    )
    assert reply.status_code == 200
    result = reply.text.split('class="result"')[1].split("</section>")[0]
    assert 'lang="ar" dir="rtl"' in result
    assert "ask_housing" in result
    assert "(match 0." in result or "(match 1." in result  # the FAQ chosen, with its score
    out_of_scope = _staff(
        rasa_url,
        "POST",
        "/staff/kranj/preview",
        KRANJ,
        headers=_address(),
        data={"question": "Wie wird das Wetter am Wochenende?", "language": "de"},
    )
    assert out_of_scope.status_code == 200
    assert len(rows(engine, "kranj")) == before  # a preview is not a newcomer's question
    engine.dispose()
