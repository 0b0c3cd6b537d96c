"""Message-level detection: script rules, the chat n-gram model, the combined detector."""

import pytest

from bot.language import scripts
from bot.language.detector import LanguageDetector
from bot.language.ngram import CharNgramModel
from bot.language.registry import supported_codes

ALL = supported_codes()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("привіт", ("uk",)),
        ("привет, ты кто", ("ru",)),
        ("پیدا کردن کار", ("fa",)),
        ("مدرسة قريبة", ("ar",)),  # ة only in Arabic
        ("كيف حالك", ("ar", "fa")),  # ك is also typed by Persians on Arabic keyboards
        # Latin letters: the Latin-script languages, then those also typed in them
        ("robota", ("de", "it", "sl", "fr", "en", "tr", "uk", "ru")),
        # Latin office words inside a Cyrillic or Arabic message do not make it Latin
        ("где сделать codice fiscale", ("uk", "ru")),
        ("وين بطلع الـ Meldezettel", ("ar", "fa")),
    ],
)
def test_script_candidates(text: str, expected: tuple[str, ...]) -> None:
    assert scripts.candidates(text, ALL) == expected


def test_ngram_model_learns_chat_words_and_round_trips() -> None:
    model = CharNgramModel.fit(
        ["hallo", "servus wie gehts", "ciao", "buongiorno come va"], ["de", "de", "it", "it"]
    )
    restored = CharNgramModel.from_dict(model.to_dict())
    probs = restored.probabilities("hallo servus")
    assert max(probs, key=probs.__getitem__) == "de"


@pytest.fixture(scope="module")
def detector() -> LanguageDetector:
    return LanguageDetector()


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Ich suche eine Wohnung in der Nähe vom Bahnhof", "de"),
        ("Dove posso imparare l'italiano gratis", "it"),
        ("Kje lahko dobim zdravnika za otroka", "sl"),
        ("Je cherche un cours de français pour adultes", "fr"),
        ("Where can I register my new address", "en"),
        ("Де можна знайти роботу", "uk"),
        ("Где можно найти работу", "ru"),
        ("أين أجد طبيبا للأطفال", "ar"),
        ("کجا می توانم کار پیدا کنم", "fa"),
        ("Çocuğumu okula nasıl kaydettirebilirim", "tr"),
    ],
)
def test_sentences_are_detected_reliably(
    detector: LanguageDetector, text: str, language: str
) -> None:
    result = detector.detect(text)
    assert result.language == language
    assert result.reliable


@pytest.mark.parametrize("text", ["1", "?", "👍", ""])
def test_no_letters_means_no_language(detector: LanguageDetector, text: str) -> None:
    result = detector.detect(text)
    assert result.language is None and not result.reliable
