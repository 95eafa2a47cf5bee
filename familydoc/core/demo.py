"""Realistic demo data for trying the program and for screenshots.

A township centre of a real county code, 8 villages, households of one to six,
key populations at the shares a Chinese township sees, three teams with a
specialist of the partner county hospital, and contracts for about half the
residents (key populations first), some of which end within 30 days.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import insert
from sqlalchemy.orm import Session

from familydoc.core import audit
from familydoc.core.auth import Actor, create_user
from familydoc.core.idnumber import build as build_id_number
from familydoc.core.models import (
    Contract,
    ContractPackage,
    ContractSequence,
    Doctor,
    Household,
    Institution,
    Resident,
    ResidentTag,
    ServicePackage,
    ServicePackageItem,
    Team,
    TeamMember,
    TeamVillage,
    Village,
    VillagePopulation,
    utcnow,
)
from familydoc.core.names import pinyin_keys
from familydoc.core.setup import initialise

DEMO_PASSWORD = "demo12345"
COUNTY_CODE = "320321"  # 丰县 (Xuzhou, Jiangsu)
INSTITUTION_CODE = "320321110"
INSTITUTION_NAME = "丰县青山镇卫生院"
TOWN_DIVISION = "320321110"

VILLAGES = (
    ("201", "青山村"),
    ("202", "河湾村"),
    ("203", "杨庄村"),
    ("204", "李楼村"),
    ("205", "大沙河村"),
    ("206", "王集村"),
    ("207", "后湖村"),
    ("208", "新庄村"),
)

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋"
    "唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈"
)
GIVEN_MALE = "伟强磊军勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆建国志文海东林峰成"
GIVEN_FEMALE = "芳娜敏静丽艳娟霞秀英玲桂兰萍红梅燕琳丹婷雪慧莉云洁倩琴颖佳"

DEMO_USERS = (
    ("admin", "系统管理员", "admin"),
    ("yuanzhang", "李建国", "supervisor"),
    ("wangys", "王卫东", "doctor"),
    ("luru", "赵小燕", "clerk"),
)

TAG_SHARES = {
    "hypertension": 0.20,
    "diabetes": 0.07,
    "disabled": 0.03,
    "poverty": 0.04,
    "severe_mental": 0.006,
    "tuberculosis": 0.002,
    "family_planning_special": 0.005,
}


@dataclass
class DemoSummary:
    institution_code: str
    institution_name: str
    residents: int
    households: int
    villages: int
    contracts_in_force: int
    ending_within_30_days: int
    users: list[tuple[str, str, str]] = field(default_factory=list)
    password: str = DEMO_PASSWORD


def _name(rng: random.Random, sex: str) -> str:
    pool = GIVEN_MALE if sex == "M" else GIVEN_FEMALE
    given = rng.choice(pool) + (rng.choice(pool) if rng.random() < 0.7 else "")
    return rng.choice(SURNAMES) + given


def _age(rng: random.Random, head: bool) -> int:
    """Heads are a third of residents, so the other members carry the children."""
    draw = rng.random()
    if head:
        return _elderly_age(rng) if draw < 0.22 else rng.randint(26, 64)
    if draw < 0.10:
        return rng.randint(0, 6)
    if draw < 0.24:
        return rng.randint(7, 17)
    if draw < 0.84:
        return rng.randint(18, 64)
    return _elderly_age(rng)


def _elderly_age(rng: random.Random) -> int:
    return min(100, 65 + int(rng.expovariate(1 / 9)))


def _birth_date(rng: random.Random, today: dt.date, age: int) -> dt.date:
    latest = (
        today.replace(year=today.year - age)
        if not (today.month == 2 and today.day == 29)
        else dt.date(today.year - age, 2, 28)
    )
    return latest - dt.timedelta(days=rng.randint(0, 364))


def _add_year_less_day(start: dt.date) -> dt.date:
    try:
        return start.replace(year=start.year + 1) - dt.timedelta(days=1)
    except ValueError:  # 29 February
        return dt.date(start.year + 1, 2, 28)


def create_demo(
    session: Session,
    *,
    residents: int = 1200,
    seed: int = 2026,
    today: dt.date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> DemoSummary:
    """Fill an empty, migrated database with a demo township."""
    rng = random.Random(seed)
    today = today or dt.date.today()
    institution, admin = initialise(
        session,
        institution_code=INSTITUTION_CODE,
        institution_name=INSTITUTION_NAME,
        admin_username=DEMO_USERS[0][0],
        admin_password=DEMO_PASSWORD,
        admin_display_name=DEMO_USERS[0][1],
    )
    home = session.get(Institution, institution.id)
    assert home is not None
    home.phone = "0516-89210120"
    home.supervision_phone = "0516-12320"
    home.address = "江苏省徐州市丰县青山镇卫生院路1号"
    home.division_code = TOWN_DIVISION + "000"
    hospital = Institution(
        code="320321001",
        name="丰县人民医院",
        kind="county_hospital",
        phone="0516-89221234",
        address="江苏省徐州市丰县中阳大道",
    )
    session.add(hospital)
    session.flush()

    villages: list[Village] = []
    clinic_rows: list[Institution] = []
    for suffix, name in VILLAGES:
        village = Village(code=f"{TOWN_DIVISION}{suffix}", name=name, institution_id=home.id)
        clinic = Institution(
            code=f"{TOWN_DIVISION}{suffix}",
            name=f"{name}卫生室",
            kind="village_clinic",
            parent_id=home.id,
        )
        session.add_all([village, clinic])
        villages.append(village)
        clinic_rows.append(clinic)
    session.flush()
    clinics = {clinic.code: clinic.id for clinic in clinic_rows}
    # Two villages have an official population set for this year: their denominators.
    for village in villages[:2]:
        session.add(VillagePopulation(village_id=village.id, year=today.year, population=0))

    doctors = _create_teams(session, rng, home.id, hospital.id, villages, clinics)
    packages = _create_paid_packages(session, home.id)
    basic = session.query(ServicePackage).filter_by(code="basic").one()

    admin_actor = Actor(admin.id, admin.username, admin.display_name, admin.role)
    users = [(admin.username, admin.display_name, admin.role)]
    for username, display, role in DEMO_USERS[1:]:
        row = create_user(
            session,
            admin_actor,
            username=username,
            display_name=display,
            role=role,
            password=DEMO_PASSWORD,
        )
        users.append((row.username, row.display_name, row.role))

    resident_rows, tag_rows, household_count = _residents(
        session, rng, villages, residents, today, progress
    )
    village_counts: dict[int, int] = {}
    for row in resident_rows:
        village_counts[row["village_id"]] = village_counts.get(row["village_id"], 0) + 1
    for population in session.query(VillagePopulation):
        registered = village_counts.get(population.village_id, 0)
        population.population = int(registered * 1.08)  # some residents not yet registered

    contracts, ending_soon = _contracts(
        session, rng, resident_rows, tag_rows, doctors, basic, packages, today, admin.id
    )
    audit.record(
        session,
        user_id=admin.id,
        username=admin.username,
        action="demo.create",
        entity_type="institution",
        entity_id=home.id,
        changes={"residents": len(resident_rows), "seed": seed},
    )
    return DemoSummary(
        institution_code=INSTITUTION_CODE,
        institution_name=INSTITUTION_NAME,
        residents=len(resident_rows),
        households=household_count,
        villages=len(villages),
        contracts_in_force=contracts,
        ending_within_30_days=ending_soon,
        users=users,
    )


@dataclass
class _TeamPlan:
    team: Team
    leader: Doctor
    villages: list[Village]
    doctors: list[Doctor]


def _create_teams(
    session: Session,
    rng: random.Random,
    home_id: int,
    hospital_id: int,
    villages: list[Village],
    clinics: dict[str, int],
) -> list[_TeamPlan]:
    specialists = [
        Doctor(
            name="陈立新",
            sex="M",
            title="副主任医师（心内科）",
            licence_no="110320000100231",
            phone="13905161234",
            institution_id=hospital_id,
            capacity=None,
        ),
        Doctor(
            name="孙雅琴",
            sex="F",
            title="主任医师（内分泌科）",
            licence_no="110320000100876",
            phone="13905165678",
            institution_id=hospital_id,
            capacity=None,
        ),
    ]
    session.add_all(specialists)
    plans: list[_TeamPlan] = []
    layout = (
        ("王卫东家庭医生团队", "王卫东", "M", villages[0:3]),
        ("刘秀英家庭医生团队", "刘秀英", "F", villages[3:6]),
        ("张海峰家庭医生团队", "张海峰", "M", villages[6:8]),
    )
    licence = 320321000200100
    for index, (team_name, leader_name, sex, served) in enumerate(layout):
        licence += 17
        leader = Doctor(
            name=leader_name,
            sex=sex,
            title="全科主治医师",
            licence_no=str(licence),
            phone=f"1391234{5600 + index:04d}",
            institution_id=home_id,
            capacity=1200,
        )
        nurse = Doctor(
            name=_name(rng, "F"),
            sex="F",
            title="主管护师",
            licence_no=str(licence + 1),
            phone=f"1380516{7100 + index:04d}",
            institution_id=home_id,
            capacity=None,
        )
        public_health = Doctor(
            name=_name(rng, "M"),
            sex="M",
            title="公共卫生医师",
            licence_no=str(licence + 2),
            phone=f"1377516{3300 + index:04d}",
            institution_id=home_id,
            capacity=None,
        )
        village_doctors = [
            Doctor(
                name=_name(rng, "M"),
                sex="M",
                title="乡村医生",
                licence_no=str(licence + 3 + n),
                phone=f"1358516{2000 + index * 10 + n:04d}",
                institution_id=home_id,
                capacity=500,
            )
            for n, _village in enumerate(served)
        ]
        team = Team(name=team_name, institution_id=home_id, capacity=1500)
        session.add_all([leader, nurse, public_health, *village_doctors, team])
        session.flush()
        team.leader_id = leader.id
        members = [
            (leader, "general_practitioner"),
            (nurse, "nurse"),
            (public_health, "public_health"),
        ]
        members += [(doctor, "village_doctor") for doctor in village_doctors]
        members.append((specialists[index % 2], "specialist"))
        for doctor, role in members:
            session.add(TeamMember(team_id=team.id, doctor_id=doctor.id, role=role))
        for village in served:
            session.add(TeamVillage(team_id=team.id, village_id=village.id))
        plans.append(_TeamPlan(team, leader, list(served), [leader, *village_doctors]))
    session.flush()
    return plans


def _create_paid_packages(session: Session, home_id: int) -> dict[str, ServicePackage]:
    elderly = ServicePackage(
        code="elderly_plus",
        name="老年人健康管理包",
        kind="personalised",
        institution_id=home_id,
        description="在基础服务上增加上门随访与中医体质辨识。",
        target_populations=["elderly_65"],
        price_fen=12000,
        fund_insurance_fen=6000,
        fund_public_health_fen=4000,
        self_pay_fen=2000,
        valid_from=dt.date(2024, 1, 1),
        items=[
            ServicePackageItem(position=1, name="上门健康随访", frequency="每季度1次"),
            ServicePackageItem(position=2, name="中医体质辨识", frequency="每年1次"),
            ServicePackageItem(position=3, name="血常规、血脂、血糖检查", frequency="每年1次"),
        ],
    )
    chronic = ServicePackage(
        code="chronic_care",
        name="慢病管理包",
        kind="personalised",
        institution_id=home_id,
        description="高血压、糖尿病患者的个性化管理。",
        target_populations=["hypertension", "diabetes"],
        price_fen=20000,
        fund_insurance_fen=10000,
        fund_public_health_fen=6000,
        self_pay_fen=4000,
        valid_from=dt.date(2024, 1, 1),
        items=[
            ServicePackageItem(position=1, name="血压、血糖监测", frequency="每月1次"),
            ServicePackageItem(position=2, name="糖化血红蛋白检查", frequency="每半年1次"),
            ServicePackageItem(position=3, name="专科医生会诊", frequency="每年2次"),
            ServicePackageItem(position=4, name="用药指导与长处方", frequency="按需"),
        ],
    )
    session.add_all([elderly, chronic])
    session.flush()
    return {"elderly_plus": elderly, "chronic_care": chronic}


RELATIONS_CHILD = ("子", "女")


def _residents(
    session: Session,
    rng: random.Random,
    villages: list[Village],
    count: int,
    today: dt.date,
    progress: Callable[[int, int], None] | None,
) -> tuple[list[dict], dict[int, set[str]], int]:
    rows: list[dict] = []
    used_numbers: set[str] = set()
    households: list[dict] = []
    household_serial = 0
    now = utcnow()
    while len(rows) < count:
        village = villages[len(households) % len(villages)]
        household_serial += 1
        households.append(
            {
                "id": household_serial,
                "village_id": village.id,
                "number": f"{village.code[-3:]}{household_serial:05d}",
                "address": f"{village.name}{rng.randint(1, 12)}组{rng.randint(1, 80)}号",
                "created_at": now,
            }
        )
        size = min(count - len(rows), rng.choice((1, 2, 2, 3, 3, 3, 4, 4, 5, 6)))
        surname_member: str | None = None
        head_age = 0
        for position in range(size):
            age = _age(rng, head=position == 0)
            sex = rng.choice("MF")
            if position == 0:
                head_age = age
                relation = "户主"
            elif position == 1 and age >= 22 and abs(age - head_age) <= 12:
                relation = "配偶"
            elif age <= head_age - 18:
                grand = age <= head_age - 40
                relation = rng.choice(("孙子", "孙女") if grand else ("子", "女"))
                sex = "M" if relation in ("子", "孙子") else "F"
            elif age >= head_age + 18:
                relation = rng.choice(("父亲", "母亲"))
                sex = "M" if relation == "父亲" else "F"
            else:
                relation = rng.choice(("兄弟", "姐妹", "儿媳", "女婿"))
                sex = "M" if relation in ("兄弟", "女婿") else "F"
            name = _name(rng, sex)
            if relation in ("子", "女", "孙子", "孙女") and surname_member:
                name = surname_member[0] + name[1:]
            if position == 0:
                surname_member = name
            birth = _birth_date(rng, today, age)
            number: str | None = None
            if not (age == 0 and rng.random() < 0.5):  # some newborns have no card yet
                while number is None or number in used_numbers:
                    sequence = rng.randrange(1, 999)
                    if (sequence % 2 == 1) != (sex == "M"):
                        sequence += 1 if sequence < 998 else -1
                    number = build_id_number(COUNTY_CODE, birth, sequence)
                used_numbers.add(number)
            full, initials = pinyin_keys(name)
            row = {
                "id": len(rows) + 1,
                "id_number": number,
                "name": name,
                "name_pinyin": full,
                "name_initials": initials,
                "sex": sex,
                "birth_date": birth,
                "phone": (
                    f"1{rng.choice('3578')}{rng.randint(0, 9)}{rng.randint(10_000_000, 99_999_999)}"
                )
                if age >= 14
                else None,
                "village_id": village.id,
                "household_id": household_serial,
                "relation_to_head": relation,
                "address": households[-1]["address"],
                "health_record_no": f"{village.code}{len(rows) + 1:06d}",
                "insurance_type": "城乡居民医保" if rng.random() < 0.93 else "职工医保",
                "lacks_capacity": False,
                "guardian_name": None,
                "guardian_relation": None,
                "guardian_id_number": None,
                "guardian_phone": None,
                "moved_in_on": None,
                "left_on": None,
                "left_reason": None,
                "left_note": None,
                "created_at": now,
                "updated_at": now,
            }
            if age < 18 and rows and surname_member:
                head = rows[-position] if position else None
                if head is not None:
                    row["guardian_name"] = head["name"]
                    row["guardian_relation"] = "父亲" if head["sex"] == "M" else "母亲"
                    row["guardian_id_number"] = head["id_number"]
                    row["guardian_phone"] = head["phone"]
            rows.append(row)
        if progress and len(households) % 200 == 0:
            progress(len(rows), count)
    tags: dict[int, set[str]] = {}
    for row in rows:
        age = (today - row["birth_date"]).days // 365
        row_tags: set[str] = set()
        for tag, share in TAG_SHARES.items():
            weight = share
            if tag in ("hypertension", "diabetes"):
                weight = 0 if age < 30 else share * (2.3 if age >= 60 else 1.1)
            if rng.random() < weight:
                row_tags.add(tag)
        if row["sex"] == "F" and 20 <= age <= 40 and rng.random() < 0.06:
            row_tags.add("maternal")
        if row_tags:
            tags[row["id"]] = row_tags
    # A few residents left: they stay in the database and leave denominators.
    for row in rng.sample(rows, k=max(1, len(rows) // 100)):
        row["left_on"] = today - dt.timedelta(days=rng.randint(10, 300))
        row["left_reason"] = "deceased" if row["birth_date"].year < today.year - 75 else "moved_out"
        row["left_note"] = "死亡" if row["left_reason"] == "deceased" else "外出务工迁出"
    session.execute(insert(Household), households)
    session.execute(insert(Resident), rows)
    session.execute(
        insert(ResidentTag),
        [{"resident_id": rid, "tag": tag} for rid, ts in tags.items() for tag in ts],
    )
    if progress:
        progress(len(rows), count)
    return rows, tags, len(households)


def _contracts(
    session: Session,
    rng: random.Random,
    residents: list[dict],
    tags: dict[int, set[str]],
    teams: list[_TeamPlan],
    basic: ServicePackage,
    paid: dict[str, ServicePackage],
    today: dt.date,
    admin_id: int,
) -> tuple[int, int]:
    team_of_village = {v.id: plan for plan in teams for v in plan.villages}
    sequences: dict[int, int] = {}
    contracts: list[dict] = []
    packages: list[dict] = []
    in_force = ending_soon = 0

    def add(
        resident: dict,
        start: dt.date,
        previous: int | None,
        plan: _TeamPlan,
        end: dt.date | None = None,
    ) -> int:
        year = start.year
        sequences[year] = sequences.get(year, 0) + 1
        contract_id = len(contracts) + 1
        doctor = rng.choice(plan.doctors)
        guardian = resident["guardian_name"] is not None and resident["birth_date"] > today.replace(
            year=today.year - 18
        )
        contracts.append(
            {
                "id": contract_id,
                "number": f"{INSTITUTION_CODE}-{year}-{sequences[year]:06d}",
                "year": year,
                "sequence": sequences[year],
                "resident_id": resident["id"],
                "team_id": plan.team.id,
                "doctor_id": doctor.id,
                "signed_on": start,
                "start_date": start,
                "end_date": end or _add_year_less_day(start),
                "signing_method": "guardian" if guardian else "in_person",
                "guardian_name": resident["guardian_name"] if guardian else None,
                "guardian_relation": resident["guardian_relation"] if guardian else None,
                "guardian_id_number": resident["guardian_id_number"] if guardian else None,
                "guardian_phone": resident["guardian_phone"] if guardian else None,
                "previous_contract_id": previous,
                "terminated_on": None,
                "termination_reason": None,
                "termination_note": None,
                "over_capacity_approved_by": None,
                "created_by": admin_id,
                "created_at": utcnow(),
            }
        )
        chosen = [basic]
        resident_tags = tags.get(resident["id"], set())
        age = (today - resident["birth_date"]).days // 365
        if age >= 65 and rng.random() < 0.25:
            chosen.append(paid["elderly_plus"])
        if resident_tags & {"hypertension", "diabetes"} and rng.random() < 0.3:
            chosen.append(paid["chronic_care"])
        for package in chosen:
            packages.append(
                {
                    "contract_id": contract_id,
                    "package_id": package.id,
                    "price_fen": package.price_fen,
                    "fund_insurance_fen": package.fund_insurance_fen,
                    "fund_public_health_fen": package.fund_public_health_fen,
                    "self_pay_fen": package.self_pay_fen,
                }
            )
        return contract_id

    for resident in residents:
        if resident["left_on"] is not None:
            continue
        age = (today - resident["birth_date"]).days // 365
        key = age >= 65 or age <= 6 or resident["id"] in tags
        if rng.random() >= (0.78 if key else 0.36):
            continue
        plan = team_of_village[resident["village_id"]]
        # Spread start dates over the past year so some contracts end within 30 days.
        start = today - dt.timedelta(days=rng.randint(0, 360))
        earliest = max(resident["birth_date"], today - dt.timedelta(days=360))
        start = max(start, earliest)
        previous = None
        if rng.random() < 0.3:
            prior_start = start - dt.timedelta(days=365)
            if prior_start >= resident["birth_date"]:
                previous = add(resident, prior_start, None, plan, start - dt.timedelta(days=1))
        add(resident, start, previous, plan)
        in_force += 1
        if _add_year_less_day(start) <= today + dt.timedelta(days=30):
            ending_soon += 1
    contracts.sort(key=lambda row: row["id"])
    session.execute(insert(Contract), contracts)
    session.execute(insert(ContractPackage), packages)
    session.execute(
        insert(ContractSequence),
        [{"year": year, "last_value": last} for year, last in sequences.items()],
    )
    return in_force, ending_soon
