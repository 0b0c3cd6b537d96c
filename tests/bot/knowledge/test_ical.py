"""Events imported from a municipality's calendar (.ics): title, time, repeat rule and address
come across; events a calendar cannot give are left out with a warning at their line; a
broken calendar is an error naming the file and line; a feed is fetched by sync only, and a
feed that cannot be read is a warning: its events of the last sync keep serving, and the
rest of the sync goes ahead."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from bot.cli import main
from bot.knowledge import calendars
from bot.knowledge.db import make_engine
from bot.knowledge.events import Event
from bot.knowledge.loader import load_file, load_paths
from bot.knowledge.repository import KnowledgeRepository
from bot.knowledge.schema import Municipality
from bot.knowledge.sync import sync
from tests.bot.knowledge.testville import FIXTURE, TODAY, VALID, write
from tests.conftest import SAMPLE_KNOWLEDGE

ICS = FIXTURE.parent / "events" / "testville.ics"
ICS_TEXT = ICS.read_bytes().decode("utf-8")  # with its CRLF line ends


def _with_calendar(tmp_path: Path, entry: str, ics: str | None = ICS_TEXT) -> Path:
    """The fixture with `calendars: [entry]`, and `ics` saved as events/testville.ics."""
    if ics is not None:
        (tmp_path / "events").mkdir(exist_ok=True)
        (tmp_path / "events" / "testville.ics").write_text(ics, encoding="utf-8", newline="")
    return write(tmp_path, VALID + f"calendars:\n- {entry}\n")


def _loaded(path: Path, fetch: bool = False) -> tuple[Municipality, list[str]]:
    municipality, problems = load_file(path, TODAY, fetch)
    assert municipality is not None, [str(p) for p in problems]
    return municipality, [str(p) for p in problems]


def _imported(municipality: Municipality) -> dict[str, Event]:
    """The imported events by their (first) title."""
    found: dict[str, Event] = {}
    for event in municipality.events[2:]:
        assert isinstance(event.title, dict)
        found.setdefault(event.title["de"], event)
    return found


def test_events_are_read_from_a_calendar_file(tmp_path: Path) -> None:
    path = _with_calendar(tmp_path, "{file: events/testville.ics, kind: information_evening}")
    municipality, _ = _loaded(path)
    assert [e.id for e in municipality.events[:2]] == ["sprachcafe", "willkommen"]
    events = _imported(municipality)
    info = events["Informationsabend Schule"]
    assert info.kind == "information_evening"
    assert info.title == {"de": "Informationsabend Schule"}  # the first official language
    assert info.start == datetime(2027, 3, 11, 18, 30) and info.length_minutes() == 90
    assert info.address == "Kulturhaus, Rathausplatz 1, 6850 Testdorf"
    assert info.notes == {"de": "Mit Dolmetsch in Arabisch, Farsi und Ukrainisch."}
    assert info.link == "https://testville.example.org/infoabend"
    assert info.repeat is None
    cafe = events["Elterncafé"]
    assert cafe.start == datetime(2026, 10, 6, 16, 0) and cafe.duration_minutes == 90
    # UNTIL 14:00 UTC is 16:00 in Vienna (summer time): the last one, on 29 June, is kept
    assert cafe.repeat == "FREQ=WEEKLY;UNTIL=20270629T160000;BYDAY=TU"
    utc = events["Welcome evening"]
    assert utc.start == datetime(2027, 1, 15, 18, 0)  # 17:00 UTC in the municipality's time


def test_a_series_with_exceptions_is_expanded_without_them(tmp_path: Path) -> None:
    municipality, _ = _loaded(_with_calendar(tmp_path, "{file: events/testville.ics, kind: other}"))
    walks = [e for e in municipality.events if e.title == {"de": "Stadtspaziergang"}]
    # COUNT=4 from 5 December, 12 December excluded (EXDATE)
    assert [e.start.day for e in walks] == [5, 19, 26]
    assert all(e.repeat is None for e in walks)
    assert len({e.id for e in walks}) == 3


def test_cancelled_and_past_events_are_left_out(tmp_path: Path) -> None:
    municipality, _ = _loaded(_with_calendar(tmp_path, "{file: events/testville.ics, kind: other}"))
    titles = set(_imported(municipality))
    assert "Abgesagt" not in titles and "Vorbei" not in titles
    assert titles == {
        "Informationsabend Schule",
        "Elterncafé",
        "Stadtspaziergang",
        "Welcome evening",
    }


def test_an_event_the_calendar_cannot_give_is_a_warning_at_its_line(tmp_path: Path) -> None:
    path = _with_calendar(tmp_path, "{file: events/testville.ics, kind: other}")
    _, problems = _loaded(path)
    ics = tmp_path / "events" / "testville.ics"
    lines = ICS_TEXT.splitlines()
    all_day = lines.index("DTSTART;VALUE=DATE:20270612") + 1
    nowhere = lines.index("UID:nowhere@testville.example.org")  # its BEGIN:VEVENT
    assert problems == [
        f"{ics}:{all_day}:1: DTSTART: warning: 'Stadtfest' lasts all day (no start time), so "
        "it was not imported; give it a start time in the calendar to show it",
        f"{ics}:{nowhere}:1: LOCATION: warning: 'Ohne Ort' has no LOCATION (the address), so "
        "it was not imported; add it in the calendar",
    ]


def test_a_broken_rule_in_a_calendar_names_its_line(tmp_path: Path) -> None:
    ics = ICS_TEXT.replace("RRULE:FREQ=WEEKLY;BYDAY=TU;", "RRULE:FREQ=WEEKLY;BYDAY=XX;")
    path = _with_calendar(tmp_path, "{file: events/testville.ics, kind: other}", ics)
    _, problems = _loaded(path)
    line = ics.splitlines().index("RRULE:FREQ=WEEKLY;BYDAY=XX;UNTIL=20270629T140000Z") + 1
    [problem] = [p for p in problems if "Elterncafé" in p]
    assert problem.startswith(f"{tmp_path / 'events' / 'testville.ics'}:{line}:1: RRULE: ")
    assert "'Elterncafé' was not imported" in problem and "'XX' is not a day" in problem


BROKEN_CALENDARS = [
    (
        "junk line",
        ICS_TEXT.replace("SUMMARY:Elterncafé\r\n", "SUMMARY:Elterncafé\r\nthis is junk\r\n"),
        "this is junk",
        "'this is junk' is not a calendar line like NAME:value",
    ),
    (
        "event not closed",
        ICS_TEXT.replace(
            "END:VEVENT\r\nBEGIN:VEVENT\r\nUID:parents", "BEGIN:VEVENT\r\nUID:parents"
        ),
        "BEGIN:VEVENT\r\nUID:parents",
        "BEGIN:VEVENT, but the VEVENT from line 19 is not closed; add END:VEVENT before this line",
    ),
    (
        "calendar not closed",
        ICS_TEXT.removesuffix("END:VCALENDAR\r\n"),
        "BEGIN:VCALENDAR",
        "BEGIN:VCALENDAR is never closed with END:VCALENDAR",
    ),
    (
        "a web page",
        "<!DOCTYPE html>\n<html><body>Not found</body></html>\n",
        "<!DOCTYPE",
        "is not an iCalendar file: it must start with BEGIN:VCALENDAR",
    ),
]


@pytest.mark.parametrize(
    ("name", "text", "line", "words"), BROKEN_CALENDARS, ids=[b[0] for b in BROKEN_CALENDARS]
)
def test_a_broken_calendar_file_is_an_error_naming_the_file_and_line(
    tmp_path: Path, name: str, text: str, line: str, words: str
) -> None:
    assert text != ICS_TEXT
    path = _with_calendar(tmp_path, "{file: events/testville.ics, kind: other}", text)
    municipality, problems = load_file(path, TODAY)
    assert municipality is None
    [error] = problems
    assert error.severity == "error"
    assert (error.file, error.field) == (tmp_path / "events" / "testville.ics", "(file)")
    assert words in error.message
    assert error.line == text[: text.index(line)].count("\n") + 1


@pytest.mark.parametrize(
    ("entry", "field", "words"),
    [
        ("{file: events/missing.ics, kind: other}", "calendars[0].file", "no such file"),
        ("{file: ../testville.ics, kind: other}", "calendars[0].file", "inside the folder"),
        ("{file: events/testville.txt, kind: other}", "calendars[0].file", "ending in .ics"),
        ("{kind: other}", "calendars[0]", "needs file (an .ics file in this folder"),
        (
            "{file: events/testville.ics, url: 'https://x.example.org/a.ics', kind: other}",
            "calendars[0]",
            "give file or url, not both",
        ),
        (
            "{url: 'webcal://x.example.org/a.ics', kind: other}",
            "calendars[0].url",
            "write https:// instead of webcal://: https://x.example.org/a.ics",
        ),
        (
            "{file: events/testville.ics, kind: cafe}",
            "calendars[0].kind",
            "unknown event kind 'cafe'",
        ),
    ],
)
def test_a_wrong_calendar_entry_is_an_error_at_its_line(
    tmp_path: Path, entry: str, field: str, words: str
) -> None:
    path = _with_calendar(tmp_path, entry)
    municipality, problems = load_file(path, TODAY)
    assert municipality is None
    [error] = [p for p in problems if p.severity == "error"]
    assert error.file == path and error.field == field
    assert words in error.message
    assert error.line == VALID.count("\n") + 2  # the entry's line, below `calendars:`


def test_a_folder_for_calendars_is_not_read_as_a_municipality() -> None:
    assert (SAMPLE_KNOWLEDGE / "events" / "dornbirn.ics").exists()
    result = load_paths([SAMPLE_KNOWLEDGE], today=TODAY)
    assert result.ok and not result.problems
    assert sorted(m.id for m in result.municipalities) == sorted(
        p.stem for p in SAMPLE_KNOWLEDGE.glob("*.yml")
    )
    dornbirn = next(m for m in result.municipalities if m.id == "dornbirn")
    assert {e.kind for e in dornbirn.events} == {
        "language_cafe",
        "welcome_event",
        "information_evening",
    }


# --- feeds (url): fetched by sync only ---------------------------------------------------


class _Feed(BaseHTTPRequestHandler):
    body = ICS_TEXT.encode("utf-8")
    status = 200

    def do_GET(self) -> None:
        self.send_response(self.status)
        self.send_header("Content-Type", "text/calendar; charset=utf-8")
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def feed() -> Iterator[tuple[str, type[_Feed]]]:
    """A local calendar feed: its URL and the handler class to change what it answers."""
    handler = type("Feed", (_Feed,), {})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/events.ics", handler
    finally:
        server.shutdown()
        server.server_close()


def test_validate_does_not_fetch_a_feed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("validate fetched a feed")

    monkeypatch.setattr(calendars.urllib.request, "urlopen", no_network)
    path = _with_calendar(tmp_path, "{url: 'https://x.example.org/a.ics', kind: other}", None)
    municipality, problems = _loaded(path)
    assert [e.id for e in municipality.events] == ["sprachcafe", "willkommen"] and not problems


def _synced(tmp_path: Path, entries: str) -> tuple[Path, Path, KnowledgeRepository]:
    """A folder with the fixture and `calendars: [entries]`, synced once: (folder, file,
    repository)."""
    folder = tmp_path / "municipalities"
    folder.mkdir()
    path = write(folder, VALID + f"calendars: [{entries}]\n")
    engine = make_engine(f"sqlite:///{tmp_path / 'knowledge.db'}")
    report = sync(engine, [folder], today=TODAY)
    assert report.ok and not report.feeds_kept, [str(p) for p in report.load.problems]
    return folder, path, KnowledgeRepository(engine)


def _titles(repository: KnowledgeRepository) -> list[object]:
    return [e.title for e in repository.events("testville")]


def test_sync_fetches_a_feed_and_keeps_its_events_when_it_fails(
    tmp_path: Path, feed: tuple[str, type[_Feed]]
) -> None:
    url, handler = feed
    folder, path, repository = _synced(tmp_path, f"{{url: '{url}', kind: welcome_event}}")
    synced = _titles(repository)
    synced_ids = [e.id for e in repository.events("testville")[2:]]
    assert {"de": "Elterncafé"} in synced and len(synced) == 2 + 6
    assert {e.kind for e in repository.events("testville")[2:]} == {"welcome_event"}

    handler.status, handler.body = 503, b"down for maintenance"
    path.write_text(path.read_text().replace("title: Willkommensabend", "title: Neu"))
    report = sync(repository.engine, [folder], today=TODAY)
    assert report.ok and report.changed == ["testville"]  # the staff's edit lands
    [warning] = report.load.problems
    assert warning.file == path and warning.field == "calendars[0].url"
    assert warning.severity == "warning" and warning.feed == url
    assert warning.message == (
        "the server answered 503 Service Unavailable; the events it gave at the last sync "
        "keep serving"
    )
    assert report.feeds_kept == [f"testville: {url}"] and not report.feeds_without_events
    now = _titles(repository)
    assert now[2:] == synced[2:] and "Neu" in now[:2]
    assert [e.id for e in repository.events("testville")[2:]] == synced_ids

    unchanged = sync(repository.engine, [folder], today=TODAY)  # still down, nothing new
    assert unchanged.unchanged == ["testville"] and _titles(repository) == now
    handler.status, handler.body = 200, ICS_TEXT.encode("utf-8")
    assert sync(repository.engine, [folder], today=TODAY).unchanged == ["testville"]


def test_the_sync_command_succeeds_and_says_which_feed_kept_its_events(
    tmp_path: Path, feed: tuple[str, type[_Feed]], capsys: pytest.CaptureFixture[str]
) -> None:
    """A start (make run, make production, the sync job of a deployment) must not fail
    because a town's calendar server is down."""
    url, handler = feed
    folder, _, repository = _synced(tmp_path, f"{{url: '{url}', kind: welcome_event}}")
    handler.status = 503
    database = ["--database-url", str(repository.engine.url)]
    assert main(["knowledge", "sync", str(folder), *database]) == 0
    out = capsys.readouterr().out
    assert "warning: the server answered 503" in out
    assert f"keep the events they gave at the last sync: testville: {url}" in out


def test_a_feed_that_failed_keeps_its_events_when_it_moves_in_the_list(
    tmp_path: Path, feed: tuple[str, type[_Feed]]
) -> None:
    url, handler = feed
    other = "{url: 'http://127.0.0.1:9/none.ics', kind: other}"  # nothing listens there
    folder, path, repository = _synced(tmp_path, f"{{url: '{url}', kind: welcome_event}}")
    synced = repository.events("testville")[2:]
    handler.status = 500
    path.write_text(path.read_text().replace("calendars: [", f"calendars: [{other}, "))
    report = sync(repository.engine, [folder], today=TODAY)
    assert report.ok and report.feeds_kept == [f"testville: {url}"]
    assert report.feeds_without_events == ["testville: http://127.0.0.1:9/none.ics"]
    kept = repository.events("testville")[2:]
    assert [e.title for e in kept] == [e.title for e in synced]
    assert all(e.id.startswith("calendar2-") for e in kept)  # now second in the list
    assert [e.id.removeprefix("calendar2-") for e in kept] == [
        e.id.removeprefix("calendar1-") for e in synced
    ]


def test_a_new_municipality_whose_feed_fails_is_added_without_its_events(
    tmp_path: Path, feed: tuple[str, type[_Feed]]
) -> None:
    url, handler = feed
    handler.status = 404
    folder = tmp_path / "municipalities"
    folder.mkdir()
    write(folder, VALID + f"calendars: [{{url: '{url}', kind: other}}]\n")
    engine = make_engine(f"sqlite:///{tmp_path / 'knowledge.db'}")
    report = sync(engine, [folder], today=TODAY)
    assert report.ok and report.added == ["testville"]
    assert report.feeds_without_events == [f"testville: {url}"] and not report.feeds_kept
    assert [e.id for e in KnowledgeRepository(engine).events("testville")] == [
        "sprachcafe",
        "willkommen",
    ]


def test_a_feed_that_is_not_a_calendar_names_the_line_of_the_feed(
    tmp_path: Path, feed: tuple[str, type[_Feed]]
) -> None:
    url, handler = feed
    handler.body = ICS_TEXT.replace("SUMMARY:Elterncafé", "Elterncafé").encode("utf-8")
    path = _with_calendar(tmp_path, f"{{url: '{url}', kind: other}}", None)
    municipality, problems = load_file(path, TODAY, fetch=True)
    assert municipality is not None and len(municipality.events) == 2  # the file's own
    line = ICS_TEXT.splitlines().index("SUMMARY:Elterncafé") + 1
    [warning] = problems
    assert warning.field == "calendars[0].url" and warning.feed == url
    assert warning.severity == "warning"
    assert warning.message.startswith(f"line {line} of the feed: 'Elterncafé' is not a calendar")
    assert warning.message.endswith("; the events it gave at the last sync keep serving")


def test_a_feed_over_the_size_limit_is_refused(
    tmp_path: Path, feed: tuple[str, type[_Feed]], monkeypatch: pytest.MonkeyPatch
) -> None:
    url, _ = feed
    monkeypatch.setattr(calendars, "MAX_CALENDAR_BYTES", 1_000)
    path = _with_calendar(tmp_path, f"{{url: '{url}', kind: other}}", None)
    _, problems = load_file(path, TODAY, fetch=True)
    assert [(p.field, p.feed) for p in problems] == [("calendars[0].url", url)]
    assert "the limit for a calendar" in problems[0].message


def test_copying_the_samples_keeps_the_calendar_next_to_its_file(tmp_path: Path) -> None:
    folder = tmp_path / "copy"
    shutil.copytree(SAMPLE_KNOWLEDGE, folder)
    result = load_paths([folder / "dornbirn.yml"], today=TODAY)
    assert result.ok and len(result.municipalities[0].events) == 4


def test_events_over_the_limit_with_a_calendar_are_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(calendars, "MAX_EVENTS", 5)  # 2 in the file, 6 from the calendar
    path = _with_calendar(tmp_path, "{file: events/testville.ics, kind: other}")
    municipality, problems = load_file(path, TODAY)
    assert municipality is None
    [error] = [p for p in problems if p.severity == "error"]
    assert error.field == "calendars" and error.line == VALID.count("\n") + 1
    assert "this municipality has 8 events; the limit is 5" in error.message
