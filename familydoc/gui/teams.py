"""The Teams & doctors page: teams with members and villages, doctors, packages, institutions.

Each tab is a list with its capacity figures (contracts in force against the capacity,
highlighted from 90%) and the dialogs to add or change what it lists; supervisors and
administrators may change, everyone else reads.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QCoreApplication, QDate, Qt, Signal
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from familydoc.core import teams
from familydoc.core.auth import Actor, Permission
from familydoc.core.context import AppContext
from familydoc.core.errors import FamilydocError
from familydoc.core.models import KEY_POPULATIONS, TEAM_ROLES
from familydoc.core.residents import village_choices
from familydoc.core.teams import (
    DoctorInput,
    DoctorRow,
    InstitutionInput,
    InstitutionRow,
    Load,
    PackageInput,
    PackageRow,
    TeamInput,
    TeamRow,
)
from familydoc.gui import labels
from familydoc.gui.errors import show_error, user_message
from familydoc.gui.pages import Page
from familydoc.gui.runner import OperationRunner
from familydoc.gui.sign_dialog import load_text, pydate, qdate, yuan

WARN_COLOUR = QColor("#fff3cd")
OVER_COLOUR = QColor("#fdecea")
INACTIVE_COLOUR = QColor("#eeeeee")


def load_colour(load: Load) -> QColor | None:
    return {"warn": WARN_COLOUR, "over": OVER_COLOUR}.get(load.level)


def _table(headers: list[str], name: str) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setAlternatingRowColors(True)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _fill_row(
    table: QTableWidget,
    row: int,
    cells: list[str],
    *,
    data: Any = None,
    colour: QColor | None = None,
    right: tuple[int, ...] = (),
) -> None:
    for column, text in enumerate(cells):
        item = QTableWidgetItem(text)
        if column == 0:
            item.setData(Qt.ItemDataRole.UserRole, data)
        if column in right:
            item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if colour is not None:
            item.setBackground(colour)
        table.setItem(row, column, item)


def _selected_data(table: QTableWidget) -> Any:
    rows = table.selectionModel().selectedRows()
    if not rows:
        return None
    item = table.item(rows[0].row(), 0)
    return item.data(Qt.ItemDataRole.UserRole) if item else None


class _FormDialog(QDialog):
    """A dialog that saves through the runner and shows the service's refusal in place."""

    saved = Signal(object)

    def __init__(self, runner: OperationRunner, actor: Actor, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.actor = actor
        self.problem = QLabel()
        self.problem.setObjectName("formProblem")
        self.problem.setStyleSheet("color: #b00020;")
        self.problem.setWordWrap(True)
        self.problem.hide()
        self.buttons = QDialogButtonBox()
        # tr() would look the text up under the subclass's name: name the context instead.
        self.save_button = self.buttons.addButton(
            QCoreApplication.translate("TeamForms", "Save"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.save_button.setObjectName("saveButton")
        self.save_button.clicked.connect(self.save)
        self.save_button.setEnabled(actor.can(Permission.MANAGE_TEAMS))
        cancel = self.buttons.addButton(
            QCoreApplication.translate("TeamForms", "Cancel"),
            QDialogButtonBox.ButtonRole.RejectRole,
        )
        cancel.clicked.connect(self.reject)

    def task(self) -> Any:
        """The save as a runner task; each form (team, doctor, package…) defines it."""
        raise NotImplementedError

    def save(self) -> None:
        try:
            task = self.task()
        except FamilydocError as error:
            self._failed(error, "")
            return
        self.save_button.setEnabled(False)
        self.runner.run(task, write=True, on_success=self._saved, on_failure=self._failed)

    def _saved(self, result: Any) -> None:
        self.save_button.setEnabled(True)
        self.saved.emit(result)
        self.accept()

    def _failed(self, error: BaseException, details: str) -> None:
        self.save_button.setEnabled(True)
        if isinstance(error, FamilydocError):
            self.problem.setText(user_message(error))
            self.problem.show()
        else:
            show_error(self, error, details)


def _capacity_spin(name: str, none_text: str) -> QSpinBox:
    spin = QSpinBox()
    spin.setObjectName(name)
    spin.setRange(0, 100_000)
    spin.setSingleStep(50)
    spin.setSpecialValueText(none_text)  # 0: no capacity set
    return spin


def _capacity_value(spin: QSpinBox) -> int | None:
    return spin.value() or None


class TeamsPage(Page):
    """Teams (with members and villages), doctors, service packages and institutions."""

    def __init__(self, context: AppContext, runner: OperationRunner, actor: Actor) -> None:
        super().__init__(context, runner, actor, self.tr("Teams & doctors"))
        self.may_manage = actor.can(Permission.MANAGE_TEAMS)
        self.team_rows: list[TeamRow] = []
        self.doctor_rows: list[DoctorRow] = []
        self.package_rows: list[PackageRow] = []
        self.institution_rows: list[InstitutionRow] = []
        self.villages: list[tuple[int, str, str]] = []
        self.tabs = QTabWidget()
        self.tabs.setObjectName("teamsTabs")
        self.tabs.addTab(self._teams_tab(), self.tr("Teams"))
        self.tabs.addTab(self._doctors_tab(), self.tr("Doctors"))
        self.tabs.addTab(self._packages_tab(), self.tr("Service packages"))
        self.tabs.addTab(self._institutions_tab(), self.tr("Institutions"))
        self.layout_.addWidget(self.tabs, 1)
        if not self.may_manage:
            note = QLabel(
                self.tr("Only supervisors and administrators change teams, doctors and packages.")
            )
            note.setObjectName("readOnlyNote")
            self.layout_.addWidget(note)

    # -- tabs ------------------------------------------------------------------------

    def _buttons(self, *buttons: QPushButton) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addStretch(1)
        for button in buttons:
            button.setEnabled(self.may_manage)
            row.addWidget(button)
        return row

    def _teams_tab(self) -> QWidget:
        tab = QWidget()
        self.teams_summary = QLabel()
        self.teams_summary.setObjectName("teamsSummary")
        self.tree = QTreeWidget()
        self.tree.setObjectName("teamsTree")
        self.tree.setHeaderLabels(
            [
                self.tr("Team / member"),
                self.tr("Role"),
                self.tr("Institution"),
                self.tr("Title / phone"),
                self.tr("Signed / capacity"),
            ]
        )
        self.tree.setColumnWidth(0, 210)
        self.tree.setColumnWidth(1, 150)
        self.tree.setColumnWidth(2, 300)
        self.tree.setColumnWidth(3, 280)
        self.tree.itemDoubleClicked.connect(lambda *_a: self.edit_team())
        self.new_team_button = QPushButton(self.tr("New team…"))
        self.new_team_button.setObjectName("newTeam")
        self.new_team_button.clicked.connect(lambda: self.edit_team(new=True))
        self.edit_team_button = QPushButton(self.tr("Edit team…"))
        self.edit_team_button.setObjectName("editTeam")
        self.edit_team_button.clicked.connect(lambda: self.edit_team())
        layout = QVBoxLayout(tab)
        layout.addWidget(self.teams_summary)
        layout.addWidget(self.tree, 1)
        layout.addLayout(self._buttons(self.new_team_button, self.edit_team_button))
        return tab

    def _doctors_tab(self) -> QWidget:
        tab = QWidget()
        self.doctors_table = _table(
            [
                self.tr("Name"),
                self.tr("Title"),
                self.tr("Licence no."),
                self.tr("Phone"),
                self.tr("Institution"),
                self.tr("Teams"),
                self.tr("Signed / capacity"),
            ],
            "doctorsTable",
        )
        for column, width in enumerate((80, 160, 150, 110, 150, 280)):
            self.doctors_table.setColumnWidth(column, width)
        self.doctors_table.itemDoubleClicked.connect(lambda *_a: self.edit_doctor())
        self.new_doctor_button = QPushButton(self.tr("New doctor…"))
        self.new_doctor_button.setObjectName("newDoctor")
        self.new_doctor_button.clicked.connect(lambda: self.edit_doctor(new=True))
        self.edit_doctor_button = QPushButton(self.tr("Edit doctor…"))
        self.edit_doctor_button.setObjectName("editDoctor")
        self.edit_doctor_button.clicked.connect(lambda: self.edit_doctor())
        layout = QVBoxLayout(tab)
        layout.addWidget(self.doctors_table, 1)
        layout.addLayout(self._buttons(self.new_doctor_button, self.edit_doctor_button))
        return tab

    def _packages_tab(self) -> QWidget:
        tab = QWidget()
        self.packages_table = _table(
            [
                self.tr("Package"),
                self.tr("Kind"),
                self.tr("Price"),
                self.tr("Insurance fund"),
                self.tr("Public-health funds"),
                self.tr("Self-pay"),
                self.tr("For"),
                self.tr("Valid"),
                self.tr("Contracts"),
            ],
            "packagesTable",
        )
        for column, width in enumerate((200, 90, 80, 80, 90, 80, 190, 190)):
            self.packages_table.setColumnWidth(column, width)
        note = QLabel(
            self.tr(
                "A new price or content is a new version from a date; contracts signed"
                " before keep the version and fees they were signed with."
            )
        )
        note.setWordWrap(True)
        self.new_package_button = QPushButton(self.tr("New package…"))
        self.new_package_button.setObjectName("newPackage")
        self.new_package_button.clicked.connect(lambda: self.edit_package(new=True))
        self.version_button = QPushButton(self.tr("New version…"))
        self.version_button.setObjectName("newVersion")
        self.version_button.clicked.connect(lambda: self.edit_package())
        self.retire_button = QPushButton(self.tr("Stop offering…"))
        self.retire_button.setObjectName("retirePackage")
        self.retire_button.clicked.connect(self.retire_package)
        layout = QVBoxLayout(tab)
        layout.addWidget(note)
        layout.addWidget(self.packages_table, 1)
        layout.addLayout(
            self._buttons(self.new_package_button, self.version_button, self.retire_button)
        )
        return tab

    def _institutions_tab(self) -> QWidget:
        tab = QWidget()
        self.institutions_table = _table(
            [
                self.tr("Code"),
                self.tr("Name"),
                self.tr("Kind"),
                self.tr("Phone"),
                self.tr("Supervision phone"),
                self.tr("Doctors"),
                self.tr("Address"),
            ],
            "institutionsTable",
        )
        for column, width in enumerate((120, 180, 150, 130, 130, 60)):
            self.institutions_table.setColumnWidth(column, width)
        self.institutions_table.itemDoubleClicked.connect(lambda *_a: self.edit_institution())
        self.new_institution_button = QPushButton(self.tr("New institution…"))
        self.new_institution_button.setObjectName("newInstitution")
        self.new_institution_button.clicked.connect(lambda: self.edit_institution(new=True))
        self.edit_institution_button = QPushButton(self.tr("Edit institution…"))
        self.edit_institution_button.setObjectName("editInstitution")
        self.edit_institution_button.clicked.connect(lambda: self.edit_institution())
        layout = QVBoxLayout(tab)
        layout.addWidget(self.institutions_table, 1)
        layout.addLayout(self._buttons(self.new_institution_button, self.edit_institution_button))
        return tab

    # -- loading ---------------------------------------------------------------------

    def refresh(self) -> None:
        today = dt.date.today()

        def load(session: Session) -> tuple[Any, ...]:
            return (
                teams.list_teams(session, today),
                teams.list_doctors(session, today),
                teams.list_packages(session),
                teams.list_institutions(session),
                village_choices(session),
            )

        self.runner.run(load, on_success=self._show, on_failure=self._failed)

    def _show(self, result: tuple[Any, ...]) -> None:
        (
            self.team_rows,
            self.doctor_rows,
            self.package_rows,
            self.institution_rows,
            self.villages,
        ) = result
        self._show_teams()
        self._show_doctors()
        self._show_packages()
        self._show_institutions()
        self.loaded = True

    def _show_teams(self) -> None:
        self.tree.clear()
        active = [t for t in self.team_rows if t.active]
        self.teams_summary.setText(
            self.tr(
                "{teams} teams, {signed} contracts in force; rows from 90% of a capacity"
                " are highlighted"
            ).format(teams=len(active), signed=sum(t.signed for t in active))
        )
        loads = {d.id: d.load for d in self.doctor_rows}
        for team in self.team_rows:
            villages = "、".join(name for _id, name in team.villages) or "—"
            item = QTreeWidgetItem(
                [
                    team.name if team.active else self.tr("{name} (closed)").format(name=team.name),
                    self.tr("Leader: {name}").format(name=team.leader or "—"),
                    self.tr("Villages: {names}").format(names=villages),
                    "",
                    load_text(team.load),
                ]
            )
            item.setData(0, Qt.ItemDataRole.UserRole, team.id)
            item.setToolTip(2, villages)
            font = QFont(item.font(0))
            font.setBold(True)
            item.setFont(0, font)
            colour = load_colour(team.load) if team.active else INACTIVE_COLOUR
            if colour is not None:
                for column in range(5):
                    item.setBackground(column, colour)
            for member in team.members:
                doctor = loads.get(member.doctor_id)
                child = QTreeWidgetItem(
                    [
                        member.name,
                        labels.team_role(member.role),
                        member.institution,
                        f"{member.title}  {member.phone}",
                        self.tr("as responsible doctor: {load}").format(load=load_text(doctor))
                        if doctor is not None and (doctor.capacity or doctor.signed)
                        else "",
                    ]
                )
                doctor_colour = load_colour(doctor) if doctor is not None else None
                if doctor_colour is not None:
                    child.setBackground(4, doctor_colour)
                child.setData(0, Qt.ItemDataRole.UserRole, team.id)
                item.addChild(child)
            self.tree.addTopLevelItem(item)
            item.setExpanded(True)

    def _show_doctors(self) -> None:
        self.doctors_table.setRowCount(len(self.doctor_rows))
        for row, doctor in enumerate(self.doctor_rows):
            team_text = "、".join(
                f"{team}（{labels.team_role(role)}）" for team, role in doctor.teams
            )
            name = (
                doctor.name if doctor.active else self.tr("{name} (left)").format(name=doctor.name)
            )
            _fill_row(
                self.doctors_table,
                row,
                [
                    name,
                    doctor.title,
                    doctor.licence_no,
                    doctor.phone,
                    doctor.institution,
                    team_text or "—",
                    load_text(doctor.load),
                ],
                data=doctor.id,
                colour=load_colour(doctor.load) if doctor.active else INACTIVE_COLOUR,
            )

    def _show_packages(self) -> None:
        self.packages_table.setRowCount(len(self.package_rows))
        today = dt.date.today()
        for row, package in enumerate(self.package_rows):
            valid = self.tr("from {start}").format(start=labels.date(package.valid_from))
            if package.valid_to:
                valid = self.tr("{start} to {end}").format(
                    start=labels.date(package.valid_from), end=labels.date(package.valid_to)
                )
            _fill_row(
                self.packages_table,
                row,
                [
                    package.name,
                    labels.package_kind(package.kind),
                    yuan(package.price_fen),
                    yuan(package.fund_insurance_fen),
                    yuan(package.fund_public_health_fen),
                    yuan(package.self_pay_fen),
                    "、".join(labels.population(c) for c in package.target_populations)
                    or self.tr("everyone"),
                    valid,
                    str(package.contracts),
                ],
                data=package.id,
                colour=None
                if package.valid_on(today) or package.valid_from > today
                else INACTIVE_COLOUR,
                right=(2, 3, 4, 5, 8),
            )
            tip = "\n".join(f"{i}：{f}" if f else i for i, f in package.items)
            self.packages_table.item(row, 0).setToolTip(tip)

    def _show_institutions(self) -> None:
        self.institutions_table.setRowCount(len(self.institution_rows))
        for row, institution in enumerate(self.institution_rows):
            kind = labels.institution_kind(institution.kind)
            if institution.is_home:
                kind = self.tr("{kind} (this database)").format(kind=kind)
            _fill_row(
                self.institutions_table,
                row,
                [
                    institution.code,
                    institution.name,
                    kind,
                    institution.phone,
                    institution.supervision_phone,
                    str(institution.doctors),
                    institution.address,
                ],
                data=institution.id,
                right=(5,),
            )

    # -- actions ---------------------------------------------------------------------

    def _selected_team(self) -> TeamRow | None:
        item = self.tree.currentItem()
        if item is None:
            return None
        team_id = item.data(0, Qt.ItemDataRole.UserRole)
        return next((t for t in self.team_rows if t.id == team_id), None)

    def _open(self, dialog: _FormDialog) -> _FormDialog:
        dialog.saved.connect(lambda _result: self.refresh())
        dialog.open()
        return dialog

    def edit_team(self, new: bool = False) -> _FormDialog | None:
        team = None if new else self._selected_team()
        if not new and team is None:
            return None
        return self._open(
            TeamDialog(self.runner, self.actor, team, self.doctor_rows, self.villages, self)
        )

    def edit_doctor(self, new: bool = False) -> _FormDialog | None:
        doctor_id = None if new else _selected_data(self.doctors_table)
        if not new and doctor_id is None:
            return None
        doctor = next((d for d in self.doctor_rows if d.id == doctor_id), None)
        return self._open(
            DoctorDialog(self.runner, self.actor, doctor, self.institution_rows, self)
        )

    def edit_package(self, new: bool = False) -> _FormDialog | None:
        package_id = None if new else _selected_data(self.packages_table)
        if not new and package_id is None:
            return None
        base = next((p for p in self.package_rows if p.id == package_id), None)
        if base is not None:  # a new version starts from the newest version of the code
            base = next(p for p in self.package_rows if p.code == base.code)
        return self._open(PackageDialog(self.runner, self.actor, base, self))

    def retire_package(self) -> _FormDialog | None:
        package_id = _selected_data(self.packages_table)
        package = next((p for p in self.package_rows if p.id == package_id), None)
        if package is None:
            return None
        newest = next(p for p in self.package_rows if p.code == package.code)
        return self._open(RetirePackageDialog(self.runner, self.actor, newest, self))

    def edit_institution(self, new: bool = False) -> _FormDialog | None:
        institution_id = None if new else _selected_data(self.institutions_table)
        if not new and institution_id is None:
            return None
        institution = next((i for i in self.institution_rows if i.id == institution_id), None)
        return self._open(InstitutionDialog(self.runner, self.actor, institution, self))


class DoctorDialog(_FormDialog):
    def __init__(
        self,
        runner: OperationRunner,
        actor: Actor,
        doctor: DoctorRow | None,
        institutions: list[InstitutionRow],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(runner, actor, parent)
        self.doctor = doctor
        self.setWindowTitle(self.tr("New doctor") if doctor is None else self.tr("Doctor"))
        self.setMinimumWidth(480)
        self.name = QLineEdit(doctor.name if doctor else "")
        self.name.setObjectName("doctorName")
        self.sex = QComboBox()
        self.sex.addItem("", "")
        self.sex.addItem(labels.sex("M"), "M")
        self.sex.addItem(labels.sex("F"), "F")
        self.sex.setCurrentIndex(max(0, self.sex.findData(doctor.sex if doctor else "")))
        self.title_edit = QComboBox()
        self.title_edit.setObjectName("doctorTitle")
        self.title_edit.setEditable(True)
        self.title_edit.addItems(
            ["", "主任医师", "副主任医师", "全科主治医师", "全科医师", "执业助理医师",
             "乡村医生", "主管护师", "护师", "公共卫生医师"]
        )  # fmt: skip
        self.title_edit.setCurrentText(doctor.title if doctor else "")
        self.licence = QLineEdit(doctor.licence_no if doctor else "")
        self.licence.setObjectName("doctorLicence")
        self.phone = QLineEdit(doctor.phone if doctor else "")
        self.phone.setObjectName("doctorPhone")
        self.institution = QComboBox()
        self.institution.setObjectName("doctorInstitution")
        for row in institutions:
            self.institution.addItem(row.name, row.id)
        if doctor is not None:
            self.institution.setCurrentIndex(self.institution.findData(doctor.institution_id))
        self.capacity = _capacity_spin("doctorCapacity", self.tr("No limit"))
        self.capacity.setValue(doctor.capacity or 0 if doctor else 0)
        self.active = QCheckBox(self.tr("Works here (can be chosen for contracts)"))
        self.active.setChecked(doctor.active if doctor else True)
        form = QFormLayout()
        form.addRow(self.tr("Name"), self.name)
        form.addRow(self.tr("Sex"), self.sex)
        form.addRow(self.tr("Title"), self.title_edit)
        form.addRow(self.tr("Practice licence no."), self.licence)
        form.addRow(self.tr("Phone"), self.phone)
        form.addRow(self.tr("Institution"), self.institution)
        form.addRow(self.tr("Capacity (residents)"), self.capacity)
        form.addRow("", self.active)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)

    def task(self) -> Any:
        data = DoctorInput(
            name=self.name.text(),
            sex=self.sex.currentData() or "",
            title=self.title_edit.currentText(),
            licence_no=self.licence.text(),
            phone=self.phone.text(),
            institution_id=self.institution.currentData(),
            capacity=_capacity_value(self.capacity),
            active=self.active.isChecked(),
        )
        doctor_id = self.doctor.id if self.doctor else None
        return lambda s: teams.save_doctor(s, self.actor, doctor_id, data)


class TeamDialog(_FormDialog):
    """A team: name, leader, capacity, members in roles and the villages served."""

    def __init__(
        self,
        runner: OperationRunner,
        actor: Actor,
        team: TeamRow | None,
        doctors: list[DoctorRow],
        villages: list[tuple[int, str, str]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(runner, actor, parent)
        self.team = team
        self.doctors = {d.id: d for d in doctors}
        self.setWindowTitle(self.tr("New team") if team is None else self.tr("Team"))
        self.setMinimumSize(720, 560)
        self.name = QLineEdit(team.name if team else "")
        self.name.setObjectName("teamName")
        self.leader = QComboBox()
        self.leader.setObjectName("teamLeader")
        self.capacity = _capacity_spin("teamCapacity", self.tr("No limit"))
        self.capacity.setValue(team.capacity or 0 if team else 0)
        self.active = QCheckBox(self.tr("Active (can sign new contracts)"))
        self.active.setChecked(team.active if team else True)

        self.members = QTableWidget(0, 4)
        self.members.setObjectName("teamMembers")
        self.members.setHorizontalHeaderLabels(
            [self.tr("Doctor"), self.tr("Institution"), self.tr("Role"), ""]
        )
        self.members.verticalHeader().setVisible(False)
        self.members.setColumnWidth(0, 150)
        self.members.setColumnWidth(1, 170)
        self.members.setColumnWidth(2, 190)
        self.members.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.add_doctor = QComboBox()
        self.add_doctor.setObjectName("addDoctor")
        for doctor in doctors:
            if doctor.active:
                about = "，".join(part for part in (doctor.title, doctor.institution) if part)
                self.add_doctor.addItem(f"{doctor.name}（{about}）", doctor.id)
        self.add_role = self._role_combo("general_practitioner")
        self.add_role.setObjectName("addRole")
        self.add_button = QPushButton(self.tr("Add member"))
        self.add_button.setObjectName("addMember")
        self.add_button.clicked.connect(
            lambda: self.add_member(self.add_doctor.currentData(), self.add_role.currentData())
        )
        add_row = QHBoxLayout()
        add_row.addWidget(self.add_doctor, 2)
        add_row.addWidget(self.add_role, 1)
        add_row.addWidget(self.add_button)

        self.villages = QListWidget()
        self.villages.setObjectName("teamVillages")
        served = {village_id for village_id, _name in team.villages} if team else set()
        for village_id, code, name in villages:
            item = QListWidgetItem(f"{name}（{code[-3:]}）")
            item.setData(Qt.ItemDataRole.UserRole, village_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(
                Qt.CheckState.Checked if village_id in served else Qt.CheckState.Unchecked
            )
            self.villages.addItem(item)

        form = QFormLayout()
        form.addRow(self.tr("Name"), self.name)
        form.addRow(self.tr("Leader"), self.leader)
        form.addRow(self.tr("Capacity (residents)"), self.capacity)
        form.addRow("", self.active)
        members_box = QGroupBox(self.tr("Members"))
        members_layout = QVBoxLayout(members_box)
        members_layout.addWidget(self.members)
        members_layout.addLayout(add_row)
        villages_box = QGroupBox(self.tr("Villages served"))
        villages_layout = QVBoxLayout(villages_box)
        villages_layout.addWidget(self.villages)
        grid = QGridLayout()
        grid.addWidget(members_box, 0, 0)
        grid.addWidget(villages_box, 0, 1)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(grid, 1)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        if team is not None:
            for member in team.members:
                self.add_member(member.doctor_id, member.role)
            self.leader.setCurrentIndex(max(0, self.leader.findData(team.leader_id)))

    def _role_combo(self, role: str) -> QComboBox:
        combo = QComboBox()
        for code in TEAM_ROLES:
            combo.addItem(labels.team_role(code), code)
        combo.setCurrentIndex(combo.findData(role))
        return combo

    def member_ids(self) -> list[int]:
        return [
            self.members.item(row, 0).data(Qt.ItemDataRole.UserRole)
            for row in range(self.members.rowCount())
        ]

    def add_member(self, doctor_id: int | None, role: str) -> None:
        if doctor_id is None or doctor_id in self.member_ids():
            return
        doctor = self.doctors.get(doctor_id)
        if doctor is None:
            return
        row = self.members.rowCount()
        self.members.insertRow(row)
        name = QTableWidgetItem(doctor.name)
        name.setData(Qt.ItemDataRole.UserRole, doctor_id)
        name.setFlags(name.flags() & ~Qt.ItemFlag.ItemIsEditable)
        self.members.setItem(row, 0, name)
        institution = QTableWidgetItem(doctor.institution)
        institution.setFlags(institution.flags() & ~Qt.ItemFlag.ItemIsEditable)
        self.members.setItem(row, 1, institution)
        self.members.setCellWidget(row, 2, self._role_combo(role))
        remove = QPushButton(self.tr("Remove"))
        remove.clicked.connect(lambda: self.remove_member(doctor_id))
        self.members.setCellWidget(row, 3, remove)
        self._refresh_leaders()

    def remove_member(self, doctor_id: int) -> None:
        ids = self.member_ids()
        if doctor_id in ids:
            self.members.removeRow(ids.index(doctor_id))
        self._refresh_leaders()

    def _refresh_leaders(self) -> None:
        current = self.leader.currentData()
        self.leader.clear()
        for doctor_id in self.member_ids():
            self.leader.addItem(self.doctors[doctor_id].name, doctor_id)
        self.leader.setCurrentIndex(max(0, self.leader.findData(current)))

    def task(self) -> Any:
        members = tuple(
            (doctor_id, self.members.cellWidget(row, 2).currentData())  # type: ignore[union-attr]
            for row, doctor_id in enumerate(self.member_ids())
        )
        villages = tuple(
            self.villages.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.villages.count())
            if self.villages.item(i).checkState() == Qt.CheckState.Checked
        )
        data = TeamInput(
            name=self.name.text(),
            leader_id=self.leader.currentData(),
            capacity=_capacity_value(self.capacity),
            active=self.active.isChecked(),
            members=members,
            village_ids=villages,
        )
        team_id = self.team.id if self.team else None
        return lambda s: teams.save_team(s, self.actor, team_id, data)


def _money_spin(name: str) -> QDoubleSpinBox:
    spin = QDoubleSpinBox()
    spin.setObjectName(name)
    spin.setDecimals(2)
    spin.setRange(0, 100_000)
    spin.setPrefix("¥")
    spin.setSingleStep(10)
    return spin


class PackageDialog(_FormDialog):
    """A new package, or (given the newest version) a new version of it from a date."""

    def __init__(
        self,
        runner: OperationRunner,
        actor: Actor,
        base: PackageRow | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(runner, actor, parent)
        self.base = base
        self.setWindowTitle(
            self.tr("New service package")
            if base is None
            else self.tr("New version of {name}").format(name=base.name)
        )
        self.setMinimumSize(700, 600)
        self.code = QLineEdit(base.code if base else "")
        self.code.setObjectName("packageCode")
        self.code.setPlaceholderText("elderly_plus")
        self.code.setEnabled(base is None)
        self.name = QLineEdit(base.name if base else "")
        self.name.setObjectName("packageName")
        self.kind = QComboBox()
        self.kind.setObjectName("packageKind")
        self.kind.addItem(labels.package_kind("personalised"), "personalised")
        self.kind.addItem(labels.package_kind("basic"), "basic")
        if base is not None:
            self.kind.setCurrentIndex(self.kind.findData(base.kind))
            self.kind.setEnabled(False)
        self.description = QLineEdit(base.description if base else "")
        self.insurance = _money_spin("feeInsurance")
        self.public = _money_spin("feePublicHealth")
        self.own = _money_spin("feeSelfPay")
        if base is not None:
            self.insurance.setValue(base.fund_insurance_fen / 100)
            self.public.setValue(base.fund_public_health_fen / 100)
            self.own.setValue(base.self_pay_fen / 100)
        self.total = QLabel()
        self.total.setObjectName("packageTotal")
        for spin in (self.insurance, self.public, self.own):
            spin.valueChanged.connect(lambda _v: self._show_total())
        self.kind.currentIndexChanged.connect(lambda _i: self._kind_changed())
        self.valid_from = QDateEdit()
        self.valid_from.setObjectName("packageValidFrom")
        self.valid_from.setDisplayFormat("yyyy-MM-dd")
        self.valid_from.setCalendarPopup(True)
        start = dt.date.today()
        if base is not None:
            start = max(start, base.valid_from + dt.timedelta(days=1))
        self.valid_from.setDate(qdate(start))
        self.targets = {code: QCheckBox(labels.population(code)) for code in KEY_POPULATIONS}
        for code, box in self.targets.items():
            box.setChecked(bool(base and code in base.target_populations))
        self.items = QTableWidget(0, 2)
        self.items.setObjectName("packageItems")
        self.items.setHorizontalHeaderLabels([self.tr("Service item"), self.tr("Frequency")])
        self.items.setColumnWidth(0, 380)
        self.items.horizontalHeader().setStretchLastSection(True)
        for item, frequency in base.items if base else ():
            self._add_item(item, frequency)
        if base is None:
            self._add_item("", "")
        add_item = QPushButton(self.tr("Add item"))
        add_item.clicked.connect(lambda: self._add_item("", ""))
        remove_item = QPushButton(self.tr("Remove item"))
        remove_item.clicked.connect(self._remove_item)

        form = QFormLayout()
        form.addRow(self.tr("Code"), self.code)
        form.addRow(self.tr("Name"), self.name)
        form.addRow(self.tr("Kind"), self.kind)
        form.addRow(self.tr("Description"), self.description)
        fees = QHBoxLayout()
        for text, spin in (
            (self.tr("Insurance fund"), self.insurance),
            (self.tr("Public-health funds"), self.public),
            (self.tr("Self-pay"), self.own),
        ):
            fees.addWidget(QLabel(text))
            fees.addWidget(spin)
        fees.addWidget(self.total, 1)
        form.addRow(self.tr("Fees"), fees)
        form.addRow(self.tr("Offered from"), self.valid_from)
        targets_box = QGroupBox(self.tr("Meant for (leave empty for everyone)"))
        targets_grid = QGridLayout(targets_box)
        for index, box in enumerate(self.targets.values()):
            targets_grid.addWidget(box, index // 5, index % 5)
        item_buttons = QHBoxLayout()
        item_buttons.addStretch(1)
        item_buttons.addWidget(add_item)
        item_buttons.addWidget(remove_item)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(targets_box)
        layout.addWidget(QLabel(self.tr("Service items")))
        layout.addWidget(self.items, 1)
        layout.addLayout(item_buttons)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self._kind_changed()

    def _add_item(self, item: str, frequency: str) -> None:
        row = self.items.rowCount()
        self.items.insertRow(row)
        self.items.setItem(row, 0, QTableWidgetItem(item))
        self.items.setItem(row, 1, QTableWidgetItem(frequency))

    def _remove_item(self) -> None:
        row = self.items.currentRow()
        if row >= 0:
            self.items.removeRow(row)

    def _kind_changed(self) -> None:
        basic = self.kind.currentData() == "basic"
        for spin in (self.insurance, self.public, self.own):
            if basic:
                spin.setValue(0)
            spin.setEnabled(not basic)
        self._show_total()

    def _show_total(self) -> None:
        total = round(self.insurance.value() * 100) + round(self.public.value() * 100)
        total += round(self.own.value() * 100)
        self.total.setText(self.tr("Price {price}").format(price=yuan(total)))

    def task(self) -> Any:
        items = []
        for row in range(self.items.rowCount()):
            item = self.items.item(row, 0)
            frequency = self.items.item(row, 1)
            items.append((item.text() if item else "", frequency.text() if frequency else ""))
        data = PackageInput(
            code=self.code.text(),
            name=self.name.text(),
            kind=self.kind.currentData(),
            description=self.description.text(),
            target_populations=frozenset(c for c, box in self.targets.items() if box.isChecked()),
            fund_insurance_fen=round(self.insurance.value() * 100),
            fund_public_health_fen=round(self.public.value() * 100),
            self_pay_fen=round(self.own.value() * 100),
            items=tuple(items),
            valid_from=pydate(self.valid_from.date()),
        )
        if self.base is None:
            return lambda s: teams.create_package(s, self.actor, data)
        code = self.base.code
        return lambda s: teams.new_package_version(s, self.actor, code, data)


class RetirePackageDialog(_FormDialog):
    def __init__(
        self,
        runner: OperationRunner,
        actor: Actor,
        package: PackageRow,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(runner, actor, parent)
        self.package = package
        self.setWindowTitle(self.tr("Stop offering {name}").format(name=package.name))
        self.last_day = QDateEdit(QDate.currentDate())
        self.last_day.setObjectName("lastDay")
        self.last_day.setDisplayFormat("yyyy-MM-dd")
        self.last_day.setCalendarPopup(True)
        self.last_day.setMinimumDate(qdate(package.valid_from))
        explanation = QLabel(
            self.tr(
                "Contracts starting after the last day cannot choose this package."
                " Contracts already signed keep it."
            )
        )
        explanation.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("Last day offered"), self.last_day)
        layout = QVBoxLayout(self)
        layout.addWidget(explanation)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)

    def task(self) -> Any:
        code, last = self.package.code, pydate(self.last_day.date())
        return lambda s: teams.retire_package(s, self.actor, code, last)


class InstitutionDialog(_FormDialog):
    def __init__(
        self,
        runner: OperationRunner,
        actor: Actor,
        institution: InstitutionRow | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(runner, actor, parent)
        self.institution = institution
        self.setWindowTitle(
            self.tr("New institution") if institution is None else self.tr("Institution")
        )
        self.setMinimumWidth(520)
        home = institution is not None and institution.is_home
        self.code = QLineEdit(institution.code if institution else "")
        self.code.setObjectName("institutionCode")
        self.code.setEnabled(not home)
        self.name = QLineEdit(institution.name if institution else "")
        self.name.setObjectName("institutionName")
        self.kind = QComboBox()
        self.kind.setObjectName("institutionKind")
        if home:
            self.kind.addItem(labels.institution_kind("township_centre"), "township_centre")
            self.kind.setEnabled(False)
        else:
            for code in ("village_clinic", "county_hospital"):
                self.kind.addItem(labels.institution_kind(code), code)
            if institution is not None:
                self.kind.setCurrentIndex(self.kind.findData(institution.kind))
        self.phone = QLineEdit(institution.phone if institution else "")
        self.supervision = QLineEdit(institution.supervision_phone if institution else "")
        self.supervision.setObjectName("supervisionPhone")
        self.address = QLineEdit(institution.address if institution else "")
        form = QFormLayout()
        form.addRow(self.tr("Code"), self.code)
        form.addRow(self.tr("Name"), self.name)
        form.addRow(self.tr("Kind"), self.kind)
        form.addRow(self.tr("Phone"), self.phone)
        form.addRow(self.tr("Supervision phone"), self.supervision)
        form.addRow(self.tr("Address"), self.address)
        layout = QVBoxLayout(self)
        if home:
            note = QLabel(
                self.tr("The code of this institution starts every contract number and stays.")
            )
            note.setWordWrap(True)
            layout.addWidget(note)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)

    def task(self) -> Any:
        data = InstitutionInput(
            code=self.code.text(),
            name=self.name.text(),
            kind=self.kind.currentData(),
            phone=self.phone.text(),
            supervision_phone=self.supervision.text(),
            address=self.address.text(),
        )
        institution_id = self.institution.id if self.institution else None
        return lambda s: teams.save_institution(s, self.actor, institution_id, data)
