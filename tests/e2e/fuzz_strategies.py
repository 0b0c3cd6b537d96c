"""Hypothesis strategies for the fuzz suite (tests/e2e/test_fuzz.py): hostile requests for the
REST channel, the widget's socket, the Telegram webhook and the WhatsApp webhook, each built
here as raw bytes.

A generated case holds placeholders that the test replaces on every run, so that a replayed
or shrunk example is still a new conversation: TOKEN becomes a fresh 32-hex marker (in the
sender, the widget session, some texts, WhatsApp message ids), the JSON string "FUZZCHAT" a
fresh Telegram chat id, "FUZZWA" a fresh WhatsApp number and "FUZZTIME+n" the time of the
run plus n seconds. `plain` marks ordinary requests (printable text, sane metadata) that must
be answered; a WhatsApp case carries its `whatsapp_verdict` instead.
"""

from __future__ import annotations

import json
import math
import re
import time
import unicodedata
import urllib.parse
from dataclasses import dataclass
from functools import cache
from typing import Any

from hypothesis import strategies as st

from bot.channels.edge import MAX_MESSAGE_LENGTH
from bot.language.registry import supported_codes
from tests.e2e.conftest import WHATSAPP_NUMBERS

TOKEN = "FUZZTOKEN"
CHAT = "FUZZCHAT"
RIGHT_SECRET = b"\x00right-secret\x00"  # stands for the municipality's real webhook secret
MUNICIPALITIES = ("kranj", "bolzano")
CODES = tuple(supported_codes())


class Raw:
    """A JSON text put into the document as it is: numbers past float range, NaN, deep
    nesting, invalid escapes."""

    def __init__(self, text: str, label: str = "") -> None:
        self.text, self.label = text, label

    def __repr__(self) -> str:
        return f"Raw({self.label or _short(self.text)})"


def mostly(
    usual: st.SearchStrategy[Any], unusual: st.SearchStrategy[Any], in_ten: int = 7
) -> st.SearchStrategy[Any]:
    """`usual` about `in_ten` times in ten, else `unusual` (shrinks towards `usual`)."""
    return st.integers(0, 9).flatmap(lambda n: usual if n < in_ten else unusual)


def _short(text: str | bytes, limit: int = 300) -> str:
    shown = repr(text)
    return shown if len(shown) <= limit else f"{shown[:limit]}... ({len(text)} long)"


def encode(value: Any, ascii_only: bool = True) -> str:
    """JSON text of `value`, NaN and Infinity as literals, lone surrogates as `\\udc00`
    escapes (or raw with ascii_only=False), Raw pieces verbatim."""
    raws: list[str] = []

    def swap(node: Any) -> Any:
        if isinstance(node, Raw):
            raws.append(node.text)
            return f"\x00raw{len(raws) - 1}\x00"
        if isinstance(node, list):
            return [swap(item) for item in node]
        if isinstance(node, dict):
            return {key: swap(item) for key, item in node.items()}
        return node

    text = json.dumps(swap(value), ensure_ascii=ascii_only, allow_nan=True)
    for index, raw in enumerate(raws):
        escaped = json.dumps(f"\x00raw{index}\x00", ensure_ascii=ascii_only)
        text = text.replace(escaped, raw, 1)
    return text


def to_bytes(text: str) -> bytes:
    """UTF-8, with lone surrogates as their (invalid) three-byte forms."""
    return text.encode("utf-8", "surrogatepass")


# --- text -------------------------------------------------------------------------------

# fmt: off
SPECIAL_TEXT = (
    # NUL, lone and paired surrogates (a half emoji), bidi controls, combining marks
    "\x00", "\x00\x00\x00", "\ud800", "\udc00", "\udbff\udfff", "\ud83d", "a\ud800b",
    "\u202e", "\u202d", "\u2066", "\u2067", "\u2068", "\u2069", "\u200e", "\u200f", "\u061c",
    "\u0301", "e\u0301", "a" + "\u0300" * 60, "Z\u0335\u0321\u031b\u0300",
    # invisible, non-characters, private use, tags, emoji sequences, line breaks, controls
    "\u200b", "\u200d", "\ufeff", "\ufffd", "\uffff", "\ufffe", "\U0010ffff", "\U000e0001",
    "\U000f0000", "\U0001f469\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466",
    "\U0001f1f8\U0001f1ee", "\U0001f44d\U0001f3fd", "\U0001f3f3\ufe0f\u200d\U0001f308",
    "\U0001f600", "\r\n", "\u2028", "\u2029", "\x85", "\t", "\x1b[31m", "\x7f", "\x08",
    # scripts and case mappings that change length
    "\u0645\u0631\u062d\u0628\u0627", "\u043f\u0440\u0438\u0432\u0456\u0442", "\ufdfa",
    "\U0001242b", "\u00df", "\u0130", "\ufb03",
    # what Rasa reads as intents and entities, numbered choices, injections
    "/greet", "/privacy", "/start@town_bot", "/ask_housing", "/nonexistent_intent", "/",
    '/choose_municipality{"municipality": ["kranj"]}', '/switch_language{"language": {"x": 1}}',
    '/find_service{"category": null}', '/greet{"language": 5}', '/greet{"broken": ',
    "1", "99", "0", "-1", "1.5", "{{7*7}} ${7*7} %s%n", "${jndi:ldap://x}",
    "<script>x</script>", "' OR 1=1 --", "../../etc/passwd", "  ", "\n\n",
)
# fmt: on

ALL_CHARACTERS = st.characters(exclude_categories=())  # every category, surrogates too
PLAIN_CHARACTERS = st.characters(categories=("L", "Nd"))
EVERYDAY = (
    "Hallo, guten Tag", "Wie finde ich eine Wohnung?", "Привіт, шукаю роботу", "مرحبا",
    "How do I register my address?", "Buongiorno, cerco un corso di italiano", "Dober dan",
    "Bonjour, où est la pharmacie ?", "Merhaba, iş arıyorum", "سلام، روز بخیر", "Danke!",
)  # fmt: skip


# questions answered by the action server (knowledge, services, hand-off, settings), so that
# a hostile field reaches the actions too, not only Rasa's own replies
QUESTIONS = (
    "Wie finde ich eine Wohnung?", "How do I register my address?",
    "Where is the nearest pharmacy?", "Cerco un corso di italiano", "Як знайти роботу?",
    "أين أجد طبيبا؟", "Kje je šola za otroke?",
    "I want to talk to a person", "Change the language to French", "I live in Bolzano",
    "What do you store about me?", "/ask_housing", "/find_service", "/human_handoff",
)  # fmt: skip


def weighted(draw: st.DrawFn, weights: dict[str, int]) -> str:
    """One of the keys, each about as often as its weight (shrinks towards the first)."""
    return draw(st.sampled_from([key for key, weight in weights.items() for _ in range(weight)]))


@cache
def plain_text() -> st.SearchStrategy[str]:
    """Everyday messages: sentences of letters and digits, no control characters."""
    words = st.lists(st.text(PLAIN_CHARACTERS, min_size=1, max_size=12), min_size=1, max_size=8)
    return st.one_of(st.sampled_from(EVERYDAY), words.map(" ".join))


@cache
def long_runs() -> st.SearchStrategy[str]:
    """One piece repeated up to and past MAX_MESSAGE_LENGTH (in code points, UTF-16 units,
    bytes), and far beyond."""
    pieces = st.one_of(
        st.sampled_from(("a", "ä", "\U0001f600", "\u0301", "\x00", " ", "ب")),
        st.text(ALL_CHARACTERS, min_size=1, max_size=3),
    )
    limit = MAX_MESSAGE_LENGTH
    counts = st.sampled_from((2, 100, limit // 2, limit - 1, limit, limit + 1, 5_000, 30_000))
    return st.builds(lambda piece, count: piece * count, pieces, counts)


@cache
def fuzz_text(max_size: int = 40) -> st.SearchStrategy[str]:
    """Text from every Unicode category and the usual troublemakers, concatenated."""
    part = st.one_of(
        st.text(ALL_CHARACTERS, max_size=max_size),
        st.sampled_from(SPECIAL_TEXT),
        plain_text(),
    )
    return mostly(st.lists(part, min_size=1, max_size=5).map("".join), long_runs(), in_ten=9)


# --- JSON values ------------------------------------------------------------------------

RAW_LITERALS = (
    Raw("1" + "0" * 400, "400 digits"),
    Raw("-" + "9" * 5000, "5000 digits"),
    Raw("0." + "0" * 400 + "1", "tiny decimal"),
    Raw("1e400", "1e400"),
    Raw("-1e400", "-1e400"),
    Raw("1E+308", "1E+308"),
    Raw("4.9e-325", "below denormal"),
    Raw("NaN"),
    Raw("-Infinity"),
    Raw('"\\ud800"', "lone surrogate escape"),
    Raw('"\\udc00\\ud800"', "reversed surrogates"),
    Raw('"\\uZZZZ"', "bad escape"),
    Raw('"\\x41"', "bad escape"),
    Raw('"a\x00b"', "raw NUL in string"),
    Raw('"a\tb"', "raw tab in string"),
    Raw("01", "leading zero"),
    Raw("+1", "plus sign"),
    Raw(".5", "bare fraction"),
    Raw("0x10", "hex"),
    Raw("'single'", "single quotes"),
    Raw("undefined"),
    Raw("tru", "cut literal"),
)
EDGE_NUMBERS = (
    0, -0.0, 1e308, -1e308, 1.7976931348623157e308, 5e-324, 2**53 + 1, 2**63, -(2**63) - 1,
    2**64, 10**30, 10**399, math.nan, math.inf, -math.inf, True, False,
)  # fmt: skip


@cache
def nesting() -> st.SearchStrategy[Raw]:
    """`[[[[...]]]]` or `{"a":{"a":...}}` up to 30,000 deep."""
    depths = st.sampled_from((50, 512, 1000, 1025, 5000, 10_000, 30_000))
    shapes = st.sampled_from(("list", "object"))

    def build(depth: int, shape: str) -> Raw:
        if shape == "list":
            return Raw("[" * depth + "]" * depth, f"[] nested {depth} deep")
        return Raw('{"a":' * depth + "1" + "}" * depth, f"{{}} nested {depth} deep")

    return st.builds(build, depths, shapes)


@cache
def scalars() -> st.SearchStrategy[Any]:
    return st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(allow_nan=True, allow_infinity=True),
        st.sampled_from(EDGE_NUMBERS),
        fuzz_text(12),
        st.sampled_from(RAW_LITERALS),
        nesting(),
    )


@cache
def json_values(max_leaves: int = 12) -> st.SearchStrategy[Any]:
    """Any JSON shape, with hostile leaves."""
    keys = st.one_of(
        st.sampled_from(("sender", "message", "metadata", "", "__proto__")), fuzz_text(8)
    )
    return st.recursive(
        scalars(),
        lambda inner: st.one_of(
            st.lists(inner, max_size=4), st.dictionaries(keys, inner, max_size=4)
        ),
        max_leaves=max_leaves,
    )


@cache
def hostile() -> st.SearchStrategy[Any]:
    """A value for one field of an otherwise good request."""
    return st.one_of(fuzz_text(), json_values(4))


@cache
def locations() -> st.SearchStrategy[Any]:
    numbers = st.one_of(
        st.floats(allow_nan=True, allow_infinity=True),
        st.sampled_from(EDGE_NUMBERS),
        st.sampled_from(RAW_LITERALS),
        st.just(46.2457),
        st.text(max_size=5),
    )
    return st.one_of(
        st.fixed_dictionaries({"lat": numbers, "lon": numbers}),
        st.fixed_dictionaries({}, optional={"lat": json_values(3), "lon": json_values(3)}),
        json_values(4),
    )


@cache
def plain_metadata() -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {},
        optional={
            "municipality": st.sampled_from(MUNICIPALITIES),
            "language": st.sampled_from(CODES),
        },
    )


@cache
def fuzz_metadata() -> st.SearchStrategy[Any]:
    """Metadata with the keys the channels read holding anything, plus strangers."""
    known = st.fixed_dictionaries(
        {},
        optional={
            "municipality": st.one_of(
                st.sampled_from((*MUNICIPALITIES, "KRANJ", "atlantis")), json_values(4)
            ),
            "language": st.one_of(
                st.sampled_from((*CODES, "xx", "DE", "de-AT", "")), json_values(4)
            ),
            "location": locations(),
            "text_only": json_values(3),
        },
    )
    extra = st.dictionaries(fuzz_text(8), json_values(6), max_size=3)
    return st.one_of(
        st.builds(lambda a, b: {**b, **a}, known, extra),
        json_values(),
    )


# --- whole bodies -----------------------------------------------------------------------


def mutate(draw: st.DrawFn, text: str) -> tuple[bytes, str]:
    """The body as it is or broken: cut short, invalid UTF-8, a BOM, trailing garbage."""
    body = to_bytes(text)
    kinds = (
        "",
        "cut",
        "BOM",
        "invalid UTF-8 after",
        "invalid UTF-8 in",
        "garbage after",
        "doubled",
    )
    how = draw(st.sampled_from(kinds))
    at = draw(st.integers(0, max(0, len(body) - 1))) if how in ("cut", "invalid UTF-8 in") else 0
    broken = {
        "": body,
        "cut": body[:at],
        "BOM": b"\xef\xbb\xbf" + body,
        "invalid UTF-8 after": body + b"\xff\xfe",
        "invalid UTF-8 in": body[:at] + b"\xc3" + body[at + 1 :],
        "garbage after": body + b"}]garbage",
        "doubled": body + body,
    }[how]
    return broken, f"{how} {at}" if at else how


@dataclass(frozen=True)
class HttpCase:
    """A REST request: the body as sent, the sender if it is one (with TOKEN)."""

    body: bytes
    content_type: str | None
    sender: str | None
    plain: bool
    how: str = ""

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(repr(self))

    def __repr__(self) -> str:
        return (
            f"HttpCase({self.how or 'body'}, plain={self.plain}, "
            f"content_type={_short(self.content_type or '', 80)}, body={_short(self.body)})"
        )


CONTENT_TYPES = mostly(st.just("application/json"), st.sampled_from((
    "application/json; charset=utf-8", "text/plain", None, "application/x-www-form-urlencoded",
    "application/json; charset=latin-1", "multipart/form-data; boundary=x",
)))  # fmt: skip


# the fields the assistant reads first: hypothesis draws early entries more often
METADATA_FIELDS = ("municipality", "language", "location", "metadata", "text_only", "other")


def swap_field(draw: st.DrawFn, data: dict[str, Any], where: str) -> None:
    """Put a hostile value at `where`: a top-level field or a key of the metadata."""
    if where in ("message", "metadata"):
        data[where] = draw(hostile())
        return
    metadata = data.setdefault("metadata", {})
    if where == "location":
        metadata[where] = draw(locations())
    elif where == "other":
        metadata[draw(fuzz_text(8))] = draw(hostile())
    else:
        metadata[where] = draw(hostile())


@cache
def senders() -> st.SearchStrategy[Any]:
    """Mostly text holding TOKEN (so the store can be checked); sometimes anything."""
    return st.one_of(
        st.just(TOKEN),
        fuzz_text(20).map(lambda text: text + TOKEN),
        fuzz_text(20).map(lambda text: TOKEN + text),
        st.sampled_from(("", " ", "\x00", "a" * 129, "a" * 10_000)),
        json_values(4),
    )


@st.composite
def rest_cases(draw: st.DrawFn) -> HttpCase:
    kinds = {"plain": 2, "one field": 4, "fuzzed fields": 2, "any shape": 1, "raw document": 2}
    kind = weighted(draw, kinds)
    if kind in ("plain", "one field"):
        text = draw(plain_text() if kind == "plain" else st.sampled_from(QUESTIONS))
        body = {"sender": TOKEN, "message": text, "metadata": draw(plain_metadata())}
        if kind == "plain":
            return HttpCase(to_bytes(encode(body)), "application/json", TOKEN, True, kind)
        where = draw(st.sampled_from((*METADATA_FIELDS, "message", "sender")))
        if where == "sender":
            body["sender"] = draw(fuzz_text(20)) + TOKEN
        else:
            swap_field(draw, body, where)
        text = encode(body, draw(st.booleans()))
        return HttpCase(
            to_bytes(text), "application/json", body["sender"], False, f"{kind} {where}"
        )
    if kind == "any shape":
        value = draw(json_values(20))
        text = encode(value, draw(st.booleans()))
        body, how = mutate(draw, text)
        return HttpCase(body, draw(CONTENT_TYPES), None, False, f"{kind} {how}")
    document: dict[str, Any] = {}
    sender = draw(senders())
    fields = {
        "sender": sender,
        "message": draw(st.one_of(fuzz_text(), plain_text(), json_values(4))),
        "metadata": draw(st.one_of(fuzz_metadata(), plain_metadata(), st.none())),
    }
    for key in draw(st.permutations(list(fields))):
        if draw(st.integers(0, 9)):  # each field present nine times in ten
            document[key] = fields[key]
    if draw(st.booleans()):
        document.update(draw(st.dictionaries(fuzz_text(8), json_values(4), max_size=2)))
    text = encode(document, draw(st.booleans()))
    if kind == "raw document":
        body, how = mutate(draw, text)
    else:
        body, how = to_bytes(text), ""
    sent_sender = document.get("sender")
    known = sent_sender if isinstance(sent_sender, str) and TOKEN in sent_sender else None
    return HttpCase(body, draw(CONTENT_TYPES), known, False, f"{kind} {how}")


# --- the widget's socket ----------------------------------------------------------------


@dataclass(frozen=True)
class WidgetCase:
    """Socket.io frames: the session request (None: none is sent) and the user's message."""

    session_request: str | None
    message: str
    plain: bool
    how: str = ""

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(repr(self))

    def __repr__(self) -> str:
        request = None if self.session_request is None else _short(self.session_request, 120)
        return (
            f"WidgetCase({self.how}, plain={self.plain}, session_request={request}, "
            f"message={_short(self.message)})"
        )


def _frame(event: str, *args: Any, ascii_only: bool = True) -> str:
    """A socket.io EVENT frame (`42[...]`), in text a websocket can carry."""
    text = encode([event, *args], ascii_only)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates need the escapes in a text frame
        text = encode([event, *args])
    return "42" + text


RAW_FRAMES = (
    '42["user_uttered"]',
    '42["user_uttered",null]',
    '42["user_uttered",{"message":"Hallo"},"extra"]',
    '42["user_uttered",{"message":"Hallo"',
    '42["user_uttered",{"message":"Hallo"}',
    '42["user_uttered",{"message":NaN}]',
    '42["user_uttered",{"message":"Hallo","metadata":{"location":{"lat":NaN,"lon":1e999}}}]',
    '42["user_uttered",{"message":"Hallo","metadata":' + "[" * 10_000 + "]" * 10_000 + "}]",
    '42["user_uttered",{"message":"Hallo","metadata":{"n":' + "9" * 5000 + "}}]",
    '42["user_uttered",{"message":"\\ud800"}]',
    '42["user_uttered",{"message":"\\uZZZZ"}]',
    '421["user_uttered",{"message":"Hallo"}]',
)


@st.composite
def widget_cases(draw: st.DrawFn) -> WidgetCase:
    kinds = {
        "plain": 2, "one field": 4, "fuzzed fields": 2, "any shape": 1, "raw frame": 2,
        "no session": 1,
    }  # fmt: skip
    kind = weighted(draw, kinds)
    session = _frame("session_request", {"session_id": TOKEN})
    if kind in ("plain", "one field"):
        text = draw(plain_text() if kind == "plain" else st.sampled_from(QUESTIONS))
        data = {"message": text, "metadata": draw(plain_metadata())}
        if kind == "plain":
            return WidgetCase(session, _frame("user_uttered", data), True, kind)
        where = draw(st.sampled_from((*METADATA_FIELDS, "message", "session_id")))
        if where == "session_id":
            data[where] = draw(hostile())
        else:
            swap_field(draw, data, where)
        frame = _frame("user_uttered", data, ascii_only=draw(st.booleans()))
        return WidgetCase(session, frame, False, f"{kind} {where}")
    if draw(st.integers(0, 4)) == 0:  # a strange session request: a new session is expected
        session = _frame(
            "session_request",
            draw(st.one_of(json_values(6), st.fixed_dictionaries({"session_id": json_values(3)}))),
        )
    if kind == "raw frame":
        frame = draw(
            st.one_of(
                st.sampled_from(RAW_FRAMES),
                fuzz_text(30).map(lambda text: '42["user_uttered",{"message":' + encode(text)[:40]),
            )
        )
        return WidgetCase(session, frame, False, kind)
    if kind == "any shape":
        data = draw(json_values(20))
    else:
        data = {
            "message": draw(
                st.one_of(fuzz_text(), fuzz_text().map(lambda t: f"{t} {TOKEN}"), json_values(4))
            ),
            "metadata": draw(st.one_of(fuzz_metadata(), plain_metadata())),
        }
        if draw(st.integers(0, 4)) == 0:
            data["session_id"] = draw(json_values(3))
    frame = _frame("user_uttered", data, ascii_only=draw(st.booleans()))
    if kind == "no session":
        return WidgetCase(None, frame, False, kind)
    return WidgetCase(session, frame, False, kind)


# --- Telegram ---------------------------------------------------------------------------


@dataclass(frozen=True)
class TelegramCase:
    """A webhook call: the path's municipality, the secret header (None: absent;
    RIGHT_SECRET: the bot's own), the body, and whether a reply must follow a 2xx."""

    municipality: str
    secret: bytes | None
    body: bytes
    expects_reply: bool
    plain: bool
    how: str = ""

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(repr(self))

    def __repr__(self) -> str:
        secret = "right" if self.secret == RIGHT_SECRET else repr(self.secret)
        return (
            f"TelegramCase({self.how}, plain={self.plain}, expects_reply={self.expects_reply}, "
            f"municipality={self.municipality!r}, secret={secret}, body={_short(self.body)})"
        )


@cache
def _chat_ids() -> st.SearchStrategy[Any]:
    strange = st.sampled_from(("abc", "", "5", 1.5, -0.0, 0, 2**63, 10**399, math.nan, True, None))
    return mostly(st.just(CHAT), st.one_of(strange, st.sampled_from(RAW_LITERALS), json_values(3)))


@cache
def _plain_users() -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {"id": st.integers(1, 2**40), "is_bot": st.just(False), "first_name": st.just("A")},
        optional={"language_code": st.sampled_from((*CODES, "de-AT", "pt-br"))},
    )


@cache
def _users() -> st.SearchStrategy[Any]:
    plain = _plain_users()
    fuzzed = st.fixed_dictionaries(
        {"id": json_values(2), "first_name": fuzz_text(10)},
        optional={
            "language_code": st.one_of(fuzz_text(8), json_values(3)),
            "is_bot": json_values(2),
        },
    )
    return st.one_of(plain, fuzzed, json_values(3))


@cache
def _texts() -> st.SearchStrategy[Any]:
    return st.one_of(
        plain_text(),
        fuzz_text(),
        fuzz_text().map(lambda text: f"{text} {TOKEN}"),
        json_values(4),
    )


@cache
def _messages(text: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    chat = st.one_of(
        st.fixed_dictionaries(
            {
                "id": _chat_ids(),
                "type": st.sampled_from(
                    ("private", "group", "supergroup", "channel", "\u202eprivate")
                ),
            }
        ),
        json_values(3),
    )
    return st.fixed_dictionaries(
        {"message_id": st.integers(), "chat": chat, "date": st.integers()},
        optional={
            "from": _users(),
            "text": text,
            "location": st.one_of(
                st.fixed_dictionaries(
                    {"latitude": st.just(46.2457), "longitude": st.just(14.3584)}
                ),
                locations().map(
                    lambda v: (
                        {"latitude": v.get("lat"), "longitude": v.get("lon")}
                        if isinstance(v, dict)
                        else v
                    )
                ),
            ),
            "entities": json_values(3),
        },
    )


def _has_fresh_chat(message: Any) -> bool:
    chat = message.get("chat") if isinstance(message, dict) else None
    return isinstance(chat, dict) and chat.get("id") == CHAT


def expects_reply(update: Any) -> bool:
    """Whether a 2xx to this update must come with a message to the chat: a text (not only
    white space) or a location in a message, or a pressed button's data."""
    if not isinstance(update, dict):
        return False
    if "callback_query" in update:
        callback = update["callback_query"]
        if not isinstance(callback, dict) or not _has_fresh_chat(callback.get("message")):
            return False
        data = callback.get("data")
        return isinstance(data, str) and bool(data.strip())
    message = update.get("message")
    if not _has_fresh_chat(message):
        return False
    text = message.get("text")
    return (isinstance(text, str) and bool(text.strip())) or isinstance(
        message.get("location"), dict
    )


@cache
def _municipalities() -> st.SearchStrategy[str]:
    def quoted(text: str) -> str:
        return urllib.parse.quote(to_bytes(text), safe="")

    strange = st.sampled_from(("atlantis", "KRANJ", "kranj%00", "kranj%2Fx", "%ff", ".."))
    return mostly(
        st.sampled_from(MUNICIPALITIES),
        st.one_of(strange, fuzz_text(12).map(quoted).filter(bool)),
        in_ten=8,
    )


@cache
def _secrets() -> st.SearchStrategy[bytes | None]:
    header_safe = st.binary(
        min_size=1, max_size=64
    ).filter(  # what an HTTP client can send
        lambda raw: not raw[:1].isspace() and not any(b in raw for b in (b"\r", b"\n", b"\x00"))
    )
    forged = st.sampled_from((
        None, b"", b"kranj-secret-forged", b"bolzano-secret", b"kranj-secret ",
        "kränj-secret".encode(), "\u202ekranj-secret".encode(),
    ))  # fmt: skip
    return mostly(st.just(RIGHT_SECRET), st.one_of(forged, header_safe))


TELEGRAM_FIELDS = (
    "id", "from", "language_code", "text", "location", "chat", "type", "entities", "message",
    "other",
)  # fmt: skip


@st.composite
def telegram_cases(draw: st.DrawFn) -> TelegramCase:
    kinds = {
        "plain": 2, "one field": 4, "message": 2, "callback": 1, "other update": 1,
        "any shape": 1, "raw": 1,
    }  # fmt: skip
    kind = weighted(draw, kinds)
    update: Any
    if kind in ("plain", "one field"):
        message = {
            "message_id": 1,
            "date": 0,
            "text": draw(plain_text() if kind == "plain" else st.sampled_from(QUESTIONS)),
            "chat": {"id": CHAT, "type": "private"},
            "from": draw(_plain_users()),
        }
        update = {"update_id": draw(st.integers(1, 2**31)), "message": message}
        municipality = draw(st.sampled_from(MUNICIPALITIES))
        if kind == "plain":
            body = to_bytes(encode(update))
            return TelegramCase(municipality, RIGHT_SECRET, body, True, True, kind)
        where = draw(st.sampled_from(TELEGRAM_FIELDS))
        if where == "location":
            message[where] = draw(locations())
        elif where in ("text", "chat", "from", "entities"):
            message[where] = draw(hostile())
        elif where in ("id", "type"):
            message["chat"][where] = draw(hostile())
        elif where == "language_code":
            message["from"][where] = draw(hostile())
        elif where == "message":
            update[where] = draw(hostile())
        else:
            update[draw(fuzz_text(8))] = draw(hostile())
        body = to_bytes(encode(update, draw(st.booleans())))
        reply = expects_reply(update)
        return TelegramCase(municipality, RIGHT_SECRET, body, reply, False, f"{kind} {where}")
    if kind == "message":
        update = {"update_id": draw(st.integers()), "message": draw(_messages(_texts()))}
    elif kind == "callback":
        update = {
            "update_id": draw(st.integers()),
            "callback_query": draw(
                st.fixed_dictionaries(
                    {
                        "id": st.one_of(st.text(max_size=10), json_values(2)),
                        "message": st.one_of(_messages(st.nothing()), json_values(3)),
                        "data": st.one_of(
                            st.sampled_from(("/ask_housing", "/human_handoff", "/greet")), _texts()
                        ),
                    },
                    optional={"from": _users(), "chat_instance": st.text(max_size=5)},
                )
            ),
        }
    elif kind == "other update":
        update = draw(
            st.fixed_dictionaries(
                {"update_id": json_values(2)},
                optional={
                    "edited_message": _messages(_texts()),
                    "channel_post": _messages(_texts()),
                    "my_chat_member": json_values(4),
                    "message": json_values(4),
                    "callback_query": json_values(4),
                },
            )
        )
    else:
        update = draw(json_values(20))
    municipality = draw(_municipalities())
    secret = draw(_secrets())
    text = encode(update, draw(st.booleans()))
    body, how = mutate(draw, text) if kind == "raw" else (to_bytes(text), "")
    reply = (
        not how
        and secret == RIGHT_SECRET
        and municipality in MUNICIPALITIES
        and expects_reply(update)
    )
    return TelegramCase(municipality, secret, body, reply, False, f"{kind} {how}".strip())


# --- WhatsApp ---------------------------------------------------------------------------

# Placeholders of a WhatsApp case, replaced on every run (tests/e2e/test_fuzz.py): the JSON
# string "FUZZWA" becomes the string of a fresh WhatsApp id (a number nobody used), and
# "FUZZWANUM" the same id as a JSON number (a wrong form); "FUZZTIME+60" becomes the string
# of now + 60 s, "FUZZTIMENUM-90000" the number now - 90,000 s.
WA = "FUZZWA"
WA_NUMBER = "FUZZWANUM"
TIME = "FUZZTIME"
WHATSAPP_OBJECT = "whatsapp_business_account"
WHATSAPP_MAX_AGE = 24 * 3600  # older messages are not answered
WHATSAPP_MAX_BODY = 1024 * 1024  # larger bodies get 413
WHATSAPP_MEDIA = ("audio", "image", "video", "document", "sticker", "contacts")
MUNICIPALITY_OF_NUMBER = {number: name for name, number in WHATSAPP_NUMBERS.items()}
# How a delivery is signed: "right" with the app secret over the body as sent; the others
# must all get 403 ("altered": signed right, then a space appended to the body)
SIGNINGS = (
    "right", "none", "empty", "zeros", "other secret", "altered", "bare hex", "sha1", "cut",
    "twice", "non-ascii",
)  # fmt: skip


@dataclass(frozen=True)
class WhatsAppVerdict:
    """What a correctly signed JSON body asks of the channel for the case's person (WA).

    reply: True, they must get an answer; False, they must not; None, either is right.
    numbers: the phone number ids an answer to them may come from.
    stored: the municipalities whose conversation with them must be stored (a message that
    reaches Rasa, not only a "write text please").
    others: someone else may be answered (so a TOKEN of the case may be stored)."""

    reply: bool | None = False
    numbers: frozenset[str] = frozenset()
    stored: frozenset[str] = frozenset()
    others: bool = False


@dataclass(frozen=True)
class WhatsAppCase:
    """A webhook delivery: the body (with placeholders), how it is signed, what it asks of
    the channel once signed right, and texts (coordinates, a place's name) that must never
    be stored or logged."""

    body: bytes
    signing: str
    verdict: WhatsAppVerdict
    plain: bool
    how: str = ""
    private: tuple[str, ...] = ()

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(repr(self))

    def __repr__(self) -> str:
        verdict = self.verdict
        return (
            f"WhatsAppCase({self.how}, plain={self.plain}, signing={self.signing}, "
            f"reply={verdict.reply}, numbers={sorted(verdict.numbers)}, "
            f"others={verdict.others}, private={self.private!r}, body={_short(self.body)})"
        )


def _readable(value: Any) -> bool:
    """Text a message may hold (docs/channels.md, the edge): not blank, no lone surrogate,
    no control character but newline, return and tab."""
    if not isinstance(value, str) or not value.strip():
        return False
    return not any(
        0xD800 <= ord(c) <= 0xDFFF or (unicodedata.category(c) == "Cc" and c not in "\n\r\t")
        for c in value
    )


def _answer_time(value: Any) -> bool:
    """Whether a message with this timestamp is to be answered: whole seconds, 1 to 12
    digits (as a string or a number; more is no time a clock can compare with), at most a
    day ago (a time in the future too)."""
    if isinstance(value, str) and value.startswith(TIME):
        return int(value.removeprefix(TIME).removeprefix("NUM")) > -WHATSAPP_MAX_AGE
    if isinstance(value, bool) or not re.fullmatch("[0-9]{1,12}", str(value)):
        return False
    return int(time.time()) - int(str(value)) <= WHATSAPP_MAX_AGE


def _coordinate(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        number = float(value)
    except OverflowError:
        return None
    return number if math.isfinite(number) else None


def _content(message: dict[str, Any]) -> tuple[bool | None, bool]:
    """(answered, reaches Rasa) for a message whose sender, id and time are right."""
    kind = message.get("type")
    if kind == "text":
        body = message.get("text")
        text = body.get("body") if isinstance(body, dict) else None
        return _readable(text), _readable(text) and len(str(text)) <= MAX_MESSAGE_LENGTH
    if kind == "interactive":  # a pressed reply button or list row: its id
        interactive = message.get("interactive")
        if not isinstance(interactive, dict):
            return False, False
        ids = [
            reply.get("id") if isinstance(reply, dict) else None
            for reply in (interactive.get("button_reply"), interactive.get("list_reply"))
            if reply
        ]
        good = [_readable(chosen) for chosen in ids]
        if not good or not any(good):
            return False, False
        if not all(good):
            return None, False
        return True, all(isinstance(c, str) and len(c) <= MAX_MESSAGE_LENGTH for c in ids)
    if kind == "button":  # a template's quick reply: its payload, else its text
        button = message.get("button")
        chosen = (button.get("payload") or button.get("text")) if isinstance(button, dict) else None
        return _readable(chosen), _readable(chosen) and len(str(chosen)) <= MAX_MESSAGE_LENGTH
    if kind == "location":
        where = message.get("location")
        where = where if isinstance(where, dict) else {}
        lat, lon = _coordinate(where.get("latitude")), _coordinate(where.get("longitude"))
        on_earth = lat is not None and lon is not None and -90 <= lat <= 90 and -180 <= lon <= 180
        return on_earth, on_earth
    if isinstance(kind, (list, dict)):
        return None, False  # no type at all: skipped (or, today, a crash the check reports)
    return kind in WHATSAPP_MEDIA, False  # media: "text only please"; the rest is ignored


def whatsapp_verdict(document: Any) -> WhatsAppVerdict:
    """What the channel's contract (docs/channels.md) asks for the person WA, from a body
    as parsed (with its placeholders): messages to a configured number, from WA, with a
    fresh id and at most a day old, that are text, a pressed button or row, a location on
    the earth or media, are answered; a message id already taken in the same delivery is
    not answered again; statuses, reactions, system notices, unknown types, malformed
    messages and other fields than `messages` are not."""
    if not isinstance(document, dict):
        return WhatsAppVerdict()
    answers: dict[str, bool | None] = {}  # by number: the person's messages answered there
    stored: set[str] = set()
    claimed: dict[str, bool | None] = {}  # message ids taken, and whether surely
    others = False
    entries = document.get("entry")
    for entry in entries if isinstance(entries, list) else []:
        changes = entry.get("changes") if isinstance(entry, dict) else None
        for change in changes if isinstance(changes, list) else []:
            if not isinstance(change, dict) or change.get("field") != "messages":
                continue
            value = change.get("value")
            metadata = value.get("metadata") if isinstance(value, dict) else None
            number = metadata.get("phone_number_id") if isinstance(metadata, dict) else None
            messages = value.get("messages") if isinstance(value, dict) else None
            if not isinstance(number, str) or number not in MUNICIPALITY_OF_NUMBER:
                continue
            if not isinstance(messages, list):
                continue  # a number of no municipality (or no number), no list of messages
            for message in messages:
                if not isinstance(message, dict) or not _answer_time(message.get("timestamp")):
                    continue
                sender, message_id = message.get("from"), message.get("id")
                if not isinstance(message_id, str) or not isinstance(sender, str):
                    continue
                if sender == WA_NUMBER:  # a number once sent, no WhatsApp id
                    continue
                answered, to_rasa = _content(message)
                if answered is False:
                    continue
                if not re.fullmatch(rf"wamid\.{TOKEN}\.[0-9]+", message_id):
                    answered = None  # not this case's own id: another form, or answered before
                if message_id in claimed:  # the same delivery twice: answered once
                    answered = False if claimed[message_id] else None
                else:  # another sender may be no WhatsApp id: maybe skipped, not claiming
                    claimed[message_id] = answered if sender == WA else None
                if answered is False:
                    continue
                if sender != WA:
                    others = True
                    continue
                answers[number] = answers.get(number) or answered
                if answered and to_rasa:
                    stored.add(MUNICIPALITY_OF_NUMBER[number])
    replies = set(answers.values())
    reply = True if True in replies else (None if replies else False)
    if document.get("object") != WHATSAPP_OBJECT:  # the contract does not say
        reply, stored = (None if reply else False), set()
    return WhatsAppVerdict(reply, frozenset(answers), frozenset(stored), others)


def whatsapp_case(
    body: bytes, signing: str = "right", how: str = "known", *private: str, plain: bool = False
) -> WhatsAppCase:
    """A case whose verdict is read from its body as the channel reads it: strict UTF-8,
    a JSON object (anything else gets 400 once signed)."""
    try:
        document = json.loads(body.decode("utf-8"))
    except (ValueError, RecursionError):
        document = None
    return WhatsAppCase(body, signing, whatsapp_verdict(document), plain, how, private)


def wa_message(kind: str, number: int = 0, **content: Any) -> dict[str, Any]:
    """A message from WA as Meta sends it; `number` names its id within the case."""
    return {"from": WA, "id": f"wamid.{TOKEN}.{number}", "timestamp": f"{TIME}+0",
            "type": kind, **content}  # fmt: skip


def wa_value(number: Any, messages: Any = None, **extra: Any) -> dict[str, Any]:
    value: dict[str, Any] = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": f"43{number}", "phone_number_id": number},
    }
    if messages is not None:
        value["contacts"] = [{"profile": {"name": "A"}, "wa_id": WA}]
        value["messages"] = messages
    value.update(extra)
    return value


def wa_body(*values: Any, field: Any = "messages", obj: Any = WHATSAPP_OBJECT) -> dict[str, Any]:
    changes = [{"field": field, "value": value} for value in values]
    return {"object": obj, "entry": [{"id": "waba", "changes": changes}]}


def wa_status(status: str = "delivered") -> dict[str, Any]:
    return {"id": f"wamid.{TOKEN}.s", "status": status, "timestamp": f"{TIME}+0",
            "recipient_id": WA, "conversation": {"id": TOKEN}}  # fmt: skip


WA_PAYLOADS = (
    "/ask_housing", "/find_service", "/human_handoff", "/greet", "/privacy", "1", "/",
    '/choose_municipality{"municipality": ["kranj"]}', '/switch_language{"language": 5}',
    "/nonexistent_intent", "/greet{",
)  # fmt: skip
WA_NUMBERS = tuple(WHATSAPP_NUMBERS.values())
STRANGE_NUMBERS = ("1003", "", " 1002", "1002 ", "01002", "\uff11\uff10\uff10\uff12", "1002\x00")
TIME_OFFSETS = (
    0, -60, 3600, -(WHATSAPP_MAX_AGE - 600), -(WHATSAPP_MAX_AGE + 600), -10 * 365 * 86400,
)  # fmt: skip


@cache
def _timestamps() -> st.SearchStrategy[Any]:
    offsets = st.sampled_from(TIME_OFFSETS).map(lambda n: f"{n:+d}")
    placeholders = st.one_of(
        offsets.map(lambda n: f"{TIME}{n}"), offsets.map(lambda n: f"{TIME}NUM{n}")
    )
    strange = st.sampled_from((
        "", "abc", "1.5e9", "0x10", " 12 ", 1.5, None, True, -1, 2**63, 10**30, 10**400,
        "9" * 5000, "1" + "0" * 400, [1],
    ))  # fmt: skip
    return mostly(st.just(f"{TIME}+0"), st.one_of(placeholders, strange, hostile()), in_ten=8)


@cache
def _wa_texts() -> st.SearchStrategy[Any]:
    return st.one_of(
        plain_text(),
        st.sampled_from(QUESTIONS),
        fuzz_text(),
        fuzz_text().map(lambda text: f"{text} {TOKEN}"),
    )


@st.composite
def _places(draw: st.DrawFn) -> tuple[dict[str, Any], tuple[str, ...]]:
    """A shared location (latitude, longitude, maybe a name and an address) and the texts of
    it that must never be stored or logged: its coordinates, unusual enough to be found,
    and its name and address."""
    if draw(st.integers(0, 9)) < 6:
        lat = 46 + draw(st.integers(10**6, 10**7 - 1)) / 10**7
        lon = 14 + draw(st.integers(10**6, 10**7 - 1)) / 10**7
        place: dict[str, Any] = {"latitude": lat, "longitude": lon}
        private: tuple[str, ...] = (repr(lat), repr(lon))
        if draw(st.booleans()):
            place["name"] = f"Gostilna {TOKEN}"
            place["address"] = f"Cesta {TOKEN} 7"
            private += (place["name"], place["address"])
        return place, private
    value = draw(locations())
    if isinstance(value, dict):
        value = {"latitude": value.get("lat"), "longitude": value.get("lon")}
    return value, ()


@st.composite
def _wa_messages(draw: st.DrawFn, number: int = 0) -> tuple[dict[str, Any], tuple[str, ...]]:
    """One message from WA of any kind, sometimes with one field hostile or left out."""
    kinds = {
        "text": 5, "interactive": 3, "location": 2, "media": 2, "button": 1, "reaction": 1,
        "system": 1, "other": 1,
    }  # fmt: skip
    kind = weighted(draw, kinds)
    private: tuple[str, ...] = ()
    if kind == "text":
        message = wa_message("text", number, text={"body": draw(_wa_texts())})
    elif kind == "interactive":
        reply = draw(st.sampled_from(("button_reply", "list_reply")))
        chosen = draw(st.one_of(st.sampled_from(WA_PAYLOADS), _wa_texts()))
        pressed = {"id": chosen, "title": draw(fuzz_text(24))}
        message = wa_message("interactive", number, interactive={"type": reply, reply: pressed})
    elif kind == "location":
        place, private = draw(_places())
        message = wa_message("location", number, location=place)
    elif kind == "media":
        media = draw(st.sampled_from(WHATSAPP_MEDIA))
        what = {"id": "1234", "mime_type": "audio/ogg; codecs=opus", "caption": TOKEN}
        message = wa_message(media, number, **{media: draw(st.one_of(st.just(what), hostile()))})
    elif kind == "button":
        quick = {"payload": draw(st.sampled_from(WA_PAYLOADS)), "text": draw(_wa_texts())}
        message = wa_message("button", number, button=quick)
    elif kind == "reaction":
        message = wa_message("reaction", number, reaction={"message_id": "wamid.x", "emoji": "👍"})
    elif kind == "system":
        notice = {"body": f"changed to {TOKEN}", "type": "customer_changed_number",
                  "new_wa_id": WA}  # fmt: skip
        message = wa_message("system", number, system=notice)
    else:
        other = draw(st.one_of(st.sampled_from((
            "unsupported", "order", "referral", "ephemeral", "", "TEXT", "text ", "voice",
        )), hostile()))  # fmt: skip
        message = wa_message("unsupported", number, errors=[{"code": 131051}])
        message["type"] = other
    message["timestamp"] = draw(_timestamps())
    if draw(st.integers(0, 3)) == 0:  # one field hostile, or missing
        where = draw(st.sampled_from(("from", "id", "type", "content", "missing")))
        if where == "from":
            message[where] = draw(st.one_of(st.sampled_from((
                WA_NUMBER, "", "43 664", "+" + WA, WA + "\x00", "a" * 65, None, [WA],
            )), hostile()))  # fmt: skip
        elif where == "id":
            message[where] = draw(st.one_of(
                st.sampled_from(("", "wamid.\x00", "wamid " + TOKEN, "x" * 257, 5, None)),
                hostile(),
            ))  # fmt: skip
        elif where == "type":
            message[where] = draw(hostile())
        else:
            content = [key for key in message if key not in ("from", "id", "timestamp", "type")]
            key = draw(st.sampled_from(["from", "id", "timestamp", "type", *content]))
            if where == "missing":
                del message[key]
            else:
                message[key] = draw(hostile())
    return message, private


ENVELOPE_FIELDS = (
    "object", "entry", "entry item", "changes", "field", "value", "metadata", "phone_number_id",
    "messages", "errors", "contacts", "extra",
)  # fmt: skip


def _spoil_envelope(draw: st.DrawFn, body: dict[str, Any]) -> str:
    """Put a hostile value somewhere around the messages; says where."""
    where = draw(st.sampled_from(ENVELOPE_FIELDS))
    entry = body["entry"][0]
    value = entry["changes"][0]["value"]
    strange: dict[str, Any] = {
        "object": ("page", "", "WHATSAPP_BUSINESS_ACCOUNT", None),
        "field": ("statuses", "Messages", "", "messages ", None),
        "phone_number_id": (*STRANGE_NUMBERS, 1002, 1002.0, None, ["1002"]),
        "messages": ({}, None, "", 0),
        "errors": (5, True, 1.5, "x", [{"code": 131051}], {"code": 1}, None),
    }
    pick = st.one_of(st.sampled_from(strange.get(where, (None,))), hostile())
    if where == "object" or where == "entry":
        body[where] = draw(pick)
    elif where == "entry item":
        body["entry"].append(draw(pick))
    elif where == "changes":
        entry[where] = draw(pick)
    elif where == "field" or where == "value":
        entry["changes"][0][where] = draw(pick)
    elif where == "metadata":
        value[where] = draw(pick)
    elif where == "phone_number_id":
        value["metadata"][where] = draw(pick)
    elif where in ("messages", "errors", "contacts"):
        value[where] = draw(pick)
    else:
        value[draw(fuzz_text(8))] = draw(hostile())
    return where


NOT_JSON_BODIES = (
    b"", b"null", b"[]", b'"x"', b"0", b"{", b"\xff\xfe", b"a=b&c=d", b"\xef\xbb\xbf{}",
    ("[" * 30_000 + "]" * 30_000).encode(), b'{"entry": ' + b"[" * 5000 + b"]" * 5000 + b"}",
    b'{"object": "whatsapp_business_account", "entry": ' + b"9" * 5000 + b"}",
)  # fmt: skip


@st.composite
def whatsapp_cases(draw: st.DrawFn) -> WhatsAppCase:
    kinds = {
        "plain": 3, "message": 6, "batch": 2, "envelope": 2, "any shape": 1, "raw": 1,
        "huge": 1,
    }  # fmt: skip
    kind = weighted(draw, kinds)
    number = draw(st.sampled_from(WA_NUMBERS))
    if kind == "plain":
        text = draw(st.one_of(plain_text(), st.sampled_from(QUESTIONS)))
        body = to_bytes(
            encode(wa_body(wa_value(number, [wa_message("text", text={"body": text})])))
        )
        return whatsapp_case(body, "right", kind, plain=True)
    signing = draw(mostly(st.just("right"), st.sampled_from(SIGNINGS[1:]), in_ten=8))
    private: tuple[str, ...] = ()
    how = kind
    document: Any
    if kind in ("message", "envelope", "huge"):
        message, private = draw(_wa_messages())
        document = wa_body(wa_value(number, [message]))
        if kind == "envelope":
            how = f"{kind} {_spoil_envelope(draw, document)}"
        if kind == "huge":
            size = draw(st.sampled_from((
                WHATSAPP_MAX_BODY - 2000, WHATSAPP_MAX_BODY - 200, WHATSAPP_MAX_BODY,
                WHATSAPP_MAX_BODY + 1, 2 * WHATSAPP_MAX_BODY,
            )))  # fmt: skip
            padding = size - len(to_bytes(encode(document)))
            document["entry"][0]["changes"][0]["value"]["contacts"][0]["profile"]["name"] = (
                "x" * max(0, padding)
            )
            how = f"{kind} about {size} bytes"
    elif kind == "batch":
        counter = iter(range(100))
        values = []
        for _ in range(draw(st.integers(1, 3))):  # changes, in one or more entries
            messages = []
            for _ in range(draw(st.integers(0, 3))):
                ids = draw(st.integers(0, 3))  # a repeated id: the same delivery twice
                message, more = draw(_wa_messages(ids if draw(st.booleans()) else next(counter)))
                messages.append(message)
                private += more
            if draw(st.integers(0, 4)) == 0:
                messages.append(draw(hostile()))
            statuses = [wa_status(draw(st.sampled_from(("sent", "delivered", "read", "failed"))))]
            value = draw(st.sampled_from((
                wa_value(draw(st.sampled_from((*WA_NUMBERS, "1003"))), messages),
                wa_value(draw(st.sampled_from(WA_NUMBERS)), None, statuses=statuses),
            )))  # fmt: skip
            values.append(value)
        document = wa_body(*values)
        if draw(st.booleans()):  # split the changes over entries
            document["entry"] = [
                {"id": "waba", "changes": [change]} for change in document["entry"][0]["changes"]
            ]
    elif kind == "any shape":
        document = draw(st.one_of(
            json_values(20),
            st.builds(lambda inner: wa_body(wa_value(number, inner)), json_values(10)),
            st.builds(lambda inner: {"object": WHATSAPP_OBJECT, "entry": inner}, json_values(10)),
        ))  # fmt: skip
    else:  # raw: a good delivery broken, or no JSON object at all
        message, private = draw(_wa_messages())
        text = encode(wa_body(wa_value(number, [message])), draw(st.booleans()))
        if draw(st.booleans()):
            body, broken = draw(st.sampled_from(NOT_JSON_BODIES)), "not JSON"
        else:
            body, broken = mutate(draw, text)
        return whatsapp_case(body, signing, f"{kind} {broken}".strip(), *private)
    body = to_bytes(encode(document, draw(st.booleans())))
    return whatsapp_case(body, signing, how, *private)


# --- known troublemakers, tried first on every run --------------------------------------


def _rest(body: dict[str, Any] | str | bytes, sender: str | None = TOKEN) -> HttpCase:
    raw = (
        body
        if isinstance(body, bytes)
        else to_bytes(body if isinstance(body, str) else encode(body))
    )
    return HttpCase(raw, "application/json", sender, False, "known")


def _ask(text: str = "Wie finde ich eine Wohnung?", **metadata: Any) -> dict[str, Any]:
    return {"sender": TOKEN, "message": text, "metadata": {"municipality": "kranj", **metadata}}


DEEP = "[" * 10_000 + "]" * 10_000
REST_EXAMPLES = (
    _rest({"sender": TOKEN + "\x00", "message": "Hallo"}, TOKEN + "\x00"),
    _rest({"sender": TOKEN + "\u202e", "message": "Hallo"}, TOKEN + "\u202e"),
    _rest(_ask("Hallo\x00")),
    _rest(_ask("\udc00")),
    _rest(_ask("\U0001f600" * 1001)),
    _rest(_ask(municipality=["kranj"])),
    _rest(_ask(municipality={"a": 1})),
    _rest(_ask(municipality=math.nan)),
    _rest(_ask(municipality=10**399)),
    _rest(_ask(municipality=Raw("[" * 2000 + "]" * 2000))),
    _rest(_ask(municipality="kranj\ud800")),
    _rest(_ask(language=math.nan)),
    _rest(_ask(language=["de"])),
    _rest(_ask(text_only=math.nan)),
    _rest(_ask("Where is the nearest pharmacy?", location={"lat": math.nan, "lon": 14.3})),
    _rest(_ask("Where is the nearest pharmacy?", location={"lat": 10**399, "lon": 14.3})),
    _rest(_ask(other=Raw("1" + "0" * 400))),
    _rest(_ask(other=Raw("9" * 5000))),
    _rest(_ask(other=Raw(DEEP))),
    _rest({"sender": TOKEN, "message": Raw("NaN")}),
    _rest(DEEP, None),
    _rest(b'{"sender": "' + TOKEN.encode() + b'", "message": "Hallo\xff"}'),
    _rest(b'{"sender": "' + TOKEN.encode() + b'", "message": "Hal'),
    _rest(b"\xef\xbb\xbf" + to_bytes(encode(_ask()))),
    HttpCase(to_bytes(encode(_ask())), "application/json; x=" + "a" * 9000, TOKEN, False, "known"),
    # last: on a Rasa that stores it as it is, this one stops Rasa
    _rest({"sender": "\ud800" + TOKEN, "message": "Hallo"}, "\ud800" + TOKEN),
)


def _widget(message: str, how: str = "known") -> WidgetCase:
    return WidgetCase(_frame("session_request", {"session_id": TOKEN}), message, False, how)


def _utter(**fields: Any) -> str:
    data = {"message": "Wie finde ich eine Wohnung?", "metadata": {"municipality": "kranj"}}
    data.update(fields)
    return _frame("user_uttered", data)


WIDGET_EXAMPLES = (
    *(_widget(frame) for frame in RAW_FRAMES),
    _widget(_utter(metadata={"municipality": ["kranj"]})),
    _widget(_utter(metadata={"language": math.nan, "municipality": "kranj"})),
    _widget(_utter(message="\udc00")),
    _widget(_utter(message="Hallo\x00")),
    _widget(_utter(session_id=["x"])),
    WidgetCase(None, _utter(), False, "known: no session"),
)


def _telegram(
    update: dict[str, Any], secret: bytes | None = RIGHT_SECRET, municipality: str = "kranj"
) -> TelegramCase:
    reply = secret == RIGHT_SECRET and municipality in MUNICIPALITIES and expects_reply(update)
    return TelegramCase(municipality, secret, to_bytes(encode(update)), reply, False, "known")


def _update(text: Any = "Wie finde ich eine Wohnung?", chat: Any = CHAT, **extra: Any) -> dict:
    message = {
        "message_id": 1,
        "date": 0,
        "chat": {"id": chat, "type": "private"},
        "text": text,
        "from": {"id": 1, "is_bot": False, "first_name": "A", "language_code": "de"},
    }
    message.update(extra)
    return {"update_id": 1, "message": message}


TELEGRAM_EXAMPLES = (
    _telegram(_update(), secret="kränj-secret".encode()),
    _telegram(_update(), secret=b"\xff"),
    _telegram(_update(chat="abc")),
    _telegram(_update(chat="")),
    _telegram(_update(chat=1.5)),
    _telegram(_update(chat=10**399)),
    _telegram(_update(chat=math.nan)),
    _telegram(_update(chat=None)),
    _telegram(_update(**{"from": "0"})),
    _telegram(_update(**{"from": {"id": 1, "language_code": ["de"]}})),
    _telegram(_update(text="\udc00")),
    _telegram(_update(text="Hallo\x00")),
    _telegram(_update(text=["Hallo"])),
    _telegram(_update(location={"latitude": math.nan, "longitude": "x"})),
    _telegram(_update(location={"latitude": 46.2457})),
    _telegram(
        {
            "update_id": 1,
            "callback_query": {"id": 5, "data": "/greet", "message": {"chat": {"id": CHAT}}},
        }
    ),
    _telegram({"update_id": 1, "callback_query": {"data": "/greet", "message": {"chat": "x"}}}),
    _telegram(
        {"update_id": 1, "message": {"chat": {"id": CHAT}, "text": "Hallo"}},
        municipality="kranj%00",
    ),
    _telegram(_update(), municipality="%C3%A4" * 2000),  # longer than HTTP's header limit
)


def _whatsapp(document: Any, signing: str = "right", *private: str) -> WhatsAppCase:
    body = document if isinstance(document, bytes) else to_bytes(encode(document))
    return whatsapp_case(body, signing, "known", *private)


def _wa(*messages: Any, number: Any = "1002", **extra: Any) -> dict[str, Any]:
    return wa_body(wa_value(number, list(messages), **extra))


def _said(text: Any = "Wie finde ich eine Wohnung?", number: int = 0, **fields: Any) -> dict:
    return {**wa_message("text", number, text={"body": text}), **fields}


def _chose(chosen: Any, reply: str = "list_reply", **more: Any) -> dict[str, Any]:
    pressed = {"id": chosen, "title": "Wohnen"}
    return wa_message("interactive", interactive={"type": reply, reply: pressed, **more})


def _at(**place: Any) -> dict[str, Any]:
    return wa_message("location", location=place)


WHATSAPP_EXAMPLES = (
    # refused: unsigned, forged, altered after signing, too large
    *(_whatsapp(_wa(_said()), signing) for signing in SIGNINGS[1:]),
    _whatsapp(_wa(_said(), contacts=[{"profile": {"name": "x" * WHATSAPP_MAX_BODY}}])),
    # signed, but no JSON object: 400
    *(_whatsapp(body) for body in NOT_JSON_BODIES[:4]),
    _whatsapp(to_bytes(encode(_wa(_said()))) + b"\xff"),
    _whatsapp(b"\xef\xbb\xbf" + to_bytes(encode(_wa(_said())))),
    # texts that must be skipped, or answered
    _whatsapp(_wa(_said("\x00"))),
    _whatsapp(_wa(_said("Hallo\x00"))),
    _whatsapp(_wa(_said("\udc00"))),
    _whatsapp(_wa(_said(" \n\t"))),
    _whatsapp(_wa(_said(["Hallo"]))),
    _whatsapp(_wa(wa_message("text", text="Hallo"))),
    _whatsapp(_wa(_said("\U0001f600" * 1001))),
    _whatsapp(_wa(_said("a" * (MAX_MESSAGE_LENGTH + 1)))),
    _whatsapp(_wa({**_said(f"Hallo {TOKEN}"), "from": WA_NUMBER})),
    _whatsapp(_wa(_said(f"Hallo {TOKEN}", id=5))),
    _whatsapp(_wa(_said(f"Hallo {TOKEN}", id=None))),
    # pressed buttons and rows
    _whatsapp(_wa(_chose('/choose_municipality{"municipality": ["kranj"]}'))),
    _whatsapp(_wa(_chose('/switch_language{"language": {"x": 1}}', "button_reply"))),
    _whatsapp(_wa(_chose("/nonexistent_intent"))),
    _whatsapp(_wa(_chose(""), _chose(None, "button_reply"))),
    _whatsapp(_wa(_chose("/ask_housing", button_reply={"id": "/greet\x00"}))),
    _whatsapp(_wa(wa_message("interactive", interactive=["button_reply"]))),
    _whatsapp(_wa(wa_message("button", button={"payload": None, "text": "Ja"}))),
    # locations: off the earth, not numbers, half of one; a right one is never kept
    _whatsapp(_wa(_at(latitude=math.nan, longitude=14.3))),
    _whatsapp(_wa(_at(latitude="46.2457", longitude="14.3584"))),
    _whatsapp(_wa(_at(latitude=Raw("1" + "0" * 400), longitude=14.3))),
    _whatsapp(_wa(_at(latitude=90.0000001, longitude=14.3))),
    _whatsapp(_wa(_at(latitude=True, longitude=False))),
    _whatsapp(_wa(_at(latitude=46.2457))),
    _whatsapp(_wa(wa_message("location", location=[46.2, 14.3]))),
    _whatsapp(
        _wa(_at(latitude=46.2457318, longitude=14.3584261, name=f"Dom {TOKEN}")),
        "right",
        "46.2457318",
        "14.3584261",
        f"Dom {TOKEN}",
    ),
    # media, and what is only acknowledged
    _whatsapp(_wa(wa_message("audio", audio={"id": "1", "mime_type": "audio/ogg"}))),
    _whatsapp(_wa(wa_message("sticker", sticker=None))),
    _whatsapp(_wa(wa_message("reaction", reaction={"message_id": "wamid.x", "emoji": "👍"}))),
    _whatsapp(_wa(wa_message("system", system={"body": "new number", "new_wa_id": WA}))),
    _whatsapp(_wa(wa_message("unsupported", errors=[{"code": 131051}]))),
    _whatsapp(wa_body(wa_value("1002", None, statuses=[wa_status()]))),
    # times: a day old, just within, in the future, no whole seconds
    _whatsapp(_wa(_said(timestamp=f"{TIME}-{WHATSAPP_MAX_AGE + 600}"))),
    _whatsapp(_wa(_said(timestamp=f"{TIME}-{WHATSAPP_MAX_AGE - 600}"))),
    _whatsapp(_wa(_said(timestamp=f"{TIME}NUM+3600"))),
    _whatsapp(_wa(_said(timestamp="1.5e9"))),
    _whatsapp(_wa(_said(timestamp=None))),
    # numbers of no municipality, or in the wrong form
    _whatsapp(_wa(_said(), number="1003")),
    _whatsapp(_wa(_said(), number=1002)),
    _whatsapp(_wa(_said(), number="1002\x00")),
    # a batch: the malformed skipped, the others answered once
    _whatsapp(_wa(_said(id=None), "junk", None, _said("Danke", 1), _said("Danke", 1))),
    _whatsapp(
        wa_body(
            wa_value("1001", [_said("Hallo", 0)]),
            wa_value("1002", [_said("Dober dan", 1)]),
            wa_value("1003", [_said("Hallo", 2)]),
            wa_value("1002", None, statuses=[wa_status("read")]),
        )
    ),
    _whatsapp({"object": WHATSAPP_OBJECT, "entry": [None, {"changes": "x"}, []]}),
    _whatsapp(wa_body({**wa_value("1002"), "messages": {"0": _said()}})),
    _whatsapp(wa_body(wa_value("1002", [_said()]), field="statuses")),
    _whatsapp(wa_body(wa_value("1002", [_said()]), obj="page")),
    _whatsapp(_wa(_said(), contacts={"wa_id": [WA]})),
    # found by this suite (HTTP 500 before the fix): a type that is no text, a timestamp
    # past float range, errors that are no list
    _whatsapp(_wa(_said(type=["text"]))),
    _whatsapp(_wa(_said(timestamp="1" + "0" * 400))),
    _whatsapp(_wa(_said(), errors=5)),
)
