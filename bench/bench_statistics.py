"""Signing statistics benchmarks at 200,000 residents (DESIGN.md, Performance; issue 5).

    python bench/bench_statistics.py [--runs N] [--residents N] [--naive]

Data: ``bench/generate.py`` (seeded; 200,000 residents in 300 villages, a third of them
with an official population, 120,000 contracts; cached under ``bench/.cache/``), report
day = the day the data is anchored to. Every figure is printed next to its target and
its ratio to a raw baseline measured in the same run on the same file:

- the whole summary (``statistics.signing_summary`` in one read unit of work: overall,
  every village, every key population and ``any_key``, every team and doctor):
  <= 300 ms and <= 2x the raw baseline, ``RAW_SUMMARY``: ONE hand-written SQL statement
  (plain ``sqlite3``) computing the same rows. Its figures must equal the program's,
  row by row (denominator, numerator, denominator source, and the names of villages,
  teams and doctors), or the benchmark stops. The statement is written the way a
  developer who looked at ``EXPLAIN QUERY PLAN`` would: the residents are read from the
  covering index (the ``+`` on the date terms; without them SQLite picks the birth-date
  index and reads 200,000 table rows: ``--naive`` times that version once, for
  information);
- the 12-month trend (``statistics.signing_trend``): <= 1 s; raw baseline: the raw
  statement run at each of the 12 report days (the obvious way to get month ends), whose
  overall and key-population figures must equal the trend's at every point;
- the XLSX export (``exports.export_summary`` as ``familydoc export summary --format
  xlsx`` runs it: summary, period figures, trend, targets, styled workbook, audit event;
  in a write unit of work that is rolled back, so the cached file stays as generated):
  <= 3 s; raw baseline: the raw statement and a bare openpyxl workbook (a sheet per
  dimension, values only) of its rows.

Medians of ``--runs`` runs (program and baseline interleaved), with the CPU time of the
thread (what a machine to ourselves would show; the benchmark machine is shared) and the
load average. Exit status 1 when a target is missed. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from generate import CACHE_DIR, cached_database  # noqa: E402

from familydoc.core import auth  # noqa: E402
from familydoc.core.db import Database, open_database  # noqa: E402
from familydoc.core.exports import export_summary  # noqa: E402
from familydoc.core.statistics import (  # noqa: E402
    OVERALL,
    POPULATION_CODES,
    Summary,
    Trend,
    signing_summary,
    signing_trend,
    trend_points,
)

SUMMARY_TARGET_MS = 300.0
SUMMARY_RATIO_TARGET = 2.0
TREND_TARGET_S = 1.0
XLSX_TARGET_S = 3.0
TAGS = (
    "maternal",
    "hypertension",
    "diabetes",
    "severe_mental",
    "tuberculosis",
    "disabled",
    "poverty",
    "family_planning_special",
)

# --- the raw baseline: one hand-written statement ------------------------------------------

# :d report day; :year its year (official populations); :old the last birth date of the
# 65-and-over on :d; :young the last birth date of those already 7 on :d.
RAW_SUMMARY = """
WITH a AS MATERIALIZED (
    SELECT r.id, r.village_id, r.birth_date, c.team_id, c.doctor_id
    FROM resident r
    LEFT JOIN contract c
        ON c.resident_id = r.id AND c.start_date <= :d AND c.end_date >= :d
        AND (c.terminated_on IS NULL OR c.terminated_on > :d)
    WHERE +r.birth_date <= :d
        AND (+r.moved_in_on IS NULL OR +r.moved_in_on <= :d)
        AND (+r.left_on IS NULL OR +r.left_on > :d)
),
counted AS (
    SELECT village_id, count(*) AS registered, count(team_id) AS signed
    FROM a GROUP BY village_id
),
per_village AS (
    SELECT v.code, v.name, coalesce(c.registered, 0) AS registered,
        coalesce(c.signed, 0) AS signed, p.population
    FROM village v
    LEFT JOIN counted c ON c.village_id = v.id
    LEFT JOIN village_population p ON p.village_id = v.id AND p.year = :year
),
teams AS (SELECT team_id, count(*) AS signed FROM a WHERE team_id IS NOT NULL GROUP BY team_id),
doctors AS (
    SELECT doctor_id, count(*) AS signed FROM a WHERE doctor_id IS NOT NULL GROUP BY doctor_id
)
SELECT 'overall', 'overall', '', sum(coalesce(population, registered)), sum(signed),
    CASE WHEN count(*) > 0 AND count(population) = count(*) THEN 'population'
        ELSE 'registered' END
FROM per_village
UNION ALL
SELECT 'village', code, name, coalesce(population, registered), signed,
    CASE WHEN population IS NULL THEN 'registered' ELSE 'population' END
FROM per_village
UNION ALL
SELECT 'key_population', 'elderly_65', '', count(*), count(team_id), 'registered'
FROM a WHERE birth_date <= :old
UNION ALL
SELECT 'key_population', 'child_0_6', '', count(*), count(team_id), 'registered'
FROM a WHERE birth_date > :young
UNION ALL
SELECT 'key_population', t.tag, '', count(*), count(a.team_id), 'registered'
FROM a JOIN resident_tag t ON t.resident_id = a.id
GROUP BY t.tag
UNION ALL
SELECT 'key_population', 'any_key', '', count(*), count(team_id), 'registered'
FROM a
WHERE birth_date <= :old OR birth_date > :young
    OR EXISTS (SELECT 1 FROM resident_tag t WHERE t.resident_id = a.id)
UNION ALL
SELECT 'team', CAST(t.id AS TEXT), t.name, coalesce(t.capacity, 0), coalesce(s.signed, 0),
    'capacity'
FROM team t LEFT JOIN teams s ON s.team_id = t.id
WHERE t.active OR s.signed > 0
UNION ALL
SELECT 'doctor', CAST(d.id AS TEXT), d.name, coalesce(d.capacity, 0), coalesce(s.signed, 0),
    'capacity'
FROM doctor d LEFT JOIN doctors s ON s.doctor_id = d.id
WHERE s.signed > 0 OR (d.active AND coalesce(d.capacity, 0) > 0)
"""

# The first version one writes: the same statement without the "+". SQLite then answers
# "birth_date <= :d" from ix_resident_birth_date and reads every resident's table row.
RAW_SUMMARY_NAIVE = RAW_SUMMARY.replace("+r.", "r.")

Figures = dict[tuple[str, str], tuple[str, int, int, str]]  # (dimension, key) -> figures


def _years_back(day: dt.date, years: int) -> dt.date:
    """The same day ``years`` earlier (28 February for 29 February in a common year)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def raw_summary(connection: sqlite3.Connection, day: dt.date, sql: str = RAW_SUMMARY) -> Figures:
    params = {
        "d": day.isoformat(),
        "year": day.year,
        "old": _years_back(day, 65).isoformat(),
        "young": _years_back(day, 7).isoformat(),
    }
    figures: Figures = {}
    for dimension, key, label, denominator, numerator, source in connection.execute(sql, params):
        figures[(dimension, key)] = (label, int(denominator or 0), int(numerator or 0), source)
    for code in (*TAGS, "any_key"):  # a population nobody belongs to has no group
        figures.setdefault(("key_population", code), ("", 0, 0, "registered"))
    return figures


def program_figures(summary: Summary) -> Figures:
    return {
        (row.dimension, row.key): (
            row.label if row.dimension in ("village", "team", "doctor") else "",
            row.denominator,
            row.numerator,
            row.denominator_source,
        )
        for row in summary.rows
    }


def check_same(ours: Figures, raw: Figures, what: str) -> None:
    if ours != raw:
        differing = sorted(key for key in ours.keys() | raw.keys() if ours.get(key) != raw.get(key))
        details = "; ".join(f"{k}: ours {ours.get(k)}, raw {raw.get(k)}" for k in differing[:5])
        raise SystemExit(f"{what}: the program's figures differ from the raw query's: {details}")


# --- timing ---------------------------------------------------------------------------------

T = TypeVar("T")


@dataclass
class Timed:
    wall: list[float]
    cpu: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.wall)

    @property
    def cpu_median(self) -> float:
        return statistics.median(self.cpu)


def timed(work: Callable[[], T], into: Timed) -> T:
    start, cpu = time.perf_counter(), time.thread_time()
    result = work()
    into.wall.append(time.perf_counter() - start)
    into.cpu.append(time.thread_time() - cpu)
    return result


@dataclass
class Figure:
    name: str
    value: float
    target: float
    ratio: float  # to the raw baseline of the same run
    unit: str
    ratio_target: float | None = None
    note: str = ""

    @property
    def ok(self) -> bool:
        return self.value <= self.target and (
            self.ratio_target is None or self.ratio <= self.ratio_target
        )

    def line(self) -> str:
        ratio_target = f" (<= {self.ratio_target:g}x)" if self.ratio_target else ""
        return (
            f"{self.name:<34} {self.value:8.{1 if self.unit == 'ms' else 2}f} {self.unit:<2}"
            f"  target <= {self.target:g} "
            f"{self.unit:<2}  ratio to raw {self.ratio:5.2f}x{ratio_target}  "
            f"{'OK' if self.ok else 'MISSED'}" + (f"\n    {self.note}" if self.note else "")
        )


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f}, {five:.2f}, {fifteen:.2f} ({os.cpu_count()} CPUs)"


# --- the benchmarks -------------------------------------------------------------------------


def bench_summary(
    database: Database, raw: sqlite3.Connection, day: dt.date, runs: int, naive: bool
) -> Figure:
    def ours() -> Summary:
        with database.read() as session:
            return signing_summary(session, day)

    summary = ours()  # warm: the page cache a working session would have
    raw_figures = raw_summary(raw, day)
    check_same(program_figures(summary), raw_figures, "summary")
    mine, theirs = Timed([], []), Timed([], [])
    for _ in range(runs):
        timed(ours, mine)
        timed(lambda: raw_summary(raw, day), theirs)
    note = (
        f"{len(summary.rows)} rows ({summary.villages} villages,"
        f" {summary.villages_with_population} with an official population), identical to"
        f" the raw query's; CPU {mine.cpu_median * 1000:.0f} ms (raw"
        f" {theirs.cpu_median * 1000:.0f} ms); wall max {max(mine.wall) * 1000:.0f} ms;"
        f" raw median {theirs.median * 1000:.0f} ms"
    )
    if naive:
        naive_time = Timed([], [])
        check_same(
            program_figures(summary),
            timed(lambda: raw_summary(raw, day, RAW_SUMMARY_NAIVE), naive_time),
            "summary (naive raw query)",
        )
        note += f"; the raw query without '+' (one run): {naive_time.median * 1000:.0f} ms"
    return Figure(
        "signing summary (all dimensions)",
        mine.median * 1000,
        SUMMARY_TARGET_MS,
        mine.median / theirs.median,
        "ms",
        ratio_target=SUMMARY_RATIO_TARGET,
        note=note,
    )


def trend_figures(trend: Trend) -> list[dict[str, tuple[int, int]]]:
    return [dict(point.figures) for point in trend.points]


def raw_trend(raw: sqlite3.Connection, day: dt.date) -> list[dict[str, tuple[int, int]]]:
    points = []
    for point in trend_points(day):
        figures = raw_summary(raw, point)
        row = {OVERALL: figures[("overall", "overall")][1:3]}
        for code in POPULATION_CODES:
            row[code] = figures[("key_population", code)][1:3]
        points.append(row)
    return points


def bench_trend(
    database: Database, raw: sqlite3.Connection, day: dt.date, runs: int, raw_runs: int
) -> Figure:
    def ours() -> Trend:
        with database.read() as session:
            return signing_trend(session, day)

    trend = ours()
    mine, theirs = Timed([], []), Timed([], [])
    for _ in range(runs):
        timed(ours, mine)
    raw_points: list[dict[str, tuple[int, int]]] = []
    for _ in range(raw_runs):
        raw_points = timed(lambda: raw_trend(raw, day), theirs)
    if trend_figures(trend) != raw_points:
        for point, (a, b) in zip(
            trend.points, zip(trend_figures(trend), raw_points, strict=True), strict=True
        ):
            if a != b:
                raise SystemExit(f"trend at {point.day}: ours {a}, raw {b}")
    return Figure(
        f"12-month trend ({len(trend.points)} points)",
        mine.median,
        TREND_TARGET_S,
        mine.median / theirs.median,
        "s",
        note=(
            f"every point's overall and key-population figures identical to the raw query's"
            f" on that day; CPU {mine.cpu_median:.2f} s; raw: the statement at each of the"
            f" {len(trend.points)} days, median {theirs.median:.2f} s of {raw_runs}"
        ),
    )


class _Rollback(Exception):
    """Leaves the export's audit event out of the cached benchmark file."""


def raw_workbook(raw: sqlite3.Connection, day: dt.date, path: Path) -> None:
    from openpyxl import Workbook

    figures = raw_summary(raw, day)
    workbook = Workbook()
    workbook.remove(workbook.active)
    for dimension in ("overall", "village", "key_population", "team", "doctor"):
        sheet = workbook.create_sheet(dimension)
        sheet.append(["key", "label", "denominator", "numerator", "rate", "source"])
        for (dim, key), (label, denominator, numerator, source) in figures.items():
            if dim == dimension:
                rate = numerator / denominator if denominator else None
                sheet.append([key, label, denominator, numerator, rate, source])
    workbook.save(path)


def bench_xlsx(
    database: Database, raw: sqlite3.Connection, day: dt.date, runs: int, folder: Path
) -> Figure:
    with database.read() as session:
        actor = auth.actor_for(session, "admin")
    ours_path, raw_path = folder / "summary.xlsx", folder / "raw.xlsx"

    def ours() -> None:
        try:
            with database.unit_of_work() as session:
                export_summary(session, actor, ours_path, as_of=day, format="xlsx")
                raise _Rollback
        except _Rollback:
            pass

    ours()
    mine, theirs = Timed([], []), Timed([], [])
    for _ in range(runs):
        timed(ours, mine)
        timed(lambda: raw_workbook(raw, day, raw_path), theirs)
    return Figure(
        "summary XLSX export",
        mine.median,
        XLSX_TARGET_S,
        mine.median / theirs.median,
        "s",
        note=(
            f"summary, period, 12-month trend, targets, styled sheets:"
            f" {ours_path.stat().st_size / 1024:.0f} KB; CPU {mine.cpu_median:.2f} s;"
            f" raw: the statement and a bare workbook of its rows,"
            f" median {theirs.median:.2f} s"
        ),
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--residents", type=int, default=200_000)
    parser.add_argument("--villages", type=int, default=300)
    parser.add_argument("--contracts", type=int, default=120_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--runs", type=int, default=7, help="runs per figure (median)")
    parser.add_argument("--naive", action="store_true", help="time the raw query without '+'")
    args = parser.parse_args(argv)

    data = cached_database(
        residents=args.residents,
        villages=args.villages,
        contracts=args.contracts,
        seed=args.seed,
    )
    day = data.today_date
    print(
        f"familydoc statistics benchmarks: {data.residents:,} residents, {data.villages}"
        f" villages, {data.contracts:,} contracts ({data.contracts_in_force:,} in force),"
        f" report day {day}; {Path(data.path).name}"
    )
    print(
        "raw baseline: one hand-written SQL statement of the same figures (plain sqlite3),"
        f" same file, same run; medians of {args.runs} runs; {load()}"
    )
    database = open_database(f"sqlite:///{data.path}", backups_dir=CACHE_DIR / "backups")
    raw = sqlite3.connect(data.path)
    figures: list[Figure] = []
    try:
        with tempfile.TemporaryDirectory(prefix="familydoc-bench-stats-") as folder:
            for run in (
                lambda: bench_summary(database, raw, day, args.runs, args.naive),
                lambda: bench_trend(database, raw, day, args.runs, max(1, args.runs // 3)),
                lambda: bench_xlsx(database, raw, day, max(1, args.runs // 2), Path(folder)),
            ):
                figures.append(run())
                print(figures[-1].line(), flush=True)
    finally:
        raw.close()
        database.dispose()
    missed = [f for f in figures if not f.ok]
    print(
        f"{len(figures) - len(missed)} of {len(figures)} figures on target; {load()}"
        + (": missed " + "; ".join(f.name for f in missed) if missed else "")
    )
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
