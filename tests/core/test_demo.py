"""The demo township: realistic shares, valid numbers, and contracts that obey the rules.

The demo database is built once for this module (about a second) and only read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from argon2 import PasswordHasher
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from familydoc.core import auth, idnumber
from familydoc.core.db import Database, open_database
from familydoc.core.demo import DemoSummary, create_demo
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
    User,
    Village,
)
from familydoc.core.queries import active_on, in_force_on

RESIDENTS = 1500


@dataclass
class Demo:
    database: Database
    summary: DemoSummary
    today: dt.date


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    database = open_database(f"sqlite:///{path.as_posix()}")
    today = dt.date.today()
    with pytest.MonkeyPatch.context() as patch, database.unit_of_work() as session:
        # Four accounts at 0.1 s each otherwise (see the fast_argon2 fixture).
        patch.setattr(auth, "_hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
        summary = create_demo(session, residents=RESIDENTS, seed=7, today=today)
    yield Demo(database, summary, today)
    database.dispose()


@pytest.fixture
def session(demo: Demo) -> Iterator[Session]:
    with demo.database.read() as session:
        yield session


def _count(session: Session, query: object) -> int:
    return int(session.scalar(query) or 0)  # type: ignore[arg-type]


def _age(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def test_summary_matches_the_database(demo: Demo, session: Session) -> None:
    assert demo.summary.residents == RESIDENTS
    assert _count(session, select(func.count()).select_from(Resident)) == RESIDENTS
    assert demo.summary.villages == 8
    in_force = _count(
        session, select(func.count()).select_from(Contract).where(in_force_on(demo.today))
    )
    assert demo.summary.contracts_in_force == in_force


def test_eight_villages_with_twelve_digit_codes(session: Session) -> None:
    codes = list(session.scalars(select(Village.code)))
    assert len(codes) == 8
    assert len(set(codes)) == 8
    assert all(len(code) == 12 and code.isdigit() for code in codes)


def test_every_id_number_validates_and_belongs_to_the_county(session: Session) -> None:
    rows = session.execute(
        select(Resident.id_number, Resident.birth_date, Resident.sex).where(
            Resident.id_number.is_not(None)
        )
    ).all()
    assert len(rows) > RESIDENTS * 0.95
    for number, birth, sex in rows:
        info = idnumber.validate(number)
        assert number.startswith("320321")
        assert (info.birth_date, info.sex) == (birth, sex)
    without = session.execute(
        select(Resident.birth_date).where(Resident.id_number.is_(None))
    ).scalars()
    # Only newborns lack a card.
    assert all(_age(birth, dt.date.today()) <= 1 for birth in without)


def test_key_population_shares(demo: Demo, session: Session) -> None:
    births = list(session.scalars(select(Resident.birth_date)))
    total = len(births)
    elderly = sum(1 for birth in births if _age(birth, demo.today) >= 65) / total
    children = sum(1 for birth in births if _age(birth, demo.today) <= 6) / total
    assert 0.14 <= elderly <= 0.22, elderly
    assert 0.045 <= children <= 0.095, children
    for tag, low, high in (("hypertension", 0.15, 0.25), ("diabetes", 0.045, 0.10)):
        share = (
            _count(
                session, select(func.count()).select_from(ResidentTag).where(ResidentTag.tag == tag)
            )
            / total
        )
        assert low <= share <= high, (tag, share)


def test_three_teams_each_with_a_county_specialist(session: Session) -> None:
    teams = list(session.scalars(select(Team.id)))
    assert len(teams) == 3
    for team_id in teams:
        kinds = session.execute(
            select(Institution.kind)
            .join(Doctor, Doctor.institution_id == Institution.id)
            .join(TeamMember, TeamMember.doctor_id == Doctor.id)
            .where(TeamMember.team_id == team_id, TeamMember.role == "specialist")
        ).scalars()
        assert "county_hospital" in set(kinds), team_id


def test_packages_one_free_basic_and_two_personalised(session: Session) -> None:
    packages = list(session.scalars(select(ServicePackage)))
    basic = [p for p in packages if p.kind == "basic"]
    personalised = [p for p in packages if p.kind == "personalised"]
    assert len(basic) == 1 and basic[0].price_fen == 0
    assert len(personalised) == 2
    for package in personalised:
        assert package.price_fen > 0
        assert package.price_fen == (
            package.fund_insurance_fen + package.fund_public_health_fen + package.self_pay_fen
        )
        assert package.items
    # Every contract has the basic package, with the fees copied as signed.
    without_basic = _count(
        session,
        select(func.count())
        .select_from(Contract)
        .where(
            ~Contract.id.in_(
                select(ContractPackage.contract_id).where(ContractPackage.package_id == basic[0].id)
            )
        ),
    )
    assert without_basic == 0


def test_contracts_in_force_for_about_half_of_active_residents(
    demo: Demo, session: Session
) -> None:
    active = _count(
        session, select(func.count()).select_from(Resident).where(active_on(demo.today))
    )
    signed = _count(
        session,
        select(func.count(func.distinct(Resident.id)))
        .join(Contract, Contract.resident_id == Resident.id)
        .where(active_on(demo.today), in_force_on(demo.today)),
    )
    assert 0.40 <= signed / active <= 0.65, signed / active


def test_some_contracts_end_within_thirty_days(demo: Demo, session: Session) -> None:
    soon = _count(
        session,
        select(func.count())
        .select_from(Contract)
        .where(
            in_force_on(demo.today),
            Contract.end_date <= demo.today + dt.timedelta(days=30),
        ),
    )
    assert soon >= 1
    assert demo.summary.ending_within_30_days >= 1


def test_no_resident_has_two_contracts_in_force_today(session: Session) -> None:
    day = dt.date.today().isoformat()
    doubles = session.execute(
        text(
            "SELECT resident_id, count(*) FROM contract"
            " WHERE start_date <= :day AND end_date >= :day"
            " AND (terminated_on IS NULL OR terminated_on > :day)"
            " GROUP BY resident_id HAVING count(*) > 1"
        ),
        {"day": day},
    ).all()
    assert doubles == []
    assert _count(session, text("SELECT count(*) FROM contract")) > 0


def test_contract_numbers_follow_the_pattern_without_gaps(session: Session) -> None:
    rows = session.execute(select(Contract.number, Contract.year, Contract.sequence)).all()
    by_year: dict[int, list[int]] = {}
    for number, year, sequence in rows:
        assert number == f"320321110-{year}-{sequence:06d}"
        by_year.setdefault(year, []).append(sequence)
    for sequences in by_year.values():
        assert sorted(sequences) == list(range(1, len(sequences) + 1))


def test_users_of_each_role(demo: Demo, session: Session) -> None:
    roles = set(session.scalars(select(User.role)))
    assert roles == {"admin", "supervisor", "doctor", "clerk"}
    assert {role for _user, _name, role in demo.summary.users} == roles
    hashes = list(session.scalars(select(User.password_hash)))
    assert all(value.startswith("$argon2id$") for value in hashes)
    assert demo.summary.password not in " ".join(hashes)


def _small_demo(folder: object, seed: int, today: dt.date) -> list[tuple]:
    path = folder / "demo.sqlite3"  # type: ignore[operator]
    database = open_database(f"sqlite:///{path.as_posix()}")
    try:
        with database.unit_of_work() as session:
            create_demo(session, residents=120, seed=seed, today=today)
        with database.read() as session:
            return [
                tuple(row)
                for row in session.execute(
                    select(Resident.id_number, Resident.name, Resident.birth_date).order_by(
                        Resident.id
                    )
                )
            ]
    finally:
        database.dispose()


def test_demo_is_reproducible_with_its_seed(
    demo: Demo, tmp_path_factory: pytest.TempPathFactory, fast_argon2: PasswordHasher
) -> None:
    first = _small_demo(tmp_path_factory.mktemp("seed-a"), 7, demo.today)
    again = _small_demo(tmp_path_factory.mktemp("seed-b"), 7, demo.today)
    other = _small_demo(tmp_path_factory.mktemp("seed-c"), 8, demo.today)
    assert len(first) == 120
    assert first == again
    assert first != other
