"""The printed family doctor contract (家庭医生签约服务协议书): A4 PDF with ReportLab platypus.

``render_contracts(documents, copies)`` lays out one or many contracts into one PDF;
with two copies each contract is printed twice, labelled 居民留存 (kept by the resident)
and 机构留存 (kept by the institution). Each copy starts on a new page and numbers its
own pages (第 x 页 / 共 y 页). The wording comes from the editable template
(``familydoc.printing.template``), the font from ``familydoc.printing.fonts`` (an embedded
TrueType subset when the machine has one). ReportLab's invariant mode makes the bytes
depend only on the content: a reprint of the same contract is byte-identical.

The QR code in the top right corner carries ``familydoc.printing.qr.qr_payload(number)``.
"""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.graphics.barcode import qrencoder
from reportlab.graphics.barcode.qr import QrCode
from reportlab.lib import colors
from reportlab.lib import textsplit as _rl_textsplit
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus import paragraph as _rl_paragraph

from familydoc.core.contract_document import ContractDocument
from familydoc.printing.fonts import FontChoice, choose_font
from familydoc.printing.qr import qr_payload
from familydoc.printing.template import ContractTemplate, fill, load_template

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X = 18 * mm
MARGIN_TOP = 16 * mm
MARGIN_BOTTOM = 18 * mm
BODY_WIDTH = PAGE_WIDTH - 2 * MARGIN_X
QR_SIZE = 24 * mm
GRID = colors.HexColor("#7f7f7f")
LABEL_BACKGROUND = colors.HexColor("#f0f0f0")
CHINESE_DIGITS = "零一二三四五六七八九"

ProgressCallback = Callable[[int, int], None]

# ReportLab's CJK line breaking keeps Japanese closing punctuation off the start of a line
# but not the Chinese full-width comma, semicolon, colon, ! and ?: add them (they then hang
# in the right margin like 。 does).
_CHINESE_CANNOT_START = "，；：！？、。）》」』】〕…—"
_rl_textsplit.ALL_CANNOT_START = _rl_paragraph.ALL_CANNOT_START = "".join(
    dict.fromkeys(_rl_textsplit.ALL_CANNOT_START + _CHINESE_CANNOT_START)
)
# Streams are Flate-compressed binary; ReportLab's default ASCII85 wrapping of them makes
# files larger and costs a tenth of the layout time (in pure Python without rl_accel).
rl_config.useA85 = 0


def chinese_date(value: dt.date | None) -> str:
    if value is None:
        return ""
    return f"{value.year}年{value.month}月{value.day}日"


def yuan(fen: int) -> str:
    return f"{fen // 100:,}.{fen % 100:02d}"


def section_number(index: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二 (headings are numbered 一、二、…)."""
    if index < 10:
        return CHINESE_DIGITS[index]
    tens, ones = divmod(index, 10)
    return (
        (CHINESE_DIGITS[tens] if tens > 1 else "") + "十" + (CHINESE_DIGITS[ones] if ones else "")
    )


_RMB_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_RMB_UNITS = ("", "拾", "佰", "仟")
_RMB_GROUPS = ("", "万", "亿")


def rmb_uppercase(fen: int) -> str:
    """An amount in fen as written on Chinese receipts: 12000 → 壹佰贰拾元整."""
    if fen == 0:
        return "零元整"
    yuan_part, rest = divmod(fen, 100)
    jiao, cents = divmod(rest, 10)
    words = ""
    if yuan_part:
        groups: list[str] = []
        group_index = 0
        value = yuan_part
        while value:
            value, group = divmod(value, 10000)
            text = ""
            zero = False
            for position in range(3, -1, -1):
                digit = group // 10**position % 10
                if digit:
                    if zero and text:
                        text += "零"
                    text += _RMB_DIGITS[digit] + _RMB_UNITS[position]
                    zero = False
                else:
                    zero = True
            if text:
                text += _RMB_GROUPS[group_index]
                if groups and group < 1000:
                    text += "零"
            groups.insert(0, text)
            group_index += 1
        words = "".join(groups).rstrip("零") + "元"
    if not jiao and not cents:
        return words + "整"
    if jiao:
        words += _RMB_DIGITS[jiao] + "角"
    elif words:
        words += "零"
    if cents:
        words += _RMB_DIGITS[cents] + "分"
    return words


class _StrongText(Flowable):
    """Text drawn darker (filled and stroked: CJK fonts rarely have a bold face), wrapped by
    character."""

    def __init__(
        self,
        text: str,
        font: str,
        size: float,
        leading: float,
        align: str = "left",
        strong: bool = True,
    ) -> None:
        super().__init__()
        self.strong = strong
        self.text = text
        self.font = font
        self.size = size
        self.leading = leading
        self.align = align
        self.lines: list[str] = []

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.lines = []
        line = ""
        for ch in self.text:
            if line and stringWidth(line + ch, self.font, self.size) > available_width:
                self.lines.append(line)
                line = ""
            line += ch
        self.lines.append(line)
        self.width = available_width
        self.height = self.leading * len(self.lines)
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        canvas.setFont(self.font, self.size)
        canvas.setLineWidth(self.size * 0.035)
        y = self.height - self.size
        for line in self.lines:
            text = canvas.beginText()
            text.setTextRenderMode(2 if self.strong else 0)
            if self.align == "center":
                x = (self.width - stringWidth(line, self.font, self.size)) / 2
            else:
                x = 0
            text.setTextOrigin(x, y)
            text.setFont(self.font, self.size)
            text.textOut(line)
            canvas.drawText(text)
            y -= self.leading
        canvas.restoreState()


class _FixedMaskQRCode(qrencoder.QRCode):
    """A QR code with a fixed mask pattern. Choosing the "best" of the eight masks costs
    ~10 ms a code (a fifth of a contract's layout); every mask gives a valid code."""

    MASK = 2

    def make(self) -> None:
        if self.version is None:
            self.version = self.calculate_version()
        self.makeImpl(False, self.MASK)


class _ContractQr(QrCode):
    """ReportLab's QR flowable (drawn straight on the canvas) with the fixed-mask encoder."""

    def __init__(self, value: str, **kwargs: Any) -> None:
        super().__init__(value, **kwargs)
        self.qr = _FixedMaskQRCode(
            self.qrVersion, getattr(qrencoder.QRErrorCorrectLevel, self.qrLevel)
        )
        self.qr.addData(value)


class _SealPlace(Flowable):
    """A dashed circle where the institution's seal goes, with its caption inside."""

    def __init__(self, caption: str, font: str, diameter: float = 38 * mm) -> None:
        super().__init__()
        self.caption = caption
        self.font = font
        self.diameter = diameter
        self.width = self.height = diameter

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.diameter, self.diameter

    def draw(self) -> None:
        canvas = self.canv
        radius = self.diameter / 2
        canvas.saveState()
        canvas.setStrokeColor(colors.HexColor("#a0a0a0"))
        canvas.setDash(3, 2)
        canvas.setLineWidth(0.6)
        canvas.circle(radius, radius, radius, stroke=1, fill=0)
        canvas.setFillColor(colors.HexColor("#808080"))
        size = 9
        canvas.setFont(self.font, size)
        # The caption on up to three lines, centred.
        lines, line = [], ""
        for ch in self.caption:
            if line and stringWidth(line + ch, self.font, size) > self.diameter * 0.72:
                lines.append(line)
                line = ""
            line += ch
        lines.append(line)
        y = radius + (len(lines) - 1) * size * 0.65 - size * 0.35
        for text in lines:
            canvas.drawCentredString(radius, y, text)
            y -= size * 1.3
        canvas.restoreState()


class _CopyStart(Flowable):
    """Zero-size mark at the start of one printed copy: tells the canvas which copy its
    pages belong to (for the footer) and reports progress."""

    def __init__(self, key: tuple[int, int], number: str, label: str, report: Any) -> None:
        super().__init__()
        self.key = key
        self.number = number
        self.label = label
        self.report = report
        self.width = self.height = 0

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.canv._familydoc_copy = (self.key, self.number, self.label)  # type: ignore[attr-defined]
        if self.report is not None:
            self.report()


def _canvas_maker(font: str, template: ContractTemplate) -> type[Canvas]:
    footer_text = template.text("document", "page_footer")
    title = template.text("document", "title")

    class ContractCanvas(Canvas):
        """Keeps the pages until the end, then numbers them per copy (第 x 页 / 共 y 页)."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._familydoc_copy: tuple[tuple[int, int], str, str] | None = None
            self._familydoc_pages: list[tuple[dict[str, Any], Any]] = []

        def showPage(self) -> None:
            self._familydoc_pages.append((dict(self.__dict__), self._familydoc_copy))
            self._startPage()

        def save(self) -> None:
            totals = Counter(copy[0] for _, copy in self._familydoc_pages if copy)
            seen: Counter[tuple[int, int]] = Counter()
            for state, copy in self._familydoc_pages:
                self.__dict__.update(state)
                if copy is not None:
                    key, number, label = copy
                    seen[key] += 1
                    self._decorate(number, label, seen[key], totals[key])
                Canvas.showPage(self)
            Canvas.save(self)

        def _decorate(self, number: str, label: str, page: int, pages: int) -> None:
            self.saveState()
            self.setFont(font, 8.5)
            self.setFillColor(colors.HexColor("#404040"))
            y = MARGIN_BOTTOM - 9 * mm
            self.drawCentredString(
                PAGE_WIDTH / 2,
                y,
                fill(
                    footer_text,
                    _Values(contract_number=number, page=str(page), pages=str(pages)),
                ),
            )
            if label:
                self.setFont(font, 10)
                self.drawRightString(PAGE_WIDTH - MARGIN_X, y, label)
            self.setStrokeColor(colors.HexColor("#b0b0b0"))
            self.setLineWidth(0.4)
            self.line(MARGIN_X, y + 4 * mm, PAGE_WIDTH - MARGIN_X, y + 4 * mm)
            if page > 1:  # later pages say whose contract they continue
                self.setFont(font, 8.5)
                top = PAGE_HEIGHT - MARGIN_TOP + 5 * mm
                self.drawString(MARGIN_X, top, title)
                self.drawRightString(PAGE_WIDTH - MARGIN_X, top, number)
                self.line(MARGIN_X, top - 2 * mm, PAGE_WIDTH - MARGIN_X, top - 2 * mm)
            self.restoreState()

    return ContractCanvas


class _Values(dict):  # type: ignore[type-arg]
    """Placeholder values; a placeholder of another entry's set stays as written."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


class _Styles:
    def __init__(self, font: str) -> None:
        self.font = font
        self.body = ParagraphStyle(
            "body", fontName=font, fontSize=10.5, leading=16, wordWrap="CJK", alignment=TA_LEFT
        )
        self.indented = ParagraphStyle("indented", parent=self.body, firstLineIndent=21)
        self.clause = ParagraphStyle(
            "clause", parent=self.body, leftIndent=21, firstLineIndent=-15, leading=16.5
        )
        self.cell = ParagraphStyle("cell", fontName=font, fontSize=9.5, leading=13, wordWrap="CJK")
        self.cell_label = ParagraphStyle("cell_label", parent=self.cell)
        self.items = ParagraphStyle("items", parent=self.cell, fontSize=9, leading=12.5)
        self.cell_right = ParagraphStyle("cell_right", parent=self.cell, alignment=TA_RIGHT)
        self.cell_center = ParagraphStyle("cell_center", parent=self.cell, alignment=TA_CENTER)
        self.small = ParagraphStyle("small", fontName=font, fontSize=8, leading=10, wordWrap="CJK")
        self.small_center = ParagraphStyle("small_center", parent=self.small, alignment=TA_CENTER)
        self.copy_label = ParagraphStyle(
            "copy_label", fontName=font, fontSize=11, leading=14, alignment=TA_LEFT
        )
        self.number = ParagraphStyle("number", parent=self.body, fontSize=10)
        self.number_right = ParagraphStyle("number_right", parent=self.number, alignment=TA_RIGHT)
        self.signature = ParagraphStyle("signature", parent=self.body, leading=20)


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text), style)


class ContractLayout:
    """Builds the flowables of one contract copy."""

    def __init__(self, template: ContractTemplate, font: FontChoice) -> None:
        self.template = template
        self.font = font.name
        self.styles = _Styles(font.name)
        self.labels = template.labels("labels")
        self.roles = template.labels("roles")

    # --- helpers ------------------------------------------------------------------------

    def table_style(self, commands: list[tuple[Any, ...]]) -> TableStyle:
        """``commands`` after the document font (a Table's default cell font is Helvetica,
        which would put an unembedded font into the PDF)."""
        cell = self.styles.cell
        return TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), self.font),
                ("FONTSIZE", (0, 0), (-1, -1), cell.fontSize),
                ("LEADING", (0, 0), (-1, -1), cell.leading),
                *commands,
            ]
        )

    def cells(
        self, rows: list[list[Any]], widths: Sequence[float]
    ) -> tuple[list[list[Any]], list[tuple[Any, ...]]]:
        """Rows of ``(text, style)`` cells made drawable: a plain string when the text fits
        on one line (a Table draws those ~10x faster than a Paragraph), else a wrapping
        Paragraph. Returns the rows and the ALIGN commands of the plain cells."""
        padding = 12  # the Table's default left + right padding
        out: list[list[Any]] = []
        commands: list[tuple[Any, ...]] = []
        names = {TA_LEFT: "LEFT", TA_CENTER: "CENTER", TA_RIGHT: "RIGHT"}
        for r, row in enumerate(rows):
            line: list[Any] = []
            for c, cell in enumerate(row):
                if not isinstance(cell, tuple):
                    line.append(cell)
                    continue
                text, style = cell
                width = widths[c] - padding
                if (
                    "\n" not in text
                    and style.fontSize == self.styles.cell.fontSize
                    and stringWidth(text, self.font, style.fontSize) <= width
                ):
                    line.append(text)
                    if style.alignment != TA_LEFT:
                        commands.append(("ALIGN", (c, r), (c, r), names[style.alignment]))
                else:
                    line.append(_p(text, style))
            out.append(line)
        return out, commands

    def values(self, doc: ContractDocument) -> _Values:
        resident_party, institution_party = self.template.party_labels()
        return _Values(
            resident_party=resident_party,
            institution_party=institution_party,
            resident_name=doc.resident.name,
            contract_number=doc.number,
            signed_on=chinese_date(doc.signed_on),
            start_date=chinese_date(doc.start_date),
            end_date=chinese_date(doc.end_date),
            institution_name=doc.institution.name,
            institution_phone=doc.institution.phone or "—",
            institution_address=doc.institution.address,
            supervision_phone=doc.institution.supervision_phone or doc.institution.phone or "—",
            team_name=doc.team.name,
            team_leader=doc.team.leader,
            doctor_name=doc.doctor.name,
            doctor_title=doc.doctor.title,
            doctor_phone=doc.doctor.phone,
        )

    def heading(self, text: str) -> _StrongText:
        return _StrongText(text, self.font, 12, 20)

    def grid(self, rows: list[list[Any]], spans: Sequence[tuple[int, int, int, int]] = ()) -> Table:
        """A bordered form: label, value, label, value per row."""
        widths = [33 * mm, 55 * mm, 33 * mm, BODY_WIDTH - 121 * mm]
        s = self.styles
        cells, style = self.cells(
            [
                [
                    (cell, s.cell_label if column % 2 == 0 else s.cell)
                    if isinstance(cell, str)
                    else cell
                    for column, cell in enumerate(row)
                ]
                for row in rows
            ],
            widths,
        )
        style += [
            ("GRID", (0, 0), (-1, -1), 0.5, GRID),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("BACKGROUND", (0, 0), (0, -1), LABEL_BACKGROUND),
            ("BACKGROUND", (2, 0), (2, -1), LABEL_BACKGROUND),
            ("TOPPADDING", (0, 0), (-1, -1), 2.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ]
        for first_col, row, last_col, _ in spans:
            style.append(("SPAN", (first_col, row), (last_col, row)))
            style.append(("BACKGROUND", (first_col, row), (last_col, row), colors.white))
        table = Table(cells, colWidths=widths)
        table.setStyle(self.table_style(style))
        return table

    # --- parts --------------------------------------------------------------------------

    def header(self, doc: ContractDocument, copy_label: str) -> list[Flowable]:
        s = self.styles
        # Drawn straight on the canvas (a graphics Drawing would reference Helvetica).
        drawing = _ContractQr(qr_payload(doc.number), width=QR_SIZE, height=QR_SIZE, qrLevel="M")
        title = _StrongText(self.template.text("document", "title"), self.font, 19, 26, "center")
        side = 32 * mm
        table = Table(
            [[_p(copy_label, s.copy_label) if copy_label else "", title, drawing]],
            colWidths=[side, BODY_WIDTH - 2 * side, side],
        )
        table.setStyle(
            self.table_style(
                [
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                    ("ALIGN", (2, 0), (2, 0), "RIGHT"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                    ("TOPPADDING", (0, 0), (-1, -1), 0),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                ]
            )
        )
        number_label = self.template.text("document", "number_label")
        right_text = f"{self.labels['signed_on']}：{chinese_date(doc.signed_on)}"
        if doc.terminated_on:
            right_text += f"　{self.labels['terminated_on']}：{chinese_date(doc.terminated_on)}"
        numbers = Table(
            [[_p(number_label + doc.number, s.number), _p(right_text, s.number_right)]],
            colWidths=[BODY_WIDTH / 2, BODY_WIDTH / 2],
        )
        numbers.setStyle(
            self.table_style(
                [
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                ]
            )
        )
        return [table, Spacer(1, 2 * mm), numbers, Spacer(1, 1 * mm)]

    def resident_block(self, doc: ContractDocument, party: str) -> list[Flowable]:
        lab = self.labels
        person = doc.resident
        sex = lab["male"] if person.sex == "M" else lab["female"] if person.sex == "F" else ""
        rows: list[list[Any]] = [
            [lab["name"], person.name, lab["sex"], sex],
            [
                lab["birth_date"],
                chinese_date(person.birth_date),
                lab["id_number"],
                person.id_number,
            ],
            [lab["phone"], person.phone, lab["health_record_no"], person.health_record_no],
            [lab["village"], person.village, lab["address"], person.address],
        ]
        if doc.guardian is not None:
            rows += [
                [
                    lab["guardian_name"],
                    doc.guardian.name,
                    lab["guardian_relation"],
                    doc.guardian.relation,
                ],
                [
                    lab["guardian_id_number"],
                    doc.guardian.id_number,
                    lab["guardian_phone"],
                    doc.guardian.phone,
                ],
            ]
        method = self.template.labels("signing_methods").get(doc.signing_method, doc.signing_method)
        spans = []
        if doc.previous_number:
            rows.append(
                [lab["signing_method"], method, lab["previous_contract"], doc.previous_number]
            )
        else:
            rows.append([lab["signing_method"], method, "", ""])
            spans.append((1, len(rows) - 1, 3, len(rows) - 1))
        title = self.template.text("parties", "resident_title")
        return [self.heading(f"{party}（{title}）"), self.grid(rows, spans), Spacer(1, 3 * mm)]

    def institution_block(self, doc: ContractDocument, party: str) -> list[Flowable]:
        lab = self.labels
        institution = doc.institution
        doctor = doc.doctor.name + (f"（{doc.doctor.title}）" if doc.doctor.title else "")
        rows: list[list[Any]] = [
            [
                lab["institution_name"],
                institution.name,
                lab["institution_phone"],
                institution.phone,
            ],
            [lab["institution_address"], institution.address, "", ""],
            [lab["team_name"], doc.team.name, lab["team_leader"], doc.team.leader],
            [lab["doctor_name"], doctor, lab["doctor_phone"], doc.doctor.phone],
            [
                lab["supervision_phone"],
                institution.supervision_phone,
                "",
                "",
            ],
        ]
        table = self.grid(rows, spans=[(1, 1, 3, 1), (1, 4, 3, 4)])
        title = self.template.text("parties", "institution_title")
        return [self.heading(f"{party}（{title}）"), table, Spacer(1, 3 * mm)]

    def team_table(self, doc: ContractDocument) -> Table:
        lab = self.labels
        s = self.styles
        header = [
            (lab[key], s.cell_center)
            for key in ("member_name", "member_role", "member_title", "member_institution")
        ] + [(lab["member_phone"], s.cell_center)]
        rows: list[list[Any]] = [header]
        for member in doc.team.members:
            name = member.name + (lab["leader_mark"] if member.is_leader else "")
            rows.append(
                [
                    (name, s.cell),
                    (self.roles.get(member.role, member.role), s.cell),
                    (member.title, s.cell),
                    (member.institution, s.cell),
                    (member.phone, s.cell),
                ]
            )
        widths = [34 * mm, 30 * mm, 40 * mm, 36 * mm, BODY_WIDTH - 140 * mm]
        cells, aligns = self.cells(rows, widths)
        table = Table(cells, colWidths=widths, repeatRows=1)
        table.setStyle(
            self.table_style(
                [
                    *aligns,
                    ("GRID", (0, 0), (-1, -1), 0.5, GRID),
                    ("BACKGROUND", (0, 0), (-1, 0), LABEL_BACKGROUND),
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                    ("TOPPADDING", (0, 0), (-1, -1), 2.5),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
                ]
            )
        )
        return table

    def package_table(self, doc: ContractDocument) -> Table:
        """Per package a row of fees (with the split) and below it a full-width row of its
        items; then the totals."""
        lab = self.labels
        s = self.styles
        kinds = self.template.labels("package_kinds")
        keys = ("package", "package_kind", "price", "fund_insurance", "fund_public_health")
        header = [(lab[key], s.cell_center) for key in (*keys, "self_pay")]
        rows: list[list[Any]] = [header]
        commands: list[tuple[Any, ...]] = [
            ("GRID", (0, 0), (-1, -1), 0.5, GRID),
            ("BACKGROUND", (0, 0), (-1, 0), LABEL_BACKGROUND),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("TOPPADDING", (0, 0), (-1, -1), 2.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ]
        for package in doc.packages:
            rows.append(
                [
                    (package.name, s.cell),
                    (kinds.get(package.kind, package.kind), s.cell_center),
                    (yuan(package.price_fen), s.cell_right),
                    (yuan(package.fund_insurance_fen), s.cell_right),
                    (yuan(package.fund_public_health_fen), s.cell_right),
                    (yuan(package.self_pay_fen), s.cell_right),
                ]
            )
            items = "；".join(
                f"{index}.{item.name}" + (f"（{item.frequency}）" if item.frequency else "")
                for index, item in enumerate(package.items, start=1)
            )
            rows.append([(f"{lab['package_items']}：{items or '—'}", s.items), "", "", "", "", ""])
            row = len(rows) - 1
            commands.append(("SPAN", (0, row), (-1, row)))
            commands.append(("NOSPLIT", (0, row - 1), (-1, row)))  # fees stay with items
            commands.append(("LEFTPADDING", (0, row), (-1, row), 10))
        rows.append(
            [
                (lab["total"], s.cell_center),
                "",
                (yuan(doc.total_fen), s.cell_right),
                (yuan(doc.total_insurance_fen), s.cell_right),
                (yuan(doc.total_public_health_fen), s.cell_right),
                (yuan(doc.total_self_pay_fen), s.cell_right),
            ]
        )
        last = len(rows) - 1
        commands += [
            ("SPAN", (0, last), (1, last)),
            ("BACKGROUND", (0, last), (-1, last), LABEL_BACKGROUND),
        ]
        money = 25 * mm
        widths = [BODY_WIDTH - 26 * mm - 4 * money, 26 * mm, money, money, money, money]
        cells, aligns = self.cells(rows, widths)
        table = Table(cells, colWidths=widths, repeatRows=1)
        table.setStyle(self.table_style([*aligns, *commands]))
        return table

    def signatures(self, doc: ContractDocument, values: _Values) -> Flowable:
        s = self.styles
        sig = self.template.labels("signatures")
        date = sig["date"]
        blank = "＿" * 8

        def line(text: str) -> _StrongText:
            return _StrongText(text, self.font, 10.5, 22, strong=False)

        left: list[Flowable] = [
            Paragraph(escape(fill(sig["resident"], values)), s.signature),
            line(blank),
            line(date),
        ]
        if doc.guardian is not None:
            left += [
                Spacer(1, 2 * mm),
                Paragraph(escape(fill(sig["guardian"], values)), s.signature),
                line(blank),
                line(date),
            ]
        middle = [
            Paragraph(escape(fill(sig["doctor"], values)), s.signature),
            line(blank),
            line(date),
        ]
        seal = [_SealPlace(fill(sig["seal"], values), self.font), line(date)]
        table = Table(
            [[left, middle, seal]],
            colWidths=[BODY_WIDTH * 0.36, BODY_WIDTH * 0.34, BODY_WIDTH * 0.30],
        )
        table.setStyle(
            self.table_style(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("ALIGN", (2, 0), (2, 0), "CENTER"),
                ]
            )
        )
        return table

    # --- one copy -----------------------------------------------------------------------

    def story(self, doc: ContractDocument, copy_label: str) -> list[Flowable]:
        s = self.styles
        values = self.values(doc)
        resident_party, institution_party = self.template.party_labels()
        sections = self.template.labels("sections")
        flow: list[Flowable] = self.header(doc, copy_label)
        resident = self.resident_block(doc, resident_party)
        institution = self.institution_block(doc, institution_party)
        flow += resident + institution if self.template.resident_first else institution + resident
        flow.append(
            Paragraph(escape(fill(self.template.text("document", "preamble"), values)), s.indented)
        )
        flow.append(Spacer(1, 2 * mm))

        number = 0

        def numbered(title: str) -> _StrongText:
            nonlocal number
            number += 1
            return self.heading(f"{section_number(number)}、{fill(title, values)}")

        flow.append(CondPageBreak(40 * mm))
        flow.append(numbered(sections["team"]))
        flow.append(_p(fill(sections["team_intro"], values), s.indented))
        flow.append(Spacer(1, 1.5 * mm))
        flow.append(self.team_table(doc))
        flow.append(Spacer(1, 3 * mm))

        flow.append(CondPageBreak(35 * mm))
        flow.append(numbered(sections["packages"]))
        flow.append(_p(fill(sections["packages_intro"], values), s.indented))
        flow.append(Spacer(1, 1.5 * mm))
        flow.append(self.package_table(doc))
        total = fill(
            sections["self_pay_total"],
            _Values(
                values,
                self_pay=yuan(doc.total_self_pay_fen),
                self_pay_words=rmb_uppercase(doc.total_self_pay_fen),
            ),
        )
        flow.append(Spacer(1, 1.5 * mm))
        flow.append(_p(total, s.body))
        flow.append(Spacer(1, 3 * mm))

        flow.append(
            KeepTogether(
                [
                    numbered(sections["period"]),
                    _p(fill(sections["period_text"], values), s.indented),
                ]
            )
        )
        flow.append(Spacer(1, 3 * mm))
        for clause in self.template.clauses:
            paragraphs = [
                _p(f"{index}. {fill(text, values)}", s.clause)
                for index, text in enumerate(clause.paragraphs, start=1)
            ]
            flow.append(KeepTogether([numbered(clause.heading), *paragraphs[:2]]))
            flow += paragraphs[2:]
            flow.append(Spacer(1, 3 * mm))
        flow.append(Spacer(1, 4 * mm))
        flow.append(KeepTogether([self.signatures(doc, values)]))
        return flow


def render_contracts(
    documents: Sequence[ContractDocument],
    copies: int = 1,
    *,
    template: ContractTemplate | None = None,
    font: FontChoice | None = None,
    progress: ProgressCallback | None = None,
) -> bytes:
    """One PDF of all ``documents``; ``copies`` 2 prints each twice (居民留存, 机构留存).

    ``progress(done, total)`` is called as each copy is laid out; it may raise to stop
    (e.g. the runner's ``Cancelled``).
    """
    if copies not in (1, 2):
        raise ValueError("copies must be 1 or 2")
    if not documents:
        raise ValueError("no contract to print")
    template = template or load_template()
    font = font or choose_font()
    layout = ContractLayout(template, font)
    labels = (
        [""]
        if copies == 1
        else [
            template.text("document", "copy_resident"),
            template.text("document", "copy_institution"),
        ]
    )
    total = len(documents) * copies
    done = 0

    def report() -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, total)

    story: list[Flowable] = []
    for index, doc in enumerate(documents):
        for copy_index, label in enumerate(labels):
            if story:
                story.append(PageBreak())
            story.append(_CopyStart((index, copy_index), doc.number, label, report))
            story += layout.story(doc, label)

    title = template.text("document", "title")
    buffer = io.BytesIO()
    pdf = BaseDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=f"{title} {documents[0].number}" if len(documents) == 1 else title,
        author=documents[0].institution.name,
        subject=", ".join(d.number for d in documents[:20]),
        creator="familydoc",
        producer="familydoc (ReportLab)",
        invariant=1,
        lang="zh-CN",
        initialFontName=font.name,
        initialFontSize=10.5,
    )
    frame = Frame(
        MARGIN_X,
        MARGIN_BOTTOM,
        BODY_WIDTH,
        PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="body",
    )
    pdf.addPageTemplates([PageTemplate(id="contract", frames=[frame])])
    pdf.build(story, canvasmaker=_canvas_maker(font.name, template))
    return buffer.getvalue()
