"""Exports: the signing summary (CSV for scripts, XLSX for people), and lists of residents,
contracts and the outreach call list (CSV or XLSX, masked unless allowed and asked).

Every export is a service: it checks the permission and writes an audit event in the
same unit of work (the file is written before the transaction commits; if writing fails
nothing is recorded). The PDF report lives in ``familydoc.printing.summary_pdf`` (core
imports nothing outside itself) and is recorded through ``record_export``.

The summary CSV is a contract (DESIGN.md "The command line"): UTF-8 with a byte-order
mark, columns ``dimension,key,label,denominator,numerator,rate,denominator_source``, the
rate to 4 decimals and empty when the denominator is 0. Workbooks are for people: Chinese
headers, a title and the report date above a frozen header row, numbers as numbers, rates
as percentages, money in yuan, column widths that fit.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import and_, case, func, literal, select
from sqlalchemy.orm import Session, aliased

from familydoc.core import audit
from familydoc.core.auth import Actor, Permission, require
from familydoc.core.coverage import chain_end_on, ends_chain, presigned_from
from familydoc.core.errors import QT_TRANSLATE_NOOP, RuleViolation
from familydoc.core.masking import mask_address, mask_id_number, mask_phone
from familydoc.core.models import (
    TAG_CODES,
    Contract,
    ContractPackage,
    Doctor,
    Household,
    Resident,
    ResidentTag,
    ServicePackage,
    Team,
    Village,
)
from familydoc.core.residents import years_before
from familydoc.core.statistics import (
    POPULATION_CODES,
    POPULATION_LABELS,
    TERMINATION_LABELS,
    PeriodFigures,
    Summary,
    SummaryRow,
    Trend,
    get_targets,
    period_figures,
    signing_summary,
    signing_trend,
    target_level,
)

SUMMARY_CSV_COLUMNS = (
    "dimension",
    "key",
    "label",
    "denominator",
    "numerator",
    "rate",
    "denominator_source",
)
SUMMARY_FORMATS = ("csv", "xlsx", "pdf")
LIST_FORMATS = ("csv", "xlsx")

SOURCE_LABELS = {
    "population": "常住人口",
    "registered": "在册居民",
    "mixed": "常住人口与在册居民",
    "capacity": "服务容量",
}
SEX_LABELS = {"M": "男", "F": "女"}
STATUS_LABELS = {"active": "在册", "moved_out": "迁出", "deceased": "死亡"}
CONTRACT_STATUS_LABELS = {
    "in_force": "履约中",
    "ending_soon": "30天内到期",
    "not_started": "未开始",
    "expired": "已到期",
    "terminated": "已解约",
}
METHOD_LABELS = {"in_person": "本人签约", "guardian": "监护人代签"}
LEVEL_LABELS = {"met": "达标", "near": "接近目标", "behind": "未达标", "none": ""}
OUTREACH_STATE_LABELS = {"unsigned": "未签约", "ending": "即将到期"}

PERCENT = "0.0%"
MONEY = "#,##0.00"
INTEGER = "#,##0"
PAPER_A4 = "9"  # openpyxl: Worksheet.PAPERSIZE_A4


# --- writing files -----------------------------------------------------------------------


def _write_atomically(path: Path, write: Callable[[Path], None]) -> None:
    """Write through ``path.part`` then rename, so a failure never leaves half a file."""
    path = Path(path)
    if not path.parent.is_dir():
        raise RuleViolation(
            QT_TRANSLATE_NOOP("Errors", "The folder {path} does not exist."), path=str(path.parent)
        )
    partial = path.with_name(path.name + ".part")
    try:
        write(partial)
        os.replace(partial, path)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise RuleViolation(
            QT_TRANSLATE_NOOP("Errors", "The file {path} cannot be written: {reason}"),
            path=str(path),
            reason=exc.strerror or str(exc),
        ) from exc
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def format_of(path: Path | str, allowed: Sequence[str]) -> str:
    """The format named by the file's suffix, refused unless in ``allowed``."""
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix not in allowed:
        raise RuleViolation(
            QT_TRANSLATE_NOOP(
                "Errors", "The file name must end in {suffixes} (the format is taken from it)."
            ),
            suffixes=" / ".join(f".{name}" for name in allowed),
        )
    return suffix


def record_export(
    session: Session, actor: Actor, what: str, path: Path | str, **details: Any
) -> None:
    """The audit event of an export or print (``what``: summary, residents, call_list…)."""
    audit.record(
        session,
        user_id=actor.user_id,
        username=actor.username,
        action=f"export.{what}",
        entity_type="export",
        entity_id=Path(path).name[:60],
        changes={key: value for key, value in details.items() if value is not None},
    )


def _csv_safe(value: Any) -> Any:
    """Text a spreadsheet would run as a formula gets a leading apostrophe (CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _excel_text(value: str) -> str:
    """Digits Excel would turn into a number (18-digit ID numbers: 1.10105E+17) kept as text."""
    return f'="{value}"' if value.isdigit() and len(value) >= 8 else value


def display_width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


# --- the summary ---------------------------------------------------------------------------


def summary_csv_bytes(summary: Summary) -> bytes:
    """The summary in the CSV layout of DESIGN.md, UTF-8 with a byte-order mark."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(SUMMARY_CSV_COLUMNS)
    for row in summary.rows:
        writer.writerow(
            [
                row.dimension,
                row.key,
                _csv_safe(row.label),
                row.denominator,
                row.numerator,
                row.rate_text,
                row.denominator_source,
            ]
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


@dataclass(frozen=True)
class SummaryReport:
    """Everything a summary report shows: the figures as of a day, a period, the trend."""

    summary: Summary
    period: PeriodFigures | None
    trend: Trend | None
    targets: dict[str, float]
    generated_at: dt.datetime
    generated_by: str  # display name of the user

    def target_for(self, row: SummaryRow) -> float | None:
        if row.dimension in ("overall", "village"):
            return self.targets.get("overall")
        if row.dimension == "key_population":
            return self.targets.get(row.key)
        return None


def default_period(as_of: dt.date) -> tuple[dt.date, dt.date]:
    """The year to the report day: the period reports show unless another is asked for."""
    return dt.date(as_of.year, 1, 1), as_of


def summary_report(
    session: Session,
    actor: Actor,
    as_of: dt.date,
    *,
    period: tuple[dt.date, dt.date] | None = None,
    with_trend: bool = True,
    now: dt.datetime | None = None,
) -> SummaryReport:
    require(actor, Permission.VIEW_STATISTICS)
    start, end = period or default_period(as_of)
    return SummaryReport(
        summary=signing_summary(session, as_of),
        period=period_figures(session, start, end),
        trend=signing_trend(session, as_of) if with_trend else None,
        targets=get_targets(session, as_of.year),
        generated_at=now or dt.datetime.now().astimezone(),
        generated_by=actor.display_name or actor.username,
    )


@dataclass(frozen=True)
class ExportResult:
    path: str
    format: str
    rows: int
    unmasked: bool = False


def export_summary(
    session: Session,
    actor: Actor,
    path: Path | str,
    *,
    as_of: dt.date,
    format: str | None = None,
    period: tuple[dt.date, dt.date] | None = None,
) -> ExportResult:
    """Write the summary as CSV or XLSX (PDF: ``printing.summary_pdf``) and record it."""
    require(actor, Permission.VIEW_STATISTICS)
    path = Path(path)
    fmt = format or format_of(path, ("csv", "xlsx"))
    if fmt == "csv":
        summary = signing_summary(session, as_of)
        data = summary_csv_bytes(summary)
        _write_atomically(path, lambda target: target.write_bytes(data))
        rows = len(summary.rows)
    elif fmt == "xlsx":
        report = summary_report(session, actor, as_of, period=period)
        _write_atomically(path, lambda target: write_summary_xlsx(report, target))
        rows = len(report.summary.rows)
    else:
        raise RuleViolation(
            QT_TRANSLATE_NOOP("Errors", "Unknown export format {format}."), format=fmt
        )
    record_export(session, actor, "summary", path, format=fmt, as_of=as_of, rows=rows)
    return ExportResult(str(path), fmt, rows)


# --- workbooks -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    header: str
    format: str | None = None  # an Excel number format
    width: int | None = None  # fixed width (lists are written streaming, unmeasured)


class _Styles:
    def __init__(self) -> None:
        from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

        thin = Side(style="thin", color="B7B7B7")
        self.title = Font(name="宋体", size=14, bold=True)
        self.note = Font(name="宋体", size=10, color="555555")
        self.header = Font(name="宋体", size=11, bold=True)
        self.body = Font(name="宋体", size=11)
        self.bold = Font(name="宋体", size=11, bold=True)
        self.header_fill = PatternFill("solid", fgColor="DDE7F0")
        self.total_fill = PatternFill("solid", fgColor="F2F2F2")
        self.level_fills = {
            "met": PatternFill("solid", fgColor="E2F0D9"),
            "near": PatternFill("solid", fgColor="FFF2CC"),
            "behind": PatternFill("solid", fgColor="F8D7DA"),
        }
        self.border = Border(left=thin, right=thin, top=thin, bottom=thin)
        self.center = Alignment(horizontal="center", vertical="center", wrap_text=True)
        self.left = Alignment(horizontal="left", vertical="center")
        self.wrapped = Alignment(horizontal="left", vertical="center", wrap_text=True)


def _cell_text(value: Any, number_format: str | None) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and number_format == PERCENT:
        return f"{value * 100:.1f}%"
    if isinstance(value, float | int) and number_format in (MONEY, INTEGER):
        return f"{value:,.2f}" if number_format == MONEY else f"{value:,}"
    return str(value)


def _fit_merged_text(sheet: Any, styles: _Styles, row: int, width: float) -> None:
    """Wrap the title or note merged across ``row`` and make the row tall enough for it.

    Excel neither overflows nor auto-fits the text of merged cells: a line longer than
    the table is cut off on screen and on paper unless it wraps into a taller row.
    """
    cell = sheet.cell(row, 1)
    size = float(cell.font.sz or 11)
    # Column widths count characters of the 11-point default font; text scales with size.
    needed = display_width(str(cell.value or "")) * size / 11
    lines = max(1, math.ceil(needed / max(1.0, width - 1)))
    cell.alignment = styles.wrapped
    sheet.row_dimensions[row].height = max(
        sheet.row_dimensions[row].height or 0, round(lines * size * 1.45 + 4, 1)
    )


def _table_sheet(
    workbook: Any,
    styles: _Styles,
    name: str,
    title: str,
    notes: Sequence[str],
    columns: Sequence[Column],
    rows: Sequence[Sequence[Any]],
    *,
    fills: Sequence[Any | None] | None = None,
    bold_rows: Sequence[int] = (),
) -> Any:
    """A sheet: title, notes, frozen header row, the rows, fitted widths, print set-up."""
    from openpyxl.utils import get_column_letter

    sheet = workbook.create_sheet(name)
    last_column = get_column_letter(len(columns))
    sheet.append([title])
    sheet.merge_cells(f"A1:{last_column}1")
    sheet["A1"].font = styles.title
    sheet["A1"].alignment = styles.left
    sheet.row_dimensions[1].height = 24
    for note in notes:
        sheet.append([note])
        row = sheet.max_row
        sheet.merge_cells(f"A{row}:{last_column}{row}")
        sheet.cell(row, 1).font = styles.note
    header_row = sheet.max_row + 1
    sheet.append([column.header for column in columns])
    for index in range(1, len(columns) + 1):
        cell = sheet.cell(header_row, index)
        cell.font = styles.header
        cell.fill = styles.header_fill
        cell.border = styles.border
        cell.alignment = styles.center
    widths = [display_width(column.header) for column in columns]
    for offset, values in enumerate(rows):
        sheet.append(list(values))
        row = header_row + 1 + offset
        fill = fills[offset] if fills else None
        for index, column in enumerate(columns, start=1):
            cell = sheet.cell(row, index)
            cell.border = styles.border
            cell.font = styles.bold if offset in bold_rows else styles.body
            if column.format and isinstance(cell.value, int | float):
                cell.number_format = column.format
            if fill is not None:
                cell.fill = fill
            widths[index - 1] = max(
                widths[index - 1], display_width(_cell_text(values[index - 1], column.format))
            )
    fitted = [min(max(width + 3, 8), 60) for width in widths]
    for index, width in enumerate(fitted, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    for row in range(1, header_row):  # the title and the notes
        _fit_merged_text(sheet, styles, row, sum(fitted))
    sheet.freeze_panes = sheet.cell(header_row + 1, 1).coordinate
    if rows:
        sheet.auto_filter.ref = f"A{header_row}:{last_column}{header_row + len(rows)}"
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.page_setup.paperSize = PAPER_A4
    sheet.page_setup.orientation = "landscape" if sum(widths) > 100 else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.oddFooter.center.text = "第 &P 页，共 &N 页"
    return sheet


def _report_notes(report: SummaryReport) -> list[str]:
    summary = report.summary
    when = report.generated_at.strftime("%Y-%m-%d %H:%M")
    return [
        f"统计日期：{summary.as_of:%Y-%m-%d}　　机构：{summary.institution_name}"
        f"（{summary.institution_code}）　　制表：{report.generated_by}　{when}",
    ]


def denominator_note(summary: Summary) -> str:
    with_population = summary.villages_with_population
    total = summary.villages
    if not total:
        return "尚无村。"
    if with_population == total:
        return f"全部 {total} 个村以{summary.as_of.year}年常住人口为分母。"
    if not with_population:
        return (
            f"全部 {total} 个村以统计日在册居民数为分母（未录入{summary.as_of.year}年常住人口）。"
        )
    return (
        f"{with_population} 个村以{summary.as_of.year}年常住人口为分母，"
        f"其余 {total - with_population} 个村以统计日在册居民数为分母。"
    )


def _target_cells(report: SummaryReport, row: SummaryRow) -> tuple[float | None, str, str]:
    target = report.target_for(row)
    level = target_level(row.rate, target)
    return target, LEVEL_LABELS[level], level


def write_summary_xlsx(report: SummaryReport, path: Path) -> None:
    """The report as a workbook: a sheet per dimension, then the period and the trend."""
    from openpyxl import Workbook

    styles = _Styles()
    workbook = Workbook()
    workbook.remove(workbook.active)
    summary = report.summary
    notes = _report_notes(report)
    institution = summary.institution_name
    has_targets = bool(report.targets)

    def rate_columns(first: Sequence[Column]) -> list[Column]:
        columns = [
            *first,
            Column("分母", INTEGER),
            Column("分母来源"),
            Column("已签约", INTEGER),
            Column("签约率", PERCENT),
        ]
        if has_targets:
            columns += [Column("目标", PERCENT), Column("是否达标")]
        return columns

    def rate_values(row: SummaryRow, first: Sequence[Any]) -> tuple[list[Any], Any]:
        values = [
            *first,
            row.denominator,
            SOURCE_LABELS[row.denominator_source],
            row.numerator,
            row.rate,
        ]
        fill = None
        if has_targets:
            target, label, level = _target_cells(report, row)
            values += [target, label]
            fill = styles.level_fills.get(level)
        return values, fill

    overall = summary.overall
    values, fill = rate_values(overall, [overall.label])
    _table_sheet(
        workbook,
        styles,
        "总体",
        f"{institution}家庭医生签约率（截至{summary.as_of:%Y年%m月%d日}）",
        [*notes, denominator_note(summary)],
        rate_columns([Column("项目")]),
        [values],
        fills=[fill],
    )

    rows, fills = [], []
    for row in summary.of("village"):
        values, fill = rate_values(row, [row.key, row.label])
        rows.append(values)
        fills.append(fill)
    _table_sheet(
        workbook,
        styles,
        "各村",
        f"{institution}各村签约率（截至{summary.as_of:%Y年%m月%d日}）",
        [*notes, denominator_note(summary)],
        rate_columns([Column("村代码"), Column("村名")]),
        rows,
        fills=fills,
    )

    rows, fills = [], []
    for row in summary.of("key_population"):
        values, fill = rate_values(row, [row.label, row.key])
        rows.append(values)
        fills.append(fill)
    _table_sheet(
        workbook,
        styles,
        "重点人群",
        f"{institution}重点人群签约率（截至{summary.as_of:%Y年%m月%d日}）",
        [*notes, "分母为统计日在册的该人群居民；重点人群合计每人只计一次。"],
        rate_columns([Column("重点人群"), Column("代码")]),
        rows,
        bold_rows=[len(rows) - 1],
        fills=fills,
    )

    for dimension, sheet_name, title, first in (
        ("team", "团队", "家庭医生团队签约人数与服务容量", "团队"),
        ("doctor", "医生", "责任医生签约人数与服务容量", "责任医生"),
    ):
        rows = [
            [row.label, row.denominator or None, row.numerator, row.rate]
            for row in summary.of(dimension)
        ]
        fills = [
            styles.level_fills["behind"] if (row.rate or 0) > 1 else None
            for row in summary.of(dimension)
        ]
        _table_sheet(
            workbook,
            styles,
            sheet_name,
            f"{institution}{title}（截至{summary.as_of:%Y年%m月%d日}）",
            [*notes, "容量使用率 = 已签约 / 服务容量；超过100%的行以红色标出；未设容量的留空。"],
            [
                Column(first),
                Column("服务容量", INTEGER),
                Column("已签约", INTEGER),
                Column("容量使用率", PERCENT),
            ],
            rows,
            fills=fills,
        )

    if report.period is not None:
        _period_sheet(workbook, styles, report, report.period, notes)
    if report.trend is not None:
        _trend_sheet(workbook, styles, report, report.trend, notes)
    workbook.properties.title = f"{institution}家庭医生签约统计 {summary.as_of:%Y-%m-%d}"
    workbook.properties.creator = "familydoc"
    workbook.save(path)


def _yuan(fen: int) -> float:
    return round(fen / 100, 2)


def period_rows(period: PeriodFigures) -> list[tuple[str, Any, str | None]]:
    """(item, value, number format) of the period's figures, in report order."""
    rows: list[tuple[str, Any, str | None]] = [
        ("新签约（首次签约）", period.new_contracts, INTEGER),
        ("续约签约", period.renewals_signed, INTEGER),
        ("期内应续约（到期合同）", period.renewals_due, INTEGER),
        ("其中已续约", period.renewed, INTEGER),
        ("续约率", period.renewal_rate, PERCENT),
    ]
    for reason, count in period.ended:
        rows.append((f"合同终止：{TERMINATION_LABELS[reason]}", count, INTEGER))
    rows.append(("合同终止合计", period.ended_total, INTEGER))
    rows += [
        ("签约个性化服务包的合同", period.paid_contracts, INTEGER),
        ("个性化服务包费用合计（元）", _yuan(period.fee_total("price_fen")), MONEY),
        ("其中医保基金（元）", _yuan(period.fee_total("fund_insurance_fen")), MONEY),
        ("其中公卫经费（元）", _yuan(period.fee_total("fund_public_health_fen")), MONEY),
        ("其中个人自付（元）", _yuan(period.fee_total("self_pay_fen")), MONEY),
    ]
    return rows


def _period_sheet(
    workbook: Any, styles: _Styles, report: SummaryReport, period: PeriodFigures, notes: list[str]
) -> None:
    title = (
        f"{report.summary.institution_name}签约服务期间情况"
        f"（{period.start:%Y-%m-%d} 至 {period.end:%Y-%m-%d}）"
    )
    rows = [[item, value] for item, value, _ in period_rows(period)]
    sheet = _table_sheet(
        workbook,
        styles,
        "期间情况",
        title,
        [
            *notes,
            "新签约、续约签约、个性化服务包按签约日期计；应续约为期内到期且未提前终止的合同，"
            "续约以期末前签订的续约合同计；终止按终止日期计，“到期未续约”为应续约而未续约者。",
        ],
        [Column("项目"), Column("数值")],
        rows,
    )
    header_row = sheet.freeze_panes and int(sheet.freeze_panes[1:]) - 1
    for offset, (_, _, number_format) in enumerate(period_rows(period)):
        cell = sheet.cell(header_row + 1 + offset, 2)
        if number_format and isinstance(cell.value, int | float):
            cell.number_format = number_format
    if period.packages:
        start = sheet.max_row + 2
        headers = [
            "服务包",
            "签约合同数",
            "费用（元）",
            "医保基金（元）",
            "公卫经费（元）",
            "个人自付（元）",
        ]
        for index, header in enumerate(headers, start=1):
            cell = sheet.cell(start, index, header)
            cell.font = styles.header
            cell.fill = styles.header_fill
            cell.border = styles.border
            cell.alignment = styles.center
        for offset, package in enumerate(period.packages, start=1):
            values = [
                package.name,
                package.contracts,
                _yuan(package.price_fen),
                _yuan(package.fund_insurance_fen),
                _yuan(package.fund_public_health_fen),
                _yuan(package.self_pay_fen),
            ]
            for index, value in enumerate(values, start=1):
                cell = sheet.cell(start + offset, index, value)
                cell.border = styles.border
                cell.font = styles.body
                cell.number_format = INTEGER if index == 2 else MONEY if index > 2 else "General"
    _fit_period_columns(sheet, styles, header_row)


def _fit_period_columns(sheet: Any, styles: _Styles, header_row: int) -> None:
    """Widths of the period sheet from its formatted values (formats vary by row) and the
    package table under it; then the title and notes rewrapped to the new width."""
    from openpyxl.utils import get_column_letter

    widths: dict[int, int] = {}
    for row in sheet.iter_rows(min_row=header_row):
        for cell in row:
            if cell.value is None:
                continue
            number_format = None if cell.number_format == "General" else cell.number_format
            text = _cell_text(cell.value, number_format)
            widths[cell.column] = max(widths.get(cell.column, 0), display_width(text))
    for column, width in widths.items():
        sheet.column_dimensions[get_column_letter(column)].width = min(max(width + 3, 10), 60)
    merged_width = sum(sheet.column_dimensions[get_column_letter(c)].width for c in (1, 2))
    for row in range(1, header_row):
        _fit_merged_text(sheet, styles, row, merged_width)


def trend_codes() -> tuple[str, ...]:
    return ("overall", *POPULATION_CODES)


def trend_label(code: str) -> str:
    return "全部居民" if code == "overall" else POPULATION_LABELS[code]


def _trend_sheet(
    workbook: Any, styles: _Styles, report: SummaryReport, trend: Trend, notes: list[str]
) -> None:
    codes = trend_codes()
    columns = [Column("月份"), Column("统计日")] + [
        Column(trend_label(code), PERCENT) for code in codes
    ]
    rows = [
        [point.month, point.day.isoformat(), *(point.rate(code) for code in codes)]
        for point in trend.points
    ]
    _table_sheet(
        workbook,
        styles,
        "近12个月",
        f"{report.summary.institution_name}近12个月签约率（各月末，本月为统计日）",
        [*notes, "各月末的签约率按当月末的在册居民、年龄与合同计算，分母规则同上。"],
        columns,
        rows,
    )


# --- lists ---------------------------------------------------------------------------------


def _list_sheet_start(
    workbook: Any, styles: _Styles, name: str, title: str, note: str, columns: Sequence[Column]
) -> Any:
    """A streaming (write-only) sheet with its title, note and frozen header row."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.utils import get_column_letter

    sheet = workbook.create_sheet(name)
    for index, column in enumerate(columns, start=1):
        width = column.width or max(display_width(column.header) + 3, 10)
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A4"
    sheet.print_title_rows = "3:3"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = PAPER_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    cell = WriteOnlyCell(sheet, value=title)
    cell.font = styles.title
    sheet.append([cell])
    cell = WriteOnlyCell(sheet, value=note)
    cell.font = styles.note
    sheet.append([cell])
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=column.header)
        cell.font = styles.header
        cell.fill = styles.header_fill
        cell.border = styles.border
        cell.alignment = styles.center
        header.append(cell)
    sheet.append(header)
    return sheet


def _write_list(
    path: Path,
    fmt: str,
    *,
    sheet_name: str,
    title: str,
    note: str,
    columns: Sequence[Column],
    rows: Iterable[Sequence[Any]],
    text_columns: Sequence[int] = (),
) -> int:
    """Write rows as CSV (UTF-8 with BOM) or a streamed workbook; returns the row count."""
    count = 0
    if fmt == "csv":
        with open(path, "w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\r\n")
            writer.writerow([column.header for column in columns])
            for row in rows:
                values = [_csv_safe(value) for value in row]
                for index in text_columns:
                    if isinstance(values[index], str):
                        values[index] = _excel_text(values[index])
                writer.writerow(["" if value is None else value for value in values])
                count += 1
        return count
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    styles = _Styles()
    workbook = Workbook(write_only=True)
    sheet = _list_sheet_start(workbook, styles, sheet_name, title, note, columns)
    formats = [column.format for column in columns]
    for row in rows:
        cells = []
        for value, number_format in zip(row, formats, strict=True):
            if number_format and isinstance(value, int | float):
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = number_format
                cells.append(cell)
            elif isinstance(value, dt.date):
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = "yyyy-mm-dd"
                cells.append(cell)
            else:
                cells.append(value)
        sheet.append(cells)
        count += 1
    workbook.save(path)
    return count


def _stream(session: Session, statement: Any, chunk: int = 2000) -> Iterator[Any]:
    yield from session.execute(statement.execution_options(yield_per=chunk))


def _populations_text(day: dt.date) -> Any:
    labels = case(
        {tag: POPULATION_LABELS[tag] for tag in TAG_CODES}, value=ResidentTag.tag, else_=""
    )
    tags = (
        select(func.group_concat(labels, "、"))
        .where(ResidentTag.resident_id == Resident.id)
        .correlate(Resident)
        .scalar_subquery()
    )
    age = case(
        (Resident.birth_date <= years_before(day, 65), POPULATION_LABELS["elderly_65"]),
        (Resident.birth_date > years_before(day, 7), POPULATION_LABELS["child_0_6"]),
        else_=None,
    )
    return age, tags


RESIDENT_EXPORT_COLUMNS = (
    Column("居民编号", "0", 10),
    Column("姓名", None, 10),
    Column("性别", None, 6),
    Column("出生日期", None, 12),
    Column("身份证号", None, 21),
    Column("联系电话", None, 14),
    Column("村", None, 12),
    Column("户号", None, 12),
    Column("与户主关系", None, 10),
    Column("住址", None, 30),
    Column("健康档案号", None, 18),
    Column("医保类型", None, 12),
    Column("重点人群", None, 24),
    Column("状态", None, 6),
    Column("离开日期", None, 12),
    Column("签约状态", None, 20),
    Column("签约至", None, 12),  # the end of the coverage, renewals included
)


def signing_label(covered_until: dt.date | None, presigned: dt.date | None, active: bool) -> str:
    """已签约 / 已预签（起始日起）/ 未签约 on the export day (``core.coverage``)."""
    if not active or (covered_until is None and presigned is None):
        return "未签约"
    if covered_until is None and presigned is not None:
        return f"已预签（{presigned:%Y-%m-%d}起）"
    return "已签约"


def _check_list_export(actor: Actor, unmasked: bool) -> None:
    require(actor, Permission.EXPORT_LISTS)
    if unmasked:
        require(actor, Permission.EXPORT_UNMASKED)


def export_residents(
    session: Session,
    actor: Actor,
    path: Path | str,
    *,
    unmasked: bool = False,
    today: dt.date | None = None,
    format: str | None = None,
) -> ExportResult:
    """Every resident (those who left too, with the date), masked unless ``unmasked``."""
    _check_list_export(actor, unmasked)
    path = Path(path)
    fmt = format or format_of(path, LIST_FORMATS)
    today = today or dt.date.today()
    contract_end = chain_end_on(today)  # the end of the coverage, renewals included
    age, tags = _populations_text(today)
    statement = (
        select(
            Resident.id,
            Resident.name,
            Resident.sex,
            Resident.birth_date,
            Resident.id_number,
            Resident.phone,
            Village.name,
            Household.number,
            Resident.relation_to_head,
            Resident.address,
            Resident.health_record_no,
            Resident.insurance_type,
            age,
            tags,
            func.coalesce(Resident.left_reason, literal("active")),
            Resident.left_on,
            contract_end,
            presigned_from(today),
        )
        .join(Village, Village.id == Resident.village_id)
        .outerjoin(Household, Household.id == Resident.household_id)
        .order_by(Village.code, Household.number, Resident.id)
    )

    def rows() -> Iterator[list[Any]]:
        for row in _stream(session, statement):
            (rid, name, sex, birth, id_number, phone, village, household, relation, address,
             record, insurance, age_label, tag_labels, status, left_on, end,
             ahead) = row  # fmt: skip
            populations = "、".join(p for p in (age_label, tag_labels) if p)
            yield [
                rid,
                name,
                SEX_LABELS.get(sex, sex),
                birth,
                (id_number or "") if unmasked else mask_id_number(id_number),
                (phone or "") if unmasked else mask_phone(phone),
                village,
                household or "",
                relation or "",
                (address or "") if unmasked else mask_address(address),
                record or "",
                insurance or "",
                populations,
                STATUS_LABELS.get(status, status),
                left_on,
                signing_label(end, ahead, status == "active"),
                end,
            ]

    title = "居民名单" + ("" if unmasked else "（个人信息已脱敏）")
    note = f"导出日期：{today:%Y-%m-%d}　　签约状态按导出日计　　导出人：{actor.display_name}"
    return _export_list(
        session,
        actor,
        path,
        fmt,
        "residents",
        unmasked=unmasked,
        sheet_name="居民",
        title=title,
        note=note,
        columns=RESIDENT_EXPORT_COLUMNS,
        rows=rows(),
        text_columns=(4, 5, 10),
    )


def _export_list(
    session: Session,
    actor: Actor,
    path: Path,
    fmt: str,
    what: str,
    *,
    unmasked: bool,
    **sheet: Any,
) -> ExportResult:
    """Write a list (all of it or nothing) and record the export in the audit log."""
    count = 0

    def write(target: Path) -> None:
        nonlocal count
        count = _write_list(target, fmt, **sheet)

    _write_atomically(path, write)
    record_export(session, actor, what, path, format=fmt, rows=count, unmasked=unmasked)
    return ExportResult(str(path), fmt, count, unmasked)


CONTRACT_EXPORT_COLUMNS = (
    Column("合同编号", None, 22),
    Column("居民姓名", None, 10),
    Column("身份证号", None, 21),
    Column("联系电话", None, 14),
    Column("村", None, 12),
    Column("团队", None, 22),
    Column("责任医生", None, 10),
    Column("签约日期", None, 12),
    Column("开始日期", None, 12),
    Column("结束日期", None, 12),
    Column("状态", None, 10),
    Column("签约方式", None, 10),
    Column("监护人", None, 10),
    Column("监护人电话", None, 14),
    Column("服务包", None, 30),
    Column("费用合计（元）", MONEY, 14),
    Column("医保基金（元）", MONEY, 14),
    Column("公卫经费（元）", MONEY, 14),
    Column("个人自付（元）", MONEY, 14),
    Column("终止日期", None, 12),
    Column("终止原因", None, 14),
    Column("续签自合同", None, 22),
)


def export_contracts(
    session: Session,
    actor: Actor,
    path: Path | str,
    *,
    unmasked: bool = False,
    today: dt.date | None = None,
    format: str | None = None,
) -> ExportResult:
    """Every contract with its packages and fees, masked unless ``unmasked``."""
    _check_list_export(actor, unmasked)
    path = Path(path)
    fmt = format or format_of(path, LIST_FORMATS)
    today = today or dt.date.today()
    previous = aliased(Contract)
    fees = (
        select(
            ContractPackage.contract_id.label("contract_id"),
            func.group_concat(ServicePackage.name, "、").label("names"),
            func.sum(ContractPackage.price_fen).label("price"),
            func.sum(ContractPackage.fund_insurance_fen).label("insurance"),
            func.sum(ContractPackage.fund_public_health_fen).label("public"),
            func.sum(ContractPackage.self_pay_fen).label("own"),
        )
        .join(ServicePackage, ServicePackage.id == ContractPackage.package_id)
        .group_by(ContractPackage.contract_id)
        .subquery()
    )
    status = case(
        (and_(Contract.terminated_on.is_not(None), Contract.terminated_on <= today), "terminated"),
        (Contract.end_date < today, "expired"),
        (Contract.start_date > today, "not_started"),
        # a contract renewed without a gap is not ending: the coverage goes on
        (
            and_(Contract.end_date <= today + dt.timedelta(days=30), ends_chain(Contract)),
            "ending_soon",
        ),
        else_="in_force",
    )
    statement = (
        select(
            Contract.number,
            Resident.name,
            Resident.id_number,
            Resident.phone,
            Village.name,
            Team.name,
            Doctor.name,
            Contract.signed_on,
            Contract.start_date,
            Contract.end_date,
            status,
            Contract.signing_method,
            Contract.guardian_name,
            Contract.guardian_phone,
            fees.c.names,
            fees.c.price,
            fees.c.insurance,
            fees.c.public,
            fees.c.own,
            Contract.terminated_on,
            Contract.termination_reason,
            previous.number,
        )
        .join(Resident, Resident.id == Contract.resident_id)
        .join(Village, Village.id == Resident.village_id)
        .join(Team, Team.id == Contract.team_id)
        .join(Doctor, Doctor.id == Contract.doctor_id)
        .outerjoin(fees, fees.c.contract_id == Contract.id)
        .outerjoin(previous, previous.id == Contract.previous_contract_id)
        .order_by(Contract.year, Contract.sequence)
    )

    def rows() -> Iterator[list[Any]]:
        for row in _stream(session, statement):
            values = list(row)
            if not unmasked:
                values[2] = mask_id_number(values[2])
                values[3] = mask_phone(values[3])
                values[13] = mask_phone(values[13])
            values[2], values[3], values[13] = values[2] or "", values[3] or "", values[13] or ""
            values[10] = CONTRACT_STATUS_LABELS.get(values[10], values[10])
            values[11] = METHOD_LABELS.get(values[11], values[11])
            values[12] = values[12] or ""
            values[14] = values[14] or ""
            for index in (15, 16, 17, 18):
                values[index] = _yuan(values[index] or 0)
            values[20] = TERMINATION_LABELS.get(values[20], values[20] or "")
            values[21] = values[21] or ""
            yield values

    title = "签约合同名单" + ("" if unmasked else "（个人信息已脱敏）")
    note = f"导出日期：{today:%Y-%m-%d}　　状态按导出日计　　导出人：{actor.display_name}"
    return _export_list(
        session,
        actor,
        path,
        fmt,
        "contracts",
        unmasked=unmasked,
        sheet_name="合同",
        title=title,
        note=note,
        columns=CONTRACT_EXPORT_COLUMNS,
        rows=rows(),
        text_columns=(2, 3, 13),
    )
