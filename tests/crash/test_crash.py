"""Pull the plug: real processes killed with ``kill -9`` during writes, a batch of signings,
a residents import, a backup and a restore.

After each kill the database passes integrity_check, foreign_key_check and the audit
chain; every transaction is wholly there or wholly absent; what was reported committed
is there (at most the action in flight is lost); and the program starts normally.
The random moments come from a seed printed on failure (FAMILYDOC_CRASH_SEED=N repeats it).
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from crash_harness import SEED, check_survivor, crash
from crash_work import BATCH_CODE
from safety_helpers import add_village, rows

from familydoc.core import auth, backup
from familydoc.core.config import Home
from familydoc.core.context import open_context
from familydoc.core.demo import create_demo
from familydoc.core.idnumber import build as build_id_number

pytestmark = pytest.mark.slow
RESIDENTS = 1500


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo database (made once), copied into each test's home."""
    home = Home(tmp_path_factory.mktemp("crash-template"))
    context = open_context(home)
    with pytest.MonkeyPatch.context() as patch, context.database.unit_of_work() as session:
        patch.setattr(auth, "_hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
        create_demo(session, residents=RESIDENTS, seed=5)
    context.close()
    return home.database_file


@pytest.fixture
def rng(request: pytest.FixtureRequest) -> Iterator[random.Random]:
    yield random.Random(f"{SEED}-{request.node.name}")


def _home(tmp_path: Path, template: Path, name: str) -> Home:
    home = Home(tmp_path / name)
    home.ensure()
    shutil.copyfile(template, home.database_file)
    return home


def test_kill_during_a_batch_of_writes(tmp_path: Path, template: Path, rng: random.Random) -> None:
    size = 25
    for attempt in range(4):
        home = _home(tmp_path, template, f"writes-{attempt}")
        wanted = rng.randint(2, 40)  # transactions to see committed before the kill
        result = crash(
            home,
            "crash_work:write_batches",
            str(size),
            kill_when=lambda lines, wanted=wanted: (
                sum(line.startswith("committed") for line in lines) >= wanted
            ),
            delay=rng.uniform(0, 0.05),
        )
        assert result.killed, f"seed {SEED}: the child ended by itself"
        reported = result.committed()
        path = home.database_file
        batches = {
            int(code) - BATCH_CODE: count
            for code, count in rows(
                path,
                "SELECT v.code, (SELECT count(*) FROM audit_event a WHERE a.entity_id = v.code)"
                " FROM village v WHERE v.code >= ?",
                str(BATCH_CODE),
            )
        }
        # All or nothing: each batch has its village and all of its events...
        assert all(count == size for count in batches.values()), (SEED, batches)
        orphans = rows(
            path,
            "SELECT count(*) FROM audit_event WHERE entity_type = 'village'"
            " AND entity_id NOT IN (SELECT code FROM village)",
        )
        assert orphans == [(0,)], SEED
        # ...everything reported committed is there, and at most the one in flight more.
        assert sorted(batches) == list(range(len(batches))), (SEED, sorted(batches))
        assert max(reported) + 1 <= len(batches) <= max(reported) + 2, (SEED, reported, batches)
        check_survivor(home, smoke=attempt == 0)


def test_kill_during_a_backup(tmp_path: Path, template: Path, rng: random.Random) -> None:
    for attempt in range(4):
        home = _home(tmp_path, template, f"backup-{attempt}")
        context = open_context(home)
        earlier = backup.make_backup(home, context.database, kind="auto")
        context.close()
        steps = rng.randint(1, 60)
        result = crash(
            home,
            "crash_work:make_backups",
            "8",
            kill_when=lambda lines, steps=steps: (
                sum(line.startswith("progress") for line in lines) >= steps
            ),
            delay=rng.uniform(0, 0.01),
        )
        assert result.killed, SEED
        # Every file named like a backup is a good, whole backup; unfinished ones are .part.
        entries = backup.list_backups(home.backups_dir)
        assert earlier.path in {e.path for e in entries}
        for entry in entries:
            assert rows(entry.path, "PRAGMA integrity_check") == [("ok",)], (SEED, entry)
            assert rows(entry.path, "SELECT count(*) FROM resident") == [(RESIDENTS,)]
        check_survivor(home, smoke=attempt == 0)
        # The next backup clears what the crash left and counts as the newest.
        context = open_context(home)
        after = backup.make_backup(home, context.database)
        context.close()
        assert not list(home.backups_dir.glob("*.part*"))
        assert backup.last_good_backup(home.backups_dir).path == after.path  # type: ignore[union-attr]


def test_kill_during_a_restore(tmp_path: Path, template: Path, rng: random.Random) -> None:
    phases = [*backup.RESTORE_PHASES[:-1], "restored"]
    rng.shuffle(phases)
    seen = {"old": 0, "new": 0}
    for attempt, phase in enumerate(phases):
        home = _home(tmp_path, template, f"restore-{attempt}")
        context = open_context(home)
        source = backup.make_backup(home, context.database, kind="auto").path
        add_village(context.database, "320321110999", "恢复前才有的村", events=3)
        context.close()
        marker = "phase " + phase if phase != "restored" else "restored"
        result = crash(
            home,
            "crash_work:restore",
            str(source),
            kill_when=lambda lines, marker=marker: marker in lines,
            delay=rng.uniform(0, 0.01),
        )
        assert result.killed, (SEED, phase, result.lines, result.stderr)
        path = home.database_file
        village = rows(path, "SELECT count(*) FROM village WHERE code = '320321110999'")[0][0]
        restores = rows(path, "SELECT count(*) FROM audit_event WHERE action = 'backup.restore'")
        # Wholly the old database, or wholly the restored one: never a mix.
        if village == 1:
            assert restores == [(0,)], (SEED, phase)
            seen["old"] += 1
        else:
            assert restores == [(1,)], (SEED, phase)
            seen["new"] += 1
        if phase == "restored":
            assert village == 0, SEED
        smoke = phase == "swap"
        check_survivor(home, smoke=smoke)
        if smoke:  # the start cleared away a restore left half-done
            assert not backup.staging_path(path).exists()
    assert seen["old"] >= 1 and seen["new"] >= 1, seen


IMPORTED = 6000


def _roster(path: Path) -> Path:
    """A roster of IMPORTED new residents, as a clinic's Excel sheet saved as CSV."""
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["姓名", "身份证号", "村"])
        for index in range(IMPORTED):
            born = dt.date(1950, 1, 1) + dt.timedelta(days=index)
            writer.writerow(
                [f"导入{index}", build_id_number("110105", born, 101 + index % 2), "320321110201"]
            )
    return path


def test_kill_during_a_residents_import(tmp_path: Path, template: Path, rng: random.Random) -> None:
    roster = _roster(tmp_path / "roster.csv")
    outcomes = set()
    for attempt in range(4):
        home = _home(tmp_path, template, f"import-{attempt}")
        chunks = rng.randint(1, 6) if attempt < 3 else 7  # the last one after the commit
        result = crash(
            home,
            "crash_work:import_residents",
            str(roster),
            kill_when=lambda lines, chunks=chunks: (
                sum(line.startswith(("progress", "committed")) for line in lines) >= chunks
            ),
            delay=rng.uniform(0, 0.02),
        )
        assert result.killed, (SEED, result.lines, result.stderr)
        path = home.database_file
        [(imported,)] = rows(path, "SELECT count(*) FROM resident WHERE name LIKE '导入%'")
        [(events,)] = rows(
            path, "SELECT count(*) FROM audit_event WHERE action = 'resident.import'"
        )
        # All rows or none, and the audit event with them.
        assert (imported, events) in ((0, 0), (IMPORTED, 1)), (SEED, chunks, imported, events)
        if "committed 0" in result.lines:
            assert imported == IMPORTED, SEED
        outcomes.add(imported)
        # The search index holds exactly the residents (its trigger is paused during imports).
        assert rows(path, "SELECT count(*) FROM resident_search") == rows(
            path, "SELECT count(*) FROM resident"
        ), SEED
        check_survivor(home, smoke=attempt == 0)
    assert outcomes == {0, IMPORTED}, outcomes


def test_kill_during_a_batch_of_signings(
    tmp_path: Path, template: Path, rng: random.Random
) -> None:
    for attempt in range(3):
        home = _home(tmp_path, template, f"sign-{attempt}")
        path = home.database_file
        [(before,)] = rows(path, "SELECT count(*) FROM contract")
        wanted = rng.randint(3, 30)  # signings to see committed before the kill
        result = crash(
            home,
            "crash_work:sign_contracts",
            kill_when=lambda lines, wanted=wanted: (
                sum(line.startswith("committed") for line in lines) >= wanted
            ),
            delay=rng.uniform(0, 0.05),
        )
        assert result.killed, (SEED, result.lines, result.stderr)
        reported = [line.split()[1] for line in result.lines if line.startswith("committed")]
        year = dt.date.today().year
        signed = {number for (number,) in rows(path, "SELECT number FROM contract")}
        [(after,)] = rows(path, "SELECT count(*) FROM contract")
        # Everything reported committed is there, and at most the one in flight more.
        assert len(reported) <= after - before <= len(reported) + 1, (SEED, reported, after)
        assert set(reported) <= signed, (SEED, reported)
        # Each signing is whole: its packages and its audit event came with it...
        [(bare,)] = rows(
            path,
            "SELECT count(*) FROM contract c WHERE NOT EXISTS"
            " (SELECT 1 FROM contract_package p WHERE p.contract_id = c.id)",
        )
        [(unaudited,)] = rows(
            path,
            "SELECT count(*) FROM contract c WHERE c.id > ? AND NOT EXISTS (SELECT 1 FROM"
            " audit_event a WHERE a.action = 'contract.sign' AND a.entity_id = CAST(c.id AS TEXT))",
            before,
        )
        assert (bare, unaudited) == (0, 0), SEED
        # ...and the numbers of the year stay gap-free: a killed signing took no number.
        sequences = [
            int(number.rsplit("-", 1)[1])
            for (number,) in rows(
                path,
                "SELECT number FROM contract WHERE number LIKE ? ORDER BY number",
                f"%-{year}-%",
            )
        ]
        assert sequences == list(range(1, len(sequences) + 1)), SEED
        check_survivor(home, smoke=attempt == 0)
