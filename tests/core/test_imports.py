"""Importing villages and residents: all rows or none, updates on re-import, the search index,
the ID-number shapes Excel produces (property tests), cancelling, permissions, the audit."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from sqlalchemy import func, select, text
from stdnum.cn import ric

from familydoc.core import auth, imports, residents
from familydoc.core.context import AppContext
from familydoc.core.errors import PermissionDenied, RuleViolation
from familydoc.core.idnumber import build as build_id_number
from familydoc.core.models import (
    AuditEvent,
    Household,
    Resident,
    ResidentTag,
    Village,
    VillagePopulation,
)
from familydoc.core.names import pinyin_keys, pinyin_keys_fast

TODAY = dt.date(2026, 11, 24)
QINGSHAN, HEWAN = "320321110201", "320321110202"
VILLAGES_CSV = f"村居代码,村居名称,常住人口,年份\n{QINGSHAN},青山村,1850,2026\n{HEWAN},河湾村,,\n"
HEADER = [
    "姓名",
    "身份证号",
    "性别",
    "出生日期",
    "联系电话",
    "村居",
    "户号",
    "与户主关系",
    "重点人群",
]
ZHANG = build_id_number("320321", dt.date(1950, 3, 4), 123)
LI = build_id_number("320321", dt.date(1985, 7, 9), 22)
WANG = build_id_number("320321", dt.date(2019, 1, 2), 31)
X_ENDING = next(
    n
    for n in (build_id_number("320321", dt.date(1960, 5, 6), s) for s in range(1, 999))
    if n.endswith("X")
)


def write_csv(path: Path, rows: Sequence[Sequence[object]], encoding: str = "gb18030") -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def run(
    context: AppContext,
    actor: auth.Actor,
    path: Path,
    kind: str = "residents",
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> imports.ImportReport:
    source = imports.open_source(path, kind)
    try:
        with context.database.unit_of_work(write=not dry_run) as session:
            return imports.run_import(
                session, actor, source, dry_run=dry_run, today=TODAY, progress=progress
            )
    finally:
        source.close()


def count(context: AppContext, model: type) -> int:
    with context.database.read() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


@pytest.fixture
def villages(initialised: AppContext, admin: auth.Actor, tmp_path: Path) -> AppContext:
    path = tmp_path / "villages.csv"
    path.write_text(VILLAGES_CSV, encoding="utf-8-sig")
    report = run(initialised, admin, path, "villages")
    assert (report.new, report.populations_set) == (2, 1)
    return initialised


def roster(tmp_path: Path, *rows: Sequence[object], name: str = "roster.csv") -> Path:
    return write_csv(tmp_path / name, [HEADER, *rows])


GOOD = (
    ("张三", ZHANG, "男", "1950年3月4日", "138 1234 5678", "青山村", "001", "户主", "高血压、低保"),
    ("李 四", LI, "女", "1985/07/09", "", HEWAN, "002", "户主", "孕产妇"),
    ("王五", WANG, "", "", "", "青山村", "001", "孙子", "0-6岁儿童"),
)


# --- residents ----------------------------------------------------------------------------


def test_a_clean_roster_is_imported_with_households_tags_and_search_keys(
    villages: AppContext, admin: auth.Actor, tmp_path: Path
) -> None:
    report = run(villages, admin, roster(tmp_path, *GOOD))
    assert (report.rows, report.new, report.updated, report.unchanged) == (3, 3, 0, 0)
    assert report.households_created == 2
    with villages.database.read() as session:
        rows = {r.id_number: r for r in session.scalars(select(Resident))}
        zhang, li, wang = rows[ZHANG], rows[LI], rows[WANG]
        assert (zhang.name, zhang.sex, zhang.birth_date, zhang.phone) == (
            "张三",
            "M",
            dt.date(1950, 3, 4),
            "13812345678",
        )
        assert (zhang.name_pinyin, zhang.name_initials) == ("zhangsan", "zs")
        assert li.name == "李四" and li.sex == "F"
        assert zhang.household_id == wang.household_id != li.household_id
        assert {t.tag for t in zhang.tags} == {"hypertension", "poverty"}
        assert {t.tag for t in li.tags} == {"maternal"}
        assert wang.tags == []  # 0-6岁儿童 is computed from the birth date, not stored
        found = session.scalars(select(Resident.name).where(residents.search_condition("zs"))).all()
        assert found == ["张三"]
        digits = session.scalars(
            select(Resident.name).where(residents.search_condition(LI[-8:]))
        ).all()
        assert digits == ["李四"]
        events = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "resident.import")
        ).all()
        assert len(events) == 1
        assert events[0].changes["file"] == "roster.csv"
        assert events[0].changes["new"] == 3


def test_the_search_trigger_is_back_after_an_import(
    villages: AppContext, admin: auth.Actor, tmp_path: Path
) -> None:
    run(villages, admin, roster(tmp_path, *GOOD))
    with villages.database.unit_of_work() as session:
        triggers = session.scalars(
            text("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'resident'")
        ).all()
        assert "trg_resident_search_insert" in triggers
        residents.register(
            session,
            admin,
            residents.ResidentInput(name="赵六", id_number=X_ENDING, village=QINGSHAN),
            today=TODAY,
        )
    with villages.database.read() as session:
        indexed = session.execute(text("SELECT count(*) FROM resident_search")).scalar()
        assert indexed == count(villages, Resident) == 4
        assert session.scalars(
            select(Resident.name).where(residents.search_condition("zl"))
        ).all() == ["赵六"]


def test_one_bad_row_and_nothing_is_written(
    villages: AppContext, admin: auth.Actor, tmp_path: Path
) -> None:
    path = roster(
        tmp_path,
        *GOOD,
        ("赵六", "1.10105E+17", "男", "", "", "青山村", "003", "户主", ""),
        ("钱七", ZHANG[:15] + "000", "男", "", "", "青山村", "003", "子", ""),
        ("孙八", LI, "女", "", "", "不存在村", "004", "户主", "糖尿病/脚气"),
        ("周九", "", "女", "2024-13-01", "1234", "青山村", "005", "户主", ""),
    )
    before = count(villages, AuditEvent)
    with pytest.raises(imports.ImportRefused) as caught:
        run(villages, admin, path)
    refused = caught.value
    assert refused.rows == 7
    found = {(p.row, p.column, p.value) for p in refused.problems}
    assert (5, "身份证号", "1.10105E+17") in found
    assert (6, "身份证号", ZHANG[:15] + "000") in found
    assert (7, "村居", "不存在村") in found
    assert (7, "重点人群", "脚气") in found
    assert (7, "身份证号", LI) in found  # the same number as row 3
    assert (8, "出生日期", "2024-13-01") in found
    assert (8, "联系电话", "1234") in found
    assert (8, "监护人姓名", "") in found  # no ID number: a guardian is needed
    messages = {p.row: p.error.message for p in refused.problems if p.column == "身份证号"}
    assert "Excel" in messages[5] and "Excel" in messages[6]
    assert "Row 3" in refused.problems[4].error.render() or any(
        "Row 3 of this file" in p.error.render() for p in refused.problems
    )
    assert [p.row for p in refused.problems] == sorted(p.row for p in refused.problems)
    assert count(villages, Resident) == 0
    assert count(villages, Household) == 0
    assert count(villages, AuditEvent) == before


def test_problems_go_to_an_error_file_excel_opens(tmp_path: Path) -> None:
    problems = [
        imports.RowProblem(
            5, "身份证号", "110105199001011000", RuleViolation("Bad {value}.", value="x")
        ),
        imports.RowProblem(7, "村居", "不存在村", RuleViolation("No village.")),
    ]
    path = imports.write_error_file(tmp_path / "errors.csv", problems)
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows == [
        ["Row", "Column", "Value", "Problem"],
        ["5", "身份证号", '="110105199001011000"', "Bad x."],
        ["7", "村居", "不存在村", "No village."],
    ]


def test_reimport_updates_and_counts_unchanged(
    villages: AppContext, admin: auth.Actor, tmp_path: Path
) -> None:
    run(villages, admin, roster(tmp_path, *GOOD))
    again = run(villages, admin, roster(tmp_path, *GOOD, name="again.csv"))
    assert (again.new, again.updated, again.unchanged) == (0, 0, 3)
    changed = [list(row) for row in GOOD]
    changed[0][4] = "13900001111"  # a new phone
    changed[1][8] = ""  # a blank cell keeps the stored tags
    changed[2][6] = "009"  # moved to a new household
    report = run(villages, admin, roster(tmp_path, *changed, name="changed.csv"))
    assert (report.new, report.updated, report.unchanged, report.households_created) == (0, 2, 1, 1)
    with villages.database.read() as session:
        rows = {r.id_number: r for r in session.scalars(select(Resident))}
        assert rows[ZHANG].phone == "13900001111"
        assert {t.tag for t in rows[LI].tags} == {"maternal"}
        assert session.get(Household, rows[WANG].household_id).number == "009"
        indexed = (
            session.execute(
                text("SELECT rowid FROM resident_search WHERE resident_search MATCH :q"),
                {"q": '"13900001111"'},
            )
            .scalars()
            .all()
        )
        assert indexed == [rows[ZHANG].id]


def test_columns_the_file_lacks_keep_what_is_stored(
    villages: AppContext, admin: auth.Actor, tmp_path: Path
) -> None:
    run(villages, admin, roster(tmp_path, *GOOD))
    short = write_csv(
        tmp_path / "short.csv", [["身份证号", "姓名", "村居"], [ZHANG, "张三", "青山村"]]
    )
    report = run(villages, admin, short)
    assert (report.updated, report.unchanged) == (0, 1)
    with villages.database.read() as session:
        zhang = session.scalars(select(Resident).where(Resident.id_number == ZHANG)).one()
        assert zhang.phone == "13812345678"
        assert {t.tag for t in zhang.tags} == {"hypertension", "poverty"}
        assert zhang.household_id is not None


def test_residents_without_id_number_are_matched_on_reimport(
    villages: AppContext, admin: auth.Actor, tmp_path: Path
) -> None:
    header = [*HEADER, "监护人姓名", "监护人电话"]
    newborn = [
        "小宝",
        "",
        "男",
        "2026-10-01",
        "",
        "青山村",
        "001",
        "孙子",
        "",
        "张三",
        "13812345678",
    ]
    path = write_csv(tmp_path / "newborn.csv", [header, newborn])
    assert run(villages, admin, path).new == 1
    again = run(villages, admin, path)
    assert (again.new, again.unchanged) == (0, 1)
    twice = write_csv(tmp_path / "twice.csv", [header, newborn, newborn])
    with pytest.raises(imports.ImportRefused) as caught:
        run(villages, admin, twice, dry_run=True)
    assert [p.row for p in caught.value.problems] == [3]


def test_dry_run_checks_and_counts_but_writes_nothing(
    villages: AppContext, admin: auth.Actor, tmp_path: Path
) -> None:
    report = run(villages, admin, roster(tmp_path, *GOOD), dry_run=True)
    assert (report.new, report.households_created, report.dry_run) == (3, 2, True)
    assert count(villages, Resident) == 0
    assert count(villages, Household) == 0


def test_cancelling_midway_leaves_the_database_and_its_triggers_as_they_were(
    villages: AppContext, admin: auth.Actor, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(imports, "CHUNK_ROWS", 2)
    many = [
        (
            f"居民{i}",
            build_id_number("320321", dt.date(1970, 1, 1) + dt.timedelta(days=i), 11),
            "",
            "",
            "",
            "青山村",
            f"{i:03d}",
            "户主",
            "",
        )
        for i in range(10)
    ]
    calls: list[int] = []

    def stop_after_two_chunks(done: int, total: int) -> None:
        calls.append(done)
        if len(calls) == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run(villages, admin, roster(tmp_path, *many), progress=stop_after_two_chunks)
    assert calls == [2, 4]
    assert count(villages, Resident) == 0
    assert count(villages, Household) == 0
    with villages.database.read() as session:
        assert session.execute(text("SELECT count(*) FROM resident_search")).scalar() == 0
        assert (
            session.scalar(
                text("SELECT count(*) FROM sqlite_master WHERE name = 'trg_resident_search_insert'")
            )
            == 1
        )


def test_progress_every_chunk(
    villages: AppContext, admin: auth.Actor, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(imports, "CHUNK_ROWS", 2)
    seen: list[tuple[int, int]] = []
    run(villages, admin, roster(tmp_path, *GOOD), progress=lambda d, t: seen.append((d, t)))
    assert seen == [(2, 3), (3, 3)]


def test_xlsx_roster_with_numbers_and_dates_as_excel_stores_them(
    villages: AppContext, admin: auth.Actor, tmp_path: Path
) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    sheet.append(["张三", ZHANG, "男", dt.datetime(1950, 3, 4), 13812345678, int(QINGSHAN)])
    sheet.append(["李四", float(LI), "女", None, None, "河湾村"])
    path = tmp_path / "roster.xlsx"
    workbook.save(path)
    with pytest.raises(imports.ImportRefused) as caught:
        run(villages, admin, path)
    (problem,) = caught.value.problems
    assert (problem.row, problem.column) == (3, "身份证号")
    assert "Excel" in problem.error.message


# --- the shapes ID numbers take in files (property tests) ---------------------------------

NUMBERS = st.builds(
    build_id_number,
    st.sampled_from(["320321", "110105", "440305", "650102"]),
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2026, 1, 1)),
    st.integers(min_value=1, max_value=999),
)
WIDE = str.maketrans("0123456789Xx", "０１２３４５６７８９Ｘｘ")


def _import_one(context: AppContext, actor: auth.Actor, cell: str) -> tuple[object, list]:
    """Check one row with ``cell`` as the ID number, writing nothing."""
    row = imports.SourceRow(2, {"name": "张三", "id_number": cell, "village": "青山村"})
    with context.database.read() as session:
        try:
            report = imports.import_residents(
                session, actor, [row], columns={"id_number": "身份证号"}, dry_run=True, today=TODAY
            )
        except imports.ImportRefused as refused:
            return None, refused.problems
    return report, []


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    number=NUMBERS,
    wide=st.booleans(),
    lower=st.booleans(),
    pad=st.sampled_from(["", " ", "\t", "'"]),
)
def test_full_width_digits_lower_case_x_and_padding_are_accepted(
    villages: AppContext, admin: auth.Actor, number: str, wide: bool, lower: bool, pad: str
) -> None:
    cell = number.lower() if lower else number
    cell = cell.translate(WIDE) if wide else cell
    cell = pad + cell + (pad if pad != "'" else "")
    report, problems = _import_one(villages, admin, cell)
    assert problems == [] and report is not None


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(number=NUMBERS, shown=st.sampled_from(["short", "full", "zeroed"]))
def test_numbers_excel_mangled_get_the_excel_message(
    villages: AppContext, admin: auth.Actor, number: str, shown: str
) -> None:
    value = float(number[:17] + ("0" if number[17] == "X" else number[17]))
    cell = {
        "short": f"{value:.5E}",  # 1.10105E+17, as a narrow column shows it
        "full": format(value, ".15G"),  # what openpyxl hands back from a numeric cell
        "zeroed": number[:15] + "000",  # the number Excel kept, typed back as text
    }[shown]
    # A zeroed number whose check digit happens to be right is another valid number.
    assume(shown != "zeroed" or ric.calc_check_digit(cell) != cell[17])
    _report, problems = _import_one(villages, admin, cell)
    assert len(problems) == 1
    assert problems[0].column == "身份证号"
    assert "Excel" in problems[0].error.message


NAME_CHARS = st.sampled_from(
    "王李张刘陈杨黄赵吴周长春重庆建国海燕文明志强单曾解区仇朴乐查覃翟"
    "伟芳秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华玉梅红行长发"
)


@settings(max_examples=300, deadline=None)
@given(name=st.text(NAME_CHARS, min_size=1, max_size=5) | st.text(max_size=6))
def test_fast_pinyin_keys_are_the_same_as_pinyin_keys(name: str) -> None:
    assert pinyin_keys_fast(name) == pinyin_keys(name)


# --- villages -----------------------------------------------------------------------------


def test_villages_new_renamed_and_populations_by_year(
    villages: AppContext, admin: auth.Actor, tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path / "villages2.csv",
        [
            ["code", "name", "population", "year"],
            [QINGSHAN, "青山村", "1,900", "2026"],
            [QINGSHAN, "青山村", "1800", "2025"],
            [HEWAN, "河湾社区", "", ""],
            ["320321110203", "杨庄村", "960", "2026"],
        ],
        encoding="utf-8",
    )
    report = run(villages, admin, path, "villages")
    assert (report.rows, report.new, report.updated, report.unchanged) == (4, 1, 2, 0)
    assert report.populations_set == 3
    with villages.database.read() as session:
        names = dict(session.execute(select(Village.code, Village.name)).all())
        assert names == {QINGSHAN: "青山村", HEWAN: "河湾社区", "320321110203": "杨庄村"}
        populations = set(
            session.execute(
                select(Village.code, VillagePopulation.year, VillagePopulation.population).join(
                    Village, Village.id == VillagePopulation.village_id
                )
            ).all()
        )
        assert populations == {
            (QINGSHAN, 2026, 1900),
            (QINGSHAN, 2025, 1800),
            ("320321110203", 2026, 960),
        }
    assert run(villages, admin, path, "villages").unchanged == 3


def test_villages_with_mistakes_are_refused_whole(
    villages: AppContext, admin: auth.Actor, tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path / "bad-villages.csv",
        [
            ["村居代码", "村居名称", "常住人口", "年份"],
            ["3203211102", "短代码村", "", ""],
            ["320321110204", "", "100", ""],
            ["320321110205", "甲村", "很多", "1800"],
            ["320321110206", "乙村", "", ""],
            ["320321110206", "丙村", "", ""],
            ["3.20321E+11", "丁村", "", ""],
        ],
    )
    with pytest.raises(imports.ImportRefused) as caught:
        run(villages, admin, path, "villages")
    found = {(p.row, p.column) for p in caught.value.problems}
    assert found == {
        (2, "村居代码"),
        (3, "村居名称"),
        (3, "年份"),
        (4, "常住人口"),
        (4, "年份"),
        (6, "村居名称"),
        (7, "村居代码"),
    }
    assert "Excel" in caught.value.problems[-1].error.message
    assert count(villages, Village) == 2


def test_who_may_import(
    villages: AppContext, admin: auth.Actor, make_user: Callable[..., auth.Actor], tmp_path: Path
) -> None:
    clerk = make_user("clerk")
    path = tmp_path / "villages.csv"
    path.write_text(VILLAGES_CSV, encoding="utf-8")
    with pytest.raises(PermissionDenied):
        run(villages, clerk, path, "villages")
    assert run(villages, clerk, roster(tmp_path, *GOOD)).new == 3


def test_tags_are_stored_once_per_resident(
    villages: AppContext, admin: auth.Actor, tmp_path: Path
) -> None:
    row = ("张三", ZHANG, "男", "", "", "青山村", "", "", "高血压、高血压；hypertension")
    run(villages, admin, roster(tmp_path, row))
    assert count(villages, ResidentTag) == 1
