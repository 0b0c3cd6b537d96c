"""Municipality choice, nearest services, handoff, language switch and context slots."""

from rasa_sdk.events import SlotSet

from actions.handoff import ActionHumanHandoff
from actions.language import ActionSwitchLanguage
from actions.municipality import ActionChooseMunicipality
from actions.services import ActionFindService


async def test_choose_municipality_by_exonym(kb, dispatcher, tracker_factory) -> None:
    tracker = tracker_factory(
        "ich wohne jetzt in Bozen", "choose_municipality", slots={"language": "de"}
    )
    events = await ActionChooseMunicipality(lambda: kb).run(dispatcher, tracker, {})
    assert events == [SlotSet("municipality", "bolzano")]
    assert dispatcher.messages[0]["response"] == "utter_municipality_set"
    assert dispatcher.messages[0]["municipality_name"] == "Bozen"


async def test_unknown_municipality_lists_known_ones(kb, dispatcher, tracker_factory) -> None:
    tracker = tracker_factory("I live in Atlantis", "choose_municipality", slots={"language": "en"})
    assert await ActionChooseMunicipality(lambda: kb).run(dispatcher, tracker, {}) == []
    assert dispatcher.messages[0]["response"] == "utter_municipality_unknown"
    assert len(dispatcher.messages[0]["buttons"]) == len(kb.municipality_ids())


async def test_find_service_lists_nearest_of_topic(kb, dispatcher, tracker_factory) -> None:
    tracker = tracker_factory(
        "where",
        "find_service",
        slots={"language": "en", "municipality": "kranj", "topic": "language_courses"},
    )
    events = await ActionFindService(lambda: kb).run(dispatcher, tracker, {})
    responses = [m["response"] for m in dispatcher.messages]
    assert responses == [
        "utter_service_intro",
        "utter_service_item",
        "utter_service_item",
        "utter_feedback_ask",
    ]
    # the library language café is closer to the centre than the people's university
    # the name on the door first, the user's beside it
    assert dispatcher.messages[1]["name"] == (
        "Jezikovna kavarna v knjižnici (Language café at the city library)"
    )
    assert "openstreetmap.org" in dispatcher.messages[1]["map_link"]
    assert SlotSet("topic", "language_courses") in events


async def test_find_service_without_category_asks(kb, dispatcher, tracker_factory) -> None:
    tracker = tracker_factory(
        "where", "find_service", slots={"language": "en", "municipality": "kranj"}
    )
    await ActionFindService(lambda: kb).run(dispatcher, tracker, {})
    assert dispatcher.messages[0]["response"] == "utter_service_ask_category"


async def test_category_from_button_payload(kb, dispatcher, tracker_factory) -> None:
    tracker = tracker_factory(
        "",
        "find_service",
        slots={"language": "it", "municipality": "bolzano"},
        entities=[{"entity": "category", "value": "jobs"}],
    )
    await ActionFindService(lambda: kb).run(dispatcher, tracker, {})
    assert dispatcher.messages[1]["name"] == "Centro di mediazione lavoro"


async def test_handoff_gives_integration_office(kb, dispatcher, tracker_factory) -> None:
    tracker = tracker_factory(
        "person", "human_handoff", slots={"language": "de", "municipality": "bolzano"}
    )
    await ActionHumanHandoff(lambda: kb).run(dispatcher, tracker, {})
    message = dispatcher.messages[0]
    assert message["response"] == "utter_handoff"
    assert message["office_name"] == "Integrationsstelle Bozen"
    assert message["email"] == "integrazione@bolzano.example.org"


async def test_switch_language_confirms_or_offers_buttons(dispatcher, tracker_factory) -> None:
    asked = tracker_factory("English please", "switch_language", detection={"requested": "en"})
    await ActionSwitchLanguage().run(dispatcher, asked, {})
    assert dispatcher.messages[-1]["response"] == "utter_language_switched"
    vague = tracker_factory("other language", "switch_language", detection={"requested": None})
    await ActionSwitchLanguage().run(dispatcher, vague, {})
    assert dispatcher.messages[-1]["response"] == "utter_ask_language"
    assert len(dispatcher.messages[-1]["buttons"]) == 10


async def test_municipality_named_in_a_question_is_used_and_kept(
    kb, dispatcher, tracker_factory
) -> None:
    tracker = tracker_factory(
        "де найближча аптека? я в Больцано", "find_service", slots={"language": "uk"}
    )
    events = await ActionFindService(lambda: kb).run(dispatcher, tracker, {})
    assert SlotSet("municipality", "bolzano") in events
    assert dispatcher.messages[0]["response"] == "utter_service_intro"
    assert dispatcher.messages[0]["municipality_name"] == "Больцано"
