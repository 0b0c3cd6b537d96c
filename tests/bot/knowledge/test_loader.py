"""Broken knowledge files are rejected with the file, the line and the field."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Callable

import pytest

from bot.knowledge.loader import load_file, load_paths
from bot.language.registry import supported_codes
from tests.bot.knowledge.testville import FIXTURE, TODAY, VALID, write
from tests.conftest import SAMPLE_KNOWLEDGE


def test_fixture_and_sample_files_are_valid() -> None:
    result = load_paths([SAMPLE_KNOWLEDGE, FIXTURE], today=TODAY)
    assert result.ok, [str(p) for p in result.errors]
    assert {m.id for m in result.municipalities} >= {"kranj", "bolzano", "testville"}


def test_every_sample_municipality_is_complete() -> None:
    """Sample data promise: every answer in every supported language, all six topics."""
    result = load_paths([SAMPLE_KNOWLEDGE], today=TODAY)
    assert not [p for p in result.problems if "translated" in p.message]
    assert len(result.municipalities) >= 4
    assert len({m.country for m in result.municipalities}) >= 4
    for municipality in result.municipalities:
        assert municipality.sample
        assert len(municipality.faqs) >= 12 and len(municipality.services) >= 15
        assert {faq.topic for faq in municipality.faqs} >= {
            "housing",
            "jobs",
            "schooling",
            "language_courses",
            "healthcare",
            "registration",
        }
    coverage = result.coverage()
    assert set(coverage) == set(supported_codes())
    assert all(have == total > 0 for have, total in coverage.values())


Breaker = Callable[[str], str]


def _replace(old: str, new: str) -> Breaker:
    def breaker(text: str) -> str:
        assert old in text, f"fixture lacks {old!r}"
        return text.replace(old, new, 1)

    return breaker


BROKEN: list[tuple[str, Breaker, str, str]] = [
    ("yaml syntax", _replace("country: AT", "country: [AT"), "(file)", "YAML syntax"),
    (
        "duplicate key",
        _replace("timezone: Europe/Vienna", "timezone: Europe/Vienna\ntimezone: Europe/Rome"),
        "(file)",
        "YAML syntax",
    ),
    ("misspelt key", _replace("timezone:", "timezon:"), "timezon", "did you mean 'timezone'"),
    (
        "misspelt nested key",
        _replace("  categories: [jobs", "  categorys: [jobs"),
        "services[1].categorys",
        "did you mean 'categories'",
    ),
    ("missing field", _replace("timezone: Europe/Vienna\n", ""), "timezone", "missing"),
    (
        "missing nested field",
        _replace("  address: Poststraße 2, 6850 Testdorf\n", ""),
        "services[1].address",
        "missing",
    ),
    ("wrong type", _replace("lat: 47.4130", "lat: north"), "services[0].lat", "number"),
    ("bad time zone", _replace("Europe/Vienna", "Europe/Dornbirn"), "timezone", "time zone"),
    (
        "unknown topic",
        _replace("topic: housing", "topic: housin"),
        "faqs[0].topic",
        "did you mean 'housing'",
    ),
    (
        "unknown category",
        _replace("language_cafe]", "language_caffe]"),
        "services[0].categories[1]",
        "did you mean 'language_cafe'",
    ),
    (
        "unknown answer language",
        _replace('    en: "You find', '    xx: "You find'),
        "faqs[0].answer",
        "unknown language code xx",
    ),
    (
        "unknown staff language",
        _replace("languages: [de, en, uk]", "languages: [de, english]"),
        "services[0].languages[1]",
        "language code",
    ),
    ("duplicate id", _replace("id: jobs-ams", "id: housing-flat"), "faqs[1].id", "already used"),
    (
        "latitude out of range",
        _replace("lat: 47.4130", "lat: 147.4130"),
        "services[0].lat",
        "too large",
    ),
    (
        "far outside the municipality",
        _replace("lat: 47.4010\n  lon: 9.7360", "lat: 9.7360\n  lon: 47.4010"),
        "services[1].lat",
        "swapped",
    ),
    (
        "opening hours syntax",
        _replace('"We 17:00-19:00; PH off"', '"Wed 5pm-7pm"'),
        "services[0].opening_hours",
        "'Wed' is not a day",
    ),
    (
        "opening hours times",
        _replace('"We 17:00-19:00; PH off"', '"We 19:00-17:00"'),
        "services[0].opening_hours",
        "must end after it starts",
    ),
    (
        "bad e-mail",
        _replace("sprachcafe@testville.example.org", "sprachcafe at testville"),
        "services[0].email",
        "e-mail",
    ),
    ("bad phone", _replace('"+43 5572 306 0"', "ring the bell"), "contact.phone", "phone"),
    (
        "bad web address",
        _replace("website: https://testville.example.org/sprachcafe", "website: www.cafe"),
        "services[0].website",
        "web address",
    ),
    (
        "unknown place",
        _replace("place: hatlerdorf", "place: hatlerdorff"),
        "services[1].place",
        "did you mean 'hatlerdorf'",
    ),
    (
        "unknown holiday region",
        _replace('holiday_subdivision: "8"', 'holiday_subdivision: "Vbg"'),
        "holiday_subdivision",
        'did you mean "8" (Vorarlberg)?',
    ),
    (
        "bad date",
        _replace("last_reviewed: 2026-10-01", "last_reviewed: last spring"),
        "faqs[0].last_reviewed",
        "date",
    ),
    ("id vs file name", _replace("id: testville", "id: testdorf"), "id", "file name"),
    (
        "unquoted phone number",
        _replace('"+43 5572 306 0"', "+4355723060"),
        "contact.phone",
        '+4355723060 was read as a number; put it in quotes: "+4355723060"',
    ),
    (
        "phone number with a leading zero",
        _replace('  phone: "+43 5572 306 100"', "  phone: 0557230610"),
        "services[0].phone",
        '0557230610 was read as a number; put it in quotes: "0557230610"',
    ),
    (
        "unquoted postcode",
        _replace('postcode: "6850"', "postcode: 6850"),
        "places[0].postcode",
        'put it in quotes: "6850"',
    ),
    (
        "unquoted holiday region",
        _replace('holiday_subdivision: "8"', "holiday_subdivision: 8"),
        "holiday_subdivision",
        'put it in quotes: "8"',
    ),
    ("date as text", _replace("region: Vorarlberg", "region: 2026-01-01"), "region", "a date"),
    (
        "true as a name",
        _replace("name: AMS Testdorf", "name: true"),
        "services[1].name",
        'true was read as true or false; put it in quotes: "true"',
    ),
    (
        "number as an answer",
        _replace('en: "Register with the AMS."', "en: 1450"),
        "faqs[1].answer.en",
        "1450 was read as a number",
    ),
    (
        "number as a question",
        _replace('en: ["How do I find a flat?"]', "en: [3.5]"),
        "faqs[0].questions.en[0]",
        '3.5 was read as a number; put it in quotes: "3.5"',
    ),
    (
        "text cut by a comment",
        _replace("address: Poststraße 2, 6850", "address: Poststraße 2 #2nd floor, 6850"),
        "services[1].address",
        "text after # was read as a comment",
    ),
    (
        "answer too long",
        _replace('en: "Register with the AMS."', f'en: "{"x" * 4001}"'),
        "faqs[1].answer.en",
        "is longer than 4,000 characters (4,001)",
    ),
    (
        "name too long",
        _replace("name: AMS Testdorf", f"name: {'AMS ' * 300}"),
        "services[1].name",
        "is longer than 1,000 characters",
    ),
    ("id too long", _replace("id: vhs", f"id: {'v' * 65}"), "services[2].id", "longer than 64"),
    (
        "empty answer",
        lambda text: re.sub(r"(topic: jobs\n  answer:)\n(    .*\n)+", r"\1 {}\n", text),
        "faqs[1].answer",
        "at least one language",
    ),
]


@pytest.mark.parametrize(("name", "breaker", "field", "words"), BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_file_is_reported_with_file_line_and_field(
    tmp_path: Path, name: str, breaker: Breaker, field: str, words: str
) -> None:
    path = write(tmp_path, breaker(VALID))
    municipality, problems = load_file(path, TODAY)
    assert municipality is None, f"{name}: the broken file must not load"
    errors = [p for p in problems if p.severity == "error"]
    assert errors, "a broken file must give at least one error"
    problem = next((p for p in errors if p.field == field), errors[0])
    assert problem.field == field
    assert words in problem.message
    assert problem.line > 1
    assert str(problem).startswith(f"{path}:{problem.line}:{problem.column}: {field}: ")


def test_the_line_points_at_the_broken_field(tmp_path: Path) -> None:
    path = write(tmp_path, VALID.replace("place: hatlerdorf", "place: nowhere"))
    _, problems = load_file(path, TODAY)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert "place: nowhere" in lines[problems[0].line - 1]


def test_not_utf8_and_not_a_map(tmp_path: Path) -> None:
    path = tmp_path / "testville.yml"
    path.write_bytes("name: Caf\u00e9".encode("latin-1"))
    assert "UTF-8" in load_file(path, TODAY)[1][0].message
    path.write_text("- just\n- a list\n", encoding="utf-8")
    assert "must be a map" in load_file(path, TODAY)[1][0].message


def test_python_tags_are_refused_not_run(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    path = tmp_path / "testville.yml"
    path.write_text(f'id: !!python/object/apply:os.system ["touch {marker}"]\n', encoding="utf-8")
    municipality, problems = load_file(path, TODAY)
    assert municipality is None and problems and problems[0].line == 1
    assert not marker.exists(), "YAML is loaded safely: no code runs"


def test_missing_translation_and_old_review_are_warnings(tmp_path: Path) -> None:
    text = VALID.replace('    fa: "در AMS ثبت‌نام کنید."\n', "").replace(
        "last_reviewed: 2026-10-01", "last_reviewed: 2024-01-31", 1
    )
    municipality, problems = load_file(write(tmp_path, text), TODAY)
    assert municipality is not None, "warnings alone keep the file"
    assert all(p.severity == "warning" for p in problems)
    by_field = {p.field: p.message for p in problems}
    assert "not yet translated into fa" in by_field["faqs[1].answer"]
    assert "more than a year ago" in by_field["faqs[0].last_reviewed"]
    assert "warning: " in str(problems[0])


def test_every_problem_of_a_file_is_reported_in_one_pass(tmp_path: Path) -> None:
    text = VALID.replace("topic: housing", "topic: flats").replace('"+43 5572 306 0"', "no phone")
    _, problems = load_file(write(tmp_path, text), TODAY)
    assert {"faqs[0].topic", "contact.phone"} <= {p.field for p in problems}


def test_same_municipality_twice_is_an_error(tmp_path: Path) -> None:
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "testville.yml").write_text(VALID, encoding="utf-8")
    result = load_paths([tmp_path], today=TODAY)
    assert not result.ok
    assert "already used by" in result.errors[0].message
    assert len(result.municipalities) == 1


def test_many_files_are_checked_in_parallel_with_the_same_results(tmp_path: Path) -> None:
    count = 2 * 16 + 3  # enough for two worker processes
    for number in range(count):
        text = VALID.replace("id: testville", f"id: town{number}")
        if number == 7:
            text = text.replace("topic: housing", "topic: housin")
        (tmp_path / f"town{number}.yml").write_text(text, encoding="utf-8")
    result = load_paths([tmp_path], today=TODAY)
    assert len(result.municipalities) == count - 1
    assert [(p.file.name, p.field) for p in result.errors] == [("town7.yml", "faqs[0].topic")]


def test_the_quoting_hint_points_at_the_value(tmp_path: Path) -> None:
    path = write(tmp_path, VALID.replace('  phone: "+43 5572 306 100"', "  phone: 0424230100"))
    _, problems = load_file(path, TODAY)
    assert [str(p) for p in problems] == [
        f"{path}:66:10: services[0].phone: 0424230100 was read as a number; put it in quotes: "
        '"0424230100"'
    ]


def test_numbers_stay_numbers(tmp_path: Path) -> None:
    """lat, lon and radius_km are numbers, written with or without quotes."""
    text = VALID.replace("lat: 47.4125\n", 'lat: "47.4125"\n', 1) + "radius_km: 20\n"
    municipality, _ = load_file(write(tmp_path, text), TODAY)
    assert municipality is not None
    assert municipality.lat == 47.4125 and municipality.radius_km == 20


def test_a_missing_file_and_a_folder_without_files_are_errors(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = load_paths([tmp_path / "nowhere.yml", tmp_path / "empty"], today=TODAY)
    assert [str(p) for p in result.errors] == [
        f"{tmp_path / 'empty'}:1:1: (folder): has no .yml files",
        f"{tmp_path / 'nowhere.yml'}:1:1: (file): no such file",
    ]


def _line_of(text: str, fragment: str) -> int:
    return text[: text.index(fragment)].count("\n") + 1


# Mistakes a staff member made adding a municipality from the docs alone (issue 14): each
# message names the line that is wrong and says the fix in plain words.
STAFF_MISTAKES = [
    ("tab", "  topic: jobs", "\ttopic: jobs", "(file)", "replace the tab with two spaces"),
    (
        "colon in unquoted text",
        "  address: Poststraße 2, 6850 Testdorf",
        "  address: Poststraße 2: Eingang hinten",
        "(file)",
        'write: address: "Poststraße 2: Eingang hinten"',
    ),
    (
        "unclosed quote",
        '  phone: "+43 5572 306 100"',
        '  phone: "+43 5572 306 100',
        "(file)",
        'not closed; end it with "',
    ),
    (
        "dash in opening hours",
        'opening_hours: "We 17:00-19:00; PH off"',
        'opening_hours: "Mo–Fr 08:00–12:00"',
        "services[0].opening_hours",
        "did you mean 'Mo-Fr 08:00-12:00'? Use the hyphen (-), not a dash (–)",
    ),
    (
        "German day names",
        'opening_hours: "We 17:00-19:00; PH off"',
        'opening_hours: "Mo-Do 08:00-12:00"',
        "services[0].opening_hours",
        "did you mean 'Mo-Th 08:00-12:00'?",
    ),
    (
        "appointment in words",
        'opening_hours: "We 17:00-19:00; PH off"',
        'opening_hours: "nach Vereinbarung"',
        "services[0].opening_hours",
        "did you mean '\"by appointment\"'?",
    ),
    (
        "empty answer",
        '    ar: "سجّل في AMS."',
        '    ar: ""',
        "faqs[1].answer.ar",
        "is empty; write the text, or remove the line",
    ),
    (
        "number as a name",
        "  name: AMS Testdorf",
        "  name: 12345",
        "services[1].name",
        'put it in quotes: "12345"',
    ),
    (
        "swapped centre",
        "lat: 47.4125\nlon: 9.7417",
        "lat: 9.7417\nlon: 47.4125",
        "lat",
        "lat and lon look swapped",
    ),
    (
        "region by name",
        'holiday_subdivision: "8"',
        'holiday_subdivision: "Kärnten"',
        "holiday_subdivision",
        'did you mean "2" (Kärnten)? use one of: 1 (Burgenland), 2 (Kärnten)',
    ),
    (
        "course level B7",
        "  free: true\n- id: ams",
        "  levels: [A1, B7]\n  free: true\n- id: ams",
        "services[0].levels[1]",
        "unknown course level 'B7'; use one of A0, A1, A2, B1, B2, C1, C2",
    ),
    (
        "unknown course format",
        "  free: true\n- id: ams",
        "  formats: [evenings]\n  free: true\n- id: ams",
        "services[0].formats[0]",
        "unknown course format 'evenings'; did you mean 'evening'?",
    ),
    (
        "access misspelled",
        "  free: true\n- id: ams",
        "  access: walkin\n  free: true\n- id: ams",
        "services[0].access",
        "unknown access 'walkin'; did you mean 'walk_in'?",
    ),
    (
        "FAQ id too long for a button",
        "- id: housing-flat",
        "- id: housing-flat-in-the-old-town-centre",
        "faqs[0].id",
        "at most 29 small letters",
    ),
    (
        "municipality id with capitals and a space",
        "id: testville",
        "id: Testville Nord",
        "id",
        "at most 24 small letters",
    ),
]


@pytest.mark.parametrize(
    ("name", "old", "new", "field", "fix"), STAFF_MISTAKES, ids=[m[0] for m in STAFF_MISTAKES]
)
def test_staff_mistakes_name_the_line_and_the_fix(
    tmp_path: Path, name: str, old: str, new: str, field: str, fix: str
) -> None:
    assert old in VALID
    broken = VALID.replace(old, new, 1)
    municipality, problems = load_file(write(tmp_path, broken), TODAY)
    assert municipality is None
    errors = [p for p in problems if p.severity == "error"]
    assert len(errors) == 1, errors  # one message, on the line that is wrong
    assert errors[0].field == field
    assert fix in errors[0].message
    assert errors[0].line == _line_of(broken, new.split("\n")[0])


def test_a_file_that_is_not_utf8_is_reported_where_it_stops_being_so(tmp_path: Path) -> None:
    path = tmp_path / "testville.yml"
    path.write_bytes(VALID.encode("latin-1", "replace"))
    municipality, problems = load_file(path, TODAY)
    assert municipality is None
    latin1 = VALID.encode("latin-1", "replace")
    first = next(i for i, byte in enumerate(latin1) if byte > 127)
    assert problems[0].line == latin1[:first].count(b"\n") + 1 > 1
    assert "save the file as UTF-8" in problems[0].message
