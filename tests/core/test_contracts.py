"""Contract lifecycle: sign, renew, end, change team; the rules and their refusals."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from contract_town import PASSWORD, TODAY, Town, build_town
from sqlalchemy import func, select, text, update
from sqlalchemy.exc import IntegrityError

from familydoc.core import contracts as C
from familydoc.core import residents, teams
from familydoc.core.auth import Actor
from familydoc.core.context import AppContext
from familydoc.core.errors import AuthenticationFailed, PermissionDenied, RuleViolation
from familydoc.core.idnumber import build as build_id
from familydoc.core.models import AuditEvent, Contract, ContractPackage, ServicePackage, User


@pytest.fixture
def town(initialised: AppContext, admin: Actor) -> Town:
    return build_town(initialised, admin)


def sign(town: Town, actor: Actor | None = None, today: dt.date = TODAY, **fields: object):
    approver = fields.pop("approver", None)
    data = C.SignInput(
        resident_id=int(fields.pop("resident_id", town.residents["adult"])),  # type: ignore[arg-type]
        team_id=fields.pop("team_id", town.teams["a"]),  # type: ignore[arg-type]
        doctor_id=fields.pop("doctor_id", town.doctors["zhang"]),  # type: ignore[arg-type]
        **fields,  # type: ignore[arg-type]
    )
    with town.context.database.unit_of_work() as session:
        return C.sign(session, actor or town.doctor, data, approver=approver, today=today)


@dataclass(frozen=True)
class Event:
    username: str | None
    changes: dict


def events(town: Town, action: str) -> list[Event]:
    with town.context.database.read() as session:
        return [
            Event(e.username, dict(e.changes))
            for e in session.scalars(
                select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
            )
        ]


def test_sign_numbers_the_contract_and_snapshots_the_fees(town: Town) -> None:
    detail = sign(town, package_codes=("elderly_plus",), resident_id=town.residents["elderly"])
    assert detail.number == "320321110-2026-000001"
    assert detail.start_date == TODAY and detail.signed_on == TODAY
    assert detail.end_date == dt.date(2027, 11, 23)  # one year less a day
    assert detail.status == "in_force"
    assert [p.code for p in detail.packages] == ["basic", "elderly_plus"]  # basic added
    assert detail.total_fen == 12000 and detail.self_pay_fen == 2000
    assert detail.created_by == "doctor测试"
    second = sign(town, resident_id=town.residents["river"], team_id=town.teams["b"],
                  doctor_id=town.doctors["wang"])  # fmt: skip
    assert second.number == "320321110-2026-000002"
    [event] = events(town, "contract.sign")[:1]
    assert event.changes["number"] == detail.number
    assert event.changes["packages"] == ["basic", "elderly_plus"]


def test_a_new_year_starts_its_own_sequence(town: Town) -> None:
    first = sign(town, signed_on=dt.date(2025, 12, 30), start_date=dt.date(2025, 12, 30))
    assert first.number.endswith("-2025-000001")
    later = sign(town, resident_id=town.residents["elderly"])
    assert later.number.endswith("-2026-000001")


def test_an_old_contract_keeps_its_package_version_and_fees(town: Town) -> None:
    old = sign(town, resident_id=town.residents["elderly"], package_codes=("elderly_plus",))
    with town.context.database.unit_of_work() as session:
        teams.new_package_version(
            session,
            town.admin,
            "elderly_plus",
            teams.PackageInput(
                name="老年人健康管理包（2027版）",
                kind="personalised",
                fund_insurance_fen=8000,
                fund_public_health_fen=4000,
                self_pay_fen=3000,
                items=(("上门健康随访", "每月1次"),),
                valid_from=dt.date(2027, 1, 1),
            ),
        )
    with town.context.database.read() as session:
        again = C.contract_detail(session, town.doctor, old.id, today=TODAY)
    plus = next(p for p in again.packages if p.code == "elderly_plus")
    assert (plus.name, plus.price_fen, plus.self_pay_fen) == ("老年人健康管理包", 12000, 2000)
    # A contract starting in 2027 gets the new version.
    new = sign(town, start_date=dt.date(2027, 2, 1), package_codes=("elderly_plus",))
    plus = next(p for p in new.packages if p.code == "elderly_plus")
    assert (plus.name, plus.price_fen, plus.valid_from) == (
        "老年人健康管理包（2027版）",
        15000,
        dt.date(2027, 1, 1),
    )


def test_a_second_contract_in_force_is_refused_in_plain_words(town: Town) -> None:
    first = sign(town)
    with pytest.raises(RuleViolation) as refused:
        sign(town, start_date=TODAY + dt.timedelta(days=100))
    message = refused.value.render()
    assert "赵丽" in message and first.number in message and "only one contract" in message
    with town.context.database.read() as session:
        assert session.scalar(select(func.count()).select_from(Contract)) == 1


def test_the_database_itself_refuses_an_overlap_and_sign_reports_it_plainly(
    town: Town, monkeypatch: pytest.MonkeyPatch
) -> None:
    sign(town)
    # Without the form's own check, the trigger of migration 0001 still refuses...
    monkeypatch.setattr(C, "_overlapping", lambda *args, **kwargs: None)
    with pytest.raises(RuleViolation) as refused:
        sign(town, start_date=TODAY + dt.timedelta(days=10))
    assert "another workstation" in refused.value.render()
    assert not isinstance(refused.value.__cause__, RuleViolation)
    assert "contract_overlap" in str(refused.value.__cause__)
    # ... and raw SQL too.
    with pytest.raises(IntegrityError, match="contract_overlap"):
        with town.context.database.unit_of_work() as session:
            session.execute(
                text(
                    "INSERT INTO contract (number, year, sequence, resident_id, team_id,"
                    " doctor_id, signed_on, start_date, end_date, signing_method, created_at)"
                    " SELECT 'X-1', 1999, 1, resident_id, team_id, doctor_id, signed_on,"
                    " start_date, end_date, 'in_person', created_at FROM contract"
                )
            )


def test_sequence_number_is_given_back_when_signing_fails(town: Town) -> None:
    sign(town)
    with pytest.raises(RuleViolation):
        sign(town)  # overlap: refused after nothing was stored
    with town.context.database.read() as session:
        assert session.execute(text("SELECT last_value FROM contract_sequence")).scalar() == 1
    assert sign(town, resident_id=town.residents["elderly"]).number.endswith("000002")


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        ({"doctor_id": "wang"}, "not a member"),
        ({"team_id": None}, "Choose the family doctor team"),
        ({"doctor_id": None}, "Choose the responsible doctor"),
        ({"package_codes": ("nothing",)}, "There is no package nothing"),
        ({"end_date": TODAY - dt.timedelta(days=1)}, "before the start"),
        ({"end_date": TODAY.replace(year=2029, day=25)}, "at most 3 years"),
        ({"signed_on": TODAY + dt.timedelta(days=1)}, "future"),
        ({"signing_method": "phone"}, "in person or by a guardian"),
        ({"signing_method": "guardian"}, "guardian's name, relation, ID number and phone"),
    ],
)
def test_signing_refusals(town: Town, fields: dict, words: str) -> None:
    if fields.get("doctor_id") == "wang":
        fields["doctor_id"] = town.doctors["wang"]
    with pytest.raises(RuleViolation) as refused:
        sign(town, **fields)
    assert words in refused.value.render()
    with town.context.database.read() as session:
        assert session.scalar(select(func.count()).select_from(Contract)) == 0
        assert session.execute(text("SELECT count(*) FROM contract_sequence")).scalar() == 0


def test_package_not_yet_offered_on_the_start_date_is_refused(town: Town) -> None:
    with pytest.raises(RuleViolation, match="not offered on 2023-06-01"):
        sign(
            town,
            signed_on=dt.date(2023, 6, 1),
            start_date=dt.date(2023, 6, 1),
            package_codes=("elderly_plus",),
        )


def test_clerks_cannot_sign(town: Town) -> None:
    with pytest.raises(PermissionDenied):
        sign(town, actor=town.clerk)


def test_residents_who_left_cannot_be_signed(town: Town) -> None:
    with town.context.database.unit_of_work() as session:
        residents.mark_left(
            session,
            town.admin,
            town.residents["adult"],
            on=TODAY - dt.timedelta(days=3),
            reason="moved_out",
            today=TODAY,
        )
    with pytest.raises(RuleViolation, match="moved out or deceased"):
        sign(town)


def test_minors_and_residents_lacking_capacity_sign_through_a_guardian(town: Town) -> None:
    with pytest.raises(RuleViolation, match="11 years old: a minor signs through a guardian"):
        sign(town, resident_id=town.residents["minor"])
    with pytest.raises(RuleViolation, match="lacking capacity"):
        sign(town, resident_id=town.residents["incapable"])
    guardian_id = build_id("320321", dt.date(1985, 1, 9), 51)
    detail = sign(
        town,
        resident_id=town.residents["minor"],
        signing_method="guardian",
        guardian_name="孙大伟",
        guardian_relation="父亲",
        # The form shows the resident's guardian masked; sent back unchanged, it means the
        # stored number.
        guardian_id_number=guardian_id[:6] + "********" + guardian_id[-4:],
        guardian_phone="137****1111",
    )
    assert detail.signing_method == "guardian"
    with town.context.database.read() as session:
        stored = session.get(Contract, detail.id)
        assert stored is not None
        assert (stored.guardian_id_number, stored.guardian_phone) == (guardian_id, "13700001111")
    with pytest.raises(RuleViolation, match=r"checksum|check"):
        sign(
            town,
            resident_id=town.residents["incapable"],
            signing_method="guardian",
            guardian_name="周红",
            guardian_relation="姐姐",
            guardian_id_number="320321197204040420",
            guardian_phone="13700002222",
        )


def test_capacity_warns_at_90_percent_and_past_100_needs_a_supervisor(town: Town) -> None:
    # 王德福 has a capacity of 5: sign 4 residents, the 5th is at 100% (warning), the 6th over.
    ids = [town.residents["river"]]
    for n in range(5):
        ids.append(
            town.add_resident(f"r{n}", f"吴{'一二三四五'[n]}", dt.date(1990, 1, 1 + n), 13 + 2 * n,
                              village="河湾村")
        )  # fmt: skip
    for resident_id in ids[:4]:
        sign(town, resident_id=resident_id, team_id=town.teams["b"], doctor_id=town.doctors["wang"])
    with town.context.database.read() as session:
        check = teams.capacity_check(session, town.teams["b"], town.doctors["wang"], TODAY)
    assert (check.doctor.signed, check.doctor.capacity, check.doctor.level) == (5, 5, "warn")
    assert check.warn and not check.over
    sign(town, resident_id=ids[4], team_id=town.teams["b"], doctor_id=town.doctors["wang"])
    with pytest.raises(C.OverCapacity) as refused:
        sign(town, resident_id=ids[5], team_id=town.teams["b"], doctor_id=town.doctors["wang"])
    assert "王德福 would have 6 contracts for a capacity of 5" in refused.value.render()
    assert refused.value.check.over
    # A doctor cannot approve; a supervisor confirms with their password.
    with town.context.database.unit_of_work() as session:
        by_doctor = C.confirm_supervisor(session, "doctor1", PASSWORD)
        wrong = C.confirm_supervisor(session, "supervisor1", "wrong-password")
    with pytest.raises(PermissionDenied):
        by_doctor.approver()
    with pytest.raises(AuthenticationFailed):
        wrong.approver()
    with town.context.database.read() as session:
        assert session.scalar(select(User.failed_logins).where(User.username == "supervisor1")) == 1
    with town.context.database.unit_of_work() as session:
        approver = C.confirm_supervisor(session, "supervisor1", PASSWORD).approver()
    data = C.SignInput(ids[5], town.teams["b"], town.doctors["wang"])
    with town.context.database.unit_of_work() as session:
        detail = C.sign(session, town.doctor, data, approver=approver, today=TODAY)
    assert detail.over_capacity_approved_by == "supervisor测试"
    [event] = events(town, "contract.over_capacity")
    assert event.username == "supervisor1"
    assert event.changes["doctor_load"] == [6, 5] and event.changes["signed_by"] == "doctor1"
    with town.context.database.read() as session:
        stored = session.get(Contract, detail.id)
        assert stored is not None and stored.over_capacity_approved_by == approver.user_id


def test_an_approver_without_the_right_is_refused(town: Town) -> None:
    with town.context.database.unit_of_work() as session:
        session.execute(update(teams.Team).values(capacity=0))
    data = C.SignInput(town.residents["adult"], town.teams["a"], town.doctors["zhang"])
    with pytest.raises(PermissionDenied):
        with town.context.database.unit_of_work() as session:
            C.sign(session, town.doctor, data, approver=town.doctor, today=TODAY)
    with town.context.database.unit_of_work() as session:
        detail = C.sign(session, town.supervisor, data, approver=town.supervisor, today=TODAY)
    assert detail.over_capacity_approved_by == "supervisor测试"


def test_renewal_is_offered_from_30_days_before_the_end(town: Town) -> None:
    start = TODAY - dt.timedelta(days=340)  # ends in 24 days
    old = sign(town, signed_on=start, start_date=start, package_codes=("elderly_plus",))
    assert old.status == "ending_soon" and old.renewal_offered
    too_early = TODAY - dt.timedelta(days=10)
    with pytest.raises(RuleViolation, match="renewal is offered from"):
        with town.context.database.unit_of_work() as session:
            C.renew(session, town.doctor, old.id, today=too_early)
    with town.context.database.unit_of_work() as session:
        new = C.renew(session, town.doctor, old.id, today=TODAY)
    assert new.previous_number == old.number
    assert new.start_date == old.end_date + dt.timedelta(days=1)
    assert new.end_date == C.default_end(new.start_date)
    assert (new.team_id, new.doctor_id) == (old.team_id, old.doctor_id)
    assert [p.code for p in new.packages] == ["basic", "elderly_plus"]
    assert new.status == "not_started"
    with town.context.database.read() as session:
        again = C.contract_detail(session, town.doctor, old.id, today=TODAY)
    assert again.next_number == new.number and not again.renewal_offered
    with pytest.raises(RuleViolation, match="already renewed"):
        with town.context.database.unit_of_work() as session:
            C.renew(session, town.doctor, old.id, today=TODAY)
    assert events(town, "contract.renew")[0].changes["previous_contract_id"] == old.id


def test_renewal_after_the_grace_period_asks_for_a_new_contract(town: Town) -> None:
    start = dt.date(2025, 6, 1)
    old = sign(town, signed_on=start, start_date=start)
    with pytest.raises(RuleViolation, match="sign a new"):
        with town.context.database.unit_of_work() as session:
            C.renew(session, town.doctor, old.id, today=TODAY)


def test_renewal_of_a_minor_keeps_the_guardian(town: Town) -> None:
    start = TODAY - dt.timedelta(days=350)
    guardian_id = build_id("320321", dt.date(1985, 1, 9), 51)
    old = sign(
        town,
        resident_id=town.residents["minor"],
        signed_on=start,
        start_date=start,
        signing_method="guardian",
        guardian_name="孙大伟",
        guardian_relation="父亲",
        guardian_id_number=guardian_id,
        guardian_phone="13700001111",
    )
    with town.context.database.unit_of_work() as session:
        plan = C.renewal_plan(session, town.doctor, old.id, today=TODAY)
        assert plan.signing_method == "guardian" and plan.guardian_name == "孙大伟"
        assert "*" in plan.guardian_id_number  # the plan shows it masked
        new = C.renew(session, town.doctor, old.id, today=TODAY)
    with town.context.database.read() as session:
        stored = session.get(Contract, new.id)
        assert stored is not None and stored.guardian_id_number == guardian_id


def test_end_a_contract_with_a_reason(town: Town) -> None:
    detail = sign(town)
    with pytest.raises(PermissionDenied):
        with town.context.database.unit_of_work() as session:
            C.end_contract(
                session, town.clerk, detail.id, on=TODAY, reason="resident_request", today=TODAY
            )
    for reason, note, words in (
        ("changed_team", "", "Change team"),
        ("bored", "", "reason"),
        ("other", "", "note"),
    ):
        with pytest.raises(RuleViolation, match=words):
            with town.context.database.unit_of_work() as session:
                C.end_contract(
                    session, town.doctor, detail.id, on=TODAY, reason=reason, note=note,
                    today=TODAY,
                )  # fmt: skip
    with pytest.raises(RuleViolation, match="must lie in that period"):
        with town.context.database.unit_of_work() as session:
            C.end_contract(
                session, town.doctor, detail.id, on=TODAY.replace(year=2028),
                reason="unreachable", today=TODAY,
            )  # fmt: skip
    later = TODAY + dt.timedelta(days=1)
    with town.context.database.unit_of_work() as session:
        ended = C.end_contract(
            session, town.doctor, detail.id, on=later, reason="resident_request",
            note="本人要求解约", today=TODAY,
        )  # fmt: skip
    assert ended.status == "in_force"  # still in force today; ends tomorrow
    assert (ended.terminated_on, ended.termination_reason) == (later, "resident_request")
    assert ended.last_day == TODAY
    with town.context.database.read() as session:
        assert C.contract_detail(session, town.doctor, detail.id, later).status == "terminated"
    # After it ends, the resident can sign again from that day.
    again = sign(town, signed_on=TODAY, start_date=later)
    assert again.start_date == later
    with pytest.raises(RuleViolation, match="already ended"):
        with town.context.database.unit_of_work() as session:
            C.end_contract(
                session, town.doctor, detail.id, on=TODAY, reason="other", note="x", today=TODAY
            )
    assert events(town, "contract.end")[0].changes["termination_reason"] == "resident_request"


def test_change_team_ends_one_and_starts_another_the_same_day(town: Town) -> None:
    start = TODAY - dt.timedelta(days=100)
    old = sign(
        town,
        resident_id=town.residents["elderly"],
        signed_on=start,
        start_date=start,
        package_codes=("elderly_plus",),
    )
    with pytest.raises(RuleViolation, match="not a member"):
        with town.context.database.unit_of_work() as session:
            C.change_team(
                session, town.doctor, old.id, on=TODAY, team_id=town.teams["b"],
                doctor_id=town.doctors["zhang"], today=TODAY,
            )  # fmt: skip
    with pytest.raises(RuleViolation, match="other than"):
        with town.context.database.unit_of_work() as session:
            C.change_team(
                session, town.doctor, old.id, on=TODAY, team_id=town.teams["a"],
                doctor_id=town.doctors["zhang"], today=TODAY,
            )  # fmt: skip
    with town.context.database.unit_of_work() as session:
        new = C.change_team(
            session, town.doctor, old.id, on=TODAY, team_id=town.teams["b"],
            doctor_id=town.doctors["wang"], note="搬到河湾村", today=TODAY,
        )  # fmt: skip
        old_now = C.contract_detail(session, town.doctor, old.id, today=TODAY)
    assert (old_now.terminated_on, old_now.termination_reason) == (TODAY, "changed_team")
    assert old_now.status == "terminated" and old_now.last_day == TODAY - dt.timedelta(days=1)
    assert new.start_date == TODAY and new.end_date == old.end_date
    assert new.team == "王德福家庭医生团队" and new.previous_number == old.number
    assert [p.code for p in new.packages] == ["basic", "elderly_plus"]
    assert new.status == "in_force"
    with town.context.database.read() as session:
        in_force = session.scalar(
            select(func.count())
            .select_from(Contract)
            .where(Contract.resident_id == town.residents["elderly"], C.in_force_on(TODAY))
        )
    assert in_force == 1
    assert events(town, "contract.change_team")


def test_marking_a_resident_deceased_ends_their_contracts(town: Town) -> None:
    start = TODAY - dt.timedelta(days=340)
    current = sign(town, signed_on=start, start_date=start)
    with town.context.database.unit_of_work() as session:
        renewal = C.renew(session, town.doctor, current.id, today=TODAY)
    died = TODAY - dt.timedelta(days=2)
    with town.context.database.unit_of_work() as session:
        # A clerk may record a death; the contracts end with it.
        residents.mark_left(
            session, town.clerk, town.residents["adult"], on=died, reason="deceased", today=TODAY
        )
    with town.context.database.read() as session:
        first = C.contract_detail(session, town.doctor, current.id, today=TODAY)
        second = C.contract_detail(session, town.doctor, renewal.id, today=TODAY)
    assert (first.terminated_on, first.termination_reason) == (died, "deceased")
    assert (second.terminated_on, second.termination_reason) == (
        renewal.start_date,
        "deceased",
    )
    [leave] = events(town, "resident.leave")
    assert leave.changes["contracts_ended"] == [current.number, renewal.number]


def test_contract_list_filters(town: Town) -> None:
    soon = TODAY - dt.timedelta(days=340)  # ends in 24 days
    mid = TODAY - dt.timedelta(days=300)  # ends in 64 days
    a = sign(town, signed_on=soon, start_date=soon)
    b = sign(town, resident_id=town.residents["elderly"], signed_on=mid, start_date=mid)
    c = sign(town, resident_id=town.residents["river"], team_id=town.teams["b"],
             doctor_id=town.doctors["wang"])  # fmt: skip
    with town.context.database.unit_of_work() as session:
        C.end_contract(session, town.doctor, c.id, on=TODAY, reason="unreachable", today=TODAY)

    def numbers(**filters: object) -> list[str]:
        query = C.contract_list(C.ContractFilter(**filters), today=TODAY)  # type: ignore[arg-type]
        with town.context.database.read() as session:
            count = query.count(session)
            rows = query.fetch(session, 0, 100)
        assert count == len(rows)
        return [row[1] for row in rows]

    assert numbers() == [c.number, b.number, a.number]
    assert numbers(ending_within=30) == [a.number]
    assert numbers(ending_within=90) == [a.number, b.number]
    assert numbers(status="terminated") == [c.number]
    assert numbers(status="in_force") == [b.number, a.number]
    assert numbers(team_id=town.teams["b"]) == [c.number]
    assert numbers(doctor_id=town.doctors["zhang"]) == [b.number, a.number]
    assert numbers(village_id=town.villages["河湾村"]) == [c.number]
    assert numbers(text="赵丽") == [a.number]
    assert numbers(text=b.number[-11:]) == [b.number]
    assert numbers(sort="end_date") == [a.number, b.number, c.number]
    assert numbers(sort="end_date", descending=True) == [c.number, b.number, a.number]
    # A renewed contract leaves the "ending within" list and shows what renewed it.
    with town.context.database.unit_of_work() as session:
        renewal = C.renew(session, town.doctor, a.id, today=TODAY)
    assert numbers(ending_within=30) == []
    query = C.contract_list(C.ContractFilter(text=a.number), today=TODAY)
    with town.context.database.read() as session:
        row = dict(zip(query.columns, query.fetch(session, 0, 10)[0], strict=True))
    assert row["renewed_as"] == renewal.number and row["status"] == "ending_soon"


def test_sign_context_offers_the_renewal_and_serving_teams_first(town: Town) -> None:
    start = TODAY - dt.timedelta(days=340)
    old = sign(town, resident_id=town.residents["river"], team_id=town.teams["b"],
               doctor_id=town.doctors["wang"], signed_on=start, start_date=start)  # fmt: skip
    with town.context.database.read() as session:
        context = C.sign_context(session, town.doctor, town.residents["river"], today=TODAY)
    assert context.teams[0].id == town.teams["b"]
    assert context.current is not None and context.current.number == old.number
    assert (
        context.renewal is not None and context.renewal.start_date == old.end_date + dt.timedelta(1)
    )
    assert [p.code for p in context.packages_on(TODAY)] == ["basic", "elderly_plus"]
    assert context.institution_code == "320321110"


def test_basic_package_is_optional_when_the_institution_has_none(town: Town) -> None:
    with town.context.database.unit_of_work() as session:
        teams.retire_package(session, town.admin, "basic", TODAY - dt.timedelta(days=1))
    detail = sign(town, package_codes=("elderly_plus",))
    assert [p.code for p in detail.packages] == ["elderly_plus"]
    with pytest.raises(RuleViolation, match="at least one service package"):
        sign(town, resident_id=town.residents["elderly"])
    with town.context.database.read() as session:
        assert session.scalar(select(func.count()).select_from(ContractPackage)) == 1
        assert session.scalar(
            select(ServicePackage.valid_to).where(ServicePackage.code == "basic")
        ) == TODAY - dt.timedelta(days=1)
