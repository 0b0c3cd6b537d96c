"""Recent conversations kept in the process, so a message of a conversation this instance
answered last costs one indexed query instead of reading and replaying its events.

What is kept per conversation is exactly what the tracker store reads from the database
(`window`): the recent events and, from before them, the latest state-shaping ones. An
entry is used only while the ids of the conversation's first and latest events in the
database are the ones it was kept with: a write by another instance changes the latest, the
privacy purge the first, so nothing stale or purged is served.
The number of conversations kept is bounded (least recently used go first)."""

from __future__ import annotations

from collections import OrderedDict
from typing import Optional

from rasa.shared.core.events import (
    ActiveLoop,
    AllSlotsReset,
    ConversationPaused,
    ConversationResumed,
    Event,
    Restarted,
    SessionStarted,
    SlotSet,
)

BOUNDARY_EVENTS = (SessionStarted, Restarted)


def _name(event: Event) -> Optional[str]:
    return getattr(event, "key", None) or getattr(event, "name", None)


def window(events: list[Event], recent: int) -> list[Event]:
    """What the store reads for a conversation whose session holds `events`: the boundary
    (session start), the state-shaping events before the last `recent` that still hold,
    then those `recent` events."""
    start = max((i for i, e in enumerate(events) if isinstance(e, BOUNDARY_EVENTS)), default=-1)
    session = events[start + 1 :] if start >= 0 else events
    if len(session) <= recent:
        return events[max(start, 0) :]
    before, last = session[:-recent], session[-recent:]
    latest: dict[tuple[str, Optional[str]], int] = {}
    for position, event in enumerate(before):
        if isinstance(event, (SlotSet, ActiveLoop, AllSlotsReset)):
            latest[(event.type_name, _name(event))] = position
        elif isinstance(event, (ConversationPaused, ConversationResumed)):
            latest[("pause", None)] = position
    reset = latest.pop((AllSlotsReset.type_name, None), -1)
    kept = sorted(p for (kind, _), p in latest.items() if kind != SlotSet.type_name or p > reset)
    head = [events[start]] if start >= 0 else []
    return [*head, *(before[p] for p in kept), *last]


class ConversationCache:
    """At most `size` conversations: sender -> (ids of the first and latest stored events,
    window)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._entries: OrderedDict[str, tuple[tuple[int, int], list[Event]]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, sender_id: str, span: tuple[int, int]) -> Optional[list[Event]]:
        entry = self._entries.get(sender_id)
        if entry is None or entry[0] != span:
            return None
        self._entries.move_to_end(sender_id)
        return list(entry[1])

    def put(self, sender_id: str, span: tuple[int, int], events: list[Event]) -> None:
        if self.size <= 0:
            return
        self._entries[sender_id] = (span, events)
        self._entries.move_to_end(sender_id)
        while len(self._entries) > self.size:
            self._entries.popitem(last=False)

    def drop(self, sender_id: str) -> None:
        self._entries.pop(sender_id, None)
