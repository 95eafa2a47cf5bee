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
count), unsealed events, and missing protection triggers.

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
TRIGGERS = (
    "trg_audit_event_seal",
    "trg_audit_event_no_update",
    "trg_audit_event_no_delete",
    "trg_audit_chain_head_no_delete",
)


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
    """One break in the chain. ``kind``: edited, removed, unsealed, truncated, unprotected."""

    kind: str
    event_id: int | None = None
    previous_id: int | None = None
    expected: int | None = None
    found: int | None = None


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


def verify(
    connection: sqlite3.Connection,
    progress: Callable[[int, int], None] | None = None,
    batch: int = 5000,
) -> ChainReport:
    """Re-compute every seal; works on a plain ``sqlite3`` connection (no function needed)."""
    if not is_chained(connection):
        return ChainReport(0, (), present=False)
    problems: list[ChainProblem] = []
    triggers = {
        row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type='trigger'")
    }
    if not set(TRIGGERS) <= triggers:
        problems.append(ChainProblem("unprotected"))
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
