"""The outbox: one row per report key (institution, measure, period), states of the DHIS2
Android SDK (TO_POST, UPLOADING, SYNCED, ERROR, WARNING).

A run is three kinds of short transactions, so a crash anywhere leaves a state the next
run finishes:

1. ``prepare``: the figures of the open month as of today, and of every ended month whose
   final report is missing, computed and written to the outbox in one transaction (the
   figures and the queue cannot disagree); rows left UPLOADING by a run that died are
   queued again (the caller holds the sync lock, so no live run owns them);
2. ``claim``: one report TO_POST → UPLOADING (the only one in flight for its key);
3. ``record``: the server's verdict. SYNCED only when the server confirmed; otherwise back
   to TO_POST (unreachable: work stays queued), or ERROR / WARNING for a person.

A report is re-sent only when its content changed (``payload_hash`` against
``synced_hash``): the open month whenever its totals move, an ended month once, as its
final totals, and then kept. ERROR reports are sent again when a person asks (a manual
run), not by the automatic tries, which cannot fix what the server refused.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from familydoc.core import audit
from familydoc.core.auth import Actor, Permission, require
from familydoc.core.errors import QT_TRANSLATE_NOOP, RuleViolation
from familydoc.core.models import SyncOutbox, utcnow
from familydoc.core.setup import home_institution
from familydoc.core.statistics import month_end, signing_summary
from familydoc.sync.protocol import UpstreamProtocol, content_hash
from familydoc.sync.report import (
    ERROR,
    PROBLEMS_THAT_WAIT,
    SYNCED,
    TO_POST,
    UPLOADING,
    WARNING,
    Outcome,
    ReportFigures,
    figures_from_summary,
    next_period,
    period_of,
    previous_period,
)

NEW = "new"
CHANGED = "changed"
RETRY = "retry"
UNCHANGED = "unchanged"


def report_key(institution_code: str, measure: str, period: str) -> str:
    return f"{institution_code}|{measure}|{period}"


@dataclass(frozen=True)
class PlannedReport:
    """What a run does with one period's report (``action``: new/changed/retry/unchanged)."""

    period: str
    final: bool
    action: str
    state: str  # the state after preparing
    figures: ReportFigures | None  # None: an ended month's report kept as it was


@dataclass(frozen=True)
class PreparedRun:
    institution_code: str
    measure: str
    plan: tuple[PlannedReport, ...]
    to_send: tuple[int, ...]  # outbox ids TO_POST, oldest period first
    recovered: tuple[str, ...]  # periods found UPLOADING (a run died) and queued again


def _ended_periods(first: str, current: str) -> list[str]:
    periods = []
    period = first
    while period < current:
        periods.append(period)
        period = next_period(period)
    return periods


def prepare(
    session: Session,
    actor: Actor,
    protocol: UpstreamProtocol,
    *,
    today: dt.date,
    manual: bool,
    dry_run: bool = False,
    now: dt.datetime | None = None,
) -> PreparedRun:
    """Compute and queue the reports due; with ``dry_run`` only say what would be queued."""
    require(actor, Permission.RUN_SYNC)
    institution = home_institution(session)
    if institution is None:
        raise RuleViolation(
            QT_TRANSLATE_NOOP("Errors", "This database does not belong to an institution yet.")
        )
    now = now or utcnow()
    measure = protocol.measure_key
    rows = {
        row.period: row
        for row in session.scalars(
            select(SyncOutbox).where(
                SyncOutbox.institution_code == institution.code, SyncOutbox.measure == measure
            )
        )
    }
    recovered: list[str] = []
    for row in rows.values():
        if row.state == UPLOADING:  # its run died mid-delivery: sending again is safe
            recovered.append(row.period)
            if not dry_run:
                row.state = TO_POST
    current = period_of(today)
    first = min([previous_period(current), *rows])
    plan: list[PlannedReport] = []
    for period in _ended_periods(first, current):
        row = rows.get(period)
        if row is not None and row.is_final and not (row.state == ERROR and manual):
            plan.append(PlannedReport(period, True, UNCHANGED, row.state, None))
            continue
        summary = signing_summary(session, month_end(dt.date.fromisoformat(period + "-01")))
        figures = figures_from_summary(summary, period, final=True)
        plan.append(_queue(session, protocol, rows, figures, manual, dry_run, now))
    figures = figures_from_summary(signing_summary(session, today), current, final=False)
    plan.append(_queue(session, protocol, rows, figures, manual, dry_run, now))
    queued = [p for p in plan if p.action != UNCHANGED]
    if not dry_run:
        session.flush()
        if queued or recovered:
            audit.record(
                session,
                user_id=actor.user_id,
                username=actor.username,
                action="sync.queue",
                entity_type="sync_outbox",
                entity_id=measure,
                changes={
                    "protocol": protocol.name,
                    "queued": [f"{p.period} {p.action}" for p in queued],
                    "recovered": recovered,
                },
            )
    to_send: tuple[int, ...] = ()
    if not dry_run:
        to_send = tuple(
            session.scalars(
                select(SyncOutbox.id)
                .where(
                    SyncOutbox.institution_code == institution.code,
                    SyncOutbox.measure == measure,
                    SyncOutbox.state == TO_POST,
                )
                .order_by(SyncOutbox.period)
            )
        )
    return PreparedRun(institution.code, measure, tuple(plan), to_send, tuple(recovered))


def _queue(
    session: Session,
    protocol: UpstreamProtocol,
    rows: dict[str, SyncOutbox],
    figures: ReportFigures,
    manual: bool,
    dry_run: bool,
    now: dt.datetime,
) -> PlannedReport:
    payload = protocol.build(figures, now)
    digest = content_hash(protocol.content(payload))
    row = rows.get(figures.period)
    if row is None:
        action, state = NEW, TO_POST
    elif row.payload_hash != digest or row.is_final != figures.final:
        action, state = CHANGED, TO_POST
    elif row.state == ERROR and manual:
        action, state = RETRY, TO_POST
    else:
        return PlannedReport(figures.period, figures.final, UNCHANGED, row.state, figures)
    if dry_run:
        return PlannedReport(figures.period, figures.final, action, state, figures)
    if row is None:
        row = SyncOutbox(
            report_key=report_key(figures.institution_code, protocol.measure_key, figures.period),
            institution_code=figures.institution_code,
            measure=protocol.measure_key,
            period=figures.period,
            attempts=0,
        )
        session.add(row)
        rows[figures.period] = row
    if action != RETRY or row.payload_hash != digest:
        row.attempts = 0  # attempts count the tries of the payload now queued
    row.protocol = protocol.name
    row.is_final = figures.final
    row.payload = payload
    row.payload_hash = digest
    row.as_of = figures.as_of
    row.figures = figures.as_json()
    row.state = state
    if state == TO_POST:
        row.problem = None
        row.http_status = None
    return PlannedReport(figures.period, figures.final, action, state, figures)


@dataclass(frozen=True)
class Claim:
    """A report taken for delivery: the exact bytes to send and the hash they carry."""

    outbox_id: int
    period: str
    final: bool
    protocol: str
    payload: dict[str, Any]
    payload_hash: str
    attempts: int  # including this one


def claim(session: Session, outbox_id: int) -> Claim | None:
    """TO_POST → UPLOADING, committed before anything is sent (None: not waiting any more)."""
    row = session.get(SyncOutbox, outbox_id)
    if row is None or row.state != TO_POST:
        return None
    row.state = UPLOADING
    row.attempts += 1
    row.last_attempt_at = utcnow()
    return Claim(
        row.id, row.period, row.is_final, row.protocol, row.payload, row.payload_hash, row.attempts
    )


def record(session: Session, actor: Actor, claimed: Claim, outcome: Outcome) -> str:
    """Write the server's verdict (audited when it settles the report); returns the state."""
    row = session.get(SyncOutbox, claimed.outbox_id)
    if row is None:
        return outcome.state
    row.last_response = outcome.server_words[:4000] or None
    row.problem = outcome.problem
    row.http_status = outcome.http_status
    state = outcome.state if outcome.problem not in PROBLEMS_THAT_WAIT else TO_POST
    if state in (SYNCED, WARNING):
        row.synced_hash = claimed.payload_hash
        row.synced_at = utcnow()
    if row.payload_hash != claimed.payload_hash and state != ERROR:
        state = TO_POST  # newer figures were queued meanwhile: they still have to go
    row.state = state
    if state in (SYNCED, WARNING, ERROR):
        audit.record(
            session,
            user_id=actor.user_id,
            username=actor.username,
            action="sync.deliver",
            entity_type="sync_outbox",
            entity_id=row.report_key,
            changes={
                "period": row.period,
                "final": row.is_final,
                "state": state,
                "http_status": outcome.http_status,
                "problem": outcome.problem,
                "attempts": claimed.attempts,
            },
        )
    return state


# --- what the Sync page and the status bar show ---------------------------------------------


@dataclass(frozen=True)
class OutboxView:
    id: int
    period: str
    final: bool
    protocol: str
    state: str
    attempts: int
    last_attempt_at: dt.datetime | None
    last_response: str | None
    problem: str | None
    http_status: int | None
    synced_at: dt.datetime | None
    as_of: dt.date | None
    overall: tuple[int, int] | None  # denominator, numerator


def outbox_view(session: Session) -> list[OutboxView]:
    """Every report, newest period first (a few dozen rows a year: no paging needed)."""
    result = []
    for row in session.scalars(
        select(SyncOutbox).order_by(SyncOutbox.period.desc(), SyncOutbox.id.desc())
    ):
        overall = (row.figures or {}).get("overall")
        result.append(
            OutboxView(
                id=row.id,
                period=row.period,
                final=row.is_final,
                protocol=row.protocol,
                state=row.state,
                attempts=row.attempts,
                last_attempt_at=row.last_attempt_at,
                last_response=row.last_response,
                problem=row.problem,
                http_status=row.http_status,
                synced_at=row.synced_at,
                as_of=row.as_of,
                overall=(int(overall[0]), int(overall[1])) if overall else None,
            )
        )
    return result


@dataclass(frozen=True)
class OutboxStatus:
    waiting: int  # TO_POST or UPLOADING
    attention: int  # ERROR or WARNING
    last_synced_at: dt.datetime | None


def outbox_status(session: Session) -> OutboxStatus:
    counts = dict(
        session.execute(select(SyncOutbox.state, func.count()).group_by(SyncOutbox.state)).all()
    )
    last = session.scalar(select(func.max(SyncOutbox.synced_at)))
    if last is not None and last.tzinfo is None:
        last = last.replace(tzinfo=dt.UTC)
    return OutboxStatus(
        waiting=int(counts.get(TO_POST, 0)) + int(counts.get(UPLOADING, 0)),
        attention=int(counts.get(ERROR, 0)) + int(counts.get(WARNING, 0)),
        last_synced_at=last,
    )
