"""A greeting in front of a request is read apart from it."""

from bot.nlu.greetings import after_greeting, greeting_phrases

PHRASES = greeting_phrases(
    ["Hallo", "guten Tag", "مرحبا", "Merhaba", "hi there", "a very long greeting of many words"]
)


def test_short_greet_examples_become_phrases() -> None:
    assert {"hallo", "guten tag", "merhaba", "hi there"} <= PHRASES
    assert "a very long greeting of many words" not in PHRASES


def test_what_follows_a_greeting() -> None:
    assert after_greeting("مرحبا، أبحث عن عمل", PHRASES) == "أبحث عن عمل"
    assert after_greeting("Merhaba, doktor arıyorum", PHRASES) == "doktor arıyorum"
    assert after_greeting("Guten Tag! Ich suche eine Wohnung.", PHRASES) == "Ich suche eine Wohnung"
    assert after_greeting("hi there, i need a doctor", PHRASES) == "i need a doctor"


def test_no_greeting_or_nothing_after_it() -> None:
    assert after_greeting("ich suche arbeit", PHRASES) is None
    assert after_greeting("Hallo!", PHRASES) is None
    assert after_greeting("hallo ,", PHRASES) is None
