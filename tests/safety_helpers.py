"""Helpers of the data-safety tests (backups, checks, crashes): damage files, small disks."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import func, select

from familydoc.core import audit
from familydoc.core.db import Database
from familydoc.core.models import Village


def rows(path: Path, sql: str, *params: object) -> list[tuple]:
    connection = sqlite3.connect(path)
    try:
        return connection.execute(sql, params).fetchall()
    finally:
        connection.close()


def add_village(database: Database, code: str, name: str = "测试村", events: int = 1) -> None:
    """One transaction: a village and ``events`` audit events about it."""
    with database.unit_of_work() as session:
        session.add(Village(code=code, name=name))
        session.flush()
        for index in range(events):
            audit.record(
                session,
                user_id=None,
                username="tester",
                action="village.create",
                entity_type="village",
                entity_id=code,
                changes={"name": name, "part": index},
            )


def village_codes(database: Database) -> set[str]:
    with database.read() as session:
        return set(session.scalars(select(Village.code)))


def count_villages(database: Database) -> int:
    with database.read() as session:
        return int(session.scalar(select(func.count()).select_from(Village)) or 0)


def damage_table(path: Path, table: str = "resident") -> None:
    """Overwrite the b-tree header of ``table``'s root page, as a dying disk would."""
    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        connection.execute("PRAGMA journal_mode = DELETE")
        page_size = connection.execute("PRAGMA page_size").fetchone()[0]
        root = connection.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)
        ).fetchone()[0]
    finally:
        connection.close()
    with open(path, "r+b") as handle:
        handle.seek((root - 1) * page_size)
        handle.write(b"\x7f" * 64)


def damage_header(path: Path) -> None:
    with open(path, "r+b") as handle:
        handle.write(b"NOT A DATABASE!!")


def can_mount() -> bool:
    if os.geteuid() != 0:
        return False
    probe = Path("/tmp") / f"familydoc-mount-probe-{os.getpid()}"
    probe.mkdir(exist_ok=True)
    try:
        result = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(probe)],
            capture_output=True,
            check=False,
        )
        if result.returncode != 0:
            return False
        subprocess.run(["umount", str(probe)], check=False, capture_output=True)
        return True
    except OSError:
        return False
    finally:
        with contextlib.suppress(OSError):
            probe.rmdir()


@contextlib.contextmanager
def small_filesystem(folder: Path, size: str, read_only: bool = False) -> Iterator[Path]:
    """A real small (or read-only) tmpfs mounted on ``folder`` (needs root)."""
    folder.mkdir(parents=True, exist_ok=True)
    options = f"size={size}" + (",ro" if read_only else "")
    subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)], check=True)
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


REPO_ROOT = Path(__file__).resolve().parent.parent


def child_environment(**extra: str) -> dict[str, str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("FAMILYDOC_")}
    environment.update(
        PYTHONPATH=str(REPO_ROOT), PYTHONIOENCODING="utf-8", QT_QPA_PLATFORM="offscreen"
    )
    environment.update(extra)
    return environment


def run_familydoc(
    *args: str,
    home: Path,
    lang: str = "en",
    password: str | None = None,
    timeout: float = 120,
) -> subprocess.CompletedProcess[str]:
    """``python -m familydoc --home HOME --lang LANG ARGS`` as a script would run it."""
    import sys

    extra = {"FAMILYDOC_PASSWORD": password} if password is not None else {}
    result = subprocess.run(
        [sys.executable, "-m", "familydoc", "--home", str(home), "--lang", lang, *args],
        env=child_environment(**extra),
        cwd=REPO_ROOT,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
    )
    assert "Traceback" not in result.stderr, result.stderr
    assert "Traceback" not in result.stdout, result.stdout
    return result
