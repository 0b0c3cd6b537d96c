"""The next dates of events: of those that go with a kind of place ("where is the language
café?") or of all of them ("what's on this week?"); one block per occurrence, with its day,
time and place in the user's language."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.answers import formatting
from bot.answers.bidi import isolate
from bot.answers.categories import category_in_text
from bot.answers.events import Occurrence, event_index
from bot.answers.localise import localise, localise_name
from bot.knowledge.repository import KnowledgeRepository
from bot.knowledge.schema import Municipality

# Which events answer a request for which kind of place.
EVENT_KINDS_FOR = {
    "language_cafe": ("language_cafe",),
    "welcome_event": ("welcome_event", "information_evening"),
}
SHOWN = 3  # beside the places of that kind
SHOWN_ALONE = 5  # when events are all that was asked for
WITHIN_DAYS = 42  # six weeks: a monthly event is always among them


def asks_for_events(text: str, language: str) -> bool:
    """Whether a message names a kind of place that meets ("the next language café")."""
    return category_in_text(text, language) in EVENT_KINDS_FOR


def event_kinds_in(text: str, language: str) -> tuple[str, ...]:
    """The kinds of event a message names ("the next welcome evening"); () for any."""
    category = category_in_text(text, language)
    return EVENT_KINDS_FOR.get(category, ()) if category else ()


def _place(
    occurrence: Occurrence,
    municipality: Municipality,
    repository: KnowledgeRepository,
    language: str,
) -> str:
    event = occurrence.event
    if event.address:
        return event.address
    if event.service:
        found = next(
            (s for s in repository.services(municipality.id) if s.id == event.service), None
        )
        if found is not None:
            return found.address
    if event.place:
        place = next((p for p in municipality.places if p.id == event.place), None)
        if place is not None:
            return localise_name(place.name, language, municipality.languages)
    return ""


def _line(occurrence: Occurrence, place: str, language: str, official: list[str]) -> str:
    title = localise(occurrence.event.title, language, official)[0]
    day = formatting.weekday_date(occurrence.start.date(), language)
    hours = formatting.clock(occurrence.start.time(), language)
    if occurrence.end is not None:
        hours += "–" + formatting.clock(occurrence.end.time(), language)
    parts = [title, f"{day} · {hours}", isolate(place, language) if place else ""]
    return "\n".join(["• " + parts[0], *[p for p in parts[1:] if p]])


def next_dates(
    repository: KnowledgeRepository,
    municipality: Municipality,
    category: str,
    language: str,
    now: datetime,
) -> str:
    """The next occurrences of the events for `category`, one block each; "" if none."""
    kinds = EVENT_KINDS_FOR.get(category)
    if not kinds:
        return ""
    return upcoming_dates(repository, municipality, kinds, language, now, SHOWN)


def upcoming_dates(
    repository: KnowledgeRepository,
    municipality: Municipality,
    kinds: tuple[str, ...],
    language: str,
    now: datetime,
    shown: int = SHOWN_ALONE,
) -> str:
    """The next `shown` occurrences of events of `kinds` (any if empty) within
    WITHIN_DAYS, in the municipality's time zone, one block each; "" if none."""
    local_now = now.astimezone(ZoneInfo(municipality.timezone))
    index = event_index(repository, municipality.id, local_now.date())
    found = index.upcoming(local_now, kinds, limit=shown, within_days=WITHIN_DAYS)
    return "\n".join(
        _line(o, _place(o, municipality, repository, language), language, municipality.languages)
        for o in found
    )
