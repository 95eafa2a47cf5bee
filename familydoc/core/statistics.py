"""Signing statistics: the summary as of a date, the figures of a period, the 12-month trend.

The rules are those of DESIGN.md ("Data rules"):

- a resident counts on day D when born, moved in (if a move-in date is recorded) and not
  yet left on D (``queries.active_on``); a contract counts when in force on D
  (``queries.in_force_on``: the termination date is the first day no longer in force);
- numerator = active residents with a contract in force on D (the database allows one
  contract in force per resident and day, so contracts and residents count the same);
- a village's denominator is its official population (常住人口) for D's year when one is
  recorded, else its active residents on D; overall = the sums over villages. The overall
  row says ``population`` when every village used its official population, ``registered``
  when none did and ``mixed`` when some did (``Summary.villages_with_population`` tells how
  many; ``Summary.registered_residents`` is the number the overall figure may differ from);
- key populations: residents of the population on D and those of them signed; the age
  populations come from the birth date as of D (``residents.population_condition``), the
  others are tags; ``any_key`` counts a resident once whatever number of populations;
- teams and doctors: the signed residents of each (same numerator rule, so the teams add up
  to the overall numerator) against the capacity; source ``capacity``.

Everything is counted in SQL. The summary is two grouped queries over covering indexes
(migration 0007): one pass over the residents with their contract in force (grouped by
village, age class, team and doctor) and one over the tagged residents (grouped by the set
of their tags). The trend does not run the summary twelve times: each resident and each
contract is an interval of days, so the counts at the twelve month ends come from grouping
rows by *which month end* their interval starts and stops at (``_Points``), added up in
Python over a few hundred groups.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import and_, case, delete, exists, func, literal, or_, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql import operators
from sqlalchemy.sql.expression import UnaryExpression
from sqlalchemy.sql.selectable import Alias

from familydoc.core import audit
from familydoc.core.auth import Actor, Permission, require
from familydoc.core.coverage import chain_end_on, ending_within, unsigned_on
from familydoc.core.errors import QT_TRANSLATE_NOOP, RuleViolation
from familydoc.core.masking import mask_address, mask_id_number, mask_phone
from familydoc.core.models import (
    KEY_POPULATIONS,
    TAG_CODES,
    TERMINATION_REASONS,
    Contract,
    ContractPackage,
    Doctor,
    Household,
    Institution,
    Resident,
    ResidentTag,
    ServicePackage,
    SigningTarget,
    Team,
    Village,
    VillagePopulation,
    utcnow,
)
from familydoc.core.outreach import contact_condition, last_contact_join
from familydoc.core.queries import PagedQuery, active_on, in_force_on
from familydoc.core.residents import EXPIRING_DAYS, age_on, population_condition, years_before
from familydoc.core.vocabulary import TERMINATION_LABELS as TERMINATION_TABLE

ANY_KEY = "any_key"
POPULATION_CODES = (*KEY_POPULATIONS, ANY_KEY)
OVERALL = "overall"
DIMENSIONS = ("overall", "village", "key_population", "team", "doctor")
DENOMINATOR_SOURCES = ("population", "registered", "mixed", "capacity")
TREND_MONTHS = 12

# DESIGN.md's labels: exports and reports are in Chinese whatever the interface language.
POPULATION_LABELS = {
    "elderly_65": "65岁及以上老年人",
    "child_0_6": "0-6岁儿童",
    "maternal": "孕产妇",
    "hypertension": "高血压",
    "diabetes": "2型糖尿病",
    "severe_mental": "严重精神障碍",
    "tuberculosis": "肺结核",
    "disabled": "残疾人",
    "poverty": "脱贫人口",
    "family_planning_special": "计划生育特殊家庭",
    ANY_KEY: "重点人群合计",
}
OVERALL_LABEL = "全部居民"
# One set of labels everywhere (familydoc.core.vocabulary): dialog, statistics, exports, PDFs.
TERMINATION_LABELS = {code: label.zh for code, label in TERMINATION_TABLE.items()}
ENDED_REASONS = (*TERMINATION_REASONS, "expired")

_TAG_BITS = {tag: 1 << index for index, tag in enumerate(TAG_CODES)}


def rate_of(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


def rate_text(numerator: int, denominator: int) -> str:
    """The rate to 4 decimals (half up), empty when the denominator is 0 (the CSV rule)."""
    if not denominator:
        return ""
    value = (Decimal(numerator) / Decimal(denominator)).quantize(
        Decimal("0.0001"), rounding=ROUND_HALF_UP
    )
    return f"{value:.4f}"


# --- the summary as of a date -------------------------------------------------------------


@dataclass(frozen=True)
class SummaryRow:
    dimension: str  # overall / village / key_population / team / doctor
    key: str  # "overall", the village code, the population code, the team or doctor id
    label: str
    denominator: int
    numerator: int
    denominator_source: str  # population / registered / mixed (overall only) / capacity

    @property
    def rate(self) -> float | None:
        return rate_of(self.numerator, self.denominator)

    @property
    def rate_text(self) -> str:
        return rate_text(self.numerator, self.denominator)


@dataclass(frozen=True)
class Summary:
    as_of: dt.date
    institution_code: str
    institution_name: str
    rows: tuple[SummaryRow, ...]
    villages_with_population: int  # villages whose denominator is their official population
    registered_residents: int = 0  # active residents on the day, all villages

    def of(self, dimension: str) -> list[SummaryRow]:
        return [row for row in self.rows if row.dimension == dimension]

    def row(self, dimension: str, key: str) -> SummaryRow | None:
        for row in self.rows:
            if row.dimension == dimension and row.key == key:
                return row
        return None

    @property
    def overall(self) -> SummaryRow:
        found = self.row("overall", OVERALL)
        assert found is not None
        return found

    @property
    def villages(self) -> int:
        return len(self.of("village"))


def _unindexed(column: Any) -> Any:
    """``+column``: SQLite will not pick an index for this term (keeps the covering scan)."""
    return UnaryExpression(column, operator=operators.custom_op("+"), type_=column.type)


class _IndexedBy(Alias):
    """``table AS name INDEXED BY index`` on SQLite (a plain alias elsewhere)."""

    inherit_cache = True
    index = ""


@compiles(_IndexedBy, "sqlite")
def _compile_indexed_by(element: _IndexedBy, compiler: Any, **kw: Any) -> str:
    text: str = compiler.visit_alias(element, **kw)
    if kw.get("asfrom"):
        text += f" INDEXED BY {element.index}"
    return text


def _residents_by_id() -> Any:
    """Residents looked up by id in ``ix_resident_statistics`` (id first, then the columns
    the statistics read), not in the table.

    SQLite's planner always prefers the table's own rowid look-up for ``resident.id = ?``;
    a table row is a whole resident (name, ID number, address…) and the look-ups of the
    tagged residents cost about a third more from the table than from this covering index.
    """
    table = Resident.__table__
    alias = _IndexedBy._construct(table, name="resident_by_id")
    alias.index = "ix_resident_statistics"
    return aliased(Resident, alias)


def _active_scan(day: dt.date) -> Any:
    """``queries.active_on`` written so the planner scans a covering index of residents.

    Left to itself SQLite may answer ``birth_date <= D`` from the birth-date index and
    then read 200,000 table rows; with the terms unindexed it scans the narrowest index
    that holds every column asked for (``ix_resident_statistics``).
    """
    birth = _unindexed(Resident.birth_date)
    moved_in = _unindexed(Resident.moved_in_on)
    left = _unindexed(Resident.left_on)
    return and_(
        birth <= day,
        or_(moved_in.is_(None), moved_in <= day),
        or_(left.is_(None), left > day),
    )


def _age_class(day: dt.date, resident: Any = Resident) -> Any:
    """1 for 65 and over on ``day``, 2 for 0-6, else 0 (the two never overlap)."""
    return case(
        (resident.birth_date <= years_before(day, 65), 1),
        (resident.birth_date > years_before(day, 7), 2),
        else_=0,
    )


def _tag_masks() -> Any:
    """Subquery: each tagged resident with the bit set of their tags (bit per TAG_CODES)."""
    bits = case(_TAG_BITS, value=ResidentTag.tag, else_=0)
    return (
        select(ResidentTag.resident_id.label("resident_id"), func.sum(bits).label("mask"))
        .group_by(ResidentTag.resident_id)
        .subquery("tag_masks")
    )


def _in_force_join(day: dt.date, resident: Any = Resident) -> Any:
    return and_(Contract.resident_id == resident.id, in_force_on(day))


def _pack(*fields: tuple[Any, int]) -> Any:
    """One integer of several small ones: (expression, bits) fields, the first highest.

    Grouping by one integer sorts far faster in SQLite than by several columns.
    """
    key: Any = None
    shift = sum(bits for _, bits in fields)
    for expression, bits in fields:
        shift -= bits
        part = expression.op("<<")(shift) if shift else expression
        key = part if key is None else key.op("|")(part)
    return key


def _unpack(key: int, bits: Sequence[int]) -> list[int]:
    values = []
    for width in reversed(bits):
        values.append(key & ((1 << width) - 1))
        key >>= width
    values.reverse()
    return values


def _id_bits(session: Session, column: Any) -> int:
    return max(1, int(session.scalar(select(func.max(column))) or 0).bit_length())


@dataclass(frozen=True)
class _SummaryPlan:
    by_village: Any
    by_tags: Any
    village_bits: tuple[int, ...]  # village, age, doctor, team
    tag_bits: tuple[int, ...]  # mask, age, signed


def summary_queries(
    day: dt.date, village_bits: int = 20, doctor_bits: int = 20, team_bits: int = 20
) -> _SummaryPlan:
    """The two grouped queries of the summary.

    1. active residents by (village, age class, doctor, team) — team 0 = not signed —
       in one pass over ``ix_resident_statistics`` with the contract in force looked up
       in ``ix_contract_statistics`` (in resident order, so the look-ups stay local);
    2. active tagged residents by (tag bit set, age class, signed), each looked up in
       ``ix_resident_statistics`` (``_residents_by_id``).
    """
    age = _age_class(day)
    key = _pack(
        (Resident.village_id, village_bits),
        (age, 2),
        (func.coalesce(Contract.doctor_id, 0), doctor_bits),
        (func.coalesce(Contract.team_id, 0), team_bits),
    ).label("k")
    by_village = (
        select(key, func.count())
        .select_from(Resident)
        .outerjoin(Contract, _in_force_join(day))
        .where(_active_scan(day))
        .group_by(key)
    )
    masks = _tag_masks()
    tagged = _residents_by_id()
    signed = case((Contract.id.is_(None), 0), else_=1)
    tag_key = _pack(
        (masks.c.mask, len(TAG_CODES)), (_age_class(day, tagged), 2), (signed, 1)
    ).label("k")
    by_tags = (
        select(tag_key, func.count())
        .select_from(masks)
        .join(tagged, tagged.id == masks.c.resident_id)
        .outerjoin(Contract, _in_force_join(day, tagged))
        .where(active_on(day, tagged))
        .group_by(tag_key)
    )
    return _SummaryPlan(
        by_village,
        by_tags,
        (village_bits, 2, doctor_bits, team_bits),
        (len(TAG_CODES), 2, 1),
    )


def _home(session: Session) -> tuple[str, str]:
    row = session.execute(
        select(Institution.code, Institution.name).where(Institution.is_home.is_(True))
    ).first()
    return (row[0], row[1]) if row else ("", "")


def _official_populations(session: Session, year: int) -> dict[int, int]:
    return dict(
        session.execute(
            select(VillagePopulation.village_id, VillagePopulation.population).where(
                VillagePopulation.year == year
            )
        ).all()
    )


def signing_summary(session: Session, day: dt.date) -> Summary:
    """Every row of the summary as of ``day`` (see the module docstring for the rules)."""
    plan = summary_queries(
        day,
        village_bits=_id_bits(session, Village.id),
        doctor_bits=_id_bits(session, Doctor.id),
        team_bits=_id_bits(session, Team.id),
    )
    registered: defaultdict[int, int] = defaultdict(int)
    signed: defaultdict[int, int] = defaultdict(int)
    team_signed: defaultdict[int, int] = defaultdict(int)
    doctor_signed: defaultdict[int, int] = defaultdict(int)
    population = {code: [0, 0] for code in POPULATION_CODES}  # [residents, signed]
    by_age = [[0, 0], [0, 0], [0, 0]]  # age class -> [residents, signed]
    # _unpack inlined: a few thousand groups, the loop is a tenth of the summary's time.
    _, age_bits, doctor_bits, team_bits = plan.village_bits
    team_mask, doctor_mask, age_mask = (1 << team_bits) - 1, (1 << doctor_bits) - 1, 3
    age_shift = doctor_bits + team_bits
    village_shift = age_shift + age_bits
    for key, count in session.execute(plan.by_village):
        village_id = key >> village_shift
        ages = by_age[(key >> age_shift) & age_mask]
        registered[village_id] += count
        ages[0] += count
        team_id = key & team_mask
        if team_id:  # signed
            signed[village_id] += count
            team_signed[team_id] += count
            doctor_signed[(key >> team_bits) & doctor_mask] += count
            ages[1] += count
    for age, code in ((1, "elderly_65"), (2, "child_0_6")):
        for target in (population[code], population[ANY_KEY]):
            target[0] += by_age[age][0]
            target[1] += by_age[age][1]
    for key, count in session.execute(plan.by_tags):
        mask, age, is_signed = _unpack(key, plan.tag_bits)
        codes = [tag for tag, bit in _TAG_BITS.items() if mask & bit]
        if age == 0:  # the aged ones are in any_key already
            codes.append(ANY_KEY)
        for code in codes:
            population[code][0] += count
            population[code][1] += count if is_signed else 0

    official = _official_populations(session, day.year)
    rows: list[SummaryRow] = []
    village_rows: list[SummaryRow] = []
    for village_id, code, name in session.execute(
        select(Village.id, Village.code, Village.name).order_by(Village.code)
    ):
        if village_id in official:
            denominator, source = official[village_id], "population"
        else:
            denominator, source = registered.get(village_id, 0), "registered"
        village_rows.append(
            SummaryRow("village", code, name, denominator, signed.get(village_id, 0), source)
        )
    using_population = sum(1 for row in village_rows if row.denominator_source == "population")
    rows.append(
        SummaryRow(
            "overall",
            OVERALL,
            OVERALL_LABEL,
            sum(row.denominator for row in village_rows),
            sum(row.numerator for row in village_rows),
            overall_source(using_population, len(village_rows)),
        )
    )
    rows.extend(village_rows)
    rows.extend(
        SummaryRow("key_population", code, POPULATION_LABELS[code], *population[code], "registered")
        for code in POPULATION_CODES
    )
    for team_id, name, capacity, active in session.execute(
        select(Team.id, Team.name, Team.capacity, Team.active).order_by(Team.name, Team.id)
    ):
        if active or team_signed.get(team_id):
            rows.append(
                SummaryRow(
                    "team",
                    str(team_id),
                    name,
                    capacity or 0,
                    team_signed.get(team_id, 0),
                    "capacity",
                )
            )
    for doctor_id, name, capacity, active in session.execute(
        select(Doctor.id, Doctor.name, Doctor.capacity, Doctor.active).order_by(
            Doctor.name, Doctor.id
        )
    ):
        if doctor_signed.get(doctor_id) or (active and capacity):
            rows.append(
                SummaryRow(
                    "doctor",
                    str(doctor_id),
                    name,
                    capacity or 0,
                    doctor_signed.get(doctor_id, 0),
                    "capacity",
                )
            )
    institution_code, institution_name = _home(session)
    return Summary(
        day,
        institution_code,
        institution_name,
        tuple(rows),
        using_population,
        sum(registered.values()),
    )


def overall_source(using_population: int, villages: int) -> str:
    """The overall row's denominator source: ``population`` when every village uses its
    official population, ``registered`` when none does, ``mixed`` otherwise."""
    if villages and using_population == villages:
        return "population"
    return "mixed" if using_population else "registered"


# --- the figures of a period ----------------------------------------------------------------


@dataclass(frozen=True)
class PackageFigures:
    code: str
    name: str
    contracts: int
    price_fen: int
    fund_insurance_fen: int
    fund_public_health_fen: int
    self_pay_fen: int


@dataclass(frozen=True)
class PeriodFigures:
    start: dt.date
    end: dt.date
    new_contracts: int  # signed in the period, not renewing an earlier contract
    renewals_signed: int  # signed in the period, renewing an earlier contract
    renewals_due: int  # contracts that reached their end date in the period (not ended early)
    renewed: int  # of those, the ones renewed (the renewal signed by the period's end)
    ended: tuple[tuple[str, int], ...]  # (reason, contracts), reasons as ENDED_REASONS
    paid_contracts: int  # signed in the period with at least one personalised package
    packages: tuple[PackageFigures, ...]  # the personalised packages of those contracts

    @property
    def renewal_rate(self) -> float | None:
        return rate_of(self.renewed, self.renewals_due)

    @property
    def ended_total(self) -> int:
        return sum(count for _, count in self.ended)

    def fee_total(self, attribute: str) -> int:
        return sum(getattr(package, attribute) for package in self.packages)


def _check_period(start: dt.date, end: dt.date) -> None:
    if end < start:
        raise RuleViolation(
            QT_TRANSLATE_NOOP("Errors", "The period ends ({end}) before it starts ({start})."),
            start=start.isoformat(),
            end=end.isoformat(),
        )


def period_figures(session: Session, start: dt.date, end: dt.date) -> PeriodFigures:
    """New contracts, renewals, endings and paid packages of ``start``..``end`` (inclusive)."""
    _check_period(start, end)
    signed_in = Contract.signed_on.between(start, end)
    is_renewal = Contract.previous_contract_id.is_not(None)
    new, renewals = session.execute(
        select(
            func.count().filter(~is_renewal),
            func.count().filter(is_renewal),
        ).where(signed_in)
    ).one()

    successor = aliased(Contract)
    renewed_exists = exists().where(
        successor.previous_contract_id == Contract.id, successor.signed_on <= end
    )
    due, renewed = session.execute(
        select(func.count(), func.count().filter(renewed_exists)).where(
            Contract.end_date.between(start, end),
            or_(Contract.terminated_on.is_(None), Contract.terminated_on > Contract.end_date),
        )
    ).one()

    ended = dict(
        session.execute(
            select(Contract.termination_reason, func.count())
            .where(Contract.terminated_on.between(start, end))
            .group_by(Contract.termination_reason)
        ).all()
    )
    ended["expired"] = int(due) - int(renewed)

    personalised = ServicePackage.kind == "personalised"
    paid = session.scalar(
        select(func.count(func.distinct(Contract.id)))
        .join(ContractPackage, ContractPackage.contract_id == Contract.id)
        .join(ServicePackage, ServicePackage.id == ContractPackage.package_id)
        .where(signed_in, personalised)
    )
    packages = [
        PackageFigures(code, name, int(count), int(price), int(insurance), int(public), int(own))
        for code, name, count, price, insurance, public, own in session.execute(
            select(
                ServicePackage.code,
                func.max(ServicePackage.name),
                func.count(func.distinct(Contract.id)),
                func.sum(ContractPackage.price_fen),
                func.sum(ContractPackage.fund_insurance_fen),
                func.sum(ContractPackage.fund_public_health_fen),
                func.sum(ContractPackage.self_pay_fen),
            )
            .join(ContractPackage, ContractPackage.contract_id == Contract.id)
            .join(ServicePackage, ServicePackage.id == ContractPackage.package_id)
            .where(signed_in, personalised)
            .group_by(ServicePackage.code)
            .order_by(ServicePackage.code)
        )
    ]
    return PeriodFigures(
        start=start,
        end=end,
        new_contracts=int(new),
        renewals_signed=int(renewals),
        renewals_due=int(due),
        renewed=int(renewed),
        ended=tuple((reason, int(ended.get(reason, 0))) for reason in ENDED_REASONS),
        paid_contracts=int(paid or 0),
        packages=tuple(packages),
    )


# --- the trend: month by month ----------------------------------------------------------------


def month_end(day: dt.date) -> dt.date:
    following = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def trend_points(day: dt.date, months: int = TREND_MONTHS) -> list[dt.date]:
    """The last day of each of the ``months`` months up to ``day``'s, and ``day`` itself."""
    points = []
    year, month = day.year, day.month
    for _ in range(months - 1):
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
        points.append(month_end(dt.date(year, month, 1)))
    points.reverse()
    points.append(day)
    return points


class _Points:
    """Maps a date column to the index of the first report day it has reached.

    With report days p0 < p1 < … < p(n-1): ``reached(x)`` is the first i with x <= p_i
    (n when x is NULL or after every day); ``passed(x)`` the first i with x < p_i. An
    interval of days [start, stop) covers p_i exactly when reached(start) <= i <
    reached(stop), so grouping rows by these indexes counts every day at once.
    """

    def __init__(self, points: Sequence[dt.date]) -> None:
        self.points = list(points)
        self.n = len(points)

    def _chain(self, column: Any, bounds: Sequence[dt.date], strict: bool) -> Any:
        last = bounds[-1]
        whens: list[tuple[Any, int]] = [
            (column.is_(None), self.n),
            ((column >= last) if strict else (column > last), self.n),
        ]
        for index, bound in enumerate(bounds[:-1]):
            whens.append(((column < bound) if strict else (column <= bound), index))
        return case(*whens, else_=self.n - 1)

    def reached(self, column: Any) -> Any:
        return self._chain(column, self.points, strict=False)

    def passed(self, column: Any) -> Any:
        return self._chain(column, self.points, strict=True)

    def reached_shifted(self, column: Any, years: int) -> Any:
        """First i with column <= p_i less ``years`` (birth dates: reaching an age)."""
        return self._chain(column, [years_before(p, years) for p in self.points], strict=False)


@dataclass(frozen=True)
class TrendPoint:
    day: dt.date
    figures: Mapping[str, tuple[int, int]]  # code (overall and populations) -> (denom, signed)
    denominator_source: str  # of the overall figure

    @property
    def month(self) -> str:
        return f"{self.day:%Y-%m}"

    def rate(self, code: str) -> float | None:
        denominator, numerator = self.figures[code]
        return rate_of(numerator, denominator)


@dataclass(frozen=True)
class Trend:
    as_of: dt.date
    points: tuple[TrendPoint, ...]
    codes: tuple[str, ...] = field(default=(OVERALL, *POPULATION_CODES))

    def rates(self, code: str) -> list[float | None]:
        return [point.rate(code) for point in self.points]


def _start_of_residence(resident: Any = Resident) -> Any:
    return func.max(resident.birth_date, func.coalesce(resident.moved_in_on, resident.birth_date))


_STEP_BITS = 4  # a report-day index 0..n fits in 4 bits (n <= 15)


@dataclass(frozen=True)
class _TrendPlan:
    residents: Any  # (village, start, stop, turned 65, turned 7) -> residents
    tagged: Any  # (tag bit set, start, stop, turned 65, turned 7) -> tagged residents
    contracts: Any  # (start, stop, turned 65, turned 7) -> contracts
    tagged_contracts: Any  # (tag bit set, start, stop, turned 65, turned 7) -> contracts
    village_bits: int


def trend_queries(points: Sequence[dt.date], village_bits: int = 20) -> _TrendPlan:
    """The four grouped queries of the trend (see ``_Points``).

    Residents and contracts are each read once, in resident order from covering indexes;
    the tagged ones a second time from the tag table (a quarter of the residents). Each
    row falls in a group named by the report days its interval starts and stops at.
    """
    assert len(points) < 1 << _STEP_BITS
    at = _Points(points)
    first, last = points[0], points[-1]
    step = _STEP_BITS

    def terms(resident: Any) -> tuple[Any, Any, Any, Any, Any]:
        """Start, stop, turned 65, turned 7 (report-day indexes) and the window condition."""
        birth, moved_in, left = (
            _unindexed(resident.birth_date),
            _unindexed(resident.moved_in_on),
            _unindexed(resident.left_on),
        )
        counted = and_(
            birth <= last,
            or_(moved_in.is_(None), moved_in <= last),
            or_(left.is_(None), left > first),
        )
        return (
            at.reached(_start_of_residence(resident)),
            at.reached(resident.left_on),
            at.reached_shifted(resident.birth_date, 65),
            at.reached_shifted(resident.birth_date, 7),
            counted,
        )

    terminated = _unindexed(Contract.terminated_on)
    in_window = and_(
        _unindexed(Contract.start_date) <= last,
        _unindexed(Contract.end_date) >= first,
        or_(terminated.is_(None), terminated > first),
    )

    def contract_span(start: Any, stop: Any) -> tuple[Any, Any]:
        return (
            func.max(at.reached(Contract.start_date), start),
            func.min(at.passed(Contract.end_date), at.reached(Contract.terminated_on), stop),
        )

    start, stop, turned_65, turned_7, counted = terms(Resident)
    ages = ((turned_65, step), (turned_7, step))
    key = _pack((Resident.village_id, village_bits), (start, step), (stop, step), *ages)
    residents = select(key.label("k"), func.count()).where(counted).group_by("k")

    contract_start, contract_stop = contract_span(start, stop)
    key = _pack((contract_start, step), (contract_stop, step), *ages)
    # "+resident.id": no look-up of residents by id, so SQLite reads the residents in order
    # and each one's contracts from the (resident_id, …) index: local reads, no random ones.
    contracts = (
        select(key.label("k"), func.count())
        .select_from(Resident)
        .join(Contract, Contract.resident_id == _unindexed(Resident.id))
        .where(in_window, counted)
        .group_by("k")
    )

    # The tagged residents, looked up by id in the covering index (``_residents_by_id``).
    masks = _tag_masks()
    by_id = _residents_by_id()
    start, stop, turned_65, turned_7, counted = terms(by_id)
    ages = ((turned_65, step), (turned_7, step))
    key = _pack((masks.c.mask, len(TAG_CODES)), (start, step), (stop, step), *ages)
    tagged = (
        select(key.label("k"), func.count())
        .select_from(masks)
        .join(by_id, by_id.id == masks.c.resident_id)
        .where(counted)
        .group_by("k")
    )
    contract_start, contract_stop = contract_span(start, stop)
    key = _pack(
        (masks.c.mask, len(TAG_CODES)), (contract_start, step), (contract_stop, step), *ages
    )
    tagged_contracts = (
        select(key.label("k"), func.count())
        .select_from(masks)
        .join(by_id, by_id.id == masks.c.resident_id)
        .join(Contract, Contract.resident_id == by_id.id)
        .where(in_window, counted)
        .group_by("k")
    )
    return _TrendPlan(residents, tagged, contracts, tagged_contracts, village_bits)


def _add(counts: list[int], begin: int, end: int, count: int) -> None:
    """Add ``count`` to the difference array for the report days begin..end-1."""
    if begin < end:
        counts[begin] += count
        counts[end] -= count


def _running(diff: list[int], n: int) -> list[int]:
    total, out = 0, []
    for value in diff[:n]:
        total += value
        out.append(total)
    return out


class _Tally:
    """Difference arrays of every population over the report days."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.diffs = {code: [0] * (n + 1) for code in (OVERALL, *POPULATION_CODES)}

    def all_rows(self, begin: int, end: int, turned_65: int, turned_7: int, count: int) -> None:
        """Anyone: counted overall, as elderly and child while of that age (and so any_key)."""
        diffs = self.diffs
        _add(diffs[OVERALL], begin, end, count)
        for code in ("elderly_65", ANY_KEY):
            _add(diffs[code], max(begin, turned_65), end, count)
        for code in ("child_0_6", ANY_KEY):
            _add(diffs[code], begin, min(end, turned_7), count)

    def tagged_rows(
        self, mask: int, begin: int, end: int, turned_65: int, turned_7: int, count: int
    ) -> None:
        """Tagged residents: their tags, and any_key while neither elderly nor a child."""
        for tag, bit in _TAG_BITS.items():
            if mask & bit:
                _add(self.diffs[tag], begin, end, count)
        _add(self.diffs[ANY_KEY], max(begin, turned_7), min(end, turned_65), count)

    def counts(self) -> dict[str, list[int]]:
        return {code: _running(diff, self.n) for code, diff in self.diffs.items()}


def signing_trend(session: Session, day: dt.date, months: int = TREND_MONTHS) -> Trend:
    """Overall and key-population figures at each month end of the last ``months`` months.

    The last point is ``day`` itself. The overall denominator follows the village rule of
    each point's year (official population when recorded).
    """
    points = trend_points(day, months)
    n = len(points)
    step = _STEP_BITS
    plan = trend_queries(points, village_bits=_id_bits(session, Village.id))
    residents, signed = _Tally(n), _Tally(n)
    village_diffs: dict[int, list[int]] = {}
    bits = (plan.village_bits, step, step, step, step)
    for key, count in session.execute(plan.residents):
        village_id, begin, end, turned_65, turned_7 = _unpack(key, bits)
        _add(village_diffs.setdefault(village_id, [0] * (n + 1)), begin, end, count)
        residents.all_rows(begin, end, turned_65, turned_7, count)
    bits = (len(TAG_CODES), step, step, step, step)
    for key, count in session.execute(plan.tagged):
        residents.tagged_rows(*_unpack(key, bits), count)
    for key, count in session.execute(plan.contracts):
        signed.all_rows(*_unpack(key, (step, step, step, step)), count)
    for key, count in session.execute(plan.tagged_contracts):
        signed.tagged_rows(*_unpack(key, bits), count)
    resident_counts, signed_counts = residents.counts(), signed.counts()
    village_counts = {vid: _running(diff, n) for vid, diff in village_diffs.items()}
    village_ids = list(session.scalars(select(Village.id)))
    officials = {year: _official_populations(session, year) for year in {p.year for p in points}}
    result = []
    for index, point in enumerate(points):
        official = officials[point.year]
        denominator = sum(
            official[vid] if vid in official else village_counts.get(vid, [0] * n)[index]
            for vid in village_ids
        )
        using = sum(1 for vid in village_ids if vid in official)
        figures = {OVERALL: (denominator, signed_counts[OVERALL][index])}
        for code in POPULATION_CODES:
            figures[code] = (resident_counts[code][index], signed_counts[code][index])
        result.append(TrendPoint(point, figures, overall_source(using, len(village_ids))))
    return Trend(day, tuple(result))


# --- targets ------------------------------------------------------------------------------------

TARGET_CODES = (OVERALL, *POPULATION_CODES)


def get_targets(session: Session, year: int) -> dict[str, float]:
    """The targets of ``year``: code -> rate between 0 and 1 (codes without one left out)."""
    return {
        code: permyriad / 10_000
        for code, permyriad in session.execute(
            select(SigningTarget.code, SigningTarget.target_permyriad).where(
                SigningTarget.year == year
            )
        )
    }


def set_targets(
    session: Session, actor: Actor, year: int, targets: Mapping[str, float | None]
) -> dict[str, float]:
    """Set (or with None clear) the targets of ``year``; audited. Returns the year's targets."""
    require(actor, Permission.SET_TARGETS)
    if not 2000 <= year <= 2100:
        raise RuleViolation(
            QT_TRANSLATE_NOOP("Errors", "The year {year} is not a plausible target year."),
            year=year,
        )
    before = get_targets(session, year)
    changes: dict[str, Any] = {}
    for code, value in targets.items():
        if code not in TARGET_CODES:
            raise RuleViolation(
                QT_TRANSLATE_NOOP("Errors", "Unknown key population: {value}."), value=code
            )
        if value is not None and not 0 <= value <= 1:
            raise RuleViolation(
                QT_TRANSLATE_NOOP("Errors", "A target must be between 0% and 100%."),
            )
        permyriad = None if value is None else round(value * 10_000)
        old = before.get(code)
        old_permyriad = None if old is None else round(old * 10_000)
        if permyriad == old_permyriad:
            continue
        session.execute(
            delete(SigningTarget).where(SigningTarget.year == year, SigningTarget.code == code)
        )
        if permyriad is not None:
            session.add(
                SigningTarget(
                    year=year,
                    code=code,
                    target_permyriad=permyriad,
                    set_by=actor.user_id,
                    set_at=utcnow(),
                )
            )
        changes[code] = (
            None if old_permyriad is None else old_permyriad / 100,
            None if permyriad is None else permyriad / 100,
        )
    if changes:
        session.flush()
        audit.record(
            session,
            user_id=actor.user_id,
            username=actor.username,
            action="targets.set",
            entity_type="signing_target",
            entity_id=year,
            changes=changes,
        )
    return get_targets(session, year)


def target_level(rate: float | None, target: float | None, margin: float = 0.05) -> str:
    """``met``, ``near`` (within ``margin`` below), ``behind``; ``none`` without both figures."""
    if rate is None or target is None:
        return "none"
    if rate + 1e-12 >= target:
        return "met"
    return "near" if rate + margin >= target else "behind"


# --- the outreach list: whom to call ---------------------------------------------------------

OUTREACH_COLUMNS = (
    "id",
    "name",
    "sex",
    "age",
    "phone",
    "village",
    "household",
    "relation",
    "address",
    "populations",
    "state",  # unsigned / ending
    "contract_end",
    "doctor",
    "birth_date",
    # the last contact on or before the day (familydoc.core.outreach)
    "contact_result",
    "contact_reason",
    "contact_note",
    "contacted_on",
    "contacted_by",
    "next_contact_on",
    "id_number",  # masked unless unmasked
)
OUTREACH_STATES = ("unsigned", "ending")


@dataclass(frozen=True)
class OutreachFilter:
    """Residents of a village and/or a key population, not signed or whose contract ends soon."""

    as_of: dt.date
    village_code: str | None = None
    population: str | None = None  # a key population code or any_key
    states: tuple[str, ...] = OUTREACH_STATES
    ending_within_days: int = EXPIRING_DAYS
    contact: str | None = None  # one of familydoc.core.outreach.CONTACT_FILTERS


def _population_list(day: dt.date) -> Any:
    """SQL: the resident's key populations as labels joined by 、 (tags, then the age ones)."""
    labels = case(
        {tag: POPULATION_LABELS[tag] for tag in TAG_CODES}, value=ResidentTag.tag, else_=""
    )
    tags = (
        select(func.group_concat(labels, "、"))
        .where(ResidentTag.resident_id == Resident.id)
        .correlate(Resident)
        .scalar_subquery()
    )
    age = case(
        (Resident.birth_date <= years_before(day, 65), POPULATION_LABELS["elderly_65"]),
        (Resident.birth_date > years_before(day, 7), POPULATION_LABELS["child_0_6"]),
        else_=None,
    )
    return func.nullif(
        func.coalesce(age, "")
        + case((and_(age.is_not(None), tags.is_not(None)), "、"), else_="")
        + func.coalesce(tags, ""),
        "",
    )


def outreach_query(actor: Actor, filters: OutreachFilter, *, unmasked: bool = False) -> PagedQuery:
    """The call list: residents to sign or to renew, with phone (masked per role) and household."""
    require(actor, Permission.VIEW_RESIDENTS)
    if unmasked:
        require(actor, Permission.VIEW_UNMASKED)
    day = filters.as_of
    current_end = chain_end_on(day)
    current = aliased(Contract)
    doctor = (
        select(Doctor.name)
        .join(current, current.doctor_id == Doctor.id)
        .where(current.resident_id == Resident.id, current.start_date <= day)
        .order_by(current.start_date.desc())
        .correlate(Resident)
        .limit(1)
        .scalar_subquery()
    )
    state = case((current_end.is_(None), "unsigned"), else_="ending")
    contact, recorder, last_contact = last_contact_join(day)
    base = (
        select(
            Resident.id,
            Resident.name,
            Resident.sex,
            literal(0),
            Resident.phone,
            Village.name,
            Household.number,
            Resident.relation_to_head,
            func.coalesce(Resident.address, Household.address),
            _population_list(day),
            state,
            current_end,
            doctor,
            Resident.birth_date,
            contact.c.result,
            contact.c.reason,
            contact.c.note,
            contact.c.contacted_on,
            func.coalesce(recorder.c.display_name, recorder.c.username),
            contact.c.next_contact_on,
            Resident.id_number,
        )
        .join(Village, Village.id == Resident.village_id)
        .outerjoin(Household, Household.id == Resident.household_id)
        .outerjoin(contact, last_contact)
        .outerjoin(recorder, recorder.c.id == contact.c.recorded_by)
    )
    conditions = [active_on(day)]
    if filters.contact:
        conditions.append(contact_condition(filters.contact, contact, day))
    if filters.village_code:
        conditions.append(Village.code == filters.village_code)
    if filters.population:
        conditions.append(population_condition(filters.population, day))
    wanted = []  # 未签约: no coverage and nothing signed ahead; 即将到期: the chain ends soon
    if "unsigned" in filters.states:
        wanted.append(unsigned_on(day))
    if "ending" in filters.states:
        wanted.append(ending_within(day, filters.ending_within_days))
    conditions.append(or_(*wanted) if wanted else literal(False))
    base = base.where(and_(*conditions))
    order = (Village.code, Household.number, Resident.household_id, Resident.id)

    def shape(row: Any) -> tuple[Any, ...]:
        values = list(row)
        values[3] = age_on(values[13], day)
        if not unmasked:
            values[4] = mask_phone(values[4])
            values[8] = mask_address(values[8])
            values[20] = mask_id_number(values[20])
        return tuple(values)

    return PagedQuery(OUTREACH_COLUMNS, base, order, shape)


def outreach_rows(
    session: Session, actor: Actor, filters: OutreachFilter, *, unmasked: bool = False
) -> list[tuple[Any, ...]]:
    """The whole call list (for printing and exporting)."""
    query = outreach_query(actor, filters, unmasked=unmasked)
    return query.fetch(session, 0, -1)


def mask_id(value: str | None, unmasked: bool) -> str:
    return (value or "") if unmasked else mask_id_number(value)
