"""DHIS2 reporting against a real server on 127.0.0.1: the data value set, both shapes of
the import summary, conflicts kept as the server said them, the mapping file."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from signing_world import EXPECTED_OVERALL, SigningWorld
from sqlalchemy import select
from sync_data import MAPPING, TODAY, Waits
from upstream_server import Upstream, status, store_then_hang

from familydoc.core.auth import Actor
from familydoc.core.context import AppContext
from familydoc.core.errors import RuleViolation
from familydoc.core.models import SyncOutbox
from familydoc.sync.dhis2 import load_mapping, parse_import_summary
from familydoc.sync.engine import (
    EXIT_AUTH,
    EXIT_OK,
    EXIT_REJECTED,
    EXIT_UNREACHABLE,
    SyncResult,
    check_connection,
    run_sync,
)
from familydoc.sync.settings import UpstreamSettings
from familydoc.sync.transport import Transport

Make = Callable[..., Transport]
REPO = Path(__file__).resolve().parents[2]


def _sync(context: AppContext, actor: Actor, settings: UpstreamSettings, make: Make) -> SyncResult:
    return run_sync(context.database, actor, settings, today=TODAY, transport=make(settings))


def _state(context: AppContext) -> dict[str, tuple[str, str | None]]:
    with context.database.read() as session:
        return {
            row.period: (row.state, row.last_response)
            for row in session.scalars(select(SyncOutbox))
        }


@pytest.mark.parametrize("shape", ["old", "wrapped"])
def test_values_placed_by_the_mapping_reach_the_server(
    initialised: AppContext,
    world: SigningWorld,
    supervisor: Actor,
    dhis2_server: Upstream,
    dhis2_settings: UpstreamSettings,
    transport: Make,
    shape: str,
) -> None:
    dhis2_server.shape = shape
    result = _sync(initialised, supervisor, dhis2_settings, transport)
    assert result.exit_code == EXIT_OK
    assert [(r.period, r.state) for r in result.results] == [
        ("2026-05", "SYNCED"),
        ("2026-06", "SYNCED"),
    ]
    posts = [r for r in dhis2_server.received if r.method == "POST"]
    assert [r.path for r in posts] == ["/dhis/api/dataValueSets"] * 2
    assert all(r.query == {"importStrategy": ["CREATE_AND_UPDATE"]} for r in posts)
    assert all(r.headers["authorization"] == "ApiToken county-token" for r in posts)
    june = json.loads(posts[1].body)
    assert (june["period"], june["orgUnit"], june["dataSet"]) == (
        "202606",
        "TownOU00001",
        "SignDS00001",
    )
    values = dhis2_server.values
    assert values[("202606", "TownOU00001", "SignedDE001", "default", "default")] == str(
        EXPECTED_OVERALL[1]
    )
    assert values[("202606", "TownOU00001", "DenomDE0001", "default", "default")] == str(
        EXPECTED_OVERALL[0]
    )
    assert values[("202606", "EastVil0001", "SignedDE001", "default", "default")] == "3"
    assert values[("202606", "TownOU00001", "DenomDE0001", "Elderly0001", "default")] == "3"
    assert values[("202606", "TownOU00001", "SignedDE001", "Elderly0001", "default")] == "2"
    assert len(values) == 10  # five values for each of two months
    assert "imported 5" in (_state(initialised)["2026-06"][1] or "")


def test_conflicts_make_a_warning_with_the_servers_words(
    initialised: AppContext,
    world: SigningWorld,
    supervisor: Actor,
    dhis2_server: Upstream,
    dhis2_settings: UpstreamSettings,
    transport: Make,
) -> None:
    dhis2_server.unknown_elements = {"DenomDE0001"}
    result = _sync(initialised, supervisor, dhis2_settings, transport)
    assert result.exit_code == EXIT_REJECTED
    assert [(r.state, r.outcome.problem, r.outcome.http_status) for r in result.results] == [
        ("WARNING", "conflicts", 409),
        ("WARNING", "conflicts", 409),
    ]
    state, words = _state(initialised)["2026-06"]
    assert state == "WARNING"
    assert words is not None
    assert "Data element not found or not accessible: `DenomDE0001`" in words
    assert "E7610" in words and "ignored 2" in words
    # Accepted with warnings: not sent again until the figures change.
    assert _sync(initialised, supervisor, dhis2_settings, transport).results == ()


def test_old_summary_with_conflicts_is_a_warning_too(
    initialised: AppContext,
    world: SigningWorld,
    supervisor: Actor,
    dhis2_server: Upstream,
    dhis2_settings: UpstreamSettings,
    transport: Make,
) -> None:
    dhis2_server.shape = "old"
    dhis2_server.unknown_elements = {"SignedDE001"}
    result = _sync(initialised, supervisor, dhis2_settings, transport)
    assert [(r.state, r.outcome.http_status) for r in result.results] == [
        ("WARNING", 200),
        ("WARNING", 200),
    ]
    assert "`SignedDE001`" in (_state(initialised)["2026-05"][1] or "")


def test_response_lost_unchanged_values_on_the_repeat_are_no_warning(
    initialised: AppContext,
    world: SigningWorld,
    supervisor: Actor,
    dhis2_server: Upstream,
    dhis2_settings: UpstreamSettings,
    transport: Make,
    waits: Waits,
) -> None:
    settings = UpstreamSettings(**{**dhis2_settings.__dict__, "timeout": 0.5})
    dhis2_server.faults.append(store_then_hang(1.5))
    result = _sync(initialised, supervisor, settings, transport)
    assert [r.state for r in result.results] == ["SYNCED", "SYNCED"]
    assert len(waits) == 1
    assert "ignored 5" in (_state(initialised)["2026-05"][1] or "")  # the repeat changed nothing
    assert len(dhis2_server.values) == 10


@pytest.mark.parametrize(
    ("fault", "code", "state", "problem"),
    [
        (
            status(401, b'{"httpStatusCode": 401, "message": "Unauthorized"}'),
            EXIT_AUTH,
            "ERROR",
            "auth",
        ),
        (status(200, b"{'status': 'OK'"), EXIT_REJECTED, "ERROR", "bad_answer"),
        (status(200, b'{"status": "OK"}'), EXIT_REJECTED, "ERROR", "bad_answer"),
        (status(503), EXIT_UNREACHABLE, "TO_POST", "unreachable"),
    ],
)
def test_refusals_and_unreadable_answers(
    initialised: AppContext,
    world: SigningWorld,
    supervisor: Actor,
    dhis2_server: Upstream,
    dhis2_settings: UpstreamSettings,
    transport: Make,
    fault: object,
    code: int,
    state: str,
    problem: str,
) -> None:
    settings = UpstreamSettings(**{**dhis2_settings.__dict__, "retries": 0})
    dhis2_server.faults.append(fault)  # type: ignore[arg-type]
    result = _sync(initialised, supervisor, settings, transport)
    assert result.exit_code == code
    assert (result.results[0].state, result.results[0].outcome.problem) == (state, problem)


def test_an_import_that_failed_as_a_whole_is_an_error() -> None:
    summary = parse_import_summary(
        {
            "httpStatus": "Conflict",
            "httpStatusCode": 409,
            "status": "ERROR",
            "message": "An error occurred, please check import summary.",
            "response": {
                "responseType": "ImportSummary",
                "status": "ERROR",
                "description": "Period not valid: 2026-06",
                "importCount": {"imported": 0, "updated": 0, "ignored": 3, "deleted": 0},
                "conflicts": [],
            },
        }
    )
    assert summary is not None
    assert (summary.status, summary.ignored) == ("ERROR", 3)
    assert "Period not valid" in summary.words() and "check import summary" in summary.words()
    bare = parse_import_summary(
        {
            "responseType": "ImportSummary",
            "status": "SUCCESS",
            "importCount": {"imported": 2, "updated": 1, "ignored": 0, "deleted": 0},
        }
    )
    assert bare is not None and (bare.imported, bare.updated, bare.conflicts) == (2, 1, ())
    assert parse_import_summary({"message": "hello"}) is None
    assert parse_import_summary(["not", "a", "summary"]) is None


def test_sample_mapping_is_valid_and_bad_mappings_are_explained(tmp_path: Path) -> None:
    sample = load_mapping(str(REPO / "resources" / "sync" / "dhis2_mapping.sample.toml"))
    assert sample.org_unit and sample.values
    as_json = tmp_path / "mapping.json"
    as_json.write_text(
        json.dumps(
            {
                "org_unit": "TownOU00001",
                "value": [
                    {"figure": "overall", "count": "numerator", "data_element": "X1234567890"}
                ],
            }
        ),
        encoding="utf-8",
    )
    assert load_mapping(str(as_json)).values[0].data_element == "X1234567890"
    for text, reason in (
        ('org_unit = "A"\n', "maps no value"),
        (MAPPING.replace('org_unit = "TownOU00001"\n', ""), "org_unit is missing"),
        (MAPPING.replace('figure = "overall"', 'figure = "team:1"', 1), "value 1: figure"),
        (MAPPING.replace('count = "numerator"', 'count = "rate"', 1), "count must be"),
        (MAPPING.replace("DenomDE0001", "SignedDE001", 1), "mapped twice"),
        ("org_unit = [", "cannot be used"),
    ):
        path = tmp_path / "bad.toml"
        path.write_text(text, encoding="utf-8")
        with pytest.raises(RuleViolation, match=reason):
            load_mapping(str(path))
    with pytest.raises(RuleViolation, match="cannot be used"):
        load_mapping(str(tmp_path / "missing.toml"))


def test_mapping_naming_an_unknown_village_is_refused_before_anything_is_queued(
    initialised: AppContext,
    world: SigningWorld,
    supervisor: Actor,
    dhis2_settings: UpstreamSettings,
    mapping_file: Path,
    transport: Make,
) -> None:
    mapping_file.write_text(MAPPING.replace("320321110201", "320321110299"), encoding="utf-8")
    with pytest.raises(RuleViolation, match="village:320321110299"):
        _sync(initialised, supervisor, dhis2_settings, transport)
    assert _state(initialised) == {}


def test_connection_check(
    dhis2_server: Upstream, dhis2_settings: UpstreamSettings, transport: Make
) -> None:
    assert check_connection(dhis2_settings, transport(dhis2_settings)).ok
    wrong = UpstreamSettings(**{**dhis2_settings.__dict__, "token": "old"})
    checked = check_connection(wrong, transport(wrong))
    assert (checked.ok, checked.problem, checked.http_status) == (False, "auth", 401)
    dhis2_server.stop()
    down = check_connection(dhis2_settings, transport(dhis2_settings))
    assert (down.ok, down.problem) == (False, "unreachable")
