"""No personal data leaves: every byte the county server received is searched for the name,
ID number, phone and address of every resident (and guardian, and household) on file."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select
from upstream_server import Upstream

from familydoc.core import auth
from familydoc.core.context import AppContext
from familydoc.core.demo import create_demo
from familydoc.core.models import Contract, Household, Resident, User, Village
from familydoc.sync.engine import EXIT_OK, run_sync
from familydoc.sync.settings import UpstreamSettings
from familydoc.sync.transport import Transport

DEMO_DAY = dt.date(2026, 6, 20)


def _personal_values(context: AppContext) -> set[str]:
    values: set[str] = set()
    with context.database.read() as session:
        for row in session.execute(
            select(
                Resident.name,
                Resident.id_number,
                Resident.phone,
                Resident.address,
                Resident.guardian_name,
                Resident.guardian_id_number,
                Resident.guardian_phone,
            )
        ):
            values.update(v for v in row if v)
        values.update(a for a in session.scalars(select(Household.address)) if a)
        values.update(
            v
            for row in session.execute(
                select(Contract.guardian_name, Contract.guardian_id_number, Contract.guardian_phone)
            )
            for v in row
            if v
        )
    return values


@pytest.mark.parametrize("protocol", ["fhir", "dhis2"])
def test_no_payload_carries_personal_data(
    context: AppContext,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    protocol: str,
    mapping_file: Path,
    transport: Callable[..., Transport],
) -> None:
    monkeypatch.setattr(auth, "_hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    with context.database.unit_of_work() as session:
        create_demo(session, residents=300, seed=7, today=DEMO_DAY)
    with context.database.unit_of_work() as session:
        supervisor = session.scalar(select(User.username).where(User.role == "supervisor"))
        assert supervisor is not None
        admin = auth.actor_for(session, supervisor)
    server = Upstream(protocol, "county-token").start()
    try:
        settings = UpstreamSettings(
            url=server.url,
            protocol=protocol,
            token="county-token",
            measure="https://wjw.example-county.gov.cn/fhir/Measure/signing",
            mapping=str(mapping_file),
            timeout=5,
            retries=0,
        )
        if protocol == "dhis2":
            mapping_file.write_text(_demo_mapping(context), encoding="utf-8")
        result = run_sync(
            context.database, admin, settings, today=DEMO_DAY, transport=transport(settings)
        )
        assert result.exit_code == EXIT_OK
        sent = b"\n".join(
            r.body + repr(r.query).encode() + repr(r.headers).encode() for r in server.received
        )
    finally:
        server.stop()
    assert len(server.report_bodies()) == 2
    personal = _personal_values(context)
    assert len(personal) > 600  # names, ID numbers, phones, addresses of 300 residents
    leaked = sorted(value for value in personal if value.encode("utf-8") in sent)
    assert leaked == []
    # Nor any part of one: the only long digit runs sent are village division codes.
    villages = _village_codes(context)
    runs = set(re.findall(r"\d{11,}", sent.decode("utf-8", errors="replace")))
    assert runs <= villages


def _demo_mapping(context: AppContext) -> str:
    with context.database.read() as session:
        codes = list(session.scalars(select(Village.code).order_by(Village.code)))
    lines = ['org_unit = "DemoTown001"', ""]
    for index, code in enumerate(codes):
        lines += [
            "[[value]]",
            f'figure = "village:{code}"',
            'count = "numerator"',
            'data_element = "SignedDE001"',
            f'org_unit = "Village{index:04d}"',
            "",
        ]
    lines += ["[[value]]", 'figure = "overall"', 'count = "denominator"', 'data_element = "D1"']
    return "\n".join(lines) + "\n"


def _village_codes(context: AppContext) -> set[str]:
    with context.database.read() as session:
        return set(session.scalars(select(Village.code)))
