"""The Sync page: the outbox, "sync now", and the automatic tries in the background.

A run is the core's three steps (``sync.outbox``: prepare, claim, record) chained through
the operation runner, so every database call goes through its one worker; only the HTTP
exchange runs on a thread of its own, so neither the window nor the database worker ever
waits on the network. The run holds the sync lock (``sync.engine.sync_lock``) from start
to end, like ``familydoc sync``, so the command line and the window never send at once.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import threading
from dataclasses import dataclass, field

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
)
from sqlalchemy.orm import Session

from familydoc.core.auth import Actor, Permission
from familydoc.core.context import AppContext
from familydoc.core.errors import FamilydocError
from familydoc.gui import labels
from familydoc.gui.errors import user_message
from familydoc.gui.pages import Page
from familydoc.gui.runner import OperationRunner
from familydoc.gui.upstream_panel import problem_label, state_label
from familydoc.sync import outbox
from familydoc.sync.engine import (
    EXIT_AUTH,
    EXIT_OK,
    EXIT_REJECTED,
    EXIT_UNREACHABLE,
    ReportResult,
    SyncResult,
    deliver,
    protocol_for,
    sync_lock,
    sync_lock_path,
)
from familydoc.sync.protocol import UpstreamProtocol
from familydoc.sync.report import (
    ERROR,
    SYNCED,
    TO_POST,
    UNREACHABLE,
    WARNING,
    Outcome,
)
from familydoc.sync.settings import UpstreamSettings
from familydoc.sync.transport import Transport

log = logging.getLogger(__name__)

AUTO_INTERVAL_MS = 15 * 60_000
FIRST_TRY_DELAY_MS = 5_000  # after the window is up and its first pages have loaded
ERROR_COLOUR = QColor("#f8d7da")
WARNING_COLOUR = QColor("#fff3cd")


@dataclass
class _Run:
    manual: bool
    protocol: UpstreamProtocol
    transport: Transport
    lock: contextlib.ExitStack
    queue: list[int] = field(default_factory=list)
    prepared: outbox.PreparedRun | None = None
    results: list[ReportResult] = field(default_factory=list)


class SyncController(QObject):
    """Runs syncs for the window: on demand, at start, and every 15 minutes."""

    changed = Signal()  # the outbox changed: reload what shows it
    started = Signal(bool)  # manual
    finished = Signal(object)  # SyncResult, or a FamilydocError when the run could not start
    _delivered = Signal(object, object)  # Claim, Outcome (from the network thread)

    def __init__(
        self,
        context: AppContext,
        runner: OperationRunner,
        actor: Actor,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.runner = runner
        self.actor = actor
        self.run: _Run | None = None
        self.last_result: SyncResult | FamilydocError | None = None
        self._stop = threading.Event()
        self._closed = False
        self._delivered.connect(self._record)
        self.timer = QTimer(self)
        self.timer.setInterval(AUTO_INTERVAL_MS)
        self.timer.timeout.connect(self.try_in_background)

    @property
    def running(self) -> bool:
        return self.run is not None

    def start_automatic(self, first_delay_ms: int = FIRST_TRY_DELAY_MS) -> None:
        """The background tries: once soon after start, then every 15 minutes."""
        if not self.actor.can(Permission.RUN_SYNC):
            return
        self.timer.start()
        QTimer.singleShot(first_delay_ms, self, self.try_in_background)

    def try_in_background(self) -> None:
        if self._closed or self.running or not self.context.config().get("upstream.url"):
            return
        self.sync(manual=False)

    def sync(self, manual: bool = True) -> bool:
        """Start a run (False when one is running already or it cannot start)."""
        if self._closed or self.running:
            return False
        try:
            settings = UpstreamSettings.from_config(self.context.config())
            protocol = protocol_for(settings)
            lock = contextlib.ExitStack()
            lock.enter_context(
                sync_lock(sync_lock_path(self.context.database), self.actor.username)
            )
        except FamilydocError as error:
            self.last_result = error
            self.finished.emit(error)
            return False
        self._stop.clear()
        transport = Transport(settings, sleep=self._stop.wait, stop=self._stop)
        self.run = _Run(manual, protocol, transport, lock)
        self.started.emit(manual)
        today = dt.date.today()
        actor = self.actor

        def prepare(session: Session) -> outbox.PreparedRun:
            return outbox.prepare(session, actor, protocol, today=today, manual=manual)

        self.runner.run(prepare, write=True, on_success=self._prepared, on_failure=self._failed)
        return True

    def _prepared(self, prepared: outbox.PreparedRun) -> None:
        assert self.run is not None
        self.run.prepared = prepared
        self.run.queue = list(prepared.to_send)
        self.changed.emit()
        self._next()

    def _next(self) -> None:
        run = self.run
        if run is None:
            return
        if self._closed or self._stop.is_set() or not run.queue:
            self._finish()
            return
        outbox_id = run.queue.pop(0)
        self.runner.run(
            lambda session: outbox.claim(session, outbox_id),
            write=True,
            on_success=self._claimed,
            on_failure=self._failed,
        )

    def _claimed(self, claimed: outbox.Claim | None) -> None:
        run = self.run
        if run is None:
            return
        if claimed is None:
            self._next()
            return
        self.changed.emit()

        def send() -> None:
            try:
                outcome = deliver(run.protocol, run.transport, claimed)
            except Exception as exc:  # never lose the report: it waits for the next run
                log.exception("sync delivery failed")
                outcome = Outcome(TO_POST, UNREACHABLE, None, str(exc))
            if not self._closed:
                self._delivered.emit(claimed, outcome)

        threading.Thread(target=send, name="familydoc-sync", daemon=True).start()

    def _record(self, claimed: outbox.Claim, outcome: Outcome) -> None:
        run = self.run
        if run is None or self._closed:
            return
        actor = self.actor

        def record(session: Session) -> str:
            return outbox.record(session, actor, claimed, outcome)

        def recorded(state: str) -> None:
            run.results.append(ReportResult(claimed.period, claimed.final, state, outcome))
            self.changed.emit()
            if outcome.stops_run:
                self._finish()
            else:
                self._next()

        self.runner.run(record, write=True, on_success=recorded, on_failure=self._failed)

    def _failed(self, error: BaseException, details: str) -> None:
        log.warning("sync step failed: %s", details)
        run = self._release()
        if isinstance(error, FamilydocError):
            self.last_result = error
            self.finished.emit(error)
        elif run is not None:
            self.last_result = SyncResult(run.prepared or _empty(), tuple(run.results))
            self.finished.emit(error)
        self.changed.emit()

    def _finish(self) -> None:
        run = self._release()
        if run is None:
            return
        result = SyncResult(run.prepared or _empty(), tuple(run.results))
        self.last_result = result
        self.finished.emit(result)
        self.changed.emit()

    def _release(self) -> _Run | None:
        run, self.run = self.run, None
        if run is not None:
            run.transport.close()
            run.lock.close()
        return run

    def shutdown(self) -> None:
        """The window closes: stop waiting, drop the lock; a report in flight waits in the
        outbox (UPLOADING) and the next run sends it again."""
        self._closed = True
        self._stop.set()
        self.timer.stop()
        run, self.run = self.run, None
        if run is not None:
            run.lock.close()


def _empty() -> outbox.PreparedRun:
    return outbox.PreparedRun("", "", (), (), ())


class SyncPage(Page):
    """What waits for the county, what it said, and the button to send now."""

    def __init__(self, context: AppContext, runner: OperationRunner, actor: Actor) -> None:
        super().__init__(context, runner, actor, self.tr("Sync"))
        self.controller = SyncController(context, runner, actor, self)
        self.upstream = QLabel()
        self.upstream.setObjectName("upstreamLabel")
        self.upstream.setWordWrap(True)
        self.state = QLabel()
        self.state.setObjectName("syncState")
        self.state.setWordWrap(True)
        self.sync_button = QPushButton(self.tr("Sync now"))
        self.sync_button.setObjectName("syncNow")
        self.sync_button.clicked.connect(self.sync_now)
        self.may_sync = actor.can(Permission.RUN_SYNC)
        self.sync_button.setEnabled(self.may_sync)
        self.activity = QLabel()
        self.activity.setObjectName("syncActivity")
        self.message = QLabel()
        self.message.setObjectName("syncMessage")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QHBoxLayout()
        buttons.addWidget(self.sync_button)
        buttons.addWidget(self.activity, 1)
        if not self.may_sync:
            buttons.addWidget(QLabel(self.tr("Only a supervisor or an administrator can sync.")))
        self.table = QTableWidget(0, 7)
        self.table.setObjectName("outboxTable")
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Period"),
                self.tr("Report"),
                self.tr("State"),
                self.tr("Signed / denominator"),
                self.tr("Attempts"),
                self.tr("Last attempt"),
                self.tr("Server answer"),
            ]
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((80, 190, 80, 150, 70, 150)):
            self.table.setColumnWidth(column, width)
        self.layout_.addWidget(self.upstream)
        self.layout_.addWidget(self.state)
        self.layout_.addLayout(buttons)
        self.layout_.addWidget(self.message)
        self.layout_.addWidget(self.table, 1)
        self.controller.changed.connect(self._reload)
        self.controller.started.connect(self._started)
        self.controller.finished.connect(self._finished)

    def sync_now(self) -> None:
        self.controller.sync(manual=True)

    def _started(self, manual: bool) -> None:
        self.sync_button.setEnabled(False)
        self.activity.setText(
            self.tr("Sending to the county server…")
            if manual
            else self.tr("Automatic sync: sending to the county server…")
        )
        self.message.clear()

    def _finished(self, result: object) -> None:
        self.sync_button.setEnabled(self.may_sync)
        self.activity.clear()
        self.message.setText(self.result_text(result))

    def result_text(self, result: object) -> str:
        if isinstance(result, FamilydocError):
            return user_message(result)
        if not isinstance(result, SyncResult):
            return user_message(result) if isinstance(result, BaseException) else ""
        code = result.exit_code
        now = labels.local_time(dt.datetime.now(dt.UTC))
        if code == EXIT_OK and not result.results:
            return self.tr("{time}: nothing to send; the county has the latest figures.").format(
                time=now
            )
        if code == EXIT_OK:
            return self.tr("{time}: {count} reports delivered to the county server.").format(
                time=now, count=result.delivered
            )
        stop = result.stopped_by
        reason = problem_label(stop.problem) if stop is not None else ""
        if code == EXIT_UNREACHABLE:
            return self.tr("{time}: not delivered. {reason}").format(time=now, reason=reason)
        if code in (EXIT_AUTH, EXIT_REJECTED):
            return self.tr("{time}: some reports need attention (see the table).").format(
                time=now
            ) + (f" {reason}" if reason else "")
        return ""

    def refresh(self) -> None:
        config = self.context.config()
        url = config.get("upstream.url")
        protocol = {"fhir": "FHIR R4", "dhis2": "DHIS2"}.get(config.get("upstream.protocol"), "")
        self.upstream.setText(
            self.tr("County server: {url} ({protocol})").format(url=url, protocol=protocol)
            if url
            else self.tr("No county server is set up yet (Settings: upstream.url).")
        )
        self._reload()

    def _reload(self) -> None:
        def load(session: Session) -> tuple[outbox.OutboxStatus, list[outbox.OutboxView]]:
            return outbox.outbox_status(session), outbox.outbox_view(session)

        self.runner.run(load, on_success=self._show, on_failure=self._failed)

    def _show(self, result: tuple[outbox.OutboxStatus, list[outbox.OutboxView]]) -> None:
        status, rows = result
        if rows:
            self.state.setText(
                self.tr(
                    "{waiting} reports waiting, {failed} need attention; last delivered: {last}"
                ).format(
                    waiting=status.waiting,
                    failed=status.attention,
                    last=labels.local_time(status.last_synced_at) or self.tr("never"),
                )
            )
        else:
            self.state.setText(self.tr("No reports have been prepared for the county yet."))
        self.table.setRowCount(len(rows))
        for index, row in enumerate(rows):
            figures = ""
            if row.overall is not None:
                denominator, numerator = row.overall
                rate = numerator / denominator if denominator else None
                figures = f"{numerator} / {denominator}  {labels.percent(rate)}"
            kind = (
                self.tr("Final, as of {date}") if row.final else self.tr("Open month, as of {date}")
            ).format(date=labels.date(row.as_of))
            answer = problem_label(row.problem) if row.state != SYNCED else ""
            words = row.last_response or ""
            shown = f"{answer} {words}".strip() if answer else words
            cells = [
                row.period,
                kind,
                state_label(row.state),
                figures,
                str(row.attempts),
                labels.local_time(row.last_attempt_at),
                shown,
            ]
            colour = {ERROR: ERROR_COLOUR, WARNING: WARNING_COLOUR}.get(row.state)
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column == 6 and words:
                    item.setToolTip(f"{answer}\n\n{words}".strip())
                if column in (3, 4):
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                if colour is not None:
                    item.setBackground(QBrush(colour))
                self.table.setItem(index, column, item)
        self.loaded = True
