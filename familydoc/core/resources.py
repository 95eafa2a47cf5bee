"""Where the shipped resources (translations, templates, icons) are found.

In a wheel or a PyInstaller bundle they sit inside the package as
``familydoc/resources``; in a source checkout they are the repository's
top-level ``resources/`` folder.
"""

from __future__ import annotations

import sys
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent.parent


def resources_dir() -> Path:
    candidates = [_PACKAGE_DIR / "resources", _PACKAGE_DIR.parent / "resources"]
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        candidates.insert(0, Path(bundle) / "familydoc" / "resources")
    for candidate in candidates:
        if (candidate / "translations").is_dir():
            return candidate
    raise FileNotFoundError(
        "familydoc resources folder not found; looked in: " + ", ".join(str(c) for c in candidates)
    )


def resource_path(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)
