"""Institutions, doctors, family doctor teams and service packages.

Doctors belong to an institution (the township centre, a village clinic or the
partner county hospital) and may serve on several teams. A team has a leader,
members in roles and the villages it serves. Teams and doctors have capacities:
the signing form warns from 90% and signing past 100% needs a supervisor
(see ``capacity_check`` and ``familydoc.core.contracts``).

Service packages are versioned: a new price or content is a new row with the
same code and a later ``valid_from``, and the version before it ends the day
before, so a contract keeps pointing at the version it was signed with.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Date, Integer, Select, and_, bindparam, func, or_, select
from sqlalchemy.orm import Session

from familydoc.core import audit
from familydoc.core.auth import Actor, Permission, require
from familydoc.core.errors import QT_TRANSLATE_NOOP, NotFound, RuleViolation
from familydoc.core.models import (
    INSTITUTION_KINDS,
    KEY_POPULATIONS,
    PACKAGE_KINDS,
    TEAM_ROLES,
    Contract,
    ContractPackage,
    Doctor,
    Institution,
    ServicePackage,
    ServicePackageItem,
    Team,
    TeamMember,
    TeamVillage,
    Village,
)
from familydoc.core.names import pinyin_order
from familydoc.core.queries import in_force_on
from familydoc.core.residents import clean_name, clean_phone, clean_text

WARN_RATIO = 0.9  # the form warns from 90% of a capacity
_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^0\d{2,3}\d{7,8}$")
_LICENCE = re.compile(r"^[0-9A-Za-z\-]{4,40}$")
_PACKAGE_CODE = re.compile(r"^[a-z0-9_]{1,40}$")
_SERVICE_PHONE = re.compile(r"^[0-9][0-9\- ]{4,19}$")
_INSTITUTION_CODE = re.compile(r"^[0-9A-Za-z]{1,32}$")


def _audit(
    session: Session, actor: Actor, action: str, entity_type: str, entity_id: object, **changes: Any
) -> None:
    audit.record(
        session,
        user_id=actor.user_id,
        username=actor.username,
        action=action,
        entity_type=entity_type,
        entity_id=entity_id,
        changes=changes,
    )


def plain_text(value: object) -> str:
    """Trimmed, inner runs of spaces made one; punctuation kept as typed (（心内科）)."""
    return " ".join(("" if value is None else str(value)).replace("\u3000", " ").split())


def check_phone(phone: str, *, required: bool = False) -> str | None:
    value = clean_phone(phone)
    if not value:
        if required:
            raise RuleViolation(QT_TRANSLATE_NOOP("Errors", "Enter a phone number."))
        return None
    if not (_MOBILE.match(value) or _LANDLINE.match(value)):
        raise RuleViolation(
            QT_TRANSLATE_NOOP(
                "Errors",
                "The phone number {value} is neither an 11-digit mobile number nor a"
                " landline with its area code.",
            ),
            value=phone,
        )
    return value


def _service_phone(value: str) -> str | None:
    text = plain_text(value)
    if not text:
        return None
    if not _SERVICE_PHONE.match(text):
        raise RuleViolation(
            QT_TRANSLATE_NOOP(
                "Errors", "An institution's phone is 5 to 20 digits, with dashes if you like."
            )
        )
    return text


def _check_capacity(value: int | None) -> int | None:
    if value is None:
        return None
    if value < 0 or value > 100_000:
        raise RuleViolation(
            QT_TRANSLATE_NOOP("Errors", "A capacity must be a number from 0 to 100000.")
        )
    return int(value)


def not_ended_before(day: dt.date) -> Any:
    """SQL condition: the contract is in force on ``day`` or starts later (and is not ended)."""
    return and_(
        Contract.end_date >= day,
        or_(Contract.terminated_on.is_(None), Contract.terminated_on > day),
        or_(Contract.terminated_on.is_(None), Contract.terminated_on > Contract.start_date),
    )


def home_institution_id(session: Session) -> int:
    found = session.scalar(select(Institution.id).where(Institution.is_home.is_(True)))
    if found is None:
        raise RuleViolation(
            QT_TRANSLATE_NOOP("Errors", "This database does not belong to an institution yet.")
        )
    return found


# --- institutions ------------------------------------------------------------------------


@dataclass(frozen=True)
class InstitutionRow:
    id: int
    code: str
    name: str
    kind: str
    is_home: bool
    phone: str
    supervision_phone: str
    address: str
    doctors: int


@dataclass
class InstitutionInput:
    code: str = ""
    name: str = ""
    kind: str = "village_clinic"
    phone: str = ""
    supervision_phone: str = ""
    address: str = ""


def list_institutions(session: Session) -> list[InstitutionRow]:
    doctors = (
        select(Doctor.institution_id, func.count().label("n"))
        .group_by(Doctor.institution_id)
        .subquery()
    )
    rows = session.execute(
        select(Institution, func.coalesce(doctors.c.n, 0))
        .outerjoin(doctors, doctors.c.institution_id == Institution.id)
        .order_by(Institution.is_home.desc(), Institution.kind, Institution.code)
    ).all()
    return [
        InstitutionRow(
            id=inst.id,
            code=inst.code,
            name=inst.name,
            kind=inst.kind,
            is_home=inst.is_home,
            phone=inst.phone or "",
            supervision_phone=inst.supervision_phone or "",
            address=inst.address or "",
            doctors=int(count),
        )
        for inst, count in rows
    ]


def save_institution(
    session: Session, actor: Actor, institution_id: int | None, data: InstitutionInput
) -> InstitutionRow:
    """Add a village clinic or partner hospital, or change an institution's details.

    The home institution keeps its code and kind: its code starts every contract number.
    """
    require(actor, Permission.MANAGE_TEAMS)
    name = plain_text(data.name)
    code = clean_text(data.code).replace(" ", "")
    if not name or len(name) > 100:
        raise RuleViolation(
            QT_TRANSLATE_NOOP("Errors", "An institution needs a name of at most 100 characters.")
        )
    # Kept as typed (0516-89210120 reads better on the contract); hotlines like 12320 too.
    phone = _service_phone(data.phone)
    supervision = _service_phone(data.supervision_phone)
    address = plain_text(data.address) or None
    if institution_id is None:
        institution = Institution(is_home=False)
    else:
        found = session.get(Institution, institution_id)
        if found is None:
            raise NotFound(QT_TRANSLATE_NOOP("Errors", "There is no such institution."))
        institution = found
    if institution.is_home:
        code, kind = institution.code, institution.kind
    else:
        kind = data.kind
        if kind not in INSTITUTION_KINDS or kind == "township_centre":
            raise RuleViolation(
                QT_TRANSLATE_NOOP(
                    "Errors", "Choose a village clinic or a partner hospital as the kind."
                )
            )
        if not _INSTITUTION_CODE.match(code):
            raise RuleViolation(
                QT_TRANSLATE_NOOP(
                    "Errors", "The institution code must be 1 to 32 letters or digits."
                )
            )
        clash = session.scalar(
            select(Institution.id).where(
                Institution.code == code, Institution.id != (institution_id or 0)
            )
        )
        if clash is not None:
            raise RuleViolation(
                QT_TRANSLATE_NOOP("Errors", "The institution code {code} is taken."), code=code
            )
    changes: dict[str, Any] = {}
    for attr, value in (
        ("code", code),
        ("name", name),
        ("kind", kind),
        ("phone", phone),
        ("supervision_phone", supervision),
        ("address", address),
    ):
        old = getattr(institution, attr, None)
        if old != value:
            changes[attr] = (old, value) if institution_id is not None else value
            setattr(institution, attr, value)
    if not institution.is_home and institution.parent_id is None and kind == "village_clinic":
        institution.parent_id = home_institution_id(session)
    session.add(institution)
    session.flush()
    if changes:
        _audit(
            session,
            actor,
            "institution.create" if institution_id is None else "institution.update",
            "institution",
            institution.id,
            **changes,
        )
    return next(row for row in list_institutions(session) if row.id == institution.id)


# --- capacities --------------------------------------------------------------------------


@dataclass(frozen=True)
class Load:
    """Contracts in force against a capacity (None: no capacity set)."""

    signed: int
    capacity: int | None

    @property
    def ratio(self) -> float | None:
        if self.capacity is None:
            return None
        if self.capacity == 0:
            return float("inf") if self.signed else 0.0
        return self.signed / self.capacity

    def after_one_more(self) -> Load:
        return Load(self.signed + 1, self.capacity)

    @property
    def level(self) -> str:
        """``none`` (no capacity), ``ok``, ``warn`` (from 90%) or ``over`` (past 100%)."""
        ratio = self.ratio
        if ratio is None:
            return "none"
        if self.capacity is not None and self.signed > self.capacity:
            return "over"
        return "warn" if ratio >= WARN_RATIO else "ok"


@dataclass(frozen=True)
class CapacityCheck:
    """The loads of a team and a doctor once one more contract is signed with them."""

    team_name: str
    doctor_name: str
    team: Load
    doctor: Load

    @property
    def over(self) -> bool:
        return "over" in (self.team.level, self.doctor.level)

    @property
    def warn(self) -> bool:
        return self.over or "warn" in (self.team.level, self.doctor.level)


def _signed_count(column: Any, owner: Any, day: Any, exclude_contract_id: Any) -> Any:
    """SQL: contracts in force on ``day`` whose ``column`` (team or doctor) is ``owner``;
    ``exclude_contract_id`` may be NULL (ids start at 1, so 0 leaves none out)."""
    return (
        select(func.count())
        .select_from(Contract)
        .where(
            column == owner,
            in_force_on(day),
            Contract.id != func.coalesce(exclude_contract_id, 0),
        )
        .scalar_subquery()
    )


def _value(column: Any, key: Any, value: Any) -> Any:
    return select(column).where(key == value).scalar_subquery()


@functools.cache
def _capacity_statement() -> Select[Any]:
    """Built once: it runs for every signing and every imported row, and building the SQL
    costs as much as running it."""
    day, exclude = bindparam("day", type_=Date), bindparam("exclude", type_=Integer)
    team_id, doctor_id = bindparam("team_id", type_=Integer), bindparam("doctor_id", type_=Integer)
    return select(
        _value(Team.name, Team.id, team_id),
        _value(Team.capacity, Team.id, team_id),
        _signed_count(Contract.team_id, team_id, day, exclude),
        _value(Doctor.name, Doctor.id, doctor_id),
        _value(Doctor.capacity, Doctor.id, doctor_id),
        _signed_count(Contract.doctor_id, doctor_id, day, exclude),
    )


def capacity_check(
    session: Session,
    team_id: int,
    doctor_id: int,
    day: dt.date,
    *,
    exclude_contract_id: int | None = None,
    extra_team: int = 0,
    extra_doctor: int = 0,
) -> CapacityCheck:
    """Loads after signing one more contract starting ``day`` (``extra_*``: not yet stored)."""
    parameters = {
        "team_id": team_id,
        "doctor_id": doctor_id,
        "day": day,
        "exclude": exclude_contract_id,
    }
    team_name, team_capacity, team_signed, doctor_name, doctor_capacity, doctor_signed = (
        session.execute(_capacity_statement(), parameters).one()
    )
    return CapacityCheck(
        team_name or "",
        doctor_name or "",
        Load(int(team_signed) + extra_team + 1, team_capacity),
        Load(int(doctor_signed) + extra_doctor + 1, doctor_capacity),
    )


# --- doctors -----------------------------------------------------------------------------


@dataclass(frozen=True)
class DoctorRow:
    id: int
    name: str
    sex: str
    title: str
    licence_no: str
    phone: str
    institution_id: int
    institution: str
    capacity: int | None
    signed: int  # contracts in force today with this responsible doctor
    active: bool
    teams: tuple[tuple[str, str], ...]  # (team name, role)

    @property
    def load(self) -> Load:
        return Load(self.signed, self.capacity)


@dataclass
class DoctorInput:
    name: str = ""
    sex: str = ""
    title: str = ""
    licence_no: str = ""
    phone: str = ""
    institution_id: int | None = None
    capacity: int | None = None
    active: bool = True


def list_doctors(session: Session, day: dt.date | None = None) -> list[DoctorRow]:
    day = day or dt.date.today()
    signed = (
        select(Contract.doctor_id, func.count().label("n"))
        .where(in_force_on(day))
        .group_by(Contract.doctor_id)
        .subquery()
    )
    teams: dict[int, list[tuple[str, str]]] = {}
    for doctor_id, team, role in session.execute(
        select(TeamMember.doctor_id, Team.name, TeamMember.role)
        .join(Team, Team.id == TeamMember.team_id)
        .order_by(Team.name)
    ):
        teams.setdefault(doctor_id, []).append((team, role))
    rows = sorted(
        session.execute(
            select(Doctor, Institution.name, func.coalesce(signed.c.n, 0), Institution.is_home)
            .join(Institution, Institution.id == Doctor.institution_id)
            .outerjoin(signed, signed.c.doctor_id == Doctor.id)
        ).all(),
        key=lambda row: (not row[0].active, not row[3], pinyin_order(row[0].name)),
    )
    return [
        DoctorRow(
            id=doctor.id,
            name=doctor.name,
            sex=doctor.sex or "",
            title=doctor.title or "",
            licence_no=doctor.licence_no or "",
            phone=doctor.phone or "",
            institution_id=doctor.institution_id,
            institution=institution,
            capacity=doctor.capacity,
            signed=int(count),
            active=doctor.active,
            teams=tuple(teams.get(doctor.id, ())),
        )
        for doctor, institution, count, _home in rows
    ]


def save_doctor(
    session: Session, actor: Actor, doctor_id: int | None, data: DoctorInput
) -> DoctorRow:
    require(actor, Permission.MANAGE_TEAMS)
    name = clean_name(data.name)
    if not name or len(name) > 50:
        raise RuleViolation(
            QT_TRANSLATE_NOOP("Errors", "A doctor needs a name of at most 50 characters.")
        )
    if data.sex not in ("", "M", "F"):
        raise RuleViolation(QT_TRANSLATE_NOOP("Errors", "Choose 男 or 女 as the sex."))
    title = plain_text(data.title)
    if not title or len(title) > 30:
        raise RuleViolation(
            QT_TRANSLATE_NOOP(
                "Errors",
                "Enter the doctor's professional title (for example 全科主治医师 or 乡村医生).",
            )
        )
    licence = clean_text(data.licence_no).replace(" ", "").upper()
    if not _LICENCE.match(licence):
        raise RuleViolation(
            QT_TRANSLATE_NOOP(
                "Errors",
                "Enter the practice licence number (4 to 40 letters or digits) as it is on"
                " the certificate.",
            )
        )
    clash = session.execute(
        select(Doctor.id, Doctor.name).where(
            Doctor.licence_no == licence, Doctor.id != (doctor_id or 0)
        )
    ).first()
    if clash is not None:
        raise RuleViolation(
            QT_TRANSLATE_NOOP("Errors", "The licence number {licence} already belongs to {name}."),
            licence=licence,
            name=clash[1],
        )
    phone = check_phone(data.phone, required=True)
    if data.institution_id is None or session.get(Institution, data.institution_id) is None:
        raise RuleViolation(QT_TRANSLATE_NOOP("Errors", "Choose the doctor's institution."))
    capacity = _check_capacity(data.capacity)
    if doctor_id is None:
        doctor = Doctor()
        session.add(doctor)
    else:
        found = session.get(Doctor, doctor_id)
        if found is None:
            raise NotFound(QT_TRANSLATE_NOOP("Errors", "There is no such doctor."))
        doctor = found
    changes: dict[str, Any] = {}
    for attr, value in (
        ("name", name),
        ("sex", data.sex or None),
        ("title", title),
        ("licence_no", licence),
        ("phone", phone),
        ("institution_id", data.institution_id),
        ("capacity", capacity),
        ("active", bool(data.active)),
    ):
        old = getattr(doctor, attr, None)
        if old != value:
            changes[attr] = (old, value) if doctor_id is not None else value
            setattr(doctor, attr, value)
    session.flush()
    if changes:
        _audit(
            session,
            actor,
            "doctor.create" if doctor_id is None else "doctor.update",
            "doctor",
            doctor.id,
            **changes,
        )
    return next(row for row in list_doctors(session) if row.id == doctor.id)


def add_named_doctor(session: Session, actor: Actor, name: str) -> int:
    """A doctor of the home institution known only by name, as an imported roster names them.

    The roster has no title, licence number or phone; the teams page asks for them
    when the doctor is next edited. Returns the new doctor's id.
    """
    require(actor, Permission.MANAGE_TEAMS)
    cleaned = clean_name(name)
    if not cleaned or len(cleaned) > 50:
        raise RuleViolation(
            QT_TRANSLATE_NOOP("Errors", "A doctor needs a name of at most 50 characters.")
        )
    doctor = Doctor(name=cleaned, institution_id=home_institution_id(session), active=True)
    session.add(doctor)
    session.flush()
    _audit(
        session,
        actor,
        "doctor.create",
        "doctor",
        doctor.id,
        name=cleaned,
        institution_id=doctor.institution_id,
        active=True,
    )
    return doctor.id


# --- teams -------------------------------------------------------------------------------


@dataclass(frozen=True)
class MemberRow:
    doctor_id: int
    name: str
    role: str
    title: str
    phone: str
    institution: str
    active: bool


@dataclass(frozen=True)
class TeamRow:
    id: int
    name: str
    leader_id: int | None
    leader: str
    capacity: int | None
    signed: int  # contracts in force today
    active: bool
    members: tuple[MemberRow, ...]
    villages: tuple[tuple[int, str], ...]  # (village id, name)

    @property
    def load(self) -> Load:
        return Load(self.signed, self.capacity)


@dataclass
class TeamInput:
    name: str = ""
    leader_id: int | None = None
    capacity: int | None = None
    active: bool = True
    members: tuple[tuple[int, str], ...] = ()  # (doctor id, role)
    village_ids: tuple[int, ...] = ()


def list_teams(
    session: Session, day: dt.date | None = None, *, include_inactive: bool = True
) -> list[TeamRow]:
    day = day or dt.date.today()
    signed = (
        select(Contract.team_id, func.count().label("n"))
        .where(in_force_on(day))
        .group_by(Contract.team_id)
        .subquery()
    )
    members: dict[int, list[MemberRow]] = {}
    role_order = {role: index for index, role in enumerate(TEAM_ROLES)}
    for team_id, doctor, role, institution in session.execute(
        select(TeamMember.team_id, Doctor, TeamMember.role, Institution.name)
        .join(Doctor, Doctor.id == TeamMember.doctor_id)
        .join(Institution, Institution.id == Doctor.institution_id)
    ):
        members.setdefault(team_id, []).append(
            MemberRow(
                doctor.id,
                doctor.name,
                role,
                doctor.title or "",
                doctor.phone or "",
                institution,
                doctor.active,
            )
        )
    villages: dict[int, list[tuple[int, str]]] = {}
    for team_id, village_id, name in session.execute(
        select(TeamVillage.team_id, Village.id, Village.name)
        .join(Village, Village.id == TeamVillage.village_id)
        .order_by(Village.code)
    ):
        villages.setdefault(team_id, []).append((village_id, name))
    query = (
        select(Team, Doctor.name, func.coalesce(signed.c.n, 0))
        .outerjoin(Doctor, Doctor.id == Team.leader_id)
        .outerjoin(signed, signed.c.team_id == Team.id)
        .order_by(Team.active.desc(), Team.name)
    )
    if not include_inactive:
        query = query.where(Team.active.is_(True))
    result = []
    found = session.execute(query).all()
    for team, leader, count in sorted(
        found, key=lambda row: (not row[0].active, pinyin_order(row[0].name))
    ):
        team_members = sorted(
            members.get(team.id, []),
            key=lambda m: (
                m.doctor_id != team.leader_id,
                role_order.get(m.role, 99),
                pinyin_order(m.name),
            ),
        )
        result.append(
            TeamRow(
                id=team.id,
                name=team.name,
                leader_id=team.leader_id,
                leader=leader or "",
                capacity=team.capacity,
                signed=int(count),
                active=team.active,
                members=tuple(team_members),
                villages=tuple(villages.get(team.id, ())),
            )
        )
    return result


def get_team(session: Session, team_id: int, day: dt.date | None = None) -> TeamRow:
    for row in list_teams(session, day):
        if row.id == team_id:
            return row
    raise NotFound(QT_TRANSLATE_NOOP("Errors", "There is no such team."))


def save_team(session: Session, actor: Actor, team_id: int | None, data: TeamInput) -> TeamRow:
    """Create or change a team with its members (in roles) and the villages it serves."""
    require(actor, Permission.MANAGE_TEAMS)
    today = dt.date.today()
    name = plain_text(data.name)
    if not name or len(name) > 60:
        raise RuleViolation(
            QT_TRANSLATE_NOOP("Errors", "A team needs a name of at most 60 characters.")
        )
    institution_id = home_institution_id(session)
    clash = session.scalar(
        select(Team.id).where(
            Team.institution_id == institution_id, Team.name == name, Team.id != (team_id or 0)
        )
    )
    if clash is not None:
        raise RuleViolation(
            QT_TRANSLATE_NOOP("Errors", "There is already a team called {name}."), name=name
        )
    capacity = _check_capacity(data.capacity)
    members: dict[int, str] = {}
    for doctor_id, role in data.members:
        if role not in TEAM_ROLES:
            raise RuleViolation(
                QT_TRANSLATE_NOOP("Errors", "Unknown team role: {role}."), role=role
            )
        if doctor_id in members:
            raise RuleViolation(
                QT_TRANSLATE_NOOP("Errors", "A doctor can be a member of a team only once.")
            )
        members[doctor_id] = role
    if not members:
        raise RuleViolation(QT_TRANSLATE_NOOP("Errors", "A team needs at least one member."))
    doctors = {
        doctor.id: doctor
        for doctor in session.scalars(select(Doctor).where(Doctor.id.in_(list(members))))
    }
    if len(doctors) != len(members):
        raise NotFound(QT_TRANSLATE_NOOP("Errors", "There is no such doctor."))
    if data.leader_id is None or data.leader_id not in members:
        raise RuleViolation(
            QT_TRANSLATE_NOOP("Errors", "Choose the team leader among the team's members.")
        )
    village_ids = tuple(dict.fromkeys(data.village_ids))
    if village_ids:
        known = set(session.scalars(select(Village.id).where(Village.id.in_(village_ids))))
        if known != set(village_ids):
            raise NotFound(QT_TRANSLATE_NOOP("Errors", "There is no such village."))

    if team_id is None:
        team = Team(institution_id=institution_id)
        session.add(team)
        old_members: dict[int, str] = {}
        old_villages: set[int] = set()
    else:
        found = session.get(Team, team_id)
        if found is None:
            raise NotFound(QT_TRANSLATE_NOOP("Errors", "There is no such team."))
        team = found
        old_members = {m.doctor_id: m.role for m in team.members}
        old_villages = set(
            session.scalars(select(TeamVillage.village_id).where(TeamVillage.team_id == team_id))
        )
    newly_added = [d for d in members if d not in old_members and not doctors[d].active]
    if newly_added:
        raise RuleViolation(
            QT_TRANSLATE_NOOP("Errors", "{name} no longer works here and cannot join a team."),
            name=doctors[newly_added[0]].name,
        )
    if team_id is not None:
        for doctor_id in set(old_members) - set(members):
            responsible = session.scalar(
                select(func.count())
                .select_from(Contract)
                .where(
                    Contract.team_id == team_id,
                    Contract.doctor_id == doctor_id,
                    not_ended_before(today),
                )
            )
            if responsible:
                doctor = session.get(Doctor, doctor_id)
                raise RuleViolation(
                    QT_TRANSLATE_NOOP(
                        "Errors",
                        "{name} is the responsible doctor of {count} contracts of this team"
                        " and stays a member until they end or change team.",
                    ),
                    name=doctor.name if doctor else doctor_id,
                    count=responsible,
                )
        if team.active and not data.active:
            in_force = session.scalar(
                select(func.count())
                .select_from(Contract)
                .where(Contract.team_id == team_id, not_ended_before(today))
            )
            if in_force:
                raise RuleViolation(
                    QT_TRANSLATE_NOOP(
                        "Errors",
                        "The team still has {count} contracts in force: change their team"
                        " before closing it.",
                    ),
                    count=in_force,
                )
    changes: dict[str, Any] = {}
    for attr, value in (
        ("name", name),
        ("leader_id", data.leader_id),
        ("capacity", capacity),
        ("active", bool(data.active)),
    ):
        old = getattr(team, attr, None)
        if old != value:
            changes[attr] = (old, value) if team_id is not None else value
            setattr(team, attr, value)
    if old_members != members:
        changes["members"] = (
            sorted(f"{d}:{r}" for d, r in old_members.items()),
            sorted(f"{d}:{r}" for d, r in members.items()),
        )
        by_doctor = {m.doctor_id: m for m in team.members}
        for doctor_id in set(by_doctor) - set(members):
            team.members.remove(by_doctor[doctor_id])
        for doctor_id, role in members.items():
            if doctor_id in by_doctor:
                by_doctor[doctor_id].role = role
            else:
                team.members.append(TeamMember(doctor_id=doctor_id, role=role))
    session.flush()
    if set(village_ids) != old_villages:
        changes["villages"] = (sorted(old_villages), sorted(village_ids))
        for village_id in old_villages - set(village_ids):
            session.execute(
                TeamVillage.__table__.delete().where(
                    TeamVillage.team_id == team.id, TeamVillage.village_id == village_id
                )
            )
        for village_id in set(village_ids) - old_villages:
            session.add(TeamVillage(team_id=team.id, village_id=village_id))
        session.flush()
    if changes:
        _audit(
            session,
            actor,
            "team.create" if team_id is None else "team.update",
            "team",
            team.id,
            **changes,
        )
    return get_team(session, team.id)


# --- service packages --------------------------------------------------------------------


@dataclass(frozen=True)
class PackageRow:
    id: int
    code: str
    name: str
    kind: str
    description: str
    target_populations: tuple[str, ...]
    price_fen: int
    fund_insurance_fen: int
    fund_public_health_fen: int
    self_pay_fen: int
    valid_from: dt.date
    valid_to: dt.date | None
    items: tuple[tuple[str, str], ...]  # (item, frequency)
    contracts: int = 0  # contracts signed with this version

    def valid_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


@dataclass
class PackageInput:
    code: str = ""
    name: str = ""
    kind: str = "personalised"
    description: str = ""
    target_populations: frozenset[str] = field(default_factory=frozenset)
    fund_insurance_fen: int = 0
    fund_public_health_fen: int = 0
    self_pay_fen: int = 0
    items: tuple[tuple[str, str], ...] = ()
    valid_from: dt.date | None = None

    @property
    def price_fen(self) -> int:
        return self.fund_insurance_fen + self.fund_public_health_fen + self.self_pay_fen


def _package_row(package: ServicePackage, contracts: int = 0) -> PackageRow:
    return PackageRow(
        id=package.id,
        code=package.code,
        name=package.name,
        kind=package.kind,
        description=package.description or "",
        target_populations=tuple(package.target_populations or ()),
        price_fen=package.price_fen,
        fund_insurance_fen=package.fund_insurance_fen,
        fund_public_health_fen=package.fund_public_health_fen,
        self_pay_fen=package.self_pay_fen,
        valid_from=package.valid_from,
        valid_to=package.valid_to,
        items=tuple((item.name, item.frequency or "") for item in package.items),
        contracts=contracts,
    )


def list_packages(session: Session) -> list[PackageRow]:
    """Every version of every package: by code, newest version first."""
    used = dict(
        session.execute(
            select(ContractPackage.package_id, func.count()).group_by(ContractPackage.package_id)
        ).all()
    )
    packages = session.scalars(
        select(ServicePackage).order_by(
            ServicePackage.kind, ServicePackage.code, ServicePackage.valid_from.desc()
        )
    ).all()
    return [_package_row(p, int(used.get(p.id, 0))) for p in packages]


def package_valid_on(session: Session, code: str, day: dt.date) -> ServicePackage | None:
    return session.scalar(
        select(ServicePackage)
        .where(
            ServicePackage.code == code,
            ServicePackage.valid_from <= day,
            or_(ServicePackage.valid_to.is_(None), ServicePackage.valid_to >= day),
        )
        .order_by(ServicePackage.valid_from.desc())
        .limit(1)
    )


def packages_valid_on(session: Session, day: dt.date) -> list[PackageRow]:
    """The version of each package that can be signed for a contract starting ``day``."""
    packages = session.scalars(
        select(ServicePackage)
        .where(
            ServicePackage.valid_from <= day,
            or_(ServicePackage.valid_to.is_(None), ServicePackage.valid_to >= day),
        )
        .order_by(ServicePackage.kind, ServicePackage.price_fen, ServicePackage.code)
    ).all()
    seen: set[str] = set()
    result = []
    for package in packages:
        if package.code not in seen:
            seen.add(package.code)
            result.append(_package_row(package))
    return result


def _checked_package(
    data: PackageInput,
) -> tuple[str, str, str | None, list[str], list[tuple[str, str]]]:
    name = plain_text(data.name)
    if not name or len(name) > 100:
        raise RuleViolation(
            QT_TRANSLATE_NOOP("Errors", "A package needs a name of at most 100 characters.")
        )
    if data.kind not in PACKAGE_KINDS:
        raise RuleViolation(
            QT_TRANSLATE_NOOP("Errors", "Choose basic or personalised as the kind of package.")
        )
    parts = (data.fund_insurance_fen, data.fund_public_health_fen, data.self_pay_fen)
    if any(part < 0 for part in parts):
        raise RuleViolation(QT_TRANSLATE_NOOP("Errors", "Fees cannot be negative."))
    if data.kind == "basic" and data.price_fen != 0:
        raise RuleViolation(
            QT_TRANSLATE_NOOP("Errors", "The basic package is free: its price must be 0.")
        )
    unknown = sorted(set(data.target_populations) - set(KEY_POPULATIONS))
    if unknown:
        raise RuleViolation(
            QT_TRANSLATE_NOOP("Errors", "Unknown key population: {value}."),
            value=",".join(unknown),
        )
    items = [
        (plain_text(item), plain_text(frequency))
        for item, frequency in data.items
        if plain_text(item)
    ]
    if not items:
        raise RuleViolation(
            QT_TRANSLATE_NOOP("Errors", "List at least one service item of the package.")
        )
    if any(len(item) > 200 or len(frequency) > 60 for item, frequency in items):
        raise RuleViolation(
            QT_TRANSLATE_NOOP(
                "Errors",
                "A service item has at most 200 characters and its frequency at most 60.",
            )
        )
    if data.valid_from is None:
        raise RuleViolation(
            QT_TRANSLATE_NOOP("Errors", "Enter the date from which the package is offered.")
        )
    return (
        name,
        data.kind,
        plain_text(data.description) or None,
        sorted(data.target_populations),
        items,
    )


def _store_package(
    session: Session, code: str, data: PackageInput, checked: tuple[Any, ...]
) -> ServicePackage:
    name, kind, description, targets, items = checked
    package = ServicePackage(
        code=code,
        name=name,
        kind=kind,
        institution_id=home_institution_id(session),
        description=description,
        target_populations=targets,
        price_fen=data.price_fen,
        fund_insurance_fen=data.fund_insurance_fen,
        fund_public_health_fen=data.fund_public_health_fen,
        self_pay_fen=data.self_pay_fen,
        valid_from=data.valid_from,
        valid_to=None,
        items=[
            ServicePackageItem(position=index, name=item, frequency=frequency or None)
            for index, (item, frequency) in enumerate(items, start=1)
        ],
    )
    session.add(package)
    session.flush()
    return package


def _package_changes(package: ServicePackage) -> dict[str, Any]:
    return {
        "code": package.code,
        "name": package.name,
        "kind": package.kind,
        "price_fen": package.price_fen,
        "fund_insurance_fen": package.fund_insurance_fen,
        "fund_public_health_fen": package.fund_public_health_fen,
        "self_pay_fen": package.self_pay_fen,
        "valid_from": package.valid_from,
        "target_populations": list(package.target_populations or ()),
        "items": len(package.items),
    }


def create_package(session: Session, actor: Actor, data: PackageInput) -> PackageRow:
    """A new package code with its first version."""
    require(actor, Permission.MANAGE_TEAMS)
    code = clean_text(data.code).lower()
    if not _PACKAGE_CODE.match(code):
        raise RuleViolation(
            QT_TRANSLATE_NOOP(
                "Errors",
                "A package code is 1 to 40 lower-case letters, digits or underscores"
                " (for example elderly_plus).",
            )
        )
    if session.scalar(select(ServicePackage.id).where(ServicePackage.code == code).limit(1)):
        raise RuleViolation(
            QT_TRANSLATE_NOOP(
                "Errors",
                "The package code {code} exists: make a new version of it instead.",
            ),
            code=code,
        )
    checked = _checked_package(data)
    package = _store_package(session, code, data, checked)
    _audit(
        session,
        actor,
        "service_package.create",
        "service_package",
        package.id,
        **_package_changes(package),
    )
    return _package_row(package)


def new_package_version(
    session: Session, actor: Actor, code: str, data: PackageInput
) -> PackageRow:
    """A new price or content from ``data.valid_from``; the version before ends the day before.

    Contracts signed with an earlier version keep it (and their own fee snapshot).
    """
    require(actor, Permission.MANAGE_TEAMS)
    latest = session.scalar(
        select(ServicePackage)
        .where(ServicePackage.code == code)
        .order_by(ServicePackage.valid_from.desc())
        .limit(1)
    )
    if latest is None:
        raise NotFound(QT_TRANSLATE_NOOP("Errors", "There is no package {code}."), code=code)
    if data.kind != latest.kind:
        raise RuleViolation(
            QT_TRANSLATE_NOOP(
                "Errors", "A new version keeps the kind of the package (basic or personalised)."
            )
        )
    checked = _checked_package(data)
    assert data.valid_from is not None
    if data.valid_from <= latest.valid_from:
        raise RuleViolation(
            QT_TRANSLATE_NOOP(
                "Errors",
                "The new version must start after {date}, when the current version started.",
            ),
            date=latest.valid_from.isoformat(),
        )
    before = latest.valid_to
    if latest.valid_to is None or latest.valid_to >= data.valid_from:
        latest.valid_to = data.valid_from - dt.timedelta(days=1)
    package = _store_package(session, code, data, checked)
    _audit(
        session,
        actor,
        "service_package.version",
        "service_package",
        package.id,
        previous_version=latest.id,
        previous_valid_to=(before, latest.valid_to),
        **_package_changes(package),
    )
    return _package_row(package)


def retire_package(session: Session, actor: Actor, code: str, last_day: dt.date) -> PackageRow:
    """Stop offering a package after ``last_day`` (contracts signed with it are unchanged)."""
    require(actor, Permission.MANAGE_TEAMS)
    latest = session.scalar(
        select(ServicePackage)
        .where(ServicePackage.code == code)
        .order_by(ServicePackage.valid_from.desc())
        .limit(1)
    )
    if latest is None:
        raise NotFound(QT_TRANSLATE_NOOP("Errors", "There is no package {code}."), code=code)
    if last_day < latest.valid_from:
        raise RuleViolation(
            QT_TRANSLATE_NOOP(
                "Errors", "The last day cannot be before the version started ({date})."
            ),
            date=latest.valid_from.isoformat(),
        )
    before = latest.valid_to
    latest.valid_to = last_day
    _audit(
        session,
        actor,
        "service_package.retire",
        "service_package",
        latest.id,
        code=code,
        valid_to=(before, last_day),
    )
    return _package_row(latest)
