"""A small township for the contract tests: villages, doctors, two teams, packages, residents.

Everything goes in through the services (teams, residents), as a clinic would enter it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from familydoc.core import residents, teams
from familydoc.core.auth import Actor, create_user
from familydoc.core.context import AppContext
from familydoc.core.idnumber import build as build_id
from familydoc.core.models import Institution, Village

TODAY = dt.date(2026, 11, 24)
PASSWORD = "user-pass-1"


@dataclass
class Town:
    context: AppContext
    admin: Actor
    doctor: Actor
    clerk: Actor
    supervisor: Actor
    villages: dict[str, int] = field(default_factory=dict)
    doctors: dict[str, int] = field(default_factory=dict)
    teams: dict[str, int] = field(default_factory=dict)
    residents: dict[str, int] = field(default_factory=dict)
    hospital_id: int = 0

    def add_resident(
        self,
        key: str,
        name: str,
        birth: dt.date,
        sequence: int,
        village: str = "青山村",
        **extra: object,
    ) -> int:
        with self.context.database.unit_of_work() as session:
            detail = residents.register(
                session,
                self.admin,
                residents.ResidentInput(
                    name=name,
                    id_number=build_id("320321", birth, sequence),
                    village=village,
                    **extra,  # type: ignore[arg-type]
                ),
                today=TODAY,
            )
        self.residents[key] = detail.id
        return detail.id


def _user(context: AppContext, admin: Actor, role: str) -> Actor:
    with context.database.unit_of_work() as session:
        row = create_user(
            session,
            admin,
            username=f"{role}1",
            display_name=f"{role}测试",
            role=role,
            password=PASSWORD,
        )
    return Actor(row.id, row.username, row.display_name, row.role)


def build_town(context: AppContext, admin: Actor) -> Town:
    town = Town(
        context,
        admin,
        doctor=_user(context, admin, "doctor"),
        clerk=_user(context, admin, "clerk"),
        supervisor=_user(context, admin, "supervisor"),
    )
    with context.database.unit_of_work() as session:
        for code, name in (("320321110201", "青山村"), ("320321110202", "河湾村")):
            village = Village(code=code, name=name)
            session.add(village)
            session.flush()
            town.villages[name] = village.id
        hospital = Institution(code="320321001", name="丰县人民医院", kind="county_hospital")
        session.add(hospital)
        session.flush()
        town.hospital_id = hospital.id
        home = teams.home_institution_id(session)
        for key, name, title, licence, phone, institution, capacity in (
            ("zhang", "张建华", "全科主治医师", "110320000200117", "13912345600", home, 10),
            ("li", "李秀兰", "主管护师", "110320000200118", "13805167100", home, None),
            ("wang", "王德福", "乡村医生", "320321000200121", "13585162000", home, 5),
            ("chen", "陈立新", "副主任医师（心内科）", "110320000100231", "13905161234",
             hospital.id, None),
        ):  # fmt: skip
            row = teams.save_doctor(
                session,
                admin,
                None,
                teams.DoctorInput(
                    name=name,
                    sex="M",
                    title=title,
                    licence_no=licence,
                    phone=phone,
                    institution_id=institution,
                    capacity=capacity,
                ),
            )
            town.doctors[key] = row.id
        d = town.doctors
        team_a = teams.save_team(
            session,
            admin,
            None,
            teams.TeamInput(
                name="张建华家庭医生团队",
                leader_id=d["zhang"],
                capacity=20,
                members=(
                    (d["zhang"], "general_practitioner"),
                    (d["li"], "nurse"),
                    (d["chen"], "specialist"),
                ),
                village_ids=(town.villages["青山村"],),
            ),
        )
        team_b = teams.save_team(
            session,
            admin,
            None,
            teams.TeamInput(
                name="王德福家庭医生团队",
                leader_id=d["wang"],
                capacity=20,
                members=((d["wang"], "village_doctor"), (d["chen"], "specialist")),
                village_ids=(town.villages["河湾村"],),
            ),
        )
        town.teams = {"a": team_a.id, "b": team_b.id}
        teams.create_package(
            session,
            admin,
            teams.PackageInput(
                code="elderly_plus",
                name="老年人健康管理包",
                kind="personalised",
                target_populations=frozenset({"elderly_65"}),
                fund_insurance_fen=6000,
                fund_public_health_fen=4000,
                self_pay_fen=2000,
                items=(("上门健康随访", "每季度1次"), ("中医体质辨识", "每年1次")),
                valid_from=dt.date(2024, 1, 1),
            ),
        )
    town.add_resident("adult", "赵丽", dt.date(1980, 5, 6), 22)
    town.add_resident("elderly", "钱国强", dt.date(1950, 3, 2), 11)
    town.add_resident(
        "minor",
        "孙小宝",
        dt.date(2015, 7, 1),
        31,
        guardian_name="孙大伟",
        guardian_relation="父亲",
        guardian_id_number=build_id("320321", dt.date(1985, 1, 9), 51),
        guardian_phone="13700001111",
    )
    town.add_resident(
        "incapable",
        "周明",
        dt.date(1970, 2, 2),
        71,
        lacks_capacity=True,
        guardian_name="周红",
        guardian_relation="兄弟姐妹",
        guardian_id_number=build_id("320321", dt.date(1972, 4, 4), 42),
        guardian_phone="13700002222",
    )
    town.add_resident("river", "吴桂英", dt.date(1960, 8, 8), 62, village="河湾村")
    return town
