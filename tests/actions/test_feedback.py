"""'Did this help?' after answers, never twice in a row; action_feedback counts it."""

import json

from rasa_sdk.events import SlotSet

from actions.faq import ActionAnswerFaq
from actions.feedback import ActionFeedback
from bot.knowledge.repository import KnowledgeRepository
from bot.staff.feedback import tallies, token

TELEGRAM_CALLBACK_LIMIT = 64


async def test_answer_asks_then_not_twice_in_a_row(kb, dispatcher, tracker_factory) -> None:
    action = ActionAnswerFaq(repository_factory=lambda: kb)
    slots = {"language": "ar", "municipality": "kranj"}
    tracker = tracker_factory("سكن", "ask_housing", slots=slots)
    events = await action.run(dispatcher, tracker, {})
    asked = dispatcher.messages[-1]
    assert asked["response"] == "utter_feedback_ask"
    assert SlotSet("feedback_asked", True) in events
    titles = [b["title"] for b in asked["buttons"]]
    assert titles[0].startswith("👍") and titles[1].startswith("👎")
    for button in asked["buttons"]:
        assert len(button["payload"].encode("utf-8")) <= TELEGRAM_CALLBACK_LIMIT
        entities = json.loads(button["payload"].removeprefix("/feedback"))
        faq = kb.faqs("kranj", "housing")[0]
        assert entities["answer"] == token("faq", faq.id)
    dispatcher.messages.clear()
    tracker = tracker_factory("سكن", "ask_housing", slots={**slots, "feedback_asked": True})
    events = await action.run(dispatcher, tracker, {})
    assert "utter_feedback_ask" not in [m["response"] for m in dispatcher.messages]
    assert SlotSet("feedback_asked", False) in events


async def test_thumbs_down_is_counted_and_offers_a_person(
    kb: KnowledgeRepository, dispatcher, tracker_factory
) -> None:
    faq = kb.faqs("kranj", "housing")[0]
    entities = [
        {"entity": "helpful", "value": "no"},
        {"entity": "answer", "value": token("faq", faq.id)},
    ]
    tracker = tracker_factory(
        "/feedback",
        "feedback",
        slots={"language": "uk", "municipality": "kranj"},
        entities=entities,
    )
    await ActionFeedback(repository_factory=lambda: kb).run(dispatcher, tracker, {})
    assert [m["response"] for m in dispatcher.messages] == ["utter_feedback_sorry"]
    [tally] = tallies(kb.engine, "kranj")
    assert (tally.kind, tally.subject, tally.yes, tally.no) == ("faq", faq.id, 0, 1)
    assert tally.languages == {"uk": (0, 1)}


async def test_unknown_answer_is_thanked_but_not_counted(kb, dispatcher, tracker_factory) -> None:
    entities = [{"entity": "helpful", "value": "yes"}, {"entity": "answer", "value": "f00"}]
    tracker = tracker_factory(
        "/feedback",
        "feedback",
        slots={"language": "de", "municipality": "kranj"},
        entities=entities,
    )
    await ActionFeedback(repository_factory=lambda: kb).run(dispatcher, tracker, {})
    assert [m["response"] for m in dispatcher.messages] == ["utter_feedback_thanks"]
    assert tallies(kb.engine, "kranj") == []
