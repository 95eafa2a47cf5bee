"""Coverage through renewals and contracts signed ahead (``core.coverage``), checked against
the village of ``coverage_world`` worked out by hand, and the lists that use it."""

from __future__ import annotations

import datetime as dt

import pytest
from coverage_world import (
    DAY,
    EXPECTED,
    LIST_COUNTS,
    CoverageWorld,
    build_coverage_world,
)
from sqlalchemy import select

from familydoc.core import coverage
from familydoc.core.auth import Actor
from familydoc.core.context import AppContext
from familydoc.core.coverage import Period, coverage_from_periods, coverage_of
from familydoc.core.models import Resident
from familydoc.core.residents import (
    RESIDENT_LIST_COLUMNS,
    ResidentFilter,
    get_detail,
    household_detail,
    resident_list,
)

D = dt.date


@pytest.fixture
def world(initialised: AppContext) -> CoverageWorld:
    return build_coverage_world(initialised.database)


def test_the_rule_follows_renewals_and_stops_at_a_gap() -> None:
    first = Period(1, D(2025, 7, 1), D(2026, 6, 30))
    renewal = Period(2, D(2026, 7, 1), D(2027, 6, 30))
    after_gap = Period(3, D(2027, 7, 2), D(2028, 7, 1))
    found = coverage_from_periods([after_gap, renewal, first], DAY)
    assert (found.state, found.in_force_id, found.chain) == ("covered", 1, (1, 2))
    assert found.covered_until == D(2027, 6, 30)
    alone = coverage_from_periods([first], DAY)
    assert (alone.state, alone.covered_until) == ("ending", D(2026, 6, 30))
    ahead = coverage_from_periods([renewal], DAY)
    assert (ahead.state, ahead.presigned_from, ahead.presigned_id) == (
        "presigned",
        D(2026, 7, 1),
        2,
    )
    cancelled = Period(4, D(2026, 7, 1), D(2027, 6, 30), terminated_on=D(2026, 7, 1))
    assert coverage_from_periods([cancelled], DAY).state == "none"


def test_coverage_of_each_resident_is_what_was_worked_out_by_hand(world: CoverageWorld) -> None:
    with world.database.read() as session:
        for key, (state, until, ahead) in EXPECTED.items():
            found = coverage_of(session, world.residents[key], DAY)
            assert (found.state, found.covered_until, found.presigned_from) == (
                state,
                until,
                ahead,
            ), key


def test_the_sql_form_gives_the_same_answers_on_every_day_around(world: CoverageWorld) -> None:
    """The set-based expressions agree with the rule in Python on 40 days around D, for
    several windows, resident by resident."""
    with world.database.read() as session:
        for offset in range(-20, 20):
            day = DAY + dt.timedelta(days=offset)
            for days in (0, 30, 60):
                rows = session.execute(
                    select(
                        Resident.id,
                        coverage.state_on(day, days),
                        coverage.chain_end_on(day),
                        coverage.presigned_from(day),
                    )
                ).all()
                for resident_id, state, until, ahead in rows:
                    expected = coverage_of(session, resident_id, day, days)
                    assert (state, until, ahead) == (
                        expected.state,
                        expected.covered_until,
                        expected.presigned_from,
                    ), (world.key_of(resident_id), day, days)


def _listed(world: CoverageWorld, filters: ResidentFilter) -> tuple[int, dict[str, tuple]]:
    query = resident_list(filters, DAY)
    with world.database.read() as session:
        count = query.count(session)
        rows = query.fetch(session, 0, 100)
    names = {row[0]: row for row in rows}
    return count, {world.key_of(rid): row for rid, row in names.items()}


def test_resident_list_shows_the_chain_end_and_the_presigned_start(world: CoverageWorld) -> None:
    end = RESIDENT_LIST_COLUMNS.index("contract_end")
    ahead = RESIDENT_LIST_COLUMNS.index("presigned_from")
    count, rows = _listed(world, ResidentFilter())
    assert count == 15 and "a14" not in rows
    for key, row in rows.items():
        _state, until, presigned = EXPECTED[key]
        assert (row[end], row[ahead]) == (until, presigned), key


@pytest.mark.parametrize("signing", sorted(LIST_COUNTS))
def test_resident_list_signing_filters_count_and_list_alike(
    world: CoverageWorld, signing: str
) -> None:
    wanted = {
        "signed": {"covered", "ending"},
        "expiring": {"ending"},
        "presigned": {"presigned"},
        "unsigned": {"none"},
    }[signing]
    expected = {k for k, (state, _u, _a) in EXPECTED.items() if state in wanted and k != "a14"}
    for population in (None, "elderly_65"):
        count, rows = _listed(world, ResidentFilter(signing=signing, population=population))
        if population is None:
            assert count == LIST_COUNTS[signing] == len(expected)
            assert set(rows) == expected
        else:
            assert count == len(rows)
    count, rows = _listed(world, ResidentFilter(signing=signing, status="all"))
    assert count == len(rows)


def test_the_detail_view_and_the_household_say_covered_until_the_chain_end(
    world: CoverageWorld, admin: Actor
) -> None:
    with world.database.read() as session:
        renewed = get_detail(session, admin, world.residents["a3"], today=DAY)
        assert renewed.contract is not None
        assert renewed.contract.covered_until == D(2027, 6, 30)
        assert renewed.contract.end_date == D(2026, 6, 30)  # the contract in force
        assert not renewed.contract.expiring
        ahead = get_detail(session, admin, world.residents["a8"], today=DAY)
        assert ahead.contract is not None and ahead.contract.presigned
        assert ahead.contract.start_date == D(2026, 7, 1) and ahead.contract.covered_until is None
        nothing = get_detail(session, admin, world.residents["a9"], today=DAY)
        assert nothing.contract is None
        members = household_detail(session, admin, renewed.household_id, today=DAY).members
        states = {world.key_of(m.id): m.contract for m in members}
        assert states["a2"] is not None and states["a2"].expiring
        assert states["a4"] is not None and states["a4"].covered_until == D(2027, 7, 10)
        assert states["a8"] is not None and states["a8"].presigned
