"""Restore: validation, a copy of the current database first, old backups upgraded, audited."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from alembic import command
from argon2 import PasswordHasher
from safety_helpers import add_village, damage_header, damage_table, rows, village_codes

from familydoc.core import backup, setup
from familydoc.core.auth import Actor
from familydoc.core.backup import OtherInstitution, RestoreRefused
from familydoc.core.config import Home
from familydoc.core.context import AppContext
from familydoc.core.db import alembic_config, head_revision, open_database
from familydoc.core.errors import AuthenticationFailed, PermissionDenied
from familydoc.core.integrity import full_check

# The accounts and institution of the ``initialised`` fixture (tests/conftest.py).
ADMIN_PASSWORD = "admin-pass-1"
INSTITUTION_CODE = "320321110"
MakeUser = Callable[..., Actor]


def _restore(context: AppContext, source: Path, actor: Actor, **kwargs: object):  # type: ignore[no-untyped-def]
    kwargs.setdefault("current_institution", INSTITUTION_CODE)
    return backup.restore_backup(
        context.home,
        context.database,
        source,
        actor,
        **kwargs,  # type: ignore[arg-type]
    )


def test_restore_brings_back_the_backup_and_keeps_the_current_data(
    initialised: AppContext, admin: Actor
) -> None:
    add_village(initialised.database, "320321110201", "青山村")
    made = backup.make_backup(initialised.home, initialised.database)
    add_village(initialised.database, "320321110202", "河湾村")  # typed after the backup
    phases: list[str] = []
    result = _restore(initialised, made.path, admin, progress=lambda _d, _t, p: phases.append(p))
    assert phases == list(backup.RESTORE_PHASES)
    # The same Database object keeps working and now reads the restored file.
    assert village_codes(initialised.database) == {"320321110201"}
    assert result.previous_copy is not None
    assert result.previous_copy.name.endswith("-pre-restore.sqlite3")
    assert rows(result.previous_copy, "SELECT code FROM village ORDER BY code") == [
        ("320321110201",),
        ("320321110202",),
    ]
    path = initialised.database.path
    assert path is not None
    [(_action, username, changes)] = rows(
        path,
        "SELECT action, username, changes FROM audit_event WHERE action = 'backup.restore'",
    )
    assert username == admin.username and result.previous_copy.name in changes
    assert full_check(path).ok  # integrity, foreign keys, and the audit chain goes on
    assert not backup.staging_path(path).exists()
    add_village(initialised.database, "320321110203", "杨庄村")  # writable afterwards


def _backup_at_0003(tmp_path: Path) -> Path:
    """A backup made by an older familydoc (schema 0003), with audit events of its own."""
    path = tmp_path / "old-familydoc.sqlite3"
    command.upgrade(alembic_config(f"sqlite:///{path.as_posix()}"), "0003")
    connection = sqlite3.connect(path)
    with connection:
        connection.execute(
            "INSERT INTO institution (id, code, name, kind, is_home, created_at)"
            f" VALUES (1, '{INSTITUTION_CODE}', '旧镇卫生院', 'township_centre', 1,"
            " '2025-01-01 00:00:00')"
        )
        connection.execute(
            "INSERT INTO app_user (id, username, display_name, role, password_hash,"
            " failed_logins, disabled, password_changed_at, created_at)"
            " VALUES (1, 'oldadmin', '老管理员', 'admin', ?, 0, 0, '2025-01-01 00:00:00',"
            " '2025-01-01 00:00:00')",
            (PasswordHasher().hash("old-admin-pass"),),
        )
        for index in range(3):
            connection.execute(
                "INSERT INTO audit_event (occurred_at, user_id, username, action, entity_type,"
                " entity_id, changes, workstation) VALUES (?, 1, 'oldadmin', 'login', 'user',"
                " '1', '{}', 'old-pc')",
                (f"2025-01-0{index + 1} 08:00:00.000000",),
            )
    connection.close()
    return path


def test_an_older_backup_is_upgraded_through_the_migrations(
    initialised: AppContext, admin: Actor, tmp_path: Path
) -> None:
    old = _backup_at_0003(tmp_path)
    info = backup.inspect_backup(old)
    assert info.revision == "0003" and info.needs_upgrade
    result = _restore(initialised, old, admin)
    assert (result.from_revision, result.to_revision) == ("0003", head_revision())
    path = initialised.database.path
    assert path is not None
    assert rows(path, "SELECT version_num FROM alembic_version") == [(head_revision(),)]
    report = full_check(path)
    assert report.ok, report.problems
    assert report.audit_events == 4  # three old events sealed by 0004, and the restore
    assert rows(old, "SELECT version_num FROM alembic_version") == [("0003",)]  # untouched


def test_another_institution_needs_a_confirmation(
    initialised: AppContext, admin: Actor, tmp_path: Path
) -> None:
    other = tmp_path / "other"
    other.mkdir()
    database = open_database(f"sqlite:///{(other / 'x.sqlite3').as_posix()}")
    with database.unit_of_work() as session:
        setup.initialise(
            session,
            institution_code="999999999",
            institution_name="别的镇卫生院",
            admin_username="otheradmin",
            admin_password="other-pass-1",
        )
    database.dispose()
    source = other / "x.sqlite3"
    add_village(initialised.database, "320321110201")
    with pytest.raises(OtherInstitution, match="another institution"):
        _restore(initialised, source, admin)
    assert village_codes(initialised.database) == {"320321110201"}  # nothing changed
    assert not list(initialised.home.backups_dir.glob("*pre-restore*"))
    _restore(initialised, source, admin, accept_other_institution=True)
    assert village_codes(initialised.database) == set()
    assert rows(initialised.database.path, "SELECT code FROM institution") == [("999999999",)]  # type: ignore[arg-type]


def test_damaged_foreign_and_newer_files_are_refused(
    initialised: AppContext, admin: Actor, tmp_path: Path
) -> None:
    add_village(initialised.database, "320321110201")
    good = backup.make_backup(initialised.home, initialised.database)
    damaged = tmp_path / "damaged.sqlite3"
    damaged.write_bytes(good.path.read_bytes())
    damage_table(damaged, "institution")
    header = tmp_path / "header.sqlite3"
    header.write_bytes(good.path.read_bytes())
    damage_header(header)
    text = tmp_path / "notes.sqlite3"
    text.write_text("家庭医生签约名单", encoding="utf-8")
    foreign = tmp_path / "foreign.sqlite3"
    sqlite3.connect(foreign).execute("CREATE TABLE t (x)").connection.close()
    newer = tmp_path / "newer.sqlite3"
    newer.write_bytes(good.path.read_bytes())
    connection = sqlite3.connect(newer)
    connection.execute("UPDATE alembic_version SET version_num = '9999'")
    connection.commit()
    connection.close()

    for path, message in (
        (damaged, "damaged"),
        (header, "not a familydoc database"),
        (text, "not a familydoc database"),
        (foreign, "not a familydoc database"),
        (newer, "newer version"),
        (tmp_path / "missing.sqlite3", "There is no file"),
    ):
        with pytest.raises(RestoreRefused, match=message):
            backup.inspect_backup(path)
        with pytest.raises(RestoreRefused, match=message):
            _restore(initialised, path, admin)
    assert village_codes(initialised.database) == {"320321110201"}
    assert not list(initialised.home.backups_dir.glob("*pre-restore*"))
    assert not backup.staging_path(initialised.database.path).exists()  # type: ignore[arg-type]
    with pytest.raises(RestoreRefused, match="in use"):
        _restore(initialised, initialised.database.path, admin)  # type: ignore[arg-type]


def test_only_administrators_restore(initialised: AppContext, make_user: MakeUser) -> None:
    made = backup.make_backup(initialised.home, initialised.database)
    supervisor = make_user("supervisor")
    with pytest.raises(PermissionDenied):
        _restore(initialised, made.path, supervisor)


def test_new_computer_restores_with_the_backups_own_administrator(
    tmp_path: Path, initialised: AppContext, make_user: MakeUser
) -> None:
    make_user("clerk", "luru")
    add_village(initialised.database, "320321110201")
    made = backup.make_backup(initialised.home, initialised.database)
    with pytest.raises(AuthenticationFailed):
        backup.verify_administrator(made.path, "admin", "wrong-password")
    with pytest.raises(AuthenticationFailed):
        backup.verify_administrator(made.path, "nobody", "x")
    with pytest.raises(PermissionDenied):
        backup.verify_administrator(made.path, "luru", "user-pass-1")
    actor = backup.verify_administrator(made.path, "admin", ADMIN_PASSWORD)

    fresh = Home(tmp_path / "new-pc")
    fresh.ensure()
    database = open_database(fresh.database_url, migrate=False)
    try:
        result = backup.restore_backup(fresh, database, made.path, actor, current_institution=None)
        assert result.previous_copy is None
        assert village_codes(database) == {"320321110201"}
    finally:
        database.dispose()
    assert full_check(fresh.database_file).ok


def test_a_damaged_current_database_is_kept_raw_and_replaced(
    initialised: AppContext, admin: Actor
) -> None:
    for index in range(20):
        add_village(initialised.database, f"3203211102{index:02d}", "村" * 30, events=30)
    made = backup.make_backup(initialised.home, initialised.database)
    initialised.database.dispose()
    path = initialised.database.path
    assert path is not None
    damage_table(path, "audit_event")
    result = _restore(initialised, made.path, admin)
    assert result.previous_copy is not None and result.previous_copy.suffix == ".damaged"
    assert result.previous_copy.stat().st_size > 0
    assert full_check(path).ok
    assert len(village_codes(initialised.database)) == 20


def test_leftovers_of_a_crashed_restore_are_cleared(initialised: AppContext, admin: Actor) -> None:
    made = backup.make_backup(initialised.home, initialised.database)
    path = initialised.database.path
    assert path is not None
    staging = backup.staging_path(path)
    staging.write_bytes(b"half a database")
    Path(str(staging) + "-journal").write_bytes(b"x")
    backup.clear_restore_leftovers(path)
    assert not staging.exists() and not Path(str(staging) + "-journal").exists()
    staging.write_bytes(b"half a database")
    _restore(initialised, made.path, admin)
    assert not staging.exists()
