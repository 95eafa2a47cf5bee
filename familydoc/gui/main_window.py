"""The main window: navigation, pages, status bar, and the idle auto-lock."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from familydoc import __version__
from familydoc.core import queries
from familydoc.core.auth import Actor, Permission
from familydoc.core.context import AppContext
from familydoc.gui import labels
from familydoc.gui.accounts import ChangePasswordDialog
from familydoc.gui.audit_page import AuditPage
from familydoc.gui.contracts import ContractsPage
from familydoc.gui.errors import show_error
from familydoc.gui.pages import (
    Page,
    SettingsPage,
)
from familydoc.gui.residents import ResidentsPage
from familydoc.gui.runner import OperationRunner
from familydoc.gui.statistics import StatisticsPage
from familydoc.gui.sync_page import SyncPage
from familydoc.gui.teams import TeamsPage

_INPUT_EVENTS = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
    QEvent.Type.TouchBegin,
}


class IdleWatcher(QObject):
    """Fires ``idle`` after the given minutes without keyboard or mouse input."""

    idle = Signal()

    def __init__(self, minutes: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.idle)
        self.set_minutes(minutes)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def set_minutes(self, minutes: int) -> None:
        self.minutes = minutes
        if minutes > 0:
            self._timer.start(minutes * 60_000)
        else:
            self._timer.stop()

    def set_interval_ms(self, milliseconds: int) -> None:
        """For tests: a shorter idle time."""
        self._timer.start(milliseconds)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _INPUT_EVENTS and self._timer.isActive():
            self._timer.start()
        return False

    def stop(self) -> None:
        self._timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)


class MainWindow(QMainWindow):
    lockRequested = Signal()
    logoutRequested = Signal()

    def __init__(self, context: AppContext, runner: OperationRunner, actor: Actor) -> None:
        super().__init__()
        self.context = context
        self.runner = runner
        self.actor = actor
        institution = context.institution()
        self.institution_name = institution.name if institution else ""
        self.setWindowTitle(
            self.tr("familydoc — {institution}").format(institution=self.institution_name)
        )
        self.resize(1280, 720)
        self.setMinimumSize(QSize(1000, 600))

        self.navigation = QListWidget()
        self.navigation.setObjectName("navigation")
        self.navigation.setFixedWidth(170)
        self.stack = QStackedWidget()
        self.pages: dict[str, Page] = {}
        self._add_page("residents", ResidentsPage(context, runner, actor))
        self._add_page("teams", TeamsPage(context, runner, actor))
        self._add_page("contracts", ContractsPage(context, runner, actor))
        self._add_page("statistics", StatisticsPage(context, runner, actor))
        self.sync_page = SyncPage(context, runner, actor)
        self._add_page("sync", self.sync_page)
        self._add_page("settings", SettingsPage(context, runner, actor))
        if actor.can(Permission.VIEW_AUDIT):
            self._add_page("audit", AuditPage(context, runner, actor))
        self.navigation.currentRowChanged.connect(self._show_page)

        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.navigation)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self._build_menu()
        self._build_status_bar()

        runner.failureReported.connect(lambda error, details: show_error(self, error, details))
        runner.busyChanged.connect(self._busy)
        minutes = int(context.config().get("ui.auto_lock_minutes"))
        self.idle = IdleWatcher(minutes, self)
        self.idle.idle.connect(self.lockRequested)
        self._status_timer = QTimer(self)
        self._status_timer.timeout.connect(self.refresh_status)
        self._status_timer.start(60_000)
        self.navigation.setCurrentRow(0)
        self.refresh_status()
        # Reports go to the county in the background: at start and every 15 minutes.
        self.sync_page.controller.changed.connect(self.refresh_status)
        self.sync_page.controller.start_automatic()

    def _add_page(self, key: str, page: Page) -> None:
        page.setObjectName(f"page_{key}")
        self.pages[key] = page
        self.stack.addWidget(page)
        item = QListWidgetItem(page.title)
        item.setData(Qt.ItemDataRole.UserRole, key)
        item.setSizeHint(QSize(160, 40))
        self.navigation.addItem(item)

    def page_keys(self) -> list[str]:
        return list(self.pages)

    def show_page(self, key: str) -> Page:
        self.navigation.setCurrentRow(self.page_keys().index(key))
        return self.pages[key]

    def _show_page(self, row: int) -> None:
        if row < 0:
            return
        page = self.pages[self.page_keys()[row]]
        self.stack.setCurrentWidget(page)
        page.refresh()

    def _build_menu(self) -> None:
        program = self.menuBar().addMenu(self.tr("&Program"))
        refresh = QAction(self.tr("&Refresh"), self)
        refresh.setShortcut(QKeySequence.StandardKey.Refresh)
        refresh.triggered.connect(self._refresh_current)
        lock = QAction(self.tr("&Lock screen"), self)
        lock.setShortcut(QKeySequence("Ctrl+L"))
        lock.triggered.connect(self.lockRequested)
        logout = QAction(self.tr("Log &out"), self)
        logout.triggered.connect(self.logoutRequested)
        self.password_action = QAction(self.tr("Change my &password…"), self)
        self.password_action.triggered.connect(self.change_password)
        quit_action = QAction(self.tr("&Quit"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        for action in (refresh, self.password_action, lock, logout):
            program.addAction(action)
        program.addSeparator()
        program.addAction(quit_action)
        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        about = QAction(self.tr("&About familydoc"), self)
        about.triggered.connect(self._about)
        help_menu.addAction(about)

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.user_label = QLabel(
            self.tr("User: {name} ({role})").format(
                name=self.actor.display_name, role=labels.role(self.actor.role)
            )
        )
        self.user_label.setObjectName("statusUser")
        path = self.context.database.path
        self.database_label = QLabel(
            self.tr("Database: {location}").format(
                location=path.name if path else self.context.database.engine.url.get_backend_name()
            )
        )
        self.database_label.setToolTip(str(path) if path else "")
        self.database_label.setObjectName("statusDatabase")
        self.sync_label = QLabel()
        self.sync_label.setObjectName("statusSync")
        self.busy_label = QLabel()
        bar.addWidget(self.user_label)
        bar.addWidget(self.database_label)
        bar.addPermanentWidget(self.busy_label)
        bar.addPermanentWidget(self.sync_label)

    def refresh_status(self) -> None:
        self.runner.run(
            lambda session: queries.sync_status(session), on_success=self._show_sync_status
        )

    def _show_sync_status(self, status: queries.SyncStatus) -> None:
        last = (
            labels.local_time(status.last_synced_at) if status.last_synced_at else self.tr("never")
        )
        text = self.tr("Sync: last {last}, {waiting} waiting").format(
            last=last, waiting=status.waiting
        )
        if status.failed:
            text += self.tr(", {failed} need attention").format(failed=status.failed)
        self.sync_label.setText(text)

    def _busy(self, busy: bool) -> None:
        self.busy_label.setText(self.tr("Working…") if busy else "")

    def _refresh_current(self) -> None:
        page = self.stack.currentWidget()
        if isinstance(page, Page):
            page.refresh()
        self.refresh_status()

    def set_auto_lock_minutes(self, minutes: int) -> None:
        self.idle.set_minutes(minutes)

    def change_password(self) -> ChangePasswordDialog:
        dialog = ChangePasswordDialog(self.runner, self.actor, self)
        dialog.saved.connect(
            lambda _r: self.statusBar().showMessage(self.tr("Your password was changed."), 8000)
        )
        dialog.open()
        return dialog

    def _about(self) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Information,
            self.tr("About familydoc"),
            self.tr(
                "familydoc {version}\nFamily doctor contracting for township"
                " health centres.\n{year}"
            ).format(version=__version__, year=dt.date.today().year),
            QMessageBox.StandardButton.Ok,
            self,
        )
        box.open()

    def shutdown(self) -> None:
        self.sync_page.controller.shutdown()
        self.idle.stop()
        self._status_timer.stop()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.shutdown()
        super().closeEvent(event)
