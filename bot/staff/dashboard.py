"""What the staff page shows for one municipality, gathered from the knowledge database:
unanswered questions grouped, feedback per answer, translation coverage, outdated
translations and answers not reviewed for a year. Wording is left to the page."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.answers.localise import localise, localise_name
from bot.knowledge.checks import REVIEW_AFTER
from bot.knowledge.models import UnansweredRow
from bot.knowledge.repository import KnowledgeRepository
from bot.knowledge.schema import Faq, Municipality, Service
from bot.knowledge.translations import Record, outdated
from bot.language.registry import supported_codes
from bot.staff import feedback
from bot.staff.suggest import Suggestion, suggestions
from bot.staff.unanswered import Group, groups

# The page groups the newest questions: grouping costs grow with the number, and a
# thousand recent questions show what newcomers miss as well as all of them would.
MAX_GROUPED = 1_000


@dataclass
class Outdated:
    faq: Faq
    language: str
    record: Record


@dataclass
class Overview:
    """Everything the page shows for one municipality."""

    municipality: Municipality
    unanswered_total: int
    groups: list[Group]
    suggestions: list[Suggestion]
    ratings: list[feedback.Tally]
    coverage: dict[str, int]
    faq_count: int
    outdated: list[Outdated] = field(default_factory=list)
    stale: list[Faq] = field(default_factory=list)
    faqs: list[Faq] = field(default_factory=list)
    services: dict[str, Service] = field(default_factory=dict)  # the rated ones

    def faq_title(self, faq_id: str, language: str) -> str:
        """A FAQ as staff know it: its first question in the language (else the id)."""
        for faq in self.faqs:
            if faq.id == faq_id:
                titles = {code: qs[0] for code, qs in faq.questions.items() if qs}
                if titles:
                    return localise(titles, language, self.municipality.languages)[0]
        return faq_id

    def service_name(self, service_id: str, language: str) -> str:
        service = self.services.get(service_id)
        if service is None:
            return service_id
        return localise_name(service.name, language, self.municipality.languages)


def newest_unanswered(engine: Engine, municipality_id: str, limit: int) -> tuple[int, list]:
    """(how many are kept, the newest `limit` of them)."""
    where = UnansweredRow.municipality_id == municipality_id
    with Session(engine) as session:
        total = session.query(UnansweredRow).filter(where).count()
        query = select(UnansweredRow).where(where).order_by(UnansweredRow.pk.desc())
        return total, list(session.scalars(query.limit(limit)))


def overview(
    repository: KnowledgeRepository, municipality: Municipality, today: date | None = None
) -> Overview:
    today = today or date.today()
    faqs = repository.faqs(municipality.id)
    total, newest = newest_unanswered(repository.engine, municipality.id, MAX_GROUPED)
    grouped = groups(newest)
    ratings = feedback.tallies(repository.engine, municipality.id)
    rated = {t.subject for t in ratings if t.kind == "service"}
    services = repository.services(municipality.id) if rated else []
    return Overview(
        municipality=municipality,
        unanswered_total=total,
        groups=grouped,
        suggestions=suggestions(grouped, faqs, municipality, today=today),
        ratings=ratings,
        coverage={code: sum(code in faq.answer for faq in faqs) for code in supported_codes()},
        faq_count=len(faqs),
        outdated=[Outdated(faq, lang, rec) for faq in faqs for lang, rec in outdated(faq)],
        stale=[
            faq
            for faq in faqs
            if faq.last_reviewed is None or today - faq.last_reviewed > REVIEW_AFTER
        ],
        faqs=faqs,
        services={s.id: s for s in services if s.id in rated},
    )
