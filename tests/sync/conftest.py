"""Sync fixtures: the hand-counted township, a county server on 127.0.0.1, fast backoff."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from signing_world import SigningWorld, build_world
from sync_data import MAPPING, MEASURE, TOKEN, Waits
from upstream_server import Upstream

from familydoc.core.auth import Actor
from familydoc.core.context import AppContext
from familydoc.sync.settings import UpstreamSettings
from familydoc.sync.transport import RetryPolicy, Transport


@pytest.fixture
def world(initialised: AppContext) -> SigningWorld:
    return build_world(initialised.database)


@pytest.fixture
def fhir_server() -> Iterator[Upstream]:
    server = Upstream("fhir", TOKEN).start()
    yield server
    server.stop()


@pytest.fixture
def dhis2_server() -> Iterator[Upstream]:
    server = Upstream("dhis2", TOKEN).start()
    yield server
    server.stop()


@pytest.fixture
def mapping_file(tmp_path: Path) -> Path:
    path = tmp_path / "dhis2_mapping.toml"
    path.write_text(MAPPING, encoding="utf-8")
    return path


@pytest.fixture
def fhir_settings(fhir_server: Upstream) -> UpstreamSettings:
    return UpstreamSettings(
        url=fhir_server.url, protocol="fhir", token=TOKEN, measure=MEASURE, timeout=2, retries=3
    )


@pytest.fixture
def dhis2_settings(dhis2_server: Upstream, mapping_file: Path) -> UpstreamSettings:
    return UpstreamSettings(
        url=dhis2_server.url,
        protocol="dhis2",
        token=TOKEN,
        mapping=str(mapping_file),
        timeout=2,
        retries=3,
    )


@pytest.fixture
def waits() -> Waits:
    return Waits()


@pytest.fixture
def transport(waits: Waits) -> Callable[..., Transport]:
    made: list[Transport] = []

    def make(settings: UpstreamSettings, **policy: float) -> Transport:
        result = Transport(
            settings,
            policy=RetryPolicy(retries=settings.retries, **policy),  # type: ignore[arg-type]
            sleep=waits.append,
        )
        made.append(result)
        return result

    yield make  # type: ignore[misc]
    for item in made:
        item.close()


@pytest.fixture
def supervisor(make_user: Callable[..., Actor]) -> Actor:
    return make_user("supervisor", "zhuguan")
