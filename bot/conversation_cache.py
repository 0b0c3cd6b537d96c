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

# Events after which the earlier ones no longer count (Rasa's own session boundary).
BOUNDARIES = (SessionStarted.type_name, Restarted.type_name)
# Events before the recent ones that may still shape the state: the latest of each type
# (and, for slots and loops, of each name) is read.
STATEFUL = (
    SlotSet.type_name,
    ActiveLoop.type_name,
    ConversationPaused.type_name,
    ConversationResumed.type_name,
    AllSlotsReset.type_name,
)


def still_holding(latest: list[tuple[int, str, Optional[str]]]) -> list[int]:
    """Of the latest stateful events before the recent ones (position, type, name), the
    positions of those that still hold: slots set after the last reset, loops, the later
    of pause and resume. The store applies it to database rows, `window` to events."""
    reset = max((p for p, kind, _ in latest if kind == AllSlotsReset.type_name), default=-1)
    pausing = [(p, kind) for p, kind, _ in latest if kind in ("pause", "resume")]
    keep = [p for p, kind, _ in latest if kind == SlotSet.type_name and p > reset]
    keep += [p for p, kind, _ in latest if kind == ActiveLoop.type_name]
    keep += [max(pausing)[0]] if pausing else []
    return sorted(keep)


def _name(event: Event) -> Optional[str]:
    """The name Rasa's SQL store writes as `action_name` (a slot's key, a loop's name)."""
    return getattr(event, "key", None) or getattr(event, "name", None)


def window(events: list[Event], recent: int) -> list[Event]:
    """What the store reads for a conversation whose session holds `events`: the boundary
    (session start), the state-shaping events before the last `recent` that still hold,
    then those `recent` events."""
    start = max((i for i, e in enumerate(events) if e.type_name in BOUNDARIES), default=-1)
    session = events[start + 1 :] if start >= 0 else events
    if len(session) <= recent:
        return events[max(start, 0) :]
    before, last = session[:-recent], session[-recent:]
    latest: dict[tuple[str, Optional[str]], int] = {}
    for position, event in enumerate(before):
        if event.type_name in STATEFUL:
            latest[(event.type_name, _name(event))] = position
    kept = still_holding([(p, kind, name) for (kind, name), p in latest.items()])
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

    def behind(self, sender_id: str, span: tuple[int, int]) -> Optional[tuple[int, list[Event]]]:
        """A conversation kept with the same first event but an earlier latest one (another
        instance answered since): the id of its latest event and its window, to which the
        events stored after that id can be added."""
        entry = self._entries.get(sender_id)
        if entry is None or entry[0][0] != span[0] or entry[0][1] >= span[1]:
            return None
        return entry[0][1], list(entry[1])

    def put(self, sender_id: str, span: tuple[int, int], events: list[Event]) -> None:
        if self.size <= 0:
            return
        self._entries[sender_id] = (span, events)
        self._entries.move_to_end(sender_id)
        while len(self._entries) > self.size:
            self._entries.popitem(last=False)

    def drop(self, sender_id: str) -> None:
        self._entries.pop(sender_id, None)
