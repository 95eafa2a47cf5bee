#!/usr/bin/env python3
"""The developer's single entry to familydoc: sets everything up, then runs the program or tests.

    python3 dev.py run [familydoc arguments...]    start familydoc (no arguments: the GUI)
    python3 dev.py test [pytest arguments...]      ruff, then the whole test suite

Both create the virtual environment ``.venv`` in the repository when it is missing, install
familydoc into it in editable mode (again only when pyproject.toml changed), and on Linux check
that the system libraries Qt needs and a Chinese font are present (installing them with apt-get
when we may). Only the standard library is used: this runs on a fresh machine with Python 3.11+.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
PYPROJECT = ROOT / "pyproject.toml"
STAMP = VENV / ".familydoc-dev.json"
WINDOWS = os.name == "nt"
LINUX = sys.platform.startswith("linux")
MIN_PYTHON = (3, 11)
LINT_PATHS = ("familydoc", "tests", "bench", "tools", "packaging", "dev.py")

# Debian/Ubuntu packages: Qt's libraries for QtWidgets and its xcb (X11) platform plugin,
# and a CJK font so Chinese text is not drawn as boxes.
QT_PACKAGES = (
    "libegl1",
    "libgl1",
    "libxkbcommon0",
    "libxkbcommon-x11-0",
    "libfontconfig1",
    "libdbus-1-3",
    "libxcb-cursor0",
    "libxcb-icccm4",
    "libxcb-keysyms1",
    "libxcb-shape0",
    "libxcb-xinerama0",
    "libxcb-randr0",
    "libxcb-render-util0",
    "libxcb-image0",
)
# Noto CJK draws the screens; contract PDFs need a TrueType CJK font to embed (ReportLab
# refuses Noto's OpenType/CFF outlines): WenQuanYi Micro Hei.
FONT_PACKAGES = ("fonts-noto-cjk", "fonts-wqy-microhei")

USAGE = """\
usage: python3 dev.py run [familydoc arguments...]
       python3 dev.py test [pytest arguments...]

  run    set up .venv if needed, then start familydoc with the arguments given
         (none: the GUI; e.g. "demo", "--home DIR demo --residents 300", "--version")
  test   set up .venv with the test tools, run ruff and then the whole pytest suite
"""


class DevError(Exception):
    """Something the developer has to fix; the message says what."""


def say(message: str) -> None:
    print(f"dev.py: {message}", file=sys.stderr, flush=True)


def venv_executable(name: str) -> Path:
    if WINDOWS:
        return VENV / "Scripts" / f"{name}.exe"
    return VENV / "bin" / name


def venv_python() -> Path:
    return venv_executable("python")


def _quiet(command: Sequence[str | Path], env: dict[str, str] | None = None) -> bool:
    """Run a check; True when it succeeded. Output is swallowed."""
    try:
        result = subprocess.run(
            [str(part) for part in command],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env,
            check=False,
        )
    except OSError:
        return False
    return result.returncode == 0


def _capture(command: Sequence[str | Path], env: dict[str, str] | None = None) -> str | None:
    """Run a check and return its standard output, or None when it failed."""
    try:
        result = subprocess.run(
            [str(part) for part in command],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            errors="replace",
            env=env,
            check=False,
        )
    except OSError:
        return None
    return result.stdout if result.returncode == 0 else None


def _run(command: Sequence[str | Path], env: dict[str, str] | None = None) -> int:
    """Run a step with its output shown; returns the exit code."""
    try:
        return subprocess.run(
            [str(part) for part in command], cwd=ROOT, env=env, check=False
        ).returncode
    except OSError as exc:
        raise DevError(f"cannot run {command[0]}: {exc}") from exc


# --- system packages (Linux) -------------------------------------------------------------


def _root_prefix() -> list[str] | None:
    """How to run a command as root without asking for a password; None when we cannot."""
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        return []
    if shutil.which("sudo") and _quiet(["sudo", "-n", "true"]):
        return ["sudo", "-n"]
    return None


def apt_install(packages: Sequence[str], why: str) -> bool:
    """Install Debian packages when apt-get exists and we may; else say what to install."""
    command = ["apt-get", "install", "-y", "-q", "--no-install-recommends", *packages]
    prefix = _root_prefix() if shutil.which("apt-get") else None
    if prefix is None:
        if shutil.which("apt-get"):
            say(f"{why}. Install them with:\n    sudo {' '.join(command)}")
        else:
            say(
                f"{why}. These are the Debian/Ubuntu package names; install the equivalents"
                f" with your system's package manager:\n    {' '.join(packages)}"
            )
        return False
    say(f"{why}; installing them with apt-get: {' '.join(packages)}")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    for step in (["apt-get", "update", "-q"], command):
        result = subprocess.run(
            [*prefix, *step],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            check=False,
        )
        if result.returncode != 0:
            say(f"'{' '.join(step)}' failed:\n{result.stderr.strip()}")
            say(f"install them yourself with:\n    sudo {' '.join(command)}")
            return False
    return True


def _qt_widgets_loads() -> bool:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return _quiet([venv_python(), "-c", "from PySide6 import QtWidgets"], env=env)


def _xcb_plugin_complete() -> bool:
    """True when Qt's X11 platform plugin finds all its libraries (or we cannot tell)."""
    if not shutil.which("ldd"):
        return True
    where = _capture(
        [venv_python(), "-c", "import PySide6, os; print(os.path.dirname(PySide6.__file__))"]
    )
    if where is None:
        return False
    plugin = Path(where.strip()) / "Qt" / "plugins" / "platforms" / "libqxcb.so"
    if not plugin.exists():
        return True
    listing = _capture(["ldd", plugin])
    return listing is not None and "not found" not in listing


def _has_chinese_font() -> bool | None:
    """True/False from fontconfig; None when fc-list is missing and we cannot tell.

    True needs a TrueType Chinese font too (the one contract PDFs embed)."""
    if not shutil.which("fc-list"):
        return None
    listing = _capture(["fc-list", ":lang=zh", "family"])
    truetype = _capture(["fc-list", ":lang=zh:fontformat=TrueType", "family"])
    return bool(listing and listing.strip() and truetype and truetype.strip())


def ensure_system_packages() -> None:
    """Linux: Qt's system libraries and a CJK font. Warns (does not stop) when still missing."""
    if not LINUX:
        return
    qt_ok = _qt_widgets_loads() and _xcb_plugin_complete()
    font = _has_chinese_font()
    needed: list[str] = []
    reasons: list[str] = []
    if not qt_ok:
        needed += QT_PACKAGES
        reasons.append("Qt's system libraries are missing")
    if font is not True:
        needed += FONT_PACKAGES
        if font is None:
            needed.append("fontconfig")
        reasons.append("no Chinese font was found")
    if not needed:
        return
    apt_install(needed, " and ".join(reasons))
    if not qt_ok and not (_qt_widgets_loads() and _xcb_plugin_complete()):
        say("warning: Qt still cannot load; the GUI and its tests will fail until it can.")
    if font is not True and _has_chinese_font() is False:
        say("warning: no Chinese font; Chinese text will show as boxes.")


# --- the virtual environment ----------------------------------------------------------


def _venv_works() -> bool:
    check = f"import sys; sys.exit(sys.version_info[:2] < {MIN_PYTHON!r})"
    return venv_python().exists() and _quiet([venv_python(), "-c", check])


def _system_pip_works() -> bool:
    # pip's --python option (run pip against another environment) needs pip 22.3 or later.
    check = (
        "import sys, pip; v = tuple(int(p) for p in pip.__version__.split('.')[:2]);"
        " sys.exit(v < (22, 3))"
    )
    return _quiet([sys.executable, "-c", check])


def _remove_venv() -> None:
    shutil.rmtree(VENV, ignore_errors=True)


def create_venv() -> None:
    say(f"creating the virtual environment {VENV.name} with Python {sys.version.split()[0]}")
    _remove_venv()
    created = subprocess.run(
        [sys.executable, "-m", "venv", str(VENV)],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        check=False,
    )
    if created.returncode == 0 and _quiet([venv_python(), "-m", "pip", "--version"]):
        return
    # Debian without python3-venv: no ensurepip. Make the venv without pip, then put pip into
    # it with the system's pip; failing that, install python3-venv and try again.
    say("'python3 -m venv' could not install pip (no ensurepip; on Debian: python3-venv)")
    _remove_venv()
    bare = _quiet([sys.executable, "-m", "venv", "--without-pip", str(VENV)])
    if bare and _venv_works() and _system_pip_works():
        say("bootstrapping pip into the venv with the system's pip")
        code = _run(
            [
                sys.executable,
                "-m",
                "pip",
                "--python",
                str(venv_python()),
                "install",
                "-q",
                "--disable-pip-version-check",
                "pip",
            ]
        )
        if code == 0 and _quiet([venv_python(), "-m", "pip", "--version"]):
            return
    _remove_venv()
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    if LINUX and apt_install(
        ["python3-venv", f"{version}-venv"], "Python's venv module cannot install pip"
    ):
        if _quiet([sys.executable, "-m", "venv", str(VENV)]) and _quiet(
            [venv_python(), "-m", "pip", "--version"]
        ):
            return
        _remove_venv()
    detail = created.stderr.strip()
    raise DevError(
        "cannot create a virtual environment with pip in it."
        + (f"\n{detail}" if detail else "")
        + f"\nOn Debian/Ubuntu install python3-venv (or {version}-venv) or python3-pip,"
        " then run this again."
    )


def _pyproject_hash() -> str:
    return hashlib.sha256(PYPROJECT.read_bytes()).hexdigest()


def _read_stamp() -> dict[str, object]:
    try:
        data = json.loads(STAMP.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def ensure_venv(extras: Sequence[str] = ()) -> None:
    """Make .venv and install familydoc (with the extras) unless pyproject.toml is unchanged."""
    if not _venv_works():
        create_venv()
    digest = _pyproject_hash()
    stamp = _read_stamp()
    installed = stamp.get("extras") if stamp.get("pyproject") == digest else None
    have = {str(e) for e in installed} if isinstance(installed, list) else None
    if have is not None and set(extras) <= have and venv_executable("familydoc").exists():
        return
    wanted = sorted(set(extras) | (have or set()))
    target = f"{ROOT}[{','.join(wanted)}]" if wanted else str(ROOT)
    say(
        "installing familydoc"
        + (f" with {', '.join(wanted)} extras" if wanted else "")
        + f" into {VENV.name} (the first time takes a few minutes)"
    )
    STAMP.unlink(missing_ok=True)
    code = _run(
        [venv_python(), "-m", "pip", "install", "-q", "--disable-pip-version-check", "-e", target]
    )
    if code != 0:
        raise DevError("pip install failed (see the messages above)")
    STAMP.write_text(json.dumps({"pyproject": digest, "extras": wanted}) + "\n", encoding="utf-8")


# --- commands ----------------------------------------------------------------------------


def command_run(args: Sequence[str]) -> int:
    ensure_venv()
    ensure_system_packages()
    program = venv_executable("familydoc")
    if (
        LINUX
        and not args
        and not any(os.environ.get(v) for v in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"))
    ):
        say("no display found (DISPLAY is not set): the GUI needs a desktop session")
    sys.stdout.flush()
    sys.stderr.flush()
    if WINDOWS:
        # os.execv on Windows starts a new process and returns at once to the console.
        return subprocess.run([str(program), *args], check=False).returncode
    os.execv(program, [str(program), *args])
    return 0  # not reached


def command_test(args: Sequence[str]) -> int:
    ensure_venv(["test"])
    ensure_system_packages()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env.pop("PYTHONPATH", None)
    lint_paths = [p for p in LINT_PATHS if (ROOT / p).exists()]
    say(f"ruff check {' '.join(lint_paths)}")
    lint = _run([venv_python(), "-m", "ruff", "check", *lint_paths], env=env)
    say("pytest" + (f" {' '.join(args)}" if args else ""))
    tests = _run([venv_python(), "-m", "pytest", "-q", *args], env=env)
    if tests == 5:
        say("pytest collected no tests: that counts as a failure")
    if lint != 0:
        say("ruff found problems (see above)")
    if tests != 0:
        return tests
    return 1 if lint != 0 else 0


def main(argv: Sequence[str]) -> int:
    if sys.version_info[:2] < MIN_PYTHON:
        say(
            "familydoc needs Python {}.{} or later; this is {}".format(
                *MIN_PYTHON, sys.version.split()[0]
            )
        )
        return 1
    if not argv or argv[0] in ("-h", "--help", "help"):
        print(USAGE, end="")
        return 0 if argv else 2
    command, rest = argv[0], list(argv[1:])
    commands = {"run": command_run, "test": command_test}
    if command not in commands:
        print(USAGE, end="", file=sys.stderr)
        say(f"unknown command {command!r}")
        return 2
    try:
        return commands[command](rest)
    except DevError as exc:
        say(f"error: {exc}")
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
