"""What a message asks of a service besides its kind ("free", "in the evening", "with
childcare"), from bot/locales/filters/<code>.yml, and whether a service offers it."""

from __future__ import annotations

from bot.answers.categories import category_in_text
from bot.answers.wordlists import WordLists, spelled_at, words_of
from bot.knowledge.hours import OpeningHours, OpeningHoursError, parse
from bot.knowledge.schema import Service

# In the order answers name them.
FILTERS = ("free", "evening", "weekend", "childcare", "women", "wheelchair", "beginners", "walk_in")
# No typo matching: one typo away, "Guten Abend" became "abends" and "randevusu" (an
# appointment) "randevusuz" (without one); a missed filter costs less than a wrong one.
FILTER_WORDS = WordLists("filters", "filters", FILTERS, typos=False)
# Phrases that hold a filter's word without asking for it ("good evening"), under the file's
# key `not_filters`: taken out of a message before its filters are looked for.
NOT_FILTER_WORDS = WordLists("filters", "not_filters", ("greeting",), typos=False)

EVENING_FROM = 17 * 60  # a session that ends after 18:00 and starts from 17:00 is "evening"
EVENING_ENDS_AFTER = 18 * 60
WEEKEND = (5, 6)  # Saturday, Sunday
BEGINNER_LEVELS = ("A0", "A1")


def filters_in_text(text: str, language: str) -> tuple[str, ...]:
    """The filters a message names, in FILTERS order."""
    named = {entry.key for entry in FILTER_WORDS.found(_taken_out(text, language), language)}
    return tuple(f for f in FILTERS if f in named)


def without_filters(text: str, language: str) -> str:
    """The message without the words of the filters it names, so that "with childcare"
    does not make a course request a childcare request."""
    return _taken_out(_taken_out(text, language), language, FILTER_WORDS)


def _taken_out(text: str, language: str, lists: WordLists = NOT_FILTER_WORDS) -> str:
    """The message's words without those of the entries of `lists` it holds."""
    words = words_of(text)
    for entry in lists.found(text, language):
        start = 0
        while start <= len(words) - len(entry.words):
            if spelled_at(entry, words, start):
                del words[start : start + len(entry.words)]
            else:
                start += 1
    return " ".join(words)


def describes_a_service(text: str, language: str) -> bool:
    """Whether a message asks for a place rather than information: "a free evening course
    with childcare" names two filters, "a free German course" a filter and a kind of place.
    A lone filter ("in the evening? I work") is a follow-up to the answer, not a search."""
    named = filters_in_text(text, language)
    if len(named) >= 2:
        return True
    return bool(named) and category_in_text(without_filters(text, language), language) is not None


def _hours(service: Service) -> OpeningHours | None:
    if not service.opening_hours:
        return None
    try:
        return parse(service.opening_hours)
    except OpeningHoursError:
        return None


def access_of(service: Service) -> str | None:
    """walk_in, appointment or both: as written, else from the opening hours; None if
    unknown."""
    if service.access:
        return service.access
    hours = _hours(service)
    if hours is None:
        return None
    if hours.by_appointment:
        return "both" if hours.weekly or hours.always_open else "appointment"
    return "walk_in"


def formats_of(service: Service) -> tuple[str, ...]:
    """Formats as written, plus evening and weekend read from the opening hours."""
    found = set(service.formats)
    hours = _hours(service)
    if hours is not None and not hours.always_open:
        for day, intervals in hours.weekly.items():
            if day in WEEKEND and intervals:
                found.add("weekend")
            if any(start >= EVENING_FROM and end > EVENING_ENDS_AFTER for start, end in intervals):
                found.add("evening")
    return tuple(f for f in ("evening", "weekend", "intensive", "online") if f in found)


def offers(service: Service, wanted: str) -> bool:
    """Whether the service meets one filter (unknown counts as no)."""
    if wanted == "free":
        return service.free is True
    if wanted in ("evening", "weekend"):
        return wanted in formats_of(service)
    if wanted == "childcare":
        return service.childcare is True
    if wanted == "women":
        return "women" in service.audience
    if wanted == "wheelchair":
        return service.wheelchair is True
    if wanted == "beginners":
        return any(level in BEGINNER_LEVELS for level in service.levels)
    if wanted == "walk_in":
        return access_of(service) in ("walk_in", "both")
    raise ValueError(f"unknown filter {wanted}")
