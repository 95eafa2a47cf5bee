"""What a report says (counts only) and how a delivery ended, independent of the protocol.

The figures come from ``statistics.signing_summary`` — the same numbers the statistics page
shows — reduced to the overall row, the villages (by division code) and the key populations
(by the codes of DESIGN.md). Team and doctor rows stay home: they name doctors, and the
county asks for neither. No name, ID number, phone or address can reach a payload because
none is copied into these dataclasses.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from familydoc.core.errors import QT_TRANSLATE_NOOP
from familydoc.core.statistics import Summary

SYNC_CONTEXT = "Sync"

TO_POST = "TO_POST"
UPLOADING = "UPLOADING"
SYNCED = "SYNCED"
ERROR = "ERROR"
WARNING = "WARNING"


@dataclass(frozen=True)
class Count:
    key: str  # "overall", a village code or a key population code
    denominator: int
    numerator: int

    @property
    def rate(self) -> Decimal | None:
        """numerator/denominator to 4 decimals (the CSV rule), None when nobody counts."""
        if not self.denominator:
            return None
        return (Decimal(self.numerator) / Decimal(self.denominator)).quantize(
            Decimal("0.0001"), rounding=ROUND_HALF_UP
        )


@dataclass(frozen=True)
class ReportFigures:
    """The signing totals of one institution for one month, as of one day."""

    institution_code: str
    institution_name: str
    period: str  # yyyy-MM
    as_of: dt.date
    final: bool  # the month has ended and these are its totals as of its last day
    overall: Count
    villages: tuple[Count, ...]
    populations: tuple[Count, ...]

    @property
    def period_start(self) -> dt.date:
        return month_start(self.period)

    def as_json(self) -> dict[str, Any]:
        """Kept with the outbox row so the Sync page can show what was sent."""
        return {
            "overall": [self.overall.denominator, self.overall.numerator],
            "villages": {c.key: [c.denominator, c.numerator] for c in self.villages},
            "populations": {c.key: [c.denominator, c.numerator] for c in self.populations},
        }


def figures_from_summary(summary: Summary, period: str, final: bool) -> ReportFigures:
    return ReportFigures(
        institution_code=summary.institution_code,
        institution_name=summary.institution_name,
        period=period,
        as_of=summary.as_of,
        final=final,
        overall=Count("overall", summary.overall.denominator, summary.overall.numerator),
        villages=tuple(
            Count(row.key, row.denominator, row.numerator) for row in summary.of("village")
        ),
        populations=tuple(
            Count(row.key, row.denominator, row.numerator) for row in summary.of("key_population")
        ),
    )


def period_of(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def month_start(period: str) -> dt.date:
    year, month = period.split("-")
    return dt.date(int(year), int(month), 1)


def next_period(period: str) -> str:
    start = month_start(period)
    return period_of(dt.date(start.year + start.month // 12, start.month % 12 + 1, 1))


def previous_period(period: str) -> str:
    start = month_start(period)
    return period_of(start - dt.timedelta(days=1))


# The words for the states, shared by the Sync page and the command line.
STATE_LABELS = {
    TO_POST: QT_TRANSLATE_NOOP("Sync", "Waiting"),
    UPLOADING: QT_TRANSLATE_NOOP("Sync", "Sending"),
    SYNCED: QT_TRANSLATE_NOOP("Sync", "Delivered"),
    ERROR: QT_TRANSLATE_NOOP("Sync", "Error"),
    WARNING: QT_TRANSLATE_NOOP("Sync", "Warning"),
}


# --- how a delivery ended ------------------------------------------------------------------

UNREACHABLE = "unreachable"  # no answer (down, offline, timeouts, 5xx after the retries)
WAIT = "wait"  # the server asked to come back later than one run waits
TLS = "tls"  # the server's certificate could not be verified
AUTH = "auth"  # 401/403: the token
NOT_FOUND = "not_found"  # 404: the address
REJECTED = "rejected"  # any other refusal (400, 409, 412, 422…)
CONFLICTS = "conflicts"  # accepted, some values ignored (DHIS2)
BAD_ANSWER = "bad_answer"  # an answer that does not confirm anything (malformed)

# What a supervisor reads; the server's own words are shown next to it.
PROBLEM_MESSAGES = {
    UNREACHABLE: QT_TRANSLATE_NOOP(
        "Sync",
        "The county server could not be reached. The report stays queued and is sent at the"
        " next try.",
    ),
    WAIT: QT_TRANSLATE_NOOP(
        "Sync",
        "The county server is busy and asked to wait. The report stays queued and is sent at"
        " the next try.",
    ),
    TLS: QT_TRANSLATE_NOOP(
        "Sync",
        "The county server's certificate could not be verified. If the county uses its own"
        " certificates, set their CA bundle in the settings. The report stays queued.",
    ),
    AUTH: QT_TRANSLATE_NOOP(
        "Sync",
        "The county server did not accept the access token. Check the token in the settings"
        " (ask the county for a new one), then sync again.",
    ),
    NOT_FOUND: QT_TRANSLATE_NOOP(
        "Sync",
        "The county server does not know this address. Check the server address in the"
        " settings, then sync again.",
    ),
    REJECTED: QT_TRANSLATE_NOOP(
        "Sync",
        "The county server refused the report. Show the server's answer to the county, then"
        " sync again.",
    ),
    CONFLICTS: QT_TRANSLATE_NOOP(
        "Sync",
        "The county server took the report but ignored some values. Show the server's answer"
        " to the county; the mapping file may need correcting.",
    ),
    BAD_ANSWER: QT_TRANSLATE_NOOP(
        "Sync",
        "The county server's answer could not be read, so the delivery is not confirmed. Ask"
        " the county to check their server, then sync again.",
    ),
}
PROBLEMS_THAT_WAIT = (UNREACHABLE, WAIT, TLS)  # the report stays TO_POST


@dataclass(frozen=True)
class Outcome:
    """The end of one delivery: the state the report moves to and the server's words."""

    state: str
    problem: str | None = None
    http_status: int | None = None
    server_words: str = ""

    @property
    def stops_run(self) -> bool:
        """Unreachable or refused credentials: trying the next report cannot go better."""
        return self.problem in (*PROBLEMS_THAT_WAIT, AUTH, NOT_FOUND)
