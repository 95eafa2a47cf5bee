"""Showing a failure to the user: a plain message in their language, details behind a button."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from familydoc.core.errors import FamilydocError


def user_message(error: BaseException) -> str:
    if isinstance(error, FamilydocError):
        return error.render(QCoreApplication.translate)
    return QCoreApplication.translate(
        "ErrorDialog",
        "Something went wrong and the action was not completed. Nothing was half-saved."
        " If it happens again, give the details to your administrator.",
    )


def show_error(parent: QWidget | None, error: BaseException, details: str = "") -> QMessageBox:
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(QCoreApplication.translate("ErrorDialog", "familydoc"))
    box.setText(user_message(error))
    if details and not isinstance(error, FamilydocError):
        box.setDetailedText(details)
    elif details:
        box.setDetailedText(f"{type(error).__name__}: {error}")
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.open()
    return box
