"""Conversation context in the knowledge actions: towns named in the request, the request
that waits for the municipality, follow-ups, and messages the classifier was unsure of."""

from rasa_sdk.events import FollowupAction, SlotSet

from actions.faq import ActionAnswerFaq
from actions.municipality import ActionChooseMunicipality
from actions.services import ActionFindService
from actions.unsure import ActionUnsure
from bot.knowledge.repository import KnowledgeRepository


def _faq(kb: KnowledgeRepository) -> ActionAnswerFaq:
    return ActionAnswerFaq(repository_factory=lambda: kb)


async def test_town_named_in_request_answers_for_it_without_moving(
    kb, dispatcher, tracker_factory
) -> None:
    tracker = tracker_factory(
        "Ich ziehe nach Bozen. Wie finde ich dort eine Wohnung?",
        "ask_housing",
        slots={"language": "de", "municipality": "kranj"},
    )
    events = await _faq(kb).run(dispatcher, tracker, {})
    assert dispatcher.messages[0]["response"] == "utter_answer_for"
    assert dispatcher.messages[0]["municipality_name"] == "Bozen"
    bolzano_answers = {f.answer["de"] for f in kb.faqs("bolzano", "housing")}
    assert dispatcher.messages[1]["answer"] in bolzano_answers
    assert not any(e.get("name") == "municipality" for e in events)


async def test_inflected_town_sets_an_unknown_municipality(kb, dispatcher, tracker_factory) -> None:
    tracker = tracker_factory(
        "Živim v Kranju. Kje je najbližji tečaj slovenščine?",
        "find_service",
        slots={"language": "sl"},
    )
    events = await ActionFindService(repository_factory=lambda: kb).run(dispatcher, tracker, {})
    assert SlotSet("municipality", "kranj") in events
    assert dispatcher.messages[0]["response"] == "utter_service_intro"


async def test_request_waits_for_the_municipality(kb, dispatcher, tracker_factory) -> None:
    tracker = tracker_factory("I need a language course", "ask_language_courses")
    events = await _faq(kb).run(dispatcher, tracker, {})
    assert dispatcher.messages[0]["response"] == "utter_ask_municipality"
    assert SlotSet("pending", "action_answer_faq") in events
    assert SlotSet("topic", "language_courses") in events


async def test_pending_request_answered_when_town_is_named(kb, dispatcher, tracker_factory) -> None:
    choose = tracker_factory(
        "Dornbirn",
        "choose_municipality",
        slots={"language": "en", "pending": "action_answer_faq", "topic": "language_courses"},
        earlier=[("I need a language course", "ask_language_courses")],
    )
    events = await ActionChooseMunicipality(repository_factory=lambda: kb).run(
        dispatcher, choose, {}
    )
    assert events == [
        SlotSet("municipality", "dornbirn"),
        SlotSet("pending", None),
        FollowupAction("action_answer_faq"),
    ]
    # the follow-up action then answers the earlier request, for Dornbirn
    answered = tracker_factory(
        "Dornbirn",
        "choose_municipality",
        slots={"language": "en", "municipality": "dornbirn", "topic": "language_courses"},
        earlier=[("I need a language course", "ask_language_courses")],
    )
    dispatcher.messages.clear()
    await _faq(kb).run(dispatcher, answered, {})
    courses = {f.answer["en"] for f in kb.faqs("dornbirn", "language_courses")}
    assert dispatcher.messages[0]["answer"] in courses


async def test_pending_request_answered_after_a_button(kb, dispatcher, tracker_factory) -> None:
    tracker = tracker_factory(
        '/choose_municipality{"municipality": "kranj"}',
        "choose_municipality",
        slots={"language": "uk", "pending": "action_find_service", "topic": "pharmacy"},
        entities=[{"entity": "municipality", "value": "kranj"}],
    )
    events = await ActionChooseMunicipality(repository_factory=lambda: kb).run(
        dispatcher, tracker, {}
    )
    assert FollowupAction("action_find_service") in events


async def test_place_with_a_request_answers_the_request(kb, dispatcher, tracker_factory) -> None:
    tracker = tracker_factory(
        "gibt es in bozen günstige wohnungen",
        "choose_municipality",
        slots={"language": "de", "municipality": "dornbirn"},
        ranking=[("choose_municipality", 0.5), ("ask_housing", 0.4)],
    )
    events = await ActionChooseMunicipality(repository_factory=lambda: kb).run(
        dispatcher, tracker, {}
    )
    assert events == [FollowupAction("action_answer_faq")]
    assert dispatcher.messages == []


async def test_follow_up_keeps_the_topic(kb, dispatcher, tracker_factory) -> None:
    tracker = tracker_factory(
        "and for the kids?",
        "follow_up",
        slots={"language": "en", "municipality": "bolzano", "topic": "kindergarten"},
    )
    events = await _faq(kb).run(dispatcher, tracker, {})
    schooling = {f.answer["en"] for f in kb.faqs("bolzano", "schooling")}
    assert dispatcher.messages[0]["answer"] in schooling
    assert SlotSet("topic", "schooling") in events


async def test_follow_up_without_a_topic_asks_for_one(kb, dispatcher, tracker_factory) -> None:
    tracker = tracker_factory(
        "is it free?", "follow_up", slots={"language": "en"}, metadata={"municipality": "kranj"}
    )
    await _faq(kb).run(dispatcher, tracker, {})
    assert dispatcher.messages[0]["response"] == "utter_ask_topic"


async def test_unsure_names_the_pending_town(kb, dispatcher, tracker_factory) -> None:
    tracker = tracker_factory(
        "in bozen bitte",
        "nlu_fallback",
        slots={"language": "de", "pending": "action_answer_faq", "topic": "housing"},
    )
    events = await ActionUnsure(repository_factory=lambda: kb).run(dispatcher, tracker, {})
    assert dispatcher.messages[0]["response"] == "utter_municipality_set"
    assert FollowupAction("action_answer_faq") in events


async def test_unsure_between_a_request_and_a_follow_up_answers_the_request(
    kb, dispatcher, tracker_factory
) -> None:
    tracker = tracker_factory(
        "and for work?",
        "nlu_fallback",
        slots={"language": "en", "municipality": "kranj", "topic": "housing"},
        ranking=[("nlu_fallback", 0.4), ("ask_jobs", 0.55), ("follow_up", 0.45)],
    )
    events = await ActionUnsure(repository_factory=lambda: kb).run(dispatcher, tracker, {})
    assert events == [FollowupAction("action_answer_faq")]
    dispatcher.messages.clear()
    await _faq(kb).run(dispatcher, tracker, {})
    jobs = {f.answer["en"] for f in kb.faqs("kranj", "jobs")}
    assert dispatcher.messages[0]["answer"] in jobs


async def test_unsure_without_context_says_so(kb, dispatcher, tracker_factory) -> None:
    tracker = tracker_factory(
        "xyz",
        "nlu_fallback",
        slots={"language": "en"},
        ranking=[("nlu_fallback", 0.4), ("ask_jobs", 0.3), ("ask_housing", 0.3)],
    )
    events = await ActionUnsure(repository_factory=lambda: kb).run(dispatcher, tracker, {})
    assert events == []
    assert dispatcher.messages[0]["response"] == "utter_unsure"


async def test_unsure_reply_needs_no_knowledge_base(dispatcher, tracker_factory) -> None:
    """Without a waiting request the reply does not touch the knowledge base, so it works
    while the database is down."""

    def broken() -> KnowledgeRepository:
        raise AssertionError("the knowledge base was opened")

    tracker = tracker_factory("qwertz", "nlu_fallback", slots={"language": "de"})
    events = await ActionUnsure(repository_factory=broken).run(dispatcher, tracker, {})
    assert events == []
    assert dispatcher.messages[0]["response"] == "utter_unsure"


async def test_unclear_and_out_of_scope_questions_are_kept_for_staff(
    kb, dispatcher, tracker_factory
) -> None:
    from actions.unsure import ActionOutOfScope
    from bot.staff.unanswered import rows

    unclear = tracker_factory(
        "qwertz 0664 1234567",
        "nlu_fallback",
        slots={"language": "de", "municipality": "kranj"},
        ranking=[("nlu_fallback", 0.4), ("help", 0.2), ("ask_jobs", 0.1)],
    )
    await ActionUnsure(repository_factory=lambda: kb).run(dispatcher, unclear, {})
    weather = tracker_factory(
        "what is the weather tomorrow",
        "out_of_scope",
        slots={"language": "en"},
        metadata={"municipality": "kranj"},
    )
    await ActionOutOfScope(repository_factory=lambda: kb).run(dispatcher, weather, {})
    assert dispatcher.messages[-1]["response"] == "utter_out_of_scope"
    kept = {(r.text, r.reason, r.intents) for r in rows(kb.engine, "kranj")}
    assert kept == {
        ("qwertz [number]", "not_understood", "help,ask_jobs"),
        ("what is the weather tomorrow", "out_of_scope", "out_of_scope"),
    }


async def test_button_payloads_and_unknown_towns_are_not_kept(
    kb, dispatcher, tracker_factory
) -> None:
    from actions.unsure import ActionOutOfScope
    from bot.staff.unanswered import rows

    for text, municipality in [("/out_of_scope", "kranj"), ("weather", "atlantis")]:
        tracker = tracker_factory(
            text, "out_of_scope", slots={"language": "en"}, metadata={"municipality": municipality}
        )
        await ActionOutOfScope(repository_factory=lambda: kb).run(dispatcher, tracker, {})
    assert rows(kb.engine, "kranj") == [] and rows(kb.engine, "atlantis") == []


async def test_a_weakly_matched_question_is_answered_and_kept(
    kb, dispatcher, tracker_factory
) -> None:
    from bot.staff.unanswered import rows

    covered = tracker_factory(
        "How do I find a flat to rent in Kranj?",
        "ask_housing",
        slots={"language": "en", "municipality": "kranj"},
    )
    await _faq(kb).run(dispatcher, covered, {})
    uncovered = tracker_factory(
        "can I bring my dog along",
        "ask_housing",
        slots={"language": "en", "municipality": "kranj"},
    )
    await _faq(kb).run(dispatcher, uncovered, {})
    assert "utter_faq_source" in [m["response"] for m in dispatcher.messages]
    assert [(r.text, r.reason) for r in rows(kb.engine, "kranj")] == [
        ("can I bring my dog along", "weak_match")
    ]


async def test_a_fragment_naming_a_kind_of_place_without_a_topic_lists_them(
    kb, dispatcher, tracker_factory
) -> None:
    """The first message, read as a follow-up, but naming a doctor: the doctors."""
    tracker = tracker_factory(
        "Is there a doctor who speaks Arabic?",
        "follow_up",
        slots={"language": "en"},
        metadata={"municipality": "kranj"},
    )
    await _faq(kb).run(dispatcher, tracker, {})
    assert dispatcher.messages[0]["response"] == "utter_service_intro"
    assert any("Zdravstveni dom" in str(m.get("name")) for m in dispatcher.messages)
