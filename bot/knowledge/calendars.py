"""A municipality's calendars (`calendars:`) read into its events: a file (a path relative to
the municipality file's folder) by validate and sync; a feed (`url`) only by sync, never while
answering. A feed that cannot be read (down, too large, not a calendar) is a warning naming
it (`Problem.feed`): sync keeps the events it gave last time (bot/knowledge/kept_feeds.py),
since the town's calendar server is not the staff's to fix. An event a calendar cannot give
is left out with a warning.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from datetime import date
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot.knowledge import ical
from bot.knowledge.events import Calendar, Event
from bot.knowledge.ical_text import Issue
from bot.knowledge.limits import MAX_CALENDAR_BYTES, MAX_EVENTS, MB
from bot.knowledge.problems import Problem, field_name
from bot.knowledge.schema import Municipality
from bot.knowledge.yamlfile import position

KEPT = "; the events it gave at the last sync keep serving"
FETCH_TIMEOUT = 10  # seconds a feed may keep the sync waiting for an answer
USER_AGENT = "alpine-welcome-bot (calendar sync)"


class _UnreadableError(Exception):
    """Why a calendar could not be read, in plain words."""


def _decoded(raw: bytes, where: str) -> str:
    if len(raw) > MAX_CALENDAR_BYTES:
        raise _UnreadableError(
            f"{where} is over {MAX_CALENDAR_BYTES // MB} MB, the limit for a calendar (see "
            "docs/knowledge.md, 'Limits'); is it the right file?"
        )
    try:
        return raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        raise _UnreadableError(
            f"{where} is not UTF-8 text; export the calendar again as .ics"
        ) from None


def _read_file(path: Path) -> str:
    try:
        with path.open("rb") as stream:
            raw = stream.read(MAX_CALENDAR_BYTES + 1)
    except FileNotFoundError:
        raise _UnreadableError(
            f"no such file {path}; the path is relative to the folder of this file"
        ) from None
    except OSError as error:
        raise _UnreadableError(f"{path} cannot be read: {error.strerror or error}") from None
    return _decoded(raw, str(path))


def _fetch(url: str) -> str:
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=FETCH_TIMEOUT) as response:
            raw = response.read(MAX_CALENDAR_BYTES + 1)
    except urllib.error.HTTPError as error:
        raise _UnreadableError(f"the server answered {error.code} {error.reason}") from None
    except (urllib.error.URLError, OSError, ValueError) as error:
        reason = getattr(error, "reason", None) or error
        raise _UnreadableError(f"could not be fetched ({reason})") from None
    return _decoded(raw, "the feed")


class _Report:
    """Problems of one municipality file's calendars, at their place in the file."""

    def __init__(self, path: Path, root: Any) -> None:
        self.path, self.root, self.problems = path, root, list[Problem]()

    def at_entry(
        self, loc: tuple[Any, ...], message: str, severity: str = "error", feed: str = ""
    ) -> None:
        line, column = position(self.root, loc)
        where = field_name(loc)
        self.problems.append(Problem(self.path, line, column, where, message, severity, feed))

    def unreadable_feed(self, index: int, url: str, message: str) -> None:
        self.at_entry(("calendars", index, "url"), message, "warning", url)

    def issues(self, index: int, entry: Calendar, file: Path | None, read: ical.Imported) -> None:
        severity = "error" if read.broken else "warning"
        for issue in read.issues:
            if file is not None:
                problem = Problem(file, issue.line, 1, issue.field, issue.message, severity)
                self.problems.append(problem)
            elif read.broken:
                self.unreadable_feed(index, str(entry.url), f"{_in_feed(issue)}{KEPT}")
            else:
                self.at_entry(("calendars", index, "url"), _in_feed(issue), severity)


def _in_feed(issue: Issue) -> str:
    where = f"line {issue.line} of the feed"
    named = "" if issue.field == "(file)" else f" ({issue.field})"
    return f"{where}{named}: {issue.message}"


def event_prefix(index: int) -> str:
    """The start of the ids of the events of the calendar at `index` in `calendars:`."""
    return f"calendar{index + 1}"


def with_calendars(
    path: Path, root: Any, municipality: Municipality, today: date, fetch: bool
) -> tuple[Municipality, list[Problem]]:
    """The municipality with its calendars' events added after its own, and the problems."""
    report = _Report(path, root)
    events: list[Event] = list(municipality.events)
    ids = {event.id for event in events}
    for index, entry in enumerate(municipality.calendars):
        key = "file" if entry.file is not None else "url"
        file = path.parent / entry.file if entry.file is not None else None
        if file is None and not fetch:
            continue  # feeds are fetched by sync only
        try:
            text = _read_file(file) if file is not None else _fetch(str(entry.url))
        except _UnreadableError as why:
            if file is None:
                report.unreadable_feed(index, str(entry.url), f"{why}{KEPT}")
            else:
                report.at_entry(("calendars", index, key), str(why))
            continue
        source = ical.Source(
            entry.kind,
            ZoneInfo(municipality.timezone),
            municipality.languages[0],
            event_prefix(index),
            today,
        )
        read = ical.read(text, source)
        report.issues(index, entry, file, read)
        for event in read.events:
            if event.id in ids:
                report.at_entry(
                    ("calendars", index),
                    f"the event '{event.id}' is in the calendar twice (same UID); kept once",
                    "warning",
                )
                continue
            ids.add(event.id)
            events.append(event)
    if len(events) > MAX_EVENTS:
        report.at_entry(
            ("calendars",),
            f"with the events of the calendars this municipality has {len(events):,} events; "
            f"the limit is {MAX_EVENTS:,} (see docs/knowledge.md, 'Limits')",
        )
    return municipality.copy(update={"events": events}), report.problems
