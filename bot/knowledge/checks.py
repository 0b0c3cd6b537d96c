"""Checks that span several fields of one municipality file.

Errors: ids used twice, references to places (or, from events, services) that do not exist,
repeat rules that never happen, coordinates far from the municipality, an unknown holiday
region. Warnings: answers not yet
translated into every supported language, answers not reviewed for more than a year, glossary
conflicts, long sentences and answers (plain.py), names missing in a language.
"""

from __future__ import annotations

import difflib
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Sequence

from bot.geo import haversine_km
from bot.knowledge import occurrences, plain, recurrence
from bot.knowledge.glossary import conflicts
from bot.knowledge.glossary import message as glossary_message
from bot.knowledge.holidays import known_subdivisions, subdivision_by_name, subdivision_names
from bot.knowledge.problems import Problem, field_name
from bot.knowledge.schema import Municipality
from bot.knowledge.translations import outdated
from bot.knowledge.yamlfile import position
from bot.language.registry import supported_codes

REVIEW_AFTER = timedelta(days=365)
KNOWN_SHOWN = 20  # ids listed in a message about an unknown one


class _Reporter:
    """Collects problems with their position in the file."""

    def __init__(self, path: Path, root: Any) -> None:
        self.path, self.root, self.problems = path, root, list[Problem]()

    def add(self, loc: Sequence[Any], message: str, severity: str = "error") -> None:
        line, column = position(self.root, loc)
        self.problems.append(Problem(self.path, line, column, field_name(loc), message, severity))


def _unique_ids(municipality: Municipality, report: _Reporter) -> None:
    for key in ("places", "faqs", "services", "events"):
        first: dict[str, int] = {}
        for index, item in enumerate(getattr(municipality, key)):
            if item.id not in first:
                first[item.id] = index
                continue
            line = position(report.root, (key, first[item.id], "id"))[0]
            report.add(
                (key, index, "id"),
                f"id '{item.id}' is already used on line {line}; every id must be different",
            )


def _place_references(municipality: Municipality, report: _Reporter) -> None:
    places = [place.id for place in municipality.places]
    for index, service in enumerate(municipality.services):
        if service.place is not None and service.place not in places:
            guess = difflib.get_close_matches(service.place, places, n=1)
            hint = f"did you mean '{guess[0]}'?" if guess else "add it under places"
            report.add(
                ("services", index, "place"),
                f"place '{service.place}' is not in this file's places; {hint}",
            )


def _known(value: str, ids: list[str], what: str) -> str:
    """What to write instead of the unknown id `value`: the likely one and the known ones."""
    if not ids:
        return f"this file has no {what}s; add it under {what}s, or write address instead"
    guess = difflib.get_close_matches(value, ids, n=1)
    listed = ", ".join(ids[:KNOWN_SHOWN]) + (", ..." if len(ids) > KNOWN_SHOWN else "")
    meant = f"did you mean '{guess[0]}'? " if guess else ""
    return f"{meant}the {what}s are: {listed}"


def _event_references(municipality: Municipality, report: _Reporter) -> None:
    known = {
        "place": [place.id for place in municipality.places],
        "service": [service.id for service in municipality.services],
    }
    for index, event in enumerate(municipality.events):
        for what, ids in known.items():
            value = getattr(event, what)
            if value is not None and value not in ids:
                report.add(
                    ("events", index, what),
                    f"{what} '{value}' is not in this file's {what}s; {_known(value, ids, what)}",
                )


def _event_rules(municipality: Municipality, report: _Reporter) -> None:
    for index, event in enumerate(municipality.events):
        if event.repeat is None:
            continue
        try:
            first = occurrences.first(event.repeat, event.start)
        except ValueError as error:  # a form dateutil refuses that the rule check let pass
            report.add(("events", index, "repeat"), recurrence.with_example(str(error)))
            continue
        if first is None:
            report.add(
                ("events", index, "repeat"),
                f"never happens from the start {event.start:%Y-%m-%d %H:%M} on: is UNTIL before "
                "the start, or are the days impossible (30 February)?",
            )


def _centre_swapped(municipality: Municipality, report: _Reporter) -> bool:
    """When every place and service is far from the centre but near it with the centre's
    lat and lon swapped, the centre is wrong, not they: one problem, on the centre."""
    items = [*municipality.places, *municipality.services]
    if not items:
        return False
    lat, lon = municipality.lat, municipality.lon
    far = [haversine_km(lat, lon, i.lat, i.lon) for i in items]
    if min(far) <= municipality.radius_km or not -90 <= lon <= 90:
        return False
    swapped = [haversine_km(lon, lat, i.lat, i.lon) for i in items]
    if max(swapped) > municipality.radius_km:
        return False
    report.add(
        ("lat",),
        f"the centre's lat and lon look swapped: every place and service is about "
        f"{min(far):,.0f} km away, and with them swapped within {max(swapped):.1f} km; write "
        f"lat: {lon} and lon: {lat}",
    )
    return True


def _near_centre(municipality: Municipality, report: _Reporter) -> None:
    if _centre_swapped(municipality, report):
        return
    for key in ("places", "services"):
        for index, item in enumerate(getattr(municipality, key)):
            km = haversine_km(municipality.lat, municipality.lon, item.lat, item.lon)
            if km > municipality.radius_km:
                report.add(
                    (key, index, "lat"),
                    f"is {km:.0f} km from the centre of the municipality (allowed: "
                    f"{municipality.radius_km:g} km, see radius_km); are lat and lon right, "
                    "or swapped?",
                )


def _holiday_region(municipality: Municipality, report: _Reporter) -> None:
    subdivision = municipality.holiday_subdivision
    if subdivision is None:
        return
    known = known_subdivisions(municipality.country)
    if subdivision not in known:
        names = subdivision_names(municipality.country)
        meant = subdivision_by_name(municipality.country, subdivision)
        hint = f'did you mean "{meant}" ({names.get(meant, subdivision)})? ' if meant else ""
        listed = ", ".join(
            f"{code} ({names[code]})" if code in names else code for code in known[:60]
        )
        report.add(
            ("holiday_subdivision",),
            f"'{subdivision}' is not a region code of {municipality.country} for public "
            f"holidays; {hint}use one of: {listed or 'none for this country'}",
        )


def _translations(municipality: Municipality, report: _Reporter) -> None:
    wanted = supported_codes()
    for index, faq in enumerate(municipality.faqs):
        missing = [code for code in wanted if code not in faq.answer]
        if missing:
            report.add(
                ("faqs", index, "answer"),
                f"not yet translated into {', '.join(missing)}; people who read those "
                "languages get another language with a note",
                "warning",
            )


def _translation_freshness(municipality: Municipality, report: _Reporter) -> None:
    for index, faq in enumerate(municipality.faqs):
        for language, record in outdated(faq):
            report.add(
                ("faqs", index, "translated", language),
                f"{language} was translated on {record.day} from an earlier {record.source} "
                f"answer, which has changed since; update the {language} answer, then run: "
                f"python -m bot knowledge translated {municipality.id} {faq.id} {language}",
                "warning",
            )


def _texts(municipality: Municipality) -> list[tuple[tuple[Any, ...], str, str]]:
    """(location, language, text) of every text written per language."""
    found: list[tuple[tuple[Any, ...], str, str]] = []

    def add(loc: tuple[Any, ...], value: Any) -> None:
        if isinstance(value, dict):
            found.extend(((*loc, code), code, str(text)) for code, text in value.items())

    add(("name",), municipality.name)
    add(("contact", "name"), municipality.contact.name)
    for index, faq in enumerate(municipality.faqs):
        add(("faqs", index, "answer"), faq.answer)
        for code, questions in faq.questions.items():
            found.extend((("faqs", index, "questions", code), code, q) for q in questions)
    for index, service in enumerate(municipality.services):
        add(("services", index, "name"), service.name)
    return found


def _glossary(municipality: Municipality, report: _Reporter) -> None:
    for loc, language, text in _texts(municipality):
        for term, word in conflicts(text, language):
            report.add(loc, glossary_message(term, word), "warning")


def _plain_language(municipality: Municipality, report: _Reporter) -> None:
    for index, faq in enumerate(municipality.faqs):
        for code, text in faq.answer.items():
            for message in plain.messages(text, plain.MAX_ANSWER_WORDS):
                report.add(("faqs", index, "answer", code), message, "warning")


def _names(municipality: Municipality, report: _Reporter) -> None:
    """Names newcomers see: the municipality's and the office's in every language (else
    "talk to a person" shows an English office name to an Arabic reader); a service's at
    least in the official language, as on the building."""
    wanted = supported_codes()
    for loc, value in (
        (("name",), municipality.name),
        (("contact", "name"), municipality.contact.name),
    ):
        if isinstance(value, dict):
            missing = [code for code in wanted if code not in value]
            if missing:
                report.add(
                    loc,
                    f"has no name in {', '.join(missing)}; people reading those languages see "
                    "it in another language",
                    "warning",
                )
    official = municipality.languages[0]
    for index, service in enumerate(municipality.services):
        if isinstance(service.name, dict) and official not in service.name:
            report.add(
                ("services", index, "name"),
                f"has no name in {official}, the official language (the name on the "
                "building); add it",
                "warning",
            )


def _reviews(municipality: Municipality, report: _Reporter, today: date) -> None:
    for index, faq in enumerate(municipality.faqs):
        if faq.last_reviewed is not None and today - faq.last_reviewed > REVIEW_AFTER:
            report.add(
                ("faqs", index, "last_reviewed"),
                f"was last reviewed on {faq.last_reviewed}, more than a year ago; check "
                "the answer and update the date",
                "warning",
            )


def check(path: Path, root: Any, municipality: Municipality, today: date) -> list[Problem]:
    """Every cross-field problem of one file, errors and warnings."""
    report = _Reporter(path, root)
    _unique_ids(municipality, report)
    _place_references(municipality, report)
    _event_references(municipality, report)
    _event_rules(municipality, report)
    _near_centre(municipality, report)
    _holiday_region(municipality, report)
    _translations(municipality, report)
    _translation_freshness(municipality, report)
    _glossary(municipality, report)
    _plain_language(municipality, report)
    _names(municipality, report)
    _reviews(municipality, report, today)
    return report.problems


def coverage(municipalities: Sequence[Municipality]) -> dict[str, tuple[int, int]]:
    """Supported language -> (answers written in it, all answers)."""
    answers = [faq.answer for m in municipalities for faq in m.faqs]
    return {code: (sum(code in a for a in answers), len(answers)) for code in supported_codes()}
