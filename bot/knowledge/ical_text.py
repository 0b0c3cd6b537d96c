"""The lines of an iCalendar (.ics) text: its structure checked with line numbers (the
icalendar library forgives what it cannot read and keeps no line numbers), and where each
event and each of its properties starts."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_CONTENT = re.compile(r'^[A-Za-z0-9-]+(;[A-Za-z0-9-]+=("[^"]*"|[^";:,]*)(,("[^"]*"|[^";:,]*))*)*:')


@dataclass(frozen=True)
class Issue:
    """Something wrong in a calendar: its line, the property (or "(file)") and what."""

    line: int
    field: str
    message: str


@dataclass
class Block:
    """One VEVENT: the line of its BEGIN and the first line of each of its properties."""

    line: int
    properties: dict[str, int] = field(default_factory=dict)

    def line_of(self, name: str) -> int:
        return self.properties.get(name, self.line)


def _logical(text: str) -> list[tuple[int, str]]:
    """(line number, content line) with folded lines joined (RFC 5545, 3.1)."""
    lines: list[tuple[int, str]] = []
    for number, raw in enumerate(text.split("\n"), 1):
        raw = raw.rstrip("\r")
        if raw[:1] in (" ", "\t") and lines:
            lines[-1] = (lines[-1][0], lines[-1][1] + raw[1:])
        elif raw.strip():
            lines.append((number, raw))
    return lines


def _cut(line: str) -> str:
    return line if len(line) <= 40 else line[:39] + "…"


def _unclosed(opened: tuple[str, int], number: int, found: str) -> Issue:
    kind, line = opened
    return Issue(
        number,
        "(file)",
        f"{found}, but the {kind} from line {line} is not closed; add END:{kind} before this line",
    )


def scan(text: str) -> tuple[list[Block], Issue | None]:
    """The events' blocks, or the first thing that makes the text no calendar."""
    lines = _logical(text)
    if not lines or lines[0][1].strip().upper() != "BEGIN:VCALENDAR":
        return [], Issue(
            lines[0][0] if lines else 1,
            "(file)",
            "is not an iCalendar file: it must start with BEGIN:VCALENDAR (was a web page or "
            "another file saved under this name?)",
        )
    blocks: list[Block] = []
    open_: list[tuple[str, int]] = []
    for number, line in lines:
        if not _CONTENT.match(line):
            return [], Issue(
                number,
                "(file)",
                f"'{_cut(line)}' is not a calendar line like NAME:value; was the file edited "
                "by hand? Export it again from the calendar program",
            )
        name, _, value = line.partition(":")
        name = name.split(";")[0].upper()
        if name == "BEGIN":
            kind = value.strip().upper()
            if kind == "VEVENT" and open_ and open_[-1][0] == "VEVENT":
                return [], _unclosed(open_[-1], number, "BEGIN:VEVENT")
            open_.append((kind, number))
            if open_[-1][0] == "VEVENT" and len(open_) == 2:
                blocks.append(Block(number))
        elif name == "END":
            closing = value.strip().upper()
            if open_ and open_[-1][0] != closing:
                return [], _unclosed(open_[-1], number, f"END:{closing}")
            if not open_:
                return [], Issue(number, "(file)", f"END:{closing} after the end of the calendar")
            open_.pop()
        elif len(open_) == 2 and open_[-1][0] == "VEVENT" and blocks:
            blocks[-1].properties.setdefault(name, number)
    if open_:
        kind, number = open_[-1]
        return [], Issue(number, "(file)", f"BEGIN:{kind} is never closed with END:{kind}")
    return blocks, None
