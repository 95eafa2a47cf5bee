"""The import wizard as a clerk uses it (in Chinese): a GB18030 roster with mistakes, the
preview and column mapping, the problems and their error file, the corrected file imported,
cancelling an import, who may import villages, and saving a template; and a roster of signed
contracts, with the choice to create missing teams and doctors."""

from __future__ import annotations

import csv
import datetime as dt
import io
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from familydoc.core import auth, imports, residents
from familydoc.core.context import AppContext
from familydoc.core.idnumber import build as build_id_number
from familydoc.core.models import Contract, Resident, Team
from familydoc.core.resources import resource_path
from familydoc.gui import import_wizard
from familydoc.gui.i18n import Translator
from familydoc.gui.import_wizard import ImportWizard
from familydoc.gui.runner import OperationRunner

WAIT_MS = 20_000
HEADER = [
    "序号",
    "姓名",
    "身份证号码",
    "出生日期",
    "联系电话",
    "村居",
    "户号",
    "与户主关系",
    "重点人群",
    "备注",
]


def roster_rows(count: int, area: str = "320322") -> list[list[str]]:
    rows = []
    for i in range(count):
        birth = dt.date(1945, 1, 1) + dt.timedelta(days=97 * i)
        rows.append(
            [
                str(i + 1),
                "张三" if i == 0 else f"居民{i}",
                build_id_number(area, birth, 11 + 2 * (i % 400)),
                f"{birth:%Y/%m/%d}",
                "13812345678",
                "青山村" if i % 2 else "河湾村",
                f"Q{i // 3:04d}",
                "户主" if i % 3 == 0 else "配偶",
                "高血压、低保" if i % 4 == 0 else "",
                "",
            ]
        )
    return rows


def write_roster(path: Path, rows: list[list[str]], header: list[str] = HEADER) -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows([header, *rows])
    path.write_bytes(buffer.getvalue().encode("gb18030"))
    return path


def actor(context: AppContext, username: str = "admin") -> auth.Actor:
    with context.database.read() as session:
        return auth.actor_for(session, username)


@pytest.fixture
def make_wizard(
    qtbot: QtBot, chinese: Translator, runner: OperationRunner, demo_context: AppContext
) -> Callable[..., ImportWizard]:
    def make(username: str = "admin") -> ImportWizard:
        wizard = ImportWizard(runner, actor(demo_context, username))
        qtbot.addWidget(wizard)
        wizard.show()
        return wizard

    return make


def count_residents(context: AppContext) -> int:
    with context.database.read() as session:
        return session.scalar(select(func.count()).select_from(Resident)) or 0


def go_to_preview(qtbot: QtBot, wizard: ImportWizard, path: Path) -> None:
    wizard.file_page.path.setText(str(path))
    assert wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.preview_page.preview is not None, timeout=WAIT_MS)


def wait_for_check(qtbot: QtBot, wizard: ImportWizard) -> None:
    page = wizard.check_page
    qtbot.waitUntil(
        lambda: page.job is None and (page.report is not None or page.refused is not None),
        timeout=WAIT_MS,
    )


def test_a_roster_with_mistakes_then_corrected_and_imported(
    qtbot: QtBot,
    make_wizard: Callable[..., ImportWizard],
    demo_context: AppContext,
    tmp_path: Path,
) -> None:
    rows = roster_rows(30)
    bad = [list(row) for row in rows]
    bad[2][2] = "1.10105E+17"  # Excel's doing
    bad[4][2] = bad[3][2]  # the same person twice
    bad[6][5] = "青山"  # no such village
    bad[8][8] = "高血压、脚气"
    path = write_roster(tmp_path / "青山村花名册.csv", bad)
    before = count_residents(demo_context)
    wizard = make_wizard()

    go_to_preview(qtbot, wizard, path)
    preview = wizard.preview_page
    assert "GB18030" in preview.info.text() and "逗号" in preview.info.text()
    assert preview.mapping() == [
        None, "name", "id_number", "birth_date", "phone", "village", "household_number",
        "relation_to_head", "tags", None,
    ]  # fmt: skip
    assert preview.table.rowCount() == 1 + 20  # the combos, then the first rows
    assert preview.table.verticalHeaderItem(1).text() == "2"  # rows numbered as in Excel
    assert "序号" in preview.status.text() and "备注" in preview.status.text()
    assert preview.combos[1].currentText() == "姓名 *"

    qtbot.mouseClick(wizard.button(QWizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)
    check = wizard.check_page
    wait_for_check(qtbot, wizard)
    assert check.refused is not None
    assert not wizard.button(QWizard.WizardButton.CommitButton).isEnabled()
    problems = {
        (check.problems.item(r, 0).text(), check.problems.item(r, 1).text()): check.problems.item(
            r, 3
        ).text()
        for r in range(check.problems.rowCount())
    }
    assert "Excel" in problems[("4", "身份证号码")]
    assert "第 5 行" in problems[("6", "身份证号码")]
    assert "青山" in problems[("8", "村居")]
    assert "脚气" in problems[("10", "重点人群")]
    assert "没有导入任何数据" in check.summary.text()
    assert check.save_button.isVisible()

    assert check.default_errors_path() == tmp_path / "青山村花名册-错误清单.csv"
    saved = check.save_problems(check.default_errors_path())
    assert saved is not None
    text = saved.read_bytes()
    assert text.startswith(b"\xef\xbb\xbf")
    assert text.decode("utf-8-sig").splitlines()[0] == "行号,列,内容,问题"
    assert count_residents(demo_context) == before

    write_roster(path, rows)  # the clerk corrects the file and checks again
    qtbot.mouseClick(check.recheck_button, Qt.MouseButton.LeftButton)
    wait_for_check(qtbot, wizard)
    assert check.report is not None and check.refused is None
    assert check.counts.values["new"].text() == "30"
    households = len({(row[5], row[6]) for row in rows})
    assert check.counts.values["households"].text() == str(households)
    commit = wizard.button(QWizard.WizardButton.CommitButton)
    assert commit.isEnabled() and commit.text() == "开始导入"

    with qtbot.waitSignal(wizard.imported, timeout=WAIT_MS) as imported:
        qtbot.mouseClick(commit, Qt.MouseButton.LeftButton)
    report = imported.args[0]
    assert (report.new, report.updated, report.households_created) == (30, 0, households)
    qtbot.waitUntil(lambda: wizard.currentId() == ImportWizard.PAGE_SUMMARY, timeout=WAIT_MS)
    summary = wizard.summary_page
    assert "青山村花名册.csv" in summary.headline.text()
    assert summary.counts.values["new"].text() == "30"
    assert count_residents(demo_context) == before + 30
    with demo_context.database.read() as session:
        found = session.scalars(select(Resident.name).where(residents.search_condition("zs"))).all()
        assert "张三" in found


def test_columns_the_wizard_does_not_know_are_chosen_by_hand(
    qtbot: QtBot, make_wizard: Callable[..., ImportWizard], tmp_path: Path
) -> None:
    header = ["居民", "身份证", "所在村组"]
    rows = [[row[1], row[2], row[5]] for row in roster_rows(3)]
    path = write_roster(tmp_path / "roster.csv", rows, header)
    wizard = make_wizard()
    go_to_preview(qtbot, wizard, path)
    preview = wizard.preview_page
    next_button = wizard.button(QWizard.WizardButton.NextButton)
    assert preview.mapping() == [None, "id_number", None]
    assert not next_button.isEnabled()
    assert "姓名" in preview.status.text() and "村居" in preview.status.text()
    preview.combos[0].setCurrentIndex(preview.combos[0].findData("name"))
    preview.combos[2].setCurrentIndex(preview.combos[2].findData("village"))
    assert next_button.isEnabled()
    assert "所有列都将导入" in preview.status.text()
    # Choosing a field a second time takes it from the column that had it.
    preview.combos[2].setCurrentIndex(preview.combos[2].findData("name"))
    assert preview.mapping() == [None, "id_number", "name"]
    assert not next_button.isEnabled()
    assert "村居" in preview.status.text()
    preview.combos[0].setCurrentIndex(preview.combos[0].findData("name"))
    preview.combos[2].setCurrentIndex(preview.combos[2].findData("village"))
    assert preview.mapping() == ["name", "id_number", "village"]
    assert next_button.isEnabled()
    qtbot.mouseClick(next_button, Qt.MouseButton.LeftButton)
    wait_for_check(qtbot, wizard)
    assert wizard.check_page.report is not None
    assert wizard.check_page.report.new == 3


def test_cancelling_the_import_writes_nothing(
    qtbot: QtBot,
    make_wizard: Callable[..., ImportWizard],
    demo_context: AppContext,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(imports, "CHUNK_ROWS", 20)
    gate = threading.Event()
    gate.set()
    reporter = import_wizard._reporter

    def held(control: object) -> Callable[[int, int], None]:
        inner = reporter(control)  # type: ignore[arg-type]

        def progress(done: int, total: int) -> None:
            assert gate.wait(WAIT_MS / 1000)
            inner(done, total)

        return progress

    monkeypatch.setattr(import_wizard, "_reporter", held)
    path = write_roster(tmp_path / "roster.csv", roster_rows(200))
    before = count_residents(demo_context)
    wizard = make_wizard()
    go_to_preview(qtbot, wizard, path)
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)
    wait_for_check(qtbot, wizard)
    assert wizard.check_page.report is not None

    gate.clear()  # the import stops at its first progress report until we cancel
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.CommitButton), Qt.MouseButton.LeftButton)
    page = wizard.import_page
    assert wizard.currentId() == ImportWizard.PAGE_IMPORT and page.job is not None
    qtbot.mouseClick(page.cancel_button, Qt.MouseButton.LeftButton)
    assert page.status.text() == "正在取消…"
    gate.set()
    qtbot.waitUntil(lambda: page.job is None, timeout=WAIT_MS)
    assert page.status.text() == "已取消：没有导入任何数据。"
    assert not page.isComplete()
    assert wizard.button(QWizard.WizardButton.CancelButton).text() == "关闭"
    assert count_residents(demo_context) == before
    wizard.reject()
    assert not wizard.isVisible()


def test_only_administrators_import_villages(
    qtbot: QtBot, make_wizard: Callable[..., ImportWizard], tmp_path: Path
) -> None:
    clerk = make_wizard("luru")
    assert not clerk.file_page.villages_choice.isEnabled()
    admin = make_wizard("admin")
    assert admin.file_page.villages_choice.isEnabled()
    admin.file_page.villages_choice.setChecked(True)
    assert admin.kind == "villages"
    assert admin.file_page.template_button.text() == "保存村居导入模板…"
    path = tmp_path / "villages.csv"
    path.write_text("村居代码,村居名称,常住人口,年份\n320321110299,新村,500,2026\n", "utf-8-sig")
    go_to_preview(qtbot, admin, path)
    assert admin.preview_page.mapping() == ["code", "name", "population", "year"]
    qtbot.mouseClick(admin.button(QWizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)
    wait_for_check(qtbot, admin)
    report = admin.check_page.report
    assert report is not None and (report.new, report.populations_set) == (1, 1)
    assert admin.check_page.counts.values["new"].text() == "1"


def test_saving_a_template(make_wizard: Callable[..., ImportWizard], tmp_path: Path) -> None:
    wizard = make_wizard()
    saved = wizard.file_page.save_template(tmp_path / "模板")
    assert saved == tmp_path / "模板.xlsx"
    assert saved.read_bytes() == resource_path("templates", "居民导入模板.xlsx").read_bytes()
    csv_copy = wizard.file_page.save_template(tmp_path / "模板.csv")
    assert csv_copy.read_bytes() == resource_path("templates", "居民导入模板.csv").read_bytes()
    assert str(saved) in wizard.file_page.template_hint.text() or "模板" in (
        wizard.file_page.template_hint.text()
    )


def test_a_file_that_cannot_be_read_says_why(
    qtbot: QtBot, make_wizard: Callable[..., ImportWizard], tmp_path: Path
) -> None:
    path = tmp_path / "garbled.csv"
    path.write_bytes("姓名,村居\n".encode("gb18030") + b"\x81\x20\xff\xff\r\n")
    wizard = make_wizard()
    wizard.file_page.path.setText(str(path))
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "GB18030" in wizard.preview_page.info.text(), timeout=WAIT_MS)
    assert "CSV UTF-8" in wizard.preview_page.info.text()
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()


def unsigned_adults(context: AppContext, count: int) -> list[tuple[str, str]]:
    """(name, ID number) of demo residents with no contract, adults who live here."""
    adult_born_by = dt.date.today().replace(year=dt.date.today().year - 19)
    with context.database.read() as session:
        rows = session.execute(
            select(Resident.name, Resident.id_number)
            .where(
                Resident.left_on.is_(None),
                Resident.id_number.is_not(None),
                Resident.birth_date < adult_born_by,
                Resident.lacks_capacity.is_(False),
                ~select(Contract.id).where(Contract.resident_id == Resident.id).exists(),
            )
            .order_by(Resident.id)
            .limit(count)
        ).all()
    assert len(rows) == count
    return [(name, number) for name, number in rows]


def test_contracts_roster_with_the_create_missing_choice(
    qtbot: QtBot,
    make_wizard: Callable[..., ImportWizard],
    demo_context: AppContext,
    tmp_path: Path,
) -> None:
    clerk = make_wizard("luru")
    assert not clerk.file_page.contracts_choice.isEnabled()  # clerks may not sign
    doctor = make_wizard("wangys")
    assert doctor.file_page.contracts_choice.isEnabled()
    doctor.file_page.contracts_choice.setChecked(True)
    assert doctor.file_page.create_missing.isVisible()
    assert not doctor.file_page.create_missing.isEnabled()  # only supervisors add teams
    assert doctor.file_page.template_button.text() == "保存签约导入模板…"
    assert "已存在" in doctor.file_page.rules.text()

    signed_on = (dt.date.today() - dt.timedelta(days=10)).isoformat()
    people = unsigned_adults(demo_context, 2)
    header = ["姓名", "身份证号", "团队", "责任医生", "服务包", "签约日期"]
    rows = [
        [people[0][0], people[0][1], "王卫东家庭医生团队", "王卫东", "慢病管理包", signed_on],
        [people[1][0], people[1][1], "第九团队", "王卫东", "", signed_on],
    ]
    path = write_roster(tmp_path / "签约花名册.csv", rows, header)
    with demo_context.database.read() as session:
        contracts_before = session.scalar(select(func.count()).select_from(Contract))

    go_to_preview(qtbot, doctor, path)
    assert doctor.preview_page.mapping() == [
        "name", "id_number", "team", "doctor", "packages", "signed_on",
    ]  # fmt: skip
    qtbot.mouseClick(doctor.button(QWizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)
    wait_for_check(qtbot, doctor)
    refused = doctor.check_page.refused
    assert refused is not None
    assert [(p.row, p.column) for p in refused.problems] == [(3, "团队")]
    assert "第九团队" in doctor.check_page.problems.item(0, 3).text()

    supervisor = make_wizard("yuanzhang")
    supervisor.file_page.contracts_choice.setChecked(True)
    assert supervisor.file_page.create_missing.isEnabled()
    supervisor.file_page.create_missing.setChecked(True)
    go_to_preview(qtbot, supervisor, path)
    qtbot.mouseClick(supervisor.button(QWizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)
    wait_for_check(qtbot, supervisor)
    check = supervisor.check_page
    assert check.report is not None, check.summary.text()
    assert check.counts.values["new"].text() == "2"
    assert check.counts.values["teams"].text() == "1"
    with demo_context.database.read() as session:  # the check wrote nothing
        assert session.scalar(select(func.count()).select_from(Contract)) == contracts_before
        assert session.scalar(select(Team.id).where(Team.name == "第九团队")) is None
    with qtbot.waitSignal(supervisor.imported, timeout=WAIT_MS) as imported:
        qtbot.mouseClick(
            supervisor.button(QWizard.WizardButton.CommitButton), Qt.MouseButton.LeftButton
        )
    assert (imported.args[0].new, imported.args[0].teams_created) == (2, 1)
    with demo_context.database.read() as session:
        assert session.scalar(select(func.count()).select_from(Contract)) == contracts_before + 2
