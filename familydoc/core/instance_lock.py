"""One running program per SQLite database.

The lock is an operating-system lock on ``<database>.lock`` (``flock`` on POSIX,
``msvcrt.locking`` on Windows): the system drops it when the process ends, even
by ``kill -9`` or a power cut, so a crash never leaves a stale lock behind. The
file also says who holds the lock (computer, account, familydoc user, since
when), so a second start can tell the user who to ask.
"""

from __future__ import annotations

import datetime as dt
import getpass
import json
import os
import socket
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from familydoc.core.errors import QT_TRANSLATE_NOOP, RuleViolation

# Windows locks byte ranges and refuses reads of a locked range: lock a byte far
# past the holder's description so others can still read it.
_WINDOWS_LOCK_OFFSET = 1 << 20


class AlreadyRunning(RuleViolation):
    """Another familydoc holds the database."""


@dataclass(frozen=True)
class LockHolder:
    pid: int
    host: str
    account: str
    user: str
    purpose: str
    since: dt.datetime

    def describe(self) -> dict[str, Any]:
        return {
            "pid": self.pid,
            "host": self.host,
            "account": self.account,
            "user": self.user or self.account,
            "purpose": self.purpose,
            "since": self.since.astimezone().strftime("%Y-%m-%d %H:%M"),
        }


def lock_path(database_path: Path) -> Path:
    return database_path.with_name(database_path.name + ".lock")


class InstanceLock:
    """Held from ``acquire`` until ``release`` (or the end of the process)."""

    def __init__(self, database_path: Path) -> None:
        self.path = lock_path(database_path)
        self._fd: int | None = None
        self._holder: LockHolder | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self, purpose: str = "gui", user: str = "") -> None:
        if self._fd is not None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            _lock(fd)
        except OSError:
            os.close(fd)
            holder = read_holder(self.path)
            raise _already_running(self.path, holder) from None
        self._fd = fd
        try:
            account = getpass.getuser()
        except Exception:  # no user name in the environment (services)
            account = ""
        self._holder = LockHolder(
            pid=os.getpid(),
            host=socket.gethostname(),
            account=account,
            user=user,
            purpose=purpose,
            since=dt.datetime.now(dt.UTC),
        )
        self._write()

    def set_user(self, user: str) -> None:
        """Name the logged-in familydoc user in the holder's description."""
        if self._fd is None or self._holder is None:
            return
        holder = self._holder
        self._holder = LockHolder(
            holder.pid, holder.host, holder.account, user, holder.purpose, holder.since
        )
        self._write()

    def _write(self) -> None:
        assert self._fd is not None and self._holder is not None
        holder = self._holder
        data = json.dumps(
            {
                "pid": holder.pid,
                "host": holder.host,
                "account": holder.account,
                "user": holder.user,
                "purpose": holder.purpose,
                "since": holder.since.isoformat(),
            },
            ensure_ascii=False,
        ).encode("utf-8")
        os.lseek(self._fd, 0, os.SEEK_SET)
        os.write(self._fd, data)
        os.ftruncate(self._fd, len(data))

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        try:
            os.ftruncate(fd, 0)
            _unlock(fd)
        finally:
            os.close(fd)

    def __enter__(self) -> InstanceLock:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.release()


def read_holder(path: Path) -> LockHolder | None:
    try:
        with open(path, "rb") as handle:
            raw = handle.read(4096)
        data = json.loads(raw.decode("utf-8"))
        return LockHolder(
            pid=int(data["pid"]),
            host=str(data["host"]),
            account=str(data.get("account", "")),
            user=str(data.get("user", "")),
            purpose=str(data.get("purpose", "")),
            since=dt.datetime.fromisoformat(data["since"]),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _already_running(path: Path, holder: LockHolder | None) -> AlreadyRunning:
    database = str(path.with_suffix(""))
    if holder is None:
        return AlreadyRunning(
            QT_TRANSLATE_NOOP(
                "Errors",
                "familydoc is already running with the database {database}. Close the other"
                " window first (only one program may use a database at a time).",
            ),
            database=database,
        )
    return AlreadyRunning(
        QT_TRANSLATE_NOOP(
            "Errors",
            "familydoc is already running with the database {database}: on computer {host},"
            " used by {user} since {since} (process {pid}). Close that program first (only"
            " one program may use a database at a time).",
        ),
        database=database,
        **holder.describe(),
    )


if sys.platform == "win32":  # pragma: no cover - Windows only
    import msvcrt

    def _lock(fd: int) -> None:
        os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)

    def _unlock(fd: int) -> None:
        os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
