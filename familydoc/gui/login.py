"""The login dialog (also shown by auto-lock and log-out) and the first-run set-up dialog."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

if TYPE_CHECKING:
    from familydoc.core.demo import DemoSummary

from familydoc import __version__
from familydoc.core import auth, setup
from familydoc.core.auth import Actor, LoginResult
from familydoc.gui.accounts import ChangePasswordDialog
from familydoc.gui.errors import show_error, user_message
from familydoc.gui.runner import JobControl, OperationRunner


def _heading(text: str, size: int = 16) -> QLabel:
    label = QLabel(text)
    font = QFont(label.font())
    font.setPointSize(size)
    font.setBold(True)
    label.setFont(font)
    return label


class LoginDialog(QDialog):
    """Asks for user name and password; checks them on the database worker."""

    loggedIn = Signal(object)

    def __init__(
        self,
        runner: OperationRunner,
        institution_name: str,
        username: str = "",
        locked: bool = False,
        notice: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self.actor: Actor | None = None
        self.setWindowTitle(self.tr("familydoc — log in"))
        self.setMinimumWidth(420)

        title = _heading(self.tr("Family doctor contracting"), 18)
        subtitle = QLabel(institution_name)
        subtitle.setObjectName("institutionName")
        self.notice = QLabel(
            self.tr("The screen was locked after a period without use. Log in to go on.")
            if locked
            else notice
        )
        self.notice.setObjectName("loginNotice")
        self.notice.setWordWrap(True)
        self.notice.setVisible(locked or bool(notice))

        self.username = QLineEdit(username)
        self.username.setObjectName("username")
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout()
        form.addRow(self.tr("User name"), self.username)
        form.addRow(self.tr("Password"), self.password)

        self.error = QLabel()
        self.error.setObjectName("loginError")
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        self.error.hide()

        buttons = QDialogButtonBox()
        self.login_button = buttons.addButton(
            self.tr("Log in"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.login_button.setObjectName("loginButton")
        self.login_button.setDefault(True)
        quit_button = buttons.addButton(self.tr("Quit"), QDialogButtonBox.ButtonRole.RejectRole)
        quit_button.clicked.connect(self.reject)
        self.login_button.clicked.connect(self.try_login)

        version = QLabel(self.tr("Version {version}").format(version=__version__))
        version.setStyleSheet("color: #777;")
        version.setAlignment(Qt.AlignmentFlag.AlignRight)

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(subtitle)
        layout.addSpacing(8)
        layout.addWidget(self.notice)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        layout.addWidget(version)
        (self.password if username else self.username).setFocus()

    def try_login(self) -> None:
        username, password = self.username.text().strip(), self.password.text()
        if not username or not password:
            self._show_error(self.tr("Enter your user name and password."))
            return
        self.login_button.setEnabled(False)
        self.error.hide()

        def check(session: Session) -> LoginResult:
            return auth.authenticate(session, username, password)

        self._runner.run(
            check,
            on_success=lambda result: self._checked(result, password),
            on_failure=self._failed,
            write=True,
        )

    def _checked(self, result: LoginResult, password: str = "") -> None:
        self.login_button.setEnabled(True)
        if result.actor is None:
            assert result.error is not None
            self.password.clear()
            self.password.setFocus()
            self._show_error(user_message(result.error))
            return
        if result.must_change_password:
            self._ask_new_password(result.actor, password)
            return
        self._enter(result.actor)

    def _ask_new_password(self, actor: Actor, password: str) -> None:
        """After an administrator's reset: the user's own password before the window opens."""
        dialog = ChangePasswordDialog(self._runner, actor, self, current_password=password)
        dialog.setObjectName("forcedPasswordChange")
        dialog.saved.connect(lambda _result: self._enter(actor))
        dialog.rejected.connect(self._password_change_refused)
        self.password_change = dialog
        dialog.open()

    def _password_change_refused(self) -> None:
        self.password.clear()
        self.password.setFocus()
        self._show_error(self.tr("Choose your own password to go on."))

    def _enter(self, actor: Actor) -> None:
        self.actor = actor
        self.loggedIn.emit(actor)
        self.accept()

    def _failed(self, error: BaseException, details: str) -> None:
        self.login_button.setEnabled(True)
        show_error(self, error, details)

    def _show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()


class FirstRunDialog(QDialog):
    """Shown when the database belongs to no institution yet: set it up, or load demo data."""

    def __init__(self, runner: OperationRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self.demo_accounts: str = ""
        self.created_admin: str = ""  # the login window starts with this user name
        self.setWindowTitle(self.tr("familydoc — first start"))
        self.setMinimumWidth(520)

        intro = QLabel(
            self.tr(
                "This computer has no familydoc data yet. Enter your health centre and the"
                " first administrator account, or fill the program with demo data to try it."
            )
        )
        intro.setWordWrap(True)
        self.code = QLineEdit()
        self.code.setObjectName("institutionCode")
        self.code.setPlaceholderText(self.tr("e.g. 320321110"))
        self.name = QLineEdit()
        self.name.setObjectName("institutionName")
        self.name.setPlaceholderText(self.tr("e.g. 青山镇卫生院"))
        self.admin = QLineEdit("admin")
        self.admin.setObjectName("adminUser")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setObjectName("adminPassword")
        self.repeat = QLineEdit()
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat.setObjectName("adminPasswordRepeat")
        form = QFormLayout()
        form.addRow(self.tr("Institution code"), self.code)
        form.addRow(self.tr("Institution name"), self.name)
        form.addRow(self.tr("Administrator user name"), self.admin)
        form.addRow(self.tr("Password (8 characters or more)"), self.password)
        form.addRow(self.tr("Repeat the password"), self.repeat)

        self.residents = QSpinBox()
        self.residents.setRange(50, 50_000)
        self.residents.setValue(1200)
        self.residents.setSuffix(self.tr(" residents"))
        self.progress = QProgressBar()
        self.progress.hide()
        self.error = QLabel()
        self.error.setObjectName("setupError")
        self.error.setStyleSheet("color: #b00020;")
        self.error.hide()

        buttons = QDialogButtonBox()
        self.create_button = buttons.addButton(
            self.tr("Create"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.create_button.clicked.connect(self._create)
        self.demo_button = QPushButton(self.tr("Fill with demo data"))
        self.demo_button.setObjectName("demoButton")
        self.demo_button.clicked.connect(self._demo)
        quit_button = buttons.addButton(self.tr("Quit"), QDialogButtonBox.ButtonRole.RejectRole)
        quit_button.clicked.connect(self.reject)

        demo_row = QFormLayout()
        demo_row.addRow(self.demo_button, self.residents)

        layout = QVBoxLayout(self)
        layout.addWidget(_heading(self.tr("Welcome to familydoc")))
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        layout.addSpacing(12)
        layout.addWidget(QLabel(self.tr("Or, to try the program:")))
        layout.addLayout(demo_row)
        layout.addWidget(self.progress)

    def _busy(self, busy: bool) -> None:
        for widget in (self.create_button, self.demo_button):
            widget.setEnabled(not busy)

    def _create(self) -> None:
        if self.password.text() != self.repeat.text():
            self.error.setText(self.tr("The two passwords differ."))
            self.error.show()
            return
        self.error.hide()
        code, name = self.code.text(), self.name.text()
        admin, password = self.admin.text(), self.password.text()

        def create(session: Session) -> str:
            _institution, user = setup.initialise(
                session,
                institution_code=code,
                institution_name=name,
                admin_username=admin,
                admin_password=password,
            )
            return user.username

        self._busy(True)
        self._runner.run(create, write=True, on_success=self._created, on_failure=self._failed)

    def _created(self, username: str) -> None:
        self.created_admin = username
        self.accept()

    def _demo(self) -> None:
        from familydoc.core import demo  # loads pypinyin's dictionaries: only when asked

        count = self.residents.value()

        def fill(session: Session, control: JobControl) -> DemoSummary:
            return demo.create_demo(
                session, residents=count, progress=lambda done, total: control.progress(done, total)
            )

        self._busy(True)
        self.progress.setRange(0, count)
        self.progress.show()
        self._runner.run_long(
            fill,
            on_success=self._demo_done,
            on_failure=self._failed,
            on_progress=lambda done, total, _text: self.progress.setValue(done),
        )

    def _demo_done(self, summary: DemoSummary) -> None:
        users = ", ".join(user for user, _name, _role in summary.users)
        self.demo_accounts = self.tr("Demo accounts: {users}; password: {password}").format(
            users=users, password=summary.password
        )
        self.accept()

    def _failed(self, error: BaseException, details: str) -> None:
        self._busy(False)
        self.progress.hide()
        show_error(self, error, details)
