"""The operation runner: the only way widgets call services.

One worker thread owns database work (SQLite wants one writer); each job opens
its own unit of work there, and its result or error comes back to the UI thread
by a queued signal. Long jobs report progress and can be cancelled between steps.
"""

from __future__ import annotations

import itertools
import logging
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot
from sqlalchemy.orm import Session

from familydoc.core.db import Database
from familydoc.core.errors import FamilydocError

log = logging.getLogger(__name__)


class Cancelled(Exception):
    """Raised inside a job when the user cancelled it; its transaction is rolled back."""


@dataclass
class JobControl:
    """Handed to long jobs: report progress, and learn whether to stop."""

    job_id: int
    _emit: Callable[[int, int, int, str], None]
    cancelled: bool = False

    def progress(self, done: int, total: int, text: str = "") -> None:
        self._emit(self.job_id, done, total, text)

    def check_cancelled(self) -> None:
        if self.cancelled:
            raise Cancelled()


@dataclass
class Job:
    id: int
    task: Callable[..., Any]
    write: bool
    wants_control: bool
    on_success: Callable[[Any], None] | None
    on_failure: Callable[[BaseException, str], None] | None
    on_progress: Callable[[int, int, str], None] | None
    control: JobControl | None = field(default=None)

    def cancel(self) -> None:
        if self.control is not None:
            self.control.cancelled = True


class _Worker(QObject):
    finished = Signal(int, object)
    failed = Signal(int, object, str)
    progress = Signal(int, int, int, str)

    def __init__(self, database: Database) -> None:
        super().__init__()
        self._database = database

    @Slot(object)
    def execute(self, job: Job) -> None:
        try:
            with self._database.unit_of_work(write=job.write) as session:
                if job.wants_control:
                    assert job.control is not None
                    result = job.task(session, job.control)
                else:
                    result = job.task(session)
        except BaseException as exc:  # reported to the UI thread, never lost in the worker
            self.failed.emit(job.id, exc, traceback.format_exc())
            return
        self.finished.emit(job.id, result)


class OperationRunner(QObject):
    """Runs jobs on the database worker thread and calls back on the UI thread."""

    busyChanged = Signal(bool)
    failureReported = Signal(object, str)
    _submit = Signal(object)

    def __init__(self, database: Database, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self._ids = itertools.count(1)
        self._jobs: dict[int, Job] = {}
        self._thread = QThread()
        self._thread.setObjectName("familydoc-db")
        self._worker = _Worker(database)
        self._worker.moveToThread(self._thread)
        self._submit.connect(self._worker.execute)
        self._worker.finished.connect(self._finished)
        self._worker.failed.connect(self._failed)
        self._worker.progress.connect(self._progress)
        self._thread.start()

    def run(
        self,
        task: Callable[[Session], Any],
        *,
        on_success: Callable[[Any], None] | None = None,
        on_failure: Callable[[BaseException, str], None] | None = None,
        write: bool = False,
    ) -> Job:
        return self._start(task, write, False, on_success, on_failure, None)

    def run_long(
        self,
        task: Callable[[Session, JobControl], Any],
        *,
        on_success: Callable[[Any], None] | None = None,
        on_failure: Callable[[BaseException, str], None] | None = None,
        on_progress: Callable[[int, int, str], None] | None = None,
        write: bool = True,
    ) -> Job:
        return self._start(task, write, True, on_success, on_failure, on_progress)

    def _start(
        self,
        task: Callable[..., Any],
        write: bool,
        wants_control: bool,
        on_success: Callable[[Any], None] | None,
        on_failure: Callable[[BaseException, str], None] | None,
        on_progress: Callable[[int, int, str], None] | None,
    ) -> Job:
        job = Job(next(self._ids), task, write, wants_control, on_success, on_failure, on_progress)
        job.control = JobControl(job.id, self._worker.progress.emit)
        self._jobs[job.id] = job
        if len(self._jobs) == 1:
            self.busyChanged.emit(True)
        self._submit.emit(job)
        return job

    @property
    def busy(self) -> bool:
        return bool(self._jobs)

    def _done(self, job_id: int) -> Job | None:
        job = self._jobs.pop(job_id, None)
        if not self._jobs:
            self.busyChanged.emit(False)
        return job

    @Slot(int, object)
    def _finished(self, job_id: int, result: object) -> None:
        job = self._done(job_id)
        if job and job.on_success:
            _call_safely(job.on_success, result)

    @Slot(int, object, str)
    def _failed(self, job_id: int, error: BaseException, details: str) -> None:
        job = self._done(job_id)
        if isinstance(error, Cancelled):
            log.info("job %s cancelled", job_id)
        elif isinstance(error, FamilydocError):  # refused by a rule: expected, no traceback
            log.info("job %s refused: %s", job_id, error)
        else:
            log.error("job %s failed: %s", job_id, details)
        if job and job.on_failure:
            _call_safely(job.on_failure, error, details)
        elif not isinstance(error, Cancelled):
            self.failureReported.emit(error, details)

    @Slot(int, int, int, str)
    def _progress(self, job_id: int, done: int, total: int, text: str) -> None:
        job = self._jobs.get(job_id)
        if job and job.on_progress:
            _call_safely(job.on_progress, done, total, text)

    def shutdown(self) -> None:
        """Finish the running job, then stop the thread (called when the window closes)."""
        for job in self._jobs.values():
            job.cancel()
        self._thread.quit()
        self._thread.wait()


def _call_safely(callback: Callable[..., None], *args: Any) -> None:
    try:
        callback(*args)
    except RuntimeError as exc:
        # The widget that asked went away while the job ran ("already deleted").
        if "already deleted" not in str(exc):
            raise
