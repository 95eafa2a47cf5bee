"""The import wizard: choose a file, preview it and map its columns, check every row,
import with a progress bar (cancel allowed until the commit), and a summary.

Reading, checking and importing run on the operation runner's database thread; the
check is a dry run of the same service the import runs, so what passes the check is
what gets imported. Open it from a page with::

    wizard = ImportWizard(runner, actor, parent)
    wizard.imported.connect(lambda report: page.refresh())
    wizard.open()
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)
from sqlalchemy.orm import Session

from familydoc.core import imports, tabular
from familydoc.core.auth import Actor, Permission
from familydoc.core.resources import resource_path
from familydoc.gui.errors import show_error, user_message
from familydoc.gui.runner import Cancelled, Job, JobControl, OperationRunner

PREVIEW_ROWS = 20
SHOWN_PROBLEMS = 1000
OK_STYLE = "color: #1e6b34;"
PROBLEM_STYLE = "color: #b00020;"
HINT_STYLE = "color: #5f6368;"
TEMPLATES = {"residents": "居民导入模板", "villages": "村居导入模板", "contracts": "签约导入模板"}


def _tr(context: str, text: str) -> str:
    return QCoreApplication.translate(context, text)


def field_label(spec: imports.FieldSpec) -> str:
    label = _tr("Imports", spec.label)
    return f"{label} *" if spec.required else label


@dataclass
class Preview:
    """What the preview page shows of a file (read on the database thread)."""

    path: Path
    kind: str
    headers: list[str]
    mapping: list[str | None]
    rows: list[tuple[int, list[str]]]
    file_kind: str  # "csv" or "xlsx"
    encoding: str
    delimiter: str
    sheet: str
    header_row: int
    row_estimate: int


def read_preview(path: Path, kind: str) -> Preview:
    table = tabular.read_table(path, imports.known_header(kind))
    try:
        rows = []
        for row in table.rows:
            rows.append(row)
            if len(rows) >= PREVIEW_ROWS:
                break
        return Preview(
            path=path,
            kind=kind,
            headers=table.headers,
            mapping=imports.guess_mapping(table.headers, kind),
            rows=rows,
            file_kind=table.kind,
            encoding=table.encoding,
            delimiter=table.delimiter,
            sheet=table.sheet,
            header_row=table.header_row,
            row_estimate=table.row_estimate,
        )
    finally:
        table.close()


@dataclass
class ImportChoice:
    """The file, its kind and the column mapping the user settled on."""

    path: Path
    kind: str
    headers: list[str] = field(default_factory=list)
    mapping: list[str | None] = field(default_factory=list)
    create_missing: bool = False  # contracts: create the teams and doctors the file names

    @property
    def writes_to_check(self) -> bool:
        """A contracts check signs in a savepoint it rolls back, so it takes the write lock."""
        return self.kind == "contracts"

    def open(self) -> imports.ImportSource:
        """The file as it is now (it may have been corrected since the preview), mapped as
        chosen; when its columns moved, the choices follow the column names."""
        table = tabular.read_table(self.path, imports.known_header(self.kind))
        headers = table.headers
        table.close()
        return imports.open_source(self.path, self.kind, self.mapping_for(headers))

    def mapping_for(self, headers: list[str]) -> list[str | None]:
        if headers == self.headers:
            return list(self.mapping)
        by_name = dict(zip(self.headers, self.mapping, strict=False))
        guessed = imports.guess_mapping(headers, self.kind)
        chosen: list[str | None] = []
        for header, guess in zip(headers, guessed, strict=True):
            name = by_name[header] if header in by_name else guess
            chosen.append(None if name in chosen else name)
        return chosen


class ImportWizard(QWizard):
    """Imports residents (or, for those allowed, villages or signed contracts) from a CSV or
    XLSX file."""

    imported = Signal(object)  # the ImportReport, once the import is committed

    PAGE_FILE, PAGE_PREVIEW, PAGE_CHECK, PAGE_IMPORT, PAGE_SUMMARY = range(5)

    def __init__(
        self,
        runner: OperationRunner,
        actor: Actor,
        parent: QWidget | None = None,
        kind: str = "residents",
    ) -> None:
        super().__init__(parent)
        self.runner = runner
        self.actor = actor
        self.kind = kind
        self.choice: ImportChoice | None = None
        self.report: imports.ImportReport | None = None
        self.setWindowTitle(self.tr("Import from Excel or CSV"))
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.setMinimumSize(900, 600)
        self.resize(1040, 660)
        self.file_page = FilePage(self)
        self.preview_page = PreviewPage(self)
        self.check_page = CheckPage(self)
        self.import_page = ImportPage(self)
        self.summary_page = SummaryPage(self)
        self.setPage(self.PAGE_FILE, self.file_page)
        self.setPage(self.PAGE_PREVIEW, self.preview_page)
        self.setPage(self.PAGE_CHECK, self.check_page)
        self.setPage(self.PAGE_IMPORT, self.import_page)
        self.setPage(self.PAGE_SUMMARY, self.summary_page)
        self.setButtonText(QWizard.WizardButton.BackButton, self.tr("< Back"))
        self.setButtonText(QWizard.WizardButton.NextButton, self.tr("Next >"))
        self.setButtonText(QWizard.WizardButton.CancelButton, self.tr("Cancel"))
        self.setButtonText(QWizard.WizardButton.FinishButton, self.tr("Finish"))

    def reject(self) -> None:
        """Cancel: stops a running check or import first (nothing is written)."""
        if self.import_page.job is not None:
            self.import_page.cancel()
            return
        self.check_page.stop()
        super().reject()


class CountsPanel(QFrame):
    """What an import does (or would do): new, updated, unchanged, households."""

    def __init__(self) -> None:
        super().__init__()
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.grid = QGridLayout(self)
        self.grid.setHorizontalSpacing(24)
        self.grid.setVerticalSpacing(8)
        self.values: dict[str, QLabel] = {}

    def show_report(self, report: imports.ImportReport, checked_only: bool = False) -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        if report.kind == "contracts":
            lines = [
                ("new", self.tr("Contracts signed"), report.new),
                ("unchanged", self.tr("Already present"), report.unchanged),
                ("teams", self.tr("New teams"), report.teams_created),
                ("doctors", self.tr("New doctors"), report.doctors_created),
                ("members", self.tr("Doctors added to teams"), report.members_added),
            ]
        elif report.kind == "villages":
            lines = [
                ("new", self.tr("New villages"), report.new),
                ("updated", self.tr("Villages updated"), report.updated),
                ("unchanged", self.tr("Villages unchanged"), report.unchanged),
                ("populations", self.tr("Official populations set"), report.populations_set),
            ]
        else:
            lines = [
                ("new", self.tr("New residents"), report.new),
                ("updated", self.tr("Residents updated"), report.updated),
                ("unchanged", self.tr("Residents unchanged"), report.unchanged),
                ("households", self.tr("New households"), report.households_created),
            ]
        self.values = {}
        for row, (key, label, value) in enumerate(lines):
            name = QLabel(label)
            number = QLabel(f"{value:,}")
            number.setObjectName(f"count_{key}")
            number.setFont(_bold(number.font()))
            number.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            number.setMinimumWidth(80)
            self.grid.addWidget(name, row, 0)
            self.grid.addWidget(number, row, 1)
            self.values[key] = number
        self.grid.setColumnStretch(2, 1)


# --- 1. choose the file -------------------------------------------------------------------


class FilePage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.wizard_ = wizard
        self.setTitle(self.tr("Choose the file"))
        self.setSubTitle(
            self.tr(
                "An Excel workbook (.xlsx) or a CSV file (UTF-8, or GBK/GB18030 as Excel saves"
                ' "CSV"). The first row names the columns; names as in the template are'
                " recognised, other columns can be chosen on the next page."
            )
        )
        self.residents_choice = QRadioButton(self.tr("Residents (roster of a village or town)"))
        self.villages_choice = QRadioButton(self.tr("Villages: code, name and official population"))
        may_villages = wizard.actor.can(Permission.MANAGE_SETTINGS)
        self.villages_choice.setEnabled(may_villages)
        if not may_villages:
            self.villages_choice.setToolTip(self.tr("Only an administrator imports villages."))
        self.contracts_choice = QRadioButton(
            self.tr("Contracts already signed: the roster of signed residents")
        )
        may_sign = wizard.actor.can(Permission.SIGN_CONTRACT)
        self.contracts_choice.setEnabled(may_sign)
        if not may_sign:
            self.contracts_choice.setToolTip(
                self.tr("Only family doctors and supervisors import signed contracts.")
            )
        self.create_missing = QCheckBox(
            self.tr("Create the teams and doctors the file names that do not exist yet")
        )
        self.create_missing.setObjectName("createMissing")
        may_create = wizard.actor.can(Permission.MANAGE_TEAMS)
        self.create_missing.setEnabled(may_create)
        self.create_missing.setToolTip(
            self.tr(
                "A new doctor is added by name (complete the title, licence and phone on the"
                " teams page) and becomes a member of the team the row names; a new team is"
                " led by the doctor of its first row."
            )
            if may_create
            else self.tr("Only a supervisor adds teams and doctors.")
        )
        self.kinds = QButtonGroup(self)
        self.kinds.addButton(self.residents_choice)
        self.kinds.addButton(self.villages_choice)
        self.kinds.addButton(self.contracts_choice)
        {
            "villages": self.villages_choice,
            "contracts": self.contracts_choice,
        }.get(wizard.kind, self.residents_choice).setChecked(True)
        self.kinds.buttonToggled.connect(lambda *_: self._kind_changed())

        self.path = QLineEdit()
        self.path.setObjectName("importPath")
        self.path.setPlaceholderText(self.tr("Choose a .xlsx or .csv file…"))
        self.path.textChanged.connect(lambda _text: self.completeChanged.emit())
        browse = QPushButton(self.tr("Browse…"))
        browse.clicked.connect(self._browse)
        self.template_button = QPushButton()
        self.template_button.clicked.connect(self._save_template)
        self.template_hint = QLabel()
        self.template_hint.setWordWrap(True)
        self.template_hint.setStyleSheet(HINT_STYLE)

        layout = QVBoxLayout(self)
        kinds_label = QLabel(self.tr("What does the file hold?"))
        kinds_label.setFont(_bold(kinds_label.font()))
        layout.addWidget(kinds_label)
        layout.addWidget(self.residents_choice)
        layout.addWidget(self.villages_choice)
        layout.addWidget(self.contracts_choice)
        missing_row = QHBoxLayout()
        missing_row.addSpacing(24)
        missing_row.addWidget(self.create_missing, 1)
        layout.addLayout(missing_row)
        layout.addSpacing(16)
        file_label = QLabel(self.tr("File"))
        file_label.setFont(_bold(file_label.font()))
        layout.addWidget(file_label)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        layout.addLayout(row)
        layout.addSpacing(16)
        template_label = QLabel(self.tr("No file yet?"))
        template_label.setFont(_bold(template_label.font()))
        layout.addWidget(template_label)
        template_row = QHBoxLayout()
        template_row.addWidget(self.template_button)
        template_row.addWidget(self.template_hint, 1)
        layout.addLayout(template_row)
        layout.addStretch(1)
        self.rules = QLabel()
        self.rules.setObjectName("importRules")
        self.rules.setWordWrap(True)
        self.rules.setStyleSheet(HINT_STYLE)
        layout.addWidget(self.rules)
        self._kind_changed()

    @property
    def kind(self) -> str:
        if self.villages_choice.isChecked():
            return "villages"
        if self.contracts_choice.isChecked():
            return "contracts"
        return "residents"

    def _kind_changed(self) -> None:
        self.wizard_.kind = self.kind
        self.create_missing.setVisible(self.kind == "contracts")
        self.template_button.setText(
            {
                "residents": self.tr("Save the residents template…"),
                "villages": self.tr("Save the villages template…"),
                "contracts": self.tr("Save the contracts template…"),
            }[self.kind]
        )
        every_row = self.tr(
            "All rows or none: every row is checked first, and if any row has a problem"
            " nothing is imported; you get the list of problems (row, column, value,"
            " reason) to correct in your file."
        )
        if self.kind == "contracts":
            again = self.tr(
                "Each row is signed with the rules of the signing form. A resident who"
                " already has the same contract (same team and start date) is counted as"
                " already present and not signed twice."
            )
        else:
            again = self.tr(
                "Residents already registered (same ID number) are updated; blank cells keep"
                " what is stored."
            )
        self.rules.setText(every_row + " " + again)
        self.template_hint.setText(
            self.tr(
                "An Excel workbook with the column names, two example rows, the ID-number"
                " column formatted as text, and a sheet explaining each column."
            )
        )

    def _browse(self) -> None:
        start = str(Path(self.path.text()).parent) if self.path.text() else str(Path.home())
        name, _filter = QFileDialog.getOpenFileName(
            self,
            self.tr("Choose the file to import"),
            start,
            self.tr("Tables (*.xlsx *.csv);;All files (*)"),
        )
        if name:
            self.path.setText(name)

    def _save_template(self) -> None:
        stem = TEMPLATES[self.kind]
        name, _filter = QFileDialog.getSaveFileName(
            self,
            self.tr("Save the template"),
            str(Path.home() / f"{stem}.xlsx"),
            self.tr("Excel workbook (*.xlsx);;CSV UTF-8 (*.csv)"),
        )
        if name:
            self.save_template(Path(name))

    def save_template(self, target: Path) -> Path:
        suffix = ".csv" if target.suffix.lower() == ".csv" else ".xlsx"
        if target.suffix.lower() not in (".csv", ".xlsx"):
            target = target.with_suffix(suffix)
        shutil.copyfile(resource_path("templates", TEMPLATES[self.kind] + suffix), target)
        self.template_hint.setText(self.tr("Saved as {path}.").format(path=target))
        return target

    def isComplete(self) -> bool:
        text = self.path.text().strip()
        return bool(text) and Path(text).is_file()

    def validatePage(self) -> bool:
        self.wizard_.choice = ImportChoice(
            Path(self.path.text().strip()),
            self.kind,
            create_missing=self.kind == "contracts" and self.create_missing.isChecked(),
        )
        return True


def _bold(font: QFont) -> QFont:
    bold = QFont(font)
    bold.setBold(True)
    return bold


# --- 2. preview and column mapping --------------------------------------------------------


class PreviewPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.wizard_ = wizard
        self.preview: Preview | None = None
        self.combos: list[QComboBox] = []
        self.setTitle(self.tr("Check the columns"))
        self.setSubTitle(
            self.tr(
                "The first rows of the file. Under each column, choose what it holds; columns"
                " set to \u201cnot imported\u201d are left out. Fields marked * are required."
            )
        )
        self.info = QLabel()
        self.info.setObjectName("previewInfo")
        self.info.setWordWrap(True)
        self.table = QTableWidget()
        self.table.setObjectName("previewTable")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.status = QLabel()
        self.status.setObjectName("mappingStatus")
        self.status.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.info)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)

    def initializePage(self) -> None:
        choice = self.wizard_.choice
        assert choice is not None
        self.preview = None
        self.combos = []
        self.table.clear()
        self.table.setRowCount(0)
        self.table.setColumnCount(0)
        self.status.setText("")
        self.info.setStyleSheet("")
        self.info.setText(self.tr("Reading {file}…").format(file=choice.path.name))
        path, kind = choice.path, choice.kind
        self.wizard_.runner.run(
            lambda _session: read_preview(path, kind),
            on_success=self._show,
            on_failure=self._failed,
        )

    def _failed(self, error: BaseException, details: str) -> None:
        self.info.setStyleSheet(PROBLEM_STYLE)
        self.info.setText(user_message(error))
        self.completeChanged.emit()

    def _show(self, preview: Preview) -> None:
        self.preview = preview
        self.info.setText(self._describe(preview))
        fields = imports.FIELDS_BY_KIND[preview.kind]
        columns = len(preview.headers)
        self.table.setColumnCount(columns)
        self.table.setRowCount(1 + len(preview.rows))
        self.table.setHorizontalHeaderLabels(
            [header or self.tr("(no name)") for header in preview.headers]
        )
        self.table.setVerticalHeaderLabels(
            [self.tr("Import as")] + [str(number) for number, _cells in preview.rows]
        )
        self.table.verticalHeader().resizeSection(0, 34)
        for column in range(columns):
            combo = QComboBox()
            combo.addItem(self.tr("(not imported)"), None)
            for spec in fields:
                combo.addItem(field_label(spec), spec.name)
            chosen = preview.mapping[column]
            combo.setCurrentIndex(max(0, combo.findData(chosen)) if chosen else 0)
            combo.currentIndexChanged.connect(
                lambda _index, column=column: self._mapping_changed(column)
            )
            self.combos.append(combo)
            self.table.setCellWidget(0, column, combo)
        for row, (_number, cells) in enumerate(preview.rows, start=1):
            for column, value in enumerate(cells[:columns]):
                self.table.setItem(row, column, QTableWidgetItem(value))
        for column in range(columns):
            width = max(110, self.combos[column].sizeHint().width() + 8)
            self.table.setColumnWidth(column, min(width, 220))
        self._paint_ignored()
        self._update_status()

    def _describe(self, preview: Preview) -> str:
        if preview.file_kind == "csv":
            delimiter = {
                ",": self.tr("comma"),
                "\t": self.tr("tab"),
                ";": self.tr("semicolon"),
            }.get(preview.delimiter, preview.delimiter)
            kind = self.tr("CSV, {encoding}, separated by {delimiter}").format(
                encoding=preview.encoding, delimiter=delimiter
            )
        else:
            kind = self.tr("Excel workbook, sheet \u201c{sheet}\u201d").format(sheet=preview.sheet)
        text = self.tr("{file}: {kind}; header in row {row}; about {count} rows.").format(
            file=preview.path.name,
            kind=kind,
            row=preview.header_row,
            count=f"{preview.row_estimate:,}",
        )
        return text

    def mapping(self) -> list[str | None]:
        return [combo.currentData() for combo in self.combos]

    def _mapping_changed(self, column: int) -> None:
        chosen = self.combos[column].currentData()
        if chosen:
            for other, combo in enumerate(self.combos):
                if other != column and combo.currentData() == chosen:
                    combo.blockSignals(True)
                    combo.setCurrentIndex(0)
                    combo.blockSignals(False)
        self._paint_ignored()
        self._update_status()

    def _paint_ignored(self) -> None:
        grey = QColor("#9aa0a6")
        for column, name in enumerate(self.mapping()):
            for row in range(1, self.table.rowCount()):
                item = self.table.item(row, column)
                if item is not None:
                    item.setForeground(grey if name is None else self.palette().text().color())

    def missing(self) -> list[imports.FieldSpec]:
        if self.preview is None:
            return []
        return imports.missing_fields(self.mapping(), self.preview.kind)

    def ignored(self) -> list[str]:
        if self.preview is None:
            return []
        return [
            header or f"#{index + 1}"
            for index, (header, name) in enumerate(
                zip(self.preview.headers, self.mapping(), strict=True)
            )
            if name is None
        ]

    def _update_status(self) -> None:
        missing = self.missing()
        parts = []
        if missing:
            parts.append(
                self.tr("Choose the column for: {fields}.").format(
                    fields="、".join(_tr("Imports", spec.label) for spec in missing)
                )
            )
            self.status.setStyleSheet(PROBLEM_STYLE)
        else:
            self.status.setStyleSheet(HINT_STYLE)
        ignored = self.ignored()
        if ignored:
            parts.append(self.tr("Not imported: {columns}.").format(columns="、".join(ignored)))
        elif not missing:
            parts.append(self.tr("Every column will be imported."))
        self.status.setText("  ".join(parts))
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self.preview is not None and not self.missing()

    def validatePage(self) -> bool:
        choice = self.wizard_.choice
        assert choice is not None and self.preview is not None
        choice.headers = list(self.preview.headers)
        choice.mapping = self.mapping()
        return True


# --- 3. check every row -------------------------------------------------------------------


class CheckPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.wizard_ = wizard
        self.job: Job | None = None
        self.report: imports.ImportReport | None = None
        self.refused: imports.ImportRefused | None = None
        self.setTitle(self.tr("Check every row"))
        self.setSubTitle(
            self.tr(
                "Nothing is written yet: every row is checked against the same rules as the form."
            )
        )
        self.setCommitPage(True)
        self.setButtonText(QWizard.WizardButton.CommitButton, self.tr("Import"))
        self.progress = QProgressBar()
        self.progress.setObjectName("checkProgress")
        self.summary = QLabel()
        self.summary.setObjectName("checkSummary")
        self.summary.setWordWrap(True)
        font = QFont(self.summary.font())
        font.setPointSizeF(font.pointSizeF() * 1.1)
        self.summary.setFont(font)
        self.problems = QTableWidget(0, 4)
        self.problems.setObjectName("problemTable")
        self.problems.setHorizontalHeaderLabels(
            [_tr("Imports", header) for header in imports.ERROR_FILE_HEADERS]
        )
        self.problems.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.problems.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.problems.setAlternatingRowColors(True)
        self.problems.setWordWrap(True)
        self.problems.verticalHeader().setVisible(False)
        self.problems.verticalHeader().setDefaultSectionSize(26)
        header = self.problems.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((60, 120, 190)):
            self.problems.setColumnWidth(column, width)
        self.problems.hide()
        self.save_button = QPushButton(self.tr("Save the list of problems…"))
        self.save_button.setObjectName("saveProblems")
        self.save_button.clicked.connect(self._save_problems)
        self.recheck_button = QPushButton(self.tr("Check again"))
        self.recheck_button.setObjectName("checkAgain")
        self.recheck_button.setToolTip(
            self.tr("After correcting the file (and saving it), check it again.")
        )
        self.recheck_button.clicked.connect(self.start)
        self.saved = QLabel()
        self.saved.setStyleSheet(HINT_STYLE)
        self.saved.setWordWrap(True)
        self.counts = CountsPanel()
        self.counts.setObjectName("checkCounts")
        self.counts.hide()
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.recheck_button)
        buttons.addWidget(self.saved, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.progress)
        layout.addWidget(self.summary)
        layout.addWidget(self.counts)
        layout.addWidget(self.problems, 1)
        self.spacer = QWidget()
        layout.addWidget(self.spacer, 1)
        layout.addLayout(buttons)

    def initializePage(self) -> None:
        self.start()

    def cleanupPage(self) -> None:
        self.stop()

    def stop(self) -> None:
        if self.job is not None:
            self.job.cancel()
            self.job = None

    def start(self) -> None:
        choice = self.wizard_.choice
        assert choice is not None
        self.stop()
        self.report = None
        self.refused = None
        self.counts.hide()
        self.spacer.show()
        self.problems.hide()
        self.problems.setRowCount(0)
        self.save_button.hide()
        self.recheck_button.hide()
        self.saved.setText("")
        self.progress.show()
        self.progress.setRange(0, 0)
        self.summary.setStyleSheet("")
        self.summary.setText(self.tr("Checking {file}…").format(file=choice.path.name))
        actor = self.wizard_.actor

        def check(session: Session, control: JobControl) -> imports.ImportReport:
            source = choice.open()
            try:
                return imports.run_import(
                    session,
                    actor,
                    source,
                    dry_run=True,
                    progress=_reporter(control),
                    create_missing=choice.create_missing,
                )
            finally:
                source.close()

        job = self.wizard_.runner.run_long(
            check,
            on_success=lambda report: self._checked(job, report),
            on_failure=lambda error, details: self._failed(job, error, details),
            on_progress=self._progress,
            write=choice.writes_to_check,
        )
        self.job = job
        self.completeChanged.emit()

    def _progress(self, done: int, total: int, _text: str) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.summary.setText(
            self.tr("Checking row {done} of about {total}…").format(
                done=f"{done:,}", total=f"{total:,}"
            )
        )

    def _checked(self, job: Job, report: imports.ImportReport) -> None:
        if job is not self.job:
            return
        self.job = None
        self.report = report
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        self.summary.setStyleSheet(OK_STYLE)
        self.summary.setText(
            self.tr("All {rows} rows are fine. Press \u201cImport\u201d to write them:").format(
                rows=f"{report.rows:,}"
            )
        )
        self.counts.show_report(report)
        self.counts.show()
        self.recheck_button.show()
        self.completeChanged.emit()

    def _failed(self, job: Job, error: BaseException, details: str) -> None:
        if job is not self.job:
            return
        self.job = None
        self.progress.hide()
        self.recheck_button.show()
        if isinstance(error, Cancelled):
            self.summary.setText(self.tr("The check was stopped."))
            return
        self.summary.setStyleSheet(PROBLEM_STYLE)
        if not isinstance(error, imports.ImportRefused):
            self.summary.setText(user_message(error))
            self.completeChanged.emit()
            return
        self.refused = error
        self.summary.setText(
            user_message(error)
            + "  "
            + self.tr(
                "Correct these rows in your file, save it, and press \u201cCheck again\u201d."
            )
        )
        self._show_problems(error.problems)
        self.spacer.hide()
        self.save_button.show()
        self.completeChanged.emit()

    def _show_problems(self, problems: list[imports.RowProblem]) -> None:
        shown = problems[:SHOWN_PROBLEMS]
        self.problems.setRowCount(len(shown))
        for row, problem in enumerate(shown):
            values = (
                str(problem.row),
                problem.column,
                problem.value,
                problem.error.render(QCoreApplication.translate),
            )
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                if column == 0:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                item.setToolTip(value)
                self.problems.setItem(row, column, item)
        self.problems.show()
        if len(problems) > SHOWN_PROBLEMS:
            self.saved.setText(
                self.tr(
                    "The first {shown} of {count} problems are shown; save the list for all."
                ).format(shown=SHOWN_PROBLEMS, count=f"{len(problems):,}")
            )

    def default_errors_path(self) -> Path:
        choice = self.wizard_.choice
        assert choice is not None
        stem = choice.path.stem
        return choice.path.with_name(self.tr("{stem}-errors.csv").format(stem=stem))

    def _save_problems(self) -> None:
        name, _filter = QFileDialog.getSaveFileName(
            self,
            self.tr("Save the list of problems"),
            str(self.default_errors_path()),
            self.tr("CSV for Excel (*.csv)"),
        )
        if name:
            self.save_problems(Path(name))

    def save_problems(self, path: Path) -> Path | None:
        assert self.refused is not None
        try:
            imports.write_error_file(path, self.refused.problems, QCoreApplication.translate)
        except OSError as exc:
            self.saved.setStyleSheet(PROBLEM_STYLE)
            self.saved.setText(
                self.tr("The list cannot be saved to {path}: {reason}").format(
                    path=path, reason=exc.strerror or exc
                )
            )
            return None
        self.saved.setStyleSheet(HINT_STYLE)
        self.saved.setText(self.tr("Saved as {path}; it opens in Excel.").format(path=path))
        return path

    def isComplete(self) -> bool:
        return self.report is not None and self.job is None


def _reporter(control: JobControl) -> Any:
    def progress(done: int, total: int) -> None:
        control.check_cancelled()
        control.progress(done, total, "")

    return progress


# --- 4. import ----------------------------------------------------------------------------


class ImportPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.wizard_ = wizard
        self.job: Job | None = None
        self.finished = False
        self.setTitle(self.tr("Importing"))
        self.setSubTitle(
            self.tr(
                "The rows are written in one transaction: until it ends, cancelling leaves"
                " the database exactly as it was."
            )
        )
        self.progress = QProgressBar()
        self.progress.setObjectName("importProgress")
        self.status = QLabel()
        self.status.setObjectName("importStatus")
        self.status.setWordWrap(True)
        self.cancel_button = QPushButton(self.tr("Cancel the import"))
        self.cancel_button.setObjectName("cancelImport")
        self.cancel_button.clicked.connect(self.cancel)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.cancel_button)
        layout.addLayout(row)
        layout.addStretch(2)

    def initializePage(self) -> None:
        choice = self.wizard_.choice
        assert choice is not None
        self.finished = False
        self.progress.setRange(0, 0)
        self.status.setStyleSheet("")
        self.status.setText(self.tr("Importing {file}…").format(file=choice.path.name))
        self.cancel_button.setEnabled(True)
        self.cancel_button.show()
        actor = self.wizard_.actor

        def run(session: Session, control: JobControl) -> imports.ImportReport:
            source = choice.open()
            try:
                report = imports.run_import(
                    session,
                    actor,
                    source,
                    progress=_reporter(control),
                    create_missing=choice.create_missing,
                )
            finally:
                source.close()
            control.check_cancelled()  # the last moment to stop: the commit comes next
            return report

        self.job = self.wizard_.runner.run_long(
            run,
            on_success=self._done,
            on_failure=self._failed,
            on_progress=self._progress,
            write=True,
        )
        self.completeChanged.emit()

    def cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()
            self.cancel_button.setEnabled(False)
            self.status.setText(self.tr("Cancelling…"))

    def _progress(self, done: int, total: int, _text: str) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        if self.cancel_button.isEnabled():
            self.status.setText(
                self.tr("Importing row {done} of about {total}…").format(
                    done=f"{done:,}", total=f"{total:,}"
                )
            )

    def _done(self, report: imports.ImportReport) -> None:
        self.job = None
        self.finished = True
        self.wizard_.report = report
        self.cancel_button.hide()
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        self.completeChanged.emit()
        self.wizard_.imported.emit(report)
        self.wizard_.next()

    def _failed(self, error: BaseException, details: str) -> None:
        self.job = None
        self.cancel_button.hide()
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.status.setStyleSheet(PROBLEM_STYLE)
        if isinstance(error, Cancelled):
            self.status.setText(self.tr("Cancelled: nothing was imported."))
        elif isinstance(error, imports.ImportRefused):
            self.status.setText(
                user_message(error)
                + "  "
                + self.tr("The file changed after the check: close and check it again.")
            )
        else:
            self.status.setText(self.tr("Nothing was imported."))
            show_error(self, error, details)
        self.wizard_.button(QWizard.WizardButton.CancelButton).setText(self.tr("Close"))

    def isComplete(self) -> bool:
        return self.finished


# --- 5. summary ---------------------------------------------------------------------------


class SummaryPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.wizard_ = wizard
        self.setTitle(self.tr("Imported"))
        self.setSubTitle(self.tr("The rows are in the database and can be found at once."))
        self.headline = QLabel()
        self.headline.setObjectName("summaryHeadline")
        self.headline.setWordWrap(True)
        font = QFont(self.headline.font())
        font.setPointSizeF(font.pointSizeF() * 1.2)
        font.setBold(True)
        self.headline.setFont(font)
        self.headline.setStyleSheet(OK_STYLE)
        self.counts = CountsPanel()
        self.counts.setObjectName("summaryCounts")
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setStyleSheet(HINT_STYLE)
        layout = QVBoxLayout(self)
        layout.addWidget(self.headline)
        layout.addSpacing(8)
        layout.addWidget(self.counts)
        layout.addSpacing(8)
        layout.addWidget(self.note)
        layout.addStretch(1)

    def initializePage(self) -> None:
        report = self.wizard_.report
        assert report is not None
        self.headline.setText(
            self.tr("{file} is imported: {rows} rows.").format(
                file=report.file_name, rows=f"{report.rows:,}"
            )
        )
        self.counts.show_report(report)
        self.note.setText(
            self.tr("The import is recorded in the audit log with the file name and these counts.")
        )
