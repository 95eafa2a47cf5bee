"""The Contracts page: the list with its filters, and renewing, ending or moving a contract.

Filtering and sorting run in SQL (``contracts.contract_list``). Contracts ending within
30 days that are not renewed yet are highlighted; select one and press "Renew…", then
"Renew" in the form that opens with everything filled in: two clicks.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QDate, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QColor, QFont
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from familydoc.core import contracts
from familydoc.core.auth import Actor, Permission
from familydoc.core.context import AppContext
from familydoc.core.contracts import ContractDetail, ContractFilter
from familydoc.core.errors import FamilydocError
from familydoc.gui import labels
from familydoc.gui.errors import show_error, user_message
from familydoc.gui.pages import ENDED_COLOUR, ENDING_SOON_COLOUR, _ListPage
from familydoc.gui.runner import OperationRunner
from familydoc.gui.sign_dialog import (
    SignDialog,
    open_print_dialog,
    print_dialog_available,
    pydate,
    qdate,
    yuan,
)
from familydoc.gui.table_model import Column, PagedTableModel

SEARCH_DELAY_MS = 200
RENEWABLE_STATUSES = ("ending_soon", "expired")
OPEN_STATUSES = ("in_force", "ending_soon", "not_started")


class ContractsPage(_ListPage):
    """All contracts, filtered by status, team, doctor, village and how soon they end."""

    def __init__(self, context: AppContext, runner: OperationRunner, actor: Actor) -> None:
        self.filters = ContractFilter()
        columns = [
            Column(self.tr("Contract number"), "number", sort_key="number"),
            Column(self.tr("Resident"), "resident", sort_key="resident"),
            Column(self.tr("Village"), "village", sort_key="village"),
            Column(self.tr("Team"), "team", sort_key="team"),
            Column(self.tr("Responsible doctor"), "doctor", sort_key="doctor"),
            Column(self.tr("Start"), "start_date", labels.date, sort_key="start_date"),
            Column(self.tr("End"), "end_date", labels.date, sort_key="end_date"),
            Column(self.tr("Status"), "status", labels.contract_status, sort_key="status"),
            Column(
                self.tr("Renewed as"),
                "renewed_as",
                lambda value: value or "",
            ),
        ]
        model = PagedTableModel(runner, self._query, columns, row_background=self._background)
        super().__init__(
            context,
            runner,
            actor,
            self.tr("Contracts"),
            model,
            {0: 180, 1: 80, 2: 80, 3: 160, 4: 90, 5: 95, 6: 95, 7: 110},
        )
        # Qt sorts by the first column when sorting is enabled: connect after, so the list
        # starts newest first (or soonest ending first when filtered by the end date).
        self.view.setSortingEnabled(True)
        self.view.horizontalHeader().setSortIndicatorShown(False)
        model.sortRequested.connect(self._sort)
        self.view.doubleClicked.connect(lambda index: self.open_details(index.row()))
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._context_menu)

        self.search = QLineEdit()
        self.search.setObjectName("contractSearch")
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(self.tr("Find: contract number, resident name or initials"))
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._apply_filters)
        self.search.textChanged.connect(lambda _text: self._search_timer.start())

        self.status = QComboBox()
        self.status.setObjectName("statusFilter")
        for text, value in (
            (self.tr("Any status"), None),
            (self.tr("In force"), "in_force"),
            (self.tr("Not started"), "not_started"),
            (self.tr("Expired"), "expired"),
            (self.tr("Terminated"), "terminated"),
        ):
            self.status.addItem(text, value)
        self.ending = QComboBox()
        self.ending.setObjectName("endingFilter")
        self.ending.addItem(self.tr("Any end date"), None)
        for days in contracts.ENDING_WINDOWS:
            self.ending.addItem(self.tr("Ending within {days} days").format(days=days), days)
        self.team = QComboBox()
        self.team.setObjectName("teamFilter")
        self.team.addItem(self.tr("All teams"), None)
        self.doctor = QComboBox()
        self.doctor.setObjectName("doctorFilter")
        self.doctor.addItem(self.tr("All doctors"), None)
        self.village = QComboBox()
        self.village.setObjectName("villageFilter")
        self.village.addItem(self.tr("All villages"), None)
        for combo in (self.status, self.ending, self.team, self.doctor, self.village):
            combo.currentIndexChanged.connect(self._apply_filters)

        self.details_button = QPushButton(self.tr("Details…"))
        self.details_button.setObjectName("detailsButton")
        self.details_button.clicked.connect(self._details_selected)
        self.renew_button = QPushButton(self.tr("Renew…"))
        self.renew_button.setObjectName("renewButton")
        self.renew_button.clicked.connect(self.renew_selected)
        self.end_button = QPushButton(self.tr("End…"))
        self.end_button.setObjectName("endButton")
        self.end_button.clicked.connect(self.end_selected)
        self.change_button = QPushButton(self.tr("Change team…"))
        self.change_button.setObjectName("changeTeamButton")
        self.change_button.clicked.connect(self.change_team_selected)
        self.print_button = QPushButton(self.tr("Print…"))
        self.print_button.setObjectName("printButton")
        self.print_button.clicked.connect(self.print_selected)
        self.print_button.setVisible(print_dialog_available())
        self.batch_button = QPushButton(self.tr("Print a village's new contracts…"))
        self.batch_button.setObjectName("batchPrintButton")
        self.batch_button.clicked.connect(self._batch_print)
        self.batch_button.setVisible(_batch_printing_available())

        bar = QHBoxLayout()
        bar.addWidget(self.search, 3)
        for widget in (self.status, self.ending, self.team, self.doctor, self.village):
            bar.addWidget(widget, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.count_label, 1)
        for button in (
            self.details_button,
            self.renew_button,
            self.end_button,
            self.change_button,
            self.print_button,
            self.batch_button,
        ):
            buttons.addWidget(button)
        self.layout_.removeWidget(self.count_label)
        self.layout_.insertLayout(1, bar)
        self.layout_.insertLayout(2, buttons)
        self.view.selectionModel().selectionChanged.connect(lambda *_a: self._update_buttons())
        model.modelReset.connect(self._update_buttons)
        self._choices_loaded = False
        self._update_buttons()

    # -- data ------------------------------------------------------------------------

    def _query(self, _session: Session) -> Any:
        return contracts.contract_list(self.filters, dt.date.today())

    @staticmethod
    def _background(row: tuple[Any, ...]) -> QColor | None:
        status, renewed = row[9], row[10]
        if status == "ending_soon" and not renewed:
            return ENDING_SOON_COLOUR
        if status in ("expired", "terminated"):
            return ENDED_COLOUR
        return None

    def count_text(self, count: int) -> str:
        if self.filters.ending_within:
            return self.tr(
                "{count} contracts end within {days} days and are not renewed yet"
            ).format(count=count, days=self.filters.ending_within)
        return self.tr(
            "{count} contracts; those ending within 30 days and not renewed are highlighted"
        ).format(count=count)

    def refresh(self) -> None:
        if not self._choices_loaded:
            self.runner.run(
                contracts.filter_choices, on_success=self._show_choices, on_failure=self._failed
            )
        self.model.refresh()

    def _show_choices(self, choices: dict[str, list[tuple[int, str]]]) -> None:
        self._choices_loaded = True
        for combo, key in (
            (self.team, "teams"),
            (self.doctor, "doctors"),
            (self.village, "villages"),
        ):
            current = combo.currentData()
            combo.blockSignals(True)
            while combo.count() > 1:
                combo.removeItem(1)
            for value, text in choices[key]:
                combo.addItem(text, value)
            combo.setCurrentIndex(max(0, combo.findData(current)))
            combo.blockSignals(False)

    def _apply_filters(self) -> None:
        self.filters = self.filters.with_(
            text=self.search.text(),
            status=self.status.currentData(),
            ending_within=self.ending.currentData(),
            team_id=self.team.currentData(),
            doctor_id=self.doctor.currentData(),
            village_id=self.village.currentData(),
        )
        self.model.refresh()

    def _sort(self, key: str, descending: bool) -> None:
        self.view.horizontalHeader().setSortIndicatorShown(True)
        self.filters = self.filters.with_(sort=key, descending=descending)
        self.model.refresh()

    # -- the selected contract -------------------------------------------------------

    def selected_row(self) -> int | None:
        rows = self.view.selectionModel().selectedRows()
        return rows[0].row() if rows else None

    def _selected(self) -> dict[str, Any] | None:
        row = self.selected_row()
        if row is None:
            return None
        values = self.model.row_values(row)
        if values is None:
            return None
        return dict(zip(contracts.CONTRACT_LIST_COLUMNS, values, strict=True))

    def _update_buttons(self) -> None:
        selected = self._selected()
        status = selected["status"] if selected else None
        can_sign = self.actor.can(Permission.SIGN_CONTRACT)
        can_end = self.actor.can(Permission.END_CONTRACT)
        self.details_button.setEnabled(selected is not None)
        self.print_button.setEnabled(selected is not None)
        self.renew_button.setEnabled(
            can_sign
            and selected is not None
            and status in RENEWABLE_STATUSES
            and not selected["renewed_as"]
        )
        self.end_button.setEnabled(can_end and status in OPEN_STATUSES)
        self.change_button.setEnabled(can_sign and can_end and status in OPEN_STATUSES)

    def _context_menu(self, position: QPoint) -> None:
        index = self.view.indexAt(position)
        if not index.isValid():
            return
        self.view.selectRow(index.row())
        menu = QMenu(self)
        for button in (
            self.details_button,
            self.renew_button,
            self.end_button,
            self.change_button,
            self.print_button,
        ):
            if button.isVisible() or button is not self.print_button:
                action = QAction(button.text(), menu)
                action.setEnabled(button.isEnabled())
                action.triggered.connect(button.click)
                menu.addAction(action)
        menu.popup(self.view.viewport().mapToGlobal(position))

    def _details_selected(self) -> None:
        row = self.selected_row()
        if row is not None:
            self.open_details(row)

    def open_details(self, row: int) -> ContractDialog | None:
        contract_id = self.model.value(row, "id")
        if contract_id is None:
            return None
        dialog = ContractDialog(self.runner, self.actor, contract_id, parent=self)
        dialog.changed.connect(self.model.refresh)
        dialog.open()
        return dialog

    def renew_selected(self) -> SignDialog | None:
        return self._sign_from_selected("renew")

    def change_team_selected(self) -> SignDialog | None:
        return self._sign_from_selected("change_team")

    def _sign_from_selected(self, mode: str) -> SignDialog | None:
        """The signing dialog for the selected contract: its renewal or a change of team."""
        selected = self._selected()
        if selected is None:
            return None
        dialog = SignDialog(
            self.runner,
            self.actor,
            selected["resident_id"],
            mode=mode,
            contract_id=selected["id"],
            parent=self,
        )
        dialog.signed.connect(lambda _detail: self.model.refresh())
        dialog.open()
        return dialog

    def end_selected(self) -> EndContractDialog | None:
        selected = self._selected()
        if selected is None:
            return None
        dialog = EndContractDialog(self.runner, self.actor, selected["id"], parent=self)
        dialog.ended.connect(lambda _detail: self.model.refresh())
        dialog.open()
        return dialog

    def print_selected(self) -> QDialog | None:
        selected = self._selected()
        if selected is None:
            return None
        return open_print_dialog(self.runner, self.actor, [selected["number"]], self)

    def _batch_print(self) -> None:
        from familydoc.gui.print_preview import print_village_new_contracts  # printing feature

        print_village_new_contracts(self.runner, self.actor, self)


def _batch_printing_available() -> bool:
    if not print_dialog_available():
        return False
    from familydoc.gui import print_preview

    return hasattr(print_preview, "print_village_new_contracts")


class ContractDialog(QDialog):
    """One contract: parties, period, packages with fees; renew, end, change team, print."""

    changed = Signal()

    def __init__(
        self,
        runner: OperationRunner,
        actor: Actor,
        contract_id: int,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.runner = runner
        self.actor = actor
        self.contract_id = contract_id
        self.detail: ContractDetail | None = None
        self.setWindowTitle(self.tr("Contract"))
        self.setMinimumWidth(640)
        self.form = QFormLayout()
        self.fields: dict[str, QLabel] = {}
        for key, text in (
            ("number", self.tr("Contract number")),
            ("status", self.tr("Status")),
            ("resident", self.tr("Resident")),
            ("team", self.tr("Team")),
            ("doctor", self.tr("Responsible doctor")),
            ("period", self.tr("Period")),
            ("signed", self.tr("Signed")),
            ("links", self.tr("Renewal")),
            ("ended", self.tr("Ended")),
            ("approval", self.tr("Past capacity")),
        ):
            label = QLabel()
            label.setObjectName(f"detail_{key}")
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.fields[key] = label
            self.form.addRow(text, label)
        self.packages = QTableWidget(0, 5)
        self.packages.setObjectName("contractPackages")
        self.packages.setHorizontalHeaderLabels(
            [
                self.tr("Package"),
                self.tr("Price"),
                self.tr("Insurance fund"),
                self.tr("Public-health funds"),
                self.tr("Self-pay"),
            ]
        )
        self.packages.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.packages.verticalHeader().setVisible(False)
        self.packages.horizontalHeader().setStretchLastSection(True)
        self.packages.setColumnWidth(0, 200)
        self.packages.setMaximumHeight(140)

        self.buttons = QDialogButtonBox()
        self.renew_button = self.buttons.addButton(
            self.tr("Renew…"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.renew_button.clicked.connect(self._renew)
        self.end_button = self.buttons.addButton(
            self.tr("End…"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.end_button.clicked.connect(self._end)
        self.change_button = self.buttons.addButton(
            self.tr("Change team…"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.change_button.clicked.connect(self._change_team)
        self.print_button = self.buttons.addButton(
            self.tr("Print…"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.print_button.clicked.connect(self._print)
        self.print_button.setVisible(print_dialog_available())
        close = self.buttons.addButton(self.tr("Close"), QDialogButtonBox.ButtonRole.RejectRole)
        close.clicked.connect(self.reject)
        for button in (self.renew_button, self.end_button, self.change_button):
            button.setEnabled(False)

        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(QLabel(self.tr("Service packages (fees as signed)")))
        layout.addWidget(self.packages)
        layout.addWidget(self.buttons)
        self.reload()

    def reload(self) -> None:
        self.runner.run(
            lambda s: contracts.contract_detail(s, self.actor, self.contract_id),
            on_success=self._show,
            on_failure=lambda error, details: show_error(self, error, details),
        )

    def _show(self, detail: ContractDetail) -> None:
        self.detail = detail
        f = self.fields
        f["number"].setText(detail.number)
        f["status"].setText(labels.contract_status(detail.status))
        f["resident"].setText(
            f"{detail.resident_name}（{detail.village}）  {detail.resident_id_number}"
        )
        f["team"].setText(detail.team)
        f["doctor"].setText(detail.doctor)
        f["period"].setText(
            self.tr("{start} to {end}").format(
                start=labels.date(detail.start_date), end=labels.date(detail.end_date)
            )
        )
        signed = self.tr("{date}, {method}").format(
            date=labels.date(detail.signed_on), method=labels.signing_method(detail.signing_method)
        )
        if detail.signing_method == "guardian":
            signed += self.tr(": {name} ({relation}), {id}, {phone}").format(
                name=detail.guardian_name,
                relation=detail.guardian_relation,
                id=detail.guardian_id_number,
                phone=detail.guardian_phone,
            )
        f["signed"].setText(signed)
        links = []
        if detail.previous_number:
            links.append(self.tr("follows {number}").format(number=detail.previous_number))
        if detail.next_number:
            links.append(self.tr("followed by {number}").format(number=detail.next_number))
        if detail.renewal_offered:
            links.append(self.tr("renewal can be signed now"))
        f["links"].setText("；".join(links) or "—")
        if detail.terminated_on:
            ended = self.tr("no longer in force from {date}: {reason}").format(
                date=labels.date(detail.terminated_on),
                reason=labels.termination_reason(detail.termination_reason),
            )
            if detail.termination_note:
                ended += f"（{detail.termination_note}）"
            f["ended"].setText(ended)
        else:
            f["ended"].setText("—")
        f["approval"].setText(
            self.tr("approved by {name}").format(name=detail.over_capacity_approved_by)
            if detail.over_capacity_approved_by
            else "—"
        )
        self.packages.setRowCount(len(detail.packages) + 1)
        for row, package in enumerate(detail.packages):
            cells = [
                package.name,
                yuan(package.price_fen),
                yuan(package.fund_insurance_fen),
                yuan(package.fund_public_health_fen),
                yuan(package.self_pay_fen),
            ]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.packages.setItem(row, column, item)
        totals = [
            self.tr("Total"),
            yuan(detail.total_fen),
            yuan(sum(p.fund_insurance_fen for p in detail.packages)),
            yuan(sum(p.fund_public_health_fen for p in detail.packages)),
            yuan(detail.self_pay_fen),
        ]
        bold = QFont(self.packages.font())
        bold.setBold(True)
        for column, text in enumerate(totals):
            item = QTableWidgetItem(text)
            item.setFont(bold)
            if column:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.packages.setItem(len(detail.packages), column, item)
        open_ = detail.status in OPEN_STATUSES
        can_sign = self.actor.can(Permission.SIGN_CONTRACT)
        can_end = self.actor.can(Permission.END_CONTRACT)
        self.renew_button.setEnabled(can_sign and detail.renewal_offered)
        self.end_button.setEnabled(can_end and open_)
        self.change_button.setEnabled(can_sign and can_end and open_)

    def _after_change(self, _detail: Any = None) -> None:
        self.changed.emit()
        self.reload()

    def _renew(self) -> None:
        self._sign_from_this("renew")

    def _change_team(self) -> None:
        self._sign_from_this("change_team")

    def _sign_from_this(self, mode: str) -> None:
        if self.detail is None:
            return
        dialog = SignDialog(
            self.runner,
            self.actor,
            self.detail.resident_id,
            mode=mode,
            contract_id=self.detail.id,
            parent=self,
        )
        dialog.signed.connect(self._after_change)
        dialog.open()

    def _end(self) -> None:
        if self.detail is None:
            return
        dialog = EndContractDialog(self.runner, self.actor, self.detail.id, parent=self)
        dialog.ended.connect(self._after_change)
        dialog.open()

    def _print(self) -> None:
        if self.detail is not None:
            open_print_dialog(self.runner, self.actor, [self.detail.number], self)


class EndContractDialog(QDialog):
    """Ends a contract early with one of the reasons, a date and a note."""

    ended = Signal(object)  # the ContractDetail after ending

    def __init__(
        self,
        runner: OperationRunner,
        actor: Actor,
        contract_id: int,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.runner = runner
        self.actor = actor
        self.contract_id = contract_id
        self.setWindowTitle(self.tr("End the contract"))
        self.setMinimumWidth(460)
        self.heading = QLabel(self.tr("Loading…"))
        self.heading.setWordWrap(True)
        self.reason = QComboBox()
        self.reason.setObjectName("endReason")
        for code in contracts.END_REASONS:
            self.reason.addItem(labels.termination_reason(code), code)
        self.reason.setCurrentIndex(self.reason.findData("resident_request"))
        self.date = QDateEdit(QDate.currentDate())
        self.date.setObjectName("endDate")
        self.date.setDisplayFormat("yyyy-MM-dd")
        self.date.setCalendarPopup(True)
        self.note = QLineEdit()
        self.note.setObjectName("endNote")
        self.note.setMaxLength(200)
        self.problem = QLabel()
        self.problem.setObjectName("endProblem")
        self.problem.setStyleSheet("color: #b00020;")
        self.problem.setWordWrap(True)
        self.problem.hide()
        form = QFormLayout()
        form.addRow(self.tr("Reason"), self.reason)
        form.addRow(self.tr("No longer in force from"), self.date)
        form.addRow(self.tr("Note"), self.note)
        explanation = QLabel(
            self.tr(
                "The contract is kept with its reason; from this date the resident counts as"
                " not signed. To move the resident to another team use “Change team”."
            )
        )
        explanation.setWordWrap(True)
        self.buttons = QDialogButtonBox()
        self.ok_button = self.buttons.addButton(
            self.tr("End the contract"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.ok_button.setObjectName("confirmEnd")
        self.ok_button.clicked.connect(self.submit)
        self.ok_button.setEnabled(False)
        cancel = self.buttons.addButton(self.tr("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        cancel.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(explanation)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.runner.run(
            lambda s: contracts.contract_detail(s, actor, contract_id),
            on_success=self._loaded,
            on_failure=lambda error, details: show_error(self, error, details),
        )

    def _loaded(self, detail: ContractDetail) -> None:
        self.heading.setText(
            self.tr("{number}: {name}, {team}, {start} to {end}").format(
                number=detail.number,
                name=detail.resident_name,
                team=detail.team,
                start=labels.date(detail.start_date),
                end=labels.date(detail.end_date),
            )
        )
        self.date.setMinimumDate(qdate(detail.start_date))
        self.date.setMaximumDate(qdate(detail.end_date))
        self.ok_button.setEnabled(self.actor.can(Permission.END_CONTRACT))

    def submit(self) -> None:
        on, reason, note = pydate(self.date.date()), self.reason.currentData(), self.note.text()
        self.ok_button.setEnabled(False)
        self.runner.run(
            lambda s: contracts.end_contract(
                s, self.actor, self.contract_id, on=on, reason=reason, note=note
            ),
            write=True,
            on_success=self._ended,
            on_failure=self._failed,
        )

    def _ended(self, detail: ContractDetail) -> None:
        self.ended.emit(detail)
        self.accept()

    def _failed(self, error: BaseException, details: str) -> None:
        self.ok_button.setEnabled(True)
        if isinstance(error, FamilydocError):
            self.problem.setText(user_message(error))
            self.problem.show()
        else:
            show_error(self, error, details)
