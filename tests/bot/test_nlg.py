"""Replies come in the conversation's language, with domain payloads and text direction."""

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SlotSet
from rasa.shared.core.trackers import DialogueStateTracker

from bot import PROJECT_DIR
from bot.language.registry import supported_codes
from bot.locales.catalog import load_catalog
from bot.nlg import MultilingualNLG


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(PROJECT_DIR / "domain.yml")


@pytest.fixture(scope="module")
def nlg(domain: Domain) -> MultilingualNLG:
    return MultilingualNLG(domain=domain)


def _tracker(domain: Domain, language: str | None) -> DialogueStateTracker:
    tracker = DialogueStateTracker("t", domain.slots)
    if language:
        tracker.update(SlotSet("language", language))
    return tracker


@pytest.mark.parametrize("code", supported_codes())
async def test_greeting_in_each_language(nlg: MultilingualNLG, domain: Domain, code: str) -> None:
    reply = await nlg.generate("utter_greet", _tracker(domain, code), "rest")
    assert reply is not None
    assert reply["text"] == load_catalog(code)["responses"]["utter_greet"][0]["text"]
    titles = load_catalog(code)["responses"]["utter_greet"][0]["buttons"]
    assert [b["title"] for b in reply["buttons"]] == titles
    assert [b["payload"] for b in reply["buttons"]] == [
        b["payload"] for b in domain.responses["utter_greet"][0]["buttons"]
    ]
    assert reply["language"] == code


@pytest.mark.parametrize(("code", "direction"), [("ar", "rtl"), ("fa", "rtl"), ("de", "ltr")])
async def test_direction(nlg: MultilingualNLG, domain: Domain, code: str, direction: str) -> None:
    reply = await nlg.generate("utter_goodbye", _tracker(domain, code), "rest")
    assert reply is not None and reply["direction"] == direction


async def test_placeholders_are_filled(nlg: MultilingualNLG, domain: Domain) -> None:
    reply = await nlg.generate(
        "utter_municipality_set", _tracker(domain, "de"), "rest", municipality_name="Bozen"
    )
    assert reply is not None and "Bozen" in reply["text"] and "{" not in reply["text"]


async def test_category_button_payloads_keep_their_json(
    nlg: MultilingualNLG, domain: Domain
) -> None:
    reply = await nlg.generate("utter_service_ask_category", _tracker(domain, "uk"), "rest")
    assert reply is not None
    assert reply["buttons"][0]["payload"] == '/find_service{"category": "housing"}'


async def test_unknown_language_falls_back_to_default(nlg: MultilingualNLG, domain: Domain) -> None:
    reply = await nlg.generate("utter_goodbye", _tracker(domain, None), "rest")
    assert reply is not None and reply["language"] == "en"


async def test_responses_assigned_after_creation_are_used(domain: Domain) -> None:
    """Rasa creates the NLG before loading the model, then assigns `responses`."""
    nlg = MultilingualNLG(domain=None)
    nlg.responses = domain.responses
    reply = await nlg.generate("utter_goodbye", _tracker(domain, "tr"), "rest")
    assert reply is not None
    assert reply["text"] == load_catalog("tr")["responses"]["utter_goodbye"][0]["text"]


async def test_unsure_reply_offers_the_likeliest_topics(
    nlg: MultilingualNLG, domain: Domain
) -> None:
    from rasa.shared.core.events import UserUttered

    tracker = _tracker(domain, "de")
    ranking = [
        {"name": "nlu_fallback", "confidence": 0.4},
        {"name": "ask_jobs", "confidence": 0.35},
        {"name": "ask_language_courses", "confidence": 0.3},
        {"name": "thank", "confidence": 0.2},
    ]
    tracker.update(
        UserUttered(
            "arbet oder kurs",
            intent={"name": "nlu_fallback", "confidence": 0.4},
            parse_data={"intent_ranking": ranking},
        )
    )
    response = await nlg.generate("utter_unsure", tracker, "rest")
    assert response is not None
    payloads = [b["payload"] for b in response["buttons"]]
    assert payloads == ["/ask_jobs", "/ask_language_courses", "/human_handoff"]
    titles = load_catalog("de")["responses"]["utter_unsure"][0]["buttons"]
    assert response["buttons"][0]["title"] == titles[1]  # "Arbeit", in German


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Annecy", "commune d'Annecy"),
        ("Évian-les-Bains", "commune d'Évian-les-Bains"),
        ("Haute-Savoie", "commune de Haute-Savoie"),  # h: no elision
        ("Dornbirn", "commune de Dornbirn"),
    ],
)
async def test_french_elides_de_before_a_name_with_a_vowel(
    nlg: MultilingualNLG, domain: Domain, name: str, expected: str
) -> None:
    reply = await nlg.generate(
        "utter_faq_source_undated", _tracker(domain, "fr"), "rest", municipality_name=name
    )
    assert reply is not None and expected in reply["text"], reply


async def test_elision_leaves_running_text_and_other_languages_alone() -> None:
    from bot.locales.elision import elided

    assert elided("un cours de anglais", "fr") == "un cours de anglais"  # staff's own text
    assert elided("Comune de Annecy", "it") == "Comune de Annecy"
    assert elided("la Grande Annecy", "fr") == "la Grande Annecy"
