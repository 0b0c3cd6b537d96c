"""Nearest services by great-circle distance, optionally meeting filters ("free",
"evening"); the index of a municipality is built once per version of its content."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Sequence
from weakref import WeakKeyDictionary

import numpy as np

from bot.answers.filters import FILTERS, offers
from bot.geo import EARTH_RADIUS_KM
from bot.knowledge.repository import KnowledgeRepository
from bot.knowledge.schema import Service


@dataclass(frozen=True)
class Nearby:
    service: Service
    distance_km: float


class ServiceIndex:
    """The services of one municipality, arranged for fast nearest-first lookups
    (NumPy distances over the services of one category)."""

    def __init__(self, services: Sequence[Service]) -> None:
        self.services = list(services)
        self._lat = np.radians([s.lat for s in self.services])
        self._lon = np.radians([s.lon for s in self.services])
        positions: dict[str, list[int]] = {}
        for position, service in enumerate(self.services):
            for category in service.categories:
                positions.setdefault(category, []).append(position)
        self._by_category = {c: np.array(p, dtype=np.int64) for c, p in positions.items()}
        spoken = {code for service in self.services for code in service.languages}
        self._speaks = {
            code: np.array([code in s.languages for s in self.services], dtype=bool)
            for code in spoken
        }
        self._offers = {
            wanted: np.array([offers(s, wanted) for s in self.services], dtype=bool)
            for wanted in FILTERS
        }

    def has(self, category: str) -> bool:
        """Whether any service is of the category."""
        return category in self._by_category

    def _ranked(
        self, category: str, lat: float, lon: float, filters: Sequence[str] = ()
    ) -> tuple[np.ndarray, np.ndarray]:
        """Positions of the category's services meeting every filter and their distances
        (km), unsorted."""
        chosen = self._by_category.get(category)
        if chosen is None:
            return np.empty(0, dtype=np.int64), np.empty(0)
        for wanted in filters:
            chosen = chosen[self._offers[wanted][chosen]]
        phi, lam = math.radians(lat), math.radians(lon)
        lats = self._lat[chosen]
        d_phi, d_lam = lats - phi, self._lon[chosen] - lam
        a = np.sin(d_phi / 2) ** 2 + math.cos(phi) * np.cos(lats) * np.sin(d_lam / 2) ** 2
        return chosen, 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.minimum(a, 1.0)))

    def nearest(
        self, category: str, lat: float, lon: float, limit: int = 3, filters: Sequence[str] = ()
    ) -> list[Nearby]:
        """The `limit` nearest services in `category` meeting the filters, closest first."""
        chosen, km = self._ranked(category, lat, lon, filters)
        return self._nearby(chosen, km, _smallest(km, limit))

    def nearest_for(
        self,
        category: str,
        lat: float,
        lon: float,
        language: str,
        limit: int = 3,
        filters: Sequence[str] = (),
    ) -> list[Nearby]:
        """The `limit` nearest meeting the filters; if none of them has staff speaking
        `language`, the nearest one that does is added as well."""
        chosen, km = self._ranked(category, lat, lon, filters)
        shown = self._nearby(chosen, km, _smallest(km, limit))
        if not shown or any(language in item.service.languages for item in shown):
            return shown
        speaks = self._speaks.get(language)
        if speaks is not None and speaks[chosen].any():
            best = int(np.argmin(np.where(speaks[chosen], km, np.inf)))
            shown += self._nearby(chosen, km, [best])
        return shown

    def _nearby(self, chosen: np.ndarray, km: np.ndarray, positions: Any) -> list[Nearby]:
        return [Nearby(self.services[chosen[i]], float(km[i])) for i in positions]


def _smallest(values: np.ndarray, count: int) -> np.ndarray:
    """Positions of the `count` smallest values, smallest first."""
    if len(values) <= count:
        return np.argsort(values)
    part = np.argpartition(values, count)[:count]
    return part[np.argsort(values[part])]


def directions_link(start: tuple[float, float] | None, to_lat: float, to_lon: float) -> str:
    """OpenStreetMap's walking directions to a point, from `start` (a public place); without
    one, the map asks for the start (it offers the device's own position)."""
    origin = f"{start[0]:.5f}%2C{start[1]:.5f}" if start else ""
    route = f"{origin}%3B{to_lat:.5f}%2C{to_lon:.5f}"
    return f"https://www.openstreetmap.org/directions?engine=fossgis_osrm_foot&route={route}"


def osm_link(lat: float, lon: float) -> str:
    """An OpenStreetMap link that opens the map at the place."""
    return (
        f"https://www.openstreetmap.org/?mlat={lat:.5f}&mlon={lon:.5f}#map=17/{lat:.5f}/{lon:.5f}"
    )


_INDEXES: WeakKeyDictionary[KnowledgeRepository, dict[str, tuple[str | None, ServiceIndex]]] = (
    WeakKeyDictionary()
)


def service_index(repository: KnowledgeRepository, municipality_id: str) -> ServiceIndex:
    """The municipality's services ready for lookups, rebuilt when its content hash changes
    (one entry per municipality, so the cache is bounded by the knowledge base)."""
    built = _INDEXES.setdefault(repository, {})
    digest = repository.content_hash(municipality_id)
    cached = built.get(municipality_id)
    if cached is None or cached[0] != digest:
        cached = built[municipality_id] = (
            digest,
            ServiceIndex(repository.services(municipality_id)),
        )
    return cached[1]
