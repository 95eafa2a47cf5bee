"""The Teams & doctors page: capacity figures, and managing doctors, teams and packages."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select, update

from familydoc.core.auth import Actor
from familydoc.core.context import AppContext
from familydoc.core.models import Doctor, ServicePackage, Team, TeamMember, TeamVillage, User
from familydoc.gui.i18n import Translator
from familydoc.gui.runner import OperationRunner
from familydoc.gui.teams import (
    OVER_COLOUR,
    WARN_COLOUR,
    DoctorDialog,
    PackageDialog,
    TeamDialog,
    TeamsPage,
)

WAIT_MS = 15_000


def page_for(
    qtbot: QtBot, context: AppContext, runner: OperationRunner, username: str
) -> TeamsPage:
    with context.database.read() as session:
        user = session.scalar(select(User).where(User.username == username))
        assert user is not None
        actor = Actor(user.id, user.username, user.display_name, user.role)
    page = TeamsPage(context, runner, actor)
    qtbot.addWidget(page)
    page.show()
    page.refresh()
    qtbot.waitUntil(lambda: page.loaded, timeout=WAIT_MS)
    return page


def test_teams_show_members_villages_and_capacity(
    qtbot: QtBot, chinese: Translator, demo_context: AppContext, runner: OperationRunner
) -> None:
    with demo_context.database.unit_of_work() as session:
        team = session.scalar(select(Team).order_by(Team.name).limit(1))
        assert team is not None
        first_team = team.name
        # Nearly full: the row is highlighted.
        session.execute(update(Team).where(Team.id == team.id).values(capacity=1))
    page = page_for(qtbot, demo_context, runner, "wangys")
    assert page.tree.topLevelItemCount() == 3
    assert page.tabs.tabText(0) == "团队"
    top = page.tree.topLevelItem(0)
    assert top.text(0) == first_team
    assert top.text(1).startswith("团队长：")
    assert "/ 1（" in top.text(4)
    assert top.background(0).color() == OVER_COLOUR
    roles = {top.child(i).text(1) for i in range(top.childCount())}
    assert {"全科医生", "护士", "乡村医生"} <= roles
    # A doctor only reads: the buttons are disabled and say why.
    assert not page.new_team_button.isEnabled() and not page.new_doctor_button.isEnabled()
    assert page.findChild(type(page.teams_summary), "readOnlyNote") is not None
    # Doctors: the specialist of the partner hospital serves on two teams.
    doctors = {
        page.doctors_table.item(r, 0).text(): page.doctors_table.item(r, 5).text()
        for r in range(page.doctors_table.rowCount())
    }
    assert doctors["陈立新"].count("团队") == 2
    packages = [page.packages_table.item(r, 0).text() for r in range(3)]
    assert "基础服务包" in packages and "老年人健康管理包" in packages


def test_supervisor_adds_a_doctor_and_a_team(
    qtbot: QtBot, chinese: Translator, demo_context: AppContext, runner: OperationRunner
) -> None:
    page = page_for(qtbot, demo_context, runner, "yuanzhang")
    dialog = page.edit_doctor(new=True)
    assert isinstance(dialog, DoctorDialog)
    dialog.name.setText("周建民")
    dialog.title_edit.setCurrentText("乡村医生")
    dialog.licence.setText("12")
    dialog.phone.setText("13585169999")
    dialog.capacity.setValue(400)
    dialog.save()
    qtbot.waitUntil(dialog.problem.isVisible, timeout=WAIT_MS)
    assert "执业证书编号" in dialog.problem.text()
    dialog.licence.setText("320321000200999")
    with qtbot.waitSignal(dialog.saved, timeout=WAIT_MS):
        dialog.save()
    qtbot.waitUntil(
        lambda: any(
            page.doctors_table.item(r, 0).text() == "周建民"
            for r in range(page.doctors_table.rowCount())
        ),
        timeout=WAIT_MS,
    )
    with demo_context.database.read() as session:
        doctor = session.scalar(select(Doctor).where(Doctor.name == "周建民"))
        assert doctor is not None and doctor.capacity == 400
        leader_id = doctor.id

    team = page.edit_team(new=True)
    assert isinstance(team, TeamDialog)
    team.name.setText("周建民家庭医生团队")
    team.add_member(leader_id, "village_doctor")
    specialist = next(d.id for d in page.doctor_rows if d.name == "陈立新")  # already on two teams
    team.add_member(specialist, "specialist")
    team.leader.setCurrentIndex(team.leader.findData(leader_id))
    team.capacity.setValue(600)
    team.villages.item(0).setCheckState(Qt.CheckState.Checked)
    with qtbot.waitSignal(team.saved, timeout=WAIT_MS):
        team.save()
    qtbot.waitUntil(lambda: page.tree.topLevelItemCount() == 4, timeout=WAIT_MS)
    with demo_context.database.read() as session:
        row = session.scalar(select(Team).where(Team.name == "周建民家庭医生团队"))
        assert row is not None and row.leader_id == leader_id and row.capacity == 600
        members = dict(
            session.execute(
                select(TeamMember.doctor_id, TeamMember.role).where(TeamMember.team_id == row.id)
            ).all()
        )
        assert members == {leader_id: "village_doctor", specialist: "specialist"}
        assert session.scalar(select(TeamVillage.village_id).where(TeamVillage.team_id == row.id))


def test_new_package_version_from_a_date(
    qtbot: QtBot, chinese: Translator, demo_context: AppContext, runner: OperationRunner
) -> None:
    page = page_for(qtbot, demo_context, runner, "yuanzhang")
    page.tabs.setCurrentIndex(2)
    row = next(
        r
        for r in range(page.packages_table.rowCount())
        if page.packages_table.item(r, 0).text() == "老年人健康管理包"
    )
    page.packages_table.selectRow(row)
    dialog = page.edit_package()
    assert isinstance(dialog, PackageDialog)
    assert not dialog.code.isEnabled() and dialog.code.text() == "elderly_plus"
    assert dialog.items.rowCount() == 3
    dialog.own.setValue(30)
    assert dialog.total.text() == "价格 ¥130.00"
    start = dt.date.today() + dt.timedelta(days=30)
    dialog.valid_from.setDate(start)
    with qtbot.waitSignal(dialog.saved, timeout=WAIT_MS):
        dialog.save()
    with demo_context.database.read() as session:
        versions = session.execute(
            select(ServicePackage.valid_from, ServicePackage.valid_to, ServicePackage.price_fen)
            .where(ServicePackage.code == "elderly_plus")
            .order_by(ServicePackage.valid_from)
        ).all()
    assert [tuple(v) for v in versions] == [
        (dt.date(2024, 1, 1), start - dt.timedelta(days=1), 12000),
        (start, None, 13000),
    ]
    qtbot.waitUntil(lambda: page.packages_table.rowCount() == 4, timeout=WAIT_MS)


def test_capacity_colours() -> None:
    from familydoc.core.teams import Load
    from familydoc.gui.teams import load_colour

    assert load_colour(Load(50, 100)) is None
    assert load_colour(Load(91, 100)) == WARN_COLOUR
    assert load_colour(Load(101, 100)) == OVER_COLOUR
    assert load_colour(Load(7, None)) is None
