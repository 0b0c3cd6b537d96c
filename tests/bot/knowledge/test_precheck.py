"""Text cut by a `#` comment is an error; absurd lists and alias bombs are refused before the
schema runs; every error names the file and the line."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.knowledge import loader
from bot.knowledge.limits import MAX_LIST, MAX_SERVICES, MAX_VALUES
from bot.knowledge.loader import load_file
from tests.bot.knowledge.testville import TODAY, VALID, write


def _edit(old: str, new: str) -> str:
    assert old in VALID, f"fixture lacks {old!r}"
    return VALID.replace(old, new, 1)


def _line_of(text: str, part: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if part in line)


CUT = [
    ("region: Vorarlberg", "region: Vorarlberg # west", "region", 9),
    ("  address: Rathausplatz 2", "  address: Rathausplatz 2 #2nd floor", "contact.address", 12),
    ('  phone: "+43 5572 306 100"', "  phone: +43 5572 306 100 #2", "services[0].phone", 10),
    ("  name: AMS Testdorf", "  name: AMS Testdorf # since 2020", "services[1].name", 9),
    (
        '    en: "Register with the AMS."',
        "    en: Call us on weekdays #2 floor",
        "faqs[1].answer.en",
        9,
    ),
    (
        '  opening_hours: "Sa 09:00-12:00"',
        "  opening_hours: Sa 09:00-12:00 # and by appointment",
        "services[4].opening_hours",
        18,
    ),
    (
        '    en: ["How do I find a flat?"]',
        "    en:\n    - How do I find a flat? # or a room",
        "faqs[0].questions.en[0]",
        7,
    ),
]


@pytest.mark.parametrize(("old", "new", "field", "column"), CUT, ids=[c[2] for c in CUT])
def test_text_cut_by_a_comment_is_an_error(
    tmp_path: Path, old: str, new: str, field: str, column: int
) -> None:
    text = _edit(old, new)
    path = write(tmp_path, text)
    municipality, problems = load_file(path, TODAY)
    assert municipality is None
    errors = [p for p in problems if p.severity == "error"]
    assert [p.field for p in errors] == [field]
    line = _line_of(text, new.splitlines()[-1])
    assert str(errors[0]).startswith(f"{path}:{line}:{column}: {field}: text after # was read")
    assert "put the whole text in quotes, or move the comment to its own line" in str(errors[0])


def test_comments_that_cut_nothing_are_allowed(tmp_path: Path) -> None:
    text = VALID
    for old, new in [
        ("id: testville", "# a comment on its own line\nid: testville  # must match the file"),
        ("region: Vorarlberg", "\n".join(["region: 'Vorarlberg'  # quoted", "# own line"])),
        ('  phone: "+43 5572 306 0"', '  phone: "+43 5572 306 0"  # double quotes'),
        ("lat: 47.4125", "lat: 47.4125  # a number"),
        ("timezone: Europe/Vienna", "timezone: Europe/Vienna  # a code"),
        ("languages: [de]", "languages: [de]  # after a list"),
        ("topic: housing", "topic: housing # a code"),
        ("place: markt", "place: markt # an id"),
        ("  free: true", "  free: true # true or false"),
        (
            "  email: integration@testville.example.org",
            "  email: integration@testville.example.org # one word: e-mail and web addresses",
        ),
        ("links: [https://testville.example.org/wohnen]", "links:\n  - https://x.org/a  # a link"),
        ("  last_reviewed: 2026-10-01", "  last_reviewed: 2026-10-01 # a date"),
        ("  name: Volkshochschule Testdorf", "  name: >- # folded\n    Volkshochschule Testdorf"),
        ("  name: BFI Testdorf", "  name: BFI Testdorf#1"),  # no space: part of the text
    ]:
        assert old in text, old
        text = text.replace(old, new, 1)
    municipality, problems = load_file(write(tmp_path, text), TODAY)
    assert municipality is not None, [str(p) for p in problems]
    assert municipality.services[3].name == "BFI Testdorf#1"
    assert municipality.services[2].name == "Volkshochschule Testdorf"


def test_windows_line_ends_and_byte_order_mark(tmp_path: Path) -> None:
    path = tmp_path / "testville.yml"
    path.write_bytes(b"\xef\xbb\xbf" + VALID.replace("\n", "\r\n").encode("utf-8"))
    municipality, _ = load_file(path, TODAY)
    assert municipality is not None
    text = _edit("region: Vorarlberg", "region: Vorarlberg # west")
    path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    _, problems = load_file(path, TODAY)
    assert [(p.line, p.column, p.field) for p in problems] == [(6, 9, "region")]


def test_a_list_over_its_limit_is_refused_at_its_line(tmp_path: Path) -> None:
    aliases = ", ".join(f"Alias {n}" for n in range(MAX_LIST + 1))
    text = _edit("aliases: [Hatler Dorf]", f"aliases: [{aliases}]")
    path = write(tmp_path, text)
    _, problems = load_file(path, TODAY)
    assert [str(p) for p in problems] == [
        f"{path}:22:38: places[1].aliases: has 101 entries; the limit is 100 "
        "(see docs/knowledge.md, 'Limits')"
    ]


def test_too_many_services_are_refused_before_the_schema_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def must_not_run(data: object) -> None:
        raise AssertionError("a refused file was read further")

    monkeypatch.setattr(loader, "construct", must_not_run)
    monkeypatch.setattr(loader.Municipality, "parse_obj", must_not_run)
    text = _edit("services:\n", "services:\n" + "- {}\n" * (MAX_SERVICES + 1))
    path = write(tmp_path, text)
    _, problems = load_file(path, TODAY)
    line = _line_of(text, "services:")
    assert [str(p) for p in problems] == [
        f"{path}:{line}:1: services: has 20,006 entries; the limit is 20,000 "
        "(see docs/knowledge.md, 'Limits')"
    ]


def test_aliases_cannot_expand_into_millions_of_values(tmp_path: Path) -> None:
    """A few kilobytes of `*alias` that would repeat one service 4 million values' worth."""
    categories = ", ".join(["jobs"] * MAX_LIST)
    first = (
        f"- &s {{id: s, name: S, categories: &c [{categories}], languages: *c,"
        " address: x, lat: 47.41, lon: 9.74}\n"
    )
    copies = (MAX_VALUES // (2 * MAX_LIST)) + 1
    assert copies < MAX_SERVICES, "the services list itself must stay within its limit"
    text = VALID.split("services:\n")[0] + "services:\n" + first + "- *s\n" * copies
    path = write(tmp_path, text)
    _, problems = load_file(path, TODAY)
    assert [str(p) for p in problems] == [
        f"{path}:1:1: (file): has more than 2,000,000 values (each use of an alias *name counts"
        " every value it repeats); see docs/knowledge.md, 'Limits'"
    ]
