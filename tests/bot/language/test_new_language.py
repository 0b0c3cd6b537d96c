"""docs/adding-a-language.md, followed to the letter: an eleventh language (Croatian) from
fixture files only (tests/data/new_language/), with no change to any code.

The recipe's files are laid into a copy of the project's language files; the code then
reads that copy. Every part that depends on the language list must take Croatian up: the
data check, script candidates, detection, explicit requests ("na hrvatskom"), wording,
service words, town names with Croatian endings, and intent classification.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Iterator

import pytest
import yaml
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.core.domain import Domain
from rasa.shared.nlu.training_data.loading import load_data
from rasa.shared.nlu.training_data.message import Message

from bot import PROJECT_DIR
from bot.answers import categories, municipality, wordlists
from bot.knowledge.loader import load_paths
from bot.language import datacheck, detector, registry, scripts
from bot.language.component import example_language
from bot.language.ngram import CharNgramModel
from bot.language.requests import requested_language
from bot.locales import catalog
from bot.nlu.linear_classifier import LinearIntentClassifier
from tests.conftest import SAMPLE_KNOWLEDGE

FIXTURES = PROJECT_DIR / "tests" / "data" / "new_language"


def _clear_caches() -> None:
    for cached in (
        registry.settings,
        catalog.load_catalog,
        catalog.language_name_index,
        wordlists.entries,
        wordlists.latin_entries,
        municipality._affixes,
        detector._lingua_detector,
    ):
        cached.cache_clear()


def _lay_out(root: Path) -> None:
    """The project's language files plus Croatian, as the recipe adds it."""
    shutil.copytree(PROJECT_DIR / "bot" / "locales", root / "bot" / "locales")
    shutil.copytree(PROJECT_DIR / "data" / "nlu", root / "data" / "nlu")
    shutil.copytree(PROJECT_DIR / "tests" / "data" / "nlu", root / "tests" / "data" / "nlu")
    shutil.copy(PROJECT_DIR / "domain.yml", root / "domain.yml")
    locales = root / "bot" / "locales"
    # step 1: one line in languages.yml, and the catalog, service words and examples
    with (locales / "languages.yml").open("a", encoding="utf-8") as languages:
        entry = (FIXTURES / "languages-entry.yml").read_text(encoding="utf-8")
        languages.write("".join(f"  {line}\n" for line in entry.splitlines() if line.strip()))
    shutil.copy(FIXTURES / "hr.yml", locales / "hr.yml")
    shutil.copy(FIXTURES / "categories-hr.yml", locales / "categories" / "hr.yml")
    shutil.copy(FIXTURES / "staff-hr.yml", locales / "staff" / "hr.yml")
    shutil.copy(FIXTURES / "nlu-hr.yml", root / "data" / "nlu" / "hr.yml")
    shutil.copy(FIXTURES / "heldout-hr.yml", root / "tests" / "data" / "nlu" / "hr.yml")
    # ... and how the other languages name Croatian, in their catalogs
    names = yaml.safe_load((FIXTURES / "language-names-hr.yml").read_text(encoding="utf-8"))
    for code, spellings in names.items():
        path = locales / f"{code}.yml"
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data["language_names"]["hr"] = spellings
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    root = tmp_path_factory.mktemp("eleven")
    _lay_out(root)
    with pytest.MonkeyPatch.context() as patch:
        locales = root / "bot" / "locales"
        patch.setattr(registry, "LANGUAGES_FILE", locales / "languages.yml")
        patch.setattr(catalog, "CATALOG_DIR", locales)
        patch.setattr(datacheck, "ROOT", root)
        _clear_caches()
        yield root
    _clear_caches()


def test_croatian_is_supported_and_its_data_complete(project: Path) -> None:
    assert registry.supported_codes()[-1] == "hr"
    assert datacheck.check("hr") == []
    assert datacheck.check("de") == []  # the other languages stay complete


def test_croatian_letters_and_detection(project: Path) -> None:
    assert "hr" in scripts.candidates("gdje je najbliža ljekarna", registry.supported_codes())
    texts, labels = [], []
    for example in load_data(str(project / "data" / "nlu")).intent_examples:
        language = example_language(example)
        if language:
            texts.append(example.get("text"))
            labels.append(language)
    found = detector.LanguageDetector(ngram_model=CharNgramModel.fit(texts, labels))
    held_out = _examples(project / "tests" / "data" / "nlu" / "hr.yml")
    detected = [found.detect(text).language for text, _ in held_out]
    assert detected.count("hr") / len(detected) >= 0.85


def test_croatian_wording_requests_words_and_towns(project: Path) -> None:
    domain = Domain.load(PROJECT_DIR / "domain.yml")
    greeting = catalog.localised_responses(domain.responses, "hr")["utter_greet"][0]
    assert greeting["text"] == catalog.load_catalog("hr")["responses"]["utter_greet"][0]["text"]
    assert greeting["buttons"][0]["payload"] == "/ask_housing"
    assert requested_language("možeš li na hrvatskom") == "hr"
    assert categories.category_in_text("gdje je najbliža ljekarna", "hr") == "pharmacy"
    towns = load_paths([SAMPLE_KNOWLEDGE]).municipalities
    found = municipality.find_municipality("živim u Dornbirnu", towns)
    assert found is not None and found.id == "dornbirn"


def test_croatian_requests_are_understood(project: Path, tmp_path: Path) -> None:
    """The classifier learns Croatian from its examples alone (here beside English only, to
    keep the test quick)."""
    data = load_data(str(project / "data" / "nlu" / "hr.yml")).merge(
        load_data(str(project / "data" / "nlu" / "en.yml"))
    )
    context = ExecutionContext(GraphSchema({}), "test")
    classifier = LinearIntentClassifier.create(
        {}, LocalModelStorage(tmp_path), Resource("intent"), context
    )
    classifier.train(data)
    held_out = _examples(project / "tests" / "data" / "nlu" / "hr.yml")
    messages = [Message.build(text=text) for text, _ in held_out]
    classifier.process(messages)
    right = [m.get("intent")["name"] == intent for m, (_, intent) in zip(messages, held_out)]
    assert sum(right) / len(right) >= 0.85


def _examples(path: Path) -> list[tuple[str, str]]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [
        (line[2:].strip(), block["intent"])
        for block in raw["nlu"]
        for line in block["examples"].splitlines()
        if line.strip().startswith("- ")
    ]
