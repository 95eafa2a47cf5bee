"""Data safety as a user meets it: back up now, the status bar, restore in one dialog,
a damaged database at start, and the audit log page (filters, export, the chain check)."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot
from safety_helpers import add_village, damage_table, rows, village_codes

from familydoc.core import backup
from familydoc.core.context import AppContext
from familydoc.gui.app import Shell
from familydoc.gui.i18n import Translator

WAIT_MS = 20_000


@pytest.fixture
def translated(qapp: QApplication) -> Iterator[Translator]:
    translator = Translator("zh_CN")
    translator.install(qapp)
    yield translator
    for catalogue in translator.catalogues:
        qapp.removeTranslator(catalogue)


@pytest.fixture
def shell(
    qapp: QApplication, translated: Translator, demo_context: AppContext, qtbot: QtBot
) -> Iterator[Shell]:
    shell = Shell(qapp, demo_context)
    shell.start()
    yield shell
    shell.shutdown()
    for widget in (shell.login, shell.first_run, shell.damage_dialog):
        if widget is not None:
            widget.close()


def log_in(qtbot: QtBot, shell: Shell, user: str, password: str) -> None:
    assert shell.login is not None
    qtbot.waitUntil(shell.login.isVisible, timeout=WAIT_MS)
    shell.login.username.setText(user)
    shell.login.password.setText(password)
    qtbot.mouseClick(shell.login.login_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: shell.window is not None and shell.window.isVisible(), timeout=WAIT_MS)


def test_back_up_now_from_settings_and_the_status_bar(
    qtbot: QtBot, shell: Shell, password: str
) -> None:
    log_in(qtbot, shell, "luru", password)  # every role may make a backup
    window = shell.window
    assert window is not None
    status = window.statusBar().findChild(QLabel, "statusBackup")
    assert status is not None
    assert status.warning and "还没有备份" in status.text()
    settings = window.show_page("settings")
    panel = settings.safety
    assert panel.controller is shell.safety
    assert not panel.second_folder.isEnabled()  # only administrators change settings
    qtbot.mouseClick(panel.backup_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: panel.message is not None and panel.message.isVisible(), timeout=WAIT_MS
    )
    assert "备份已完成并通过检查" in panel.message.text()
    [entry] = backup.list_backups(shell.context.home.backups_dir)
    assert entry.kind == "manual"
    qtbot.waitUntil(lambda: not status.warning, timeout=WAIT_MS)
    assert status.text().startswith("备份：今天")
    assert "今天" in panel.last_label.text()
    path = shell.context.database.path
    qtbot.waitUntil(
        lambda: (
            rows(path, "SELECT action FROM audit_event ORDER BY id DESC LIMIT 1")
            == [("backup.create",)]
        ),
        timeout=WAIT_MS,
    )
    panel.message.close()


def test_status_bar_warns_when_the_last_good_backup_is_old(
    qtbot: QtBot, shell: Shell, password: str
) -> None:
    made = backup.make_backup(shell.context.home, shell.context.database)
    old = made.path.with_name(
        backup.backup_name(dt.datetime.now(dt.UTC) - dt.timedelta(days=3, hours=1), "auto")
    )
    made.path.rename(old)
    log_in(qtbot, shell, "admin", password)
    assert shell.window is not None
    status = shell.window.statusBar().findChild(QLabel, "statusBackup")
    assert status.warning
    assert status.text() == "⚠ 已有 3 天没有完好的备份"


def test_a_backup_is_made_when_24_hours_passed(qtbot: QtBot, shell: Shell) -> None:
    made = backup.make_backup(shell.context.home, shell.context.database)
    made.path.rename(
        made.path.with_name(
            backup.backup_name(dt.datetime.now(dt.UTC) - dt.timedelta(hours=23), "auto")
        )
    )
    shell.safety.backup_if_due()  # what the hourly timer calls
    assert not shell.safety.busy  # 23 hours: not yet
    [entry] = backup.list_backups(shell.context.home.backups_dir)
    entry.path.rename(
        entry.path.with_name(
            backup.backup_name(dt.datetime.now(dt.UTC) - dt.timedelta(hours=25), "auto")
        )
    )
    with qtbot.waitSignal(shell.safety.backupDone, timeout=WAIT_MS):
        shell.safety.backup_if_due()
    newest = backup.last_good_backup(shell.context.home.backups_dir)
    assert newest is not None and newest.kind == "auto"
    assert dt.datetime.now(dt.UTC) - newest.made_at < dt.timedelta(minutes=5)


def test_a_failed_automatic_backup_shows_in_the_status_bar(
    qtbot: QtBot, shell: Shell, password: str
) -> None:
    folder = shell.context.home.backups_dir
    folder.rmdir()
    folder.write_text("a file where the backups folder should be")
    log_in(qtbot, shell, "admin", password)
    assert shell.window is not None
    shell.safety.start()  # as at program start: the quick check, then the automatic backup
    status = shell.window.statusBar().findChild(QLabel, "statusBackup")
    qtbot.waitUntil(lambda: "上次备份失败" in status.text(), timeout=WAIT_MS)
    assert status.warning
    assert "无法把备份写入" in status.toolTip()  # the reason, in plain words, on hover


def test_a_supervisor_restores_yesterdays_backup_in_one_dialog(
    qtbot: QtBot, shell: Shell, password: str
) -> None:
    context = shell.context
    add_village(context.database, "320321110901", "昨天村")
    made = backup.make_backup(context.home, context.database)
    yesterday = made.path.with_name(
        backup.backup_name(dt.datetime.now(dt.UTC) - dt.timedelta(days=1), "auto")
    )
    made.path.rename(yesterday)
    add_village(context.database, "320321110902", "今天村")  # typed today, after the backup
    log_in(qtbot, shell, "yuanzhang", password)
    window = shell.window
    assert window is not None
    panel = window.show_page("settings").safety
    panel.open_restore()
    dialog = panel.dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.table.rowCount() == 1
    dialog.table.selectRow(0)
    qtbot.waitUntil(lambda: dialog.info is not None, timeout=WAIT_MS)
    assert "居民" in dialog.details.text()
    assert not dialog.restore_button.isEnabled()
    dialog.username.setText("admin")  # the supervisor asks the administrator to type it
    dialog.password.setText("wrong-password")
    dialog.confirm.setChecked(True)
    assert dialog.restore_button.isEnabled()
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(dialog.error.isVisible, timeout=WAIT_MS)
    assert dialog.error.text() == "用户名或密码错误。"
    assert "320321110902" in village_codes(context.database)  # nothing changed
    dialog.password.setText(password)
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT_MS)
    qtbot.waitUntil(
        lambda: panel.message is not None and panel.message.isVisible(), timeout=WAIT_MS
    )
    assert "请重新登录" in panel.message.text()
    panel.message.done(0)
    qtbot.waitUntil(lambda: shell.login is not None and shell.login.isVisible(), timeout=WAIT_MS)
    assert shell.window is None
    codes = village_codes(context.database)
    assert "320321110901" in codes and "320321110902" not in codes
    [(username,)] = rows(
        context.database.path, "SELECT username FROM audit_event WHERE action = 'backup.restore'"
    )
    assert username == "admin"
    kept = [e for e in backup.list_backups(context.home.backups_dir) if e.kind == "pre-restore"]
    assert len(kept) == 1 and "320321110902" in {
        code for (code,) in rows(kept[0].path, "SELECT code FROM village")
    }


def test_a_damaged_database_at_start_offers_the_newest_backup(
    qtbot: QtBot, shell: Shell, password: str
) -> None:
    context = shell.context
    made = backup.make_backup(context.home, context.database)
    context.database.dispose()
    path = context.database.path
    assert path is not None
    damage_table(path, "resident")
    shell.safety.start()  # what run_gui does: quick_check first
    qtbot.waitUntil(lambda: shell.damage_dialog is not None, timeout=WAIT_MS)
    dialog = shell.damage_dialog
    assert dialog.isVisible()
    assert context.database.damaged is not None  # from now on nothing is written
    assert not shell.login.isVisible()
    assert "已损坏" in dialog.explanation.text()
    assert "最近的完好备份" in dialog.backup_label.text()
    dialog.username.setText("admin")
    dialog.password.setText(password)
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: getattr(dialog, "notice", None) is not None, timeout=WAIT_MS)
    assert "已恢复" in dialog.notice.text()
    dialog.notice.done(0)
    qtbot.waitUntil(lambda: shell.login is not None and shell.login.isVisible(), timeout=WAIT_MS)
    assert context.database.damaged is None
    assert rows(path, "PRAGMA integrity_check") == [("ok",)]
    assert made.path.exists()
    log_in(qtbot, shell, "admin", password)


def test_audit_page_filters_exports_and_verifies(
    qtbot: QtBot, shell: Shell, password: str, tmp_path: Path
) -> None:
    log_in(qtbot, shell, "yuanzhang", password)
    window = shell.window
    assert window is not None
    page = window.show_page("audit")
    qtbot.waitUntil(lambda: page.loaded and page.user.count() > 1, timeout=WAIT_MS)
    total = page.model.rowCount()
    page.user.setCurrentIndex(page.user.findData("yuanzhang"))
    page.action.setCurrentIndex(page.action.findData("login"))
    qtbot.mouseClick(page.search_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=WAIT_MS)
    assert page.count_label.text().startswith("符合条件的记录共 1 条")
    assert page.model.value(0, "username") == "yuanzhang"
    page.clear_filter()
    qtbot.waitUntil(lambda: page.model.rowCount() == total, timeout=WAIT_MS)
    page.by_date.setChecked(True)
    future = QDate.currentDate().addDays(10)
    page.date_from.setDate(future)
    page.date_to.setDate(future)
    page.apply_filter()
    qtbot.waitUntil(lambda: page.model.rowCount() == 0, timeout=WAIT_MS)
    page.clear_filter()
    qtbot.waitUntil(lambda: page.model.rowCount() == total, timeout=WAIT_MS)

    target = tmp_path / "审计日志.xlsx"
    page.export_to(target)
    qtbot.waitUntil(lambda: page.message is not None and page.message.isVisible(), timeout=WAIT_MS)
    assert f"{total} 条" in page.message.text()
    sheet = openpyxl.load_workbook(target).active
    values = list(sheet.values)
    assert values[0][:4] == ("编号", "时间", "用户", "操作")
    assert len(values) == total + 1
    assert "登录" in {row[3] for row in values[1:]}  # actions as Chinese labels
    page.message.close()
    csv_target = tmp_path / "audit.csv"
    page.export_to(csv_target)
    qtbot.waitUntil(lambda: csv_target.exists(), timeout=WAIT_MS)
    assert csv_target.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 with a BOM
    qtbot.waitUntil(lambda: page.export_job is None, timeout=WAIT_MS)
    page.message.close()

    page.verify_chain()
    qtbot.waitUntil(lambda: page.message is not None and page.message.isVisible(), timeout=WAIT_MS)
    assert "审计日志完整" in page.message.text()
    page.message.close()

    path = shell.context.database.path
    connection = sqlite3.connect(path)
    with connection:
        connection.execute("DROP TRIGGER trg_audit_event_no_update")
        connection.execute("UPDATE audit_event SET username = 'someone' WHERE id = 2")
    connection.close()
    page.verify_chain()
    qtbot.waitUntil(
        lambda: page.message is not None and "审计事件 2 在写入后被修改过" in page.message.text(),
        timeout=WAIT_MS,
    )
    page.message.close()


def test_second_folder_setting_and_copy(
    qtbot: QtBot, shell: Shell, password: str, tmp_path: Path
) -> None:
    log_in(qtbot, shell, "admin", password)
    assert shell.window is not None
    panel = shell.window.show_page("settings").safety
    usb = tmp_path / "usb"
    panel.second_folder.setText(str(usb))
    panel._save_folder()
    assert panel.folder_state.text() == "不可用"
    assert panel.message is not None and "不可用" in panel.message.text()
    panel.message.close()
    usb.mkdir()
    panel.refresh()
    assert panel.folder_state.text() == "可用"
    panel.backup_now()
    qtbot.waitUntil(
        lambda: panel.message is not None and panel.message.isVisible(), timeout=WAIT_MS
    )
    assert str(usb) in panel.message.text()
    assert len(list(usb.glob("familydoc-*.sqlite3"))) == 1
    panel.message.close()
    shutil.rmtree(usb)  # the USB disk is pulled out: reported, not fatal
    panel.backup_now()
    qtbot.waitUntil(
        lambda: panel.message is not None and panel.message.isVisible(), timeout=WAIT_MS
    )
    assert "第二备份文件夹" in panel.message.text()
    status = shell.window.statusBar().findChild(QLabel, "statusBackup")
    assert "第二备份文件夹" in status.text()
    panel.message.close()
