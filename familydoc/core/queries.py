"""Read queries shaped for display: plain tuples and dataclasses, never live ORM objects.

Lists that can grow large are ``PagedQuery`` objects: the GUI asks for the row
count and then for pages as the user scrolls, so nothing loads all rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, and_, case, func, or_, select
from sqlalchemy.orm import Session, aliased

from familydoc.core.auth import Actor, Permission, require
from familydoc.core.models import (
    AuditEvent,
    Contract,
    Doctor,
    Household,
    Institution,
    Resident,
    SyncOutbox,
    Team,
    TeamMember,
    TeamVillage,
    Village,
    VillagePopulation,
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


CONTRACT_COLUMNS = (
    "id",
    "number",
    "resident",
    "village",
    "team",
    "doctor",
    "start_date",
    "end_date",
    "status",
)


def contract_status(today: dt.date, soon_days: int = 30) -> Any:
    """SQL expression: terminated / expired / not_started / ending_soon / in_force."""
    return case(
        (and_(Contract.terminated_on.is_not(None), Contract.terminated_on <= today), "terminated"),
        (Contract.end_date < today, "expired"),
        (Contract.start_date > today, "not_started"),
        (Contract.end_date <= today + dt.timedelta(days=soon_days), "ending_soon"),
        else_="in_force",
    )


def contracts_list(today: dt.date) -> PagedQuery:
    base = (
        select(
            Contract.id,
            Contract.number,
            Resident.name,
            Village.name,
            Team.name,
            Doctor.name,
            Contract.start_date,
            Contract.end_date,
            contract_status(today),
        )
        .join(Resident, Resident.id == Contract.resident_id)
        .join(Village, Village.id == Resident.village_id)
        .join(Team, Team.id == Contract.team_id)
        .join(Doctor, Doctor.id == Contract.doctor_id)
    )
    return PagedQuery(CONTRACT_COLUMNS, base, (Contract.id.desc(),), tuple)


@dataclass(frozen=True)
class TeamRow:
    id: int
    name: str
    leader: str | None
    members: tuple[tuple[str, str, str], ...]  # (name, role, institution)
    villages: tuple[str, ...]
    capacity: int | None
    signed: int


def teams_overview(session: Session, today: dt.date) -> list[TeamRow]:
    leader = aliased(Doctor)
    signed = (
        select(Contract.team_id, func.count().label("signed"))
        .where(in_force_on(today))
        .group_by(Contract.team_id)
        .subquery()
    )
    teams = session.execute(
        select(Team.id, Team.name, leader.name, Team.capacity, func.coalesce(signed.c.signed, 0))
        .outerjoin(leader, leader.id == Team.leader_id)
        .outerjoin(signed, signed.c.team_id == Team.id)
        .where(Team.active.is_(True))
        .order_by(Team.name)
    ).all()
    members: dict[int, list[tuple[str, str, str]]] = {}
    for team_id, name, role, institution in session.execute(
        select(TeamMember.team_id, Doctor.name, TeamMember.role, Institution.name)
        .join(Doctor, Doctor.id == TeamMember.doctor_id)
        .join(Institution, Institution.id == Doctor.institution_id)
        .order_by(TeamMember.team_id, TeamMember.role, Doctor.name)
    ):
        members.setdefault(team_id, []).append((name, role, institution))
    villages: dict[int, list[str]] = {}
    for team_id, name in session.execute(
        select(TeamVillage.team_id, Village.name)
        .join(Village, Village.id == TeamVillage.village_id)
        .order_by(Village.code)
    ):
        villages.setdefault(team_id, []).append(name)
    return [
        TeamRow(
            id=row[0],
            name=row[1],
            leader=row[2],
            members=tuple(members.get(row[0], ())),
            villages=tuple(villages.get(row[0], ())),
            capacity=row[3],
            signed=int(row[4]),
        )
        for row in teams
    ]


@dataclass(frozen=True)
class VillageRate:
    code: str
    name: str
    denominator: int
    numerator: int
    denominator_source: str  # "population" or "registered"

    @property
    def rate(self) -> float | None:
        return self.numerator / self.denominator if self.denominator else None


def signing_by_village(session: Session, day: dt.date) -> list[VillageRate]:
    """Signing rate per village as of ``day`` with the denominator rule of DESIGN.md."""
    registered = (
        select(Resident.village_id, func.count().label("n"))
        .where(active_on(day))
        .group_by(Resident.village_id)
        .subquery()
    )
    signed = (
        select(Resident.village_id, func.count(func.distinct(Resident.id)).label("n"))
        .join(Contract, Contract.resident_id == Resident.id)
        .where(active_on(day), in_force_on(day))
        .group_by(Resident.village_id)
        .subquery()
    )
    population = (
        select(VillagePopulation.village_id, VillagePopulation.population)
        .where(VillagePopulation.year == day.year)
        .subquery()
    )
    rows = session.execute(
        select(
            Village.code,
            Village.name,
            func.coalesce(registered.c.n, 0),
            func.coalesce(signed.c.n, 0),
            population.c.population,
        )
        .outerjoin(registered, registered.c.village_id == Village.id)
        .outerjoin(signed, signed.c.village_id == Village.id)
        .outerjoin(population, population.c.village_id == Village.id)
        .order_by(Village.code)
    ).all()
    return [
        VillageRate(
            code=code,
            name=name,
            denominator=int(pop if pop is not None else reg),
            numerator=int(sig),
            denominator_source="population" if pop is not None else "registered",
        )
        for code, name, reg, sig, pop in rows
    ]


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


def audit_list(session: Session, actor: Actor) -> PagedQuery:
    """The audit log, newest first; refused to roles that may not read it."""
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
    return PagedQuery(AUDIT_COLUMNS, base, (AuditEvent.id.desc(),), tuple)


@dataclass(frozen=True)
class DatabaseCounts:
    villages: int
    households: int
    residents_active: int
    contracts_in_force: int


def database_counts(session: Session, today: dt.date) -> DatabaseCounts:
    return DatabaseCounts(
        villages=int(session.scalar(select(func.count()).select_from(Village)) or 0),
        households=int(session.scalar(select(func.count()).select_from(Household)) or 0),
        residents_active=int(
            session.scalar(select(func.count()).select_from(Resident).where(active_on(today))) or 0
        ),
        contracts_in_force=int(
            session.scalar(select(func.count()).select_from(Contract).where(in_force_on(today)))
            or 0
        ),
    )
