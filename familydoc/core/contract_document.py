"""The printed contract's content, read from the database (Qt-free, ReportLab-free).

``load_contract_documents`` turns contract numbers into plain ``ContractDocument``
dataclasses that ``familydoc.printing`` lays out. Everything printed comes from the
rows as they were signed: the fees are the ``ContractPackage`` snapshot, the package
name and items are those of the package version (row) the contract points to.

The printed contract carries the resident's (or guardian's) full ID number and phone:
the doctor prints it for the resident to sign. So reading one needs the right to sign
contracts or to see unmasked data, and every print is recorded (``record_printed``)
with an audit event in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session, selectinload

from familydoc.core import audit
from familydoc.core.auth import PERMISSION_LABELS, Actor, Permission
from familydoc.core.errors import QT_TRANSLATE_NOOP, NotFound, PermissionDenied, RuleViolation
from familydoc.core.models import (
    Contract,
    Doctor,
    Household,
    Institution,
    Resident,
    ServicePackage,
    Team,
    TeamMember,
    Village,
)

# The order team members are listed in on the contract.
ROLE_ORDER = ("general_practitioner", "nurse", "public_health", "village_doctor", "specialist")
MAX_NUMBERS = 5000  # one batch; a township signs a few thousand contracts a year


@dataclass(frozen=True)
class PersonPart:
    """The signing resident as printed (full ID number and phone)."""

    name: str
    sex: str  # "M" / "F"
    birth_date: dt.date
    id_number: str
    phone: str
    address: str
    village: str
    health_record_no: str


@dataclass(frozen=True)
class GuardianPart:
    name: str
    relation: str
    id_number: str
    phone: str


@dataclass(frozen=True)
class InstitutionPart:
    name: str
    code: str
    phone: str
    supervision_phone: str
    address: str


@dataclass(frozen=True)
class MemberPart:
    name: str
    role: str  # a code of models.TEAM_ROLES
    title: str
    phone: str
    institution: str
    is_leader: bool


@dataclass(frozen=True)
class TeamPart:
    name: str
    leader: str
    members: tuple[MemberPart, ...]


@dataclass(frozen=True)
class DoctorPart:
    name: str
    title: str
    phone: str
    licence_no: str
    institution: str


@dataclass(frozen=True)
class PackageItemPart:
    name: str
    frequency: str


@dataclass(frozen=True)
class PackagePart:
    """A package as signed: name and items of its version, fees of the contract's snapshot."""

    code: str
    name: str
    kind: str  # "basic" / "personalised"
    description: str
    items: tuple[PackageItemPart, ...]
    price_fen: int
    fund_insurance_fen: int
    fund_public_health_fen: int
    self_pay_fen: int


@dataclass(frozen=True)
class ContractDocument:
    number: str
    signed_on: dt.date
    start_date: dt.date
    end_date: dt.date
    signing_method: str  # "in_person" / "guardian"
    resident: PersonPart
    guardian: GuardianPart | None
    institution: InstitutionPart
    team: TeamPart
    doctor: DoctorPart
    packages: tuple[PackagePart, ...]
    previous_number: str | None = None
    terminated_on: dt.date | None = None

    @property
    def total_fen(self) -> int:
        return sum(p.price_fen for p in self.packages)

    @property
    def total_insurance_fen(self) -> int:
        return sum(p.fund_insurance_fen for p in self.packages)

    @property
    def total_public_health_fen(self) -> int:
        return sum(p.fund_public_health_fen for p in self.packages)

    @property
    def total_self_pay_fen(self) -> int:
        return sum(p.self_pay_fen for p in self.packages)


def require_print_permission(actor: Actor) -> None:
    """Printing shows full ID numbers: it needs SIGN_CONTRACT or VIEW_UNMASKED."""
    if actor.can(Permission.SIGN_CONTRACT) or actor.can(Permission.VIEW_UNMASKED):
        return
    raise PermissionDenied(
        QT_TRANSLATE_NOOP("Errors", "Your account ({username}) is not allowed to {action}."),
        username=actor.username,
        action=PERMISSION_LABELS[Permission.SIGN_CONTRACT],
        translate_params=("action",),
    )


def _clean_numbers(numbers: Sequence[str]) -> list[str]:
    seen: dict[str, None] = {}
    for number in numbers:
        text = str(number).strip()
        if text:
            seen.setdefault(text, None)
    if not seen:
        raise RuleViolation(QT_TRANSLATE_NOOP("Errors", "No contract number was given."))
    if len(seen) > MAX_NUMBERS:
        raise RuleViolation(
            QT_TRANSLATE_NOOP(
                "Errors", "At most {count} contracts can be printed at once; split the batch."
            ),
            count=MAX_NUMBERS,
        )
    return list(seen)


def _text(value: str | None) -> str:
    return (value or "").strip()


def _institution_part(row: Institution | None) -> InstitutionPart:
    if row is None:
        return InstitutionPart("", "", "", "", "")
    return InstitutionPart(
        name=row.name,
        code=row.code,
        phone=_text(row.phone),
        supervision_phone=_text(row.supervision_phone),
        address=_text(row.address),
    )


def load_contract_documents(
    session: Session, actor: Actor, numbers: Sequence[str]
) -> list[ContractDocument]:
    """The documents of ``numbers``, in the order given (duplicates once).

    Refuses the whole batch, naming the numbers, when any of them does not exist.
    """
    require_print_permission(actor)
    wanted = _clean_numbers(numbers)
    contracts: dict[str, Contract] = {}
    for start in range(0, len(wanted), 500):  # SQLite's limit on bound parameters
        chunk = wanted[start : start + 500]
        rows = session.scalars(
            select(Contract)
            .where(Contract.number.in_(chunk))
            .options(selectinload(Contract.packages))
        )
        contracts.update((row.number, row) for row in rows)
    missing = [number for number in wanted if number not in contracts]
    if missing:
        shown = ", ".join(missing[:10]) + (" …" if len(missing) > 10 else "")
        raise NotFound(
            QT_TRANSLATE_NOOP("Errors", "There is no contract with the number {numbers}."),
            numbers=shown,
        )

    found = list(contracts.values())
    residents = _by_id(session, Resident, {c.resident_id for c in found})
    teams = _by_id(session, Team, {c.team_id for c in found})
    villages = _by_id(session, Village, {r.village_id for r in residents.values()})
    households = _by_id(
        session, Household, {r.household_id for r in residents.values() if r.household_id}
    )
    members_by_team: dict[int, list[TeamMember]] = {}
    for member in session.scalars(select(TeamMember).where(TeamMember.team_id.in_(list(teams)))):
        members_by_team.setdefault(member.team_id, []).append(member)
    doctor_ids = {c.doctor_id for c in found} | {
        m.doctor_id for members in members_by_team.values() for m in members
    }
    doctor_ids |= {t.leader_id for t in teams.values() if t.leader_id}
    doctors = _by_id(session, Doctor, doctor_ids)
    institution_ids = {d.institution_id for d in doctors.values()} | {
        t.institution_id for t in teams.values()
    }
    institutions = _by_id(session, Institution, institution_ids)
    home = session.scalar(select(Institution).where(Institution.is_home.is_(True)))
    package_ids = {p.package_id for c in found for p in c.packages}
    packages = {
        row.id: row
        for row in session.scalars(
            select(ServicePackage)
            .where(ServicePackage.id.in_(list(package_ids)))
            .options(selectinload(ServicePackage.items))
        )
    }
    previous_ids = {c.previous_contract_id for c in found if c.previous_contract_id}
    previous_numbers: dict[int, str] = {
        row[0]: row[1]
        for row in session.execute(
            select(Contract.id, Contract.number).where(Contract.id.in_(previous_ids))
        )
    }

    def doctor_part(doctor: Doctor) -> DoctorPart:
        place = institutions.get(doctor.institution_id)
        return DoctorPart(
            name=doctor.name,
            title=_text(doctor.title),
            phone=_text(doctor.phone),
            licence_no=_text(doctor.licence_no),
            institution=place.name if place else "",
        )

    team_parts: dict[int, TeamPart] = {}
    for team in teams.values():
        members = []
        for member in members_by_team.get(team.id, []):
            doctor = doctors[member.doctor_id]
            place = institutions.get(doctor.institution_id)
            members.append(
                MemberPart(
                    name=doctor.name,
                    role=member.role,
                    title=_text(doctor.title),
                    phone=_text(doctor.phone),
                    institution=place.name if place else "",
                    is_leader=doctor.id == team.leader_id,
                )
            )
        members.sort(
            key=lambda m: (
                not m.is_leader,
                ROLE_ORDER.index(m.role) if m.role in ROLE_ORDER else len(ROLE_ORDER),
                m.name,
            )
        )
        leader = doctors.get(team.leader_id) if team.leader_id else None
        team_parts[team.id] = TeamPart(
            name=team.name, leader=leader.name if leader else "", members=tuple(members)
        )

    documents = []
    for number in wanted:
        contract = contracts[number]
        resident = residents[contract.resident_id]
        village = villages.get(resident.village_id)
        household = households.get(resident.household_id) if resident.household_id else None
        team = teams[contract.team_id]
        signed_with = []
        for link in sorted(contract.packages, key=lambda p: p.package_id):
            package = packages[link.package_id]
            signed_with.append(
                PackagePart(
                    code=package.code,
                    name=package.name,
                    kind=package.kind,
                    description=_text(package.description),
                    items=tuple(
                        PackageItemPart(item.name, _text(item.frequency)) for item in package.items
                    ),
                    price_fen=link.price_fen,
                    fund_insurance_fen=link.fund_insurance_fen,
                    fund_public_health_fen=link.fund_public_health_fen,
                    self_pay_fen=link.self_pay_fen,
                )
            )
        # The free basic package first, then the paid ones in the order they were added.
        signed_with.sort(key=lambda p: p.kind != "basic")
        guardian = None
        if contract.signing_method == "guardian" or contract.guardian_name:
            guardian = GuardianPart(
                name=_text(contract.guardian_name or resident.guardian_name),
                relation=_text(contract.guardian_relation or resident.guardian_relation),
                id_number=_text(contract.guardian_id_number or resident.guardian_id_number),
                phone=_text(contract.guardian_phone or resident.guardian_phone),
            )
        documents.append(
            ContractDocument(
                number=contract.number,
                signed_on=contract.signed_on,
                start_date=contract.start_date,
                end_date=contract.end_date,
                signing_method=contract.signing_method,
                resident=PersonPart(
                    name=resident.name,
                    sex=resident.sex,
                    birth_date=resident.birth_date,
                    id_number=_text(resident.id_number),
                    phone=_text(resident.phone),
                    address=_text(resident.address)
                    or _text(household.address if household else ""),
                    village=village.name if village else "",
                    health_record_no=_text(resident.health_record_no),
                ),
                guardian=guardian,
                institution=_institution_part(institutions.get(team.institution_id) or home),
                team=team_parts[team.id],
                doctor=doctor_part(doctors[contract.doctor_id]),
                packages=tuple(signed_with),
                previous_number=previous_numbers.get(contract.previous_contract_id),
                terminated_on=contract.terminated_on,
            )
        )
    return documents


def _by_id(session: Session, model: type, ids: set[int]) -> dict[int, object]:
    result: dict[int, object] = {}
    id_list = sorted(i for i in ids if i is not None)
    for start in range(0, len(id_list), 500):
        chunk = id_list[start : start + 500]
        for row in session.scalars(select(model).where(model.id.in_(chunk))):
            result[row.id] = row
    return result


@dataclass(frozen=True)
class PrintRecord:
    number: str
    print_count: int


def record_printed(
    session: Session, actor: Actor, numbers: Sequence[str], *, copies: int = 1, target: str = ""
) -> list[PrintRecord]:
    """Count one print of each contract and write the audit event, in this transaction.

    ``target`` says where it went ("printer", "pdf"); ``copies`` is 1 or 2 (居民/机构留存).
    """
    require_print_permission(actor)
    wanted = _clean_numbers(numbers)
    records: list[PrintRecord] = []
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        session.execute(
            update(Contract)
            .where(Contract.number.in_(chunk))
            .values(print_count=Contract.print_count + 1)
            .execution_options(synchronize_session=False)
        )
        records += [
            PrintRecord(row[0], row[1])
            for row in session.execute(
                select(Contract.number, Contract.print_count).where(Contract.number.in_(chunk))
            )
        ]
    found = {r.number for r in records}
    missing = [n for n in wanted if n not in found]
    if missing:
        raise NotFound(
            QT_TRANSLATE_NOOP("Errors", "There is no contract with the number {numbers}."),
            numbers=", ".join(missing[:10]) + (" …" if len(missing) > 10 else ""),
        )
    order = {number: index for index, number in enumerate(wanted)}
    records.sort(key=lambda r: order[r.number])
    changes: dict[str, object] = {"copies": copies, "target": target, "count": len(wanted)}
    if len(wanted) <= 50:
        changes["numbers"] = wanted
    else:
        changes["first"] = wanted[0]
        changes["last"] = wanted[-1]
    audit.record(
        session,
        user_id=actor.user_id,
        username=actor.username,
        action="contract.print",
        entity_type="contract",
        entity_id=wanted[0] if len(wanted) == 1 else None,
        changes=changes,
    )
    return records


def print_counts(session: Session, numbers: Sequence[str]) -> dict[str, int]:
    rows = session.execute(
        select(Contract.number, Contract.print_count).where(Contract.number.in_(list(numbers)))
    )
    return {row[0]: row[1] for row in rows}


def village_contract_numbers(
    session: Session, actor: Actor, village_id: int, since: dt.date, *, include_ended: bool = False
) -> list[str]:
    """Numbers of the contracts of a village's residents signed on or after ``since``.

    For batch printing a village's new contracts; ordered by signing date, then number.
    Ended contracts (terminated) are left out unless ``include_ended``.
    """
    require_print_permission(actor)
    query = (
        select(Contract.number)
        .join(Resident, Resident.id == Contract.resident_id)
        .where(Resident.village_id == village_id, Contract.signed_on >= since)
        .order_by(Contract.signed_on, Contract.number)
    )
    if not include_ended:
        query = query.where(Contract.terminated_on.is_(None))
    return list(session.scalars(query))


@dataclass(frozen=True)
class VillageChoice:
    id: int
    code: str
    name: str


def villages_for_printing(session: Session) -> list[VillageChoice]:
    return [
        VillageChoice(row.id, row.code, row.name)
        for row in session.scalars(select(Village).order_by(Village.code))
    ]
