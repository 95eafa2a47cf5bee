"""Seeded benchmark data: a familydoc database with N residents, V villages and C contracts.

    python bench/generate.py [--residents N] [--villages V] [--contracts C] [--seed S] [-o FILE]

The database is created by familydoc's own migrations (``open_database``), so the schema,
indexes, triggers and the FTS5 search table ``resident_search`` are the real ones; the
home institution, its free basic package and the administrator come from ``initialise``.
The bulk rows (villages, teams, households, residents, tags, contracts) then go in through
``sqlite3.executemany`` in one transaction, with the migration's triggers filling the
search index and refusing overlapping contracts as they would for the program.

Names follow ``familydoc.core.demo`` (its surname and given-name pools and age shapes)
with surnames weighted by their share in the 2020 census, so 王 and 李 are as common as in
a real roster. ID numbers are valid (GB 11643-1999, mostly the county's own area code),
phones are mobile numbers, households have one to six members with relations to the head,
and each village has a 12-digit division code. ``cached_database`` keeps one file per set
of parameters (and schema head and generator version) under ``bench/.cache/``.

Used by ``bench/bench_residents.py`` and meant for the statistics benchmark too: pass the
same ``today`` (``GeneratedData.today``) as the report date.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import heapq
import json
import os
import random
import sqlite3
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from familydoc.core import demo  # noqa: E402
from familydoc.core.db import head_revision, open_database  # noqa: E402
from familydoc.core.idnumber import area_code_known  # noqa: E402
from familydoc.core.idnumber import build as build_id_number  # noqa: E402
from familydoc.core.names import pinyin_keys  # noqa: E402
from familydoc.core.setup import initialise  # noqa: E402

CACHE_DIR = ROOT / "bench" / ".cache"
GENERATOR_VERSION = 1  # raise when the generated data changes shape: cached files are rebuilt
PASSWORD = demo.DEMO_PASSWORD
INSTITUTION_CODE = demo.INSTITUTION_CODE
COUNTY_CODE = demo.COUNTY_CODE

# Share (percent) of each surname of demo.SURNAMES in the 2020 census, in the same order.
SURNAME_SHARES = (
    7.1, 7.0, 6.4, 5.4, 4.6, 3.1, 2.2, 2.0, 2.0, 1.9, 1.5, 1.5, 1.4, 1.3, 1.3, 1.2,
    1.2, 1.1, 1.1, 0.9, 0.8, 0.8, 0.7, 0.6, 0.6, 0.6, 0.6, 0.5, 0.5, 0.5, 0.5, 0.5,
    0.5, 0.4, 0.4, 0.4, 0.4, 0.4, 0.4, 0.4, 0.4, 0.4, 0.4, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3,
)  # fmt: skip
# Residents born elsewhere in Xuzhou carry their own county's code.
OTHER_AREA_CODES = ("320322", "320324", "320381", "320382", "320311", "320303")
VILLAGE_SUFFIXES = "庄楼集营店屯寨湾桥口岗圩洼坊"
VILLAGES_PER_TOWN = 20
VILLAGES_PER_TEAM = 5
RENEWAL_SHARE = 0.2  # signed residents whose current contract renews an earlier one
TERMINATED_SHARE = 0.02  # signed residents whose contract was ended early (not in force)


@dataclass(frozen=True)
class GeneratedData:
    """What was generated: parameters and the counts the benchmarks check against."""

    path: str
    residents: int
    villages: int
    contracts: int
    seed: int
    today: str  # ISO date the data is anchored to: use it as "today" in queries
    households: int
    tags: int
    contracts_in_force: int
    left: int
    seconds: float
    size_bytes: int

    @property
    def today_date(self) -> dt.date:
        return dt.date.fromisoformat(self.today)


def _now_text() -> str:
    # SQLAlchemy's SQLite DateTime storage format (naive UTC).
    return dt.datetime.now(dt.UTC).replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")


class _Names:
    """Chinese names as ``demo`` makes them, surnames weighted; pinyin keys memoised."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.surnames = list(demo.SURNAMES)
        assert len(self.surnames) == len(SURNAME_SHARES)
        self.cumulative = []
        total = 0.0
        for share in SURNAME_SHARES:
            total += share
            self.cumulative.append(total)
        self.keys: dict[str, tuple[str, str]] = {}

    def surname(self) -> str:
        return self.rng.choices(self.surnames, cum_weights=self.cumulative)[0]

    def given(self, sex: str) -> str:
        pool = demo.GIVEN_MALE if sex == "M" else demo.GIVEN_FEMALE
        rng = self.rng
        return rng.choice(pool) + (rng.choice(pool) if rng.random() < 0.7 else "")

    def pinyin(self, name: str) -> tuple[str, str]:
        found = self.keys.get(name)
        if found is None:
            found = self.keys[name] = pinyin_keys(name)
        return found


def _village_rows(rng: random.Random, count: int, names: _Names) -> list[tuple[str, str]]:
    """(12-digit division code, name) of ``count`` villages in towns of 20."""
    rows: list[tuple[str, str]] = []
    used: set[str] = set()
    for index in range(count):
        town, number = divmod(index, VILLAGES_PER_TOWN)
        code = f"{COUNTY_CODE}{100 + town:03d}{201 + number:03d}"
        name = ""
        while not name or name in used:
            name = names.surname() + rng.choice(VILLAGE_SUFFIXES) + "村"
            if name in used:
                name = names.surname() + names.surname() + rng.choice(VILLAGE_SUFFIXES) + "村"
        used.add(name)
        rows.append((code, name))
    return rows


def build_database(
    path: Path,
    *,
    residents: int = 200_000,
    villages: int = 300,
    contracts: int = 120_000,
    seed: int = 2026,
    today: dt.date | None = None,
) -> GeneratedData:
    """Create ``path`` (must not exist) filled with seeded data; returns what it holds."""
    started = time.perf_counter()
    today = today or dt.date.today()
    path = Path(path)
    if path.exists():
        raise FileExistsError(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    names = _Names(rng)

    database = open_database(f"sqlite:///{path}", backups_dir=path.parent / "backups")
    try:
        with database.unit_of_work() as session:
            institution, _admin = initialise(
                session,
                institution_code=INSTITUTION_CODE,
                institution_name=demo.INSTITUTION_NAME,
                admin_username="admin",
                admin_password=PASSWORD,
                admin_display_name="系统管理员",
            )
            paid = demo._create_paid_packages(session, institution.id)
            paid_ids = {code: (p.id, p.price_fen, p.fund_insurance_fen,
                               p.fund_public_health_fen, p.self_pay_fen)
                        for code, p in paid.items()}  # fmt: skip
    finally:
        database.dispose()

    connection = sqlite3.connect(path, isolation_level=None)
    try:
        connection.execute("PRAGMA journal_mode = MEMORY")
        connection.execute("PRAGMA synchronous = OFF")
        connection.execute("PRAGMA foreign_keys = ON")
        connection.execute("PRAGMA cache_size = -200000")
        connection.execute("BEGIN")
        counts = _fill(
            connection, rng, names, institution.id, paid_ids, residents, villages, contracts, today
        )
        connection.execute("COMMIT")
        connection.execute("PRAGMA journal_mode = WAL")
    finally:
        connection.close()
    return GeneratedData(
        path=str(path),
        residents=residents,
        villages=villages,
        contracts=contracts,
        seed=seed,
        today=today.isoformat(),
        seconds=round(time.perf_counter() - started, 2),
        size_bytes=path.stat().st_size,
        **counts,
    )


def _fill(
    db: sqlite3.Connection,
    rng: random.Random,
    names: _Names,
    home_id: int,
    paid: dict[str, tuple[int, int, int, int, int]],
    resident_count: int,
    village_count: int,
    contract_count: int,
    today: dt.date,
) -> dict[str, int]:
    now = _now_text()
    for code in (COUNTY_CODE, *OTHER_AREA_CODES):
        assert area_code_known(code), code

    # Villages, their clinics and (for a third of them) an official population.
    village_rows = _village_rows(rng, village_count, names)
    db.executemany(
        "INSERT INTO village (id, code, name, institution_id, created_at) VALUES (?, ?, ?, ?, ?)",
        [(i + 1, code, name, home_id, now) for i, (code, name) in enumerate(village_rows)],
    )
    db.executemany(
        "INSERT INTO institution (code, name, kind, is_home, parent_id, created_at)"
        " VALUES (?, ?, 'village_clinic', 0, ?, ?)",
        [(code, f"{name}卫生室", home_id, now) for code, name in village_rows],
    )
    village_ids = list(range(1, village_count + 1))

    # Teams of five villages: a leader (general practitioner), a nurse, a village doctor
    # per village. The doctors who sign are the leader and the village doctors.
    team_signers: dict[int, list[int]] = {}
    team_of_village: dict[int, int] = {}
    doctor_rows, team_rows, member_rows, served_rows = [], [], [], []
    licence = 320321000300000
    doctor_id = 0
    for team_index, first in enumerate(range(0, village_count, VILLAGES_PER_TEAM)):
        team_id = team_index + 1
        served = village_ids[first : first + VILLAGES_PER_TEAM]
        signers = []
        staff = [("全科主治医师", "general_practitioner", 2000), ("主管护师", "nurse", None)]
        staff += [("乡村医生", "village_doctor", 600)] * len(served)
        for title, role, capacity in staff:
            doctor_id += 1
            licence += 1
            sex = "F" if role == "nurse" else rng.choice("MF")
            doctor_rows.append(
                (
                    doctor_id,
                    names.surname() + names.given(sex),
                    sex,
                    title,
                    str(licence),
                    f"139{rng.randint(10_000_000, 99_999_999)}",
                    home_id,
                    capacity,
                    1,
                    now,
                )
            )
            member_rows.append((team_id, doctor_id, role))
            if role != "nurse":
                signers.append(doctor_id)
        leader = signers[0]
        leader_name = doctor_rows[leader - 1][1]
        team_rows.append(
            (team_id, f"{leader_name}家庭医生团队{team_id:02d}", home_id, leader, 3000, 1, now)
        )
        team_signers[team_id] = signers
        for village_id in served:
            served_rows.append((team_id, village_id))
            team_of_village[village_id] = team_id
    db.executemany(
        "INSERT INTO doctor (id, name, sex, title, licence_no, phone, institution_id, capacity,"
        " active, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        doctor_rows,
    )
    db.executemany(
        "INSERT INTO team (id, name, institution_id, leader_id, capacity, active, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        team_rows,
    )
    db.executemany(
        "INSERT INTO team_member (team_id, doctor_id, role) VALUES (?, ?, ?)", member_rows
    )
    db.executemany("INSERT INTO team_village (team_id, village_id) VALUES (?, ?)", served_rows)

    # Households and residents.
    households: list[tuple] = []
    rows: list[tuple] = []
    used_numbers: set[str] = set()
    births: list[dt.date] = []
    sexes: list[str] = []
    villages_of: list[int] = []
    while len(rows) < resident_count:
        village_index = rng.randrange(village_count)
        village_id = village_index + 1
        village_code, village_name = village_rows[village_index]
        household_id = len(households) + 1
        address = f"{village_name}{rng.randint(1, 12)}组{rng.randint(1, 80)}号"
        households.append(
            (household_id, village_id, f"{village_code[-6:]}{household_id:06d}", address, now)
        )
        size = min(resident_count - len(rows), rng.choice((1, 2, 2, 3, 3, 3, 4, 4, 5, 6)))
        surname = names.surname()
        head: tuple | None = None
        head_age = 0
        for position in range(size):
            age = demo._age(rng, head=position == 0)
            sex = rng.choice("MF")
            family = True
            if position == 0:
                head_age = age
                relation = "户主"
            elif position == 1 and age >= 22 and abs(age - head_age) <= 12:
                relation, family = "配偶", False
                sex = "F" if head and head[5] == "M" else "M"
            elif age <= head_age - 18:
                relation = rng.choice(("孙子", "孙女") if age <= head_age - 40 else ("子", "女"))
                sex = "M" if relation in ("子", "孙子") else "F"
            elif age >= head_age + 18:
                relation = rng.choice(("父亲", "母亲"))
                sex = "M" if relation == "父亲" else "F"
                family = relation == "父亲"
            else:
                relation = rng.choice(("兄弟", "姐妹", "儿媳", "女婿"))
                sex = "M" if relation in ("兄弟", "女婿") else "F"
                family = relation in ("兄弟", "姐妹")
            name = (surname if family else names.surname()) + names.given(sex)
            full, initials = names.pinyin(name)
            birth = demo._birth_date(rng, today, age)
            number: str | None = None
            if not (age == 0 and rng.random() < 0.5):  # some newborns have no card yet
                area = COUNTY_CODE if rng.random() < 0.85 else rng.choice(OTHER_AREA_CODES)
                while number is None or number in used_numbers:
                    sequence = rng.randrange(1, 999)
                    if (sequence % 2 == 1) != (sex == "M"):
                        sequence += 1 if sequence < 998 else -1
                    number = build_id_number(area, birth, sequence)
                used_numbers.add(number)
            phone = None
            if age >= 14 and rng.random() < 0.92:
                phone = f"1{rng.choice('35789')}{rng.randint(0, 9)}{rng.randint(0, 99_999_999):08d}"
            guardian: tuple = (None, None, None, None)
            lacks_capacity = 0
            if (age < 18 or (age >= 85 and rng.random() < 0.3)) and head and head[6]:
                guardian = (
                    head[2],
                    "父亲" if head[5] == "M" else "母亲",
                    head[1],
                    head[6],
                )
                if age >= 18:
                    lacks_capacity = 1
                    guardian = (head[2], "子女", head[1], head[6])
            resident_id = len(rows) + 1
            row = (
                resident_id,
                number,
                name,
                full,
                initials,
                sex,
                birth.isoformat(),
                phone,
                village_id,
                household_id,
                relation,
                address,
                f"{village_code}{resident_id:06d}",
                "城乡居民医保" if rng.random() < 0.93 else "职工医保",
                lacks_capacity,
                *guardian,
                None,  # moved_in_on
                None,  # left_on
                None,  # left_reason
                None,  # left_note
                now,
                now,
            )
            if position == 0:
                head = (None, number, name, None, None, sex, phone)
            rows.append(row)
            births.append(birth)
            sexes.append(sex)
            villages_of.append(village_id)

    # A few residents moved in later, a few left (they stay, out of denominators).
    rows_list = [list(row) for row in rows]
    moved_in_of: dict[int, dt.date] = {}
    for row in rng.sample(rows_list, k=max(1, resident_count // 50)):
        birth = dt.date.fromisoformat(row[6])
        moved_in = today - dt.timedelta(days=rng.randint(30, 3000))
        if moved_in > birth:
            row[19] = moved_in.isoformat()
            moved_in_of[row[0] - 1] = moved_in
    left_ids: set[int] = set()
    for row in rng.sample(rows_list, k=max(1, resident_count // 100)):
        birth = dt.date.fromisoformat(row[6])
        left_on = max(birth, today - dt.timedelta(days=rng.randint(10, 300)))
        if row[19] is not None and left_on < dt.date.fromisoformat(row[19]):
            continue
        deceased = birth.year < today.year - 75
        row[20] = left_on.isoformat()
        row[21] = "deceased" if deceased else "moved_out"
        row[22] = "死亡" if deceased else "外出务工迁出"
        left_ids.add(row[0])

    db.executemany(
        "INSERT INTO household (id, village_id, number, address, created_at)"
        " VALUES (?, ?, ?, ?, ?)",
        households,
    )
    db.executemany(
        "INSERT INTO resident (id, id_number, name, name_pinyin, name_initials, sex, birth_date,"
        " phone, village_id, household_id, relation_to_head, address, health_record_no,"
        " insurance_type, lacks_capacity, guardian_name, guardian_relation, guardian_id_number,"
        " guardian_phone, moved_in_on, left_on, left_reason, left_note, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows_list,
    )

    # Key-population tags at the shares of demo (chronic disease rising with age).
    tag_rows: list[tuple[int, str]] = []
    tagged: set[int] = set()
    for index, birth in enumerate(births):
        resident_id = index + 1
        age = (today - birth).days // 365
        for tag, share in demo.TAG_SHARES.items():
            weight = share
            if tag in ("hypertension", "diabetes"):
                weight = 0 if age < 30 else share * (2.3 if age >= 60 else 1.1)
            if rng.random() < weight:
                tag_rows.append((resident_id, tag))
                tagged.add(resident_id)
        if sexes[index] == "F" and 20 <= age <= 40 and rng.random() < 0.06:
            tag_rows.append((resident_id, "maternal"))
            tagged.add(resident_id)
    db.executemany("INSERT INTO resident_tag (resident_id, tag) VALUES (?, ?)", tag_rows)

    # Contracts: key populations sign more often (78% against 36%, as in demo); a fifth
    # of the current contracts renew last year's; a few were ended early.
    eligible = [
        index
        for index in range(resident_count)
        if (index + 1) not in left_ids and births[index] <= today
    ]
    signed_count = min(len(eligible), round(contract_count / (1 + RENEWAL_SHARE)))
    renewals = contract_count - signed_count
    if renewals > signed_count:
        raise ValueError(
            f"{contract_count} contracts need more than {len(eligible)} active residents"
        )

    def weight(index: int) -> float:
        age = (today - births[index]).days // 365
        return 0.78 if (age >= 65 or age <= 6 or (index + 1) in tagged) else 0.36

    signed = heapq.nlargest(
        signed_count, eligible, key=lambda index: rng.random() ** (1 / weight(index))
    )
    signed.sort()
    plans: list[tuple[int, dt.date, dt.date, bool]] = []  # (resident index, start, end, renewal)
    renewable = []
    for index in signed:
        arrived = moved_in_of.get(index, births[index])
        earliest = max(arrived, today - dt.timedelta(days=360))
        start = max(today - dt.timedelta(days=rng.randint(0, 360)), earliest)
        plans.append((index, start, demo._add_year_less_day(start), False))
        if start - dt.timedelta(days=365) >= arrived:
            renewable.append(len(plans) - 1)
    if renewals > len(renewable):
        raise ValueError(f"{contract_count} contracts: too few residents old enough to renew")
    renewed = set(rng.sample(renewable, k=renewals))
    for position in sorted(renewed):
        index, start, _end, _ = plans[position]
        plans.append((index, start - dt.timedelta(days=365), start - dt.timedelta(days=1), True))
    # Number contracts in signing order: ids and per-year sequences follow the start date.
    order = sorted(range(len(plans)), key=lambda p: (plans[p][1], plans[p][0]))
    contract_id_of: dict[int, int] = {position: n + 1 for n, position in enumerate(order)}
    previous_of: dict[int, int] = {}  # current contract position -> its renewal's id
    for position in range(len(signed), len(plans)):
        resident_index = plans[position][0]
        previous_of[resident_index] = contract_id_of[position]

    basic_id = db.execute("SELECT id FROM service_package WHERE code = 'basic'").fetchone()[0]
    sequences: dict[int, int] = {}
    contract_rows: list[tuple] = []
    package_rows: list[tuple] = []
    in_force = 0
    reasons = ("resident_request", "unreachable", "refused_service", "changed_team", "other")
    for position in order:
        index, start, end, is_previous = plans[position]
        resident_id = index + 1
        contract_id = contract_id_of[position]
        year = start.year
        sequences[year] = sequences.get(year, 0) + 1
        team_id = team_of_village[villages_of[index]]
        doctor = rng.choice(team_signers[team_id])
        previous = None if is_previous else previous_of.get(index)
        terminated_on = reason = note = None
        if not is_previous and start < today and rng.random() < TERMINATED_SHARE:
            terminated_on = start + dt.timedelta(days=rng.randint(1, (today - start).days))
            reason = rng.choice(reasons)
            note = "居民申请解约" if reason == "resident_request" else None
            terminated_on = terminated_on.isoformat()
        elif not is_previous and start <= today <= end:
            in_force += 1
        row = rows_list[index]
        guardian = row[15] is not None and (today - births[index]).days < 18 * 365
        contract_rows.append(
            (
                contract_id,
                f"{INSTITUTION_CODE}-{year}-{sequences[year]:06d}",
                year,
                sequences[year],
                resident_id,
                team_id,
                doctor,
                start.isoformat(),
                start.isoformat(),
                end.isoformat(),
                "guardian" if guardian else "in_person",
                *(row[15:19] if guardian else (None, None, None, None)),
                previous,
                terminated_on,
                reason,
                note,
                now,
            )
        )
        package_rows.append((contract_id, basic_id, 0, 0, 0, 0))
        age = (today - births[index]).days // 365
        if age >= 65 and rng.random() < 0.25:
            package_rows.append((contract_id, *paid["elderly_plus"]))
        if resident_id in tagged and rng.random() < 0.3:
            package_rows.append((contract_id, *paid["chronic_care"]))
    db.executemany(
        "INSERT INTO contract (id, number, year, sequence, resident_id, team_id, doctor_id,"
        " signed_on, start_date, end_date, signing_method, guardian_name, guardian_relation,"
        " guardian_id_number, guardian_phone, previous_contract_id, terminated_on,"
        " termination_reason, termination_note, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        contract_rows,
    )
    db.executemany(
        "INSERT INTO contract_package (contract_id, package_id, price_fen, fund_insurance_fen,"
        " fund_public_health_fen, self_pay_fen) VALUES (?, ?, ?, ?, ?, ?)",
        package_rows,
    )
    db.executemany(
        "INSERT INTO contract_sequence (year, last_value) VALUES (?, ?)",
        sorted(sequences.items()),
    )

    # Official populations for every third village (registered active residents + 8%).
    active: dict[int, int] = {}
    for index, village_id in enumerate(villages_of):
        if (index + 1) not in left_ids:
            active[village_id] = active.get(village_id, 0) + 1
    db.executemany(
        "INSERT INTO village_population (village_id, year, population) VALUES (?, ?, ?)",
        [(v, today.year, int(active.get(v, 0) * 1.08)) for v in village_ids[::3]],
    )
    return {
        "households": len(households),
        "tags": len(tag_rows),
        "contracts_in_force": in_force,
        "left": len(left_ids),
    }


def cache_key(residents: int, villages: int, contracts: int, seed: int, today: dt.date) -> str:
    return (
        f"r{residents}-v{villages}-c{contracts}-s{seed}-{today:%Y%m%d}"
        f"-g{GENERATOR_VERSION}-m{head_revision()}-{_source_hash()}"
    )


def _source_hash() -> str:
    # A change to this file, to demo's pools or to a migration (an index redefined under the
    # same revision) regenerates the cached databases.
    digest = hashlib.sha256(Path(__file__).read_bytes())
    digest.update(Path(demo.__file__).read_bytes())
    for migration in sorted((ROOT / "familydoc" / "migrations" / "versions").glob("*.py")):
        digest.update(migration.read_bytes())
    return digest.hexdigest()[:8]


def cached_database(
    *,
    residents: int = 200_000,
    villages: int = 300,
    contracts: int = 120_000,
    seed: int = 2026,
    today: dt.date | None = None,
    cache_dir: Path = CACHE_DIR,
    log: bool = True,
) -> GeneratedData:
    """The database for these parameters, generated once into ``cache_dir`` and reused.

    The file is anchored to ``today`` (default: the current date), which is part of the
    key, so the contracts in force are those of the day the benchmark runs.
    """
    today = today or dt.date.today()
    key = cache_key(residents, villages, contracts, seed, today)
    path = cache_dir / f"{key}.sqlite3"
    info = cache_dir / f"{key}.json"
    if path.exists() and info.exists():
        return GeneratedData(**json.loads(info.read_text(encoding="utf-8")))
    cache_dir.mkdir(parents=True, exist_ok=True)
    partial = cache_dir / f"{key}.partial-{os.getpid()}.sqlite3"
    for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
        leftover.unlink(missing_ok=True)
    if log:
        print(
            f"generating {residents:,} residents, {villages} villages, {contracts:,} contracts"
            f" (seed {seed}) into {path} ...",
            flush=True,
        )
    data = build_database(
        partial,
        residents=residents,
        villages=villages,
        contracts=contracts,
        seed=seed,
        today=today,
    )
    os.replace(partial, path)
    data = GeneratedData(**{**asdict(data), "path": str(path)})
    info.write_text(json.dumps(asdict(data), ensure_ascii=False, indent=1), encoding="utf-8")
    if log:
        print(f"generated in {data.seconds:.1f} s, {data.size_bytes / 1e6:.0f} MB", flush=True)
    return data


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--residents", type=int, default=200_000)
    parser.add_argument("--villages", type=int, default=300)
    parser.add_argument("--contracts", type=int, default=120_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--today", type=dt.date.fromisoformat, default=None)
    parser.add_argument("-o", "--output", type=Path, help="write here instead of the cache")
    args = parser.parse_args(argv)
    params = {
        "residents": args.residents,
        "villages": args.villages,
        "contracts": args.contracts,
        "seed": args.seed,
        "today": args.today,
    }
    if args.output:
        data = build_database(args.output, **params)
    else:
        data = cached_database(**params)
    print(json.dumps(asdict(data), ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
