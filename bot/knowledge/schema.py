"""The structure of a municipality file, as pydantic models (one definition for the
validator, the database and the JSON Schema for editors)."""

from __future__ import annotations

import re
from datetime import date
from typing import Dict, List, Optional, Union
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, Field, root_validator, validator

from bot.language.registry import supported_codes

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
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
_PHONE = re.compile(r"^\+?[0-9][0-9 ()/-]{5,}$")
_URL = re.compile(r"^https?://[^\s/$.?#].[^\s]*$")
_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")

LocalisedText = Dict[str, str]


def _check_languages(value: Dict[str, object]) -> Dict[str, object]:
    unknown = sorted(set(value) - set(supported_codes()))
    if unknown:
        raise ValueError(
            f"unknown language code {', '.join(unknown)}; use one of {', '.join(supported_codes())}"
        )
    return value


class Strict(BaseModel):
    class Config:
        extra = "forbid"
        anystr_strip_whitespace = True


class Contact(Strict):
    name: Union[str, LocalisedText]
    address: str
    phone: str
    email: str
    website: Optional[str] = None
    opening_hours: Union[str, LocalisedText]

    _name_languages = validator("name", allow_reuse=True)(
        lambda v: _check_languages(v) if isinstance(v, dict) else v
    )

    @validator("phone")
    def _phone(cls, value: str) -> str:
        if not _PHONE.match(value):
            raise ValueError("is not a phone number (digits, spaces, + ( ) / - only)")
        return value

    @validator("email")
    def _email(cls, value: str) -> str:
        if not _EMAIL.match(value):
            raise ValueError("is not an e-mail address like office@example.org")
        return value


class Place(Strict):
    id: str
    name: Union[str, LocalisedText]
    aliases: List[str] = []
    postcode: Optional[str] = None
    lat: float = Field(..., ge=-90, le=90)
    lon: float = Field(..., ge=-180, le=180)


class Faq(Strict):
    id: str
    topic: str
    questions: Dict[str, List[str]] = {}
    answer: LocalisedText
    links: List[str] = []
    last_reviewed: Optional[date] = None

    _languages = validator("questions", "answer", allow_reuse=True)(_check_languages)

    @validator("topic")
    def _topic(cls, value: str) -> str:
        if value not in TOPICS:
            raise ValueError(f"unknown topic '{value}'; use one of {', '.join(TOPICS)}")
        return value

    @validator("answer")
    def _answer_not_empty(cls, value: LocalisedText) -> LocalisedText:
        if not value:
            raise ValueError("needs the answer in at least one language")
        return value


class Service(Strict):
    id: str
    name: Union[str, LocalisedText]
    categories: List[str] = Field(..., min_items=1)
    address: str
    place: Optional[str] = None
    lat: float = Field(..., ge=-90, le=90)
    lon: float = Field(..., ge=-180, le=180)
    opening_hours: Optional[str] = None
    languages: List[str] = []
    phone: Optional[str] = None
    email: Optional[str] = None
    website: Optional[str] = None
    free: Optional[bool] = None
    cost_note: Optional[LocalisedText] = None
    notes: LocalisedText = {}

    @validator("categories", each_item=True)
    def _category(cls, value: str) -> str:
        if value not in CATEGORIES:
            raise ValueError(f"unknown category '{value}'")
        return value

    @validator("languages", each_item=True)
    def _language(cls, value: str) -> str:
        if len(value) != 2 or not value.isalpha():
            raise ValueError(f"'{value}' is not a two-letter language code")
        return value

    @validator("website")
    def _website(cls, value: Optional[str]) -> Optional[str]:
        if value is not None and not _URL.match(value):
            raise ValueError("is not a web address starting with https://")
        return value


class Municipality(Strict):
    id: str
    sample: bool = False
    name: LocalisedText
    country: str = Field(..., regex=r"^[A-Z]{2}$")
    region: Optional[str] = None
    timezone: str
    languages: List[str] = Field(..., min_items=1)
    lat: float = Field(..., ge=-90, le=90)
    lon: float = Field(..., ge=-180, le=180)
    contact: Contact
    places: List[Place] = []
    faqs: List[Faq] = []
    services: List[Service] = []

    _name_languages = validator("name", allow_reuse=True)(_check_languages)

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

    @root_validator(skip_on_failure=True)
    def _unique_ids(cls, values: dict) -> dict:
        for key in ("places", "faqs", "services"):
            seen: set[str] = set()
            for item in values.get(key, []):
                if item.id in seen:
                    raise ValueError(f"{key}: id '{item.id}' is used twice")
                seen.add(item.id)
        return values


def json_schema() -> dict:
    """JSON Schema for editors, generated from the same models the validator uses."""
    return Municipality.schema()
