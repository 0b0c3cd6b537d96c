"""A card to show at the counter: what the person came for, in their language and in the
municipality's, with the service's name as on its door and its address."""

from __future__ import annotations

from dataclasses import dataclass

from bot.answers.bidi import isolate, right_to_left
from bot.answers.categories import topic_of
from bot.answers.localise import localise_name
from bot.knowledge.schema import TOPICS, Municipality, Service
from bot.locales.catalog import phrase

# Kinds of service with their own sentence (card_purpose_<kind> in the catalogs).
PURPOSES = (
    "registration",
    "pharmacy",
    "legal_aid",
    "interpreting",
    "welcome_event",
    "housing",
    "jobs",
    "schooling",
    "language_courses",
    "healthcare",
)


def purpose_of(service: Service) -> str:
    """The sentence key for what one comes to this service for: a finer kind first
    (pharmacy before healthcare), then a topic; `default` if none fits."""
    for category in service.categories:
        if category in PURPOSES and category not in TOPICS:
            return category
    for category in service.categories:
        topic = topic_of(category)
        if topic in PURPOSES:
            return str(topic)
    return "default"


@dataclass(frozen=True)
class CardSide:
    language: str
    direction: str
    purpose: str


@dataclass(frozen=True)
class CounterCard:
    hint: str  # "Show this screen at the counter." in the person's language
    sides: tuple[CardSide, ...]  # the person's language first, then the official ones
    name: str
    address: str

    def as_text(self, language: str) -> str:
        """The card as one plain message (Telegram, text-only clients)."""
        lines = [self.hint, "", *(side.purpose for side in self.sides), ""]
        lines += [isolate(self.name, language), isolate(self.address, language)]
        return "\n".join(lines)

    def as_data(self) -> dict[str, object]:
        """The card for the widget, which prints it large, each side in its direction."""
        return {
            "sides": [
                {"lang": s.language, "dir": s.direction, "text": s.purpose} for s in self.sides
            ],
            "name": self.name,
            "address": self.address,
        }


def counter_card(service: Service, municipality: Municipality, language: str) -> CounterCard:
    key = f"card_purpose_{purpose_of(service)}"
    local = municipality.languages[0]
    codes = dict.fromkeys([language, *municipality.languages])  # Bozen: Italian and German
    sides = tuple(
        CardSide(code, "rtl" if right_to_left(code) else "ltr", phrase(code, key)) for code in codes
    )
    door = localise_name(service.name, local, municipality.languages)
    return CounterCard(phrase(language, "card_hint"), sides, door, service.address)
