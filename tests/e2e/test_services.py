"""Services a newcomer can use, through REST against the real Rasa and action servers:
filters from the message, relaxed openly, appointment-only offices, nearest means reachable,
and phone numbers that stay dialable in right-to-left replies."""

from __future__ import annotations

import json
import uuid

import pytest

from bot.answers.bidi import FSI, PDI
from bot.locales.catalog import load_catalog, phrase
from tests.e2e.test_rest import say, texts

pytestmark = pytest.mark.e2e

# "a free German course in the evening with childcare", as people write it
FREE_EVENING_CHILDCARE = {
    "en": "free evening German course with childcare",
    "de": "kostenloser Deutschkurs am Abend mit Kinderbetreuung",
    "it": "corso di tedesco gratuito la sera con assistenza bambini",
    "fr": "cours d'allemand gratuit le soir avec garde d'enfants",
    "uk": "безкоштовний вечірній курс німецької з доглядом за дітьми",
    "ar": "دورة لغة ألمانية مجانية في المساء مع رعاية الأطفال",
    "tr": "çocuk bakımı olan ücretsiz akşam almanca kursu",
}
COURSE = "Deutsch am Abend mit Kinderbetreuung"


def _opening(response: str, language: str) -> str:
    """The wording of a response up to its first placeholder."""
    text = load_catalog(language)["responses"][response][0]["text"]
    return str(text).split("{")[0].strip()


def _find(rasa_url: str, town: str, language: str, category: str) -> list[str]:
    payload = "/find_service" + json.dumps({"category": category})
    replies = say(rasa_url, uuid.uuid4().hex, payload, municipality=town, language=language)
    return texts(replies)


@pytest.mark.parametrize("language", sorted(FREE_EVENING_CHILDCARE))
def test_a_free_evening_course_with_childcare(rasa_url: str, language: str) -> None:
    message = FREE_EVENING_CHILDCARE[language]
    replies = texts(
        say(rasa_url, uuid.uuid4().hex, message, municipality="dornbirn", language=language)
    )
    joined = "\n".join(replies)
    assert _opening("utter_service_filtered", language) in replies[0], replies
    for key in ("filter_free", "filter_evening", "filter_childcare"):
        assert phrase(language, key) in replies[0]
    assert COURSE in joined
    for key in ("service_free", "service_childcare"):
        assert phrase(language, key) in joined


def test_nothing_matching_every_filter_is_relaxed_openly(rasa_url: str) -> None:
    message = "free German course at the weekend for women"
    replies = texts(
        say(rasa_url, uuid.uuid4().hex, message, municipality="dornbirn", language="en")
    )
    assert replies[0].startswith(_opening("utter_service_relaxed_partly", "en")), replies
    assert phrase("en", "filter_weekend") in replies[0]


def test_an_appointment_only_office_is_never_shown_as_closed(rasa_url: str) -> None:
    replies = _find(rasa_url, "dornbirn", "de", "registration")
    office = next(r for r in replies if "Bezirkshauptmannschaft" in r)
    assert phrase("de", "service_appointment") in office
    assert phrase("de", "opening_closed") not in office
    assert "Jetzt geschlossen" not in office


def test_nearest_doctor_in_dornbirn_is_its_own_healthcare_never_bozen(rasa_url: str) -> None:
    replies = _find(rasa_url, "dornbirn", "en", "doctor")
    assert replies[0].startswith(_opening("utter_service_related", "en")), replies
    joined = "\n".join(replies)
    assert "Dornbirn" in joined
    assert "Bozen" not in joined and "Bolzano" not in joined


@pytest.mark.parametrize("language", ["ar", "fa"])
def test_phone_numbers_are_isolated_in_right_to_left_replies(rasa_url: str, language: str) -> None:
    replies = _find(rasa_url, "kranj", language, "healthcare")
    joined = "\n".join(replies)
    assert "+386" in joined
    for start in range(len(joined)):
        if joined.startswith("+386", start):
            assert joined[start - 1] == FSI, joined[start - 20 : start + 20]
            assert PDI in joined[start : start + 25]


def test_the_counter_card_is_in_both_languages(rasa_url: str) -> None:
    sender = uuid.uuid4().hex
    payload = "/find_service" + json.dumps({"category": "registration"})
    replies = say(rasa_url, sender, payload, municipality="bolzano", language="ar")
    buttons = [b for r in replies for b in r.get("buttons", [])]
    card_buttons = [b for b in buttons if b["payload"].startswith("/counter_card")]
    assert card_buttons and card_buttons[0]["title"] == phrase("ar", "card_button")
    card = say(rasa_url, sender, card_buttons[0]["payload"], municipality="bolzano")
    text = "\n".join(texts(card))
    assert phrase("ar", "card_purpose_registration") in text
    assert phrase("it", "card_purpose_registration") in text
    assert phrase("de", "card_purpose_registration") in text
    layout = next(r["custom"]["counter_card"] for r in card if "custom" in r)
    assert [s["dir"] for s in layout["sides"]] == ["rtl", "ltr", "ltr"]


@pytest.mark.parametrize(
    ("language", "question", "day"),
    [
        ("de", "Wann ist das nächste Sprachcafé?", "Mittwoch, 28. Oktober"),
        ("en", "when is the next language café?", "Wednesday 28 October"),
    ],
)
def test_next_language_cafe(rasa_url: str, language: str, question: str, day: str) -> None:
    """The servers' clock is fixed (conftest.FIXED_CLOCK) at Wednesday 21 October, 19:30 in
    Vienna, after that day's café; summer time ends on Sunday 25 October."""
    replies = texts(
        say(rasa_url, uuid.uuid4().hex, question, municipality="dornbirn", language=language)
    )
    assert replies[0].startswith(_opening("utter_events_next", language)), replies
    first = replies[0].split("•")[1]
    # every Wednesday at 17:00 local time, in winter as in summer (not 18:00 or 16:00)
    assert f"{day} · 17:00–19:00" in first, replies[0]


# "what's on this week?", as people ask it
WHATS_ON = {
    "en": "what's on this week?",
    "de": "Was ist diese Woche los?",
    "uk": "Які заходи цього тижня?",
    "ar": "شو في فعاليات هالأسبوع؟",
}
IMPORTED = "Infoabend Deutschkurse: Welcher Kurs passt zu mir?"  # from events/dornbirn.ics


@pytest.mark.parametrize("language", sorted(WHATS_ON))
def test_whats_on_lists_the_next_events_with_the_imported_calendar(
    rasa_url: str, language: str
) -> None:
    replies = texts(
        say(
            rasa_url,
            uuid.uuid4().hex,
            WHATS_ON[language],
            municipality="dornbirn",
            language=language,
        )
    )
    assert replies[0].startswith(_opening("utter_events_next", language)), replies
    titles = [block.split("\n")[0].strip() for block in replies[0].split("•")[1:]]
    catalog_title = {  # the sample file's own titles, in the user's language
        "en": "Language café at the city library",
        "de": "Sprachcafé in der Stadtbibliothek",
        "uk": "Мовне кафе в міській бібліотеці",
        "ar": "مقهى اللغة في مكتبة المدينة",
    }[language]
    assert titles[0] == catalog_title, titles  # Wednesday 28 October comes first
    # the first Thursday of November, imported from the city's calendar file
    assert IMPORTED in titles, titles


def test_a_conversation_narrows_a_list_and_asks_the_way(rasa_url: str) -> None:
    """The nearest German course near the Markt, then only those in the evening, then the
    way to the nearest of them, in one conversation through the real servers."""
    sender = uuid.uuid4().hex

    def turn(message: str) -> list[str]:
        return texts(say(rasa_url, sender, message, municipality="dornbirn", language="de"))

    first = turn("Wo ist der nächste Deutschkurs in der Nähe vom Markt?")
    assert first[0].startswith(_opening("utter_service_intro", "de")), first
    assert "Markt" in first[0]
    evening = turn("und am Abend?")
    assert _opening("utter_service_filtered", "de") in evening[0], evening
    assert phrase("de", "filter_evening") in evening[0] and "Markt" in evening[0]
    assert COURSE in "\n".join(evening)
    assert "BFI" not in "\n".join(evening)  # its courses are in the daytime
    way = turn("Wie komme ich dahin?")
    places = [r for r in way if "openstreetmap.org/directions" in r]
    assert len(places) == 1, way
