"""Work functions the crash tests run in a child process (see crash_harness.py)."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import and_, exists, select

from familydoc.core import audit, backup, contracts
from familydoc.core.auth import Actor
from familydoc.core.config import Home
from familydoc.core.context import open_context
from familydoc.core.instance_lock import InstanceLock
from familydoc.core.models import Contract, Resident, Team, Village

Report = Callable[[str], None]
BATCH_CODE = 900_000_000_000  # village codes of the batches: BATCH_CODE + n


def write_batches(home: Home, report: Report, events: str = "25") -> None:
    """Transaction n adds village BATCH_CODE + n and ``events`` audit events about it."""
    context = open_context(home)
    size = int(events)
    n = 0
    while True:
        code = str(BATCH_CODE + n)
        with context.database.unit_of_work() as session:
            session.add(Village(code=code, name=f"批次{n}"))
            session.flush()
            for part in range(size):
                audit.record(
                    session,
                    user_id=None,
                    username="crash",
                    action="village.create",
                    entity_type="village",
                    entity_id=code,
                    changes={"part": part, "name": f"批次{n}"},
                )
        report(f"committed {n}")
        n += 1


def make_backups(home: Home, report: Report, step_pages: str = "8") -> None:
    """Backups one after the other, reporting each copied step."""
    backup.STEP_PAGES = int(step_pages)  # many small steps: many moments to be killed in
    context = open_context(home)
    n = 0
    while True:
        result = backup.make_backup(
            home,
            context.database,
            kind="manual",
            progress=lambda done, total, _text: report(f"progress {done}/{total}"),
        )
        report(f"backup {n} {result.path.name}")
        n += 1


def restore(home: Home, report: Report, source: str) -> None:
    """One restore of ``source``, under the instance lock, as ``familydoc restore`` does it."""
    lock = InstanceLock(home.database_file)
    lock.acquire("restore")
    context = open_context(home)
    admin = Actor(1, "admin", "系统管理员", "admin")

    def phase(_done: int, _total: int, name: str) -> None:
        report(f"phase {name}")
        time.sleep(0.005)  # widen the moments between phases a little

    backup.restore_backup(
        home,
        context.database,
        Path(source),
        admin,
        current_institution=context.institution().code,  # type: ignore[union-attr]
        progress=phase,
    )
    report("restored")
    time.sleep(60)  # wait to be killed


def import_residents(home: Home, report: Report, csv_path: str) -> None:
    """One residents import of ``csv_path`` (all rows or none), as the import command does."""
    from familydoc.core import imports

    context = open_context(home)
    admin = Actor(1, "admin", "系统管理员", "admin")
    source = imports.open_source(Path(csv_path), "residents")
    with context.database.unit_of_work() as session:
        imports.import_residents(
            session,
            admin,
            source.rows(),
            columns=source.columns,
            file_name=Path(csv_path).name,
            progress=lambda done, _total: report(f"progress {done}"),
        )
    report("committed 0")
    time.sleep(60)  # wait to be killed


def sign_contracts(home: Home, report: Report) -> None:
    """Sign every unsigned adult one after the other, as a doctor at the desk does."""
    context = open_context(home)
    doctor = Actor(1, "admin", "系统管理员", "admin")
    today = dt.date.today()
    with context.database.read() as session:
        team = session.scalars(select(Team).where(Team.leader_id.is_not(None))).first()
        assert team is not None
        team_id, leader_id = team.id, team.leader_id
        unsigned = session.scalars(unsigned_adults(today)).all()
    for resident_id in unsigned:
        data = contracts.SignInput(resident_id, team_id, leader_id)
        with context.database.unit_of_work() as session:
            detail = contracts.sign(session, doctor, data, today=today)
        report(f"committed {detail.number} {resident_id}")


def unsigned_adults(today: dt.date) -> Any:
    """Residents living here, aged 18 or more, with no contract in force today."""
    adult_born_by = today.replace(year=today.year - 18)
    in_force = exists().where(
        and_(
            Contract.resident_id == Resident.id,
            Contract.start_date <= today,
            Contract.end_date >= today,
            Contract.terminated_on.is_(None),
        )
    )
    return (
        select(Resident.id)
        .where(Resident.left_on.is_(None), Resident.birth_date <= adult_born_by, ~in_force)
        .order_by(Resident.id)
    )
