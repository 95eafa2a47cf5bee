"""The Residents page: find as you type, filter and sort in SQL, register and edit, households."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
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
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from familydoc.core import residents
from familydoc.core.auth import Actor, Permission
from familydoc.core.context import AppContext
from familydoc.core.errors import RuleViolation
from familydoc.core.idnumber import validate as validate_id_number
from familydoc.core.models import TAG_CODES
from familydoc.core.residents import (
    EXPIRING_DAYS,
    GUARDIAN_RELATIONS,
    INSURANCE_TYPES,
    RELATIONS,
    RESIDENT_LIST_COLUMNS,
    InvalidResident,
    ResidentDetail,
    ResidentFilter,
    ResidentInput,
)
from familydoc.gui import labels
from familydoc.gui.errors import show_error, user_message
from familydoc.gui.pages import ENDED_COLOUR, ENDING_SOON_COLOUR, _ListPage
from familydoc.gui.runner import OperationRunner
from familydoc.gui.table_model import Column, PagedTableModel

SEARCH_DELAY_MS = 150
PRESIGNED_COLOUR = QColor("#e3f0fb")  # not covered yet: a contract signed ahead starts later
LIST_COLUMN = {name: index for index, name in enumerate(RESIDENT_LIST_COLUMNS)}
ERROR_STYLE = "border: 1px solid #b00020; background: #fff5f5;"


def _qdate(value: dt.date) -> QDate:
    return QDate(value.year, value.month, value.day)


def _pydate(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


class ResidentsPage(_ListPage):
    """The resident list: one search box, filters and column sorting, all done in SQL."""

    def __init__(self, context: AppContext, runner: OperationRunner, actor: Actor) -> None:
        self.filters = ResidentFilter()
        columns = [
            Column(self.tr("Name"), "name", sort_key="name"),
            Column(self.tr("Sex"), "sex", labels.sex, sort_key="sex"),
            Column(self.tr("Birth date"), "birth_date", labels.date, sort_key="birth_date"),
            Column(self.tr("ID number"), "id_number"),
            Column(self.tr("Phone"), "phone"),
            Column(self.tr("Village"), "village", sort_key="village"),
            Column(self.tr("Household"), "household", sort_key="household"),
            Column(self.tr("Status"), "status", labels.resident_status, sort_key="status"),
            Column(
                self.tr("Signed until"),
                "contract_end",
                sort_key="contract_end",
                row_format=self._signed_until,
            ),
        ]
        model = PagedTableModel(runner, self._query, columns, row_background=self._background)
        super().__init__(
            context,
            runner,
            actor,
            self.tr("Residents"),
            model,
            {0: 90, 1: 50, 2: 100, 3: 170, 4: 120, 5: 100, 6: 100, 7: 80},
        )
        model.sortRequested.connect(self._sort)
        self.view.setSortingEnabled(True)
        self.view.horizontalHeader().setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        self.view.doubleClicked.connect(lambda index: self.open_resident(index.row()))

        self.search = QLineEdit()
        self.search.setObjectName("residentSearch")
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(
            self.tr("Find: name, pinyin initials (zs), ID or phone digits, record number")
        )
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._apply_filters)
        self.search.textChanged.connect(lambda _text: self._search_timer.start())

        self.village = QComboBox()
        self.village.setObjectName("villageFilter")
        self.village.addItem(self.tr("All villages"), None)
        self.population = QComboBox()
        self.population.setObjectName("populationFilter")
        self.population.addItem(self.tr("All residents"), None)
        self.population.addItem(labels.population("any_key"), "any_key")
        for code in ("elderly_65", "child_0_6", *TAG_CODES):
            self.population.addItem(labels.population(code), code)
        self.signing = QComboBox()
        self.signing.setObjectName("signingFilter")
        for text, value in (
            (self.tr("Signed or not"), None),
            (self.tr("Signed"), "signed"),
            (self.tr("Not signed"), "unsigned"),
            (self.tr("Pre-signed (starts later)"), "presigned"),
            (self.tr("Ending within 30 days"), "expiring"),
        ):
            self.signing.addItem(text, value)
        self.status = QComboBox()
        self.status.setObjectName("statusFilter")
        for text, value in (
            (self.tr("Living here"), "active"),
            (self.tr("Moved out or deceased"), "left"),
            (self.tr("Everyone"), "all"),
        ):
            self.status.addItem(text, value)
        for combo in (self.village, self.population, self.signing, self.status):
            combo.currentIndexChanged.connect(self._apply_filters)

        self.new_button = QPushButton(self.tr("New resident…"))
        self.new_button.setObjectName("newResident")
        self.new_button.clicked.connect(self.new_resident)
        self.import_button = QPushButton(self.tr("Import…"))
        self.import_button.setObjectName("importResidents")
        self.import_button.setToolTip(self.tr("Import a village roster from Excel or CSV"))
        self.import_button.clicked.connect(self.open_import)
        self.open_button = QPushButton(self.tr("Open…"))
        self.open_button.clicked.connect(self._open_selected)
        self.household_button = QPushButton(self.tr("Household…"))
        self.household_button.clicked.connect(self._open_household)
        can_edit = actor.can(Permission.EDIT_RESIDENTS)
        self.new_button.setEnabled(can_edit)
        self.import_button.setEnabled(can_edit)

        bar = QHBoxLayout()
        bar.addWidget(self.search, 3)
        for widget in (self.village, self.population, self.signing, self.status):
            bar.addWidget(widget, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.count_label, 1)
        for button in (
            self.new_button,
            self.import_button,
            self.open_button,
            self.household_button,
        ):
            buttons.addWidget(button)
        self.extra_buttons = buttons  # other features add their buttons here
        # The count label moves from its default place into the button row.
        self.layout_.removeWidget(self.count_label)
        self.layout_.insertLayout(1, bar)
        self.layout_.insertLayout(2, buttons)
        self._villages_loaded = False

    def _query(self, _session: Session) -> Any:
        return residents.resident_list(self.filters, dt.date.today())

    def _signed_until(self, row: tuple[Any, ...]) -> str:
        """The end of the coverage (renewals included), or the start of a contract signed ahead."""
        end, ahead = row[LIST_COLUMN["contract_end"]], row[LIST_COLUMN["presigned_from"]]
        if end is not None:
            return labels.date(end)
        if ahead is not None:
            return self.tr("Pre-signed, from {date}").format(date=labels.date(ahead))
        return self.tr("Not signed")

    @staticmethod
    def _background(row: tuple[Any, ...]) -> QColor | None:
        if row[LIST_COLUMN["status"]] != "active":
            return ENDED_COLOUR
        end = row[LIST_COLUMN["contract_end"]]
        if end is not None and end <= dt.date.today() + dt.timedelta(days=EXPIRING_DAYS):
            return ENDING_SOON_COLOUR
        if end is None and row[LIST_COLUMN["presigned_from"]] is not None:
            return PRESIGNED_COLOUR
        return None

    def count_text(self, count: int) -> str:
        if (
            self.filters.text
            or self.filters.village_id
            or self.filters.population
            or self.filters.signing
            or self.filters.status != "active"
        ):
            if self.model.count_is_at_least():
                return self.tr(
                    "More than {count} residents found: the first {count} are listed; type more"
                    " to narrow the search"
                ).format(count=count)
            return self.tr("{count} residents found").format(count=count)
        return self.tr("{count} residents living here (ID numbers and phones are masked)").format(
            count=count
        )

    def open_import(self) -> QDialog:
        """The import wizard; the list and the village filter reload after a commit."""
        from familydoc.gui.import_wizard import ImportWizard

        wizard = ImportWizard(self.runner, self.actor, self)
        wizard.imported.connect(lambda _report: self._imported())
        wizard.open()
        return wizard

    def _imported(self) -> None:
        self._villages_loaded = False  # a villages import may have added some
        self.refresh()

    def refresh(self) -> None:
        if not self._villages_loaded:
            self.runner.run(
                residents.village_choices, on_success=self._show_villages, on_failure=self._failed
            )
        self.model.refresh()

    def _show_villages(self, villages: list[tuple[int, str, str]]) -> None:
        self._villages_loaded = True
        current = self.village.currentData()
        self.village.blockSignals(True)
        while self.village.count() > 1:
            self.village.removeItem(1)
        for village_id, code, name in villages:
            self.village.addItem(f"{name}（{code[-3:]}）", village_id)
        self.village.setCurrentIndex(max(0, self.village.findData(current)))
        self.village.blockSignals(False)

    def _apply_filters(self) -> None:
        self.filters = self.filters.with_(
            text=self.search.text(),
            village_id=self.village.currentData(),
            population=self.population.currentData(),
            signing=self.signing.currentData(),
            status=self.status.currentData() or "active",
        )
        self.model.refresh()

    def _sort(self, key: str, descending: bool) -> None:
        self.filters = self.filters.with_(sort=key, descending=descending)
        self.model.refresh()

    def _selected_row(self) -> int | None:
        rows = self.view.selectionModel().selectedRows()
        return rows[0].row() if rows else None

    def _open_selected(self) -> None:
        row = self._selected_row()
        if row is not None:
            self.open_resident(row)

    def open_resident(self, row: int) -> ResidentDialog | None:
        resident_id = self.model.value(row, "id")
        if resident_id is None:
            return None
        dialog = ResidentDialog(self.runner, self.actor, resident_id, parent=self)
        dialog.saved.connect(lambda _detail: self.model.refresh())
        dialog.open()
        return dialog

    def new_resident(self) -> ResidentDialog:
        dialog = ResidentDialog(self.runner, self.actor, None, parent=self)
        dialog.saved.connect(lambda _detail: self.model.refresh())
        dialog.open()
        return dialog

    def _open_household(self) -> None:
        row = self._selected_row()
        if row is None:
            return
        household_id = self.model.value(row, "household_id")
        if household_id is None:
            QMessageBox(
                QMessageBox.Icon.Information,
                self.title,
                self.tr("This resident belongs to no household yet."),
                QMessageBox.StandardButton.Ok,
                self,
            ).open()
            return
        dialog = HouseholdDialog(self.runner, self.actor, household_id, parent=self)
        dialog.changed.connect(self.model.refresh)
        dialog.open()


class ResidentDialog(QDialog):
    """Registers a new resident or shows and edits one; problems appear beside their fields."""

    saved = Signal(object)  # the ResidentDetail after saving

    def __init__(
        self,
        runner: OperationRunner,
        actor: Actor,
        resident_id: int | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.runner = runner
        self.actor = actor
        self.resident_id = resident_id
        self.detail: ResidentDetail | None = None
        self.setWindowTitle(self.tr("New resident") if resident_id is None else self.tr("Resident"))
        self.setMinimumWidth(760)
        self.problems = QLabel()
        self.problems.setObjectName("formProblems")
        self.problems.setStyleSheet("color: #b00020;")
        self.problems.setWordWrap(True)
        self.problems.hide()
        self.summary = QLabel()
        self.summary.setObjectName("residentSummary")
        self.summary.setWordWrap(True)

        self.name = QLineEdit()
        self.id_number = QLineEdit()
        self.id_number.setMaxLength(24)
        self.id_info = QLabel()
        self.id_info.setObjectName("idInfo")
        self.sex = QComboBox()
        self.sex.addItem(labels.sex("M"), "M")
        self.sex.addItem(labels.sex("F"), "F")
        self.birth_date = QDateEdit()
        self.birth_date.setDisplayFormat("yyyy-MM-dd")
        self.birth_date.setCalendarPopup(True)
        self.birth_date.setMaximumDate(QDate.currentDate())
        self.birth_date.setDate(QDate.currentDate())
        self.phone = QLineEdit()
        self.village = QComboBox()
        self.household = QLineEdit()
        self.relation = QComboBox()
        self.relation.setEditable(True)
        self.relation.addItems(["", *RELATIONS])
        self.address = QLineEdit()
        self.health_record = QLineEdit()
        self.insurance = QComboBox()
        self.insurance.setEditable(True)
        self.insurance.addItems(["", *INSURANCE_TYPES])
        self.moved_in_check = QCheckBox(self.tr("Moved in on"))
        self.moved_in = QDateEdit()
        self.moved_in.setDisplayFormat("yyyy-MM-dd")
        self.moved_in.setCalendarPopup(True)
        self.moved_in.setDate(QDate.currentDate())
        self.moved_in.setEnabled(False)
        self.moved_in_check.toggled.connect(self.moved_in.setEnabled)
        self.tags = {code: QCheckBox(labels.population(code)) for code in TAG_CODES}
        self.lacks_capacity = QCheckBox(self.tr("Lacks capacity (signs through a guardian)"))
        self.guardian_name = QLineEdit()
        self.guardian_relation = QComboBox()
        self.guardian_relation.setEditable(True)
        self.guardian_relation.addItems(["", *GUARDIAN_RELATIONS])
        self.guardian_id = QLineEdit()
        self.guardian_phone = QLineEdit()
        self.fields: dict[str, QWidget] = {
            "name": self.name,
            "id_number": self.id_number,
            "sex": self.sex,
            "birth_date": self.birth_date,
            "phone": self.phone,
            "village": self.village,
            "household_number": self.household,
            "relation_to_head": self.relation,
            "address": self.address,
            "health_record_no": self.health_record,
            "insurance_type": self.insurance,
            "moved_in_on": self.moved_in,
            "guardian_name": self.guardian_name,
            "guardian_relation": self.guardian_relation,
            "guardian_id_number": self.guardian_id,
            "guardian_phone": self.guardian_phone,
        }
        for name, widget in self.fields.items():
            widget.setObjectName(f"field_{name}")
        self.id_number.textChanged.connect(self._id_changed)

        person = QFormLayout()
        person.addRow(self.tr("Name"), self.name)
        person.addRow(self.tr("ID number"), self.id_number)
        person.addRow("", self.id_info)
        person.addRow(self.tr("Sex"), self.sex)
        person.addRow(self.tr("Birth date"), self.birth_date)
        person.addRow(self.tr("Phone"), self.phone)
        person.addRow(self.tr("Health record no."), self.health_record)
        person.addRow(self.tr("Insurance"), self.insurance)
        home = QFormLayout()
        home.addRow(self.tr("Village"), self.village)
        home.addRow(self.tr("Household no."), self.household)
        home.addRow(self.tr("Relation to head"), self.relation)
        home.addRow(self.tr("Address"), self.address)
        home.addRow(self.moved_in_check, self.moved_in)
        top = QHBoxLayout()
        top.addLayout(person, 1)
        top.addLayout(home, 1)

        tags_box = QGroupBox(self.tr("Key populations (age groups are computed)"))
        tags_grid = QGridLayout(tags_box)
        for index, box in enumerate(self.tags.values()):
            tags_grid.addWidget(box, index // 4, index % 4)
        guardian_box = QGroupBox(self.tr("Guardian"))
        guardian = QFormLayout(guardian_box)
        guardian.addRow(self.lacks_capacity)
        guardian.addRow(self.tr("Name"), self.guardian_name)
        guardian.addRow(self.tr("Relation"), self.guardian_relation)
        guardian.addRow(self.tr("ID number"), self.guardian_id)
        guardian.addRow(self.tr("Phone"), self.guardian_phone)

        self.buttons = QDialogButtonBox()
        self.save_button = self.buttons.addButton(
            self.tr("Save"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.save_button.setObjectName("saveResident")
        self.save_button.clicked.connect(self.save)
        close = self.buttons.addButton(self.tr("Close"), QDialogButtonBox.ButtonRole.RejectRole)
        close.clicked.connect(self.reject)
        self.reveal_button = QPushButton(self.tr("Show full numbers"))
        self.reveal_button.setObjectName("revealButton")
        self.reveal_button.clicked.connect(lambda: self._load(reveal=True))
        self.leave_button = QPushButton(self.tr("Moved out / deceased…"))
        self.leave_button.setObjectName("leaveButton")
        self.leave_button.clicked.connect(self._leave_or_return)
        self.household_button = QPushButton(self.tr("Household…"))
        self.household_button.clicked.connect(self._open_household)
        self.sign_button = QPushButton(self.tr("Sign…"))
        self.sign_button.setObjectName("signContract")
        self.sign_button.clicked.connect(lambda: self.open_signing("sign"))
        self.renew_button = QPushButton(self.tr("Renew…"))
        self.renew_button.setObjectName("renewContract")
        self.renew_button.clicked.connect(lambda: self.open_signing("renew"))
        extra = QHBoxLayout()
        for button in (
            self.reveal_button,
            self.leave_button,
            self.household_button,
            self.sign_button,
            self.renew_button,
        ):
            extra.addWidget(button)
            button.setVisible(resident_id is not None)
        self.reveal_button.setVisible(
            resident_id is not None and actor.can(Permission.VIEW_UNMASKED)
        )
        extra.addStretch(1)
        extra.addWidget(self.buttons)

        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.problems)
        layout.addLayout(top)
        layout.addWidget(tags_box)
        layout.addWidget(guardian_box)
        layout.addLayout(extra)
        self.save_button.setEnabled(actor.can(Permission.EDIT_RESIDENTS))
        self.runner.run(
            residents.village_choices, on_success=self._show_villages, on_failure=self._failed
        )

    # -- loading -----------------------------------------------------------------------

    def _show_villages(self, villages: list[tuple[int, str, str]]) -> None:
        for _village_id, code, name in villages:
            self.village.addItem(f"{name}（{code}）", code)
        if self.resident_id is not None:
            self._load(reveal=False)
        else:
            self.summary.setText(
                self.tr(
                    "Enter the resident's data. With an ID number, birth"
                    " date and sex are taken from it."
                )
            )

    def _load(self, reveal: bool) -> None:
        resident_id = self.resident_id
        assert resident_id is not None

        def load(session: Session) -> tuple[ResidentDetail, ResidentInput]:
            detail = residents.get_detail(session, self.actor, resident_id)
            data = residents.editable_input(session, self.actor, resident_id, reveal=reveal)
            return detail, data

        self.runner.run(
            load, on_success=self._loaded, on_failure=self._failed, write=reveal
        )  # revealing writes an audit event

    def _loaded(self, result: tuple[ResidentDetail, ResidentInput]) -> None:
        detail, data = result
        self.detail = detail
        self.fill(data)
        self._show_summary(detail)
        self.leave_button.setText(
            self.tr("Bring back…") if detail.left_on else self.tr("Moved out / deceased…")
        )
        self.household_button.setEnabled(detail.household_id is not None)
        self._contract_buttons(detail)

    def _contract_buttons(self, detail: ResidentDetail) -> None:
        """Sign when not signed, renew when the contract ends within 30 days."""
        may = self.actor.can(Permission.SIGN_CONTRACT) and detail.left_on is None
        self.sign_button.setEnabled(may and detail.contract is None)
        self.renew_button.setEnabled(
            may and detail.contract is not None and detail.contract.expiring
        )

    def open_signing(self, mode: str) -> QDialog | None:
        if self.detail is None:
            return None
        from familydoc.gui.sign_dialog import SignDialog  # the contracts feature

        dialog = SignDialog(self.runner, self.actor, self.detail.id, mode=mode, parent=self)
        dialog.signed.connect(lambda _contract: self._signed())
        dialog.open()
        return dialog

    def _signed(self) -> None:
        self._load(reveal=False)
        if self.detail is not None:
            self.saved.emit(self.detail)

    def _show_summary(self, detail: ResidentDetail) -> None:
        parts = [self.tr("{name}, {age} years").format(name=detail.name, age=detail.age)]
        if detail.populations:
            parts.append("、".join(labels.population(code) for code in detail.populations))
        if detail.contract and detail.contract.presigned:
            parts.append(
                self.tr("pre-signed with {team}, from {start}").format(
                    team=detail.contract.team, start=labels.date(detail.contract.start_date)
                )
            )
        elif detail.contract:
            parts.append(
                self.tr("signed with {team} until {end}").format(
                    team=detail.contract.team, end=labels.date(detail.contract.covered_until)
                )
            )
        else:
            parts.append(self.tr("not signed"))
        if detail.left_on:
            parts.append(
                self.tr("{status} on {date}").format(
                    status=labels.resident_status(detail.left_reason),
                    date=labels.date(detail.left_on),
                )
            )
        self.summary.setText("；".join(parts))

    def fill(self, data: ResidentInput) -> None:
        self.name.setText(data.name)
        self.id_number.setText(data.id_number)
        self.sex.setCurrentIndex(max(0, self.sex.findData(data.sex)))
        if data.birth_date:
            self.birth_date.setDate(_qdate(data.birth_date))
        self.phone.setText(data.phone)
        self.village.setCurrentIndex(max(0, self.village.findData(data.village)))
        self.household.setText(data.household_number)
        self.relation.setCurrentText(data.relation_to_head)
        self.address.setText(data.address)
        self.health_record.setText(data.health_record_no)
        self.insurance.setCurrentText(data.insurance_type)
        self.moved_in_check.setChecked(data.moved_in_on is not None)
        if data.moved_in_on:
            self.moved_in.setDate(_qdate(data.moved_in_on))
        for code, box in self.tags.items():
            box.setChecked(code in data.tags)
        self.lacks_capacity.setChecked(data.lacks_capacity)
        self.guardian_name.setText(data.guardian_name)
        self.guardian_relation.setCurrentText(data.guardian_relation)
        self.guardian_id.setText(data.guardian_id_number)
        self.guardian_phone.setText(data.guardian_phone)

    def collect(self) -> ResidentInput:
        has_id = bool(self.id_number.text().strip())
        return ResidentInput(
            name=self.name.text(),
            id_number=self.id_number.text(),
            sex="" if has_id else self.sex.currentData(),
            birth_date=None if has_id else _pydate(self.birth_date.date()),
            phone=self.phone.text(),
            village=self.village.currentData() or "",
            household_number=self.household.text(),
            relation_to_head=self.relation.currentText(),
            address=self.address.text(),
            health_record_no=self.health_record.text(),
            insurance_type=self.insurance.currentText(),
            tags=frozenset(code for code, box in self.tags.items() if box.isChecked()),
            lacks_capacity=self.lacks_capacity.isChecked(),
            guardian_name=self.guardian_name.text(),
            guardian_relation=self.guardian_relation.currentText(),
            guardian_id_number=self.guardian_id.text(),
            guardian_phone=self.guardian_phone.text(),
            moved_in_on=_pydate(self.moved_in.date()) if self.moved_in_check.isChecked() else None,
        )

    # -- live feedback and saving ------------------------------------------------------

    def _id_changed(self, text: str) -> None:
        """Birth date and sex come from a valid ID number; it is checked as it is typed."""
        has_id = bool(text.strip())
        self.sex.setEnabled(not has_id)
        self.birth_date.setEnabled(not has_id)
        if not has_id:
            self.id_info.setText(
                self.tr("No ID number (newborn): enter birth date, sex and a guardian.")
            )
            return
        if "*" in text:
            self.id_info.setText(self.tr("Masked: leave it as it is to keep the number."))
            return
        try:
            info = validate_id_number(text)
        except RuleViolation as error:
            self.id_info.setText(user_message(error) if len(text.strip()) >= 18 else "")
            return
        self.sex.setCurrentIndex(self.sex.findData(info.sex))
        self.birth_date.setDate(_qdate(info.birth_date))
        self.id_info.setText(
            self.tr("Born {date}, {sex}, {age} years").format(
                date=labels.date(info.birth_date),
                sex=labels.sex(info.sex),
                age=residents.age_on(info.birth_date, dt.date.today()),
            )
        )

    def save(self) -> None:
        data = self.collect()
        resident_id = self.resident_id

        def store(session: Session) -> ResidentDetail:
            if resident_id is None:
                return residents.register(session, self.actor, data)
            return residents.update(session, self.actor, resident_id, data)

        self.save_button.setEnabled(False)
        self.runner.run(store, write=True, on_success=self._saved, on_failure=self._save_failed)

    def _saved(self, detail: ResidentDetail) -> None:
        self.save_button.setEnabled(True)
        self.resident_id = detail.id
        self.detail = detail
        self._mark_problems([])
        self.saved.emit(detail)
        self.accept()

    def _save_failed(self, error: BaseException, details: str) -> None:
        self.save_button.setEnabled(True)
        if isinstance(error, InvalidResident):
            self._mark_problems(error.problems)
        else:
            show_error(self, error, details)

    def _mark_problems(self, problems: list[residents.Problem]) -> None:
        for widget in self.fields.values():
            widget.setStyleSheet("")
        if not problems:
            self.problems.hide()
            return
        lines = []
        for problem in problems:
            widget = self.fields.get(problem.field)
            if widget is not None:
                widget.setStyleSheet(ERROR_STYLE)
            lines.append("• " + user_message(problem.error))
        self.problems.setText("\n".join(lines))
        self.problems.show()
        first = self.fields.get(problems[0].field)
        if first is not None:
            first.setFocus()

    def _failed(self, error: BaseException, details: str) -> None:
        show_error(self, error, details)

    def _leave_or_return(self) -> None:
        if self.detail is None:
            return
        resident_id = self.detail.id
        if self.detail.left_on:
            box = QMessageBox(
                QMessageBox.Icon.Question,
                self.windowTitle(),
                self.tr("Bring {name} back into the list of residents living here?").format(
                    name=self.detail.name
                ),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                self,
            )
            box.setObjectName("bringBackConfirm")

            def confirmed(button: int) -> None:
                if button == QMessageBox.StandardButton.Yes:
                    self.runner.run(
                        lambda s: residents.bring_back(s, self.actor, resident_id),
                        write=True,
                        on_success=self._changed,
                        on_failure=self._failed,
                    )

            box.finished.connect(confirmed)
            box.open()
            return
        dialog = LeaveDialog(self.detail.name, self)
        dialog.accepted.connect(
            lambda: self.runner.run(
                lambda s: residents.mark_left(
                    s,
                    self.actor,
                    resident_id,
                    on=dialog.on(),
                    reason=dialog.reason(),
                    note=dialog.note.text(),
                ),
                write=True,
                on_success=self._changed,
                on_failure=self._failed,
            )
        )
        dialog.open()

    def _changed(self, detail: ResidentDetail) -> None:
        self.detail = detail
        self._show_summary(detail)
        self._contract_buttons(detail)
        self.leave_button.setText(
            self.tr("Bring back…") if detail.left_on else self.tr("Moved out / deceased…")
        )
        self.saved.emit(detail)

    def _open_household(self) -> None:
        if self.detail is None or self.detail.household_id is None:
            return
        dialog = HouseholdDialog(self.runner, self.actor, self.detail.household_id, parent=self)
        dialog.open()


class LeaveDialog(QDialog):
    """Asks the date and reason a resident left; nothing is deleted."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Moved out or deceased"))
        self.reason_box = QComboBox()
        self.reason_box.setObjectName("leaveReason")
        self.reason_box.addItem(labels.resident_status("moved_out"), "moved_out")
        self.reason_box.addItem(labels.resident_status("deceased"), "deceased")
        self.date = QDateEdit(QDate.currentDate())
        self.date.setObjectName("leaveDate")
        self.date.setDisplayFormat("yyyy-MM-dd")
        self.date.setCalendarPopup(True)
        self.date.setMaximumDate(QDate.currentDate())
        self.note = QLineEdit()
        self.note.setObjectName("leaveNote")
        form = QFormLayout()
        form.addRow(self.tr("Reason"), self.reason_box)
        form.addRow(self.tr("Date"), self.date)
        form.addRow(self.tr("Note"), self.note)
        explanation = QLabel(
            self.tr(
                "{name} stays in the database and leaves the signing-rate denominators from this"
                " date. This can be undone with “Bring back”."
            ).format(name=name)
        )
        explanation.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(explanation)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def on(self) -> dt.date:
        return _pydate(self.date.date())

    def reason(self) -> str:
        return str(self.reason_box.currentData())


class HouseholdDialog(QDialog):
    """A household: its head, its members and each member's contract state; moving members."""

    changed = Signal()

    def __init__(
        self,
        runner: OperationRunner,
        actor: Actor,
        household_id: int,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.runner = runner
        self.actor = actor
        self.household_id = household_id
        self.detail: residents.HouseholdDetail | None = None
        self.setWindowTitle(self.tr("Household"))
        self.setMinimumSize(720, 380)
        self.heading = QLabel()
        self.heading.setObjectName("householdHeading")
        self.table = QTableWidget(0, 6)
        self.table.setObjectName("householdMembers")
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Name"),
                self.tr("Relation"),
                self.tr("Sex"),
                self.tr("Age"),
                self.tr("Status"),
                self.tr("Contract"),
            ]
        )
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.target = QLineEdit()
        self.target.setObjectName("moveTarget")
        self.target.setPlaceholderText(self.tr("Household no. to move the selected member to"))
        self.target_relation = QComboBox()
        self.target_relation.setEditable(True)
        self.target_relation.addItems(["", *RELATIONS])
        self.move_button = QPushButton(self.tr("Move member"))
        self.move_button.setObjectName("moveMember")
        self.move_button.clicked.connect(self._move)
        self.move_button.setEnabled(actor.can(Permission.EDIT_RESIDENTS))
        move_row = QHBoxLayout()
        move_row.addWidget(self.target, 2)
        move_row.addWidget(self.target_relation, 1)
        move_row.addWidget(self.move_button)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.table, 1)
        layout.addLayout(move_row)
        layout.addWidget(close)
        self.reload()

    def reload(self) -> None:
        self.runner.run(
            lambda s: residents.household_detail(s, self.actor, self.household_id),
            on_success=self._show,
            on_failure=self._failed,
        )

    def _show(self, detail: residents.HouseholdDetail) -> None:
        self.detail = detail
        self.heading.setText(
            self.tr("Household {number} of {village}; head: {head}; {address}").format(
                number=detail.number,
                village=detail.village_name,
                head=detail.head or "—",
                address=detail.address or "",
            )
        )
        self.table.setRowCount(len(detail.members))
        for row, member in enumerate(detail.members):
            if member.contract is None:
                contract = self.tr("Not signed")
            elif member.contract.presigned:
                contract = self.tr("Pre-signed, from {date}").format(
                    date=labels.date(member.contract.start_date)
                )
            else:
                contract = self.tr("until {end}").format(
                    end=labels.date(member.contract.covered_until)
                )
            cells = [
                member.name,
                member.relation,
                labels.sex(member.sex),
                str(member.age),
                labels.resident_status(member.status),
                contract,
            ]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if member.contract and member.contract.expiring:
                    item.setBackground(ENDING_SOON_COLOUR)
                self.table.setItem(row, column, item)

    def _move(self) -> None:
        if self.detail is None:
            return
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return
        member = self.detail.members[rows[0].row()]
        number, relation = self.target.text().strip(), self.target_relation.currentText()

        def move(session: Session) -> Any:
            found = residents.find_households(session, number, limit=2)
            exact = [h for h in found if h[1] == number]
            if len(exact) != 1:
                raise RuleViolation("There is no such household.")
            return residents.move_to_household(
                session, self.actor, member.id, exact[0][0], relation
            )

        self.runner.run(
            move,
            write=True,
            on_success=lambda _d: (self.reload(), self.changed.emit()),
            on_failure=self._failed,
        )

    def _failed(self, error: BaseException, details: str) -> None:
        show_error(self, error, details)
