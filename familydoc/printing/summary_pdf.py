"""The signing-rate report (签约服务统计报表) and the outreach call list as A4 PDFs.

``render_summary_pdf(report)`` lays out a ``core.exports.SummaryReport``: the institution
and the report day, the overall and key-population table coloured against the targets, a
bar chart of the villages' rates with the target line, the villages, teams and doctors,
the figures of the period and the 12-month trend (a line chart and a table). Everything
fits the width of an A4 portrait page; long tables continue on the next page with their
header row repeated. ``render_call_list_pdf(listing)`` prints a call list (A4 landscape)
with a blank column for the result of each call.

The font is the contract's (``printing.fonts``: an embedded TrueType subset). ReportLab's
invariant mode makes the bytes depend only on the content.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, Line, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from sqlalchemy.orm import Session

from familydoc.core.auth import Actor
from familydoc.core.call_list import CallList, call_list, record_outreach_export
from familydoc.core.exports import (
    LEVEL_LABELS,
    SOURCE_LABELS,
    ExportResult,
    SummaryReport,
    denominator_note,
    period_rows,
    record_export,
    summary_report,
    trend_codes,
    trend_label,
)
from familydoc.core.statistics import OutreachFilter, SummaryRow, target_level
from familydoc.printing.files import write_file_atomically
from familydoc.printing.fonts import FontChoice, choose_font

MARGIN = 15 * mm
GRID = colors.HexColor("#9a9a9a")
HEADER_BACKGROUND = colors.HexColor("#dde7f0")
TOTAL_BACKGROUND = colors.HexColor("#f2f2f2")
LEVEL_COLOURS = {
    "met": colors.HexColor("#e2f0d9"),
    "near": colors.HexColor("#fff2cc"),
    "behind": colors.HexColor("#f8d7da"),
}
BAR_COLOURS = {
    "met": colors.HexColor("#5b9bd5"),
    "near": colors.HexColor("#f4b183"),
    "behind": colors.HexColor("#c0504d"),
    "none": colors.HexColor("#5b9bd5"),
}
LINE_COLOURS = (
    colors.HexColor("#1f4e79"),
    colors.HexColor("#c0504d"),
    colors.HexColor("#70ad47"),
    colors.HexColor("#ed7d31"),
    colors.HexColor("#7030a0"),
)
TREND_CHART_CODES = ("overall", "elderly_65", "child_0_6", "hypertension", "any_key")
MAX_CHART_VILLAGES = 40


def month_labels(days: Sequence[dt.date]) -> list[str]:
    """“12月”, with the year under the first month and under each January."""
    return [
        f"{day.month}月\n{day.year}年" if index == 0 or day.month == 1 else f"{day.month}月"
        for index, day in enumerate(days)
    ]


def percent(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else f"{value * 100:.{digits}f}%"


def number(value: int | None) -> str:
    return "—" if value is None else f"{value:,}"


class _Styles:
    def __init__(self, font: str) -> None:
        self.font = font
        self.title = ParagraphStyle(
            "title", fontName=font, fontSize=17, leading=23, alignment=1, spaceAfter=2 * mm
        )
        self.subtitle = ParagraphStyle(
            "subtitle", fontName=font, fontSize=9.5, leading=13, alignment=1, textColor="#444444"
        )
        self.heading = ParagraphStyle(
            "heading",
            fontName=font,
            fontSize=12.5,
            leading=17,
            spaceBefore=5 * mm,
            spaceAfter=2 * mm,
        )
        self.note = ParagraphStyle(
            "note", fontName=font, fontSize=8, leading=11, textColor="#555555", wordWrap="CJK"
        )
        self.cell = ParagraphStyle("cell", fontName=font, fontSize=8.5, leading=11, wordWrap="CJK")
        self.small = ParagraphStyle(
            "small", fontName=font, fontSize=7.5, leading=9.5, wordWrap="CJK"
        )


def _table(
    styles: _Styles,
    header: Sequence[str],
    rows: Sequence[Sequence[Any]],
    widths: Sequence[float],
    *,
    right: Sequence[int] = (),
    backgrounds: Sequence[Any | None] = (),
    bold_last: bool = False,
    font_size: float = 8.5,
) -> Table:
    """A grid table; text cells wrap (CJK), numbers are right-aligned, header repeats."""
    style = styles.small if font_size < 8.5 else styles.cell

    def cell(value: Any, index: int) -> Any:
        if isinstance(value, str) and index not in right:
            return Paragraph(escape(value), style)
        return "" if value is None else str(value)

    data = [[Paragraph(escape(text), style) for text in header]]
    data += [[cell(value, index) for index, value in enumerate(row)] for row in rows]
    table = Table(data, colWidths=list(widths), repeatRows=1)
    commands: list[tuple[Any, ...]] = [
        ("FONT", (0, 0), (-1, -1), styles.font, font_size),
        ("GRID", (0, 0), (-1, -1), 0.4, GRID),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_BACKGROUND),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    for index in right:
        commands.append(("ALIGN", (index, 1), (index, -1), "RIGHT"))
    for offset, colour in enumerate(backgrounds, start=1):
        if colour is not None:
            commands.append(("BACKGROUND", (0, offset), (-1, offset), colour))
    if bold_last and rows:
        commands.append(("BACKGROUND", (0, len(rows)), (-1, len(rows)), TOTAL_BACKGROUND))
    table.setStyle(TableStyle(commands))
    return table


def _rate_rows(
    report: SummaryReport, rows: Sequence[SummaryRow], first: Any
) -> tuple[list[list[Any]], list[Any]]:
    data, backgrounds = [], []
    for row in rows:
        target = report.target_for(row)
        level = target_level(row.rate, target)
        values = [
            *first(row),
            number(row.denominator),
            SOURCE_LABELS[row.denominator_source],
            number(row.numerator),
            percent(row.rate),
        ]
        if report.targets:
            values += [percent(target) if target is not None else "", LEVEL_LABELS[level]]
        data.append(values)
        backgrounds.append(LEVEL_COLOURS.get(level))
    return data, backgrounds


def _village_chart(report: SummaryReport, width: float, font: str) -> tuple[Drawing, str] | None:
    villages = [row for row in report.summary.of("village") if row.denominator]
    if not villages:
        return None
    caption = "各村签约率"
    if len(villages) > MAX_CHART_VILLAGES:
        villages = sorted(villages, key=lambda row: (row.rate or 0, row.key))[:MAX_CHART_VILLAGES]
        caption = f"签约率最低的 {MAX_CHART_VILLAGES} 个村（共 {report.summary.villages} 个村）"
    villages.sort(key=lambda row: row.key)
    target = report.targets.get("overall")
    # Many villages: names written vertically, one upright character under the other (as
    # Chinese is set vertically), not turned on their side.
    vertical = len(villages) > 10
    font_size = 7 if len(villages) <= 16 else 6
    leading = font_size + 1
    longest = max(len(row.label) for row in villages)
    label_space = longest * leading + 14 if vertical else 2 * leading + 10
    chart_height = 48 * mm
    height = chart_height + label_space + 12 * mm
    drawing = Drawing(width, height, initialFontName=font)
    chart = VerticalBarChart()
    chart.x, chart.y = 12 * mm, label_space
    chart.width, chart.height = width - 30 * mm, chart_height
    chart.data = [[round((row.rate or 0) * 100, 1) for row in villages]]
    chart.categoryAxis.categoryNames = [
        "\n".join(row.label) if vertical else row.label for row in villages
    ]
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = font_size
    chart.categoryAxis.labels.leading = leading
    chart.categoryAxis.labels.boxAnchor = "n"
    chart.valueAxis.valueMin, chart.valueAxis.valueMax = 0, 100
    chart.valueAxis.valueStep = 20
    chart.valueAxis.labelTextFormat = "%d%%"
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = colors.HexColor("#dddddd")
    chart.bars.strokeWidth = 0
    chart.barSpacing = 1
    chart.groupSpacing = 3 if len(villages) > 20 else 6
    for index, row in enumerate(villages):
        chart.bars[(0, index)].fillColor = BAR_COLOURS[target_level(row.rate, target)]
    chart.barLabelFormat = "%.1f" if len(villages) <= 16 else None
    chart.barLabels.fontName = font
    chart.barLabels.fontSize = 6.5
    chart.barLabels.nudge = 6
    drawing.add(chart)
    if target is not None:
        y = chart.y + chart.height * target
        drawing.add(
            Line(
                chart.x,
                y,
                chart.x + chart.width,
                y,
                strokeColor=colors.HexColor("#c00000"),
                strokeWidth=1.2,
                strokeDashArray=[4, 2],
            )
        )
        for offset, text in ((2, "目标"), (-7, percent(target))):
            drawing.add(
                String(
                    chart.x + chart.width + 2 * mm,
                    y + offset,
                    text,
                    fontName=font,
                    fontSize=7.5,
                    fillColor=colors.HexColor("#c00000"),
                )
            )
    drawing.add(String(chart.x, height - 5 * mm, "签约率（%）", fontName=font, fontSize=7.5))
    return drawing, caption


def _trend_chart(report: SummaryReport, width: float, font: str) -> Drawing | None:
    trend = report.trend
    if trend is None or not trend.points:
        return None
    height = 70 * mm
    drawing = Drawing(width, height, initialFontName=font)
    chart = HorizontalLineChart()
    chart.x, chart.y = 12 * mm, 14 * mm
    chart.width, chart.height = width - 52 * mm, height - 22 * mm
    chart.data = [
        [round((rate or 0) * 100, 1) for rate in trend.rates(code)] for code in TREND_CHART_CODES
    ]
    chart.categoryAxis.categoryNames = month_labels([point.day for point in trend.points])
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 7
    chart.categoryAxis.labels.leading = 8.5
    chart.categoryAxis.labels.boxAnchor = "n"
    chart.valueAxis.valueMin, chart.valueAxis.valueMax = 0, 100
    chart.valueAxis.valueStep = 20
    chart.valueAxis.labelTextFormat = "%d%%"
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = colors.HexColor("#dddddd")
    for index, colour in enumerate(LINE_COLOURS):
        chart.lines[index].strokeColor = colour
        chart.lines[index].strokeWidth = 1.6 if index == 0 else 1.1
    drawing.add(chart)
    legend = Legend()
    legend.x, legend.y = chart.x + chart.width + 6 * mm, chart.y + chart.height
    legend.fontName = font
    legend.fontSize = 7.5
    legend.alignment = "right"
    legend.columnMaximum = len(TREND_CHART_CODES)
    legend.deltay = 11
    legend.colorNamePairs = [
        (colour, trend_label(code))
        for colour, code in zip(LINE_COLOURS, TREND_CHART_CODES, strict=True)
    ]
    drawing.add(legend)
    drawing.add(String(chart.x, height - 4 * mm, "签约率（%）", fontName=font, fontSize=7.5))
    return drawing


def _footer(institution: str, day: dt.date, font: str) -> Any:
    def draw(canvas: Canvas, document: BaseDocTemplate) -> None:
        canvas.saveState()
        canvas.setFont(font, 7.5)
        canvas.setFillColor(colors.HexColor("#666666"))
        width, _ = document.pagesize
        canvas.drawString(MARGIN, 9 * mm, f"{institution}　家庭医生签约服务统计　{day:%Y-%m-%d}")
        canvas.drawRightString(width - MARGIN, 9 * mm, f"第 {document.page} 页")
        canvas.restoreState()

    return draw


def _document(
    buffer: io.BytesIO,
    pagesize: tuple[float, float],
    font: FontChoice,
    *,
    top: float,
    bottom: float,
    title: str,
    author: str = "",
) -> tuple[BaseDocTemplate, Frame]:
    """A document in invariant mode (the same bytes for the same figures) and its body frame,
    ``bottom`` being the footer's room."""
    document = BaseDocTemplate(
        buffer,
        pagesize=pagesize,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=top,
        bottomMargin=bottom,
        title=title,
        author=author,
        creator="familydoc",
        invariant=1,
        lang="zh-CN",
        initialFontName=font.name,
    )
    frame = Frame(
        MARGIN,
        bottom,
        pagesize[0] - 2 * MARGIN,
        pagesize[1] - top - bottom,
        id="body",
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    return document, frame


def render_summary_pdf(report: SummaryReport, *, font: FontChoice | None = None) -> bytes:
    """The report as a PDF (A4 portrait)."""
    font = font or choose_font()
    summary = report.summary
    styles = _Styles(font.name)
    width = A4[0] - 2 * MARGIN
    buffer = io.BytesIO()
    document, frame = _document(
        buffer,
        A4,
        font,
        top=14 * mm,
        bottom=16 * mm,
        title=f"{summary.institution_name}家庭医生签约服务统计报表 {summary.as_of:%Y-%m-%d}",
        author=report.generated_by,
    )
    document.addPageTemplates(
        [
            PageTemplate(
                "page",
                [frame],
                onPage=_footer(summary.institution_name, summary.as_of, font.name),
            )
        ]
    )
    story: list[Any] = [
        Paragraph(escape(f"{summary.institution_name}家庭医生签约服务统计报表"), styles.title),
        Paragraph(
            escape(
                f"统计日期：{summary.as_of.year}年{summary.as_of.month}月{summary.as_of.day}日　"
                f"机构代码：{summary.institution_code}　制表：{report.generated_by}　"
                f"{report.generated_at:%Y-%m-%d %H:%M}"
            ),
            styles.subtitle,
        ),
    ]

    # 一、总体与重点人群
    rate_header = ["项目", "分母", "分母来源", "已签约", "签约率"]
    widths = [50 * mm, 24 * mm, 24 * mm, 24 * mm, 22 * mm]
    if report.targets:
        rate_header += ["目标", "达标情况"]
        widths = [44 * mm, 21 * mm, 21 * mm, 21 * mm, 20 * mm, 18 * mm, 20 * mm]
    rows = [summary.overall, *summary.of("key_population")]
    data, backgrounds = _rate_rows(report, rows, lambda row: [row.label])
    story += [
        Paragraph("一、总体与重点人群签约情况", styles.heading),
        _table(styles, rate_header, data, widths, right=(1, 3, 4, 5), backgrounds=backgrounds),
        Spacer(1, 1.5 * mm),
        Paragraph(
            escape(
                denominator_note(summary)
                + "重点人群的分母为统计日在册的该人群居民，重点人群合计每人只计一次。"
                + (
                    "行底色：绿色达标，黄色差距在5个百分点内，红色未达标。"
                    if report.targets
                    else ""
                )
            ),
            styles.note,
        ),
    ]

    # 二、各村
    chart = _village_chart(report, width, font.name)
    story.append(CondPageBreak(100 * mm))
    story.append(Paragraph("二、各村签约率", styles.heading))
    if chart is not None:
        drawing, caption = chart
        story += [KeepTogether([Paragraph(escape(caption), styles.note), drawing])]
    village_header = ["村代码", "村名", "分母", "分母来源", "已签约", "签约率"]
    village_widths = [30 * mm, 38 * mm, 22 * mm, 22 * mm, 22 * mm, 22 * mm]
    if report.targets:
        village_header += ["达标情况"]
        village_widths = [28 * mm, 34 * mm, 20 * mm, 20 * mm, 20 * mm, 20 * mm, 18 * mm]
    data, backgrounds = _rate_rows(report, summary.of("village"), lambda row: [row.key, row.label])
    if report.targets:
        data = [values[:6] + values[7:] for values in data]  # the target is the overall one
    story.append(
        _table(
            styles, village_header, data, village_widths, right=(2, 4, 5), backgrounds=backgrounds
        )
    )

    # 三、团队与医生
    story.append(CondPageBreak(60 * mm))
    story.append(Paragraph("三、家庭医生团队与责任医生", styles.heading))
    for dimension, first in (("team", "团队"), ("doctor", "责任医生")):
        rows = summary.of(dimension)
        if not rows:
            continue
        data = [
            [
                row.label,
                number(row.denominator or None),
                number(row.numerator),
                percent(row.rate),
            ]
            for row in rows
        ]
        backgrounds = [LEVEL_COLOURS["behind"] if (row.rate or 0) > 1 else None for row in rows]
        story += [
            _table(
                styles,
                [first, "服务容量", "已签约", "容量使用率"],
                data,
                [70 * mm, 35 * mm, 35 * mm, 35 * mm],
                right=(1, 2, 3),
                backgrounds=backgrounds,
            ),
            Spacer(1, 3 * mm),
        ]
    story.append(
        Paragraph(
            "容量使用率 = 已签约 / 服务容量；超过100%的以红色标出；未设容量的记“—”。", styles.note
        )
    )

    # 四、期间情况
    period = report.period
    if period is not None:
        story.append(CondPageBreak(70 * mm))
        story.append(
            Paragraph(
                escape(f"四、期间情况（{period.start:%Y-%m-%d} 至 {period.end:%Y-%m-%d}）"),
                styles.heading,
            )
        )
        items = []
        for item, value, number_format in period_rows(period):
            if number_format == "0.0%":
                text = percent(value)
            elif isinstance(value, float):
                text = f"{value:,.2f}"
            else:
                text = number(value)
            items.append([item, text])
        half = (len(items) + 1) // 2
        left, right_items = items[:half], items[half:]
        paired = [
            [*left[i], *(right_items[i] if i < len(right_items) else ["", ""])] for i in range(half)
        ]
        story.append(
            _table(
                styles,
                ["项目", "数值", "项目", "数值"],
                paired,
                [56 * mm, 34 * mm, 56 * mm, 34 * mm],
                right=(1, 3),
            )
        )
        if period.packages:
            story.append(Spacer(1, 3 * mm))
            story.append(
                _table(
                    styles,
                    ["个性化服务包", "合同数", "费用（元）", "医保基金", "公卫经费", "个人自付"],
                    [
                        [package.name, number(package.contracts)]
                        + [
                            f"{fen / 100:,.2f}"
                            for fen in (
                                package.price_fen,
                                package.fund_insurance_fen,
                                package.fund_public_health_fen,
                                package.self_pay_fen,
                            )
                        ]
                        for package in period.packages
                    ],
                    [50 * mm, 20 * mm, 28 * mm, 28 * mm, 27 * mm, 27 * mm],
                    right=(1, 2, 3, 4, 5),
                )
            )

    # 五、趋势
    trend = report.trend
    if trend is not None:
        story.append(CondPageBreak(120 * mm))
        story.append(Paragraph("五、近12个月签约率（各月末，本月为统计日）", styles.heading))
        drawing = _trend_chart(report, width, font.name)
        if drawing is not None:
            story.append(drawing)
        codes = trend_codes()
        header = ["人群"] + [point.month for point in trend.points]
        data = [
            [trend_label(code)] + [percent(rate) for rate in trend.rates(code)] for code in codes
        ]
        label_width = 32 * mm
        month_width = (width - label_width) / max(1, len(trend.points))
        story.append(
            _table(
                styles,
                header,
                data,
                [label_width] + [month_width] * len(trend.points),
                right=tuple(range(1, len(header))),
                font_size=7,
            )
        )
    document.build(story)
    return buffer.getvalue()


def export_summary_pdf(
    session: Session,
    actor: Actor,
    path: Path | str,
    *,
    as_of: dt.date,
    period: tuple[dt.date, dt.date] | None = None,
    font_setting: str = "",
) -> ExportResult:
    """Build the report, write the PDF and record the export."""
    report = summary_report(session, actor, as_of, period=period)
    data = render_summary_pdf(report, font=choose_font(font_setting))
    path = Path(path)
    write_file_atomically(path, data)
    record_export(
        session, actor, "summary", path, format="pdf", as_of=as_of, rows=len(report.summary.rows)
    )
    return ExportResult(str(path), "pdf", len(report.summary.rows))


# --- the call list ---------------------------------------------------------------------------

CALL_LIST_HEADER = (
    "序号",
    "姓名",
    "性别",
    "年龄",
    "联系电话",
    "村",
    "户号",
    "关系",
    "住址",
    "重点人群",
    "情况",
    "签约至",
    "责任医生",
    "最近联系",
    "本次联系结果",
)
# The key populations get the width to keep "65岁及以上老年人、高血压" on one line; the last
# contact (result, date, who, next date) wraps onto two lines; the last column is for the
# result of this call, written by hand.
CALL_LIST_WIDTHS_MM = (9, 16, 8, 8, 23, 13, 15, 11, 24, 38, 14, 18, 14, 38, 24)
CALL_ROW_PADDING = 5.5  # points above and below a row's text: about 7 mm a row


def render_call_list_pdf(listing: CallList, *, font: FontChoice | None = None) -> bytes:
    """The call list on A4 landscape pages, the header row repeated on each."""
    font = font or choose_font()
    styles = _Styles(font.name)
    pagesize = landscape(A4)
    width = pagesize[0] - 2 * MARGIN
    buffer = io.BytesIO()
    document, frame = _document(
        buffer, pagesize, font, top=12 * mm, bottom=15 * mm, title=listing.title
    )

    def footer(canvas: Canvas, doc: BaseDocTemplate) -> None:
        canvas.saveState()
        canvas.setFont(font.name, 7.5)
        canvas.setFillColor(colors.HexColor("#666666"))
        canvas.drawString(MARGIN, 8 * mm, listing.title)
        canvas.drawRightString(pagesize[0] - MARGIN, 8 * mm, f"第 {doc.page} 页")
        canvas.restoreState()

    document.addPageTemplates([PageTemplate("page", [frame], onPage=footer)])
    scale = width / (sum(CALL_LIST_WIDTHS_MM) * mm)
    widths = [w * mm * scale for w in CALL_LIST_WIDTHS_MM]
    rows = []
    for row in listing.rows:
        values = list(row)
        values[11] = values[11].isoformat() if isinstance(values[11], dt.date) else ""
        values[0], values[3] = str(values[0]), str(values[3])
        rows.append(values)
    story: list[Any] = [
        Paragraph(escape(listing.title), styles.title),
        Paragraph(escape(listing.subtitle), styles.subtitle),
        Spacer(1, 3 * mm),
    ]
    if rows:
        table = _table(styles, CALL_LIST_HEADER, rows, widths, right=(0, 3), font_size=8)
        # Room to write the result of each call by hand.
        table.setStyle(
            TableStyle(
                [
                    ("ROWBACKGROUNDS", (0, 1), (-1, -1), [None, "#f7f7f7"]),
                    ("TOPPADDING", (0, 1), (-1, -1), CALL_ROW_PADDING),
                    ("BOTTOMPADDING", (0, 1), (-1, -1), CALL_ROW_PADDING),
                ]
            )
        )
        story.append(table)
    else:
        story.append(Paragraph("没有需要联系的居民。", styles.cell))
    document.build(story)
    return buffer.getvalue()


def call_list_pdf(
    session: Session,
    actor: Actor,
    filters: OutreachFilter,
    *,
    unmasked: bool = False,
    font_setting: str = "",
) -> tuple[CallList, bytes]:
    """The call list and its PDF (the caller records the print or the save)."""
    listing = call_list(session, actor, filters, unmasked=unmasked)
    return listing, render_call_list_pdf(listing, font=choose_font(font_setting))


def export_call_list_pdf(
    session: Session,
    actor: Actor,
    filters: OutreachFilter,
    path: Path | str,
    *,
    unmasked: bool = False,
    font_setting: str = "",
) -> ExportResult:
    """Write the call list PDF and record the export (``familydoc export outreach -o X.pdf``)."""
    listing, data = call_list_pdf(
        session, actor, filters, unmasked=unmasked, font_setting=font_setting
    )
    path = Path(path)
    write_file_atomically(path, data)
    record_outreach_export(session, actor, filters, path, "pdf", len(listing.rows), unmasked)
    return ExportResult(str(path), "pdf", len(listing.rows), unmasked)
