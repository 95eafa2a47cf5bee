"""Institutions, doctors, teams and versioned service packages."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from contract_town import TODAY, Town, build_town
from sqlalchemy import select

from familydoc.core import contracts as C
from familydoc.core import teams as T
from familydoc.core.auth import Actor
from familydoc.core.context import AppContext
from familydoc.core.errors import PermissionDenied, RuleViolation
from familydoc.core.models import AuditEvent, ServicePackage, TeamMember


@pytest.fixture
def town(initialised: AppContext, admin: Actor) -> Town:
    return build_town(initialised, admin)


def test_a_doctor_may_serve_on_several_teams(town: Town) -> None:
    with town.context.database.read() as session:
        doctors = {d.name: d for d in T.list_doctors(session, TODAY)}
        team_rows = T.list_teams(session, TODAY)
    chen = doctors["陈立新"]
    assert chen.institution == "丰县人民医院" and chen.title == "副主任医师（心内科）"
    assert sorted(chen.teams) == [
        ("张建华家庭医生团队", "specialist"),
        ("王德福家庭医生团队", "specialist"),
    ]
    team_a = next(t for t in team_rows if t.name == "张建华家庭医生团队")
    assert team_a.leader == "张建华" and team_a.members[0].name == "张建华"  # leader first
    assert [m.role for m in team_a.members] == ["general_practitioner", "nurse", "specialist"]
    assert team_a.villages == ((town.villages["青山村"], "青山村"),)
    assert (team_a.capacity, team_a.signed) == (20, 0)


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"name": ""}, "needs a name"),
        ({"title": ""}, "professional title"),
        ({"licence_no": "12"}, "licence number"),
        ({"licence_no": "110320000200117"}, "already belongs to 张建华"),
        ({"phone": "12345"}, "neither an 11-digit mobile"),
        ({"phone": ""}, "Enter a phone number"),
        ({"capacity": -1}, "capacity"),
        ({"institution_id": None}, "institution"),
    ],
)
def test_doctor_refusals(town: Town, changes: dict, words: str) -> None:
    data = T.DoctorInput(
        name="刘医生",
        title="全科医师",
        licence_no="110320000200999",
        phone="13900000000",
        institution_id=town.hospital_id,
    )
    with pytest.raises(RuleViolation, match=words):
        with town.context.database.unit_of_work() as session:
            T.save_doctor(session, town.admin, None, replace(data, **changes))


def test_only_managers_change_teams_and_doctors(town: Town) -> None:
    with pytest.raises(PermissionDenied):
        with town.context.database.unit_of_work() as session:
            T.save_doctor(session, town.doctor, None, T.DoctorInput(name="x"))
    with pytest.raises(PermissionDenied):
        with town.context.database.unit_of_work() as session:
            T.save_team(session, town.doctor, town.teams["a"], T.TeamInput(name="x"))
    with pytest.raises(PermissionDenied):
        with town.context.database.unit_of_work() as session:
            T.create_package(session, town.clerk, T.PackageInput(code="x"))


def _team_input(town: Town, **changes: object) -> T.TeamInput:
    d = town.doctors
    data = T.TeamInput(
        name="张建华家庭医生团队",
        leader_id=d["zhang"],
        capacity=20,
        members=(
            (d["zhang"], "general_practitioner"),
            (d["li"], "nurse"),
            (d["chen"], "specialist"),
        ),
        village_ids=(town.villages["青山村"],),
    )
    return replace(data, **changes)


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"name": "王德福家庭医生团队"}, "already a team called"),
        ({"leader_id": "wang"}, "leader among the team's members"),
        ({"members": ()}, "at least one member"),
        ({"members": "twice"}, "only once"),
        ({"members": "bad role"}, "Unknown team role"),
    ],
)
def test_team_refusals(town: Town, changes: dict, words: str) -> None:
    d = town.doctors
    if changes.get("leader_id") == "wang":
        changes["leader_id"] = d["wang"]
    if changes.get("members") == "twice":
        changes["members"] = ((d["zhang"], "general_practitioner"), (d["zhang"], "nurse"))
    if changes.get("members") == "bad role":
        changes["members"] = ((d["zhang"], "driver"),)
    with pytest.raises(RuleViolation, match=words):
        with town.context.database.unit_of_work() as session:
            T.save_team(session, town.admin, town.teams["a"], _team_input(town, **changes))


def test_team_members_roles_and_villages_change_and_are_audited(town: Town) -> None:
    d = town.doctors
    data = _team_input(
        town,
        members=((d["zhang"], "general_practitioner"), (d["wang"], "village_doctor")),
        village_ids=(town.villages["青山村"], town.villages["河湾村"]),
        capacity=30,
    )
    with town.context.database.unit_of_work() as session:
        row = T.save_team(session, town.admin, town.teams["a"], data)
    assert [m.name for m in row.members] == ["张建华", "王德福"]
    assert [v[1] for v in row.villages] == ["青山村", "河湾村"]
    assert row.capacity == 30
    with town.context.database.read() as session:
        event = session.scalar(
            select(AuditEvent).where(AuditEvent.action == "team.update").order_by(AuditEvent.id)
        )
        assert event is not None
        assert event.changes["capacity"] == [20, 30]
        assert f"{d['wang']}:village_doctor" in event.changes["members"][1]


def test_a_responsible_doctor_stays_on_the_team_while_their_contracts_run(town: Town) -> None:
    d = town.doctors
    with town.context.database.unit_of_work() as session:
        C.sign(
            session, town.doctor, C.SignInput(town.residents["adult"], town.teams["a"], d["zhang"])
        )
    without_zhang = _team_input(
        town, leader_id=d["li"], members=((d["li"], "nurse"), (d["chen"], "specialist"))
    )
    with pytest.raises(RuleViolation, match="responsible doctor of 1 contracts"):
        with town.context.database.unit_of_work() as session:
            T.save_team(session, town.admin, town.teams["a"], without_zhang)
    with pytest.raises(RuleViolation, match="still has 1 contracts in force"):
        with town.context.database.unit_of_work() as session:
            T.save_team(session, town.admin, town.teams["a"], _team_input(town, active=False))
    with town.context.database.read() as session:
        assert session.scalar(
            select(TeamMember.role).where(
                TeamMember.team_id == town.teams["a"], TeamMember.doctor_id == d["zhang"]
            )
        )


def test_capacity_levels() -> None:
    assert T.Load(5, None).level == "none"
    assert T.Load(8, 10).level == "ok"
    assert T.Load(9, 10).level == "warn"  # 90%
    assert T.Load(10, 10).level == "warn"
    assert T.Load(11, 10).level == "over"
    assert T.Load(1, 0).level == "over"


def test_package_versions_follow_each_other(town: Town) -> None:
    version = T.PackageInput(
        name="老年人健康管理包",
        kind="personalised",
        fund_insurance_fen=7000,
        fund_public_health_fen=4000,
        self_pay_fen=2500,
        items=(("上门健康随访", "每季度1次"),),
        valid_from=dt.date(2027, 1, 1),
    )
    with town.context.database.unit_of_work() as session:
        row = T.new_package_version(session, town.admin, "elderly_plus", version)
    assert (row.price_fen, row.valid_from, row.valid_to) == (13500, dt.date(2027, 1, 1), None)
    with town.context.database.read() as session:
        versions = [p for p in T.list_packages(session) if p.code == "elderly_plus"]
        assert [(p.valid_from, p.valid_to) for p in versions] == [
            (dt.date(2027, 1, 1), None),
            (dt.date(2024, 1, 1), dt.date(2026, 12, 31)),
        ]
        assert T.package_valid_on(session, "elderly_plus", dt.date(2026, 12, 31)).price_fen == 12000
        assert [p.code for p in T.packages_valid_on(session, dt.date(2027, 1, 1))] == [
            "basic",
            "elderly_plus",
        ]
    with pytest.raises(RuleViolation, match="must start after 2027-01-01"):
        with town.context.database.unit_of_work() as session:
            T.new_package_version(session, town.admin, "elderly_plus", version)
    with pytest.raises(RuleViolation, match="keeps the kind"):
        with town.context.database.unit_of_work() as session:
            T.new_package_version(
                session,
                town.admin,
                "elderly_plus",
                replace(version, kind="basic", valid_from=dt.date(2028, 1, 1)),
            )


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"code": "Elderly Plus"}, "lower-case letters"),
        ({"code": "elderly_plus"}, "make a new version"),
        ({"kind": "basic"}, "must be 0"),
        ({"self_pay_fen": -1}, "negative"),
        ({"items": ()}, "at least one service item"),
        ({"target_populations": frozenset({"aliens"})}, "Unknown key population"),
        ({"valid_from": None}, "from which the package is offered"),
    ],
)
def test_package_refusals(town: Town, changes: dict, words: str) -> None:
    data = T.PackageInput(
        code="chronic_care",
        name="慢病管理包",
        kind="personalised",
        fund_insurance_fen=10000,
        fund_public_health_fen=6000,
        self_pay_fen=4000,
        target_populations=frozenset({"hypertension", "diabetes"}),
        items=(("血压、血糖监测", "每月1次"),),
        valid_from=TODAY,
    )
    with pytest.raises(RuleViolation, match=words):
        with town.context.database.unit_of_work() as session:
            T.create_package(session, town.admin, replace(data, **changes))
    with town.context.database.read() as session:
        assert (
            session.scalar(select(ServicePackage).where(ServicePackage.code == "chronic_care"))
            is None
        )


def test_institutions_are_added_and_the_home_keeps_its_code(town: Town) -> None:
    with town.context.database.unit_of_work() as session:
        clinic = T.save_institution(
            session,
            town.admin,
            None,
            T.InstitutionInput(code="320321110201", name="青山村卫生室", kind="village_clinic"),
        )
        home_id = T.home_institution_id(session)
        home = T.save_institution(
            session,
            town.admin,
            home_id,
            T.InstitutionInput(
                code="CHANGED", name="测试镇卫生院", phone="0516-89210120",
                supervision_phone="0516-12320",
            ),
        )  # fmt: skip
    assert clinic.kind == "village_clinic" and not clinic.is_home
    assert home.code == "320321110" and home.kind == "township_centre"
    assert (home.phone, home.supervision_phone) == ("0516-89210120", "0516-12320")
    with pytest.raises(RuleViolation, match="is taken"):
        with town.context.database.unit_of_work() as session:
            T.save_institution(
                session,
                town.admin,
                None,
                T.InstitutionInput(code="320321001", name="又一个", kind="county_hospital"),
            )
    with pytest.raises(RuleViolation, match="village clinic or a partner hospital"):
        with town.context.database.unit_of_work() as session:
            T.save_institution(
                session,
                town.admin,
                None,
                T.InstitutionInput(code="X1", name="又一个", kind="township_centre"),
            )


def test_doctors_are_listed_in_pinyin_order(town: Town) -> None:
    with town.context.database.read() as session:
        home = T.list_doctors(session)[0].institution_id
    with town.context.database.unit_of_work() as session:
        for number, name in enumerate(("张一", "李二", "王三")):  # code points: 张 < 李 < 王
            data = T.DoctorInput(
                name=name,
                title="乡村医生",
                licence_no=f"11032000020{number:04d}",
                phone=f"1390000000{number}",
                institution_id=home,
            )
            T.save_doctor(session, town.admin, None, data)
    with town.context.database.read() as session:
        names = [
            row.name for row in T.list_doctors(session) if row.name in ("张一", "李二", "王三")
        ]
    assert names == ["李二", "王三", "张一"]  # li, wang, zhang
