"""Where the database may live, and what storage failures mean for the user.

- A database on a network share is refused: SQLite's WAL needs shared memory
  on one host, and network file systems break its locks (FACTS.md).
- SQLite's "disk full", "disk I/O error" and "malformed" failures become
  errors with plain words; the transaction was rolled back by SQLite, so the
  last committed state is intact and the message says so.
"""

from __future__ import annotations

import os
import sqlite3
import sys
from pathlib import Path, PureWindowsPath

from sqlalchemy import exc as sa_exc

from familydoc.core.errors import QT_TRANSLATE_NOOP, DatabaseProblem, FamilydocError

# File system types of network shares (Linux /proc/mounts names).
NETWORK_FILESYSTEMS = frozenset(
    {
        "nfs",
        "nfs4",
        "cifs",
        "smb3",
        "smbfs",
        "ncpfs",
        "afs",
        "9p",
        "ceph",
        "glusterfs",
        "lustre",
        "gpfs",
        "davfs",
        "fuse.sshfs",
        "fuse.davfs2",
        "fuse.gvfsd-fuse",
        "fuse.rclone",
        "fuse.s3fs",
    }
)
_DRIVE_REMOTE = 4  # GetDriveTypeW


class DiskFull(DatabaseProblem):
    """The disk (or the database's size limit) is full; the last committed state is intact."""


class StorageFailure(DatabaseProblem):
    """The disk failed to read or write; the transaction was rolled back."""


class DatabaseDamaged(DatabaseProblem):
    """The database file is damaged: the program stops writing to it."""


class NetworkShareRefused(DatabaseProblem):
    """The database is on a network share, where SQLite cannot keep it safe."""


DISK_FULL_MESSAGE = QT_TRANSLATE_NOOP(
    "Errors",
    "The disk is full, so this action was not saved. Everything saved before it is intact."
    " Free some space on the disk of {path} (or move old files away) and try again.",
)
DAMAGED_MESSAGE = QT_TRANSLATE_NOOP(
    "Errors",
    "The database file is damaged ({reason}). familydoc stops writing to it so nothing"
    " more is lost. Restore the newest good backup (Settings, or familydoc restore).",
)


def _mount_table() -> list[tuple[str, str]]:
    try:
        text = Path("/proc/self/mounts").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []
    return parse_mounts(text)


def parse_mounts(text: str) -> list[tuple[str, str]]:
    """(mount point, file system type) pairs of a Linux mounts table."""
    result = []
    for line in text.splitlines():
        fields = line.split()
        if len(fields) >= 3:
            point = fields[1].replace("\\040", " ").replace("\\011", "\t")
            result.append((point, fields[2]))
    return result


def linux_filesystem(path: Path, mounts: list[tuple[str, str]] | None = None) -> str | None:
    """The file system type of the mount that holds ``path`` (longest matching mount point)."""
    table = _mount_table() if mounts is None else mounts
    target = str(path)
    best: tuple[int, str] | None = None
    for point, fstype in table:
        prefix = point.rstrip("/") + "/"
        if (target == point or target.startswith(prefix) or point == "/") and (
            best is None or len(point) > best[0]
        ):
            best = (len(point), fstype)
    return best[1] if best else None


def _existing(path: Path) -> Path:
    """The path itself or its nearest existing parent, resolved (symlinks followed)."""
    current = path
    while not current.exists() and current.parent != current:
        current = current.parent
    return current.resolve()


def network_share_kind(
    path: Path, *, platform: str | None = None, mounts: list[tuple[str, str]] | None = None
) -> str | None:
    """What kind of network share holds ``path`` (e.g. ``cifs``, ``UNC``), or None if local."""
    platform = platform or sys.platform
    if platform == "win32":
        text = str(path)
        if text.startswith(("\\\\", "//")):
            # \\?\C:\... is a local path in its long form; \\?\UNC\server\share is not.
            upper = text.upper()
            if upper.startswith(("\\\\?\\", "\\\\.\\")) and not upper.startswith("\\\\?\\UNC\\"):
                return None
            return "UNC"
        if platform == sys.platform:
            return _windows_drive_kind(path)
        return None
    if platform.startswith("linux"):
        fstype = linux_filesystem(_existing(path) if mounts is None else path, mounts)
        if fstype and (fstype in NETWORK_FILESYSTEMS or fstype.split(".")[0] in {"nfs", "cifs"}):
            return fstype
    return None


def _windows_drive_kind(path: Path) -> str | None:  # pragma: no cover - Windows only
    import ctypes

    drive = PureWindowsPath(os.path.abspath(path)).drive
    if not drive:
        return None
    kind = ctypes.windll.kernel32.GetDriveTypeW(drive + "\\")
    return "network drive" if kind == _DRIVE_REMOTE else None


def refuse_network_share(path: Path) -> None:
    kind = network_share_kind(path)
    if kind is not None:
        raise NetworkShareRefused(
            QT_TRANSLATE_NOOP(
                "Errors",
                "The database {path} is on a network share ({kind}). familydoc keeps its data"
                " safe only on a disk of this computer: over a network, two computers can"
                " damage the file. Keep the database on this PC's own disk, or, for several"
                " workstations, ask for a shared database server (database.url).",
            ),
            path=str(path),
            kind=kind,
        )


def _sqlite_error(error: BaseException) -> sqlite3.Error | None:
    if isinstance(error, sa_exc.DBAPIError) and isinstance(error.orig, sqlite3.Error):
        return error.orig
    if isinstance(error, sqlite3.Error):
        return error
    return None


def storage_error(error: BaseException, path: Path | None = None) -> FamilydocError | None:
    """A plain-words error for SQLite's disk full / I/O error / damaged file, else None."""
    if isinstance(error, FamilydocError):
        return None
    raw = _sqlite_error(error)
    if raw is None:
        return None
    name = getattr(raw, "sqlite_errorname", "") or ""
    text = str(raw).lower()
    where = str(path.parent if path else "")
    if name.startswith("SQLITE_FULL") or "database or disk is full" in text:
        return DiskFull(DISK_FULL_MESSAGE, path=where)
    if name.startswith("SQLITE_CORRUPT") or name == "SQLITE_NOTADB" or "malformed" in text:
        return DatabaseDamaged(DAMAGED_MESSAGE, reason=str(raw))
    if name.startswith("SQLITE_IOERR") or "disk i/o error" in text:
        return StorageFailure(
            QT_TRANSLATE_NOOP(
                "Errors",
                "The disk could not read or write the database ({reason}), so this action was"
                " not saved. Everything saved before it is intact. If this happens again, the"
                " disk may be failing: make a backup to another disk now.",
            ),
            reason=str(raw),
        )
    return None
