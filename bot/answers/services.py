"""Nearest services by great-circle distance."""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from typing import Iterable

from bot.geo import haversine_km
from bot.knowledge.schema import Service


@dataclass(frozen=True)
class Nearby:
    service: Service
    distance_km: float


def _distances(services: Iterable[Service], category: str, lat: float, lon: float) -> list[Nearby]:
    return [
        Nearby(service, haversine_km(lat, lon, service.lat, service.lon))
        for service in services
        if category in service.categories
    ]


def nearest(
    services: Iterable[Service], category: str, lat: float, lon: float, limit: int = 3
) -> list[Nearby]:
    """The `limit` nearest services in `category`, closest first."""
    return heapq.nsmallest(limit, _distances(services, category, lat, lon), key=_by_distance)


def nearest_for(
    services: Iterable[Service],
    category: str,
    lat: float,
    lon: float,
    language: str,
    limit: int = 3,
) -> list[Nearby]:
    """The `limit` nearest; if none of them has staff speaking `language`, the nearest one
    that does is added as well."""
    matching = _distances(services, category, lat, lon)
    shown = heapq.nsmallest(limit, matching, key=_by_distance)
    if not any(language in item.service.languages for item in shown):
        speaking = [item for item in matching if language in item.service.languages]
        if speaking:
            shown.append(min(speaking, key=_by_distance))
    return shown


def _by_distance(item: Nearby) -> float:
    return item.distance_km


def osm_link(lat: float, lon: float) -> str:
    """An OpenStreetMap link that opens the map at the place."""
    return (
        f"https://www.openstreetmap.org/?mlat={lat:.5f}&mlon={lon:.5f}#map=17/{lat:.5f}/{lon:.5f}"
    )
