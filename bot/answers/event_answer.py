"""The next dates of the events that go with a kind of place ("where is the language café?"):
one line per occurrence, with its day, time and place in the user's language."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import format_skeleton

from bot.answers import formatting
from bot.answers.bidi import isolate, local_digits
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
SHOWN = 3
WITHIN_DAYS = 42  # six weeks: a monthly event is always among them


def asks_for_events(text: str, language: str) -> bool:
    """Whether a message names a kind of place that meets ("the next language café")."""
    return category_in_text(text, language) in EVENT_KINDS_FOR


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
    locale = formatting.LONG_DATE_LOCALES.get(language, language)
    day = local_digits(str(format_skeleton("MMMMEEEEd", occurrence.start, locale=locale)), language)
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
    local_now = now.astimezone(ZoneInfo(municipality.timezone))
    index = event_index(repository, municipality.id, local_now.date())
    found = index.upcoming(local_now, kinds, limit=SHOWN, within_days=WITHIN_DAYS)
    return "\n".join(
        _line(o, _place(o, municipality, repository, language), language, municipality.languages)
        for o in found
    )
