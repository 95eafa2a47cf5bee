"""Errors the services raise; each carries a message meant for clinic staff.

Messages are English source strings marked with ``QT_TRANSLATE_NOOP`` so that
``pyside6-lupdate`` collects them into the shared translation file; the GUI and
the command line translate them when they show them (core stays Qt-free).
"""

from __future__ import annotations

from typing import Any

ERRORS_CONTEXT = "Errors"


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    """Mark ``text`` for translation in ``context`` without translating it here."""
    return text


class FamilydocError(Exception):
    """Base of the errors that end an action with a message for the user.

    ``exit_code`` follows the command-line contract of DESIGN.md.
    """

    exit_code = 1

    def __init__(
        self, message: str, *, translate_params: tuple[str, ...] = (), **params: Any
    ) -> None:
        self.message = message
        self.params = params
        # Parameters whose values are themselves marked source strings of ERRORS_CONTEXT.
        self.translate_params = translate_params
        super().__init__(self.render())

    def render(self, translate: Any = None) -> str:
        """The message, translated by ``translate(context, text)`` when given."""
        params = dict(self.params)
        if translate:
            text = translate(ERRORS_CONTEXT, self.message)
            for name in self.translate_params:
                params[name] = translate(ERRORS_CONTEXT, str(params[name]))
        else:
            text = self.message
        try:
            return text.format(**params)
        except (KeyError, IndexError, ValueError):
            return text


class RuleViolation(FamilydocError):
    """Refused by a data rule or bad input; nothing was written."""


class NotFound(FamilydocError):
    """The thing asked for does not exist."""


class PermissionDenied(FamilydocError):
    """The acting user's role does not allow the action."""


class AuthenticationFailed(FamilydocError):
    """Wrong user name or password, locked or disabled account."""

    exit_code = 5


class DatabaseProblem(FamilydocError):
    """The database cannot be opened or upgraded."""
