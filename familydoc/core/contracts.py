"""Contracts: sign, renew, end and change team; contract numbers; the contracts list.

A contract binds one resident to one team and one responsible doctor (a member
of the team) with one or more service packages for a period, by default one
year less a day. The database refuses a second contract in force for a
resident on any day (migration 0001's triggers); ``sign`` checks it first to
say so in plain words, and turns the trigger's refusal into the same message
when two workstations race.

Contract numbers are ``<institution code>-<year>-<000001>``, unique and
gap-free per year: the sequence is taken inside the signing transaction (which
starts with ``BEGIN IMMEDIATE``), so a signing that fails gives its number back.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import Integer, Select, and_, bindparam, case, exists, func, or_, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, aliased

from familydoc.core import audit
from familydoc.core.auth import Actor, Permission, actor_for, authenticate, require
from familydoc.core.errors import (
    QT_TRANSLATE_NOOP,
    FamilydocError,
    NotFound,
    PermissionDenied,
    RuleViolation,
)
from familydoc.core.idnumber import validate as validate_id_number
from familydoc.core.masking import mask_id_number, mask_phone
from familydoc.core.models import (
    SIGNING_METHODS,
    TERMINATION_REASONS,
    Contract,
    ContractPackage,
    ContractSequence,
    Doctor,
    Institution,
    Resident,
    ServicePackage,
    Team,
    TeamMember,
    TeamVillage,
    User,
    Village,
)
from familydoc.core.queries import PagedQuery, in_force_on
from familydoc.core.residents import (
    age_on,
    age_populations,
    clean_name,
    clean_phone,
    clean_text,
    search_condition,
)
from familydoc.core.teams import (
    CapacityCheck,
    PackageRow,
    TeamRow,
    capacity_check,
    check_phone,
    list_packages,
    list_teams,
    package_valid_on,
)

RENEWAL_OPENS_DAYS = 30  # renewal is offered from 30 days before the end ...
RENEWAL_GRACE_DAYS = 30  # ... until 30 days after it; later, sign a new contract
ENDING_SOON_DAYS = 30
ENDING_WINDOWS = (30, 60, 90)
MAX_YEARS = 3
ADULT_AGE = 18
MAX_SEQUENCE = 999_999
STATUSES = ("in_force", "ending_soon", "not_started", "expired", "terminated")
STATUS_FILTERS = ("in_force", "not_started", "expired", "terminated")
END_REASONS = tuple(reason for reason in TERMINATION_REASONS if reason != "changed_team")

OVERLAP_MESSAGE = QT_TRANSLATE_NOOP(
    "Errors",
    "{name} already has a contract in force in that period ({number}, {start} to {end}):"
    " a resident can have only one contract in force on any day.",
)
NOTHING_TO_RENEW = QT_TRANSLATE_NOOP("Errors", "There is no contract to renew.")
RACE_MESSAGE = QT_TRANSLATE_NOOP(
    "Errors",
    "This resident was signed at another workstation a moment ago: a resident can have only"
    " one contract in force on any day. Refresh the list to see that contract.",
)


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def default_end(start: dt.date) -> dt.date:
    """One year less a day: 2026-03-01 → 2027-02-28."""
    return add_years(start, 1) - dt.timedelta(days=1)


def last_day_in_force(start: dt.date, end: dt.date, terminated_on: dt.date | None) -> dt.date:
    if terminated_on is None:
        return end
    return min(end, terminated_on - dt.timedelta(days=1))


def status_of(start: dt.date, end: dt.date, terminated_on: dt.date | None, today: dt.date) -> str:
    """The Python twin of ``status_expression``."""
    if terminated_on is not None and terminated_on <= today:
        return "terminated"
    if end < today:
        return "expired"
    if start > today:
        return "not_started"
    if end <= today + dt.timedelta(days=ENDING_SOON_DAYS):
        return "ending_soon"
    return "in_force"


def status_expression(today: dt.date) -> Any:
    return case(
        (and_(Contract.terminated_on.is_not(None), Contract.terminated_on <= today), "terminated"),
        (Contract.end_date < today, "expired"),
        (Contract.start_date > today, "not_started"),
        (Contract.end_date <= today + dt.timedelta(days=ENDING_SOON_DAYS), "ending_soon"),
        else_="in_force",
    )


class OverCapacity(RuleViolation):
    """Signing would take a team or doctor past 100%: a supervisor must confirm."""

    def __init__(self, check: CapacityCheck) -> None:
        self.check = check
        load = check.team if check.team.level == "over" else check.doctor
        name = check.team_name if check.team.level == "over" else check.doctor_name
        super().__init__(
            QT_TRANSLATE_NOOP(
                "Errors",
                "{name} would have {signed} contracts for a capacity of {capacity}: signing"
                " past the capacity needs a supervisor's confirmation.",
            ),
            name=name,
            signed=load.signed,
            capacity=load.capacity,
        )


# --- reading ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ContractPackageRow:
    package_id: int
    code: str
    name: str
    kind: str
    price_fen: int
    fund_insurance_fen: int
    fund_public_health_fen: int
    self_pay_fen: int
    valid_from: dt.date


@dataclass(frozen=True)
class ContractDetail:
    """A contract shaped for display; personal values of the guardian are masked."""

    id: int
    number: str
    resident_id: int
    resident_name: str
    resident_id_number: str  # masked
    village: str
    team_id: int
    team: str
    doctor_id: int
    doctor: str
    signed_on: dt.date
    start_date: dt.date
    end_date: dt.date
    signing_method: str
    guardian_name: str
    guardian_relation: str
    guardian_id_number: str  # masked
    guardian_phone: str  # masked
    packages: tuple[ContractPackageRow, ...]
    previous_number: str | None
    next_number: str | None
    terminated_on: dt.date | None
    termination_reason: str | None
    termination_note: str
    over_capacity_approved_by: str | None
    created_by: str | None
    status: str
    renewal_offered: bool  # the renewal window is open and it is not renewed yet

    @property
    def total_fen(self) -> int:
        return sum(p.price_fen for p in self.packages)

    @property
    def self_pay_fen(self) -> int:
        return sum(p.self_pay_fen for p in self.packages)

    @property
    def last_day(self) -> dt.date:
        return last_day_in_force(self.start_date, self.end_date, self.terminated_on)


def _renewal_window_open(contract: Contract, today: dt.date) -> bool:
    if contract.terminated_on is not None:
        return False
    opens = contract.end_date - dt.timedelta(days=RENEWAL_OPENS_DAYS)
    closes = contract.end_date + dt.timedelta(days=RENEWAL_GRACE_DAYS)
    return opens <= today <= closes


def _successor(session: Session, contract_id: int) -> str | None:
    return session.scalar(
        select(Contract.number)
        .where(Contract.previous_contract_id == contract_id)
        .order_by(Contract.id)
        .limit(1)
    )


def _get_contract(session: Session, contract_id: int) -> Contract:
    contract = session.get(Contract, contract_id)
    if contract is None:
        raise NotFound(QT_TRANSLATE_NOOP("Errors", "There is no such contract."))
    return contract


def find_contract_id(session: Session, number: str) -> int:
    found = session.scalar(select(Contract.id).where(Contract.number == clean_text(number)))
    if found is None:
        raise NotFound(QT_TRANSLATE_NOOP("Errors", "There is no contract {number}."), number=number)
    return found


def contract_detail(
    session: Session, actor: Actor, contract_id: int, today: dt.date | None = None
) -> ContractDetail:
    require(actor, Permission.VIEW_RESIDENTS)
    return _detail(session, _get_contract(session, contract_id), today or dt.date.today())


@functools.cache
def _detail_statements() -> tuple[Select[Any], Select[Any]]:
    """The names around a contract and its packages, built once (see ``_detail``)."""

    def value(column: Any, key: Any, wanted: Any) -> Any:
        return select(column).where(key == wanted).scalar_subquery()

    def parameter(name: str) -> Any:
        return bindparam(name, type_=Integer)

    resident_id, contract_id = parameter("resident_id"), parameter("contract_id")
    names = select(
        value(Resident.name, Resident.id, resident_id),
        value(Resident.id_number, Resident.id, resident_id),
        select(Village.name)
        .join(Resident, Resident.village_id == Village.id)
        .where(Resident.id == resident_id)
        .scalar_subquery(),
        value(Team.name, Team.id, parameter("team_id")),
        value(Doctor.name, Doctor.id, parameter("doctor_id")),
        value(Contract.number, Contract.id, parameter("previous_id")),
        select(Contract.number)
        .where(Contract.previous_contract_id == contract_id)
        .order_by(Contract.id)
        .limit(1)
        .scalar_subquery(),
        value(User.display_name, User.id, parameter("approver_id")),
        value(User.display_name, User.id, parameter("creator_id")),
    )
    packages = (
        select(
            ServicePackage.id,
            ServicePackage.code,
            ServicePackage.name,
            ServicePackage.kind,
            ContractPackage.price_fen,
            ContractPackage.fund_insurance_fen,
            ContractPackage.fund_public_health_fen,
            ContractPackage.self_pay_fen,
            ServicePackage.valid_from,
        )
        .join(ServicePackage, ServicePackage.id == ContractPackage.package_id)
        .where(ContractPackage.contract_id == contract_id)
        .order_by(ServicePackage.kind, ServicePackage.code)
    )
    return names, packages


def _detail(session: Session, contract: Contract, today: dt.date) -> ContractDetail:
    """The contract as the dialogs show it: two statements (it follows every signing)."""
    names, packages_of = _detail_statements()
    (
        resident_name,
        resident_id_number,
        village,
        team_name,
        doctor_name,
        previous,
        following,
        approver,
        creator,
    ) = session.execute(
        names,
        {
            "resident_id": contract.resident_id,
            "team_id": contract.team_id,
            "doctor_id": contract.doctor_id,
            "previous_id": contract.previous_contract_id,
            "contract_id": contract.id,
            "approver_id": contract.over_capacity_approved_by,
            "creator_id": contract.created_by,
        },
    ).one()
    assert resident_name is not None and team_name is not None and doctor_name is not None
    rows = session.execute(packages_of, {"contract_id": contract.id})
    packages = tuple(ContractPackageRow(*row) for row in rows)

    return ContractDetail(
        id=contract.id,
        number=contract.number,
        resident_id=contract.resident_id,
        resident_name=resident_name,
        resident_id_number=mask_id_number(resident_id_number),
        village=village or "",
        team_id=contract.team_id,
        team=team_name,
        doctor_id=contract.doctor_id,
        doctor=doctor_name,
        signed_on=contract.signed_on,
        start_date=contract.start_date,
        end_date=contract.end_date,
        signing_method=contract.signing_method,
        guardian_name=contract.guardian_name or "",
        guardian_relation=contract.guardian_relation or "",
        guardian_id_number=mask_id_number(contract.guardian_id_number),
        guardian_phone=mask_phone(contract.guardian_phone),
        packages=packages,
        previous_number=previous,
        next_number=following,
        terminated_on=contract.terminated_on,
        termination_reason=contract.termination_reason,
        termination_note=contract.termination_note or "",
        over_capacity_approved_by=approver,
        created_by=creator,
        status=status_of(contract.start_date, contract.end_date, contract.terminated_on, today),
        renewal_offered=following is None and _renewal_window_open(contract, today),
    )


def current_contract_id(
    session: Session, resident_id: int, today: dt.date | None = None
) -> int | None:
    """The resident's contract in force today, else the latest one that is not ended."""
    today = today or dt.date.today()
    found = session.scalar(
        select(Contract.id).where(Contract.resident_id == resident_id, in_force_on(today))
    )
    if found is not None:
        return found
    return session.scalar(
        select(Contract.id)
        .where(Contract.resident_id == resident_id, Contract.terminated_on.is_(None))
        .order_by(Contract.end_date.desc())
        .limit(1)
    )


def resident_contracts(
    session: Session, actor: Actor, resident_id: int, today: dt.date | None = None
) -> list[ContractDetail]:
    """Every contract of a resident, newest first."""
    require(actor, Permission.VIEW_RESIDENTS)
    today = today or dt.date.today()
    contracts = session.scalars(
        select(Contract)
        .where(Contract.resident_id == resident_id)
        .order_by(Contract.start_date.desc(), Contract.id.desc())
    ).all()
    return [_detail(session, contract, today) for contract in contracts]


# --- what the signing form needs ---------------------------------------------------------


@dataclass(frozen=True)
class ResidentForSigning:
    id: int
    name: str
    sex: str
    age: int
    birth_date: dt.date
    id_number: str  # masked
    village_id: int
    village: str
    left: bool
    lacks_capacity: bool
    guardian_name: str
    guardian_relation: str
    guardian_id_number: str  # masked
    guardian_phone: str  # masked
    populations: tuple[str, ...]

    def needs_guardian(self, on: dt.date) -> bool:
        return self.lacks_capacity or age_on(self.birth_date, on) < ADULT_AGE


@dataclass(frozen=True)
class SignContext:
    """Everything the signing dialog shows: the resident, teams, packages, the current contract."""

    resident: ResidentForSigning
    teams: tuple[TeamRow, ...]  # active teams, those serving the resident's village first
    serving_team_ids: frozenset[int]
    packages: tuple[PackageRow, ...]  # every version; the form picks those valid on its start
    current: ContractDetail | None
    renewal: RenewalPlan | None
    institution_code: str
    today: dt.date

    def packages_on(self, day: dt.date) -> list[PackageRow]:
        seen: set[str] = set()
        result = []
        for package in sorted(self.packages, key=lambda p: (p.kind, p.price_fen, p.code)):
            if package.code not in seen and package.valid_on(day):
                seen.add(package.code)
                result.append(package)
        return result


@dataclass(frozen=True)
class RenewalPlan:
    """The defaults of renewing a contract: same team, doctor and packages, the next period."""

    contract_id: int
    number: str
    team_id: int
    doctor_id: int | None  # None when the doctor is no longer on the team
    package_codes: tuple[str, ...]
    dropped_packages: tuple[str, ...]  # names of packages no longer offered
    start_date: dt.date
    end_date: dt.date
    signing_method: str
    guardian_name: str
    guardian_relation: str
    guardian_id_number: str  # masked
    guardian_phone: str  # masked


def sign_context(
    session: Session, actor: Actor, resident_id: int, today: dt.date | None = None
) -> SignContext:
    require(actor, Permission.VIEW_RESIDENTS)
    today = today or dt.date.today()
    resident = _get_resident(session, resident_id)
    village = session.get(Village, resident.village_id)
    assert village is not None
    info = ResidentForSigning(
        id=resident.id,
        name=resident.name,
        sex=resident.sex,
        age=age_on(resident.birth_date, today),
        birth_date=resident.birth_date,
        id_number=mask_id_number(resident.id_number),
        village_id=village.id,
        village=village.name,
        left=resident.left_on is not None,
        lacks_capacity=resident.lacks_capacity,
        guardian_name=resident.guardian_name or "",
        guardian_relation=resident.guardian_relation or "",
        guardian_id_number=mask_id_number(resident.guardian_id_number),
        guardian_phone=mask_phone(resident.guardian_phone),
        populations=age_populations(resident.birth_date, today)
        + tuple(sorted(tag.tag for tag in resident.tags)),
    )
    serving = frozenset(
        session.scalars(select(TeamVillage.team_id).where(TeamVillage.village_id == village.id))
    )
    teams = sorted(
        list_teams(session, today, include_inactive=False),
        key=lambda t: (t.id not in serving, t.name),
    )
    current_id = current_contract_id(session, resident_id, today)
    current = _detail(session, _get_contract(session, current_id), today) if current_id else None
    renewal = (
        _renewal_plan(session, _get_contract(session, current_id), today)
        if current is not None and current.renewal_offered
        else None
    )
    code = session.scalar(select(Institution.code).where(Institution.is_home.is_(True))) or ""
    return SignContext(
        resident=info,
        teams=tuple(teams),
        serving_team_ids=serving,
        packages=tuple(list_packages(session)),
        current=current,
        renewal=renewal,
        institution_code=code,
        today=today,
    )


def renewal_plan(
    session: Session, actor: Actor, contract_id: int, today: dt.date | None = None
) -> RenewalPlan:
    require(actor, Permission.VIEW_RESIDENTS)
    today = today or dt.date.today()
    contract = _get_contract(session, contract_id)
    _check_renewable(session, contract, today)
    return _renewal_plan(session, contract, today)


def _renewal_plan(session: Session, contract: Contract, today: dt.date) -> RenewalPlan:
    start = contract.end_date + dt.timedelta(days=1)
    codes: list[str] = []
    dropped: list[str] = []
    for link in contract.packages:
        old = session.get(ServicePackage, link.package_id)
        assert old is not None
        if package_valid_on(session, old.code, start) is not None:
            codes.append(old.code)
        else:
            dropped.append(old.name)
    member = session.scalar(
        select(TeamMember.doctor_id)
        .join(Doctor, Doctor.id == TeamMember.doctor_id)
        .where(
            TeamMember.team_id == contract.team_id,
            TeamMember.doctor_id == contract.doctor_id,
            Doctor.active.is_(True),
        )
    )
    resident = _get_resident(session, contract.resident_id)
    needs_guardian = resident.lacks_capacity or age_on(resident.birth_date, start) < ADULT_AGE
    method = "guardian" if needs_guardian or contract.signing_method == "guardian" else "in_person"
    source: Any = contract if contract.guardian_name else resident
    return RenewalPlan(
        contract_id=contract.id,
        number=contract.number,
        team_id=contract.team_id,
        doctor_id=member,
        package_codes=tuple(codes),
        dropped_packages=tuple(dropped),
        start_date=start,
        end_date=default_end(start),
        signing_method=method,
        guardian_name=(source.guardian_name or "") if method == "guardian" else "",
        guardian_relation=(source.guardian_relation or "") if method == "guardian" else "",
        guardian_id_number=mask_id_number(source.guardian_id_number)
        if method == "guardian"
        else "",
        guardian_phone=mask_phone(source.guardian_phone) if method == "guardian" else "",
    )


# --- signing -----------------------------------------------------------------------------


@dataclass
class SignInput:
    """What the signing form (or an import row) says; checked by ``sign``."""

    resident_id: int
    team_id: int | None = None
    doctor_id: int | None = None
    package_codes: tuple[str, ...] = ()
    start_date: dt.date | None = None  # default: the signing date
    end_date: dt.date | None = None  # default: one year less a day
    signed_on: dt.date | None = None  # default: today
    signing_method: str = "in_person"
    guardian_name: str = ""
    guardian_relation: str = ""
    guardian_id_number: str = ""
    guardian_phone: str = ""
    previous_contract_id: int | None = field(default=None, repr=False)


def _get_resident(session: Session, resident_id: int) -> Resident:
    resident = session.get(Resident, resident_id)
    if resident is None:
        raise NotFound(
            QT_TRANSLATE_NOOP("Errors", "There is no resident no. {id}."), id=resident_id
        )
    return resident


def institution_code(session: Session) -> str:
    code = session.scalar(select(Institution.code).where(Institution.is_home.is_(True)))
    if code is None:
        raise RuleViolation(
            QT_TRANSLATE_NOOP("Errors", "This database does not belong to an institution yet.")
        )
    return code


def next_sequence(session: Session, year: int) -> int:
    """Take the next contract sequence of ``year`` inside the caller's transaction."""
    statement = (
        sqlite_insert(ContractSequence)
        .values(year=year, last_value=1)
        .on_conflict_do_update(
            index_elements=[ContractSequence.year],
            set_={"last_value": ContractSequence.last_value + 1},
        )
        .returning(ContractSequence.last_value)
    )
    value = int(session.execute(statement).scalar_one())
    if value > MAX_SEQUENCE:
        raise RuleViolation(
            QT_TRANSLATE_NOOP(
                "Errors", "The contract numbers of {year} are used up (999999 contracts)."
            ),
            year=year,
        )
    return value


@dataclass(frozen=True)
class Approval:
    """The answer to a supervisor's confirmation: the approving actor, or why not."""

    actor: Actor | None
    error: FamilydocError | None = None

    def approver(self) -> Actor:
        if self.actor is None:
            assert self.error is not None
            raise self.error
        return self.actor


def confirm_supervisor(session: Session, username: str, password: str) -> Approval:
    """A supervisor at the workstation confirms signing past a capacity with their password.

    Run in its own unit of work, which commits even when the password is wrong (the
    answer carries the error instead of raising it): a wrong password counts towards
    the account's lock like any failed login.
    """
    result = authenticate(session, username, password)
    if result.actor is None:
        return Approval(None, result.error)
    if not result.actor.can(Permission.APPROVE_OVER_CAPACITY):
        try:
            require(result.actor, Permission.APPROVE_OVER_CAPACITY)
        except PermissionDenied as error:
            return Approval(None, error)
    return Approval(result.actor)


def _check_approver(session: Session, approver: Actor) -> None:
    require(approver, Permission.APPROVE_OVER_CAPACITY)
    stored = actor_for(session, approver.username)
    if stored.user_id != approver.user_id or stored.role != approver.role:
        raise PermissionDenied(
            QT_TRANSLATE_NOOP("Errors", "The supervisor's confirmation is not valid any more.")
        )


def _guardian_value(given: str, stored_values: Sequence[str | None], mask: Any) -> str:
    """A masked value sent back unchanged means the stored value it masks."""
    for stored in stored_values:
        if stored and given == mask(stored):
            return stored
    return given


@dataclass(frozen=True)
class _Checked:
    resident: Resident
    team: Team
    doctor: Doctor
    packages: tuple[ServicePackage, ...]
    signed_on: dt.date
    start: dt.date
    end: dt.date
    method: str
    guardian: tuple[str | None, str | None, str | None, str | None]


def check_signing(
    session: Session,
    data: SignInput,
    today: dt.date,
    *,
    guardian_sources: Sequence[Any] = (),
    ignore_contract_id: int | None = None,
) -> _Checked:
    """Every rule of signing except capacity; raises RuleViolation with the first problem."""
    resident = _get_resident(session, data.resident_id)
    if resident.left_on is not None:
        raise RuleViolation(
            QT_TRANSLATE_NOOP(
                "Errors", "{name} is marked as moved out or deceased and cannot be signed."
            ),
            name=resident.name,
        )
    signed_on = data.signed_on or today
    if signed_on > today:
        raise RuleViolation(QT_TRANSLATE_NOOP("Errors", "The signing date is in the future."))
    start = data.start_date or signed_on
    end = data.end_date or default_end(start)
    if start < resident.birth_date:
        raise RuleViolation(
            QT_TRANSLATE_NOOP("Errors", "The contract cannot start before the resident's birth.")
        )
    if end < start:
        raise RuleViolation(QT_TRANSLATE_NOOP("Errors", "The end date is before the start date."))
    if end >= add_years(start, MAX_YEARS):
        raise RuleViolation(
            QT_TRANSLATE_NOOP("Errors", "A contract runs for at most {years} years."),
            years=MAX_YEARS,
        )
    if data.team_id is None:
        raise RuleViolation(QT_TRANSLATE_NOOP("Errors", "Choose the family doctor team."))
    team = session.get(Team, data.team_id)
    if team is None:
        raise NotFound(QT_TRANSLATE_NOOP("Errors", "There is no such team."))
    if not team.active:
        raise RuleViolation(
            QT_TRANSLATE_NOOP("Errors", "The team {team} is closed."), team=team.name
        )
    if data.doctor_id is None:
        raise RuleViolation(QT_TRANSLATE_NOOP("Errors", "Choose the responsible doctor."))
    doctor = session.get(Doctor, data.doctor_id)
    if doctor is None:
        raise NotFound(QT_TRANSLATE_NOOP("Errors", "There is no such doctor."))
    member = session.scalar(
        select(TeamMember.role).where(
            TeamMember.team_id == team.id, TeamMember.doctor_id == doctor.id
        )
    )
    if member is None:
        raise RuleViolation(
            QT_TRANSLATE_NOOP(
                "Errors",
                "{doctor} is not a member of {team}: the responsible doctor must be one of"
                " the team's members.",
            ),
            doctor=doctor.name,
            team=team.name,
        )
    if not doctor.active:
        raise RuleViolation(
            QT_TRANSLATE_NOOP("Errors", "{doctor} no longer works here."), doctor=doctor.name
        )
    packages = _packages_for(session, data.package_codes, start)
    method = data.signing_method
    if method not in SIGNING_METHODS:
        raise RuleViolation(
            QT_TRANSLATE_NOOP(
                "Errors", "Choose how the contract is signed: in person or by a guardian."
            )
        )
    age = age_on(resident.birth_date, signed_on)
    if method == "in_person" and (resident.lacks_capacity or age < ADULT_AGE):
        if resident.lacks_capacity:
            raise RuleViolation(
                QT_TRANSLATE_NOOP(
                    "Errors",
                    "{name} is recorded as lacking capacity and signs through a guardian.",
                ),
                name=resident.name,
            )
        raise RuleViolation(
            QT_TRANSLATE_NOOP(
                "Errors", "{name} is {age} years old: a minor signs through a guardian."
            ),
            name=resident.name,
            age=age,
        )
    guardian: tuple[str | None, str | None, str | None, str | None] = (None, None, None, None)
    if method == "guardian":
        guardian = _check_guardian(data, resident, (*guardian_sources, resident))
    overlap = _overlapping(session, resident.id, start, end, ignore_contract_id)
    if overlap is not None:
        raise RuleViolation(
            OVERLAP_MESSAGE,
            name=resident.name,
            number=overlap.number,
            start=overlap.start_date.isoformat(),
            end=last_day_in_force(
                overlap.start_date, overlap.end_date, overlap.terminated_on
            ).isoformat(),
        )
    return _Checked(resident, team, doctor, packages, signed_on, start, end, method, guardian)


def _packages_for(
    session: Session, codes: Sequence[str], start: dt.date
) -> tuple[ServicePackage, ...]:
    """The versions valid on ``start``; the basic package is always included when there is one."""
    chosen: dict[str, ServicePackage] = {}
    for code in dict.fromkeys(clean_text(c) for c in codes if clean_text(c)):
        package = package_valid_on(session, code, start)
        if package is None:
            known = session.scalar(
                select(ServicePackage.name).where(ServicePackage.code == code).limit(1)
            )
            if known is None:
                raise RuleViolation(
                    QT_TRANSLATE_NOOP("Errors", "There is no package {code}."), code=code
                )
            raise RuleViolation(
                QT_TRANSLATE_NOOP("Errors", "The package {name} is not offered on {date}."),
                name=known,
                date=start.isoformat(),
            )
        chosen[code] = package
    basics = session.scalars(
        select(ServicePackage)
        .where(
            ServicePackage.kind == "basic",
            ServicePackage.valid_from <= start,
            or_(ServicePackage.valid_to.is_(None), ServicePackage.valid_to >= start),
        )
        .order_by(ServicePackage.code, ServicePackage.valid_from.desc())
    ).all()
    if basics and not any(p.kind == "basic" for p in chosen.values()):
        basic = basics[0]
        chosen = {basic.code: basic, **chosen}
    if not chosen:
        raise RuleViolation(QT_TRANSLATE_NOOP("Errors", "Choose at least one service package."))
    return tuple(chosen.values())


def _check_guardian(
    data: SignInput, resident: Resident, sources: Sequence[Any]
) -> tuple[str | None, str | None, str | None, str | None]:
    name = clean_name(data.guardian_name)
    relation = clean_text(data.guardian_relation)
    raw_id = _guardian_value(
        clean_text(data.guardian_id_number),
        [getattr(s, "guardian_id_number", None) for s in sources],
        mask_id_number,
    )
    phone = _guardian_value(
        clean_phone(data.guardian_phone),
        [getattr(s, "guardian_phone", None) for s in sources],
        mask_phone,
    )
    if not name or not relation or not raw_id or not phone:
        raise RuleViolation(
            QT_TRANSLATE_NOOP(
                "Errors",
                "Signing through a guardian needs the guardian's name, relation, ID number"
                " and phone.",
            )
        )
    guardian_id = validate_id_number(raw_id).number
    if resident.id_number and guardian_id == resident.id_number:
        raise RuleViolation(
            QT_TRANSLATE_NOOP("Errors", "The guardian's ID number is the resident's own.")
        )
    checked_phone = check_phone(phone, required=True)
    if len(name) > 50 or len(relation) > 20:
        raise RuleViolation(
            QT_TRANSLATE_NOOP("Errors", "The guardian's name or relation is too long.")
        )
    return name, relation, guardian_id, checked_phone


def _overlapping(
    session: Session,
    resident_id: int,
    start: dt.date,
    end: dt.date,
    ignore_contract_id: int | None = None,
) -> Contract | None:
    for contract in session.scalars(
        select(Contract).where(
            Contract.resident_id == resident_id,
            Contract.start_date <= end,
            Contract.end_date >= start,
        )
    ):
        if contract.id == ignore_contract_id:
            continue
        last = last_day_in_force(contract.start_date, contract.end_date, contract.terminated_on)
        if contract.start_date <= last and start <= last:
            return contract
    return None


def _store(
    session: Session,
    actor: Actor,
    checked: _Checked,
    *,
    action: str,
    previous_contract_id: int | None,
    approver: Actor | None,
    today: dt.date,
    code: str | None = None,
    capacity: CapacityCheck | None = None,
) -> Contract:
    """Check capacity, take the number and insert the contract with its fee snapshot."""
    check = capacity or capacity_check(session, checked.team.id, checked.doctor.id, checked.start)
    approved_by: int | None = None
    if check.over:
        if approver is None:
            raise OverCapacity(check)
        _check_approver(session, approver)
        approved_by = approver.user_id
    year = checked.signed_on.year
    sequence = next_sequence(session, year)
    number = f"{code or institution_code(session)}-{year}-{sequence:06d}"
    name, relation, guardian_id, guardian_phone = checked.guardian
    contract = Contract(
        number=number,
        year=year,
        sequence=sequence,
        resident_id=checked.resident.id,
        team_id=checked.team.id,
        doctor_id=checked.doctor.id,
        signed_on=checked.signed_on,
        start_date=checked.start,
        end_date=checked.end,
        signing_method=checked.method,
        guardian_name=name,
        guardian_relation=relation,
        guardian_id_number=guardian_id,
        guardian_phone=guardian_phone,
        previous_contract_id=previous_contract_id,
        over_capacity_approved_by=approved_by,
        created_by=actor.user_id,
        packages=[
            ContractPackage(
                package_id=package.id,
                price_fen=package.price_fen,
                fund_insurance_fen=package.fund_insurance_fen,
                fund_public_health_fen=package.fund_public_health_fen,
                self_pay_fen=package.self_pay_fen,
            )
            for package in checked.packages
        ],
    )
    session.add(contract)
    try:
        session.flush()
    except DBAPIError as exc:
        if "contract_overlap" in str(exc):
            raise RuleViolation(RACE_MESSAGE) from exc
        raise
    changes: dict[str, Any] = {
        "number": number,
        "resident_id": checked.resident.id,
        "team": checked.team.name,
        "doctor": checked.doctor.name,
        "packages": [p.code for p in checked.packages],
        "signed_on": checked.signed_on,
        "start_date": checked.start,
        "end_date": checked.end,
        "signing_method": checked.method,
    }
    if checked.method == "guardian":
        changes.update(
            guardian_name=name, guardian_id_number=guardian_id, guardian_phone=guardian_phone
        )
    if previous_contract_id is not None:
        changes["previous_contract_id"] = previous_contract_id
    if approved_by is not None and approver is not None:
        changes["over_capacity_approved_by"] = approver.username
    audit.record(
        session,
        user_id=actor.user_id,
        username=actor.username,
        action=action,
        entity_type="contract",
        entity_id=contract.id,
        changes=changes,
    )
    if approved_by is not None and approver is not None:
        audit.record(
            session,
            user_id=approver.user_id,
            username=approver.username,
            action="contract.over_capacity",
            entity_type="contract",
            entity_id=contract.id,
            changes={
                "number": number,
                "team": check.team_name,
                "team_load": [check.team.signed, check.team.capacity],
                "doctor": check.doctor_name,
                "doctor_load": [check.doctor.signed, check.doctor.capacity],
                "signed_by": actor.username,
            },
        )
    return contract


def sign(
    session: Session,
    actor: Actor,
    data: SignInput,
    *,
    approver: Actor | None = None,
    today: dt.date | None = None,
) -> ContractDetail:
    """Sign a resident to a team; ``approver`` is the supervisor who confirmed an over-capacity."""
    today = today or dt.date.today()
    contract_id, _number = sign_row(session, actor, data, approver=approver, today=today)
    return _detail(session, _get_contract(session, contract_id), today)


def sign_row(
    session: Session,
    actor: Actor,
    data: SignInput,
    *,
    approver: Actor | None = None,
    today: dt.date | None = None,
    code: str | None = None,
) -> tuple[int, str]:
    """``sign`` without reading the contract back, for batches (imports) that show no detail.

    The same rules, numbering and audit as ``sign``; returns the contract's id and number.
    ``code`` is the institution code, passed by a batch so it is read once.
    """
    require(actor, Permission.SIGN_CONTRACT)
    today = today or dt.date.today()
    checked = check_signing(session, data, today)
    contract = _store(
        session,
        actor,
        checked,
        action="contract.sign",
        previous_contract_id=None,
        approver=approver,
        today=today,
        code=code,
    )
    return contract.id, contract.number


def _check_renewable(session: Session, contract: Contract, today: dt.date) -> None:
    following = _successor(session, contract.id)
    if following is not None:
        raise RuleViolation(
            QT_TRANSLATE_NOOP("Errors", "Contract {number} was already renewed as {next}."),
            number=contract.number,
            next=following,
        )
    if contract.terminated_on is not None:
        raise RuleViolation(
            QT_TRANSLATE_NOOP(
                "Errors", "Contract {number} was ended early; sign a new contract instead."
            ),
            number=contract.number,
        )
    opens = contract.end_date - dt.timedelta(days=RENEWAL_OPENS_DAYS)
    if today < opens:
        raise RuleViolation(
            QT_TRANSLATE_NOOP(
                "Errors",
                "Contract {number} ends on {end}: renewal is offered from {opens}.",
            ),
            number=contract.number,
            end=contract.end_date.isoformat(),
            opens=opens.isoformat(),
        )
    if today > contract.end_date + dt.timedelta(days=RENEWAL_GRACE_DAYS):
        raise RuleViolation(
            QT_TRANSLATE_NOOP(
                "Errors",
                "Contract {number} ended on {end}, more than {days} days ago: sign a new"
                " contract instead.",
            ),
            number=contract.number,
            end=contract.end_date.isoformat(),
            days=RENEWAL_GRACE_DAYS,
        )


def renew(
    session: Session,
    actor: Actor,
    contract_id: int,
    data: SignInput | None = None,
    *,
    approver: Actor | None = None,
    today: dt.date | None = None,
) -> ContractDetail:
    """A new contract linked to ``contract_id``, starting the day after it ends.

    Without ``data`` the renewal keeps the team, doctor, packages and guardian
    (the two-click renewal of the contracts list).
    """
    require(actor, Permission.SIGN_CONTRACT)
    today = today or dt.date.today()
    old = _get_contract(session, contract_id)
    _check_renewable(session, old, today)
    plan = _renewal_plan(session, old, today)
    if data is None:
        if plan.doctor_id is None:
            doctor = session.get(Doctor, old.doctor_id)
            raise RuleViolation(
                QT_TRANSLATE_NOOP(
                    "Errors",
                    "{doctor} is no longer on the team: open the renewal form and choose the"
                    " responsible doctor.",
                ),
                doctor=doctor.name if doctor else "",
            )
        data = SignInput(
            resident_id=old.resident_id,
            team_id=plan.team_id,
            doctor_id=plan.doctor_id,
            package_codes=plan.package_codes,
            signing_method=plan.signing_method,
            guardian_name=plan.guardian_name,
            guardian_relation=plan.guardian_relation,
            guardian_id_number=plan.guardian_id_number,
            guardian_phone=plan.guardian_phone,
        )
    if data.resident_id != old.resident_id:
        raise RuleViolation(QT_TRANSLATE_NOOP("Errors", "A renewal is for the same resident."))
    data = replace(data, start_date=plan.start_date)
    checked = check_signing(session, data, today, guardian_sources=(old,))
    contract = _store(
        session,
        actor,
        checked,
        action="contract.renew",
        previous_contract_id=old.id,
        approver=approver,
        today=today,
    )
    return _detail(session, contract, today)


def end_contract(
    session: Session,
    actor: Actor,
    contract_id: int,
    *,
    on: dt.date,
    reason: str,
    note: str = "",
    today: dt.date | None = None,
) -> ContractDetail:
    """End a contract early: ``on`` is the first day it is no longer in force."""
    require(actor, Permission.END_CONTRACT)
    today = today or dt.date.today()
    contract = _get_contract(session, contract_id)
    if reason not in END_REASONS:
        if reason == "changed_team":
            raise RuleViolation(
                QT_TRANSLATE_NOOP("Errors", "Use “Change team” to move a resident to another team.")
            )
        raise RuleViolation(QT_TRANSLATE_NOOP("Errors", "Choose the reason for ending."))
    note = clean_text(note)
    if reason == "other" and not note:
        raise RuleViolation(QT_TRANSLATE_NOOP("Errors", "Say in the note why the contract ends."))
    if len(note) > 200:
        raise RuleViolation(QT_TRANSLATE_NOOP("Errors", "The note has at most 200 characters."))
    _terminate(session, actor, contract, on, reason, note, action="contract.end")
    return _detail(session, contract, today)


def _terminate(
    session: Session,
    actor: Actor,
    contract: Contract,
    on: dt.date,
    reason: str,
    note: str,
    *,
    action: str,
) -> None:
    if contract.terminated_on is not None:
        raise RuleViolation(
            QT_TRANSLATE_NOOP("Errors", "Contract {number} was already ended on {date}."),
            number=contract.number,
            date=contract.terminated_on.isoformat(),
        )
    if on < contract.start_date or on > contract.end_date:
        raise RuleViolation(
            QT_TRANSLATE_NOOP(
                "Errors",
                "The contract runs from {start} to {end}: the date it ends must lie in that"
                " period.",
            ),
            start=contract.start_date.isoformat(),
            end=contract.end_date.isoformat(),
        )
    contract.terminated_on = on
    contract.termination_reason = reason
    contract.termination_note = note or None
    session.flush()
    audit.record(
        session,
        user_id=actor.user_id,
        username=actor.username,
        action=action,
        entity_type="contract",
        entity_id=contract.id,
        changes={
            "number": contract.number,
            "terminated_on": on,
            "termination_reason": reason,
            "termination_note": note or None,
        },
    )


def change_team(
    session: Session,
    actor: Actor,
    contract_id: int,
    *,
    on: dt.date,
    team_id: int,
    doctor_id: int,
    package_codes: Sequence[str] | None = None,
    end_date: dt.date | None = None,
    note: str = "",
    approver: Actor | None = None,
    today: dt.date | None = None,
) -> ContractDetail:
    """End the contract on ``on`` (reason changed team) and sign another from the same day.

    The new contract keeps the end date, packages and guardian unless given.
    """
    require(actor, Permission.SIGN_CONTRACT)
    require(actor, Permission.END_CONTRACT)
    today = today or dt.date.today()
    old = _get_contract(session, contract_id)
    if team_id == old.team_id:
        raise RuleViolation(
            QT_TRANSLATE_NOOP("Errors", "Choose a team other than the contract's own.")
        )
    if old.terminated_on is not None:
        raise RuleViolation(
            QT_TRANSLATE_NOOP("Errors", "Contract {number} was already ended on {date}."),
            number=old.number,
            date=old.terminated_on.isoformat(),
        )
    if not old.start_date <= on <= old.end_date:
        raise RuleViolation(
            QT_TRANSLATE_NOOP(
                "Errors",
                "The contract runs from {start} to {end}: the date it ends must lie in that"
                " period.",
            ),
            start=old.start_date.isoformat(),
            end=old.end_date.isoformat(),
        )
    if package_codes is None:
        package_codes = []
        for link in old.packages:
            package = session.get(ServicePackage, link.package_id)
            if package is not None and package_valid_on(session, package.code, on) is not None:
                package_codes.append(package.code)
    data = SignInput(
        resident_id=old.resident_id,
        team_id=team_id,
        doctor_id=doctor_id,
        package_codes=tuple(package_codes),
        start_date=on,
        end_date=end_date or old.end_date,
        signed_on=min(on, today),
        signing_method=old.signing_method,
        guardian_name=old.guardian_name or "",
        guardian_relation=old.guardian_relation or "",
        guardian_id_number=mask_id_number(old.guardian_id_number),
        guardian_phone=mask_phone(old.guardian_phone),
    )
    checked = check_signing(
        session, data, today, guardian_sources=(old,), ignore_contract_id=old.id
    )
    capacity = capacity_check(session, team_id, doctor_id, on, exclude_contract_id=old.id)
    _terminate(
        session,
        actor,
        old,
        on,
        "changed_team",
        clean_text(note),
        action="contract.end",
    )
    contract = _store(
        session,
        actor,
        checked,
        action="contract.change_team",
        previous_contract_id=old.id,
        approver=approver,
        today=today,
        capacity=capacity,
    )
    return _detail(session, contract, today)


def end_for_leaving(
    session: Session, actor: Actor, resident_id: int, on: dt.date, reason: str, note: str = ""
) -> list[str]:
    """A resident moved out or died on ``on``: end their contracts from that day.

    Called by ``residents.mark_left`` in its transaction (whoever may record the
    departure ends the contract with it). A contract starting later is ended on its
    first day, so it is never in force. Returns the numbers of the contracts ended.
    """
    ended = []
    for contract in session.scalars(
        select(Contract)
        .where(
            Contract.resident_id == resident_id,
            Contract.end_date >= on,
            Contract.terminated_on.is_(None),
        )
        .order_by(Contract.start_date)
    ):
        _terminate(
            session,
            actor,
            contract,
            max(on, contract.start_date),
            reason,
            clean_text(note),
            action="contract.end",
        )
        ended.append(contract.number)
    return ended


# --- the contracts list -------------------------------------------------------------------

CONTRACT_LIST_COLUMNS = (
    "id",
    "number",
    "resident",
    "village",
    "team",
    "doctor",
    "signed_on",
    "start_date",
    "end_date",
    "status",
    "renewed_as",
    "resident_id",
    "termination_reason",
    "self_pay_fen",
)
SORT_KEYS = (
    "number",
    "resident",
    "village",
    "team",
    "doctor",
    "start_date",
    "end_date",
    "status",
)


@dataclass(frozen=True)
class ContractFilter:
    text: str = ""
    status: str | None = None  # one of STATUS_FILTERS; None: all
    ending_within: int | None = None  # 30 / 60 / 90: in force, ending by then, not renewed
    team_id: int | None = None
    doctor_id: int | None = None
    village_id: int | None = None
    sort: str | None = None  # one of SORT_KEYS; None: newest first (or by end when ending)
    descending: bool = False

    def with_(self, **changes: Any) -> ContractFilter:
        return replace(self, **changes)


def contract_list(filters: ContractFilter, today: dt.date | None = None) -> PagedQuery:
    """The contracts for the filters: counted, sorted and paged in SQL."""
    today = today or dt.date.today()
    following = aliased(Contract)
    renewed_as = (
        select(following.number)
        .where(following.previous_contract_id == Contract.id)
        .order_by(following.id)
        .limit(1)
        .correlate(Contract)
        .scalar_subquery()
    )
    self_pay = (
        select(func.coalesce(func.sum(ContractPackage.self_pay_fen), 0))
        .where(ContractPackage.contract_id == Contract.id)
        .correlate(Contract)
        .scalar_subquery()
    )
    status = status_expression(today)
    base = (
        select(
            Contract.id,
            Contract.number,
            Resident.name,
            Village.name,
            Team.name,
            Doctor.name,
            Contract.signed_on,
            Contract.start_date,
            Contract.end_date,
            status,
            renewed_as,
            Contract.resident_id,
            Contract.termination_reason,
            self_pay,
        )
        .join(Resident, Resident.id == Contract.resident_id)
        .join(Village, Village.id == Resident.village_id)
        .join(Team, Team.id == Contract.team_id)
        .join(Doctor, Doctor.id == Contract.doctor_id)
    )
    conditions: list[Any] = []
    text = clean_text(filters.text).replace(" ", "")
    if text:
        found = search_condition(text)
        by_number = Contract.number.contains(text.upper())
        conditions.append(or_(found, by_number) if found is not None else by_number)
    if filters.status == "in_force":
        conditions.append(in_force_on(today))
    elif filters.status == "not_started":
        conditions.append(
            and_(
                Contract.start_date > today,
                or_(Contract.terminated_on.is_(None), Contract.terminated_on > today),
            )
        )
    elif filters.status == "expired":
        conditions.append(
            and_(
                Contract.end_date < today,
                or_(Contract.terminated_on.is_(None), Contract.terminated_on > today),
            )
        )
    elif filters.status == "terminated":
        conditions.append(
            and_(Contract.terminated_on.is_not(None), Contract.terminated_on <= today)
        )
    if filters.ending_within:
        conditions.append(in_force_on(today))
        conditions.append(Contract.end_date <= today + dt.timedelta(days=filters.ending_within))
        conditions.append(~exists().where(following.previous_contract_id == Contract.id))
    if filters.team_id is not None:
        conditions.append(Contract.team_id == filters.team_id)
    if filters.doctor_id is not None:
        conditions.append(Contract.doctor_id == filters.doctor_id)
    if filters.village_id is not None:
        conditions.append(Resident.village_id == filters.village_id)
    if conditions:
        base = base.where(and_(*conditions))
    sort_columns = {
        "number": Contract.number,
        "resident": Resident.name_pinyin,
        "village": Village.code,
        "team": Team.name,
        "doctor": Doctor.name,
        "start_date": Contract.start_date,
        "end_date": Contract.end_date,
        "status": status,
    }
    if filters.sort in sort_columns:
        column = sort_columns[filters.sort]
        order = (
            column.desc() if filters.descending else column.asc(),
            Contract.id.desc() if filters.descending else Contract.id.asc(),
        )
    elif filters.ending_within:
        order = (Contract.end_date.asc(), Contract.id.asc())
    else:
        order = (Contract.id.desc(),)
    return PagedQuery(CONTRACT_LIST_COLUMNS, base, order, tuple)


def filter_choices(session: Session) -> dict[str, list[tuple[int, str]]]:
    """Teams, doctors (responsible for some contract or on a team) and villages for the filters."""
    teams = [tuple(r) for r in session.execute(select(Team.id, Team.name).order_by(Team.name))]
    doctors = [
        tuple(r)
        for r in session.execute(
            select(Doctor.id, Doctor.name)
            .where(
                or_(
                    exists().where(TeamMember.doctor_id == Doctor.id),
                    exists().where(Contract.doctor_id == Doctor.id),
                )
            )
            .order_by(Doctor.name)
        )
    ]
    villages = [
        tuple(r) for r in session.execute(select(Village.id, Village.name).order_by(Village.code))
    ]
    return {"teams": teams, "doctors": doctors, "villages": villages}  # type: ignore[dict-item]
