"""The conversation's language: requests win, reliable messages switch, the rest stick."""

from bot.language.conversation import next_language

SURE_DE = {"language": "de", "confidence": 0.99, "reliable": True}
UNSURE_EN = {"language": "en", "confidence": 0.4, "reliable": False}


def test_explicit_request_wins_over_everything() -> None:
    assert next_language("de", SURE_DE, hint="it", requested="ar") == "ar"
    assert next_language("de", {**SURE_DE, "requested": "uk"}) == "uk"


def test_reliable_message_switches() -> None:
    assert next_language("fr", SURE_DE) == "de"


def test_unsure_message_keeps_current_language() -> None:
    assert next_language("fr", UNSURE_EN) == "fr"


def test_first_unsure_message_uses_channel_hint() -> None:
    assert next_language(None, UNSURE_EN, hint="de-AT") == "de"


def test_first_unsure_message_without_hint_uses_best_guess() -> None:
    assert next_language(None, UNSURE_EN) == "en"


def test_unsupported_values_are_ignored() -> None:
    assert (
        next_language("xx", {"language": "zz", "reliable": True}, hint="qq", requested="pt") == "en"
    )


def test_short_reliable_message_does_not_switch_an_established_language() -> None:
    street = {"language": "de", "confidence": 0.98, "reliable": True, "words": 1}
    assert next_language("uk", street) == "uk"
    assert next_language(None, street) == "de"


def test_sentence_switches_an_established_language() -> None:
    sentence = {"language": "it", "confidence": 0.97, "reliable": True, "words": 6}
    assert next_language("fr", sentence) == "it"
