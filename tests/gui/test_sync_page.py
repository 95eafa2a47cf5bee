"""The Sync page and the county server settings as a supervisor meets them: sync now, the
automatic tries, the window never waiting on the network, and the connection test."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot
from upstream_server import Upstream, hold

from familydoc.core import auth
from familydoc.core.context import AppContext
from familydoc.core.statistics import signing_summary
from familydoc.gui.i18n import Translator
from familydoc.gui.main_window import MainWindow
from familydoc.gui.pages import SettingsPage
from familydoc.gui.runner import OperationRunner
from familydoc.gui.sync_page import AUTO_INTERVAL_MS, SyncPage

WAIT_MS = 20_000
MEASURE = "https://wjw.example-county.gov.cn/fhir/Measure/family-doctor-signing-rate"


@pytest.fixture
def translated(qapp: QApplication) -> Iterator[Translator]:
    translator = Translator("zh_CN")
    translator.install(qapp)
    yield translator
    for catalogue in translator.catalogues:
        qapp.removeTranslator(catalogue)


@pytest.fixture
def server() -> Iterator[Upstream]:
    upstream = Upstream("fhir", "county-token").start()
    yield upstream
    upstream.stop()


@pytest.fixture
def runner(demo_context: AppContext) -> Iterator[OperationRunner]:
    result = OperationRunner(demo_context.database)
    yield result
    result.shutdown()


def _actor(context: AppContext, username: str) -> auth.Actor:
    with context.database.read() as session:
        return auth.actor_for(session, username)


def _configure(context: AppContext, server: Upstream) -> None:
    config = context.config()
    for key, value in {
        "upstream.url": server.url,
        "upstream.protocol": "fhir",
        "upstream.token": "county-token",
        "upstream.measure": MEASURE,
        "upstream.retries": "0",
        "upstream.timeout": "10",
    }.items():
        config.set(key, value)


def _cells(page: SyncPage, column: int) -> list[str]:
    return [page.table.item(row, column).text() for row in range(page.table.rowCount())]


def test_sync_now_delivers_and_the_status_bar_says_so(
    qtbot: QtBot,
    translated: Translator,
    demo_context: AppContext,
    runner: OperationRunner,
    server: Upstream,
) -> None:
    _configure(demo_context, server)
    window = MainWindow(demo_context, runner, _actor(demo_context, "admin"))
    qtbot.addWidget(window)
    window.sync_page.controller.timer.stop()  # this test clicks; the automatic try is below
    page = window.show_page("sync")
    assert isinstance(page, SyncPage)
    qtbot.waitUntil(lambda: page.loaded, timeout=WAIT_MS)
    assert "尚未" in page.state.text() or page.table.rowCount() == 0
    assert page.sync_button.text() == "立即同步"
    qtbot.mouseClick(page.sync_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: not page.controller.running and page.table.rowCount() == 2, timeout=WAIT_MS
    )
    qtbot.waitUntil(lambda: _cells(page, 2) == ["已上报", "已上报"], timeout=WAIT_MS)
    assert "已向县级平台上报 2 份报表" in page.message.text()
    assert len(server.reports) == 2
    # The figures shown and sent are those of the statistics page (as of today).
    with demo_context.database.read() as session:
        overall = signing_summary(session, dt.date.today()).overall
    assert _cells(page, 3)[0].startswith(f"{overall.numerator} / {overall.denominator}")
    status = window.statusBar().findChild(QLabel, "statusSync")
    assert status is not None
    qtbot.waitUntil(lambda: "0 份待上报" in status.text(), timeout=WAIT_MS)
    window.shutdown()


def test_the_window_never_waits_on_the_network_and_automatic_tries_run(
    qtbot: QtBot,
    translated: Translator,
    demo_context: AppContext,
    runner: OperationRunner,
    server: Upstream,
) -> None:
    _configure(demo_context, server)
    release = threading.Event()
    server.faults.append(hold(release))
    page = SyncPage(demo_context, runner, _actor(demo_context, "admin"))
    qtbot.addWidget(page)
    page.controller.start_automatic(first_delay_ms=0)
    assert page.controller.timer.interval() == AUTO_INTERVAL_MS
    assert page.controller.timer.isActive()
    qtbot.waitUntil(server.arrived.is_set, timeout=WAIT_MS)
    assert page.controller.running
    assert "自动同步" in page.activity.text()
    # The server holds the request: the database worker is free and the page still loads.
    qtbot.waitUntil(lambda: not runner.busy, timeout=WAIT_MS)
    page.loaded = False
    page.refresh()
    qtbot.waitUntil(lambda: page.loaded, timeout=WAIT_MS)
    assert "上报中" in _cells(page, 2)
    assert not page.sync_button.isEnabled()
    release.set()
    qtbot.waitUntil(lambda: not page.controller.running, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: _cells(page, 2) == ["已上报", "已上报"], timeout=WAIT_MS)
    assert page.sync_button.isEnabled()
    page.controller.shutdown()


def test_server_down_is_explained_and_the_work_waits(
    qtbot: QtBot,
    translated: Translator,
    demo_context: AppContext,
    runner: OperationRunner,
    server: Upstream,
) -> None:
    _configure(demo_context, server)
    server.stop()
    page = SyncPage(demo_context, runner, _actor(demo_context, "admin"))
    qtbot.addWidget(page)
    page.refresh()
    qtbot.mouseClick(page.sync_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not page.controller.running, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: page.table.rowCount() == 2, timeout=WAIT_MS)
    assert "无法连接县级平台" in page.message.text()
    qtbot.waitUntil(lambda: _cells(page, 2) == ["待上报", "待上报"], timeout=WAIT_MS)
    assert "2 份待上报" in page.state.text()
    page.controller.shutdown()


def test_clerks_see_the_outbox_but_do_not_sync(
    qtbot: QtBot, demo_context: AppContext, runner: OperationRunner, server: Upstream
) -> None:
    _configure(demo_context, server)
    page = SyncPage(demo_context, runner, _actor(demo_context, "luru"))
    qtbot.addWidget(page)
    page.controller.start_automatic(first_delay_ms=0)
    assert not page.sync_button.isEnabled()
    assert not page.controller.timer.isActive()
    qtbot.wait(200)
    assert server.received == []
    page.controller.shutdown()


def test_upstream_settings_save_and_test_connection(
    qtbot: QtBot,
    translated: Translator,
    demo_context: AppContext,
    runner: OperationRunner,
    server: Upstream,
) -> None:
    page = SettingsPage(demo_context, runner, _actor(demo_context, "admin"))
    qtbot.addWidget(page)
    page.refresh()
    panel = page.upstream
    panel.url.setText(server.url)
    panel.protocol.setCurrentIndex(panel.protocol.findData("fhir"))
    panel.token.setText("wrong-token")
    panel.measure.setText(MEASURE)
    qtbot.mouseClick(panel.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.test_button.isEnabled(), timeout=WAIT_MS)
    assert "不接受访问令牌" in panel.result.text()
    panel.token.setText("county-token")
    qtbot.mouseClick(panel.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "已连接" in panel.result.text(), timeout=WAIT_MS)
    qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    config = demo_context.config()
    assert config.get("upstream.url") == server.url
    assert config.get("upstream.token") == "county-token"
    assert config.get("upstream.measure") == MEASURE
    assert panel.token.text() == ""  # a saved token is never shown again
    assert (demo_context.home.config_file.stat().st_mode & 0o777) == 0o600
    panel.url.setText("http://county.example.cn/fhir")
    qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    assert "https://" in panel.result.text()
    clerk_page = SettingsPage(demo_context, runner, _actor(demo_context, "luru"))
    qtbot.addWidget(clerk_page)
    assert not clerk_page.upstream.save_button.isEnabled()
