"""The command line as scripts use it: real processes, exit codes of DESIGN.md, no tracebacks."""

from __future__ import annotations

import os
import re
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

import familydoc
from familydoc.core.context import AppContext
from familydoc.core.resources import resources_dir

REPO_ROOT = Path(__file__).resolve().parents[2]
# The accounts of the ``initialised`` fixture (tests/conftest.py).
ADMIN_PASSWORD = "admin-pass-1"
INIT = ("init", "--institution-code", "320321110", "--institution-name", "测试镇卫生院")


def run_cli(
    *args: str,
    home: Path | None = None,
    lang: str | None = "en",
    password: str | None = None,
    new_password: str | None = None,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "familydoc"]
    if home is not None:
        command += ["--home", str(home)]
    if lang is not None:
        command += ["--lang", lang]
    command += list(args)
    environment = {k: v for k, v in os.environ.items() if not k.startswith("FAMILYDOC_")}
    environment.update(
        PYTHONPATH=str(REPO_ROOT),
        PYTHONIOENCODING="utf-8",
        QT_QPA_PLATFORM="offscreen",
    )
    if password is not None:
        environment["FAMILYDOC_PASSWORD"] = password
    if new_password is not None:
        environment["FAMILYDOC_NEW_PASSWORD"] = new_password
    environment.update(env or {})
    result = subprocess.run(
        command,
        env=environment,
        cwd=cwd or REPO_ROOT,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )
    # Whatever the outcome, a user never sees a Python traceback.
    assert "Traceback" not in result.stderr, result.stderr
    assert "Traceback" not in result.stdout, result.stdout
    return result


def _query(path: Path, sql: str, *params: object) -> list[tuple]:
    connection = sqlite3.connect(path)
    try:
        return connection.execute(sql, params).fetchall()
    finally:
        connection.close()


def _has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def test_version() -> None:
    result = run_cli("--version", lang=None)
    assert result.returncode == 0
    assert result.stdout.strip() == f"familydoc {familydoc.__version__}"
    assert re.fullmatch(r"familydoc \d+\.\d+\.\d+\S*", result.stdout.strip())


def test_init_creates_the_database_and_refuses_a_second_time(tmp_path: Path) -> None:
    home = tmp_path / "home"
    created = run_cli(*INIT, "--admin", "admin", home=home, password=ADMIN_PASSWORD)
    assert created.returncode == 0, created.stderr
    assert "320321110" in created.stdout
    database = home / "familydoc.sqlite3"
    assert database.exists()
    assert _query(database, "SELECT code, name, is_home FROM institution") == [
        ("320321110", "测试镇卫生院", 1)
    ]
    assert _query(database, "SELECT kind, price_fen FROM service_package WHERE code = 'basic'") == [
        ("basic", 0)
    ]
    [(role, password_hash)] = _query(database, "SELECT role, password_hash FROM app_user")
    assert role == "admin"
    assert password_hash.startswith("$argon2id$")
    assert "m=65536" in password_hash  # the real cost, not a test shortcut

    again = run_cli(*INIT, "--admin", "other", home=home, password=ADMIN_PASSWORD)
    assert again.returncode == 1
    assert "already belongs" in again.stderr
    assert _query(database, "SELECT username FROM app_user") == [("admin",)]


def test_init_without_a_password_and_no_terminal_is_a_usage_error(tmp_path: Path) -> None:
    home = tmp_path / "home"
    result = run_cli(*INIT, "--admin", "admin", home=home)
    assert result.returncode == 2
    assert "FAMILYDOC_PASSWORD" in result.stderr
    assert not (home / "familydoc.sqlite3").exists()


def test_demo_prints_the_accounts_and_refuses_a_used_home(tmp_path: Path) -> None:
    home = tmp_path / "demo-home"
    result = run_cli("demo", "--residents", "200", "--seed", "3", home=home)
    assert result.returncode == 0, result.stderr
    for username in ("admin", "yuanzhang", "wangys", "luru"):
        assert username in result.stdout
    assert "demo12345" in result.stdout
    assert "200 residents" in result.stdout
    database = home / "familydoc.sqlite3"
    assert _query(database, "SELECT count(*) FROM resident") == [(200,)]

    again = run_cli("demo", "--residents", "200", home=home)
    assert again.returncode == 1
    assert "already holds" in again.stderr
    assert _query(database, "SELECT count(*) FROM resident") == [(200,)]


def test_users_commands(initialised: AppContext) -> None:
    home = initialised.home.path
    database = initialised.home.database_file
    as_admin = {"home": home, "password": ADMIN_PASSWORD}

    added = run_cli(
        "users", "add", "luru", "--role", "clerk", "--name", "赵小燕", "--user", "admin",
        new_password="clerk-pass-1", **as_admin,
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    listed = run_cli("users", "list", "--user", "admin", **as_admin)
    assert listed.returncode == 0, listed.stderr
    assert re.search(r"luru\s+赵小燕\s+Clerk\s+active", listed.stdout), listed.stdout

    locked = run_cli("users", "lock", "luru", "--user", "admin", **as_admin)
    assert locked.returncode == 0, locked.stderr
    assert _query(database, "SELECT disabled FROM app_user WHERE username = 'luru'") == [(1,)]
    unlocked = run_cli("users", "lock", "luru", "--unlock", "--user", "admin", **as_admin)
    assert unlocked.returncode == 0, unlocked.stderr
    assert _query(database, "SELECT disabled FROM app_user WHERE username = 'luru'") == [(0,)]

    changed = run_cli(
        "users", "passwd", "luru", "--user", "admin", new_password="clerk-pass-2", **as_admin
    )
    assert changed.returncode == 0, changed.stderr

    # The clerk logs in with the new password but may not manage accounts.
    as_clerk = {"home": home, "password": "clerk-pass-2"}
    refused = run_cli("users", "list", "--user", "luru", **as_clerk)
    assert refused.returncode == 1
    assert "not allowed" in refused.stderr
    users_before = _query(database, "SELECT count(*) FROM app_user")
    refused_add = run_cli(
        "users", "add", "sneaky", "--role", "admin", "--user", "luru",
        new_password="sneaky-pass-1", **as_clerk,
    )  # fmt: skip
    assert refused_add.returncode == 1
    assert _query(database, "SELECT count(*) FROM app_user") == users_before
    refused_lock = run_cli("users", "lock", "admin", "--user", "luru", **as_clerk)
    assert refused_lock.returncode == 1
    # Anyone may change their own password, knowing the old one.
    own = run_cli(
        "users", "passwd", "luru", "--user", "luru", new_password="clerk-pass-3", **as_clerk
    )
    assert own.returncode == 0, own.stderr

    actions = [row[0] for row in _query(database, "SELECT action FROM audit_event ORDER BY id")]
    for action in ("user.create", "user.lock", "user.unlock", "user.password", "login"):
        assert action in actions


def test_wrong_password_and_missing_user(initialised: AppContext) -> None:
    home = initialised.home.path
    wrong = run_cli("users", "list", "--user", "admin", home=home, password="not-the-password")
    assert wrong.returncode == 5
    assert "Wrong user name or password" in wrong.stderr
    rows = _query(
        initialised.home.database_file,
        "SELECT username FROM audit_event WHERE action = 'login.failed'",
    )
    assert rows == [("admin",)]
    missing = run_cli("users", "list", home=home, password=ADMIN_PASSWORD)
    assert missing.returncode == 2
    assert "--user" in missing.stderr


def test_config_set_and_get(tmp_path: Path) -> None:
    home = tmp_path / "home"
    saved = run_cli("config", "set", "ui.auto_lock_minutes", "30", home=home)
    assert saved.returncode == 0, saved.stderr
    read = run_cli("config", "get", "ui.auto_lock_minutes", home=home)
    assert read.returncode == 0
    assert read.stdout.strip() == "30"
    if os.name == "posix":
        assert stat.S_IMODE((home / "config.toml").stat().st_mode) == 0o600

    unknown = run_cli("config", "set", "ui.colour", "blue", home=home)
    assert unknown.returncode == 1
    assert "Unknown setting" in unknown.stderr
    not_a_number = run_cli("config", "set", "ui.auto_lock_minutes", "soon", home=home)
    assert not_a_number.returncode == 1
    assert "ui.colour" not in (home / "config.toml").read_text(encoding="utf-8")
    assert "auto_lock_minutes = 30" in (home / "config.toml").read_text(encoding="utf-8")


def test_database_url_option_is_honoured(tmp_path: Path) -> None:
    home = tmp_path / "home"
    other = tmp_path / "elsewhere" / "other.sqlite3"
    other.parent.mkdir()
    result = run_cli(
        "--database-url", f"sqlite:///{other.as_posix()}", *INIT, "--admin", "admin",
        home=home, password=ADMIN_PASSWORD,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert _query(other, "SELECT code FROM institution") == [("320321110",)]
    assert not (home / "familydoc.sqlite3").exists()


def test_database_url_environment_is_honoured(tmp_path: Path) -> None:
    home = tmp_path / "home"
    other = tmp_path / "from-env.sqlite3"
    result = run_cli(
        *INIT, "--admin", "admin", home=home, password=ADMIN_PASSWORD,
        env={"FAMILYDOC_DATABASE_URL": f"sqlite:///{other.as_posix()}"},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert _query(other, "SELECT code FROM institution") == [("320321110",)]
    assert not (home / "familydoc.sqlite3").exists()


def test_familydoc_home_environment_is_honoured(tmp_path: Path) -> None:
    home = tmp_path / "env-home"
    result = run_cli(
        *INIT, "--admin", "admin", password=ADMIN_PASSWORD,
        env={"FAMILYDOC_HOME": str(home)}, cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert _query(home / "familydoc.sqlite3", "SELECT code FROM institution") == [("320321110",)]
    assert not (tmp_path / "familydoc.sqlite3").exists()


def test_messages_in_chinese(initialised: AppContext) -> None:
    catalogue = resources_dir() / "translations" / "familydoc_zh_CN.qm"
    if not catalogue.exists():
        pytest.skip(f"no Chinese translation built yet ({catalogue})")
    result = run_cli(
        *INIT, "--admin", "other", home=initialised.home.path, lang="zh_CN",
        password=ADMIN_PASSWORD,
    )  # fmt: skip
    assert result.returncode == 1
    assert _has_chinese(result.stderr), result.stderr
    assert "already belongs" not in result.stderr
