"""The county server settings on the Settings page, and the words for sync states and problems
shared with the Sync page."""

from __future__ import annotations

import logging
import threading

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from familydoc.core.auth import Actor, Permission
from familydoc.core.context import AppContext
from familydoc.core.errors import FamilydocError
from familydoc.gui.errors import user_message
from familydoc.sync.engine import ConnectionCheck, check_connection
from familydoc.sync.report import PROBLEM_MESSAGES, STATE_LABELS, SYNC_CONTEXT
from familydoc.sync.settings import UpstreamSettings

log = logging.getLogger(__name__)


def state_label(state: str) -> str:
    return QCoreApplication.translate(SYNC_CONTEXT, STATE_LABELS.get(state, state))


def problem_label(problem: str | None) -> str:
    if problem is None or problem not in PROBLEM_MESSAGES:
        return ""
    return QCoreApplication.translate(SYNC_CONTEXT, PROBLEM_MESSAGES[problem])


class UpstreamPanel(QGroupBox):
    """The county server settings (administrators), with a connection test off the UI thread."""

    _checked = Signal(object)  # ConnectionCheck or FamilydocError, from the test thread

    def __init__(self, context: AppContext, actor: Actor) -> None:
        super().__init__(self.tr("County server (upstream reporting)"))
        self.context = context
        self.may_change = actor.can(Permission.MANAGE_SETTINGS)
        self.url = QLineEdit()
        self.url.setObjectName("upstreamUrl")
        self.url.setPlaceholderText("https://…")
        self.protocol = QComboBox()
        self.protocol.setObjectName("upstreamProtocol")
        self.protocol.addItem(self.tr("FHIR R4 (MeasureReport)"), "fhir")
        self.protocol.addItem(self.tr("DHIS2 (data value sets)"), "dhis2")
        self.token = QLineEdit()
        self.token.setObjectName("upstreamToken")
        self.token.setEchoMode(QLineEdit.EchoMode.Password)
        self.measure = QLineEdit()
        self.measure.setObjectName("upstreamMeasure")
        self.measure.setPlaceholderText(self.tr("FHIR: the county's Measure URL"))
        self.mapping = QLineEdit()
        self.mapping.setObjectName("upstreamMapping")
        self.mapping.setPlaceholderText(self.tr("DHIS2: the mapping file the county gives"))
        self.ca_bundle = QLineEdit()
        self.ca_bundle.setObjectName("upstreamCaBundle")
        self.ca_bundle.setPlaceholderText(self.tr("only for a county's own certificates"))
        self.save_button = QPushButton(self.tr("Save"))
        self.save_button.setObjectName("saveUpstream")
        self.save_button.clicked.connect(self.save)
        self.test_button = QPushButton(self.tr("Test connection"))
        self.test_button.setObjectName("testConnection")
        self.test_button.clicked.connect(self.test_connection)
        self.result = QLabel()
        self.result.setObjectName("connectionResult")
        self.result.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("Server address"), self.url)
        form.addRow(self.tr("Protocol"), self.protocol)
        form.addRow(self.tr("Access token"), self.token)
        form.addRow(self.tr("Measure"), self.measure)
        form.addRow(self.tr("Mapping file"), self._with_browse(self.mapping))
        form.addRow(self.tr("CA bundle"), self._with_browse(self.ca_bundle))
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.test_button)
        buttons.addWidget(self.result, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(buttons)
        for widget in (
            self.url,
            self.protocol,
            self.token,
            self.measure,
            self.mapping,
            self.ca_bundle,
            self.save_button,
            self.test_button,
        ):
            widget.setEnabled(self.may_change)
        self._checked.connect(self._show_check)

    def _with_browse(self, line: QLineEdit) -> QWidget:
        holder = QWidget()
        row = QHBoxLayout(holder)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(line, 1)
        browse = QPushButton(self.tr("Browse…"))
        browse.setEnabled(self.may_change)
        browse.clicked.connect(lambda: self._browse(line))
        row.addWidget(browse)
        return holder

    def _browse(self, line: QLineEdit) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Choose a file"), line.text())
        if path:
            line.setText(path)

    def load(self) -> None:
        config = self.context.config()
        self.url.setText(str(config.get("upstream.url")))
        self.protocol.setCurrentIndex(
            max(0, self.protocol.findData(config.get("upstream.protocol")))
        )
        self.token.clear()
        self.token.setPlaceholderText(
            self.tr("saved; type a new one to replace it")
            if config.get("upstream.token")
            else self.tr("the token the county gives")
        )
        self.measure.setText(str(config.get("upstream.measure")))
        self.mapping.setText(str(config.get("upstream.mapping")))
        self.ca_bundle.setText(str(config.get("upstream.ca_bundle")))

    def settings(self) -> UpstreamSettings:
        """What the form says now (the saved token unless a new one was typed)."""
        config = self.context.config()
        return UpstreamSettings(
            url=self.url.text().strip(),
            protocol=str(self.protocol.currentData()),
            token=self.token.text() or str(config.get("upstream.token")),
            measure=self.measure.text().strip(),
            mapping=self.mapping.text().strip(),
            ca_bundle=self.ca_bundle.text().strip(),
            timeout=float(config.get("upstream.timeout")),
            retries=0,  # a test answers at once; the sync runs retry
        )

    def save(self) -> bool:
        config = self.context.config()
        try:
            if self.url.text().strip():
                self.settings().check()  # refuse what could never work, before it is saved
            config.set("upstream.url", self.url.text())
            config.set("upstream.protocol", str(self.protocol.currentData()))
            if self.token.text():
                config.set("upstream.token", self.token.text())
            config.set("upstream.measure", self.measure.text())
            config.set("upstream.mapping", self.mapping.text())
            config.set("upstream.ca_bundle", self.ca_bundle.text())
        except FamilydocError as error:
            self.result.setText(user_message(error))
            return False
        self.load()
        self.result.setText(self.tr("County server settings saved."))
        return True

    def test_connection(self) -> None:
        settings = self.settings()
        self.test_button.setEnabled(False)
        self.result.setText(self.tr("Connecting to the county server…"))

        def check() -> None:
            try:
                outcome: object = check_connection(settings)
            except FamilydocError as error:
                outcome = error
            except Exception as exc:  # shown, not lost in the thread
                log.exception("connection test failed")
                outcome = exc
            self._checked.emit(outcome)

        threading.Thread(target=check, name="familydoc-connection-test", daemon=True).start()

    def _show_check(self, checked: object) -> None:
        self.test_button.setEnabled(self.may_change)
        if isinstance(checked, ConnectionCheck):
            if checked.ok:
                self.result.setText(
                    self.tr("Connected: the county server answered and took the token.")
                )
            else:
                words = f" ({checked.detail})" if checked.detail else ""
                self.result.setText(problem_label(checked.problem) + words)
        elif isinstance(checked, BaseException):
            self.result.setText(user_message(checked))
