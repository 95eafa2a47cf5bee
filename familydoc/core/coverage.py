"""Coverage: is this resident covered on day D, until when, or signed ahead? (DESIGN.md)

A resident is covered on D by the contract in force on D and by the contracts that
follow it without a gap: each next contract starts on or before the day after the
previous one's last day in force (a renewal, a change of team, a contract imported
as the next year's). "Signed until" and "ending soon" are the end of that chain.
A resident with no contract in force on D but one that starts later is 已预签
(pre-signed) from that start, not unsigned.

One rule, two forms that tests keep equal: ``coverage_from_periods`` over the
periods of one resident, and SQL expressions (``chain_end_on``, ``presigned_from``,
``ending_within``) correlated to ``Resident`` so the lists, counts and exports
compute it set-based in the same statement as their rows.

A contract's last day in force is its end date, or the day before its termination
date when it was terminated earlier; a contract terminated on or before its start
date was never in force and counts for nothing.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Date, and_, case, exists, func, not_, or_, select
from sqlalchemy.orm import Session

from familydoc.core.models import Contract, Resident, Team

ENDING_SOON_DAYS = 30
COVERAGE_STATES = ("covered", "ending", "presigned", "none")

ONE_DAY = dt.timedelta(days=1)
CONTRACT = Contract.__table__.c  # the columns, for expressions over the table itself


def _cached(build: Callable[..., Any]) -> Callable[..., Any]:
    """The same expression for the same day (and resident column): SQL expressions are
    immutable, and a list built again (each refresh, each keystroke) reuses them."""
    return functools.lru_cache(maxsize=128)(build)


def _contracts() -> Any:
    """A fresh alias of the contract table (its columns). A Core alias, not an ORM one:
    building the expressions of a list costs microseconds, not milliseconds."""
    return Contract.__table__.alias().c


# --- the rule in Python ------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """A contract's period: the ids and dates the rule needs."""

    contract_id: int
    start: dt.date
    end: dt.date
    terminated_on: dt.date | None = None

    @property
    def last_day(self) -> dt.date:
        if self.terminated_on is not None and self.terminated_on <= self.end:
            return self.terminated_on - ONE_DAY
        return self.end

    @property
    def ever_in_force(self) -> bool:
        return self.last_day >= self.start


@dataclass(frozen=True)
class Coverage:
    """A resident's coverage on ``day``.

    ``state``: ``covered``; ``ending`` (covered, the chain ends within ``days``);
    ``presigned`` (not covered, a contract starts later: ``presigned_from``); ``none``.
    """

    day: dt.date
    state: str
    in_force_id: int | None = None  # the contract in force on the day
    chain: tuple[int, ...] = ()  # it and the contracts that follow without a gap
    covered_until: dt.date | None = None  # the chain's last day
    presigned_id: int | None = None
    presigned_from: dt.date | None = None

    @property
    def covered(self) -> bool:
        return self.state in ("covered", "ending")


def coverage_from_periods(
    periods: Iterable[Period], day: dt.date, days: int = ENDING_SOON_DAYS
) -> Coverage:
    """The rule over one resident's contract periods (any order)."""
    ordered = sorted((p for p in periods if p.ever_in_force), key=lambda p: p.start)
    current = next((p for p in ordered if p.start <= day <= p.last_day), None)
    if current is None:
        ahead = next((p for p in ordered if p.start > day), None)
        if ahead is None:
            return Coverage(day, "none")
        return Coverage(
            day, "presigned", presigned_id=ahead.contract_id, presigned_from=ahead.start
        )
    chain = [current]
    for period in ordered:
        if chain[-1].start < period.start <= chain[-1].last_day + ONE_DAY:
            chain.append(period)
    until = chain[-1].last_day
    state = "ending" if until <= day + dt.timedelta(days=days) else "covered"
    return Coverage(day, state, current.contract_id, tuple(p.contract_id for p in chain), until)


def coverage_of(
    session: Session, resident_id: int, day: dt.date, days: int = ENDING_SOON_DAYS
) -> Coverage:
    """The coverage of one resident on ``day`` (the detail view, a household's members)."""
    rows = session.execute(
        select(Contract.id, Contract.start_date, Contract.end_date, Contract.terminated_on).where(
            Contract.resident_id == resident_id
        )
    ).all()
    return coverage_from_periods((Period(*row) for row in rows), day, days)


# --- the rule in SQL ---------------------------------------------------------------------


def last_day(contract: Any = CONTRACT) -> Any:
    """SQL: the contract's last day in force (see the module docstring)."""
    return case(
        (
            and_(contract.terminated_on.is_not(None), contract.terminated_on <= contract.end_date),
            func.date(contract.terminated_on, "-1 day", type_=Date),
        ),
        else_=contract.end_date,
    )


def _day_after_last(contract: Any) -> Any:
    return case(
        (
            and_(contract.terminated_on.is_not(None), contract.terminated_on <= contract.end_date),
            contract.terminated_on,
        ),
        else_=func.date(contract.end_date, "+1 day", type_=Date),
    )


def _ever_in_force(contract: Any) -> Any:
    return or_(contract.terminated_on.is_(None), contract.terminated_on > contract.start_date)


def ends_chain(contract: Any = CONTRACT) -> Any:
    """SQL: no contract of the same resident follows ``contract`` without a gap."""
    following = _contracts()
    return not_(
        exists().where(
            following.resident_id == contract.resident_id,
            following.start_date > contract.start_date,
            following.start_date <= _day_after_last(contract),
            _ever_in_force(following),
        )
    )


@_cached
def covered_on(day: dt.date, resident_id: Any = Resident.id) -> Any:
    """SQL condition: the resident has a contract in force on ``day``."""
    current = _contracts()  # an alias: the outer query may itself read contracts
    return (
        select(current.id)
        .where(
            current.resident_id == resident_id,
            current.start_date <= day,
            current.end_date >= day,
            or_(current.terminated_on.is_(None), current.terminated_on > day),
        )
        .exists()
    )


def _chain_ends(
    resident_id: Any, day: dt.date, until: dt.date | None = None
) -> tuple[Any, list[Any]]:
    """The chain-ending contracts of the resident whose last day is ``day`` or later (and
    ``until`` or earlier); the cheap comparisons first, the probe for a follower last.

    When the resident is covered on ``day`` the first of them ends the chain that covers
    the day: the chain runs without a gap from the contract in force to it.
    """
    end = _contracts()
    terms = [end.resident_id == resident_id, end.end_date >= day, last_day(end) >= day]
    if until is not None:
        terms.append(last_day(end) <= until)
    return end, [*terms, _ever_in_force(end), ends_chain(end)]


def _in_force_itself(contract: Any, day: dt.date) -> Any:
    """SQL: ``contract`` is in force on ``day`` (spares the probe of ``covered_on``)."""
    return and_(
        contract.start_date <= day,
        contract.end_date >= day,
        or_(contract.terminated_on.is_(None), contract.terminated_on > day),
    )


@_cached
def chain_end_on(day: dt.date, resident_id: Any = Resident.id) -> Any:
    """SQL scalar: the last day of the resident's coverage on ``day`` (NULL: not covered)."""
    end, terms = _chain_ends(resident_id, day)
    until = select(func.min(last_day(end))).where(*terms).scalar_subquery()
    return case((covered_on(day, resident_id), until), else_=None)


@_cached
def ending_within(day: dt.date, days: int, resident_id: Any = Resident.id) -> Any:
    """SQL condition: covered on ``day`` and the chain ends by ``day + days``."""
    end, terms = _chain_ends(resident_id, day, day + dt.timedelta(days=days))
    # the rarer condition first: few chains end within the window
    return and_(select(end.id).where(*terms).exists(), covered_on(day, resident_id))


@_cached
def signed_ahead(day: dt.date, resident_id: Any = Resident.id) -> Any:
    """SQL condition: some contract of the resident starts after ``day`` (and will be in force)."""
    ahead = _contracts()
    return (
        select(ahead.id)
        .where(ahead.resident_id == resident_id, ahead.start_date > day, _ever_in_force(ahead))
        .exists()
    )


@_cached
def presigned_on(day: dt.date, resident_id: Any = Resident.id) -> Any:
    """SQL condition: 已预签 — not covered on ``day``, a contract signed ahead starts later."""
    return and_(~covered_on(day, resident_id), signed_ahead(day, resident_id))


@_cached
def unsigned_on(day: dt.date, resident_id: Any = Resident.id) -> Any:
    """SQL condition: 未签约 — neither covered on ``day`` nor signed ahead."""
    return and_(~covered_on(day, resident_id), ~signed_ahead(day, resident_id))


@_cached
def presigned_from(day: dt.date, resident_id: Any = Resident.id) -> Any:
    """SQL scalar: the start of the first contract signed ahead, when not covered on ``day``."""
    ahead = _contracts()
    first = (
        select(func.min(ahead.start_date))
        .where(ahead.resident_id == resident_id, ahead.start_date > day, _ever_in_force(ahead))
        .scalar_subquery()
    )
    return case((covered_on(day, resident_id), None), else_=first)


@_cached
def state_on(day: dt.date, days: int = ENDING_SOON_DAYS, resident_id: Any = Resident.id) -> Any:
    """SQL scalar: one of ``COVERAGE_STATES``."""
    return case(
        (ending_within(day, days, resident_id), "ending"),
        (covered_on(day, resident_id), "covered"),
        (signed_ahead(day, resident_id), "presigned"),
        else_="none",
    )


# --- shaped for display ------------------------------------------------------------------


@dataclass(frozen=True)
class ContractState:
    """A resident's contract as the detail view and a household's members show it.

    Covered: the contract in force, ``covered_until`` the end of its chain and ``expiring``
    when that end is near. Pre-signed (``presigned``): the contract signed ahead, starting
    on ``start_date``; ``covered_until`` is None.
    """

    number: str
    team: str
    start_date: dt.date
    end_date: dt.date
    expiring: bool
    covered_until: dt.date | None = None
    presigned: bool = False


def contract_states(
    session: Session, resident_ids: Iterable[int], day: dt.date, days: int = ENDING_SOON_DAYS
) -> dict[int, ContractState]:
    """The contract state of each resident that is covered or pre-signed on ``day``."""
    ids = list(resident_ids)
    if not ids:
        return {}
    periods: dict[int, list[Period]] = {}
    shown: dict[int, tuple[str, str, dt.date, dt.date]] = {}
    for row in session.execute(
        select(
            Contract.resident_id,
            Contract.id,
            Contract.start_date,
            Contract.end_date,
            Contract.terminated_on,
            Contract.number,
            Team.name,
        )
        .join(Team, Team.id == Contract.team_id)
        .where(Contract.resident_id.in_(ids))
    ):
        periods.setdefault(row[0], []).append(Period(row[1], row[2], row[3], row[4]))
        shown[row[1]] = (row[5], row[6], row[2], row[3])
    states = {}
    for resident_id, own in periods.items():
        coverage = coverage_from_periods(own, day, days)
        if coverage.covered:
            assert coverage.in_force_id is not None
            number, team, start, end = shown[coverage.in_force_id]
            states[resident_id] = ContractState(
                number, team, start, end, coverage.state == "ending", coverage.covered_until
            )
        elif coverage.state == "presigned":
            assert coverage.presigned_id is not None
            number, team, start, end = shown[coverage.presigned_id]
            states[resident_id] = ContractState(number, team, start, end, False, presigned=True)
    return states


# --- counts read from the contract table (fast paths of the resident list) ---------------


def count_in_state(state: str, day: dt.date, days: int = ENDING_SOON_DAYS) -> Any:
    """SQL scalar select: residents ``covered`` / ``ending`` / ``presigned`` on ``day``, counted
    from the contracts (a few index ranges) instead of testing every resident; residents who
    left are counted too (the caller subtracts them)."""
    if state == "covered":  # at most one contract in force per resident and day
        return (
            select(func.count())
            .select_from(Contract.__table__)
            .where(
                CONTRACT.start_date <= day,
                CONTRACT.end_date >= day,
                or_(CONTRACT.terminated_on.is_(None), CONTRACT.terminated_on > day),
            )
        )
    if state == "presigned":
        return select(func.count(func.distinct(CONTRACT.resident_id))).where(
            CONTRACT.start_date > day,
            _ever_in_force(CONTRACT),
            ~covered_on(day, CONTRACT.resident_id),
        )
    if state == "ending":  # the chain-ending contracts whose last day is in the window
        soon = day + dt.timedelta(days=days)
        return select(func.count(func.distinct(CONTRACT.resident_id))).where(
            # two index ranges (ix_contract_end_date, ix_contract_terminated)
            or_(
                CONTRACT.end_date.between(day, soon),
                CONTRACT.terminated_on.between(day + ONE_DAY, soon + ONE_DAY),
            ),
            last_day(CONTRACT).between(day, soon),
            _ever_in_force(CONTRACT),
            ends_chain(CONTRACT),
            or_(_in_force_itself(CONTRACT, day), covered_on(day, CONTRACT.resident_id)),
        )
    raise ValueError(state)
