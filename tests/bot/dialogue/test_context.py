"""The context rule: which language and municipality a message leaves the conversation in."""

from bot.dialogue.context import context_changes

UNRELIABLE_EN = {"language": "en", "confidence": 0.5, "reliable": False, "words": 1}


def test_new_conversation_takes_page_language_and_municipality() -> None:
    changes = context_changes(
        slots={},
        detection=UNRELIABLE_EN,
        metadata={"municipality": "kranj", "language": "de"},
        entities={},
    )
    assert changes == {"language": "de", "municipality": "kranj"}


def test_short_reply_keeps_language_and_changes_nothing() -> None:
    detection = {"language": "tr", "confidence": 0.3, "reliable": False, "words": 1}
    assert context_changes({"language": "uk"}, detection, {}, {}) == {}


def test_reliable_sentence_switches_language() -> None:
    detection = {"language": "fr", "confidence": 0.99, "reliable": True, "words": 6}
    assert context_changes({"language": "de"}, detection, {}, {}) == {"language": "fr"}


def test_button_payload_wins_over_detection() -> None:
    detection = {"language": "fr", "confidence": 0.99, "reliable": True, "words": 6}
    changes = context_changes({"language": "de"}, detection, {}, {"language": "ar"})
    assert changes == {"language": "ar"}


def test_named_municipality_is_used_then_kept() -> None:
    named = context_changes(
        {"language": "uk"}, None, {"municipality": "kranj"}, {"municipality": "bolzano"}
    )
    assert named == {"municipality": "bolzano"}
    later = context_changes(
        {"language": "uk", "municipality": "bolzano"}, None, {"municipality": "kranj"}, {}
    )
    assert later == {}


def test_a_message_naming_a_town_keeps_the_language() -> None:
    """ "dornbirn, en autriche" or "abito a kranj" in a French or Italian conversation: town
    names belong to no language."""
    detection = {"language": "de", "confidence": 0.95, "reliable": True, "words": 3}
    kept = context_changes({"language": "fr"}, detection, {}, {}, intent="choose_municipality")
    assert kept == {}
    switched = context_changes({"language": "fr"}, detection, {}, {}, intent="ask_housing")
    assert switched == {"language": "de"}
