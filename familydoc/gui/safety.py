"""Data safety in the GUI: a safe start, automatic backups, the status bar, damage at start.

- ``open_safely`` takes the one-program-per-database lock (a second start says
  who holds it), refuses network shares (``open_database`` does), and when the
  file cannot be opened because it is damaged, offers the newest good backup.
- ``SafetyController`` (one per ``Shell``) runs ``PRAGMA quick_check`` at start,
  makes a backup at start and every 24 hours while open, and keeps the status
  bar's backup label current. It works on its own thread: backups and checks
  read the file through their own SQLite connections (WAL lets them read
  beside the database worker's writes), so a long backup never holds up a
  user's work. A damage found by the check stops every write and offers the
  newest good backup.
"""

from __future__ import annotations

import datetime as dt
import logging
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from familydoc.core import backup, integrity
from familydoc.core.config import Home
from familydoc.core.context import AppContext, open_context
from familydoc.core.db import Database, open_database, sqlite_path
from familydoc.core.errors import FamilydocError
from familydoc.core.instance_lock import AlreadyRunning, InstanceLock
from familydoc.gui import labels
from familydoc.gui.errors import show_error, user_message
from familydoc.gui.runner import Cancelled, JobControl, OperationRunner

if TYPE_CHECKING:
    from familydoc.gui.app import Shell

log = logging.getLogger(__name__)

CHECK_INTERVAL_MS = 60 * 60 * 1000  # look whether a backup is due once an hour
STATUS_INTERVAL_MS = 60 * 1000
RECENT_AT_START = dt.timedelta(minutes=10)  # a restart right after a backup makes none


def when(moment: dt.datetime | None) -> str:
    """A backup's time as a clinic user reads it: today 08:30, yesterday 21:00, or the date."""
    if moment is None:
        return ""
    local = moment.astimezone()
    today = dt.datetime.now().astimezone().date()
    if local.date() == today:
        return QApplication.translate("Safety", "today {time}").format(time=local.strftime("%H:%M"))
    if local.date() == today - dt.timedelta(days=1):
        return QApplication.translate("Safety", "yesterday {time}").format(
            time=local.strftime("%H:%M")
        )
    return local.strftime("%Y-%m-%d %H:%M")


def size_text(size: int) -> str:
    return f"{size / 1_048_576:.1f} MB"


# --- the start ------------------------------------------------------------------------


@dataclass
class SafeStart:
    context: AppContext
    lock: InstanceLock | None

    def release(self) -> None:
        if self.lock is not None:
            self.lock.release()


def _refuse(error: FamilydocError, smoke: bool) -> int:
    if smoke:
        print(f"smoke: FAILED: {user_message(error)}", file=sys.stderr, flush=True)
        return error.exit_code
    app = QApplication.instance()
    box = show_error(None, error)
    box.finished.connect(app.quit)
    app.exec()
    return error.exit_code


def open_safely(home: Home, smoke: bool = False) -> SafeStart | int:
    """Lock the database, open (and upgrade) it; offer the newest backup when it is damaged."""
    path = sqlite_path(home.database_url)
    lock: InstanceLock | None = None
    if path is not None:
        lock = InstanceLock(path)
        try:
            lock.acquire("gui")
        except AlreadyRunning as error:
            return _refuse(error, smoke)
        except OSError:
            lock = None  # the folder is missing or read-only: opening will say so
        else:
            backup.clear_restore_leftovers(path)

    def give_up(code: int) -> int:
        if lock is not None:
            lock.release()
        return code

    try:
        return SafeStart(open_context(home), lock)
    except FamilydocError as error:
        if path is None or not path.exists():
            return give_up(_refuse(error, smoke))
        report = integrity.quick_check(path)
        if not report.damaged:
            return give_up(_refuse(error, smoke))
        if smoke or not _restore_damaged_at_start(home, report):
            if smoke:
                _refuse(report.as_error(), smoke)
            return give_up(1)
    try:
        return SafeStart(open_context(home), lock)
    except FamilydocError as error:
        return give_up(_refuse(error, smoke))


def _restore_damaged_at_start(home: Home, report: integrity.CheckReport) -> bool:
    """The file cannot even be opened: restore a backup before anything else starts."""
    database = open_database(home.database_url, migrate=False)
    runner = OperationRunner(database)
    try:
        dialog = DamagedDatabaseDialog(home, database, runner, report)
        return dialog.exec() == QDialog.DialogCode.Accepted
    finally:
        runner.shutdown()
        database.dispose()


# --- the controller -------------------------------------------------------------------


class SafetyController(QObject):
    """Checks and backups of one open database, off the UI thread."""

    statusChanged = Signal()
    damageFound = Signal(object)  # integrity.CheckReport
    backupDone = Signal(object)  # backup.BackupResult

    def __init__(self, context: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.home = context.home
        self.lock: InstanceLock | None = None
        # The safety thread: file-level work with its own connections, never the session.
        self.worker = OperationRunner(context.database)
        self.job: Any = None
        self.running_kind: str | None = None
        self.progress: tuple[int, int] = (0, 0)
        self.last_error: FamilydocError | None = None
        self.last_warnings: tuple[FamilydocError, ...] = ()
        self.paused = False
        self.smoke = False
        self.started = False
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.backup_if_due)
        self._window: QMainWindow | None = None

    @property
    def busy(self) -> bool:
        return self.running_kind is not None

    @property
    def backups_dir(self) -> Path:
        return self.home.backups_dir

    def start(self) -> None:
        """At program start: the quick check, then the automatic backup, then hourly looks."""
        self.started = True
        path = self.context.database.path
        if path is None:
            return
        self.running_kind = "check"
        self.statusChanged.emit()

        def check(_session: Session) -> integrity.CheckReport:
            report = integrity.quick_check(path)
            if report.damaged:
                self.context.database.damaged = report.as_error()  # from now on: no writes
            return report

        self.worker.run(check, on_success=self._checked, on_failure=self._check_failed)

    def _checked(self, report: integrity.CheckReport) -> None:
        self.running_kind = None
        log.info("quick_check at start: %s in %.2f s", report.ok, report.seconds)
        if report.damaged:
            self.statusChanged.emit()
            self.damageFound.emit(report)
            return
        self._timer.start(CHECK_INTERVAL_MS)
        newest = backup.last_good_backup(self.backups_dir)
        if newest is None or dt.datetime.now(dt.UTC) - newest.made_at > RECENT_AT_START:
            self.backup("auto")
        else:
            self.statusChanged.emit()

    def _check_failed(self, error: BaseException, details: str) -> None:
        self.running_kind = None
        log.error("quick_check at start failed: %s", details)
        self.statusChanged.emit()

    def backup_if_due(self) -> None:
        if self.paused or self.busy:
            return
        if backup.due_for_automatic(backup.last_good_backup(self.backups_dir)):
            self.backup("auto")

    def backup(
        self,
        kind: str,
        on_success: Callable[[backup.BackupResult], None] | None = None,
        on_failure: Callable[[BaseException, str], None] | None = None,
    ) -> bool:
        """Start a backup on the safety thread; False when one runs already or restore is on."""
        if self.busy or self.paused or self.context.database.path is None:
            return False
        self.running_kind = kind
        self.progress = (0, 0)
        self.statusChanged.emit()

        def task(_session: Session, control: JobControl) -> backup.BackupResult:
            try:
                return backup.make_backup(
                    self.home,
                    self.context.database,
                    kind=kind,
                    progress=lambda done, total, _text: control.progress(done, total),
                    cancelled=lambda: control.cancelled,
                )
            except backup.BackupCancelled:
                raise Cancelled() from None

        def succeeded(result: backup.BackupResult) -> None:
            self.running_kind = None
            self.last_error = None
            self.last_warnings = result.warnings
            log.info(
                "%s backup %s (%d bytes, %.2f s)", kind, result.path, result.size, result.seconds
            )
            for warning in result.warnings:
                log.warning("backup: %s", warning.render())
            self.statusChanged.emit()
            self.backupDone.emit(result)
            if on_success is not None:
                on_success(result)

        def failed(error: BaseException, details: str) -> None:
            self.running_kind = None
            if not isinstance(error, Cancelled):
                self.last_error = (
                    error if isinstance(error, FamilydocError) else backup.BackupFailed(str(error))
                )
                log.error("%s backup failed: %s", kind, details)
            self.statusChanged.emit()
            if on_failure is not None:
                on_failure(error, details)

        def progressed(done: int, total: int, _text: str) -> None:
            self.progress = (done, total)
            self.statusChanged.emit()

        self.job = self.worker.run_long(
            task, on_success=succeeded, on_failure=failed, on_progress=progressed, write=False
        )
        return True

    def check(
        self,
        on_success: Callable[[integrity.CheckReport], None],
        on_failure: Callable[[BaseException, str], None],
        on_progress: Callable[[int, int, str], None] | None = None,
    ) -> bool:
        """The full check (integrity, foreign keys, audit chain) on the safety thread."""
        path = self.context.database.path
        if self.busy or path is None:
            return False
        self.running_kind = "check"
        self.statusChanged.emit()

        def task(_session: Session, control: JobControl) -> integrity.CheckReport:
            report = integrity.full_check(path, progress=control.progress)
            if report.damaged:
                self.context.database.damaged = report.as_error()
            return report

        def done(report: integrity.CheckReport) -> None:
            self.running_kind = None
            self.statusChanged.emit()
            on_success(report)
            if report.damaged:
                self.damageFound.emit(report)

        def failed(error: BaseException, details: str) -> None:
            self.running_kind = None
            self.statusChanged.emit()
            on_failure(error, details)

        self.worker.run_long(
            task, on_success=done, on_failure=failed, on_progress=on_progress, write=False
        )
        return True

    def attach(self, window: QMainWindow) -> None:
        """A main window opened: put the backup state in its status bar."""
        self._window = window
        if self.context.database.path is not None:  # a database server backs itself up
            window.statusBar().addPermanentWidget(BackupStatusLabel(self, window))
        actor = getattr(window, "actor", None)
        if self.lock is not None and actor is not None:
            self.lock.set_user(actor.display_name)
        from familydoc.gui.backup_ui import SafetyPanel

        for panel in window.findChildren(SafetyPanel):
            panel.set_controller(self)

    def shutdown(self) -> None:
        self._timer.stop()
        self.worker.shutdown()


class BackupStatusLabel(QLabel):
    """The status bar's backup state: when the last good backup was made, or a warning."""

    def __init__(self, controller: SafetyController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("statusBackup")
        self.controller = controller
        controller.statusChanged.connect(self.refresh)
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.refresh)
        self._timer.start(STATUS_INTERVAL_MS)
        self.warning = False
        self.refresh()

    def refresh(self) -> None:
        controller = self.controller
        newest = backup.last_good_backup(controller.backups_dir)
        now = dt.datetime.now(dt.UTC)
        tooltip = self.tr("Backups folder: {folder}").format(folder=controller.backups_dir)
        self.warning = False
        if controller.context.database.damaged is not None:
            text = self.tr("⚠ The database is damaged: nothing more is saved")
            self.warning = True
        elif controller.running_kind == "check":
            text = self.tr("Checking the database…")
        elif controller.running_kind is not None:
            done, total = controller.progress
            percent = int(done * 100 / total) if total else 0
            text = self.tr("Backing up… {percent}%").format(percent=percent)
        elif controller.last_error is not None:
            text = self.tr("⚠ The last backup failed")
            if newest is not None and backup.is_stale(newest, now):
                text += self.tr("; no good backup for {days} days").format(
                    days=(now - newest.made_at).days
                )
            tooltip = user_message(controller.last_error)
            self.warning = True
        elif backup.is_stale(newest, now):
            if newest is None:
                text = self.tr("⚠ No backup has been made yet")
            else:
                days = (now - newest.made_at).days
                text = self.tr("⚠ No good backup for {days} days").format(days=days)
            self.warning = True
        else:
            assert newest is not None
            text = self.tr("Backup: {when}").format(when=when(newest.made_at))
        if not self.warning and controller.running_kind is None and controller.last_warnings:
            text += self.tr(" (second folder: not copied)")
            tooltip = "\n".join(user_message(w) for w in controller.last_warnings)
        self.setText(text)
        self.setToolTip(tooltip)
        self.setStyleSheet("color: #b00020; font-weight: bold;" if self.warning else "")


# --- restoring after damage -----------------------------------------------------------


class DamagedDatabaseDialog(QDialog):
    """The database is damaged: say so in plain words and offer the newest good backup.

    The live accounts cannot be trusted (nor perhaps read), so an administrator of the
    backup being restored authorises it."""

    def __init__(
        self,
        home: Home,
        database: Database,
        runner: OperationRunner,
        report: integrity.CheckReport,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.home = home
        self.database = database
        self.runner = runner
        self.setWindowTitle(self.tr("The database is damaged"))
        self.setMinimumWidth(620)
        self.newest = backup.last_good_backup(home.backups_dir)
        self.source: Path | None = self.newest.path if self.newest else None

        self.explanation = explanation = QLabel(
            self.tr(
                "The database file {path} is damaged: the disk lost or garbled part of it."
                "\nfamilydoc does not write to it any more, so nothing more is lost. Restore a"
                " good backup to go on working; the damaged file is kept beside the backups."
            ).format(path=report.path)
        )
        font = explanation.font()
        font.setBold(True)
        explanation.setFont(font)
        # What SQLite found, for the administrator or the supplier: behind a button.
        self.details = QPlainTextEdit(
            "\n".join(problem.render(QApplication.translate) for problem in report.problems)
        )
        self.details.setObjectName("damagedDetails")
        self.details.setReadOnly(True)
        self.details.setMaximumHeight(110)
        self.details.hide()
        self.details_button = QPushButton(self.tr("Technical details"))
        self.details_button.setCheckable(True)
        self.details_button.toggled.connect(self.details.setVisible)
        explanation.setWordWrap(True)
        self.backup_label = QLabel()
        self.backup_label.setObjectName("damagedBackup")
        self.backup_label.setWordWrap(True)
        self.username = QLineEdit()
        self.username.setObjectName("damagedUser")
        self.password = QLineEdit()
        self.password.setObjectName("damagedPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout()
        form.addRow(self.tr("Administrator"), self.username)
        form.addRow(self.tr("Password"), self.password)
        self.error = QLabel()
        self.error.setObjectName("damagedError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020;")
        self.error.hide()
        self.progress = QProgressBar()
        self.progress.hide()
        self.restore_button = QPushButton(self.tr("Restore this backup"))
        self.restore_button.setObjectName("damagedRestore")
        self.restore_button.setDefault(True)
        self.choose_button = QPushButton(self.tr("Choose another backup file…"))
        self.quit_button = QPushButton(self.tr("Quit"))
        self.restore_button.clicked.connect(self.restore)
        self.choose_button.clicked.connect(self._choose)
        self.quit_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.restore_button)
        buttons.addWidget(self.choose_button)
        buttons.addStretch(1)
        buttons.addWidget(self.quit_button)
        layout = QVBoxLayout(self)
        layout.addWidget(explanation)
        details_row = QHBoxLayout()
        details_row.addStretch(1)
        details_row.addWidget(self.details_button)
        layout.addLayout(details_row)
        layout.addWidget(self.details)
        layout.addWidget(self.backup_label)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.progress)
        layout.addLayout(buttons)
        self._show_source()

    def _show_source(self) -> None:
        if self.source is None:
            self.backup_label.setText(
                self.tr(
                    "No backup was found in {folder}. Choose a backup file (for example from"
                    " the USB disk of the second backup folder)."
                ).format(folder=self.home.backups_dir)
            )
        elif self.newest is not None and self.source == self.newest.path:
            self.backup_label.setText(
                self.tr("Newest good backup: {when} ({kind}, {size}).").format(
                    when=when(self.newest.made_at),
                    kind=labels.backup_kind(self.newest.kind),
                    size=size_text(self.newest.size),
                )
            )
        else:
            self.backup_label.setText(self.tr("Backup file: {file}").format(file=self.source))
        self.restore_button.setEnabled(self.source is not None)

    def _choose(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(
            self,
            self.tr("Choose a backup"),
            str(self.home.backups_dir),
            self.tr("familydoc backups (*.sqlite3 *.damaged);;All files (*)"),
        )
        if name:
            self.choose_file(Path(name))

    def choose_file(self, path: Path) -> None:
        self.source = path
        self._show_source()

    def restore(self) -> None:
        source, username, password = self.source, self.username.text(), self.password.text()
        if source is None:
            return
        if not username or not password:
            self._fail(self.tr("Enter an administrator's user name and password."))
            return
        self.error.hide()
        for button in (self.restore_button, self.choose_button, self.quit_button):
            button.setEnabled(False)
        self.progress.setRange(0, len(backup.RESTORE_PHASES) - 1)
        self.progress.show()

        def task(_session: Session, control: JobControl) -> backup.RestoreResult:
            actor = backup.verify_administrator(source, username, password)
            return backup.restore_backup(
                self.home,
                self.database,
                source,
                actor,
                current_institution=None,
                progress=control.progress,
            )

        self.runner.run_long(
            task,
            on_success=self._restored,
            on_failure=self._failed,
            on_progress=lambda done, _total, _text: self.progress.setValue(done),
            write=False,
        )

    def _fail(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

    def _failed(self, error: BaseException, _details: str) -> None:
        self.progress.hide()
        for button in (self.restore_button, self.choose_button, self.quit_button):
            button.setEnabled(True)
        self._fail(user_message(error))

    def _restored(self, result: backup.RestoreResult) -> None:
        self.result = result
        self.progress.hide()
        box = QMessageBox(
            QMessageBox.Icon.Information,
            self.tr("Restored"),
            self.tr(
                "The backup was restored. The damaged file is kept as {file}.\nPlease log in again."
            ).format(file=result.previous_copy.name if result.previous_copy else "—"),
            QMessageBox.StandardButton.Ok,
            self,
        )
        box.finished.connect(self.accept)
        box.open()
        self.notice = box


def handle_damage_found(shell: Shell, report: integrity.CheckReport) -> None:
    """The check at start (or on demand) found damage: stop, and offer the newest backup."""
    controller = shell.safety
    if controller.smoke:
        print(f"smoke: FAILED: {user_message(report.as_error())}", file=sys.stderr, flush=True)
        shell.app._familydoc_exit = 1  # type: ignore[attr-defined]
        shell.quit()
        return
    for widget in (shell.login, shell.window):
        if widget is not None:
            widget.hide()
    dialog = DamagedDatabaseDialog(shell.context.home, shell.context.database, shell.runner, report)
    dialog.accepted.connect(shell.logout)
    dialog.rejected.connect(shell.quit)
    shell.damage_dialog = dialog
    dialog.open()
