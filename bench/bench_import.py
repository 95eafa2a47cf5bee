"""Import benchmark: 100,000 residents from a CSV roster, against a raw executemany.

    python bench/bench_import.py [--rows 100000] [--villages 300] [--runs 3] [--seed 7]

(from the repository, in the project's virtual environment). DESIGN.md's target:
importing 100,000 residents from CSV takes at most 10 s and at most 3x a raw
``sqlite3.executemany`` of the same already-parsed rows, measured in the same run.

The roster is written the way Excel on Simplified-Chinese Windows saves "CSV": in
GB18030 (GBK), with Chinese headers, dates as 1949/12/31, key populations as
Chinese words separated by 、 and households of one to six members. Each run
imports it into a fresh database (migrated, with the villages imported first)
through the same code as ``familydoc import residents``: read and decode the file,
map the columns, check every row with the resident validator, write, commit.

The raw baseline opens another fresh database of the same schema and, with
``sqlite3.executemany`` in one transaction, inserts exactly the rows the import
stored, read back from the imported database: households, residents (with their
pinyin keys), key-population tags, and the rows of the search index
(``resident_search``), whose per-row trigger is dropped for the baseline. The
connection has the program's settings (WAL, synchronous=FULL) and the page cache
the import sets for itself. For information the bench also prints the baseline
without the search-index rows, and with the per-row trigger left in place (FTS5
flushes at every trigger's statement savepoint, which is why the import drops the
trigger and indexes the new rows with one INSERT...SELECT).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from familydoc.core import auth, demo, imports, setup  # noqa: E402
from familydoc.core.config import Home  # noqa: E402
from familydoc.core.context import open_context  # noqa: E402
from familydoc.core.idnumber import build as build_id_number  # noqa: E402

TARGET_SECONDS = 10.0
TARGET_RATIO = 3.0
TODAY = dt.date(2026, 11, 24)
ADMIN, PASSWORD = "admin", "bench-pass-1"
AREA_CODES = ("320321", "320321", "320321", "320322", "320381", "320382", "320324")
GIVEN = (
    "伟强磊军勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆志文海东林峰成德福贵荣昌盛庆祥瑞"
    "芳娜敏静丽艳娟霞秀英玲桂兰萍红梅燕琳丹婷雪慧莉云洁倩琴颖佳凤翠珍玉春秋月娥萱怡"
)
TAG_WORDS = {
    "高血压": 0.20,
    "糖尿病": 0.07,
    "残疾人": 0.03,
    "低保户": 0.03,
    "脱贫户": 0.02,
    "严重精神障碍": 0.006,
    "肺结核": 0.002,
    "计生特殊家庭": 0.005,
}
HEADERS = (
    "姓名",
    "身份证号",
    "性别",
    "出生日期",
    "联系电话",
    "村居",
    "户号",
    "与户主关系",
    "重点人群",
    "健康档案号",
    "住址",
)


def village_codes(count: int) -> list[tuple[str, str]]:
    """(12-digit code, name) of ``count`` villages in towns of 20 villages each."""
    villages = []
    for index in range(count):
        town, number = divmod(index, 20)
        code = f"320321{100 + town:03d}{201 + number:03d}"
        villages.append((code, f"{demo.SURNAMES[index % len(demo.SURNAMES)]}{index + 1}村"))
    return villages


def write_villages(path: Path, villages: list[tuple[str, str]]) -> None:
    with path.open("w", encoding="gb18030", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(("村居代码", "村居名称", "常住人口", "年份"))
        for code, name in villages:
            writer.writerow((code, name, 1200, TODAY.year))


def write_roster(path: Path, rows: int, villages: list[tuple[str, str]], seed: int) -> None:
    """A GB18030 roster of ``rows`` residents in households, as a clinic's Excel saves it."""
    rng = random.Random(seed)
    used: set[str] = set()
    written = 0
    serial = 0
    with path.open("w", encoding="gb18030", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADERS)
        while written < rows:
            serial += 1
            code, village = villages[serial % len(villages)]
            household = f"{code[-6:]}{serial:06d}"
            address = f"{village}{rng.randint(1, 12)}组{rng.randint(1, 80)}号"
            size = min(rows - written, rng.choice((1, 2, 2, 3, 3, 3, 4, 4, 5, 6)))
            surname = rng.choice(demo.SURNAMES)
            for position in range(size):
                age = demo._age(rng, head=position == 0)
                sex = rng.choice("MF")
                birth = demo._birth_date(rng, TODAY, age)
                while True:
                    sequence = rng.randrange(1, 999)
                    if (sequence % 2 == 1) != (sex == "M"):
                        sequence += 1 if sequence < 998 else -1
                    number = build_id_number(rng.choice(AREA_CODES), birth, sequence)
                    if number not in used:
                        used.add(number)
                        break
                given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
                name = (surname if position != 1 else rng.choice(demo.SURNAMES)) + given
                tags = [word for word, share in TAG_WORDS.items() if rng.random() < share]
                if age >= 65:
                    tags.append("65岁及以上老年人")  # age-based: accepted and ignored
                writer.writerow(
                    (
                        name,
                        number,
                        "男" if sex == "M" else "女",
                        f"{birth:%Y/%m/%d}",
                        f"1{rng.choice('3578')}{rng.randint(0, 9)}"
                        f"{rng.randint(10_000_000, 99_999_999)}"
                        if age >= 14
                        else "",
                        village,
                        household,
                        "户主" if position == 0 else rng.choice(("配偶", "子", "女", "母亲")),
                        "、".join(tags),
                        f"{code}{written + 1:06d}",
                        address,
                    )
                )
                written += 1


def fresh_home(folder: Path, villages_csv: Path) -> tuple[Home, auth.Actor]:
    """A migrated database of an institution with the villages imported."""
    home = Home(folder)
    context = open_context(home)
    try:
        with context.database.unit_of_work() as session:
            setup.initialise(
                session,
                institution_code=demo.INSTITUTION_CODE,
                institution_name=demo.INSTITUTION_NAME,
                admin_username=ADMIN,
                admin_password=PASSWORD,
            )
            actor = auth.actor_for(session, ADMIN)
        source = imports.open_source(villages_csv, "villages")
        with context.database.unit_of_work() as session:
            imports.run_import(session, actor, source, today=TODAY)
        source.close()
    finally:
        context.close()
    return home, actor


def time_import(home: Home, actor: auth.Actor, roster: Path) -> tuple[float, imports.ImportReport]:
    context = open_context(home)
    try:
        start = time.perf_counter()
        source = imports.open_source(roster, "residents")
        with context.database.unit_of_work() as session:
            report = imports.run_import(session, actor, source, today=TODAY)
        source.close()
        elapsed = time.perf_counter() - start
    finally:
        context.close()
    return elapsed, report


TABLES = ("household", "resident", "resident_tag")
SEARCH_TABLE = "resident_search"
Rows = dict[str, tuple[list[str], list[tuple[object, ...]]]]


def parsed_rows(database: Path) -> Rows:
    """The rows the import stored, as sqlite3 hands them back (already parsed values)."""
    connection = sqlite3.connect(database)
    try:
        rows = {}
        for table in TABLES:
            cursor = connection.execute(f"SELECT * FROM {table}")
            columns = [d[0] for d in cursor.description]
            rows[table] = (columns, cursor.fetchall())
        cursor = connection.execute(f"SELECT rowid, keys FROM {SEARCH_TABLE}")
        rows[SEARCH_TABLE] = (["rowid", "keys"], cursor.fetchall())
        return rows
    finally:
        connection.close()


def time_raw(database: Path, rows: Rows, trigger: bool, search_rows: bool = True) -> float:
    """One transaction of executemany calls; with ``trigger`` the schema's own per-row
    search-index trigger does the indexing instead of inserting the index rows."""
    connection = sqlite3.connect(database, isolation_level=None)
    try:
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("PRAGMA synchronous = FULL")
        connection.execute("PRAGMA foreign_keys = ON")
        connection.execute(f"PRAGMA cache_size = {imports.IMPORT_CACHE_KIB}")
        if not trigger:
            connection.execute("DROP TRIGGER trg_resident_search_insert")
        tables = [*TABLES, SEARCH_TABLE] if search_rows and not trigger else list(TABLES)
        start = time.perf_counter()
        connection.execute("BEGIN IMMEDIATE")
        for table in tables:
            columns, values = rows[table]
            marks = ", ".join("?" * len(columns))
            connection.executemany(
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",
                values,
            )
        connection.execute("COMMIT")
        return time.perf_counter() - start
    finally:
        connection.close()


def _report(name: str, figure: float, target: float, baseline: float, ratio_target: float) -> bool:
    ratio = figure / baseline
    ok = figure <= target and ratio <= ratio_target
    print(
        f"{name:<48} {figure:8.3f} s   target <= {target:g} s   "
        f"ratio to raw {ratio:5.2f}x (target <= {ratio_target:g}x)   {'OK' if ok else 'MISSED'}"
    )
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--villages", type=int, default=300)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="familydoc-bench-import-") as tmp:
        folder = Path(tmp)
        villages = village_codes(args.villages)
        villages_csv, roster = folder / "villages.csv", folder / "roster.csv"
        write_villages(villages_csv, villages)
        start = time.perf_counter()
        write_roster(roster, args.rows, villages, args.seed)
        print(
            f"roster: {args.rows:,} residents in {args.villages} villages, GB18030 CSV of "
            f"{roster.stat().st_size / 1e6:.1f} MB (written in {time.perf_counter() - start:.1f} s)"
        )
        figures, raws, raws_tables, raws_trigger = [], [], [], []
        for run in range(args.runs):
            home, actor = fresh_home(folder / f"import-{run}", villages_csv)
            elapsed, report = time_import(home, actor, roster)
            assert report.new == args.rows, report
            figures.append(elapsed)
            rows = parsed_rows(home.database_file)
            assert len(rows[SEARCH_TABLE][1]) == args.rows, "search index not filled"
            raw_home, _ = fresh_home(folder / f"raw-{run}", villages_csv)
            raws.append(time_raw(raw_home.database_file, rows, trigger=False))
            tables_home, _ = fresh_home(folder / f"raw-tables-{run}", villages_csv)
            raws_tables.append(
                time_raw(tables_home.database_file, rows, trigger=False, search_rows=False)
            )
            if run == 0:
                trigger_home, _ = fresh_home(folder / f"raw-trigger-{run}", villages_csv)
                raws_trigger.append(time_raw(trigger_home.database_file, rows, trigger=True))
            print(
                f"  run {run + 1}: import {elapsed:.3f} s ({report.new:,} new, "
                f"{report.households_created:,} households); raw executemany {raws[-1]:.3f} s"
            )
        figure, raw = statistics.median(figures), statistics.median(raws)
        raw_tables = statistics.median(raws_tables)
        print(
            f"familydoc import benchmark, median of {args.runs} runs; raw baseline: "
            "sqlite3.executemany of the same parsed rows (households, residents, tags, "
            "search-index rows) into the same schema, same run"
        )
        ok = _report(
            f"Import {args.rows:,} residents from CSV", figure, TARGET_SECONDS, raw, TARGET_RATIO
        )
        print(
            f"{'  raw executemany, all rows (the baseline)':<48} {raw:8.3f} s\n"
            f"{'  raw executemany without the search index':<48} {raw_tables:8.3f} s"
            f"   import / this = {figure / raw_tables:.2f}x (information)\n"
            f"{'  raw executemany, index by per-row trigger':<48} {raws_trigger[0]:8.3f} s"
            "   (information)"
        )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
