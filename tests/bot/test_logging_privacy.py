"""No user text, location or tracker body survives in a log line (bot/logging_privacy.py).

The lines are the ones Rasa 3.6, rasa_sdk, Sanic and socket.io really write (their message
formats are copied from their source), rendered by real formatters.
"""

from __future__ import annotations

import asyncio
import io
import json
import logging
from collections.abc import Iterator
from typing import Any, Dict, List, Optional
from unittest import mock

import coloredlogs
import pytest
import sqlalchemy
import structlog
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.exceptions import RasaException
from rasa.utils.endpoints import ClientResponseError, EndpointConfig
from rasa.utils.log_utils import configure_structlog
from rasa_sdk import Action, Tracker
from rasa_sdk.executor import ActionExecutor, CollectingDispatcher

import actions  # noqa: F401  (wraps ActionExecutor.run, as the action server does)
from bot.logging_privacy import (
    REDACTED,
    WITHHELD,
    install,
    private_values,
    redact,
    redact_event_dict,
)

MARKER = "zebra-7731"
TEXT = f"Wo ist der nächste Sprachkurs? {MARKER}"
LAT, LON = 46.23917, 14.35561
METADATA = {"municipality": "kranj", "location": {"lat": LAT, "lon": LON}}
SECRETS = (MARKER, str(LAT), str(LON), "Sprachkurs")
FORMAT = "%(asctime)s %(levelname)-8s %(name)s  - %(message)s"  # Rasa's (rasa/utils/io.py)
PROCESSOR_FAILURE = (  # rasa/core/processor.py, _run_action
    "Encountered an exception while running action 'action_find_service'."
    "Bot will continue, but the actions events are lost. "
    "Please check the logs of your action server for "
    "more information."
)


def emitted(
    name: str,
    level: int,
    message: Any,
    *args: Any,
    exc_info: Any = None,
    formatter: Optional[logging.Formatter] = None,
) -> str:
    """What a handler of logger `name` writes for one call."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter or logging.Formatter(FORMAT))
    logger = logging.getLogger(name)
    level_before = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        logger.log(level, message, *args, exc_info=exc_info)
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level_before)
    return stream.getvalue()


def assert_private(output: str) -> None:
    leaks = [secret for secret in SECRETS if secret.lower() in output.lower()]
    assert not leaks, f"{leaks} in:\n{output}"


def tracker() -> DialogueStateTracker:
    return DialogueStateTracker.from_events(
        "rest:4711",
        [
            ActionExecuted("action_session_start"),
            SessionStarted(),
            SlotSet("session_started_metadata", METADATA),
            ActionExecuted("action_listen"),
            UserUttered(TEXT, {"name": "find_service", "confidence": 0.88}, metadata=METADATA),
        ],
    )


def action_call() -> Dict[str, Any]:
    """What Rasa posts to the action server (RemoteAction._action_call_format)."""
    action = RemoteAction("action_find_service", EndpointConfig("http://localhost:5055/webhook"))
    return json.loads(json.dumps(action._action_call_format(tracker(), Domain.empty())))


def failed_action(error: str = "No module named 'pg8000'") -> RasaException:
    """The exception Rasa logs when the action server answers 500: rasa_sdk's error reply
    (rasa_sdk/endpoint.py) echoes the whole action call, Rasa keeps the body in the cause."""
    reply = json.dumps({"error": error, "request_body": action_call()}, separators=(",", ":"))
    try:
        try:
            raise ClientResponseError(500, "Internal Server Error", reply.encode())  # type: ignore[arg-type]
        except ClientResponseError as cause:
            raise RasaException("Failed to execute custom action 'action_find_service'") from cause
    except RasaException as error:
        return error


# -- Rasa's process -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "formatter",
    [logging.Formatter(FORMAT), coloredlogs.ColoredFormatter(FORMAT)],
    ids=["plain", "coloredlogs"],
)
def test_a_failed_action_is_logged_without_the_tracker(formatter: logging.Formatter) -> None:
    output = emitted(
        "rasa.core.processor",
        logging.ERROR,
        PROCESSOR_FAILURE,
        exc_info=failed_action(),
        formatter=formatter,
    )
    assert_private(output)
    assert "Encountered an exception while running action 'action_find_service'" in output
    assert "ClientResponseError: 500, Internal Server Error" in output
    assert "No module named" in output and "pg8000" in output  # the action server's error
    assert f'"request_body":{REDACTED}' in output
    assert "Failed to execute custom action 'action_find_service'" in output


def test_the_tracker_body_is_redacted_in_every_rendering() -> None:
    call = action_call()
    renderings = [
        json.dumps(call),
        json.dumps(call, indent=2),
        json.dumps(call, ensure_ascii=False),
        repr(call),
        str(json.dumps(call).encode()),
    ]
    for rendering in renderings:
        redacted = redact(rendering)
        assert_private(redacted)
        assert "action_find_service" in redacted  # what is not private stays


@pytest.mark.parametrize(
    "line",
    [
        # Rasa <= 3.5's stdlib lines (rasa/core/processor.py)
        f"Received user message '{TEXT}' with intent "
        "'{'name': 'find_service', 'confidence': 0.88}' and entities '[]'",
        f"Action 'action_session_start' ended with events '[{SlotSet('x', METADATA)!r}]'.",
        # str() of events and of our Origin, f-string interpolated
        str(UserUttered(TEXT, {"name": "find_service"})),
        f"Origin(lat={LAT}, lon={LON}, source='shared', place=None)",
        f"nearest to {LAT}, {LON}",
        # a Telegram location, and a socket.io packet (engineio at DEBUG)
        json.dumps({"location": {"latitude": LAT, "longitude": LON}}),
        'Received packet MESSAGE data 2["user_uttered",{"message":"'
        + TEXT
        + '","session_id":"1f3a"}]',
    ],
)
def test_rasa_and_library_lines_quoting_the_user(line: str) -> None:
    assert_private(emitted("rasa.core.processor", logging.DEBUG, line))


def test_rasa_structlog_debug_lines(caplog: pytest.LogCaptureFixture) -> None:
    """Rasa 3.6 writes its DEBUG lines with structlog (configured as `rasa run` does, JSON
    into the stdlib logger) before our modules are imported."""
    configure_structlog(logging.DEBUG)
    install()  # what importing `bot` does after that
    try:
        log = structlog.get_logger()
        with caplog.at_level(logging.DEBUG):
            log.debug(
                "processor.message.parse",
                parse_data_text=TEXT,
                parse_data_intent={"name": "find_service", "confidence": 0.88},
                parse_data_entities=[],
            )
            log.debug("processor.slots.log", slot_values=f"\tsession_started_metadata: {METADATA}")
            log.debug("rule_policy.actions.find", current_states=f"[state 1] user text: {TEXT}")
    finally:
        structlog.reset_defaults()
    assert len(caplog.records) == 3
    assert_private(caplog.text)
    assert "processor.message.parse" in caplog.text and "find_service" in caplog.text


def test_structlog_processor_redacts_rasas_private_keys() -> None:
    event = {"event": "processor.message.parse", "parse_data_text": TEXT, "rasa_events": [1]}
    assert redact_event_dict(None, "debug", event) == {
        "event": "processor.message.parse",
        "parse_data_text": REDACTED,
        "rasa_events": REDACTED,
    }


def test_sanic_error_logger_with_its_own_handler() -> None:
    """Sanic's loggers do not propagate and have their own handlers: still redacted."""
    try:
        raise ValueError(f"bad request body {json.dumps({'message': TEXT, 'metadata': METADATA})}")
    except ValueError as error:
        output = emitted(
            "sanic.error",
            logging.ERROR,
            "Exception occurred while handling uri: %s",
            "'http://localhost:5005/webhooks/rest/webhook'",
            exc_info=error,
        )
    assert_private(output)
    assert "/webhooks/rest/webhook" in output and "ValueError: bad request body" in output


def test_a_database_error_does_not_quote_the_event_row() -> None:
    """SQLAlchemy's errors quote their parameters: for the tracker store, the event's JSON."""
    row = json.dumps(UserUttered(TEXT, metadata=METADATA).as_dict())
    insert = sqlalchemy.text("INSERT INTO events (data) VALUES (:data)")
    with (
        pytest.raises(sqlalchemy.exc.OperationalError) as raised,
        sqlalchemy.create_engine("sqlite://").connect() as connection,
    ):
        connection.execute(insert, {"data": row})
    output = emitted("rasa.core.tracker_store", logging.ERROR, "save failed", exc_info=raised.value)
    assert_private(output)
    assert "no such table: events" in output and f"[parameters: {REDACTED}]" in output


# -- one message's values (private_values, set by the channels and the action server) -------


def test_inside_private_values_the_text_and_location_go_anywhere_they_appear() -> None:
    with private_values(TEXT, METADATA):
        lines = [
            emitted("bot", logging.WARNING, "could not answer %s", TEXT),
            emitted("bot", logging.WARNING, "escaped %s", json.dumps(TEXT)),
            emitted("bot", logging.WARNING, "as bytes %r", TEXT.encode()),
            emitted("bot", logging.WARNING, "one word: %s", MARKER.upper()),
            emitted("bot", logging.WARNING, "rounded %.4f / %.3f", LAT, LON),
        ]
    for line in lines:
        assert_private(line)
        assert REDACTED in line


def test_private_values_hold_only_inside_the_block() -> None:
    with private_values(TEXT, METADATA):
        pass
    assert MARKER in emitted("bot", logging.WARNING, "a later message: %s", MARKER)


def test_an_exception_leaving_the_block_stays_redacted_when_logged_later() -> None:
    with pytest.raises(LookupError) as raised, private_values(TEXT, METADATA):
        raise LookupError(f"no course for {TEXT} near {LAT}")
    output = emitted("rasa_sdk.endpoint", logging.ERROR, "failed", exc_info=raised.value)
    assert_private(output)
    assert "LookupError: no course for [redacted] near [redacted]" in output


async def test_private_values_follow_the_message_into_tasks() -> None:
    def log_it() -> str:
        return emitted("aiohttp.client", logging.ERROR, "sending %s", TEXT)

    with private_values(TEXT, METADATA):
        output = await asyncio.get_running_loop().create_task(asyncio.to_thread(log_it))
    assert_private(output)


@pytest.mark.parametrize(
    ("text", "metadata"),
    [(None, None), ("", {}), (42, {"location": "here"}), ("ok", {"location": {"lat": "x"}})],
)
def test_private_values_accept_anything(text: Any, metadata: Any) -> None:
    with private_values(text, metadata):
        assert "ok" in emitted("bot", logging.INFO, "ok")


class FailingLookup(Action):
    """An action whose error message quotes the user (a bug, but it happens)."""

    def name(self) -> str:
        return "action_find_service"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[Dict[str, Any]]:
        text = tracker.latest_message["text"]
        lat = tracker.latest_message["metadata"]["location"]["lat"]
        raise KeyError(f"no category in {text} at {lat}")


async def test_action_server_failure_is_logged_without_the_message() -> None:
    """rasa_sdk's error handler logs the exception after the action has left (endpoint.py):
    actions/__init__.py wraps ActionExecutor.run in private_values."""
    executor = ActionExecutor()
    executor.register_action(FailingLookup())
    with pytest.raises(KeyError) as raised:
        await executor.run(action_call())
    output = emitted(
        "rasa_sdk.endpoint",
        logging.ERROR,
        "Exception occurred during execution of request <Request: POST /webhook>",
        exc_info=raised.value,
    )
    assert_private(output)
    assert "KeyError: 'no category in [redacted] at [redacted]'" in output


# -- the record factory itself ---------------------------------------------------------------


class Unprintable:
    def __str__(self) -> str:
        raise RuntimeError("no")


def test_a_record_that_cannot_be_formatted_never_breaks_logging() -> None:
    assert WITHHELD in emitted("bot", logging.ERROR, Unprintable())
    output = emitted("bot", logging.ERROR, "%d messages from %s", "many", TEXT)
    assert "arguments that did not fit" in output
    assert "Logging error" not in output


def test_nothing_is_done_for_records_below_the_level() -> None:
    logger = logging.getLogger("bot.quiet")
    logger.setLevel(logging.INFO)
    with mock.patch("bot.logging_privacy.scrub") as scrub:
        logger.debug("Received user message %s", TEXT)
        logger.info("fine")
    assert scrub.call_count == 1


def test_install_is_idempotent() -> None:
    factory = logging.getLogRecordFactory()
    install()
    install()
    assert logging.getLogRecordFactory() is factory
    assert getattr(factory, "redacts_private_values", False)


@pytest.fixture(autouse=True)
def _redaction_installed() -> Iterator[None]:
    """Importing `bot` installed it in this process, as in Rasa's and the action server's."""
    assert getattr(logging.getLogRecordFactory(), "redacts_private_values", False)
    yield
