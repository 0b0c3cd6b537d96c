"""A filter on its own after a list of places narrows that list ("the nearest German course
near the Markt" -> "in the evening?" -> "and free?"): the filters add up, the place and the
kind of place of the list hold."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import narrowed_requests
from actions.faq import ActionAnswerFaq
from actions.services import ActionFindService
from bot.knowledge.repository import KnowledgeRepository


def _listed() -> list[dict[str, Any]]:
    """What the bot logs after answering with a list of places."""
    return [
        {"event": "action", "name": "action_find_service"},
        {"event": "bot", "text": "...", "metadata": {"utter_action": "utter_service_intro"}},
        {"event": "bot", "text": "...", "metadata": {"utter_action": "utter_service_item"}},
        {"event": "action", "name": "action_listen"},
    ]


def _answered() -> list[dict[str, Any]]:
    return [
        {"event": "action", "name": "action_answer_faq"},
        {"event": "bot", "text": "...", "metadata": {"utter_action": "utter_faq_answer"}},
        {"event": "action", "name": "action_listen"},
    ]


def _tracker(turns: list[tuple[str, list[dict[str, Any]]]], text: str, intent: str) -> Tracker:
    """Earlier messages, each with what the bot answered, then `text` (with `intent`)."""
    events: list[dict[str, Any]] = []
    for said, answer in turns:
        events += [{"event": "user", "text": said}, *answer]
    latest = {
        "text": text,
        "intent": {"name": intent, "confidence": 0.9},
        "intent_ranking": [{"name": intent, "confidence": 0.9}],
        "entities": [],
    }
    events.append({"event": "user", "text": text, "parse_data": latest})
    return Tracker(
        sender_id="test",
        slots={"language": "en", "municipality": "dornbirn", "topic": "language_courses"},
        latest_message=latest,
        events=events,
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


def test_the_requests_of_the_list_a_filter_narrows() -> None:
    turns = [
        ("hello", _answered()),
        ("the nearest German course near the Markt", _listed()),
        ("in the evening?", _listed()),
    ]
    assert narrowed_requests(_tracker(turns, "and free?", "follow_up"), "en") == [
        "in the evening?",
        "the nearest German course near the Markt",
    ]


def test_only_after_a_list_of_places() -> None:
    turns = [("the nearest German course", _listed()), ("how do I register?", _answered())]
    assert narrowed_requests(_tracker(turns, "in the evening?", "follow_up"), "en") == []


def test_only_a_filter_on_its_own_narrows() -> None:
    turns = [("the nearest German course", _listed())]
    for text, intent in [("where do I register?", "ask_registration"), ("a free doctor?", "x")]:
        assert narrowed_requests(_tracker(turns, text, intent), "en") == []


def test_the_search_that_started_the_list_is_the_last_taken() -> None:
    turns = [
        ("a pharmacy near the Markt on Saturday", _listed()),
        ("the nearest German course", _listed()),
        ("with childcare?", _listed()),  # names schooling too, but only as a filter
    ]
    found = narrowed_requests(_tracker(turns, "in the evening?", "follow_up"), "en")
    assert found == ["with childcare?", "the nearest German course"]


async def test_a_filter_after_a_list_lists_the_same_kind_of_place_narrowed(
    kb: KnowledgeRepository,
) -> None:
    turns = [
        ("the nearest German course near the Markt", _listed()),
        ("in the evening?", _listed()),
    ]
    # the classifier reads "with childcare?" as a question on schooling
    tracker = _tracker(turns, "with childcare?", "ask_schooling")
    dispatcher = CollectingDispatcher()
    events = await ActionAnswerFaq(repository_factory=lambda: kb).run(dispatcher, tracker, {})
    intro = dispatcher.messages[0]
    assert intro["response"] == "utter_service_filtered", intro
    assert "Markt" in str(intro.get("origin")), intro
    names = [str(m.get("name")) for m in dispatcher.messages[1:] if m.get("name")]
    assert names and all("Kinderbetreuung" in name for name in names), names
    assert {"event": "slot", "name": "topic", "value": "language_courses"} in [
        {k: e.get(k) for k in ("event", "name", "value")} for e in events
    ]


async def test_the_way_after_a_list_is_the_nearest_place_with_directions(
    kb: KnowledgeRepository,
) -> None:
    turns = [("the nearest German course near the Markt", _listed())]
    tracker = _tracker(turns, "how do I get there?", "ask_language_courses")
    dispatcher = CollectingDispatcher()
    await ActionAnswerFaq(repository_factory=lambda: kb).run(dispatcher, tracker, {})
    items = [m for m in dispatcher.messages if m["response"] == "utter_service_item"]
    assert len(items) == 1, dispatcher.messages
    assert "openstreetmap.org/directions" in items[0]["map_link"]
    assert "47.41390%2C9.74370" in items[0]["map_link"]  # from the Markt, named before


async def test_the_way_without_a_list_before_is_an_answer_as_usual(
    kb: KnowledgeRepository,
) -> None:
    tracker = _tracker([("hello", _answered())], "how do I get there?", "ask_language_courses")
    dispatcher = CollectingDispatcher()
    await ActionAnswerFaq(repository_factory=lambda: kb).run(dispatcher, tracker, {})
    assert dispatcher.messages[0]["response"] == "utter_faq_answer"


async def test_a_list_for_another_town_is_narrowed_there(kb: KnowledgeRepository) -> None:
    """In Dornbirn's chat: "the nearest German course in Bozen", then "in the evening?"."""
    turns = [("the nearest language course in Bolzano", _listed())]
    tracker = _tracker(turns, "in the evening?", "follow_up")
    dispatcher = CollectingDispatcher()
    await ActionAnswerFaq(repository_factory=lambda: kb).run(dispatcher, tracker, {})
    intro = dispatcher.messages[0]
    assert intro["response"] in ("utter_service_filtered", "utter_service_relaxed"), intro
    assert intro["municipality_name"] == "Bolzano", intro


async def test_a_filter_read_as_a_search_narrows_the_list_too(kb: KnowledgeRepository) -> None:
    turns = [("the nearest German course near the Markt", _listed())]
    tracker = _tracker(turns, "and with childcare?", "find_service")
    dispatcher = CollectingDispatcher()
    await ActionFindService(lambda: kb).run(dispatcher, tracker, {})
    intro = dispatcher.messages[0]
    assert intro["response"] == "utter_service_filtered", intro
    assert "Markt" in str(intro.get("origin")), intro
    names = [str(m.get("name")) for m in dispatcher.messages[1:] if m.get("name")]
    assert names and all("Kinderbetreuung" in name for name in names), names
