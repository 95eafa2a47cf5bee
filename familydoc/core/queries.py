"""Read queries shaped for display: plain tuples and dataclasses, never live ORM objects.

Lists that can grow large are ``PagedQuery`` objects: the GUI asks for the row
count and then for pages as the user scrolls, so nothing loads all rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import Session

from familydoc.core.models import (
    Contract,
    Resident,
    SyncOutbox,
)


def in_force_on(day: dt.date) -> Any:
    """SQL condition: the contract is in force on ``day`` (see ``Contract``)."""
    return and_(
        Contract.start_date <= day,
        Contract.end_date >= day,
        or_(Contract.terminated_on.is_(None), Contract.terminated_on > day),
    )


def active_on(day: dt.date, resident: Any = Resident) -> Any:
    """SQL condition: the resident counts on ``day`` (born or moved in, not yet left).

    ``resident``: the ``Resident`` entity or an alias of it.
    """
    return and_(
        resident.birth_date <= day,
        or_(resident.moved_in_on.is_(None), resident.moved_in_on <= day),
        or_(resident.left_on.is_(None), resident.left_on > day),
    )


@dataclass
class PagedQuery:
    """A list read page by page: ``columns`` name the fields of each row tuple."""

    columns: Sequence[str]
    base: Select[Any]
    order_by: Sequence[Any]
    shape: Callable[[Any], tuple[Any, ...]]

    def count(self, session: Session) -> int:
        return int(session.scalar(select(func.count()).select_from(self.base.subquery())) or 0)

    def count_is_at_least(self) -> bool:
        """True when the last ``count`` is a lower bound: the list shows that many rows."""
        return False

    def fetch(self, session: Session, offset: int, limit: int) -> list[tuple[Any, ...]]:
        rows = session.execute(self.base.order_by(*self.order_by).offset(offset).limit(limit))
        return [self.shape(row) for row in rows]


@dataclass(frozen=True)
class SyncStatus:
    waiting: int
    failed: int
    last_synced_at: dt.datetime | None


def sync_status(session: Session) -> SyncStatus:
    waiting = session.scalar(
        select(func.count()).where(SyncOutbox.state.in_(("TO_POST", "UPLOADING")))
    )
    failed = session.scalar(select(func.count()).where(SyncOutbox.state.in_(("ERROR", "WARNING"))))
    last = session.scalar(select(func.max(SyncOutbox.synced_at)))
    if last is not None and last.tzinfo is None:
        last = last.replace(tzinfo=dt.UTC)
    return SyncStatus(int(waiting or 0), int(failed or 0), last)


AUDIT_COLUMNS = (
    "id",
    "occurred_at",
    "username",
    "action",
    "entity_type",
    "entity_id",
    "changes",
    "workstation",
)
