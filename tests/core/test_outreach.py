"""The outreach list as a work list (``core.outreach``, ``core.call_list``): who is on it
through renewals and contracts signed ahead, recording contact results, the export."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from pathlib import Path

import pytest
from coverage_world import (
    DAY,
    EXPECTED,
    OUTREACH_ENDING,
    OUTREACH_UNSIGNED,
    VILLAGE_CODE,
    CoverageWorld,
    build_coverage_world,
)
from pypdf import PdfReader
from sqlalchemy import func, select

from familydoc.core.auth import Actor
from familydoc.core.call_list import export_outreach
from familydoc.core.context import AppContext
from familydoc.core.errors import PermissionDenied, RuleViolation
from familydoc.core.models import AuditEvent, OutreachContact
from familydoc.core.outreach import ContactInput, contact_figures, record_contact
from familydoc.core.statistics import OutreachFilter, outreach_query
from familydoc.printing.summary_pdf import export_call_list_pdf

D = dt.date


@pytest.fixture
def world(initialised: AppContext) -> CoverageWorld:
    return build_coverage_world(initialised.database)


def _listed(world: CoverageWorld, actor: Actor, **filters: object) -> dict[str, dict]:
    query = outreach_query(actor, OutreachFilter(as_of=DAY, **filters))  # type: ignore[arg-type]
    with world.database.read() as session:
        rows = query.fetch(session, 0, 1000)
        assert query.count(session) == len(rows)
    return {world.key_of(row[0]): dict(zip(query.columns, row, strict=True)) for row in rows}


def _contact(world: CoverageWorld, actor: Actor, key: str, **fields: object) -> None:
    entry = ContactInput(resident_id=world.residents[key], **fields)  # type: ignore[arg-type]
    with world.database.unit_of_work() as session:
        record_contact(session, actor, entry, today=DAY)


def test_the_list_follows_coverage_through_renewals_and_leaves_out_the_presigned(
    world: CoverageWorld, admin: Actor
) -> None:
    rows = _listed(world, admin)
    assert {k for k, r in rows.items() if r["state"] == "unsigned"} == OUTREACH_UNSIGNED
    assert {k for k, r in rows.items() if r["state"] == "ending"} == OUTREACH_ENDING
    for key in OUTREACH_ENDING:
        assert rows[key]["contract_end"] == EXPECTED[key][1]  # the chain's end
    assert "a8" not in rows and "a3" not in rows and "a14" not in rows
    wider = _listed(world, admin, ending_within_days=60)
    assert set(wider) == OUTREACH_UNSIGNED | OUTREACH_ENDING | {"a16"}
    widest = _listed(world, admin, ending_within_days=90)
    assert set(widest) - set(wider) == {"a1"}


def test_recording_a_contact_is_audited_and_shown_as_the_last_one(
    world: CoverageWorld, admin: Actor, make_user: Callable[..., Actor]
) -> None:
    doctor = make_user("doctor")
    _contact(world, doctor, "a9", contacted_on=D(2026, 6, 1), result="unreachable")
    _contact(
        world,
        doctor,
        "a9",
        contacted_on=D(2026, 6, 10),
        result="declined",
        reason="away_long",
        next_contact_on=D(2026, 7, 1),
    )
    _contact(world, doctor, "a2", contacted_on=D(2026, 6, 12), result="agreed")
    _contact(
        world, doctor, "a10", contacted_on=D(2026, 6, 14), result="declined", reason="other",
        note="要和子女商量", next_contact_on=D(2026, 6, 15),
    )  # fmt: skip
    rows = _listed(world, admin)
    last = rows["a9"]
    assert (last["contact_result"], last["contact_reason"], last["contacted_on"]) == (
        "declined",
        "away_long",
        D(2026, 6, 10),
    )
    assert last["next_contact_on"] == D(2026, 7, 1) and last["contacted_by"]
    assert rows["a11"]["contact_result"] is None
    # a contact after the day is not yet the last one on the day
    before = outreach_query(admin, OutreachFilter(as_of=D(2026, 6, 5)))
    with world.database.read() as session:
        early = {world.key_of(r[0]): r for r in before.fetch(session, 0, 100)}
    assert early["a9"][before.columns.index("contact_result")] == "unreachable"
    assert set(_listed(world, admin, contact="declined")) == {"a9", "a10"}
    assert set(_listed(world, admin, contact="agreed")) == {"a2"}
    assert "a9" not in _listed(world, admin, contact="never")
    assert set(_listed(world, admin, contact="due")) == {"a10"}  # next contact on the day
    with world.database.read() as session:
        events = session.execute(
            select(AuditEvent.entity_id, AuditEvent.changes)
            .where(AuditEvent.action == "outreach.contact")
            .order_by(AuditEvent.id)
        ).all()
    assert len(events) == 4
    assert events[1].changes["reason"] == "away_long"
    assert events[1].entity_id == str(world.residents["a9"])


@pytest.mark.parametrize(
    "fields",
    [
        {"result": "declined"},  # no reason
        {"result": "declined", "reason": "other"},  # other without a note
        {"result": "maybe"},
        {"result": "agreed", "next_contact_on": D(2026, 6, 1)},  # not after the call
        {"result": "agreed", "contacted_on": DAY + dt.timedelta(days=1)},  # in the future
        {"result": "unreachable", "note": "长" * 201},
    ],
)
def test_bad_contacts_are_refused_and_nothing_is_written(
    world: CoverageWorld, admin: Actor, fields: dict[str, object]
) -> None:
    fields = {"contacted_on": D(2026, 6, 10), **fields}
    with pytest.raises(RuleViolation):
        _contact(world, admin, "a9", **fields)
    with world.database.read() as session:
        assert session.scalar(select(func.count()).select_from(OutreachContact)) == 0
        assert (
            session.scalar(
                select(func.count())
                .select_from(AuditEvent)
                .where(AuditEvent.action == "outreach.contact")
            )
            == 0
        )


def test_a_clerk_may_not_record_contacts(
    world: CoverageWorld, make_user: Callable[..., Actor]
) -> None:
    with pytest.raises(PermissionDenied):
        _contact(world, make_user("clerk"), "a9", contacted_on=DAY, result="agreed")


def test_contacts_are_counted_per_village_and_team(world: CoverageWorld, admin: Actor) -> None:
    _contact(world, admin, "a9", contacted_on=D(2026, 6, 1), result="unreachable")
    _contact(world, admin, "a9", contacted_on=D(2026, 6, 9), result="declined", reason="refused")
    _contact(world, admin, "a10", contacted_on=D(2026, 6, 2), result="unreachable")
    _contact(world, admin, "a2", contacted_on=D(2026, 6, 3), result="agreed")
    _contact(world, admin, "a11", contacted_on=D(2026, 5, 1), result="agreed")  # before
    with world.database.read() as session:
        figures = contact_figures(session, D(2026, 6, 1), DAY)
    by_key = {(f.dimension, f.key): f for f in figures}
    village = by_key[("village", VILLAGE_CODE)]
    # a9's last contact in the period decides: declined (refused), not unreachable
    assert (village.contacted, village.agreed, village.declined, village.unreachable) == (
        3, 1, 1, 1,
    )  # fmt: skip
    assert village.declined_by_reason["refused"] == 1
    assert sum(village.declined_by_reason.values()) == 1
    team = by_key[("team", str(world.team_id))]
    assert (team.contacted, team.label) == (3, "河村团队")
    assert by_key[("overall", "all")].contacted == 3


def test_export_outreach_csv_layout_masked(
    world: CoverageWorld, admin: Actor, tmp_path: Path
) -> None:
    _contact(
        world, admin, "a9", contacted_on=D(2026, 6, 10), result="declined", reason="away_long",
        next_contact_on=D(2026, 7, 1),
    )  # fmt: skip
    path = tmp_path / "outreach.csv"
    filters = OutreachFilter(as_of=DAY, village_code=VILLAGE_CODE)
    with world.database.unit_of_work() as session:
        result = export_outreach(session, admin, filters, path)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == [
        "姓名", "身份证号", "村居", "户号", "联系电话", "重点人群", "状态", "签约至",
        "最近联系结果", "下次联系日期",
    ]  # fmt: skip
    assert result.rows == len(rows) - 1 == len(OUTREACH_UNSIGNED | OUTREACH_ENDING)
    body = {row[0]: row for row in rows[1:]}
    a9, a5 = body[world.names["a9"]], body[world.names["a5"]]
    assert "********" in a9[1] and "****" in a9[4]
    assert (a9[6], a9[7], a9[9]) == ("未签约", "", "2026-07-01")
    assert a9[8].startswith("暂不签约（长期外出） 2026-06-10")
    assert (a5[6], a5[7]) == ("即将到期", "2026-06-30")
    assert world.names["a8"] not in body and world.names["a3"] not in body
    with world.database.read() as session:
        changes = session.scalars(
            select(AuditEvent.changes).where(AuditEvent.action == "export.call_list")
        ).one()
    assert changes["rows"] == result.rows and changes["unmasked"] is False


def test_call_list_pdf_prints_the_last_contact(
    world: CoverageWorld, admin: Actor, tmp_path: Path
) -> None:
    _contact(world, admin, "a9", contacted_on=D(2026, 6, 10), result="unreachable")
    path = tmp_path / "calls.pdf"
    with world.database.unit_of_work() as session:
        result = export_call_list_pdf(session, admin, OutreachFilter(as_of=DAY), path)
    text = "".join(page.extract_text() for page in PdfReader(path).pages)
    assert result.rows == 8
    assert "无法联系" in text and "最近联系" in text and "本次联系结果" in text
    assert world.names["a9"] in text and world.names["a8"] not in text
