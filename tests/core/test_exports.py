"""Exports read back: the summary CSV layout of DESIGN.md, the workbook (openpyxl), the PDF
report and call list (pypdf), the lists masked unless allowed, and every export audited."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from signing_world import AS_OF, PERIOD, SigningWorld, build_world
from sqlalchemy import select

from familydoc.core import call_list, exports, statistics
from familydoc.core.auth import Actor
from familydoc.core.context import AppContext
from familydoc.core.errors import PermissionDenied, RuleViolation
from familydoc.core.models import AuditEvent, Resident
from familydoc.printing import summary_pdf


@pytest.fixture
def world(initialised: AppContext) -> SigningWorld:
    return build_world(initialised.database)


@dataclass(frozen=True)
class Event:
    username: str | None
    changes: dict[str, object]


def _events(world: SigningWorld, action: str) -> list[Event]:
    with world.database.read() as session:
        return [
            Event(event.username, event.changes)
            for event in session.scalars(
                select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
            )
        ]


def test_summary_csv_is_the_layout_of_design(
    world: SigningWorld, admin: Actor, tmp_path: Path
) -> None:
    path = tmp_path / "summary.csv"
    with world.database.unit_of_work() as session:
        result = exports.export_summary(session, admin, path, as_of=AS_OF)
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in data
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == [
        "dimension",
        "key",
        "label",
        "denominator",
        "numerator",
        "rate",
        "denominator_source",
    ]
    assert rows[1] == ["overall", "overall", "全部居民", "15", "6", "0.4000", "mixed"]
    body = {(row[0], row[1]): row for row in rows[1:]}
    assert body[("village", "320321110201")][3:] == ["10", "3", "0.3000", "population"]
    assert body[("village", "320321110203")][3:] == ["0", "0", "", "registered"]
    assert body[("key_population", "any_key")][2:] == [
        "重点人群合计",
        "9",
        "6",
        "0.6667",
        "registered",
    ]
    assert body[("key_population", "elderly_65")][2] == "65岁及以上老年人"
    team = body[("team", str(world.teams["T1"]))]
    assert team[2:] == ["T1", "5", "4", "0.8000", "capacity"]
    assert body[("team", str(world.teams["T2"]))][5] == ""  # no capacity: no rate
    assert {row[0] for row in rows[1:]} == set(statistics.DIMENSIONS)
    assert result.rows == len(rows) - 1 == 3 + 1 + 11 + 2 + 4
    (event,) = _events(world, "export.summary")
    assert event.changes["format"] == "csv" and event.changes["as_of"] == AS_OF.isoformat()
    assert event.username == "admin"


def test_summary_workbook_reads_back(
    world: SigningWorld, make_user: Callable[..., Actor], tmp_path: Path
) -> None:
    supervisor = make_user("supervisor")
    with world.database.unit_of_work() as session:
        statistics.set_targets(session, supervisor, 2026, {"overall": 0.5, "elderly_65": 0.6})
    path = tmp_path / "summary.xlsx"
    with world.database.unit_of_work() as session:
        exports.export_summary(session, supervisor, path, as_of=AS_OF, period=PERIOD)
    workbook = load_workbook(path)
    assert workbook.sheetnames == [
        "总体",
        "各村",
        "重点人群",
        "团队",
        "医生",
        "期间情况",
        "近12个月",
    ]

    villages = workbook["各村"]
    assert villages["A1"].value.startswith("测试镇卫生院各村签约率")
    header = [cell.value for cell in villages[4]]
    assert header == ["村代码", "村名", "分母", "分母来源", "已签约", "签约率", "目标", "是否达标"]
    assert villages.freeze_panes == "A5"  # title, notes and the header row stay in view
    first = [cell.value for cell in villages[5]]
    assert first[:6] == ["320321110201", "东村", 10, "常住人口", 3, pytest.approx(0.3)]
    assert first[6:] == [pytest.approx(0.5), "未达标"]
    assert isinstance(first[2], int) and isinstance(first[4], int)
    assert villages.cell(5, 6).number_format.endswith("%")
    empty = [cell.value for cell in villages[7]]
    assert empty[5] is None  # no denominator, no rate
    for column, cell in zip("ABCDEFGH", villages[4], strict=True):
        assert villages.column_dimensions[column].width >= exports.display_width(cell.value)

    populations = workbook["重点人群"]
    rows = {row[0]: row for row in populations.iter_rows(min_row=5, values_only=True)}
    assert rows["65岁及以上老年人"][2:6] == (3, "在册居民", 2, pytest.approx(2 / 3))
    assert rows["65岁及以上老年人"][7] == "达标"
    assert rows["重点人群合计"][2] == 9

    teams = workbook["团队"]
    team_rows = list(teams.iter_rows(min_row=5, values_only=True))
    assert team_rows[0] == ("T1", 5, 4, pytest.approx(0.8))
    assert team_rows[1] == ("T2", None, 2, None)

    period = {row[0]: row[1] for row in workbook["期间情况"].iter_rows(min_row=5, values_only=True)}
    assert period["新签约（首次签约）"] == 6
    assert period["续约率"] == pytest.approx(0.5)
    assert period["合同终止：到期未续约"] == 1
    assert period["个性化服务包费用合计（元）"] == pytest.approx(240.0)

    trend = list(workbook["近12个月"].iter_rows(min_row=5, values_only=True))
    assert len(trend) == 12
    assert trend[-1][:3] == ("2026-06", "2026-06-15", pytest.approx(0.4))


def test_summary_pdf_reads_back_with_embedded_font(
    world: SigningWorld, make_user: Callable[..., Actor], tmp_path: Path
) -> None:
    supervisor = make_user("supervisor")
    with world.database.unit_of_work() as session:
        statistics.set_targets(session, supervisor, 2026, {"overall": 0.5})
    path = tmp_path / "summary.pdf"
    with world.database.unit_of_work() as session:
        summary_pdf.export_summary_pdf(session, supervisor, path, as_of=AS_OF, period=PERIOD)
    reader = PdfReader(path)
    text = "".join(page.extract_text() for page in reader.pages)
    for expected in (
        "测试镇卫生院家庭医生签约服务统计报表",
        "2026年6月15日",
        "东村",
        "65岁及以上老年人",
        "各村签约率",
        "近12个月签约率",
        "40.0%",
        "目标",
    ):
        assert expected in text, expected
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert (round(width), round(height)) == (595, 842)  # A4 portrait
    fonts = _fonts(reader)
    assert fonts and all(embedded for embedded in fonts.values()), fonts
    (event,) = _events(world, "export.summary")
    assert event.changes["format"] == "pdf"


def _fonts(reader: PdfReader) -> dict[str, bool]:
    """Every font the pages use, and whether its program is embedded."""
    found: dict[str, bool] = {}

    def visit(resources: object) -> None:
        if not resources:
            return
        resources = resources.get_object()  # type: ignore[attr-defined]
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            found[str(font.get("/BaseFont"))] = any(
                key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")
            )
        for xobject in (resources.get("/XObject") or {}).values():
            visit(xobject.get_object().get("/Resources"))

    for page in reader.pages:
        visit(page.get("/Resources"))
    return found


def test_residents_export_masked_by_default(
    world: SigningWorld, make_user: Callable[..., Actor], tmp_path: Path
) -> None:
    clerk = make_user("clerk")
    with world.database.read() as session:
        full_id = session.scalar(select(Resident.id_number).where(Resident.name == "赵一"))
    path = tmp_path / "residents.csv"
    with world.database.unit_of_work() as session:
        result = exports.export_residents(session, clerk, path, today=AS_OF)
    text = path.read_bytes().decode("utf-8-sig")
    assert full_id not in text
    rows = list(csv.DictReader(io.StringIO(text)))
    assert result.rows == len(rows) == 14  # those who left too
    zhao = next(row for row in rows if row["姓名"] == "赵一")
    assert zhao["身份证号"] == full_id[:6] + "********" + full_id[-4:]
    assert zhao["联系电话"].count("*") == 4
    assert zhao["签约状态"] == "已签约" and zhao["签约至"] == "2026-12-31"
    assert zhao["重点人群"] == "65岁及以上老年人"
    zhou = next(row for row in rows if row["姓名"] == "周五")
    assert (zhou["状态"], zhou["离开日期"], zhou["签约状态"]) == ("迁出", "2026-06-15", "未签约")
    with world.database.unit_of_work() as session, pytest.raises(PermissionDenied):
        exports.export_residents(session, clerk, tmp_path / "full.csv", unmasked=True)
    assert not (tmp_path / "full.csv").exists()
    (event,) = _events(world, "export.residents")
    assert event.changes == {"format": "csv", "rows": 14, "unmasked": False}


def test_unmasked_export_by_a_supervisor_keeps_numbers_as_text(
    world: SigningWorld, make_user: Callable[..., Actor], tmp_path: Path
) -> None:
    supervisor = make_user("supervisor")
    with world.database.read() as session:
        full_id = session.scalar(select(Resident.id_number).where(Resident.name == "赵一"))
    csv_path, xlsx_path = tmp_path / "residents.csv", tmp_path / "residents.xlsx"
    with world.database.unit_of_work() as session:
        exports.export_residents(session, supervisor, csv_path, unmasked=True, today=AS_OF)
        exports.export_residents(session, supervisor, xlsx_path, unmasked=True, today=AS_OF)
    text = csv_path.read_bytes().decode("utf-8-sig")
    assert f'"=""{full_id}"""' in text  # Excel keeps all 18 digits
    sheet = load_workbook(xlsx_path).active
    assert sheet.title == "居民" and sheet.freeze_panes == "A4"
    header = [cell.value for cell in sheet[3]]
    assert header[:6] == ["居民编号", "姓名", "性别", "出生日期", "身份证号", "联系电话"]
    row = next(r for r in sheet.iter_rows(min_row=4, values_only=True) if r[1] == "赵一")
    assert row[4] == full_id and isinstance(row[4], str)
    assert row[3] == dt.datetime(1961, 6, 15)
    events = _events(world, "export.residents")
    assert [event.changes["unmasked"] for event in events] == [True, True]


def test_contracts_export_with_fees(world: SigningWorld, admin: Actor, tmp_path: Path) -> None:
    path = tmp_path / "contracts.xlsx"
    with world.database.unit_of_work() as session:
        result = exports.export_contracts(session, admin, path, today=AS_OF)
    assert result.rows == 11
    sheet = load_workbook(path).active
    header = [cell.value for cell in sheet[3]]
    rows = [dict(zip(header, r, strict=True)) for r in sheet.iter_rows(min_row=4, values_only=True)]
    paid = next(row for row in rows if row["居民姓名"] == "陈十")
    assert paid["费用合计（元）"] == pytest.approx(120.0)
    assert paid["个人自付（元）"] == pytest.approx(24.0)
    assert "慢病管理包" in paid["服务包"]
    assert "*" in paid["身份证号"]
    renewal = next(row for row in rows if row["续签自合同"])
    assert renewal["居民姓名"] == "李四" and renewal["开始日期"] == dt.datetime(2026, 6, 15)
    ended = next(row for row in rows if row["居民姓名"] == "周五")
    assert (ended["状态"], ended["终止原因"]) == ("已解约", "迁出")
    (event,) = _events(world, "export.contracts")
    assert event.changes["rows"] == 11


def test_call_list_export_and_pdf(world: SigningWorld, admin: Actor, tmp_path: Path) -> None:
    filters = statistics.OutreachFilter(as_of=AS_OF, village_code="320321110201")
    path = tmp_path / "calls.xlsx"
    with world.database.unit_of_work() as session:
        result = call_list.export_outreach(session, admin, filters, path)
        listing, data = summary_pdf.call_list_pdf(session, admin, filters)
    assert result.rows == 3  # not 郑七, whose contract signed ahead starts on D+1
    sheet = load_workbook(path).active
    assert sheet["A1"].value == "东村未签约、即将到期名单（电话随访）"
    names = [r[0] for r in sheet.iter_rows(min_row=4, values_only=True)]
    assert sorted(names) == sorted(["钱二", "孙三", "王八"])
    assert listing.title == sheet["A1"].value and len(listing.rows) == 3
    reader = PdfReader(io.BytesIO(data))
    text = reader.pages[0].extract_text()
    assert "东村未签约" in text and "钱二" in text and "联系结果" in text
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert width > height  # landscape
    (event,) = _events(world, "export.call_list")
    assert event.changes["village"] == "320321110201" and event.changes["rows"] == 3


def test_export_needs_a_known_suffix_and_an_existing_folder(
    world: SigningWorld, admin: Actor, tmp_path: Path
) -> None:
    with world.database.unit_of_work() as session:
        with pytest.raises(RuleViolation):
            exports.export_residents(session, admin, tmp_path / "residents.txt")
        with pytest.raises(RuleViolation):
            exports.export_summary(session, admin, tmp_path / "no" / "s.csv", as_of=AS_OF)
    assert _events(world, "export.residents") == []
    assert not list(tmp_path.glob("*.part"))


def test_summary_workbook_titles_and_notes_wrap_and_period_values_fit(
    world: SigningWorld, admin: Actor, tmp_path: Path
) -> None:
    """Excel cuts merged text at the merge's edge: every title and note must wrap into a
    row tall enough for its lines, and the period sheet's formatted figures must fit."""
    path = tmp_path / "summary.xlsx"
    with world.database.unit_of_work() as session:
        exports.export_summary(session, admin, path, as_of=AS_OF, period=PERIOD)
    workbook = load_workbook(path)
    for sheet in workbook.worksheets:
        header_row = int(sheet.freeze_panes[1:]) - 1
        for merged in sheet.merged_cells.ranges:
            if merged.min_row >= header_row:
                continue
            cell = sheet.cell(merged.min_row, 1)
            width = sum(
                sheet.column_dimensions[chr(ord("A") + column - 1)].width
                for column in range(merged.min_col, merged.max_col + 1)
            )
            size = float(cell.font.sz or 11)
            needed = exports.display_width(str(cell.value)) * size / 11
            lines = -(-needed // (width - 1))
            assert cell.alignment.wrap_text, (sheet.title, cell.value)
            height = sheet.row_dimensions[merged.min_row].height
            assert height is not None and height >= lines * size * 1.3, (sheet.title, cell.value)
    period = workbook["期间情况"]
    for row in period.iter_rows(min_row=5):
        for cell in row:
            if isinstance(cell.value, int | float) and cell.number_format != "General":
                shown = exports._cell_text(cell.value, cell.number_format)
                width = period.column_dimensions[cell.column_letter].width
                assert exports.display_width(shown) < width, (cell.coordinate, shown, width)


def test_summary_pdf_month_labels_and_upright_village_names() -> None:
    days = [dt.date(2025, 12, 31), dt.date(2026, 1, 31), dt.date(2026, 2, 28)]
    assert summary_pdf.month_labels(days) == ["12月\n2025年", "1月\n2026年", "2月"]
    summary = statistics.Summary(
        as_of=AS_OF,
        institution_code="320321110",
        institution_name="测试镇卫生院",
        rows=tuple(
            statistics.SummaryRow(
                "village", f"3203211102{n:02d}", f"第{n}村", 10, n % 10, "registered"
            )
            for n in range(1, 13)
        ),
        villages_with_population=0,
    )
    report = exports.SummaryReport(summary, None, None, {}, dt.datetime(2026, 6, 15), "测试")
    chart = summary_pdf._village_chart(report, 180, "Helvetica")
    assert chart is not None
    drawing, _caption = chart
    (bars,) = [item for item in drawing.contents if hasattr(item, "categoryAxis")]
    names = bars.categoryAxis.categoryNames
    assert names[0] == "第\n1\n村"  # one upright character under the other, not turned
    assert bars.categoryAxis.labels.angle == 0


def test_call_list_pdf_keeps_two_populations_on_a_line_and_room_to_write() -> None:
    """A call sheet is written on by hand: rows about 7 mm high, and the usual pair of key
    populations not broken inside a word."""
    row = [
        1,
        "张三",
        "男",
        70,
        "138****5678",
        "东村",
        "20100017",
        "户主",
        "东村****",
        "65岁及以上老年人、高血压",
        "未签约",
        None,
        "",
        "",
        "",
    ]
    listing = call_list.CallList(
        "东村未签约、即将到期名单（电话随访）",
        "统计日期：2026-06-15",
        [list(row), [2, "李四", *row[2:]]],
        unmasked=False,
    )
    reader = PdfReader(io.BytesIO(summary_pdf.render_call_list_pdf(listing)))
    page = reader.pages[0]
    assert "65岁及以上老年人、高血压" in page.extract_text()
    baselines: dict[str, float] = {}

    def visit(text: str, cm: list[float], tm: list[float], *_args: object) -> None:
        if text.strip() in ("张三", "李四"):
            baselines[text.strip()] = cm[5] + tm[5]  # each cell is drawn translated

    page.extract_text(visitor_text=visit)
    row_height_mm = (baselines["张三"] - baselines["李四"]) / 72 * 25.4
    assert row_height_mm >= 6.5, row_height_mm
