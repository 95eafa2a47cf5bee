"""``familydoc backup``, ``restore`` and ``check`` as scripts and administrators use them."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from safety_helpers import add_village, damage_table, rows, run_familydoc

from familydoc.core import backup
from familydoc.core.context import AppContext
from familydoc.core.instance_lock import InstanceLock

ADMIN_PASSWORD = "admin-pass-1"  # the ``initialised`` fixture's administrator


def _home(context: AppContext) -> Path:
    context.database.dispose()
    return context.home.path


def test_backup_needs_a_user_and_makes_a_checked_backup(initialised: AppContext) -> None:
    home = _home(initialised)
    refused = run_familydoc("backup", home=home)
    assert refused.returncode == 2 and "--user" in refused.stderr
    made = run_familydoc("backup", "--user", "admin", home=home, password=ADMIN_PASSWORD)
    assert made.returncode == 0, made.stderr
    assert "Backup checked and saved" in made.stdout
    [entry] = backup.list_backups(initialised.home.backups_dir)
    assert entry.kind == "manual" and str(entry.path) in made.stdout
    assert rows(
        initialised.home.database_file,
        "SELECT action, username FROM audit_event ORDER BY id DESC LIMIT 1",
    ) == [("backup.create", "admin")]
    target = home.parent / "stick.sqlite3"
    chosen = run_familydoc(
        "backup", "-o", str(target), "--user", "admin", home=home, password=ADMIN_PASSWORD
    )
    assert chosen.returncode == 0 and target.exists()
    again = run_familydoc(
        "backup", "-o", str(target), "--user", "admin", home=home, password=ADMIN_PASSWORD
    )
    assert again.returncode == 1 and "already exists" in again.stderr


def test_check_reports_an_edited_audit_event_in_chinese(initialised: AppContext) -> None:
    add_village(initialised.database, "320321110201", events=2)
    backup.make_backup(initialised.home, initialised.database)
    home = _home(initialised)
    ok = run_familydoc("check", home=home)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "Audit log hash chain: ok (5 events)" in ok.stdout
    connection = sqlite3.connect(initialised.home.database_file)
    with connection:
        connection.execute("DROP TRIGGER trg_audit_event_no_update")
        connection.execute("UPDATE audit_event SET changes = '{}' WHERE id = 4")
    connection.close()
    caught = run_familydoc("check", home=home, lang="zh_CN")
    assert caught.returncode == 1
    assert "审计事件 4 在写入后被修改过" in caught.stdout
    assert "最近的完好备份" in caught.stdout


def test_check_finds_a_damaged_file_and_points_to_the_newest_backup(
    initialised: AppContext,
) -> None:
    for index in range(20):
        add_village(initialised.database, f"3203211102{index:02d}", "村" * 30, events=20)
    made = backup.make_backup(initialised.home, initialised.database)
    home = _home(initialised)
    damage_table(initialised.home.database_file, "audit_event")
    quick = run_familydoc("check", "--quick", home=home)
    assert quick.returncode == 1
    assert "damaged" in quick.stdout and "familydoc restore" in quick.stdout
    assert str(made.path) in quick.stdout


def test_restore_asks_for_confirmation_and_permission(
    initialised: AppContext, make_user: object
) -> None:
    make_user("supervisor", "yuanzhang")  # type: ignore[operator]
    add_village(initialised.database, "320321110201")
    made = backup.make_backup(initialised.home, initialised.database)
    add_village(initialised.database, "320321110202")
    home = _home(initialised)
    unconfirmed = run_familydoc("restore", str(made.path), "--user", "admin", home=home)
    assert unconfirmed.returncode == 2 and "--yes" in unconfirmed.stderr
    supervisor = run_familydoc(
        "restore", str(made.path), "--user", "yuanzhang", "--yes", home=home, password="user-pass-1"
    )
    assert supervisor.returncode == 1 and "not allowed to restore" in supervisor.stderr
    done = run_familydoc(
        "restore", str(made.path), "--user", "admin", "--yes", home=home, password=ADMIN_PASSWORD
    )
    assert done.returncode == 0, done.stderr
    assert "Restored" in done.stdout and "pre-restore" in done.stdout
    assert rows(initialised.home.database_file, "SELECT code FROM village") == [("320321110201",)]


def test_restore_is_refused_while_the_program_runs(initialised: AppContext) -> None:
    made = backup.make_backup(initialised.home, initialised.database)
    home = _home(initialised)
    lock = InstanceLock(initialised.home.database_file)
    lock.acquire("gui", user="王卫东")
    try:
        refused = run_familydoc(
            "restore",
            str(made.path),
            "--user",
            "admin",
            "--yes",
            home=home,
            password=ADMIN_PASSWORD,
            lang="zh_CN",
        )
    finally:
        lock.release()
    assert refused.returncode == 1
    assert "王卫东" in refused.stderr and "已在运行" in refused.stderr


def test_restore_over_a_damaged_database_checks_the_backups_administrator(
    initialised: AppContext,
) -> None:
    for index in range(20):
        add_village(initialised.database, f"3203211102{index:02d}", "村" * 30, events=20)
    made = backup.make_backup(initialised.home, initialised.database)
    home = _home(initialised)
    damage_table(initialised.home.database_file, "audit_event")
    wrong = run_familydoc(
        "restore", str(made.path), "--user", "admin", "--yes", home=home, password="nope-nope"
    )
    assert wrong.returncode == 5
    done = run_familydoc(
        "restore", str(made.path), "--user", "admin", "--yes", home=home, password=ADMIN_PASSWORD
    )
    assert done.returncode == 0, done.stderr
    assert "damaged" in done.stderr
    assert ".damaged" in done.stdout  # the damaged file is kept for the record
    assert run_familydoc("check", home=home).returncode == 0
