"""What the printed contract says, read from the database, and the record of printing."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from familydoc.core import auth
from familydoc.core.context import AppContext
from familydoc.core.contract_document import (
    load_contract_documents,
    print_counts,
    record_printed,
    village_contract_numbers,
)
from familydoc.core.errors import NotFound, PermissionDenied, RuleViolation
from familydoc.core.models import (
    AuditEvent,
    Contract,
    ContractPackage,
    Resident,
    ServicePackage,
    Team,
    TeamMember,
)


def test_document_carries_the_contract_as_signed(
    print_context: AppContext, doctor: auth.Actor, sample_numbers: dict[str, str]
) -> None:
    number = sample_numbers["packages"]
    with print_context.database.read() as session:
        (doc,) = load_contract_documents(session, doctor, [number])
        contract = session.scalar(select(Contract).where(Contract.number == number))
        resident = session.get(Resident, contract.resident_id)
        team = session.get(Team, contract.team_id)
        member_count = len(
            session.scalars(select(TeamMember).where(TeamMember.team_id == team.id)).all()
        )
        snapshots = session.scalars(
            select(ContractPackage).where(ContractPackage.contract_id == contract.id)
        ).all()
        resident_name, resident_id_number, team_name = resident.name, resident.id_number, team.name
        period = (contract.start_date, contract.end_date)
        fees = sum(s.price_fen for s in snapshots)
    assert doc.number == number
    assert doc.resident.name == resident_name
    assert doc.resident.id_number == resident_id_number  # printed in full, not masked
    assert "*" not in doc.resident.id_number
    assert doc.team.name == team_name
    assert len(doc.team.members) == member_count
    assert doc.team.members[0].is_leader and doc.team.members[0].name == doc.team.leader
    assert doc.institution.name and doc.institution.supervision_phone
    assert doc.doctor.name and doc.doctor.phone
    assert doc.packages[0].kind == "basic" and doc.packages[0].price_fen == 0
    assert len(doc.packages) == len(snapshots) >= 2
    assert doc.total_fen == fees
    assert doc.total_fen == (
        doc.total_insurance_fen + doc.total_public_health_fen + doc.total_self_pay_fen
    )
    assert all(p.items for p in doc.packages)
    assert (doc.start_date, doc.end_date) == period


def test_fees_come_from_the_snapshot_not_todays_price(
    print_context: AppContext, doctor: auth.Actor, sample_numbers: dict[str, str]
) -> None:
    number = sample_numbers["packages"]
    with print_context.database.unit_of_work() as session:
        contract = session.scalar(select(Contract).where(Contract.number == number))
        paid = next(p for p in contract.packages if p.price_fen > 0)
        signed_price = paid.price_fen
        package = session.get(ServicePackage, paid.package_id)
        package.price_fen += 5000
        package.self_pay_fen += 5000
        package_name = package.name
    with print_context.database.read() as session:
        (doc,) = load_contract_documents(session, doctor, [number])
    printed = next(p for p in doc.packages if p.name == package_name)
    assert printed.price_fen == signed_price


def test_guardian_and_renewal_are_printed(
    print_context: AppContext, doctor: auth.Actor, sample_numbers: dict[str, str]
) -> None:
    with print_context.database.read() as session:
        guardian, renewal = load_contract_documents(
            session, doctor, [sample_numbers["guardian"], sample_numbers["renewal"]]
        )
    assert guardian.signing_method == "guardian"
    assert guardian.guardian is not None and guardian.guardian.name
    assert len(guardian.guardian.id_number) == 18
    assert renewal.previous_number is not None
    assert renewal.previous_number != renewal.number


def test_order_is_kept_and_duplicates_are_printed_once(
    print_context: AppContext, doctor: auth.Actor, sample_numbers: dict[str, str]
) -> None:
    numbers = [sample_numbers["renewal"], sample_numbers["guardian"], sample_numbers["renewal"]]
    with print_context.database.read() as session:
        docs = load_contract_documents(session, doctor, numbers)
    assert [d.number for d in docs] == numbers[:2]


def test_unknown_numbers_are_named(print_context: AppContext, doctor: auth.Actor) -> None:
    with print_context.database.read() as session, pytest.raises(NotFound) as caught:
        load_contract_documents(session, doctor, ["320321110-2099-000001"])
    assert "320321110-2099-000001" in str(caught.value)
    with print_context.database.read() as session, pytest.raises(RuleViolation):
        load_contract_documents(session, doctor, ["  "])


def test_printing_needs_the_right_to_sign_or_to_see_full_numbers(
    print_context: AppContext, clerk: auth.Actor, sample_numbers: dict[str, str]
) -> None:
    number = sample_numbers["guardian"]
    with print_context.database.read() as session, pytest.raises(PermissionDenied):
        load_contract_documents(session, clerk, [number])
    with print_context.database.unit_of_work() as session, pytest.raises(PermissionDenied):
        record_printed(session, clerk, [number])
    supervisor = auth.Actor(clerk.user_id, "x", "x", "supervisor")
    with print_context.database.read() as session:
        assert load_contract_documents(session, supervisor, [number])


def test_record_printed_counts_and_audits_in_one_transaction(
    print_context: AppContext, doctor: auth.Actor, sample_numbers: dict[str, str]
) -> None:
    numbers = [sample_numbers["guardian"], sample_numbers["renewal"]]
    with print_context.database.read() as session:
        assert print_counts(session, numbers) == {n: 0 for n in numbers}
    with print_context.database.unit_of_work() as session:
        records = record_printed(session, doctor, numbers, copies=2, target="printer")
    assert [(r.number, r.print_count) for r in records] == [(n, 1) for n in numbers]
    with print_context.database.unit_of_work() as session:
        record_printed(session, doctor, numbers[:1], target="pdf")
    with print_context.database.read() as session:
        assert print_counts(session, numbers) == {numbers[0]: 2, numbers[1]: 1}
        events = [
            (event.changes, event.username, event.entity_id)
            for event in session.scalars(
                select(AuditEvent)
                .where(AuditEvent.action == "contract.print")
                .order_by(AuditEvent.id)
            )
        ]
    assert len(events) == 2
    assert events[0][0]["numbers"] == numbers and events[0][0]["copies"] == 2
    assert events[0][1] == doctor.username
    assert events[1][2] == numbers[0]
    # A refused batch (one unknown number) counts nothing.
    with pytest.raises(NotFound), print_context.database.unit_of_work() as session:
        record_printed(session, doctor, [numbers[1], "320321110-2099-000009"])
    with print_context.database.read() as session:
        assert print_counts(session, numbers) == {numbers[0]: 2, numbers[1]: 1}


def test_village_batch_lists_contracts_signed_since_a_date(
    print_context: AppContext, doctor: auth.Actor
) -> None:
    with print_context.database.read() as session:
        contract = session.scalar(select(Contract).order_by(Contract.signed_on.desc()).limit(1))
        village_id = session.get(Resident, contract.resident_id).village_id
        newest, signed_on = contract.number, contract.signed_on
        since = signed_on - dt.timedelta(days=60)
        numbers = village_contract_numbers(session, doctor, village_id, since)
        expected = session.scalars(
            select(Contract.number)
            .join(Resident, Resident.id == Contract.resident_id)
            .where(Resident.village_id == village_id, Contract.signed_on >= since)
            .order_by(Contract.signed_on, Contract.number)
        ).all()
        later = village_contract_numbers(
            session, doctor, village_id, signed_on + dt.timedelta(days=1)
        )
    assert newest in numbers
    assert numbers == list(expected)
    assert later == []
