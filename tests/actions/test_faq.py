"""action_answer_faq answers from the right municipality, in the user's language."""

import logging

from rasa_sdk.events import SlotSet
from sqlalchemy.exc import OperationalError

from actions.faq import ActionAnswerFaq
from bot.knowledge.repository import KnowledgeRepository


def _action(kb: KnowledgeRepository) -> ActionAnswerFaq:
    return ActionAnswerFaq(repository_factory=lambda: kb)


async def test_answer_in_users_language(kb, dispatcher, tracker_factory) -> None:
    tracker = tracker_factory(
        "wie melde ich meinen wohnsitz an",
        "ask_registration",
        slots={"language": "de", "municipality": "bolzano"},
    )
    events = await _action(kb).run(dispatcher, tracker, {})
    responses = [m["response"] for m in dispatcher.messages]
    assert responses[0] == "utter_faq_answer"
    expected = kb.faqs("bolzano", "registration")[0].answer["de"]
    assert dispatcher.messages[0]["answer"] == expected
    assert SlotSet("topic", "registration") in events


async def test_other_questions_offered_as_buttons(kb, dispatcher, tracker_factory) -> None:
    tracker = tracker_factory(
        "flat", "ask_housing", slots={"language": "en", "municipality": "kranj"}
    )
    await _action(kb).run(dispatcher, tracker, {})
    # one FAQ per topic in the sample: no "more" buttons, and the answer is Kranj's
    assert "Kranj" in dispatcher.messages[0]["answer"]


async def test_missing_translation_gets_a_note(kb, dispatcher, tracker_factory) -> None:
    faq = kb.faqs("kranj", "jobs")[0]
    assert "fa" in faq.answer

    # Ask in a language the sample answer lacks by removing it from a copy
    class Partial(KnowledgeRepository):
        def faqs(self, municipality_id, topic=None):  # type: ignore[override]
            found = super().faqs(municipality_id, topic)
            for item in found:
                item.answer.pop("fa", None)
            return found

    partial = Partial(kb._engine)
    tracker = tracker_factory("کار", "ask_jobs", slots={"language": "fa", "municipality": "kranj"})
    await ActionAnswerFaq(repository_factory=lambda: partial).run(dispatcher, tracker, {})
    assert [m["response"] for m in dispatcher.messages][:2] == [
        "utter_not_translated",
        "utter_faq_answer",
    ]
    assert dispatcher.messages[0]["source_language"] == "English"
    assert dispatcher.messages[1]["answer"] == faq.answer["en"]


async def test_unknown_municipality_asks_with_buttons(kb, dispatcher, tracker_factory) -> None:
    tracker = tracker_factory("housing", "ask_housing", slots={"language": "en"})
    await _action(kb).run(dispatcher, tracker, {})
    assert dispatcher.messages[0]["response"] == "utter_ask_municipality"
    payloads = {b["payload"] for b in dispatcher.messages[0]["buttons"]}
    assert '/choose_municipality{"municipality": "kranj"}' in payloads


async def test_municipality_from_channel_metadata(kb, dispatcher, tracker_factory) -> None:
    tracker = tracker_factory(
        "school", "ask_schooling", slots={"language": "en"}, metadata={"municipality": "kranj"}
    )
    await _action(kb).run(dispatcher, tracker, {})
    assert dispatcher.messages[0]["answer"] == kb.faqs("kranj", "schooling")[0].answer["en"]


async def test_database_failure_is_polite_and_logged_once(
    kb, dispatcher, tracker_factory, caplog
) -> None:
    class Broken(KnowledgeRepository):
        def municipality(self, municipality_id):  # type: ignore[override]
            raise OperationalError("select", {}, Exception("database is down"))

    tracker = tracker_factory(
        "flat", "ask_housing", slots={"language": "uk", "municipality": "kranj"}
    )
    action = ActionAnswerFaq(repository_factory=lambda: Broken(None))  # type: ignore[arg-type]
    with caplog.at_level(logging.DEBUG, logger="actions.common"):
        assert await action.run(dispatcher, tracker, {}) == []
        assert await action.run(dispatcher, tracker, {}) == []
    assert [m["response"] for m in dispatcher.messages] == ["utter_technical_problem"] * 2
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == 1 and "database is down" in errors[0].getMessage()
    assert errors[0].exc_info is not None
    healthy = ActionAnswerFaq(repository_factory=lambda: kb)
    await healthy.run(dispatcher, tracker, {})
    assert any("answers again" in r.getMessage() for r in caplog.records)


def test_faq_buttons_choose_a_faq_in_users_language() -> None:
    from actions.faq import faq_buttons
    from bot.knowledge.schema import Faq

    faqs = [
        Faq(
            id="deposit",
            topic="housing",
            questions={"en": ["Deposit?"], "de": ["Kaution?"]},
            answer={"en": "..."},
        ),
        Faq(
            id="shared", topic="housing", questions={"en": ["Shared flats?"]}, answer={"en": "..."}
        ),
    ]
    buttons = faq_buttons(faqs, "de", ["it"])
    assert buttons == [
        {"title": "Kaution?", "payload": '/ask_housing{"faq_id": "deposit"}'},
        {"title": "Shared flats?", "payload": '/ask_housing{"faq_id": "shared"}'},
    ]


async def test_answer_says_where_it_comes_from_and_when_it_was_checked(
    kb, dispatcher, tracker_factory
) -> None:
    from bot.answers.formatting import long_date

    tracker = tracker_factory(
        "wo kann ich deutsch lernen",
        "ask_language_courses",
        slots={"language": "de", "municipality": "dornbirn"},
    )
    await _action(kb).run(dispatcher, tracker, {})
    shown = dispatcher.messages[0]["answer"]
    faq = next(f for f in kb.faqs("dornbirn", "language_courses") if f.answer["de"] == shown)
    assert faq.last_reviewed is not None
    source = dispatcher.messages[1]
    assert source["response"] == "utter_faq_source"
    assert source["municipality_name"] == "Dornbirn"
    assert source["date"] == long_date(faq.last_reviewed, "de")


async def test_an_answer_never_reviewed_names_only_its_source(
    kb, dispatcher, tracker_factory
) -> None:
    class Undated(KnowledgeRepository):
        def faqs(self, municipality_id, topic=None):  # type: ignore[override]
            found = super().faqs(municipality_id, topic)
            for item in found:
                item.last_reviewed = None
            return found

    tracker = tracker_factory(
        "school", "ask_schooling", slots={"language": "en", "municipality": "kranj"}
    )
    await ActionAnswerFaq(repository_factory=lambda: Undated(kb.engine)).run(
        dispatcher, tracker, {}
    )
    assert dispatcher.messages[1]["response"] == "utter_faq_source_undated"
    assert "date" not in dispatcher.messages[1]


def test_dates_as_people_of_each_language_write_them() -> None:
    from datetime import date

    from bot.answers.formatting import long_date

    day = date(2026, 9, 1)
    assert long_date(day, "en") == "1 September 2026"
    assert long_date(day, "de") == "1. September 2026"
    assert long_date(day, "tr") == "1 Eylül 2026"
    assert long_date(day, "ar") == "1 سبتمبر 2026"


def test_the_checked_date_ends_its_sentence_once_in_every_language() -> None:
    """Russian and Ukrainian dates end with an abbreviation ("2026 г."): the sentence
    after them gets no second full stop."""
    from datetime import date

    from bot.answers.formatting import long_date
    from bot.language.registry import supported_codes
    from bot.locales.catalog import load_catalog

    for code in supported_codes():
        template = load_catalog(code)["responses"]["utter_faq_source"][0]["text"]
        line = template.format(municipality_name="X", date=long_date(date(2026, 9, 1), code))
        assert ".." not in line.replace("\u202f", ""), (code, line)
        assert line.rstrip().endswith((".", "。", "۔")), (code, line)


async def test_the_nearest_place_of_a_topic_is_a_list_of_places(
    kb, dispatcher, tracker_factory
) -> None:
    """A question like "Where is the nearest German course?" is often read as a question on language
    courses; it asks for places all the same."""
    tracker = tracker_factory(
        "Where is the nearest German course?",
        "ask_language_courses",
        slots={"language": "en", "municipality": "dornbirn"},
    )
    await _action(kb).run(dispatcher, tracker, {})
    assert dispatcher.messages[0]["response"] == "utter_service_intro"
    listed = " ".join(str(m.get("text") or m) for m in dispatcher.messages)
    assert "Deutschkurse" in listed


async def test_a_question_on_the_topic_without_nearness_is_answered(
    kb, dispatcher, tracker_factory
) -> None:
    tracker = tracker_factory(
        "How do I find a German course?",
        "ask_language_courses",
        slots={"language": "en", "municipality": "dornbirn"},
    )
    await _action(kb).run(dispatcher, tracker, {})
    assert dispatcher.messages[0]["response"] == "utter_faq_answer"
