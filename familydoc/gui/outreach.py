"""The outreach list: whom to call in a village or a key population.

Its residents living here who are not signed, and those whose contract ends within
30 days, with phone (masked unless the role may see it and asks), household and
address, ready to print as a call list (a PDF with a column for the result of each
call) or to export as CSV or Excel. Printing and exporting are recorded in the audit
log; the full phone numbers go on paper only for roles allowed to export them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPoint, QSize
from PySide6.QtGui import QColor, QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from familydoc.core.auth import Actor, Permission
from familydoc.core.call_list import export_outreach, record_outreach_export
from familydoc.core.exports import ExportResult
from familydoc.core.statistics import (
    ANY_KEY,
    OUTREACH_COLUMNS,
    OUTREACH_STATES,
    POPULATION_CODES,
    OutreachFilter,
    outreach_query,
)
from familydoc.core.vocabulary import CONTACT_RESULT_LABELS
from familydoc.gui import labels
from familydoc.gui.contact_dialog import ContactDialog, contact_summary, term
from familydoc.gui.errors import show_error
from familydoc.gui.runner import OperationRunner
from familydoc.gui.table_model import Column, PagedTableModel

ENDING_COLOUR = QColor("#fff3cd")
VILLAGE_COLUMN = 4
ADDRESS_COLUMN = 7
COLUMN = {name: index for index, name in enumerate(OUTREACH_COLUMNS)}
# The address (stretched) takes the width left over: no scrolling sideways at 1366 wide.
COLUMN_WIDTHS = (64, 36, 36, 96, 64, 72, 64, 120, 170, 64, 84, 64, 190, 84)
MAX_RENDER_DPI = 300


class OutreachDialog(QDialog):
    def __init__(
        self,
        runner: OperationRunner,
        actor: Actor,
        *,
        as_of: dt.date,
        village_code: str | None = None,
        village_name: str | None = None,
        population: str | None = None,
        font_setting: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.runner = runner
        self.actor = actor
        self.as_of = as_of
        self.village_code = village_code
        self.village_name = village_name
        self.font_setting = font_setting
        self.last_export: ExportResult | None = None
        self.preview: CallListPreview | None = None
        self.opened: QDialog | None = None  # the last dialog opened from a row
        self.setObjectName("outreachDialog")
        self.resize(1320, 640)
        self._build_filters(population)
        self._build_table(village_code)
        self._build_buttons()
        self._lay_out()
        self.model.countChanged.connect(self._show_count)
        for box in (self.unsigned, self.ending, self.full_phones):
            box.toggled.connect(self.reload)
        self.population.currentIndexChanged.connect(self.reload)
        self.contact_filter.currentIndexChanged.connect(self.reload)
        self.open_button.clicked.connect(lambda: self._with_selected(self.open_resident))
        self.sign_button.clicked.connect(lambda: self._with_selected(self.start_signing))
        self.contact_button.clicked.connect(lambda: self._with_selected(self.record_contact))
        self.print_button.clicked.connect(self.print_list)
        self.export_button.clicked.connect(self.export)
        self._update_title()
        self.loaded = False
        self.model.refresh()

    def _build_filters(self, population: str | None) -> None:
        self.population = QComboBox()
        self.population.setObjectName("outreachPopulation")
        self.population.addItem(self.tr("All residents"), None)
        for code in (ANY_KEY, *[c for c in POPULATION_CODES if c != ANY_KEY]):
            self.population.addItem(labels.population(code), code)
        if population:
            self.population.setCurrentIndex(max(0, self.population.findData(population)))
        self.unsigned = QCheckBox(self.tr("Not signed"))
        self.unsigned.setObjectName("outreachUnsigned")
        self.ending = QCheckBox(self.tr("Coverage ends within 30 days"))
        self.ending.setObjectName("outreachEnding")
        self.unsigned.setChecked(True)
        self.ending.setChecked(True)
        self.full_phones = QCheckBox(self.tr("Show full phone numbers"))
        self.full_phones.setObjectName("outreachFullPhones")
        self.full_phones.setVisible(self.actor.can(Permission.VIEW_UNMASKED))
        self.count_label = QLabel()
        self.count_label.setObjectName("outreachCount")

        self.contact_filter = QComboBox()
        self.contact_filter.setObjectName("outreachContactFilter")
        for text, code in (
            (self.tr("Any contact result"), None),
            (self.tr("Not contacted yet"), "never"),
            (term(CONTACT_RESULT_LABELS, "agreed"), "agreed"),
            (term(CONTACT_RESULT_LABELS, "declined"), "declined"),
            (term(CONTACT_RESULT_LABELS, "unreachable"), "unreachable"),
            (self.tr("Next contact date reached"), "due"),
        ):
            self.contact_filter.addItem(text, code)

    def _build_table(self, village_code: str | None) -> None:
        columns = [
            Column(self.tr("Name"), "name"),
            Column(self.tr("Sex"), "sex", labels.sex),
            Column(self.tr("Age"), "age", align_right=True),
            Column(self.tr("Phone"), "phone"),
            Column(self.tr("Village"), "village"),
            Column(self.tr("Household"), "household"),
            Column(self.tr("Relation"), "relation"),
            Column(self.tr("Address"), "address"),
            Column(self.tr("Key populations"), "populations"),
            Column(self.tr("Situation"), "state", self._state_text),
            Column(self.tr("Signed until"), "contract_end", labels.date),
            Column(self.tr("Responsible doctor"), "doctor"),
            Column(self.tr("Last contact"), "contact_result", row_format=self._last_contact),
            Column(self.tr("Next contact"), "next_contact_on", labels.date),
        ]
        self.model = PagedTableModel(
            self.runner, self._query, columns, row_background=self._background, parent=self
        )
        self.view = QTableView()
        self.view.setObjectName("outreachView")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().setDefaultSectionSize(24)
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        # The address takes the width left over, so the dialog needs no horizontal scrolling.
        header = self.view.horizontalHeader()
        header.setStretchLastSection(False)
        for column, width in enumerate(COLUMN_WIDTHS):
            self.view.setColumnWidth(column, width)
        header.setSectionResizeMode(ADDRESS_COLUMN, QHeaderView.ResizeMode.Stretch)
        # A village's own list need not repeat the village on every row (it is in the title).
        self.view.setColumnHidden(VILLAGE_COLUMN, bool(village_code))

    def _build_buttons(self) -> None:
        self.view.activated.connect(lambda index: self.open_resident(index.row()))
        self.view.setToolTip(self.tr("Enter or double-click: open the resident"))
        self.open_button = QPushButton(self.tr("Open resident…"))
        self.open_button.setObjectName("outreachOpen")
        self.sign_button = QPushButton(self.tr("Sign / renew…"))
        self.sign_button.setObjectName("outreachSign")
        self.sign_button.setEnabled(self.actor.can(Permission.SIGN_CONTRACT))
        self.contact_button = QPushButton(self.tr("Record contact…"))
        self.contact_button.setObjectName("outreachContact")
        self.contact_button.setEnabled(self.actor.can(Permission.RECORD_CONTACT))
        self.print_button = QPushButton(self.tr("Print call list…"))
        self.print_button.setObjectName("outreachPrint")
        self.export_button = QPushButton(self.tr("Export…"))
        self.export_button.setObjectName("outreachExport")
        can_export = self.actor.can(Permission.EXPORT_LISTS)
        self.print_button.setEnabled(can_export)
        self.export_button.setEnabled(can_export)
        self.close_button = QPushButton(self.tr("Close"))
        self.close_button.clicked.connect(self.close)

    def _lay_out(self) -> None:
        filters = QHBoxLayout()
        filters.addWidget(QLabel(self.tr("Population")))
        filters.addWidget(self.population)
        filters.addWidget(self.unsigned)
        filters.addWidget(self.ending)
        filters.addWidget(self.contact_filter)
        filters.addStretch(1)
        filters.addWidget(self.full_phones)
        buttons = QHBoxLayout()
        buttons.addWidget(self.count_label, 1)
        for button in (self.open_button, self.sign_button, self.contact_button):
            buttons.addWidget(button)
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)

    # --- the list ----------------------------------------------------------------------------

    def filters(self) -> OutreachFilter:
        states = tuple(
            state
            for state, box in zip(OUTREACH_STATES, (self.unsigned, self.ending), strict=True)
            if box.isChecked()
        )
        return OutreachFilter(
            as_of=self.as_of,
            village_code=self.village_code,
            population=self.population.currentData(),
            states=states,
            contact=self.contact_filter.currentData(),
        )

    @property
    def unmasked(self) -> bool:
        return self.full_phones.isChecked() and self.actor.can(Permission.VIEW_UNMASKED)

    def _query(self, _session: Session) -> Any:
        return outreach_query(self.actor, self.filters(), unmasked=self.unmasked)

    def reload(self) -> None:
        self._update_title()
        self.model.refresh()

    def _update_title(self) -> None:
        where = self.village_name or self.tr("All villages")
        who = self.population.currentText()
        self.setWindowTitle(
            self.tr("Residents to call — {where}, {who}, as of {date}").format(
                where=where, who=who, date=self.as_of.isoformat()
            )
        )

    def _state_text(self, code: str | None) -> str:
        return {
            "unsigned": self.tr("Not signed"),
            "ending": self.tr("Ends soon"),
        }.get(code or "", code or "")

    @staticmethod
    def _last_contact(row: tuple[Any, ...]) -> str:
        """Result, date and who of the last contact."""
        result = row[COLUMN["contact_result"]]
        if not result:
            return ""
        parts = [
            contact_summary(result, row[COLUMN["contact_reason"]], row[COLUMN["contact_note"]]),
            labels.date(row[COLUMN["contacted_on"]]),
            row[COLUMN["contacted_by"]] or "",
        ]
        return " ".join(part for part in parts if part)

    # --- working from a row ------------------------------------------------------------------

    def _with_selected(self, action: Callable[[int], object]) -> None:
        rows = self.view.selectionModel().selectedRows()
        row = rows[0].row() if rows else self.view.currentIndex().row()
        if row >= 0:
            action(row)

    def open_resident(self, row: int) -> QDialog | None:
        from familydoc.gui.residents import ResidentDialog

        resident_id = self.model.value(row, "id")
        if resident_id is None:
            return None
        dialog = ResidentDialog(self.runner, self.actor, resident_id, parent=self)
        dialog.saved.connect(lambda _detail: self.model.refresh())
        dialog.open()
        self.opened = dialog
        return dialog

    def start_signing(self, row: int) -> QDialog | None:
        """Sign an unsigned resident, or renew one whose coverage ends soon."""
        from familydoc.gui.sign_dialog import SignDialog

        resident_id = self.model.value(row, "id")
        if resident_id is None or not self.actor.can(Permission.SIGN_CONTRACT):
            return None
        mode = "renew" if self.model.value(row, "state") == "ending" else "sign"
        dialog = SignDialog(self.runner, self.actor, resident_id, mode=mode, parent=self)
        dialog.signed.connect(lambda _contract: self.model.refresh())
        dialog.open()
        self.opened = dialog
        return dialog

    def record_contact(self, row: int) -> QDialog | None:
        resident_id = self.model.value(row, "id")
        if resident_id is None or not self.actor.can(Permission.RECORD_CONTACT):
            return None
        dialog = ContactDialog(
            self.runner, self.actor, resident_id, self.model.value(row, "name"), self
        )
        dialog.saved.connect(lambda _record: self.model.refresh())
        dialog.open()
        self.opened = dialog
        return dialog

    @staticmethod
    def _background(row: tuple[Any, ...]) -> QColor | None:
        return ENDING_COLOUR if row[COLUMN["state"]] == "ending" else None

    def _show_count(self, count: int) -> None:
        self.count_label.setText(
            self.tr("{count} residents; those whose contract ends soon are highlighted").format(
                count=count
            )
        )
        self.loaded = True

    # --- export and print ------------------------------------------------------------------------

    @property
    def unmasked_output(self) -> bool:
        """Full phone numbers on paper and in files only for roles allowed to export them."""
        return self.unmasked and self.actor.can(Permission.EXPORT_UNMASKED)

    def _file_stem(self) -> str:
        where = self.village_name or "全部"
        return f"随访名单-{where}-{self.as_of:%Y%m%d}"

    def ask_save_path(self) -> str:
        """The save dialog; empty when cancelled (replaced in tests)."""
        path, chosen = QFileDialog.getSaveFileName(
            self,
            self.tr("Export the call list"),
            str(Path.home() / f"{self._file_stem()}.xlsx"),
            self.tr("Excel workbook (*.xlsx);;CSV file (*.csv)"),
        )
        if path and not path.lower().endswith((".xlsx", ".csv")):
            path += ".csv" if "csv" in chosen.lower() else ".xlsx"
        return path

    def export(self) -> None:
        path = self.ask_save_path()
        if not path:
            return
        actor, filters, unmasked = self.actor, self.filters(), self.unmasked_output

        def task(session: Session) -> ExportResult:
            return export_outreach(session, actor, filters, path, unmasked=unmasked)

        self.runner.run(task, write=True, on_success=self._exported, on_failure=self._failed)

    def _exported(self, result: ExportResult) -> None:
        self.last_export = result
        self.count_label.setText(
            self.tr("{rows} residents saved to {path}.").format(rows=result.rows, path=result.path)
        )

    def print_list(self) -> None:
        actor, filters = self.actor, self.filters()
        unmasked, font_setting = self.unmasked_output, self.font_setting

        def task(session: Session) -> tuple[Any, bytes]:
            from familydoc.printing.summary_pdf import call_list_pdf

            return call_list_pdf(
                session, actor, filters, unmasked=unmasked, font_setting=font_setting
            )

        self.print_button.setEnabled(False)
        self.runner.run(task, on_success=self._show_preview, on_failure=self._failed)

    def _show_preview(self, result: tuple[Any, bytes]) -> None:
        self.print_button.setEnabled(True)
        listing, data = result
        self.preview = CallListPreview(
            self.runner, self.actor, listing.title, data, self.filters(), listing.unmasked,
            len(listing.rows), self,
        )  # fmt: skip
        self.preview.open()

    def _failed(self, error: BaseException, details: str) -> None:
        self.print_button.setEnabled(self.actor.can(Permission.EXPORT_LISTS))
        show_error(self, error, details)


class CallListPreview(QDialog):
    """The call list as it will be printed, with print and save as PDF (both recorded)."""

    def __init__(
        self,
        runner: OperationRunner,
        actor: Actor,
        title: str,
        data: bytes,
        filters: OutreachFilter,
        unmasked: bool,
        rows: int,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.runner, self.actor, self.filters = runner, actor, filters
        self.unmasked, self.rows, self.data = unmasked, rows, data
        self.recorded: list[str] = []
        self.setWindowTitle(title)
        self.setObjectName("callListPreview")
        self.resize(1000, 680)
        self._bytes = QByteArray(data)
        self._buffer = QBuffer(self._bytes, self)
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document = QPdfDocument(self)
        self.document.load(self._buffer)
        self.view = QPdfView(self)
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.print_button = QPushButton(self.tr("Print…"))
        self.save_button = QPushButton(self.tr("Save as PDF…"))
        close = QPushButton(self.tr("Close"))
        self.print_button.clicked.connect(self.print_document)
        self.save_button.clicked.connect(self.save_pdf)
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.save_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)

    def ask_printer(self) -> QPrinter | None:
        """The system printer dialog; None when cancelled (replaced in tests)."""
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        printer.setPageOrientation(QPageLayout.Orientation.Landscape)
        printer.setDocName(self.windowTitle())
        dialog = QPrintDialog(printer, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return printer

    def print_document(self) -> None:
        printer = self.ask_printer()
        if printer is None:
            return
        if not self.print_to(printer):
            QMessageBox.warning(
                self, self.windowTitle(), self.tr("The printer could not be started.")
            )
            return
        self.record("print")

    def print_to(self, printer: QPrinter) -> bool:
        """Draw each page as an image at the printer's resolution (at most 300 dpi)."""
        printer.setFullPage(True)
        painter = QPainter()
        if not painter.begin(printer):
            return False
        try:
            dpi = min(printer.resolution(), MAX_RENDER_DPI)
            scale = printer.resolution() / dpi
            for page in range(self.document.pageCount()):
                if page:
                    printer.newPage()
                points = self.document.pagePointSize(page)
                image = self.document.render(
                    page,
                    QSize(round(points.width() * dpi / 72), round(points.height() * dpi / 72)),
                )
                painter.save()
                painter.scale(scale, scale)
                painter.drawImage(QPoint(0, 0), image)
                painter.restore()
        finally:
            painter.end()
        return True

    def ask_save_path(self) -> str:
        """The save dialog; empty when cancelled (replaced in tests)."""
        path, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Save the call list"),
            str(Path.home() / f"{self.windowTitle()}.pdf"),
            self.tr("PDF file (*.pdf)"),
        )
        if path and not path.lower().endswith(".pdf"):
            path += ".pdf"
        return path

    def save_pdf(self) -> None:
        path = self.ask_save_path()
        if not path:
            return
        try:
            Path(path).write_bytes(self.data)
        except OSError as exc:
            QMessageBox.warning(self, self.windowTitle(), str(exc))
            return
        self.record("pdf", path)

    def record(self, target: str, path: str = "") -> None:
        actor, filters, unmasked, rows = self.actor, self.filters, self.unmasked, self.rows
        name = path or f"{self.windowTitle()}.print"

        def task(session: Session) -> str:
            record_outreach_export(session, actor, filters, name, target, rows, unmasked)
            return target

        self.runner.run(task, write=True, on_success=self.recorded.append)
