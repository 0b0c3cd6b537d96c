"""The service answer on the sample municipalities: filters and their open relaxation,
attributes said, appointment-only never "closed", nearest means reachable (own topic, then
neighbours within reach and borders, else the office), names on the door, right-to-left
isolation and Persian digits."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from bot.answers.bidi import FSI, PDI, isolate, local_digits
from bot.answers.filters import (
    access_of,
    describes_a_service,
    filters_in_text,
    formats_of,
    offers,
    without_filters,
)
from bot.answers.location import Origin
from bot.answers.service_answer import Request, ServiceAnswer, display_name, find_services
from bot.knowledge.repository import KnowledgeRepository
from bot.knowledge.schema import Municipality, Service
from bot.locales.catalog import phrase

TUESDAY_NOON = datetime(2026, 12, 1, 11, 0, tzinfo=timezone.utc)


def _find(
    kb: KnowledgeRepository,
    town: str,
    category: str,
    language: str = "en",
    filters: tuple[str, ...] = (),
    origin: Origin | None = None,
) -> tuple[ServiceAnswer, Municipality]:
    municipality = kb.municipality(town)
    assert municipality is not None
    start = origin or Origin(municipality.lat, municipality.lon, "centre")
    request = Request(category, start, language, filters, "the centre")
    return find_services(kb, municipality, request, TUESDAY_NOON, town.title()), municipality


def _service(**fields: object) -> Service:
    return Service.parse_obj(
        {
            "id": "s",
            "name": "S",
            "categories": ["language_courses"],
            "address": "A 1",
            "lat": 47.0,
            "lon": 9.0,
            **fields,
        }
    )


@pytest.mark.parametrize(
    ("text", "language", "wanted"),
    [
        ("free evening German course with childcare", "en", {"free", "evening", "childcare"}),
        (
            "kostenloser Deutschkurs am Abend mit Kinderbetreuung",
            "de",
            {"free", "evening", "childcare"},
        ),
        ("corso di tedesco gratuito la sera", "it", {"free", "evening"}),
        ("cours d'allemand gratuit le soir", "fr", {"free", "evening"}),
        ("безкоштовний курс німецької ввечері", "uk", {"free", "evening"}),
        ("دورة ألمانية مجانية في المساء", "ar", {"free", "evening"}),
        ("ücretsiz akşam almanca kursu", "tr", {"free", "evening"}),
        ("where is the library", "en", set()),
        # a greeting is not a wish for evening courses; a wish after it still counts
        ("Good evening, I am looking for a German course", "en", set()),
        ("good evening! a German course in the evening, please", "en", {"evening"}),
        ("Good evening, ich suche einen Deutschkurs", "de", set()),
    ],
)
def test_filters_named_in_the_message(text: str, language: str, wanted: set[str]) -> None:
    assert set(filters_in_text(text, language)) == wanted


def test_a_greeting_does_not_make_a_question_a_search_for_a_filter() -> None:
    assert not describes_a_service("Good evening, where can I learn German?", "en")
    assert describes_a_service("Good evening, a free German course?", "en")
    assert without_filters("Good evening, a free German course?", "en") == "a german course"


def test_attributes_and_what_the_opening_hours_tell() -> None:
    evening = _service(opening_hours="Tu,Th 18:30-20:30")
    assert formats_of(evening) == ("evening",)
    assert formats_of(_service(opening_hours="Sa 09:00-12:00")) == ("weekend",)
    assert access_of(_service(opening_hours="by appointment")) == "appointment"
    assert access_of(_service(opening_hours="Mo 08:00-12:00; by appointment")) == "both"
    assert (
        access_of(_service(opening_hours="Mo 08:00-12:00", access="appointment")) == "appointment"
    )
    assert offers(_service(levels=["A0"]), "beginners")
    assert not offers(_service(levels=["B1"]), "beginners")
    assert not offers(_service(), "free")  # unknown is not "free"


def test_a_free_evening_course_with_childcare_is_found_and_described(kb) -> None:
    answer, _ = _find(kb, "dornbirn", "language_courses", "en", ("free", "evening", "childcare"))
    first = answer.utterances[0]
    assert first.response == "utter_service_filtered"
    assert "free" in first.values["filters"] and "childcare" in first.values["filters"]
    item = answer.utterances[1]
    assert answer.shown[0].id == "deutsch-am-abend"
    for key in ("service_free", "service_childcare"):
        assert phrase("en", key) in item.values["opening_hours"]
    assert "A0" in item.values["opening_hours"]


def test_nothing_matching_every_filter_is_relaxed_openly(kb) -> None:
    answer, _ = _find(
        kb, "dornbirn", "language_courses", "en", ("free", "wheelchair", "women", "weekend")
    )
    first = answer.utterances[0]
    assert first.response in ("utter_service_relaxed", "utter_service_relaxed_partly")
    assert "at the weekend" in first.values["missing"]
    assert answer.shown  # something is still shown, and the message said what was dropped


def test_appointment_only_is_never_shown_as_closed(kb) -> None:
    answer, _ = _find(kb, "dornbirn", "registration")
    items = {s.id: u for s, u in zip(answer.shown, answer.utterances[1:])}
    line = items["bh-dornbirn"].values["opening_hours"]
    assert phrase("en", "service_appointment") in line
    assert "Closed now" not in line and phrase("en", "opening_closed") not in line


def test_no_doctor_in_dornbirn_offers_its_healthcare_never_bozen(kb) -> None:
    answer, _ = _find(kb, "dornbirn", "doctor")
    assert answer.utterances[0].response == "utter_service_related"
    assert answer.shown and all("healthcare" in s.categories for s in answer.shown)
    assert all(u.response != "utter_service_elsewhere" for u in answer.utterances)


def test_nothing_within_reach_or_across_a_border_gives_the_office(kb) -> None:
    # no sample town has an interpreting service, a kind with no broader topic
    answer, _ = _find(kb, "dornbirn", "interpreting")
    assert [u.response for u in answer.utterances] == ["utter_service_none"]
    assert answer.found_nothing


def test_a_neighbour_is_offered_within_reach_and_borders_staff_allow(kb) -> None:
    dornbirn = kb.municipality("dornbirn")
    assert dornbirn is not None
    # a municipality where Dornbirn is; Kranj's welcome events are in Slovenia, 330 km away
    here = dornbirn.copy(update={"id": "elsewhere", "neighbour_km": 500, "cross_border": True})
    request = Request("welcome_event", Origin(dornbirn.lat, dornbirn.lon, "centre"), "en", (), "x")
    answer = find_services(kb, here, request, TUESDAY_NOON, "X")
    assert answer.utterances[0].response == "utter_service_elsewhere"
    assert "welcome_event" in answer.shown[0].categories
    too_far = here.copy(update={"neighbour_km": 30})
    assert find_services(kb, too_far, request, TUESDAY_NOON, "X").found_nothing
    same_country = here.copy(update={"cross_border": False})
    assert find_services(kb, same_country, request, TUESDAY_NOON, "X").found_nothing


def test_the_name_on_the_door_with_the_users_name_beside(kb) -> None:
    kranj = kb.municipality("kranj")
    assert kranj is not None
    service = _service(name={"sl": "Zdravstveni dom Kranj", "en": "Health Centre Kranj"})
    assert (
        display_name(service, "en", kranj.languages)
        == "Zdravstveni dom Kranj (Health Centre Kranj)"
    )
    assert display_name(service, "sl", kranj.languages) == "Zdravstveni dom Kranj"
    assert display_name(service, "tr", kranj.languages) == "Zdravstveni dom Kranj"


@pytest.mark.parametrize("language", ["ar", "fa"])
def test_every_phone_number_is_isolated_in_right_to_left_replies(kb, language: str) -> None:
    answer, _ = _find(kb, "kranj", "healthcare", language)
    phones = [s.phone for s in answer.shown if s.phone]
    assert phones
    text = "\n".join(v for u in answer.utterances for v in u.values.values())
    for number in phones:
        assert f"{FSI}{number}{PDI}" in text
        assert text.count(number) == text.count(f"{FSI}{number}{PDI}")


def test_isolation_and_digits_only_where_they_belong() -> None:
    assert isolate("+386 4 237 31 00", "de") == "+386 4 237 31 00"
    assert isolate("+386 4 237 31 00", "ar") == f"{FSI}+386 4 237 31 00{PDI}"
    assert local_digits("1.2 km, 08:00", "fa") == "۱٫۲ km, ۰۸:۰۰"
    assert local_digits("1.2 km", "ar") == "1.2 km"


def test_walking_directions_from_a_named_place(kb) -> None:
    origin = Origin(47.4150, 9.7420, "place")
    answer, _ = _find(kb, "dornbirn", "pharmacy", origin=origin)
    links = answer.utterances[1].values["map_link"]
    assert "openstreetmap.org/directions?engine=fossgis_osrm_foot&route=47.41500%2C9.74200" in links
    shared, _ = _find(kb, "dornbirn", "pharmacy", origin=Origin(47.41234, 9.74321, "shared"))
    shared_links = shared.utterances[1].values["map_link"]
    assert "directions?engine=fossgis_osrm_foot&route=%3B" in shared_links
    assert "47.41234" not in shared_links  # the person's position is never in a reply
    centre, _ = _find(kb, "dornbirn", "pharmacy")
    assert "directions" not in centre.utterances[1].values["map_link"]


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("kostenloser Deutschkurs am Abend mit Kinderbetreuung", "de"),
        ("çocuk bakımı olan ücretsiz akşam almanca kursu", "tr"),
        ("free evening German course with childcare", "en"),
    ],
)
def test_filter_words_do_not_change_the_kind_of_place(text: str, language: str) -> None:
    from bot.answers.categories import category_in_text
    from bot.answers.filters import without_filters

    assert category_in_text(without_filters(text, language), language) == "language_courses"


def test_next_language_cafe_dates_cross_the_clock_change(kb) -> None:
    """Every Wednesday 17:00 in Dornbirn: 21 October (summer time) and 28 October (winter
    time, after 25 October) both at 17:00 local, never a past one."""
    from bot.answers.event_answer import next_dates

    dornbirn = kb.municipality("dornbirn")
    assert dornbirn is not None
    monday = datetime(2026, 10, 19, 10, 0, tzinfo=timezone.utc)
    text = next_dates(kb, dornbirn, "language_cafe", "en", monday)
    assert "21 October" in text and "28 October" in text
    assert text.count("17:00–19:00") >= 2
    evening_after = datetime(2026, 10, 21, 18, 30, tzinfo=timezone.utc)  # 20:30 local: over
    assert "21 October" not in next_dates(kb, dornbirn, "language_cafe", "en", evening_after)
    assert next_dates(kb, dornbirn, "pharmacy", "en", monday) == ""


def test_a_language_cafe_request_starts_with_its_next_dates(kb) -> None:
    answer, _ = _find(kb, "dornbirn", "language_cafe")
    assert answer.utterances[0].response == "utter_events_next"
    assert answer.utterances[1].response == "utter_service_intro"


def test_events_answer_when_the_town_has_no_place_of_the_kind(kb) -> None:
    answer, _ = _find(kb, "dornbirn", "welcome_event")  # Dornbirn: welcome evenings, no venue
    assert [u.response for u in answer.utterances] == ["utter_events_next"]
    assert not answer.found_nothing


def test_an_event_imported_from_the_citys_calendar_file_shows(kb) -> None:
    """Dornbirn's events/dornbirn.ics: an information evening every first Thursday."""
    from bot.answers.event_answer import next_dates

    dornbirn = kb.municipality("dornbirn")
    assert dornbirn is not None
    new_year = datetime(2026, 12, 31, 12, 0, tzinfo=timezone.utc)
    text = next_dates(kb, dornbirn, "welcome_event", "en", new_year)
    assert "Infoabend Deutschkurse" in text and "7 January" in text
