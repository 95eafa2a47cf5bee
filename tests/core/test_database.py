"""The database: SQLite settings, migrations (and upgrading old files), and the rules it holds."""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text, update
from sqlalchemy.exc import IntegrityError

from familydoc.core.context import AppContext
from familydoc.core.db import (
    Database,
    alembic_config,
    head_revision,
    open_database,
    schema_revision,
    sqlite_pragmas,
)
from familydoc.core.errors import DatabaseProblem
from familydoc.core.idnumber import build as build_id_number
from familydoc.core.models import (
    Base,
    Contract,
    ContractSequence,
    Doctor,
    Institution,
    Resident,
    Team,
    Village,
    is_mapped_table,
)

D = dt.date


def _url(path: Path) -> str:
    return f"sqlite:///{path.as_posix()}"


def _table_names(path: Path) -> set[str]:
    connection = sqlite3.connect(path)
    try:
        return {
            row[0]
            for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
    finally:
        connection.close()


# --- settings and schema ----------------------------------------------------------------


def test_sqlite_pragmas_after_open(context: AppContext) -> None:
    pragmas = sqlite_pragmas(context.database)
    assert str(pragmas["journal_mode"]).lower() == "wal"
    assert pragmas["foreign_keys"] == 1
    assert pragmas["synchronous"] == 2  # FULL
    assert pragmas["busy_timeout"] > 0


def test_new_database_is_at_head(context: AppContext) -> None:
    assert schema_revision(context.database) == head_revision()
    assert context.database.pre_upgrade_copy is None  # nothing to keep for a new file


def _include_name(name: str | None, type_: str, _parents: object) -> bool:
    return is_mapped_table(name) if type_ == "table" else True


def test_migrated_schema_matches_the_models(context: AppContext) -> None:
    with context.database.engine.connect() as connection:
        migration_context = MigrationContext.configure(
            connection, opts={"include_name": _include_name, "compare_type": True}
        )
        differences = compare_metadata(migration_context, Base.metadata)
    assert differences == []


def test_every_constraint_and_index_is_named_by_the_convention(context: AppContext) -> None:
    inspector = inspect(context.database.engine)
    tables = [
        name
        for name in inspector.get_table_names()
        if is_mapped_table(name) and name != "alembic_version"
    ]
    assert set(tables) == set(Base.metadata.tables)
    with context.database.engine.connect() as connection:
        sql = {
            name: ddl
            for name, ddl in connection.execute(
                text("SELECT name, sql FROM sqlite_master WHERE type='table'")
            )
        }
    for table in tables:
        pk = inspector.get_pk_constraint(table)
        assert pk["name"] == f"pk_{table}"
        fks = inspector.get_foreign_keys(table)
        for fk in fks:
            expected = f"fk_{table}_{fk['constrained_columns'][0]}_{fk['referred_table']}"
            assert fk["name"] == expected
        uqs = inspector.get_unique_constraints(table)
        for uq in uqs:
            assert uq["name"] == f"uq_{table}_{'_'.join(uq['column_names'])}"
        cks = inspector.get_check_constraints(table)
        for ck in cks:
            assert ck["name"] and ck["name"].startswith(f"ck_{table}_"), ck
        for index in inspector.get_indexes(table):
            assert index["name"] and index["name"].startswith("ix_"), index
        # Every constraint clause of the CREATE TABLE carries a name: nothing unnamed slipped in.
        named = len(re.findall(r"\bCONSTRAINT\b", sql[table]))
        assert named == 1 + len(fks) + len(uqs) + len(cks), sql[table]


def test_overlap_triggers_exist(context: AppContext) -> None:
    with context.database.engine.connect() as connection:
        triggers = set(
            connection.execute(
                text("SELECT name FROM sqlite_master WHERE type='trigger'")
            ).scalars()
        )
    assert {
        "trg_contract_single_in_force_insert",
        "trg_contract_single_in_force_update",
    } <= triggers


# --- upgrading an old file ----------------------------------------------------------------

OLD_ID_NUMBER = build_id_number("320321", D(1950, 3, 4), 123)
OLD_ROWS_SQL = (
    "INSERT INTO institution (id, code, name, kind, is_home, created_at)"
    " VALUES (1, '320321110', '老库卫生院', 'township_centre', 1, '2025-01-02 03:04:05')",
    "INSERT INTO village (id, code, name, institution_id, created_at)"
    " VALUES (1, '320321110201', '青山村', 1, '2025-01-02 03:04:05')",
    "INSERT INTO resident (id, id_number, name, name_pinyin, name_initials, sex, birth_date,"
    " village_id, lacks_capacity, created_at, updated_at)"
    f" VALUES (1, '{OLD_ID_NUMBER}', '张三', 'zhangsan', 'zs', 'M', '1950-03-04', 1, 0,"
    " '2025-01-02 03:04:05', '2025-01-02 03:04:05')",
    "INSERT INTO app_user (id, username, display_name, role, password_hash, failed_logins,"
    " disabled, password_changed_at, created_at)"
    " VALUES (1, 'admin', '管理员', 'admin', '$argon2id$v=19$m=65536,t=3,p=4$x$y', 0, 0,"
    " '2025-01-02 03:04:05', '2025-01-02 03:04:05')",
    "INSERT INTO audit_event (id, occurred_at, user_id, username, action, entity_type, changes)"
    " VALUES (1, '2025-01-02 03:04:05', 1, 'admin', 'user.create', 'user', '{}')",
    "INSERT INTO doctor (id, name, institution_id, active, created_at)"
    " VALUES (1, '王医生', 1, 1, '2025-01-02 03:04:05')",
    "INSERT INTO team (id, name, institution_id, leader_id, active, created_at)"
    " VALUES (1, '王医生团队', 1, 1, 1, '2025-01-02 03:04:05')",
    "INSERT INTO team_member (team_id, doctor_id, role) VALUES (1, 1, 'general_practitioner')",
    "INSERT INTO contract (id, number, year, sequence, resident_id, team_id, doctor_id,"
    " signed_on, start_date, end_date, signing_method, created_at)"
    " VALUES (1, '320321110-2025-000001', 2025, 1, 1, 1, 1, '2025-02-01', '2025-02-01',"
    " '2026-01-31', 'in_person', '2025-02-01 08:00:00')",
)
OLD_ROW_QUERIES = {
    "institution": "SELECT code, name FROM institution",
    "village": "SELECT code, name FROM village",
    "resident": "SELECT id_number, name, birth_date FROM resident",
    "app_user": "SELECT username, password_hash FROM app_user",
    "audit_event": "SELECT action, username FROM audit_event",
    "team": "SELECT name, leader_id FROM team",
    "team_member": "SELECT team_id, doctor_id, role FROM team_member",
    "contract": "SELECT number, start_date, end_date FROM contract",
}


def _rows(path: Path) -> dict[str, list[tuple]]:
    connection = sqlite3.connect(path)
    try:
        return {
            table: connection.execute(query).fetchall() for table, query in OLD_ROW_QUERIES.items()
        }
    finally:
        connection.close()


def _revision(path: Path) -> str:
    connection = sqlite3.connect(path)
    try:
        return connection.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    finally:
        connection.close()


def _database_at_0001(path: Path) -> None:
    command.upgrade(alembic_config(_url(path)), "0001")
    connection = sqlite3.connect(path)
    try:
        for statement in OLD_ROWS_SQL:
            connection.execute(statement)
        connection.commit()
    finally:
        connection.close()


def test_upgrade_from_0001_keeps_rows_and_a_pre_upgrade_copy(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    backups = tmp_path / "backups"
    _database_at_0001(path)
    assert _revision(path) == "0001"
    assert "sync_outbox" not in _table_names(path)
    before = _rows(path)
    assert all(before.values()), before

    database = open_database(_url(path), backups_dir=backups)
    try:
        assert database.upgraded_from == "0001"
        assert schema_revision(database) == head_revision()
        with database.engine.connect() as connection:
            # The search index of migration 0003 was filled with the residents already there.
            found = connection.execute(
                text("SELECT rowid FROM resident_search WHERE resident_search MATCH :q"),
                {"q": f'"{OLD_ID_NUMBER[6:14]}"'},
            ).all()
        assert found == [(1,)]
    finally:
        database.dispose()
    assert _rows(path) == before
    assert "sync_outbox" in _table_names(path)

    copy = database.pre_upgrade_copy
    assert copy is not None and copy.exists()
    assert copy.parent == backups
    assert _revision(copy) == "0001"
    assert "sync_outbox" not in _table_names(copy)
    assert _rows(copy) == before

    again = open_database(_url(path), backups_dir=backups)
    try:
        assert again.pre_upgrade_copy is None
        assert again.upgraded_from is None
    finally:
        again.dispose()
    assert sorted(backups.iterdir()) == [copy]


def test_database_of_a_newer_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "newer.sqlite3"
    open_database(_url(path)).dispose()
    connection = sqlite3.connect(path)
    connection.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    connection.commit()
    connection.close()
    with pytest.raises(DatabaseProblem, match="newer version"):
        open_database(_url(path), backups_dir=tmp_path / "backups")
    assert _revision(path) == "9999_from_the_future"
    assert not (tmp_path / "backups").exists()


def test_database_in_a_missing_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DatabaseProblem):
        open_database(_url(tmp_path / "no-such-folder" / "x.sqlite3"))


# --- rules the database holds -------------------------------------------------------------


@dataclass
class World:
    database: Database
    resident_id: int
    other_resident_id: int
    team_id: int
    doctor_id: int
    numbers: int = 0

    def contract(
        self,
        start: dt.date,
        end: dt.date,
        *,
        resident_id: int | None = None,
        terminated_on: dt.date | None = None,
        number: str | None = None,
    ) -> int:
        """Insert one contract in its own unit of work; returns its id."""
        self.numbers += 1
        with self.database.unit_of_work() as session:
            contract = Contract(
                number=number or f"T-{start.year}-{self.numbers:06d}",
                year=start.year,
                sequence=self.numbers,
                resident_id=resident_id or self.resident_id,
                team_id=self.team_id,
                doctor_id=self.doctor_id,
                signed_on=start,
                start_date=start,
                end_date=end,
                terminated_on=terminated_on,
                termination_reason="resident_request" if terminated_on else None,
            )
            session.add(contract)
            session.flush()
            return contract.id


@pytest.fixture
def world(context: AppContext) -> World:
    with context.database.unit_of_work() as session:
        institution = Institution(code="320321110", name="测试镇卫生院", kind="township_centre")
        session.add(institution)
        session.flush()
        village = Village(code="320321110201", name="青山村", institution_id=institution.id)
        session.add(village)
        session.flush()
        residents = [
            Resident(
                id_number=build_id_number("320321", D(1960, 5, day), 11),
                name=name,
                sex="M",
                birth_date=D(1960, 5, day),
                village_id=village.id,
            )
            for day, name in ((1, "张三"), (2, "李四"))
        ]
        doctor = Doctor(name="王医生", institution_id=institution.id)
        session.add_all([*residents, doctor])
        session.flush()
        team = Team(name="王医生团队", institution_id=institution.id, leader_id=doctor.id)
        session.add(team)
        session.flush()
        return World(context.database, residents[0].id, residents[1].id, team.id, doctor.id)


def test_one_resident_per_id_number(world: World) -> None:
    with world.database.read() as session:
        existing = session.get(Resident, world.resident_id)
        assert existing is not None
        id_number, birth_date, village_id = (
            existing.id_number,
            existing.birth_date,
            existing.village_id,
        )
    with pytest.raises(IntegrityError, match=r"resident\.id_number"):
        with world.database.unit_of_work() as session:
            session.add(
                Resident(
                    id_number=id_number,
                    name="重复",
                    sex="M",
                    birth_date=birth_date,
                    village_id=village_id,
                )
            )
    with world.database.read() as session:
        assert session.query(Resident).count() == 2


def test_residents_without_id_number_may_be_many(world: World) -> None:
    with world.database.unit_of_work() as session:
        village_id = session.get(Resident, world.resident_id).village_id  # type: ignore[union-attr]
        for name in ("新生儿甲", "新生儿乙"):
            session.add(
                Resident(
                    id_number=None,
                    name=name,
                    sex="F",
                    birth_date=D(2025, 1, 1),
                    village_id=village_id,
                )
            )
        session.flush()


def test_overlapping_contracts_of_one_resident_are_refused(world: World) -> None:
    world.contract(D(2025, 1, 1), D(2025, 12, 31))
    for start, end in (
        (D(2025, 6, 1), D(2026, 5, 31)),  # overlaps the second half
        (D(2024, 1, 1), D(2025, 1, 1)),  # touches the first day
        (D(2025, 12, 31), D(2026, 12, 30)),  # touches the last day
        (D(2025, 3, 1), D(2025, 3, 1)),  # inside
        (D(2024, 1, 1), D(2026, 12, 31)),  # around
    ):
        with pytest.raises(IntegrityError, match="contract_overlap"):
            world.contract(start, end)
    # The same period for another resident is fine.
    world.contract(D(2025, 1, 1), D(2025, 12, 31), resident_id=world.other_resident_id)


def test_update_that_makes_contracts_overlap_is_refused(world: World) -> None:
    first = world.contract(D(2025, 1, 1), D(2025, 12, 31))
    second = world.contract(D(2026, 1, 1), D(2026, 12, 31))
    changes = (
        (second, {"start_date": D(2025, 12, 31)}),
        (first, {"end_date": D(2026, 1, 1)}),
    )
    for contract_id, values in changes:
        with pytest.raises(IntegrityError, match="contract_overlap"):
            with world.database.unit_of_work() as session:
                session.execute(update(Contract).where(Contract.id == contract_id).values(**values))
    # Moving another resident's contract onto this resident is an update too.
    other = world.contract(D(2025, 6, 1), D(2026, 5, 31), resident_id=world.other_resident_id)
    with pytest.raises(IntegrityError, match="contract_overlap"):
        with world.database.unit_of_work() as session:
            session.execute(
                update(Contract).where(Contract.id == other).values(resident_id=world.resident_id)
            )


def test_undoing_a_termination_that_makes_an_overlap_is_refused(world: World) -> None:
    ended = world.contract(D(2025, 1, 1), D(2025, 12, 31), terminated_on=D(2025, 6, 1))
    world.contract(D(2025, 6, 1), D(2026, 5, 31))
    with pytest.raises(IntegrityError, match="contract_overlap"):
        with world.database.unit_of_work() as session:
            session.execute(
                update(Contract)
                .where(Contract.id == ended)
                .values(terminated_on=None, termination_reason=None)
            )


def test_back_to_back_contracts_are_accepted(world: World) -> None:
    # Renewal: the old one ends the day before the new one starts.
    world.contract(D(2024, 1, 1), D(2024, 12, 31))
    world.contract(D(2025, 1, 1), D(2025, 12, 31), terminated_on=D(2025, 7, 1))
    # Change of team: the termination date is the first day of the next contract.
    world.contract(D(2025, 7, 1), D(2026, 6, 30))
    with world.database.read() as session:
        count = session.query(Contract).filter_by(resident_id=world.resident_id).count()
    assert count == 3


def test_contract_terminated_on_its_first_day_blocks_nothing(world: World) -> None:
    world.contract(D(2025, 1, 1), D(2025, 12, 31), terminated_on=D(2025, 1, 1))
    world.contract(D(2025, 1, 1), D(2025, 12, 31))
    world.contract(D(2026, 1, 1), D(2026, 12, 31))


def test_duplicate_contract_number_is_refused(world: World) -> None:
    world.contract(D(2025, 1, 1), D(2025, 12, 31), number="320321110-2025-000001")
    with pytest.raises(IntegrityError, match=r"contract\.number"):
        world.contract(
            D(2025, 1, 1),
            D(2025, 12, 31),
            resident_id=world.other_resident_id,
            number="320321110-2025-000001",
        )


def test_contract_ending_before_it_starts_is_refused(world: World) -> None:
    with pytest.raises(IntegrityError, match="ck_contract_period"):
        world.contract(D(2025, 2, 1), D(2025, 1, 31))


def test_foreign_keys_are_enforced(world: World) -> None:
    with pytest.raises(IntegrityError, match="FOREIGN KEY"):
        world.contract(D(2025, 1, 1), D(2025, 12, 31), resident_id=999_999)


def test_two_workstations_get_distinct_consecutive_sequence_numbers(home_path: Path) -> None:
    """Two engines on one file increment the same counter at once: no value twice, no gap."""
    url = _url(home_path / "shared.sqlite3")
    first = open_database(url)
    second = open_database(url)
    year, rounds = 2026, 15
    with first.unit_of_work() as session:
        session.add(ContractSequence(year=year, last_value=0))
    barrier = threading.Barrier(2)
    results: dict[str, list[int]] = {"first": [], "second": []}
    errors: list[BaseException] = []

    def sign(name: str, database: Database) -> None:
        try:
            barrier.wait()
            for _ in range(rounds):
                with database.unit_of_work(write=True) as session:
                    sequence = session.get(ContractSequence, year)
                    assert sequence is not None
                    time.sleep(0.002)  # widen the window between reading and writing
                    sequence.last_value += 1
                    session.flush()
                    results[name].append(sequence.last_value)
        except BaseException as exc:
            errors.append(exc)

    threads = [
        threading.Thread(target=sign, args=("first", first)),
        threading.Thread(target=sign, args=("second", second)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    first.dispose()
    second.dispose()
    assert errors == []
    values = results["first"] + results["second"]
    assert sorted(values) == list(range(1, 2 * rounds + 1))
    assert len(results["first"]) == len(results["second"]) == rounds


@pytest.fixture
def home_path(tmp_path: Path) -> Path:
    path = tmp_path / "workstations"
    path.mkdir()
    return path
