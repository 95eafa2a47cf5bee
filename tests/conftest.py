"""Fixtures shared by every test: a clean environment and a home with a real SQLite file.

Each test gets its own home under ``tmp_path``; we never mock our own database.
Hashing a password with the real argon2 parameters costs about 0.1 s (and so
does every check of one), so the ``initialised`` fixture swaps in an argon2id
hasher with the smallest cost; ``test_auth`` checks the real parameters and
the command-line tests (separate processes) hash with them.
"""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from familydoc.core import auth, setup
from familydoc.core.config import ENV_DATABASE_URL, ENV_HOME, Home
from familydoc.core.context import AppContext, open_context

REPO_ROOT = Path(__file__).resolve().parent.parent

INSTITUTION_CODE = "320321110"
INSTITUTION_NAME = "测试镇卫生院"
ADMIN_USERNAME = "admin"
ADMIN_PASSWORD = "admin-pass-1"
USER_PASSWORD = "user-pass-1"

ENV_PASSWORD = "FAMILYDOC_PASSWORD"


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Settings of the developer's shell must not leak into (or be written by) a test."""
    for name in (ENV_HOME, ENV_DATABASE_URL, ENV_PASSWORD, "FAMILYDOC_NEW_PASSWORD"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def home(tmp_path: Path) -> Home:
    return Home(tmp_path / "home")


@pytest.fixture
def context(home: Home) -> Iterator[AppContext]:
    ctx = open_context(home)
    yield ctx
    ctx.close()


@pytest.fixture
def fast_argon2(monkeypatch: pytest.MonkeyPatch) -> Iterator[PasswordHasher]:
    """argon2id with the least work, so a test may log in and out many times."""
    hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    monkeypatch.setattr(auth, "_hasher", hasher)
    auth._dummy_hash.cache_clear()
    yield hasher
    auth._dummy_hash.cache_clear()


@pytest.fixture
def initialised(context: AppContext, fast_argon2: PasswordHasher) -> AppContext:
    """A database that belongs to an institution, with its first administrator."""
    with context.database.unit_of_work() as session:
        setup.initialise(
            session,
            institution_code=INSTITUTION_CODE,
            institution_name=INSTITUTION_NAME,
            admin_username=ADMIN_USERNAME,
            admin_password=ADMIN_PASSWORD,
        )
    return context


@pytest.fixture
def admin(initialised: AppContext) -> auth.Actor:
    with initialised.database.unit_of_work() as session:
        return auth.actor_for(session, ADMIN_USERNAME)


@pytest.fixture
def make_user(initialised: AppContext, admin: auth.Actor) -> Callable[..., auth.Actor]:
    """``make_user(role, username=None, password=USER_PASSWORD)`` adds an account (as admin)."""

    def make(role: str, username: str | None = None, password: str = USER_PASSWORD) -> auth.Actor:
        with initialised.database.unit_of_work() as session:
            row = auth.create_user(
                session,
                admin,
                username=username or f"{role}1",
                display_name=f"{role} 测试",
                role=role,
                password=password,
            )
        return auth.Actor(row.id, row.username, row.display_name, row.role)

    return make
