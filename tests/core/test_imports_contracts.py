"""Importing the roster of contracts already signed: every row through the signing rules, all
rows or none, --create-missing, dry runs, re-imports that sign nothing twice, permissions."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from pathlib import Path

import pytest
from contract_town import TODAY, Town, build_town
from openpyxl import Workbook
from sqlalchemy import func, select

from familydoc.core import contracts, imports, residents
from familydoc.core.auth import Actor
from familydoc.core.context import AppContext
from familydoc.core.errors import PermissionDenied
from familydoc.core.idnumber import build as build_id
from familydoc.core.models import (
    AuditEvent,
    Contract,
    ContractPackage,
    ContractSequence,
    Doctor,
    Resident,
    ServicePackage,
    Team,
    TeamMember,
)

HEADER = ["身份证号", "姓名", "团队", "责任医生", "服务包", "签约日期", "开始日期", "结束日期"]
TEAM_A, TEAM_B = "张建华家庭医生团队", "王德福家庭医生团队"
ADULT = build_id("320321", dt.date(1980, 5, 6), 22)  # 赵丽
ELDERLY = build_id("320321", dt.date(1950, 3, 2), 11)  # 钱国强
MINOR = build_id("320321", dt.date(2015, 7, 1), 31)  # 孙小宝, guardian 孙大伟
RIVER = build_id("320321", dt.date(1960, 8, 8), 62)  # 吴桂英
INCAPABLE = build_id("320321", dt.date(1970, 2, 2), 71)  # 周明, guardian 周红
UNKNOWN = build_id("320321", dt.date(1977, 7, 7), 77)

GOOD = (
    (ADULT, "赵丽", TEAM_A, "张建华", "", "2026-03-01", "", ""),
    (ELDERLY, "钱国强", TEAM_A, "张建华", "老年人健康管理包", "2026/3/2", "2026/3/2", ""),
    (MINOR, "", TEAM_A, "李秀兰", "基础包", "20260303", "", "2026-12-31"),
    (RIVER, "吴桂英", TEAM_B, "王德福", "elderly_plus、基础服务包", "2026年3月4日", "", ""),
)


@pytest.fixture
def town(initialised: AppContext, admin: Actor) -> Town:
    return build_town(initialised, admin)


def write_csv(path: Path, rows: Sequence[Sequence[object]], encoding: str = "gb18030") -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows([HEADER, *rows])
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def run(
    town: Town,
    path: Path,
    actor: Actor | None = None,
    *,
    dry_run: bool = False,
    create_missing: bool = False,
    progress: imports.Progress | None = None,
) -> imports.ImportReport:
    source = imports.open_source(path, "contracts")
    try:
        with town.context.database.unit_of_work() as session:
            return imports.run_import(
                session,
                actor or town.doctor,
                source,
                dry_run=dry_run,
                today=TODAY,
                create_missing=create_missing,
                progress=progress,
            )
    finally:
        source.close()


def refused(town: Town, path: Path, actor: Actor | None = None, **options: bool) -> dict:
    """The problems of a refused import, by (row, column): the reason in English."""
    with pytest.raises(imports.ImportRefused) as caught:
        run(town, path, actor, **options)
    return {(p.row, p.column): p.error.render() for p in caught.value.problems}


def snapshot(town: Town) -> dict[str, object]:
    """Everything an import may write."""
    with town.context.database.read() as session:
        return {
            "contracts": session.scalar(select(func.count()).select_from(Contract)),
            "packages": session.scalar(select(func.count()).select_from(ContractPackage)),
            "sequence": session.execute(
                select(ContractSequence.year, ContractSequence.last_value)
            ).all(),
            "teams": session.scalar(select(func.count()).select_from(Team)),
            "doctors": session.scalar(select(func.count()).select_from(Doctor)),
            "members": session.scalar(select(func.count()).select_from(TeamMember)),
            "events": session.scalar(select(func.count()).select_from(AuditEvent)),
        }


def stored(town: Town) -> list[tuple]:
    with town.context.database.read() as session:
        rows = session.execute(
            select(
                Contract.number,
                Contract.resident_id,
                Team.name,
                Doctor.name,
                Contract.signed_on,
                Contract.start_date,
                Contract.end_date,
                Contract.signing_method,
                Contract.guardian_name,
            )
            .join(Team, Team.id == Contract.team_id)
            .join(Doctor, Doctor.id == Contract.doctor_id)
            .order_by(Contract.id)
        ).all()
        packages = {
            number: sorted(
                session.scalars(
                    select(ServicePackage.code)
                    .join(ContractPackage, ContractPackage.package_id == ServicePackage.id)
                    .join(Contract, Contract.id == ContractPackage.contract_id)
                    .where(Contract.number == number)
                )
            )
            for number, *_ in rows
        }
    return [(*row, packages[row[0]]) for row in rows]


def actions(town: Town, action: str) -> list[dict]:
    with town.context.database.read() as session:
        return [
            dict(changes)
            for changes in session.scalars(
                select(AuditEvent.changes)
                .where(AuditEvent.action == action)
                .order_by(AuditEvent.id)
            )
        ]


def test_a_clean_roster_signs_every_row_through_the_signing_rules(
    town: Town, tmp_path: Path
) -> None:
    report = run(town, write_csv(tmp_path / "签约.csv", GOOD))
    assert (report.kind, report.rows, report.new, report.unchanged) == ("contracts", 4, 4, 0)
    assert (report.teams_created, report.doctors_created, report.members_added) == (0, 0, 0)
    r = town.residents
    assert stored(town) == [
        ("320321110-2026-000001", r["adult"], TEAM_A, "张建华", dt.date(2026, 3, 1),
         dt.date(2026, 3, 1), dt.date(2027, 2, 28), "in_person", None, ["basic"]),
        ("320321110-2026-000002", r["elderly"], TEAM_A, "张建华", dt.date(2026, 3, 2),
         dt.date(2026, 3, 2), dt.date(2027, 3, 1), "in_person", None, ["basic", "elderly_plus"]),
        ("320321110-2026-000003", r["minor"], TEAM_A, "李秀兰", dt.date(2026, 3, 3),
         dt.date(2026, 3, 3), dt.date(2026, 12, 31), "guardian", "孙大伟", ["basic"]),
        ("320321110-2026-000004", r["river"], TEAM_B, "王德福", dt.date(2026, 3, 4),
         dt.date(2026, 3, 4), dt.date(2027, 3, 3), "in_person", None, ["basic", "elderly_plus"]),
    ]  # fmt: skip
    signed = actions(town, "contract.sign")
    assert [e["number"] for e in signed] == [f"320321110-2026-00000{i}" for i in range(1, 5)]
    assert actions(town, "contract.import") == [
        {
            "file": "签约.csv",
            "rows": 4,
            "signed": 4,
            "already_present": 0,
            "teams_created": 0,
            "doctors_created": 0,
            "members_added": 0,
        }
    ]


def test_an_xlsx_roster_with_english_headers_and_excel_dates(town: Town, tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["签约居民花名册（2026年）"])  # a title row above the header
    sheet.append(["id_number", "team", "doctor", "packages", "signed_on", "end_date", "notes"])
    sheet.append([ADULT, TEAM_A, "张建华", None, dt.datetime(2026, 5, 1), None, "x"])
    sheet.append([ELDERLY, TEAM_A, "张建华", "老年人健康管理包", dt.date(2026, 5, 2), 46507, None])
    path = tmp_path / "roster.xlsx"
    workbook.save(path)
    report = run(town, path)
    assert (report.rows, report.new) == (2, 2)
    rows = stored(town)
    assert [(row[4], row[6]) for row in rows] == [
        (dt.date(2026, 5, 1), dt.date(2027, 4, 30)),
        (dt.date(2026, 5, 2), dt.date(2027, 4, 30)),  # the Excel serial 46507
    ]


def test_every_refusal_names_its_row_column_and_reason_and_nothing_is_written(
    town: Town, tmp_path: Path
) -> None:
    with town.context.database.unit_of_work() as session:  # a doctor who left the centre
        session.get(Doctor, town.doctors["li"]).active = False  # type: ignore[union-attr]
    before = snapshot(town)
    rows = [
        GOOD[0],  # row 2 is fine, and still nothing is written
        ("1.10105E+17", "", TEAM_A, "张建华", "", "2026-03-01", "", ""),  # 3
        (UNKNOWN, "", TEAM_A, "张建华", "", "2026-03-01", "", ""),  # 4
        (ELDERLY, "张三", TEAM_A, "张建华", "", "2026-03-01", "", ""),  # 5
        (ELDERLY, "", "第九团队", "张建华", "", "2026-03-01", "", ""),  # 6
        (ELDERLY, "", TEAM_A, "李四", "", "2026-03-01", "", ""),  # 7
        (ELDERLY, "", TEAM_A, "王德福", "", "2026-03-01", "", ""),  # 8
        (ELDERLY, "", TEAM_A, "张建华", "黄金包", "2026-03-01", "", ""),  # 9
        (ELDERLY, "", TEAM_A, "张建华", "", "2026-02-30", "", ""),  # 10
        (ELDERLY, "", TEAM_A, "张建华", "", "", "", ""),  # 11
        (ELDERLY, "", TEAM_A, "张建华", "", "2026-12-01", "", ""),  # 12
        (ELDERLY, "", TEAM_A, "张建华", "", "2026-03-01", "", "2026-02-01"),  # 13
        (ELDERLY, "", TEAM_A, "张建华", "", "2026-03-01", "", "2030-01-01"),  # 14
        (ADULT, "", TEAM_B, "王德福", "", "2026-06-01", "", ""),  # 15: overlaps row 2
        (ELDERLY, "", TEAM_A, "李秀兰", "", "2026-03-01", "", ""),  # 16
        (ELDERLY, "", "", "", "", "2026-03-01", "", ""),  # 17
        ("", "", TEAM_A, "张建华", "", "2026-03-01", "", ""),  # 18
        (ELDERLY, "", TEAM_A, "张建华", "老年人健康管理包", "2023-06-01", "", ""),  # 19
    ]
    problems = refused(town, write_csv(tmp_path / "bad.csv", rows))
    assert problems == {
        (3, "身份证号"): "The ID number 1.10105E+17 was turned into a number by Excel and lost"
        " its last digits. Format the column as text and type the number again.",
        (4, "身份证号"): f"No resident with the ID number {UNKNOWN[:6]}********{UNKNOWN[-4:]} is"
        " registered: register or import the resident first.",
        (5, "姓名"): "The ID number of this row belongs to 钱国强, not to 张三: check the ID"
        " number and the name.",
        (6, "团队"): "There is no team called 第九团队. Create it on the teams page first, or"
        " choose to create the missing teams and doctors when importing.",
        (7, "责任医生"): "There is no doctor called 李四. Add them on the teams page first, or"
        " choose to create the missing teams and doctors when importing.",
        (8, "责任医生"): f"王德福 is not a member of {TEAM_A}: the responsible doctor must be one"
        " of the team's members.",
        (9, "服务包"): "There is no service package called 黄金包: write the package names as on"
        " the packages page, separated by 、 or commas (an empty cell means the free basic"
        " package).",
        (10, "签约日期"): "2026-02-30 is not a date: write it like 1949-12-31 (or 1949/12/31,"
        " 19491231).",
        (11, "签约日期"): "The signing date is missing.",
        (12, "签约日期"): "The signing date is in the future.",
        (13, "结束日期"): "The end date is before the start date.",
        (14, "结束日期"): "A contract runs for at most 3 years.",
        (15, "开始日期"): "Row 2 of this file already signs this resident for a period that"
        " overlaps this one (2026-03-01 to 2027-02-28).",
        (16, "责任医生"): "李秀兰 no longer works here.",
        (17, "团队"): "The team is missing.",
        (17, "责任医生"): "The responsible doctor is missing.",
        (18, "身份证号"): "The ID number is missing: the roster finds each resident by their ID"
        " number.",
        (19, "服务包"): "The package 老年人健康管理包 is not offered on 2023-06-01.",
    }
    assert snapshot(town) == before


def test_the_signing_rules_see_the_contracts_already_stored_and_the_guardian(
    town: Town, tmp_path: Path
) -> None:
    with town.context.database.unit_of_work() as session:
        contracts.sign(
            session,
            town.doctor,
            contracts.SignInput(
                resident_id=town.residents["adult"],
                team_id=town.teams["b"],
                doctor_id=town.doctors["wang"],
                start_date=dt.date(2026, 1, 1),
                signed_on=dt.date(2026, 1, 1),
            ),
            today=TODAY,
        )
        minor = session.get(Resident, town.residents["minor"])
        assert minor is not None
        minor.guardian_phone = None  # an incomplete guardian
    problems = refused(
        town,
        write_csv(
            tmp_path / "r.csv",
            [
                (ADULT, "", TEAM_A, "张建华", "", "2026-03-01", "", ""),
                (MINOR, "", TEAM_A, "张建华", "", "2026-03-01", "", ""),
            ],
        ),
    )
    assert problems == {
        (2, "开始日期"): "赵丽 already has a contract in force in that period"
        " (320321110-2026-000001, 2026-01-01 to 2026-12-31): a resident can have only one"
        " contract in force on any day.",
        (3, "身份证号"): "孙小宝 signs through a guardian (a minor, or recorded as lacking"
        " capacity), but the resident's record has no complete guardian: record the guardian's"
        " name, relation, ID number and phone first.",
    }


def test_reimporting_the_same_roster_signs_nothing_twice(town: Town, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "签约.csv", GOOD)
    assert run(town, path).new == 4
    first = stored(town)
    again = run(town, path)
    assert (again.rows, again.new, again.unchanged) == (4, 0, 4)
    assert stored(town) == first
    # The roster grows by a row: only that one is signed.
    bigger = write_csv(
        tmp_path / "签约.csv",
        [*GOOD, (INCAPABLE, "", TEAM_A, "张建华", "", "2026-03-01", "", "")],
    )  # fmt: skip
    report = run(town, bigger)  # 周明 lacks capacity: signed through his guardian
    assert (report.new, report.unchanged) == (1, 4)
    assert stored(town)[-1][7:9] == ("guardian", "周红")
    # A row repeated in one file is a mistake of the file, not "already present".
    problems = refused(town, write_csv(tmp_path / "twice.csv", [GOOD[0], GOOD[0]]))
    assert problems == {
        (3, "开始日期"): "Row 2 of this file already signs this resident for a period that"
        " overlaps this one (2026-03-01 to 2027-02-28)."
    }
    assert [e["already_present"] for e in actions(town, "contract.import")] == [0, 4, 4]


def test_dry_run_checks_everything_and_writes_nothing(town: Town, tmp_path: Path) -> None:
    before = snapshot(town)
    rows = [*GOOD, (INCAPABLE, "", "第九团队", "陈新医生", "", "2026-03-05", "", "")]
    path = write_csv(tmp_path / "签约.csv", rows)
    report = run(town, path, town.supervisor, dry_run=True, create_missing=True)
    assert report.dry_run and (report.new, report.teams_created, report.doctors_created) == (
        5,
        1,
        1,
    )
    assert snapshot(town) == before
    # What the check passed is what the import does, numbers from 000001.
    report = run(town, path, town.supervisor, create_missing=True)
    assert (report.new, report.teams_created, report.doctors_created) == (5, 1, 1)
    assert stored(town)[0][0] == "320321110-2026-000001"


def test_create_missing_adds_teams_doctors_and_members(town: Town, tmp_path: Path) -> None:
    rows = [
        (ADULT, "", "第九团队", "刘新华", "", "2026-03-01", "", ""),  # new team, new doctor
        (ELDERLY, "", "第九团队", "王德福", "", "2026-03-01", "", ""),  # known doctor joins
        (RIVER, "", TEAM_B, "刘新华", "", "2026-03-01", "", ""),  # new doctor joins team B
    ]
    path = write_csv(tmp_path / "新团队.csv", rows)
    without = refused(town, path, town.supervisor)
    assert set(without) == {(2, "团队"), (3, "团队"), (4, "责任医生")}
    # A family doctor may sign but not set up teams: each row that needs it says so.
    by_doctor = refused(town, path, town.doctor, create_missing=True)
    assert set(by_doctor) == {(2, "团队"), (3, "团队"), (4, "责任医生")}
    assert "ask a supervisor" in by_doctor[(2, "团队")]

    report = run(town, path, town.supervisor, create_missing=True)
    assert (report.new, report.teams_created, report.doctors_created, report.members_added) == (
        3,
        1,
        1,
        2,
    )
    with town.context.database.read() as session:
        team = session.scalar(select(Team).where(Team.name == "第九团队"))
        assert team is not None
        new_doctor = session.scalar(select(Doctor).where(Doctor.name == "刘新华"))
        assert new_doctor is not None and team.leader_id == new_doctor.id
        assert (new_doctor.title, new_doctor.licence_no, new_doctor.phone) == (None, None, None)
        members = dict(
            session.execute(
                select(Doctor.name, TeamMember.role)
                .join(TeamMember, TeamMember.doctor_id == Doctor.id)
                .where(TeamMember.team_id == team.id)
            ).all()
        )
        assert members == {"刘新华": "general_practitioner", "王德福": "general_practitioner"}
        team_b = set(
            session.scalars(
                select(Doctor.name)
                .join(TeamMember, TeamMember.doctor_id == Doctor.id)
                .where(TeamMember.team_id == town.teams["b"])
            )
        )
        assert team_b == {"王德福", "陈立新", "刘新华"}
    assert len(actions(town, "team.create")) == 3  # two from the town, one here
    assert len(actions(town, "doctor.create")) == 5  # four from the town, one here
    assert len(actions(town, "team.update")) == 2
    assert [(row[2], row[3]) for row in stored(town)] == [
        ("第九团队", "刘新华"),
        ("第九团队", "王德福"),
        (TEAM_B, "刘新华"),
    ]


def test_past_a_capacity_a_supervisors_import_is_the_approval(town: Town, tmp_path: Path) -> None:
    people = [
        (build_id("320321", dt.date(1960, 1, 1) + dt.timedelta(days=i), 101 + 2 * i), f"居民{i}")
        for i in range(6)
    ]
    with town.context.database.unit_of_work() as session:
        for number, name in people:
            residents.register(
                session,
                town.admin,
                residents.ResidentInput(name=name, id_number=number, village="河湾村"),
                today=TODAY,
            )
    # 王德福's capacity is 5: the sixth row goes past it.
    path = write_csv(
        tmp_path / "满员.csv",
        [(number, name, TEAM_B, "王德福", "", "2026-03-01", "", "") for number, name in people],
    )
    problems = refused(town, path, town.doctor)
    assert problems == {
        (7, "责任医生"): "王德福 would have 6 contracts for a capacity of 5: only a supervisor"
        " may sign past a capacity, so a supervisor has to import this file."
    }
    assert run(town, path, town.supervisor).new == 6
    approvals = actions(town, "contract.over_capacity")
    assert len(approvals) == 1 and approvals[0]["doctor_load"] == [6, 5]


def test_clerks_may_not_import_contracts(town: Town, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "签约.csv", GOOD)
    with pytest.raises(PermissionDenied):
        run(town, path, town.clerk)
    assert snapshot(town)["contracts"] == 0


def test_progress_and_cancelling_leave_nothing(town: Town, tmp_path: Path) -> None:
    before = snapshot(town)
    seen: list[tuple[int, int]] = []

    def stop(done: int, total: int) -> None:
        seen.append((done, total))
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run(town, write_csv(tmp_path / "签约.csv", GOOD), progress=stop)
    assert seen == [(4, 4)]
    assert snapshot(town) == before
