"""The residents list says the truth about coverage: a renewed resident is signed until the
end of the renewal and not highlighted as ending, a pre-signed one says from when."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from coverage_world import CoverageWorld, build_coverage_world, shifted
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from familydoc.core.auth import Actor
from familydoc.core.context import AppContext
from familydoc.gui.i18n import Translator
from familydoc.gui.pages import ENDING_SOON_COLOUR
from familydoc.gui.residents import PRESIGNED_COLOUR, ResidentsPage
from familydoc.gui.runner import OperationRunner

WAIT_MS = 15_000


@pytest.fixture
def world(initialised: AppContext) -> CoverageWorld:
    return build_coverage_world(initialised.database, dt.date.today())


@pytest.fixture
def own_runner(initialised: AppContext) -> Iterator[OperationRunner]:
    runner = OperationRunner(initialised.database)
    yield runner
    runner.shutdown()


def _rows(page: ResidentsPage, qtbot: QtBot) -> dict[str, int]:
    model = page.model
    qtbot.waitUntil(
        lambda: all(model.row_values(r) is not None for r in range(model.rowCount())),
        timeout=WAIT_MS,
    )
    return {model.value(r, "name"): r for r in range(model.rowCount())}


def test_signed_until_and_colour_follow_the_chain(
    qtbot: QtBot,
    chinese: Translator,
    initialised: AppContext,
    world: CoverageWorld,
    own_runner: OperationRunner,
    admin: Actor,
) -> None:
    page = ResidentsPage(initialised, own_runner, admin)
    qtbot.addWidget(page)
    page.show()
    page.refresh()
    qtbot.waitUntil(lambda: page.loaded, timeout=WAIT_MS)
    rows = _rows(page, qtbot)
    expected = shifted(dt.date.today())
    column = page.model.columnCount() - 1  # 签约至

    def shown(key: str) -> tuple[str, object]:
        index = page.model.index(rows[world.names[key]], column)
        brush = page.model.data(index, Qt.ItemDataRole.BackgroundRole)
        return page.model.data(index), brush.color() if brush is not None else None

    renewed_text, renewed_colour = shown("a3")
    assert renewed_text == expected["a3"][1].isoformat() and renewed_colour is None
    chain_text, _ = shown("a4")
    assert chain_text == expected["a4"][1].isoformat()
    ending_text, ending_colour = shown("a5")  # the next contract starts after a gap
    assert ending_text == expected["a5"][1].isoformat() and ending_colour == ENDING_SOON_COLOUR
    ahead_text, ahead_colour = shown("a8")
    assert ahead_text == f"已预签，{expected['a8'][2].isoformat()}起"
    assert ahead_colour == PRESIGNED_COLOUR
    assert shown("a10")[0] == "未签约"

    page.signing.setCurrentIndex(page.signing.findData("presigned"))
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=WAIT_MS)
    assert list(_rows(page, qtbot)) == [world.names["a8"]]
    page.signing.setCurrentIndex(page.signing.findData("expiring"))
    qtbot.waitUntil(lambda: page.model.rowCount() == 5, timeout=WAIT_MS)
    assert world.names["a3"] not in _rows(page, qtbot)
