"""The audit log page (supervisors and administrators): filters, export, and the chain check."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
)
from sqlalchemy.orm import Session

from familydoc.core import audit_chain, audit_log
from familydoc.core.auth import Actor
from familydoc.core.context import AppContext
from familydoc.core.integrity import chain_problems
from familydoc.gui import labels
from familydoc.gui.errors import show_error
from familydoc.gui.pages import _ListPage
from familydoc.gui.runner import Cancelled, JobControl, OperationRunner
from familydoc.gui.table_model import Column, PagedTableModel


def _changes(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False) if value else ""


def _date(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


class AuditPage(_ListPage):
    def __init__(self, context: AppContext, runner: OperationRunner, actor: Actor) -> None:
        self.filter = audit_log.AuditFilter()
        columns = [
            Column(self.tr("Time"), "occurred_at", labels.local_time),
            Column(self.tr("User"), "username"),
            Column(self.tr("Action"), "action", labels.audit_action),
            Column(self.tr("Entity"), "entity_type", labels.entity_type),
            Column(self.tr("Entity id"), "entity_id"),
            Column(self.tr("Changes"), "changes", _changes),
            Column(self.tr("Workstation"), "workstation"),
        ]
        model = PagedTableModel(
            runner, lambda session: audit_log.audit_query(session, actor, self.filter), columns
        )
        super().__init__(
            context,
            runner,
            actor,
            self.tr("Audit log"),
            model,
            {0: 150, 1: 90, 2: 130, 3: 110, 4: 110, 5: 420},
        )
        self.message: QMessageBox | None = None
        self.export_job: Any = None
        self._choices_loaded = False

        self.user = QComboBox()
        self.user.setObjectName("auditUser")
        self.action = QComboBox()
        self.action.setObjectName("auditAction")
        self.entity = QComboBox()
        self.entity.setObjectName("auditEntity")
        for combo in (self.user, self.action, self.entity):
            combo.addItem(self.tr("All"), None)
            combo.setMinimumWidth(110)
        self.entity_id = QLineEdit()
        self.entity_id.setObjectName("auditEntityId")
        self.entity_id.setPlaceholderText(self.tr("Entity id"))
        self.entity_id.setMaximumWidth(110)
        self.entity_id.returnPressed.connect(self.apply_filter)
        self.by_date = QCheckBox(self.tr("From"))
        self.by_date.setObjectName("auditByDate")
        today = QDate.currentDate()
        self.date_from = QDateEdit(today.addDays(-30))
        self.date_to = QDateEdit(today)
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setEnabled(False)
        self.by_date.toggled.connect(self.date_from.setEnabled)
        self.by_date.toggled.connect(self.date_to.setEnabled)
        self.search_button = QPushButton(self.tr("Search"))
        self.search_button.setObjectName("auditSearch")
        self.search_button.clicked.connect(self.apply_filter)
        self.clear_button = QPushButton(self.tr("Clear"))
        self.clear_button.clicked.connect(self.clear_filter)
        self.export_button = QPushButton(self.tr("Export…"))
        self.export_button.setObjectName("auditExport")
        self.export_button.clicked.connect(self._choose_export)
        self.verify_button = QPushButton(self.tr("Verify the chain"))
        self.verify_button.setObjectName("auditVerify")
        self.verify_button.setToolTip(
            self.tr(
                "Re-compute every event's seal: finds events edited or removed outside familydoc"
            )
        )
        self.verify_button.clicked.connect(self.verify_chain)
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(160)
        self.progress.hide()
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.hide()
        self.cancel_button.clicked.connect(self._cancel_export)

        bar = QHBoxLayout()
        for text, widget in (
            (self.tr("User"), self.user),
            (self.tr("Action"), self.action),
            (self.tr("Entity"), self.entity),
        ):
            bar.addWidget(QLabel(text))
            bar.addWidget(widget)
        bar.addWidget(self.entity_id)
        bar.addWidget(self.by_date)
        bar.addWidget(self.date_from)
        bar.addWidget(QLabel(self.tr("to")))
        bar.addWidget(self.date_to)
        bar.addWidget(self.search_button)
        bar.addWidget(self.clear_button)
        bar.addStretch(1)
        tools = QHBoxLayout()
        self.layout_.removeWidget(self.count_label)
        tools.addWidget(self.count_label, 1)
        tools.addWidget(self.progress)
        tools.addWidget(self.cancel_button)
        tools.addWidget(self.export_button)
        tools.addWidget(self.verify_button)
        self.layout_.insertLayout(1, bar)
        self.layout_.insertLayout(2, tools)

    def count_text(self, count: int) -> str:
        if self.filter.is_empty():
            return self.tr("{count} events, newest first (personal values are masked)").format(
                count=count
            )
        return self.tr("{count} events match, newest first (personal values are masked)").format(
            count=count
        )

    # -- filters ------------------------------------------------------------------------

    def refresh(self) -> None:
        self.runner.run(
            lambda session: audit_log.audit_choices(session, self.actor),
            on_success=self._show_choices,
            on_failure=self._failed,
        )
        super().refresh()

    def _show_choices(self, choices: audit_log.AuditChoices) -> None:
        for combo, values, label in (
            (self.user, choices.usernames, str),
            (self.action, choices.actions, labels.audit_action),
            (self.entity, choices.entity_types, labels.entity_type),
        ):
            current = combo.currentData()
            combo.blockSignals(True)
            while combo.count() > 1:
                combo.removeItem(1)
            for value in values:
                combo.addItem(label(value), value)
            index = combo.findData(current)
            combo.setCurrentIndex(max(0, index))
            combo.blockSignals(False)
        self._choices_loaded = True

    def current_filter(self) -> audit_log.AuditFilter:
        dated = self.by_date.isChecked()
        return audit_log.AuditFilter(
            username=self.user.currentData(),
            action=self.action.currentData(),
            entity_type=self.entity.currentData(),
            entity_id=self.entity_id.text().strip() or None,
            date_from=_date(self.date_from.date()) if dated else None,
            date_to=_date(self.date_to.date()) if dated else None,
        )

    def apply_filter(self) -> None:
        flt = self.current_filter()
        if flt.date_from and flt.date_to and flt.date_from > flt.date_to:
            self.message = self._box(
                self.tr("Audit log"), self.tr("The start date is after the end date."), True
            )
            return
        self.filter = flt
        self.model.refresh()

    def clear_filter(self) -> None:
        for combo in (self.user, self.action, self.entity):
            combo.setCurrentIndex(0)
        self.entity_id.clear()
        self.by_date.setChecked(False)
        self.apply_filter()

    # -- export -------------------------------------------------------------------------

    def _choose_export(self) -> None:
        default = Path.home() / self.tr("audit-log-{date}.xlsx").format(
            date=dt.date.today().strftime("%Y%m%d")
        )
        name, _filter = QFileDialog.getSaveFileName(
            self,
            self.tr("Export the audit log"),
            str(default),
            self.tr("Excel workbook (*.xlsx);;CSV, UTF-8 (*.csv)"),
        )
        if name:
            self.export_to(Path(name))

    def export_columns(self) -> list[audit_log.ExportColumn]:
        def text(value: Any) -> str:
            return "" if value is None else str(value)

        return [
            audit_log.ExportColumn(self.tr("Number"), "id", text),
            audit_log.ExportColumn(self.tr("Time"), "occurred_at", labels.local_time),
            audit_log.ExportColumn(self.tr("User"), "username", text),
            audit_log.ExportColumn(self.tr("Action"), "action", labels.audit_action),
            audit_log.ExportColumn(self.tr("Entity"), "entity_type", labels.entity_type),
            audit_log.ExportColumn(self.tr("Entity id"), "entity_id", text),
            audit_log.ExportColumn(self.tr("Changes"), "changes", _changes),
            audit_log.ExportColumn(self.tr("Workstation"), "workstation", text),
        ]

    def export_to(self, path: Path) -> None:
        """Export what the current filter shows (the whole log when there is none)."""
        if path.suffix.lower() not in (".csv", ".xlsx"):
            path = path.with_suffix(".xlsx")
        flt, actor, columns = self.filter, self.actor, self.export_columns()

        def task(session: Session, control: JobControl) -> int:
            try:
                return audit_log.export_audit(
                    session,
                    actor,
                    flt,
                    path,
                    columns=columns,
                    progress=lambda done, total: control.progress(done, total),
                    cancelled=lambda: control.cancelled,
                )
            except InterruptedError:
                raise Cancelled() from None

        self.progress.setRange(0, 0)
        self.progress.show()
        self.cancel_button.show()
        self.export_button.setEnabled(False)
        self.export_job = self.runner.run_long(
            task,
            write=True,
            on_success=lambda count: self._exported(path, count),
            on_failure=self._export_failed,
            on_progress=self._export_progress,
        )

    def _export_progress(self, done: int, total: int, _text: str) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _export_ended(self) -> None:
        self.progress.hide()
        self.cancel_button.hide()
        self.export_button.setEnabled(True)
        self.export_job = None

    def _cancel_export(self) -> None:
        if self.export_job is not None:
            self.export_job.cancel()

    def _exported(self, path: Path, count: int) -> None:
        self._export_ended()
        self.message = self._box(
            self.tr("Export the audit log"),
            self.tr("{count} events exported to {file}.").format(count=count, file=path),
        )
        self.model.refresh()  # the export itself is an audit event

    def _export_failed(self, error: BaseException, details: str) -> None:
        self._export_ended()
        if isinstance(error, Cancelled):
            return
        self.message = show_error(self, error, details)

    # -- the chain ----------------------------------------------------------------------

    def verify_chain(self) -> None:
        path = self.context.database.path
        if path is None:
            return

        def task(_session: Session) -> audit_chain.ChainReport:
            connection = sqlite3.connect(path)
            try:
                connection.execute("PRAGMA query_only = ON")
                return audit_chain.verify(connection)
            finally:
                connection.close()

        self.verify_button.setEnabled(False)
        self.runner.run(task, on_success=self._verified, on_failure=self._verify_failed)

    def _verified(self, report: audit_chain.ChainReport) -> None:
        self.verify_button.setEnabled(True)
        self.last_chain_report = report
        if report.ok:
            self.message = self._box(
                self.tr("Verify the chain"),
                self.tr(
                    "The audit log is whole: each of its {count} events matches its seal and the"
                    " seal of the event before it. Nothing was edited or removed."
                ).format(count=report.events),
            )
            return
        lines = "\n".join(
            f"• {problem.render(QCoreApplication.translate)}" for problem in chain_problems(report)
        )
        self.message = self._box(
            self.tr("Verify the chain"),
            self.tr("The audit log was changed outside familydoc:") + "\n\n" + lines,
            True,
        )

    def _verify_failed(self, error: BaseException, details: str) -> None:
        self.verify_button.setEnabled(True)
        self.message = show_error(self, error, details)

    def _box(self, title: str, text: str, warning: bool = False) -> QMessageBox:
        box = QMessageBox(
            QMessageBox.Icon.Warning if warning else QMessageBox.Icon.Information,
            title,
            text,
            QMessageBox.StandardButton.Ok,
            self,
        )
        box.open()
        return box
