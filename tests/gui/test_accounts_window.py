"""Accounts in the window: the administrator's list and dialogs, resets, own passwords."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from familydoc.core import auth
from familydoc.core.context import AppContext
from familydoc.core.models import AuditEvent, User
from familydoc.gui.accounts import AccountsPanel, ChangePasswordDialog, NewAccountDialog
from familydoc.gui.app import Shell
from familydoc.gui.i18n import Translator
from familydoc.gui.pages import SettingsPage
from familydoc.gui.service_dialog import ServiceDialog
from tests.gui.test_shell import WAIT_MS, log_in

NEW_PASSWORD = "neue-pass-2026"


@pytest.fixture
def shell(
    qapp: QApplication, chinese: Translator, demo_context: AppContext, qtbot: QtBot
) -> Iterator[Shell]:
    shell = Shell(qapp, demo_context)
    shell.start()
    yield shell
    shell.shutdown()
    if shell.login is not None:
        shell.login.close()


def _accounts(qtbot: QtBot, shell: Shell) -> AccountsPanel:
    assert shell.window is not None
    settings = shell.window.show_page("settings")
    assert isinstance(settings, SettingsPage)
    panel = settings.show_accounts()
    qtbot.waitUntil(lambda: len(panel.rows) >= 4, timeout=WAIT_MS)
    return panel


def _user(context: AppContext, username: str) -> User:
    with context.database.read() as session:
        user = session.scalar(select(User).where(User.username == username))
        assert user is not None
        session.expunge(user)
        return user


def _last_action(context: AppContext) -> str:
    with context.database.read() as session:
        event = session.scalar(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1))
        assert event is not None
        return event.action


def _save(qtbot: QtBot, dialog: ServiceDialog) -> None:
    with qtbot.waitSignal(dialog.saved, timeout=WAIT_MS):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)


def _confirm(qtbot: QtBot, box: QMessageBox | None) -> None:
    assert box is not None and box.isVisible()
    default = box.defaultButton()
    assert default is not None
    qtbot.mouseClick(default, Qt.MouseButton.LeftButton)


def test_an_administrator_adds_an_account_that_must_choose_its_password(
    qtbot: QtBot, shell: Shell, password: str, demo_context: AppContext
) -> None:
    log_in(qtbot, shell, "admin", password)
    panel = _accounts(qtbot, shell)
    dialog = panel.new_account()
    assert isinstance(dialog, NewAccountDialog)
    dialog.username.setText("zhanghs")
    dialog.display_name.setText("张护士")
    dialog.role.setCurrentIndex(dialog.role.findData("doctor"))
    dialog.password.setText("first-pass-1")
    dialog.repeat.setText("first-pass-2")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "不一致" in dialog.problem.text()  # nothing was sent, the dialog stays open
    assert dialog.isVisible() and dialog.save_button.isDefault()
    dialog.repeat.setText("first-pass-1")
    _save(qtbot, dialog)
    qtbot.waitUntil(lambda: any(r.username == "zhanghs" for r in panel.rows), timeout=WAIT_MS)
    assert panel.selected() is not None and panel.selected().username == "zhanghs"
    user = _user(demo_context, "zhanghs")
    assert (user.display_name, user.role, user.must_change_password) == ("张护士", "doctor", True)
    assert _last_action(demo_context) == "user.create"
    row = panel.rows.index(panel.selected())
    assert "新密码" in panel.table.item(row, 3).text()


def test_a_reset_password_must_be_replaced_at_the_next_login(
    qtbot: QtBot, shell: Shell, password: str, demo_context: AppContext
) -> None:
    log_in(qtbot, shell, "admin", password)
    panel = _accounts(qtbot, shell)
    panel.select("luru")
    dialog = panel.reset_password()
    assert dialog is not None
    dialog.password.setText(NEW_PASSWORD)
    dialog.repeat.setText(NEW_PASSWORD)
    _save(qtbot, dialog)
    assert _user(demo_context, "luru").must_change_password
    assert shell.window is not None
    shell.window.logoutRequested.emit()

    login = shell.login
    assert login is not None
    qtbot.waitUntil(login.isVisible, timeout=WAIT_MS)
    login.username.setText("luru")
    login.password.setText(NEW_PASSWORD)
    qtbot.mouseClick(login.login_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: getattr(login, "password_change", None) is not None, timeout=WAIT_MS)
    forced = login.password_change
    assert forced.isVisible() and shell.window is None
    assert not forced.current.isVisibleTo(forced)  # the password just typed is the old one
    forced.reject()  # going back: no window without a new password
    assert shell.window is None and login.isVisible()
    assert login.error.isVisible()

    login.password.setText(NEW_PASSWORD)
    qtbot.mouseClick(login.login_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: login.password_change is not forced, timeout=WAIT_MS)
    forced = login.password_change
    forced.password.setText("luru-own-pass-9")
    forced.repeat.setText("luru-own-pass-9")
    qtbot.mouseClick(forced.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: (shell.window is not None and shell.window.isVisible())
        or bool(forced.problem.text().strip()),
        timeout=60_000,
    )
    assert shell.window is not None, forced.problem.text()
    qtbot.waitUntil(shell.window.isVisible, timeout=WAIT_MS)
    assert not _user(demo_context, "luru").must_change_password
    with demo_context.database.unit_of_work() as session:
        assert auth.authenticate(session, "luru", "luru-own-pass-9").actor is not None


def test_lock_unlock_disable_enable_and_role(
    qtbot: QtBot, shell: Shell, password: str, demo_context: AppContext
) -> None:
    log_in(qtbot, shell, "admin", password)
    panel = _accounts(qtbot, shell)
    panel.select("wangys")
    assert panel.lock_button.text() == "锁定"
    _confirm(qtbot, panel.toggle_lock())
    qtbot.waitUntil(lambda: _user(demo_context, "wangys").disabled, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: panel.lock_button.text() == "解锁", timeout=WAIT_MS)
    _confirm(qtbot, panel.toggle_lock())
    qtbot.waitUntil(lambda: not _user(demo_context, "wangys").disabled, timeout=WAIT_MS)
    assert _last_action(demo_context) == "user.unlock"

    qtbot.waitUntil(lambda: panel.deactivate_button.text() == "停用", timeout=WAIT_MS)
    _confirm(qtbot, panel.toggle_deactivated())
    qtbot.waitUntil(
        lambda: _user(demo_context, "wangys").deactivated_at is not None, timeout=WAIT_MS
    )
    qtbot.waitUntil(lambda: panel.deactivate_button.text() == "启用", timeout=WAIT_MS)
    assert "停用" in panel.table.item(panel.rows.index(panel.selected()), 3).text()
    _confirm(qtbot, panel.toggle_deactivated())
    qtbot.waitUntil(lambda: _user(demo_context, "wangys").deactivated_at is None, timeout=WAIT_MS)

    dialog = panel.edit_account()
    assert dialog is not None
    dialog.role.setCurrentIndex(dialog.role.findData("supervisor"))
    _save(qtbot, dialog)
    assert _user(demo_context, "wangys").role == "supervisor"
    assert _last_action(demo_context) == "user.update"

    panel.select("admin")  # oneself: never disabled from one's own screen
    assert not panel.deactivate_button.isEnabled()


def test_everyone_changes_their_own_password_from_the_menu(
    qtbot: QtBot, shell: Shell, password: str, demo_context: AppContext
) -> None:
    log_in(qtbot, shell, "wangys", password)
    window = shell.window
    assert window is not None
    assert window.password_action.text().startswith("修改密码")
    window.password_action.trigger()
    dialogs = [d for d in window.findChildren(ChangePasswordDialog) if d.isVisible()]
    assert len(dialogs) == 1
    dialog = dialogs[0]
    dialog.current.setText("not-my-password")
    dialog.password.setText("wang-new-pass-1")
    dialog.repeat.setText("wang-new-pass-1")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "当前密码" in dialog.problem.text(), timeout=WAIT_MS)
    assert dialog.save_button.isDefault()
    dialog.current.setText(password)
    _save(qtbot, dialog)
    assert "已修改" in window.statusBar().currentMessage()
    with demo_context.database.unit_of_work() as session:
        assert auth.authenticate(session, "wangys", "wang-new-pass-1").actor is not None


@pytest.mark.parametrize("size", [(1366, 768), (1024, 768)])
def test_the_accounts_list_uses_the_page_height(
    qtbot: QtBot, shell: Shell, password: str, size: tuple[int, int]
) -> None:
    log_in(qtbot, shell, "admin", password)
    window = shell.window
    assert window is not None
    window.showNormal()
    window.resize(*size)
    panel = _accounts(qtbot, shell)
    qtbot.waitUntil(lambda: panel.table.isVisible(), timeout=WAIT_MS)
    visible_rows = panel.table.viewport().height() // panel.table.rowHeight(0)
    assert visible_rows >= 12  # was one and a half below the other settings
    assert panel.deactivate_button.isVisible()
