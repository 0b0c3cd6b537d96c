"""Whether a message asks where the nearest place is rather than for information: "the
nearest German course", "a doctor near the market", or a message with a shared location;
and whether it asks the way to a place just listed ("how do I get there?"). The words are in
bot/locales/categories/<code>.yml under `nearby` and `directions` (spelled right only: a
wrong guess turns an answer into a list of places)."""

from __future__ import annotations

from typing import Any, Mapping

from bot.answers.location import shared_coordinates
from bot.answers.wordlists import WordLists

NEARBY_WORDS = WordLists("categories", "nearby", ("nearby",), typos=False)
DIRECTIONS_WORDS = WordLists("categories", "directions", ("directions",), typos=False)


def asks_for_nearest(text: str, language: str, metadata: Mapping[str, Any]) -> bool:
    """Whether the message names nearness, or shares where the person is."""
    return shared_coordinates(metadata) is not None or bool(NEARBY_WORDS.found(text, language))


def asks_the_way(text: str, language: str) -> bool:
    """Whether the message asks how to get to a place ("wie komme ich dahin?")."""
    return bool(DIRECTIONS_WORDS.found(text, language))
