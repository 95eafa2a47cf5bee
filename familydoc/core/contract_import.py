"""Importing the roster of residents already signed, as clinics keep it in Excel.

Each row names a resident by ID number, the team, the responsible doctor, the
service packages and the dates. Every row goes through ``contracts.sign_row``:
the same rules as the signing form (one contract in force per resident, a
responsible doctor on the team, package versions valid on the start date,
capacities), the same gap-free numbering and an audit event per contract.

All rows or none: the rows are signed inside a savepoint of the caller's unit of
work, one nested savepoint per row so a refused row leaves nothing behind; when
any row is refused (or for a dry run) the savepoint is rolled back, so the
check of a dry run is the import itself. Rows keep being signed after a
refusal, so the later rows are checked against the earlier ones (capacities,
overlapping periods) exactly as a clean import would.

A row whose resident already has a contract with the same team and the same
start date that was not ended early is counted as already present and left as
stored: importing the same roster again signs nothing twice.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from familydoc.core import audit
from familydoc.core.auth import Actor, Permission, require
from familydoc.core.contracts import (
    ADULT_AGE,
    OVERLAP_MESSAGE,
    OverCapacity,
    SignInput,
    default_end,
    institution_code,
    last_day_in_force,
    sign_row,
)
from familydoc.core.errors import QT_TRANSLATE_NOOP, FamilydocError, RuleViolation
from familydoc.core.idnumber import validate as validate_id_number
from familydoc.core.imports import (
    _BAD_DATE,
    CONTRACT_FIELDS,
    ImportRefused,
    ImportReport,
    Progress,
    RowProblem,
    SourceRow,
)
from familydoc.core.masking import mask_id_number, mask_phone
from familydoc.core.models import Contract, Doctor, Resident, ServicePackage, Team, TeamMember
from familydoc.core.residents import age_on, clean_name, clean_text
from familydoc.core.tabular import parse_date
from familydoc.core.teams import (
    TeamInput,
    add_named_doctor,
    get_team,
    home_institution_id,
    plain_text,
    save_team,
)

PROGRESS_ROWS = 100  # signing is a few milliseconds a row: report more often than residents
NEW_MEMBER_ROLE = "general_practitioner"
T = TypeVar("T")
_PACKAGE_SEPARATORS = re.compile(r"[;；,，、/|\n]+")
BASIC_WORDS = frozenset(
    {"基础包", "基本包", "基础服务包", "基本服务包", "免费包", "免费基础包", "基础", "basic"}
)

# The refusals of ``contracts.check_signing`` by the column a clerk has to correct;
# anything else is about the resident (the ID-number column).
_COLUMN_OF_MESSAGE: dict[str, str] = {
    QT_TRANSLATE_NOOP("Errors", "The signing date is in the future."): "signed_on",
    QT_TRANSLATE_NOOP(
        "Errors", "The contract cannot start before the resident's birth."
    ): "start_date",
    QT_TRANSLATE_NOOP("Errors", "The end date is before the start date."): "end_date",
    QT_TRANSLATE_NOOP("Errors", "A contract runs for at most {years} years."): "end_date",
    QT_TRANSLATE_NOOP("Errors", "The team {team} is closed."): "team",
    QT_TRANSLATE_NOOP(
        "Errors",
        "{doctor} is not a member of {team}: the responsible doctor must be one of"
        " the team's members.",
    ): "doctor",
    QT_TRANSLATE_NOOP("Errors", "{doctor} no longer works here."): "doctor",
    QT_TRANSLATE_NOOP("Errors", "There is no package {code}."): "packages",
    QT_TRANSLATE_NOOP("Errors", "The package {name} is not offered on {date}."): "packages",
    QT_TRANSLATE_NOOP("Errors", "Choose at least one service package."): "packages",
    OVERLAP_MESSAGE: "start_date",
}
_OVER_CAPACITY = QT_TRANSLATE_NOOP(
    "Errors",
    "{name} would have {signed} contracts for a capacity of {capacity}: only a supervisor"
    " may sign past a capacity, so a supervisor has to import this file.",
)


@dataclass
class _Names:
    """Teams and doctors by name, and what this import created (to count and to reuse)."""

    teams: dict[str, int] = field(default_factory=dict)  # by _team_key
    created_teams: set[int] = field(default_factory=set)
    created_doctors: dict[str, int] = field(default_factory=dict)


@dataclass
class _Row:
    """A row's values once each cell is read: what ``sign_row`` gets, or the problems."""

    number: int
    resident: Resident | None = None
    team_name: str = ""
    doctor_name: str = ""
    package_codes: tuple[str, ...] = ()
    signed_on: dt.date | None = None
    start: dt.date | None = None
    end: dt.date | None = None


class _ContractImport:
    """The state of one contracts import: lookups, counts, problems."""

    def __init__(
        self,
        session: Session,
        actor: Actor,
        today: dt.date,
        columns: Mapping[str, str],
        create_missing: bool,
    ) -> None:
        self.session = session
        self.actor = actor
        self.today = today
        self.columns = columns
        self.create_missing = create_missing
        self.may_create = actor.can(Permission.MANAGE_TEAMS)
        self.approver = actor if actor.can(Permission.APPROVE_OVER_CAPACITY) else None
        self.code = institution_code(session)
        self.home_id = home_institution_id(session)
        self.names = _Names()
        for team_id, name in session.execute(
            select(Team.id, Team.name).where(Team.institution_id == self.home_id)
        ):
            self.names.teams[_team_key(name)] = team_id
        self.packages = self._package_words()
        # Rows of this file by resident: (row, first day, last day), for overlaps in the file.
        self.periods: dict[int, list[tuple[int, dt.date, dt.date]]] = {}
        self.problems: list[RowProblem] = []
        self.rows = self.new = self.present = 0
        self.members_added = 0

    # --- problems -------------------------------------------------------------------------

    def column(self, name: str) -> str:
        if name in self.columns:
            return self.columns[name]
        return next(spec.template_header for spec in CONTRACT_FIELDS if spec.name == name)

    def refuse(self, row: int, name: str, value: str, message: str, /, **params: Any) -> None:
        self.refuse_with(row, name, value, RuleViolation(message, **params))

    def refuse_with(self, row: int, name: str, value: str, error: FamilydocError) -> None:
        if not isinstance(error, RuleViolation):
            error = RuleViolation(error.message, **error.params)
        self.problems.append(RowProblem(row, self.column(name), value, error))

    # --- reading the cells ------------------------------------------------------------------

    def _package_words(self) -> dict[str, str]:
        """Package code and every version's name (NFKC, lower case) -> code."""
        words: dict[str, str] = {}
        for code, name, kind in self.session.execute(
            select(ServicePackage.code, ServicePackage.name, ServicePackage.kind).order_by(
                ServicePackage.valid_from.desc()
            )
        ):
            words.setdefault(clean_text(code).lower(), code)
            words.setdefault(clean_text(name).lower(), code)
            if kind == "basic":
                for word in BASIC_WORDS:
                    words.setdefault(word, code)
        return words

    def read(self, source: SourceRow) -> _Row | None:
        """The row's cells checked one by one; None when any cell is refused."""
        values = source.values
        row = _Row(source.number)
        before = len(self.problems)
        raw_id = values.get("id_number", "").strip().lstrip("'`")
        if not raw_id:
            self.refuse(
                row.number,
                "id_number",
                "",
                QT_TRANSLATE_NOOP(
                    "Errors",
                    "The ID number is missing: the roster finds each resident by their ID number.",
                ),
            )
        else:
            try:
                number = validate_id_number(raw_id).number
            except RuleViolation as error:
                self.refuse_with(row.number, "id_number", raw_id, error)
            else:
                row.resident = self.session.scalar(
                    select(Resident).where(Resident.id_number == number)
                )
                if row.resident is None:
                    self.refuse(
                        row.number,
                        "id_number",
                        raw_id,
                        QT_TRANSLATE_NOOP(
                            "Errors",
                            "No resident with the ID number {value} is registered: register"
                            " or import the resident first.",
                        ),
                        value=mask_id_number(number),
                    )
                elif clean_name(values.get("name", "")) and clean_name(
                    values.get("name", "")
                ) != clean_name(row.resident.name):
                    self.refuse(
                        row.number,
                        "name",
                        values.get("name", ""),
                        QT_TRANSLATE_NOOP(
                            "Errors",
                            "The ID number of this row belongs to {registered}, not to {name}:"
                            " check the ID number and the name.",
                        ),
                        registered=row.resident.name,
                        name=clean_name(values.get("name", "")),
                    )
        row.team_name = plain_text(values.get("team", ""))
        if not row.team_name:
            self.refuse(row.number, "team", "", QT_TRANSLATE_NOOP("Errors", "The team is missing."))
        row.doctor_name = clean_name(values.get("doctor", ""))
        if not row.doctor_name:
            self.refuse(
                row.number,
                "doctor",
                "",
                QT_TRANSLATE_NOOP("Errors", "The responsible doctor is missing."),
            )
        codes: list[str] = []
        packages_text = values.get("packages", "")
        for word in _PACKAGE_SEPARATORS.split(clean_text(packages_text)):
            word = word.strip()
            if not word:
                continue
            code = self.packages.get(word.lower())
            if code is None:
                self.refuse(
                    row.number,
                    "packages",
                    packages_text,
                    QT_TRANSLATE_NOOP(
                        "Errors",
                        "There is no service package called {name}: write the package names"
                        " as on the packages page, separated by 、 or commas (an empty cell"
                        " means the free basic package).",
                    ),
                    name=word,
                )
            elif code not in codes:
                codes.append(code)
        row.package_codes = tuple(codes)
        row.signed_on = self._date(row.number, values, "signed_on")
        if row.signed_on is None and not values.get("signed_on", "").strip():
            self.refuse(
                row.number,
                "signed_on",
                "",
                QT_TRANSLATE_NOOP("Errors", "The signing date is missing."),
            )
        row.start = self._date(row.number, values, "start_date")
        row.end = self._date(row.number, values, "end_date")
        if len(self.problems) > before:
            return None
        return row

    def _date(self, row: int, values: Mapping[str, str], name: str) -> dt.date | None:
        text = values.get(name, "")
        try:
            return parse_date(text)
        except ValueError:
            self.refuse(row, name, text, _BAD_DATE, value=text.strip())
            return None

    # --- teams and doctors --------------------------------------------------------------------

    def team_id(self, row: _Row) -> int | None:
        """The team the row names; created (led by the row's doctor) when allowed."""
        found = self.names.teams.get(_team_key(row.team_name))
        if found is not None:
            return found
        if not self._may_create(row, "team", row.team_name):
            return None
        doctor_id = self._doctor_anywhere(row)
        if doctor_id is None:
            return None
        created = self._change(
            row,
            "team",
            row.team_name,
            lambda: save_team(
                self.session,
                self.actor,
                None,
                TeamInput(
                    name=row.team_name,
                    leader_id=doctor_id,
                    members=((doctor_id, NEW_MEMBER_ROLE),),
                ),
            ),
        )
        if created is None:
            return None
        self.names.teams[_team_key(created.name)] = created.id
        self.names.created_teams.add(created.id)
        return created.id

    def _change(self, row: _Row, column: str, value: str, change: Callable[[], T]) -> T | None:
        """A change of the teams page made for a row, undone alone when it is refused."""
        try:
            with self.session.begin_nested():
                return change()
        except FamilydocError as error:
            self.refuse_with(row.number, column, value, error)
            return None

    def doctor_id(self, row: _Row, team_id: int) -> int | None:
        """The responsible doctor: the team's member of that name, else a doctor of that
        name made a member (``--create-missing``), else a refusal."""
        on_team = list(
            self.session.scalars(
                select(Doctor.id)
                .join(TeamMember, TeamMember.doctor_id == Doctor.id)
                .where(TeamMember.team_id == team_id, Doctor.name == row.doctor_name)
            )
        )
        if len(on_team) == 1:
            return on_team[0]
        if len(on_team) > 1:
            self._ambiguous(row)
            return None
        if not self.create_missing:
            elsewhere = self._doctors_called(row.doctor_name)
            if not elsewhere:
                self._missing(row, "doctor", row.doctor_name)
                return None
            # Let the signing rules say that the doctor is not on the team.
            if len(elsewhere) > 1:
                self._ambiguous(row)
                return None
            return elsewhere[0]
        if not self._may_create(row, "doctor", row.doctor_name):
            return None
        doctor_id = self._doctor_anywhere(row)
        if doctor_id is None:
            return None
        team = get_team(self.session, team_id)
        joined = self._change(
            row,
            "doctor",
            row.doctor_name,
            lambda: save_team(
                self.session,
                self.actor,
                team_id,
                TeamInput(
                    name=team.name,
                    leader_id=team.leader_id,
                    capacity=team.capacity,
                    active=team.active,
                    members=(
                        *((m.doctor_id, m.role) for m in team.members),
                        (doctor_id, NEW_MEMBER_ROLE),
                    ),
                    village_ids=tuple(village_id for village_id, _name in team.villages),
                ),
            ),
        )
        if joined is None:
            return None
        self.members_added += 1
        return doctor_id

    def _doctors_called(self, name: str) -> list[int]:
        return list(self.session.scalars(select(Doctor.id).where(Doctor.name == name)))

    def _doctor_anywhere(self, row: _Row) -> int | None:
        """The one doctor of that name, or a new one (create-missing, checked by the caller)."""
        found = self._doctors_called(row.doctor_name)
        if len(found) > 1:
            self._ambiguous(row)
            return None
        if found:
            return found[0]
        doctor_id = self._change(
            row,
            "doctor",
            row.doctor_name,
            lambda: add_named_doctor(self.session, self.actor, row.doctor_name),
        )
        if doctor_id is not None:
            self.names.created_doctors[row.doctor_name] = doctor_id
        return doctor_id

    def _may_create(self, row: _Row, kind: str, name: str) -> bool:
        if not self.create_missing:
            self._missing(row, kind, name)
            return False
        if not self.may_create:
            self.refuse(
                row.number,
                kind,
                name,
                QT_TRANSLATE_NOOP(
                    "Errors",
                    "Your account may not add teams or doctors or change a team's members,"
                    " which this row needs for {name}: ask a supervisor to import the file,"
                    " or to set up {name} on the teams page first.",
                ),
                name=name,
            )
            return False
        return True

    def _missing(self, row: _Row, kind: str, name: str) -> None:
        if kind == "team":
            message = QT_TRANSLATE_NOOP(
                "Errors",
                "There is no team called {name}. Create it on the teams page first, or choose"
                " to create the missing teams and doctors when importing.",
            )
        else:
            message = QT_TRANSLATE_NOOP(
                "Errors",
                "There is no doctor called {name}. Add them on the teams page first, or"
                " choose to create the missing teams and doctors when importing.",
            )
        self.refuse(row.number, kind, name, message, name=name)

    def _ambiguous(self, row: _Row) -> None:
        self.refuse(
            row.number,
            "doctor",
            row.doctor_name,
            QT_TRANSLATE_NOOP(
                "Errors",
                "Several doctors are called {name}: on the teams page make the one meant (and"
                " only that one) a member of {team}, then import again.",
            ),
            name=row.doctor_name,
            team=row.team_name,
        )

    # --- one row ---------------------------------------------------------------------------

    def take(self, source: SourceRow) -> None:
        self.rows += 1
        row = self.read(source)
        if row is None:
            return
        resident = row.resident
        assert resident is not None and row.signed_on is not None
        start = row.start or row.signed_on
        end = row.end or default_end(start)
        if self._repeats_in_file(row, resident.id, start, end):
            return
        # Teams, doctors and members made for a row stay for the later rows (the whole
        # import is undone if any row is refused).
        team_id = self.team_id(row)
        if team_id is None:
            return
        if self._already_present(row, resident.id, team_id, start):
            self.present += 1
            return
        doctor_id = self.doctor_id(row, team_id)
        if doctor_id is None:
            return
        method = self._signing_method(row, resident)
        if method is None:
            return
        data = SignInput(
            resident_id=resident.id,
            team_id=team_id,
            doctor_id=doctor_id,
            package_codes=row.package_codes,
            start_date=start,
            end_date=row.end,
            signed_on=row.signed_on,
            **method,
        )
        try:
            with self.session.begin_nested():
                sign_row(
                    self.session,
                    self.actor,
                    data,
                    approver=self.approver,
                    today=self.today,
                    code=self.code,
                )
        except FamilydocError as error:
            self._refused_by_rules(row, source, error)
            return
        self.new += 1
        self.periods.setdefault(resident.id, []).append((row.number, start, end))

    def _repeats_in_file(self, row: _Row, resident_id: int, start: dt.date, end: dt.date) -> bool:
        for earlier, first, last in self.periods.get(resident_id, ()):
            if first <= end and start <= last:
                self.refuse(
                    row.number,
                    "start_date",
                    start.isoformat(),
                    QT_TRANSLATE_NOOP(
                        "Errors",
                        "Row {row} of this file already signs this resident for a period that"
                        " overlaps this one ({start} to {end}).",
                    ),
                    row=earlier,
                    start=first.isoformat(),
                    end=last.isoformat(),
                )
                return True
        return False

    def _already_present(self, row: _Row, resident_id: int, team_id: int, start: dt.date) -> bool:
        """The same contract is stored: same team and start date, not ended early."""
        found = self.session.execute(
            select(Contract.id, Contract.end_date).where(
                Contract.resident_id == resident_id,
                Contract.team_id == team_id,
                Contract.start_date == start,
                Contract.terminated_on.is_(None),
            )
        ).first()
        if found is None:
            return False
        last = last_day_in_force(start, found[1], None)
        self.periods.setdefault(resident_id, []).append((row.number, start, last))
        return True

    def _signing_method(self, row: _Row, resident: Resident) -> dict[str, str] | None:
        """In person, or through the guardian recorded on the resident (minors, lacking
        capacity); the stored guardian is passed masked, as the signing form sends it."""
        assert row.signed_on is not None
        if not (resident.lacks_capacity or age_on(resident.birth_date, row.signed_on) < ADULT_AGE):
            return {"signing_method": "in_person"}
        guardian = (
            resident.guardian_name,
            resident.guardian_relation,
            resident.guardian_id_number,
            resident.guardian_phone,
        )
        if not all(guardian):
            self.refuse(
                row.number,
                "id_number",
                resident.id_number or "",
                QT_TRANSLATE_NOOP(
                    "Errors",
                    "{name} signs through a guardian (a minor, or recorded as lacking"
                    " capacity), but the resident's record has no complete guardian: record"
                    " the guardian's name, relation, ID number and phone first.",
                ),
                name=resident.name,
            )
            return None
        return {
            "signing_method": "guardian",
            "guardian_name": resident.guardian_name or "",
            "guardian_relation": resident.guardian_relation or "",
            "guardian_id_number": mask_id_number(resident.guardian_id_number),
            "guardian_phone": mask_phone(resident.guardian_phone),
        }

    def _refused_by_rules(self, row: _Row, source: SourceRow, error: FamilydocError) -> None:
        if isinstance(error, OverCapacity):
            check = error.check
            over_team = check.team.level == "over"
            load = check.team if over_team else check.doctor
            self.refuse(
                row.number,
                "team" if over_team else "doctor",
                row.team_name if over_team else row.doctor_name,
                _OVER_CAPACITY,
                name=check.team_name if over_team else check.doctor_name,
                signed=load.signed,
                capacity=load.capacity,
            )
            return
        name = _COLUMN_OF_MESSAGE.get(error.message, "id_number")
        self.refuse_with(row.number, name, source.values.get(name, ""), error)


def _team_key(name: str) -> str:
    """Team names compared as a clerk reads them: full-width or not, any case."""
    return clean_text(name).lower()


def import_contracts(
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
    create_missing: bool = False,
) -> ImportReport:
    """Sign every row of a roster of contracts, or none; raises ``ImportRefused``.

    ``create_missing`` creates the teams and doctors the file names that are not
    stored yet (and makes a named doctor a member of the named team); it needs an
    account that manages teams. Rows past a capacity need an account that may
    approve that (a supervisor), whose import then counts as the approval.
    ``progress(done, total)`` may raise to stop; the caller's transaction rolls back.
    """
    require(actor, Permission.SIGN_CONTRACT)
    state = _ContractImport(session, actor, today or dt.date.today(), columns or {}, create_missing)
    whole = session.begin_nested()
    try:
        for row in rows:
            state.take(row)
            if progress and state.rows % PROGRESS_ROWS == 0:
                progress(state.rows, max(total, state.rows))
        if progress and state.rows % PROGRESS_ROWS:
            progress(state.rows, max(total, state.rows))
    except BaseException:
        whole.rollback()
        raise
    if state.problems:
        whole.rollback()
        raise ImportRefused(state.problems, state.rows)
    report = ImportReport(
        kind="contracts",
        file_name=file_name,
        rows=state.rows,
        new=state.new,
        updated=0,
        unchanged=state.present,
        dry_run=dry_run,
        teams_created=len(state.names.created_teams),
        doctors_created=len(state.names.created_doctors),
        members_added=state.members_added,
    )
    if dry_run:
        whole.rollback()
        return report
    whole.commit()
    audit.record(
        session,
        user_id=actor.user_id,
        username=actor.username,
        action="contract.import",
        entity_type="contract",
        changes={
            "file": file_name,
            "rows": report.rows,
            "signed": report.new,
            "already_present": report.unchanged,
            "teams_created": report.teams_created,
            "doctors_created": report.doctors_created,
            "members_added": report.members_added,
        },
    )
    return report
