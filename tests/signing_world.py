"""A small township whose signing figures were counted by hand (tests of the statistics).

Report day D = 2026-06-15. Ages: 65 on D means born on or before 1961-06-15; 0-6 on D
means born after 2019-06-15.

Village 东村 (official population 10 for 2026, 8 for 2025):
  r1  born 1961-06-15 (turns 65 on D)  contract 2026-01-01..2026-12-31, T1/A  signed, elderly
  r2  born 1961-06-16 (65 tomorrow)    contract 2025-06-16..2026-06-15 (ends D)  signed, hypert.
  r3  born 2019-06-15 (turns 7 on D)       no contract, disabled                   not a child
  r4  born 2019-06-16 (6; 7 tomorrow)  2025-06-15..2026-06-14, renewed from D  signed once, child
  r5  born 1950-01-01, moved out on D      contract ended on D (moved_out)          not counted
  r6  born 1980-03-03, moves in D+1        —                                       not counted
  r7  born 1985-05-05, moved in on D       contract starts D+1; diabetes+hypert.   unsigned
  r8  born 1940-02-29                       contract ended on D (resident_request)  elderly unsigned
  r9  born D+1 (newborn after D)            —                                       not counted
Village 西村 (no official population):
  r10 born 1955-05-05, poverty              2026-03-01..2027-02-28, T2/C, paid     signed, elderly
  r11 born 1990-01-01                       2025 contract, expired                  unsigned
  r12 born 2024-01-01, dies 2026-07-01      2026-02-01.., ended 2026-07-01 (deceased) signed child
  r13 born 1970-07-07                       —                                       unsigned
  r14 born 1995-04-04, maternal             2026-06-01..2027-05-31, T1/A, paid     signed
Village 南村: nobody, no official population.

Teams: T1 (capacity 5: doctors A capacity 3, B none), T2 (no capacity: doctor C capacity
2), T3 inactive and empty; doctor D (capacity 4, no contracts), doctor E (neither).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from familydoc.core.db import Database
from familydoc.core.idnumber import build as build_id_number
from familydoc.core.models import (
    Contract,
    ContractPackage,
    Doctor,
    Institution,
    Resident,
    ResidentTag,
    ServicePackage,
    Team,
    TeamMember,
    Village,
    VillagePopulation,
)

D = dt.date
AS_OF = D(2026, 6, 15)
PERIOD = (D(2026, 1, 1), AS_OF)

EXPECTED_VILLAGES = {
    # code: (denominator, numerator, source)
    "320321110201": (10, 3, "population"),
    "320321110202": (5, 3, "registered"),
    "320321110203": (0, 0, "registered"),
}
EXPECTED_OVERALL = (15, 6, "mixed")  # 东村 uses its population, 西村 and 南村 do not
EXPECTED_POPULATIONS = {
    "elderly_65": (3, 2),
    "child_0_6": (2, 2),
    "maternal": (1, 1),
    "hypertension": (2, 1),
    "diabetes": (1, 0),
    "severe_mental": (0, 0),
    "tuberculosis": (0, 0),
    "disabled": (1, 0),
    "poverty": (1, 1),
    "family_planning_special": (0, 0),
    "any_key": (9, 6),
}
EXPECTED_TEAMS = {"T1": (5, 4), "T2": (0, 2)}  # name: (capacity, signed); T3 left out
EXPECTED_DOCTORS = {"A": (3, 3), "B": (0, 1), "C": (2, 2), "D": (4, 0)}  # E left out


@dataclass
class SigningWorld:
    database: Database
    institution_id: int = 0
    villages: dict[str, int] = field(default_factory=dict)  # name -> id
    teams: dict[str, int] = field(default_factory=dict)
    doctors: dict[str, int] = field(default_factory=dict)
    residents: dict[str, int] = field(default_factory=dict)
    contracts: dict[str, int] = field(default_factory=dict)
    packages: dict[str, int] = field(default_factory=dict)
    sequence: int = 0

    def contract(
        self,
        session: Session,
        name: str,
        resident: str,
        team: str,
        doctor: str,
        start: dt.date,
        end: dt.date,
        *,
        signed_on: dt.date | None = None,
        terminated: tuple[dt.date, str] | None = None,
        previous: str | None = None,
        paid: bool = False,
    ) -> int:
        self.sequence += 1
        contract = Contract(
            number=f"320321110-{start.year}-{self.sequence:06d}",
            year=start.year,
            sequence=self.sequence,
            resident_id=self.residents[resident],
            team_id=self.teams[team],
            doctor_id=self.doctors[doctor],
            signed_on=signed_on or start,
            start_date=start,
            end_date=end,
            terminated_on=terminated[0] if terminated else None,
            termination_reason=terminated[1] if terminated else None,
            previous_contract_id=self.contracts[previous] if previous else None,
        )
        session.add(contract)
        session.flush()
        self.contracts[name] = contract.id
        session.add(ContractPackage(contract_id=contract.id, package_id=self.packages["basic"]))
        if paid:
            session.add(
                ContractPackage(
                    contract_id=contract.id,
                    package_id=self.packages["chronic_care"],
                    price_fen=12000,
                    fund_insurance_fen=6000,
                    fund_public_health_fen=3600,
                    self_pay_fen=2400,
                )
            )
        return contract.id


def build_world(database: Database) -> SigningWorld:
    """Fill an initialised database (its institution and basic package) with the township."""
    world = SigningWorld(database)
    with database.unit_of_work() as session:
        home = session.query(Institution).filter_by(is_home=True).one()
        world.institution_id = home.id
        basic = session.query(ServicePackage).filter_by(code="basic").first()
        assert basic is not None
        chronic = ServicePackage(
            code="chronic_care",
            name="慢病管理包",
            kind="personalised",
            institution_id=home.id,
            price_fen=12000,
            fund_insurance_fen=6000,
            fund_public_health_fen=3600,
            self_pay_fen=2400,
            valid_from=D(2020, 1, 1),
        )
        session.add(chronic)
        session.flush()
        world.packages = {"basic": basic.id, "chronic_care": chronic.id}
        for suffix, name in (("201", "东村"), ("202", "西村"), ("203", "南村")):
            village = Village(code=f"320321110{suffix}", name=name, institution_id=home.id)
            session.add(village)
            session.flush()
            world.villages[name] = village.id
        session.add_all(
            [
                VillagePopulation(village_id=world.villages["东村"], year=2026, population=10),
                VillagePopulation(village_id=world.villages["东村"], year=2025, population=8),
            ]
        )
        for name, capacity in (("A", 3), ("B", None), ("C", 2), ("D", 4), ("E", None)):
            doctor = Doctor(name=name, institution_id=home.id, capacity=capacity)
            session.add(doctor)
            session.flush()
            world.doctors[name] = doctor.id
        for name, capacity, active, members in (
            ("T1", 5, True, ("A", "B")),
            ("T2", None, True, ("C", "D")),
            ("T3", 9, False, ("E",)),
        ):
            team = Team(name=name, institution_id=home.id, capacity=capacity, active=active)
            session.add(team)
            session.flush()
            world.teams[name] = team.id
            for member in members:
                session.add(
                    TeamMember(
                        team_id=team.id, doctor_id=world.doctors[member], role="village_doctor"
                    )
                )
        people = (
            ("r1", "东村", "赵一", "M", D(1961, 6, 15), None, None, ()),
            ("r2", "东村", "钱二", "F", D(1961, 6, 16), None, None, ("hypertension",)),
            ("r3", "东村", "孙三", "M", D(2019, 6, 15), None, None, ("disabled",)),
            ("r4", "东村", "李四", "F", D(2019, 6, 16), None, None, ()),
            ("r5", "东村", "周五", "M", D(1950, 1, 1), None, (AS_OF, "moved_out"), ()),
            ("r6", "东村", "吴六", "F", D(1980, 3, 3), D(2026, 6, 16), None, ()),
            (
                "r7",
                "东村",
                "郑七",
                "M",
                D(1985, 5, 5),
                AS_OF,
                None,
                ("diabetes", "hypertension"),
            ),
            ("r8", "东村", "王八", "F", D(1940, 2, 29), None, None, ()),
            ("r9", "东村", "冯九", "M", D(2026, 6, 16), None, None, ()),
            ("r10", "西村", "陈十", "M", D(1955, 5, 5), None, None, ("poverty",)),
            ("r11", "西村", "褚十一", "F", D(1990, 1, 1), None, None, ()),
            ("r12", "西村", "卫十二", "M", D(2024, 1, 1), None, (D(2026, 7, 1), "deceased"), ()),
            ("r13", "西村", "蒋十三", "M", D(1970, 7, 7), None, None, ()),
            ("r14", "西村", "沈十四", "F", D(1995, 4, 4), None, None, ("maternal",)),
        )
        for key, village, name, sex, birth, moved_in, left, tags in people:
            resident = Resident(
                name=name,
                sex=sex,
                birth_date=birth,
                village_id=world.villages[village],
                moved_in_on=moved_in,
                left_on=left[0] if left else None,
                left_reason=left[1] if left else None,
                phone=f"1381234{len(world.residents):04d}",
                id_number=build_id_number(
                    "320321", birth, 11 + 2 * len(world.residents) + (sex == "F")
                ),
                address=f"{village}{len(world.residents) + 1}组",
            )
            session.add(resident)
            session.flush()
            world.residents[key] = resident.id
            for tag in tags:
                session.add(ResidentTag(resident_id=resident.id, tag=tag))
        c = world.contract
        c(session, "c1", "r1", "T1", "A", D(2026, 1, 1), D(2026, 12, 31))
        c(session, "c2", "r2", "T1", "A", D(2025, 6, 16), AS_OF)
        c(session, "c3", "r4", "T1", "B", D(2025, 6, 15), D(2026, 6, 14))
        c(
            session,
            "c4",
            "r4",
            "T1",
            "B",
            AS_OF,
            D(2027, 6, 14),
            signed_on=D(2026, 6, 10),
            previous="c3",
        )
        c(
            session,
            "c5",
            "r5",
            "T1",
            "A",
            D(2026, 1, 1),
            D(2026, 12, 31),
            terminated=(AS_OF, "moved_out"),
        )
        c(
            session,
            "c6",
            "r7",
            "T1",
            "A",
            D(2026, 6, 16),
            D(2027, 6, 15),
            signed_on=D(2026, 6, 10),
        )
        c(
            session,
            "c7",
            "r8",
            "T1",
            "B",
            D(2025, 7, 1),
            D(2026, 6, 30),
            terminated=(AS_OF, "resident_request"),
        )
        c(session, "c8", "r10", "T2", "C", D(2026, 3, 1), D(2027, 2, 28), paid=True)
        c(session, "c9", "r11", "T2", "C", D(2025, 1, 1), D(2025, 12, 31))
        c(
            session,
            "c10",
            "r12",
            "T2",
            "C",
            D(2026, 2, 1),
            D(2027, 1, 31),
            terminated=(D(2026, 7, 1), "deceased"),
        )
        c(session, "c11", "r14", "T1", "A", D(2026, 6, 1), D(2027, 5, 31), paid=True)
    return world
