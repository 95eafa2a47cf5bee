"""Backups: checked copies made with the backup API, rotation, a second folder, full disks."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from safety_helpers import (
    add_village,
    can_mount,
    damage_table,
    rows,
    small_filesystem,
    village_codes,
)

from familydoc.core import backup
from familydoc.core.auth import Actor
from familydoc.core.backup import BackupEntry, BackupFailed, BackupNoSpace
from familydoc.core.context import AppContext
from familydoc.core.integrity import full_check

UTC = dt.UTC
ROOT = os.geteuid() == 0 if hasattr(os, "geteuid") else False
needs_mount = pytest.mark.skipif(not can_mount(), reason="mounting a small tmpfs needs root")


def _backup(context: AppContext, **kwargs: object) -> backup.BackupResult:
    return backup.make_backup(context.home, context.database, **kwargs)  # type: ignore[arg-type]


def test_backup_is_a_checked_single_file_named_by_time_and_kind(
    initialised: AppContext,
) -> None:
    add_village(initialised.database, "320321110201", "青山村")
    seen: list[tuple[int, int]] = []
    result = _backup(initialised, kind="manual", progress=lambda d, t, _x: seen.append((d, t)))
    assert result.path.parent == initialised.home.backups_dir
    assert backup.parse_name(result.path.name) is not None
    assert result.path.name.endswith("-manual.sqlite3")
    assert seen and seen[-1][0] == seen[-1][1]  # progress reached 100%
    # One self-contained file: rollback journal mode, no -wal beside it, owner-only.
    assert result.path.read_bytes()[18:20] == b"\x01\x01"
    assert not Path(str(result.path) + "-wal").exists()
    assert oct(result.path.stat().st_mode & 0o777) == "0o600"
    assert rows(result.path, "PRAGMA integrity_check") == [("ok",)]
    assert rows(result.path, "SELECT code FROM village") == [("320321110201",)]
    assert full_check(result.path).ok
    assert not list(initialised.home.backups_dir.glob("*.part*"))
    newest = backup.last_good_backup(initialised.home.backups_dir)
    assert newest is not None and newest.path == result.path


def test_backup_started_over_when_another_connection_writes(initialised: AppContext) -> None:
    """SQLite restarts a stepped backup after a write by another connection; we still finish."""
    for index in range(60):
        add_village(initialised.database, f"3203211102{index:02d}", "村" * 40, events=20)
    writer = sqlite3.connect(initialised.database.path)  # type: ignore[arg-type]
    writes = {"n": 0}

    def progress(done: int, total: int, _text: str) -> None:
        if writes["n"] < 3 and done < total:
            writes["n"] += 1
            writer.execute("UPDATE institution SET phone = ?", (str(writes["n"]),))
            writer.commit()

    original = backup.STEP_PAGES
    backup.STEP_PAGES = 4
    try:
        result = _backup(initialised, progress=progress)
    finally:
        backup.STEP_PAGES = original
        writer.close()
    assert writes["n"] >= 2
    assert rows(result.path, "PRAGMA integrity_check") == [("ok",)]
    assert rows(result.path, "SELECT count(*) FROM village") == [(60,)]


def _entry(moment: dt.datetime, kind: str = "auto") -> BackupEntry:
    return BackupEntry(Path(backup.backup_name(moment, kind)), moment, kind, 1)


def test_rotation_keeps_7_daily_4_weekly_12_monthly() -> None:
    start = dt.datetime(2025, 1, 1, 8, tzinfo=UTC)
    # Three backups a day for 500 days, and the odd pre-restore copy.
    entries = [
        _entry(start + dt.timedelta(days=d, hours=h)) for d in range(500) for h in (0, 4, 9)
    ] + [_entry(start + dt.timedelta(days=3), "pre-restore")]
    keep, delete = backup.plan_rotation(entries)
    newest = max(e.made_at for e in entries if e.kind == "auto")
    kept_days = sorted({e.made_at.astimezone().date() for e in keep}, reverse=True)
    last_day = newest.astimezone().date()
    # The newest backup of each of the last 7 days...
    for offset in range(7):
        day = last_day - dt.timedelta(days=offset)
        newest_of_day = max(e.made_at for e in entries if e.made_at.astimezone().date() == day)
        assert any(e.made_at == newest_of_day for e in keep)
    # ...then one per week for 4 weeks and one per month for 12 months.
    months = {(e.made_at.year, e.made_at.month) for e in keep}
    assert len(months) == 12
    assert len(keep) <= 7 + 4 + 12
    assert kept_days[0] == last_day
    assert all(e.kind == "auto" for e in keep + delete)  # other kinds are never rotated
    assert len(keep) + len(delete) == 1500


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.datetimes(
            min_value=dt.datetime(2024, 1, 1),
            max_value=dt.datetime(2027, 1, 1),
            timezones=st.just(UTC),
        ),
        min_size=1,
        max_size=80,
        unique=True,
    )
)
def test_rotation_never_deletes_the_newest_and_keeps_at_most_23(moments: list[dt.datetime]) -> None:
    entries = [_entry(moment) for moment in moments]
    keep, delete = backup.plan_rotation(entries)
    assert max(moments) in {e.made_at for e in keep}
    assert len(keep) <= 23
    assert {e.path for e in keep}.isdisjoint({e.path for e in delete})
    assert len(keep) + len(delete) == len(entries)
    # Every one of the 7 most recent days that has a backup keeps its newest one.
    days = sorted({m.astimezone().date() for m in moments}, reverse=True)[:7]
    for day in days:
        newest = max(m for m in moments if m.astimezone().date() == day)
        assert newest in {e.made_at for e in keep}


def test_making_a_backup_rotates_the_folder(initialised: AppContext) -> None:
    first = _backup(initialised)
    folder = initialised.home.backups_dir
    now = dt.datetime.now(UTC)
    for days in range(1, 40):
        old = folder / backup.backup_name(now - dt.timedelta(days=days), "auto")
        shutil.copyfile(first.path, old)
    (folder / "familydoc-20200101-000000+0000-auto.sqlite3.part").write_bytes(b"half")
    result = _backup(initialised, kind="auto")
    names = {e.path.name for e in backup.list_backups(folder)}
    assert result.path.name in names
    assert len([n for n in names if n.endswith("-auto.sqlite3")]) <= 7 + 4 + 12
    assert result.removed  # 40 days of backups do not all stay
    assert not list(folder.glob("*.part"))  # an unfinished copy of a crash is cleared


def test_second_folder_gets_a_checked_copy(initialised: AppContext, tmp_path: Path) -> None:
    usb = tmp_path / "usb"
    usb.mkdir()
    initialised.config().set("backup.second_folder", str(usb))
    result = _backup(initialised)
    assert result.warnings == ()
    assert result.second_copy == usb / result.path.name
    assert rows(result.second_copy, "PRAGMA integrity_check") == [("ok",)]


def test_missing_second_folder_is_reported_not_fatal(
    initialised: AppContext, tmp_path: Path
) -> None:
    initialised.config().set("backup.second_folder", str(tmp_path / "unplugged-usb"))
    result = _backup(initialised)
    assert result.path.exists()
    assert result.second_copy is None
    [warning] = result.warnings
    assert "not available" in warning.render()
    assert not (tmp_path / "unplugged-usb").exists()  # never created on the wrong disk


@pytest.mark.skipif(not ROOT and os.name != "posix", reason="needs POSIX permissions")
def test_unwritable_second_folder_is_reported(initialised: AppContext, tmp_path: Path) -> None:
    target = tmp_path / "readonly"
    if ROOT:
        if not can_mount():
            pytest.skip("root cannot be kept from writing without a read-only mount")
        context = small_filesystem(target, "16m", read_only=True)
    else:
        target.mkdir()
        target.chmod(0o500)
        context = None
    initialised.config().set("backup.second_folder", str(target))
    try:
        if context is not None:
            context.__enter__()
        result = _backup(initialised)
    finally:
        if context is not None:
            context.__exit__(None, None, None)
        else:
            target.chmod(0o700)
    assert result.path.exists()
    [warning] = result.warnings
    assert "cannot be written" in warning.render()


@needs_mount
def test_full_second_folder_is_reported(initialised: AppContext, tmp_path: Path) -> None:
    for index in range(40):
        add_village(initialised.database, f"3203211102{index:02d}", "村" * 40, events=40)
    with small_filesystem(tmp_path / "small-usb", "256k") as usb:
        initialised.config().set("backup.second_folder", str(usb))
        result = _backup(initialised)
        assert result.path.exists()
        [warning] = result.warnings
        assert "full" in warning.render()
        assert list(usb.iterdir()) == []


@needs_mount
def test_full_disk_refuses_the_backup_and_leaves_nothing_half_written(
    initialised: AppContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for index in range(40):
        add_village(initialised.database, f"3203211102{index:02d}", "村" * 40, events=40)
    with small_filesystem(initialised.home.backups_dir, "256k") as folder:
        # Refused before writing when the free space is known to be too small...
        with pytest.raises(BackupNoSpace, match="Not enough space"):
            _backup(initialised)
        # ...and when the disk fills up during the copy (free space unknown, or used by others).
        monkeypatch.setattr(backup, "_free_space", lambda _folder: None)
        with pytest.raises(BackupNoSpace, match="did not fit"):
            _backup(initialised)
        assert list(folder.iterdir()) == []
    assert full_check(initialised.database.path).ok  # type: ignore[arg-type]


@needs_mount
def test_read_only_backups_folder_is_reported_in_the_systems_words(
    initialised: AppContext,
) -> None:
    with small_filesystem(initialised.home.backups_dir, "16m", read_only=True):
        with pytest.raises(BackupFailed, match="could not be written") as caught:
            _backup(initialised)
    assert "Read-only file system" in caught.value.render()


def test_backups_folder_blocked_by_a_file_is_reported(initialised: AppContext) -> None:
    folder = initialised.home.backups_dir
    folder.rmdir()
    folder.write_text("not a folder")
    with pytest.raises(BackupFailed, match="could not be written"):
        _backup(initialised)


def test_a_damaged_database_never_counts_as_a_backup(initialised: AppContext) -> None:
    good = _backup(initialised)
    for index in range(30):
        add_village(initialised.database, f"3203211102{index:02d}", "村" * 40, events=30)
    initialised.database.dispose()
    damage_table(initialised.database.path, "audit_event")  # type: ignore[arg-type]
    with pytest.raises(BackupFailed) as caught:
        _backup(initialised)
    assert "integrity" in caught.value.render() or "damage" in caught.value.render().lower()
    assert (
        backup.last_good_backup(initialised.home.backups_dir)
        == backup.list_backups(initialised.home.backups_dir)[0]
    )
    assert [e.path for e in backup.list_backups(initialised.home.backups_dir)] == [good.path]
    assert not list(initialised.home.backups_dir.glob("*.part*"))


def test_backup_to_a_chosen_file(initialised: AppContext, tmp_path: Path) -> None:
    target = tmp_path / "stick" / "copy.sqlite3"
    target.parent.mkdir()
    result = _backup(initialised, output=target)
    assert result.path == target and target.exists()
    assert backup.list_backups(initialised.home.backups_dir) == []  # not rotated, not listed
    with pytest.raises(BackupFailed, match="already exists"):
        _backup(initialised, output=target)
    with pytest.raises(BackupFailed, match="does not exist"):
        _backup(initialised, output=tmp_path / "no-such-folder" / "x.sqlite3")


def test_stale_and_due(initialised: AppContext) -> None:
    now = dt.datetime.now(UTC)
    assert backup.is_stale(None) and backup.due_for_automatic(None)
    fresh = _entry(now - dt.timedelta(hours=3))
    assert not backup.is_stale(fresh, now) and not backup.due_for_automatic(fresh, now)
    day_old = _entry(now - dt.timedelta(hours=25))
    assert not backup.is_stale(day_old, now) and backup.due_for_automatic(day_old, now)
    assert backup.is_stale(_entry(now - dt.timedelta(days=2, minutes=1)), now)


def test_record_backup_writes_an_audit_event(initialised: AppContext, admin: Actor) -> None:
    result = _backup(initialised)
    with initialised.database.unit_of_work() as session:
        backup.record_backup(session, admin, result)
    assert rows(
        initialised.database.path,  # type: ignore[arg-type]
        "SELECT action, entity_id FROM audit_event ORDER BY id DESC LIMIT 1",
    ) == [("backup.create", result.path.name)]
    assert village_codes(initialised.database) == set()
