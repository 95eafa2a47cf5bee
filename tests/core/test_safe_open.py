"""Safe opening: one program per database, no network shares, full disks, damaged files."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from safety_helpers import add_village, can_mount, count_villages, small_filesystem
from sqlalchemy import event

from familydoc.core import safety, setup
from familydoc.core.context import AppContext
from familydoc.core.db import Database, open_database
from familydoc.core.instance_lock import AlreadyRunning, InstanceLock, lock_path, read_holder
from familydoc.core.integrity import full_check
from familydoc.core.safety import (
    DatabaseDamaged,
    DiskFull,
    NetworkShareRefused,
    network_share_kind,
    parse_mounts,
    storage_error,
)

REPO_ROOT = Path(__file__).resolve().parents[2]


def test_second_lock_on_a_database_says_who_holds_it(tmp_path: Path) -> None:
    database = tmp_path / "familydoc.sqlite3"
    first = InstanceLock(database)
    first.acquire("gui")
    first.set_user("王卫东")
    try:
        with pytest.raises(AlreadyRunning) as caught:
            InstanceLock(database).acquire("gui")
        message = caught.value.render()
        assert "already running" in message
        assert "王卫东" in message and str(os.getpid()) in message
        holder = read_holder(lock_path(database))
        assert holder is not None and holder.user == "王卫东"
    finally:
        first.release()
    second = InstanceLock(database)
    second.acquire("gui")  # free again once released
    second.release()


def test_the_lock_dies_with_a_killed_process(tmp_path: Path) -> None:
    database = tmp_path / "familydoc.sqlite3"
    script = textwrap.dedent(
        f"""
        import sys, time
        from pathlib import Path
        from familydoc.core.instance_lock import InstanceLock
        lock = InstanceLock(Path({str(database)!r}))
        lock.acquire("gui", user="zhao")
        print("locked", flush=True)
        time.sleep(60)
        """
    )
    child = subprocess.Popen(
        [sys.executable, "-c", script],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "locked"
        with pytest.raises(AlreadyRunning, match="zhao"):
            InstanceLock(database).acquire()
        os.kill(child.pid, signal.SIGKILL)
        child.wait(10)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    lock = InstanceLock(database)
    lock.acquire()  # no stale lock after kill -9
    lock.release()


MOUNTS = """\
/dev/vda / ext4 rw,relatime 0 0
server:/export /mnt/nfs nfs4 rw,relatime 0 0
//nas/clinic /media/clinic\\040share cifs rw 0 0
/dev/sdb1 /media/usb vfat rw 0 0
sshfs#pc:/x /home/a/remote fuse.sshfs rw 0 0
"""


def test_network_shares_are_recognised() -> None:
    mounts = parse_mounts(MOUNTS)
    linux = "linux"
    assert (
        network_share_kind(Path("/mnt/nfs/fd/familydoc.sqlite3"), platform=linux, mounts=mounts)
        == "nfs4"
    )
    assert (
        network_share_kind(
            Path("/media/clinic share/familydoc.sqlite3"), platform=linux, mounts=mounts
        )
        == "cifs"
    )
    assert network_share_kind(Path("/home/a/remote/db.sqlite3"), platform=linux, mounts=mounts) == (
        "fuse.sshfs"
    )
    assert network_share_kind(Path("/media/usb/db.sqlite3"), platform=linux, mounts=mounts) is None
    assert network_share_kind(Path("/mnt/nfsx/db.sqlite3"), platform=linux, mounts=mounts) is None
    assert network_share_kind(Path("/home/a/db.sqlite3"), platform=linux, mounts=mounts) is None
    win = "win32"
    assert network_share_kind(Path(r"\\server\share\familydoc.sqlite3"), platform=win) == "UNC"
    assert network_share_kind(Path("//server/share/familydoc.sqlite3"), platform=win) == "UNC"
    assert network_share_kind(Path(r"\\?\C:\data\familydoc.sqlite3"), platform=win) is None
    assert network_share_kind(Path(r"\\?\UNC\server\share\x.sqlite3"), platform=win) == "UNC"


def test_a_database_on_a_network_share_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # This machine's mount table, with the test folder mounted from a NAS.
    real = safety._mount_table()
    monkeypatch.setattr(safety, "_mount_table", lambda: [*real, (str(tmp_path.resolve()), "cifs")])
    with pytest.raises(NetworkShareRefused) as caught:
        open_database(f"sqlite:///{(tmp_path / 'familydoc.sqlite3').as_posix()}")
    message = caught.value.render()
    assert "network share (cifs)" in message and "database server" in message
    assert not (tmp_path / "familydoc.sqlite3").exists()  # refused before anything was written


def _limit_pages(context: AppContext, pages: int) -> None:
    """SQLite's own size limit, as a stand-in for a full disk on any machine."""
    context.database.dispose()
    event.listen(
        context.database.engine,
        "connect",
        lambda connection, _record: connection.execute(f"PRAGMA max_page_count = {pages}"),
    )


def _fill(database: Database, first: int) -> tuple[int, DiskFull]:
    """Add villages (each with audit events) until the disk refuses one; returns the count."""
    for index in range(first, first + 100_000):
        try:
            add_village(database, f"{320321000000 + index}", "村" * 40, events=10)
        except DiskFull as full:
            return index - first, full
    raise AssertionError("the disk never filled up")


def test_a_full_database_keeps_the_last_committed_state(initialised: AppContext) -> None:
    path = initialised.database.path
    assert path is not None
    with initialised.database.engine.connect() as connection:
        pages = connection.exec_driver_sql("PRAGMA page_count").scalar()
    _limit_pages(initialised, int(pages) + 40)
    added, full = _fill(initialised.database, 0)
    assert added > 0
    message = full.render()
    assert "disk is full" in message and "intact" in message
    assert count_villages(initialised.database) == added  # the refused transaction left nothing
    initialised.database.dispose()
    report = full_check(path)
    assert report.ok, report.problems
    # With room again, work goes on.
    fresh = open_database(f"sqlite:///{path.as_posix()}")
    try:
        add_village(fresh, "320321999999")
        assert count_villages(fresh) == added + 1
    finally:
        fresh.dispose()


@pytest.mark.skipif(not can_mount(), reason="mounting a small tmpfs needs root")
def test_a_full_disk_keeps_the_last_committed_state(tmp_path: Path) -> None:
    with small_filesystem(tmp_path / "small-disk", "1m") as disk:
        url = f"sqlite:///{(disk / 'familydoc.sqlite3').as_posix()}"
        database = open_database(url)
        with database.unit_of_work() as session:
            setup.initialise(
                session,
                institution_code="320321110",
                institution_name="满盘镇卫生院",
                admin_username="admin",
                admin_password="admin-pass-1",
            )
        added, full = _fill(database, 0)
        assert "disk is full" in full.render() and str(disk) in full.render()
        assert count_villages(database) == added
        database.dispose()
        report = full_check(disk / "familydoc.sqlite3")
        assert report.ok, report.problems
        # Reopening a database on a full disk still works (reading, and the committed state).
        again = open_database(url)
        try:
            assert count_villages(again) == added
        finally:
            again.dispose()


def test_storage_errors_are_put_in_plain_words() -> None:
    full = sqlite3.OperationalError("database or disk is full")
    assert isinstance(storage_error(full, Path("/data/familydoc.sqlite3")), DiskFull)
    assert isinstance(
        storage_error(sqlite3.DatabaseError("database disk image is malformed")), DatabaseDamaged
    )
    io = storage_error(sqlite3.OperationalError("disk I/O error"))
    assert io is not None and "could not read or write" in io.render()
    assert storage_error(sqlite3.OperationalError("no such table: x")) is None
    assert storage_error(ValueError("x")) is None


def test_a_database_found_damaged_refuses_every_write(initialised: AppContext) -> None:
    initialised.database.damaged = DatabaseDamaged(safety.DAMAGED_MESSAGE, reason="test")
    with pytest.raises(DatabaseDamaged):
        add_village(initialised.database, "320321110201")
    assert count_villages(initialised.database) == 0  # reading still works


def test_the_lock_file_holds_no_secret_and_is_owner_only(tmp_path: Path) -> None:
    lock = InstanceLock(tmp_path / "familydoc.sqlite3")
    lock.acquire()
    try:
        assert oct(lock.path.stat().st_mode & 0o777) == "0o600"
        assert time.time() - lock.path.stat().st_mtime < 60
    finally:
        lock.release()
