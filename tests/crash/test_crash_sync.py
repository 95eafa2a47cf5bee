"""Pull the plug while uploading: ``kill -9`` a real ``sync`` process while the county server
holds its request, once before the server stored the report and once after (the answer
lost with the process). The next run finishes the job, and the server holds one report per
key with the figures of the database."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from crash_harness import check_survivor, crash
from signing_world import build_world
from sqlalchemy import select
from upstream_server import Upstream, hold, store_then_hang

from familydoc.core.auth import Actor
from familydoc.core.context import AppContext
from familydoc.core.models import SyncOutbox
from familydoc.core.statistics import signing_summary
from familydoc.sync.engine import EXIT_OK, run_sync, sync_lock_path
from familydoc.sync.settings import UpstreamSettings

pytestmark = pytest.mark.slow
TODAY = dt.date(2026, 6, 15)
MEASURE = "https://wjw.example-county.gov.cn/fhir/Measure/family-doctor-signing-rate"


@pytest.mark.parametrize("stored", [False, True], ids=["before-storing", "after-storing"])
def test_kill_while_uploading_then_the_next_run_finishes_without_duplicates(
    initialised: AppContext, admin: Actor, stored: bool
) -> None:
    build_world(initialised.database)
    server = Upstream("fhir", "county-token").start()
    release = threading.Event()
    try:
        config = initialised.config()
        for key, value in (
            ("upstream.url", server.url),
            ("upstream.protocol", "fhir"),
            ("upstream.token", "county-token"),
            ("upstream.measure", MEASURE),
            ("upstream.timeout", "60"),
        ):
            config.set(key, value)
        server.faults.append(store_then_hang(60) if stored else hold(release))
        killed = crash(
            initialised.home,
            "sync_work:sync_once",
            "admin",
            TODAY.isoformat(),
            kill_when=lambda lines: "syncing" in lines and server.arrived.wait(30),
            timeout=90,
        )
        assert killed.killed, killed.lines
        assert "exit 0" not in killed.lines
        with initialised.database.read() as session:
            states = dict(session.execute(select(SyncOutbox.period, SyncOutbox.state)).all())
        assert states == {"2026-05": "UPLOADING", "2026-06": "TO_POST"}
        assert len(server.reports) == (1 if stored else 0)
        check_survivor(initialised.home)

        settings = UpstreamSettings.from_config(initialised.config())
        settings = UpstreamSettings(**{**settings.__dict__, "timeout": 5})
        result = run_sync(
            initialised.database,
            admin,
            settings,
            today=TODAY,
            manual=False,
            lock_path=sync_lock_path(initialised.database),  # the dead process's lock is free
        )
        assert result.exit_code == EXIT_OK
        assert result.prepared.recovered == ("2026-05",)
        assert [(r.period, r.state) for r in result.results] == [
            ("2026-05", "SYNCED"),
            ("2026-06", "SYNCED"),
        ]
    finally:
        release.set()
        server.stop()
    puts = [r for r in server.received if r.method == "PUT"]
    assert len(puts) == 3  # May twice (the killed try and the finishing one), June once
    assert len(server.reports) == 2  # one report per key: no duplicate
    with initialised.database.read() as session:
        may = signing_summary(session, dt.date(2026, 5, 31)).overall
    [report] = server.fhir_by_identifier("320321110-2026-05")
    numerator = next(
        p["count"]
        for p in report["group"][0]["population"]
        if p["code"]["coding"][0]["code"] == "numerator"
    )
    assert numerator == may.numerator
