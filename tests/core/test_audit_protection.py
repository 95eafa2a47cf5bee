"""The audit log's protection triggers are checked by their SQL, not only by their names."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from safety_helpers import add_village, rows

from familydoc.core import audit_chain
from familydoc.core.context import AppContext
from familydoc.core.integrity import full_check


def _path(context: AppContext) -> Path:
    path = context.database.path
    assert path is not None
    return path


def _run(path: Path, *statements: str) -> None:
    connection = sqlite3.connect(path)
    with connection:
        for statement in statements:
            connection.execute(statement)
    connection.close()


def _messages(path: Path) -> list[str]:
    return [problem.render() for problem in full_check(path).problems]


def test_a_new_database_holds_exactly_the_expected_triggers(initialised: AppContext) -> None:
    stored = dict(
        rows(
            _path(initialised),
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"
            " AND tbl_name IN ('audit_event', 'audit_chain_head')",
        )
    )
    assert set(stored) == set(audit_chain.PROTECTION)
    for name, (_table, sql) in audit_chain.PROTECTION.items():
        assert " ".join(stored[name].split()) == " ".join(sql.split())
    assert full_check(_path(initialised)).ok


@pytest.mark.parametrize("name", sorted(audit_chain.PROTECTION))
def test_a_trigger_replaced_by_one_of_the_same_name_that_does_nothing_is_caught(
    initialised: AppContext, name: str
) -> None:
    path = _path(initialised)
    initialised.database.dispose()
    table, sql = audit_chain.PROTECTION[name]
    timing = sql.split(name, 1)[1].split(" ON ")[0].strip()  # e.g. "BEFORE DELETE"
    _run(
        path,
        f"DROP TRIGGER {name}",
        f"CREATE TRIGGER {name} {timing} ON {table} BEGIN SELECT 1; END",
    )
    assert rows(path, "SELECT name FROM sqlite_master WHERE name = ?", name) == [(name,)]
    messages = _messages(path)
    assert any(f"trigger {name} does not hold the SQL familydoc created" in m for m in messages), (
        messages
    )


def test_the_delete_guard_replaced_by_a_no_op_lets_events_go_but_check_says_so(
    initialised: AppContext,
) -> None:
    add_village(initialised.database, "320321110201", events=3)
    path = _path(initialised)
    initialised.database.dispose()
    _run(
        path,
        "DROP TRIGGER trg_audit_event_no_delete",
        "CREATE TRIGGER trg_audit_event_no_delete BEFORE DELETE ON audit_event"
        " BEGIN SELECT 'append-only'; END",
    )
    _run(path, "DELETE FROM audit_event WHERE id = 2")  # the guard no longer refuses
    messages = _messages(path)
    assert any("trg_audit_event_no_delete does not hold the SQL" in m for m in messages)


def test_whitespace_of_the_stored_sql_does_not_matter(initialised: AppContext) -> None:
    path = _path(initialised)
    initialised.database.dispose()
    _table, sql = audit_chain.PROTECTION["trg_audit_chain_head_no_delete"]
    _run(
        path,
        "DROP TRIGGER trg_audit_chain_head_no_delete",
        sql.replace(" BEGIN ", "\n  BEGIN\n    ").replace("; END", ";\n  END"),
    )
    assert full_check(path).ok


def test_a_trigger_added_to_the_audit_log_is_caught(initialised: AppContext) -> None:
    path = _path(initialised)
    initialised.database.dispose()
    # Drops every new event before it is sealed: the chain stays whole, the log stays empty.
    _run(
        path,
        "CREATE TRIGGER trg_audit_event_quiet BEFORE INSERT ON audit_event"
        " BEGIN SELECT RAISE(IGNORE); END",
    )
    before = rows(path, "SELECT count(*) FROM audit_event")
    connection = sqlite3.connect(path)
    audit_chain.register(connection)  # as familydoc's own connections do
    with connection:
        connection.execute(
            "INSERT INTO audit_event (occurred_at, username, action, entity_type, changes)"
            " VALUES ('2026-12-01 08:00:00.000000', 'doctor', 'contract.sign', 'contract', '{}')"
        )
    connection.close()
    assert rows(path, "SELECT count(*) FROM audit_event") == before  # the events vanished
    messages = _messages(path)
    assert any(
        "A trigger familydoc did not create is on the audit log: trg_audit_event_quiet" in m
        for m in messages
    ), messages


def test_a_missing_trigger_is_named(initialised: AppContext) -> None:
    path = _path(initialised)
    initialised.database.dispose()
    _run(path, "DROP TRIGGER trg_audit_event_seal")
    assert (
        "The protection of the audit log was removed from the database: trigger"
        " trg_audit_event_seal is missing." in _messages(path)
    )
