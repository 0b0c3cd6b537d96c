"""Intent classifier: TF-IDF character and word n-grams into a linear SVM.

Chosen over DIET by measurement (`make bench`, docs/architecture.md). It featurizes
the raw text itself (no Rasa featurizer needed), trains in seconds on two cores, and is
persisted as JSON and NumPy arrays (no pickle). Confidences are a softmax over the SVM
margins, so FallbackClassifier thresholds apply as usual.

Real messages are not tidy, so the features read three forms of the text: as written
(character and word n-grams), normalised (no accents, unified Arabic-script letters;
optionally with unknown words corrected to the nearest training word, bot/nlu/spelling.py,
off by measurement), and that form in Latin letters (anyascii), so "mne nuzhna rabota" meets
the n-grams of "мне нужна работа".
A greeting in front of a request is read apart (bot/nlu/greetings.py): when what follows
the greeting is a confident request of its own, that request is the message's intent.

A message with too little the model knows (fewer than MIN_EVIDENCE known character n-grams
of three or more characters: "a a a a ...", a run of combining marks, emoji alone) gets
confidence 0, so the FallbackClassifier answers "I did not understand" instead of the
intent the SVM's bias favours.
"""

from __future__ import annotations

import json
from typing import Any, Dict, List, Optional

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from scipy.sparse import hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.svm import LinearSVC

from bot.language.registry import word_prefixes
from bot.nlu.greetings import after_greeting, greeting_phrases
from bot.nlu.spelling import Speller
from bot.text import in_latin_letters, normalise
from bot.tfidf import tfidf

# kind -> (sklearn analyzer, config key of its n-gram range, the form of the text it reads:
# raw; normalised (lower-case, no accents, Arabic-script letter variants unified; with
# `spelling`, unknown words spelled as the nearest known one); latin (that form in Latin
# letters))
_ANALYZERS = {
    "char": ("char_wb", "char_ngram", "raw"),
    "word": ("word", "word_ngram", "raw"),
    "normalised_char": ("char_wb", "char_ngram", "normalised"),
    "latin_char": ("char_wb", "char_ngram", "latin"),
}
_WORD_PATTERN = r"(?u)\b\w+\b"
# A request after a greeting wins when the classifier is at least this sure of it on its own.
REQUEST_AFTER_GREETING = 0.5
MIN_EVIDENCE = 3  # known n-grams (3+ characters), counted in the raw and normalised text
EVIDENCE_NGRAM = 3
MONOTONOUS_LETTERS = 5


def monotonous(text: str) -> bool:
    """Five letters or more made of at most two different ones ("aaaaaaaa", "ababab"): no
    word of any language, though its n-grams may be known."""
    letters = [char for char in text.casefold() if char.isalpha()]
    return len(letters) >= MONOTONOUS_LETTERS and len(set(letters)) <= 2


def _vectorizer(
    kind: str, config: Dict[str, Any], vocabulary: Optional[dict] = None
) -> TfidfVectorizer:
    analyzer, key, _ = _ANALYZERS[kind]
    return TfidfVectorizer(
        analyzer=analyzer,
        ngram_range=tuple(config[key]),
        sublinear_tf=True,
        lowercase=True,
        token_pattern=_WORD_PATTERN,
        vocabulary=vocabulary,
    )


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class LinearIntentClassifier(GraphComponent):
    """TF-IDF n-grams + LinearSVC, one model for every language."""

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {
            "char_ngram": [1, 5],
            "word_ngram": [1, 2],
            "normalised_char": True,
            "latin_char": True,
            "spelling": False,
            "greetings": True,
            # what may follow a greeting as the message's real intent
            "requests_after_greeting": [
                "ask_housing",
                "ask_jobs",
                "ask_schooling",
                "ask_language_courses",
                "ask_healthcare",
                "ask_registration",
                "find_service",
                "ask_privacy",
            ],
            "C": 1.0,
            "temperature": 0.2,
            "ranking_length": 10,
        }

    def __init__(
        self,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        vectorizers: Optional[List[TfidfVectorizer]] = None,
        weights: Optional[np.ndarray] = None,
        bias: Optional[np.ndarray] = None,
        classes: Optional[List[str]] = None,
    ) -> None:
        self._config = {**self.get_default_config(), **config}
        self._storage, self._resource = model_storage, resource
        self._vectorizers = vectorizers or []
        self._idfs: Optional[List[np.ndarray]] = None  # of the fitted vectorizers
        self._weights, self._bias, self._classes = weights, bias, classes or []
        self._evidence_mask: Optional[np.ndarray] = None
        self._speller: Optional[Speller] = None
        self._greetings: set[str] = set()

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> LinearIntentClassifier:
        return cls(config, model_storage, resource)

    def _kinds(self) -> List[str]:
        return [k for k in _ANALYZERS if k in ("char", "word") or self._config.get(k)]

    def _evidence_columns(self) -> np.ndarray:
        """Which feature columns count as evidence: character n-grams of 3+ characters with
        two letters or more (" a " of "a a a a …" is no evidence)."""
        if self._evidence_mask is None:
            masks = []
            for kind, vectorizer in zip(self._kinds(), self._vectorizers):
                mask = np.zeros(len(vectorizer.vocabulary_), dtype=bool)
                if kind != "word":
                    for term, index in vectorizer.vocabulary_.items():
                        letters = sum(char.isalpha() for char in term)
                        mask[index] = len(term) >= EVIDENCE_NGRAM and letters >= 2
                masks.append(mask)
            self._evidence_mask = np.concatenate(masks)
        return self._evidence_mask

    def _evidence(self, features: Any) -> np.ndarray:
        """Per message, how many of its features are known character n-grams (3+)."""
        mask = self._evidence_columns()
        return np.array(
            [
                int(mask[features.indices[features.indptr[row] : features.indptr[row + 1]]].sum())
                for row in range(features.shape[0])
            ]
        )

    def _forms(self, texts: List[str]) -> Dict[str, List[str]]:
        """The texts in each form the analyzers read."""
        normalised = [normalise(text) for text in texts]
        if self._speller is not None:
            normalised = [self._speller.text(text) for text in normalised]
        return {
            "raw": texts,
            "normalised": normalised,
            "latin": [in_latin_letters(text) for text in normalised],
        }

    def _features(self, texts: List[str]) -> Any:
        forms = self._forms(texts)
        if self._idfs is None:
            self._idfs = [np.asarray(v.idf_, dtype=np.float64) for v in self._vectorizers]
        return hstack(
            [
                tfidf(vectorizer, idf, forms[_ANALYZERS[kind][2]])
                for kind, vectorizer, idf in zip(self._kinds(), self._vectorizers, self._idfs)
            ]
        ).tocsr()

    def train(self, training_data: TrainingData) -> Resource:
        examples = [e for e in training_data.intent_examples if e.get(TEXT) and e.get(INTENT)]
        texts = [e.get(TEXT) for e in examples]
        labels = [e.get(INTENT) for e in examples]
        self._vectorizers = [_vectorizer(kind, self._config) for kind in self._kinds()]
        self._evidence_mask = None
        self._speller = None
        self._greetings = set()
        if self._config["greetings"]:
            self._greetings = greeting_phrases(t for t, y in zip(texts, labels) if y == "greet")
        if self._config["spelling"]:
            self._speller = Speller.fit((normalise(text) for text in texts), word_prefixes())
        forms = self._forms(texts)
        for kind, vectorizer in zip(self._kinds(), self._vectorizers):
            vectorizer.fit(forms[_ANALYZERS[kind][2]])
        self._idfs = None
        svm = LinearSVC(C=self._config["C"], random_state=42)
        svm.fit(self._features(texts), labels)
        self._weights, self._bias = svm.coef_.astype(np.float32), svm.intercept_.astype(np.float32)
        self._classes = [str(label) for label in svm.classes_]
        self._persist()
        return self._resource

    def _persist(self) -> None:
        assert self._weights is not None and self._bias is not None
        with self._storage.write_to(self._resource) as directory:
            meta = {
                "kinds": self._kinds(),
                "classes": self._classes,
                "spelling": self._speller.counts if self._speller else None,
                "greetings": sorted(self._greetings),
                "vocabularies": [
                    {term: int(index) for term, index in v.vocabulary_.items()}
                    for v in self._vectorizers
                ],
            }
            (directory / "meta.json").write_text(json.dumps(meta, ensure_ascii=False), "utf-8")
            arrays = {f"idf{i}": v.idf_ for i, v in enumerate(self._vectorizers)}
            np.savez_compressed(
                directory / "arrays.npz", weights=self._weights, bias=self._bias, **arrays
            )

    @classmethod
    def load(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> LinearIntentClassifier:
        merged = {**cls.get_default_config(), **config}
        try:
            with model_storage.read_from(resource) as directory:
                meta = json.loads((directory / "meta.json").read_text("utf-8"))
                arrays = np.load(directory / "arrays.npz", allow_pickle=False)
                vectorizers = []
                kinds = meta.get("kinds", ["char", "word"])
                for optional in ("normalised_char", "latin_char"):
                    merged[optional] = optional in kinds
                for i, (kind, vocabulary) in enumerate(zip(kinds, meta["vocabularies"])):
                    vectorizer = _vectorizer(kind, merged, vocabulary)
                    vectorizer.idf_ = arrays[f"idf{i}"]
                    vectorizers.append(vectorizer)
                classifier = cls(
                    merged,
                    model_storage,
                    resource,
                    vectorizers,
                    arrays["weights"],
                    arrays["bias"],
                    meta["classes"],
                )
                if meta.get("spelling"):
                    classifier._speller = Speller(meta["spelling"], word_prefixes())
                classifier._greetings = set(meta.get("greetings") or ())
                return classifier
        except (ValueError, FileNotFoundError):
            return cls(config, model_storage, resource)

    def _scores(self, features: Any) -> np.ndarray:
        """SVM margins, reading only the weight columns of the features a message has (a
        message has a few hundred of ~200,000; `features @ weights.T` copied them all)."""
        assert self._weights is not None and self._bias is not None
        scores = np.tile(self._bias.astype(np.float64), (features.shape[0], 1))
        for row in range(features.shape[0]):
            start, end = features.indptr[row], features.indptr[row + 1]
            columns = features.indices[start:end]
            scores[row] += self._weights[:, columns] @ features.data[start:end]
        return scores

    def _probabilities(self, texts: List[str]) -> np.ndarray:
        """Softmax over the tempered margins; all zero without enough evidence."""
        features = self._features(texts).tocsr()
        scores = self._scores(features) / self._config["temperature"]
        scores -= scores.max(axis=1, keepdims=True)
        probabilities = np.exp(scores)
        probabilities /= probabilities.sum(axis=1, keepdims=True)
        probabilities[self._evidence(features) < MIN_EVIDENCE] = 0.0  # nothing to go on
        probabilities[[monotonous(text) for text in texts]] = 0.0  # "aaaaaaaa", "hahaha"
        return probabilities

    def _requests_after_greetings(self, texts: List[str], probabilities: np.ndarray) -> None:
        """Where a greeting opens the message and what follows is, on its own, confidently
        a request (`requests_after_greeting`: a topic, a place, privacy; not "are you a
        bot?" or "I am new here", which still make a greeting), take that request's
        probabilities (in place)."""
        found = {i: after_greeting(t, self._greetings) for i, t in enumerate(texts)}
        rests: Dict[int, str] = {i: rest for i, rest in found.items() if rest}
        if not rests:
            return
        requests = set(self._config["requests_after_greeting"])
        for i, row in zip(rests, self._probabilities(list(rests.values()))):
            best = int(np.argmax(row))
            if self._classes[best] in requests and row[best] >= REQUEST_AFTER_GREETING:
                probabilities[i] = row

    def process(self, messages: List[Message]) -> List[Message]:
        if self._weights is None or not messages:
            return messages
        texts = [m.get(TEXT) or "" for m in messages]
        probabilities = self._probabilities(texts)
        if self._greetings:
            self._requests_after_greetings(texts, probabilities)
        for message, row in zip(messages, probabilities):
            order = np.argsort(-row)[: self._config["ranking_length"]]
            ranking = [{"name": self._classes[i], "confidence": float(row[i])} for i in order]
            message.set(INTENT, ranking[0], add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        return messages
