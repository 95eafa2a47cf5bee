"""Outreach calls: recording the result of each contact and counting them.

A call from the outreach list ends in 同意签约 (agreed), 暂不签约 (declined, with a reason
from ``DECLINE_REASONS``; 其他 needs a note) or 无法联系 (unreachable), with an optional
next contact date. Each is a new row of ``outreach_contact`` (never changed) written with
its audit event in the same transaction; a resident's last contact is what the outreach
list shows and filters on, and what the statistics count per village and team.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session, aliased

from familydoc.core import audit
from familydoc.core.auth import Actor, Permission, require
from familydoc.core.errors import QT_TRANSLATE_NOOP, NotFound, RuleViolation
from familydoc.core.models import (
    CONTACT_RESULTS,
    DECLINE_REASONS,
    OutreachContact,
    Resident,
    Team,
    TeamVillage,
    User,
    Village,
)
from familydoc.core.residents import clean_text

NOTE_LENGTH = 200
# Filters of the outreach list on the last contact: never contacted, its result, or the
# next contact date has come.
CONTACT_FILTERS = ("never", *CONTACT_RESULTS, "due")


@dataclass(frozen=True)
class ContactInput:
    resident_id: int
    contacted_on: dt.date
    result: str  # one of CONTACT_RESULTS
    reason: str | None = None  # declined: one of DECLINE_REASONS
    note: str = ""
    next_contact_on: dt.date | None = None


@dataclass(frozen=True)
class ContactRecord:
    id: int
    resident_id: int
    contacted_on: dt.date
    result: str
    reason: str | None
    note: str
    next_contact_on: dt.date | None
    recorded_by: str


def _checked(entry: ContactInput, today: dt.date) -> ContactInput:
    if entry.result not in CONTACT_RESULTS:
        raise RuleViolation(
            QT_TRANSLATE_NOOP("Errors", "Unknown contact result: {value}."), value=entry.result
        )
    note = clean_text(entry.note or "")
    reason = entry.reason if entry.result == "declined" else None
    if entry.result == "declined" and reason not in DECLINE_REASONS:
        raise RuleViolation(
            QT_TRANSLATE_NOOP("Errors", "Say why the resident is not signing for now.")
        )
    if reason == "other" and not note:
        raise RuleViolation(
            QT_TRANSLATE_NOOP("Errors", "With the reason “other”, write a note saying what it is.")
        )
    if len(note) > NOTE_LENGTH:
        raise RuleViolation(
            QT_TRANSLATE_NOOP("Errors", "The note is longer than {limit} characters."),
            limit=NOTE_LENGTH,
        )
    if entry.contacted_on > today:
        raise RuleViolation(
            QT_TRANSLATE_NOOP("Errors", "The contact date {date} is in the future."),
            date=entry.contacted_on.isoformat(),
        )
    if entry.next_contact_on is not None and entry.next_contact_on <= entry.contacted_on:
        raise RuleViolation(
            QT_TRANSLATE_NOOP("Errors", "The next contact date must be after the contact date.")
        )
    return ContactInput(
        entry.resident_id, entry.contacted_on, entry.result, reason, note, entry.next_contact_on
    )


def record_contact(
    session: Session, actor: Actor, entry: ContactInput, *, today: dt.date | None = None
) -> ContactRecord:
    """Record one contact with a resident (audited); refuses bad input, writing nothing."""
    require(actor, Permission.RECORD_CONTACT)
    checked = _checked(entry, today or dt.date.today())
    if session.get(Resident, checked.resident_id) is None:
        raise NotFound(
            QT_TRANSLATE_NOOP("Errors", "There is no resident no. {id}."), id=checked.resident_id
        )
    row = OutreachContact(
        resident_id=checked.resident_id,
        contacted_on=checked.contacted_on,
        result=checked.result,
        reason=checked.reason,
        note=checked.note or None,
        next_contact_on=checked.next_contact_on,
        recorded_by=actor.user_id,
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        user_id=actor.user_id,
        username=actor.username,
        action="outreach.contact",
        entity_type="resident",
        entity_id=checked.resident_id,
        changes={
            "contact_id": row.id,
            "contacted_on": checked.contacted_on.isoformat(),
            "result": checked.result,
            "reason": checked.reason,
            "note": checked.note or None,
            "next_contact_on": checked.next_contact_on.isoformat()
            if checked.next_contact_on
            else None,
        },
    )
    return ContactRecord(
        row.id,
        row.resident_id,
        row.contacted_on,
        row.result,
        row.reason,
        checked.note,
        row.next_contact_on,
        actor.display_name,
    )


def contact_history(session: Session, actor: Actor, resident_id: int) -> list[ContactRecord]:
    """A resident's contacts, the latest first (for the contact dialog)."""
    require(actor, Permission.VIEW_RESIDENTS)
    rows = session.execute(
        select(
            OutreachContact.id,
            OutreachContact.resident_id,
            OutreachContact.contacted_on,
            OutreachContact.result,
            OutreachContact.reason,
            OutreachContact.note,
            OutreachContact.next_contact_on,
            func.coalesce(User.display_name, User.username, ""),
        )
        .outerjoin(User, User.id == OutreachContact.recorded_by)
        .where(OutreachContact.resident_id == resident_id)
        .order_by(OutreachContact.contacted_on.desc(), OutreachContact.id.desc())
    ).all()
    return [ContactRecord(r[0], r[1], r[2], r[3], r[4], r[5] or "", r[6], r[7] or "") for r in rows]


# --- the last contact of a resident, in SQL (the outreach list) ---------------------------


def last_contact_id(as_of: dt.date, resident_id: Any = Resident.id) -> Any:
    """SQL scalar: the id of the resident's latest contact on or before ``as_of``."""
    last = OutreachContact.__table__.alias().c
    return (
        select(last.id)
        .where(last.resident_id == resident_id, last.contacted_on <= as_of)
        .order_by(last.contacted_on.desc(), last.id.desc())
        .limit(1)
        .scalar_subquery()
    )


def last_contact_join(as_of: dt.date) -> tuple[Any, Any, Any]:
    """(the contact alias, its recorder alias, the ON clause) to outer-join on ``Resident``."""
    contact = OutreachContact.__table__.alias()
    recorder = User.__table__.alias()
    return contact, recorder, contact.c.id == last_contact_id(as_of)


def contact_condition(wanted: str, contact: Any, as_of: dt.date) -> Any:
    """SQL condition on the last contact (the alias of ``last_contact_join``)."""
    contact = contact.c
    if wanted == "never":
        return contact.id.is_(None)
    if wanted in CONTACT_RESULTS:
        return contact.result == wanted
    if wanted == "due":
        return and_(contact.next_contact_on.is_not(None), contact.next_contact_on <= as_of)
    raise RuleViolation(
        QT_TRANSLATE_NOOP("Errors", "Unknown contact filter: {value}."), value=wanted
    )


# --- counting contacts (the statistics) ---------------------------------------------------


@dataclass(frozen=True)
class ContactFigures:
    """Residents contacted in a period, by the result of their last contact in it."""

    dimension: str  # overall / village / team
    key: str
    label: str
    contacted: int
    agreed: int
    declined: int
    unreachable: int
    declined_by_reason: dict[str, int]


def contact_figures(session: Session, start: dt.date, end: dt.date) -> list[ContactFigures]:
    """Per village and per team serving the village, and overall: the residents contacted
    from ``start`` to ``end`` and the result of each one's last contact in that period."""
    last = aliased(OutreachContact)
    latest = (
        select(last.id)
        .where(
            last.resident_id == OutreachContact.resident_id,
            last.contacted_on.between(start, end),
        )
        .order_by(last.contacted_on.desc(), last.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    per_resident = (
        select(
            OutreachContact.resident_id.label("resident_id"),
            OutreachContact.result.label("result"),
            OutreachContact.reason.label("reason"),
        )
        .where(OutreachContact.contacted_on.between(start, end), OutreachContact.id == latest)
        .subquery()
    )
    counted = [
        func.count(),
        *(func.sum(case((per_resident.c.result == r, 1), else_=0)) for r in CONTACT_RESULTS),
        *(func.sum(case((per_resident.c.reason == r, 1), else_=0)) for r in DECLINE_REASONS),
    ]
    joined = per_resident.join(Resident, Resident.id == per_resident.c.resident_id)
    overall = session.execute(select(*counted).select_from(joined)).one()
    villages = session.execute(
        select(Village.code, Village.name, *counted)
        .select_from(joined)
        .join(Village, Village.id == Resident.village_id)
        .group_by(Village.id)
        .order_by(Village.code)
    ).all()
    teams = session.execute(
        select(Team.id, Team.name, *counted)
        .select_from(joined)
        .join(TeamVillage, TeamVillage.village_id == Resident.village_id)
        .join(Team, Team.id == TeamVillage.team_id)
        .group_by(Team.id)
        .order_by(Team.name)
    ).all()

    def figures(dimension: str, key: str, label: str, values: Any) -> ContactFigures:
        numbers = [int(v or 0) for v in values]
        reasons = dict(zip(DECLINE_REASONS, numbers[4:], strict=True))
        return ContactFigures(dimension, key, label, *numbers[:4], reasons)

    return [
        figures("overall", "all", "全部", overall),
        *(figures("village", code, name, row) for code, name, *row in villages),
        *(figures("team", str(team_id), name, row) for team_id, name, *row in teams),
    ]
