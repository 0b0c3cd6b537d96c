"""The next events of a municipality, from the occurrences of its events over a horizon,
computed once per version of its content and day into sorted NumPy arrays, so that a lookup
is a binary search (5,000 repeating events: benchmarks/events.py).

Repeats are computed on naive local date-times (the wall clock, occurrences.py) and then given
the municipality's time zone: a weekly 18:00 event stays at 18:00 across a daylight-saving
change.

Past events are never returned. An occurrence that has started is still returned while it
lasts when its event has an end or a duration (someone asking at 17:30 about a café open
17:00-19:00 can still go; `Occurrence.started` tells); without either, it is past once it
starts.

The horizon runs HORIZON_DAYS from midnight of the day the index is built for (and back by the
longest event, for those still going on). `event_index` builds a new one when the day is no
longer that day or the next (REBUILD_AFTER_DAYS), so a lookup up to MAX_WITHIN_DAYS ahead is
always inside it. An event happens at most once a day (recurrence.py), so an index holds at
most events x (HORIZON_DAYS + 8) occurrences of 52 bytes (5,000 events every day: at most
18 MB; `nbytes`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Sequence
from weakref import WeakKeyDictionary
from zoneinfo import ZoneInfo

import numpy as np

from bot.knowledge import occurrences
from bot.knowledge.events import Event
from bot.knowledge.repository import KnowledgeRepository

HORIZON_DAYS = 60
REBUILD_AFTER_DAYS = 2
MAX_WITHIN_DAYS = HORIZON_DAYS - REBUILD_AFTER_DAYS
_EPOCH = datetime(1970, 1, 1)
_DAY_SECONDS = 86_400


@dataclass(frozen=True)
class Occurrence:
    """One occurrence of an event: local (aware) start, and end if the event has one."""

    event: Event
    start: datetime
    end: datetime | None

    def started(self, now: datetime) -> bool:
        """Whether it has started by `now`: going on, since `upcoming` leaves out ended ones."""
        return self.start <= now


def _seconds(naive: datetime) -> int:
    return int((naive - _EPOCH).total_seconds())


@dataclass(frozen=True)
class _Sorted:
    """Occurrences sorted by start: starts and ends (UTC seconds; the start when the event
    has no end), their positions in the index, and the longest occurrence (seconds)."""

    start: np.ndarray
    until: np.ndarray
    position: np.ndarray | None  # None: the index's own order
    longest: int

    def first(self, moment: int, last: int, limit: int) -> np.ndarray:
        """Positions of the first `limit` occurrences going on at `moment` or starting after
        it, up to `last`, by start."""
        going_from = np.searchsorted(self.start, moment - self.longest, "right")
        ahead = int(np.searchsorted(self.start, moment, "right"))
        going = np.nonzero(self.until[going_from:ahead] > moment)[0] + going_from
        end = min(int(np.searchsorted(self.start, last, "right")), ahead + limit)
        chosen = np.concatenate([going[:limit], np.arange(ahead, max(ahead, end))])[:limit]
        chosen = chosen.astype(np.int64)
        return chosen if self.position is None else self.position[chosen]

    @property
    def nbytes(self) -> int:
        arrays = (self.start, self.until, self.position)
        return sum(array.nbytes for array in arrays if array is not None)


class EventIndex:
    """The occurrences of a municipality's events from the day `today` for HORIZON_DAYS."""

    def __init__(self, events: Sequence[Event], timezone_name: str, today: date) -> None:
        self.events = list(events)
        self.day = today
        self.zone = ZoneInfo(timezone_name)
        begin = datetime.combine(today, time())
        end = begin + timedelta(days=HORIZON_DAYS)
        which: list[int] = []
        local: list[int] = []
        for number, event in enumerate(self.events):
            found = self._starts(event, begin, end)
            which.extend([number] * len(found))
            local.extend(_seconds(moment) for moment in found)
        event_of = np.array(which, dtype=np.int32)
        local_start = np.array(local, dtype=np.int64)
        lengths = np.array([60 * (e.length_minutes() or 0) for e in self.events], dtype=np.int64)
        start = self._utc(local_start)
        until = self._utc(local_start + lengths[event_of]) if len(event_of) else start
        order = np.argsort(start, kind="stable")
        self._event, self._local = event_of[order], local_start[order]
        self._all = self._sorted(start[order], until[order])
        kinds = np.array([e.kind for e in self.events], dtype=object)[self._event]
        self._by_kind = {
            kind: self._subset(np.nonzero(kinds == kind)[0]) for kind in set(kinds.tolist())
        }

    def _utc(self, local: np.ndarray) -> np.ndarray:
        """UTC seconds of naive local seconds: the offset is looked up once per distinct
        minute (an index of 50,000 occurrences has a few thousand)."""
        minutes, inverse = np.unique(local // 60, return_inverse=True)
        offsets = np.array(
            [self._offset(int(minute) * 60) for minute in minutes.tolist()], dtype=np.int64
        )
        return local - offsets[inverse] if len(local) else local

    def _offset(self, local: int) -> int:
        moment = (_EPOCH + timedelta(seconds=local)).replace(tzinfo=self.zone)
        offset = moment.utcoffset()
        return int(offset.total_seconds()) if offset is not None else 0

    def _starts(self, event: Event, begin: datetime, end: datetime) -> list[datetime]:
        """Naive local starts of the event's occurrences that may still go on at `begin`."""
        earliest = begin - timedelta(minutes=event.length_minutes() or 0)
        if event.repeat is None:
            return [event.start] if earliest <= event.start <= end else []
        return occurrences.between(event.repeat, event.start, earliest, end, self.zone)

    @staticmethod
    def _sorted(
        start: np.ndarray, until: np.ndarray, position: np.ndarray | None = None
    ) -> _Sorted:
        longest = int((until - start).max()) if len(start) else 0
        return _Sorted(start, until, position, longest)

    def _subset(self, positions: np.ndarray) -> _Sorted:
        return self._sorted(self._all.start[positions], self._all.until[positions], positions)

    def __len__(self) -> int:
        """The number of occurrences held."""
        return len(self._event)

    @property
    def nbytes(self) -> int:
        """The memory the arrays take."""
        views = sum(view.nbytes for view in self._by_kind.values())
        return self._event.nbytes + self._local.nbytes + self._all.nbytes + views

    def fresh(self, today: date) -> bool:
        """Whether lookups on `today` are inside the horizon (else build a new index)."""
        return 0 <= (today - self.day).days < REBUILD_AFTER_DAYS

    def upcoming(
        self,
        now: datetime,
        kinds: tuple[str, ...] = (),
        limit: int = 3,
        within_days: int = 14,
    ) -> list[Occurrence]:
        """The next `limit` occurrences (of `kinds`, if given) going on at `now` or starting
        within `within_days` of it, earliest first. `now` must carry its time zone."""
        if now.tzinfo is None:
            raise ValueError("now must be an aware datetime")
        if not 0 <= within_days <= MAX_WITHIN_DAYS:
            raise ValueError(f"within_days must be 0 to {MAX_WITHIN_DAYS}")
        moment = int(now.timestamp())
        last = moment + within_days * _DAY_SECONDS
        views = (
            [self._all] if not kinds else [self._by_kind[k] for k in kinds if k in self._by_kind]
        )
        found = [p for view in views for p in view.first(moment, last, limit).tolist()]
        if len(views) > 1:
            found = sorted(set(found), key=lambda p: (int(self._all.start[p]), p))
        return [self._occurrence(position) for position in found[:limit]]

    def _occurrence(self, position: int) -> Occurrence:
        event = self.events[int(self._event[position])]
        naive = _EPOCH + timedelta(seconds=int(self._local[position]))
        finish = event.ends_at(naive)
        return Occurrence(
            event,
            naive.replace(tzinfo=self.zone),
            finish.replace(tzinfo=self.zone) if finish else None,
        )


_INDEXES: WeakKeyDictionary[KnowledgeRepository, dict[str, tuple[str | None, EventIndex]]] = (
    WeakKeyDictionary()
)


def event_index(repository: KnowledgeRepository, municipality_id: str, today: date) -> EventIndex:
    """The municipality's events ready for lookups on `today` (its current day), rebuilt when
    its content hash changes or the day moves on (one entry per municipality: bounded by the
    knowledge base)."""
    built = _INDEXES.setdefault(repository, {})
    digest = repository.content_hash(municipality_id)
    cached = built.get(municipality_id)
    if cached is None or cached[0] != digest or not cached[1].fresh(today):
        municipality = repository.municipality(municipality_id)
        zone = municipality.timezone if municipality is not None else "UTC"
        index = EventIndex(repository.events(municipality_id), zone, today)
        cached = built[municipality_id] = (digest, index)
    return cached[1]
