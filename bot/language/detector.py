"""Message-level language detection: script rules, a chat n-gram model, lingua, langdetect.

Each source gives a probability over the supported languages; the detector restricts them to
what the script allows and takes a weighted mean. The weights were chosen on the benchmark
in `make bench` (see docs/languages.md).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from functools import lru_cache
from typing import Any, Callable, Mapping

from bot.language import scripts
from bot.language.ngram import CharNgramModel
from bot.language.registry import supported_codes

Scorer = Callable[[str], dict[str, float]]


@dataclass(frozen=True)
class Detection:
    """The detector's verdict on one message."""

    language: str | None
    confidence: float
    reliable: bool
    words: int = 0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@lru_cache(maxsize=1)
def _lingua_detector() -> Any:
    from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

    languages = [
        Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper()))
        for code in supported_codes()
    ]
    return (
        LanguageDetectorBuilder.from_languages(*languages).with_preloaded_language_models().build()
    )


def lingua_scores(text: str) -> dict[str, float]:
    """lingua's confidence values, keyed by ISO 639-1 code."""
    values = _lingua_detector().compute_language_confidence_values(text)
    return {value.language.iso_code_639_1.name.lower(): value.value for value in values}


def langdetect_scores(text: str) -> dict[str, float]:
    """Seeded langdetect probabilities (repeatable), keyed by ISO 639-1 code."""
    from langdetect import DetectorFactory, detect_langs
    from langdetect.lang_detect_exception import LangDetectException

    DetectorFactory.seed = 0
    try:
        return {result.lang: result.prob for result in detect_langs(text)}
    except LangDetectException:
        return {}


def _letters(text: str) -> int:
    return sum(char.isalpha() for char in text)


def _words(text: str) -> int:
    """Words with at least one letter (numbers, emoji and punctuation do not count)."""
    return sum(any(char.isalpha() for char in token) for token in text.split())


class LanguageDetector:
    """Combines the sources; `reliable` says whether one message alone may set the language."""

    def __init__(
        self,
        ngram_model: CharNgramModel | None = None,
        weights: Mapping[str, float] | None = None,
        threshold: float = 0.75,
        min_letters: int = 2,
        supported: tuple[str, ...] | None = None,
    ) -> None:
        self.supported = supported or supported_codes()
        self.weights = dict(weights or {"ngram": 1.0, "lingua": 1.0, "langdetect": 0.0})
        self.threshold = threshold
        self.min_letters = min_letters
        self._sources: dict[str, Scorer] = {
            "lingua": lingua_scores,
            "langdetect": langdetect_scores,
        }
        if ngram_model is not None:
            self._sources["ngram"] = ngram_model.probabilities

    def scores(self, text: str) -> dict[str, float]:
        """Combined probability of each language the script allows."""
        pool = scripts.candidates(text, self.supported)
        if len(pool) == 1:
            return {pool[0]: 1.0}
        combined = dict.fromkeys(pool, 0.0)
        for name, scorer in self._sources.items():
            weight = self.weights.get(name, 0.0)
            if weight <= 0:
                continue
            raw = {code: p for code, p in scorer(text).items() if code in combined}
            total = sum(raw.values())
            if total <= 0:
                continue
            for code, p in raw.items():
                combined[code] += weight * p / total
        total = sum(combined.values())
        if total <= 0:
            return {code: 1.0 / len(pool) for code in pool}
        return {code: value / total for code, value in combined.items()}

    def detect(self, text: str) -> Detection:
        words = _words(text)
        if _letters(text) < self.min_letters:
            return Detection(language=None, confidence=0.0, reliable=False, words=words)
        scores = self.scores(text)
        language = max(scores, key=lambda code: scores[code])
        confidence = round(scores[language], 4)
        return Detection(language, confidence, confidence >= self.threshold, words)
