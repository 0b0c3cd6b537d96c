"""Rasa graph component that tags every message with its detected language.

Registered in config.yml after the intent classifier. It learns a chat-style n-gram model
from the NLU examples (each intent block carries `metadata: {language: xx}`), and writes
`language_detection` = {language, confidence, reliable, requested} into the parse data.
`requested` is set when the message asks for a language ("English please"). The
conversation-level decision is taken by `bot.language.conversation`.
"""

from __future__ import annotations

import json
import logging
from typing import Any, Dict, List, Optional

from anyascii import anyascii
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.language.detector import LanguageDetector
from bot.language.ngram import CharNgramModel
from bot.language.registry import settings
from bot.language.requests import requested_language

logger = logging.getLogger(__name__)

DETECTION_KEY = "language_detection"
SWITCH_INTENT = "switch_language"
_MODEL_FILE = "ngram_model.json"
# "English please" switches only when the classifier is this sure it is such a request: "I do
# not understand German well, which documents…" names a language without asking for it.
REQUEST_CONFIDENCE = 0.5


def with_latin_spellings(texts: List[str], labels: List[str]) -> tuple[List[str], List[str]]:
    """The examples plus, for languages people also type in Latin letters (a second script
    `latin` in languages.yml: Russian, Ukrainian), each non-Latin example transliterated,
    so the n-gram model knows "mne nuzhna rabota" as Russian."""
    romanised = {lang.code for lang in settings().languages if "latin" in lang.scripts[1:]}
    extra = [
        (anyascii(text), label)
        for text, label in zip(texts, labels)
        if label in romanised and not text.isascii()
    ]
    return texts + [t for t, _ in extra], labels + [lab for _, lab in extra]


def example_language(message: Message) -> Optional[str]:
    """The language an NLU training example is labelled with (intent-block metadata)."""
    metadata = message.get("metadata") or {}
    for scope in ("example", "intent"):
        language = (metadata.get(scope) or {}).get("language")
        if language:
            return str(language)
    return None


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class LanguageTagger(GraphComponent):
    """Adds `language_detection` to each parsed message."""

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {
            "threshold": 0.75,
            "min_letters": 2,
            "weights": {"ngram": 1.0, "lingua": 1.0, "langdetect": 0.0},
        }

    def __init__(
        self,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        ngram_model: Optional[CharNgramModel] = None,
    ) -> None:
        self._config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self._detector = LanguageDetector(
            ngram_model=ngram_model,
            weights=self._config["weights"],
            threshold=self._config["threshold"],
            min_letters=self._config["min_letters"],
        )

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> LanguageTagger:
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        texts, labels = [], []
        for example in training_data.intent_examples:
            language = example_language(example)
            if language and example.get(TEXT):
                texts.append(example.get(TEXT))
                labels.append(language)
        if not texts:
            logger.warning("No NLU example carries metadata.language; n-gram model not trained.")
        texts, labels = with_latin_spellings(texts, labels)
        model = CharNgramModel.fit(texts, labels)
        with self._model_storage.write_to(self._resource) as directory:
            (directory / _MODEL_FILE).write_text(json.dumps(model.to_dict()), encoding="utf-8")
        return self._resource

    @classmethod
    def load(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> LanguageTagger:
        try:
            with model_storage.read_from(resource) as directory:
                data = json.loads((directory / _MODEL_FILE).read_text(encoding="utf-8"))
            model: Optional[CharNgramModel] = CharNgramModel.from_dict(data)
        except (ValueError, FileNotFoundError):
            logger.warning("No trained n-gram language model found; using lingua only.")
            model = None
        return cls(config, model_storage, resource, ngram_model=model)

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            detection = self._detector.detect(text).as_dict()
            intent = message.get(INTENT) or {}
            asked = intent.get("name") == SWITCH_INTENT
            sure = float(intent.get("confidence") or 0.0) >= REQUEST_CONFIDENCE
            detection["requested"] = requested_language(text) if asked and sure else None
            message.set(DETECTION_KEY, detection, add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data
