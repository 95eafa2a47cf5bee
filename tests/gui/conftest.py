"""GUI fixtures: a demo database made once per session, copied into each test's home."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from familydoc.core.config import DATABASE_FILE, Home
from familydoc.core.context import AppContext, open_context
from familydoc.core.db import copy_sqlite_file
from familydoc.core.demo import DEMO_PASSWORD, create_demo
from familydoc.gui.collector import MainThreadCollector
from familydoc.gui.i18n import Translator
from familydoc.gui.runner import OperationRunner

DEMO_RESIDENTS = 400


@pytest.fixture(scope="session", autouse=True)
def gui_thread_collection(qapp: QApplication) -> Iterator[None]:
    """As in the program: no garbage collection in the database or sync threads."""
    collector = MainThreadCollector(qapp)
    yield
    collector.stop()


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
def runner(demo_context: AppContext) -> Iterator[OperationRunner]:
    """The database thread the pages and dialogs run their work on."""
    runner = OperationRunner(demo_context.database)
    yield runner
    runner.shutdown()


@pytest.fixture
def chinese(qapp: QApplication) -> Iterator[Translator]:
    """The default UI language, so tests read what the clinic's staff read."""
    translator = Translator("zh_CN")
    translator.install(qapp)
    yield translator
    for catalogue in translator.catalogues:
        qapp.removeTranslator(catalogue)


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
