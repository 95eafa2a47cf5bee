"""Backups and restore of the SQLite database.

Backups are made with SQLite's online backup API (never a file copy of an open
database) into ``<name>.part``, checked with ``PRAGMA integrity_check``, synced
to disk and only then renamed to their final name: a file named like a backup
is a good backup, and a crash (or a full disk) leaves at most a ``.part`` that
the next backup clears away. The folder keeps 7 daily, 4 weekly and 12 monthly
backups. A second folder (a USB disk, a shared folder) gets a checked copy; a
missing, unwritable or full second folder is reported, never fatal.

A restore validates the file (integrity, schema version, same institution
unless confirmed), prepares the restored database beside the live one
(upgrading an older backup through the migrations and recording the restore
in its audit log), keeps a copy of the current database, and only then swaps
the files with one atomic rename. Killed at any moment, the database is either
wholly the old one or wholly the restored one.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import os
import re
import shutil
import sqlite3
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from alembic import command
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import select
from sqlalchemy.orm import Session

from familydoc.core import audit
from familydoc.core.auth import Actor, Permission, require
from familydoc.core.config import Home
from familydoc.core.db import (
    Database,
    alembic_config,
    create_sqlite_engine,
    head_revision,
)
from familydoc.core.errors import (
    QT_TRANSLATE_NOOP,
    AuthenticationFailed,
    FamilydocError,
    PermissionDenied,
    RuleViolation,
)
from familydoc.core.models import User

Progress = Callable[[int, int, str], None]

PREFIX = "familydoc-"
SUFFIX = ".sqlite3"
PART = ".part"
STAGING_SUFFIX = ".restore-tmp"
KINDS = ("auto", "manual", "pre-restore")
ROTATED_KINDS = ("auto", "manual")
KEEP_DAILY, KEEP_WEEKLY, KEEP_MONTHLY = 7, 4, 12
STALE_AFTER = dt.timedelta(days=2)
AUTO_INTERVAL = dt.timedelta(hours=24)
STEP_PAGES = 1024  # pages copied per backup step (4 MiB with 4 KiB pages), between progress
_NAME = re.compile(
    r"^familydoc-(?P<stamp>\d{8}-\d{6}[+-]\d{4})-(?P<kind>auto|manual|pre-restore)"
    r"(?:-(?P<n>\d+))?\.sqlite3$"
)
_PRE_UPGRADE = re.compile(r"^pre-upgrade-(?P<rev>[^-]+)-(?P<stamp>\d{8}T\d{6}Z)\.sqlite3$")


class BackupFailed(FamilydocError):
    """The backup was not made (or is not good); nothing of the database was changed."""


class BackupNoSpace(BackupFailed):
    """The backup does not fit on its disk."""


class RestoreRefused(RuleViolation):
    """The file cannot be restored; nothing was changed."""


class OtherInstitution(RestoreRefused):
    """The backup belongs to another institution: restore only when the user confirms."""


class BackupCancelled(Exception):
    """The user cancelled the backup; its unfinished file was removed."""


# --- names, listing, rotation ---------------------------------------------------------


@dataclass(frozen=True)
class BackupEntry:
    path: Path
    made_at: dt.datetime  # aware
    kind: str  # auto, manual, pre-restore, pre-upgrade
    size: int


def backup_name(made_at: dt.datetime, kind: str, n: int = 0) -> str:
    local = made_at.astimezone()
    stamp = local.strftime("%Y%m%d-%H%M%S%z")
    return f"{PREFIX}{stamp}-{kind}{'-' + str(n) if n else ''}{SUFFIX}"


def parse_name(name: str) -> tuple[dt.datetime, str] | None:
    match = _NAME.match(name)
    if match:
        return dt.datetime.strptime(match["stamp"], "%Y%m%d-%H%M%S%z"), match["kind"]
    match = _PRE_UPGRADE.match(name)
    if match:
        stamp = dt.datetime.strptime(match["stamp"], "%Y%m%dT%H%M%SZ").replace(tzinfo=dt.UTC)
        return stamp, "pre-upgrade"
    return None


def list_backups(folder: Path) -> list[BackupEntry]:
    """Good backups in ``folder``, newest first (unfinished ``.part`` files are not listed)."""
    entries = []
    try:
        names = list(folder.iterdir())
    except OSError:
        return []
    for path in names:
        parsed = parse_name(path.name)
        if parsed is None or not path.is_file():
            continue
        try:
            size = path.stat().st_size
        except OSError:
            continue
        entries.append(BackupEntry(path, parsed[0], parsed[1], size))
    entries.sort(key=lambda e: (e.made_at, e.path.name), reverse=True)
    return entries


def last_good_backup(folder: Path) -> BackupEntry | None:
    """The newest checked backup (made automatically or by hand) in ``folder``."""
    for entry in list_backups(folder):
        if entry.kind in ROTATED_KINDS:
            return entry
    return None


def is_stale(entry: BackupEntry | None, now: dt.datetime | None = None) -> bool:
    now = now or dt.datetime.now(dt.UTC)
    return entry is None or now - entry.made_at > STALE_AFTER


def due_for_automatic(entry: BackupEntry | None, now: dt.datetime | None = None) -> bool:
    now = now or dt.datetime.now(dt.UTC)
    return entry is None or now - entry.made_at >= AUTO_INTERVAL


def plan_rotation(
    entries: Iterable[BackupEntry],
    daily: int = KEEP_DAILY,
    weekly: int = KEEP_WEEKLY,
    monthly: int = KEEP_MONTHLY,
) -> tuple[list[BackupEntry], list[BackupEntry]]:
    """(keep, delete) among automatic and manual backups: the newest backup of each of the
    ``daily`` most recent days that have one, of each of the ``weekly`` most recent ISO weeks,
    and of each of the ``monthly`` most recent months (local time). Other kinds are kept."""
    rotated = sorted(
        (e for e in entries if e.kind in ROTATED_KINDS),
        key=lambda e: (e.made_at, e.path.name),
        reverse=True,
    )
    keep: dict[Path, BackupEntry] = {}
    rules: list[tuple[int, Callable[[dt.datetime], object]]] = [
        (daily, lambda t: t.date()),
        (weekly, lambda t: t.isocalendar()[:2]),
        (monthly, lambda t: (t.year, t.month)),
    ]
    for count, period_of in rules:
        seen: set[object] = set()
        for entry in rotated:
            if len(seen) >= count:
                break
            period = period_of(entry.made_at.astimezone())
            if period not in seen:
                seen.add(period)
                keep[entry.path] = entry
    kept = [e for e in rotated if e.path in keep]
    deleted = [e for e in rotated if e.path not in keep]
    return kept, deleted


def rotate(folder: Path, protect: Path | None = None) -> list[Path]:
    """Delete the backups the rotation does not keep (never ``protect``, the one just made)."""
    _kept, deleted = plan_rotation(list_backups(folder))
    removed = []
    for entry in deleted:
        if protect is not None and entry.path.name == protect.name:
            continue
        with contextlib.suppress(OSError):
            entry.path.unlink()
            removed.append(entry.path)
    return removed


def clear_leftovers(folder: Path) -> None:
    """Remove unfinished ``.part`` files a crash or a full disk left behind."""
    with contextlib.suppress(OSError):
        for path in folder.glob(f"{PREFIX}*{SUFFIX}{PART}*"):
            with contextlib.suppress(OSError):
                path.unlink()


# --- low level ------------------------------------------------------------------------


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return  # Windows cannot open a directory; NTFS journals the rename itself
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _unlink_family(path: Path) -> None:
    for suffix in ("", "-journal", "-wal", "-shm"):
        with contextlib.suppress(OSError):  # absent, or on a disk that went read-only
            Path(str(path) + suffix).unlink()


def _is_disk_full(error: BaseException) -> bool:
    if isinstance(error, OSError) and error.errno in (errno.ENOSPC, errno.EDQUOT):
        return True
    return isinstance(error, sqlite3.Error) and (
        getattr(error, "sqlite_errorname", "").startswith("SQLITE_FULL")
        or "database or disk is full" in str(error).lower()
    )


def _free_space(folder: Path) -> int | None:
    try:
        return shutil.disk_usage(folder).free
    except OSError:
        return None


def database_size(path: Path) -> int:
    total = 0
    for suffix in ("", "-wal"):
        with contextlib.suppress(OSError):
            total += Path(str(path) + suffix).stat().st_size
    return total


def _mb(size: int) -> str:
    return f"{size / 1_048_576:.1f}"


def _open_source(path: Path) -> sqlite3.Connection:
    """A connection that reads ``path`` (a live database or a user's file) and never writes."""
    if not path.is_file():
        raise RestoreRefused(
            QT_TRANSLATE_NOOP("Errors", "There is no file {path}."), path=str(path)
        )
    uri = path.resolve().as_uri()
    try:
        connection = sqlite3.connect(f"{uri}?mode=ro", uri=True, timeout=10)
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return connection
    except sqlite3.DatabaseError:
        # A file in WAL mode on read-only media: read it as it is.
        connection = sqlite3.connect(f"{uri}?mode=ro&immutable=1", uri=True)
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return connection


def copy_database(
    source: sqlite3.Connection,
    target: Path,
    progress: Progress | None = None,
    text: str = "",
    cancelled: Callable[[], bool] | None = None,
) -> None:
    """Copy with the backup API into ``target`` (a new file), then make it a single file
    (rollback journal, no WAL), check it with integrity_check and sync it to disk."""
    _unlink_family(target)
    restarts = 0

    def step(_status: int, remaining: int, total: int) -> None:
        nonlocal last
        if cancelled is not None and cancelled():
            raise BackupCancelled()
        if remaining > last and last >= 0:
            raise _Restarted()  # someone wrote to the database: SQLite starts over
        last = remaining
        if progress is not None and total:
            progress(total - remaining, total, text)

    destination = sqlite3.connect(target)
    try:
        while True:
            last = -1
            try:
                # Once another connection's writes restarted it twice, copy in one step
                # (a read transaction, which in WAL mode does not stop the writers).
                source.backup(destination, pages=STEP_PAGES if restarts < 2 else -1, progress=step)
                break
            except _Restarted:
                restarts += 1
        destination.execute("PRAGMA journal_mode = DELETE")
        result = destination.execute("PRAGMA integrity_check(5)").fetchall()
        if [row[0] for row in result] != ["ok"]:
            raise BackupFailed(
                QT_TRANSLATE_NOOP(
                    "Errors",
                    "The copy did not pass the integrity check ({detail}); the database itself"
                    " may be damaged. Run familydoc check.",
                ),
                detail="; ".join(str(row[0]) for row in result)[:300],
            )
    finally:
        destination.close()
    _fsync_file(target)
    if os.name == "posix":
        os.chmod(target, 0o600)  # backups hold personal data


class _Restarted(Exception):
    pass


# --- making backups -------------------------------------------------------------------


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size: int
    made_at: dt.datetime
    seconds: float
    kind: str
    second_copy: Path | None = None
    warnings: tuple[FamilydocError, ...] = ()
    removed: tuple[Path, ...] = field(default=())


def _backup_error(error: BaseException, folder: Path, needed: int) -> BackupFailed:
    """A failure of writing a backup, in plain words."""
    if _is_disk_full(error):
        return BackupNoSpace(
            QT_TRANSLATE_NOOP(
                "Errors",
                "The backup did not fit on the disk of {folder} (it needs about {needed} MB)."
                " Nothing of the database was changed. Free some space and try again.",
            ),
            folder=str(folder),
            needed=_mb(needed),
        )
    return BackupFailed(
        QT_TRANSLATE_NOOP(
            "Errors",
            "The backup could not be written to {folder}: {reason}. Nothing of the database"
            " was changed.",
        ),
        folder=str(folder),
        reason=getattr(error, "strerror", None) or str(error),
    )


def _unique_target(folder: Path, made_at: dt.datetime, kind: str) -> Path:
    n = 0
    while True:
        target = folder / backup_name(made_at, kind, n)
        if not target.exists():
            return target
        n += 1


def write_backup(
    database_path: Path,
    target: Path,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    text: str = "",
) -> int:
    """Back up the live database at ``database_path`` into ``target`` via ``target.part``.

    Returns the size. Raises ``BackupFailed`` (nothing half-written stays behind)."""
    folder = target.parent
    if not folder.is_dir():
        raise BackupFailed(
            QT_TRANSLATE_NOOP(
                "Errors", "The backup folder {folder} does not exist (is the disk plugged in?)."
            ),
            folder=str(folder),
        )
    needed = database_size(database_path)
    free = _free_space(folder)
    if free is not None and free < needed * 1.05 + 1_048_576:
        raise BackupNoSpace(
            QT_TRANSLATE_NOOP(
                "Errors",
                "Not enough space for the backup on {folder}: it needs about {needed} MB and"
                " {free} MB are free. Nothing of the database was changed.",
            ),
            folder=str(folder),
            needed=_mb(needed),
            free=_mb(free),
        )
    part = target.with_name(target.name + PART)
    try:
        # Fail with the system's own words (read-only, permission denied) before SQLite
        # would say only "unable to open database file".
        with open(part, "wb"):
            pass
        source = sqlite3.connect(database_path, timeout=10)
        try:
            copy_database(source, part, progress, text, cancelled)
        finally:
            source.close()
        os.replace(part, target)
        _fsync_dir(folder)
    except BackupCancelled:
        _unlink_family(part)
        raise
    except BackupFailed:
        _unlink_family(part)
        raise
    except (OSError, sqlite3.Error) as error:
        _unlink_family(part)
        raise _backup_error(error, folder, needed) from error
    return target.stat().st_size


def copy_to_second_folder(backup: Path, folder: Path) -> Path:
    """A checked copy of a finished backup (a closed file) in ``folder``; rotates there too."""
    if not folder.is_dir():
        raise BackupFailed(
            QT_TRANSLATE_NOOP(
                "Errors",
                "The second backup folder {folder} is not available (is the USB disk plugged"
                " in, or the shared folder reachable?). The backup on this computer was made.",
            ),
            folder=str(folder),
        )
    size = backup.stat().st_size
    free = _free_space(folder)
    if free is not None and free < size + 262_144:
        raise BackupNoSpace(
            QT_TRANSLATE_NOOP(
                "Errors",
                "The second backup folder {folder} is full: the backup needs {needed} MB and"
                " {free} MB are free. The backup on this computer was made.",
            ),
            folder=str(folder),
            needed=_mb(size),
            free=_mb(free),
        )
    target = folder / backup.name
    part = target.with_name(target.name + PART)
    try:
        shutil.copyfile(backup, part)
        _fsync_file(part)
        check = sqlite3.connect(f"{part.resolve().as_uri()}?mode=ro", uri=True)
        try:
            result = check.execute("PRAGMA integrity_check(1)").fetchone()[0]
        finally:
            check.close()
        if result != "ok":
            raise BackupFailed(
                QT_TRANSLATE_NOOP(
                    "Errors",
                    "The copy in the second backup folder {folder} is damaged (a failing disk?);"
                    " it was removed.",
                ),
                folder=str(folder),
            )
        os.replace(part, target)
        _fsync_dir(folder)
    except BackupFailed:
        _unlink_family(part)
        raise
    except (OSError, sqlite3.Error) as error:
        _unlink_family(part)
        if _is_disk_full(error):
            raise BackupNoSpace(
                QT_TRANSLATE_NOOP(
                    "Errors",
                    "The second backup folder {folder} is full: the backup needs {needed} MB."
                    " The backup on this computer was made.",
                ),
                folder=str(folder),
                needed=_mb(size),
            ) from error
        raise BackupFailed(
            QT_TRANSLATE_NOOP(
                "Errors",
                "The second backup folder {folder} cannot be written: {reason}. The backup on"
                " this computer was made.",
            ),
            folder=str(folder),
            reason=getattr(error, "strerror", None) or str(error),
        ) from error
    rotate(folder, protect=target)
    return target


def _live_path(database: Database) -> Path:
    path = database.path
    if path is None:
        raise RuleViolation(
            QT_TRANSLATE_NOOP(
                "Errors",
                "familydoc makes backups of a database file only; a database server is backed"
                " up with the server's own tools.",
            )
        )
    return path


def make_backup(
    home: Home,
    database: Database,
    *,
    kind: str = "manual",
    output: Path | None = None,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    now: dt.datetime | None = None,
) -> BackupResult:
    """Back up into the home's backups folder (and the second folder, then rotate both),
    or into ``output`` when given (no second copy, no rotation)."""
    assert kind in KINDS
    path = _live_path(database)
    start = time.perf_counter()
    made_at = now or dt.datetime.now(dt.UTC)
    if output is not None:
        output = output.expanduser().resolve()
        if output.exists():
            raise BackupFailed(
                QT_TRANSLATE_NOOP(
                    "Errors", "{path} already exists; choose a new file name for the backup."
                ),
                path=str(output),
            )
        size = write_backup(path, output, progress, cancelled)
        return BackupResult(output, size, made_at, time.perf_counter() - start, kind)
    folder = home.backups_dir
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise _backup_error(error, folder, database_size(path)) from error
    clear_leftovers(folder)
    target = _unique_target(folder, made_at, kind)
    size = write_backup(path, target, progress, cancelled)
    removed = rotate(folder, protect=target)
    warnings: list[FamilydocError] = []
    second_copy = None
    second = str(home.config().get("backup.second_folder") or "").strip()
    if second:
        second_folder = Path(second).expanduser()
        try:
            clear_leftovers(second_folder)
            second_copy = copy_to_second_folder(target, second_folder)
        except BackupFailed as error:
            warnings.append(error)
    return BackupResult(
        target,
        size,
        made_at,
        time.perf_counter() - start,
        kind,
        second_copy,
        tuple(warnings),
        tuple(removed),
    )


def record_backup(session: Session, actor: Actor, result: BackupResult) -> None:
    """Audit a backup made by a user (automatic ones are logged, not audited)."""
    require(actor, Permission.MAKE_BACKUP)
    audit.record(
        session,
        user_id=actor.user_id,
        username=actor.username,
        action="backup.create",
        entity_type="database",
        entity_id=result.path.name,
        changes={
            "file": str(result.path),
            "size": result.size,
            "second_copy": str(result.second_copy) if result.second_copy else None,
        },
    )


# --- inspecting a backup file ---------------------------------------------------------


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    size: int
    revision: str | None
    institution_code: str | None
    institution_name: str | None
    residents: int
    contracts: int
    last_event_at: dt.datetime | None
    made_at: dt.datetime | None
    needs_upgrade: bool


def _tables(connection: sqlite3.Connection) -> set[str]:
    return {
        row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
    }


def _known_revisions() -> dict[str, int]:
    """Revision id -> position from the first migration (0 = the oldest)."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    ordered = list(reversed(list(script.walk_revisions())))
    return {rev.revision: index for index, rev in enumerate(ordered)}


def _not_familydoc(path: Path) -> RestoreRefused:
    return RestoreRefused(
        QT_TRANSLATE_NOOP(
            "Errors", "{path} is not a familydoc database or backup (it holds no familydoc data)."
        ),
        path=str(path),
    )


def describe(connection: sqlite3.Connection, path: Path, check: bool = True) -> BackupInfo:
    """What a backup holds; refuses damaged files and files of a newer familydoc."""
    try:
        if check:
            rows = [row[0] for row in connection.execute("PRAGMA integrity_check(5)")]
            if rows != ["ok"]:
                raise RestoreRefused(
                    QT_TRANSLATE_NOOP(
                        "Errors",
                        "{path} is damaged ({detail}) and cannot be restored. Choose an older"
                        " backup.",
                    ),
                    path=str(path),
                    detail="; ".join(rows)[:300],
                )
        tables = _tables(connection)
        if "alembic_version" not in tables or "institution" not in tables:
            raise _not_familydoc(path)
        revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        revision = revision[0] if revision else None
        known = _known_revisions()
        if revision not in known:
            raise RestoreRefused(
                QT_TRANSLATE_NOOP(
                    "Errors",
                    "{path} was made by a newer version of familydoc (schema {revision}); install"
                    " that version to restore it.",
                ),
                path=str(path),
                revision=revision or "?",
            )
        institution = connection.execute(
            "SELECT code, name FROM institution WHERE is_home = 1"
        ).fetchone()
        residents = connection.execute("SELECT count(*) FROM resident").fetchone()[0]
        contracts = connection.execute("SELECT count(*) FROM contract").fetchone()[0]
        last_event = connection.execute("SELECT max(occurred_at) FROM audit_event").fetchone()[0]
    except sqlite3.DatabaseError as error:
        raise RestoreRefused(
            QT_TRANSLATE_NOOP("Errors", "{path} cannot be read as a familydoc backup: {reason}"),
            path=str(path),
            reason=str(error),
        ) from error
    parsed = parse_name(path.name)
    return BackupInfo(
        path=path,
        size=path.stat().st_size,
        revision=revision,
        institution_code=institution[0] if institution else None,
        institution_name=institution[1] if institution else None,
        residents=int(residents),
        contracts=int(contracts),
        last_event_at=(
            dt.datetime.fromisoformat(last_event).replace(tzinfo=dt.UTC) if last_event else None
        ),
        made_at=parsed[0] if parsed else None,
        needs_upgrade=revision != head_revision(),
    )


def inspect_backup(path: Path, check: bool = True) -> BackupInfo:
    """Open ``path`` read-only and describe it (``check``: run integrity_check first)."""
    path = path.expanduser()
    if not path.is_file():
        raise RestoreRefused(
            QT_TRANSLATE_NOOP("Errors", "There is no file {path}."), path=str(path)
        )
    with path.open("rb") as handle:
        if handle.read(16) != b"SQLite format 3\x00":
            raise _not_familydoc(path)
    try:
        connection = _open_source(path)
    except sqlite3.DatabaseError as error:
        raise RestoreRefused(
            QT_TRANSLATE_NOOP("Errors", "{path} cannot be read as a familydoc backup: {reason}"),
            path=str(path),
            reason=str(error),
        ) from error
    try:
        return describe(connection, path, check)
    finally:
        connection.close()


_hasher = PasswordHasher()


def verify_administrator(path: Path, username: str, password: str) -> Actor:
    """Check an administrator's password against the accounts inside a backup file.

    Used when the live database cannot be read (damaged, or a new computer): the
    backup's own accounts decide who may restore it. Nothing is written."""
    connection = _open_source(path.expanduser())
    try:
        row = connection.execute(
            "SELECT id, username, display_name, role, password_hash, disabled"
            " FROM app_user WHERE username = ?",
            (username.strip(),),
        ).fetchone()
    except sqlite3.DatabaseError as error:
        raise _not_familydoc(path) from error
    finally:
        connection.close()
    if row is None:
        _hasher.hash("familydoc-timing-equaliser")
        raise AuthenticationFailed(QT_TRANSLATE_NOOP("Errors", "Wrong user name or password."))
    try:
        good = _hasher.verify(row[4], password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        good = False
    if not good or row[5]:
        raise AuthenticationFailed(QT_TRANSLATE_NOOP("Errors", "Wrong user name or password."))
    actor = Actor(int(row[0]), row[1], row[2], row[3])
    if not actor.can(Permission.RESTORE_BACKUP):
        raise PermissionDenied(
            QT_TRANSLATE_NOOP(
                "Errors", "Only an administrator can restore a backup; {username} is not one."
            ),
            username=actor.username,
        )
    return actor


# --- restoring ------------------------------------------------------------------------


@dataclass(frozen=True)
class RestoreResult:
    source: Path
    info: BackupInfo
    previous_copy: Path | None
    from_revision: str | None
    to_revision: str
    seconds: float


def staging_path(database_path: Path) -> Path:
    return database_path.with_name(database_path.name + STAGING_SUFFIX)


def clear_restore_leftovers(database_path: Path) -> None:
    """Remove a half-prepared restore a crash left beside the database."""
    _unlink_family(staging_path(database_path))


RESTORE_PHASES = ("check", "copy", "upgrade", "keep", "record", "swap", "done")


def _keep_current(live: Path, target: Path) -> Path | None:
    """A checked copy of the live database before it is replaced (a damaged one is copied
    raw, for the record). Refuses to go on when no copy can be kept (a full disk)."""
    if not live.exists():
        return None
    target.parent.mkdir(parents=True, exist_ok=True)
    clear_leftovers(target.parent)
    try:
        write_backup(live, target)
        return target
    except BackupNoSpace:
        raise
    except BackupFailed:
        pass  # the live file is damaged: its copy failed the check, or could not be read
    # Nobody has the file open (the caller holds the instance lock): copy its raw bytes.
    raw = target.with_name(target.name.replace("-pre-restore", "-damaged")).with_suffix(".damaged")
    try:
        for suffix in ("", "-wal"):
            source = Path(str(live) + suffix)
            if source.exists():
                shutil.copyfile(source, Path(str(raw) + suffix))
    except OSError as error:
        raise _backup_error(error, target.parent, database_size(live)) from error
    return raw


def _retire_live(live: Path) -> None:
    """Fold the WAL into the live file and remove it, so no old WAL meets the new file."""
    if not live.exists():
        return
    with contextlib.suppress(sqlite3.Error):
        connection = sqlite3.connect(live, timeout=10)
        try:
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            connection.execute("PRAGMA journal_mode = DELETE")
        finally:
            connection.close()
    for suffix in ("-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            Path(str(live) + suffix).unlink()


def restore_backup(
    home: Home,
    database: Database,
    source: Path,
    actor: Actor,
    *,
    current_institution: str | None,
    accept_other_institution: bool = False,
    progress: Progress | None = None,
    now: dt.datetime | None = None,
) -> RestoreResult:
    """Replace the live database with ``source``.

    The caller holds the instance lock, has checked ``actor``'s password, and opens no
    connection meanwhile: the engine is disposed here and reconnects to the restored file
    afterwards. Phases reported to ``progress``: RESTORE_PHASES."""
    require(actor, Permission.RESTORE_BACKUP)
    live = _live_path(database)
    source = source.expanduser().resolve()
    if source == live.resolve():
        raise RestoreRefused(
            QT_TRANSLATE_NOOP("Errors", "This is the database in use; choose a backup file.")
        )
    start = time.perf_counter()
    made_at = now or dt.datetime.now(dt.UTC)
    total = len(RESTORE_PHASES) - 1

    def phase(index: int) -> None:
        if progress is not None:
            progress(index, total, RESTORE_PHASES[index])

    staging = staging_path(live)
    clear_restore_leftovers(live)
    try:
        phase(0)  # check
        info = inspect_backup(source, check=False)
        if (
            current_institution
            and info.institution_code
            and info.institution_code != current_institution
            and not accept_other_institution
        ):
            raise OtherInstitution(
                QT_TRANSLATE_NOOP(
                    "Errors",
                    "{path} belongs to another institution ({name}, code {code}); this database"
                    " belongs to {current}. Confirm that you want to replace it with the other"
                    " institution's data.",
                ),
                path=str(source),
                name=info.institution_name or "",
                code=info.institution_code,
                current=current_institution,
            )
        phase(1)  # copy (and integrity_check of the copy)
        reader = _open_source(source)
        try:
            copy_database(reader, staging)
        except BackupFailed as error:
            raise RestoreRefused(
                QT_TRANSLATE_NOOP(
                    "Errors",
                    "{path} is damaged and cannot be restored ({reason}). Choose an older backup.",
                ),
                path=str(source),
                reason=error.params.get("detail", error.render()),
            ) from error
        finally:
            reader.close()
        phase(2)  # upgrade an older backup through the migrations
        staged = Database(
            url=f"sqlite:///{staging.as_posix()}",
            engine=create_sqlite_engine(f"sqlite:///{staging.as_posix()}"),
        )
        try:
            if info.needs_upgrade:
                with staged.engine.begin() as connection:
                    config = alembic_config(staged.url)
                    config.attributes["connection"] = connection
                    command.upgrade(config, "head")
            phase(3)  # keep a copy of the current database
            database.dispose()
            kept = _keep_current(live, _unique_target(home.backups_dir, made_at, "pre-restore"))
            phase(4)  # record the restore in the restored database's audit log
            with staged.unit_of_work() as session:
                user_id = session.scalar(select(User.id).where(User.username == actor.username))
                audit.record(
                    session,
                    user_id=user_id,
                    username=actor.username,
                    action="backup.restore",
                    entity_type="database",
                    entity_id=source.name,
                    changes={
                        "file": str(source),
                        "schema": [info.revision, head_revision()],
                        "institution": info.institution_code,
                        "previous_copy": kept.name if kept else None,
                    },
                )
        finally:
            staged.dispose()
        # A single file with a rollback journal, synced, ready to be renamed into place.
        single = sqlite3.connect(staging)
        try:
            single.execute("PRAGMA journal_mode = DELETE")
        finally:
            single.close()
        _fsync_file(staging)
        phase(5)  # swap: one atomic rename
        database.dispose()
        _retire_live(live)
        os.replace(staging, live)
        _fsync_dir(live.parent)
    except BaseException:
        _unlink_family(staging)
        raise
    database.damaged = None
    phase(6)
    return RestoreResult(
        source=source,
        info=info,
        previous_copy=kept,
        from_revision=info.revision,
        to_revision=head_revision(),
        seconds=time.perf_counter() - start,
    )
