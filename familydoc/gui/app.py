"""Starting the GUI: translations, first run, login, main window, auto-lock and log-out."""

from __future__ import annotations

import logging
import os
import sys
import time
import traceback
from types import TracebackType

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication
from PySide6.QtWidgets import QApplication, QDialog, QStyleFactory

from familydoc.core.auth import Actor
from familydoc.core.config import Home
from familydoc.core.context import AppContext
from familydoc.gui.collector import MainThreadCollector
from familydoc.gui.errors import show_error
from familydoc.gui.i18n import Translator
from familydoc.gui.login import FirstRunDialog, LoginDialog
from familydoc.gui.main_window import MainWindow
from familydoc.gui.runner import OperationRunner
from familydoc.gui.safety import SafetyController, handle_damage_found, open_safely

log = logging.getLogger(__name__)

STYLE_SHEET = """
QListWidget#navigation { background: #1f4e79; color: white; border: none; font-size: 15px; }
QListWidget#navigation::item { padding-left: 14px; }
QListWidget#navigation::item:selected { background: #2e75b6; color: white; }
QLabel#pageTitle { color: #1f4e79; padding: 4px 0 6px 0; }
QLabel#institutionName { color: #555; font-size: 14px; }
"""

CJK_FONTS = (
    "Microsoft YaHei UI",
    "Microsoft YaHei",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
    "PingFang SC",
)


def _pick_font(app: QApplication) -> None:
    families = set(QFontDatabase.families())
    for family in CJK_FONTS:
        if family in families:
            font = QFont(family)
            font.setPointSize(10)
            app.setFont(font)
            return


class Shell(QObject):
    """Moves the user between the first-run dialog, the login dialog and the main window."""

    def __init__(self, app: QApplication, context: AppContext, username: str = "") -> None:
        super().__init__()
        self.app = app
        self.context = context
        self.runner = OperationRunner(context.database)
        self.window: MainWindow | None = None
        self.login: LoginDialog | None = None
        self.first_run: FirstRunDialog | None = None
        self.initial_username = username
        # Checks and backups of the database (started by run_gui; idle in tests).
        self.safety = SafetyController(context, self)
        self.safety.damageFound.connect(lambda report: handle_damage_found(self, report))
        self.damage_dialog: QDialog | None = None

    def start(self) -> None:
        if self.context.institution() is None:
            self.first_run = FirstRunDialog(self.runner)
            self.first_run.accepted.connect(self._first_run_done)
            self.first_run.rejected.connect(self.quit)
            self.first_run.show()
        else:
            self.show_login(username=self.initial_username)

    def _first_run_done(self) -> None:
        first_run = self.first_run
        assert first_run is not None
        notice = first_run.demo_accounts
        if first_run.created_admin:
            notice = self.tr(
                "Your institution is set up. Log in as {user} with the password you chose."
            ).format(user=first_run.created_admin)
        self.show_login(username=first_run.created_admin, notice=notice)

    def show_login(self, username: str = "", locked: bool = False, notice: str = "") -> None:
        institution = self.context.institution()
        self.login = LoginDialog(
            self.runner,
            institution.name if institution else "",
            username=username,
            locked=locked,
            notice=notice,
        )
        self.login.loggedIn.connect(self._logged_in)
        self.login.rejected.connect(self.quit)
        self.login.show()
        self.login.raise_()
        self.login.activateWindow()

    def _logged_in(self, actor: Actor) -> None:
        if self.window is not None and self.window.actor.user_id == actor.user_id:
            self.window.show()
            self.window.idle.set_minutes(self.window.idle.minutes)
            return
        self._drop_window()
        self.window = MainWindow(self.context, self.runner, actor)
        self.window.lockRequested.connect(self.lock)
        self.window.logoutRequested.connect(self.logout)
        self.safety.attach(self.window)
        screen = QGuiApplication.primaryScreen()
        if screen is not None and screen.availableGeometry().width() <= 1440:
            self.window.setGeometry(screen.availableGeometry())
            self.window.showMaximized()
        else:
            self.window.show()

    def lock(self) -> None:
        if self.window is None or not self.window.isVisible():
            return
        self.window.hide()
        self.window.idle.set_minutes(0)
        self.show_login(username=self.window.actor.username, locked=True)

    def logout(self) -> None:
        self._drop_window()
        self.show_login()

    def _drop_window(self) -> None:
        if self.window is not None:
            self.window.shutdown()
            self.window.hide()
            self.window.deleteLater()
            self.window = None

    def quit(self) -> None:
        self._drop_window()
        self.app.quit()

    def shutdown(self) -> None:
        self._drop_window()
        self.runner.shutdown()
        self.safety.shutdown()


def create_application(lang: str) -> tuple[QApplication, Translator]:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("familydoc")
    app.setOrganizationName("familydoc")
    app.setStyle(QStyleFactory.create("Fusion"))
    app.setStyleSheet(STYLE_SHEET)
    _pick_font(app)
    translator = Translator(lang)
    translator.install(app)
    if app.findChild(MainThreadCollector) is None:
        MainThreadCollector(app)
    return app, translator


def _excepthook(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
    details = "".join(traceback.format_exception(kind, error, tb))
    log.error("uncaught error: %s", details)
    show_error(QApplication.activeWindow(), error, details)


def run_gui(home: Home, lang: str = "zh_CN", smoke: bool = False, user: str = "") -> int:
    app, translator = create_application(lang)
    # One program per database, no network share, a damaged file offers the newest backup.
    start = open_safely(home, smoke=smoke)
    if isinstance(start, int):
        return start
    context = start.context
    shell = Shell(app, context, username=user)
    shell.safety.lock, shell.safety.smoke = start.lock, smoke
    shell.safety.start()  # quick_check, then the automatic backup
    app._familydoc_keep = (translator, shell)  # type: ignore[attr-defined]
    sys.excepthook = _excepthook
    shell.start()
    if smoke:
        _arm_smoke_test(app, shell, user)
    try:
        code = app.exec()
    finally:
        shell.shutdown()
        context.close()
        start.release()
    return getattr(app, "_familydoc_exit", code)


def _arm_smoke_test(app: QApplication, shell: Shell, user: str) -> None:
    """Packaging check: log in (if a user and FAMILYDOC_PASSWORD are given), open every page.

    Prints wall-clock timestamps of the milestones so ``bench/`` can time the start.
    """
    password = os.environ.get("FAMILYDOC_PASSWORD", "")

    def mark(event: str) -> None:
        print(f"smoke: {event} at {time.time():.3f}", file=sys.stderr, flush=True)

    def fail(reason: str) -> None:
        print(f"smoke: FAILED: {reason}", file=sys.stderr, flush=True)
        app._familydoc_exit = 1  # type: ignore[attr-defined]
        app.quit()

    def finish() -> None:
        if shell.runner.busy or shell.safety.busy:
            QTimer.singleShot(100, finish)
            return
        print("smoke: ok", file=sys.stderr, flush=True)
        app._familydoc_exit = 0  # type: ignore[attr-defined]
        app.quit()

    def window_ready() -> None:
        window = shell.window
        if window is None:
            QTimer.singleShot(20, window_ready)
            return
        first = window.pages[window.page_keys()[0]]
        if not first.loaded:
            QTimer.singleShot(10, window_ready)
            return
        mark("main window usable")
        for key in window.page_keys():
            window.show_page(key)
        QTimer.singleShot(200, finish)

    def log_in() -> None:
        if shell.login is None or not shell.login.isVisible():
            fail("no login dialog")
            return
        mark("login dialog shown")
        if not (user and password):
            finish()
            return
        shell.login.username.setText(user)
        shell.login.password.setText(password)
        mark("login submitted")
        shell.login.login_button.click()
        window_ready()

    QTimer.singleShot(0, log_in)
    QTimer.singleShot(60_000, lambda: fail("timed out"))
