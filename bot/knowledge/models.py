"""SQLAlchemy tables for the knowledge base (SQLite by default, PostgreSQL in production)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Boolean, Column, Date, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import declarative_base, relationship

Base: Any = declarative_base()


class MunicipalityRow(Base):
    __tablename__ = "municipalities"

    id = Column(String(64), primary_key=True)
    content_hash = Column(String(64), nullable=False)
    source_file = Column(Text, nullable=False)
    lat = Column(Float, nullable=False)
    lon = Column(Float, nullable=False)
    data = Column(JSON, nullable=False)  # the whole checked document minus faqs/services/events

    faqs = relationship("FaqRow", cascade="all, delete-orphan", back_populates="municipality")
    services = relationship(
        "ServiceRow", cascade="all, delete-orphan", back_populates="municipality"
    )
    events = relationship("EventRow", cascade="all, delete-orphan", back_populates="municipality")


class FaqRow(Base):
    __tablename__ = "faqs"

    pk = Column(Integer, primary_key=True, autoincrement=True)
    municipality_id = Column(
        String(64), ForeignKey("municipalities.id", ondelete="CASCADE"), index=True
    )
    faq_id = Column(String(128), nullable=False)
    topic = Column(String(64), nullable=False, index=True)
    data = Column(JSON, nullable=False)

    municipality = relationship("MunicipalityRow", back_populates="faqs")


class ServiceRow(Base):
    __tablename__ = "services"

    pk = Column(Integer, primary_key=True, autoincrement=True)
    municipality_id = Column(
        String(64), ForeignKey("municipalities.id", ondelete="CASCADE"), index=True
    )
    service_id = Column(String(128), nullable=False)
    lat = Column(Float, nullable=False)
    lon = Column(Float, nullable=False)
    categories = Column(JSON, nullable=False)
    data = Column(JSON, nullable=False)

    municipality = relationship("MunicipalityRow", back_populates="services")


class EventRow(Base):
    """One event: written in the file or imported from one of its calendars."""

    __tablename__ = "events"

    pk = Column(Integer, primary_key=True, autoincrement=True)
    municipality_id = Column(
        String(64), ForeignKey("municipalities.id", ondelete="CASCADE"), index=True
    )
    event_id = Column(String(128), nullable=False)
    kind = Column(String(64), nullable=False)
    data = Column(JSON, nullable=False)

    municipality = relationship("MunicipalityRow", back_populates="events")


class UnansweredRow(Base):
    """A question the bot could not answer well, kept for the municipality's staff: the
    scrubbed text, its language, the likely intents and the day. No sender id, no time of
    day, nothing that links it to a conversation (bot/staff/unanswered.py)."""

    __tablename__ = "unanswered_questions"

    pk = Column(Integer, primary_key=True, autoincrement=True)
    municipality_id = Column(String(64), nullable=False, index=True)
    day = Column(Date, nullable=False, index=True)
    language = Column(String(8), nullable=False)
    reason = Column(String(32), nullable=False)
    intents = Column(String(255), nullable=False)  # the likeliest first, comma-separated
    text = Column(Text, nullable=False)


class FeedbackRow(Base):
    """One "Did this help?" answer: which FAQ or service, in which language, yes or no, and
    the day. No sender id and no time of day (bot/staff/feedback.py)."""

    __tablename__ = "answer_feedback"

    pk = Column(Integer, primary_key=True, autoincrement=True)
    municipality_id = Column(String(64), nullable=False, index=True)
    day = Column(Date, nullable=False, index=True)
    language = Column(String(8), nullable=False)
    kind = Column(String(8), nullable=False)  # faq or service
    subject = Column(String(64), nullable=False)  # the FAQ's or the service's id
    helpful = Column(Boolean, nullable=False)
