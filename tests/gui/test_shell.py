"""The GUI shell as a user meets it: log in, visit every page, lock, log out, first start."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from familydoc.core import queries
from familydoc.core.config import Home
from familydoc.core.context import AppContext, open_context
from familydoc.core.errors import RuleViolation
from familydoc.core.models import Resident
from familydoc.gui.app import Shell
from familydoc.gui.i18n import Translator
from familydoc.gui.table_model import LOADING, PAGE_SIZE

WAIT_MS = 15_000


def _has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


@pytest.fixture(params=["zh_CN"])
def lang(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def translated(qapp: QApplication, lang: str) -> Iterator[Translator]:
    translator = Translator(lang)
    translator.install(qapp)
    yield translator
    for catalogue in translator.catalogues:
        qapp.removeTranslator(catalogue)


def _shell(qapp: QApplication, context: AppContext, qtbot: QtBot) -> Iterator[Shell]:
    shell = Shell(qapp, context)
    shell.start()
    yield shell
    shell.shutdown()
    for widget in (shell.login, shell.first_run):
        if widget is not None:
            widget.close()


@pytest.fixture
def shell(
    qapp: QApplication, translated: Translator, demo_context: AppContext, qtbot: QtBot
) -> Iterator[Shell]:
    yield from _shell(qapp, demo_context, qtbot)


def log_in(qtbot: QtBot, shell: Shell, user: str, password: str) -> None:
    assert shell.login is not None
    qtbot.waitUntil(shell.login.isVisible, timeout=WAIT_MS)
    shell.login.username.setText(user)
    shell.login.password.setText(password)
    qtbot.mouseClick(shell.login.login_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: shell.window is not None and shell.window.isVisible(), timeout=WAIT_MS)


def test_login_visit_every_page_and_log_out(qtbot: QtBot, shell: Shell, password: str) -> None:
    log_in(qtbot, shell, "admin", password)
    window = shell.window
    assert window is not None
    assert window.page_keys() == [
        "residents",
        "teams",
        "contracts",
        "statistics",
        "sync",
        "settings",
        "audit",
    ]
    for key in window.page_keys():
        page = window.show_page(key)
        qtbot.waitUntil(lambda page=page: page.loaded, timeout=WAIT_MS)
        assert window.stack.currentWidget() is page
    residents = window.pages["residents"]
    with shell.context.database.read() as session:
        living = session.scalar(
            select(func.count()).select_from(Resident).where(queries.active_on(dt.date.today()))
        )
    assert 0 < living <= 400
    assert str(living) in residents.count_label.text()
    assert residents.model.rowCount() == living
    teams = window.pages["teams"]
    assert teams.tree.topLevelItemCount() == 3
    statistics = window.pages["statistics"]
    assert statistics.table.rowCount() == 8
    audit = window.pages["audit"]
    qtbot.waitUntil(lambda: audit.model.rowCount() > 0, timeout=WAIT_MS)
    # The newest audit event is this login.
    qtbot.waitUntil(lambda: audit.model.value(0, "action") == "login", timeout=WAIT_MS)
    assert "admin" in window.user_label.text() or "系统管理员" in window.user_label.text()
    assert "familydoc.sqlite3" in window.database_label.text()
    qtbot.waitUntil(lambda: window.sync_label.text() != "", timeout=WAIT_MS)

    window.logoutRequested.emit()
    assert shell.window is None
    assert shell.login is not None
    qtbot.waitUntil(shell.login.isVisible, timeout=WAIT_MS)
    assert shell.login.username.text() == ""


def test_window_speaks_chinese_by_default(qtbot: QtBot, shell: Shell, password: str) -> None:
    assert shell.login is not None
    assert _has_chinese(shell.login.windowTitle())
    assert shell.login.login_button.text() == "登录"
    log_in(qtbot, shell, "admin", password)
    window = shell.window
    assert window is not None
    assert window.navigation.item(0).text() == "居民管理"
    residents = window.pages["residents"]
    qtbot.waitUntil(lambda: residents.loaded, timeout=WAIT_MS)
    assert residents.count_label.text().startswith("在册居民 ")
    assert residents.search.placeholderText().startswith("查找")
    header = residents.model.headerData(0, Qt.Orientation.Horizontal)
    assert header == "姓名"
    # Stored codes are shown as Chinese labels, never as codes.
    assert residents.model.data(residents.model.index(0, 1)) in ("男", "女")
    assert _has_chinese(window.menuBar().actions()[0].text())


@pytest.mark.parametrize("lang", ["en"])
def test_lang_en_shows_english(qtbot: QtBot, shell: Shell, password: str) -> None:
    assert shell.login is not None
    assert shell.login.login_button.text() == "Log in"
    log_in(qtbot, shell, "admin", password)
    assert shell.window is not None
    assert shell.window.navigation.item(0).text() == "Residents"


def test_wrong_password_is_refused_in_plain_words(qtbot: QtBot, shell: Shell) -> None:
    assert shell.login is not None
    qtbot.waitUntil(shell.login.isVisible, timeout=WAIT_MS)
    shell.login.username.setText("admin")
    shell.login.password.setText("not-the-password")
    qtbot.mouseClick(shell.login.login_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(shell.login.error.isVisible, timeout=WAIT_MS)
    assert shell.login.error.text() == "用户名或密码错误。"
    assert shell.window is None


def test_idle_locks_back_to_login_and_same_user_resumes(
    qtbot: QtBot, shell: Shell, password: str
) -> None:
    log_in(qtbot, shell, "wangys", password)
    window = shell.window
    assert window is not None
    window.show_page("contracts")
    window.idle.set_interval_ms(100)
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=WAIT_MS)
    assert shell.login is not None
    qtbot.waitUntil(shell.login.isVisible, timeout=WAIT_MS)
    assert shell.login.notice.isVisible()
    assert "锁定" in shell.login.notice.text()
    assert shell.login.username.text() == "wangys"
    log_in(qtbot, shell, "wangys", password)
    assert shell.window is window  # same user: the window and its state come back
    assert window.stack.currentWidget() is window.pages["contracts"]


def test_roles_shape_the_window(qtbot: QtBot, shell: Shell, password: str) -> None:
    log_in(qtbot, shell, "luru", password)
    window = shell.window
    assert window is not None
    assert "audit" not in window.page_keys()  # a clerk may not read the audit log
    settings = window.show_page("settings")
    assert not settings.save_button.isEnabled()
    assert not settings.users.isVisibleTo(window)


def test_a_failed_job_is_shown_with_details_behind_a_button(
    qtbot: QtBot, shell: Shell, password: str
) -> None:
    log_in(qtbot, shell, "admin", password)
    window = shell.window
    assert window is not None

    def broken(_session: object) -> None:
        raise ZeroDivisionError("boom in the worker")

    with qtbot.waitSignal(shell.runner.failureReported, timeout=WAIT_MS):
        shell.runner.run(broken)
    boxes = [w for w in window.findChildren(QMessageBox) if w.isVisible()]
    assert boxes, "the failure was not shown"
    box = boxes[-1]
    assert _has_chinese(box.text())
    assert "ZeroDivisionError" not in box.text()  # details only behind the button
    assert "boom in the worker" in box.detailedText()
    box.close()

    def refused(_session: object) -> None:
        raise RuleViolation("The institution needs a name.")

    with qtbot.waitSignal(shell.runner.failureReported, timeout=WAIT_MS):
        shell.runner.run(refused)
    boxes = [w for w in window.findChildren(QMessageBox) if w.isVisible()]
    assert boxes[-1].text() == "请填写机构名称。"
    for box in boxes:
        box.close()


def test_resident_list_fetches_far_pages_lazily(qtbot: QtBot, shell: Shell, password: str) -> None:
    log_in(qtbot, shell, "admin", password)
    assert shell.window is not None
    residents = shell.window.pages["residents"]
    qtbot.waitUntil(lambda: residents.loaded, timeout=WAIT_MS)
    model = residents.model
    last = model.rowCount() - 1
    assert last >= PAGE_SIZE  # the last row is on a page not loaded yet
    index = model.index(last, 0)
    assert model.data(index) == LOADING
    qtbot.waitUntil(lambda: model.data(index) != LOADING, timeout=WAIT_MS)
    assert model.data(index)


def test_first_start_sets_up_the_institution(
    qtbot: QtBot, qapp: QApplication, translated: Translator, empty_home: Home
) -> None:
    context = open_context(empty_home)
    try:
        for shell in _shell(qapp, context, qtbot):
            dialog = shell.first_run
            assert dialog is not None and dialog.isVisible()
            dialog.code.setText("320321110")
            dialog.name.setText("青山镇卫生院")
            dialog.admin.setText("chief")
            dialog.password.setText("secret-pass")
            dialog.repeat.setText("other-pass")
            dialog.create_button.click()
            assert dialog.error.isVisible()  # passwords differ: nothing created
            assert context.institution() is None
            dialog.repeat.setText("secret-pass")
            dialog.create_button.click()
            qtbot.waitUntil(lambda shell=shell: shell.login is not None, timeout=WAIT_MS)
            institution = context.institution()
            assert institution is not None and institution.name == "青山镇卫生院"
            log_in(qtbot, shell, "chief", "secret-pass")
    finally:
        context.close()


def test_first_start_can_fill_demo_data(
    qtbot: QtBot, qapp: QApplication, translated: Translator, empty_home: Home
) -> None:
    context = open_context(empty_home)
    try:
        for shell in _shell(qapp, context, qtbot):
            dialog = shell.first_run
            assert dialog is not None
            dialog.residents.setValue(80)
            dialog.demo_button.click()
            qtbot.waitUntil(lambda shell=shell: shell.login is not None, timeout=WAIT_MS)
            assert shell.login is not None
            assert "demo12345" in shell.login.notice.text()
            log_in(qtbot, shell, "yuanzhang", "demo12345")
    finally:
        context.close()
