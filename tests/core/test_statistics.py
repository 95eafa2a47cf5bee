"""The signing summary, the period figures, the trend, targets and the outreach list,
checked against the township of ``signing_world`` whose figures were counted by hand."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from signing_world import (
    AS_OF,
    EXPECTED_DOCTORS,
    EXPECTED_OVERALL,
    EXPECTED_POPULATIONS,
    EXPECTED_TEAMS,
    EXPECTED_VILLAGES,
    PERIOD,
    SigningWorld,
    build_world,
)
from sqlalchemy import select

from familydoc.core import statistics
from familydoc.core.auth import Actor
from familydoc.core.context import AppContext
from familydoc.core.errors import PermissionDenied, RuleViolation
from familydoc.core.models import AuditEvent, SigningTarget
from familydoc.core.residents import age_on
from familydoc.core.statistics import (
    ANY_KEY,
    POPULATION_CODES,
    OutreachFilter,
    outreach_query,
    period_figures,
    signing_summary,
    signing_trend,
)

D = dt.date


@pytest.fixture
def world(initialised: AppContext) -> SigningWorld:
    return build_world(initialised.database)


def _figures(world: SigningWorld, day: dt.date = AS_OF) -> statistics.Summary:
    with world.database.read() as session:
        return signing_summary(session, day)


def test_overall_row_sums_the_villages_and_says_mixed_when_they_mix(
    world: SigningWorld,
) -> None:
    summary = _figures(world)
    overall = summary.overall
    assert (overall.denominator, overall.numerator, overall.denominator_source) == EXPECTED_OVERALL
    assert overall.rate == pytest.approx(6 / 15)
    # 15 = 东村's official 10 + 西村's 5 registered; 东村 has 6 registered on D (r1-r4, r7, r8)
    assert summary.registered_residents == 11
    assert overall.rate_text == "0.4000"
    assert summary.villages_with_population == 1
    assert summary.institution_code == "320321110"
    assert summary.as_of == AS_OF


def test_villages_use_their_official_population_when_recorded(world: SigningWorld) -> None:
    summary = _figures(world)
    villages = {
        row.key: (row.denominator, row.numerator, row.denominator_source)
        for row in summary.of("village")
    }
    assert villages == EXPECTED_VILLAGES
    empty = summary.row("village", "320321110203")
    assert empty is not None and empty.rate is None and empty.rate_text == ""


def test_key_populations_counted_by_hand(world: SigningWorld) -> None:
    """Ages crossing 65 and 7 on the day, moved out and moved in on the day, a contract
    ending on the day, one ending the day before and renewed from the day, one starting
    the day after, and one terminated on the day."""
    summary = _figures(world)
    populations = {
        row.key: (row.denominator, row.numerator) for row in summary.of("key_population")
    }
    assert populations == EXPECTED_POPULATIONS
    assert [row.key for row in summary.of("key_population")] == list(POPULATION_CODES)
    assert {row.denominator_source for row in summary.of("key_population")} == {"registered"}
    assert summary.row("key_population", "elderly_65").label == "65岁及以上老年人"


def test_teams_and_doctors_against_capacity(world: SigningWorld) -> None:
    summary = _figures(world)
    teams = {row.label: (row.denominator, row.numerator) for row in summary.of("team")}
    doctors = {row.label: (row.denominator, row.numerator) for row in summary.of("doctor")}
    assert teams == EXPECTED_TEAMS
    assert doctors == EXPECTED_DOCTORS
    assert {row.denominator_source for row in summary.of("team") + summary.of("doctor")} == {
        "capacity"
    }
    assert summary.row("team", str(world.teams["T1"])).rate == pytest.approx(0.8)
    assert summary.row("team", str(world.teams["T2"])).rate is None  # no capacity set
    assert sum(row.numerator for row in summary.of("team")) == summary.overall.numerator


def test_the_day_before_and_after(world: SigningWorld) -> None:
    """On D-1 r1 is 64, r5 still lives here and r8 is still signed; on D+1 r2 is 65 but
    no longer signed and r4 is 7."""
    before = _figures(world, AS_OF - dt.timedelta(days=1))
    elderly = before.row("key_population", "elderly_65")
    assert (elderly.denominator, elderly.numerator) == (3, 3)  # r5, r8, r10
    assert before.row("village", "320321110201").numerator == 5  # r1 r2 r4 (old) r5 r8
    after = _figures(world, AS_OF + dt.timedelta(days=1))
    elderly = after.row("key_population", "elderly_65")
    assert (elderly.denominator, elderly.numerator) == (4, 2)  # r1, r2 (expired), r8, r10
    children = after.row("key_population", "child_0_6")
    assert (children.denominator, children.numerator) == (2, 1)  # r12; r9 born; r4 is 7
    assert after.row("village", "320321110201").numerator == 3  # r1, r4, r7 (started D+1)


def test_a_year_without_official_population_uses_the_register(world: SigningWorld) -> None:
    summary = _figures(world, D(2027, 1, 15))
    village = summary.row("village", "320321110201")
    assert village.denominator_source == "registered"
    assert summary.villages_with_population == 0
    assert summary.overall.denominator_source == "registered"  # no village mixes in
    assert summary.overall.denominator == summary.registered_residents


def test_period_figures_counted_by_hand(world: SigningWorld) -> None:
    with world.database.read() as session:
        period = period_figures(session, *PERIOD)
    assert period.new_contracts == 6  # c1 c5 c6 c8 c10 c11
    assert period.renewals_signed == 1  # c4
    assert (period.renewals_due, period.renewed) == (2, 1)  # c2 (not renewed), c3 (c4)
    assert period.renewal_rate == pytest.approx(0.5)
    ended = dict(period.ended)
    assert ended == {
        "moved_out": 1,
        "deceased": 0,  # c10 ends after the period
        "resident_request": 1,
        "unreachable": 0,
        "refused_service": 0,
        "changed_team": 0,
        "other": 0,
        "expired": 1,
    }
    assert period.ended_total == 3
    assert period.paid_contracts == 2
    (package,) = period.packages
    assert (package.code, package.contracts, package.price_fen) == ("chronic_care", 2, 24000)
    assert period.fee_total("fund_insurance_fen") == 12000
    assert period.fee_total("self_pay_fen") == 4800


def test_a_period_that_ends_before_it_starts_is_refused(world: SigningWorld) -> None:
    with world.database.read() as session, pytest.raises(RuleViolation):
        period_figures(session, D(2026, 5, 1), D(2026, 4, 1))


def test_trend_has_twelve_month_ends_and_the_day_itself(world: SigningWorld) -> None:
    with world.database.read() as session:
        trend = signing_trend(session, AS_OF)
    days = [point.day for point in trend.points]
    assert days[0] == D(2025, 7, 31) and days[-2] == D(2026, 5, 31) and days[-1] == AS_OF
    assert len(days) == 12
    assert [point.month for point in trend.points][-1] == "2026-06"
    assert trend.points[-1].figures["overall"] == (15, 6)
    assert trend.points[5].figures["overall"] == (13, 4)  # 2025: 东村 counts 8 (its 2025 figure)


def test_trend_points_equal_the_summary_of_each_day(world: SigningWorld) -> None:
    with world.database.read() as session:
        trend = signing_trend(session, AS_OF)
        for point in trend.points:
            summary = signing_summary(session, point.day)
            assert point.figures["overall"] == (
                summary.overall.denominator,
                summary.overall.numerator,
            )
            assert point.denominator_source == summary.overall.denominator_source
            for code in POPULATION_CODES:
                row = summary.row("key_population", code)
                assert point.figures[code] == (row.denominator, row.numerator), (point.day, code)


def test_trend_points_of_a_day_in_february_and_of_a_leap_day() -> None:
    assert statistics.trend_points(D(2024, 2, 29))[-2:] == [D(2024, 1, 31), D(2024, 2, 29)]
    assert statistics.trend_points(D(2025, 3, 1))[:2] == [D(2024, 4, 30), D(2024, 5, 31)]
    assert statistics.trend_points(D(2026, 1, 10))[-2] == D(2025, 12, 31)


def test_rate_text_rounds_half_up_to_four_decimals() -> None:
    assert statistics.rate_text(1, 3) == "0.3333"
    assert statistics.rate_text(2, 3) == "0.6667"
    assert statistics.rate_text(1, 8) == "0.1250"
    assert statistics.rate_text(12345, 100000) == "0.1235"
    assert statistics.rate_text(5, 0) == ""
    assert statistics.rate_text(7, 7) == "1.0000"


# --- targets -------------------------------------------------------------------------------


def test_supervisor_sets_targets_audited(
    world: SigningWorld, make_user: Callable[..., Actor]
) -> None:
    supervisor = make_user("supervisor")
    with world.database.unit_of_work() as session:
        targets = statistics.set_targets(
            session, supervisor, 2026, {"overall": 0.75, "elderly_65": 0.8, ANY_KEY: 0.7}
        )
    assert targets == {"overall": 0.75, "elderly_65": 0.8, ANY_KEY: 0.7}
    with world.database.unit_of_work() as session:
        statistics.set_targets(session, supervisor, 2026, {"overall": 0.8, "elderly_65": None})
        assert statistics.get_targets(session, 2026) == {"overall": 0.8, ANY_KEY: 0.7}
        assert statistics.get_targets(session, 2025) == {}
        stored = session.scalar(select(SigningTarget).where(SigningTarget.code == "overall"))
        assert stored.target_permyriad == 8000 and stored.set_by == supervisor.user_id
        events = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "targets.set").order_by(AuditEvent.id)
        ).all()
    assert len(events) == 2
    assert events[1].changes == {"overall": [75.0, 80.0], "elderly_65": [80.0, None]}


def test_targets_refused_to_a_doctor_and_out_of_range(
    world: SigningWorld, make_user: Callable[..., Actor]
) -> None:
    doctor = make_user("doctor")
    with world.database.unit_of_work() as session, pytest.raises(PermissionDenied):
        statistics.set_targets(session, doctor, 2026, {"overall": 0.7})
    supervisor = make_user("supervisor")
    for bad in ({"overall": 1.5}, {"nobody": 0.5}):
        with world.database.unit_of_work() as session, pytest.raises(RuleViolation):
            statistics.set_targets(session, supervisor, 2026, bad)


def test_target_levels() -> None:
    level = statistics.target_level
    assert level(0.8, 0.8) == "met"
    assert level(0.76, 0.8) == "near"
    assert level(0.7, 0.8) == "behind"
    assert level(None, 0.8) == level(0.5, None) == "none"


# --- the outreach list -----------------------------------------------------------------------


def _outreach(
    world: SigningWorld, actor: Actor, unmasked: bool = False, **filters: object
) -> list[dict[str, object]]:
    query = outreach_query(actor, OutreachFilter(as_of=AS_OF, **filters), unmasked=unmasked)
    with world.database.read() as session:
        rows = query.fetch(session, 0, 1000)
        assert query.count(session) == len(rows)
    return [dict(zip(query.columns, row, strict=True)) for row in rows]


def test_outreach_lists_the_unsigned_and_those_ending_soon(
    world: SigningWorld, admin: Actor
) -> None:
    rows = _outreach(world, admin, village_code="320321110201")
    names = {row["name"]: row["state"] for row in rows}
    # r2's contract ends on D (within 30 days); r3, r8 are not signed; r7's contract starts
    # on D+1 (已预签: not called); r5, r6, r9 do not count on D; r1 and r4 are signed for months.
    assert names == {"钱二": "ending", "孙三": "unsigned", "王八": "unsigned"}
    ending = next(row for row in rows if row["name"] == "钱二")
    assert ending["contract_end"] == AS_OF and ending["doctor"] == "A"
    assert ending["age"] == age_on(D(1961, 6, 16), AS_OF) == 64
    assert "高血压" in ending["populations"]


def test_outreach_of_a_key_population_across_villages(world: SigningWorld, admin: Actor) -> None:
    rows = _outreach(world, admin, population="elderly_65", states=("unsigned",))
    assert [row["name"] for row in rows] == ["王八"]
    assert rows[0]["populations"] == "65岁及以上老年人"
    rows = _outreach(world, admin, population=ANY_KEY)
    # Not the pre-signed 郑七; r12's contract was ended from 2026-07-01: covered until
    # 2026-06-30, within 30 days (before coverage, the list read its end date, 2027-01-31).
    assert {row["name"] for row in rows} == {"钱二", "孙三", "王八", "卫十二"}


def test_outreach_phone_masked_unless_the_role_may_see_it(
    world: SigningWorld, make_user: Callable[..., Actor]
) -> None:
    doctor = make_user("doctor")
    rows = _outreach(world, doctor, village_code="320321110201")
    assert all("****" in row["phone"] for row in rows)
    with pytest.raises(PermissionDenied):
        _outreach(world, doctor, unmasked=True)
    supervisor = make_user("supervisor")
    rows = _outreach(world, supervisor, unmasked=True, village_code="320321110201")
    assert all(str(row["phone"]).isdigit() for row in rows)


def test_tagged_residents_are_read_from_the_covering_index(world: SigningWorld) -> None:
    """The summary and the trend look the tagged residents up in ix_resident_statistics.

    SQLite's planner, left to itself, reads each tagged resident's whole table row by
    rowid; the queries name the covering index (``INDEXED BY``) so no table row is read.
    """
    from sqlalchemy import text
    from sqlalchemy.dialects import sqlite

    plan = statistics.summary_queries(AS_OF)
    trend = statistics.trend_queries(statistics.trend_points(AS_OF))
    with world.database.read() as session:
        for query in (plan.by_village, plan.by_tags, trend.tagged, trend.tagged_contracts):
            compiled = query.compile(
                dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True}
            )
            steps = [row[3] for row in session.execute(text(f"EXPLAIN QUERY PLAN {compiled}"))]
            resident_steps = [
                step for step in steps if step.split()[1:2] in (["resident"], ["resident_by_id"])
            ]
            assert resident_steps, steps
            assert all("COVERING INDEX ix_resident_statistics" in s for s in resident_steps), steps
