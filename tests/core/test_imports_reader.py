"""Reading rosters as clinics bring them: CSV in UTF-8 (with or without BOM) or GB18030,
comma/tab/semicolon, title rows, blank lines, extra columns; Excel workbooks; header names."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from familydoc.core import imports, tabular
from familydoc.core.errors import RuleViolation
from familydoc.core.idnumber import build as build_id_number

HEADERS = ["姓名", "身份证号", "性别", "村居", "重点人群"]
ENCODINGS = ("utf-8", "utf-8-sig", "gb18030")
# Names, places and free text as rosters hold them, rare characters (䶮, 㛃) included.
CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5) | st.sampled_from("䶮㛃𠀀")
TEXT = st.text(
    CJK | st.sampled_from("0123456789abcXYZ ,;\t\"'、；，（）-/") | st.just("\n"),
    max_size=12,
)
ROWS = st.lists(st.lists(TEXT, min_size=len(HEADERS), max_size=len(HEADERS)), max_size=8)


def _csv_bytes(
    rows: list[list[str]], delimiter: str, encoding: str, newline: str = "\r\n"
) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=newline)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def _read(data: bytes) -> tuple[tabular.Table, list[tuple[int, list[str]]]]:
    table = tabular.read_csv_bytes(data, imports.known_header("residents"))
    return table, list(table.rows)


def _not_blank(row: list[str]) -> bool:
    return any(cell.strip() for cell in row)


@settings(max_examples=150, deadline=None)
@given(
    rows=ROWS, delimiter=st.sampled_from(tabular.DELIMITERS), encoding=st.sampled_from(ENCODINGS)
)
def test_csv_round_trip_in_every_encoding_and_delimiter(
    rows: list[list[str]], delimiter: str, encoding: str
) -> None:
    data = _csv_bytes([HEADERS, *rows], delimiter, encoding)
    table, read = _read(data)
    assert table.headers == HEADERS
    assert table.delimiter == delimiter
    assert (
        table.encoding
        == {
            "utf-8": "UTF-8",
            "utf-8-sig": "UTF-8 (BOM)",
            "gb18030": "GB18030",
        }[encoding]
    )
    # Blank rows are skipped; every other row comes back whole, numbered as Excel shows it
    # (the header is row 1, a row with a line break inside a cell is still one row).
    expected = [(number, row) for number, row in enumerate(rows, start=2) if _not_blank(row)]
    assert read == expected


@settings(max_examples=100, deadline=None)
@given(rows=ROWS, encoding=st.sampled_from(ENCODINGS))
def test_the_encoding_is_never_guessed_wrong(rows: list[list[str]], encoding: str) -> None:
    """GB18030 bytes never pass as UTF-8 (the Chinese header cannot), so nothing is garbled."""
    data = _csv_bytes([HEADERS, *rows], ",", encoding)
    text, found = tabular.decode(data)
    assert text.lstrip("\ufeff") == data.decode(encoding).lstrip("\ufeff")
    assert (found == "GB18030") == (encoding == "gb18030")


def test_utf8_read_as_gbk_would_garble_so_utf8_is_tried_first() -> None:
    data = "姓名,村居\n张三,青山村\n".encode()
    assert "张三".encode().decode("gb18030") == "寮犱笁"  # what we must never show
    text, encoding = tabular.decode(data)
    assert "张三" in text and encoding == "UTF-8"


def test_rare_name_characters_need_gb18030_not_gbk() -> None:
    data = "姓名,村居\n李䶮,青山村\n".encode("gb18030")
    with pytest.raises(UnicodeDecodeError):
        data.decode("gbk")
    assert "李䶮" in tabular.decode(data)[0]


def test_bytes_that_are_neither_utf8_nor_gb18030_are_refused() -> None:
    with pytest.raises(RuleViolation) as caught:
        tabular.decode("姓名,村居\n".encode("gb18030") + b"\x81\x20\xff\xff")
    assert "GB18030" in caught.value.message


@settings(max_examples=100, deadline=None)
@given(
    rows=st.lists(
        st.lists(TEXT, min_size=len(HEADERS), max_size=len(HEADERS)), min_size=1, max_size=6
    ),
    blanks=st.lists(st.integers(min_value=0, max_value=3), min_size=7, max_size=7),
    encoding=st.sampled_from(ENCODINGS),
)
def test_empty_lines_anywhere_change_nothing_but_row_numbers(
    rows: list[list[str]], blanks: list[int], encoding: str
) -> None:
    lines: list[list[str]] = [[]] * blanks[0] + [HEADERS]
    expected = []
    for index, row in enumerate(rows):
        lines += [[]] * blanks[index + 1]
        lines.append(row)
        if _not_blank(row):
            expected.append((len(lines), row))
    table, read = _read(_csv_bytes(lines, ",", encoding))
    assert table.headers == HEADERS
    assert table.header_row == blanks[0] + 1
    assert read == expected


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=st.lists(st.lists(TEXT, min_size=len(HEADERS), max_size=len(HEADERS)), max_size=5),
    extra=st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=len(HEADERS)),
            st.sampled_from(["备注", "序号", "remark", ""]),
        ),
        max_size=3,
    ),
)
def test_extra_columns_are_ignored_and_named(
    rows: list[list[str]], extra: list[tuple[int, str]]
) -> None:
    headers, body = list(HEADERS), [list(row) for row in rows]
    for position, name in extra:
        headers.insert(position, name)
        for row in body:
            row.insert(position, "多余")
    assume(headers[-1])  # a nameless last column is dropped with the trailing blanks
    source = imports.ImportSource(
        Path("roster.csv"),
        "residents",
        tabular.read_csv_bytes(_csv_bytes([headers, *body], ",", "utf-8")),
        [],
    )
    source.mapping = imports.guess_mapping(source.table.headers, "residents")
    values = [row.values for row in source.rows()]
    fields = ["name", "id_number", "sex", "village", "tags"]
    assert values == [dict(zip(fields, row, strict=True)) for row in rows if _not_blank(row)]
    assert len(source.ignored_columns) == len(extra)


def test_title_rows_above_the_header_are_skipped() -> None:
    data = _csv_bytes(
        [
            ["青山村居民花名册", "", ""],
            ["制表：2026年11月", "", ""],
            ["姓名", "身份证号", "村居"],
            ["张三", "x", "青山村"],
        ],
        ",",
        "gb18030",
    )
    table, read = _read(data)
    assert table.header_row == 3
    assert table.headers == ["姓名", "身份证号", "村居"]
    assert read == [(4, ["张三", "x", "青山村"])]


def test_tab_and_semicolon_files_and_formula_wrapped_numbers() -> None:
    number = build_id_number("320321", dt.date(1950, 3, 4), 123)
    for delimiter in ("\t", ";"):
        data = _csv_bytes([["姓名", "身份证号"], ["张三", f'="{number}"']], delimiter, "utf-8-sig")
        table, read = _read(data)
        assert table.delimiter == delimiter
        assert read == [(2, ["张三", number])]


def test_header_names_match_in_chinese_and_english_with_marks_and_hints() -> None:
    headers = [
        "序号",
        "姓名*",
        "公民身份号码",
        "性别",
        "出生日期（yyyy-mm-dd）",
        "手机号",
        "所属村居",
        "户号",
        "与户主关系",
        "重点人群",
        "健康档案号",
        "住址",
        "Date of Birth",
    ]
    assert imports.guess_mapping(headers, "residents") == [
        None,
        "name",
        "id_number",
        "sex",
        "birth_date",
        "phone",
        "village",
        "household_number",
        "relation_to_head",
        "tags",
        "health_record_no",
        "address",
        None,  # birth_date is already taken by the earlier column
    ]
    english = [
        "name",
        "ID Number",
        "sex",
        "birth_date",
        "phone",
        "village",
        "household",
        "relation",
        "tags",
        "health_record_no",
        "address",
    ]
    assert imports.guess_mapping(english, "residents") == [
        "name",
        "id_number",
        "sex",
        "birth_date",
        "phone",
        "village",
        "household_number",
        "relation_to_head",
        "tags",
        "health_record_no",
        "address",
    ]
    assert imports.guess_mapping(["村居代码", "村居名称", "常住人口", "年份"], "villages") == [
        "code",
        "name",
        "population",
        "year",
    ]
    assert imports.guess_mapping(["code", "name", "population", "year"], "villages") == [
        "code",
        "name",
        "population",
        "year",
    ]


def test_a_file_without_the_required_columns_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "roster.csv"
    path.write_text("姓名,电话\n张三,13812345678\n", encoding="utf-8")
    with pytest.raises(RuleViolation) as caught:
        imports.open_source(path, "residents")
    assert caught.value.params["fields"] == "村居"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1949-12-31", dt.date(1949, 12, 31)),
        ("1949/12/31", dt.date(1949, 12, 31)),
        ("1949/1/5", dt.date(1949, 1, 5)),
        ("1949.12.31", dt.date(1949, 12, 31)),
        ("19491231", dt.date(1949, 12, 31)),
        ("1949年12月31日", dt.date(1949, 12, 31)),
        ("１９４９年１２月３１日", dt.date(1949, 12, 31)),
        ("1949-12-31 00:00:00", dt.date(1949, 12, 31)),
        ("18264", dt.date(1950, 1, 1)),  # an Excel date serial
        ("", None),
    ],
)
def test_dates_as_clinics_write_them(text: str, expected: dt.date | None) -> None:
    assert tabular.parse_date(text) == expected


@pytest.mark.parametrize("text", ["1949-13-01", "1949-02-30", "49-12-31", "十二月", "1949"])
def test_what_is_not_a_date(text: str) -> None:
    with pytest.raises(ValueError):
        tabular.parse_date(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("高血压、糖尿病", {"hypertension", "diabetes"}),
        ("2型糖尿病；低保户，孕妇", {"diabetes", "poverty", "maternal"}),
        ("精神病/结核病 残疾", {"severe_mental", "tuberculosis", "disabled"}),
        ("特困供养;脱贫户,计生特殊家庭", {"poverty", "family_planning_special"}),
        ("计划生育特殊家庭", {"family_planning_special"}),
        ("hypertension;Diabetes", {"hypertension", "diabetes"}),
        ("65岁及以上老年人、0-6岁儿童、老年人、儿童", set()),  # computed from the birth date
        ("无", set()),
        ("高血压、脚气", {"hypertension", "脚气"}),  # unknown words go on to be refused
    ],
)
def test_key_populations_in_the_words_clinics_use(text: str, expected: set[str]) -> None:
    assert imports.parse_tags(text) == expected


def test_excel_cells_become_the_text_excel_shows() -> None:
    assert tabular.cell_text(None) == ""
    assert tabular.cell_text(13812345678) == "13812345678"
    assert tabular.cell_text(1850.0) == "1850"
    assert tabular.cell_text(1.5) == "1.5"
    assert tabular.cell_text(dt.datetime(1949, 12, 31)) == "1949-12-31"
    assert tabular.cell_text(dt.date(1949, 12, 31)) == "1949-12-31"
    # 18 digits typed as a number: Excel kept 15 significant digits.
    assert tabular.cell_text(float("110105199001011234")) == "1.10105199001011E+17"
    assert tabular.cell_text(110105199001011234) == "1.10105199001011E+17"


def test_xlsx_read_in_read_only_mode(tmp_path: Path) -> None:
    number = build_id_number("320321", dt.date(1950, 3, 4), 123)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "花名册"
    sheet.append(["青山村居民花名册"])
    sheet.append(["姓名", "身份证号", "出生日期", "联系电话", "村居", None, None])
    sheet.append(["张三", number, dt.datetime(1950, 3, 4), 13812345678, "青山村"])
    sheet.append([])
    sheet.append(["李四", float(number), None, None, 320321110201])
    path = tmp_path / "roster.xlsx"
    workbook.save(path)
    table = tabular.read_table(path, imports.known_header("residents"))
    try:
        assert table.kind == "xlsx" and table.sheet == "花名册" and table.header_row == 2
        assert table.headers == ["姓名", "身份证号", "出生日期", "联系电话", "村居"]
        assert list(table.rows) == [
            (3, ["张三", number, "1950-03-04", "13812345678", "青山村"]),
            (5, ["李四", format(float(number), ".15G"), "", "", "320321110201"]),
        ]
    finally:
        table.close()


def test_unreadable_files_say_why(tmp_path: Path) -> None:
    with pytest.raises(RuleViolation):
        tabular.read_table(tmp_path / "missing.csv")
    old = tmp_path / "roster.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(RuleViolation) as caught:
        tabular.read_table(old)
    assert ".xls" in caught.value.message
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(RuleViolation):
        tabular.read_table(broken)
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"\r\n\r\n")
    with pytest.raises(RuleViolation):
        tabular.read_table(empty)


def test_rows_with_values_only_in_ignored_columns_are_empty_rows(tmp_path: Path) -> None:
    path = tmp_path / "numbered.csv"
    path.write_text("序号,姓名,村居\n1,张三,青山村\n2,,\n3,,\n", encoding="utf-8")
    source = imports.open_source(path, "residents")
    try:
        assert [row.number for row in source.rows()] == [2]
        assert source.ignored_columns == ["序号"]
    finally:
        source.close()
