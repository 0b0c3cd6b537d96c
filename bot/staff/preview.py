"""The staff page's preview: a question goes through the running bot exactly as a
newcomer's would (NLU, language, dialogue, actions, wording), in a conversation of its own
that is kept in memory only and forgotten afterwards. Nothing is recorded: the actions see
`staff_preview` in the metadata (which no channel accepts from outside) and keep no
unanswered question.

Beside the bubbles it shows what the bot picked: the intent with its confidence, and the
FAQ with its match score (the same function as action_answer_faq) or the nearest service
of the topic from the centre (the same index as action_find_service).
"""

from __future__ import annotations

import copy
import uuid
from dataclasses import dataclass, field
from typing import Any, Optional

from rasa.core.channels.channel import UserMessage
from rasa.core.tracker_store import InMemoryTrackerStore

from bot.answers.faq import INTENT_TOPICS, best_faq_scored
from bot.answers.localise import localise, localise_name
from bot.answers.services import service_index
from bot.channels.rest import LayoutCollectingOutputChannel
from bot.knowledge.repository import KnowledgeRepository
from bot.knowledge.schema import CATEGORIES, Municipality

PREVIEW_KEY = "staff_preview"


@dataclass
class Preview:
    question: str
    language: str = ""
    direction: str = "ltr"
    intent: str = ""
    confidence: float = 0.0
    faq: Optional[str] = None  # the FAQ's first question in the answer's language
    score: float = 0.0
    service: Optional[str] = None
    distance_km: float = 0.0
    bubbles: list[dict[str, Any]] = field(default_factory=list)


async def run(
    agent: Any,
    repository: KnowledgeRepository,
    municipality: Municipality,
    question: str,
    language: Optional[str] = None,
) -> Preview:
    """The bot's answer to `question` in `municipality`, as a newcomer would get it."""
    processor = copy.copy(agent.processor)
    processor.tracker_store = InMemoryTrackerStore(agent.domain)
    output = LayoutCollectingOutputChannel()
    metadata: dict[str, Any] = {"municipality": municipality.id, PREVIEW_KEY: True}
    if language:
        metadata["language"] = language
    sender = f"staff-preview-{uuid.uuid4().hex}"
    await processor.handle_message(
        UserMessage(question, output, sender, input_channel="staff", metadata=metadata)
    )
    tracker = await processor.tracker_store.retrieve(sender)
    parse = tracker.latest_message.parse_data if tracker and tracker.latest_message else {}
    found = Preview(question=question, bubbles=list(output.messages))
    found.language = str(tracker.get_slot("language") or "") if tracker else ""
    first = found.bubbles[0] if found.bubbles else {}
    found.language = str(first.get("language") or found.language or "en")
    found.direction = str(first.get("direction") or "ltr")
    intent = parse.get("intent") or {}
    found.intent = str(intent.get("name") or "")
    found.confidence = float(intent.get("confidence") or 0.0)
    topic = INTENT_TOPICS.get(found.intent) or (tracker.get_slot("topic") if tracker else None)
    _pick(found, repository, municipality, question, topic)
    return found


def _pick(
    found: Preview,
    repository: KnowledgeRepository,
    municipality: Municipality,
    question: str,
    topic: Optional[str],
) -> None:
    official = municipality.languages
    if found.intent in INTENT_TOPICS:
        faqs = repository.faqs(municipality.id)
        candidates = [faq for faq in faqs if faq.topic == topic]
        faq, score = best_faq_scored(candidates, question, found.language, corpus=faqs)
        if faq is not None:
            titles = {code: qs[0] for code, qs in faq.questions.items() if qs}
            found.faq = localise(titles, found.language, official)[0] if titles else faq.id
            found.score = score
    elif found.intent == "find_service" and topic in CATEGORIES:
        index = service_index(repository, municipality.id)
        nearest = index.nearest_for(str(topic), municipality.lat, municipality.lon, found.language)
        if nearest:
            found.service = localise_name(nearest[0].service.name, found.language, official)
            found.distance_km = nearest[0].distance_km
