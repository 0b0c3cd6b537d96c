"""action_find_service on a small fixed knowledge base: location sources, opening status in
the municipality's time zone with public holidays, staff languages, and what to do when the
municipality has no such service."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.services import ActionFindService
from bot.knowledge.repository import KnowledgeRepository
from bot.locales.catalog import phrase

WEDNESDAY_EVENING = datetime(2026, 12, 2, 16, 30, tzinfo=timezone.utc)  # 17:30 in Vienna
WEDNESDAY_MORNING = datetime(2026, 12, 2, 10, 0, tzinfo=timezone.utc)  # 11:00
THURSDAY = datetime(2026, 12, 3, 10, 0, tzinfo=timezone.utc)
HOLIDAY_MORNING = datetime(2026, 12, 8, 9, 0, tzinfo=timezone.utc)  # Immaculate Conception


async def _find(
    kb: KnowledgeRepository,
    tracker_factory: Any,
    text: str,
    category: str,
    language: str = "en",
    now: datetime = WEDNESDAY_EVENING,
    metadata: dict[str, Any] | None = None,
) -> list[dict[str, Any]]:
    dispatcher = CollectingDispatcher()
    tracker = tracker_factory(
        text,
        "find_service",
        slots={"language": language, "municipality": "testville", "topic": category},
        metadata=metadata,
    )
    await ActionFindService(lambda: kb, clock=lambda: now).run(dispatcher, tracker, {})
    # "Did this help?" after the list is tested in test_feedback.py, the next dates of
    # Testville's language café before it in tests/bot/answers/test_service_answer.py
    shown_elsewhere = ("utter_feedback_ask", "utter_events_next")
    return [m for m in dispatcher.messages if m["response"] not in shown_elsewhere]


async def test_from_the_centre_when_nothing_else_is_known(town_kb, tracker_factory) -> None:
    messages = await _find(town_kb, tracker_factory, "where can I learn German", "jobs")
    assert messages[0]["response"] == "utter_service_intro"
    assert messages[0]["origin"] == phrase("en", "origin_centre", municipality_name="Testville")


async def test_from_coordinates_the_channel_shared(town_kb, tracker_factory) -> None:
    near_ams = {"location": {"latitude": 47.4011, "longitude": 9.7361}}
    messages = await _find(town_kb, tracker_factory, "", "language_courses", metadata=near_ams)
    assert messages[0]["origin"] == phrase("en", "origin_your_location")
    distances = [m["distance"] for m in messages[1:]]
    assert distances[0].endswith("km")  # the courses are in the centre, 1.5 km away


@pytest.mark.parametrize(
    "text", ["course near Hatlerdorf", "in hatler dorf", "hatlerdorff", "живу в Хатлердорфі"]
)
async def test_from_a_place_named_in_the_message(town_kb, tracker_factory, text: str) -> None:
    messages = await _find(town_kb, tracker_factory, text, "jobs")
    assert messages[0]["origin"] == "Hatlerdorf"
    assert messages[1]["name"] == "AMS Testdorf"
    assert messages[1]["distance"] in {"130 m", "140 m"}


async def test_open_now_until(town_kb, tracker_factory) -> None:
    messages = await _find(town_kb, tracker_factory, "", "language_cafe")
    assert messages[1]["opening_hours"].startswith(phrase("en", "opening_open_until", time="19:00"))


async def test_closed_now_opens_later_today(town_kb, tracker_factory) -> None:
    messages = await _find(town_kb, tracker_factory, "", "language_cafe", now=WEDNESDAY_MORNING)
    assert messages[1]["opening_hours"].startswith(
        phrase("en", "opening_opens_today", time="17:00")
    )


async def test_next_opening_day_named_in_the_language(town_kb, tracker_factory) -> None:
    messages = await _find(town_kb, tracker_factory, "", "language_cafe", "de", now=THURSDAY)
    expected = phrase("de", "opening_opens_on", day="Mittwoch", time="17:00")
    assert messages[1]["opening_hours"].startswith(expected)


async def test_public_holiday_keeps_it_closed(town_kb, tracker_factory) -> None:
    messages = await _find(town_kb, tracker_factory, "", "adult_education", now=HOLIDAY_MORNING)
    bfi = messages[1]
    assert bfi["name"] == "BFI Testdorf"
    assert bfi["opening_hours"].startswith(phrase("en", "opening_opens_tomorrow", time="08:00"))
    assert phrase("en", "opening_holidays_closed") in bfi["opening_hours"]


async def test_by_appointment_is_said(town_kb, tracker_factory) -> None:
    messages = await _find(town_kb, tracker_factory, "", "job_centre")
    assert phrase("en", "opening_appointment_too") in messages[1]["opening_hours"]


async def test_service_speaking_the_language_is_added_and_marked(town_kb, tracker_factory) -> None:
    messages = await _find(town_kb, tracker_factory, "", "language_courses", "ar")
    names = [m["name"] for m in messages[1:]]
    assert len(names) == 4, "three nearest, plus the nearest one whose staff speak Arabic"
    # the name on the door, isolated in the Arabic text, with the Arabic name beside it
    assert names[-1] == "\u2068Sprachschule Al-Noor\u2069 (مدرسة النور للغات)"
    mark = phrase("ar", "staff_speak_your_language")
    assert mark in messages[-1]["languages"]
    assert all(mark not in m["languages"] for m in messages[1:4])


async def test_three_nearest_when_one_speaks_the_language(town_kb, tracker_factory) -> None:
    messages = await _find(town_kb, tracker_factory, "", "language_courses", "en")
    assert len(messages) == 4  # intro + three
    mark = phrase("en", "staff_speak_your_language")
    marked = [m for m in messages[1:] if mark in m["languages"]]
    assert {m["name"] for m in marked} == {"Sprachcafé (Language café)", "BFI Testdorf"}


async def test_no_such_service_here_gives_the_neighbours(town_kb, tracker_factory) -> None:
    messages = await _find(town_kb, tracker_factory, "", "hospital", "en")
    assert messages[0]["response"] == "utter_service_elsewhere"
    assert messages[0]["other_municipality"] == "Nextdoor"
    assert messages[1]["name"] == "Landeskrankenhaus Nachbarort (Nextdoor regional hospital)"
    assert messages[1]["opening_hours"] == phrase("en", "opening_always")


async def test_no_such_service_anywhere_gives_the_office(town_kb, tracker_factory) -> None:
    messages = await _find(town_kb, tracker_factory, "", "shelter", "de")
    assert [m["response"] for m in messages] == ["utter_service_none", "utter_handoff"]
    assert messages[1]["office_name"] == "Integrationsstelle Testdorf"
    assert "Mo.–Do. 08:00–12:00, 13:00–16:00" in messages[1]["opening_hours"]
