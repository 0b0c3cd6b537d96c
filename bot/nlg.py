"""Natural language generation in the conversation's language.

Configured in endpoints.yml (`nlg: type: bot.nlg.MultilingualNLG`). Picks the wording of
the conversation's language from bot/locales/<code>.yml and fills it like Rasa's own
templated generator. Replies carry `language` and `direction` so channels can lay out
right-to-left text.
"""

from __future__ import annotations

from typing import Any, Optional

from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from bot.dialogue.unsure import likely_buttons
from bot.language.conversation import next_language
from bot.language.registry import settings
from bot.locales.catalog import localised_responses
from bot.locales.elision import elided

DETECTION_KEY = "language_detection"
UNSURE_RESPONSE = "utter_unsure"


def tracker_language(tracker: DialogueStateTracker) -> str:
    """The language to answer in: the `language` slot, else what the last message shows."""
    message = tracker.latest_message
    parse_data = message.parse_data if message else {}
    metadata = message.metadata if message else {}
    return next_language(
        current=tracker.get_slot("language"),
        detection=None if tracker.get_slot("language") else parse_data.get(DETECTION_KEY),
        hint=(metadata or {}).get("language"),
    )


class MultilingualNLG(TemplatedNaturalLanguageGenerator):
    """One templated generator per supported language.

    It subclasses Rasa's templated generator because Rasa builds the NLG before it loads a
    model and then assigns the model's `responses` only to templated generators; the
    setter below rebuilds the per-language catalogs when that happens.
    """

    def __init__(
        self, endpoint_config: Optional[EndpointConfig] = None, domain: Optional[Domain] = None
    ) -> None:
        self._generators: dict[str, TemplatedNaturalLanguageGenerator] = {}
        super().__init__((domain or Domain.empty()).responses)

    @property
    def responses(self) -> dict[str, Any]:
        return self._reference

    @responses.setter
    def responses(self, reference: dict[str, Any]) -> None:
        self._reference = reference
        self._generators = {
            code: TemplatedNaturalLanguageGenerator(localised_responses(reference, code))
            for code in settings().codes
        }

    def generator_for(self, language: str) -> TemplatedNaturalLanguageGenerator:
        return self._generators.get(language) or self._generators[settings().default]

    async def generate(
        self,
        utter_action: str,
        tracker: DialogueStateTracker,
        output_channel: str,
        **kwargs: Any,
    ) -> Optional[dict[str, Any]]:
        language = tracker_language(tracker)
        response = self.generator_for(language).generate_from_slots(
            utter_action, tracker.current_slot_values(), output_channel, **kwargs
        )
        if response is not None and utter_action == UNSURE_RESPONSE and response.get("buttons"):
            ranking = (tracker.latest_message.parse_data if tracker.latest_message else {}).get(
                "intent_ranking"
            )
            response["buttons"] = likely_buttons(response["buttons"], ranking or [])
        if response is not None:
            if isinstance(response.get("text"), str):
                response["text"] = elided(response["text"], language)
            entry = settings().get(language)
            response["language"] = language
            response["direction"] = entry.direction if entry else "ltr"
        return response
