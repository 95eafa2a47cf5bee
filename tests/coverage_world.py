"""A village whose coverage on one day was worked out by hand: renewals, chains, gaps,
changes of team, contracts signed ahead (tests of ``core.coverage`` and its users).

Day D = 2026-06-15; "ending soon" = the coverage ends by D + 30 = 2026-07-15.
A contract's last day in force is its end, or the day before its termination.
Village 河村 (320321110301), everyone active but a14; households H1 (a1-a8), H2 (the rest).

  key  contracts (start..end, termination)                       on D         covered until
  a1   2025-09-01..2026-08-31                                      covered      2026-08-31
  a2   2025-07-01..2026-06-30                                      ending       2026-06-30
  a3   2025-07-01..2026-06-30, renewed 2026-07-01..2027-06-30      covered      2027-06-30
  a4   2025-06-20..2026-06-19, 2026-06-20..2026-07-10,
       2026-07-11..2027-07-10 (a chain of three)                   covered      2027-07-10
  a5   2025-07-01..2026-06-30, next 2026-07-02..2027-07-01 (gap)   ending       2026-06-30
  a6   2025-07-10..2026-07-09 ended 2026-07-01 (changed_team),
       2026-07-01..2027-06-30 in the new team                      covered      2027-06-30
  a7   2025-12-01..2026-11-30 ended 2026-07-01 (resident_request)  ending       2026-06-30
  a8   2025-06-01..2026-05-31; 2026-07-01..2027-06-30 signed ahead presigned    (from 07-01)
  a9   2025-01-01..2025-12-31                                      none
  a10  —                                                           none
  a11  2026-07-01..2027-06-30 ended 2026-07-01 (never in force)    none
  a12  2025-06-16..2026-06-15 (ends D), renewed 2026-06-16..       covered      2027-06-15
  a13  2025-06-16..2026-06-15 (ends D)                             ending       2026-06-15
  a14  moved out 2026-06-01; 2025-09-01..2026-08-31 ended 06-01    none (left)
  a15  2025-07-16..2026-07-15 (ends on D + 30)                     ending       2026-07-15
  a16  2025-07-17..2026-07-16 (ends on D + 31)                     covered      2026-07-16

Outreach on D (30 days), active residents only: 未签约 a9, a10, a11; 即将到期 a2, a5, a7,
a13, a15 (8 rows). Not listed: the covered a1, a3, a4, a6, a12, a16, the pre-signed a8 and
a14 who left. With --days 60 (until 2026-08-14) a16 joins the 即将到期; with 90 (until
09-13) a1 and a16 join. Residents list on D: 签约 (covered) 11, 即将到期 5, 已预签 1, 未签约 3.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from familydoc.core.db import Database
from familydoc.core.idnumber import build as build_id_number
from familydoc.core.models import (
    Contract,
    ContractPackage,
    Doctor,
    Household,
    Institution,
    Resident,
    ServicePackage,
    Team,
    TeamMember,
    TeamVillage,
    Village,
)

D = dt.date
DAY = D(2026, 6, 15)
VILLAGE_CODE = "320321110301"

# key: list of (start, end, termination) in signing order
PLANS: dict[str, list[tuple[dt.date, dt.date, tuple[dt.date, str] | None]]] = {
    "a1": [(D(2025, 9, 1), D(2026, 8, 31), None)],
    "a2": [(D(2025, 7, 1), D(2026, 6, 30), None)],
    "a3": [(D(2025, 7, 1), D(2026, 6, 30), None), (D(2026, 7, 1), D(2027, 6, 30), None)],
    "a4": [
        (D(2025, 6, 20), D(2026, 6, 19), None),
        (D(2026, 6, 20), D(2026, 7, 10), None),
        (D(2026, 7, 11), D(2027, 7, 10), None),
    ],
    "a5": [(D(2025, 7, 1), D(2026, 6, 30), None), (D(2026, 7, 2), D(2027, 7, 1), None)],
    "a6": [
        (D(2025, 7, 10), D(2026, 7, 9), (D(2026, 7, 1), "changed_team")),
        (D(2026, 7, 1), D(2027, 6, 30), None),
    ],
    "a7": [(D(2025, 12, 1), D(2026, 11, 30), (D(2026, 7, 1), "resident_request"))],
    "a8": [(D(2025, 6, 1), D(2026, 5, 31), None), (D(2026, 7, 1), D(2027, 6, 30), None)],
    "a9": [(D(2025, 1, 1), D(2025, 12, 31), None)],
    "a10": [],
    "a11": [(D(2026, 7, 1), D(2027, 6, 30), (D(2026, 7, 1), "other"))],
    "a12": [(D(2025, 6, 16), DAY, None), (D(2026, 6, 16), D(2027, 6, 15), None)],
    "a13": [(D(2025, 6, 16), DAY, None)],
    "a14": [(D(2025, 9, 1), D(2026, 8, 31), (D(2026, 6, 1), "moved_out"))],
    "a15": [(D(2025, 7, 16), D(2026, 7, 15), None)],
    "a16": [(D(2025, 7, 17), D(2026, 7, 16), None)],
}

# key: (state on D, covered until, pre-signed from)
EXPECTED: dict[str, tuple[str, dt.date | None, dt.date | None]] = {
    "a1": ("covered", D(2026, 8, 31), None),
    "a2": ("ending", D(2026, 6, 30), None),
    "a3": ("covered", D(2027, 6, 30), None),
    "a4": ("covered", D(2027, 7, 10), None),
    "a5": ("ending", D(2026, 6, 30), None),
    "a6": ("covered", D(2027, 6, 30), None),
    "a7": ("ending", D(2026, 6, 30), None),
    "a8": ("presigned", None, D(2026, 7, 1)),
    "a9": ("none", None, None),
    "a10": ("none", None, None),
    "a11": ("none", None, None),
    "a12": ("covered", D(2027, 6, 15), None),
    "a13": ("ending", DAY, None),
    "a14": ("none", None, None),
    "a15": ("ending", D(2026, 7, 15), None),
    "a16": ("covered", D(2026, 7, 16), None),
}
OUTREACH_UNSIGNED = {"a9", "a10", "a11"}
OUTREACH_ENDING = {"a2", "a5", "a7", "a13", "a15"}
LIST_COUNTS = {"signed": 11, "expiring": 5, "presigned": 1, "unsigned": 3}


@dataclass
class CoverageWorld:
    database: Database
    village_id: int = 0
    team_id: int = 0
    doctor_id: int = 0
    residents: dict[str, int] = field(default_factory=dict)  # key -> id
    names: dict[str, str] = field(default_factory=dict)  # key -> name
    contracts: dict[str, list[int]] = field(default_factory=dict)  # key -> ids in order

    def key_of(self, resident_id: int) -> str:
        return next(k for k, v in self.residents.items() if v == resident_id)


SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨"


def shifted(day: dt.date) -> dict[str, tuple[str, dt.date | None, dt.date | None]]:
    """``EXPECTED`` for a world built around ``day`` instead of ``DAY``."""
    shift = day - DAY
    return {
        key: (state, until and until + shift, ahead and ahead + shift)
        for key, (state, until, ahead) in EXPECTED.items()
    }


def build_coverage_world(database: Database, day: dt.date = DAY) -> CoverageWorld:
    """Fill an initialised database (its institution and basic package) with the village;
    every date moves by ``day - DAY`` (the GUI lists residents as of today)."""
    world = CoverageWorld(database)
    shift = day - DAY
    with database.unit_of_work() as session:
        home = session.query(Institution).filter_by(is_home=True).one()
        basic = session.query(ServicePackage).filter_by(code="basic").one()
        village = Village(code=VILLAGE_CODE, name="河村", institution_id=home.id)
        session.add(village)
        session.flush()
        world.village_id = village.id
        households = [Household(village_id=village.id, number=n) for n in ("H1", "H2")]
        session.add_all(households)
        doctor = Doctor(name="刘医生", institution_id=home.id)
        team = Team(name="河村团队", institution_id=home.id)
        session.add_all([doctor, team])
        session.flush()
        session.add(TeamMember(team_id=team.id, doctor_id=doctor.id, role="village_doctor"))
        session.add(TeamVillage(team_id=team.id, village_id=village.id))
        world.team_id, world.doctor_id = team.id, doctor.id
        sequence = 0
        for index, (key, plan) in enumerate(PLANS.items()):
            birth = D(1950 + index, 3, 1 + index)
            sex = "M" if index % 2 == 0 else "F"
            name = SURNAMES[index] + ("建国" if sex == "M" else "秀英")
            left = (D(2026, 6, 1) + shift, "moved_out") if key == "a14" else None
            resident = Resident(
                name=name,
                sex=sex,
                birth_date=birth,
                village_id=village.id,
                household_id=households[0 if index < 8 else 1].id,
                relation_to_head="户主" if index in (0, 8) else "其他",
                phone=f"1390000{index:04d}",
                id_number=build_id_number("320321", birth, 11 + 2 * index + (sex == "F")),
                address=f"河村{index + 1}号",
                left_on=left[0] if left else None,
                left_reason=left[1] if left else None,
            )
            session.add(resident)
            session.flush()
            world.residents[key] = resident.id
            world.names[key] = name
            world.contracts[key] = []
            previous = None
            for start, end, terminated in plan:
                start, end = start + shift, end + shift
                if terminated:
                    terminated = (terminated[0] + shift, terminated[1])
                sequence += 1
                contract = Contract(
                    number=f"320321110-{start.year}-{sequence:06d}",
                    year=start.year,
                    sequence=sequence,
                    resident_id=resident.id,
                    team_id=team.id,
                    doctor_id=doctor.id,
                    signed_on=min(start, day),
                    start_date=start,
                    end_date=end,
                    terminated_on=terminated[0] if terminated else None,
                    termination_reason=terminated[1] if terminated else None,
                    previous_contract_id=previous,
                )
                session.add(contract)
                session.flush()
                session.add(ContractPackage(contract_id=contract.id, package_id=basic.id))
                world.contracts[key].append(contract.id)
                previous = contract.id
    return world
