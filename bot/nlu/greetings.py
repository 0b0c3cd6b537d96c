"""A greeting in front of a request ("مرحبا، أبحث عن عمل", "Merhaba, doktor arıyorum").

Newcomers often open with a greeting and the request in one message. A classifier reading
the whole message is pulled to `greet` by the greeting's strong features, so the request is
lost. The greetings are learnt from the `greet` training examples of every language (the
short ones, as the normalised word sequences they are), and the classifier also reads what
follows a greeting on its own (bot/nlu/linear_classifier.py).
"""

from __future__ import annotations

from typing import Iterable, Optional

from bot.text import normalise

MAX_GREETING_WORDS = 3


def greeting_phrases(examples: Iterable[str]) -> set[str]:
    """The normalised greet examples of at most MAX_GREETING_WORDS words."""
    phrases = set()
    for example in examples:
        words = normalise(example).split()
        if 0 < len(words) <= MAX_GREETING_WORDS:
            phrases.add(" ".join(words))
    return phrases


def after_greeting(text: str, phrases: set[str]) -> Optional[str]:
    """What follows a leading greeting, as written; None without a greeting or after it."""
    raw = text.split()
    words = [normalise(token) for token in raw]
    for size in range(min(MAX_GREETING_WORDS, len(raw) - 1), 0, -1):
        head = " ".join(w for w in words[:size] if w)
        if head and head in phrases:
            rest = " ".join(raw[size:]).strip(" ,.;:!?،؛-")
            return rest if normalise(rest) else None
    return None
