"""The JSON Schema editors use to check a municipality file as it is typed
(`python -m bot knowledge schema`), agreeing with `validate`: the models' fields and bounds,
plus what the validator checks in code (topics, categories, event kinds, language codes, time
zones, holiday regions of the Alpine countries, id, phone, date-time and repeat-rule forms) as
enums and patterns, and a description of every field in plain words. Set-up in an editor:
docs/staff-quickstart.md.
"""

from __future__ import annotations

from typing import Any
from zoneinfo import available_timezones

from bot.knowledge.events import END_PATTERN, EVENT_KINDS, START_PATTERN
from bot.knowledge.holidays import known_subdivisions, subdivision_names
from bot.knowledge.schema import (
    ACCESS,
    AUDIENCES,
    CATEGORIES,
    FORMATS,
    LEVELS,
    TOPICS,
    Municipality,
)
from bot.language.registry import supported_codes

# Countries whose holiday regions the schema lists (the validator knows every country).
ALPINE_COUNTRIES = ("AT", "CH", "DE", "FR", "IT", "LI", "SI")
ID_PATTERN = "^[a-z0-9][a-z0-9_-]*$"
PHONE_PATTERN = r"^\+?[0-9][0-9 ()/-]{5,}$"
# An RRULE with FREQ (the validator also accepts lower case and a leading RRULE:)
REPEAT_PATTERN = (
    r"^(RRULE:|rrule:)?(?=.*(FREQ|freq)=(DAILY|WEEKLY|MONTHLY|YEARLY|daily|weekly|monthly|"
    r"yearly)(;|$))[A-Za-z]+=[^;]+(;[A-Za-z]+=[^;]+)*$"
)
CALENDAR_FILE_PATTERN = r"^(?![/\\])(?!.*\.\.)[^:]*\.[iI][cC][sS]$"

DESCRIPTIONS: dict[str, dict[str, str]] = {
    "Municipality": {
        "id": "Short name of the file, lower case: kranj (the file is kranj.yml).",
        "sample": "true for made-up sample content; leave it out for real content.",
        "name": "The municipality's name per language, as people of that language write it; "
        "the bot also finds the town in messages by these names.",
        "aliases": "Other names people use for the town (a historic or foreign one, such as "
        "Krainburg for Kranj): recognised in messages, never shown.",
        "country": "Two capital letters: AT, IT, SI, FR, CH, DE.",
        "region": "Free text, e.g. Vorarlberg.",
        "timezone": "Time zone for opening hours, e.g. Europe/Vienna.",
        "languages": "The official languages of the municipality, two-letter codes.",
        "lat": "Latitude of the centre (north-south, about 44-48 in the Alps).",
        "lon": "Longitude of the centre (east-west, about 5-17 in the Alps).",
        "radius_km": "Places and services must be within this distance of the centre.",
        "neighbour_km": "When this municipality has nothing of a kind, services of other "
        "municipalities up to this distance (km) are offered; default 30.",
        "cross_border": "true to offer services in another country as well; default false.",
        "holiday_subdivision": "Region code for public holidays, e.g. AT 8 (Vorarlberg), "
        "IT BZ (South Tyrol); validate lists the codes of your country with their names.",
        "holidays": "Local closing days on top of the public holidays, e.g. [2026-08-16].",
        "contact": "The integration office, shown when someone asks for a person.",
        "places": "Districts and landmarks people name to say where they are.",
        "faqs": "Questions and answers, one topic each.",
        "services": "Offices and places with address, coordinates and opening hours.",
        "events": "Welcome events, language cafés and information evenings, with time, place "
        "and repeat rule (docs/knowledge.md, 'Events').",
        "calendars": "Calendars (.ics) whose events are added to events: a file in this "
        "folder (read by validate and sync) or a feed's url (fetched by sync only).",
    },
    "Contact": {
        "name": "Office name, text or per language.",
        "address": "Street, number, postcode and town.",
        "phone": 'In quotes, with country code: "+43 5572 306 0".',
        "email": "E-mail address.",
        "website": "Web address starting with https://.",
        "opening_hours": 'E.g. "Mo-Th 08:00-12:00; Fr 08:00-12:00; PH off" (hyphens, '
        "English day names Mo Tu We Th Fr Sa Su, PH for public holidays).",
    },
    "Place": {
        "id": "Short name, lower case.",
        "name": "The place's name, text or per language.",
        "aliases": "Other ways people write it.",
        "postcode": "In quotes.",
        "lat": "Latitude.",
        "lon": "Longitude.",
    },
    "Faq": {
        "id": "Short name, lower case, unique in the file.",
        "topic": "One of the six topics.",
        "questions": "Ways people ask it, per language (shown as buttons; help matching).",
        "answer": "The answer per language; at most 4,000 characters each, no empty text.",
        "links": "Web addresses for more information.",
        "last_reviewed": "The date someone last checked the answer, e.g. 2026-09-01; newcomers "
        "see it under the answer.",
        "translated": "Written by `python -m bot knowledge translated`: which version of the "
        "source answer each translation was made from. Do not edit by hand.",
    },
    "Service": {
        "id": "Short name, lower case, unique in the file.",
        "name": "The service's name, text or per language.",
        "categories": "What kinds of place it is (the first a topic is usual).",
        "address": "Street, number, postcode and town.",
        "place": "The id of a place under places, if it is in one.",
        "lat": "Latitude.",
        "lon": "Longitude.",
        "opening_hours": 'E.g. "Mo-Fr 08:00-12:00; PH off"; "by appointment" for appointments.',
        "languages": "Languages the staff speak, two-letter codes.",
        "phone": 'In quotes, with country code: "+386 4 237 31 00".',
        "email": "E-mail address.",
        "website": "Web address starting with https://.",
        "free": "true if it costs nothing.",
        "cost_note": "What it costs, per language.",
        "notes": "Anything else newcomers should know, per language.",
        "links": "Web addresses for more information (shown under the service).",
        "access": "walk_in (just come), appointment (only with an appointment: never shown as "
        "closed) or both. Left out: taken from opening_hours.",
        "childcare": "true if children are looked after during the service (e.g. a course).",
        "wheelchair": "true if it can be reached in a wheelchair, false if not.",
        "levels": "For courses, the levels taught: A0 (beginners) A1 A2 B1 B2 C1 C2.",
        "formats": "For courses: evening, weekend, intensive, online. Evening and weekend are "
        "also read from opening_hours.",
        "audience": "Who it is for: everyone, women, youth, families. Left out: everyone.",
    },
    "Event": {
        "id": "Short name, lower case, unique in the file.",
        "title": "The event's name, text or per language.",
        "kind": "welcome_event, language_cafe, information_evening or other.",
        "start": "Date and start time in the municipality's local time, no offset: "
        "2026-09-02T18:00. For a repeating event, the first time.",
        "end": 'End time on the same day, in quotes: "19:30". Or give duration_minutes.',
        "duration_minutes": "How long it lasts in minutes (instead of end), e.g. for an "
        "event past midnight.",
        "repeat": "How it repeats (RRULE): FREQ=WEEKLY;BYDAY=WE every Wednesday, "
        "FREQ=MONTHLY;BYDAY=1MO the first Monday of the month, ;UNTIL=20261216 until a day, "
        ";COUNT=6 six times. Left out: once.",
        "place": "The id of a place under places (a district or landmark); add address for "
        "the exact spot.",
        "service": "The id of a service under services: its address and map position are "
        "used.",
        "address": "Street, number, postcode and town. Needed without place or service.",
        "free": "true if it costs nothing, false if it has a fee.",
        "notes": "Anything else newcomers should know, per language.",
        "link": "Web address for more information or to register.",
    },
    "Calendar": {
        "file": "An .ics file in this folder or below it, e.g. events/dornbirn.ics.",
        "url": "The address of a calendar feed (https://...); fetched by sync only.",
        "kind": "The kind of all its events: welcome_event, language_cafe, "
        "information_evening or other.",
    },
}


def _language_map(node: dict[str, Any], codes: list[str]) -> None:
    """A text-per-language map: its keys must be supported codes."""
    for option in [node, *node.get("anyOf", [])]:
        if option.get("type") == "object":
            option["propertyNames"] = {"enum": codes}


def _holiday_rules() -> list[dict[str, Any]]:
    rules = []
    for country in ALPINE_COUNTRIES:
        codes = known_subdivisions(country)
        if not codes:
            continue
        names = subdivision_names(country)
        rules.append(
            {
                "if": {"properties": {"country": {"const": country}}},
                "then": {
                    "properties": {
                        "holiday_subdivision": {
                            "enum": codes,
                            "description": "; ".join(
                                f"{code}: {names[code]}" for code in codes if code in names
                            ),
                        }
                    }
                },
            }
        )
    return rules


def _events(models: dict[str, Any], codes: list[str]) -> None:
    """Event and calendar fields: kinds, forms and the choices of one field among several."""
    event = models["Event"]
    fields = event["properties"]
    fields["id"]["pattern"] = ID_PATTERN
    fields["kind"]["enum"] = list(EVENT_KINDS)
    fields["start"].pop("format", None)  # JSON's date-time needs an offset; ours has none
    fields["start"]["pattern"] = START_PATTERN
    fields["end"]["pattern"] = END_PATTERN
    fields["repeat"]["pattern"] = REPEAT_PATTERN
    fields["link"]["pattern"] = "^https?://"
    _language_map(fields["title"], codes)
    _language_map(fields["notes"], codes)
    event["anyOf"] = [{"required": [name]} for name in ("place", "service", "address")]
    event["not"] = {"required": ["end", "duration_minutes"]}
    calendar = models["Calendar"]
    calendar["properties"]["kind"]["enum"] = list(EVENT_KINDS)
    calendar["properties"]["file"]["pattern"] = CALENDAR_FILE_PATTERN
    calendar["properties"]["url"]["pattern"] = "^https?://"
    calendar["oneOf"] = [{"required": ["file"]}, {"required": ["url"]}]


def editor_schema() -> dict[str, Any]:
    """The models' JSON Schema with the validator's rules and field descriptions."""
    schema = Municipality.schema()
    codes = list(supported_codes())
    models = {"Municipality": schema, **schema.get("definitions", {})}
    for model, fields in DESCRIPTIONS.items():
        properties = models[model]["properties"]
        for field, text in fields.items():
            properties[field]["description"] = text
    top = schema["properties"]
    top["id"]["pattern"] = ID_PATTERN
    top["timezone"]["enum"] = sorted(available_timezones())
    _language_map(top["name"], codes)
    top["languages"]["items"]["pattern"] = "^[a-z]{2}$"
    faq = models["Faq"]["properties"]
    faq["id"]["pattern"] = ID_PATTERN
    faq["topic"]["enum"] = list(TOPICS)
    _language_map(faq["answer"], codes)
    _language_map(faq["questions"], codes)
    _language_map(faq["translated"], codes)
    faq["translated"]["additionalProperties"]["pattern"] = (
        r"^[a-z]{2} [0-9a-f]{8} \d{4}-\d{2}-\d{2}$"
    )
    service = models["Service"]["properties"]
    service["id"]["pattern"] = ID_PATTERN
    service["categories"]["items"]["enum"] = list(CATEGORIES)
    service["languages"]["items"]["pattern"] = "^[a-z]{2}$"
    service["access"]["enum"] = list(ACCESS)
    service["levels"]["items"]["enum"] = list(LEVELS)
    service["formats"]["items"]["enum"] = list(FORMATS)
    service["audience"]["items"]["enum"] = list(AUDIENCES)
    for name in ("name", "cost_note", "notes"):
        _language_map(service[name], codes)
    _events(models, codes)
    models["Place"]["properties"]["id"]["pattern"] = ID_PATTERN
    _language_map(models["Place"]["properties"]["name"], codes)
    _language_map(models["Contact"]["properties"]["name"], codes)
    for model in ("Contact", "Service"):
        models[model]["properties"]["phone"]["pattern"] = PHONE_PATTERN
    schema["allOf"] = _holiday_rules()
    schema["description"] = (
        "A municipality's content for the welcome assistant. Check a file with "
        "`python -m bot knowledge validate`, from the project folder."
    )
    return schema
