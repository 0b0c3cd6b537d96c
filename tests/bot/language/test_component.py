"""The Rasa graph component trains, persists, loads and tags messages."""

from pathlib import Path

from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.language.component import DETECTION_KEY, LanguageTagger, example_language


def _example(text: str, intent: str, language: str) -> Message:
    return Message.build(text=text, intent=intent, intent_metadata={"language": language})


def test_train_persist_load_and_process(tmp_path: Path) -> None:
    storage = LocalModelStorage(tmp_path)
    resource = Resource("language_tagger")
    context = ExecutionContext(GraphSchema({}), "test")
    examples = [
        _example("servus, wie gehts", "greet", "de"),
        _example("hallo zusammen", "greet", "de"),
        _example("ciao a tutti", "greet", "it"),
        _example("buongiorno, come va", "greet", "it"),
        _example("English please", "switch_language", "en"),
    ]
    assert example_language(examples[0]) == "de"
    tagger = LanguageTagger.create({}, storage, resource, context)
    tagger.train(TrainingData(examples))
    loaded = LanguageTagger.load({}, storage, resource, context)

    message = Message.build(text="Ich suche eine Wohnung in der Nähe")
    message.set("intent", {"name": "ask_housing", "confidence": 0.9})
    switch = Message.build(text="English please")
    switch.set("intent", {"name": "switch_language", "confidence": 0.9})
    loaded.process([message, switch])

    detection = message.get(DETECTION_KEY)
    assert detection["language"] == "de" and detection["reliable"]
    assert detection["requested"] is None
    assert switch.get(DETECTION_KEY)["requested"] == "en"
    assert DETECTION_KEY in message.as_dict(only_output_properties=True)
