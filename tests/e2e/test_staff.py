"""The staff loop end to end: what newcomers ask that the bot cannot answer is kept for the
municipality's staff, scrubbed and without a sender."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import create_engine, text

from bot.staff.unanswered import groups, rows
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
