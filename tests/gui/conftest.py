"""GUI fixtures: a demo database made once per session, copied into each test's home."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from familydoc.core.config import DATABASE_FILE, Home
from familydoc.core.context import AppContext, open_context
from familydoc.core.db import copy_sqlite_file
from familydoc.core.demo import DEMO_PASSWORD, create_demo

DEMO_RESIDENTS = 400


@pytest.fixture(scope="session")
def demo_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = Home(tmp_path_factory.mktemp("demo-template"))
    context = open_context(home)
    with context.database.unit_of_work() as session:
        create_demo(session, residents=DEMO_RESIDENTS, seed=11)
    context.close()
    return home.database_file


@pytest.fixture
def demo_home(tmp_path: Path, demo_database: Path) -> Home:
    home = Home(tmp_path / "home")
    home.ensure()
    copy_sqlite_file(demo_database, home.database_file)
    assert (home.path / DATABASE_FILE).exists()
    return home


@pytest.fixture
def demo_context(demo_home: Home) -> Iterator[AppContext]:
    context = open_context(demo_home)
    yield context
    context.close()


@pytest.fixture
def password() -> str:
    return DEMO_PASSWORD


@pytest.fixture
def empty_home(tmp_path: Path) -> Home:
    home = Home(tmp_path / "empty-home")
    home.ensure()
    return home


def remove_home(home: Home) -> None:
    shutil.rmtree(home.path, ignore_errors=True)
