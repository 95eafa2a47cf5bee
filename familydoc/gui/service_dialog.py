"""A small form dialog that saves through one core service and shows its refusal in place.

Shared by the account and village dialogs: the problem line sits above the buttons and
keeps its room, so the fields do not move when it appears; the save button stays the
default after a refusal.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from familydoc.core.errors import FamilydocError
from familydoc.gui.errors import show_error, user_message
from familydoc.gui.runner import OperationRunner


def password_field(name: str) -> QLineEdit:
    field = QLineEdit()
    field.setObjectName(name)
    field.setEchoMode(QLineEdit.EchoMode.Password)
    return field


class ServiceDialog(QDialog):
    """Subclasses fill ``self.form`` and define ``task``; ``saved`` carries the result."""

    saved = Signal(object)

    def __init__(self, runner: OperationRunner, title: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.setWindowTitle(title)
        self.setMinimumWidth(440)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.intro.hide()
        self.form = QFormLayout()
        self.problem = QLabel(" ")
        self.problem.setObjectName("formProblem")
        self.problem.setStyleSheet("color: #b00020;")
        self.problem.setWordWrap(True)
        self.problem.setMinimumHeight(self.problem.sizeHint().height() * 2)
        self.buttons = QDialogButtonBox()
        self.save_button = self.buttons.addButton(
            QCoreApplication.translate("ServiceDialog", "Save"),
            QDialogButtonBox.ButtonRole.AcceptRole,
        )
        self.save_button.setObjectName("saveButton")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        self.cancel_button = self.buttons.addButton(
            QCoreApplication.translate("ServiceDialog", "Cancel"),
            QDialogButtonBox.ButtonRole.RejectRole,
        )
        self.cancel_button.setAutoDefault(False)
        self.cancel_button.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(self.form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)

    def set_intro(self, text: str) -> None:
        self.intro.setText(text)
        self.intro.show()

    def task(self) -> Callable[[Session], Any] | None:
        """The save as a runner task; None when the form refused it (``show_problem``)."""
        raise NotImplementedError

    def show_problem(self, text: str) -> None:
        self.problem.setText(text)
        self.save_button.setDefault(True)

    def save(self) -> None:
        try:
            task = self.task()
        except FamilydocError as error:
            self.show_problem(user_message(error))
            return
        if task is None:
            return
        self.save_button.setEnabled(False)
        self.runner.run(task, write=True, on_success=self._saved, on_failure=self._failed)

    def _saved(self, result: Any) -> None:
        self.save_button.setEnabled(True)
        self.saved.emit(result)
        self.accept()

    def _failed(self, error: BaseException, details: str) -> None:
        self.save_button.setEnabled(True)
        if isinstance(error, FamilydocError):
            self.show_problem(user_message(error))
        else:
            show_error(self, error, details)
