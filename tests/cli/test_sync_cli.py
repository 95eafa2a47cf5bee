"""``familydoc sync`` as scripts use it: a real process against a real server on 127.0.0.1,
and the exit codes of DESIGN.md."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from signing_world import SigningWorld, build_world
from sqlalchemy import select
from test_cli import ADMIN_PASSWORD, run_cli
from upstream_server import Upstream, status

from familydoc.core.context import AppContext
from familydoc.core.models import AuditEvent, SyncOutbox

MEASURE = "https://wjw.example-county.gov.cn/fhir/Measure/family-doctor-signing-rate"
MAPPING = """\
org_unit = "TownOU00001"
[[value]]
figure = "overall"
count = "numerator"
data_element = "SignedDE001"
[[value]]
figure = "overall"
count = "denominator"
data_element = "DenomDE0001"
"""


@pytest.fixture
def world(initialised: AppContext) -> SigningWorld:
    return build_world(initialised.database)


@pytest.fixture
def server(request: pytest.FixtureRequest) -> Iterator[Upstream]:
    upstream = Upstream(getattr(request, "param", "fhir"), "county-token").start()
    yield upstream
    upstream.stop()


def _configure(context: AppContext, server: Upstream, **extra: str) -> None:
    config = context.config()
    settings = {
        "upstream.url": server.url,
        "upstream.protocol": server.protocol,
        "upstream.token": "county-token",
        "upstream.measure": MEASURE,
        "upstream.retries": "0",
        "upstream.timeout": "5",
        **extra,
    }
    for key, value in settings.items():
        config.set(key, value)


def _sync(context: AppContext, *args: str, lang: str = "en") -> tuple[int, str, str]:
    result = run_cli(
        "sync", *args, "--user", "admin", home=context.home.path, password=ADMIN_PASSWORD, lang=lang
    )
    return result.returncode, result.stdout, result.stderr


def _states(context: AppContext) -> list[str]:
    with context.database.read() as session:
        return list(session.scalars(select(SyncOutbox.state).order_by(SyncOutbox.period)))


def test_sync_delivers_then_has_nothing_to_send(
    initialised: AppContext, world: SigningWorld, server: Upstream
) -> None:
    _configure(initialised, server)
    code, out, err = _sync(initialised)
    assert code == 0, err
    assert "(final): Delivered (HTTP 201)" in out and "(open month): Delivered" in out
    assert "Done: 2 reports delivered to the county server." in out
    assert len(server.reports) == 2 and _states(initialised) == ["SYNCED", "SYNCED"]
    code, out, _ = _sync(initialised)
    assert code == 0
    assert "Nothing to send: the county server has the latest figures." in out
    with initialised.database.read() as session:
        actions = list(
            session.scalars(
                select(AuditEvent.action)
                .where(AuditEvent.action.like("sync.%"))
                .order_by(AuditEvent.id)
            )
        )
    assert actions == ["sync.queue", "sync.deliver", "sync.deliver"]


def test_dry_run_shows_and_sends_nothing(
    initialised: AppContext, world: SigningWorld, server: Upstream
) -> None:
    _configure(initialised, server)
    code, out, err = _sync(initialised, "--dry-run")
    assert code == 0, err
    assert "new report" in out and "Dry run: nothing was queued or sent." in out
    assert server.received == [] and _states(initialised) == []


def test_server_down_exit_3_work_stays_queued(
    initialised: AppContext, world: SigningWorld, server: Upstream
) -> None:
    _configure(initialised, server)
    server.stop()
    code, out, _ = _sync(initialised)
    assert code == 3
    assert "The county server could not be reached" in out
    assert "2 reports stay queued" in out
    assert _states(initialised) == ["TO_POST", "TO_POST"]


def test_token_refused_exit_5(
    initialised: AppContext, world: SigningWorld, server: Upstream
) -> None:
    _configure(initialised, server, **{"upstream.token": "expired"})
    code, out, _ = _sync(initialised)
    assert code == 5
    assert "did not accept the access token" in out and "Unauthorized: bad token" in out
    assert _states(initialised) == ["ERROR", "TO_POST"]


def test_rejected_exit_4_and_chinese_words(
    initialised: AppContext, world: SigningWorld, server: Upstream
) -> None:
    _configure(initialised, server)
    server.faults.append(status(422, b'{"message": "measure unknown"}'))
    code, out, _ = _sync(initialised, lang="zh_CN")
    assert code == 4
    assert "错误" in out and "县" in out and "measure unknown" in out


@pytest.mark.parametrize("server", ["dhis2"], indirect=True)
def test_dhis2_conflicts_exit_4(
    initialised: AppContext, world: SigningWorld, server: Upstream, tmp_path: Path
) -> None:
    mapping = tmp_path / "mapping.toml"
    mapping.write_text(MAPPING, encoding="utf-8")
    _configure(initialised, server, **{"upstream.mapping": str(mapping)})
    server.unknown_elements = {"DenomDE0001"}
    code, out, _ = _sync(initialised)
    assert code == 4
    assert "Warning (HTTP 409)" in out and "`DenomDE0001`" in out
    assert _states(initialised) == ["WARNING", "WARNING"]


def test_no_server_set_up_exit_1(initialised: AppContext, world: SigningWorld) -> None:
    code, _, err = _sync(initialised)
    assert code == 1
    assert "No county server is set up" in err
