"""Nearest services by great-circle distance."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Iterable

from bot.knowledge.schema import Service

EARTH_RADIUS_KM = 6371.0088


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    d_phi, d_lambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


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
