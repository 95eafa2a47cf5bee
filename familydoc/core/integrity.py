"""Checking a database file: SQLite's own checks, foreign keys, and the audit chain.

``quick_check`` (at start) runs ``PRAGMA quick_check``, O(N) in the file size.
``full_check`` (``familydoc check``, Settings) runs ``PRAGMA integrity_check``,
``PRAGMA foreign_key_check`` (integrity_check does not look at foreign keys)
and verifies the audit log's hash chain. Checks only read: they open the file
with ``query_only`` so they never change a damaged database.
"""

from __future__ import annotations

import contextlib
import sqlite3
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from familydoc.core import audit_chain
from familydoc.core.errors import QT_TRANSLATE_NOOP, FamilydocError
from familydoc.core.safety import DAMAGED_MESSAGE, DatabaseDamaged

MAX_REPORTED = 20  # problems listed per check; the rest are counted


@dataclass(frozen=True)
class Problem:
    """One finding, with a message for the user (translated at display)."""

    kind: str  # unreadable, integrity, foreign_key, audit_chain
    error: FamilydocError

    def render(self, translate: Callable[[str, str], str] | None = None) -> str:
        return self.error.render(translate)


@dataclass(frozen=True)
class CheckReport:
    path: Path
    mode: str  # quick or full
    problems: tuple[Problem, ...] = ()
    audit_events: int | None = None
    audit_chain_present: bool = True
    seconds: float = 0.0
    checks: tuple[str, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def damaged(self) -> bool:
        """Damage of the file itself (not only a broken audit chain)."""
        return any(p.kind in ("unreadable", "integrity") for p in self.problems)

    def short_reason(self) -> str:
        """The first thing SQLite found, on one line (the rest is in ``problems``)."""
        for problem in self.problems:
            params = problem.error.params
            text = str(params.get("detail") or params.get("reason") or problem.render())
            for line in text.splitlines():
                line = line.strip(" *")
                if line and not line.startswith("in database"):
                    return line[:120]
        return ""

    def as_error(self) -> DatabaseDamaged:
        return DatabaseDamaged(DAMAGED_MESSAGE, reason=self.short_reason())


@contextlib.contextmanager
def _reader(path: Path) -> Iterator[sqlite3.Connection]:
    if not path.exists():
        raise FileNotFoundError(path)
    connection = sqlite3.connect(path, timeout=10)
    try:
        connection.execute("PRAGMA query_only = ON")
        yield connection
    finally:
        connection.close()


def _unreadable(reason: str) -> Problem:
    return Problem(
        "unreadable",
        FamilydocError(
            QT_TRANSLATE_NOOP("Errors", "The file cannot be read as a database: {reason}"),
            reason=reason,
        ),
    )


def _pragma_problems(connection: sqlite3.Connection, pragma: str) -> list[Problem]:
    rows = [row[0] for row in connection.execute(f"PRAGMA {pragma}({MAX_REPORTED})")]
    if rows == ["ok"]:
        return []
    return [
        Problem(
            "integrity",
            FamilydocError(
                QT_TRANSLATE_NOOP("Errors", "SQLite reports damage: {detail}"), detail=row
            ),
        )
        for row in rows
    ]


def _foreign_key_problems(connection: sqlite3.Connection) -> list[Problem]:
    problems: list[Problem] = []
    counts: dict[tuple[str, str], int] = {}
    for table, rowid, parent, _fk in connection.execute("PRAGMA foreign_key_check"):
        key = (table, parent)
        counts[key] = counts.get(key, 0) + 1
        if counts[key] == 1:
            problems.append(
                Problem(
                    "foreign_key",
                    FamilydocError(
                        QT_TRANSLATE_NOOP(
                            "Errors",
                            "Row {rowid} of table {table} points to a missing row of {parent}.",
                        ),
                        rowid=rowid,
                        table=table,
                        parent=parent,
                    ),
                )
            )
    for (table, parent), count in counts.items():
        if count > 1:
            problems.append(
                Problem(
                    "foreign_key",
                    FamilydocError(
                        QT_TRANSLATE_NOOP(
                            "Errors",
                            "{count} rows of table {table} point to missing rows of {parent}.",
                        ),
                        count=count,
                        table=table,
                        parent=parent,
                    ),
                )
            )
    return problems


CHAIN_MESSAGES = {
    "edited": QT_TRANSLATE_NOOP(
        "Errors", "Audit event {event_id} was changed after it was written."
    ),
    "removed": QT_TRANSLATE_NOOP(
        "Errors",
        "The audit log breaks before event {event_id}: an event before it was removed or replaced.",
    ),
    "unsealed": QT_TRANSLATE_NOOP(
        "Errors", "Audit event {event_id} was added outside familydoc (it has no seal)."
    ),
    "truncated": QT_TRANSLATE_NOOP(
        "Errors",
        "The newest audit events were removed: the log should end with event {expected_id}"
        " ({expected} events) but ends with event {found_id} ({found} events).",
    ),
    "unprotected": QT_TRANSLATE_NOOP(
        "Errors",
        "The protection of the audit log was removed from the database: trigger {trigger} is"
        " missing.",
    ),
    "trigger_changed": QT_TRANSLATE_NOOP(
        "Errors",
        "The protection of the audit log was replaced: trigger {trigger} does not hold the SQL"
        " familydoc created (it may do nothing).",
    ),
    "trigger_unexpected": QT_TRANSLATE_NOOP(
        "Errors",
        "A trigger familydoc did not create is on the audit log: {trigger}. It can drop or"
        " change events before they are sealed.",
    ),
}


def chain_problems(report: audit_chain.ChainReport) -> list[Problem]:
    """The breaks of an audit chain as findings with messages for the user."""
    problems = []
    for index, finding in enumerate(report.problems):
        if index == MAX_REPORTED:
            problems.append(
                Problem(
                    "audit_chain",
                    FamilydocError(
                        QT_TRANSLATE_NOOP("Errors", "… and {count} more breaks of the audit log."),
                        count=len(report.problems) - MAX_REPORTED,
                    ),
                )
            )
            break
        problems.append(
            Problem(
                "audit_chain",
                FamilydocError(
                    CHAIN_MESSAGES[finding.kind],
                    event_id=finding.event_id,
                    expected_id=finding.event_id if finding.event_id is not None else "—",
                    found_id=finding.previous_id if finding.previous_id is not None else "—",
                    expected=finding.expected,
                    found=finding.found,
                    trigger=finding.trigger or "—",
                ),
            )
        )
    return problems


def quick_check(path: Path) -> CheckReport:
    """``PRAGMA quick_check`` of the file at ``path``."""
    start = time.perf_counter()
    try:
        with _reader(path) as connection:
            problems = _pragma_problems(connection, "quick_check")
    except sqlite3.DatabaseError as exc:
        problems = [_unreadable(str(exc))]
    return CheckReport(
        path,
        "quick",
        tuple(problems),
        seconds=time.perf_counter() - start,
        checks=("quick_check",),
    )


def full_check(path: Path, progress: Callable[[int, int, str], None] | None = None) -> CheckReport:
    """integrity_check, foreign_key_check and the audit chain; ``progress(done, total, step)``."""
    start = time.perf_counter()
    problems: list[Problem] = []
    events: int | None = None
    present = True

    def step(done: int, name: str) -> None:
        if progress is not None:
            progress(done, 3, name)

    try:
        with _reader(path) as connection:
            step(0, "integrity_check")
            problems += _pragma_problems(connection, "integrity_check")
            step(1, "foreign_key_check")
            problems += _foreign_key_problems(connection)
            step(2, "audit_chain")
            tables = {
                row[0]
                for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            if "audit_event" in tables:
                chain = audit_chain.verify(connection)
                events, present = chain.events, chain.present
                problems += chain_problems(chain)
            step(3, "done")
    except sqlite3.DatabaseError as exc:
        problems.append(_unreadable(str(exc)))
    return CheckReport(
        path,
        "full",
        tuple(problems),
        audit_events=events,
        audit_chain_present=present,
        seconds=time.perf_counter() - start,
        checks=("integrity_check", "foreign_key_check", "audit_chain"),
    )
