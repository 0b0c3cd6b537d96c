"""The apology's language when Rasa could not answer, the tracker store included."""

from __future__ import annotations

from typing import Any

from rasa.shared.core.events import SlotSet
from rasa.shared.core.trackers import DialogueStateTracker

from bot.channels.apology import apology, conversation_language


class Store:
    def __init__(self, tracker: DialogueStateTracker | None = None, down: bool = False) -> None:
        self.tracker, self.down = tracker, down

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        if self.down:
            raise ConnectionError("tracker store down")
        return self.tracker


class Agent:
    def __init__(self, store: Any) -> None:
        self.tracker_store = store


async def test_the_conversations_language_comes_first() -> None:
    tracker = DialogueStateTracker.from_events("a", [SlotSet("language", "ar")])
    agent = Agent(Store(tracker))
    assert await conversation_language(agent, "a", {"language": "de"}, "Bonjour à tous") == "ar"


async def test_store_down_the_message_itself_tells() -> None:
    agent = Agent(Store(down=True))
    text = "Bonjour, je cherche un logement pour ma famille"
    assert await conversation_language(agent, "a", {"language": "de"}, text) == "fr"


async def test_store_down_and_a_short_message_the_channel_hint() -> None:
    agent = Agent(Store(down=True))
    assert await conversation_language(agent, "a", {"language": "uk"}, "ok") == "uk"
    assert await conversation_language(agent, "a", None, "/greet") == "en"


def test_apology_is_laid_out_for_its_language() -> None:
    reply = apology("fa")
    assert reply["language"] == "fa" and reply["direction"] == "rtl" and reply["text"]
