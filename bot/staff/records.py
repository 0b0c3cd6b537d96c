"""Writing and purging the staff loop's records (unanswered questions, ratings): a record
that cannot be written is logged and never raised, since the newcomer's answer matters more
than the record; records older than the privacy retention are deleted."""

from __future__ import annotations

import logging
from datetime import date, timedelta
from typing import Any

from sqlalchemy import delete
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

logger = logging.getLogger(__name__)


def keep(engine: Engine, row: Any, what: str) -> None:
    """Store one row; a failure is logged with `what` was lost."""
    try:
        with Session(engine) as session, session.begin():
            session.add(row)
    except SQLAlchemyError as error:
        logger.warning("%s could not be recorded: %s", what, type(error).__name__)


def purge(engine: Engine, model: Any, older_than_days: int, today: date | None = None) -> int:
    """Delete the model's rows whose `day` is older than the retention; how many went."""
    cutoff = (today or date.today()) - timedelta(days=older_than_days)
    with Session(engine) as session, session.begin():
        result = session.execute(delete(model).where(model.day < cutoff))
    return int(result.rowcount or 0)
