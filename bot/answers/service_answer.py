"""The whole answer to "where is the nearest …": which services, found how, and every line to
say about each, in the user's language. The action only utters it (as the FAQ action does).

The search goes, until something is found:
1. the category asked for in this municipality, meeting the filters the message named, or
   its broader topic where that keeps more filters; if none meets them all, the fewest
   filters are dropped and the answer says which;
2. with nothing of the category here, the broader topic (no `doctor`: the `healthcare`
   services), said as such;
3. the category in another municipality within this one's `neighbour_km` of the starting
   point, in the same country unless `cross_border` allows;
4. nothing: the caller offers the integration office."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import combinations
from typing import Sequence

from babel.lists import format_list

from bot.answers import formatting
from bot.answers.bidi import isolate
from bot.answers.categories import topic_of
from bot.answers.event_answer import next_dates
from bot.answers.filters import access_of, formats_of
from bot.answers.localise import localise, localise_name
from bot.answers.location import Origin
from bot.answers.opening import opening_status
from bot.answers.services import Nearby, ServiceIndex, directions_link, osm_link, service_index
from bot.knowledge.holidays import is_public_holiday
from bot.knowledge.repository import KnowledgeRepository
from bot.knowledge.schema import Municipality, Service
from bot.locales.catalog import phrase
from bot.staff import feedback

# Where "in the evening" read from the opening hours is worth saying.
COURSES = frozenset({"language_courses", "language_school", "adult_education", "language_cafe"})


@dataclass(frozen=True)
class Utterance:
    """One message: a response of the domain and the values of its placeholders."""

    response: str
    values: dict[str, str] = field(default_factory=dict)
    buttons: list[dict[str, str]] = field(default_factory=list)


@dataclass
class ServiceAnswer:
    utterances: list[Utterance] = field(default_factory=list)
    shown: list[Service] = field(default_factory=list)  # the first is rated ("did this help?")
    found_nothing: bool = False


@dataclass(frozen=True)
class Request:
    category: str
    origin: Origin
    language: str
    filters: tuple[str, ...] = ()
    origin_name: str = ""
    the_way: bool = False  # only the nearest, with walking directions even from the centre


@dataclass(frozen=True)
class _Found:
    items: list[Nearby]
    kept: tuple[str, ...]
    dropped: tuple[str, ...]
    category: str


def _search(index: ServiceIndex, categories: Sequence[str], request: Request) -> _Found | None:
    """The nearest meeting the most filters, in the first category that has them (keeping a
    filter matters more than the finer kind: a free evening course at an adult-education
    centre beats a paid one at a language school); None if no category has any service."""
    origin, wanted = request.origin, request.filters
    present = [c for c in categories if index.has(c)]
    for size in range(len(wanted) + 1):
        for dropped in combinations(wanted, size):
            kept = tuple(f for f in wanted if f not in dropped)
            for category in present:
                items = index.nearest_for(
                    category, origin.lat, origin.lon, request.language, filters=kept
                )
                if items:
                    return _Found(items, kept, dropped, category)
    return None


def _filter_list(filters: Sequence[str], language: str) -> str:
    names = [phrase(language, f"filter_{f}") for f in filters]
    return str(format_list(names, locale=language))


def _intro(found: _Found, request: Request, here: str) -> Utterance:
    """How the services were found: nearest, with the filters, or with some dropped."""
    language = request.language
    values = {"municipality_name": here, "origin": request.origin_name}
    if found.dropped:
        values["missing"] = _filter_list(found.dropped, language)
        if found.kept:
            values["kept"] = _filter_list(found.kept, language)
            return Utterance("utter_service_relaxed_partly", values)
        return Utterance("utter_service_relaxed", values)
    if found.kept:
        values["filters"] = _filter_list(found.kept, language)
        return Utterance("utter_service_filtered", values)
    return Utterance("utter_service_intro", values)


def _neighbour(
    repository: KnowledgeRepository, municipality: Municipality, request: Request
) -> tuple[Nearby, Municipality] | None:
    """The nearest service of the category elsewhere, within reach and allowed borders."""
    best: tuple[Nearby, Municipality] | None = None
    origin = request.origin
    for town in repository.municipalities():
        if town.id == municipality.id:
            continue
        if town.country != municipality.country and not municipality.cross_border:
            continue
        index = service_index(repository, town.id)
        for item in index.nearest(request.category, origin.lat, origin.lon, limit=1):
            if item.distance_km > municipality.neighbour_km:
                continue
            if best is None or item.distance_km < best[0].distance_km:
                best = (item, town)
    return best


def find_services(
    repository: KnowledgeRepository,
    municipality: Municipality,
    request: Request,
    now: datetime,
    municipality_name: str,
) -> ServiceAnswer:
    """Search as the module says, and word everything found."""
    answer = ServiceAnswer()
    index = service_index(repository, municipality.id)
    broader = topic_of(request.category)
    categories = [request.category, *([broader] if broader and broader != request.category else [])]
    found = _search(index, categories, request)
    dates = next_dates(repository, municipality, request.category, request.language, now)
    if dates:  # "where is the language café?": when it meets comes first
        answer.utterances.append(
            Utterance(
                "utter_events_next", {"municipality_name": municipality_name, "events": dates}
            )
        )
    if found is not None:
        if not index.has(request.category):  # nothing of the kind: its topic instead
            answer.utterances.append(
                Utterance("utter_service_related", {"municipality_name": municipality_name})
            )
        if found.kept or found.dropped or index.has(request.category):
            answer.utterances.append(_intro(found, request, municipality_name))
        items = found.items[:1] if request.the_way else found.items
        for item in items:
            answer.utterances.append(_item(item, municipality, request, now))
        answer.shown = [item.service for item in items]
        return answer
    if dates:  # no place of the kind, but its events: they are the answer
        return answer
    elsewhere = _neighbour(repository, municipality, request)
    if elsewhere is None:
        answer.utterances.append(
            Utterance("utter_service_none", {"municipality_name": municipality_name})
        )
        answer.found_nothing = True
        return answer
    item, town = elsewhere
    other = localise(town.name, request.language, town.languages)[0]
    answer.utterances.append(
        Utterance(
            "utter_service_elsewhere",
            {"municipality_name": municipality_name, "other_municipality": other},
        )
    )
    answer.utterances.append(_item(item, town, request, now))
    answer.shown = [item.service]
    return answer


def display_name(service: Service, language: str, official: Sequence[str]) -> str:
    """The name on the door (official language), with the user's-language name beside it
    when there is one and it differs: "Zdravstveni dom Kranj (Health Centre Kranj)"."""
    door = localise_name(service.name, official[0] if official else language, official)
    if isinstance(service.name, dict) and language not in official:
        own = service.name.get(language)
        if own and own != door:
            return f"{isolate(door, language)} ({own})"
    return isolate(door, language)


def _hours_line(service: Service, municipality: Municipality, language: str, now: datetime) -> str:
    def holiday(day: date) -> bool:
        return is_public_holiday(
            day, municipality.country, municipality.holiday_subdivision, municipality.holidays
        )

    weekly = formatting.weekly_hours(service.opening_hours, language)
    access = access_of(service)
    if access == "appointment":  # never "closed": one comes when the appointment is
        text = phrase(language, "service_appointment")
        return f"{text} ({weekly})" if weekly else text
    status = opening_status(service.opening_hours, now, municipality.timezone, holiday)
    text = formatting.opening(status, language)
    if weekly and status.kind != "always":
        text = f"{text} ({weekly})"
    if service.access == "walk_in":
        text += " " + phrase(language, "service_walk_in")
    elif service.access == "both" and not status.by_appointment:
        text += " " + phrase(language, "service_walk_in_or_appointment")
    return text


def details(service: Service, language: str, official: Sequence[str]) -> list[str]:
    """Cost, childcare, access, levels, formats, target group, notes and links: one line
    each, only what staff wrote (or the opening hours tell)."""
    lines = []
    if service.free is True:
        lines.append(phrase(language, "service_free"))
    elif service.free is False or service.cost_note:
        lines.append(phrase(language, "service_fee"))
    if service.cost_note:
        lines.append(localise(service.cost_note, language, official)[0])
    if service.childcare:
        lines.append(phrase(language, "service_childcare"))
    if service.wheelchair is True:
        lines.append(phrase(language, "service_wheelchair"))
    elif service.wheelchair is False:
        lines.append(phrase(language, "service_no_wheelchair"))
    if service.levels:
        levels = ", ".join(isolate(level, language) for level in service.levels)
        lines.append(phrase(language, "service_levels", levels=levels))
    formats = formats_of(service)
    if formats and (service.formats or COURSES.intersection(service.categories)):
        names = [phrase(language, f"format_{f}") for f in formats]
        lines.append(
            phrase(language, "service_formats", formats=format_list(names, locale=language))
        )
    groups = [g for g in service.audience if g != "everyone"]
    if groups:
        names = [phrase(language, f"audience_{g}") for g in groups]
        lines.append(phrase(language, "service_for", groups=format_list(names, locale=language)))
    if service.notes:
        lines.append(localise(service.notes, language, official)[0])
    if service.links:
        links = " ".join(isolate(link, language) for link in service.links)
        lines.append(phrase(language, "service_links", links=links))
    return lines


def _item(item: Nearby, municipality: Municipality, request: Request, now: datetime) -> Utterance:
    service, language = item.service, request.language
    official = municipality.languages
    hours = "\n".join(
        [_hours_line(service, municipality, language, now), *details(service, language, official)]
    )
    speakers = formatting.language_names(service.languages)
    if language in service.languages:
        speakers = f"{speakers} ✓ {phrase(language, 'staff_speak_your_language')}"
    contact = " ".join(
        isolate(value, language)
        for value in (service.phone, service.email, service.website)
        if value
    )
    links = isolate(osm_link(service.lat, service.lon), language)
    origin = request.origin
    if origin.source in ("shared", "place") or request.the_way:
        # a shared position never goes into a reply: replies are stored with the conversation;
        # without a start the map asks for one (it offers the device's own position)
        start = (origin.lat, origin.lon) if origin.source == "place" else None
        route = directions_link(start, service.lat, service.lon)
        links += "\n" + phrase(language, "directions_on_foot", link=isolate(route, language))
    card = {"title": phrase(language, "card_button"), "payload": card_payload(service.id)}
    return Utterance(
        "utter_service_item",
        {
            "name": display_name(service, language, official),
            "distance": formatting.distance(item.distance_km, language),
            "address": isolate(service.address, language),
            "opening_hours": hours,
            "languages": speakers,
            "contact": contact,
            "map_link": links,
        },
        [card],
    )


def card_payload(service_id: str) -> str:
    """'/counter_card{"answer":"s3fa9c1d2e0"}': 38 bytes whatever the id (Telegram allows 64)."""
    token = feedback.token("service", service_id)
    return "/counter_card" + json.dumps({"answer": token}, separators=(",", ":"))
