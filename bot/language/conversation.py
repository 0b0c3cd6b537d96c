"""The conversation's language: explicit requests win, reliable messages switch, the rest stick."""

from __future__ import annotations

from typing import Any, Mapping

from bot.language.registry import settings

# A message needs at least this many words to switch an established conversation language:
# "ok", "Kranj", "Bahnhofstraße 5" or "grazie" never switch; a sentence does.
MIN_WORDS_TO_SWITCH = 3


def next_language(
    current: Any,
    detection: Mapping[str, Any] | None,
    hint: Any = None,
    requested: Any = None,
) -> str:
    """Decide the language of the reply.

    current: the `language` slot; detection: the message's `language_detection`;
    hint: a channel's locale (metadata.language); requested: a language asked for
    explicitly (a button payload or "English please").
    """
    config = settings()
    detection = detection or {}
    if config.is_supported(requested):
        return str(requested)
    if config.is_supported(detection.get("requested")):
        return str(detection["requested"])
    established = config.is_supported(current)
    long_enough = detection.get("words", MIN_WORDS_TO_SWITCH) >= MIN_WORDS_TO_SWITCH
    reliable = detection.get("reliable") and config.is_supported(detection.get("language"))
    if reliable and (long_enough or not established):
        return str(detection["language"])
    if established:
        return str(current)
    if isinstance(hint, str) and config.is_supported(hint.split("-")[0].lower()):
        return hint.split("-")[0].lower()
    if config.is_supported(detection.get("language")):
        return str(detection["language"])
    return config.default
