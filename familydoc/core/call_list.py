"""The outreach list on paper and in files: the call list PDF's rows and the export.

Both read ``familydoc.core.statistics.outreach_query`` (coverage as of the day, the last
contact of each resident), masked as the other lists unless allowed and asked. The
export's layout is the command line's contract (DESIGN.md, ``export outreach``):
姓名, 身份证号, 村居, 户号, 联系电话, 重点人群, 状态 (未签约 | 即将到期), 签约至, 最近联系结果,
下次联系日期 — CSV UTF-8 with a byte-order mark, or a workbook (the PDF is
``familydoc.printing.summary_pdf.call_list_pdf``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from familydoc.core.auth import Actor, Permission, require
from familydoc.core.errors import QT_TRANSLATE_NOOP, RuleViolation
from familydoc.core.exports import (
    INTEGER,
    OUTREACH_STATE_LABELS,
    SEX_LABELS,
    Column,
    ExportResult,
    _write_atomically,
    _write_list,
    format_of,
    record_export,
)
from familydoc.core.models import Village
from familydoc.core.statistics import (
    OUTREACH_COLUMNS,
    POPULATION_LABELS,
    OutreachFilter,
    outreach_query,
)
from familydoc.core.vocabulary import contact_text

OUTREACH_FORMATS = ("csv", "xlsx", "pdf")
_AT = {name: index for index, name in enumerate(OUTREACH_COLUMNS)}

OUTREACH_EXPORT_COLUMNS = (
    Column("姓名", None, 10),
    Column("身份证号", None, 21),
    Column("村居", None, 12),
    Column("户号", None, 12),
    Column("联系电话", None, 14),
    Column("重点人群", None, 24),
    Column("状态", None, 10),
    Column("签约至", None, 12),
    Column("最近联系结果", None, 36),
    Column("下次联系日期", None, 12),
)

CALL_LIST_COLUMNS = (
    Column("序号", INTEGER, 6),
    Column("姓名", None, 10),
    Column("性别", None, 6),
    Column("年龄", INTEGER, 6),
    Column("联系电话", None, 14),
    Column("村", None, 12),
    Column("户号", None, 12),
    Column("与户主关系", None, 10),
    Column("住址", None, 28),
    Column("重点人群", None, 22),
    Column("情况", None, 10),
    Column("签约至", None, 12),
    Column("责任医生", None, 10),
    Column("最近联系", None, 24),
    Column("本次联系结果", None, 16),
)


def check_outreach_filter(session: Session, filters: OutreachFilter) -> None:
    """Refuse a village code or a key population that does not exist, in plain words."""
    if (
        filters.village_code
        and session.scalar(select(Village.id).where(Village.code == filters.village_code)) is None
    ):
        raise RuleViolation(
            QT_TRANSLATE_NOOP("Errors", "There is no village with the code {code}."),
            code=filters.village_code,
        )
    if filters.population and filters.population not in POPULATION_LABELS:
        raise RuleViolation(
            QT_TRANSLATE_NOOP("Errors", "Unknown key population: {value}."),
            value=filters.population,
        )


def _check(actor: Actor, unmasked: bool) -> None:
    require(actor, Permission.EXPORT_LISTS)
    if unmasked:
        require(actor, Permission.EXPORT_UNMASKED)


def last_contact_text(row: tuple[Any, ...], *, with_next: bool = False) -> str:
    """暂不签约（长期外出） 2026-06-10 王医生 — the last contact of an outreach row."""
    result = row[_AT["contact_result"]]
    if not result:
        return ""
    parts = [
        contact_text(result, row[_AT["contact_reason"]], row[_AT["contact_note"]]),
        f"{row[_AT['contacted_on']]:%Y-%m-%d}",
        row[_AT["contacted_by"]] or "",
    ]
    following = row[_AT["next_contact_on"]]
    if with_next and following is not None:
        parts.append(f"下次 {following:%Y-%m-%d}")
    return " ".join(part for part in parts if part)


def _rows(session: Session, actor: Actor, filters: OutreachFilter, unmasked: bool) -> Any:
    query = outreach_query(actor, filters, unmasked=unmasked)
    for row in session.execute(query.base.order_by(*query.order_by)):
        yield query.shape(row)


def call_list_title(filters: OutreachFilter, village_name: str | None) -> str:
    who = POPULATION_LABELS.get(filters.population or "", "") if filters.population else ""
    where = village_name or ""
    wanted = "、".join(OUTREACH_STATE_LABELS[state] for state in filters.states)
    parts = [part for part in (where, who) if part]
    return f"{''.join(parts) or '全部居民'}{wanted}名单（电话随访）"


def _subtitle(filters: OutreachFilter, count: int, actor: Actor, unmasked: bool) -> str:
    days = filters.ending_within_days
    return (
        f"统计日期：{filters.as_of:%Y-%m-%d}　　共 {count} 人　　“即将到期”指签约（含续签）"
        f" {days} 天内到期　　已预签者不列入　　制表：{actor.display_name}"
        + ("" if unmasked else "　　身份证号、电话、住址已脱敏")
    )


def _village_name(session: Session, filters: OutreachFilter) -> str | None:
    if not filters.village_code:
        return None
    return session.scalar(select(Village.name).where(Village.code == filters.village_code))


@dataclass(frozen=True)
class CallList:
    """The rows of a call list, ready to print (see ``call_list``)."""

    title: str
    subtitle: str
    rows: list[list[Any]]
    unmasked: bool


def call_list(
    session: Session, actor: Actor, filters: OutreachFilter, *, unmasked: bool = False
) -> CallList:
    """The call list for printing (needs the export permissions): ``CALL_LIST_COLUMNS``."""
    _check(actor, unmasked)
    rows = []
    for number, row in enumerate(_rows(session, actor, filters, unmasked), start=1):
        sex = row[_AT["sex"]]
        rows.append(
            [
                number,
                row[_AT["name"]],
                SEX_LABELS.get(sex, sex),
                row[_AT["age"]],
                row[_AT["phone"]] or "",
                row[_AT["village"]],
                row[_AT["household"]] or "",
                row[_AT["relation"]] or "",
                row[_AT["address"]] or "",
                row[_AT["populations"]] or "",
                OUTREACH_STATE_LABELS[row[_AT["state"]]],
                row[_AT["contract_end"]],
                row[_AT["doctor"]] or "",
                last_contact_text(row, with_next=True),
                "",
            ]
        )
    title = call_list_title(filters, _village_name(session, filters))
    return CallList(title, _subtitle(filters, len(rows), actor, unmasked), rows, unmasked)


def _export_rows(
    session: Session, actor: Actor, filters: OutreachFilter, unmasked: bool
) -> Iterator[list[Any]]:
    for row in _rows(session, actor, filters, unmasked):
        yield [
            row[_AT["name"]],
            row[_AT["id_number"]] or "",
            row[_AT["village"]],
            row[_AT["household"]] or "",
            row[_AT["phone"]] or "",
            row[_AT["populations"]] or "",
            OUTREACH_STATE_LABELS[row[_AT["state"]]],
            row[_AT["contract_end"]],
            last_contact_text(row),
            row[_AT["next_contact_on"]],
        ]


def export_outreach(
    session: Session,
    actor: Actor,
    filters: OutreachFilter,
    path: Path | str,
    *,
    unmasked: bool = False,
    format: str | None = None,
) -> ExportResult:
    """The outreach list as CSV or XLSX (all of it or nothing), recorded in the audit log."""
    _check(actor, unmasked)
    path = Path(path)
    fmt = format or format_of(path, ("csv", "xlsx"))
    title = call_list_title(filters, _village_name(session, filters))
    count = 0

    def write(target: Path) -> None:
        nonlocal count
        rows = list(_export_rows(session, actor, filters, unmasked))
        count = _write_list(
            target,
            fmt,
            sheet_name="随访名单",
            title=title,
            note=_subtitle(filters, len(rows), actor, unmasked),
            columns=OUTREACH_EXPORT_COLUMNS,
            rows=rows,
            text_columns=(1, 3, 4),
        )

    _write_atomically(path, write)
    record_outreach_export(session, actor, filters, path, fmt, count, unmasked)
    return ExportResult(str(path), fmt, count, unmasked)


def record_outreach_export(
    session: Session,
    actor: Actor,
    filters: OutreachFilter,
    path: Path | str,
    fmt: str,
    rows: int,
    unmasked: bool,
) -> None:
    record_export(
        session,
        actor,
        "call_list",
        path,
        format=fmt,
        rows=rows,
        unmasked=unmasked,
        village=filters.village_code,
        population=filters.population,
        as_of=filters.as_of,
        days=filters.ending_within_days,
        contact=filters.contact,
    )
