"""Fuzzing the REST channel, the widget's socket, the Telegram webhook and the WhatsApp
webhook of the running servers with hypothesis (strategies and known troublemakers in
fuzz_strategies.py).

Every case asserts: a 2xx comes with a reply (REST: a non-empty list; widget: `bot_uttered`;
Telegram: a sendMessage to the chat, unless the update carries nothing to answer), a 4xx with
a JSON error (widget: `refused`), never a 5xx and never silence; the technical-problem apology
counts as a failure too (a part broke behind the 2xx); both servers still answer afterwards;
nothing of a refused request is stored, and an answered REST message is stored under its
conversation id. Ordinary requests must be answered.

WhatsApp (docs/channels.md) has a status for every delivery: 413 over 1 MiB, else 403
without the right X-Hub-Signature-256 (missing, forged, another secret, the body changed
after signing), else 400 for a body that is no JSON object, else 200, even when the
messages inside are malformed (they are skipped; an error would make Meta retry for a
week). Each 4xx comes with a JSON error, and nothing of it is sent or stored. After a 200 the
fake Graph API shows whether the case's person (a fresh number) was answered, and
`whatsapp_verdict` says whether they must be: a fresh text, pressed button or list row, a
location on the earth or media (which gets "text only please") to a configured number are
answered, from that number, and once per message id; statuses, reactions, system notices,
unknown types, malformed messages, messages over a day old and messages to a number of no
municipality are not. The person's number is never stored or logged, nor a shared location's
coordinates, name or address; no case may log a traceback.

`make test` runs the known troublemakers and a bounded run (BOUNDED, or FUZZ_EXAMPLES cases
per channel); `make fuzz` sets FUZZ_MINUTES and runs rounds of FUZZ_ROUND cases, each with its
own seed, until the time is over. FUZZ_SEED=<n> repeats a run; the counts per channel and
outcome are printed and written to var/fuzz/summary.txt. A server that stops answering ends
the fuzzing at once (no shrinking: later cases would mean nothing).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import itertools
import json
import os
import re
import secrets
import sqlite3
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import pytest
import requests
from exceptiongroup import BaseExceptionGroup
from hypothesis import HealthCheck, Phase, example, given, seed, settings
from hypothesis.strategies import SearchStrategy

from bot import PROJECT_DIR
from bot.channels.whatsapp_messages import pseudonym
from bot.language.registry import supported_codes
from bot.locales.catalog import load_catalog
from tests.e2e.conftest import (
    ACTIONS_PORT,
    TELEGRAM_BOTS,
    WHATSAPP_ACCESS_TOKEN,
    WHATSAPP_APP_SECRET,
    WHATSAPP_NUMBERS,
    stored_events,
)
from tests.e2e.fake_graph import FakeGraphApi
from tests.e2e.fake_telegram import FakeBotApi
from tests.e2e.fuzz_strategies import (
    CHAT,
    REST_EXAMPLES,
    RIGHT_SECRET,
    TELEGRAM_EXAMPLES,
    TOKEN,
    WA,
    WA_NUMBER,
    WHATSAPP_EXAMPLES,
    WHATSAPP_MAX_BODY,
    WIDGET_EXAMPLES,
    HttpCase,
    TelegramCase,
    WhatsAppCase,
    WidgetCase,
    rest_cases,
    telegram_cases,
    whatsapp_cases,
    widget_cases,
)
from tests.e2e.whatsapp_client import sign
from tests.e2e.whatsapp_client import stored_id as whatsapp_stored_id

try:  # conversation ids namespaced per channel ("rest:abc"), once the channels do it
    from bot.channels.edge import conversation_id as _conversation_id
except ImportError:
    _conversation_id = None

pytestmark = pytest.mark.e2e

FUZZ_MINUTES = float(os.environ.get("FUZZ_MINUTES") or 0)  # 0: the bounded run of make test
BASE_SEED = int(os.environ.get("FUZZ_SEED") or secrets.randbits(32))
BOUNDED = {"rest": 250, "telegram": 200, "widget": 150, "whatsapp": 150}  # ~30 s each, 2 cores
if os.environ.get("FUZZ_EXAMPLES"):
    BOUNDED = dict.fromkeys(BOUNDED, int(os.environ["FUZZ_EXAMPLES"]))
ROUND = int(os.environ.get("FUZZ_ROUND") or 300)
HTTP_TIMEOUT = 60.0  # seconds without an answer that count as silence
SOCKET_TIMEOUT = 10.0
SOCKET_PATH = "/webhooks/widget/socket.io"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
WHATSAPP_PATH = "/webhooks/whatsapp/webhook"
SIGNATURE_HEADER = "X-Hub-Signature-256"
SUMMARY = PROJECT_DIR / "var" / "fuzz" / "summary.txt"

settings.register_profile(
    "fuzz",
    deadline=None,
    suppress_health_check=list(HealthCheck),
    print_blob=True,
    phases=(Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink),
)
settings.register_profile("fuzz-long", settings.get_profile("fuzz"), max_examples=ROUND)

TECHNICAL_PROBLEM = {
    load_catalog(code)["responses"]["utter_technical_problem"][0]["text"]
    for code in supported_codes()
}
_chats = itertools.count(7_000_000_000_000 + secrets.randbelow(10**9) * 1000)


# --- what counts as a failure -----------------------------------------------------------


class FuzzError(AssertionError):
    """A promise of the channels broken by one case."""


class ServerError(FuzzError):
    """A 5xx."""


class SilenceError(FuzzError):
    """No answer at all (no response, no bot_uttered or refused, no message to the chat)."""


class BadRefusalError(FuzzError):
    """A 4xx (or refused event) without a JSON error saying why."""


class BadReplyError(FuzzError):
    """A 2xx without a proper reply, or another status."""


class TechnicalProblemError(FuzzError):
    """The technical-problem apology: some part failed behind the 2xx."""


class HiddenError(FuzzError):
    """A traceback in a server's log while the client got a normal answer."""


class StoredRefusedError(FuzzError):
    """Something of a refused request is in the conversation store."""


class PlainRefusedError(FuzzError):
    """An ordinary request refused."""


class LostConversationError(FuzzError):
    """An answered message that is not stored under its sender's conversation id (so the
    conversation cannot go on, or goes on in another one)."""


class WrongStatusError(FuzzError):
    """Another status than the channel promises: a forged or too large delivery not
    refused, a signed one not acknowledged."""


class PrivacyError(FuzzError):
    """A WhatsApp number, or a shared location's coordinates, name or address, stored or
    logged."""


class ServerDied(BaseException):
    """A server stopped answering: no later case means anything, so no shrinking either
    (hypothesis lets a BaseException through at once)."""


def server_died(error: BaseException) -> ServerDied | None:
    """The ServerDied in `error`, also inside the groups hypothesis raises for several
    failures."""
    if isinstance(error, ServerDied):
        return error
    if isinstance(error, BaseExceptionGroup):
        for inner in error.exceptions:
            found = server_died(inner)
            if found:
                return found
    return None


_by_cause: dict[tuple[type[FuzzError], str], type[FuzzError]] = {}


def _with_cause(kind: type[FuzzError], cause: str | None) -> type[FuzzError]:
    """A subclass of `kind` per server-side traceback, so hypothesis keeps apart (and
    shrinks separately) failures that look alike from outside."""
    if not cause:
        return kind
    if (kind, cause) not in _by_cause:
        _by_cause[kind, cause] = type(f"{kind.__name__}[{cause}]", (kind,), {})
    return _by_cause[kind, cause]


# --- the servers ------------------------------------------------------------------------

_TRACEBACK = "Traceback (most recent call last):"
_FRAME = re.compile(r'^\s*File "([^"]+)", line (\d+), in (\S+)')


def traceback_cause(log: str) -> str | None:
    """`ExceptionType at file.py:line` of the last traceback in `log`, or None."""
    start = log.rfind(_TRACEBACK)
    if start < 0:
        return None
    where, error = "", ""
    for line in log[start:].splitlines()[1:]:
        frame = _FRAME.match(line)
        if frame:
            where = f"{Path(frame[1]).name}:{frame[2]}"
        elif line and not line.startswith(" "):
            error = line.split(":", 1)[0].strip()
            break
    return f"{error} at {where}" if error else None


@dataclass
class Servers:
    """The e2e servers as the fuzz cases see them, with their logs."""

    rasa_url: str
    servers_dir: Path
    fake_telegram: FakeBotApi
    fake_graph: FakeGraphApi
    stats: Stats
    dead: str = ""
    _offsets: dict[Path, int] = field(default_factory=dict)

    @property
    def logs(self) -> list[Path]:
        return [self.servers_dir / "rasa.log", self.servers_dir / "actions.log"]

    def mark(self) -> None:
        """Start of a case: only log lines written from now on belong to it."""
        self._offsets = {path: path.stat().st_size for path in self.logs if path.exists()}

    def new_log(self) -> str:
        parts = []
        for path in self.logs:
            if path.exists():
                with path.open("rb") as log:
                    log.seek(self._offsets.get(path, 0))
                    parts.append(log.read().decode("utf-8", "replace"))
        return "\n".join(parts)

    def excerpt(self) -> str:
        """The last traceback the servers logged during the case, else the log's end."""
        log = self.new_log()
        return (log[log.rfind(_TRACEBACK) :] if _TRACEBACK in log else log[-1500:])[-3000:]

    def failure(self, kind: type[FuzzError], message: str, case: Any) -> FuzzError:
        cause = traceback_cause(self.new_log())
        return _with_cause(kind, cause)(
            f"{message}\ncase: {case!r}\n--- server logs during the case ---\n{self.excerpt()}"
        )

    def ensure_alive(self, case: Any) -> None:
        """Both servers still answer their health checks, or ServerDied."""
        for name, url in (
            ("Rasa", f"{self.rasa_url}/"),
            ("the action server", f"http://localhost:{ACTIONS_PORT}/health"),
        ):
            try:
                up = requests.get(url, timeout=15).status_code == 200
            except requests.RequestException:
                up = False
            if not up:
                raise ServerDied(
                    f"{name} stopped answering after this case:\n{case!r}\n"
                    f"--- server logs during the case ---\n{self.excerpt()}"
                )

    def check_logs(self, case: Any) -> None:
        """A traceback during a case that was answered normally is a hidden failure."""
        if _TRACEBACK in self.new_log():
            raise self.failure(HiddenError, "a server logged a traceback", case)

    def nothing_stored(self, case: Any, token: str, ids: set[str]) -> None:
        """No event under any of `ids` and none anywhere that mentions `token`."""
        for conversation in ids:
            if events_of(self.servers_dir, conversation):
                raise self.failure(StoredRefusedError, f"events stored for {conversation!r}", case)
        with sqlite3.connect(self.servers_dir / "tracker.db") as database:
            query = "SELECT count(*) FROM events WHERE instr(sender_id, ?) OR instr(data, ?)"
            (count,) = database.execute(query, (token, token)).fetchone()
        if count:
            raise self.failure(StoredRefusedError, f"{count} stored events mention {token}", case)


def events_of(servers_dir: Path, conversation: str) -> list[str]:
    """stored_events, none for an id that is no UTF-8 (a lone surrogate) and so cannot be
    stored in the first place."""
    try:
        conversation.encode("utf-8")
    except UnicodeEncodeError:
        return []
    return stored_events(servers_dir, conversation)


def stored_id(channel: str, raw: str) -> str:
    """The conversation id the store uses for `raw` (a sender, a widget session,
    `municipality:chat` for Telegram)."""
    if _conversation_id is None:
        return f"telegram:{raw}" if channel == "telegram" else raw
    return str(_conversation_id(channel, raw))


def candidate_ids(channel: str, raw: str) -> set[str]:
    """Every id a conversation of `raw` may be stored under, before and after namespacing."""
    ids = {raw, f"{channel}:{raw}"}
    with contextlib.suppress(TypeError, ValueError):  # another signature: the others remain
        ids.add(stored_id(channel, raw))
    return ids


def fresh(case_part: str | None, token: str) -> str | None:
    """`case_part` with this run's token for TOKEN."""
    return None if case_part is None else case_part.replace(TOKEN, token)


def post_case(
    servers: Servers, path: str, data: bytes, headers: Mapping[str, str | bytes], case: Any
) -> requests.Response:
    """POST one case's body; no answer at all is silence. The servers must be up after."""
    servers.mark()
    try:
        response = requests.post(
            f"{servers.rasa_url}{path}", data=data, headers=headers, timeout=HTTP_TIMEOUT
        )
    except (requests.ConnectionError, requests.Timeout) as error:
        servers.ensure_alive(case)
        raise servers.failure(SilenceError, f"no HTTP answer: {error!r}", case) from None
    servers.ensure_alive(case)
    return response


def judge_http(servers: Servers, response: requests.Response, case: Any) -> Any:
    """The JSON body of a 2xx or 4xx; raises for anything else or a 4xx without a JSON
    error."""
    status = response.status_code
    if status >= 500:
        raise servers.failure(ServerError, f"HTTP {status}: {response.text[:300]!r}", case)
    try:
        body = response.json()
    except ValueError:
        body = None
    if 400 <= status < 500:
        if not isinstance(body, dict) or not (
            body.get("error") or ("description" in body and "status" in body)
        ):
            raise servers.failure(
                BadRefusalError,
                f"HTTP {status} without a JSON error: {response.text[:300]!r}",
                case,
            )
    elif not 200 <= status < 300:
        raise servers.failure(BadReplyError, f"HTTP {status}: {response.text[:300]!r}", case)
    elif body is None:
        raise servers.failure(
            BadReplyError, f"HTTP {status}, not JSON: {response.text[:300]!r}", case
        )
    return body


def check_texts(servers: Servers, texts: list[Any], case: Any) -> None:
    """Replies are text, at least one not empty, and none is the technical-problem one."""
    if not any(isinstance(text, str) and text.strip() for text in texts):
        raise servers.failure(BadReplyError, f"a reply without text: {texts!r}", case)
    if TECHNICAL_PROBLEM & {text for text in texts if isinstance(text, str)}:
        raise servers.failure(TechnicalProblemError, f"the apology came: {texts!r}", case)


# --- the channels -----------------------------------------------------------------------


def check_rest(servers: Servers, case: HttpCase) -> str:
    """One REST request; returns the outcome for the statistics."""
    token = uuid.uuid4().hex
    headers = {"Content-Type": case.content_type} if case.content_type else {}
    response = post_case(
        servers,
        "/webhooks/rest/webhook",
        case.body.replace(TOKEN.encode(), token.encode()),
        headers,
        case,
    )
    body = judge_http(servers, response, case)
    sender = fresh(case.sender, token)
    if response.status_code >= 400:
        servers.nothing_stored(case, token, candidate_ids("rest", sender) if sender else set())
        if response.status_code == 429:
            return "rate limited"
        if case.plain:
            raise servers.failure(PlainRefusedError, f"refused: {body!r}", case)
        return "refused"
    if not isinstance(body, list) or not body or not all(isinstance(r, dict) for r in body):
        raise servers.failure(SilenceError, f"2xx without replies: {body!r}", case)
    check_texts(servers, [reply.get("text") for reply in body], case)
    servers.check_logs(case)
    if sender and not events_of(servers.servers_dir, stored_id("rest", sender)):
        raise servers.failure(
            LostConversationError, f"nothing stored under {stored_id('rest', sender)!r}", case
        )
    return "accepted"


class SocketClosedError(Exception):
    """The server closed the socket."""


class Socket:
    """Engine.IO v4 / Socket.IO v5 over a websocket, by hand, to send any frame."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.ws = ws

    async def packet(self) -> str:
        while True:
            message = await self.ws.receive()
            if message.type != aiohttp.WSMsgType.TEXT:
                raise SocketClosedError(str(message.type))
            if message.data == "2":  # ping
                await self.ws.send_str("3")
                continue
            if message.data in ("1", "41") or message.data.startswith("44"):
                raise SocketClosedError(message.data)
            return str(message.data)

    async def event(self, *names: str) -> tuple[str, Any]:
        """The next event named one of `names` (others are skipped)."""
        while True:
            packet = await self.packet()
            if packet.startswith("42"):
                name, *args = json.loads(packet[2:])
                if name in names:
                    return name, args[0] if args else None


async def _talk(
    socket: Socket, case: WidgetCase, token: str, stage: list[str]
) -> tuple[str, str | None, Any]:
    """Handshake, session request, message; the first answer. `stage` says how far it got."""
    if not (await socket.packet()).startswith("0{"):
        return "bad handshake", None, None
    await socket.ws.send_str("40")
    if not (await socket.packet()).startswith("40"):
        return "bad handshake", None, None
    session_id = None
    if case.session_request is not None:
        stage.append("session_request")
        await socket.ws.send_str(case.session_request.replace(TOKEN, token))
        name, confirmed = await socket.event("session_confirm", "refused")
        if name == "refused":  # the session request itself was refused
            return name, None, confirmed
        session_id = confirmed.get("session_id") if isinstance(confirmed, dict) else None
        wanted = token if TOKEN in case.session_request else None
        if not isinstance(session_id, str) or not re.fullmatch("[0-9a-f]{32}", session_id):
            return "bad session_confirm", None, confirmed
        if wanted and session_id != wanted:
            return "bad session_confirm", None, confirmed
    stage.append("user_uttered")
    await socket.ws.send_str(case.message.replace(TOKEN, token))
    try:
        name, data = await socket.event("bot_uttered", "refused")
    except SocketClosedError as closed:
        return "closed", session_id, str(closed)
    return name, session_id, data


async def widget_exchange(url: str, case: WidgetCase, token: str) -> tuple[str, str | None, Any]:
    """(`bot_uttered` | `refused` | `closed` | `silence` | `bad ...`, the confirmed session,
    the event's data)."""
    address = "ws" + url.removeprefix("http") + SOCKET_PATH + "/?EIO=4&transport=websocket"
    stage = ["handshake"]
    async with (
        aiohttp.ClientSession() as http,
        http.ws_connect(address, max_msg_size=0, autoclose=False) as ws,
    ):
        try:
            return await asyncio.wait_for(_talk(Socket(ws), case, token, stage), SOCKET_TIMEOUT)
        except asyncio.TimeoutError:
            return "silence", None, f"no answer to the {stage[-1]}"
        except SocketClosedError as closed:
            return "closed before the message", None, str(closed)


def check_widget(servers: Servers, case: WidgetCase) -> str:
    """One session over the socket: request, message, first answer."""
    token = uuid.uuid4().hex
    servers.mark()
    try:
        outcome, session, data = asyncio.run(widget_exchange(servers.rasa_url, case, token))
    except aiohttp.ClientError as error:
        servers.ensure_alive(case)
        raise servers.failure(SilenceError, f"socket failed: {error!r}", case) from None
    servers.ensure_alive(case)
    ids = candidate_ids("widget", session) if session else set()
    if outcome == "silence":
        raise servers.failure(SilenceError, f"{data}: neither an answer nor refused", case)
    if outcome.startswith(("bad", "closed before")):
        raise servers.failure(BadReplyError, f"{outcome}: {data!r} (session {token})", case)
    if outcome == "bot_uttered":
        if not isinstance(data, dict):
            raise servers.failure(BadReplyError, f"bot_uttered {data!r}", case)
        check_texts(servers, [data.get("text")], case)
        servers.check_logs(case)
        return "accepted"
    servers.nothing_stored(case, token, ids)
    if case.plain:
        raise servers.failure(PlainRefusedError, f"{outcome}: {data!r}", case)
    if outcome == "refused" and not (isinstance(data, dict) and data.get("reason")):
        raise servers.failure(BadRefusalError, f"refused without a reason: {data!r}", case)
    if outcome == "refused" and "many" in str(data):
        return "rate limited"
    return outcome


def awaited(replies: Callable[[], list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """What `replies` finds, waiting up to 5 s for something: a channel answers before its
    200, so this is only a margin."""
    deadline = time.monotonic() + 5
    found = replies()
    while not found and time.monotonic() < deadline:
        time.sleep(0.1)
        found = replies()
    return found


def _chat_calls(fake: FakeBotApi, chat: int) -> list[dict[str, Any]]:
    return [
        payload
        for _, method, payload in list(fake.calls)
        if method == "sendMessage" and payload.get("chat_id") == chat
    ]


_UPDATE_ID = re.compile(rb'"update_id":\s*-?[0-9]+(?=[,}\s])')
_update_ids = itertools.count(7_000_000_000)


def check_telegram(servers: Servers, case: TelegramCase) -> str:
    """One webhook call; for a 2xx, the messages the fake Bot API got for the chat."""
    token, chat = uuid.uuid4().hex, next(_chats)
    body = case.body.replace(json.dumps(CHAT).encode(), str(chat).encode())
    body = body.replace(TOKEN.encode(), token.encode())
    # each delivery gets an update_id of its own, as Telegram gives them: a repeated one is
    # a retry, answered once (tests/e2e/test_telegram.py); forms other than a number stay
    body = _UPDATE_ID.sub(lambda _: f'"update_id": {next(_update_ids)}'.encode(), body, count=1)
    headers: dict[str, str | bytes] = {"Content-Type": "application/json"}
    if case.secret == RIGHT_SECRET:
        headers[SECRET_HEADER] = TELEGRAM_BOTS.get(case.municipality, ("", "x"))[1]
    elif case.secret is not None:
        headers[SECRET_HEADER] = case.secret
    response = post_case(servers, f"/webhooks/telegram/{case.municipality}", body, headers, case)
    answer = judge_http(servers, response, case)
    fresh_chat = str(chat).encode() in body
    ids = set()
    if fresh_chat:
        for municipality in TELEGRAM_BOTS:
            ids |= candidate_ids("telegram", f"{municipality}:{chat}")
    sent = _chat_calls(servers.fake_telegram, chat)
    if response.status_code >= 400:
        if sent:
            raise servers.failure(BadReplyError, f"refused, yet sent {sent!r}", case)
        servers.nothing_stored(case, token, ids)
        if response.status_code == 429:
            return "rate limited"
        if case.plain:
            raise servers.failure(PlainRefusedError, f"refused: {answer!r}", case)
        return "refused"
    if not isinstance(answer, dict):
        raise servers.failure(BadReplyError, f"2xx body {answer!r}", case)
    if case.expects_reply and not sent:
        sent = awaited(lambda: _chat_calls(servers.fake_telegram, chat))
        if not sent:
            raise servers.failure(
                SilenceError, f"{response.status_code} {answer!r}, no message", case
            )
    if not sent:
        servers.nothing_stored(case, token, ids)
        return "ignored"
    check_texts(servers, [message.get("text") for message in sent], case)
    servers.check_logs(case)
    return "accepted"


_people = itertools.count(4_300_000_000_000 + secrets.randbelow(10**9) * 1000)
_TIMES = re.compile(rb'"FUZZTIME(NUM)?([+-][0-9]+)"')


def whatsapp_body(case: WhatsAppCase, token: str, person: str, now: int) -> bytes:
    """The case's body for this run: its placeholders filled in."""
    body = case.body.replace(json.dumps(WA_NUMBER).encode(), person.encode())
    body = body.replace(json.dumps(WA).encode(), json.dumps(person).encode())
    body = body.replace(TOKEN.encode(), token.encode())

    def when(found: re.Match[bytes]) -> bytes:
        stamp = now + int(found[2])
        return str(stamp).encode() if found[1] else f'"{stamp}"'.encode()

    return _TIMES.sub(when, body)


def whatsapp_signed(signing: str, body: bytes) -> tuple[bytes, dict[str, str | bytes]]:
    """The body as sent and its headers: signed with the app secret over the body as sent
    ("right"), or in one of the ways that must get 403."""
    right = sign(body)
    digest = right.removeprefix("sha256=")
    signatures: dict[str, str | bytes] = {
        "right": right,
        "empty": "",
        "zeros": "sha256=" + "0" * 64,
        "other secret": sign(body, WHATSAPP_APP_SECRET + "x"),
        "altered": right,
        "bare hex": digest,
        "sha1": "sha1=" + hmac.new(WHATSAPP_APP_SECRET.encode(), body, hashlib.sha1).hexdigest(),
        "cut": right[:-1],
        "twice": f"{right},{right}",
        "non-ascii": right.encode() + "é".encode("latin-1"),
    }
    headers: dict[str, str | bytes] = {"Content-Type": "application/json"}
    if signing != "none":
        headers[SIGNATURE_HEADER] = signatures[signing]
    return (body + b" " if signing == "altered" else body), headers


DEEP_JSON = 500  # nesting beyond which a server may find a body too deep to read


def json_object(body: bytes) -> bool | None:
    """Whether the body is a JSON object in strict UTF-8 (docs/operations.md, Security);
    None if it is one nested deeper than DEEP_JSON: whether the server can read it depends
    on its stack (the tests run with hypothesis' higher recursion limit)."""
    try:
        document = json.loads(body.decode("utf-8"))
    except (ValueError, RecursionError):
        return False
    if not isinstance(document, dict):
        return False
    level: list[tuple[Any, int]] = [(document, 1)]
    deepest = 1
    while level:
        node, depth = level.pop()
        deepest = max(deepest, depth)
        children = node.values() if isinstance(node, dict) else node
        level += [(c, depth + 1) for c in children if isinstance(c, (dict, list))]
    return True if deepest <= DEEP_JSON else None


def _graph_replies(fake: FakeGraphApi, person: str) -> list[tuple[str, str, dict[str, Any]]]:
    return [(number, bearer, m) for number, bearer, m in fake.messages() if m.get("to") == person]


def _shown(message: dict[str, Any]) -> Any:
    """The text a sent message shows: a text's body, an interactive message's body."""
    with contextlib.suppress(AttributeError, KeyError, TypeError):
        if message["type"] == "text":
            return message["text"]["body"]
        return message["interactive"]["body"]["text"]
    return None


def check_privacy(
    servers: Servers, case: WhatsAppCase, person: str, conversations: set[str], private: list[str]
) -> None:
    """The person's number is nowhere in the store or the case's logs; a location's
    coordinates, name and address are not in their conversations or the logs."""
    with sqlite3.connect(servers.servers_dir / "tracker.db") as database:
        query = "SELECT count(*) FROM events WHERE instr(sender_id, ?) OR instr(data, ?)"
        (count,) = database.execute(query, (person, person)).fetchone()
    if count:
        raise servers.failure(PrivacyError, f"{count} stored events hold the number", case)
    log = servers.new_log()
    for secret in [person, *private]:
        if secret in log:
            raise servers.failure(PrivacyError, f"{secret!r} in the servers' log", case)
    stored = "\n".join(e for c in conversations for e in events_of(servers.servers_dir, c))
    for secret in private:
        if secret in stored:
            raise servers.failure(PrivacyError, f"{secret!r} stored", case)


def check_whatsapp(servers: Servers, case: WhatsAppCase) -> str:
    """One delivery to the webhook; then what the fake Graph API got for the person."""
    token, person, now = uuid.uuid4().hex, str(next(_people)), int(time.time())
    body, headers = whatsapp_signed(case.signing, whatsapp_body(case, token, person, now))
    if len(body) > WHATSAPP_MAX_BODY:
        expected = {413}
    elif case.signing != "right":
        expected = {403}
    else:
        expected = {None: {200, 400}, True: {200}, False: {400}}[json_object(body)]
    response = post_case(servers, WHATSAPP_PATH, body, headers, case)
    answer = judge_http(servers, response, case)  # no 5xx; a 4xx with a JSON error
    status = response.status_code
    if status not in expected:
        raise servers.failure(
            WrongStatusError, f"HTTP {status}, not {expected}: {response.text[:300]!r}", case
        )
    conversations = set()  # the person's with each municipality, never their number
    for municipality in WHATSAPP_NUMBERS:
        raw = f"{municipality}:{pseudonym(person, WHATSAPP_APP_SECRET)}"
        conversations |= candidate_ids("whatsapp", raw)
    private = [secret.replace(TOKEN, token) for secret in case.private]
    sent = _graph_replies(servers.fake_graph, person)
    verdict = case.verdict
    if status >= 400:
        if sent:
            raise servers.failure(BadReplyError, f"refused, yet sent {sent!r}", case)
        servers.nothing_stored(case, token, conversations)
        check_privacy(servers, case, person, conversations, private)
        servers.check_logs(case)
        return "refused"
    if not isinstance(answer, dict):
        raise servers.failure(BadReplyError, f"2xx body {answer!r}", case)
    if verdict.reply and not sent:
        sent = awaited(lambda: _graph_replies(servers.fake_graph, person))
        if not sent:
            raise servers.failure(SilenceError, f"{status} {answer!r}, no message", case)
    check_privacy(servers, case, person, conversations, private)
    servers.check_logs(case)
    if not sent:
        # a TOKEN of the case may be in a message someone else was answered for
        servers.nothing_stored(case, uuid.uuid4().hex if verdict.others else token, conversations)
        return "ignored"
    if verdict.reply is False:
        raise servers.failure(BadReplyError, f"answered what is to be ignored: {sent!r}", case)
    numbers = {number for number, _, _ in sent}
    if not numbers <= verdict.numbers:
        raise servers.failure(BadReplyError, f"answered from the numbers {numbers}", case)
    if {bearer for _, bearer, _ in sent} != {WHATSAPP_ACCESS_TOKEN}:
        raise servers.failure(BadReplyError, "sent without the access token", case)
    check_texts(servers, [_shown(message) for _, _, message in sent], case)
    for municipality in verdict.stored:
        if not events_of(servers.servers_dir, whatsapp_stored_id(municipality, person)):
            raise servers.failure(
                LostConversationError, f"nothing stored for {municipality}'s conversation", case
            )
    return "accepted"


# --- running and counting ---------------------------------------------------------------


@dataclass
class Stats:
    """Cases per channel and outcome, the seeds and the time each channel took."""

    counts: Counter[tuple[str, str]] = field(default_factory=Counter)
    seeds: dict[str, list[int]] = field(default_factory=dict)
    seconds: Counter[str] = field(default_factory=Counter)

    def render(self) -> str:
        lines = [f"fuzz: FUZZ_SEED={BASE_SEED} FUZZ_MINUTES={FUZZ_MINUTES:g}"]
        for channel in sorted(self.seeds):
            outcomes = {o: n for (c, o), n in sorted(self.counts.items()) if c == channel}
            total = sum(outcomes.values())
            lines.append(
                f"  {channel}: {total} cases in {self.seconds[channel]:.0f} s {outcomes} "
                f"(round seeds {self.seeds[channel][0]}..{self.seeds[channel][-1]})"
            )
        return "\n".join(lines)


@pytest.fixture(scope="module")
def servers(
    rasa_url: str,
    servers_dir: Path,
    fake_telegram: FakeBotApi,
    fake_graph: FakeGraphApi,
    pytestconfig: pytest.Config,
) -> Iterator[Servers]:
    """The running servers (WhatsApp's numbers answer through `fake_graph`, conftest.py); at
    the end, how many cases ran (terminal and summary.txt)."""
    stats = Stats()
    yield Servers(rasa_url, servers_dir, fake_telegram, fake_graph, stats)
    text = stats.render()
    SUMMARY.parent.mkdir(parents=True, exist_ok=True)
    SUMMARY.write_text(text + "\n", "utf-8")
    reporter = pytestconfig.pluginmanager.get_plugin("terminalreporter")
    capture = pytestconfig.pluginmanager.get_plugin("capturemanager")
    if reporter is not None and capture is not None:
        with capture.global_and_fixture_disabled():  # shown with -q too, not only on failure
            reporter.write_line("\n" + text)


def fuzz(
    servers: Servers,
    channel: str,
    strategy: SearchStrategy[Any],
    check: Callable[[Servers, Any], str],
    known: tuple[Any, ...],
) -> None:
    """The `known` troublemakers and one bounded round, or (FUZZ_MINUTES) rounds with new
    seeds until the channel's share of the time is over; then: were enough cases answered
    to mean something?"""
    if servers.dead:
        pytest.fail(f"not run: {servers.dead}", pytrace=False)
    stats = servers.stats
    stats.seeds[channel] = []
    died = ""

    def one(case: Any) -> None:
        stats.counts[channel, check(servers, case)] += 1

    for case in reversed(known):  # hypothesis tries explicit examples last-applied first
        one = example(case)(one)

    started = time.monotonic()
    try:
        for number in itertools.count():
            stats.seeds[channel].append(BASE_SEED + number)
            profile = "fuzz-long" if FUZZ_MINUTES else "fuzz"
            examples = ROUND if FUZZ_MINUTES else BOUNDED[channel]
            run = settings(settings.get_profile(profile), max_examples=examples)(
                seed(BASE_SEED + number)(given(strategy)(one))
            )
            try:
                run()
            except BaseException as error:
                stopped = server_died(error)
                if stopped is None:
                    raise
                servers.dead = f"a {channel} case stopped a server (see its test)"
                if stopped is not error:  # other failures came with it: show them all
                    raise
                died = f"{error}\n(FUZZ_SEED={BASE_SEED + number})"
                break
            if not FUZZ_MINUTES or time.monotonic() - started > FUZZ_MINUTES * 20:
                break
    finally:
        stats.seconds[channel] += time.monotonic() - started
    if died:
        pytest.fail(died, pytrace=False)
    total = sum(n for (c, _), n in stats.counts.items() if c == channel)
    accepted, limited = stats.counts[channel, "accepted"], stats.counts[channel, "rate limited"]
    assert accepted >= total // 10, f"only {accepted} of {total} {channel} cases were answered"
    assert limited <= total // 10, (
        f"{limited} of {total} {channel} cases hit a rate limit: raise the e2e servers' "
        "ADDRESS_RATE_LIMIT_PER_MINUTE"
    )


def test_rest_channel_survives_fuzzing(servers: Servers) -> None:
    fuzz(servers, "rest", rest_cases(), check_rest, REST_EXAMPLES)


def test_telegram_webhook_survives_fuzzing(servers: Servers) -> None:
    fuzz(servers, "telegram", telegram_cases(), check_telegram, TELEGRAM_EXAMPLES)


def test_widget_socket_survives_fuzzing(servers: Servers) -> None:
    fuzz(servers, "widget", widget_cases(), check_widget, WIDGET_EXAMPLES)


def test_whatsapp_webhook_survives_fuzzing(servers: Servers) -> None:
    fuzz(servers, "whatsapp", whatsapp_cases(), check_whatsapp, WHATSAPP_EXAMPLES)
