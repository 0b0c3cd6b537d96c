"""The production profile on loopback: two Rasa instances, one action server, a real
PostgreSQL tracker store and knowledge database, a real Redis lock store (bot/cluster.py
starts them, installing Debian's packages where missing)."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
import requests
from sqlalchemy import create_engine, text

from benchmarks.load import SCRIPT, run_load
from bot import PROJECT_DIR
from bot.channels.edge import conversation_id
from bot.cluster import Cluster, free_port, venv_bin
from bot.supervise import PurgeSchedule, supervise
from tests.e2e.conftest import model_path, whatsapp_environment
from tests.e2e.fake_graph import FakeGraphApi
from tests.e2e.test_rest import post_message, say
from tests.e2e.whatsapp_client import converse, new_person, stored_id

pytestmark = pytest.mark.e2e

ALLOWED_ORIGIN = "https://welcome.example.org"
CONVERSATIONS = 40  # at once
TURNS = 6  # each, sequential, hopping between the instances
WHATSAPP_PEOPLE = 10  # writing on WhatsApp meanwhile, half of their messages delivered twice
BURSTS = 10  # conversations whose messages come two at a time, one to each instance
RATE_LIMIT = 12  # per sender and minute, counted in Redis across the instances


@pytest.fixture(scope="module")
def cluster(fake_graph: FakeGraphApi) -> Iterator[Cluster]:
    work = Path(tempfile.mkdtemp(prefix="test-production-"))  # PostgreSQL's user must reach it
    running = Cluster(
        work=work,
        model=model_path(),
        rasa_ports=[free_port(), free_port()],
        env={
            "CORS_ORIGINS": ALLOWED_ORIGIN,
            "WIDGET_ALLOWED_ORIGINS": ALLOWED_ORIGIN,
            "RATE_LIMIT_PER_MINUTE": str(RATE_LIMIT),
            "ADDRESS_RATE_LIMIT_PER_MINUTE": "1000000",  # every test client is 127.0.0.1
            **whatsapp_environment(fake_graph.url),
        },
    )
    running.start()
    yield running
    running.stop()
    shutil.rmtree(work, ignore_errors=True)


@pytest.fixture(scope="module")
def proxy(cluster: Cluster) -> Iterator[str]:
    """docs/examples/nginx.conf in front of both instances (scripts/proxy.sh)."""
    folder = cluster.work / "proxy"
    script = str(PROJECT_DIR / "scripts" / "proxy.sh")
    ports = [str(port) for port in cluster.rasa_ports]
    started = subprocess.run(
        [script, "start", str(folder), str(free_port()), *ports],
        capture_output=True,
        text=True,
        check=True,
    )
    yield started.stdout.strip().splitlines()[-1]
    subprocess.run([script, "stop", str(folder)], check=False)


def events_of(cluster: Cluster, sender: str) -> list[dict[str, Any]]:
    """The stored events of a REST sender's conversation."""
    return events_stored(cluster, conversation_id("rest", sender))


def events_stored(cluster: Cluster, conversation: str) -> list[dict[str, Any]]:
    """The stored events of a conversation, by its stored id."""
    engine = create_engine(cluster.env["TRACKER_DB_URL"], future=True)
    with engine.connect() as connection:
        rows = connection.execute(
            text("SELECT data FROM events WHERE sender_id = :sender ORDER BY id"),
            {"sender": conversation},
        ).all()
    engine.dispose()
    return [json.loads(row[0]) for row in rows]


def turns_of(events: list[dict[str, Any]]) -> list[str]:
    """The user texts in stored order, checking that each turn ends (action_listen) before
    the next message starts: a message handled while another was half-done shows here."""
    said: list[str] = []
    listening = False
    for event in events:
        if event["event"] == "user":
            assert listening or not said, (
                f"message {event['text']!r} interleaved with the one before"
            )
            said.append(event["text"])
            listening = False
        elif event["event"] == "action" and event["name"] == "action_listen":
            listening = True
    assert listening, "the last turn was finished"
    return said


def tagged(conversation: int, turn: int) -> tuple[str, str]:
    text_, municipality = SCRIPT[(conversation + turn) % len(SCRIPT)]
    return f"{text_} (ref {conversation}-{turn})", municipality


async def _whatsapp_traffic(urls: list[str]) -> dict[str, tuple[str, list[str]]]:
    """WHATSAPP_PEOPLE people writing at once, every other delivery retried at the other
    instance; person -> (municipality, texts sent)."""
    people = {new_person(): ("dornbirn" if n % 2 else "kranj", n) for n in range(WHATSAPP_PEOPLE)}
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=240)) as session:
        sent = await asyncio.gather(
            *(
                converse(
                    session,
                    urls,
                    municipality,
                    person,
                    [f"{tagged(n, turn)[0]} (wa)" for turn in range(TURNS)],
                    retried=n % 2 == 0,
                )
                for person, (municipality, n) in people.items()
            )
        )
    return {person: (town, texts) for (person, (town, _)), texts in zip(people.items(), sent)}


def test_concurrent_conversations_across_instances_keep_every_message_once_in_order(
    cluster: Cluster, fake_graph: FakeGraphApi, capsys: pytest.CaptureFixture[str]
) -> None:
    prefix = f"consistency-{uuid.uuid4().hex[:8]}"

    async def both() -> tuple[Any, dict[str, tuple[str, list[str]]]]:
        rest = run_load(
            cluster.urls(), CONVERSATIONS, turns=TURNS, seconds=240, message=tagged, prefix=prefix
        )
        return await asyncio.gather(rest, _whatsapp_traffic(cluster.urls()))

    result, whatsapp = asyncio.run(both())
    wa_lost = wa_duplicated = wa_answers_lost_or_doubled = 0
    for person, (town, texts) in whatsapp.items():
        events = events_stored(cluster, stored_id(town, person))
        said = turns_of(events)
        wa_lost += len(set(texts) - set(said))
        wa_duplicated += len(said) - len(set(said))
        answers = [e for e in events if e["event"] == "bot"]
        wa_answers_lost_or_doubled += abs(len(fake_graph.sent(person)) - len(answers))
        assert said == texts, person
    lost = duplicated = reordered = 0
    for sender, sent in result.sent.items():
        stored = turns_of(events_of(cluster, sender))
        lost += len(set(sent) - set(stored))
        duplicated += len(stored) - len(set(stored))
        reordered += int(stored != sent and sorted(stored) == sorted(sent))
    with capsys.disabled():  # the figures belong in the test run's output
        print(
            f"\n  load test, 2 instances: {result.summary()}; checked {len(result.sent)} "
            f"trackers: {lost} lost, {duplicated} duplicated, {reordered} reordered; "
            f"WhatsApp: {len(whatsapp)} people x {TURNS} messages, half of them delivered "
            f"twice: {wa_lost} lost, {wa_duplicated} duplicated, "
            f"{wa_answers_lost_or_doubled} answers lost or doubled"
        )
    assert (wa_lost, wa_duplicated, wa_answers_lost_or_doubled) == (0, 0, 0)
    assert not result.failures, result.failures[:5]
    assert result.messages == CONVERSATIONS * TURNS
    assert (lost, duplicated, reordered) == (0, 0, 0)
    for sender, sent in result.sent.items():
        assert turns_of(events_of(cluster, sender)) == sent, sender


def test_a_whatsapp_message_delivered_to_both_instances_at_once_is_answered_once(
    cluster: Cluster, fake_graph: FakeGraphApi
) -> None:
    person = new_person()

    async def twice() -> list[str]:
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=120)) as session:
            return await converse(
                session, cluster.urls(), "kranj", person, ["Dober dan"], retried=True
            )

    asyncio.run(twice())
    events = events_stored(cluster, stored_id("kranj", person))
    assert turns_of(events) == ["Dober dan"]
    answers = [e for e in events if e["event"] == "bot"]
    assert answers and len(fake_graph.sent(person)) == len(answers)


async def _burst(urls: list[str], sender: str, pairs: int) -> list[str]:
    sent: list[str] = []
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=120)) as session:
        for pair in range(pairs):
            bodies = [
                {
                    "sender": sender,
                    "message": f"Hallo (ref {pair}-{half})",
                    "metadata": {"municipality": "bolzano"},
                }
                for half in (0, 1)
            ]
            posts = [
                session.post(f"{url}/webhooks/rest/webhook", json=body)
                for url, body in zip(urls, bodies)
            ]
            answers = await asyncio.gather(*posts)
            for answer in answers:
                assert answer.status == 200 and await answer.json()
            sent += [body["message"] for body in bodies]
    return sent


def test_messages_arriving_at_both_instances_at_once_are_handled_one_after_the_other(
    cluster: Cluster,
) -> None:
    senders = [f"burst-{uuid.uuid4().hex[:8]}-{n}" for n in range(BURSTS)]

    async def all_bursts() -> list[list[str]]:
        return await asyncio.gather(*(_burst(cluster.urls(), s, 3) for s in senders))

    sent = asyncio.run(all_bursts())
    for sender, messages in zip(senders, sent):
        stored = turns_of(events_of(cluster, sender))
        assert sorted(stored) == sorted(messages), f"{sender}: each message exactly once"
        for pair in range(3):  # pairs are sent one after the other
            assert {stored[2 * pair], stored[2 * pair + 1]} == set(
                messages[2 * pair : 2 * pair + 2]
            )


def test_restarted_instance_continues_the_conversation_from_the_tracker_store(
    cluster: Cluster,
) -> None:
    sender = f"restart-{uuid.uuid4().hex[:8]}"
    first, second = cluster.rasa_ports
    url = f"http://127.0.0.1:{first}"
    greeting = say(url, sender, "Buongiorno, sono nuovo qui", municipality="bolzano")
    assert greeting and greeting[0]["language"] == "it"
    cluster.stop_rasa(first, kill=True)  # as a crash would
    during = say(f"http://127.0.0.1:{second}", sender, "grazie")
    assert during and during[0]["language"] == "it", "the other instance carries on meanwhile"
    cluster.start_rasa(first)
    # No municipality and a language-neutral word: both must come from the stored conversation.
    after = say(url, sender, "ok")
    assert after and all(reply["language"] == "it" for reply in after)
    stored = turns_of(events_of(cluster, sender))
    assert stored == ["Buongiorno, sono nuovo qui", "grazie", "ok"]
    municipality = [
        e["value"]
        for e in events_of(cluster, sender)
        if e["event"] == "slot" and e["name"] == "municipality"
    ]
    assert municipality and municipality[-1] == "bolzano"


def test_rate_limit_counts_a_sender_across_instances(cluster: Cluster) -> None:
    sender = f"flood-{uuid.uuid4().hex[:8]}"
    urls = cluster.urls()
    codes = [post_message(urls[n % 2], sender, "ok").status_code for n in range(RATE_LIMIT + 1)]
    assert codes == [200] * RATE_LIMIT + [429], "each instance saw only half of them"


def test_a_conversation_through_the_documented_reverse_proxy(cluster: Cluster, proxy: str) -> None:
    sender = f"proxied-{uuid.uuid4().hex[:8]}"
    sent = [tagged(3, turn) for turn in range(6)]
    for text_, municipality in sent:
        assert say(proxy, sender, text_, municipality=municipality)
    assert turns_of(events_of(cluster, sender)) == [text_ for text_, _ in sent]
    assert requests.get(f"{proxy}/conversations/x/tracker", timeout=30).status_code == 404


def test_widget_websocket_passes_the_proxy(proxy: str) -> None:
    async def handshake() -> str:
        url = proxy.replace("http", "ws") + "/webhooks/widget/socket.io/?EIO=4&transport=websocket"
        async with aiohttp.ClientSession() as session, session.ws_connect(url) as socket:
            return str((await socket.receive(timeout=30)).data)

    opening = asyncio.run(handshake())
    assert opening.startswith("0{") and '"sid"' in opening, opening


def test_cors_answers_only_configured_origins(cluster: Cluster) -> None:
    url = cluster.urls()[0] + "/webhooks/rest/webhook"
    preflight = {
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type",
    }
    allowed = requests.options(url, headers={"Origin": ALLOWED_ORIGIN, **preflight}, timeout=30)
    assert allowed.headers.get("Access-Control-Allow-Origin") == ALLOWED_ORIGIN
    foreign = requests.options(
        url, headers={"Origin": "https://evil.example.com", **preflight}, timeout=30
    )
    assert "Access-Control-Allow-Origin" not in foreign.headers
    posted = requests.post(
        url,
        json={"sender": uuid.uuid4().hex, "message": "Hallo"},
        headers={"Origin": "https://evil.example.com"},
        timeout=60,
    )
    assert "Access-Control-Allow-Origin" not in posted.headers


def test_http_api_is_off_in_the_production_profile(cluster: Cluster) -> None:
    for url in cluster.urls():
        assert requests.get(f"{url}/conversations/x/tracker", timeout=30).status_code == 404
        assert (
            requests.post(f"{url}/model/parse", json={"text": "x"}, timeout=30).status_code == 404
        )


@pytest.mark.parametrize(
    "service, message, language",
    [
        ("postgres", "Bonjour, je cherche un logement pour ma famille", "fr"),
        ("redis", "Dober dan, iščem službo v Kranju", "sl"),
    ],
)
def test_tracker_or_lock_store_down_gets_a_polite_reply_then_recovers(
    cluster: Cluster, service: str, message: str, language: str
) -> None:
    """Runs last: it stops one of the shared services for a moment."""
    from bot.channels.apology import apology

    url = cluster.urls()[0]
    cluster.stop_service(service)
    try:
        replies = say(url, f"outage-{uuid.uuid4().hex[:8]}", message, municipality="kranj")
    finally:
        cluster.start_service(service)
    expected = apology(replies[0]["language"])["text"]
    assert [r["text"] for r in replies] == [expected], "one polite apology, no crash"
    assert replies[0]["language"] == language
    after = say(url, f"after-{uuid.uuid4().hex[:8]}", message, municipality="kranj")
    assert after and after[0]["text"] != expected, "answers again once the service is back"


def test_nul_byte_in_the_sender_is_refused_and_the_instance_stays_up(cluster: Cluster) -> None:
    """A NUL in the sender once made PostgreSQL refuse the insert and Rasa exit."""
    url = cluster.urls()[0]
    body = json.dumps({"sender": "a\u0000b", "message": "hi"}).encode()
    response = requests.post(
        f"{url}/webhooks/rest/webhook",
        data=body,
        headers={"Content-Type": "application/json"},
        timeout=30,
    )
    assert response.status_code == 400
    assert all(process.poll() is None for process in cluster.processes.values())
    assert say(url, f"after-nul-{uuid.uuid4().hex[:8]}", "Hallo", municipality="kranj")


def test_database_outage_during_the_purge_leaves_every_instance_serving(cluster: Cluster) -> None:
    """The production loop (bot.supervise, as `python -m bot production` runs it) purges
    every second here; PostgreSQL goes down and comes back in between."""
    schedule = PurgeSchedule(every=1.0, retry=1.0)
    stop = threading.Event()
    outcome: list[bool] = []
    loop = threading.Thread(
        target=lambda: outcome.append(supervise(cluster, schedule, stop, poll_seconds=0.2))
    )
    loop.start()
    try:
        deadline = time.monotonic() + 60
        while schedule.succeeded < 1 and time.monotonic() < deadline:
            time.sleep(0.2)
        cluster.stop_service("postgres")
        try:
            failed_before = schedule.failed
            while schedule.failed <= failed_before and time.monotonic() < deadline:
                time.sleep(0.2)
            assert schedule.failed > failed_before, "a purge ran while the database was down"
            assert loop.is_alive(), "the production loop goes on"
        finally:
            cluster.start_service("postgres")
        succeeded = schedule.succeeded
        while schedule.succeeded <= succeeded and time.monotonic() < deadline:
            time.sleep(0.2)
        assert schedule.succeeded > succeeded, "purging again once the database is back"
    finally:
        stop.set()
        loop.join(timeout=30)
    assert outcome == [True], "stopped on request, not because a server exited"
    for url in cluster.urls():
        assert say(url, f"after-purge-{uuid.uuid4().hex[:8]}", "Hallo", municipality="kranj")


def test_production_refuses_to_start_without_widget_origins(tmp_path: Path) -> None:
    environment = {k: v for k, v in os.environ.items() if k != "WIDGET_ALLOWED_ORIGINS"}
    started = subprocess.run(
        [venv_bin("python"), "-m", "bot", "production", "--work", str(tmp_path)],
        cwd=PROJECT_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert started.returncode == 2
    assert "WIDGET_ALLOWED_ORIGINS=https://" in started.stderr, "says how to set it"
    assert not list(tmp_path.iterdir()), "nothing was started"
