"""Checks: SQLite's own, foreign keys, and the audit log's hash chain catching edits."""

from __future__ import annotations

import itertools
import sqlite3
from pathlib import Path

import pytest
from alembic import command
from safety_helpers import add_village, damage_header, damage_table, rows
from sqlalchemy import delete, update
from sqlalchemy.exc import IntegrityError

from familydoc.core import audit_chain
from familydoc.core.context import AppContext
from familydoc.core.db import alembic_config, open_database
from familydoc.core.integrity import full_check, quick_check
from familydoc.core.models import AuditEvent


def _path(context: AppContext) -> Path:
    path = context.database.path
    assert path is not None
    return path


def _tamper(path: Path, *statements: str) -> None:
    """What someone with a database tool does: drop the guards, then edit."""
    connection = sqlite3.connect(path)
    with connection:
        for name in ("trg_audit_event_no_update", "trg_audit_event_no_delete"):
            connection.execute(f"DROP TRIGGER IF EXISTS {name}")
        for statement in statements:
            connection.execute(statement)
    connection.close()


def _kinds(path: Path) -> list[str]:
    return [p.render() for p in full_check(path).problems]


def test_a_healthy_database_passes_every_check(initialised: AppContext) -> None:
    add_village(initialised.database, "320321110201", events=5)
    report = full_check(_path(initialised))
    assert report.ok, report.problems
    assert report.audit_events == 8  # init: 3 events; the village: 5
    assert report.checks == ("integrity_check", "foreign_key_check", "audit_chain")
    assert quick_check(_path(initialised)).ok


def test_every_event_is_sealed_in_its_own_transaction(initialised: AppContext) -> None:
    add_village(initialised.database, "320321110201", events=3)
    sealed = rows(
        _path(initialised), "SELECT id, chain_prev, chain_hash FROM audit_event ORDER BY id"
    )
    assert sealed[0][1] == ""  # the first event starts the chain
    for (_id, _prev, seal), (_next_id, next_prev, _next_seal) in itertools.pairwise(sealed):
        assert next_prev == seal
    assert rows(
        _path(initialised), "SELECT last_id, last_hash, event_count FROM audit_chain_head"
    ) == [(sealed[-1][0], sealed[-1][2], len(sealed))]


def test_the_audit_log_is_append_only(initialised: AppContext) -> None:
    with pytest.raises(IntegrityError, match="append-only"):
        with initialised.database.unit_of_work() as session:
            session.execute(update(AuditEvent).values(username="someone-else"))
    with pytest.raises(IntegrityError, match="append-only"):
        with initialised.database.unit_of_work() as session:
            session.execute(delete(AuditEvent))
    # Another tool (without familydoc's seal function) cannot add events either.
    connection = sqlite3.connect(_path(initialised))
    with pytest.raises(sqlite3.OperationalError, match="familydoc_audit_hash"):
        connection.execute(
            "INSERT INTO audit_event (occurred_at, action, entity_type, changes)"
            " VALUES ('2026-01-01 00:00:00', 'x', 'y', '{}')"
        )
    connection.close()
    assert full_check(_path(initialised)).ok


def test_an_edited_event_is_caught(initialised: AppContext) -> None:
    add_village(initialised.database, "320321110201", events=3)
    path = _path(initialised)
    initialised.database.dispose()
    _tamper(path, "UPDATE audit_event SET username = 'nobody' WHERE id = 4")
    messages = _kinds(path)
    assert "Audit event 4 was changed after it was written." in messages
    assert any("protection" in m for m in messages)
    assert not full_check(path).damaged  # the file is sound; the log was tampered with


def test_a_removed_event_is_caught(initialised: AppContext) -> None:
    add_village(initialised.database, "320321110201", events=3)
    path = _path(initialised)
    initialised.database.dispose()
    _tamper(path, "DELETE FROM audit_event WHERE id = 3")
    assert any("breaks before event 4" in m for m in _kinds(path))


def test_removing_the_newest_events_is_caught(initialised: AppContext) -> None:
    add_village(initialised.database, "320321110201", events=3)
    path = _path(initialised)
    initialised.database.dispose()
    _tamper(path, "DELETE FROM audit_event WHERE id > 4")
    assert any("newest audit events were removed" in m and "event 6" in m for m in _kinds(path))


def test_an_edit_that_recomputes_one_seal_is_still_caught(initialised: AppContext) -> None:
    add_village(initialised.database, "320321110201", events=3)
    path = _path(initialised)
    initialised.database.dispose()
    connection = sqlite3.connect(path)
    audit_chain.register(connection)
    columns = ", ".join(audit_chain.SEALED_COLUMNS)
    row = connection.execute(
        f"SELECT chain_prev, {columns} FROM audit_event WHERE id = 4"
    ).fetchone()
    values = list(row[1:])
    values[3] = "nobody"  # username
    forged = audit_chain.event_hash(row[0], *values)
    connection.close()
    _tamper(
        path, f"UPDATE audit_event SET username = 'nobody', chain_hash = '{forged}' WHERE id = 4"
    )
    assert any("breaks before event 5" in m for m in _kinds(path))


def test_an_event_added_by_hand_is_caught(initialised: AppContext) -> None:
    path = _path(initialised)
    initialised.database.dispose()
    _tamper(
        path,
        "DROP TRIGGER trg_audit_event_seal",
        "INSERT INTO audit_event (occurred_at, action, entity_type, changes)"
        " VALUES ('2026-01-01 00:00:00', 'login', 'user', '{}')",
    )
    assert any("added outside familydoc" in m for m in _kinds(path))


def test_a_broken_reference_is_caught_by_the_foreign_key_check(initialised: AppContext) -> None:
    path = _path(initialised)
    initialised.database.dispose()
    connection = sqlite3.connect(path)
    with connection:
        connection.execute("PRAGMA foreign_keys = OFF")
        connection.execute(
            "INSERT INTO household (id, village_id, number, created_at)"
            " VALUES (77, 4242, 'H1', '2026-01-01 00:00:00')"
        )
    connection.close()
    assert quick_check(path).ok  # quick_check does not look at foreign keys
    messages = _kinds(path)
    assert messages == ["Row 77 of table household points to a missing row of village."]


def test_a_damaged_file_is_caught(initialised: AppContext, tmp_path: Path) -> None:
    for index in range(20):
        add_village(initialised.database, f"3203211102{index:02d}", "村" * 30, events=20)
    initialised.database.dispose()
    copy = tmp_path / "copy.sqlite3"
    copy.write_bytes(_path(initialised).read_bytes())
    damage_table(copy, "audit_event")
    quick = quick_check(copy)
    assert quick.damaged and "SQLite reports damage" in quick.problems[0].render()
    assert full_check(copy).damaged
    damage_header(copy)
    report = quick_check(copy)
    assert report.damaged and report.problems[0].kind == "unreadable"
    assert "file is not a database" in report.as_error().render()


def test_migration_0004_seals_the_events_already_there(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    url = f"sqlite:///{path.as_posix()}"
    command.upgrade(alembic_config(url), "0003")
    connection = sqlite3.connect(path)
    with connection:
        for index in range(5):
            connection.execute(
                "INSERT INTO audit_event (occurred_at, username, action, entity_type, changes)"
                " VALUES (?, 'old', 'login', 'user', '{\"n\": 1}')",
                (f"2025-01-0{index + 1} 08:00:00.000000",),
            )
    connection.close()
    database = open_database(url, backups_dir=tmp_path / "backups")
    try:
        add_village(database, "320321110201", events=2)
    finally:
        database.dispose()
    report = full_check(path)
    assert report.ok, report.problems
    assert report.audit_events == 7
