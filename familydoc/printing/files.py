"""Writing a finished document to disk."""

from __future__ import annotations

import os
from pathlib import Path

from familydoc.core.errors import QT_TRANSLATE_NOOP, RuleViolation


def write_file_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file, so a failure leaves no half PDF."""
    if not path.parent.is_dir():
        raise RuleViolation(
            QT_TRANSLATE_NOOP("Errors", "The folder {path} does not exist."), path=str(path.parent)
        )
    tmp = path.with_name(path.name + ".part")
    try:
        with open(tmp, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise RuleViolation(
            QT_TRANSLATE_NOOP("Errors", "The file {path} cannot be written: {reason}"),
            path=str(path),
            reason=exc.strerror or str(exc),
        ) from exc
