"""Importing the villages and the resident rosters clinics keep in Excel: all rows or none.

A file is read by ``tabular`` (CSV or XLSX), its columns are matched to fields
by their header (Chinese or English names, see ``RESIDENT_FIELDS``), and every
row is checked by the same validator as the resident form
(``residents.check``). If any row breaks a rule, nothing is written and the
caller gets every problem with its row number and column, to write an error
file. A resident whose ID number is already registered is updated; cells left
blank, and columns the file does not have, keep what is stored.

Rows are checked and written in chunks inside one transaction (the caller's
unit of work), so a file of 100,000 residents neither sits in memory twice nor
leaves anything behind when a later row is refused, the job is cancelled, or
the process is killed: SQLite rolls the whole transaction back.

The roster of contracts already signed (``CONTRACT_FIELDS``) is imported by
``contract_import``, which signs each row through the contracts service.
"""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import datetime as dt
import operator
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy import text as sql_text
from sqlalchemy.orm import Session, selectinload

from familydoc.core import audit
from familydoc.core.auth import Actor, Permission, require
from familydoc.core.errors import QT_TRANSLATE_NOOP, RuleViolation
from familydoc.core.idnumber import normalise as normalise_id_number
from familydoc.core.models import (
    TAG_CODES,
    Household,
    Institution,
    Resident,
    ResidentTag,
    Village,
    VillagePopulation,
    utcnow,
)
from familydoc.core.names import pinyin_keys_fast
from familydoc.core.residents import (
    CheckedResident,
    Problem,
    ResidentInput,
    VillageLookup,
    apply,
    check,
    clean_text,
)
from familydoc.core.tabular import Table, header_key, parse_date, read_table

CHUNK_ROWS = 1000  # rows checked (and written) between progress reports
IMPORT_CACHE_KIB = -65536  # PRAGMA cache_size while importing residents: 64 MiB
_SQL_IN_LIMIT = 900

Progress = Callable[[int, int], None]


# --- columns ----------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldSpec:
    """A field a file may hold; ``headers`` are the names it goes by, the first is the
    template's own."""

    name: str
    label: str  # English source text, translated in the "Imports" context when shown
    headers: tuple[str, ...]
    required: bool = False

    @property
    def template_header(self) -> str:
        return self.headers[0]


# The headers clinics write for the ID number column, in residents and contracts rosters alike.
ID_NUMBER_HEADERS = (
    "身份证号",
    "身份证号码",
    "公民身份号码",
    "居民身份证号",
    "居民身份证号码",
    "身份证",
    "证件号码",
    "id_number",
    "id number",
    "id card",
)

RESIDENT_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec(
        "name",
        QT_TRANSLATE_NOOP("Imports", "Name"),
        ("姓名", "居民姓名", "名字", "name", "full name"),
        required=True,
    ),
    FieldSpec(
        "id_number",
        QT_TRANSLATE_NOOP("Imports", "ID number"),
        ID_NUMBER_HEADERS,
    ),
    FieldSpec("sex", QT_TRANSLATE_NOOP("Imports", "Sex"), ("性别", "sex", "gender")),
    FieldSpec(
        "birth_date",
        QT_TRANSLATE_NOOP("Imports", "Birth date"),
        ("出生日期", "出生年月日", "生日", "birth_date", "birthdate", "date of birth", "birthday"),
    ),
    FieldSpec(
        "phone",
        QT_TRANSLATE_NOOP("Imports", "Phone"),
        (
            "联系电话",
            "电话",
            "手机号",
            "手机号码",
            "手机",
            "电话号码",
            "联系方式",
            "phone",
            "mobile",
            "telephone",
        ),
    ),
    FieldSpec(
        "village",
        QT_TRANSLATE_NOOP("Imports", "Village (code or name)"),
        (
            "村居",
            "村",
            "所属村居",
            "所属村",
            "村居委会",
            "村名",
            "村居名称",
            "村居代码",
            "village",
            "village code",
            "village name",
        ),
        required=True,
    ),
    FieldSpec(
        "household_number",
        QT_TRANSLATE_NOOP("Imports", "Household number"),
        ("户号", "家庭户号", "户编号", "household", "household number", "household no"),
    ),
    FieldSpec(
        "relation_to_head",
        QT_TRANSLATE_NOOP("Imports", "Relation to the head"),
        ("与户主关系", "与户主的关系", "户主关系", "relation", "relation to head"),
    ),
    FieldSpec(
        "tags",
        QT_TRANSLATE_NOOP("Imports", "Key populations"),
        ("重点人群", "重点人群分类", "人群分类", "人群类别", "tags", "key populations"),
    ),
    FieldSpec(
        "health_record_no",
        QT_TRANSLATE_NOOP("Imports", "Health record number"),
        (
            "健康档案号",
            "健康档案编号",
            "档案号",
            "档案编号",
            "health_record_no",
            "health record number",
            "health record",
        ),
    ),
    FieldSpec(
        "address",
        QT_TRANSLATE_NOOP("Imports", "Address"),
        ("住址", "地址", "家庭住址", "现住址", "居住地址", "address"),
    ),
    FieldSpec(
        "insurance_type",
        QT_TRANSLATE_NOOP("Imports", "Insurance type"),
        ("参保类型", "医保类型", "医疗保险类型", "insurance_type", "insurance"),
    ),
    FieldSpec(
        "guardian_name",
        QT_TRANSLATE_NOOP("Imports", "Guardian's name"),
        ("监护人姓名", "监护人", "guardian_name", "guardian"),
    ),
    FieldSpec(
        "guardian_relation",
        QT_TRANSLATE_NOOP("Imports", "Guardian's relation"),
        ("监护人关系", "监护人与本人关系", "guardian_relation"),
    ),
    FieldSpec(
        "guardian_id_number",
        QT_TRANSLATE_NOOP("Imports", "Guardian's ID number"),
        ("监护人身份证号", "监护人身份证号码", "guardian_id_number"),
    ),
    FieldSpec(
        "guardian_phone",
        QT_TRANSLATE_NOOP("Imports", "Guardian's phone"),
        ("监护人电话", "监护人联系电话", "监护人手机号", "guardian_phone"),
    ),
    FieldSpec(
        "moved_in_on",
        QT_TRANSLATE_NOOP("Imports", "Moved-in date"),
        ("迁入日期", "moved_in_on", "move-in date", "moved in"),
    ),
)

VILLAGE_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec(
        "code",
        QT_TRANSLATE_NOOP("Imports", "Village code (12 digits)"),
        ("村居代码", "区划代码", "行政区划代码", "统计用区划代码", "代码", "code", "village code"),
        required=True,
    ),
    FieldSpec(
        "name",
        QT_TRANSLATE_NOOP("Imports", "Village name"),
        ("村居名称", "名称", "村居", "村名", "name", "village name", "village"),
        required=True,
    ),
    FieldSpec(
        "population",
        QT_TRANSLATE_NOOP("Imports", "Official population"),
        ("常住人口", "常住人口数", "人口", "人口数", "population"),
    ),
    FieldSpec("year", QT_TRANSLATE_NOOP("Imports", "Year"), ("年份", "年度", "year")),
)

CONTRACT_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec(
        "id_number",
        QT_TRANSLATE_NOOP("Imports", "ID number"),
        ID_NUMBER_HEADERS,
        required=True,
    ),
    FieldSpec(
        "name",
        QT_TRANSLATE_NOOP("Imports", "Name (checked against the ID number)"),
        ("姓名", "居民姓名", "签约居民", "name", "full name"),
    ),
    FieldSpec(
        "team",
        QT_TRANSLATE_NOOP("Imports", "Team"),
        ("团队", "签约团队", "家庭医生团队", "团队名称", "服务团队", "team", "team name"),
        required=True,
    ),
    FieldSpec(
        "doctor",
        QT_TRANSLATE_NOOP("Imports", "Responsible doctor"),
        (
            "责任医生",
            "签约医生",
            "家庭医生",
            "责任医师",
            "签约医师",
            "doctor",
            "responsible doctor",
        ),
        required=True,
    ),
    FieldSpec(
        "packages",
        QT_TRANSLATE_NOOP("Imports", "Service packages"),
        ("服务包", "签约服务包", "服务包名称", "签约服务包名称", "packages", "package"),
    ),
    FieldSpec(
        "signed_on",
        QT_TRANSLATE_NOOP("Imports", "Signing date"),
        ("签约日期", "签约时间", "signed_on", "signed on", "signing date"),
        required=True,
    ),
    FieldSpec(
        "start_date",
        QT_TRANSLATE_NOOP("Imports", "Start date"),
        ("开始日期", "生效日期", "起始日期", "服务开始日期", "start_date", "start date", "start"),
    ),
    FieldSpec(
        "end_date",
        QT_TRANSLATE_NOOP("Imports", "End date"),
        (
            "结束日期",
            "截止日期",
            "到期日期",
            "终止日期",
            "服务结束日期",
            "end_date",
            "end date",
            "end",
        ),
    ),
)

FIELDS_BY_KIND = {
    "residents": RESIDENT_FIELDS,
    "villages": VILLAGE_FIELDS,
    "contracts": CONTRACT_FIELDS,
}


def _alias_map(fields: Sequence[FieldSpec]) -> dict[str, str]:
    aliases: dict[str, str] = {}
    for spec in fields:
        for header in (spec.name, *spec.headers):
            aliases.setdefault(header_key(header), spec.name)
    return aliases


_ALIASES = {kind: _alias_map(fields) for kind, fields in FIELDS_BY_KIND.items()}


def known_header(kind: str) -> Callable[[str], bool]:
    """For ``tabular``: does this (reduced) header name a field of ``kind``?"""
    return _ALIASES[kind].__contains__


def guess_mapping(headers: Sequence[str], kind: str) -> list[str | None]:
    """The field each column goes to, by its header; None for columns to ignore.

    A field claimed by two columns goes to the first of them.
    """
    aliases = _ALIASES[kind]
    mapping: list[str | None] = []
    taken: set[str] = set()
    for header in headers:
        name = aliases.get(header_key(header))
        if name in taken:
            name = None
        if name is not None:
            taken.add(name)
        mapping.append(name)
    return mapping


def missing_fields(mapping: Sequence[str | None], kind: str) -> list[FieldSpec]:
    """Required fields no column is mapped to."""
    present = set(mapping)
    return [spec for spec in FIELDS_BY_KIND[kind] if spec.required and spec.name not in present]


@dataclass(frozen=True)
class SourceRow:
    """One data row of a file: its number as Excel shows it and its values by field."""

    number: int
    values: dict[str, str]


@dataclass
class ImportSource:
    """A file opened for import: its table, the column mapping and the rows by field."""

    path: Path
    kind: str
    table: Table
    mapping: list[str | None]

    @property
    def columns(self) -> dict[str, str]:
        """Field -> the file's own header text for it."""
        return {
            name: header
            for header, name in zip(self.table.headers, self.mapping, strict=False)
            if name
        }

    @property
    def ignored_columns(self) -> list[str]:
        return [
            header or f"#{index + 1}"
            for index, (header, name) in enumerate(
                zip(self.table.headers, self.mapping, strict=False)
            )
            if not name
        ]

    def rows(self) -> Iterator[SourceRow]:
        """The rows with something under a mapped column (a row that only has a number
        in a 序号 column, say, is an empty row of a pre-numbered sheet)."""
        picks = [(index, name) for index, name in enumerate(self.mapping) if name]
        for number, cells in self.table.rows:
            values = {name: cells[index] for index, name in picks}
            if any(value.strip() for value in values.values()):
                yield SourceRow(number, values)

    def close(self) -> None:
        self.table.close()


def open_source(
    path: Path | str, kind: str, mapping: Sequence[str | None] | None = None
) -> ImportSource:
    """Read the header of a file and map its columns (by the header unless ``mapping``)."""
    path = Path(path)
    table = read_table(path, known_header(kind))
    if mapping is None:
        chosen = guess_mapping(table.headers, kind)
    else:
        chosen = list(mapping)[: len(table.headers)]
        chosen += [None] * (len(table.headers) - len(chosen))
    source = ImportSource(path, kind, table, chosen)
    missing = missing_fields(chosen, kind)
    if missing:
        table.close()
        raise RuleViolation(
            QT_TRANSLATE_NOOP(
                "Errors",
                "The file has no column for {fields}. Name the header of that column as in the"
                " import template, or choose the column in the import wizard.",
            ),
            fields="、".join(spec.template_header for spec in missing),
        )
    return source


# --- results and problems ---------------------------------------------------------------


@dataclass(frozen=True)
class RowProblem:
    """One refused cell: the row as Excel numbers it, the file's column header, the value."""

    row: int
    column: str
    value: str
    error: RuleViolation


@dataclass(frozen=True)
class ImportReport:
    """What an import did (or would do). For contracts, ``new`` counts the contracts
    signed and ``unchanged`` the rows already present."""

    kind: str  # "residents", "villages" or "contracts"
    file_name: str
    rows: int
    new: int
    updated: int
    unchanged: int
    dry_run: bool
    households_created: int = 0
    populations_set: int = 0
    teams_created: int = 0  # contracts: teams, doctors and memberships made for
    doctors_created: int = 0  # --create-missing
    members_added: int = 0


class ImportRefused(RuleViolation):
    """Some rows break a rule: nothing was written; ``problems`` says where and why."""

    def __init__(self, problems: list[RowProblem], rows: int) -> None:
        self.problems = sorted(problems, key=lambda p: p.row)
        self.rows = rows
        bad_rows = len({p.row for p in problems})
        super().__init__(
            QT_TRANSLATE_NOOP(
                "Errors",
                "{bad} of {rows} rows have problems ({problems} in all); nothing was imported.",
            ),
            bad=bad_rows,
            rows=rows,
            problems=len(problems),
        )


ERROR_FILE_HEADERS = (
    QT_TRANSLATE_NOOP("Imports", "Row"),
    QT_TRANSLATE_NOOP("Imports", "Column"),
    QT_TRANSLATE_NOOP("Imports", "Value"),
    QT_TRANSLATE_NOOP("Imports", "Problem"),
)
_LONG_NUMBER = re.compile(r"^\d{11,}$")


def write_error_file(
    path: Path | str,
    problems: Iterable[RowProblem],
    translate: Callable[[str, str], str] | None = None,
) -> Path:
    """The problems as CSV in UTF-8 with a BOM, so Excel opens it with the Chinese intact.

    ``translate(context, text)`` renders headers and reasons in the user's language.
    """
    path = Path(path)

    def in_language(context: str, text: str) -> str:
        return translate(context, text) if translate else text

    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([in_language("Imports", header) for header in ERROR_FILE_HEADERS])
        for problem in problems:
            value = problem.value
            if _LONG_NUMBER.match(value):
                value = f'="{value}"'  # shown as written, not as 1.10105E+17
            writer.writerow([problem.row, problem.column, value, problem.error.render(translate)])
    return path


# --- values of a row --------------------------------------------------------------------

_TAG_SEPARATORS = re.compile(r"[;；,，、/\\|\s]+")
_NO_TAG = {"无", "否", "没有", "-", "--", "—", "——", "none", "no"}
_AGE_BASED = {
    "elderly_65",
    "child_0_6",
    "老年人",
    "65岁及以上老年人",
    "65岁以上老年人",
    "65岁及以上",
    "老人",
    "儿童",
    "0-6岁儿童",
    "0~6岁儿童",
    "0至6岁儿童",
    "0-6岁",
}
_TAG_WORDS = {
    "maternal": ("孕产妇", "孕妇", "产妇"),
    "hypertension": ("高血压", "高血压患者", "原发性高血压"),
    "diabetes": ("2型糖尿病", "糖尿病", "二型糖尿病", "2型糖尿病患者", "糖尿病患者"),
    "severe_mental": ("严重精神障碍", "精神病", "严重精神障碍患者", "精神障碍", "精神病患者"),
    "tuberculosis": ("肺结核", "结核病", "结核", "肺结核患者"),
    "disabled": ("残疾人", "残疾", "残疾人员"),
    "poverty": (
        "脱贫人口",
        "脱贫户",
        "低保",
        "低保户",
        "特困",
        "特困供养",
        "特困户",
        "特困人员",
        "贫困户",
        "建档立卡贫困户",
    ),
    "family_planning_special": ("计划生育特殊家庭", "计生特殊家庭", "计生特殊家庭成员"),
}


def _tag_key(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().lower()


TAG_ALIASES: dict[str, str] = {code: code for code in TAG_CODES}
for _code, _words in _TAG_WORDS.items():
    for _word in _words:
        TAG_ALIASES[_tag_key(_word)] = _code


def parse_tags(text: str) -> frozenset[str]:
    """Codes from ``高血压、低保; diabetes``; age-based populations are dropped (they are
    computed), unknown words are kept as they are so the check reports them."""
    tags: set[str] = set()
    for word in _TAG_SEPARATORS.split(unicodedata.normalize("NFKC", text or "")):
        key = _tag_key(word)
        if not key or key in _NO_TAG or key in _AGE_BASED:
            continue
        tags.add(TAG_ALIASES.get(key, word.strip()))
    return frozenset(tags)


_SEX_WORDS = {"男性": "男", "女性": "女"}
_DATE_FIELDS = ("birth_date", "moved_in_on")
_TEXT_FIELDS = frozenset(
    f.name
    for f in dataclasses.fields(ResidentInput)
    if f.name not in (*_DATE_FIELDS, "tags", "lacks_capacity")
)
_BAD_DATE = QT_TRANSLATE_NOOP(
    "Errors", "{value} is not a date: write it like 1949-12-31 (or 1949/12/31, 19491231)."
)


def _resident_input(
    values: Mapping[str, str], stored: ResidentInput | None
) -> tuple[ResidentInput, list[Problem]]:
    """The row as form input; blank cells keep ``stored`` values (an update)."""
    problems: list[Problem] = []
    given: dict[str, Any] = {
        name: value for name, value in values.items() if name in _TEXT_FIELDS and value.strip()
    }
    if "id_number" in given:
        given["id_number"] = given["id_number"].strip().lstrip("'`")
    if "sex" in given:
        given["sex"] = _SEX_WORDS.get(given["sex"].strip(), given["sex"])
    for name in _DATE_FIELDS:
        value = values.get(name, "")
        if not value.strip():
            continue
        try:
            given[name] = parse_date(value)
        except ValueError:
            problems.append(Problem(name, value, RuleViolation(_BAD_DATE, value=value.strip())))
    tags_text = values.get("tags", "")
    if tags_text.strip():
        given["tags"] = parse_tags(tags_text)
    if stored is None:
        return ResidentInput(**given), problems
    return replace(stored, **given), problems


# --- residents --------------------------------------------------------------------------

_STORED = tuple(
    name
    for name in (f.name for f in dataclasses.fields(CheckedResident))
    if name in Resident.__table__.columns
)
_INSERT_COLUMNS = (
    *_STORED,
    "name_pinyin",
    "name_initials",
    "id",
    "household_id",
    "created_at",
    "updated_at",
)
_SNAPSHOT_COLUMNS = (
    Resident.id,
    *(Resident.__table__.columns[name] for name in _STORED),
    Village.code,
    Household.number,
)


@dataclass
class _Stored:
    """A registered resident as the import compares it."""

    id: int
    values: dict[str, Any]
    village_code: str
    household_number: str | None
    tags: frozenset[str] = frozenset()

    def as_input(self) -> ResidentInput:
        v = self.values
        return ResidentInput(
            name=v["name"],
            id_number=v["id_number"] or "",
            sex=v["sex"],
            birth_date=v["birth_date"],
            phone=v["phone"] or "",
            village=self.village_code,
            household_number=self.household_number or "",
            relation_to_head=v["relation_to_head"] or "",
            address=v["address"] or "",
            health_record_no=v["health_record_no"] or "",
            insurance_type=v["insurance_type"] or "",
            tags=self.tags,
            lacks_capacity=bool(v["lacks_capacity"]),
            guardian_name=v["guardian_name"] or "",
            guardian_relation=v["guardian_relation"] or "",
            guardian_id_number=v["guardian_id_number"] or "",
            guardian_phone=v["guardian_phone"] or "",
            moved_in_on=v["moved_in_on"],
        )

    def same_as(self, checked: CheckedResident) -> bool:
        return (
            all(self.values[name] == getattr(checked, name) for name in _STORED)
            and (self.household_number or None) == checked.household_number
            and self.tags == checked.tags
        )


def _chunks(items: Sequence[Any], size: int = _SQL_IN_LIMIT) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _load_stored(session: Session, condition: Any) -> list[_Stored]:
    rows = session.execute(
        select(*_SNAPSHOT_COLUMNS)
        .join(Village, Village.id == Resident.village_id)
        .outerjoin(Household, Household.id == Resident.household_id)
        .where(condition)
    ).all()
    found = [
        _Stored(
            id=row[0],
            values=dict(zip(_STORED, row[1 : 1 + len(_STORED)], strict=True)),
            village_code=row[-2],
            household_number=row[-1],
        )
        for row in rows
    ]
    if found:
        by_id = {stored.id: stored for stored in found}
        tags: dict[int, set[str]] = {}
        for rid, tag in session.execute(
            select(ResidentTag.resident_id, ResidentTag.tag).where(
                ResidentTag.resident_id.in_(list(by_id))
            )
        ):
            tags.setdefault(rid, set()).add(tag)
        for rid, found_tags in tags.items():
            by_id[rid].tags = frozenset(found_tags)
    return found


def _bulk_insert(
    session: Session, table: Any, names: Sequence[str], rows: Sequence[Sequence[Any]]
) -> None:
    """One ``executemany`` of the driver, values stored exactly as SQLAlchemy stores them.

    The values go through the columns' own bind processors (dates, timestamps,
    booleans), so the rows read back the same as rows the ORM wrote; only the
    per-row overhead of SQLAlchemy's statement execution is skipped.
    """
    if not rows:
        return
    dialect = session.get_bind().dialect
    processors = [
        (index, processor)
        for index, name in enumerate(names)
        if (processor := table.c[name].type.dialect_impl(dialect).bind_processor(dialect))
    ]
    if processors:
        processed = []
        last: dict[int, tuple[Any, Any]] = {}  # the same timestamp on every row: once
        for row in rows:
            values = list(row)
            for index, processor in processors:
                value = values[index]
                seen = last.get(index)
                if seen is not None and seen[0] is value:
                    values[index] = seen[1]
                else:
                    values[index] = processor(value)
                    last[index] = (value, values[index])
            processed.append(tuple(values))
        rows = processed
    quote = dialect.identifier_preparer.quote
    sql = (
        f"INSERT INTO {quote(table.name)} ({', '.join(quote(name) for name in names)})"
        f" VALUES ({', '.join('?' * len(names))})"
    )
    session.connection().exec_driver_sql(sql, rows)


def _row_number(row: SourceRow) -> str | None:
    """The row's ID number normalised (to find its holder), None when blank or garbled."""
    raw = row.values.get("id_number", "").strip().lstrip("'`")
    if not raw:
        return None
    try:
        return normalise_id_number(raw)
    except Exception:  # stdnum refuses some garbage; the check reports it
        return None


class _SearchIndexPause:
    """Bulk inserts without the per-row search-index trigger, then one INSERT…SELECT.

    FTS5 flushes its pending terms at every statement savepoint, so a trigger
    that indexes each inserted row costs about ten times the insert itself. Inside
    the import's transaction we drop the insert trigger, index the new rows in one
    statement made from the trigger's own SQL, and create the trigger again; a
    rollback undoes all three. Without a trigger of the expected shape nothing is
    paused and the trigger does its work row by row.
    """

    NAME = "trg_resident_search_insert"
    _BODY = re.compile(
        r"\bBEGIN\s+(INSERT\s+INTO\s+\S+?\s*\([^)]*\))\s*VALUES\s*\((.*)\)\s*;\s*END\s*$",
        re.IGNORECASE | re.DOTALL,
    )

    def __init__(self, session: Session) -> None:
        self.session = session
        self.create_sql: str | None = None
        self.fill_sql: str | None = None
        self.paused = False
        self.first_id: int | None = None
        self.last_id = 0
        if session.get_bind().dialect.name != "sqlite":
            return
        sql = session.execute(
            sql_text("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = :name"),
            {"name": self.NAME},
        ).scalar()
        match = self._BODY.search(sql or "")
        if match is None:
            return
        self.create_sql = sql
        self.fill_sql = (
            f"{match.group(1)} SELECT {match.group(2)} FROM resident AS NEW"
            " WHERE NEW.id BETWEEN :first AND :last"
        )

    def pause(self) -> None:
        if self.create_sql and not self.paused:
            self.session.execute(sql_text(f"DROP TRIGGER {self.NAME}"))
            self.paused = True

    def inserted(self, first_id: int, last_id: int) -> None:
        """Rows ``first_id``..``last_id`` went in while paused: index them on resuming."""
        if self.first_id is None:
            self.first_id = first_id
        self.last_id = last_id

    def resume(self) -> None:
        if not self.paused:
            return
        assert self.create_sql and self.fill_sql
        if self.first_id is not None:
            self.session.execute(
                sql_text(self.fill_sql), {"first": self.first_id, "last": self.last_id}
            )
        self.session.execute(sql_text(self.create_sql))
        self.paused = False


@dataclass
class _ResidentImport:
    """The state of one resident import while its chunks are checked and written."""

    session: Session
    today: dt.date
    columns: Mapping[str, str]
    dry_run: bool
    villages: VillageLookup = field(init=False)
    problems: list[RowProblem] = field(default_factory=list)
    seen_numbers: dict[str, int] = field(default_factory=dict)  # ID number -> first row
    seen_stored: dict[int, int] = field(default_factory=dict)  # resident id -> first row
    seen_unnumbered: dict[tuple[int, str, dt.date], int] = field(default_factory=dict)
    households: dict[tuple[int, str], int] = field(default_factory=dict)
    without_number: dict[tuple[int, str, dt.date], list[int]] = field(default_factory=dict)
    first_new_id: int = 0
    next_resident_id: int = 0
    rows: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    households_created: int = 0
    search: _SearchIndexPause | None = None
    now: dt.datetime = field(default_factory=utcnow)

    def __post_init__(self) -> None:
        session = self.session
        self.villages = VillageLookup(session)
        self.next_resident_id = (session.scalar(select(func.max(Resident.id))) or 0) + 1
        self.first_new_id = self.next_resident_id
        for hid, village_id, number in session.execute(
            select(Household.id, Household.village_id, Household.number)
        ):
            self.households[(village_id, number)] = hid
        # Residents without an ID number (newborns) are matched by village, name and birth.
        for rid, village_id, name, birth in session.execute(
            select(Resident.id, Resident.village_id, Resident.name, Resident.birth_date).where(
                Resident.id_number.is_(None)
            )
        ):
            self.without_number.setdefault((village_id, name, birth), []).append(rid)

    # -- checking --

    def _column(self, field_name: str) -> str:
        if field_name in self.columns:
            return self.columns[field_name]
        for spec in RESIDENT_FIELDS:
            if spec.name == field_name:
                return spec.template_header
        return field_name

    def _refuse(self, row: int, problems: Iterable[Problem]) -> None:
        for problem in problems:
            self.problems.append(
                RowProblem(row, self._column(problem.field), problem.value, problem.error)
            )

    def _holders(self, numbers: Iterable[str | None]) -> dict[str, _Stored]:
        """The registered residents (before this import) holding these ID numbers."""
        found: dict[str, _Stored] = {}
        ordered = sorted({number for number in numbers if number})
        for part in _chunks(ordered):
            for stored in _load_stored(
                self.session,
                Resident.id_number.in_(part) & (Resident.id < self.first_new_id),
            ):
                found[stored.values["id_number"]] = stored
        return found

    def check_chunk(
        self, rows: Sequence[SourceRow]
    ) -> list[tuple[CheckedResident, _Stored | None]]:
        """Check the rows; returns what to write when they (and all before) are fine."""
        numbers = [_row_number(row) for row in rows]
        holders = self._holders(numbers)
        village_names = {vid: name for name, vids in self.villages.by_name.items() for vid in vids}

        def holder(number: str) -> tuple[int, str, str] | None:
            stored = holders.get(number)
            if stored is None:
                return None
            return (
                stored.id,
                stored.values["name"],
                village_names.get(stored.values["village_id"], stored.village_code),
            )

        accepted: list[tuple[CheckedResident, _Stored | None]] = []
        for row, number in zip(rows, numbers, strict=True):
            self.rows += 1
            stored = holders.get(number) if number else None
            data, parse_problems = _resident_input(
                row.values, stored.as_input() if stored else None
            )
            checked, problems = check(
                self.session,
                data,
                today=self.today,
                villages=self.villages,
                allow_existing=True,
                holders=holder,
            )
            if parse_problems:
                # An unreadable date is reported once, not again as a missing one.
                failed = {p.field for p in parse_problems}
                problems = parse_problems + [p for p in problems if p.field not in failed]
                checked = None
            if checked is not None and checked.existing_id is None and checked.id_number is None:
                stored = self._match_without_number(checked)
                if stored is not None:
                    checked, problems = self._recheck(row, stored)
            if problems or checked is None:
                self._refuse(row.number, problems)
                if number and not any(p.field == "id_number" for p in problems):
                    self._earlier_number(row, number)  # a repeated number is said at once
                continue
            if not self._first_time(row, checked):
                continue
            accepted.append((checked, stored if checked.existing_id is not None else None))
        return accepted

    def _match_without_number(self, checked: CheckedResident) -> _Stored | None:
        ids = self.without_number.get((checked.village_id, checked.name, checked.birth_date))
        if not ids or len(ids) != 1:
            return None
        found = _load_stored(self.session, Resident.id == ids[0])
        return found[0] if found else None

    def _recheck(
        self, row: SourceRow, stored: _Stored
    ) -> tuple[CheckedResident | None, list[Problem]]:
        data, parse_problems = _resident_input(row.values, stored.as_input())
        checked, problems = check(
            self.session, data, today=self.today, villages=self.villages, resident_id=stored.id
        )
        if parse_problems or checked is None:
            return None, parse_problems + problems
        return replace(checked, existing_id=stored.id), []

    def _earlier_number(self, row: SourceRow, number: str) -> bool:
        """True (and a problem) when an earlier row of the file has the same ID number."""
        earlier = self.seen_numbers.setdefault(number, row.number)
        if earlier == row.number:
            return False
        self._same_resident(row, "id_number", earlier)
        return True

    def _same_resident(self, row: SourceRow, field_name: str, earlier: int) -> None:
        self.problems.append(
            RowProblem(
                row.number,
                self._column(field_name),
                row.values.get(field_name, ""),
                RuleViolation(
                    QT_TRANSLATE_NOOP(
                        "Errors",
                        "Row {row} of this file is the same resident: keep one of the two rows.",
                    ),
                    row=earlier,
                ),
            )
        )

    def _first_time(self, row: SourceRow, checked: CheckedResident) -> bool:
        """False (and a problem) when an earlier row of the file is the same resident."""
        if checked.id_number is not None and self._earlier_number(row, checked.id_number):
            return False
        earlier: int | None = None
        if checked.existing_id is not None:
            earlier = self.seen_stored.setdefault(checked.existing_id, row.number)
            if earlier == row.number:
                earlier = None
        if earlier is None and checked.id_number is None:
            key = (checked.village_id, checked.name, checked.birth_date)
            earlier = self.seen_unnumbered.setdefault(key, row.number)
            if earlier == row.number:
                earlier = None
        if earlier is None:
            return True
        self._same_resident(row, "id_number" if checked.id_number else "name", earlier)
        return False

    # -- writing --

    def write_chunk(self, accepted: Sequence[tuple[CheckedResident, _Stored | None]]) -> None:
        new_rows: list[CheckedResident] = []
        changed: list[CheckedResident] = []
        for checked, stored in accepted:
            if stored is None and checked.existing_id is None:
                new_rows.append(checked)
            elif stored is not None and stored.same_as(checked):
                self.unchanged += 1
            else:
                changed.append(checked)
        self.new += len(new_rows)
        self.updated += len(changed)
        self._create_households([c for c in new_rows + changed if c.household_number])
        if self.dry_run:
            return
        if new_rows:
            self._insert(new_rows)
        if changed:
            self._update(changed)

    def _create_households(self, rows: Sequence[CheckedResident]) -> None:
        missing: dict[tuple[int, str], str | None] = {}
        for checked in rows:
            assert checked.household_number is not None
            key = (checked.village_id, checked.household_number)
            if key not in self.households and key not in missing:
                missing[key] = checked.address
        if not missing:
            return
        if self.dry_run:  # counted, not written
            self.households.update(dict.fromkeys(missing, 0))
            self.households_created += len(missing)
            return
        next_id = (self.session.scalar(select(func.max(Household.id))) or 0) + 1
        records = []
        for (village_id, number), address in missing.items():
            self.households[(village_id, number)] = next_id
            records.append((next_id, village_id, number, address, self.now))
            next_id += 1
        _bulk_insert(
            self.session,
            Household.__table__,
            ("id", "village_id", "number", "address", "created_at"),
            records,
        )
        self.households_created += len(records)

    def _insert(self, rows: Sequence[CheckedResident]) -> None:
        if self.search is None:
            self.search = _SearchIndexPause(self.session)
            self.search.pause()
        first = self.next_resident_id
        records, tags = [], []
        stored_values = operator.attrgetter(*_STORED)
        for checked in rows:
            rid = self.next_resident_id
            self.next_resident_id += 1
            household_id = (
                self.households[(checked.village_id, checked.household_number)]
                if checked.household_number
                else None
            )
            records.append(
                (
                    *stored_values(checked),
                    *pinyin_keys_fast(checked.name),
                    rid,
                    household_id,
                    self.now,
                    self.now,
                )
            )
            tags.extend((rid, tag) for tag in sorted(checked.tags))
        _bulk_insert(self.session, Resident.__table__, _INSERT_COLUMNS, records)
        _bulk_insert(self.session, ResidentTag.__table__, ("resident_id", "tag"), tags)
        self.search.inserted(first, self.next_resident_id - 1)

    def _update(self, rows: Sequence[CheckedResident]) -> None:
        if self.search is not None:
            self.search.resume()  # updates keep the index through the update trigger
            self.search = None
        by_id = {checked.existing_id: checked for checked in rows}
        residents = self.session.scalars(
            select(Resident)
            .where(Resident.id.in_(list(by_id)))
            .options(selectinload(Resident.tags))
        )
        for resident in residents:
            apply(self.session, resident, by_id[resident.id])
        self.session.flush()

    def finish(self) -> None:
        if self.search is not None:
            self.search.resume()
            self.search = None


def import_residents(
    session: Session,
    actor: Actor,
    rows: Iterable[SourceRow],
    *,
    columns: Mapping[str, str] | None = None,
    file_name: str = "",
    dry_run: bool = False,
    today: dt.date | None = None,
    progress: Progress | None = None,
    total: int = 0,
) -> ImportReport:
    """Check every row and, when all are fine and not ``dry_run``, write them.

    ``columns`` maps fields to the file's own headers (for the problems);
    ``progress(done, total)`` is called every ``CHUNK_ROWS`` rows and may raise to
    stop (the caller's transaction then rolls back). Raises ``ImportRefused``.
    """
    require(actor, Permission.EDIT_RESIDENTS)
    with _import_cache(session):
        return _import_residents(
            session, actor, rows, columns, file_name, dry_run, today, progress, total
        )


@contextlib.contextmanager
def _import_cache(session: Session) -> Iterator[None]:
    """A page cache that holds the resident table's indexes while a large file goes in.

    SQLite's default (2 MiB) makes every index insert of a 100,000-row import spill
    and re-read pages; the setting is the connection's own and is put back after.
    """
    if session.get_bind().dialect.name != "sqlite":
        yield
        return
    connection = session.connection()
    before = connection.exec_driver_sql("PRAGMA cache_size").scalar()
    connection.exec_driver_sql(f"PRAGMA cache_size = {IMPORT_CACHE_KIB}")
    try:
        yield
    finally:
        connection.exec_driver_sql(f"PRAGMA cache_size = {int(before)}")


def _import_residents(
    session: Session,
    actor: Actor,
    rows: Iterable[SourceRow],
    columns: Mapping[str, str] | None,
    file_name: str,
    dry_run: bool,
    today: dt.date | None,
    progress: Progress | None,
    total: int,
) -> ImportReport:
    state = _ResidentImport(session, today or dt.date.today(), columns or {}, dry_run)
    chunk: list[SourceRow] = []

    def flush() -> None:
        accepted = state.check_chunk(chunk)
        chunk.clear()
        state.dry_run = dry_run or bool(state.problems)  # after a problem: check only
        state.write_chunk(accepted)
        if progress:
            progress(state.rows, max(total, state.rows))

    for row in rows:
        chunk.append(row)
        if len(chunk) >= CHUNK_ROWS:
            flush()
    if chunk:
        flush()
    if state.problems:
        raise ImportRefused(state.problems, state.rows)
    state.finish()
    report = ImportReport(
        kind="residents",
        file_name=file_name,
        rows=state.rows,
        new=state.new,
        updated=state.updated,
        unchanged=state.unchanged,
        dry_run=dry_run,
        households_created=state.households_created,
    )
    if not dry_run:
        audit.record(
            session,
            user_id=actor.user_id,
            username=actor.username,
            action="resident.import",
            entity_type="resident",
            changes={
                "file": file_name,
                "rows": report.rows,
                "new": report.new,
                "updated": report.updated,
                "unchanged": report.unchanged,
                "households_created": report.households_created,
            },
        )
    return report


# --- villages ---------------------------------------------------------------------------

_VILLAGE_CODE = re.compile(r"^\d{12}$")
_EXCEL_NUMBER = re.compile(r"^\d(\.\d+)?[eE]\+?\d+$")  # 3.20321E+11


def _village_column(columns: Mapping[str, str], name: str) -> str:
    if name in columns:
        return columns[name]
    return next(spec.template_header for spec in VILLAGE_FIELDS if spec.name == name)


def _whole_number(text: str) -> int | None:
    cleaned = clean_text(text).replace(",", "").replace(" ", "")
    if re.fullmatch(r"\d+(\.0+)?", cleaned):
        return int(cleaned.split(".")[0])
    return None


def import_villages(
    session: Session,
    actor: Actor,
    rows: Iterable[SourceRow],
    *,
    columns: Mapping[str, str] | None = None,
    file_name: str = "",
    dry_run: bool = False,
    today: dt.date | None = None,
    progress: Progress | None = None,
    total: int = 0,
) -> ImportReport:
    """Villages by their 12-digit code, with an optional official population for a year.

    A known code gets the file's name; a village may appear on several rows for
    several years. Raises ``ImportRefused`` when any row breaks a rule.
    """
    require(actor, Permission.MANAGE_SETTINGS)
    columns = columns or {}
    today = today or dt.date.today()
    problems: list[RowProblem] = []

    def refuse(at: int, name: str, cell: str, message: str, /, **params: Any) -> None:
        problems.append(
            RowProblem(at, _village_column(columns, name), cell, RuleViolation(message, **params))
        )

    existing = {
        code: (vid, name)
        for vid, code, name in session.execute(select(Village.id, Village.code, Village.name))
    }
    wanted: dict[str, tuple[int, str]] = {}  # code -> (first row, name)
    populations: dict[tuple[str, int], tuple[int, int]] = {}  # (code, year) -> (row, population)
    count = 0
    for row in rows:
        count += 1
        values = row.values
        code = clean_text(values.get("code", "")).replace(" ", "")
        name = clean_text(values.get("name", ""))
        if _EXCEL_NUMBER.match(code):
            refuse(
                row.number,
                "code",
                values.get("code", ""),
                QT_TRANSLATE_NOOP(
                    "Errors",
                    "The village code {value} was turned into a number by Excel. Format the"
                    " column as text and type the 12 digits again.",
                ),
                value=code,
            )
        elif not _VILLAGE_CODE.match(code):
            refuse(
                row.number,
                "code",
                values.get("code", ""),
                QT_TRANSLATE_NOOP(
                    "Errors",
                    "The village code {value} must have 12 digits (the statistical division"
                    " code of the village).",
                ),
                value=code,
            )
        if not name:
            refuse(
                row.number,
                "name",
                "",
                QT_TRANSLATE_NOOP("Errors", "The village name is missing."),
            )
        elif len(name) > 100:
            refuse(
                row.number,
                "name",
                name,
                QT_TRANSLATE_NOOP("Errors", "The village name is longer than 100 characters."),
            )
        if _VILLAGE_CODE.match(code) and name:
            first = wanted.setdefault(code, (row.number, name))
            if first[1] != name:
                refuse(
                    row.number,
                    "name",
                    name,
                    QT_TRANSLATE_NOOP(
                        "Errors", "Row {row} gives this village code the name {name}."
                    ),
                    row=first[0],
                    name=first[1],
                )
        population_text = values.get("population", "").strip()
        year_text = values.get("year", "").strip()
        if population_text or year_text:
            population = _whole_number(population_text)
            year = _whole_number(year_text)
            if not population_text or not year_text:
                missing = "year" if population_text else "population"
                refuse(
                    row.number,
                    missing,
                    "",
                    QT_TRANSLATE_NOOP(
                        "Errors", "Give the official population and its year together."
                    ),
                )
            else:
                if population is None:
                    refuse(
                        row.number,
                        "population",
                        population_text,
                        QT_TRANSLATE_NOOP(
                            "Errors", "The population {value} is not a whole number."
                        ),
                        value=population_text,
                    )
                if year is None or not 1949 <= year <= today.year + 1:
                    refuse(
                        row.number,
                        "year",
                        year_text,
                        QT_TRANSLATE_NOOP(
                            "Errors", "The year {value} must be a year like {example}."
                        ),
                        value=year_text,
                        example=today.year,
                    )
                if population is not None and year is not None and _VILLAGE_CODE.match(code):
                    if (code, year) in populations:
                        refuse(
                            row.number,
                            "year",
                            year_text,
                            QT_TRANSLATE_NOOP(
                                "Errors",
                                "Row {row} already gives this village's population for {year}.",
                            ),
                            row=populations[(code, year)][0],
                            year=year,
                        )
                    else:
                        populations[(code, year)] = (row.number, population)
        if progress and count % CHUNK_ROWS == 0:
            progress(count, max(total, count))
    if problems:
        raise ImportRefused(problems, count)

    home_id = session.scalar(select(Institution.id).where(Institution.is_home.is_(True)))
    stored_populations = {
        (vid, year): population
        for vid, year, population in session.execute(
            select(
                VillagePopulation.village_id, VillagePopulation.year, VillagePopulation.population
            )
        )
    }
    new = updated = unchanged = populations_set = 0
    ids: dict[str, int] = {}
    changed_codes: set[str] = set()
    for code, (_row, name) in wanted.items():
        if code not in existing:
            new += 1
            if not dry_run:
                village = Village(code=code, name=name, institution_id=home_id)
                session.add(village)
                session.flush()
                ids[code] = village.id
            continue
        vid, old_name = existing[code]
        ids[code] = vid
        if old_name != name:
            changed_codes.add(code)
            if not dry_run:
                session.get(Village, vid).name = name  # type: ignore[union-attr]
    for (code, year), (_row, population) in populations.items():
        vid_or_none = ids.get(code)
        key = (vid_or_none, year)
        if vid_or_none is not None and stored_populations.get(key) == population:
            continue
        populations_set += 1
        if code in existing:
            changed_codes.add(code)
        if dry_run or vid_or_none is None:
            continue
        record = session.get(VillagePopulation, (vid_or_none, year))
        if record is None:
            session.add(VillagePopulation(village_id=vid_or_none, year=year, population=population))
        else:
            record.population = population
    updated = len(changed_codes)
    unchanged = len(wanted) - new - updated
    report = ImportReport(
        kind="villages",
        file_name=file_name,
        rows=count,
        new=new,
        updated=updated,
        unchanged=unchanged,
        dry_run=dry_run,
        populations_set=populations_set,
    )
    if not dry_run:
        session.flush()
        audit.record(
            session,
            user_id=actor.user_id,
            username=actor.username,
            action="village.import",
            entity_type="village",
            changes={
                "file": file_name,
                "rows": count,
                "new": new,
                "updated": updated,
                "unchanged": unchanged,
                "populations_set": populations_set,
            },
        )
    return report


def _import_contracts(*args: Any, **kwargs: Any) -> ImportReport:
    """``contract_import.import_contracts``, loaded when used (it builds on this module)."""
    from familydoc.core.contract_import import import_contracts

    return import_contracts(*args, **kwargs)


IMPORTERS: dict[str, Callable[..., ImportReport]] = {
    "residents": import_residents,
    "villages": import_villages,
    "contracts": _import_contracts,
}


def run_import(
    session: Session,
    actor: Actor,
    source: ImportSource,
    *,
    dry_run: bool = False,
    today: dt.date | None = None,
    progress: Progress | None = None,
    create_missing: bool = False,
) -> ImportReport:
    """Import an opened file with the importer of its kind.

    ``create_missing`` (contracts only) creates the teams and doctors the file names
    that do not exist yet.
    """
    options: dict[str, Any] = (
        {"create_missing": create_missing} if source.kind == "contracts" else {}
    )
    return IMPORTERS[source.kind](
        session,
        actor,
        source.rows(),
        columns=source.columns,
        file_name=source.path.name,
        dry_run=dry_run,
        today=today,
        progress=progress,
        total=source.table.row_estimate,
        **options,
    )
