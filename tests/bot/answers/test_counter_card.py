"""The card to show at the counter: what one came for in the person's language and the
office's, the name on the door and the address; its button's payload fits Telegram."""

from __future__ import annotations

from bot.answers.bidi import FSI
from bot.answers.counter_card import counter_card, purpose_of
from bot.answers.service_answer import card_payload
from bot.knowledge.schema import Service
from bot.locales.catalog import phrase


def _service(categories: list[str]) -> Service:
    return Service.parse_obj(
        {
            "id": "a-very-long-service-identifier-written-by-staff-for-the-office",
            "name": {"it": "Anagrafe", "de": "Meldeamt", "ar": "مكتب التسجيل"},
            "categories": categories,
            "address": "Vicolo Gumer 7, 39100 Bolzano",
            "lat": 46.5,
            "lon": 11.35,
        }
    )


def test_what_one_comes_for_follows_the_kind_of_service() -> None:
    assert purpose_of(_service(["registration", "registry_office"])) == "registration"
    assert purpose_of(_service(["registry_office"])) == "registration"  # its topic
    assert purpose_of(_service(["healthcare", "pharmacy"])) == "pharmacy"  # the finer one
    assert purpose_of(_service(["library"])) == "default"


def test_card_in_the_persons_language_and_the_offices(kb) -> None:
    bolzano = kb.municipality("bolzano")
    assert bolzano is not None
    card = counter_card(_service(["registration"]), bolzano, "ar")
    assert [(s.language, s.direction) for s in card.sides] == [
        ("ar", "rtl"),
        *[(code, "ltr") for code in bolzano.languages],
    ]
    assert card.sides[0].purpose == phrase("ar", "card_purpose_registration")
    assert card.sides[1].purpose == phrase(bolzano.languages[0], "card_purpose_registration")
    assert card.name == "Anagrafe" if bolzano.languages[0] == "it" else "Meldeamt"
    text = card.as_text("ar")
    assert phrase("ar", "card_hint") in text
    assert f"{FSI}Vicolo Gumer 7, 39100 Bolzano" in text  # isolated in the Arabic message


def test_a_card_in_the_offices_own_language_has_one_side(kb) -> None:
    bolzano = kb.municipality("bolzano")
    assert bolzano is not None
    card = counter_card(_service(["registration"]), bolzano, bolzano.languages[0])
    assert len(card.sides) == len(bolzano.languages)


def test_the_button_payload_fits_telegram_whatever_the_id() -> None:
    payload = card_payload(_service(["registration"]).id)
    assert len(payload.encode("utf-8")) <= 64
    assert payload.startswith("/counter_card{")
