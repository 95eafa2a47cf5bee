"""The hash chain over the audit log: every event is sealed with the hash of the one before.

A trigger of migration 0004 seals each new ``audit_event`` row in the transaction
that inserts it: ``chain_prev`` is the seal of the previous event (kept in the
one-row table ``audit_chain_head``) and ``chain_hash`` is
``sha256(json([chain_prev, id, occurred_at, user_id, username, action,
entity_type, entity_id, changes, workstation]))`` over the values exactly as
SQLite stores them. The trigger calls the SQL function ``familydoc_audit_hash``
that ``familydoc.core.db`` registers on every connection, so a row inserted by
another tool fails instead of going in unsealed. Two more triggers refuse
UPDATE and DELETE of sealed events.

``verify`` walks the events in id order and reports an edited event (its seal
does not match its content), a removed one (the next event's ``chain_prev``
does not match), a cut-off tail (the head remembers the last event and the
count), unsealed events, and protection triggers that are missing, were replaced by
other SQL under the same name (the stored text in ``sqlite_master`` is compared with
``PROTECTION``, whitespace aside), or were added to the audit tables (a trigger that
drops or rewrites new events before they are sealed would leave a whole chain).

The chain has no secret key: it catches anyone who edits or deletes rows with
a database tool, not someone who knows this scheme and recomputes every seal.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

SQL_FUNCTION = "familydoc_audit_hash"
GENESIS = ""
# Columns hashed, in order, after the previous seal.
SEALED_COLUMNS = (
    "id",
    "occurred_at",
    "user_id",
    "username",
    "action",
    "entity_type",
    "entity_id",
    "changes",
    "workstation",
)
_HEAD = "(SELECT last_hash FROM audit_chain_head WHERE id = 1)"
_NEW_VALUES = ", ".join(f"NEW.{column}" for column in SEALED_COLUMNS)

# The protection triggers exactly as the migrations create them: name -> (table, SQL).
# ``sqlite_master`` keeps the text of each CREATE TRIGGER as it was written.
PROTECTION: dict[str, tuple[str, str]] = {
    "trg_audit_event_seal": (
        "audit_event",
        "CREATE TRIGGER trg_audit_event_seal AFTER INSERT ON audit_event BEGIN"
        f" UPDATE audit_event SET chain_prev = {_HEAD},"
        f" chain_hash = {SQL_FUNCTION}({_HEAD}, {_NEW_VALUES}) WHERE id = NEW.id;"
        " UPDATE audit_chain_head SET last_id = NEW.id,"
        " last_hash = (SELECT chain_hash FROM audit_event WHERE id = NEW.id),"
        " event_count = event_count + 1 WHERE id = 1;"
        " END",
    ),
    "trg_audit_event_no_update": (
        "audit_event",
        "CREATE TRIGGER trg_audit_event_no_update BEFORE UPDATE ON audit_event"
        " WHEN OLD.chain_hash IS NOT NULL"
        " BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END",
    ),
    "trg_audit_event_no_delete": (
        "audit_event",
        "CREATE TRIGGER trg_audit_event_no_delete BEFORE DELETE ON audit_event"
        " BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END",
    ),
    "trg_audit_chain_head_no_delete": (
        "audit_chain_head",
        "CREATE TRIGGER trg_audit_chain_head_no_delete BEFORE DELETE ON audit_chain_head"
        " BEGIN SELECT RAISE(ABORT, 'audit_chain_head is kept'); END",
    ),
}
TRIGGERS = tuple(PROTECTION)
AUDIT_TABLES = ("audit_event", "audit_chain_head")


def event_hash(prev: str | None, *values: Any) -> str:
    """The seal of one event: ``values`` are the ``SEALED_COLUMNS`` as stored."""
    payload = json.dumps([prev or GENESIS, *values], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def register(connection: sqlite3.Connection) -> None:
    """Make ``familydoc_audit_hash`` callable by the sealing trigger on this connection."""
    connection.create_function(
        SQL_FUNCTION, 1 + len(SEALED_COLUMNS), event_hash, deterministic=True
    )


@dataclass(frozen=True)
class ChainProblem:
    """One break in the chain. ``kind``: edited, removed, unsealed, truncated, unprotected
    (a protection trigger is missing), trigger_changed (its SQL is not the expected one),
    trigger_unexpected (another trigger on an audit table)."""

    kind: str
    event_id: int | None = None
    previous_id: int | None = None
    expected: int | None = None
    found: int | None = None
    trigger: str | None = None


@dataclass(frozen=True)
class ChainReport:
    events: int
    problems: tuple[ChainProblem, ...]
    present: bool = True  # False for a database older than migration 0004

    @property
    def ok(self) -> bool:
        return not self.problems


def is_chained(connection: sqlite3.Connection) -> bool:
    columns = {row[1] for row in connection.execute("PRAGMA table_info(audit_event)")}
    return "chain_hash" in columns


def _normal_sql(sql: str | None) -> str:
    return " ".join((sql or "").split()).rstrip(";").strip()


def protection_problems(connection: sqlite3.Connection) -> list[ChainProblem]:
    """Compare the triggers on the audit tables with ``PROTECTION``, by their SQL."""
    stored = {
        name: (table, sql)
        for name, table, sql in connection.execute(
            "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger'"
        )
    }
    problems: list[ChainProblem] = []
    for name, (table, sql) in PROTECTION.items():
        if name not in stored:
            problems.append(ChainProblem("unprotected", trigger=name))
        elif stored[name][0] != table or _normal_sql(stored[name][1]) != _normal_sql(sql):
            problems.append(ChainProblem("trigger_changed", trigger=name))
    for name, (table, _sql) in sorted(stored.items()):
        if table in AUDIT_TABLES and name not in PROTECTION:
            problems.append(ChainProblem("trigger_unexpected", trigger=name))
    return problems


def verify(
    connection: sqlite3.Connection,
    progress: Callable[[int, int], None] | None = None,
    batch: int = 5000,
) -> ChainReport:
    """Re-compute every seal; works on a plain ``sqlite3`` connection (no function needed)."""
    if not is_chained(connection):
        return ChainReport(0, (), present=False)
    problems = protection_problems(connection)
    total = int(connection.execute("SELECT count(*) FROM audit_event").fetchone()[0])
    columns = ", ".join(SEALED_COLUMNS)
    query = (
        f"SELECT {columns}, chain_prev, chain_hash FROM audit_event"
        " WHERE id > ? ORDER BY id LIMIT ?"
    )
    previous_hash: str = GENESIS
    previous_id: int | None = None
    last_id = 0
    seen = 0
    while True:
        rows = connection.execute(query, (last_id, batch)).fetchall()
        if not rows:
            break
        for row in rows:
            values = row[: len(SEALED_COLUMNS)]
            chain_prev, chain_hash = row[len(SEALED_COLUMNS) :]
            event_id = int(values[0])
            if chain_hash is None:
                problems.append(ChainProblem("unsealed", event_id))
                last_id = event_id
                continue
            if (chain_prev or GENESIS) != previous_hash:
                problems.append(ChainProblem("removed", event_id, previous_id))
            if event_hash(chain_prev, *values) != chain_hash:
                problems.append(ChainProblem("edited", event_id))
            # Carry on from what is stored, so each break is reported once.
            previous_hash = chain_hash
            previous_id = event_id
            last_id = event_id
        seen += len(rows)
        if progress is not None:
            progress(seen, total)
    head = connection.execute(
        "SELECT last_id, last_hash, event_count FROM audit_chain_head WHERE id = 1"
    ).fetchone()
    sealed = total - sum(1 for p in problems if p.kind == "unsealed")
    if head is None:
        problems.append(ChainProblem("truncated", None, previous_id, None, sealed))
    else:
        head_last_id, head_hash, head_count = head
        if (head_hash or GENESIS) != previous_hash:
            problems.append(
                ChainProblem("truncated", head_last_id, previous_id, int(head_count), sealed)
            )
    return ChainReport(total, tuple(problems))
