"""Signing benchmark: 1,000 contracts through the service layer, against raw sqlite3 inserts.

    python bench/bench_contracts.py [--contracts 1000] [--runs 3]

(from the repository, in the project's virtual environment). Target (issue 4): signing
1,000 contracts through the service layer takes at most 5 s.

The figure is what 1,000 signings at the desk cost: each one is its own unit of work
(``BEGIN IMMEDIATE`` ... commit, ``synchronous=FULL``) calling ``familydoc.core.contracts.sign``
with every rule it checks (the resident, team membership, packages valid on the start
date, the one-contract-in-force rule, capacities), the gap-free number, the fee snapshot,
the sealed audit event, and the contract read back for display.

The raw baseline, measured in the same run on a copy of the same prepared database,
inserts exactly the rows the service stored, read back from its database, with plain
``sqlite3``: per contract one transaction with the sequence update, the contract, its
package rows and its audit event (the sealing trigger runs, as it must), on a connection
with the program's settings (WAL, ``synchronous=FULL``). For information the bench also
prints both in one transaction for all contracts (what an import costs: commits aside).
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import select  # noqa: E402

from familydoc.core import audit_chain, auth, contracts, imports, setup, teams  # noqa: E402
from familydoc.core.config import Home  # noqa: E402
from familydoc.core.context import open_context  # noqa: E402
from familydoc.core.idnumber import build as build_id_number  # noqa: E402
from familydoc.core.models import Resident, Village  # noqa: E402

TARGET_SECONDS = 5.0
TODAY = dt.date(2026, 11, 24)
START = dt.date(2026, 3, 1)
ADMIN, PASSWORD = "admin", "bench-pass-1"
PACKAGES = ((), ("elderly_plus",))  # every other contract takes the paid package too
TABLES = ("contract_sequence", "contract", "contract_package", "audit_event")


def prepare(folder: Path, count: int) -> Path:
    """A migrated database with an institution, a team, two packages and ``count`` adults."""
    home = Home(folder / "prepared")
    context = open_context(home)
    try:
        with context.database.unit_of_work() as session:
            setup.initialise(
                session,
                institution_code="320321110",
                institution_name="丰县青山镇卫生院",
                admin_username=ADMIN,
                admin_password=PASSWORD,
            )
        with context.database.unit_of_work() as session:
            admin = auth.actor_for(session, ADMIN)
            session.add(Village(code="320321110201", name="青山村"))
            session.flush()
            home_id = teams.home_institution_id(session)
            doctor = teams.save_doctor(
                session,
                admin,
                None,
                teams.DoctorInput(
                    name="张建华",
                    title="全科主治医师",
                    licence_no="110320000200117",
                    phone="13912345600",
                    institution_id=home_id,
                ),
            )
            teams.save_team(
                session,
                admin,
                None,
                teams.TeamInput(
                    name="张建华家庭医生团队",
                    leader_id=doctor.id,
                    members=((doctor.id, "general_practitioner"),),
                ),
            )
            teams.create_package(
                session,
                admin,
                teams.PackageInput(
                    code="elderly_plus",
                    name="老年人健康管理包",
                    kind="personalised",
                    fund_insurance_fen=6000,
                    fund_public_health_fen=4000,
                    self_pay_fen=2000,
                    items=(("上门健康随访", "每季度1次"),),
                    valid_from=dt.date(2024, 1, 1),
                ),
            )
            rows = (
                imports.SourceRow(
                    i + 2,
                    {
                        "name": f"居民{i}",
                        "id_number": build_id_number(
                            "320321", dt.date(1940, 1, 1) + dt.timedelta(days=11 * i), 11 + i % 400
                        ),
                        "village": "青山村",
                    },
                )
                for i in range(count)
            )
            imports.import_residents(session, admin, rows, today=TODAY)
    finally:
        context.close()
    return home.database_file


def copy_database(source: Path, folder: Path) -> Home:
    home = Home(folder)
    home.ensure()
    with sqlite3.connect(source) as src, sqlite3.connect(home.database_file) as dst:
        src.backup(dst)
    dst.close()
    src.close()
    return home


def sign_all(home: Home, one_transaction: bool) -> float:
    """Seconds to sign one contract for every resident through ``contracts.sign``."""
    context = open_context(home)
    try:
        with context.database.read() as session:
            actor = auth.actor_for(session, ADMIN)
            team_id, doctor_id = teams.list_teams(session)[0].id, teams.list_doctors(session)[0].id
            residents = list(session.scalars(select(Resident.id).order_by(Resident.id)))
        inputs = [
            contracts.SignInput(
                resident_id=rid,
                team_id=team_id,
                doctor_id=doctor_id,
                package_codes=PACKAGES[i % 2],
                start_date=START,
                signed_on=START,
            )
            for i, rid in enumerate(residents)
        ]
        start = time.perf_counter()
        if one_transaction:
            with context.database.unit_of_work() as session:
                for data in inputs:
                    contracts.sign(session, actor, data, today=TODAY)
        else:
            for data in inputs:
                with context.database.unit_of_work() as session:
                    contracts.sign(session, actor, data, today=TODAY)
        return time.perf_counter() - start
    finally:
        context.close()


def _rows(database: Path, table: str, where: str = "") -> tuple[list[str], list[tuple[Any, ...]]]:
    connection = sqlite3.connect(database)
    try:
        cursor = connection.execute(f"SELECT * FROM {table} {where} ORDER BY rowid")
        names = [d[0] for d in cursor.description]
        return names, cursor.fetchall()
    finally:
        connection.close()


def raw_inserts(signed: Path, home: Home, one_transaction: bool) -> float:
    """Seconds to insert the rows the service stored, with plain sqlite3."""
    contract_names, contract_rows = _rows(signed, "contract")
    package_names, package_rows = _rows(signed, "contract_package")
    audit_names, audit_rows = _rows(signed, "audit_event", "WHERE action = 'contract.sign'")
    audit_names_kept = [n for n in audit_names if n not in ("id", "chain_prev", "chain_hash")]
    audit_keep = [audit_names.index(n) for n in audit_names_kept]
    packages_of: dict[int, list[tuple[Any, ...]]] = {}
    for row in package_rows:
        packages_of.setdefault(row[package_names.index("contract_id")], []).append(row)
    year = START.year

    def insert(table: str, names: list[str]) -> str:
        return f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"

    contract_sql = insert("contract", contract_names)
    package_sql = insert("contract_package", package_names)
    audit_sql = insert("audit_event", audit_names_kept)
    sequence_sql = (
        "INSERT INTO contract_sequence (year, last_value) VALUES (?, 1)"
        " ON CONFLICT (year) DO UPDATE SET last_value = last_value + 1"
    )
    connection = sqlite3.connect(home.database_file, isolation_level=None)
    try:
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("PRAGMA synchronous = FULL")
        connection.execute("PRAGMA foreign_keys = ON")
        audit_chain.register(connection)
        start = time.perf_counter()
        if one_transaction:
            connection.execute("BEGIN IMMEDIATE")
        for contract, event in zip(contract_rows, audit_rows, strict=True):
            if not one_transaction:
                connection.execute("BEGIN IMMEDIATE")
            connection.execute(sequence_sql, (year,))
            connection.execute(contract_sql, contract)
            connection.executemany(package_sql, packages_of[contract[0]])
            connection.execute(audit_sql, [event[i] for i in audit_keep])
            if not one_transaction:
                connection.execute("COMMIT")
        if one_transaction:
            connection.execute("COMMIT")
        return time.perf_counter() - start
    finally:
        connection.close()


def measure(prepared: Path, folder: Path, run: int, one_transaction: bool) -> tuple[float, float]:
    shape = "one" if one_transaction else "each"
    service_home = copy_database(prepared, folder / f"service-{shape}-{run}")
    service = sign_all(service_home, one_transaction)
    raw_home = copy_database(prepared, folder / f"raw-{shape}-{run}")
    raw = raw_inserts(service_home.database_file, raw_home, one_transaction)
    for home in (service_home, raw_home):
        shutil.rmtree(home.path)
    return service, raw


def _load() -> str:
    try:
        return Path("/proc/loadavg").read_text().split()[0]
    except OSError:
        return "?"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contracts", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="familydoc-bench-contracts-") as name:
        folder = Path(name)
        prepared = prepare(folder, args.contracts)
        each, each_raw, one, one_raw = [], [], [], []
        for run in range(args.runs):
            service, raw = measure(prepared, folder, run, one_transaction=False)
            each.append(service)
            each_raw.append(raw)
            service, raw = measure(prepared, folder, run, one_transaction=True)
            one.append(service)
            one_raw.append(raw)
    figure, baseline = statistics.median(each), statistics.median(each_raw)
    ok = figure <= TARGET_SECONDS
    print(
        f"signing benchmark, medians of {args.runs} runs (load average at the end {_load()});"
        " raw baseline: the same rows inserted with plain sqlite3 in the same run"
    )
    print(
        f"{f'sign {args.contracts:,} contracts, one unit of work each':<48} {figure:8.3f} s"
        f"   target <= {TARGET_SECONDS:g} s   ratio to raw {figure / baseline:5.2f}x"
        f"   {'OK' if ok else 'MISSED'}"
    )
    print(
        f"  per contract {figure / args.contracts * 1000:.2f} ms; raw {baseline:.3f} s"
        f" ({baseline / args.contracts * 1000:.2f} ms per contract)"
    )
    one_figure, one_baseline = statistics.median(one), statistics.median(one_raw)
    print(
        f"  for information, all in one transaction: service {one_figure:.3f} s,"
        f" raw {one_baseline:.3f} s, ratio {one_figure / one_baseline:.2f}x"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
