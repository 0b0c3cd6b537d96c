"""The conversation's language: explicit requests win, reliable messages switch, the rest stick."""

from __future__ import annotations

from typing import Any, Mapping

from bot.language.registry import settings


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
    if detection.get("reliable") and config.is_supported(detection.get("language")):
        return str(detection["language"])
    if config.is_supported(current):
        return str(current)
    if isinstance(hint, str) and config.is_supported(hint.split("-")[0].lower()):
        return hint.split("-")[0].lower()
    if config.is_supported(detection.get("language")):
        return str(detection["language"])
    return config.default
