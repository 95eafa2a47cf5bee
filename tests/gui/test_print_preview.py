"""The contract preview dialog: preview, two copies, save as PDF, print, village batch."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from familydoc.core import auth
from familydoc.core.context import AppContext
from familydoc.core.contract_document import print_counts
from familydoc.core.models import Contract, Resident
from familydoc.gui.print_preview import ContractPrintDialog, print_village_new_contracts
from familydoc.gui.runner import OperationRunner

WAIT_MS = 20_000


@pytest.fixture
def doctor(demo_context: AppContext) -> auth.Actor:
    with demo_context.database.read() as session:
        return auth.actor_for(session, "wangys")


@pytest.fixture
def numbers(demo_context: AppContext) -> list[str]:
    with demo_context.database.read() as session:
        return list(session.scalars(select(Contract.number).order_by(Contract.id).limit(3)))


def _open(qtbot: QtBot, dialog: ContractPrintDialog) -> ContractPrintDialog:
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.ready, timeout=WAIT_MS)
    return dialog


def test_preview_two_copies_and_save_as_pdf(
    qtbot: QtBot,
    runner: OperationRunner,
    doctor: auth.Actor,
    numbers: list[str],
    demo_context: AppContext,
    tmp_path: Path,
) -> None:
    dialog = _open(qtbot, ContractPrintDialog(runner, doctor, numbers[:1]))
    single = dialog.document.pageCount()
    assert single >= 2
    assert dialog.print_button.isEnabled() and dialog.save_button.isEnabled()
    assert dialog.font_warning.isHidden() == (not dialog.result_pdf.notices)

    dialog.two_copies.setChecked(True)
    qtbot.waitUntil(
        lambda: dialog.ready and dialog.document.pageCount() == 2 * single, timeout=WAIT_MS
    )
    assert dialog.result_pdf is not None and dialog.result_pdf.copies == 2

    target = tmp_path / "contract"
    dialog.ask_save_path = lambda: str(target)  # type: ignore[method-assign]
    with qtbot.waitSignal(dialog.printed, timeout=WAIT_MS) as signal:
        dialog.save_pdf()
    saved = tmp_path / "contract.pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(saved.read_bytes())).pages)
    assert numbers[0] in text and "居民留存" in text and "机构留存" in text
    assert [r.print_count for r in signal.args[0]] == [1]
    assert numbers[0] in dialog.status.text()
    with demo_context.database.read() as session:
        assert print_counts(session, numbers[:1]) == {numbers[0]: 1}


def test_print_through_a_printer(
    qtbot: QtBot,
    runner: OperationRunner,
    doctor: auth.Actor,
    numbers: list[str],
    demo_context: AppContext,
    tmp_path: Path,
) -> None:
    dialog = _open(qtbot, ContractPrintDialog(runner, doctor, numbers))
    pages = dialog.document.pageCount()
    output = tmp_path / "printed.pdf"

    def printer() -> QPrinter:
        target = QPrinter(QPrinter.PrinterMode.ScreenResolution)
        target.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        target.setOutputFileName(str(output))
        return target

    dialog.ask_printer = printer  # type: ignore[method-assign]
    with qtbot.waitSignal(dialog.printed, timeout=WAIT_MS):
        dialog.print_document()
    assert len(PdfReader(str(output)).pages) == pages
    with demo_context.database.read() as session:
        assert print_counts(session, numbers) == {n: 1 for n in numbers}

    # A cancelled printer dialog records nothing.
    dialog.ask_printer = lambda: None  # type: ignore[method-assign]
    dialog.print_document()
    qtbot.wait(100)
    with demo_context.database.read() as session:
        assert print_counts(session, numbers) == {n: 1 for n in numbers}


def test_clerk_is_refused_with_a_message(
    qtbot: QtBot, runner: OperationRunner, demo_context: AppContext, numbers: list[str]
) -> None:
    with demo_context.database.read() as session:
        clerk = auth.actor_for(session, "luru")
    dialog = ContractPrintDialog(runner, clerk, numbers[:1])
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.job is None, timeout=WAIT_MS)
    assert dialog.result_pdf is None
    assert not dialog.print_button.isEnabled()
    assert "luru" in dialog.status.text()
    for box in dialog.findChildren(QMessageBox):  # the error shown to the user
        box.close()


def test_village_batch_prints_new_contracts_with_progress(
    qtbot: QtBot, runner: OperationRunner, doctor: auth.Actor, demo_context: AppContext
) -> None:
    with demo_context.database.read() as session:
        village_id, count = session.execute(
            select(Resident.village_id, func.count())
            .join(Contract, Contract.resident_id == Resident.id)
            .where(Contract.signed_on >= dt.date.today() - dt.timedelta(days=60))
            .where(Contract.terminated_on.is_(None))
            .group_by(Resident.village_id)
            .order_by(func.count().desc())
        ).first()
    chooser = print_village_new_contracts(
        runner, doctor, village_id=village_id, since=dt.date.today() - dt.timedelta(days=60)
    )
    qtbot.addWidget(chooser)
    qtbot.waitUntil(lambda: chooser.buttons.isEnabled(), timeout=WAIT_MS)
    assert chooser.village.currentData() == village_id
    chooser.find_contracts()
    qtbot.waitUntil(lambda: chooser.print_dialog is not None, timeout=WAIT_MS)
    dialog = chooser.print_dialog
    assert dialog is not None
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.ready, timeout=WAIT_MS)
    assert len(dialog.result_pdf.numbers) == count
    assert dialog.progress.maximum() == count and dialog.progress.value() == count
    assert dialog.document.pageCount() >= 2 * count


def test_village_without_new_contracts_says_so(
    qtbot: QtBot, runner: OperationRunner, doctor: auth.Actor
) -> None:
    chooser = print_village_new_contracts(
        runner, doctor, since=dt.date.today() + dt.timedelta(days=5)
    )
    qtbot.addWidget(chooser)
    qtbot.waitUntil(lambda: chooser.buttons.isEnabled(), timeout=WAIT_MS)
    chooser.find_contracts()
    qtbot.waitUntil(lambda: bool(chooser.message.text()), timeout=WAIT_MS)
    assert chooser.print_dialog is None
