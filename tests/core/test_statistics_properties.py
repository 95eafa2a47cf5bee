"""Invariants of the signing figures on random townships (hypothesis), and the figures
against a plain-Python count of the same residents and contracts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete

from familydoc.core import setup
from familydoc.core.config import Home
from familydoc.core.context import AppContext, open_context
from familydoc.core.models import (
    KEY_POPULATIONS,
    TAG_CODES,
    Contract,
    ContractPackage,
    Doctor,
    Institution,
    Resident,
    ResidentTag,
    Team,
    Village,
    VillagePopulation,
)
from familydoc.core.residents import age_on
from familydoc.core.statistics import ANY_KEY, month_end, signing_summary, signing_trend

D = dt.date
FIRST, LAST = D(2023, 1, 1), D(2027, 12, 31)
VILLAGES = 3


@dataclass
class Town:
    context: AppContext
    villages: list[int]
    teams: list[int]
    doctors: list[int]


@pytest.fixture(scope="module")
def town(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Town]:
    context = open_context(Home(tmp_path_factory.mktemp("town") / "home"))
    with context.database.unit_of_work() as session:
        setup.initialise(
            session,
            institution_code="320321110",
            institution_name="测试镇卫生院",
            admin_username="admin",
            admin_password="admin-pass-1",
        )
        home = session.query(Institution).filter_by(is_home=True).one()
        villages = [
            Village(code=f"320321110{201 + i}", name=f"村{i}", institution_id=home.id)
            for i in range(VILLAGES)
        ]
        doctors = [Doctor(name=f"医生{i}", institution_id=home.id, capacity=5) for i in range(3)]
        session.add_all(villages + doctors)
        session.flush()
        teams = [Team(name=f"团队{i}", institution_id=home.id, capacity=8) for i in range(2)]
        session.add_all(teams)
        session.flush()
        ids = Town(
            context,
            [v.id for v in villages],
            [t.id for t in teams],
            [d.id for d in doctors],
        )
    yield ids
    context.close()


dates = st.dates(min_value=D(1930, 1, 1), max_value=LAST)
# Days in the reporting range, often a month end (the trend's report days) or the day after.
recent = st.one_of(
    st.dates(min_value=FIRST, max_value=LAST),
    st.builds(month_end, st.dates(min_value=FIRST, max_value=D(2027, 11, 30))),
    st.builds(
        lambda day: month_end(day) + dt.timedelta(days=1),
        st.dates(min_value=FIRST, max_value=D(2027, 11, 30)),
    ),
)
# Birth dates that land on the 65th and 7th birthdays of days in the range often.
births = st.one_of(
    dates,
    st.builds(
        lambda day, back: day.replace(year=day.year - back, day=min(day.day, 28)),
        recent,
        st.sampled_from([65, 7, 64, 6, 66]),
    ),
)


@st.composite
def contracts(draw: st.DrawFn) -> list[tuple[dt.date, dt.date, dt.date | None, int]]:
    """Non-overlapping contracts of one resident: (start, end, terminated_on, team index)."""
    count = draw(st.integers(0, 3))
    bounds = sorted(draw(st.lists(recent, min_size=2 * count, max_size=2 * count, unique=True)))
    result = []
    for index in range(count):
        start, end = bounds[2 * index], bounds[2 * index + 1]
        terminated = None
        if draw(st.booleans()) and draw(st.booleans()):
            terminated = draw(
                st.one_of(st.dates(min_value=start, max_value=end), st.sampled_from([start, end]))
            )
        result.append((start, end, terminated, draw(st.integers(0, 1))))
    return result


@st.composite
def residents(draw: st.DrawFn) -> dict[str, object]:
    birth = draw(births)
    moved_in = draw(st.one_of(st.none(), recent.filter(lambda day: day >= birth)))
    left = draw(st.one_of(st.none(), recent.filter(lambda day: day >= birth)))
    return {
        "village": draw(st.integers(0, VILLAGES - 1)),
        "birth": birth,
        "moved_in": moved_in,
        "left": left,
        "tags": draw(st.sets(st.sampled_from(TAG_CODES), max_size=3)),
        "contracts": draw(contracts()),
    }


townships = st.fixed_dictionaries(
    {
        "residents": st.lists(residents(), max_size=25),
        "populations": st.dictionaries(
            st.integers(0, VILLAGES - 1), st.integers(0, 40), max_size=VILLAGES
        ),
        "as_of": recent,
    }
)


def _fill(town: Town, township: dict[str, object]) -> None:
    as_of: dt.date = township["as_of"]  # type: ignore[assignment]
    with town.context.database.unit_of_work() as session:
        for table in (ContractPackage, Contract, ResidentTag, Resident, VillagePopulation):
            session.execute(delete(table))
        for village, population in township["populations"].items():  # type: ignore[attr-defined]
            session.add(
                VillagePopulation(
                    village_id=town.villages[village], year=as_of.year, population=population
                )
            )
        sequence = 0
        for person in township["residents"]:  # type: ignore[attr-defined]
            resident = Resident(
                name="居民",
                sex="M",
                birth_date=person["birth"],
                village_id=town.villages[person["village"]],
                moved_in_on=person["moved_in"],
                left_on=person["left"],
                left_reason="moved_out" if person["left"] else None,
            )
            session.add(resident)
            session.flush()
            for tag in person["tags"]:
                session.add(ResidentTag(resident_id=resident.id, tag=tag))
            for start, end, terminated, team in person["contracts"]:
                sequence += 1
                session.add(
                    Contract(
                        number=f"T-{sequence}",
                        year=2000,
                        sequence=sequence,
                        resident_id=resident.id,
                        team_id=town.teams[team],
                        doctor_id=town.doctors[team],
                        signed_on=start,
                        start_date=start,
                        end_date=end,
                        terminated_on=terminated,
                        termination_reason="other" if terminated else None,
                    )
                )


def _reference(township: dict[str, object], day: dt.date) -> dict[str, tuple[int, int]]:
    """The figures counted in plain Python from the rules of DESIGN.md."""
    counts = {code: [0, 0] for code in (*KEY_POPULATIONS, ANY_KEY, "signed_overall")}
    villages = [[0, 0] for _ in range(VILLAGES)]
    for person in township["residents"]:  # type: ignore[attr-defined]
        active = (
            person["birth"] <= day
            and (person["moved_in"] is None or person["moved_in"] <= day)
            and (person["left"] is None or person["left"] > day)
        )
        if not active:
            continue
        signed = any(
            start <= day <= end and (terminated is None or terminated > day)
            for start, end, terminated, _ in person["contracts"]
        )
        age = age_on(person["birth"], day)
        codes = set(person["tags"])
        if age >= 65:
            codes.add("elderly_65")
        if age <= 6:
            codes.add("child_0_6")
        if codes:
            codes.add(ANY_KEY)
        for code in codes:
            counts[code][0] += 1
            counts[code][1] += signed
        villages[person["village"]][0] += 1
        villages[person["village"]][1] += signed
        counts["signed_overall"][1] += signed
    result = {code: (value[0], value[1]) for code, value in counts.items()}
    for index, (registered, signed) in enumerate(villages):
        result[f"village{index}"] = (registered, signed)
    return result


SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@SETTINGS
@given(township=townships)
def test_summary_invariants_and_plain_count(town: Town, township: dict[str, object]) -> None:
    _fill(town, township)
    day: dt.date = township["as_of"]  # type: ignore[assignment]
    with town.context.database.read() as session:
        summary = signing_summary(session, day)
    expected = _reference(township, day)
    villages = summary.of("village")
    overall = summary.overall

    # Village numerators (and denominators) sum to the overall ones; teams too.
    assert sum(row.numerator for row in villages) == overall.numerator
    assert sum(row.denominator for row in villages) == overall.denominator
    assert sum(row.numerator for row in summary.of("team")) == overall.numerator
    assert sum(row.numerator for row in summary.of("doctor")) == overall.numerator
    assert overall.numerator == expected["signed_overall"][1]

    # any_key is at most the sum of the populations and at least the largest of them.
    populations = {row.key: row for row in summary.of("key_population")}
    singles = [populations[code] for code in KEY_POPULATIONS]
    any_key = populations[ANY_KEY]
    for attribute in ("denominator", "numerator"):
        values = [getattr(row, attribute) for row in singles]
        assert max(values) <= getattr(any_key, attribute) <= sum(values)

    for code, row in populations.items():
        assert (row.denominator, row.numerator) == expected[code], code
        assert row.numerator <= row.denominator
    official = township["populations"]
    for index, row in enumerate(villages):
        registered, signed = expected[f"village{index}"]
        assert row.numerator == signed
        if index in official:  # type: ignore[operator]
            assert row.denominator_source == "population"
            assert row.denominator == official[index]  # type: ignore[index]
        else:
            assert (row.denominator_source, row.denominator) == ("registered", registered)
    using = len(official)  # type: ignore[arg-type]
    expected_source = {VILLAGES: "population", 0: "registered"}.get(using, "mixed")
    assert overall.denominator_source == expected_source


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(township=townships)
def test_trend_equals_the_summary_of_each_month_end(
    town: Town, township: dict[str, object]
) -> None:
    _fill(town, township)
    day: dt.date = township["as_of"]  # type: ignore[assignment]
    with town.context.database.read() as session:
        trend = signing_trend(session, day)
        for point in trend.points:
            summary = signing_summary(session, point.day)
            assert point.figures["overall"] == (
                summary.overall.denominator,
                summary.overall.numerator,
            ), point.day
            for row in summary.of("key_population"):
                assert point.figures[row.key] == (row.denominator, row.numerator), (
                    point.day,
                    row.key,
                )
