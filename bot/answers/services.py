"""Nearest services by great-circle distance."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from bot.geo import haversine_km
from bot.knowledge.schema import Service


@dataclass(frozen=True)
class Nearby:
    service: Service
    distance_km: float


def nearest(
    services: Iterable[Service], category: str, lat: float, lon: float, limit: int = 3
) -> list[Nearby]:
    """The `limit` nearest services in `category`, closest first."""
    matching = [
        Nearby(service, haversine_km(lat, lon, service.lat, service.lon))
        for service in services
        if category in service.categories
    ]
    return sorted(matching, key=lambda item: item.distance_km)[:limit]


def osm_link(lat: float, lon: float) -> str:
    """An OpenStreetMap link that opens the map at the place."""
    return (
        f"https://www.openstreetmap.org/?mlat={lat:.5f}&mlon={lon:.5f}#map=17/{lat:.5f}/{lon:.5f}"
    )
