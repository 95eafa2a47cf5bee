"""Resident search and list benchmarks at 200,000 residents (DESIGN.md, Performance).

    python bench/bench_residents.py [--samples N] [--runs N] [--residents N ...]

Data: ``bench/generate.py`` (seeded; 200,000 residents in 300 villages, 120,000
contracts; cached under ``bench/.cache/``). Every figure is printed next to its
target and its ratio to a raw baseline measured in the same run on the same file:
the same lookup written by hand as plain ``sqlite3`` queries (a count and a page,
the query shape a developer would write first).

- search as you type: each sampled name, pinyin, ID number, phone or health record
  number is typed one character at a time and every prefix the program searches
  for (4+ digits, any letter or Chinese character, 3+ other characters) is a
  search: ``resident_list(ResidentFilter(text=...)).count()`` and ``.fetch(0, 50)``
  in one read unit of work, as the list's first screen; p95 per kind;
- resident list: first screen (count and the first page of 256 rows, what the
  list model loads) and jump to the last row (the page at count - 256), median of
  ``--runs`` runs per filter;
- memory: tracemalloc peak of driving the GUI's ``PagedTableModel`` (on the
  ``OperationRunner`` worker, offscreen Qt) over 50 random pages of a 20,000 and
  a 200,000 resident database; flat means the larger is no more than 1.2x.

Exit status 1 when a target is missed. Benchmarks are not part of the test suite.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import math
import os
import random
import sqlite3
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from generate import CACHE_DIR, GeneratedData, cached_database  # noqa: E402
from sqlalchemy import text as sql  # noqa: E402

from familydoc.core.db import Database, open_database  # noqa: E402
from familydoc.core.queries import PagedQuery  # noqa: E402
from familydoc.core.residents import (  # noqa: E402
    EXPIRING_DAYS,
    RESIDENT_LIST_COLUMNS,
    ResidentFilter,
    resident_list,
    years_before,
)

SEARCH_TARGET_MS = 30.0
LIST_TARGET_MS = 100.0
MEMORY_FLAT_TARGET = 1.2  # peak at 200k rows / peak at 20k rows
FIRST_PAGE = 50  # rows the benchmark reads with each search (the brief's first screen)
LIST_PAGE = 256  # rows of a list page (familydoc.gui.table_model.PAGE_SIZE)
RAW_EVERY = 4  # the raw baseline runs on every fourth search sample


# --- raw baseline: the same lookups as hand-written sqlite3 queries ----------------------

RAW_IN_FORCE = (
    "EXISTS (SELECT 1 FROM contract c WHERE c.resident_id = r.id AND c.start_date <= :d"
    " AND c.end_date >= :d AND (c.terminated_on IS NULL OR c.terminated_on > :d))"
)
# Coverage (familydoc.core.coverage) by hand: a contract's last day in force, the chain-ending
# contracts (nothing follows them without a gap), a contract signed ahead.
RAW_EARLY = "e.terminated_on IS NOT NULL AND e.terminated_on <= e.end_date"
RAW_LAST = f"CASE WHEN {RAW_EARLY} THEN date(e.terminated_on, '-1 day') ELSE e.end_date END"
RAW_CHAIN_ENDS = (
    "FROM contract e WHERE e.resident_id = r.id AND e.end_date >= :d"
    f" AND {RAW_LAST} >= :d AND (e.terminated_on IS NULL OR e.terminated_on > e.start_date)"
    " AND NOT EXISTS (SELECT 1 FROM contract f WHERE f.resident_id = e.resident_id"
    " AND f.start_date > e.start_date"
    f" AND f.start_date <= CASE WHEN {RAW_EARLY} THEN e.terminated_on"
    " ELSE date(e.end_date, '+1 day') END"
    " AND (f.terminated_on IS NULL OR f.terminated_on > f.start_date))"
)
RAW_AHEAD = (
    "FROM contract a WHERE a.resident_id = r.id AND a.start_date > :d"
    " AND (a.terminated_on IS NULL OR a.terminated_on > a.start_date)"
)
RAW_COLUMNS = (
    "r.id, r.name, r.sex, r.birth_date, r.id_number, r.phone, v.name, h.number,"
    " coalesce(r.left_reason, 'active'),"
    f" CASE WHEN {RAW_IN_FORCE} THEN (SELECT min({RAW_LAST}) {RAW_CHAIN_ENDS}) END,"
    f" r.household_id, CASE WHEN NOT {RAW_IN_FORCE} THEN (SELECT min(a.start_date) {RAW_AHEAD})"
    " END"
)
RAW_FROM = (
    "FROM resident r JOIN village v ON v.id = r.village_id"
    " LEFT JOIN household h ON h.id = r.household_id"
)
RAW_ACTIVE = "(r.left_on IS NULL OR r.left_on > :d)"
RAW_FTS = "r.id IN (SELECT rowid FROM resident_search WHERE resident_search MATCH :phrase)"


def raw_search_where(text: str) -> tuple[str, dict[str, Any]]:
    """The search box's condition written by hand (same rules as familydoc's search)."""
    query = "".join(text.split())
    phrase = '"' + query.replace('"', '""') + '"'
    if query.isdigit():
        return (RAW_FTS, {"phrase": phrase}) if len(query) >= 4 else ("0", {})
    if query.isascii() and query.isalpha():
        return (
            "(r.name_initials GLOB :p OR r.name_pinyin GLOB :p)",
            {"p": query.lower() + "*"},
        )
    terms, params = [], {}
    if any("\u3400" <= ch <= "\u9fff" for ch in query):
        terms.append("r.name GLOB :p")
        params["p"] = query + "*"
    if len(query) >= 3:
        terms.append(RAW_FTS)
        params["phrase"] = phrase
    return ("(" + " OR ".join(terms) + ")" if terms else "0"), params


def raw_list_where(filters: ResidentFilter, day: dt.date) -> tuple[str, dict[str, Any]]:
    terms, params = [RAW_ACTIVE], {}
    if filters.text:
        where, params = raw_search_where(filters.text)
        terms.append(where)
    if filters.village_id is not None:
        terms.append("r.village_id = :village")
        params["village"] = filters.village_id
    if filters.population == "elderly_65":
        terms.append("r.birth_date <= :old")
        params["old"] = years_before(day, 65).isoformat()
    elif filters.population == "child_0_6":
        terms.append("r.birth_date > :young")
        params["young"] = years_before(day, 7).isoformat()
    elif filters.population == "any_key":
        terms.append(
            "(r.birth_date <= :old OR r.birth_date > :young"
            " OR EXISTS (SELECT 1 FROM resident_tag t WHERE t.resident_id = r.id))"
        )
        params["old"] = years_before(day, 65).isoformat()
        params["young"] = years_before(day, 7).isoformat()
    elif filters.population:
        terms.append(
            "EXISTS (SELECT 1 FROM resident_tag t WHERE t.resident_id = r.id AND t.tag = :tag)"
        )
        params["tag"] = filters.population
    if filters.signing == "signed":
        terms.append(RAW_IN_FORCE)
    elif filters.signing == "unsigned":
        terms.append(f"NOT {RAW_IN_FORCE} AND NOT EXISTS (SELECT 1 {RAW_AHEAD})")
    elif filters.signing == "expiring":
        ending = f"EXISTS (SELECT 1 {RAW_CHAIN_ENDS} AND {RAW_LAST} <= :soon)"
        terms.append(f"{RAW_IN_FORCE} AND {ending}")
        params["soon"] = (day + dt.timedelta(days=EXPIRING_DAYS)).isoformat()
    return " AND ".join(terms), params


class Raw:
    """Hand-written sqlite3 queries on the benchmark file (a connection of its own)."""

    def __init__(self, path: str, day: dt.date) -> None:
        self.connection = sqlite3.connect(path)
        self.day = day.isoformat()

    def count_and_page(
        self, filters: ResidentFilter, offset: int | None, limit: int
    ) -> tuple[int, list[Any]]:
        where, params = raw_list_where(filters, dt.date.fromisoformat(self.day))
        params = {**params, "d": self.day}
        count = self.connection.execute(
            f"SELECT count(*) FROM resident r WHERE {where}", params
        ).fetchone()[0]
        start = (count - limit if offset is None else offset) if count else 0
        rows = self.connection.execute(
            f"SELECT {RAW_COLUMNS} {RAW_FROM} WHERE {where}"
            f" ORDER BY r.name_pinyin, r.id LIMIT {limit} OFFSET {max(0, start)}",
            params,
        ).fetchall()
        return count, rows

    def page(self, filters: ResidentFilter, offset: int, limit: int) -> list[Any]:
        where, params = raw_list_where(filters, dt.date.fromisoformat(self.day))
        return self.connection.execute(
            f"SELECT {RAW_COLUMNS} {RAW_FROM} WHERE {where}"
            f" ORDER BY r.name_pinyin, r.id LIMIT {limit} OFFSET {offset}",
            {**params, "d": self.day},
        ).fetchall()


# --- timing helpers -----------------------------------------------------------------------


def ms(seconds: float) -> float:
    return seconds * 1000.0


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(0.95 * len(ordered)) - 1)]


@dataclass
class Figure:
    name: str
    value: float
    target: float
    ratio: float  # to the raw baseline of the same run
    unit: str = "ms"
    note: str = ""

    @property
    def ok(self) -> bool:
        return self.value <= self.target

    def line(self) -> str:
        ratio = self.ratio
        return (
            f"{self.name:<52} {self.value:9.2f} {self.unit:<3} target <= {self.target:g} "
            f"{self.unit:<3} ratio to raw {ratio:6.2f}x  {'OK' if self.ok else 'MISSED'}"
            + (f"   {self.note}" if self.note else "")
        )


# --- search as you type ---------------------------------------------------------------------


@dataclass
class Kind:
    name: str
    typed: list[str] = field(default_factory=list)  # every prefix searched, in typing order


def _prefixes(text: str, minimum: int) -> Iterator[str]:
    for end in range(minimum, len(text) + 1):
        yield text[:end]


def searched(prefix: str) -> bool:
    """Prefixes the program runs a search for (shorter ones find nobody without looking)."""
    if prefix.isdigit():
        return len(prefix) >= 4
    return len(prefix) >= 1 if (prefix.isascii() and prefix.isalpha()) else bool(prefix)


def search_kinds(database: Database, samples: int, seed: int) -> list[Kind]:
    """Queries drawn from the data, each typed one character at a time."""
    rng = random.Random(seed)
    with database.read() as session:
        top = session.execute(sql("SELECT max(id) FROM resident")).scalar_one()
        ids = rng.sample(range(1, top + 1), k=min(top, samples * 3))
        rows = session.execute(
            sql(
                "SELECT id, name, name_pinyin, name_initials, id_number, phone, health_record_no"
                " FROM resident WHERE id IN (" + ",".join(map(str, ids)) + ")"
            )
        ).all()
    rng.shuffle(rows)
    with_id = [r for r in rows if r.id_number][:samples]
    with_phone = [r for r in rows if r.phone][:samples]
    chosen = rows[:samples]
    kinds = [
        Kind("name (Chinese, typed: 王, 王建, 王建国)"),
        Kind("pinyin initials (w, wj, wjg)"),
        Kind("full pinyin (w, wa, ... wangjianguo)"),
        Kind("ID number digits (from the start, or 6-8 inside)"),
        Kind("phone digits (from the start, or 4-7 inside)"),
        Kind("health record number (from the start)"),
    ]
    for row in chosen:
        kinds[0].typed += _prefixes(row.name, 1)
        kinds[1].typed += _prefixes(row.name_initials, 1)
        kinds[2].typed += _prefixes(row.name_pinyin, 1)
        kinds[5].typed += [p for p in _prefixes(row.health_record_no, 1) if searched(p)]
    for index, row in enumerate(with_id):
        number = row.id_number
        if index % 2 == 0:
            typed = number
        else:
            length = rng.randint(6, 8)
            start = rng.randint(0, len(number) - length)
            typed = number[start : start + length]
        kinds[3].typed += [p for p in _prefixes(typed, 1) if searched(p)]
    for index, row in enumerate(with_phone):
        phone = row.phone
        if index % 2 == 0:
            typed = phone
        else:
            length = rng.randint(4, 7)
            start = rng.randint(0, len(phone) - length)
            typed = phone[start : start + length]
        kinds[4].typed += [p for p in _prefixes(typed, 1) if searched(p)]
    return kinds


def time_search(database: Database, text: str, day: dt.date) -> tuple[float, float, int]:
    """Wall time, CPU time of this thread (what a machine to ourselves would show), count."""
    start, cpu = time.perf_counter(), time.thread_time()
    query = resident_list(ResidentFilter(text=text), day)
    with database.read() as session:
        count = query.count(session)
        query.fetch(session, 0, FIRST_PAGE)
    return time.perf_counter() - start, time.thread_time() - cpu, count


def time_raw_search(raw: Raw, text: str) -> float:
    start = time.perf_counter()
    raw.count_and_page(ResidentFilter(text=text), 0, FIRST_PAGE)
    return time.perf_counter() - start


def bench_search(
    database: Database, raw: Raw, day: dt.date, samples: int, seed: int
) -> list[Figure]:
    kinds = search_kinds(database, samples, seed)
    for text in ("王", "zs", "3203", "13812"):  # warm the caches a real session would have
        time_search(database, text, day)
        time_raw_search(raw, text)
    figures = []
    for kind in kinds:
        ours, cpu, theirs, counts = [], [], [], []
        for index, text in enumerate(kind.typed):
            seconds, cpu_seconds, count = time_search(database, text, day)
            ours.append(ms(seconds))
            cpu.append(ms(cpu_seconds))
            counts.append(count)
            if index % RAW_EVERY == 0:
                theirs.append(ms(time_raw_search(raw, text)))
        heavy = sum(1 for c in counts if c >= 10_000)
        figures.append(
            Figure(
                f"search p95: {kind.name}",
                p95(ours),
                SEARCH_TARGET_MS,
                p95(ours) / p95(theirs),
                note=(
                    f"{len(ours)} searches, median {statistics.median(ours):.1f} ms,"
                    f" max {max(ours):.0f} ms, CPU p95 {p95(cpu):.1f} ms;"
                    f" {heavy} found 10,000+ residents"
                ),
            )
        )
        print(figures[-1].line(), flush=True)
    return figures


# --- the resident list ------------------------------------------------------------------------


def list_filters(database: Database) -> list[tuple[str, ResidentFilter]]:
    with database.read() as session:
        village = session.execute(
            sql(
                "SELECT village_id FROM resident GROUP BY village_id ORDER BY count(*) DESC LIMIT 1"
            )
        ).scalar_one()
    return [
        ("all residents, by name", ResidentFilter()),
        ("one village", ResidentFilter(village_id=village)),
        ("key population: hypertension", ResidentFilter(population="hypertension")),
        ("key population: 65 and over", ResidentFilter(population="elderly_65")),
        ("key population: any", ResidentFilter(population="any_key")),
        ("unsigned", ResidentFilter(signing="unsigned")),
        ("one village, unsigned", ResidentFilter(village_id=village, signing="unsigned")),
        (
            "hypertension, unsigned",
            ResidentFilter(population="hypertension", signing="unsigned"),
        ),
        ("65 and over, unsigned", ResidentFilter(population="elderly_65", signing="unsigned")),
        ("signing expires within 30 days", ResidentFilter(signing="expiring")),
    ]


def bench_list(database: Database, raw: Raw, day: dt.date, runs: int) -> list[Figure]:
    figures = []
    for label, filters in list_filters(database):
        firsts, lasts, raw_firsts, raw_lasts = [], [], [], []
        count = 0
        for _ in range(runs):
            start = time.perf_counter()
            query = resident_list(filters, day)
            with database.read() as session:
                count = query.count(session)
                query.fetch(session, 0, LIST_PAGE)
            firsts.append(ms(time.perf_counter() - start))
            # The model knows the count; jumping to the end fetches the last page.
            start = time.perf_counter()
            with database.read() as session:
                last = query.fetch(session, max(0, count - LIST_PAGE), LIST_PAGE)
            lasts.append(ms(time.perf_counter() - start))
            assert len(last) == min(count, LIST_PAGE)
            start = time.perf_counter()
            raw_count, _rows = raw.count_and_page(filters, 0, LIST_PAGE)
            raw_firsts.append(ms(time.perf_counter() - start))
            start = time.perf_counter()
            raw.page(filters, max(0, raw_count - LIST_PAGE), LIST_PAGE)
            raw_lasts.append(ms(time.perf_counter() - start))
            assert raw_count == count, (label, raw_count, count)
        for what, values, baseline in (
            ("first screen", firsts, raw_firsts),
            ("jump to last row", lasts, raw_lasts),
        ):
            figures.append(
                Figure(
                    f"list {what}: {label}",
                    statistics.median(values),
                    LIST_TARGET_MS,
                    statistics.median(values) / statistics.median(baseline),
                    note=f"{count:,} rows, max {max(values):.0f} ms",
                )
            )
            print(figures[-1].line(), flush=True)
    return figures


def check_same_rows(database: Database, day: dt.date, kinds_texts: list[str]) -> int:
    """The fast paths list exactly what the plain query (``PagedQuery``) lists."""
    checks = 0
    filters = [ResidentFilter(text=t) for t in kinds_texts] + [
        ResidentFilter(village_id=3, signing="unsigned"),
        ResidentFilter(village_id=7, population="hypertension", sort="birth_date"),
        ResidentFilter(text="zs", descending=True),
        ResidentFilter(text="1381", status="all"),
    ]
    for filters_ in filters:
        query = resident_list(filters_, day)
        with database.read() as session:
            count = query.count(session)
            if count != PagedQuery.count(query, session):
                raise AssertionError(f"count differs for {filters_}")
            for offset in {0, max(0, count - LIST_PAGE)}:
                mine = query.fetch(session, offset, LIST_PAGE)
                plain = PagedQuery.fetch(query, session, offset, LIST_PAGE)
                if mine != plain:
                    raise AssertionError(f"rows differ for {filters_} at {offset}")
                checks += 1
    return checks


# --- memory of the list model -----------------------------------------------------------------


def drive_model(database: Database, day: dt.date, pages: int, seed: int) -> tuple[int, int]:
    """tracemalloc peak (bytes) of showing ``pages`` random pages in the GUI's list model."""
    from PySide6.QtCore import QCoreApplication, Qt

    from familydoc.gui.runner import OperationRunner
    from familydoc.gui.table_model import Column, PagedTableModel

    app = QCoreApplication.instance()
    assert app is not None
    runner = OperationRunner(database)
    columns = [Column(key, key) for key in RESIDENT_LIST_COLUMNS[1:10]]
    model = PagedTableModel(runner, lambda _s: resident_list(ResidentFilter(), day), columns)
    rng = random.Random(seed)

    def wait(condition: Callable[[], bool], timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            app.processEvents()
            if time.monotonic() > deadline:
                raise TimeoutError("the list model did not answer")
            time.sleep(0.0005)

    counted: list[int] = []
    model.countChanged.connect(counted.append)
    model.refresh()
    wait(lambda: bool(counted))
    rows = model.rowCount()
    gc.collect()
    tracemalloc.start()
    tracemalloc.reset_peak()
    for _ in range(pages):
        page = rng.randrange(max(1, math.ceil(rows / LIST_PAGE)))
        first = page * LIST_PAGE
        model.data(model.index(first, 0))  # asks for the page
        wait(lambda first=first: model.row_values(first) is not None)
        for row in range(first, min(rows, first + LIST_PAGE)):
            for column in range(model.columnCount()):
                model.data(model.index(row, column), Qt.ItemDataRole.DisplayRole)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    runner.shutdown()
    model.countChanged.disconnect()
    model.deleteLater()
    runner.deleteLater()
    app.processEvents()
    gc.collect()
    return rows, peak


def raw_pages_peak(path: str, day: dt.date, pages: int, seed: int) -> int:
    """tracemalloc peak of the same pages read by hand, at most 32 kept (the model's cache)."""
    connection = sqlite3.connect(path)
    count = connection.execute(
        "SELECT count(*) FROM resident WHERE left_on IS NULL OR left_on > ?", (day.isoformat(),)
    ).fetchone()[0]
    rng = random.Random(seed)
    cache: dict[int, list[Any]] = {}
    gc.collect()
    tracemalloc.start()
    tracemalloc.reset_peak()
    for _ in range(pages):
        page = rng.randrange(max(1, math.ceil(count / LIST_PAGE)))
        cache[page] = connection.execute(
            f"SELECT {RAW_COLUMNS} {RAW_FROM} WHERE {RAW_ACTIVE}"
            f" ORDER BY r.name_pinyin, r.id LIMIT {LIST_PAGE} OFFSET {page * LIST_PAGE}",
            {"d": day.isoformat()},
        ).fetchall()
        while len(cache) > 32:
            cache.pop(next(iter(cache)))
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    connection.close()
    return peak


def bench_memory(small: GeneratedData, large: GeneratedData, pages: int, seed: int) -> Figure:
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    peaks = {}
    for data in (small, large):
        database = open_database(f"sqlite:///{data.path}", backups_dir=CACHE_DIR / "backups")
        try:
            rows, peak = drive_model(database, data.today_date, pages, seed)
        finally:
            database.dispose()
        peaks[data.residents] = (
            rows,
            peak,
            raw_pages_peak(data.path, data.today_date, pages, seed),
        )
    app.shutdown()  # before the interpreter tears down (PySide6 crashed at exit otherwise)
    (small_rows, small_peak, _), (large_rows, large_peak, large_raw) = (
        peaks[small.residents],
        peaks[large.residents],
    )
    figure = Figure(
        f"list model memory, {large_rows:,} rows / {small_rows:,} rows",
        large_peak / small_peak,
        MEMORY_FLAT_TARGET,
        large_peak / large_raw,
        unit="x",
        note=(
            f"tracemalloc peak {small_peak / 1e6:.1f} MB at {small_rows:,} rows,"
            f" {large_peak / 1e6:.1f} MB at {large_rows:,} rows ({pages} random pages);"
            f" ratio here: model peak / the same pages read by hand, at {large_rows:,} rows"
        ),
    )
    print(figure.line(), flush=True)
    return figure


# --- main ---------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--residents", type=int, default=200_000)
    parser.add_argument("--villages", type=int, default=300)
    parser.add_argument("--contracts", type=int, default=120_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--samples", type=int, default=100, help="typed queries per kind")
    parser.add_argument("--runs", type=int, default=7, help="runs per list figure")
    parser.add_argument("--pages", type=int, default=50, help="random pages for memory")
    parser.add_argument("--skip", nargs="*", default=(), choices=("search", "list", "memory"))
    args = parser.parse_args(argv)

    data = cached_database(
        residents=args.residents,
        villages=args.villages,
        contracts=args.contracts,
        seed=args.seed,
    )
    day = data.today_date
    print(
        f"familydoc resident benchmarks: {data.residents:,} residents, {data.villages} villages,"
        f" {data.contracts:,} contracts ({data.contracts_in_force:,} in force),"
        f" {data.households:,} households; database {data.size_bytes / 1e6:.0f} MB,"
        f" generated in {data.seconds:.1f} s (cached: {Path(data.path).name})"
    )
    print(
        "raw baseline: the same lookup as hand-written sqlite3 queries (count and page)"
        " on the same file, in the same run"
    )
    database = open_database(f"sqlite:///{data.path}", backups_dir=CACHE_DIR / "backups")
    raw = Raw(data.path, day)
    figures: list[Figure] = []
    try:
        if "search" not in args.skip:
            figures += bench_search(database, raw, day, args.samples, args.seed)
        if "list" not in args.skip:
            figures += bench_list(database, raw, day, args.runs)
        checks = check_same_rows(database, day, ["王", "wj", "zhangsan", "5788", "1955"])
        print(f"fast paths list the same rows as the plain query: {checks} checks passed")
    finally:
        database.dispose()
    if "memory" not in args.skip:
        small = cached_database(
            residents=max(1, args.residents // 10),
            villages=max(1, args.villages // 10),
            contracts=max(1, args.contracts // 10),
            seed=args.seed,
        )
        figures.append(bench_memory(small, data, args.pages, args.seed))
    missed = [f for f in figures if not f.ok]
    print(
        f"{len(figures) - len(missed)} of {len(figures)} figures on target"
        + (": missed " + "; ".join(f.name for f in missed) if missed else "")
    )
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
