"""The signing form: sign, renew or change team, with capacity warnings and the guardian.

Opened from the resident's dialog (sign, renew) and from the contracts page (renew,
change team). The form checks what it can as it is filled (who must sign through a
guardian, the capacity of the team and doctor); the service checks everything again.
Signing past 100% of a capacity needs a supervisor: one logged in confirms with a tick,
otherwise a supervisor at the workstation enters their name and password.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from familydoc.core import contracts
from familydoc.core.auth import Actor, Permission
from familydoc.core.contracts import (
    ContractDetail,
    OverCapacity,
    SignContext,
    SignInput,
    default_end,
)
from familydoc.core.errors import FamilydocError, RuleViolation
from familydoc.core.residents import GUARDIAN_RELATIONS
from familydoc.core.teams import CapacityCheck, Load, PackageRow, capacity_check
from familydoc.gui import labels
from familydoc.gui.errors import show_error, user_message
from familydoc.gui.runner import OperationRunner

WARN_STYLE = "color: #8a5a00; background: #fff3cd; padding: 4px;"
OVER_STYLE = "color: #b00020; background: #fdecea; padding: 4px;"
OK_STYLE = "color: #2e5e2e; padding: 4px;"


def print_dialog_available() -> bool:
    """True when the printing feature (its preview dialog) is installed."""
    return importlib.util.find_spec("familydoc.gui.print_preview") is not None


def open_print_dialog(
    runner: OperationRunner, actor: Actor, numbers: list[str], parent: QWidget | None
) -> QDialog:
    from familydoc.gui.print_preview import ContractPrintDialog  # the printing feature

    dialog = ContractPrintDialog(runner, actor, numbers, parent)
    dialog.open()
    return dialog


def qdate(value: dt.date) -> QDate:
    return QDate(value.year, value.month, value.day)


def pydate(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


def yuan(fen: int) -> str:
    return f"¥{fen / 100:,.2f}"


def load_text(load: Load) -> str:
    if load.capacity is None:
        return f"{load.signed}"
    ratio = load.ratio or 0.0
    percent = "—" if ratio == float("inf") else f"{ratio * 100:.0f}%"
    return f"{load.signed} / {load.capacity}（{percent}）"


class SignDialog(QDialog):
    """Signs a resident (``mode`` sign), renews a contract (renew) or changes team."""

    signed = Signal(object)  # the ContractDetail of the new contract

    def __init__(
        self,
        runner: OperationRunner,
        actor: Actor,
        resident_id: int,
        *,
        mode: str = "sign",
        contract_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        assert mode in ("sign", "renew", "change_team")
        self.runner = runner
        self.actor = actor
        self.resident_id = resident_id
        self.mode = mode
        self.contract_id = contract_id
        self.context: SignContext | None = None
        self.plan: contracts.RenewalPlan | None = None
        self.capacity: CapacityCheck | None = None
        self.result_detail: ContractDetail | None = None
        self.print_after = False
        self._end_touched = False
        self._capacity_generation = 0
        self.setWindowTitle(
            {
                "sign": self.tr("Sign a contract"),
                "renew": self.tr("Renew the contract"),
                "change_team": self.tr("Change team"),
            }[mode]
        )
        self.setMinimumWidth(940)

        self.summary = QLabel(self.tr("Loading…"))
        self.summary.setObjectName("signSummary")
        self.summary.setWordWrap(True)
        self.current = QLabel()
        self.current.setObjectName("currentContract")
        self.current.setWordWrap(True)
        self.problems = QLabel()
        self.problems.setObjectName("signProblems")
        self.problems.setStyleSheet("color: #b00020;")
        self.problems.setWordWrap(True)
        self.problems.hide()

        self.team = QComboBox()
        self.team.setObjectName("teamCombo")
        self.doctor = QComboBox()
        self.doctor.setObjectName("doctorCombo")
        self.capacity_label = QLabel()
        self.capacity_label.setObjectName("capacityLabel")
        self.capacity_label.setWordWrap(True)
        self.signed_on = QDateEdit(QDate.currentDate())
        self.signed_on.setObjectName("signedOn")
        self.start = QDateEdit(QDate.currentDate())
        self.start.setObjectName("startDate")
        self.end = QDateEdit()
        self.end.setObjectName("endDate")
        for edit in (self.signed_on, self.start, self.end):
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setCalendarPopup(True)
        self.signed_on.setMaximumDate(QDate.currentDate())
        self.end.setDate(qdate(default_end(dt.date.today())))

        self.packages_box = QGroupBox(self.tr("Service packages"))
        self.packages_layout = QVBoxLayout(self.packages_box)
        self.package_checks: dict[str, QCheckBox] = {}
        self.fees = QLabel()
        self.fees.setObjectName("feesLabel")

        self.in_person = QRadioButton(self.tr("In person"))
        self.in_person.setObjectName("methodInPerson")
        self.by_guardian = QRadioButton(self.tr("By a guardian"))
        self.by_guardian.setObjectName("methodGuardian")
        self.in_person.setChecked(True)
        self.method_group = QButtonGroup(self)
        self.method_group.addButton(self.in_person)
        self.method_group.addButton(self.by_guardian)
        self.method_note = QLabel()
        self.method_note.setObjectName("methodNote")
        self.method_note.setWordWrap(True)
        self.guardian_name = QLineEdit()
        self.guardian_name.setObjectName("guardianName")
        self.guardian_relation = QComboBox()
        self.guardian_relation.setObjectName("guardianRelation")
        self.guardian_relation.setEditable(True)
        self.guardian_relation.addItems(["", *GUARDIAN_RELATIONS])
        self.guardian_id = QLineEdit()
        self.guardian_id.setObjectName("guardianId")
        self.guardian_phone = QLineEdit()
        self.guardian_phone.setObjectName("guardianPhone")
        self.guardian_box = QGroupBox(self.tr("Guardian"))
        guardian_form = QFormLayout(self.guardian_box)
        guardian_form.addRow(self.tr("Name"), self.guardian_name)
        guardian_form.addRow(self.tr("Relation"), self.guardian_relation)
        guardian_form.addRow(self.tr("ID number"), self.guardian_id)
        guardian_form.addRow(self.tr("Phone"), self.guardian_phone)

        self.approval_box = QGroupBox(self.tr("Supervisor's confirmation"))
        self.approval_box.setObjectName("approvalBox")
        approval = QFormLayout(self.approval_box)
        self.self_approve = QCheckBox(self.tr("As supervisor I confirm signing past the capacity"))
        self.self_approve.setObjectName("selfApprove")
        self.approver_name = QLineEdit()
        self.approver_name.setObjectName("approverName")
        self.approver_password = QLineEdit()
        self.approver_password.setObjectName("approverPassword")
        self.approver_password.setEchoMode(QLineEdit.EchoMode.Password)
        if actor.can(Permission.APPROVE_OVER_CAPACITY):
            approval.addRow(self.self_approve)
        else:
            explanation = QLabel(
                self.tr(
                    "A supervisor confirms here with their user name and password;"
                    " the confirmation is recorded in the audit log."
                )
            )
            explanation.setWordWrap(True)
            approval.addRow(explanation)
            approval.addRow(self.tr("Supervisor"), self.approver_name)
            approval.addRow(self.tr("Password"), self.approver_password)
        self.approval_box.hide()

        left = QFormLayout()
        left.addRow(self.tr("Team"), self.team)
        left.addRow(self.tr("Responsible doctor"), self.doctor)
        left.addRow("", self.capacity_label)
        left.addRow(self.tr("Signed on"), self.signed_on)
        self.start_label = QLabel(self.tr("Start"))
        left.addRow(self.start_label, self.start)
        left.addRow(self.tr("End"), self.end)
        method_row = QHBoxLayout()
        method_row.addWidget(self.in_person)
        method_row.addWidget(self.by_guardian)
        method_row.addStretch(1)
        left.addRow(self.tr("Signing"), method_row)
        left.addRow("", self.method_note)
        right = QVBoxLayout()
        right.addWidget(self.packages_box)
        right.addWidget(self.fees)
        right.addWidget(self.guardian_box)
        right.addStretch(1)
        columns = QGridLayout()
        columns.addLayout(left, 0, 0)
        columns.addLayout(right, 0, 1)
        columns.setColumnStretch(0, 1)
        columns.setColumnStretch(1, 1)

        self.buttons = QDialogButtonBox()
        self.ok_button = self.buttons.addButton(
            {
                "sign": self.tr("Sign"),
                "renew": self.tr("Renew"),
                "change_team": self.tr("Change team"),
            }[mode],
            QDialogButtonBox.ButtonRole.AcceptRole,
        )
        self.ok_button.setObjectName("signButton")
        self.ok_button.setDefault(True)
        self.ok_button.clicked.connect(lambda: self.submit(print_after=False))
        self.print_button: QPushButton | None = None
        if print_dialog_available():
            self.print_button = self.buttons.addButton(
                self.tr("Sign and print…") if mode != "renew" else self.tr("Renew and print…"),
                QDialogButtonBox.ButtonRole.ActionRole,
            )
            self.print_button.setObjectName("signAndPrint")
            self.print_button.clicked.connect(lambda: self.submit(print_after=True))
        cancel = self.buttons.addButton(self.tr("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        cancel.clicked.connect(self.reject)
        self._set_ready(False)

        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.current)
        layout.addWidget(self.problems)
        layout.addLayout(columns)
        layout.addWidget(self.approval_box)
        layout.addWidget(self.buttons)

        self.team.currentIndexChanged.connect(self._team_changed)
        self.doctor.currentIndexChanged.connect(lambda _i: self._check_capacity())
        self.start.dateChanged.connect(self._start_changed)
        self.end.dateChanged.connect(lambda _d: self._end_edited())
        self.by_guardian.toggled.connect(self._method_changed)
        self._method_changed(False)

        if not actor.can(Permission.SIGN_CONTRACT):
            self.problems.setText(self.tr("Your account may not sign contracts."))
            self.problems.show()
        self.runner.run(self._load, on_success=self._loaded, on_failure=self._load_failed)

    # -- loading ---------------------------------------------------------------------

    def _load(self, session: Session) -> tuple[SignContext, contracts.RenewalPlan | None]:
        context = contracts.sign_context(session, self.actor, self.resident_id)
        plan = None
        if self.mode == "renew":
            contract_id = self.contract_id or (context.current.id if context.current else None)
            if contract_id is None:
                raise RuleViolation(contracts.NOTHING_TO_RENEW)
            plan = contracts.renewal_plan(session, self.actor, contract_id)
        return context, plan

    def _load_failed(self, error: BaseException, details: str) -> None:
        self.summary.setText(user_message(error))
        self.summary.setStyleSheet("color: #b00020;")
        show_error(self, error, details)

    def _loaded(self, result: tuple[SignContext, contracts.RenewalPlan | None]) -> None:
        context, plan = result
        self.context, self.plan = context, plan
        resident = context.resident
        parts = [
            self.tr("{name}, {sex}, {age} years, {village}").format(
                name=resident.name,
                sex=labels.sex(resident.sex),
                age=resident.age,
                village=resident.village,
            )
        ]
        if resident.id_number:
            parts.append(self.tr("ID {number}").format(number=resident.id_number))
        if resident.populations:
            parts.append("、".join(labels.population(code) for code in resident.populations))
        self.summary.setText("；".join(parts))
        if context.current is not None:
            self.current.setText(
                self.tr("Current contract {number}: {team}, {start} to {end} ({status}).").format(
                    number=context.current.number,
                    team=context.current.team,
                    start=labels.date(context.current.start_date),
                    end=labels.date(context.current.end_date),
                    status=labels.contract_status(context.current.status),
                )
            )
        else:
            self.current.setText(self.tr("No contract in force."))

        exclude_team = (
            context.current.team_id
            if self.mode == "change_team" and context.current is not None
            else None
        )
        self.team.blockSignals(True)
        self.team.clear()
        for team in context.teams:
            if team.id == exclude_team:
                continue
            text = team.name
            if team.id in context.serving_team_ids:
                text += self.tr(" (serves {village})").format(village=resident.village)
            self.team.addItem(text, team.id)
        self.team.blockSignals(False)

        today = context.today
        if self.mode == "renew" and plan is not None:
            self.start.setDate(qdate(plan.start_date))
            self.start.setEnabled(False)
            self.start_label.setText(self.tr("Start (day after the old end)"))
            self.end.setDate(qdate(plan.end_date))
            self._select(self.team, plan.team_id)
        elif self.mode == "change_team" and context.current is not None:
            self.signed_on.setEnabled(False)  # signed the day of the change (or today)
            self.start_label.setText(self.tr("New team from"))
            self.start.setDate(qdate(max(today, context.current.start_date)))
            self.start.setMinimumDate(qdate(context.current.start_date))
            self.start.setMaximumDate(qdate(context.current.end_date))
            self.end.setDate(qdate(context.current.end_date))
            self._end_touched = True  # keeps the old end date
        else:
            self.start.setDate(qdate(today))
            self.end.setDate(qdate(default_end(today)))
        self._team_changed()
        if plan is not None and plan.doctor_id is not None:
            self._select(self.doctor, plan.doctor_id)
        self._fill_packages()
        self._fill_guardian()
        if resident.left:
            self.problems.setText(
                self.tr("{name} is marked as moved out or deceased and cannot be signed.").format(
                    name=resident.name
                )
            )
            self.problems.show()
            self._set_ready(False)
            return
        if plan is not None and plan.dropped_packages:
            self.problems.setText(
                self.tr("No longer offered, left out of the renewal: {names}").format(
                    names="、".join(plan.dropped_packages)
                )
            )
            self.problems.setStyleSheet("color: #8a5a00;")
            self.problems.show()
        self._set_ready(self.actor.can(Permission.SIGN_CONTRACT) and self.team.count() > 0)
        self._check_capacity()

    @staticmethod
    def _select(combo: QComboBox, value: Any) -> None:
        index = combo.findData(value)
        if index >= 0:
            combo.setCurrentIndex(index)

    def _set_ready(self, ready: bool) -> None:
        self.ok_button.setEnabled(ready)
        if self.print_button is not None:
            self.print_button.setEnabled(ready)

    # -- live feedback ---------------------------------------------------------------

    def _team(self) -> Any:
        if self.context is None:
            return None
        team_id = self.team.currentData()
        return next((t for t in self.context.teams if t.id == team_id), None)

    def _team_changed(self, _index: int = -1) -> None:
        team = self._team()
        self.doctor.blockSignals(True)
        self.doctor.clear()
        if team is not None:
            for member in team.members:
                if not member.active or member.role == "nurse":
                    continue
                self.doctor.addItem(
                    f"{member.name}（{labels.team_role(member.role)}）", member.doctor_id
                )
            # The team leader is proposed; any member but the nurses may be responsible.
            self._select(self.doctor, team.leader_id)
        self.doctor.blockSignals(False)
        self._check_capacity()

    def _start_changed(self, value: QDate) -> None:
        if not self._end_touched and self.mode != "renew":
            self.end.blockSignals(True)
            self.end.setDate(qdate(default_end(pydate(value))))
            self.end.blockSignals(False)
        if self.mode == "sign" and self.signed_on.date() > value:
            self.signed_on.setDate(min(value, QDate.currentDate()))
        self._fill_packages()
        self._fill_guardian()
        self._check_capacity()

    def _end_edited(self) -> None:
        self._end_touched = True

    def _fill_packages(self) -> None:
        if self.context is None:
            return
        chosen = {code for code, box in self.package_checks.items() if box.isChecked()}
        if not self.package_checks and self.plan is not None:
            chosen = set(self.plan.package_codes)
        elif not self.package_checks and self.mode == "change_team" and self.context.current:
            chosen = {p.code for p in self.context.current.packages}
        for box in self.package_checks.values():
            self.packages_layout.removeWidget(box)
            box.deleteLater()
        self.package_checks = {}
        for package in self.context.packages_on(pydate(self.start.date())):
            box = QCheckBox(self._package_text(package))
            box.setObjectName(f"package_{package.code}")
            box.setToolTip(
                "\n".join(
                    f"{item}{'：' + frequency if frequency else ''}"
                    for item, frequency in package.items
                )
            )
            if package.kind == "basic":
                box.setChecked(True)
                box.setEnabled(False)  # always included
            else:
                box.setChecked(package.code in chosen)
            box.toggled.connect(lambda _on: self._show_fees())
            self.packages_layout.addWidget(box)
            self.package_checks[package.code] = box
        if not self.package_checks:
            box = QCheckBox(self.tr("No package is offered on this date."))
            box.setEnabled(False)
            self.packages_layout.addWidget(box)
            self.package_checks["-"] = box
        self._show_fees()

    def _package_text(self, package: PackageRow) -> str:
        if package.kind == "basic":
            text = self.tr("{name} (free, always included)").format(name=package.name)
        elif package.price_fen == 0:
            text = self.tr("{name} (free)").format(name=package.name)
        else:
            text = f"{package.name}  {yuan(package.price_fen)}\n    " + self.tr(
                "insurance fund {insurance}, public-health funds {public}, self-pay {own}"
            ).format(
                insurance=yuan(package.fund_insurance_fen),
                public=yuan(package.fund_public_health_fen),
                own=yuan(package.self_pay_fen),
            )
        if package.target_populations:
            text += "\n    " + self.tr("For: {who}").format(
                who="、".join(labels.population(code) for code in package.target_populations)
            )
        return text

    def chosen_packages(self) -> list[PackageRow]:
        if self.context is None:
            return []
        offered = {p.code: p for p in self.context.packages_on(pydate(self.start.date()))}
        return [
            offered[code]
            for code, box in self.package_checks.items()
            if box.isChecked() and code in offered
        ]

    def _show_fees(self) -> None:
        chosen = self.chosen_packages()
        total = sum(p.price_fen for p in chosen)
        own = sum(p.self_pay_fen for p in chosen)
        self.fees.setText(
            self.tr("Total {total}, of which the resident pays {own}").format(
                total=yuan(total), own=yuan(own)
            )
        )

    def _fill_guardian(self) -> None:
        if self.context is None:
            return
        resident = self.context.resident
        needs = resident.needs_guardian(pydate(self.signed_on.date()))
        source: Any = None
        if self.plan is not None and self.plan.signing_method == "guardian":
            source = self.plan
        elif (
            self.mode == "change_team"
            and self.context.current is not None
            and self.context.current.signing_method == "guardian"
        ):
            source = self.context.current
        elif resident.guardian_name:
            source = resident
        if source is not None and not self.guardian_name.text():
            self.guardian_name.setText(source.guardian_name)
            self.guardian_relation.setCurrentText(source.guardian_relation)
            self.guardian_id.setText(source.guardian_id_number)
            self.guardian_phone.setText(source.guardian_phone)
        if needs:
            self.by_guardian.setChecked(True)
            self.in_person.setEnabled(False)
            self.method_note.setText(
                self.tr("A minor or a resident lacking capacity signs through a guardian.")
                if not resident.lacks_capacity
                else self.tr("Recorded as lacking capacity: signs through a guardian.")
            )
        else:
            self.in_person.setEnabled(True)
            self.method_note.setText("")
            if source is not None and source is not resident:
                self.by_guardian.setChecked(True)

    def _method_changed(self, by_guardian: bool) -> None:
        self.guardian_box.setEnabled(by_guardian)

    def _check_capacity(self) -> None:
        team_id, doctor_id = self.team.currentData(), self.doctor.currentData()
        if team_id is None or doctor_id is None or self.context is None:
            self.capacity_label.setText("")
            return
        day = pydate(self.start.date())
        exclude = (
            self.context.current.id
            if self.mode == "change_team" and self.context.current is not None
            else None
        )
        self._capacity_generation += 1
        generation = self._capacity_generation

        def check(session: Session) -> CapacityCheck:
            return capacity_check(session, team_id, doctor_id, day, exclude_contract_id=exclude)

        self.runner.run(
            check,
            on_success=lambda result: self._show_capacity(generation, result),
            on_failure=lambda error, details: None,
        )

    def _show_capacity(self, generation: int, check: CapacityCheck) -> None:
        if generation != self._capacity_generation:
            return
        self.capacity = check
        text = self.tr("After signing: team {team}, doctor {doctor}").format(
            team=load_text(check.team), doctor=load_text(check.doctor)
        )
        if check.over:
            text += "\n" + self.tr("Past the capacity: a supervisor must confirm before signing.")
            self.capacity_label.setStyleSheet(OVER_STYLE)
        elif check.warn:
            text += "\n" + self.tr("Nearly full: 90% or more of the capacity is taken.")
            self.capacity_label.setStyleSheet(WARN_STYLE)
        else:
            self.capacity_label.setStyleSheet(OK_STYLE)
        self.capacity_label.setText(text)
        self.approval_box.setVisible(check.over)

    # -- submitting ------------------------------------------------------------------

    def collect(self) -> SignInput:
        guardian = self.by_guardian.isChecked()
        return SignInput(
            resident_id=self.resident_id,
            team_id=self.team.currentData(),
            doctor_id=self.doctor.currentData(),
            package_codes=tuple(p.code for p in self.chosen_packages()),
            start_date=pydate(self.start.date()),
            end_date=pydate(self.end.date()),
            signed_on=pydate(self.signed_on.date()),
            signing_method="guardian" if guardian else "in_person",
            guardian_name=self.guardian_name.text() if guardian else "",
            guardian_relation=self.guardian_relation.currentText() if guardian else "",
            guardian_id_number=self.guardian_id.text() if guardian else "",
            guardian_phone=self.guardian_phone.text() if guardian else "",
        )

    def submit(self, print_after: bool = False) -> None:
        if self.context is None:
            return
        self.print_after = print_after
        data = self.collect()
        self.problems.hide()
        self._set_ready(False)
        needs_approval = self.capacity is not None and self.capacity.over
        if needs_approval and not self.actor.can(Permission.APPROVE_OVER_CAPACITY):
            name, password = self.approver_name.text().strip(), self.approver_password.text()
            if not name or not password:
                self._refuse(
                    self.tr("Ask a supervisor to enter their user name and password below.")
                )
                return
            self.runner.run(
                lambda s: contracts.confirm_supervisor(s, name, password),
                write=True,
                on_success=lambda approval: self._approved(data, approval),
                on_failure=self._failed,
            )
            return
        approver = None
        if needs_approval:
            if not self.self_approve.isChecked():
                self._refuse(self.tr("Tick the confirmation to sign past the capacity."))
                return
            approver = self.actor
        self._store(data, approver)

    def _approved(self, data: SignInput, approval: contracts.Approval) -> None:
        self.approver_password.clear()
        if approval.actor is None:
            assert approval.error is not None
            self._refuse(user_message(approval.error))
            return
        self._store(data, approval.actor)

    def _store(self, data: SignInput, approver: Actor | None) -> None:
        mode, contract_id = self.mode, self.contract_id
        current = self.context.current if self.context else None
        plan = self.plan

        def store(session: Session) -> ContractDetail:
            if mode == "renew":
                assert plan is not None
                return contracts.renew(
                    session, self.actor, plan.contract_id, data, approver=approver
                )
            if mode == "change_team":
                old_id = contract_id or (current.id if current else None)
                assert old_id is not None and data.team_id and data.doctor_id
                assert data.start_date is not None
                return contracts.change_team(
                    session,
                    self.actor,
                    old_id,
                    on=data.start_date,
                    team_id=data.team_id,
                    doctor_id=data.doctor_id,
                    package_codes=data.package_codes,
                    end_date=data.end_date,
                    approver=approver,
                )
            return contracts.sign(session, self.actor, data, approver=approver)

        self.runner.run(store, write=True, on_success=self._stored, on_failure=self._failed)

    def _stored(self, detail: ContractDetail) -> None:
        self.result_detail = detail
        self.signed.emit(detail)
        parent = self.parentWidget()
        self.accept()
        if self.print_after:
            open_print_dialog(self.runner, self.actor, [detail.number], parent)

    def _refuse(self, message: str) -> None:
        self.problems.setStyleSheet("color: #b00020;")
        self.problems.setText(message)
        self.problems.show()
        self._set_ready(True)

    def _failed(self, error: BaseException, details: str) -> None:
        if isinstance(error, OverCapacity):
            self._show_capacity(self._capacity_generation, error.check)
        if isinstance(error, FamilydocError):
            self._refuse(user_message(error))
            return
        self._set_ready(True)
        show_error(self, error, details)


def open_sign_dialog(
    runner: OperationRunner,
    actor: Actor,
    resident_id: int,
    *,
    mode: str = "sign",
    contract_id: int | None = None,
    parent: QWidget | None = None,
) -> SignDialog:
    dialog = SignDialog(
        runner, actor, resident_id, mode=mode, contract_id=contract_id, parent=parent
    )
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
