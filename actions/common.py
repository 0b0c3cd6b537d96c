"""What every action shares: the knowledge repository, the conversation's language and
municipality, and a polite message when a dependency fails."""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from functools import cache
from typing import Any, Callable, Dict, List, Optional

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from bot.answers.categories import category_in_text
from bot.answers.faq import INTENT_TOPICS, likeliest_of
from bot.answers.filters import filters_in_text, without_filters
from bot.answers.localise import localise
from bot.answers.municipality import find_municipality
from bot.knowledge.db import shared_engine
from bot.knowledge.repository import KnowledgeRepository, recheck_from_environment
from bot.knowledge.schema import Municipality
from bot.language.conversation import next_language
from bot.staff.unanswered import record

logger = logging.getLogger(__name__)

RepositoryFactory = Callable[[], KnowledgeRepository]


# Read when the action server starts, so that a wrong value stops it there, naming it.
RECHECK_SECONDS = recheck_from_environment()


@cache
def _repository_for(engine: Engine) -> KnowledgeRepository:
    """One repository per database and process, shared by every action: one copy of each
    municipality's content, its hash read once a second however many actions answer."""
    return KnowledgeRepository(engine, RECHECK_SECONDS)


def default_repository() -> KnowledgeRepository:
    return _repository_for(shared_engine())


def metadata_of(tracker: Tracker) -> Dict[str, Any]:
    return dict((tracker.latest_message or {}).get("metadata") or {})


def language_of(tracker: Tracker) -> str:
    """The language of the reply: the `language` slot, which bot.dialogue.ContextPolicy sets
    after every user message before any action runs; decided here only if it is empty."""
    detection = (
        None if tracker.get_slot("language") else tracker.latest_message.get("language_detection")
    )
    return next_language(
        tracker.get_slot("language"), detection, metadata_of(tracker).get("language")
    )


# Intents of a message that answers "which municipality?" (or that the bot did not
# understand) rather than asking something itself.
NOT_A_REQUEST = ("choose_municipality", "nlu_fallback")


# What each request intent's answer is; a message naming a town may carry one of them.
REQUEST_ACTIONS = {
    **{intent: "action_answer_faq" for intent in INTENT_TOPICS},
    "find_service": "action_find_service",
    "human_handoff": "action_human_handoff",
}
ACTION_OF = {**REQUEST_ACTIONS, "follow_up": "action_answer_faq"}
IMPLIED = 0.2  # a request intent this likely beside "names a municipality" is meant too
MIN_WORDS_FOR_REQUEST = 4  # "abito a kranj" is only a place; a request needs more words


def implied_request(message: Dict[str, Any]) -> Optional[str]:
    """A request intent a message that names a municipality also carries ("gibt es in
    Bozen günstige Wohnungen?"): the likeliest one in its ranking, if likely enough."""
    if len(str(message.get("text") or "").split()) < MIN_WORDS_FOR_REQUEST:
        return None
    return likeliest_of(message, REQUEST_ACTIONS, IMPLIED)


# Intents that go along with a request rather than compete with it: "and for work?" is
# both a follow-up and about work, "in Bozen eine Wohnung?" both a place and about housing.
COMPANIONS = ("follow_up", "choose_municipality")
FOLLOW_UP = "follow_up"
LIKELY_FOLLOW_UP = 0.3


def resolve_unsure(message: Dict[str, Any], has_topic: bool) -> Optional[str]:
    """The intent to act on for a message the classifier was unsure about, when context
    settles it: a request torn only with a companion intent (the request), or, after an
    answer on a topic, a likely follow-up. None: the bot should say it is unsure."""
    ranking = [e for e in message.get("intent_ranking") or [] if e.get("name") != "nlu_fallback"]
    top = [(str(e.get("name")), float(e.get("confidence") or 0.0)) for e in ranking[:2]]
    names = {name for name, _ in top}
    for name, confidence in top:
        if name in REQUEST_ACTIONS and confidence >= IMPLIED and names - {name} <= set(COMPANIONS):
            return name
    if has_topic and top and top[0][0] == FOLLOW_UP and top[0][1] >= LIKELY_FOLLOW_UP:
        return FOLLOW_UP
    return None


def request_message(tracker: Tracker) -> Dict[str, Any]:
    """The message a knowledge action answers: the latest one; when that names a place and
    also carries a request, or was unclear but settled by context (`resolve_unsure`), with
    that intent; when it only named the municipality the bot had asked for, the request
    before it."""
    latest = tracker.latest_message or {}
    name = (latest.get("intent") or {}).get("name")
    if name not in NOT_A_REQUEST:
        return latest
    implied = implied_request(latest) if name == "choose_municipality" else None
    implied = implied or (
        resolve_unsure(latest, bool(tracker.get_slot("topic"))) if name == "nlu_fallback" else None
    )
    if implied is not None:
        return {**latest, "intent": {"name": implied}}
    users = [e for e in tracker.events if e.get("event") == "user"]
    for event in reversed(users[:-1]):
        if (event.get("parse_data") or {}).get("intent", {}).get("name") not in NOT_A_REQUEST:
            return dict(event.get("parse_data") or {}, text=event.get("text"))
    return latest


LISTED_PLACE = "utter_service_item"  # one place of a list of places
MAX_REFINED = 5  # requests a list of places is narrowed from, at most


def narrowed_requests(tracker: Tracker, language: str) -> List[str]:
    """When the message is a filter on its own ("in the evening?", "and free?") and the
    previous answer listed places: the requests of that list (`listed_requests`), which the
    message narrows. Else []."""
    said = str(request_message(tracker).get("text") or "")
    if not filters_in_text(said, language) or category_in_text(
        without_filters(said, language), language
    ):
        return []
    return listed_requests(tracker, language)


def listed_requests(tracker: Tracker, language: str) -> List[str]:
    """When the previous answer listed places: the requests of that list, latest first.
    Going back, each answer must have listed places too, and the search that started it (a
    message naming a kind of place) is the last one taken, as far as the recent events the
    tracker store gives reach. Else []."""
    texts: List[str] = []
    listed = answered = False
    for event in reversed(tracker.events):
        kind = event.get("event")
        if kind == "bot" and answered:
            listed = listed or (event.get("metadata") or {}).get("utter_action") == LISTED_PLACE
        if kind != "user":
            continue
        if not answered:  # the message being answered now
            answered = True
            continue
        text = str(event.get("text") or "")
        if not listed or len(texts) == MAX_REFINED:
            break
        texts.append(text)
        if category_in_text(without_filters(text, language), language) is not None:
            break
        listed = False
    return texts


def answer_pending(tracker: Tracker, municipality_id: str) -> List[Dict[str, Any]]:
    """Events that set the municipality and, if a request was waiting for it, answer it."""
    events: List[Dict[str, Any]] = [SlotSet("municipality", municipality_id)]
    pending = tracker.get_slot("pending")
    if pending:
        events += [SlotSet("pending", None), FollowupAction(str(pending))]
    return events


def municipality_name(municipality: Municipality, language: str) -> str:
    return localise(municipality.name, language, municipality.languages)[0]


def municipality_buttons(repository: KnowledgeRepository, language: str) -> List[Dict[str, str]]:
    """One button per known municipality, named in the user's language."""
    return [
        {
            "title": municipality_name(m, language),
            "payload": f'/choose_municipality{{"municipality": "{m.id}"}}',
        }
        for m in repository.municipalities()
    ]


class KnowledgeAction(Action, ABC):
    """An action that reads the knowledge base and degrades politely when it cannot."""

    _failing = False  # shared by all knowledge actions of the process

    def __init__(self, repository_factory: Optional[RepositoryFactory] = None) -> None:
        self._repository_factory = repository_factory or default_repository
        self._repository: Optional[KnowledgeRepository] = None

    @property
    def repository(self) -> KnowledgeRepository:
        if self._repository is None:
            self._repository = self._repository_factory()
        return self._repository

    def current_municipality(self, tracker: Tracker) -> Optional[Municipality]:
        municipality_id = tracker.get_slot("municipality") or metadata_of(tracker).get(
            "municipality"
        )
        return self.repository.municipality(municipality_id) if municipality_id else None

    def note_unanswered(self, tracker: Tracker, language: str, reason: str) -> None:
        """Keep the latest message, scrubbed, for the municipality's staff
        (bot/staff/unanswered.py); never in the way of the answer."""
        latest = tracker.latest_message or {}
        text = str(latest.get("text") or "")
        municipality_id = tracker.get_slot("municipality") or metadata_of(tracker).get(
            "municipality"
        )
        if not municipality_id or not text.strip() or text.startswith("/"):
            return
        if metadata_of(tracker).get("staff_preview"):  # the staff page's preview
            return
        ranking = latest.get("intent_ranking") or []
        intents = [str(e.get("name")) for e in ranking if e.get("name") != "nlu_fallback"][:3]
        try:
            if self.repository.municipality(str(municipality_id)) is None:
                return
            record(self.repository.engine, str(municipality_id), language, text, reason, intents)
        except (SQLAlchemyError, OSError) as error:
            logger.warning("An unanswered question was not recorded: %s", type(error).__name__)

    def ask_municipality(self, dispatcher: CollectingDispatcher, language: str) -> None:
        dispatcher.utter_message(
            response="utter_ask_municipality",
            buttons=municipality_buttons(self.repository, language),
        )

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[Dict[str, Any]]:
        try:
            with self.repository.one_view():
                events = self.respond(dispatcher, tracker, language_of(tracker))
        except (SQLAlchemyError, OSError) as error:
            self._log_failure(error)
            dispatcher.utter_message(response="utter_technical_problem")
            return []
        if KnowledgeAction._failing:
            logger.warning("The knowledge base answers again.")
            KnowledgeAction._failing = False
        return events

    def _log_failure(self, error: Exception) -> None:
        """Log an outage once, with its detail; repeats while it lasts go to debug."""
        if KnowledgeAction._failing:
            logger.debug("%s failed again: %s", self.name(), error)
            return
        KnowledgeAction._failing = True
        logger.error(
            "%s failed: the knowledge base is unavailable (%s: %s); users get "
            "utter_technical_problem until it answers again.",
            self.name(),
            type(error).__name__,
            error,
            exc_info=error,
        )

    @abstractmethod
    def respond(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, language: str
    ) -> List[Dict[str, Any]]:
        """Answer; raise SQLAlchemyError/OSError to get the polite failure message."""


class MunicipalityAction(KnowledgeAction, ABC):
    """A knowledge action that needs the municipality, and asks for it when it is unknown.

    A municipality named in the request ("Wie finde ich in Bozen eine Wohnung?", "у Крані")
    answers that request for that town; it becomes the conversation's municipality only if
    none was known. While the bot asks, the request waits (slot `pending`) and is answered
    as soon as the person names or picks a municipality (action_choose_municipality)."""

    def respond(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, language: str
    ) -> List[Dict[str, Any]]:
        events: List[Dict[str, Any]] = []
        if tracker.get_slot("pending"):
            events.append(SlotSet("pending", None))
        current = self.current_municipality(tracker)
        text = request_message(tracker).get("text") or ""
        named = find_municipality(text, self.repository.municipalities())
        municipality = named or current
        if current is None and named is not None:
            events.append(SlotSet("municipality", named.id))
        if municipality is None:
            self.ask_municipality(dispatcher, language)
            return [*self.events_while_asking(tracker, language), SlotSet("pending", self.name())]
        if current is not None and municipality.id != current.id:
            dispatcher.utter_message(
                response="utter_answer_for",
                municipality_name=municipality_name(municipality, language),
            )
        return events + self.answer(dispatcher, tracker, language, municipality)

    def events_while_asking(self, tracker: Tracker, language: str) -> List[Dict[str, Any]]:
        """Events to keep while the municipality is asked for (e.g. the topic)."""
        return []

    @abstractmethod
    def answer(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        language: str,
        municipality: Municipality,
    ) -> List[Dict[str, Any]]:
        """Answer for the known municipality."""
