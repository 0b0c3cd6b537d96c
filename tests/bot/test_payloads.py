"""Every button payload the bot can send fits Telegram's callback_data (64 bytes), so a
keyboard is never replaced by numbered choices for want of room: the responses' buttons,
the municipality, FAQ, language, feedback and counter-card buttons of the sample
municipalities, and the longest ids the validator lets through."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

import yaml

from actions.common import municipality_buttons
from actions.faq import faq_buttons
from actions.feedback import _payload as feedback_payload
from bot import PROJECT_DIR
from bot.answers.service_answer import card_payload
from bot.knowledge.db import make_engine
from bot.knowledge.repository import KnowledgeRepository
from bot.knowledge.schema import MAX_FAQ_ID, MAX_MUNICIPALITY_ID, Faq, Municipality
from bot.knowledge.sync import sync
from bot.language.registry import settings, supported_codes
from bot.staff import feedback

LIMIT = 64  # bytes of Telegram's callback_data


def _domain_payloads() -> Iterator[str]:
    """The buttons of domain.yml's responses (the catalogs give only their titles)."""
    domain = yaml.safe_load((PROJECT_DIR / "domain.yml").read_text(encoding="utf-8"))
    for variants in domain["responses"].values():
        for variant in variants:
            for button in variant.get("buttons") or []:
                yield str(button["payload"])


def _knowledge_payloads(repository: KnowledgeRepository) -> Iterator[str]:
    for code in supported_codes():
        yield from (b["payload"] for b in municipality_buttons(repository, code))
    for municipality in repository.municipalities():
        faqs = repository.faqs(municipality.id)
        yield from (b["payload"] for b in faq_buttons(faqs, "en", municipality.languages))
        for faq in faqs:
            for value in ("yes", "no"):
                yield feedback_payload(value, feedback.token("faq", faq.id))
        for service in repository.services(municipality.id):
            yield card_payload(service.id)
            for value in ("yes", "no"):
                yield feedback_payload(value, feedback.token("service", service.id))
    yield from (
        "/switch_language" + f'{{"language": "{lang.code}"}}' for lang in settings().languages
    )


def _too_long(payloads: Iterator[str]) -> list[tuple[int, str]]:
    return [(len(p.encode()), p) for p in payloads if len(p.encode()) > LIMIT]


def test_every_payload_of_the_responses_fits() -> None:
    payloads = list(_domain_payloads())
    assert payloads, "the responses have buttons"
    assert _too_long(iter(payloads)) == []


def test_every_payload_of_the_sample_municipalities_fits(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'kb.db'}")
    assert sync(engine, [PROJECT_DIR / "knowledge" / "municipalities"]).ok
    payloads = list(_knowledge_payloads(KnowledgeRepository(engine)))
    assert len(payloads) > 100
    assert _too_long(iter(payloads)) == []


def test_the_longest_ids_the_validator_allows_still_fit() -> None:
    town = "t" * MAX_MUNICIPALITY_ID
    municipality: Any = type("M", (), {"id": town, "name": {"en": "T"}, "languages": ["en"]})
    repository: Any = type("R", (), {"municipalities": lambda self: [municipality]})()
    payloads = [b["payload"] for b in municipality_buttons(repository, "en")]
    longest_faq = Faq.parse_obj(
        {"id": "f" * MAX_FAQ_ID, "topic": "language_courses", "answer": {"en": "x"}}
    )
    payloads += [b["payload"] for b in faq_buttons([longest_faq], "en", ["en"])]
    assert [len(p.encode()) for p in payloads] == [LIMIT, LIMIT]
    assert Municipality.__fields__["id"] and Faq.__fields__["id"]
