"""The outreach list as a work list: open the resident, start signing, record the result
of a call and see it in the list; and the statistics page explaining its total."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from coverage_world import (
    OUTREACH_ENDING,
    OUTREACH_UNSIGNED,
    CoverageWorld,
    build_coverage_world,
)
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from familydoc.core.auth import Actor
from familydoc.core.context import AppContext
from familydoc.core.models import OutreachContact
from familydoc.gui.contact_dialog import ContactDialog
from familydoc.gui.i18n import Translator
from familydoc.gui.outreach import OutreachDialog
from familydoc.gui.residents import ResidentDialog
from familydoc.gui.runner import OperationRunner
from familydoc.gui.sign_dialog import SignDialog

WAIT_MS = 15_000


@pytest.fixture
def world(initialised: AppContext) -> CoverageWorld:
    return build_coverage_world(initialised.database, dt.date.today())


@pytest.fixture
def own_runner(initialised: AppContext) -> Iterator[OperationRunner]:
    runner = OperationRunner(initialised.database)
    yield runner
    runner.shutdown()


def _dialog(qtbot: QtBot, runner: OperationRunner, actor: Actor) -> OutreachDialog:
    dialog = OutreachDialog(runner, actor, as_of=dt.date.today())
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.loaded, timeout=WAIT_MS)
    return dialog


def _names(dialog: OutreachDialog, qtbot: QtBot) -> dict[str, int]:
    model = dialog.model
    qtbot.waitUntil(
        lambda: all(model.row_values(r) is not None for r in range(model.rowCount())),
        timeout=WAIT_MS,
    )
    return {model.value(r, "name"): r for r in range(model.rowCount())}


def test_work_the_list_from_a_row(
    qtbot: QtBot,
    chinese: Translator,
    world: CoverageWorld,
    own_runner: OperationRunner,
    admin: Actor,
) -> None:
    dialog = _dialog(qtbot, own_runner, admin)
    rows = _names(dialog, qtbot)
    assert set(rows) == {world.names[k] for k in OUTREACH_UNSIGNED | OUTREACH_ENDING}
    # Enter on a row opens the resident
    dialog.view.setFocus()
    dialog.view.selectRow(rows[world.names["a9"]])
    qtbot.keyClick(dialog.view, Qt.Key.Key_Return)
    assert isinstance(dialog.opened, ResidentDialog)
    assert dialog.opened.resident_id == world.residents["a9"]
    dialog.opened.close()
    # start signing: a renewal for a resident whose coverage ends soon
    dialog.view.selectRow(rows[world.names["a2"]])
    dialog.sign_button.click()
    assert isinstance(dialog.opened, SignDialog) and dialog.opened.mode == "renew"
    dialog.opened.close()
    # record a contact: 暂不签约, 长期外出, call again in a fortnight
    dialog.view.selectRow(rows[world.names["a9"]])
    dialog.contact_button.click()
    contact = dialog.opened
    assert isinstance(contact, ContactDialog)
    contact.findChild(type(contact.results.buttons()[0]), "contactResult_declined").setChecked(True)
    assert contact.reason.isEnabled()
    contact.reason.setCurrentIndex(contact.reason.findData("away_long"))
    contact.has_next.setChecked(True)
    with qtbot.waitSignal(dialog.model.countChanged, timeout=WAIT_MS):
        contact.save()
    rows = _names(dialog, qtbot)
    row = rows[world.names["a9"]]
    last = dialog.model.data(dialog.model.index(row, 12))
    assert last.startswith("暂不签约（长期外出）") and admin.display_name in last
    with world.database.read() as session:
        saved = session.scalars(select(OutreachContact)).one()
        assert (saved.result, saved.reason) == ("declined", "away_long")
    # the list filtered on the last contact
    dialog.contact_filter.setCurrentIndex(dialog.contact_filter.findData("declined"))
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1, timeout=WAIT_MS)
    dialog.contact_filter.setCurrentIndex(dialog.contact_filter.findData("never"))
    qtbot.waitUntil(lambda: dialog.model.rowCount() == len(rows) - 1, timeout=WAIT_MS)


def test_a_refusal_without_its_reason_note_is_explained_and_not_saved(
    qtbot: QtBot,
    chinese: Translator,
    world: CoverageWorld,
    own_runner: OperationRunner,
    admin: Actor,
) -> None:
    contact = ContactDialog(own_runner, admin, world.residents["a10"], world.names["a10"])
    qtbot.addWidget(contact)
    contact.show()
    contact.findChild(type(contact.results.buttons()[0]), "contactResult_declined").setChecked(True)
    contact.reason.setCurrentIndex(contact.reason.findData("other"))
    contact.save()
    qtbot.waitUntil(lambda: bool(contact.problem.text()), timeout=WAIT_MS)
    assert "其他" in contact.problem.text() and contact.isVisible()
    with world.database.read() as session:
        assert session.scalars(select(OutreachContact)).first() is None


def test_statistics_page_says_why_its_total_differs_from_the_registered(
    qtbot: QtBot, chinese: Translator, initialised: AppContext, admin: Actor
) -> None:
    from signing_world import build_world

    from familydoc.gui.statistics import StatisticsPage

    build_world(initialised.database)  # 东村 has an official population for 2026, 西村 not
    runner = OperationRunner(initialised.database)
    try:
        page = StatisticsPage(initialised, runner, admin)
        qtbot.addWidget(page)
        page.show()
        page.refresh()
        qtbot.waitUntil(lambda: page.loaded, timeout=WAIT_MS)
        summary = page.summary
        assert summary is not None and summary.overall.denominator_source == "mixed"
        assert summary.overall.denominator != summary.registered_residents
        text = page.note.text()
        assert "常住人口与在册居民" in text
        assert (
            f"合计 {summary.overall.denominator:,} 与统计日在册居民数"
            f" {summary.registered_residents:,} 不同" in text
        )
    finally:
        runner.shutdown()
