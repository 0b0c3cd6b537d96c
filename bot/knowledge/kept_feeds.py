"""Calendar feeds that could not be read at a sync (down, too large, not a calendar): the
events each gave at the last sync are taken from the database, so that a town's calendar
server neither stops the sync (and with it a start) nor empties the town's events."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.knowledge.calendars import event_prefix
from bot.knowledge.events import Event
from bot.knowledge.models import EventRow, MunicipalityRow
from bot.knowledge.problems import Problem
from bot.knowledge.schema import Municipality


def unread_feeds(problems: list[Problem]) -> dict[str, set[str]]:
    """Municipality id -> the urls of its calendar feeds that could not be read."""
    found: dict[str, set[str]] = {}
    for problem in problems:
        if problem.feed:
            found.setdefault(problem.file.stem, set()).add(problem.feed)
    return found


def with_kept_events(
    session: Session, municipality: Municipality, urls: set[str]
) -> tuple[Municipality, list[str]]:
    """The municipality with the events the feeds `urls` gave at its last sync, after its
    other events; and those of `urls` that gave none then (new, or a new municipality)."""
    stored = session.execute(
        select(MunicipalityRow.data).where(MunicipalityRow.id == municipality.id)
    ).scalar_one_or_none()
    before = [entry.get("url") for entry in (stored or {}).get("calendars", [])]
    rows = session.execute(
        select(EventRow.event_id, EventRow.data)
        .where(EventRow.municipality_id == municipality.id)
        .order_by(EventRow.pk)
    ).all()
    events, none = list(municipality.events), []
    for index, entry in enumerate(municipality.calendars):
        url = str(entry.url) if entry.url is not None else ""
        if url not in urls:
            continue
        kept = []
        if url in before:  # its events' ids follow its place in the list, then and now
            old, new = f"{event_prefix(before.index(url))}-", f"{event_prefix(index)}-"
            kept = [
                Event.parse_obj({**data, "id": new + event_id[len(old) :]})
                for event_id, data in rows
                if event_id.startswith(old)
            ]
        if not kept:
            none.append(url)
        events += kept
    return municipality.copy(update={"events": events}), none
