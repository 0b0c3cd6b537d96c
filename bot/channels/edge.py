"""The edge: what every channel checks before a message reaches Rasa, in one place.

Senders, messages and metadata are checked for type, length and characters; metadata keys
are allow-listed and each value has one form. A refused message raises `RefusedError` with a
reason in plain English for the client (REST and Telegram answer 400 with it, the widget
emits `refused`), and nothing of it reaches Rasa or the tracker store.

Every conversation id is owned by its channel (`conversation_id`): a REST sender "x" is
stored as "rest:x", a widget session as "widget:<id>", a Telegram chat as
"telegram:<municipality>:<chat>", so no channel's input can address another's conversation.
"""

from __future__ import annotations

import json
import math
import os
import re
from typing import Any, Dict, Mapping, Optional

from bot.geo import on_earth

MAX_SENDER_LENGTH = 128
MAX_MESSAGE_LENGTH = int(os.environ.get("MAX_MESSAGE_LENGTH", "2000"))
ALLOWED_CONTROLS = frozenset("\n\r\t")
MUNICIPALITY_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
LANGUAGE_TAG = re.compile(r"^([a-z]{2,3})(?:[-_][a-z0-9]{1,8})*$")
METADATA_KEYS = ("municipality", "language", "location", "text_only")


class RefusedError(ValueError):
    """A request the edge does not let through; `str()` tells the client why."""


def json_object(body: bytes, max_bytes: int) -> Dict[str, Any]:
    """A request body as a JSON object: at most `max_bytes`, strict UTF-8 (bytes that are not
    UTF-8 are refused, never guessed at), parsed by Python's own JSON reader."""
    if len(body) > max_bytes:
        raise RefusedError(f"The request body is larger than {max_bytes} bytes.")
    try:
        parsed = json.loads(body.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise RefusedError("The request body is not UTF-8 text.") from error
    except (ValueError, RecursionError) as error:  # RecursionError: nesting too deep
        raise RefusedError("The request body must be JSON.") from error
    if not isinstance(parsed, dict):
        raise RefusedError("The request body must be a JSON object.")
    return parsed


def conversation_id(channel: str, raw: str) -> str:
    """The stored conversation id of a channel's own sender id."""
    return f"{channel}:{raw}"


def bad_character(text: str) -> Optional[str]:
    """A description of the first character no message may hold, or None: lone surrogates
    (not text at all), NUL and other control characters except newline, return and tab.
    Format characters (bidi marks, the zero-width non-joiner Persian needs) are text."""
    for character in text:
        code = ord(character)
        if 0xD800 <= code <= 0xDFFF:
            return f"a lone surrogate (U+{code:04X})"
        if (code < 0x20 or 0x7F <= code < 0xA0) and character not in ALLOWED_CONTROLS:
            return f"a control character (U+{code:04X})"
    return None


def check_characters(value: str, field: str) -> str:
    """`value` if it holds no character a message may not hold (see `bad_character`)."""
    bad = bad_character(value)
    if bad:
        raise RefusedError(f"'{field}' contains {bad}, which is not allowed.")
    return value


def check_text(value: Any, field: str, max_length: int) -> str:
    """`value` if it is non-empty text within `max_length` of allowed characters."""
    if not isinstance(value, str) or not value.strip():
        raise RefusedError(f"'{field}' must be a non-empty text.")
    if len(value) > max_length:
        raise RefusedError(f"'{field}' is longer than {max_length} characters.")
    return check_characters(value, field)


def check_sender(value: Any, field: str = "sender") -> str:
    """A channel's sender id: text of at most MAX_SENDER_LENGTH allowed characters."""
    return check_text(value, field, MAX_SENDER_LENGTH)


def check_message(value: Any, field: str = "message") -> str:
    """A user message: text of at most MAX_MESSAGE_LENGTH allowed characters."""
    return check_text(value, field, MAX_MESSAGE_LENGTH)


def _number(value: Any) -> Optional[float]:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        number = float(value)
    except OverflowError:  # an integer of hundreds of digits
        return None
    return number if math.isfinite(number) else None


def check_location(value: Any, field: str = "metadata.location") -> Dict[str, float]:
    """`{"lat": number, "lon": number}` on the earth, nothing else."""
    if isinstance(value, Mapping) and set(value) == {"lat", "lon"}:
        lat, lon = _number(value["lat"]), _number(value["lon"])
        if lat is not None and lon is not None and on_earth(lat, lon):
            return {"lat": lat, "lon": lon}
    raise RefusedError(f'\'{field}\' must be {{"lat": number, "lon": number}} on the earth.')


def check_municipality(value: Any, field: str = "metadata.municipality") -> str:
    """A municipality id as knowledge files use it (lower-case letters, digits, - and _)."""
    if isinstance(value, str) and MUNICIPALITY_ID.match(value.lower()):
        return value.lower()
    raise RefusedError(f"'{field}' must be a municipality id like \"kranj\".")


def check_language(value: Any, field: str = "metadata.language") -> str:
    """A language tag ("de", "pt-BR"); its primary language, lower case."""
    if isinstance(value, str) and len(value) <= 35:
        match = LANGUAGE_TAG.match(value.lower())
        if match:
            return match.group(1)
    raise RefusedError(f"'{field}' must be a language code like \"de\".")


def check_metadata(value: Any, field: str = "metadata") -> Dict[str, Any]:
    """Only the keys the assistant uses, each in its one form; None values are left out."""
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise RefusedError(f"'{field}' must be a JSON object.")
    unknown = sorted(str(key)[:40] for key in value if key not in METADATA_KEYS)
    if unknown:
        raise RefusedError(
            f"'{field}' has unknown keys ({', '.join(unknown)}); "
            f"allowed: {', '.join(METADATA_KEYS)}."
        )
    checked: Dict[str, Any] = {}
    for key, raw in value.items():
        if raw is None:
            continue
        where = f"{field}.{key}"
        if key == "municipality":
            checked[key] = check_municipality(raw, where)
        elif key == "language":
            checked[key] = check_language(raw, where)
        elif key == "location":
            checked[key] = check_location(raw, where)
        elif isinstance(raw, bool):  # text_only
            checked[key] = raw
        else:
            raise RefusedError(f"'{where}' must be true or false.")
    return checked
