"""Long conversations through REST against the real servers: what was said early still
counts after many messages (the store reads only the recent events), and a new session
after an idle hour keeps language and municipality."""

from __future__ import annotations

import json
import sqlite3
import uuid
from pathlib import Path

import pytest

from bot.channels.edge import conversation_id
from bot.locales.catalog import load_catalog
from tests.e2e.conftest import stored_events
from tests.e2e.test_rest import say, texts

pytestmark = pytest.mark.e2e

IDLE = 2 * 3600.0  # seconds; the session expires after 60 minutes


def _asks_for_the_municipality(reply: str, language: str) -> bool:
    question = load_catalog(language)["responses"]["utter_ask_municipality"][0]["text"]
    return reply.startswith(str(question).split("{")[0][:30])


def test_the_municipality_named_at_the_start_holds_twenty_messages_later(
    rasa_url: str, servers_dir: Path
) -> None:
    sender = uuid.uuid4().hex
    say(rasa_url, sender, "Ich wohne in Kranj")
    for number in range(18):
        say(rasa_url, sender, "Danke!" if number % 2 else "Hallo")
    replies = texts(say(rasa_url, sender, "Wo finde ich eine Wohnung?"))
    assert not _asks_for_the_municipality(replies[0], "de"), replies
    assert any("Kranj" in reply for reply in replies), replies
    # the store read only recent events, but wrote every one
    users = [
        e
        for e in map(json.loads, stored_events(servers_dir, conversation_id("rest", sender)))
        if e["event"] == "user"
    ]
    assert len(users) == 20


def _leave_for(servers_dir: Path, sender: str, seconds: float) -> None:
    """As if the person's last message had been `seconds` earlier: the conversation's events
    stored again, in order, with earlier times. Stored events never change in place (the
    servers' caches rely on it: only new ones are added, old ones only deleted), so they
    are written anew, which also tells the server's cache that the conversation changed."""
    sender = conversation_id("rest", sender)
    with sqlite3.connect(servers_dir / "tracker.db") as database:
        (latest,) = database.execute(
            "SELECT max(id) FROM events WHERE sender_id = ?", (sender,)
        ).fetchone()
        database.execute(
            "INSERT INTO events (sender_id, type_name, timestamp, intent_name, action_name, data) "
            "SELECT sender_id, type_name, timestamp - ?, intent_name, action_name, "
            "json_set(data, '$.timestamp', json_extract(data, '$.timestamp') - ?) "
            "FROM events WHERE sender_id = ? ORDER BY id",
            (seconds, seconds, sender),
        )
        database.execute("DELETE FROM events WHERE sender_id = ? AND id <= ?", (sender, latest))


def test_after_an_idle_hour_a_new_session_keeps_language_and_town(
    rasa_url: str, servers_dir: Path
) -> None:
    sender = uuid.uuid4().hex
    # a question that waits for the municipality: the topic is under way
    first = texts(say(rasa_url, sender, "Шукаю житло"))
    assert _asks_for_the_municipality(first[0], "uk"), first
    named = texts(say(rasa_url, sender, "Kranj"))  # the waiting question is answered
    assert not _asks_for_the_municipality(named[0], "uk"), named
    _leave_for(servers_dir, sender, IDLE)
    replies = texts(say(rasa_url, sender, "Дякую"))
    assert replies and not _asks_for_the_municipality(replies[0], "uk"), replies
    events = [json.loads(e) for e in stored_events(servers_dir, conversation_id("rest", sender))]
    starts = [i for i, e in enumerate(events) if e["event"] == "session_started"]
    assert len(starts) == 2, "a second session began"
    carried = {e["name"]: e["value"] for e in events[starts[-1] :] if e["event"] == "slot"}
    assert carried.get("language") == "uk" and carried.get("municipality") == "kranj"
