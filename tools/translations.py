"""Update the Chinese translation: collect strings with lupdate, build the .qm with lrelease.

python tools/translations.py          # after changing user-visible strings
(then translate the new entries in resources/translations/familydoc_zh_CN.ts,
 with Qt Linguist or by hand, and run the command again to rebuild the .qm)
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TS_FILE = ROOT / "resources" / "translations" / "familydoc_zh_CN.ts"
QM_FILE = TS_FILE.with_suffix(".qm")


def sources() -> list[Path]:
    return sorted(p for p in (ROOT / "familydoc").rglob("*.py") if "migrations" not in p.parts)


def _tool(name: str) -> str:
    found = shutil.which(name) or shutil.which(name, path=str(Path(sys.executable).parent))
    if not found:
        raise SystemExit(f"{name} not found: install PySide6-Essentials in this environment")
    return found


def lupdate(ts_file: Path) -> None:
    subprocess.run(
        [
            _tool("pyside6-lupdate"),
            *map(str, sources()),
            "-locations",
            "none",
            "-no-obsolete",
            "-ts",
            str(ts_file),
        ],
        check=True,
        capture_output=True,
        text=True,
    )


def lrelease(ts_file: Path, qm_file: Path) -> None:
    subprocess.run(
        [_tool("pyside6-lrelease"), str(ts_file), "-qm", str(qm_file)],
        check=True,
        capture_output=True,
        text=True,
    )


def main() -> int:
    lupdate(TS_FILE)
    lrelease(TS_FILE, QM_FILE)
    text = TS_FILE.read_text(encoding="utf-8")
    unfinished = text.count('type="unfinished"')
    print(f"{TS_FILE.name}: {unfinished} unfinished translation(s)")
    return 1 if unfinished else 0


if __name__ == "__main__":
    raise SystemExit(main())
