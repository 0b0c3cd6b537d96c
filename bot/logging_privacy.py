"""Keep users' words and locations out of every log line, at every level.

`install()` wraps the log-record factory, so each record of the process (Rasa, rasa_sdk,
Sanic, socket.io, aiohttp, ours), whatever its handler, is redacted once, when it is made:
the message is formatted, redacted and stored as `msg` with no `args`; a traceback is
rendered, redacted and stored as `exc_text`, which formatters print instead of rendering
the exception again. Records below their logger's level are never made, so this costs
nothing for what is not logged. Structlog events (Rasa's debug lines with the parsed text,
slots and events) lose the values Rasa itself lists as private before they are rendered.

Redacted: tracker and event bodies and private keys in JSON, Python reprs and `key=value`
text (`"text": ...`, `"events": [...]`, `"metadata"`, `"location"`, `lat=...`, ...),
coordinate pairs, and, inside `with private_values(text, metadata):`, the message's text,
its longer words and its shared coordinates wherever they appear (also in the traceback
of an exception raised inside the block and logged after it).
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import threading
from collections.abc import Iterator, MutableMapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from typing import Any, Callable, Optional

REDACTED = "[redacted]"
WITHHELD = "(log message withheld: it could not be checked for private data)"

# Rasa's own list of structlog values to anonymise (rasa/utils/log_utils.py _anonymizer).
_RASA_PRIVATE_KEYS = [
    "text", "response_text", "user_text", "slot_values", "parse_data_text",
    "parse_data_entities", "prediction_events", "tracker_latest_message", "prefilled_slots",
    "message", "response", "slot_candidates", "rasa_event", "rasa_events", "tracker_states",
    "current_states", "old_states", "successes", "current_entity", "next_entity", "states",
    "entity", "token_text", "user_message", "json_message",
]  # fmt: skip
# Tracker and event bodies (Rasa's action call, rasa_sdk's error reply), and locations.
_BODY_KEYS = [
    "tracker", "request_body", "events", "latest_message", "slots", "metadata", "entities",
    "value",
]  # fmt: skip
_LOCATION_KEYS = ["location", "lat", "lon", "lng", "latitude", "longitude"]
PRIVATE_KEYS = frozenset(_RASA_PRIVATE_KEYS + _BODY_KEYS + _LOCATION_KEYS)
# Unquoted `key: value` / `key=value` only for keys that are not everyday words.
_BARE_KEYS = PRIVATE_KEYS - {"message", "response", "states"}
# A key-shaped token: "key": / 'key': / \"key\": (JSON inside a string), or bare key: / key=
_KEYED = re.compile(
    r"""\\{0,3}["'](?P<quoted>\w+)\\{0,3}["']\s*:\s*"""
    r"""|(?<![\w.])(?P<bare>[A-Za-z_]+)(?::[ \t]+|=)"""
)
_QUOTES = ("'", '"')
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?(?![\w.])")
_LITERAL = re.compile(r"[\w.+-]+")
_STRUCTURE = re.compile(r"""[\\{}\[\]()"'\n]""")
_COORDINATE_PAIR = re.compile(
    r"(?<![\w.])-?\d{1,3}\.\d{4,}(?:\s*[,;/]\s*|\s+)-?\d{1,3}\.\d{4,}(?![\d])"
)
_QUOTED_MESSAGE = re.compile(r"(Received user message |\[parameters: ).*")  # Rasa; SQLAlchemy
_WORD = re.compile(r"\w[\w@.+'-]*\w")
MIN_TEXT = 4  # a shorter message ("ok", "1") is redacted only where keys show it
MIN_WORD = 5
MAX_WORDS = 100


# -- redaction of one text ------------------------------------------------------------------


def _end_of_line(text: str, start: int) -> int:
    end = text.find("\n", start)
    return len(text) if end < 0 else end


def _container_end(text: str, start: int) -> int:
    """Just past the bracket that closes the one at `start`; the line's end if none does."""
    depth, quote, skip = 0, "", -1
    for match in _STRUCTURE.finditer(text, start):
        index, char = match.start(), match.group()
        if index == skip:
            continue
        if char == "\\":
            skip = index + 1
        elif char == "\n" and quote:
            return index
        elif quote:
            quote = "" if char == quote else quote
        elif char in _QUOTES:
            quote = char
        elif char in "{[(":
            depth += 1
        elif char in "}])":
            depth -= 1
            if depth == 0:
                return index + 1
    return _end_of_line(text, start)


def _string_end(text: str, start: int) -> int:
    """Just past the quote that closes the one at `start` (backslash escapes honoured)."""
    quote, index = text[start], start + 1
    while index < len(text):
        char = text[index]
        if char == "\\":
            index += 2
            continue
        if char == "\n":
            return index
        if char == quote:
            return index + 1
        index += 1
    return len(text)


def _value_end(text: str, start: int, bare: bool) -> int:
    """Where the value starting at `start` ends: a bracketed structure, a string, a number,
    a literal (null, True) after a quoted key; anything else runs to the end of the line."""
    if start >= len(text):
        return start
    char, following = text[start], text[start + 1 : start + 2]
    if char in "{[(":
        return _container_end(text, start)
    if char in _QUOTES:
        return _string_end(text, start)
    if char in "bBrRuU" and following in _QUOTES:  # b'...' (a response body)
        return _string_end(text, start + 1)
    if char == "\\" and following in _QUOTES:  # an escaped JSON string inside a string
        closing = re.compile(r"(?<!\\)\\" + re.escape(following)).search(text, start + 2)
        return closing.end() if closing else _end_of_line(text, start)
    number = _NUMBER.match(text, start)
    if number:
        return number.end()
    if bare:
        return _end_of_line(text, start)
    literal = _LITERAL.match(text, start)
    return literal.end() if literal else start


def _redact_keyed(text: str) -> str:
    parts: list[str] = []
    position = 0
    for match in _KEYED.finditer(text):
        if match.start() < position:
            continue  # inside a value redacted already
        bare = match.group("bare")
        if (bare or match.group("quoted")).lower() not in (_BARE_KEYS if bare else PRIVATE_KEYS):
            continue
        start = match.end()
        end = _value_end(text, start, bare=bare is not None)
        if end > start:
            parts += [text[position:start], REDACTED]
            position = end
    if not parts:
        return text
    parts.append(text[position:])
    return "".join(parts)


def redact(text: str, private: tuple[re.Pattern[str], ...] = ()) -> str:
    """`text` without private values: the given patterns (one message's text and location),
    then values under private keys, coordinate pairs, Rasa's quoted user messages and the
    parameters SQLAlchemy quotes in its errors (event rows with the user's text)."""
    for pattern in private:
        text = pattern.sub(REDACTED, text)
    text = _redact_keyed(text)
    text = _COORDINATE_PAIR.sub(REDACTED, text)
    return _QUOTED_MESSAGE.sub(_redacted_tail, text)


def _redacted_tail(match: re.Match[str]) -> str:
    lead = match.group(1)
    return lead + REDACTED + ("]" if lead.startswith("[") else "")


# -- one message's private values -----------------------------------------------------------


def _forms(value: str) -> set[str]:
    """How a text shows up in logs: as is, JSON-escaped, in a repr, in a bytes repr."""
    return {
        value,
        json.dumps(value)[1:-1],
        repr(value)[1:-1],
        repr(value.encode("utf-8"))[2:-1],
    }


def _coordinate_patterns(value: Any) -> list[str]:
    """A coordinate and its roundings to three or more decimals (about 100 m)."""
    number = float(value)
    whole, _, decimals = repr(number).lstrip("-").partition(".")
    if len(decimals) < 2 or "e" in decimals:
        return []
    truncated = f"{whole}.{decimals[:3]}"
    rounded = f"{abs(number):.3f}"
    return [rf"(?<![\d.]){re.escape(form)}\d*" for form in {truncated, rounded}]


def _coordinates(metadata: Any) -> list[Any]:
    location = metadata.get("location") if isinstance(metadata, dict) else None
    if not isinstance(location, dict):
        return []
    keys = ("lat", "lon", "latitude", "longitude", "lng")
    return [location[key] for key in keys if isinstance(location.get(key), (int, float, str))]


@dataclass
class _Private:
    """One message's text and shared coordinates; compiled at the first log line."""

    text: str
    coordinates: list[Any]
    _pattern: Optional[re.Pattern[str]] = field(default=None, init=False)
    _compiled: bool = field(default=False, init=False)

    def pattern(self) -> Optional[re.Pattern[str]]:
        if not self._compiled:
            self._compiled = True
            self._pattern = self._compile()
        return self._pattern

    def _compile(self) -> Optional[re.Pattern[str]]:
        texts = _forms(self.text.strip()) if len(self.text.strip()) >= MIN_TEXT else set()
        words: set[str] = set()
        for word in sorted(set(_WORD.findall(self.text)), key=len, reverse=True)[:MAX_WORDS]:
            if len(word) >= MIN_WORD:
                words |= _forms(word)
        alternatives = [re.escape(t) for t in sorted(texts, key=len, reverse=True)]
        if words:
            ordered = sorted(words, key=len, reverse=True)
            alternatives.append(rf"(?<!\w)(?:{'|'.join(map(re.escape, ordered))})(?!\w)")
        for coordinate in self.coordinates:
            try:
                alternatives += _coordinate_patterns(coordinate)
            except (TypeError, ValueError, OverflowError):
                continue
        return re.compile("|".join(alternatives), re.IGNORECASE) if alternatives else None


_CURRENT: contextvars.ContextVar[tuple[_Private, ...]] = contextvars.ContextVar(
    "private_log_values", default=()
)
_ATTACHED = "_private_log_values"


@contextmanager
def private_values(text: Any = None, metadata: Any = None) -> Iterator[None]:
    """Redact this message's text and shared location from every log line written inside
    the block, and from the traceback of an exception that leaves it. Never raises."""
    private = _message_values(text, metadata)
    token = _CURRENT.set((*_CURRENT.get(), private))
    try:
        yield
    except BaseException as error:
        _attach(error, private)
        raise
    finally:
        with suppress(ValueError, RuntimeError):
            _CURRENT.reset(token)


def _message_values(text: Any, metadata: Any) -> _Private:
    try:
        return _Private(text if isinstance(text, str) else "", _coordinates(metadata))
    except Exception:
        return _Private("", [])


def _attach(error: BaseException, private: _Private) -> None:
    with suppress(Exception):
        setattr(error, _ATTACHED, (*getattr(error, _ATTACHED, ()), private))


def _patterns(exc_info: Any) -> tuple[re.Pattern[str], ...]:
    """The compiled values of the current messages and of those a logged exception left."""
    found = list(_CURRENT.get())
    error = exc_info[1] if isinstance(exc_info, tuple) and len(exc_info) > 1 else None
    seen: set[int] = set()
    while isinstance(error, BaseException) and id(error) not in seen and len(seen) < 20:
        seen.add(id(error))
        found += getattr(error, _ATTACHED, ())
        error = error.__cause__ or error.__context__
    compiled = (private.pattern() for private in found)
    return tuple(pattern for pattern in compiled if pattern is not None)


# -- log records and structlog events -------------------------------------------------------


def _message(record: logging.LogRecord) -> str:
    try:
        return record.getMessage()
    except Exception:
        return f"{record.msg} (arguments that did not fit: {record.args!r})"


def scrub(record: logging.LogRecord) -> None:
    """Format and redact the record's message, traceback and stack in place; never raises."""
    try:
        private = _patterns(record.exc_info)
        record.msg, record.args = redact(_message(record), private), ()
        if record.exc_info and record.exc_info[0] is not None:
            rendered = logging.Formatter().formatException(record.exc_info)
            record.exc_text = redact(rendered, private)
        if record.stack_info:
            record.stack_info = redact(record.stack_info, private)
    except Exception:
        record.msg, record.args = WITHHELD, ()
        record.exc_info, record.exc_text, record.stack_info = None, None, None


def _redacting(previous: Callable[..., logging.LogRecord]) -> Callable[..., logging.LogRecord]:
    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        scrub(record)
        return record

    factory.redacts_private_values = True  # type: ignore[attr-defined]
    return factory


def redact_event_dict(
    _logger: Any, _method: str, event_dict: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    """Structlog processor: the values under private keys become "[redacted]"."""
    with suppress(Exception):
        for key in PRIVATE_KEYS.intersection(event_dict):
            event_dict[key] = REDACTED
    return event_dict


def _install_structlog() -> None:
    """Put `redact_event_dict` first in structlog's processor chain, in place, so loggers
    cached already use it too (Rasa configures structlog before it loads our modules)."""
    with suppress(Exception):
        import structlog

        processors = structlog.get_config()["processors"]
        if isinstance(processors, list) and redact_event_dict not in processors:
            processors.insert(0, redact_event_dict)


_lock = threading.Lock()


def install() -> None:
    """Redact every log record of this process from now on (idempotent)."""
    with _lock:
        current = logging.getLogRecordFactory()
        if not getattr(current, "redacts_private_values", False):
            logging.setLogRecordFactory(_redacting(current))
        _install_structlog()
