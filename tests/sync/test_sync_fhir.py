"""FHIR reporting against a real server on 127.0.0.1: what arrives, what it holds, and the
outbox states, through the faults of issue 6."""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from fhir.resources.R4B.measurereport import MeasureReport
from signing_world import EXPECTED_OVERALL, EXPECTED_POPULATIONS, EXPECTED_VILLAGES, SigningWorld
from sqlalchemy import select
from sync_data import MEASURE, TODAY, Waits
from upstream_server import Upstream, hold, status, store_then_hang

from familydoc.core.auth import Actor
from familydoc.core.context import AppContext
from familydoc.core.errors import PermissionDenied, RuleViolation
from familydoc.core.models import AuditEvent, SyncOutbox
from familydoc.core.statistics import signing_summary
from familydoc.sync import outbox
from familydoc.sync.engine import (
    EXIT_AUTH,
    EXIT_OK,
    EXIT_REJECTED,
    EXIT_UNREACHABLE,
    run_sync,
    sync_lock_path,
)
from familydoc.sync.fhir import POPULATION_SYSTEM, REPORT_ID_SYSTEM
from familydoc.sync.settings import UpstreamSettings
from familydoc.sync.transport import Transport

Make = Callable[..., Transport]


def _rows(context: AppContext) -> dict[str, Any]:
    """The outbox rows as plain snapshots (read sessions end in a rollback)."""
    with context.database.read() as session:
        return {
            row.period: SimpleNamespace(
                **{column.key: getattr(row, column.key) for column in SyncOutbox.__mapper__.columns}
            )
            for row in session.scalars(select(SyncOutbox))
        }


def _count(part: dict, name: str) -> int:
    [population] = [p for p in part["population"] if p["code"]["coding"][0]["code"] == name]
    assert population["code"]["coding"][0]["system"] == POPULATION_SYSTEM
    return population["count"]


def _strata(report: dict, stratifier: str) -> dict[str, tuple[int, int]]:
    [found] = [
        s
        for s in report["group"][0]["stratifier"]
        if s["code"][0]["coding"][0]["code"] == stratifier
    ]
    return {
        stratum["value"]["coding"][0]["code"]: (
            _count(stratum, "denominator"),
            _count(stratum, "numerator"),
        )
        for stratum in found["stratum"]
    }


def _sign_one_more(context: AppContext, world: SigningWorld) -> None:
    """r13 (西村, unsigned) signs on 2026-06-01: the open month's totals move."""
    with context.database.unit_of_work() as session:
        world.contract(session, "c13", "r13", "T2", "C", dt.date(2026, 6, 1), dt.date(2027, 5, 31))


def test_first_run_sends_the_open_month_and_the_last_final_month(
    initialised: AppContext,
    world: SigningWorld,
    supervisor: Actor,
    fhir_server: Upstream,
    fhir_settings: UpstreamSettings,
    transport: Make,
) -> None:
    result = run_sync(
        initialised.database,
        supervisor,
        fhir_settings,
        today=TODAY,
        transport=transport(fhir_settings),
    )
    assert result.exit_code == EXIT_OK
    assert [(r.period, r.final, r.state) for r in result.results] == [
        ("2026-05", True, "SYNCED"),
        ("2026-06", False, "SYNCED"),
    ]
    puts = [r for r in fhir_server.received if r.method == "PUT"]
    assert [r.path for r in puts] == ["/fhir/MeasureReport"] * 2
    assert [r.query["identifier"] for r in puts] == [
        [f"{REPORT_ID_SYSTEM}|320321110-2026-05"],
        [f"{REPORT_ID_SYSTEM}|320321110-2026-06"],
    ]
    assert all(r.headers["authorization"] == "Bearer county-token" for r in puts)
    assert all(r.headers["content-type"].startswith("application/fhir+json") for r in puts)
    assert fhir_server.invalid == []
    for body in fhir_server.report_bodies():
        MeasureReport.model_validate_json(body)  # every payload is a valid R4 MeasureReport
    [june] = fhir_server.fhir_by_identifier("320321110-2026-06")
    assert (june["status"], june["type"], june["measure"]) == ("pending", "summary", MEASURE)
    assert june["period"] == {"start": "2026-06-01", "end": "2026-06-15"}
    assert june["reporter"]["identifier"]["value"] == "320321110"
    group = june["group"][0]
    assert (_count(group, "denominator"), _count(group, "numerator")) == EXPECTED_OVERALL[:2]
    assert _count(group, "initial-population") == EXPECTED_OVERALL[0]
    assert group["measureScore"]["value"] == 0.4
    assert _strata(june, "village") == {k: v[:2] for k, v in EXPECTED_VILLAGES.items()}
    assert _strata(june, "key-population") == EXPECTED_POPULATIONS
    [may] = fhir_server.fhir_by_identifier("320321110-2026-05")
    assert may["status"] == "complete"
    assert may["period"] == {"start": "2026-05-01", "end": "2026-05-31"}
    with initialised.database.read() as session:
        may_summary = signing_summary(session, dt.date(2026, 5, 31))
    assert _count(may["group"][0], "numerator") == may_summary.overall.numerator
    rows = _rows(initialised)
    assert {p: (r.state, r.is_final, r.synced_hash == r.payload_hash) for p, r in rows.items()} == {
        "2026-05": ("SYNCED", True, True),
        "2026-06": ("SYNCED", False, True),
    }
    assert rows["2026-06"].report_key == f"320321110|{MEASURE}|2026-06"
    assert rows["2026-06"].figures["overall"] == [15, 6]
    with initialised.database.read() as session:
        actions = [
            (e.username, e.action)
            for e in session.scalars(
                select(AuditEvent).where(AuditEvent.action.like("sync.%")).order_by(AuditEvent.id)
            )
        ]
    assert actions == [
        ("zhuguan", "sync.queue"),
        ("zhuguan", "sync.deliver"),
        ("zhuguan", "sync.deliver"),
    ]


def test_open_month_resent_only_when_its_totals_change_and_final_month_kept(
    initialised: AppContext,
    world: SigningWorld,
    supervisor: Actor,
    fhir_server: Upstream,
    fhir_settings: UpstreamSettings,
    transport: Make,
) -> None:
    def sync(today: dt.date = TODAY) -> list[tuple[str, str]]:
        result = run_sync(
            initialised.database, supervisor, fhir_settings, today=today,
            transport=transport(fhir_settings),
        )  # fmt: skip
        assert result.exit_code == EXIT_OK
        return [(r.period, r.state) for r in result.results]

    assert len(sync()) == 2
    assert sync() == []  # nothing changed: nothing sent
    assert len(fhir_server.report_bodies()) == 2
    _sign_one_more(initialised, world)
    assert sync() == [("2026-06", "SYNCED")]  # the open month again, the final May kept
    assert len(fhir_server.reports) == 2  # replaced, not added
    [june] = fhir_server.fhir_by_identifier("320321110-2026-06")
    assert _count(june["group"][0], "numerator") == 7
    # July: June's final totals (as of 30 June) go once, with July's open month.
    assert sync(dt.date(2026, 7, 3)) == [("2026-06", "SYNCED"), ("2026-07", "SYNCED")]
    [june] = fhir_server.fhir_by_identifier("320321110-2026-06")
    assert june["status"] == "complete" and june["period"]["end"] == "2026-06-30"
    assert sync(dt.date(2026, 7, 4)) == []
    assert len(fhir_server.reports) == 3
    assert sorted(_rows(initialised)) == ["2026-05", "2026-06", "2026-07"]


def test_server_down_keeps_the_work_queued_with_full_jitter_backoff(
    initialised: AppContext,
    world: SigningWorld,
    supervisor: Actor,
    fhir_server: Upstream,
    fhir_settings: UpstreamSettings,
    transport: Make,
    waits: Waits,
) -> None:
    fhir_server.stop()
    result = run_sync(
        initialised.database, supervisor, fhir_settings, today=TODAY,
        transport=transport(fhir_settings, base=1.0, cap=4.0),
    )  # fmt: skip
    assert result.exit_code == EXIT_UNREACHABLE
    assert [(r.period, r.state, r.outcome.problem) for r in result.results] == [
        ("2026-05", "TO_POST", "unreachable")  # the run stops at the first: the server is gone
    ]
    assert len(waits) == 3  # retries=3
    assert all(0 <= wait <= bound for wait, bound in zip(waits, (1, 2, 4), strict=True))
    rows = _rows(initialised)
    assert {p: r.state for p, r in rows.items()} == {"2026-05": "TO_POST", "2026-06": "TO_POST"}
    assert rows["2026-05"].attempts == 1 and rows["2026-05"].problem == "unreachable"
    assert "ConnectError" in (rows["2026-05"].last_response or "")


def test_503_then_success(
    initialised: AppContext,
    world: SigningWorld,
    supervisor: Actor,
    fhir_server: Upstream,
    fhir_settings: UpstreamSettings,
    transport: Make,
    waits: Waits,
) -> None:
    fhir_server.faults.extend([status(503, b"maintenance"), status(502)])
    result = run_sync(
        initialised.database,
        supervisor,
        fhir_settings,
        today=TODAY,
        transport=transport(fhir_settings),
    )
    assert result.exit_code == EXIT_OK
    assert [r.state for r in result.results] == ["SYNCED", "SYNCED"]
    assert len(waits) == 2
    assert len(fhir_server.reports) == 2


def test_429_retry_after_is_honoured_and_a_long_one_ends_the_run(
    initialised: AppContext,
    world: SigningWorld,
    supervisor: Actor,
    fhir_server: Upstream,
    fhir_settings: UpstreamSettings,
    transport: Make,
    waits: Waits,
) -> None:
    fhir_server.faults.append(status(429, b"slow down", retry_after="7"))
    result = run_sync(
        initialised.database,
        supervisor,
        fhir_settings,
        today=TODAY,
        transport=transport(fhir_settings),
    )
    assert result.exit_code == EXIT_OK
    assert waits == [7.0]
    _sign_one_more(initialised, world)
    fhir_server.faults.append(status(429, b"come back tomorrow", retry_after="86400"))
    result = run_sync(
        initialised.database,
        supervisor,
        fhir_settings,
        today=TODAY,
        transport=transport(fhir_settings),
    )
    assert result.exit_code == EXIT_UNREACHABLE
    [june] = result.results
    assert (june.state, june.outcome.problem, june.outcome.http_status) == ("TO_POST", "wait", 429)
    assert waits == [7.0]  # it did not sleep a day
    assert _rows(initialised)["2026-06"].state == "TO_POST"


def test_response_lost_after_the_server_stored_the_report(
    initialised: AppContext,
    world: SigningWorld,
    supervisor: Actor,
    fhir_server: Upstream,
    transport: Make,
    waits: Waits,
) -> None:
    settings = UpstreamSettings(
        url=fhir_server.url, protocol="fhir", token="county-token", measure=MEASURE,
        timeout=0.5, retries=2,
    )  # fmt: skip
    fhir_server.faults.append(store_then_hang(1.5))
    result = run_sync(
        initialised.database, supervisor, settings, today=TODAY, transport=transport(settings)
    )
    assert result.exit_code == EXIT_OK
    assert len(waits) == 1  # the timeout was retried once
    puts = [r for r in fhir_server.received if r.method == "PUT"]
    assert len(puts) == 3  # May twice (the first answer lost), June once
    assert len(fhir_server.reports) == 2  # one report per key
    _sign_one_more(initialised, world)
    fhir_server.faults.append(store_then_hang(1.5))
    result = run_sync(
        initialised.database, supervisor, settings, today=TODAY, transport=transport(settings)
    )
    assert [r.state for r in result.results] == ["SYNCED"]
    [june] = fhir_server.fhir_by_identifier("320321110-2026-06")
    assert _count(june["group"][0], "numerator") == 7  # the latest figures
    assert len(fhir_server.reports) == 2


def test_401_is_an_error_for_a_person_not_retried_until_asked(
    initialised: AppContext,
    world: SigningWorld,
    supervisor: Actor,
    fhir_server: Upstream,
    fhir_settings: UpstreamSettings,
    transport: Make,
    waits: Waits,
) -> None:
    wrong = UpstreamSettings(**{**fhir_settings.__dict__, "token": "expired"})
    result = run_sync(
        initialised.database, supervisor, wrong, today=TODAY, transport=transport(wrong)
    )
    assert result.exit_code == EXIT_AUTH
    assert [(r.period, r.state, r.outcome.problem) for r in result.results] == [
        ("2026-05", "ERROR", "auth")
    ]
    assert waits == [] and len(fhir_server.received) == 1  # never retried
    rows = _rows(initialised)
    assert rows["2026-05"].last_response == "Unauthorized: bad token"
    assert rows["2026-06"].state == "TO_POST"
    # The automatic tries leave the refused report alone; they send what still waits.
    result = run_sync(
        initialised.database, supervisor, fhir_settings, today=TODAY, manual=False,
        transport=transport(fhir_settings),
    )  # fmt: skip
    assert [(r.period, r.state) for r in result.results] == [("2026-06", "SYNCED")]
    assert _rows(initialised)["2026-05"].state == "ERROR"
    # A person fixed the token and asks again: the refused report goes.
    result = run_sync(
        initialised.database,
        supervisor,
        fhir_settings,
        today=TODAY,
        transport=transport(fhir_settings),
    )
    assert [(r.period, r.state) for r in result.results] == [("2026-05", "SYNCED")]
    assert len(fhir_server.reports) == 2


@pytest.mark.parametrize(
    ("answer", "problem", "words"),
    [
        (status(200, b'{"resourceType": "MeasureReport", "id": '), "bad_answer", '"id":'),
        (status(200, b"<html>Welcome to the hotel wifi</html>"), "bad_answer", "hotel wifi"),
        (
            status(
                422,
                json.dumps(
                    {
                        "resourceType": "OperationOutcome",
                        "issue": [
                            {"severity": "error", "code": "invalid", "diagnostics": "度量不存在"}
                        ],
                    }
                ).encode(),
            ),
            "rejected",
            "度量不存在",
        ),
        (status(404, b'{"message": "no such endpoint"}'), "not_found", "no such endpoint"),
        (status(400, b"bad request"), "rejected", "bad request"),
    ],
)
def test_malformed_or_refusing_answers_go_to_error_with_the_servers_words(
    initialised: AppContext,
    world: SigningWorld,
    supervisor: Actor,
    fhir_server: Upstream,
    fhir_settings: UpstreamSettings,
    transport: Make,
    waits: Waits,
    answer: object,
    problem: str,
    words: str,
) -> None:
    fhir_server.faults.append(answer)  # type: ignore[arg-type]
    result = run_sync(
        initialised.database,
        supervisor,
        fhir_settings,
        today=TODAY,
        transport=transport(fhir_settings),
    )
    assert result.exit_code == EXIT_REJECTED
    first = result.results[0]
    assert (first.period, first.state, first.outcome.problem) == ("2026-05", "ERROR", problem)
    assert words in (_rows(initialised)["2026-05"].last_response or "")
    assert waits == []  # no retry of what a retry cannot fix
    assert _rows(initialised)["2026-05"].synced_hash is None


def test_one_report_in_flight_a_second_run_is_refused(
    initialised: AppContext,
    world: SigningWorld,
    supervisor: Actor,
    fhir_server: Upstream,
    fhir_settings: UpstreamSettings,
    transport: Make,
) -> None:
    release = threading.Event()
    fhir_server.faults.append(hold(release))
    lock = sync_lock_path(initialised.database)
    first: list[object] = []
    settings = UpstreamSettings(**{**fhir_settings.__dict__, "timeout": 10})
    worker = threading.Thread(
        target=lambda: first.append(
            run_sync(
                initialised.database, supervisor, settings, today=TODAY, lock_path=lock,
                transport=transport(settings),
            )
        )
    )  # fmt: skip
    worker.start()
    assert fhir_server.arrived.wait(10)
    assert _rows(initialised)["2026-05"].state == "UPLOADING"
    with pytest.raises(RuleViolation, match="Another sync of this database is running"):
        run_sync(
            initialised.database, supervisor, fhir_settings, today=TODAY, lock_path=lock,
            transport=transport(fhir_settings),
        )  # fmt: skip
    release.set()
    worker.join(30)
    assert len(fhir_server.reports) == 2


def test_dry_run_writes_and_sends_nothing_and_clerks_may_not_sync(
    initialised: AppContext,
    world: SigningWorld,
    supervisor: Actor,
    make_user: Callable[..., Actor],
    fhir_server: Upstream,
    fhir_settings: UpstreamSettings,
    transport: Make,
) -> None:
    result = run_sync(
        initialised.database, supervisor, fhir_settings, today=TODAY, dry_run=True,
        transport=transport(fhir_settings),
    )  # fmt: skip
    assert [(p.period, p.action) for p in result.prepared.plan] == [
        ("2026-05", "new"),
        ("2026-06", "new"),
    ]
    assert result.prepared.plan[1].figures is not None
    assert result.prepared.plan[1].figures.overall.numerator == 6
    assert _rows(initialised) == {} and fhir_server.received == []
    clerk = make_user("clerk", "luru")
    with pytest.raises(PermissionDenied):
        run_sync(
            initialised.database,
            clerk,
            fhir_settings,
            today=TODAY,
            transport=transport(fhir_settings),
        )


def test_settings_are_checked_before_anything_is_queued(
    initialised: AppContext, supervisor: Actor, fhir_settings: UpstreamSettings
) -> None:
    for changes, message in (
        ({"url": ""}, "No county server is set up"),
        ({"url": "http://county.example.cn/fhir"}, "must start with https://"),
        ({"url": "ftp://county"}, "is not a web address"),
        ({"measure": ""}, "measure address"),
        ({"ca_bundle": "/nonexistent/ca.pem"}, "CA bundle"),
    ):
        settings = UpstreamSettings(**{**fhir_settings.__dict__, **changes})
        with pytest.raises(RuleViolation, match=message):
            run_sync(initialised.database, supervisor, settings, today=TODAY)
    assert _rows(initialised) == {}


def test_a_crashed_upload_is_queued_again_by_the_next_run(
    initialised: AppContext,
    world: SigningWorld,
    supervisor: Actor,
    fhir_server: Upstream,
    fhir_settings: UpstreamSettings,
    transport: Make,
) -> None:
    """In-process half of the crash test (tests/crash has the kill -9): UPLOADING left over."""
    protocol_settings = fhir_settings
    from familydoc.sync.engine import protocol_for

    protocol = protocol_for(protocol_settings)
    with initialised.database.unit_of_work() as session:
        prepared = outbox.prepare(session, supervisor, protocol, today=TODAY, manual=False)
    with initialised.database.unit_of_work() as session:
        claimed = outbox.claim(session, prepared.to_send[0])
    assert claimed is not None and _rows(initialised)["2026-05"].state == "UPLOADING"
    result = run_sync(
        initialised.database, supervisor, fhir_settings, today=TODAY, manual=False,
        transport=transport(fhir_settings),
    )  # fmt: skip
    assert result.prepared.recovered == ("2026-05",)
    assert [r.state for r in result.results] == ["SYNCED", "SYNCED"]
    assert _rows(initialised)["2026-05"].attempts == 2


def test_nothing_personal_is_kept_in_the_outbox(
    initialised: AppContext, world: SigningWorld, supervisor: Actor, fhir_settings: UpstreamSettings
) -> None:
    """Team and doctor rows stay home: only villages and key populations are stratified."""
    from familydoc.sync.engine import protocol_for

    with initialised.database.unit_of_work() as session:
        outbox.prepare(session, supervisor, protocol_for(fhir_settings), today=TODAY, manual=True)
    for row in _rows(initialised).values():
        stratifiers = row.payload["group"][0]["stratifier"]
        assert [s["code"][0]["coding"][0]["code"] for s in stratifiers] == [
            "village",
            "key-population",
        ]
        assert set(row.figures) == {"overall", "villages", "populations"}
