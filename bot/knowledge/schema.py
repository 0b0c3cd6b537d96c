"""The structure of a municipality file, as pydantic models (one definition for the
validator, the database and the JSON Schema for editors)."""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from typing import Callable, Dict, List, Optional, Union
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale, UnknownLocaleError
from pydantic import Field, validator

from bot.knowledge.events import Calendar, Event
from bot.knowledge.fields import (
    Code,
    CountryCode,
    Link,
    LocalisedLongText,
    LocalisedText,
    Strict,
    Text,
    check_languages,
    check_url,
    one_of,
    suggest,
)
from bot.knowledge.hours import OpeningHoursError
from bot.knowledge.hours import parse as parse_hours
from bot.knowledge.hours_hints import has_dash, likely_meant
from bot.knowledge.limits import (
    MAX_EVENTS,
    MAX_FAQS,
    MAX_LIST,
    MAX_PLACES,
    MAX_SERVICES,
)

TOPICS = ("housing", "jobs", "schooling", "language_courses", "healthcare", "registration")
CATEGORIES = (
    *TOPICS,
    "language_cafe",
    "language_school",
    "adult_education",
    "job_centre",
    "apprenticeship",
    "kindergarten",
    "school",
    "after_school_care",
    "doctor",
    "hospital",
    "pharmacy",
    "emergency",
    "registry_office",
    "integration_office",
    "counselling",
    "legal_aid",
    "housing_office",
    "shelter",
    "interpreting",
    "library",
    "welcome_event",
)
ACCESS = ("walk_in", "appointment", "both")
LEVELS = ("A0", "A1", "A2", "B1", "B2", "C1", "C2")
FORMATS = ("evening", "weekend", "intensive", "online")
AUDIENCES = ("everyone", "women", "youth", "families")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
_PHONE = re.compile(r"^\+?[0-9][0-9 ()/-]{5,}$")
_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_TRANSLATION_RECORD = re.compile(r"^[a-z]{2} [0-9a-f]{8} \d{4}-\d{2}-\d{2}$")


def _check_phone(value: Optional[str]) -> Optional[str]:
    if value is not None and not _PHONE.match(value):
        raise ValueError("is not a phone number (digits, spaces, + ( ) / - only)")
    return value


def _check_email(value: Optional[str]) -> Optional[str]:
    if value is not None and not _EMAIL.match(value):
        raise ValueError("is not an e-mail address like office@example.org")
    return value


def _check_hours(value: Optional[str]) -> Optional[str]:
    if value is not None:
        try:
            parse_hours(value)
        except OpeningHoursError as error:
            meant = likely_meant(value)
            hint = f"; did you mean '{meant}'?" if meant else " (see docs/knowledge.md)"
            if has_dash(value):
                hint += " Use the hyphen (-), not a dash (–), which looks alike."
            raise ValueError(f"opening hours: {error}{hint}") from None
    return value


@lru_cache(maxsize=1024)
def _is_language_code(value: str) -> bool:
    try:
        Locale.parse(value)
    except (UnknownLocaleError, ValueError):
        return False
    return len(value) == 2


def _check_spoken_language(value: str) -> str:
    if not _is_language_code(value):
        raise ValueError(f"'{value}' is not a language code; use two letters such as de, ar, sq")
    return value


class Contact(Strict):
    name: Union[Text, LocalisedText]
    address: Text
    phone: Text
    email: Link
    website: Optional[Link] = None
    opening_hours: Text

    _name_languages = validator("name", allow_reuse=True)(
        lambda v: check_languages(v) if isinstance(v, dict) else v
    )
    _phone = validator("phone", allow_reuse=True)(_check_phone)
    _email = validator("email", allow_reuse=True)(_check_email)
    _website = validator("website", allow_reuse=True)(check_url)
    _hours = validator("opening_hours", allow_reuse=True)(_check_hours)


# Ids that travel in button payloads, which a messenger caps at 64 bytes (Telegram's
# callback_data; tests/bot/test_payloads.py builds every payload the sample data gives):
# '/choose_municipality{"municipality": "<id>"}' is 40 bytes and the id,
# '/ask_language_courses{"faq_id": "<id>"}' (the longest intent) 35 and the id.
MAX_MUNICIPALITY_ID = 24
MAX_FAQ_ID = 29
BUTTON_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


def _button_id(limit: int) -> Callable[[str], str]:
    def check(value: str) -> str:
        if len(value) > limit or not BUTTON_ID.match(value):
            raise ValueError(
                f"'{value}': an id here is at most {limit} small letters a-z, digits, '-' or "
                "'_' (it goes into buttons, which messengers limit to 64 bytes)"
            )
        return value

    return check


class Place(Strict):
    id: Code
    name: Union[Text, LocalisedText]

    _name_languages = validator("name", allow_reuse=True)(
        lambda v: check_languages(v) if isinstance(v, dict) else v
    )
    aliases: List[Text] = Field([], max_items=MAX_LIST)
    postcode: Optional[Text] = None
    lat: float = Field(..., ge=-90, le=90)
    lon: float = Field(..., ge=-180, le=180)


class Faq(Strict):
    id: Code
    _faq_id = validator("id", allow_reuse=True)(_button_id(MAX_FAQ_ID))
    topic: Code
    questions: Dict[str, List[Text]] = Field({})  # each list: MAX_LIST (checked in precheck)
    answer: LocalisedLongText
    links: List[Link] = Field([], max_items=MAX_LIST)
    last_reviewed: Optional[date] = None
    # per language: the source language, version of the source answer and day it was
    # translated from; written by `python -m bot knowledge translated` (translations.py)
    translated: Dict[str, Text] = Field({})

    _languages = validator("questions", "answer", "translated", allow_reuse=True)(check_languages)

    @validator("translated", each_item=True)
    def _record(cls, value: str) -> str:
        if not _TRANSLATION_RECORD.match(value):
            raise ValueError(
                "is not a translation record like 'en 3f2a9c1d 2026-11-02'; let the command "
                "`python -m bot knowledge translated` write it"
            )
        return value

    _links = validator("links", each_item=True, allow_reuse=True)(check_url)

    @validator("topic")
    def _topic(cls, value: str) -> str:
        if value not in TOPICS:
            raise ValueError(f"unknown topic '{value}'; {suggest(value, TOPICS)}")
        return value

    @validator("answer")
    def _answer_not_empty(cls, value: LocalisedLongText) -> LocalisedLongText:
        if not value:
            raise ValueError("needs the answer in at least one language")
        return value


class Service(Strict):
    id: Code
    name: Union[Text, LocalisedText]
    categories: List[Code] = Field(..., min_items=1, max_items=MAX_LIST)
    address: Text
    place: Optional[Code] = None
    lat: float = Field(..., ge=-90, le=90)
    lon: float = Field(..., ge=-180, le=180)
    opening_hours: Optional[Text] = None
    languages: List[Code] = Field([], max_items=MAX_LIST)
    phone: Optional[Text] = None
    email: Optional[Link] = None
    website: Optional[Link] = None
    free: Optional[bool] = None
    cost_note: Optional[LocalisedLongText] = None
    notes: LocalisedLongText = Field({})
    links: List[Link] = Field([], max_items=MAX_LIST)
    access: Optional[Code] = None
    childcare: Optional[bool] = None
    wheelchair: Optional[bool] = None
    levels: List[Code] = Field([], max_items=len(LEVELS))
    formats: List[Code] = Field([], max_items=len(FORMATS))
    audience: List[Code] = Field([], max_items=len(AUDIENCES))

    _name_languages = validator("name", allow_reuse=True)(
        lambda v: check_languages(v) if isinstance(v, dict) else v
    )
    _texts = validator("cost_note", "notes", allow_reuse=True)(
        lambda v: check_languages(v) if v else v
    )
    _phone = validator("phone", allow_reuse=True)(_check_phone)
    _email = validator("email", allow_reuse=True)(_check_email)
    _website = validator("website", allow_reuse=True)(check_url)
    _hours = validator("opening_hours", allow_reuse=True)(_check_hours)
    _spoken = validator("languages", each_item=True, allow_reuse=True)(_check_spoken_language)
    _links = validator("links", each_item=True, allow_reuse=True)(check_url)
    _access = validator("access", allow_reuse=True)(one_of(ACCESS, "access"))
    _levels = validator("levels", each_item=True, allow_reuse=True)(
        one_of(LEVELS, "course level")
    )
    _formats = validator("formats", each_item=True, allow_reuse=True)(
        one_of(FORMATS, "course format")
    )
    _audience = validator("audience", each_item=True, allow_reuse=True)(
        one_of(AUDIENCES, "target group")
    )

    @validator("categories", each_item=True)
    def _category(cls, value: str) -> str:
        if value not in CATEGORIES:
            raise ValueError(f"unknown category '{value}'; {suggest(value, CATEGORIES)}")
        return value


class Municipality(Strict):
    id: Code
    _municipality_id = validator("id", allow_reuse=True)(_button_id(MAX_MUNICIPALITY_ID))
    sample: bool = False
    name: LocalisedText
    # other names people use for the town (a historic or foreign one: Krainburg for Kranj),
    # recognised in messages, never shown
    aliases: List[Text] = Field([], max_items=MAX_LIST)
    country: CountryCode
    region: Optional[Text] = None
    timezone: Code
    languages: List[Code] = Field(..., min_items=1, max_items=MAX_LIST)
    lat: float = Field(..., ge=-90, le=90)
    lon: float = Field(..., ge=-180, le=180)
    radius_km: float = Field(15.0, gt=0, le=100)
    neighbour_km: float = Field(30.0, gt=0, le=200)
    cross_border: bool = False
    holiday_subdivision: Optional[Code] = None
    holidays: List[date] = Field([], max_items=MAX_LIST)
    contact: Contact
    places: List[Place] = Field([], max_items=MAX_PLACES)
    faqs: List[Faq] = Field([], max_items=MAX_FAQS)
    services: List[Service] = Field([], max_items=MAX_SERVICES)
    events: List[Event] = Field([], max_items=MAX_EVENTS)
    calendars: List[Calendar] = Field([], max_items=MAX_LIST)

    _name_languages = validator("name", allow_reuse=True)(check_languages)

    @validator("id")
    def _id(cls, value: str) -> str:
        if not _ID.match(value):
            raise ValueError("use lower-case letters, digits, - and _ only")
        return value

    @validator("timezone")
    def _timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone '{value}', e.g. Europe/Vienna") from None
        return value

    @validator("languages", each_item=True)
    def _official_language(cls, value: str) -> str:
        return _check_spoken_language(value)


def json_schema() -> dict:
    """JSON Schema for editors, generated from the same models the validator uses."""
    return Municipality.schema()
