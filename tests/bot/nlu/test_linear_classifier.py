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


@pytest.mark.parametrize("text", ["a " * 1000, "\u0301" * 300, "👍", "?", "zzz qqq"])
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
