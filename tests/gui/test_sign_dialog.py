"""The signing form as a doctor uses it: packages, guardians, capacity and the supervisor."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import exists, func, select, update

from familydoc.core.auth import Actor
from familydoc.core.context import AppContext
from familydoc.core.models import (
    AuditEvent,
    Contract,
    ContractPackage,
    Resident,
    ServicePackage,
    Team,
    User,
)
from familydoc.core.queries import in_force_on
from familydoc.gui.i18n import Translator
from familydoc.gui.residents import ResidentDialog
from familydoc.gui.runner import OperationRunner
from familydoc.gui.sign_dialog import SignDialog

WAIT_MS = 15_000


def actor(context: AppContext, username: str) -> Actor:
    with context.database.read() as session:
        user = session.scalar(select(User).where(User.username == username))
        assert user is not None
        return Actor(user.id, user.username, user.display_name, user.role)


def unsigned_resident(context: AppContext, *conditions: object) -> int:
    with context.database.read() as session:
        found = session.scalar(
            select(Resident.id)
            .where(
                Resident.left_on.is_(None),
                ~exists().where(Contract.resident_id == Resident.id),
                *conditions,  # type: ignore[arg-type]
            )
            .order_by(Resident.id)
            .limit(1)
        )
    assert found is not None
    return found


def open_dialog(
    qtbot: QtBot, runner: OperationRunner, context: AppContext, username: str, resident_id: int
) -> SignDialog:
    dialog = SignDialog(runner, actor(context, username), resident_id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.ok_button.isEnabled(), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: dialog.capacity is not None, timeout=WAIT_MS)
    return dialog


def test_doctor_signs_with_the_basic_and_a_paid_package(
    qtbot: QtBot, chinese: Translator, demo_context: AppContext, runner: OperationRunner
) -> None:
    elderly = unsigned_resident(demo_context, Resident.birth_date < dt.date(1950, 1, 1))
    dialog = open_dialog(qtbot, runner, demo_context, "wangys", elderly)
    assert dialog.windowTitle() == "签约"
    assert "岁" in dialog.summary.text() and "65岁及以上老年人" in dialog.summary.text()
    assert dialog.current.text() == "目前没有有效协议。"
    basic = dialog.package_checks["basic"]
    assert basic.isChecked() and not basic.isEnabled()  # always included
    today = dt.date.today()
    assert dialog.end.date().toPython() == today.replace(year=today.year + 1) - dt.timedelta(1)
    assert dialog.in_person.isChecked() and not dialog.guardian_box.isEnabled()
    assert "签约后" in dialog.capacity_label.text()
    dialog.package_checks["elderly_plus"].setChecked(True)
    assert dialog.fees.text() == "合计 ¥120.00，其中居民自付 ¥20.00"
    with qtbot.waitSignal(dialog.signed, timeout=WAIT_MS) as signed:
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    detail = signed.args[0]
    assert detail.number.startswith(f"320321110-{today.year}-")
    assert [p.code for p in detail.packages] == ["basic", "elderly_plus"]
    assert not dialog.isVisible()
    with demo_context.database.read() as session:
        contract = session.get(Contract, detail.id)
        assert contract is not None and contract.resident_id == elderly
        fees = session.execute(
            select(ServicePackage.code, ContractPackage.self_pay_fen)
            .join(ServicePackage, ServicePackage.id == ContractPackage.package_id)
            .where(ContractPackage.contract_id == detail.id)
            .order_by(ServicePackage.code)
        ).all()
    assert [tuple(row) for row in fees] == [("basic", 0), ("elderly_plus", 2000)]


def test_a_child_signs_through_the_guardian_of_record(
    qtbot: QtBot, chinese: Translator, demo_context: AppContext, runner: OperationRunner
) -> None:
    child = unsigned_resident(
        demo_context,
        Resident.birth_date > dt.date.today() - dt.timedelta(days=365 * 12),
        Resident.guardian_name.is_not(None),
        Resident.guardian_id_number.is_not(None),
    )
    dialog = open_dialog(qtbot, runner, demo_context, "wangys", child)
    assert dialog.by_guardian.isChecked() and not dialog.in_person.isEnabled()
    assert "监护人代签" in dialog.method_note.text()
    assert dialog.guardian_name.text() and "*" in dialog.guardian_id.text()  # masked
    with qtbot.waitSignal(dialog.signed, timeout=WAIT_MS) as signed:
        dialog.ok_button.click()
    with demo_context.database.read() as session:
        contract = session.get(Contract, signed.args[0].id)
        resident = session.get(Resident, child)
        assert contract is not None and resident is not None
        assert contract.signing_method == "guardian"
        # The masked number sent back unchanged stored the real one.
        assert contract.guardian_id_number == resident.guardian_id_number
        assert contract.guardian_phone == resident.guardian_phone


def test_guardian_fields_missing_are_refused_in_place(
    qtbot: QtBot, chinese: Translator, demo_context: AppContext, runner: OperationRunner
) -> None:
    adult = unsigned_resident(demo_context, Resident.birth_date < dt.date(1990, 1, 1))
    dialog = open_dialog(qtbot, runner, demo_context, "wangys", adult)
    dialog.by_guardian.setChecked(True)
    dialog.guardian_name.setText("张某")
    dialog.ok_button.click()
    qtbot.waitUntil(dialog.problems.isVisible, timeout=WAIT_MS)
    assert "监护人" in dialog.problems.text() and "身份证号" in dialog.problems.text()
    assert dialog.ok_button.isEnabled()


def _fill_team(context: AppContext, team_id: int, spare: int) -> None:
    """Set the team's capacity so that ``spare`` places are left today."""
    today = dt.date.today()
    with context.database.unit_of_work() as session:
        signed = session.scalar(
            select(func.count())
            .select_from(Contract)
            .where(Contract.team_id == team_id, in_force_on(today))
        )
        session.execute(update(Team).where(Team.id == team_id).values(capacity=signed + spare))


def test_capacity_warns_at_90_percent(
    qtbot: QtBot, chinese: Translator, demo_context: AppContext, runner: OperationRunner
) -> None:
    resident = unsigned_resident(demo_context)
    probe = open_dialog(qtbot, runner, demo_context, "wangys", resident)
    team_id = probe.team.currentData()
    probe.reject()
    _fill_team(demo_context, team_id, spare=5)
    dialog = open_dialog(qtbot, runner, demo_context, "wangys", resident)
    assert "接近上限" in dialog.capacity_label.text()
    assert not dialog.approval_box.isVisible()


def test_past_capacity_a_supervisor_confirms_with_their_password(
    qtbot: QtBot,
    chinese: Translator,
    demo_context: AppContext,
    runner: OperationRunner,
    password: str,
) -> None:
    resident = unsigned_resident(demo_context)
    probe = open_dialog(qtbot, runner, demo_context, "wangys", resident)
    team_id = probe.team.currentData()
    probe.reject()
    _fill_team(demo_context, team_id, spare=0)
    dialog = open_dialog(qtbot, runner, demo_context, "wangys", resident)
    assert "超出签约上限" in dialog.capacity_label.text()
    assert dialog.approval_box.isVisible() and dialog.approver_password.isVisible()
    dialog.ok_button.click()
    qtbot.waitUntil(dialog.problems.isVisible, timeout=WAIT_MS)
    assert "主管" in dialog.problems.text()
    # A wrong password is refused and counted against the supervisor's account.
    dialog.approver_name.setText("yuanzhang")
    dialog.approver_password.setText("wrong-password")
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: "用户名或密码错误" in dialog.problems.text(), timeout=WAIT_MS)
    with demo_context.database.read() as session:
        assert session.scalar(select(User.failed_logins).where(User.username == "yuanzhang")) == 1
    dialog.approver_password.setText(password)
    with qtbot.waitSignal(dialog.signed, timeout=WAIT_MS) as signed:
        dialog.ok_button.click()
    detail = signed.args[0]
    assert detail.over_capacity_approved_by == "李建国"
    with demo_context.database.read() as session:
        event = session.scalar(
            select(AuditEvent).where(
                AuditEvent.action == "contract.over_capacity",
                AuditEvent.entity_id == str(detail.id),
            )
        )
        assert event is not None and event.username == "yuanzhang"
        assert event.changes["signed_by"] == "wangys"


def test_a_supervisor_ticks_the_confirmation_themselves(
    qtbot: QtBot, chinese: Translator, demo_context: AppContext, runner: OperationRunner
) -> None:
    resident = unsigned_resident(demo_context)
    probe = open_dialog(qtbot, runner, demo_context, "yuanzhang", resident)
    team_id = probe.team.currentData()
    probe.reject()
    _fill_team(demo_context, team_id, spare=0)
    dialog = open_dialog(qtbot, runner, demo_context, "yuanzhang", resident)
    assert dialog.self_approve.isVisible() and not dialog.approver_name.isVisible()
    dialog.ok_button.click()
    qtbot.waitUntil(dialog.problems.isVisible, timeout=WAIT_MS)
    assert "勾选" in dialog.problems.text()
    dialog.self_approve.setChecked(True)
    with qtbot.waitSignal(dialog.signed, timeout=WAIT_MS) as signed:
        dialog.ok_button.click()
    assert signed.args[0].over_capacity_approved_by == "李建国"


def test_clerk_cannot_sign(
    qtbot: QtBot, chinese: Translator, demo_context: AppContext, runner: OperationRunner
) -> None:
    dialog = SignDialog(runner, actor(demo_context, "luru"), unsigned_resident(demo_context))
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.context is not None, timeout=WAIT_MS)
    assert not dialog.ok_button.isEnabled()
    assert "无签约权限" in dialog.problems.text()


def test_resident_dialog_offers_signing_and_renewal(
    qtbot: QtBot, chinese: Translator, demo_context: AppContext, runner: OperationRunner
) -> None:
    doctor = actor(demo_context, "wangys")
    resident_id = unsigned_resident(demo_context, Resident.birth_date < dt.date(1990, 1, 1))
    dialog = ResidentDialog(runner, doctor, resident_id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.detail is not None, timeout=WAIT_MS)
    assert dialog.sign_button.text() == "签约…"
    assert dialog.sign_button.isEnabled() and not dialog.renew_button.isEnabled()
    sign = dialog.open_signing("sign")
    assert isinstance(sign, SignDialog)
    qtbot.waitUntil(lambda: sign.ok_button.isEnabled(), timeout=WAIT_MS)
    with qtbot.waitSignal(dialog.saved, timeout=WAIT_MS):
        sign.ok_button.click()
    qtbot.waitUntil(
        lambda: dialog.detail is not None and dialog.detail.contract is not None,
        timeout=WAIT_MS,
    )
    assert "已签约" in dialog.summary.text() or "签约" in dialog.summary.text()
    assert not dialog.sign_button.isEnabled()
