"""Recording the result of a call to a resident from the outreach list.

同意签约 / 暂不签约 with a reason from the fixed list (其他 needs a note) / 无法联系, the day
of the call and, optionally, when to try again. The earlier contacts are listed below, the
latest first. Saving goes through ``familydoc.core.outreach.record_contact`` (audited).
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QCoreApplication, QDate, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from familydoc.core.auth import Actor
from familydoc.core.models import CONTACT_RESULTS, DECLINE_REASONS
from familydoc.core.outreach import (
    NOTE_LENGTH,
    ContactInput,
    ContactRecord,
    contact_history,
    record_contact,
)
from familydoc.core.vocabulary import (
    CONTACT_RESULT_LABELS,
    CONTEXT,
    DECLINE_REASON_LABELS,
    Label,
)
from familydoc.gui import labels
from familydoc.gui.errors import user_message
from familydoc.gui.runner import OperationRunner


def term(table: dict[str, Label], code: str | None) -> str:
    """A label of ``familydoc.core.vocabulary`` in the interface language."""
    if not code or code not in table:
        return code or ""
    return QCoreApplication.translate(CONTEXT, table[code].source)


def contact_summary(result: str | None, reason: str | None, note: str | None) -> str:
    """Not signing for now (Away for a long time), in the interface language."""
    if not result:
        return ""
    text = term(CONTACT_RESULT_LABELS, result)
    if result == "declined" and reason:
        why = term(DECLINE_REASON_LABELS, reason)
        if reason == "other" and note:
            why = f"{why}：{note}"
        text += f"（{why}）"
    return text


def _pydate(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


def _date_edit(day: dt.date, name: str) -> QDateEdit:
    edit = QDateEdit(QDate(day.year, day.month, day.day))
    edit.setObjectName(name)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setCalendarPopup(True)
    return edit


class ContactDialog(QDialog):
    saved = Signal(object)  # the ContactRecord

    def __init__(
        self,
        runner: OperationRunner,
        actor: Actor,
        resident_id: int,
        resident_name: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.runner, self.actor, self.resident_id = runner, actor, resident_id
        self.record: ContactRecord | None = None
        self.setObjectName("contactDialog")
        self.setWindowTitle(self.tr("Contact with {name}").format(name=resident_name))
        self.setMinimumWidth(520)
        today = dt.date.today()
        self.results = QButtonGroup(self)
        result_row = QHBoxLayout()
        for code in CONTACT_RESULTS:
            button = QRadioButton(term(CONTACT_RESULT_LABELS, code))
            button.setObjectName(f"contactResult_{code}")
            button.setProperty("code", code)
            self.results.addButton(button)
            result_row.addWidget(button)
        result_row.addStretch(1)
        self.reason = QComboBox()
        self.reason.setObjectName("contactReason")
        for code in DECLINE_REASONS:
            self.reason.addItem(term(DECLINE_REASON_LABELS, code), code)
        self.note = QLineEdit()
        self.note.setObjectName("contactNote")
        self.note.setMaxLength(NOTE_LENGTH)
        self.note.setPlaceholderText(self.tr("Required with the reason “Other”"))
        self.contacted_on = _date_edit(today, "contactDate")
        self.contacted_on.setMaximumDate(QDate.currentDate())
        self.has_next = QCheckBox(self.tr("Contact again on"))
        self.has_next.setObjectName("contactHasNext")
        self.next_on = _date_edit(today + dt.timedelta(days=14), "contactNextDate")
        self.next_on.setEnabled(False)
        self.has_next.toggled.connect(self.next_on.setEnabled)
        next_row = QHBoxLayout()
        next_row.addWidget(self.has_next)
        next_row.addWidget(self.next_on)
        next_row.addStretch(1)
        self.problem = QLabel()
        self.problem.setObjectName("contactProblem")
        self.problem.setStyleSheet("color: #b00020;")
        self.problem.setWordWrap(True)
        self.history = QListWidget()
        self.history.setObjectName("contactHistory")
        self.history.setMaximumHeight(110)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(self.tr("Result"), result_row)
        form.addRow(self.tr("Reason"), self.reason)
        form.addRow(self.tr("Note"), self.note)
        form.addRow(self.tr("Date of the call"), self.contacted_on)
        form.addRow("", next_row)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(QLabel(self.tr("Earlier contacts")))
        layout.addWidget(self.history)
        layout.addWidget(self.buttons)
        self.results.buttonToggled.connect(lambda *_args: self._update())
        self.results.buttons()[0].setChecked(True)
        self._update()
        self._load_history()

    def result(self) -> str:
        checked = self.results.checkedButton()
        return str(checked.property("code")) if checked is not None else ""

    def _update(self) -> None:
        self.reason.setEnabled(self.result() == "declined")

    def _load_history(self) -> None:
        actor, resident_id = self.actor, self.resident_id

        def task(session: Session) -> list[ContactRecord]:
            return contact_history(session, actor, resident_id)

        self.runner.run(task, on_success=self._show_history)

    def _show_history(self, records: list[ContactRecord]) -> None:
        self.history.clear()
        for record in records:
            parts = [
                labels.date(record.contacted_on),
                contact_summary(record.result, record.reason, record.note),
                record.recorded_by,
            ]
            if record.next_contact_on:
                parts.append(
                    self.tr("next: {date}").format(date=labels.date(record.next_contact_on))
                )
            self.history.addItem("　".join(part for part in parts if part))
        if not records:
            self.history.addItem(self.tr("No earlier contact recorded."))

    def entry(self) -> ContactInput:
        result = self.result()
        return ContactInput(
            resident_id=self.resident_id,
            contacted_on=_pydate(self.contacted_on.date()),
            result=result,
            reason=self.reason.currentData() if result == "declined" else None,
            note=self.note.text(),
            next_contact_on=_pydate(self.next_on.date()) if self.has_next.isChecked() else None,
        )

    def save(self) -> None:
        actor, entry = self.actor, self.entry()

        def task(session: Session) -> ContactRecord:
            return record_contact(session, actor, entry)

        self.buttons.setEnabled(False)
        self.runner.run(task, write=True, on_success=self._saved, on_failure=self._failed)

    def _saved(self, record: ContactRecord) -> None:
        self.record = record
        self.saved.emit(record)
        self.accept()

    def _failed(self, error: BaseException, _details: str) -> None:
        self.buttons.setEnabled(True)
        self.problem.setText(user_message(error))
