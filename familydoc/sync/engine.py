"""A sync run from end to end, for the command line (the GUI chains the same steps through
its operation runner so the database worker never waits on the network).

Only one run per database at a time: the run holds an operating-system lock next to the
database (released by the system if the process dies, even by ``kill -9``), which is what
makes a report found UPLOADING at the start of a run safely the leftover of a dead one.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from familydoc.core.auth import Actor
from familydoc.core.db import Database
from familydoc.core.errors import QT_TRANSLATE_NOOP, RuleViolation
from familydoc.core.instance_lock import AlreadyRunning, InstanceLock, read_holder
from familydoc.sync import outbox
from familydoc.sync.dhis2 import Dhis2Protocol
from familydoc.sync.fhir import FhirProtocol
from familydoc.sync.protocol import UpstreamProtocol, refusal
from familydoc.sync.report import (
    AUTH,
    ERROR,
    PROBLEMS_THAT_WAIT,
    SYNCED,
    TO_POST,
    WARNING,
    Outcome,
)
from familydoc.sync.settings import UpstreamSettings
from familydoc.sync.transport import Transport

log = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_UNREACHABLE = 3
EXIT_REJECTED = 4
EXIT_AUTH = 5


def protocol_for(settings: UpstreamSettings) -> UpstreamProtocol:
    """The protocol of ``upstream.protocol`` (settings checked, mapping file read)."""
    settings.check()
    if settings.protocol == "dhis2":
        return Dhis2Protocol(settings)
    return FhirProtocol(settings)


def sync_lock_path(database: Database) -> Path | None:
    path = database.path
    return path.with_name(path.name + ".sync") if path is not None else None


@contextmanager
def sync_lock(path: Path | None, user: str = "") -> Iterator[None]:
    """Held for the whole run; refuses a second run of the same database."""
    if path is None:
        yield
        return
    lock = InstanceLock(path)
    try:
        lock.acquire(purpose="sync", user=user)
    except AlreadyRunning:
        holder = read_holder(lock.path)
        raise RuleViolation(
            QT_TRANSLATE_NOOP(
                "Errors",
                "Another sync of this database is running now (process {pid} on {host})."
                " Try again when it has finished.",
            ),
            pid=holder.pid if holder else "?",
            host=holder.host if holder else "?",
        ) from None
    try:
        yield
    finally:
        lock.release()


def deliver(protocol: UpstreamProtocol, transport: Transport, claimed: outbox.Claim) -> Outcome:
    """Send one claimed report (no database here) and judge the answer."""
    delivery = transport.send(protocol.request(claimed.payload))
    if delivery.problem is not None:
        return Outcome(TO_POST, delivery.problem, delivery.http_status, delivery.detail)
    assert delivery.answer is not None
    repeated = claimed.attempts > 1 or delivery.tries > 1
    return protocol.interpret(delivery.answer, repeated)


@dataclass(frozen=True)
class ReportResult:
    period: str
    final: bool
    state: str
    outcome: Outcome


@dataclass(frozen=True)
class SyncResult:
    prepared: outbox.PreparedRun
    results: tuple[ReportResult, ...]
    dry_run: bool = False

    @property
    def stopped_by(self) -> Outcome | None:
        """The outcome that ended the run early (unreachable, token refused…), if any."""
        for result in self.results:
            if result.outcome.stops_run:
                return result.outcome
        return None

    @property
    def exit_code(self) -> int:
        outcomes = [result.outcome for result in self.results]
        if any(outcome.problem == AUTH for outcome in outcomes):
            return EXIT_AUTH
        if any(result.state in (ERROR, WARNING) for result in self.results):
            return EXIT_REJECTED
        if any(outcome.problem in PROBLEMS_THAT_WAIT for outcome in outcomes):
            return EXIT_UNREACHABLE
        return EXIT_OK

    @property
    def delivered(self) -> int:
        return sum(1 for result in self.results if result.state == SYNCED)


def run_sync(
    database: Database,
    actor: Actor,
    settings: UpstreamSettings,
    *,
    today: dt.date | None = None,
    dry_run: bool = False,
    manual: bool = True,
    transport: Transport | None = None,
    lock_path: Path | None = None,
    on_report: Callable[[ReportResult], None] | None = None,
    stop: threading.Event | None = None,
) -> SyncResult:
    """Queue what is due, then deliver the queue oldest first; stop when the server is gone."""
    protocol = protocol_for(settings)
    today = today or dt.date.today()
    if dry_run:
        with database.read() as session:
            prepared = outbox.prepare(
                session, actor, protocol, today=today, manual=manual, dry_run=True
            )
        return SyncResult(prepared, (), dry_run=True)
    with sync_lock(lock_path, actor.username):
        with database.unit_of_work() as session:
            prepared = outbox.prepare(session, actor, protocol, today=today, manual=manual)
        results: list[ReportResult] = []
        own_transport = transport is None
        transport = transport or Transport(settings, stop=stop)
        try:
            for outbox_id in prepared.to_send:
                if stop is not None and stop.is_set():
                    break
                with database.unit_of_work() as session:
                    claimed = outbox.claim(session, outbox_id)
                if claimed is None:
                    continue
                outcome = deliver(protocol, transport, claimed)
                with database.unit_of_work() as session:
                    state = outbox.record(session, actor, claimed, outcome)
                result = ReportResult(claimed.period, claimed.final, state, outcome)
                log.info(
                    "sync %s: %s (%s) %s",
                    claimed.period,
                    state,
                    outcome.problem or "ok",
                    outcome.http_status or "",
                )
                results.append(result)
                if on_report is not None:
                    on_report(result)
                if outcome.stops_run:
                    break
        finally:
            if own_transport:
                transport.close()
    return SyncResult(prepared, tuple(results))


@dataclass(frozen=True)
class ConnectionCheck:
    ok: bool
    problem: str | None
    http_status: int | None
    detail: str


def check_connection(
    settings: UpstreamSettings, transport: Transport | None = None
) -> ConnectionCheck:
    """One harmless read (FHIR metadata, DHIS2 system info): reachable, and the token taken?"""
    protocol = protocol_for(settings)
    own = transport is None
    transport = transport or Transport(settings)
    try:
        delivery = transport.send(protocol.probe())
    finally:
        if own:
            transport.close()
    if delivery.problem is not None:
        return ConnectionCheck(False, delivery.problem, delivery.http_status, delivery.detail)
    assert delivery.answer is not None
    answer = delivery.answer
    if 200 <= answer.status < 300:
        return ConnectionCheck(True, None, answer.status, f"HTTP {answer.status}")
    refused = refusal(answer, answer.text(300))
    return ConnectionCheck(False, refused.problem, answer.status, refused.server_words)
