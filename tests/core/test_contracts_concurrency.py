"""Two workstations signing at once: gap-free numbers and one contract in force per resident.

Each thread opens its own ``Database`` on the same SQLite file, as two PCs sharing the
clinic's database would; signing transactions start with BEGIN IMMEDIATE and wait their
turn through the busy timeout.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable

import pytest
from contract_town import TODAY, Town, build_town
from sqlalchemy import func, select, text

from familydoc.core import contracts as C
from familydoc.core.auth import Actor
from familydoc.core.context import AppContext
from familydoc.core.db import Database, open_database
from familydoc.core.errors import RuleViolation
from familydoc.core.models import Contract

PER_THREAD = 12


@pytest.fixture
def town(initialised: AppContext, admin: Actor) -> Town:
    return build_town(initialised, admin)


def _run_together(workers: list[Callable[[], None]]) -> list[BaseException]:
    barrier = threading.Barrier(len(workers))
    errors: list[BaseException] = []

    def run(work: Callable[[], None]) -> None:
        barrier.wait()
        try:
            work()
        except BaseException as exc:  # collected and checked by the test
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(work,)) for work in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors


def _second_database(town: Town) -> Database:
    return open_database(town.context.database.url)


def test_numbers_stay_gap_free_and_unique_when_two_workstations_sign(town: Town) -> None:
    people = [
        town.add_resident(f"p{n}", f"郑{'甲乙丙丁戊己庚辛壬癸'[n % 10]}{n}", dt.date(1970, 1, 1)
                          + dt.timedelta(days=n), 11 + 2 * n)
        for n in range(2 * PER_THREAD)
    ]  # fmt: skip
    databases = [town.context.database, _second_database(town)]
    numbers: list[list[str]] = [[], []]

    def worker(index: int) -> Callable[[], None]:
        def work() -> None:
            for resident_id in people[index::2]:
                with databases[index].unit_of_work() as session:
                    detail = C.sign(
                        session,
                        town.doctor,
                        C.SignInput(resident_id, town.teams["a"], town.doctors["zhang"]),
                        approver=town.supervisor,  # the team's capacity is 20
                        today=TODAY,
                    )
                numbers[index].append(detail.number)

        return work

    try:
        errors = _run_together([worker(0), worker(1)])
    finally:
        databases[1].dispose()
    assert errors == []
    assert len(numbers[0]) == len(numbers[1]) == PER_THREAD
    every = sorted(numbers[0] + numbers[1])
    assert every == [f"320321110-2026-{n:06d}" for n in range(1, 2 * PER_THREAD + 1)]
    with town.context.database.read() as session:
        assert (
            session.execute(
                text("SELECT last_value FROM contract_sequence WHERE year = 2026")
            ).scalar()
            == 2 * PER_THREAD
        )
        sequences = session.scalars(select(Contract.sequence).order_by(Contract.sequence)).all()
    assert sequences == list(range(1, 2 * PER_THREAD + 1))


def test_only_one_of_two_simultaneous_signings_of_a_resident_succeeds(town: Town) -> None:
    databases = [town.context.database, _second_database(town)]
    results: list[str] = []
    resident_id = town.residents["elderly"]

    def worker(index: int) -> Callable[[], None]:
        def work() -> None:
            with databases[index].unit_of_work() as session:
                detail = C.sign(
                    session,
                    town.doctor,
                    C.SignInput(
                        resident_id,
                        town.teams["a"],
                        town.doctors["zhang"],
                        start_date=TODAY + dt.timedelta(days=index),  # different but overlapping
                    ),
                    today=TODAY,
                )
            results.append(detail.number)

        return work

    try:
        errors = _run_together([worker(0), worker(1)])
    finally:
        databases[1].dispose()
    assert len(results) == 1 and len(errors) == 1
    assert isinstance(errors[0], RuleViolation)
    assert "only one contract in force" in errors[0].render()
    with town.context.database.read() as session:
        assert (
            session.scalar(
                select(func.count())
                .select_from(Contract)
                .where(Contract.resident_id == resident_id)
            )
            == 1
        )
        # The refused signing gave its number back: the next one follows without a gap.
        assert session.execute(text("SELECT last_value FROM contract_sequence")).scalar() == 1


def test_the_trigger_refuses_the_loser_of_a_race_past_the_form_check(
    town: Town, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Even if both passed the form's check (as two PCs reading at once could), one loses."""
    monkeypatch.setattr(C, "_overlapping", lambda *args, **kwargs: None)
    databases = [town.context.database, _second_database(town)]
    errors_seen: list[str] = []
    resident_id = town.residents["adult"]

    def worker(index: int) -> Callable[[], None]:
        def work() -> None:
            try:
                with databases[index].unit_of_work() as session:
                    C.sign(
                        session,
                        town.doctor,
                        C.SignInput(resident_id, town.teams["a"], town.doctors["zhang"]),
                        today=TODAY,
                    )
            except RuleViolation as error:
                errors_seen.append(error.render())

        return work

    try:
        assert _run_together([worker(0), worker(1)]) == []
    finally:
        databases[1].dispose()
    assert len(errors_seen) == 1 and "another workstation" in errors_seen[0]
    with town.context.database.read() as session:
        assert session.scalar(select(func.count()).select_from(Contract)) == 1
