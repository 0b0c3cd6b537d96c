"""Numbered choices for text-only channels."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from rasa.shared.core.events import BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.channels.choices import chosen_number, last_buttons, numbered, resolve_choice
from bot.locales.catalog import phrase

BUTTONS = [
    {"title": "Wohnen", "payload": "/ask_housing"},
    {"title": "Arbeit", "payload": "/ask_jobs"},
]


def test_buttons_become_numbered_lines_with_a_hint_in_the_language() -> None:
    text = numbered("Wobei kann ich helfen?", BUTTONS, "de")
    assert text.splitlines() == [
        "Wobei kann ich helfen?",
        "1. Wohnen",
        "2. Arbeit",
        phrase("de", "choices_reply_with_number"),
    ]


@pytest.mark.parametrize(
    ("text", "number"), [("2", 2), (" 1. ", 1), ("٢", 2), ("۲", 2), ("12", 12), ("2 bitte", None)]
)
def test_chosen_number(text: str, number: int | None) -> None:
    assert chosen_number(text) == number


def test_only_the_bots_latest_turn_counts() -> None:
    offered = BotUttered("Wobei?", {"buttons": BUTTONS})
    assert last_buttons([offered]) == BUTTONS
    assert last_buttons([offered, UserUttered("Wohnung"), BotUttered("Antwort")]) == []


class _Store:
    def __init__(self, events: list[Any]) -> None:
        self.tracker = DialogueStateTracker.from_events("s", events)

    async def retrieve(self, sender_id: str) -> DialogueStateTracker:
        return self.tracker


async def test_resolve_choice_from_the_tracker_store() -> None:
    agent = SimpleNamespace(tracker_store=_Store([BotUttered("Wobei?", {"buttons": BUTTONS})]))
    assert await resolve_choice("2", "s", agent) == "/ask_jobs"
    assert await resolve_choice("3", "s", agent) == "3"  # no third choice
    assert await resolve_choice("Arbeit", "s", agent) == "Arbeit"
    assert await resolve_choice("2", "s", None) == "2"


def test_numbers_run_on_across_the_messages_of_one_turn() -> None:
    """After a FAQ's "more questions" (1-2), "Did this help?" offers 3 and 4: "2" still
    picks the second question and "4" the thumbs down."""
    rating = [
        {"title": "👍", "payload": '/feedback{"helpful":"yes"}'},
        {"title": "👎", "payload": '/feedback{"helpful":"no"}'},
    ]
    assert numbered("Hat das geholfen?", rating, "de", start=3).splitlines()[1:3] == [
        "3. 👍",
        "4. 👎",
    ]
    turn = [
        UserUttered("Wohnung"),
        BotUttered("Antwort"),
        BotUttered("Mehr?", {"buttons": BUTTONS}),
        BotUttered("Hat das geholfen?", {"buttons": rating}),
    ]
    assert last_buttons(turn) == BUTTONS + rating
