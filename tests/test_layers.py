"""The dependency rule of DESIGN.md: nothing outside ``gui`` (and the CLI launcher) uses PySide6."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
QT_FREE_PACKAGES = ("core", "printing", "sync", "migrations")

# Runs in a fresh interpreter with PySide6 made unimportable. It imports every module of
# the Qt-free packages, runs every migration (that executes migrations/env.py and each
# version), and prints what it imported so the test can check the walk really happened.
IMPORT_EVERYTHING = textwrap.dedent(
    """
    import importlib
    import importlib.util
    import pkgutil
    import sys
    import tempfile
    from pathlib import Path

    class BlockPySide6:
        def find_spec(self, name, path=None, target=None):
            if name == "PySide6" or name.startswith("PySide6."):
                raise ImportError(f"{name} is blocked in this test")
            return None

    sys.meta_path.insert(0, BlockPySide6())
    sys.modules.pop("PySide6", None)

    try:
        import PySide6  # noqa: F401
    except ImportError:
        pass
    else:
        sys.exit("the PySide6 block does not work")
    try:
        import familydoc.gui.i18n  # noqa: F401
    except ImportError:
        pass
    else:
        sys.exit("familydoc.gui imported although PySide6 is blocked")

    imported = []
    for name in ("familydoc.core", "familydoc.printing", "familydoc.sync"):
        package = importlib.import_module(name)
        imported.append(name)
        for info in pkgutil.walk_packages(package.__path__, name + "."):
            importlib.import_module(info.name)
            imported.append(info.name)

    import familydoc.migrations
    imported.append("familydoc.migrations")
    versions = Path(familydoc.migrations.__file__).parent / "versions"
    for path in sorted(versions.glob("*.py")):
        spec = importlib.util.spec_from_file_location(f"_version_{path.stem}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        imported.append("versions." + path.stem)

    from familydoc.core.db import head_revision, open_database, schema_revision

    with tempfile.TemporaryDirectory() as folder:
        database = open_database(f"sqlite:///{folder}/layers.sqlite3")
        assert schema_revision(database) == head_revision()
        database.dispose()
    imported.append("migrations.env")

    loaded = [m for m in sys.modules if m == "PySide6" or m.startswith("PySide6.")]
    if loaded:
        sys.exit(f"PySide6 modules loaded: {loaded}")
    print("\\n".join(imported))
    """
)


def test_qt_free_packages_import_and_migrate_without_pyside6(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FAMILYDOC_")}
    env["PYTHONPATH"] = str(REPO_ROOT)
    result = subprocess.run(
        [sys.executable, "-c", IMPORT_EVERYTHING],
        cwd=tmp_path,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    imported = set(result.stdout.split())
    core_modules = {
        f"familydoc.core.{path.stem}"
        for path in (REPO_ROOT / "familydoc" / "core").glob("*.py")
        if path.stem != "__init__"
    }
    assert core_modules, "no core modules found"
    assert core_modules <= imported, core_modules - imported
    version_files = {
        f"versions.{path.stem}"
        for path in (REPO_ROOT / "familydoc" / "migrations" / "versions").glob("*.py")
    }
    assert version_files <= imported
    assert "migrations.env" in imported


def _python_files(package: str) -> list[Path]:
    return sorted((REPO_ROOT / "familydoc" / package).rglob("*.py"))


def _imported_modules(path: Path) -> list[str]:
    """Modules named by import statements and by ``importlib.import_module("...")`` calls."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0 and node.module:
                names.append(node.module)
        elif (
            isinstance(node, ast.Call)
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
            and (
                (isinstance(node.func, ast.Attribute) and node.func.attr == "import_module")
                or (isinstance(node.func, ast.Name) and node.func.id in ("__import__",))
            )
        ):
            names.append(node.args[0].value)
    return names


@pytest.mark.parametrize("package", QT_FREE_PACKAGES)
def test_no_pyside6_import_in_source(package: str) -> None:
    offenders = [
        f"{path.relative_to(REPO_ROOT)}: {name}"
        for path in _python_files(package)
        for name in _imported_modules(path)
        if name == "PySide6" or name.startswith("PySide6.")
    ]
    assert offenders == []


def test_the_source_scan_sees_imports() -> None:
    """The scanner above must find the PySide6 imports of the GUI, or it proves nothing."""
    gui_imports = [name for path in _python_files("gui") for name in _imported_modules(path)]
    assert any(name.startswith("PySide6") for name in gui_imports)
    assert _python_files("core"), "no core sources found"


def test_core_imports_nothing_of_ours_outside_core() -> None:
    offenders = [
        f"{path.relative_to(REPO_ROOT)}: {name}"
        for path in _python_files("core")
        for name in _imported_modules(path)
        if name.startswith("familydoc") and not name.startswith("familydoc.core")
    ]
    assert offenders == []
