"""Audit events, written by the services in the transaction of the change itself."""

from __future__ import annotations

import datetime as dt
import socket
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from familydoc.core.masking import mask_field
from familydoc.core.models import AuditEvent, utcnow

_WORKSTATION = socket.gethostname()[:100]


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(item) for item in value]
    return value


def masked_changes(changes: dict[str, Any]) -> dict[str, Any]:
    """Field -> value or [old, new] pair, with personal values masked."""
    result: dict[str, Any] = {}
    for field, value in changes.items():
        if isinstance(value, tuple) and len(value) == 2:
            result[field] = [
                _plain(mask_field(field, value[0])),
                _plain(mask_field(field, value[1])),
            ]
        else:
            result[field] = _plain(mask_field(field, value))
    return result


def record(
    session: Session,
    *,
    user_id: int | None,
    username: str | None,
    action: str,
    entity_type: str,
    entity_id: object = None,
    changes: dict[str, Any] | None = None,
) -> AuditEvent:
    event = AuditEvent(
        occurred_at=utcnow(),
        user_id=user_id,
        username=username,
        action=action,
        entity_type=entity_type,
        entity_id=None if entity_id is None else str(entity_id),
        changes=masked_changes(changes or {}),
        workstation=_WORKSTATION,
    )
    session.add(event)
    return event


@dataclass(frozen=True)
class AuditRow:
    id: int
    occurred_at: dt.datetime
    username: str | None
    action: str
    entity_type: str
    entity_id: str | None
    changes: dict[str, Any]
    workstation: str | None


def latest_events(session: Session, limit: int = 50) -> list[AuditRow]:
    rows = session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(limit))
    return [
        AuditRow(
            id=row.id,
            occurred_at=row.occurred_at,
            username=row.username,
            action=row.action,
            entity_type=row.entity_type,
            entity_id=row.entity_id,
            changes=row.changes,
            workstation=row.workstation,
        )
        for row in rows
    ]
