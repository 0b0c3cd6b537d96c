"""A small character n-gram naive Bayes language model learnt from chat-style examples.

It is trained by the Rasa component on the NLU training data, where every intent block
carries `metadata: {language: xx}`, so it knows how newcomers really type ("hallo", "ok
grazie", "спс"), which general-purpose detectors trained on books do not.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Iterable

WORD_WEIGHT = 3


def char_ngrams(text: str, low: int = 1, high: int = 5) -> list[str]:
    """Character n-grams of each word, padded with spaces (like char_wb), plus the whole
    word itself (counted WORD_WEIGHT times: a known chat word is strong evidence)."""
    grams: list[str] = []
    for word in text.casefold().split():
        padded = f" {word} "
        for size in range(low, high + 1):
            grams.extend(padded[i : i + size] for i in range(len(padded) - size + 1))
        grams.extend([f"<{word}>"] * WORD_WEIGHT)
    return grams


@dataclass
class CharNgramModel:
    """Multinomial naive Bayes over character n-grams, with add-alpha smoothing."""

    counts: dict[str, dict[str, int]]
    low: int = 1
    high: int = 5
    alpha: float = 0.5
    _totals: dict[str, int] = field(init=False, repr=False)
    _vocabulary: set[str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._totals = {lang: sum(grams.values()) for lang, grams in self.counts.items()}
        self._vocabulary = {gram for grams in self.counts.values() for gram in grams}

    @classmethod
    def fit(
        cls, texts: Iterable[str], labels: Iterable[str], low: int = 1, high: int = 4
    ) -> CharNgramModel:
        counters: dict[str, Counter[str]] = {}
        for text, label in zip(texts, labels, strict=False):
            counters.setdefault(label, Counter()).update(char_ngrams(text, low, high))
        return cls({lang: dict(counter) for lang, counter in counters.items()}, low, high)

    @property
    def languages(self) -> list[str]:
        return sorted(self.counts)

    def probabilities(self, text: str) -> dict[str, float]:
        """Posterior over the known languages; uniform when no n-gram is known."""
        grams = [g for g in char_ngrams(text, self.low, self.high) if g in self._vocabulary]
        if not grams:
            return {lang: 1.0 / len(self.counts) for lang in self.counts}
        size = len(self._vocabulary)
        log_scores = {}
        for lang, grams_of_lang in self.counts.items():
            denominator = math.log(self._totals[lang] + self.alpha * size)
            log_scores[lang] = sum(
                math.log(grams_of_lang.get(g, 0) + self.alpha) - denominator for g in grams
            )
        # Naive Bayes is over-confident on long texts: temper by the number of n-grams.
        temper = min(1.0, 40.0 / len(grams))
        top = max(log_scores.values())
        exps = {lang: math.exp((score - top) * temper) for lang, score in log_scores.items()}
        total = sum(exps.values())
        return {lang: value / total for lang, value in exps.items()}

    def to_dict(self) -> dict[str, Any]:
        return {"counts": self.counts, "low": self.low, "high": self.high, "alpha": self.alpha}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CharNgramModel:
        return cls(data["counts"], data["low"], data["high"], data["alpha"])
