"""The statistics page and the outreach list as a supervisor sees them (layout and text)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from familydoc.core import statistics
from familydoc.core.auth import Actor
from familydoc.core.context import AppContext
from familydoc.core.models import User
from familydoc.gui.i18n import Translator
from familydoc.gui.outreach import ADDRESS_COLUMN, VILLAGE_COLUMN, OutreachDialog
from familydoc.gui.runner import OperationRunner
from familydoc.gui.statistics import StatisticsPage, village_axis_labels

WAIT_MS = 15_000


def _actor(context: AppContext, username: str) -> Actor:
    with context.database.read() as session:
        user = session.scalar(select(User).where(User.username == username))
        assert user is not None
        return Actor(user.id, user.username, user.display_name, user.role)


def _page(qtbot: QtBot, context: AppContext, runner: OperationRunner) -> StatisticsPage:
    page = StatisticsPage(context, runner, _actor(context, "yuanzhang"))
    qtbot.addWidget(page)
    page.resize(1190, 660)  # the page's share of a 1366x768 screen
    page.show()
    page.refresh()
    qtbot.waitUntil(lambda: page.loaded and page.later_loaded, timeout=WAIT_MS)
    return page


def test_village_chart_caption_keeps_title_and_target_key_in_view(
    qtbot: QtBot, chinese: Translator, demo_context: AppContext, runner: OperationRunner
) -> None:
    supervisor = _actor(demo_context, "yuanzhang")
    with demo_context.database.unit_of_work() as session:
        statistics.set_targets(session, supervisor, dt.date.today().year, {"overall": 0.6})
    page = _page(qtbot, demo_context, runner)
    caption = page.village_caption.text()
    assert "各村居签约率" in caption
    for key in ("已达目标", "落后于目标", "目标 60.0%"):
        assert key in caption, caption
    chart = page.village_chart.chart()
    assert chart.title() == ""  # not centred in a chart that may scroll out of view
    assert not chart.legend().isVisible()


def test_many_villages_are_named_upright_one_character_under_another() -> None:
    few = ["东村", "西村"]
    assert village_axis_labels(few) == few
    many = [f"第{n}村" for n in range(13)]
    labels = village_axis_labels(many)
    assert labels[0] == "第<br>0<br>村"
    assert labels[12] == "第<br>1<br>2<br>村"


def test_trend_table_shows_whole_months_and_fits_the_page(
    qtbot: QtBot, chinese: Translator, demo_context: AppContext, runner: OperationRunner
) -> None:
    page = _page(qtbot, demo_context, runner)
    table = page.trend_table
    headers = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    today = dt.date.today()
    assert headers[0] == "人群"
    assert headers[-1] == f"{today:%Y-%m}"
    assert len(headers) == 13
    assert table.rowCount() == 12
    page.tabs.setCurrentIndex(page.tabs.count() - 1)
    qtbot.waitUntil(table.isVisible, timeout=WAIT_MS)
    header = table.horizontalHeader()
    assert not header.stretchLastSection()
    assert header.length() <= table.viewport().width()  # no sideways scrolling
    assert page.trend_splitter.sizes()[1] >= 120


def test_outreach_list_of_a_village_fits_without_scrolling_sideways(
    qtbot: QtBot, chinese: Translator, demo_context: AppContext, runner: OperationRunner
) -> None:
    page = _page(qtbot, demo_context, runner)
    assert page.summary is not None
    village = page.summary.of("village")[0]
    dialog = page.open_outreach(village_code=village.key)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.model.rowCount() > 0, timeout=WAIT_MS)
    assert village.label in dialog.windowTitle()
    view = dialog.view
    assert view.isColumnHidden(VILLAGE_COLUMN)  # the title names the village
    header = view.horizontalHeader()
    assert header.length() <= view.viewport().width()
    assert not view.horizontalScrollBar().isVisible()
    assert header.sectionSize(ADDRESS_COLUMN) >= 100

    everywhere = OutreachDialog(
        runner,
        _actor(demo_context, "yuanzhang"),
        as_of=dt.date.today(),
    )
    qtbot.addWidget(everywhere)
    everywhere.show()
    qtbot.waitUntil(lambda: everywhere.model.rowCount() > 0, timeout=WAIT_MS)
    assert not everywhere.view.isColumnHidden(VILLAGE_COLUMN)
    assert everywhere.view.horizontalHeader().length() <= everywhere.view.viewport().width()
    assert (
        everywhere.model.headerData(
            VILLAGE_COLUMN, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole
        )
        == "村居"
    )
