"""Previewing and printing contracts: the preview dialog and the village batch.

``ContractPrintDialog(runner, actor, numbers)`` lays the contracts out on the database
worker (with a progress bar for batches), shows the PDF with QtPdf, and prints it through
the system printer dialog or saves it as a PDF; each print or save is recorded
(``record_printed``: the contract's print count and an audit event).

``print_village_new_contracts(runner, actor, parent)`` asks for a village and a date and
opens the preview of that village's contracts signed since then, in one PDF.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QDate, QIODevice, QPoint, QSize, Qt, Signal
from PySide6.QtGui import QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from familydoc.core.auth import Actor
from familydoc.core.config import CONFIG_FILE, Config
from familydoc.core.contract_document import (
    PrintRecord,
    load_contract_documents,
    record_printed,
    village_contract_numbers,
    villages_for_printing,
)
from familydoc.gui.errors import show_error, user_message
from familydoc.gui.runner import Cancelled, Job, JobControl, OperationRunner

MAX_RENDER_DPI = 300  # pages are rendered to images for the printer at most this fine


@dataclass(frozen=True)
class RenderedContracts:
    data: bytes
    numbers: list[str]
    copies: int
    notices: list[Any]  # familydoc.printing.fonts.FontNotice


def _settings(runner: OperationRunner, config: Config | None) -> tuple[str, str]:
    """(printing.font, printing.template): from ``config``, else the config.toml next to
    the database file (the home's layout)."""
    if config is None:
        path = runner.database.path
        candidate = path.parent / CONFIG_FILE if path is not None else None
        if candidate is None or not candidate.exists():
            return "", ""
        config = Config(candidate)
    return str(config.get("printing.font")), str(config.get("printing.template"))


def render_job(
    actor: Actor, numbers: list[str], copies: int, font_setting: str, template_setting: str
) -> Any:
    """The worker's task: read the contracts and lay them out, reporting progress."""

    def task(session: Session, control: JobControl) -> RenderedContracts:
        from familydoc.printing.contract_pdf import render_contracts
        from familydoc.printing.fonts import choose_font, font_notices
        from familydoc.printing.template import load_template

        template = load_template(template_setting)
        font = choose_font(font_setting)
        documents = load_contract_documents(session, actor, numbers)
        control.check_cancelled()

        def progress(done: int, total: int) -> None:
            control.check_cancelled()
            control.progress(done, total)

        data = render_contracts(
            documents, copies=copies, template=template, font=font, progress=progress
        )
        return RenderedContracts(data, [d.number for d in documents], copies, font_notices(font))

    return task


class ContractPrintDialog(QDialog):
    """Preview of one or many contracts, with print and save as PDF."""

    printed = Signal(list)  # the PrintRecords of a print or save

    def __init__(
        self,
        runner: OperationRunner,
        actor: Actor,
        contract_numbers: list[str],
        parent: QWidget | None = None,
        *,
        config: Config | None = None,
    ) -> None:
        super().__init__(parent)
        self.runner = runner
        self.actor = actor
        self.numbers = list(dict.fromkeys(n.strip() for n in contract_numbers if n.strip()))
        self.font_setting, self.template_setting = _settings(runner, config)
        self.result_pdf: RenderedContracts | None = None
        self.job: Job | None = None
        self.last_records: list[PrintRecord] = []
        self._buffer: QBuffer | None = None
        self._bytes = QByteArray()

        if len(self.numbers) == 1:
            self.setWindowTitle(self.tr("Contract {number}").format(number=self.numbers[0]))
        else:
            self.setWindowTitle(self.tr("{count} contracts").format(count=len(self.numbers)))
        self.resize(920, 700)

        self.document = QPdfDocument(self)
        self.view = QPdfView(self)
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)

        self.two_copies = QCheckBox(
            self.tr("Two copies (one for the resident, one for the centre)")
        )
        self.two_copies.toggled.connect(self.prepare_pdf)
        self.print_button = QPushButton(self.tr("Print…"))
        self.print_button.clicked.connect(self.print_document)
        self.save_button = QPushButton(self.tr("Save as PDF…"))
        self.save_button.clicked.connect(self.save_pdf)
        self.close_button = QPushButton(self.tr("Close"))
        self.close_button.clicked.connect(self.reject)

        self.progress = QProgressBar()
        self.progress.setTextVisible(True)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.clicked.connect(self.cancel_rendering)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.font_warning = QLabel()
        self.font_warning.setWordWrap(True)
        self.font_warning.setStyleSheet("color: #8a4b00; background: #fff4e0; padding: 4px;")
        self.font_warning.hide()

        top = QHBoxLayout()
        top.addWidget(self.two_copies)
        top.addStretch(1)
        top.addWidget(self.print_button)
        top.addWidget(self.save_button)
        top.addWidget(self.close_button)
        progress_row = QHBoxLayout()
        progress_row.addWidget(self.progress, 1)
        progress_row.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.font_warning)
        layout.addLayout(progress_row)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.status)
        self.prepare_pdf()

    # --- laying out ---------------------------------------------------------------------

    @property
    def copies(self) -> int:
        return 2 if self.two_copies.isChecked() else 1

    @property
    def ready(self) -> bool:
        return self.result_pdf is not None and self.job is None

    def _set_busy(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        self.cancel_button.setVisible(busy)
        have_pdf = self.result_pdf is not None
        self.two_copies.setEnabled(not busy)
        for widget in (self.print_button, self.save_button):
            widget.setEnabled(not busy and have_pdf)

    def prepare_pdf(self) -> None:
        """Lay the contracts out on the worker (again, e.g. after the copies changed)."""
        if self.job is not None:
            self.job.cancel()
        self.result_pdf = None
        total = len(self.numbers) * self.copies
        self.progress.setRange(0, total)
        self.progress.setValue(0)
        self.progress.setFormat(self.tr("Preparing %v of %m"))
        self.status.setText(self.tr("Preparing the contracts…"))
        self._set_busy(True)
        task = render_job(
            self.actor, self.numbers, self.copies, self.font_setting, self.template_setting
        )
        job = self.runner.run_long(
            task,
            write=False,
            on_success=lambda result: self._rendered(job, result),
            on_failure=lambda error, details: self._failed(job, error, details),
            on_progress=lambda done, total, _text: self._progressed(job, done, total),
        )
        self.job = job

    def cancel_rendering(self) -> None:
        if self.job is not None:
            self.job.cancel()

    def _progressed(self, job: Job, done: int, total: int) -> None:
        if job is self.job:
            self.progress.setRange(0, total)
            self.progress.setValue(done)

    def _rendered(self, job: Job, result: RenderedContracts) -> None:
        if job is not self.job:
            return
        self.job = None
        self.result_pdf = result
        self.progress.setValue(self.progress.maximum())
        self._show_pdf(result.data)
        warnings = [user_message(notice) for notice in result.notices]
        self.font_warning.setText("\n".join(warnings))
        self.font_warning.setVisible(bool(warnings))
        self.status.setText(
            self.tr("{count} contract(s), {pages} page(s).").format(
                count=len(result.numbers), pages=self.document.pageCount()
            )
        )
        self._set_busy(False)

    def _failed(self, job: Job, error: BaseException, details: str) -> None:
        if job is not self.job:
            return
        self.job = None
        self._set_busy(False)
        if isinstance(error, Cancelled):
            self.status.setText(self.tr("Stopped; nothing was printed."))
            return
        self.status.setText(user_message(error))
        show_error(self, error, details)

    def _show_pdf(self, data: bytes) -> None:
        self.document.close()
        self._bytes = QByteArray(data)
        buffer = QBuffer(self._bytes, self)
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document.load(buffer)
        if self._buffer is not None:
            self._buffer.deleteLater()
        self._buffer = buffer

    # --- printing -----------------------------------------------------------------------

    def ask_printer(self) -> QPrinter | None:
        """The system printer dialog; None when the user cancels (replaced in tests)."""
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        printer.setDocName(self.windowTitle())
        printer.setFromTo(1, max(1, self.document.pageCount()))
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(self.tr("Print contracts"))
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return printer

    def print_document(self) -> None:
        if not self.ready:
            return
        printer = self.ask_printer()
        if printer is None:
            return
        if not self.print_to(printer):
            QMessageBox.warning(
                self, self.windowTitle(), self.tr("The printer could not be started.")
            )
            return
        self.record("printer")

    def print_to(self, printer: QPrinter) -> bool:
        """Draw the pages at their true size on the paper (the PDF has its own margins)."""
        printer.setFullPage(True)
        count = self.document.pageCount()
        first, last = printer.fromPage(), printer.toPage()
        pages = range(first - 1, last) if first > 0 and last >= first else range(count)
        pages = range(max(0, pages.start), min(count, pages.stop))
        painter = QPainter()
        if not painter.begin(printer):
            return False
        try:
            dpi = min(printer.resolution(), MAX_RENDER_DPI)
            scale = printer.resolution() / 72.0
            for index, page in enumerate(pages):
                if index:
                    printer.newPage()
                points = self.document.pagePointSize(page)
                image = self.document.render(
                    page,
                    QSize(round(points.width() * dpi / 72.0), round(points.height() * dpi / 72.0)),
                )
                painter.save()
                painter.scale(scale * 72.0 / dpi, scale * 72.0 / dpi)
                painter.drawImage(QPoint(0, 0), image)
                painter.restore()
        finally:
            painter.end()
        return True

    def ask_save_path(self) -> str:
        """The save dialog; empty when cancelled (replaced in tests)."""
        name = (
            f"{self.numbers[0]}.pdf"
            if len(self.numbers) == 1
            else f"contracts-{dt.date.today():%Y%m%d}.pdf"
        )
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Save the contracts as PDF"), str(Path.home() / name), "PDF (*.pdf)"
        )
        return path

    def save_pdf(self) -> None:
        if not self.ready or self.result_pdf is None:
            return
        path = self.ask_save_path()
        if not path:
            return
        if not path.lower().endswith(".pdf"):
            path += ".pdf"
        from familydoc.printing.files import write_file_atomically

        try:
            write_file_atomically(Path(path), self.result_pdf.data)
        except Exception as exc:  # a RuleViolation in plain words
            show_error(self, exc)
            return
        self.saved_path = path
        self.record("pdf")

    def record(self, target: str) -> None:
        assert self.result_pdf is not None
        numbers, copies, actor = self.result_pdf.numbers, self.result_pdf.copies, self.actor

        def task(session: Session) -> list[PrintRecord]:
            return record_printed(session, actor, numbers, copies=copies, target=target)

        self.runner.run(
            task,
            write=True,
            on_success=self._recorded,
            on_failure=lambda error, details: show_error(self, error, details),
        )

    def _recorded(self, records: list[PrintRecord]) -> None:
        self.last_records = records
        if len(records) == 1:
            self.status.setText(
                self.tr("Recorded: contract {number} has been printed {count} time(s).").format(
                    number=records[0].number, count=records[0].print_count
                )
            )
        else:
            self.status.setText(
                self.tr("Recorded the printing of {count} contracts.").format(count=len(records))
            )
        self.printed.emit(records)

    def done(self, result: int) -> None:
        if self.job is not None:
            self.job.cancel()
        super().done(result)


class VillageBatchDialog(QDialog):
    """Choose a village and a date: its contracts signed since then go into one PDF."""

    def __init__(
        self,
        runner: OperationRunner,
        actor: Actor,
        parent: QWidget | None = None,
        *,
        village_id: int | None = None,
        since: dt.date | None = None,
        config: Config | None = None,
    ) -> None:
        super().__init__(parent)
        self.runner = runner
        self.actor = actor
        self.config = config
        self.print_dialog: ContractPrintDialog | None = None
        self._wanted_village = village_id
        self.setWindowTitle(self.tr("Print a village's new contracts"))
        self.village = QComboBox()
        self.since = QDateEdit()
        self.since.setCalendarPopup(True)
        self.since.setDisplayFormat("yyyy-MM-dd")
        start = since or dt.date.today().replace(day=1)
        self.since.setDate(QDate(start.year, start.month, start.day))
        self.message = QLabel()
        self.message.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("Village"), self.village)
        form.addRow(self.tr("Signed on or after"), self.since)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Preview"))
        self.buttons.accepted.connect(self.find_contracts)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.buttons.setEnabled(False)
        runner.run(
            villages_for_printing,
            on_success=self._villages_loaded,
            on_failure=lambda error, details: show_error(self, error, details),
        )

    def _villages_loaded(self, villages: list[Any]) -> None:
        for village in villages:
            self.village.addItem(f"{village.name}（{village.code}）", village.id)
            if village.id == self._wanted_village:
                self.village.setCurrentIndex(self.village.count() - 1)
        self.buttons.setEnabled(bool(villages))

    def find_contracts(self) -> None:
        village_id = self.village.currentData()
        if village_id is None:
            return
        qdate = self.since.date()
        since = dt.date(qdate.year(), qdate.month(), qdate.day())
        actor = self.actor

        def task(session: Session) -> list[str]:
            return village_contract_numbers(session, actor, int(village_id), since)

        self.buttons.setEnabled(False)
        self.runner.run(
            task,
            on_success=self._found,
            on_failure=lambda error, details: self._not_found(error, details),
        )

    def _not_found(self, error: BaseException, details: str) -> None:
        self.buttons.setEnabled(True)
        show_error(self, error, details)

    def _found(self, numbers: list[str]) -> None:
        self.buttons.setEnabled(True)
        if not numbers:
            self.message.setText(
                self.tr("No contracts of this village were signed on or after that date.")
            )
            return
        self.print_dialog = ContractPrintDialog(
            self.runner, self.actor, numbers, self.parentWidget(), config=self.config
        )
        self.print_dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.print_dialog.show()
        self.accept()


def print_village_new_contracts(
    runner: OperationRunner,
    actor: Actor,
    parent: QWidget | None = None,
    *,
    village_id: int | None = None,
    since: dt.date | None = None,
    config: Config | None = None,
) -> VillageBatchDialog:
    """Open the chooser for batch printing a village's contracts signed since a date."""
    dialog = VillageBatchDialog(
        runner, actor, parent, village_id=village_id, since=since, config=config
    )
    dialog.show()
    return dialog
