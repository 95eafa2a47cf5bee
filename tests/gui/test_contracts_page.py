"""The Contracts page: filters in SQL, highlighting, renewal in two clicks, ending, moving."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import exists, func, select
from sqlalchemy.orm import aliased

from familydoc.core.auth import Actor
from familydoc.core.context import AppContext
from familydoc.core.models import Contract, ContractPackage, Team, User
from familydoc.core.queries import in_force_on
from familydoc.gui.contracts import ContractDialog, ContractsPage, EndContractDialog
from familydoc.gui.i18n import Translator
from familydoc.gui.pages import ENDING_SOON_COLOUR
from familydoc.gui.runner import OperationRunner
from familydoc.gui.sign_dialog import SignDialog, print_dialog_available

WAIT_MS = 15_000


def actor(context: AppContext, username: str) -> Actor:
    with context.database.read() as session:
        user = session.scalar(select(User).where(User.username == username))
        assert user is not None
        return Actor(user.id, user.username, user.display_name, user.role)


def page_for(
    qtbot: QtBot, context: AppContext, runner: OperationRunner, username: str = "wangys"
) -> ContractsPage:
    page = ContractsPage(context, runner, actor(context, username))
    qtbot.addWidget(page)
    page.resize(1200, 700)
    page.show()
    page.refresh()
    qtbot.waitUntil(lambda: page.loaded and page.team.count() > 1, timeout=WAIT_MS)
    return page


def rows_loaded(page: ContractsPage, qtbot: QtBot, limit: int = 50) -> int:
    model = page.model
    shown = min(model.rowCount(), limit)
    qtbot.waitUntil(
        lambda: all(model.row_values(r) is not None for r in range(shown)), timeout=WAIT_MS
    )
    return shown


def ending_within(context: AppContext, days: int) -> int:
    today = dt.date.today()
    following = aliased(Contract)
    with context.database.read() as session:
        return int(
            session.scalar(
                select(func.count())
                .select_from(Contract)
                .where(
                    in_force_on(today),
                    Contract.end_date <= today + dt.timedelta(days=days),
                    ~exists().where(following.previous_contract_id == Contract.id),
                )
            )
            or 0
        )


def test_filters_run_in_sql_and_ending_soon_is_highlighted(
    qtbot: QtBot, chinese: Translator, demo_context: AppContext, runner: OperationRunner
) -> None:
    page = page_for(qtbot, demo_context, runner)
    with demo_context.database.read() as session:
        everything = session.scalar(select(func.count()).select_from(Contract))
    assert page.model.rowCount() == everything
    assert page.model.headerData(0, Qt.Orientation.Horizontal) == "协议编号"
    soon = ending_within(demo_context, 30)
    assert 0 < soon
    with qtbot.waitSignal(page.model.countChanged, timeout=WAIT_MS):
        page.ending.setCurrentIndex(page.ending.findData(30))
    assert page.model.rowCount() == soon
    assert page.count_label.text().startswith(f"{soon} 份协议将在30天内到期")
    shown = rows_loaded(page, qtbot)
    ends = [page.model.value(r, "end_date") for r in range(shown)]
    assert ends == sorted(ends)  # soonest first
    background = page.model.data(page.model.index(0, 0), Qt.ItemDataRole.BackgroundRole)
    assert background.color() == ENDING_SOON_COLOUR
    assert page.model.data(page.model.index(0, 7)) == "30天内到期"
    with qtbot.waitSignal(page.model.countChanged, timeout=WAIT_MS):
        page.ending.setCurrentIndex(page.ending.findData(90))
    assert page.model.rowCount() == ending_within(demo_context, 90) >= soon

    # Team and village filters combine with the others.
    team_id = page.team.itemData(1)
    with qtbot.waitSignal(page.model.countChanged, timeout=WAIT_MS):
        page.team.setCurrentIndex(1)
    shown = rows_loaded(page, qtbot)
    with demo_context.database.read() as session:
        team_name = session.scalar(select(Team.name).where(Team.id == team_id))
    assert {page.model.value(r, "team") for r in range(shown)} <= {team_name}
    with qtbot.waitSignal(page.model.countChanged, timeout=WAIT_MS):
        page.ending.setCurrentIndex(0)
    with qtbot.waitSignal(page.model.countChanged, timeout=WAIT_MS):
        page.team.setCurrentIndex(0)
    # Search by resident name.
    name = page.model.value(0, "resident")
    with qtbot.waitSignal(page.model.countChanged, timeout=WAIT_MS):
        page.search.setText(name)  # (QTest types ASCII only)
    shown = rows_loaded(page, qtbot)
    assert shown >= 1 and all(name in page.model.value(r, "resident") for r in range(shown))


def test_an_expiring_contract_is_renewed_in_two_clicks(
    qtbot: QtBot, chinese: Translator, demo_context: AppContext, runner: OperationRunner
) -> None:
    page = page_for(qtbot, demo_context, runner)
    soon = ending_within(demo_context, 30)
    with qtbot.waitSignal(page.model.countChanged, timeout=WAIT_MS):
        page.ending.setCurrentIndex(page.ending.findData(30))
    rows_loaded(page, qtbot)
    old_id = page.model.value(0, "id")
    old_end = page.model.value(0, "end_date")
    page.view.selectRow(0)
    assert page.renew_button.isEnabled()
    qtbot.mouseClick(page.renew_button, Qt.MouseButton.LeftButton)  # click 1
    dialog = page.findChildren(SignDialog)[-1]
    qtbot.waitUntil(lambda: dialog.ok_button.isEnabled(), timeout=WAIT_MS)
    assert dialog.windowTitle() == "续约" and dialog.ok_button.text() == "续约"
    assert not dialog.start.isEnabled()
    assert dialog.start.date().toPython() == old_end + dt.timedelta(days=1)
    with qtbot.waitSignal(page.model.countChanged, timeout=WAIT_MS):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)  # click 2
    assert page.model.rowCount() == soon - 1  # renewed: no longer waiting for renewal
    with demo_context.database.read() as session:
        new = session.scalar(select(Contract).where(Contract.previous_contract_id == old_id))
        old = session.get(Contract, old_id)
        assert new is not None and old is not None
        assert new.start_date == old.end_date + dt.timedelta(days=1)
        assert (new.team_id, new.doctor_id) == (old.team_id, old.doctor_id)
        assert new.end_date == new.start_date.replace(year=new.start_date.year + 1) - dt.timedelta(
            days=1
        )


def test_end_a_contract_from_the_list(
    qtbot: QtBot, chinese: Translator, demo_context: AppContext, runner: OperationRunner
) -> None:
    page = page_for(qtbot, demo_context, runner)
    with qtbot.waitSignal(page.model.countChanged, timeout=WAIT_MS):
        page.status.setCurrentIndex(page.status.findData("in_force"))
    rows_loaded(page, qtbot)
    contract_id = page.model.value(0, "id")
    page.view.selectRow(0)
    dialog = page.end_selected()
    assert isinstance(dialog, EndContractDialog)
    qtbot.waitUntil(lambda: dialog.ok_button.isEnabled(), timeout=WAIT_MS)
    dialog.reason.setCurrentIndex(dialog.reason.findData("other"))
    dialog.submit()  # "other" needs a note: refused in place
    qtbot.waitUntil(dialog.problem.isVisible, timeout=WAIT_MS)
    assert "备注" in dialog.problem.text()
    dialog.reason.setCurrentIndex(dialog.reason.findData("resident_request"))
    dialog.note.setText("本人要求")
    with qtbot.waitSignal(dialog.ended, timeout=WAIT_MS):
        dialog.ok_button.click()
    with demo_context.database.read() as session:
        contract = session.get(Contract, contract_id)
        assert contract is not None
        assert (contract.terminated_on, contract.termination_reason) == (
            dt.date.today(),
            "resident_request",
        )


def test_change_team_from_the_list(
    qtbot: QtBot, chinese: Translator, demo_context: AppContext, runner: OperationRunner
) -> None:
    page = page_for(qtbot, demo_context, runner, "yuanzhang")
    with qtbot.waitSignal(page.model.countChanged, timeout=WAIT_MS):
        page.status.setCurrentIndex(page.status.findData("in_force"))
    rows_loaded(page, qtbot)
    contract_id = page.model.value(0, "id")
    page.view.selectRow(0)
    dialog = page.change_team_selected()
    assert isinstance(dialog, SignDialog)
    qtbot.waitUntil(lambda: dialog.ok_button.isEnabled(), timeout=WAIT_MS)
    assert dialog.ok_button.text() == "更换团队"
    with demo_context.database.read() as session:
        old = session.get(Contract, contract_id)
        assert old is not None
        old_team = old.team_id
    assert dialog.team.findData(old_team) == -1  # only the other teams are offered
    with qtbot.waitSignal(dialog.signed, timeout=WAIT_MS) as signed:
        dialog.ok_button.click()
    new = signed.args[0]
    today = dt.date.today()
    with demo_context.database.read() as session:
        old = session.get(Contract, contract_id)
        assert old is not None
        assert (old.terminated_on, old.termination_reason) == (today, "changed_team")
        in_force = session.scalar(
            select(func.count())
            .select_from(Contract)
            .where(Contract.resident_id == old.resident_id, in_force_on(today))
        )
    assert new.start_date == today and new.team_id != old_team and in_force == 1


def test_details_dialog_shows_fees_as_signed(
    qtbot: QtBot, chinese: Translator, demo_context: AppContext, runner: OperationRunner
) -> None:
    with demo_context.database.read() as session:
        with_paid = session.scalar(
            select(ContractPackage.contract_id)
            .where(ContractPackage.self_pay_fen > 0)
            .order_by(ContractPackage.contract_id)
            .limit(1)
        )
    dialog = ContractDialog(runner, actor(demo_context, "wangys"), with_paid)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.detail is not None, timeout=WAIT_MS)
    assert dialog.fields["number"].text() == dialog.detail.number
    rows = dialog.packages.rowCount()
    assert rows == len(dialog.detail.packages) + 1
    assert dialog.packages.item(rows - 1, 0).text() == "合计"
    assert dialog.packages.item(0, 0).text() == "基础服务包"
    paid = dialog.detail.packages[1]
    assert dialog.packages.item(1, 4).text() == f"¥{paid.self_pay_fen / 100:,.2f}"
    assert dialog.packages.item(rows - 1, 1).text() == f"¥{dialog.detail.total_fen / 100:,.2f}"


def test_clerk_reads_but_cannot_change(
    qtbot: QtBot, chinese: Translator, demo_context: AppContext, runner: OperationRunner
) -> None:
    page = page_for(qtbot, demo_context, runner, "luru")
    rows_loaded(page, qtbot)
    page.view.selectRow(0)
    assert page.details_button.isEnabled()
    assert not page.renew_button.isEnabled()
    assert not page.end_button.isEnabled() and not page.change_button.isEnabled()


@pytest.mark.skipif(not print_dialog_available(), reason="the printing feature is not installed")
def test_print_button_opens_the_preview(
    qtbot: QtBot, chinese: Translator, demo_context: AppContext, runner: OperationRunner
) -> None:
    from familydoc.gui.print_preview import ContractPrintDialog

    page = page_for(qtbot, demo_context, runner)
    rows_loaded(page, qtbot)
    page.view.selectRow(0)
    assert page.print_button.isVisible() and page.print_button.isEnabled()
    dialog = page.print_selected()
    assert isinstance(dialog, ContractPrintDialog)
    assert dialog.numbers == [page.model.value(0, "number")]
    qtbot.waitUntil(lambda: dialog.ready, timeout=60_000)
    dialog.reject()
