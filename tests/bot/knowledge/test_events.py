"""Events in a municipality file: a valid one loads; each mistake is one error at its line,
naming the field and the fix; events reach the database in their own rows."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

import pytest

from bot.knowledge.db import make_engine
from bot.knowledge.loader import load_file
from bot.knowledge.repository import KnowledgeRepository
from bot.knowledge.sync import sync
from tests.bot.knowledge.testville import TODAY, VALID, write
from tests.conftest import SAMPLE_KNOWLEDGE

EVENTS = VALID.index("events:\n")  # mistakes are made in the fixture's events


def _line_of(text: str, fragment: str) -> int:
    return text[: text.index(fragment)].count("\n") + 1


def test_a_valid_event_loads_with_its_fields(tmp_path: Path) -> None:
    municipality, problems = load_file(write(tmp_path, VALID), TODAY)
    assert municipality is not None, [str(p) for p in problems]
    cafe, welcome = municipality.events
    assert cafe.id == "sprachcafe" and cafe.kind == "language_cafe"
    assert cafe.title == {"de": "Sprachcafé", "en": "Language café"}
    assert cafe.start == datetime(2026, 9, 2, 17, 0)
    assert cafe.end == "19:00" and cafe.length_minutes() == 120
    assert cafe.repeat == "FREQ=WEEKLY;BYDAY=WE"
    assert cafe.service == "language-cafe" and cafe.free is True
    assert welcome.start == datetime(2026, 12, 14, 18, 30)  # "2026-12-14 18:30" in quotes
    assert welcome.length_minutes() == 120 and welcome.repeat is None
    assert welcome.ends_at(welcome.start) == datetime(2026, 12, 14, 20, 30)
    assert welcome.place == "markt" and welcome.notes == {"en": "Bring your questions."}


@pytest.mark.parametrize(
    "written",
    ["rrule:freq=weekly;byday=we", "RRULE:FREQ=WEEKLY;BYDAY=WE", "FREQ=WEEKLY;BYDAY=WE  # Wed"],
)
def test_a_rule_is_stored_in_one_form(tmp_path: Path, written: str) -> None:
    text = VALID.replace("repeat: FREQ=WEEKLY;BYDAY=WE", f"repeat: {written}", 1)
    municipality, problems = load_file(write(tmp_path, text), TODAY)
    assert municipality is not None, [str(p) for p in problems]
    assert municipality.events[0].repeat == "FREQ=WEEKLY;BYDAY=WE"


# (name, fixture text, broken text, field, words of the message); the error must be the only
# one and on the line of the broken text.
EVENT_MISTAKES = [
    (
        "misspelt frequency",
        "repeat: FREQ=WEEKLY;BYDAY=WE",
        "repeat: FREQ=WEEKLI;BYDAY=WE",
        "events[0].repeat",
        "FREQ=WEEKLI: 'WEEKLI' is not a frequency; did you mean 'WEEKLY'? A rule looks like "
        "FREQ=WEEKLY;BYDAY=WE (every Wednesday)",
    ),
    (
        "unknown day",
        "repeat: FREQ=WEEKLY;BYDAY=WE",
        "repeat: FREQ=WEEKLY;BYDAY=XX",
        "events[0].repeat",
        "BYDAY=XX: 'XX' is not a day; use MO TU WE TH FR SA SU",
    ),
    (
        "German day",
        "repeat: FREQ=WEEKLY;BYDAY=WE",
        "repeat: FREQ=WEEKLY;BYDAY=MI",
        "events[0].repeat",
        "'MI' is not a day",
    ),
    (
        "date with hyphens in UNTIL",
        "repeat: FREQ=WEEKLY;BYDAY=WE",
        "repeat: FREQ=WEEKLY;BYDAY=WE;UNTIL=2026-12-16",
        "events[0].repeat",
        "write it as 20261216",
    ),
    (
        "COUNT and UNTIL",
        "repeat: FREQ=WEEKLY;BYDAY=WE",
        "repeat: FREQ=WEEKLY;COUNT=5;UNTIL=20261216",
        "events[0].repeat",
        "give COUNT (how many times) or UNTIL (the last day), not both",
    ),
    (
        "no FREQ",
        "repeat: FREQ=WEEKLY;BYDAY=WE",
        "repeat: BYDAY=WE",
        "events[0].repeat",
        "needs FREQ",
    ),
    (
        "hour in the rule",
        "repeat: FREQ=WEEKLY;BYDAY=WE",
        "repeat: FREQ=WEEKLY;BYDAY=WE;BYHOUR=17",
        "events[0].repeat",
        "BYHOUR is not used: the time is the event's start",
    ),
    (
        "until before the start",
        "repeat: FREQ=WEEKLY;BYDAY=WE",
        "repeat: FREQ=WEEKLY;BYDAY=WE;UNTIL=20250101",
        "events[0].repeat",
        "never happens from the start 2026-09-02 17:00 on",
    ),
    (
        "end before start",
        '  end: "19:00"',
        '  end: "16:00"',
        "events[0].end",
        "must be after the start (17:00) on the same day",
    ),
    (
        "end as a date-time",
        '  end: "19:00"',
        "  end: 2026-09-02T19:00",
        "events[0].end",
        "is not a time like 19:30",
    ),
    (
        "end and duration",
        '  end: "19:00"',
        '  end: "19:00"\n  duration_minutes: 90',
        "events[0].duration_minutes",
        "give end or duration_minutes, not both",
    ),
    (
        "unknown kind",
        "kind: language_cafe",
        "kind: language_caffe",
        "events[0].kind",
        "unknown event kind 'language_caffe'; did you mean 'language_cafe'?",
    ),
    (
        "unknown service",
        "service: language-cafe",
        "service: sprachcafe",
        "events[0].service",
        "service 'sprachcafe' is not in this file's services; the services are: "
        "language-cafe, ams, vhs, bfi, arabic-school",
    ),
    (
        "misspelt service",
        "service: language-cafe",
        "service: language-caffe",
        "events[0].service",
        "did you mean 'language-cafe'?",
    ),
    (
        "unknown place",
        "place: markt\n  address: Rathausplatz",
        "place: mark\n  address: Rathausplatz",
        "events[1].place",
        "place 'mark' is not in this file's places; did you mean 'markt'? the places are: "
        "markt, hatlerdorf",
    ),
    (
        "date without a time",
        'start: "2026-12-14 18:30"',
        "start: 2026-12-14",
        "events[1].start",
        "is a date without a time; write the start time too, like 2026-12-14T18:00",
    ),
    (
        "start in another form",
        'start: "2026-12-14 18:30"',
        'start: "14.12.2026 18:30"',
        "events[1].start",
        "'14.12.2026 18:30' is not a date and time like 2026-09-02T18:00",
    ),
    (
        "start with an offset",
        'start: "2026-12-14 18:30"',
        "start: 2026-12-14T18:30+01:00",
        "events[1].start",
        "has a time-zone offset; write the local time without Z or +01:00",
    ),
    (
        "misspelt field",
        "  notes: {en:",
        "  note: {en:",
        "events[1].note",
        "unknown field 'note'; did you mean 'notes'?",
    ),
    (
        "same id twice",
        "- id: willkommen",
        "- id: sprachcafe",
        "events[1].id",
        "id 'sprachcafe' is already used on line",
    ),
    (
        "bad link",
        "link: https://testville.example.org/willkommen",
        "link: testville.example.org/willkommen",
        "events[1].link",
        "is not a web address starting with https://",
    ),
]


@pytest.mark.parametrize(
    ("name", "old", "new", "field", "fix"), EVENT_MISTAKES, ids=[m[0] for m in EVENT_MISTAKES]
)
def test_event_mistakes_name_the_line_the_field_and_the_fix(
    tmp_path: Path, name: str, old: str, new: str, field: str, fix: str
) -> None:
    assert old in VALID[EVENTS:], old
    at = EVENTS + VALID[EVENTS:].index(old)
    broken = VALID[:at] + VALID[at:].replace(old, new, 1)
    path = write(tmp_path, broken)
    municipality, problems = load_file(path, TODAY)
    assert municipality is None, f"{name}: the broken file must not load"
    errors = [p for p in problems if p.severity == "error"]
    assert len(errors) == 1, [str(p) for p in errors]
    assert errors[0].field == field
    assert fix in errors[0].message, errors[0].message
    key = field.split(".")[-1]
    below = next((i for i, line in enumerate(new.split("\n")) if f"{key}:" in line), 0)
    line = broken[:at].count("\n") + 1 + below
    assert errors[0].line == line
    assert str(errors[0]).startswith(f"{path}:{line}:{errors[0].column}: {field}: ")


def test_an_event_without_place_service_or_address_is_an_error(tmp_path: Path) -> None:
    broken = VALID.replace("  place: markt\n  address: Rathausplatz 2, 6850 Testdorf\n", "")
    assert broken != VALID
    municipality, problems = load_file(write(tmp_path, broken), TODAY)
    assert municipality is None
    [error] = [p for p in problems if p.severity == "error"]
    assert error.field == "events[1]"
    assert "needs a place: write place (the id of one of the places), service" in error.message
    assert error.line == _line_of(broken, "- id: willkommen")


def test_events_are_synced_in_rows_of_their_own(tmp_path: Path) -> None:
    folder = tmp_path / "municipalities"
    shutil.copytree(SAMPLE_KNOWLEDGE, folder)
    engine = make_engine(f"sqlite:///{tmp_path / 'knowledge.db'}")
    assert sync(engine, [folder], today=TODAY).ok
    repository = KnowledgeRepository(engine)
    dornbirn = repository.events("dornbirn")
    assert [e.id for e in dornbirn][:2] == ["sprachcafe-mittwoch", "willkommensabend"]
    assert len(dornbirn) == 4  # two written, two from events/dornbirn.ics
    assert {e.kind for e in dornbirn[2:]} == {"information_evening"}
    assert [e.id for e in repository.events("kranj")] == ["jezikovna-kavarna"]
    assert repository.municipality("dornbirn").events == []  # type: ignore[union-attr]
    before = repository.content_hash("dornbirn")
    dornbirn_file = folder / "dornbirn.yml"
    text = dornbirn_file.read_text(encoding="utf-8")
    dornbirn_file.write_text(text.replace('end: "19:00"', 'end: "19:30"', 1), encoding="utf-8")
    assert sync(engine, [folder], today=TODAY).changed == ["dornbirn"]
    assert repository.content_hash("dornbirn") != before
    assert repository.events("dornbirn")[0].end == "19:30"
