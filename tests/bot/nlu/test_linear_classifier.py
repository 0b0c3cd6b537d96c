"""The linear intent classifier trains, persists without pickle, loads and ranks intents."""

from pathlib import Path

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.linear_classifier import LinearIntentClassifier

EXAMPLES = {
    "greet": ["hallo", "hello there", "ciao a tutti", "привіт", "buongiorno"],
    "ask_housing": [
        "wohnung gesucht",
        "i need a flat",
        "cerco casa",
        "шукаю квартиру",
        "flat to rent",
    ],
    "ask_jobs": ["ich suche arbeit", "looking for a job", "cerco lavoro", "шукаю роботу", "job"],
}


def test_train_persist_load_and_rank(tmp_path: Path) -> None:
    storage = LocalModelStorage(tmp_path)
    resource = Resource("intent")
    context = ExecutionContext(GraphSchema({}), "test")
    data = TrainingData([Message.build(text=t, intent=i) for i, ts in EXAMPLES.items() for t in ts])
    LinearIntentClassifier.create({}, storage, resource, context).train(data)
    assert not list((tmp_path / resource.name).glob("*.pkl"))
    loaded = LinearIntentClassifier.load({}, storage, resource, context)

    messages = [Message.build(text="suche eine wohnung"), Message.build(text="a job please")]
    loaded.process(messages)
    assert messages[0].get("intent")["name"] == "ask_housing"
    assert messages[1].get("intent")["name"] == "ask_jobs"
    ranking = messages[0].get("intent_ranking")
    assert ranking[0]["name"] == "ask_housing"
    assert sum(r["confidence"] for r in ranking) == pytest.approx(1.0)


@pytest.mark.parametrize(
    "text", ["a " * 1000, "\u0301" * 300, "👍", "?", "zzz qqq", "aaaaaaaaaaaa", "abababab"]
)
def test_a_message_with_nothing_known_gets_no_confidence(tmp_path: Path, text: str) -> None:
    """Without known features the SVM's bias alone would pick an intent ("a a a" was read
    as goodbye); confidence 0 lets the FallbackClassifier answer instead."""
    storage = LocalModelStorage(tmp_path)
    resource = Resource("intent")
    context = ExecutionContext(GraphSchema({}), "test")
    data = TrainingData([Message.build(text=t, intent=i) for i, ts in EXAMPLES.items() for t in ts])
    classifier = LinearIntentClassifier.create({}, storage, resource, context)
    classifier.train(data)
    messages = [Message.build(text=text), Message.build(text="cerco lavoro")]
    classifier.process(messages)
    assert messages[0].get("intent")["confidence"] == 0.0
    assert messages[1].get("intent")["name"] == "ask_jobs"
    assert messages[1].get("intent")["confidence"] > 0.4


REAL_WORLD = {
    "greet": ["hallo", "merhaba", "buongiorno", "hello", "привет", "guten tag"],
    "ask_jobs": [
        "ich suche arbeit",
        "iş arıyorum",
        "cerco lavoro",
        "looking for a job",
        "мне нужна работа",
        "arbeit gesucht",
    ],
    "ask_housing": [
        "ich suche eine wohnung",
        "ev arıyorum",
        "cerco casa",
        "i need a flat",
        "ищу квартиру",
        "wohnung gesucht",
    ],
}


def _trained(tmp_path: Path, config: dict | None = None) -> LinearIntentClassifier:
    storage = LocalModelStorage(tmp_path)
    resource = Resource("intent")
    context = ExecutionContext(GraphSchema({}), "test")
    data = TrainingData(
        [Message.build(text=t, intent=i) for i, ts in REAL_WORLD.items() for t in ts]
    )
    LinearIntentClassifier.create(config or {}, storage, resource, context).train(data)
    return LinearIntentClassifier.load(config or {}, storage, resource, context)


def _intent(classifier: LinearIntentClassifier, text: str) -> str:
    message = Message.build(text=text)
    classifier.process([message])
    return str(message.get("intent")["name"])


def _ranking(classifier: LinearIntentClassifier, text: str) -> list:
    message = Message.build(text=text)
    classifier.process([message])
    return list(message.get("intent_ranking"))


def test_a_request_after_a_greeting_is_read_on_its_own(tmp_path: Path) -> None:
    classifier = _trained(tmp_path)
    assert _ranking(classifier, "Merhaba, iş arıyorum") == _ranking(classifier, "iş arıyorum")
    assert _intent(classifier, "hallo, ich suche eine wohnung") == "ask_housing"
    assert _intent(classifier, "hallo") == "greet"
    (tmp_path / "plain").mkdir()
    without = _trained(tmp_path / "plain", {"greetings": False})
    assert _ranking(without, "Merhaba, iş arıyorum") != _ranking(without, "iş arıyorum")


def test_spelling_option_reads_unknown_words_as_the_nearest_training_word(
    tmp_path: Path,
) -> None:
    classifier = _trained(tmp_path, {"spelling": True})
    assert classifier._forms(["ich suche arbiet"])["normalised"] == ["ich suche arbeit"]
    (tmp_path / "plain").mkdir()
    plain = _trained(tmp_path / "plain")  # off by default: no measurable gain
    assert plain._forms(["ich suche arbiet"])["normalised"] == ["ich suche arbiet"]
    assert _intent(classifier, "ich suche arbiet") == "ask_jobs"
    assert _intent(classifier, "is ariyorum") == "ask_jobs"  # no ş, no ı


def test_russian_in_latin_letters_meets_its_cyrillic_examples(tmp_path: Path) -> None:
    classifier = _trained(tmp_path)
    assert _intent(classifier, "nuzhna rabota") == "ask_jobs"
    assert _intent(classifier, "ishchu kvartiru") == "ask_housing"
    (tmp_path / "plain").mkdir()
    without = _trained(tmp_path / "plain", {"latin_char": False})
    assert _ranking(without, "nuzhna rabota")[0]["confidence"] == 0.0  # nothing known


def test_tfidf_is_sklearns_transform() -> None:
    from bot.nlu.linear_classifier import _vectorizer
    from bot.tfidf import tfidf

    texts = ["wo finde ich einen deutschkurs", "cerco lavoro a bolzano", "где врач", "merhaba"]
    config = {"char_ngram": [1, 5], "word_ngram": [1, 2]}
    for kind in ("char", "word"):
        vectorizer = _vectorizer(kind, config).fit(texts)
        ours = tfidf(vectorizer, vectorizer.idf_, ["ich finde lavoro", "врач где", "zzz"])
        theirs = vectorizer.transform(["ich finde lavoro", "врач где", "zzz"])
        assert ours.shape == theirs.shape and ours.nnz == theirs.nnz
        assert abs(ours - theirs).max() < 1e-12
