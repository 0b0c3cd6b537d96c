"""Where to measure distances from: coordinates the channel shared, a place named in the
message, or the municipality's centre (in that order). Used for the lookup at hand only;
nothing here stores a location."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Mapping

from anyascii import anyascii
from rapidfuzz import fuzz

from bot.geo import on_earth
from bot.knowledge.schema import Municipality, Place
from bot.text import normalise

FUZZY_MIN_SCORE = 88
FUZZY_MIN_LENGTH = 5
TRANSLITERATED_MIN_SCORE = 85


@dataclass(frozen=True)
class Origin:
    """A starting point; `source` is `shared`, `place` or `centre`."""

    lat: float
    lon: float
    source: str
    place: Place | None = None


def _number(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def shared_coordinates(metadata: Mapping[str, Any]) -> tuple[float, float] | None:
    """`metadata.location` as {lat, lon} (widget) or {latitude, longitude} (Telegram)."""
    location = metadata.get("location")
    if not isinstance(location, Mapping):
        return None
    lat = _number(location.get("lat", location.get("latitude")))
    lon = _number(location.get("lon", location.get("longitude")))
    if lat is None or lon is None or not on_earth(lat, lon):
        return None
    return lat, lon


def _names(place: Place) -> Iterable[str]:
    yield from place.name.values() if isinstance(place.name, dict) else [place.name]
    yield from place.aliases
    if place.postcode:
        yield place.postcode


def _find(words: str, places: Iterable[Place], min_score: int) -> Place | None:
    best: tuple[float, Place] | None = None
    for place in places:
        for name in _names(place):
            wanted = normalise(anyascii(name)) if words.isascii() else normalise(name)
            if not wanted:
                continue
            if f" {wanted} " in words:
                return place
            if len(wanted) >= FUZZY_MIN_LENGTH:
                score = fuzz.partial_ratio(wanted, words)
                if score >= min_score and (best is None or score > best[0]):
                    best = (score, place)
    return best[1] if best else None


def place_in_text(text: str, places: Iterable[Place]) -> Place | None:
    """The place named in `text`: exact words first (any spelling, alias or postcode, without
    accents), then a typo-tolerant match for names of five letters or more; a message in
    another script ("Гатлердорф") is also compared letter by letter in Latin transliteration."""
    places = list(places)
    words = f" {normalise(text)} "
    found = _find(words, places, FUZZY_MIN_SCORE)
    if found is None and not words.isascii():
        found = _find(f" {normalise(anyascii(text))} ", places, TRANSLITERATED_MIN_SCORE)
    return found


def resolve_origin(text: str, metadata: Mapping[str, Any], municipality: Municipality) -> Origin:
    """Shared coordinates, else a place named in the text, else the centre."""
    shared = shared_coordinates(metadata)
    if shared is not None:
        return Origin(shared[0], shared[1], "shared")
    place = place_in_text(text, municipality.places)
    if place is not None:
        return Origin(place.lat, place.lon, "place", place)
    return Origin(municipality.lat, municipality.lon, "centre")
