"""The Residents page as clerks and supervisors use it: find, register, edit, leave, households."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from familydoc.core.auth import Actor
from familydoc.core.context import AppContext
from familydoc.core.idnumber import build as build_id
from familydoc.core.models import AuditEvent, Household, Resident, User
from familydoc.gui.i18n import Translator
from familydoc.gui.residents import HouseholdDialog, LeaveDialog, ResidentDialog, ResidentsPage
from familydoc.gui.runner import OperationRunner

WAIT_MS = 15_000


def actor(context: AppContext, username: str) -> Actor:
    with context.database.read() as session:
        user = session.scalar(select(User).where(User.username == username))
        assert user is not None
        return Actor(user.id, user.username, user.display_name, user.role)


def page_for(
    qtbot: QtBot, context: AppContext, runner: OperationRunner, username: str
) -> ResidentsPage:
    page = ResidentsPage(context, runner, actor(context, username))
    qtbot.addWidget(page)
    page.show()
    page.refresh()
    qtbot.waitUntil(lambda: page.loaded, timeout=WAIT_MS)
    return page


def names_shown(page: ResidentsPage, qtbot: QtBot) -> list[str]:
    model = page.model
    qtbot.waitUntil(
        lambda: all(model.row_values(r) is not None for r in range(min(model.rowCount(), 50))),
        timeout=WAIT_MS,
    )
    return [model.value(r, "name") for r in range(min(model.rowCount(), 50))]


def test_search_as_you_type_finds_by_pinyin_initials(
    qtbot: QtBot, chinese: Translator, demo_context: AppContext, runner: OperationRunner
) -> None:
    page = page_for(qtbot, demo_context, runner, "luru")
    with demo_context.database.read() as session:
        target = session.execute(
            select(Resident.name, Resident.name_initials, Resident.phone)
            .where(Resident.left_on.is_(None), Resident.phone.is_not(None))
            .limit(1)
        ).one()
        same_initials = session.scalar(
            select(func.count())
            .select_from(Resident)
            .where(Resident.left_on.is_(None), Resident.name_initials.startswith(target[1]))
        )
    everyone = page.model.rowCount()
    with qtbot.waitSignal(page.model.countChanged, timeout=WAIT_MS):
        qtbot.keyClicks(page.search, target[1])
    assert page.model.rowCount() == same_initials < everyone
    assert target[0] in names_shown(page, qtbot)
    assert "找到" in page.count_label.text()
    # Phone digits find the resident too, and the list shows the phone masked.
    page.search.clear()
    with qtbot.waitSignal(page.model.countChanged, timeout=WAIT_MS):
        qtbot.keyClicks(page.search, target[2][-6:])
    assert target[0] in names_shown(page, qtbot)
    phone_shown = page.model.value(names_shown(page, qtbot).index(target[0]), "phone")
    assert phone_shown == target[2][:3] + "****" + target[2][-4:]


def test_filters_and_sorting_run_in_sql(
    qtbot: QtBot, chinese: Translator, demo_context: AppContext, runner: OperationRunner
) -> None:
    page = page_for(qtbot, demo_context, runner, "luru")
    everyone = page.model.rowCount()
    with qtbot.waitSignal(page.model.countChanged, timeout=WAIT_MS):
        page.signing.setCurrentIndex(page.signing.findData("unsigned"))
    unsigned = page.model.rowCount()
    assert 0 < unsigned < everyone
    assert all(
        page.model.value(r, "contract_end") is None
        for r in range(min(unsigned, 50))
        if page.model.row_values(r) is not None
    )
    with qtbot.waitSignal(page.model.countChanged, timeout=WAIT_MS):
        page.population.setCurrentIndex(page.population.findData("elderly_65"))
    elderly_unsigned = page.model.rowCount()
    assert elderly_unsigned < unsigned
    cutoff = dt.date.today().replace(year=dt.date.today().year - 65)
    names_shown(page, qtbot)
    assert all(
        page.model.value(r, "birth_date") <= cutoff for r in range(min(elderly_unsigned, 50))
    )
    # Clicking the birth-date header sorts in SQL, newest first on the second click.
    with qtbot.waitSignal(page.model.countChanged, timeout=WAIT_MS):
        page.model.sort(2, Qt.SortOrder.DescendingOrder)
    names_shown(page, qtbot)
    births = [page.model.value(r, "birth_date") for r in range(min(elderly_unsigned, 50))]
    assert births == sorted(births, reverse=True)


def test_form_shows_problems_in_chinese_and_registers(
    qtbot: QtBot, chinese: Translator, demo_context: AppContext, runner: OperationRunner
) -> None:
    page = page_for(qtbot, demo_context, runner, "luru")
    dialog = page.new_resident()
    qtbot.waitUntil(lambda: dialog.village.count() == 8, timeout=WAIT_MS)
    dialog.name.setText("测试居民")
    dialog.id_number.setText("1.10105E+17")
    dialog.phone.setText("12345")
    dialog.save()
    qtbot.waitUntil(dialog.problems.isVisible, timeout=WAIT_MS)
    text = dialog.problems.text()
    assert "Excel" in text and "文本" in text  # the Excel-mangled number is named as such
    assert "手机号" in text
    assert dialog.id_number.styleSheet() and dialog.phone.styleSheet()

    number = build_id("320321", dt.date(1950, 3, 1), 123)
    dialog.id_number.setText(number.lower())
    assert "1950-03-01" in dialog.id_info.text() and "男" in dialog.id_info.text()
    assert not dialog.birth_date.isEnabled()
    dialog.phone.setText("138 1234 5678")
    dialog.household.setText("20100001")
    dialog.tags["hypertension"].setChecked(True)
    with qtbot.waitSignal(dialog.saved, timeout=WAIT_MS) as saved:
        dialog.save()
    detail = saved.args[0]
    assert detail.id_number == number[:6] + "********" + number[-4:]
    assert "elderly_65" in detail.populations and "hypertension" in detail.populations
    with demo_context.database.read() as session:
        stored = session.scalar(select(Resident).where(Resident.id_number == number))
        assert stored is not None and stored.phone == "13812345678"
        assert stored.name_initials == "csjm"

    # The same number again is refused with a pointer to the first.
    again = page.new_resident()
    qtbot.waitUntil(lambda: again.village.count() == 8, timeout=WAIT_MS)
    again.name.setText("另一人")
    again.id_number.setText(number)
    again.save()
    qtbot.waitUntil(again.problems.isVisible, timeout=WAIT_MS)
    assert "已登记" in again.problems.text() and "测试居民" in again.problems.text()


def test_clerk_sees_masks_supervisor_reveals_with_audit(
    qtbot: QtBot, chinese: Translator, demo_context: AppContext, runner: OperationRunner
) -> None:
    clerk_page = page_for(qtbot, demo_context, runner, "luru")
    dialog = clerk_page.open_resident(0)
    assert isinstance(dialog, ResidentDialog)
    qtbot.waitUntil(lambda: dialog.detail is not None, timeout=WAIT_MS)
    assert "*" in dialog.id_number.text()
    assert not dialog.reveal_button.isVisible()
    # Saving with the masked number untouched keeps the stored number.
    dialog.address.setText("青山村1组1号")
    with qtbot.waitSignal(dialog.saved, timeout=WAIT_MS):
        dialog.save()
    with demo_context.database.read() as session:
        stored = session.get(Resident, dialog.resident_id)
        assert stored is not None and stored.id_number and "*" not in stored.id_number
        assert stored.address == "青山村1组1号"
        stored_number = stored.id_number

    boss_page = page_for(qtbot, demo_context, runner, "yuanzhang")
    boss = boss_page.open_resident(0)
    assert isinstance(boss, ResidentDialog)
    qtbot.waitUntil(lambda: boss.detail is not None, timeout=WAIT_MS)
    assert boss.reveal_button.isVisible()
    boss.reveal_button.click()
    qtbot.waitUntil(lambda: "*" not in boss.id_number.text(), timeout=WAIT_MS)
    assert boss.id_number.text() == stored_number
    with demo_context.database.read() as session:
        reveals = session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "resident.reveal")
        )
    assert reveals == 1


def test_leave_and_bring_back(
    qtbot: QtBot, chinese: Translator, demo_context: AppContext, runner: OperationRunner
) -> None:
    page = page_for(qtbot, demo_context, runner, "luru")
    everyone = page.model.rowCount()
    dialog = page.open_resident(0)
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.detail is not None, timeout=WAIT_MS)
    dialog.leave_button.click()
    leave = dialog.findChildren(LeaveDialog)[-1]
    leave.reason_box.setCurrentIndex(leave.reason_box.findData("moved_out"))
    leave.note.setText("外出务工")
    with qtbot.waitSignal(dialog.saved, timeout=WAIT_MS):
        leave.accept()
    assert dialog.detail is not None and dialog.detail.left_reason == "moved_out"
    qtbot.waitUntil(lambda: page.model.rowCount() == everyone - 1, timeout=WAIT_MS)
    # Nothing was deleted: the resident is there under "moved out or deceased".
    with demo_context.database.read() as session:
        assert session.get(Resident, dialog.detail.id) is not None

    dialog.leave_button.click()
    confirm = next(
        box for box in dialog.findChildren(QMessageBox) if box.objectName() == "bringBackConfirm"
    )
    with qtbot.waitSignal(dialog.saved, timeout=WAIT_MS):
        confirm.button(QMessageBox.StandardButton.Yes).click()
    assert dialog.detail.left_on is None
    qtbot.waitUntil(lambda: page.model.rowCount() == everyone, timeout=WAIT_MS)


def test_household_lists_members_and_moves_one(
    qtbot: QtBot, chinese: Translator, demo_context: AppContext, runner: OperationRunner
) -> None:
    with demo_context.database.read() as session:
        household_id, member_count = session.execute(
            select(Resident.household_id, func.count())
            .group_by(Resident.household_id)
            .having(func.count() >= 3)
            .limit(1)
        ).one()
    dialog = HouseholdDialog(runner, actor(demo_context, "luru"), household_id)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.detail is not None, timeout=WAIT_MS)
    assert dialog.table.rowCount() == member_count
    assert dialog.table.item(0, 1).text() == "户主"
    assert "户主" in dialog.heading.text()
    contract_column = [dialog.table.item(r, 5).text() for r in range(member_count)]
    assert all(text == "未签约" or text.startswith("至 ") for text in contract_column)

    with demo_context.database.read() as session:
        other = session.execute(
            select(Resident.household_id).where(Resident.household_id != household_id).limit(1)
        ).scalar_one()
        target_number = session.get(Household, other).number
    dialog.table.selectRow(member_count - 1)
    dialog.target.setText(target_number)
    dialog.target_relation.setCurrentText("其他")
    moved_name = dialog.detail.members[-1].name
    with qtbot.waitSignal(dialog.changed, timeout=WAIT_MS):
        dialog.move_button.click()
    qtbot.waitUntil(lambda: dialog.table.rowCount() == member_count - 1, timeout=WAIT_MS)
    with demo_context.database.read() as session:
        moved = session.scalar(
            select(Resident).where(Resident.name == moved_name, Resident.household_id == other)
        )
        assert moved is not None and moved.relation_to_head == "其他"


def test_import_button_opens_the_wizard_and_the_list_shows_the_imported(
    qtbot: QtBot, chinese: Translator, demo_context: AppContext, runner: OperationRunner, tmp_path
) -> None:
    from PySide6.QtWidgets import QWizard

    from tests.gui.test_import_wizard import roster_rows, write_roster

    rows = roster_rows(3)
    rows[0][1] = "欧阳导入"
    path = write_roster(tmp_path / "花名册.csv", rows)
    clerk = page_for(qtbot, demo_context, runner, "luru")
    before = clerk.model.rowCount()
    assert clerk.import_button.text() == "导入…" and clerk.import_button.isEnabled()
    qtbot.mouseClick(clerk.import_button, Qt.MouseButton.LeftButton)
    wizard = clerk.findChild(QWizard)
    assert wizard is not None and wizard.isVisible()
    wizard.file_page.path.setText(str(path))
    next_button = wizard.button(QWizard.WizardButton.NextButton)
    qtbot.mouseClick(next_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.preview_page.preview is not None, timeout=WAIT_MS)
    qtbot.mouseClick(next_button, Qt.MouseButton.LeftButton)
    commit = wizard.button(QWizard.WizardButton.CommitButton)
    qtbot.waitUntil(commit.isEnabled, timeout=WAIT_MS)
    qtbot.mouseClick(commit, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: clerk.model.rowCount() == before + 3, timeout=WAIT_MS)
    clerk.search.setText("oydr")
    qtbot.waitUntil(lambda: names_shown(clerk, qtbot) == ["欧阳导入"], timeout=WAIT_MS)


def test_a_search_too_many_match_says_so(
    qtbot: QtBot,
    chinese: Translator,
    demo_context: AppContext,
    runner: OperationRunner,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from familydoc.core import residents

    monkeypatch.setattr(residents, "SEARCH_CAP", 100)
    page = page_for(qtbot, demo_context, runner, "luru")
    page.search.setText("3203")  # the county's code: every ID number starts with it
    qtbot.waitUntil(lambda: "超过 100 人" in page.count_label.text(), timeout=WAIT_MS)
    assert page.model.rowCount() == 100
    assert "继续输入" in page.count_label.text()
