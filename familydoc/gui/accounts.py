"""User accounts in the window: the administrators' list and dialogs, and one's own password.

Every change goes through ``familydoc.core.auth`` / ``familydoc.core.accounts``, which
check the permission, apply the password and user-name rules and write the audit event;
this module only asks and shows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
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

from familydoc.core import accounts, auth
from familydoc.core.auth import Actor, UserRow
from familydoc.core.models import ROLES
from familydoc.gui import labels
from familydoc.gui.errors import show_error
from familydoc.gui.runner import OperationRunner
from familydoc.gui.service_dialog import ServiceDialog, password_field

translate = QCoreApplication.translate


def account_state(row: UserRow, now: dt.datetime | None = None) -> str:
    """The account's state in words (the 状态 column)."""
    now = now or dt.datetime.now(dt.UTC)
    if row.deactivated:
        return translate("AccountsPanel", "Disabled (no longer in use)")
    if row.disabled:
        return translate("AccountsPanel", "Locked by administrator")
    if row.locked_until and row.locked_until > now:
        return translate("AccountsPanel", "Locked after wrong passwords")
    if row.must_change_password:
        return translate("AccountsPanel", "Active, must choose a new password")
    return translate("AccountsPanel", "Active")


def _is_locked(row: UserRow) -> bool:
    return row.disabled or bool(row.locked_until and row.locked_until > dt.datetime.now(dt.UTC))


def _role_combo(current: str = "clerk") -> QComboBox:
    combo = QComboBox()
    combo.setObjectName("roleCombo")
    for code in ROLES:
        combo.addItem(labels.role(code), code)
    combo.setCurrentIndex(max(0, combo.findData(current)))
    return combo


class AccountsPanel(QWidget):
    """The list of accounts with the administrator's actions (settings page, 用户账号)."""

    changed = Signal()

    def __init__(self, runner: OperationRunner, actor: Actor, parent: QWidget | None = None):
        super().__init__(parent)
        self.runner = runner
        self.actor = actor
        self.rows: list[UserRow] = []
        self.select_after: str | None = None
        self.dialog: QWidget | None = None
        self.table = QTableWidget(0, 5)
        self.table.setObjectName("usersTable")
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("User name"),
                self.tr("Full name"),
                self.tr("Role"),
                self.tr("State"),
                self.tr("Last login"),
            ]
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(26)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((140, 160, 120, 260)):
            self.table.setColumnWidth(column, width)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.itemDoubleClicked.connect(lambda *_a: self.edit_account())
        self.table.setTabKeyNavigation(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(self._button_row())
        self._update_buttons()

    def _button(self, text: str, name: str, slot: Callable[[], Any]) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.clicked.connect(slot)
        return button

    def _button_row(self) -> QHBoxLayout:
        self.new_button = self._button(self.tr("New account…"), "newAccount", self.new_account)
        self.edit_button = self._button(self.tr("Name and role…"), "editAccount", self.edit_account)
        self.reset_button = self._button(
            self.tr("Reset password…"), "resetPassword", self.reset_password
        )
        self.lock_button = self._button(self.tr("Lock"), "lockAccount", self.toggle_lock)
        self.deactivate_button = self._button(
            self.tr("Disable"), "deactivateAccount", self.toggle_deactivated
        )
        row = QHBoxLayout()
        for button in (
            self.new_button,
            self.edit_button,
            self.reset_button,
            self.lock_button,
            self.deactivate_button,
        ):
            row.addWidget(button)
        row.addStretch(1)
        return row

    # -- loading ---------------------------------------------------------------------

    def refresh(self) -> None:
        self.runner.run(
            lambda s: auth.list_users(s, self.actor),
            on_success=self._show,
            on_failure=lambda error, details: show_error(self, error, details),
        )

    def _show(self, rows: list[UserRow]) -> None:
        selected = self.select_after or (row.username if (row := self.selected()) else None)
        self.select_after = None
        self.rows = rows
        self.table.setRowCount(len(rows))
        for index, row in enumerate(rows):
            cells = [
                row.username,
                row.display_name,
                labels.role(row.role),
                account_state(row),
                labels.local_time(row.last_login_at) if row.last_login_at else self.tr("never"),
            ]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, row.username)
                self.table.setItem(index, column, item)
        if selected is not None:
            self.select(selected)
        self._update_buttons()
        self.changed.emit()

    def select(self, username: str) -> None:
        for index, row in enumerate(self.rows):
            if row.username == username:
                self.table.selectRow(index)
                return

    def selected(self) -> UserRow | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self.rows):
            return None
        return self.rows[rows[0].row()]

    def _update_buttons(self) -> None:
        row = self.selected()
        for button in (
            self.edit_button,
            self.reset_button,
            self.lock_button,
            self.deactivate_button,
        ):
            button.setEnabled(row is not None)
        locked = row is not None and _is_locked(row)
        self.lock_button.setText(self.tr("Unlock") if locked else self.tr("Lock"))
        deactivated = row is not None and row.deactivated
        self.deactivate_button.setText(self.tr("Enable") if deactivated else self.tr("Disable"))
        own = row is not None and row.username == self.actor.username
        self.deactivate_button.setEnabled(row is not None and not own)

    # -- actions ---------------------------------------------------------------------

    def _open(self, dialog: ServiceDialog) -> ServiceDialog:
        dialog.saved.connect(lambda result: self._done(result))
        self.dialog = dialog
        dialog.open()
        return dialog

    def _done(self, result: Any) -> None:
        if isinstance(result, UserRow):
            self._show_status(self.tr("Account {user} saved.").format(user=result.username))
            self.select_after = result.username
        self.refresh()

    def _show_status(self, text: str) -> None:
        window = self.window()
        status = getattr(window, "statusBar", None)
        if callable(status):
            status().showMessage(text, 8000)

    def new_account(self) -> ServiceDialog:
        return self._open(NewAccountDialog(self.runner, self.actor, self))

    def edit_account(self) -> ServiceDialog | None:
        row = self.selected()
        if row is None:
            return None
        return self._open(EditAccountDialog(self.runner, self.actor, row, self))

    def reset_password(self) -> ServiceDialog | None:
        row = self.selected()
        if row is None:
            return None
        return self._open(ResetPasswordDialog(self.runner, self.actor, row, self))

    def _confirm(self, text: str, action: str, then: Callable[[], None]) -> QMessageBox:
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("User accounts"), text, parent=self)
        yes = box.addButton(action, QMessageBox.ButtonRole.AcceptRole)
        box.addButton(self.tr("Cancel"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(yes)
        yes.clicked.connect(then)
        self.dialog = box
        box.open()
        return box

    def _apply(self, task: Callable[[Session], UserRow], message: str) -> None:
        def done(row: UserRow) -> None:
            self._show_status(message.format(user=row.username))
            self.refresh()

        self.runner.run(
            task,
            write=True,
            on_success=done,
            on_failure=lambda error, details: show_error(self, error, details),
        )

    def toggle_lock(self) -> QMessageBox | None:
        row = self.selected()
        if row is None:
            return None
        username, actor = row.username, self.actor
        if _is_locked(row):
            return self._confirm(
                self.tr("Unlock the account {user}? It can log in again at once.").format(
                    user=username
                ),
                self.tr("Unlock"),
                lambda: self._apply(
                    lambda s: auth.set_disabled(s, actor, username=username, disabled=False),
                    self.tr("Account {user} unlocked."),
                ),
            )
        return self._confirm(
            self.tr(
                "Lock the account {user}? It cannot log in until an administrator unlocks it."
            ).format(user=username),
            self.tr("Lock"),
            lambda: self._apply(
                lambda s: auth.set_disabled(s, actor, username=username, disabled=True),
                self.tr("Account {user} locked."),
            ),
        )

    def toggle_deactivated(self) -> QMessageBox | None:
        row = self.selected()
        if row is None:
            return None
        username, actor, deactivated = row.username, self.actor, not row.deactivated
        if deactivated:
            text = self.tr(
                "Disable the account {user}? Do this when someone no longer works here: the"
                " account cannot log in, and its name stays in the audit log and on the"
                " contracts it signed."
            ).format(user=username)
            action, done = self.tr("Disable"), self.tr("Account {user} disabled.")
        else:
            text = self.tr("Enable the account {user} again?").format(user=username)
            action, done = self.tr("Enable"), self.tr("Account {user} enabled.")
        return self._confirm(
            text,
            action,
            lambda: self._apply(
                lambda s: accounts.set_deactivated(
                    s, actor, username=username, deactivated=deactivated
                ),
                done,
            ),
        )


class NewAccountDialog(ServiceDialog):
    def __init__(self, runner: OperationRunner, actor: Actor, parent: QWidget | None) -> None:
        super().__init__(runner, self.tr("New account"), parent)
        self.actor = actor
        self.username = QLineEdit()
        self.username.setObjectName("newUsername")
        self.username.setPlaceholderText(self.tr("for logging in, e.g. wangli"))
        self.display_name = QLineEdit()
        self.display_name.setObjectName("newDisplayName")
        self.role = _role_combo()
        self.password = password_field("newPassword")
        self.repeat = password_field("newPasswordRepeat")
        self.must_change = QCheckBox(self.tr("Must choose a new password at the first login"))
        self.must_change.setObjectName("mustChange")
        self.must_change.setChecked(True)
        self.form.addRow(self.tr("User name"), self.username)
        self.form.addRow(self.tr("Full name"), self.display_name)
        self.form.addRow(self.tr("Role"), self.role)
        self.form.addRow(self.tr("First password"), self.password)
        self.form.addRow(self.tr("Repeat the password"), self.repeat)
        self.form.addRow("", self.must_change)
        self.username.setFocus()

    def task(self) -> Callable[[Session], Any] | None:
        if self.password.text() != self.repeat.text():
            self.show_problem(self.tr("The two passwords differ."))
            return None
        actor, username, name = self.actor, self.username.text(), self.display_name.text()
        role, password = self.role.currentData(), self.password.text()
        must_change = self.must_change.isChecked()
        return lambda s: auth.create_user(
            s,
            actor,
            username=username,
            display_name=name,
            role=role,
            password=password,
            must_change_password=must_change,
        )


class EditAccountDialog(ServiceDialog):
    def __init__(
        self, runner: OperationRunner, actor: Actor, row: UserRow, parent: QWidget | None
    ) -> None:
        super().__init__(runner, self.tr("Account {user}").format(user=row.username), parent)
        self.actor, self.row = actor, row
        self.display_name = QLineEdit(row.display_name)
        self.display_name.setObjectName("editDisplayName")
        self.role = _role_combo(row.role)
        self.form.addRow(self.tr("User name"), QLabel(row.username))
        self.form.addRow(self.tr("Full name"), self.display_name)
        self.form.addRow(self.tr("Role"), self.role)

    def task(self) -> Callable[[Session], Any] | None:
        actor, username = self.actor, self.row.username
        name, role = self.display_name.text(), self.role.currentData()
        return lambda s: accounts.update_user(
            s, actor, username=username, display_name=name, role=role
        )


class ResetPasswordDialog(ServiceDialog):
    def __init__(
        self, runner: OperationRunner, actor: Actor, row: UserRow, parent: QWidget | None
    ) -> None:
        super().__init__(runner, self.tr("Reset password"), parent)
        self.actor, self.row = actor, row
        self.set_intro(
            self.tr(
                "Give {name} ({user}) a new password. At the next login they must choose their own."
            ).format(name=row.display_name, user=row.username)
        )
        self.password = password_field("resetPassword")
        self.repeat = password_field("resetPasswordRepeat")
        self.form.addRow(self.tr("New password"), self.password)
        self.form.addRow(self.tr("Repeat the password"), self.repeat)
        self.save_button.setText(self.tr("Reset password"))

    def task(self) -> Callable[[Session], Any] | None:
        if self.password.text() != self.repeat.text():
            self.show_problem(self.tr("The two passwords differ."))
            return None
        actor, username, password = self.actor, self.row.username, self.password.text()

        def reset(session: Session) -> UserRow:
            auth.change_password(session, actor, username=username, new_password=password)
            return next(row for row in auth.list_users(session, actor) if row.username == username)

        return reset


class ChangePasswordDialog(ServiceDialog):
    """系统 → 修改密码, and the forced change at the first login after a reset."""

    def __init__(
        self,
        runner: OperationRunner,
        actor: Actor,
        parent: QWidget | None,
        *,
        current_password: str | None = None,
    ) -> None:
        super().__init__(runner, self.tr("Change my password"), parent)
        self.actor = actor
        self.forced = current_password is not None
        self.current = password_field("currentPassword")
        self.password = password_field("ownNewPassword")
        self.repeat = password_field("ownNewPasswordRepeat")
        if self.forced:
            self.current.setText(current_password or "")
            self.set_intro(
                self.tr(
                    "Your password was set by an administrator. Choose your own password"
                    " now: only you should know it."
                )
            )
            self.cancel_button.setText(self.tr("Back to login"))
        else:
            self.form.addRow(self.tr("Current password"), self.current)
        self.form.addRow(self.tr("New password"), self.password)
        self.form.addRow(self.tr("Repeat the new password"), self.repeat)
        self.save_button.setText(self.tr("Change password"))
        (self.password if self.forced else self.current).setFocus()

    def task(self) -> Callable[[Session], Any] | None:
        if self.password.text() != self.repeat.text():
            self.show_problem(self.tr("The two new passwords differ."))
            return None
        if self.password.text() == self.current.text():
            self.show_problem(self.tr("Choose a password different from the current one."))
            return None
        actor, old, new = self.actor, self.current.text(), self.password.text()
        return lambda s: auth.change_password(
            s, actor, username=actor.username, new_password=new, old_password=old
        )
