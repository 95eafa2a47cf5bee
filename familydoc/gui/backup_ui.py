"""Backups in Settings: back up now, restore a backup (one dialog), check the database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from familydoc.core import auth, backup, integrity
from familydoc.core.auth import Actor, Permission
from familydoc.core.context import AppContext
from familydoc.core.errors import FamilydocError
from familydoc.core.setup import home_institution
from familydoc.gui import labels
from familydoc.gui.errors import show_error, user_message
from familydoc.gui.runner import Cancelled, JobControl, OperationRunner
from familydoc.gui.safety import SafetyController, size_text, when

WARNING_STYLE = "color: #b00020;"


def _message(parent: QWidget, title: str, text: str, warning: bool = False) -> QMessageBox:
    box = QMessageBox(
        QMessageBox.Icon.Warning if warning else QMessageBox.Icon.Information,
        title,
        text,
        QMessageBox.StandardButton.Ok,
        parent,
    )
    box.open()
    return box


class SafetyPanel(QGroupBox):
    """The data-safety part of the Settings page."""

    def __init__(self, context: AppContext, runner: OperationRunner, actor: Actor) -> None:
        super().__init__()
        self.setTitle(self.tr("Data safety: backups and restore"))
        self.setObjectName("safetyPanel")
        self.context = context
        self.runner = runner
        self.actor = actor
        self.controller: SafetyController | None = None
        self.message: QMessageBox | None = None
        self.dialog: RestoreDialog | None = None

        self.last_label = QLabel()
        self.last_label.setObjectName("lastBackup")
        self.last_label.setWordWrap(True)
        self.last_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.second_folder = QLineEdit()
        self.second_folder.setObjectName("secondFolder")
        self.second_folder.setPlaceholderText(
            self.tr("e.g. a folder on a USB disk, E:\\familydoc-backups")
        )
        self.browse_button = QPushButton(self.tr("Browse…"))
        self.browse_button.clicked.connect(self._browse)
        self.save_folder_button = QPushButton(self.tr("Save"))
        self.save_folder_button.setObjectName("saveSecondFolder")
        self.save_folder_button.clicked.connect(self._save_folder)
        self.folder_state = QLabel()
        self.folder_state.setObjectName("secondFolderState")
        may_configure = actor.can(Permission.MANAGE_SETTINGS)
        for widget in (self.second_folder, self.browse_button, self.save_folder_button):
            widget.setEnabled(may_configure)
        folder_row = QHBoxLayout()
        folder_row.addWidget(QLabel(self.tr("Second backup folder")))
        folder_row.addWidget(self.second_folder, 1)
        folder_row.addWidget(self.browse_button)
        folder_row.addWidget(self.save_folder_button)
        folder_row.addWidget(self.folder_state)

        self.backup_button = QPushButton(self.tr("Back up now"))
        self.backup_button.setObjectName("backupNow")
        self.backup_button.clicked.connect(self.backup_now)
        self.backup_button.setEnabled(actor.can(Permission.MAKE_BACKUP))
        self.restore_button = QPushButton(self.tr("Restore a backup…"))
        self.restore_button.setObjectName("restoreBackup")
        self.restore_button.clicked.connect(self.open_restore)
        self.restore_button.setToolTip(self.tr("Needs an administrator's password"))
        self.check_button = QPushButton(self.tr("Check the database"))
        self.check_button.setObjectName("checkDatabase")
        self.check_button.clicked.connect(self.check_now)
        self.progress = QProgressBar()
        self.progress.setObjectName("safetyProgress")
        self.progress.setMaximumWidth(220)
        self.progress.hide()
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.clicked.connect(self._cancel)
        self.cancel_button.hide()
        actions = QHBoxLayout()
        for widget in (self.backup_button, self.restore_button, self.check_button):
            actions.addWidget(widget)
        actions.addWidget(self.progress)
        actions.addWidget(self.cancel_button)
        actions.addStretch(1)

        layout = QVBoxLayout(self)
        layout.addWidget(self.last_label)
        layout.addLayout(folder_row)
        layout.addLayout(actions)
        self._set_enabled(False)
        self.refresh()

    # -- state --------------------------------------------------------------------------

    def set_controller(self, controller: SafetyController) -> None:
        self.controller = controller
        controller.statusChanged.connect(self.refresh)
        self._set_enabled(True)
        self.refresh()

    def _set_enabled(self, enabled: bool) -> None:
        has = self.controller is not None and enabled
        self.backup_button.setEnabled(has and self.actor.can(Permission.MAKE_BACKUP))
        self.restore_button.setEnabled(has)
        self.check_button.setEnabled(has)

    def refresh(self) -> None:
        if self.context.database.path is None:
            self.last_label.setText(
                self.tr(
                    "This database is on a database server: the server's own tools back it up"
                    " and restore it."
                )
            )
            for widget in (
                self.backup_button,
                self.restore_button,
                self.check_button,
                self.second_folder,
                self.browse_button,
                self.save_folder_button,
            ):
                widget.setEnabled(False)
            return
        folder = self.context.home.backups_dir
        newest = backup.last_good_backup(folder)
        if newest is None:
            text = self.tr("No backup has been made yet. Backups are kept in {folder}.").format(
                folder=folder
            )
        else:
            text = self.tr(
                "Last good backup: {when} ({kind}, {size}). Backups are kept in {folder}: 7 daily,"
                " 4 weekly and 12 monthly."
            ).format(
                when=when(newest.made_at),
                kind=labels.backup_kind(newest.kind),
                size=size_text(newest.size),
                folder=folder,
            )
        stale = backup.is_stale(newest)
        self.last_label.setText(text)
        self.last_label.setStyleSheet(WARNING_STYLE if stale else "")
        configured = str(self.context.config().get("backup.second_folder") or "")
        if not self.second_folder.hasFocus():
            self.second_folder.setText(configured)
        if not configured:
            self.folder_state.setText(self.tr("not set"))
            self.folder_state.setStyleSheet("")
        elif Path(configured).expanduser().is_dir():
            self.folder_state.setText(self.tr("available"))
            self.folder_state.setStyleSheet("color: #2e7d32;")
        else:
            self.folder_state.setText(self.tr("not available"))
            self.folder_state.setStyleSheet(WARNING_STYLE)
        controller = self.controller
        running = controller is not None and controller.running_kind in ("auto", "manual")
        if running and controller is not None:
            done, total = controller.progress
            self.progress.setRange(0, max(total, 1))
            self.progress.setValue(done)
        self.progress.setVisible(running)
        self.cancel_button.setVisible(running)
        busy = controller is None or controller.busy
        self.backup_button.setEnabled(not busy and self.actor.can(Permission.MAKE_BACKUP))
        self.check_button.setEnabled(not busy)
        self.restore_button.setEnabled(controller is not None and not controller.paused)

    def _cancel(self) -> None:
        if self.controller is not None and self.controller.job is not None:
            self.controller.job.cancel()

    # -- second folder ------------------------------------------------------------------

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, self.tr("Second backup folder"), self.second_folder.text()
        )
        if folder:
            self.second_folder.setText(folder)

    def _save_folder(self) -> None:
        value = self.second_folder.text().strip()
        try:
            self.context.config().set("backup.second_folder", value)
        except FamilydocError as error:
            show_error(self, error)
            return
        self.second_folder.clearFocus()
        self.refresh()
        if value and not Path(value).expanduser().is_dir():
            self.message = _message(
                self,
                self.tr("Second backup folder"),
                self.tr(
                    "Saved. The folder {folder} is not available now; backups will be copied"
                    " there whenever it is (for example when the USB disk is plugged in)."
                ).format(folder=value),
                warning=True,
            )

    # -- actions ------------------------------------------------------------------------

    def backup_now(self) -> None:
        if self.controller is None:
            return
        started = self.controller.backup(
            "manual", on_success=self._backed_up, on_failure=self._backup_failed
        )
        if not started:
            self.message = _message(
                self,
                self.tr("Back up now"),
                self.tr("A backup or a check is running; try again when it has finished."),
            )

    def _backed_up(self, result: backup.BackupResult) -> None:
        actor = self.actor
        self.runner.run(lambda session: backup.record_backup(session, actor, result), write=True)
        text = self.tr("The backup was made and checked:\n{file}\n({size}, {seconds} s)").format(
            file=result.path, size=size_text(result.size), seconds=f"{result.seconds:.1f}"
        )
        if result.second_copy is not None:
            text += "\n" + self.tr("A copy is in the second folder:\n{file}").format(
                file=result.second_copy
            )
        for warning in result.warnings:
            text += "\n\n" + user_message(warning)
        self.message = _message(self, self.tr("Back up now"), text, warning=bool(result.warnings))

    def _backup_failed(self, error: BaseException, details: str) -> None:
        if isinstance(error, Cancelled):
            self.message = _message(
                self, self.tr("Back up now"), self.tr("The backup was cancelled; nothing was kept.")
            )
            return
        self.message = show_error(self, error, details)

    def check_now(self) -> None:
        if self.controller is None:
            return
        self.progress.setRange(0, 3)
        self.progress.setValue(0)
        self.progress.show()
        self.controller.check(
            on_success=self._checked,
            on_failure=self._check_failed,
            on_progress=lambda done, _total, _text: self.progress.setValue(done),
        )

    def _checked(self, report: integrity.CheckReport) -> None:
        self.progress.hide()
        if report.ok:
            events = (
                self.tr(", audit log chain intact ({count} events)").format(
                    count=report.audit_events
                )
                if report.audit_chain_present
                else ""
            )
            self.message = _message(
                self,
                self.tr("Check the database"),
                self.tr(
                    "The database is in order: SQLite's integrity check and the foreign key"
                    " check found nothing{events}. ({seconds} s)"
                ).format(events=events, seconds=f"{report.seconds:.1f}"),
            )
            return
        lines = [f"• {problem.render(QCoreApplication.translate)}" for problem in report.problems]
        if report.damaged:
            intro = self.tr(
                "The database file is damaged. familydoc stops saving changes; restore the"
                " newest good backup."
            )
        else:
            intro = self.tr(
                "The file is sound, but the check found changes made outside familydoc:"
            )
        self.message = _message(
            self, self.tr("Check the database"), intro + "\n\n" + "\n".join(lines), warning=True
        )

    def _check_failed(self, error: BaseException, details: str) -> None:
        self.progress.hide()
        self.message = show_error(self, error, details)

    def open_restore(self) -> None:
        if self.controller is None:
            return
        self.dialog = RestoreDialog(self.context, self.runner, self.actor, self.controller, self)
        self.dialog.restored.connect(self._restored)
        self.dialog.open()

    def _restored(self, result: backup.RestoreResult) -> None:
        window = self.window()
        text = self.tr(
            "The backup of {when} was restored.\nThe database as it was before is kept as"
            " {file}.\nPlease log in again."
        ).format(
            when=when(result.info.made_at or result.info.last_event_at),
            file=result.previous_copy.name if result.previous_copy else "—",
        )
        box = _message(window, self.tr("Restored"), text)
        logout = getattr(window, "logoutRequested", None)
        if logout is not None:
            box.finished.connect(lambda _result: logout.emit())
        self.message = box


class RestoreDialog(QDialog):
    """Choose a backup, see what it holds, confirm with an administrator's password, restore."""

    restored = Signal(object)

    def __init__(
        self,
        context: AppContext,
        runner: OperationRunner,
        actor: Actor,
        controller: SafetyController,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("restoreDialog")
        self.setWindowTitle(self.tr("Restore a backup"))
        self.setMinimumSize(680, 560)
        self.context = context
        self.runner = runner
        self.actor = actor
        self.controller = controller
        self.source: Path | None = None
        self.info: backup.BackupInfo | None = None
        self.current_code: str | None = None
        self.message: QMessageBox | None = None

        intro = QLabel(
            self.tr(
                "Choose the backup to go back to. The current data is replaced by it; a copy of"
                " the current database is kept first."
            )
        )
        intro.setWordWrap(True)
        self.table = QTableWidget(0, 3)
        self.table.setObjectName("backupsTable")
        self.table.setHorizontalHeaderLabels([self.tr("Made"), self.tr("Kind"), self.tr("Size")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._row_chosen)
        self.file_button = QPushButton(self.tr("Choose another file…"))
        self.file_button.clicked.connect(self._browse)
        self.details = QLabel(self.tr("Choose a backup."))
        self.details.setObjectName("backupDetails")
        self.details.setWordWrap(True)
        self.details.setMinimumHeight(60)
        self.other = QCheckBox()
        self.other.setObjectName("otherInstitution")
        self.other.hide()
        self.username = QLineEdit(actor.username if actor.can(Permission.RESTORE_BACKUP) else "")
        self.username.setObjectName("restoreUser")
        self.password = QLineEdit()
        self.password.setObjectName("restorePassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout()
        form.addRow(self.tr("Administrator"), self.username)
        form.addRow(self.tr("Password"), self.password)
        self.confirm = QCheckBox(
            self.tr("I understand that the current data is replaced by this backup")
        )
        self.confirm.setObjectName("confirmRestore")
        self.error = QLabel()
        self.error.setObjectName("restoreError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(WARNING_STYLE)
        self.error.hide()
        self.progress = QProgressBar()
        self.progress.hide()
        self.restore_button = QPushButton(self.tr("Restore"))
        self.restore_button.setObjectName("doRestore")
        self.cancel_button = QPushButton(self.tr("Close"))
        self.restore_button.clicked.connect(self.restore)
        self.cancel_button.clicked.connect(self.reject)
        for widget in (self.confirm, self.other):
            widget.toggled.connect(self._update_button)
        for line in (self.username, self.password):
            line.textChanged.connect(self._update_button)
        buttons = QHBoxLayout()
        buttons.addWidget(self.progress, 1)
        buttons.addStretch(0)
        buttons.addWidget(self.restore_button)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        file_row = QHBoxLayout()
        file_row.addStretch(1)
        file_row.addWidget(self.file_button)
        layout.addLayout(file_row)
        layout.addWidget(self.details)
        layout.addWidget(self.other)
        layout.addLayout(form)
        layout.addWidget(self.confirm)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        self._fill()
        self._update_button()
        runner.run(lambda session: home_institution(session), on_success=self._current_institution)

    def _current_institution(self, institution: Any) -> None:
        self.current_code = institution.code if institution else None
        self._show_info()

    def _fill(self) -> None:
        self.entries = backup.list_backups(self.context.home.backups_dir)
        self.table.setRowCount(len(self.entries))
        for row, entry in enumerate(self.entries):
            for column, text in enumerate(
                (
                    entry.made_at.astimezone().strftime("%Y-%m-%d %H:%M"),
                    labels.backup_kind(entry.kind),
                    size_text(entry.size),
                )
            ):
                item = QTableWidgetItem(text)
                item.setToolTip(str(entry.path))
                self.table.setItem(row, column, item)
        if not self.entries:
            self.details.setText(
                self.tr("There is no backup in {folder}; choose a file.").format(
                    folder=self.context.home.backups_dir
                )
            )

    def _row_chosen(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self.choose_file(self.entries[rows[0].row()].path)

    def _browse(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(
            self,
            self.tr("Choose a backup"),
            str(self.context.home.backups_dir),
            self.tr("familydoc backups (*.sqlite3);;All files (*)"),
        )
        if name:
            self.table.clearSelection()
            self.choose_file(Path(name))

    def choose_file(self, path: Path) -> None:
        """Inspect ``path`` (integrity check included) off the UI thread, then show it."""
        self.source = path
        self.info = None
        self.error.hide()
        self.details.setText(self.tr("Checking {file} …").format(file=path.name))
        self._update_button()

        def inspect(_session: Session) -> backup.BackupInfo:
            return backup.inspect_backup(path)

        self.controller.worker.run(
            inspect,
            on_success=lambda info: self._inspected(path, info),
            on_failure=lambda error, _details: self._inspect_failed(path, error),
        )

    def _inspected(self, path: Path, info: backup.BackupInfo) -> None:
        if path != self.source:
            return
        self.info = info
        self._show_info()

    def _inspect_failed(self, path: Path, error: BaseException) -> None:
        if path != self.source:
            return
        self.info = None
        self.details.setText(user_message(error))
        self.details.setStyleSheet(WARNING_STYLE)
        self._update_button()

    def _show_info(self) -> None:
        info = self.info
        if info is None:
            return
        self.details.setStyleSheet("")
        text = self.tr(
            "{institution}: {residents} residents, {contracts} contracts; last change {changed};"
            " checked, no damage."
        ).format(
            institution=info.institution_name or "—",
            residents=info.residents,
            contracts=info.contracts,
            changed=when(info.last_event_at) or "—",
        )
        if info.needs_upgrade:
            text += " " + self.tr(
                "It was made by an older familydoc (schema {revision}) and is upgraded when"
                " restored."
            ).format(revision=info.revision)
        self.details.setText(text)
        other = bool(
            self.current_code
            and info.institution_code
            and info.institution_code != self.current_code
        )
        self.other.setVisible(other)
        if other:
            self.other.setText(
                self.tr(
                    "This backup belongs to another institution ({code}). Replace this"
                    " institution's data with it."
                ).format(code=info.institution_code)
            )
        else:
            self.other.setChecked(False)
        self._update_button()

    def _update_button(self) -> None:
        ready = (
            self.info is not None
            and self.confirm.isChecked()
            and bool(self.username.text().strip())
            and bool(self.password.text())
            and (self.other.isHidden() or self.other.isChecked())
        )
        self.restore_button.setEnabled(ready)

    def _fail(self, text: str) -> None:
        self.progress.hide()
        self.error.setText(text)
        self.error.show()
        self.controller.paused = False
        self.controller.statusChanged.emit()
        for widget in (self.restore_button, self.cancel_button, self.table, self.file_button):
            widget.setEnabled(True)
        self._update_button()

    def restore(self) -> None:
        if self.info is None or self.source is None:
            return
        if self.controller.busy:
            self._fail(self.tr("A backup or a check is running; try again when it has finished."))
            return
        self.error.hide()
        self.controller.paused = True  # no automatic backup while files are swapped
        for widget in (self.restore_button, self.cancel_button, self.table, self.file_button):
            widget.setEnabled(False)
        username, password = self.username.text().strip(), self.password.text()

        def authenticate(session: Session) -> auth.LoginResult:
            return auth.authenticate(session, username, password)  # committed, failed or not

        self.runner.run(
            authenticate,
            write=True,
            on_success=self._authenticated,
            on_failure=lambda error, _details: self._fail(user_message(error)),
        )

    def _authenticated(self, result: auth.LoginResult) -> None:
        if result.actor is None:
            assert result.error is not None
            self._fail(user_message(result.error))
            return
        actor = result.actor
        if not actor.can(Permission.RESTORE_BACKUP):
            self._fail(
                self.tr("Only an administrator can restore a backup; {user} is not one.").format(
                    user=actor.username
                )
            )
            return
        source, accept, current = self.source, self.other.isChecked(), self.current_code
        assert source is not None
        self.progress.setRange(0, len(backup.RESTORE_PHASES) - 1)
        self.progress.setValue(0)
        self.progress.show()
        home, database = self.context.home, self.context.database

        def task(_session: Session, control: JobControl) -> backup.RestoreResult:
            return backup.restore_backup(
                home,
                database,
                source,
                actor,
                current_institution=current,
                accept_other_institution=accept,
                progress=control.progress,
            )

        self.runner.run_long(
            task,
            write=False,
            on_success=self._restored,
            on_failure=lambda error, _details: self._fail(user_message(error)),
            on_progress=lambda done, _total, _text: self.progress.setValue(done),
        )

    def _restored(self, result: backup.RestoreResult) -> None:
        self.controller.paused = False
        self.controller.statusChanged.emit()
        self.progress.hide()
        self.accept()
        self.restored.emit(result)
