"""Printing fixtures: a small demo database made once, copied into each test's home."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlalchemy import func, select

from familydoc.core import auth
from familydoc.core.config import Home
from familydoc.core.context import AppContext, open_context
from familydoc.core.db import copy_sqlite_file
from familydoc.core.demo import create_demo
from familydoc.core.models import Contract, ContractPackage

PRINT_DEMO_RESIDENTS = 150


@pytest.fixture(scope="session")
def print_demo_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = Home(tmp_path_factory.mktemp("print-demo"))
    context = open_context(home)
    hasher = auth._hasher
    auth._hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    try:
        with context.database.unit_of_work() as session:
            create_demo(session, residents=PRINT_DEMO_RESIDENTS, seed=7)
    finally:
        auth._hasher = hasher
        context.close()
    return home.database_file


@pytest.fixture
def print_context(tmp_path: Path, print_demo_database: Path) -> Iterator[AppContext]:
    home = Home(tmp_path / "home")
    home.ensure()
    copy_sqlite_file(print_demo_database, home.database_file)
    context = open_context(home)
    yield context
    context.close()


@pytest.fixture
def doctor(print_context: AppContext) -> auth.Actor:
    with print_context.database.read() as session:
        return auth.actor_for(session, "wangys")


@pytest.fixture
def clerk(print_context: AppContext) -> auth.Actor:
    with print_context.database.read() as session:
        return auth.actor_for(session, "luru")


@pytest.fixture
def sample_numbers(print_context: AppContext) -> dict[str, str]:
    """Contract numbers of interesting kinds: most packages, by a guardian, a renewal."""
    with print_context.database.read() as session:
        most = session.execute(
            select(ContractPackage.contract_id, func.count())
            .group_by(ContractPackage.contract_id)
            .order_by(func.count().desc(), ContractPackage.contract_id)
            .limit(1)
        ).one()
        return {
            "packages": session.get(Contract, most[0]).number,
            "guardian": session.scalar(
                select(Contract.number)
                .where(Contract.signing_method == "guardian")
                .order_by(Contract.id)
                .limit(1)
            ),
            "renewal": session.scalar(
                select(Contract.number)
                .where(Contract.previous_contract_id.is_not(None))
                .order_by(Contract.id)
                .limit(1)
            ),
        }
