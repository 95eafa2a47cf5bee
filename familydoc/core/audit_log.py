"""Reading the audit log: filters (user, action, entity, dates) and export to CSV or XLSX.

Only roles with ``VIEW_AUDIT`` (supervisors, administrators) read it; an export
is itself audited. Values were masked when the events were written.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from familydoc.core import audit
from familydoc.core.auth import Actor, Permission, require
from familydoc.core.errors import QT_TRANSLATE_NOOP, RuleViolation
from familydoc.core.models import AuditEvent
from familydoc.core.queries import AUDIT_COLUMNS, PagedQuery

EXPORT_PAGE = 2000


@dataclass(frozen=True)
class AuditFilter:
    """Empty fields do not filter. Dates are local calendar days, both included."""

    username: str | None = None
    action: str | None = None
    entity_type: str | None = None
    entity_id: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None

    def is_empty(self) -> bool:
        return not any(
            (
                self.username,
                self.action,
                self.entity_type,
                self.entity_id,
                self.date_from,
                self.date_to,
            )
        )


def _local_midnight_utc(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time()).astimezone().astimezone(dt.UTC)


def _filtered(base: Select[Any], flt: AuditFilter) -> Select[Any]:
    if flt.date_from and flt.date_to and flt.date_from > flt.date_to:
        raise RuleViolation(QT_TRANSLATE_NOOP("Errors", "The start date is after the end date."))
    if flt.username:
        base = base.where(AuditEvent.username == flt.username)
    if flt.action:
        base = base.where(AuditEvent.action == flt.action)
    if flt.entity_type:
        base = base.where(AuditEvent.entity_type == flt.entity_type)
    if flt.entity_id:
        base = base.where(AuditEvent.entity_id == flt.entity_id.strip())
    if flt.date_from:
        base = base.where(AuditEvent.occurred_at >= _local_midnight_utc(flt.date_from))
    if flt.date_to:
        end = _local_midnight_utc(flt.date_to + dt.timedelta(days=1))
        base = base.where(AuditEvent.occurred_at < end)
    return base


def audit_query(session: Session, actor: Actor, flt: AuditFilter | None = None) -> PagedQuery:
    """The audit log, newest first, filtered; refused to roles that may not read it."""
    require(actor, Permission.VIEW_AUDIT)
    base = select(
        AuditEvent.id,
        AuditEvent.occurred_at,
        AuditEvent.username,
        AuditEvent.action,
        AuditEvent.entity_type,
        AuditEvent.entity_id,
        AuditEvent.changes,
        AuditEvent.workstation,
    )
    return PagedQuery(
        AUDIT_COLUMNS, _filtered(base, flt or AuditFilter()), (AuditEvent.id.desc(),), tuple
    )


@dataclass(frozen=True)
class AuditChoices:
    usernames: tuple[str, ...]
    actions: tuple[str, ...]
    entity_types: tuple[str, ...]


def audit_choices(session: Session, actor: Actor) -> AuditChoices:
    """The values the filters can take (distinct values in the log; indexed columns)."""
    require(actor, Permission.VIEW_AUDIT)

    def distinct(column: Any) -> tuple[str, ...]:
        return tuple(
            value for value in session.scalars(select(column).distinct().order_by(column)) if value
        )

    return AuditChoices(
        distinct(AuditEvent.username), distinct(AuditEvent.action), distinct(AuditEvent.entity_type)
    )


@dataclass(frozen=True)
class ExportColumn:
    header: str
    key: str
    format: Callable[[Any], str]


def default_columns() -> list[ExportColumn]:
    """Columns with English headers and raw codes (the GUI passes translated ones)."""

    def text(value: Any) -> str:
        return "" if value is None else str(value)

    def when(value: dt.datetime | None) -> str:
        return value.astimezone().strftime("%Y-%m-%d %H:%M:%S") if value else ""

    def changes(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False) if value else ""

    return [
        ExportColumn("id", "id", text),
        ExportColumn("time", "occurred_at", when),
        ExportColumn("user", "username", text),
        ExportColumn("action", "action", text),
        ExportColumn("entity", "entity_type", text),
        ExportColumn("entity_id", "entity_id", text),
        ExportColumn("changes", "changes", changes),
        ExportColumn("workstation", "workstation", text),
    ]


def export_audit(
    session: Session,
    actor: Actor,
    flt: AuditFilter,
    path: Path,
    *,
    columns: Sequence[ExportColumn] | None = None,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> int:
    """Write the filtered log to ``path`` (.csv as UTF-8 with BOM for Excel, or .xlsx).

    Written to a temporary file first, so a failure leaves no half file. Returns the count."""
    query = audit_query(session, actor, flt)
    columns = list(columns or default_columns())
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise RuleViolation(
            QT_TRANSLATE_NOOP("Errors", "Export to a .csv or .xlsx file (not {suffix})."),
            suffix=suffix or path.name,
        )
    total = query.count(session)
    positions = {name: index for index, name in enumerate(query.columns)}
    part = path.with_name(path.name + ".part")

    def pages() -> Any:
        done = 0
        while done < total:
            if cancelled is not None and cancelled():
                raise InterruptedError
            batch = query.fetch(session, done, EXPORT_PAGE)
            if not batch:
                break
            yield [[c.format(row[positions[c.key]]) for c in columns] for row in batch]
            done += len(batch)
            if progress is not None:
                progress(done, total)

    try:
        if suffix == ".csv":
            with part.open("w", encoding="utf-8-sig", newline="") as handle:
                writer = csv.writer(handle)
                writer.writerow([c.header for c in columns])
                for page in pages():
                    writer.writerows(page)
        else:
            from openpyxl import Workbook

            book = Workbook(write_only=True)
            sheet = book.create_sheet("audit")
            sheet.append([c.header for c in columns])
            for page in pages():
                for row in page:
                    sheet.append(row)
            book.save(part)
        os.replace(part, path)
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    audit.record(
        session,
        user_id=actor.user_id,
        username=actor.username,
        action="audit.export",
        entity_type="audit_event",
        changes={"file": path.name, "rows": total, "filter": _describe(flt)},
    )
    return total


def _describe(flt: AuditFilter) -> dict[str, str]:
    return {
        name: value.isoformat() if isinstance(value, dt.date) else str(value)
        for name, value in vars(flt).items()
        if value
    }
