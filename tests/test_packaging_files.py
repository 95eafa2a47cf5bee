"""The developer bootstrap (dev.py), the PyInstaller spec and the CI script, without building.

The real bundle is built and started by ``.ci/run``; these tests check the pieces that can be
checked in milliseconds: dev.py's venv paths and its reinstall stamp, that what build.spec ships
exists, and that a bundle's layout is where the program looks for its resources.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import sys
from pathlib import Path
from types import ModuleType

import pytest

from familydoc.core import resources

REPO_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def dev(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> ModuleType:
    """dev.py loaded as a module, its .venv and pyproject.toml moved into tmp_path."""
    spec = importlib.util.spec_from_file_location("familydoc_dev_script", REPO_ROOT / "dev.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[project]\nname = "familydoc"\n', encoding="utf-8")
    monkeypatch.setattr(module, "ROOT", tmp_path)
    monkeypatch.setattr(module, "VENV", tmp_path / ".venv")
    monkeypatch.setattr(module, "PYPROJECT", pyproject)
    monkeypatch.setattr(module, "STAMP", tmp_path / ".venv" / ".familydoc-dev.json")
    return module


def _fake_venv(dev: ModuleType) -> list[list[str]]:
    """A .venv whose python 'works' and whose pip calls are recorded instead of run."""
    program = dev.venv_executable("familydoc")
    program.parent.mkdir(parents=True)
    program.write_text("", encoding="utf-8")
    calls: list[list[str]] = []
    dev._venv_works = lambda: True
    dev._run = lambda command, env=None: calls.append([str(c) for c in command]) or 0
    return calls


def test_venv_executables_follow_the_platform(
    dev: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dev, "WINDOWS", True)
    assert dev.venv_python() == dev.VENV / "Scripts" / "python.exe"
    assert dev.venv_executable("familydoc") == dev.VENV / "Scripts" / "familydoc.exe"
    monkeypatch.setattr(dev, "WINDOWS", False)
    assert dev.venv_python() == dev.VENV / "bin" / "python"


def test_install_runs_once_per_pyproject_and_keeps_extras(dev: ModuleType) -> None:
    calls = _fake_venv(dev)

    dev.ensure_venv(["test"])
    assert len(calls) == 1
    assert calls[0][-2:] == ["-e", f"{dev.ROOT}[test]"]
    stamp = json.loads(dev.STAMP.read_text(encoding="utf-8"))
    assert stamp == {
        "pyproject": hashlib.sha256(dev.PYPROJECT.read_bytes()).hexdigest(),
        "extras": ["test"],
    }

    dev.ensure_venv(["test"])
    dev.ensure_venv()  # `run` needs no extra: what `test` installed is enough
    assert len(calls) == 1

    dev.PYPROJECT.write_text('[project]\nname = "familydoc"\nversion = "2"\n', encoding="utf-8")
    dev.ensure_venv()
    assert len(calls) == 2
    assert calls[1][-2:] == ["-e", str(dev.ROOT)]  # a changed pyproject drops the old extras
    dev.ensure_venv(["test"])
    assert calls[2][-2:] == ["-e", f"{dev.ROOT}[test]"]


def test_failed_install_leaves_no_stamp(dev: ModuleType) -> None:
    _fake_venv(dev)
    dev._run = lambda command, env=None: 1
    with pytest.raises(dev.DevError):
        dev.ensure_venv(["test"])
    assert not dev.STAMP.exists()


def test_dev_usage(dev: ModuleType, capsys: pytest.CaptureFixture[str]) -> None:
    assert dev.main([]) == 2
    assert dev.main(["--help"]) == 0
    assert dev.main(["bogus"]) == 2
    assert "dev.py run" in capsys.readouterr().out


def test_what_build_spec_ships_exists() -> None:
    spec = (REPO_ROOT / "build.spec").read_text(encoding="utf-8")
    assert "packaging/familydoc_entry.py" in spec.replace('" / "', "/")
    assert (REPO_ROOT / "packaging" / "familydoc_entry.py").is_file()
    assert list((REPO_ROOT / "resources" / "translations").glob("familydoc_*.qm"))
    migrations = REPO_ROOT / "familydoc" / "migrations"
    assert (migrations / "env.py").is_file()
    assert (migrations / "script.py.mako").is_file()
    assert list((migrations / "versions").glob("*.py"))


def test_bundle_layout_is_where_the_program_looks(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    bundled = tmp_path / "_internal" / "familydoc" / "resources"
    (bundled / "translations").mkdir(parents=True)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path / "_internal"), raising=False)
    assert resources.resources_dir() == bundled


def test_ci_script_is_strict_and_runs_the_readme_commands() -> None:
    script = REPO_ROOT / ".ci" / "run"
    text = script.read_text(encoding="utf-8")
    if os.name == "posix":
        assert os.access(script, os.X_OK)
    assert "set -euo pipefail" in text
    assert "dev.py test" in text
    assert "build.spec" in text
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    assert "python3 dev.py run" in readme
    assert "python3 dev.py test" in readme
