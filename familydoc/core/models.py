"""Database schema (SQLAlchemy 2.0 typed models).

The schema is created and changed only by the Alembic migrations in
``familydoc/migrations``; a test checks that the migrated database matches
these models. Money is stored in fen (integer cents) so sums stay exact.
Dates of residents and contracts are local calendar dates; timestamps are UTC.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

ROLES = ("admin", "supervisor", "doctor", "clerk")
INSTITUTION_KINDS = ("township_centre", "village_clinic", "county_hospital")
SEXES = ("M", "F")
LEAVE_REASONS = ("moved_out", "deceased")
TAG_CODES = (
    "maternal",
    "hypertension",
    "diabetes",
    "severe_mental",
    "tuberculosis",
    "disabled",
    "poverty",
    "family_planning_special",
)
AGE_POPULATIONS = ("elderly_65", "child_0_6")
KEY_POPULATIONS = AGE_POPULATIONS + TAG_CODES
TEAM_ROLES = ("general_practitioner", "nurse", "public_health", "village_doctor", "specialist")
PACKAGE_KINDS = ("basic", "personalised")
SIGNING_METHODS = ("in_person", "guardian")
TERMINATION_REASONS = (
    "moved_out",
    "deceased",
    "resident_request",
    "unreachable",
    "refused_service",
    "changed_team",
    "other",
)
OUTBOX_STATES = ("TO_POST", "UPLOADING", "SYNCED", "ERROR", "WARNING")
# Outreach calls (familydoc.core.outreach): the result of each, and why a resident declined.
CONTACT_RESULTS = ("agreed", "declined", "unreachable")
DECLINE_REASONS = (
    "away_long",
    "refused",
    "signed_elsewhere",
    "moved_unrecorded",
    "deceased_unrecorded",
    "wrong_contact",
    "other",
)


def _in(column: str, values: tuple[str, ...]) -> str:
    quoted = ", ".join(f"'{value}'" for value in values)
    return f"{column} IN ({quoted})"


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Stores aware datetimes as naive UTC and hands them back as aware UTC."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("timestamps must be timezone-aware")
        return value.astimezone(dt.UTC).replace(tzinfo=None)

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


# Tables the migrations create outside these models (SQLite FTS5 and its shadow tables).
UNMAPPED_TABLE_PREFIXES = ("resident_search",)


def is_mapped_table(name: str | None) -> bool:
    """False for tables kept by migrations alone, so schema comparison leaves them out."""
    return not (name or "").startswith(UNMAPPED_TABLE_PREFIXES)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Institution(Base):
    """The township centre that owns this database, its village clinics, partner hospitals."""

    __tablename__ = "institution"
    __table_args__ = (CheckConstraint(_in("kind", INSTITUTION_KINDS), name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(20))
    is_home: Mapped[bool] = mapped_column(Boolean, default=False)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("institution.id"))
    phone: Mapped[str | None] = mapped_column(String(30))
    supervision_phone: Mapped[str | None] = mapped_column(String(30))
    address: Mapped[str | None] = mapped_column(String(200))
    division_code: Mapped[str | None] = mapped_column(String(12))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class Village(Base):
    __tablename__ = "village"
    __table_args__ = (
        CheckConstraint("length(code) = 12 AND code NOT GLOB '*[^0-9]*'", name="code_digits"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(12), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    institution_id: Mapped[int | None] = mapped_column(ForeignKey("institution.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Migration 0009: a retired village keeps its residents and history but takes no new ones.
    retired_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    populations: Mapped[list[VillagePopulation]] = relationship(back_populates="village")


class VillagePopulation(Base):
    """Official resident population (常住人口) of a village for one year: the denominator."""

    __tablename__ = "village_population"
    __table_args__ = (CheckConstraint("population >= 0", name="population_non_negative"),)

    village_id: Mapped[int] = mapped_column(ForeignKey("village.id"), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    population: Mapped[int] = mapped_column(Integer)

    village: Mapped[Village] = relationship(back_populates="populations")


class Household(Base):
    __tablename__ = "household"
    __table_args__ = (UniqueConstraint("village_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("village.id"), index=True)
    number: Mapped[str] = mapped_column(String(40))
    address: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class Resident(Base):
    """A person of the served villages. Never deleted: ``left_on`` marks moving out or death."""

    __tablename__ = "resident"
    __table_args__ = (
        CheckConstraint(_in("sex", SEXES), name="sex"),
        CheckConstraint(
            f"left_reason IS NULL OR {_in('left_reason', LEAVE_REASONS)}", name="left_reason"
        ),
        CheckConstraint("(left_on IS NULL) = (left_reason IS NULL)", name="left_pair"),
        CheckConstraint("id_number IS NULL OR length(id_number) = 18", name="id_number_length"),
        # The list and the search box answer from these indexes alone (migration 0006):
        # each carries left_on ("living here") and the name-order sort key.
        Index("ix_resident_village_left", "village_id", "left_on", "name_pinyin"),
        Index("ix_resident_name_initials", "name_initials", "left_on", "name_pinyin"),
        Index(
            "ix_resident_name_pinyin", "name_pinyin", "id", "left_on", "birth_date", "name_initials"
        ),
        Index("ix_resident_birth_date", "birth_date", "left_on", "name_pinyin"),
        Index("ix_resident_phone", "phone"),
        Index("ix_resident_name", "name", "left_on", "name_pinyin"),
        Index(
            "ix_resident_left",
            "left_on",
            "name",
            "id_number",
            "phone",
            "health_record_no",
            sqlite_where=text("left_on IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    id_number: Mapped[str | None] = mapped_column(String(18), unique=True)
    name: Mapped[str] = mapped_column(String(50))
    name_pinyin: Mapped[str] = mapped_column(String(200), default="")
    name_initials: Mapped[str] = mapped_column(String(50), default="")
    sex: Mapped[str] = mapped_column(String(1))
    birth_date: Mapped[dt.date] = mapped_column(Date)
    phone: Mapped[str | None] = mapped_column(String(20))
    village_id: Mapped[int] = mapped_column(ForeignKey("village.id"))
    household_id: Mapped[int | None] = mapped_column(ForeignKey("household.id"), index=True)
    relation_to_head: Mapped[str | None] = mapped_column(String(20))
    address: Mapped[str | None] = mapped_column(String(200))
    health_record_no: Mapped[str | None] = mapped_column(String(40), index=True)
    insurance_type: Mapped[str | None] = mapped_column(String(20))
    lacks_capacity: Mapped[bool] = mapped_column(Boolean, default=False)
    guardian_name: Mapped[str | None] = mapped_column(String(50))
    guardian_relation: Mapped[str | None] = mapped_column(String(20))
    guardian_id_number: Mapped[str | None] = mapped_column(String(18))
    guardian_phone: Mapped[str | None] = mapped_column(String(20))
    moved_in_on: Mapped[dt.date | None] = mapped_column(Date)
    left_on: Mapped[dt.date | None] = mapped_column(Date)
    left_reason: Mapped[str | None] = mapped_column(String(20))
    left_note: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    tags: Mapped[list[ResidentTag]] = relationship(
        back_populates="resident", cascade="all, delete-orphan"
    )


class ResidentTag(Base):
    """Membership of a tagged key population (age-based populations are computed)."""

    __tablename__ = "resident_tag"
    __table_args__ = (
        CheckConstraint(_in("tag", TAG_CODES), name="tag"),
        Index("ix_resident_tag_tag", "tag", "resident_id"),
    )

    resident_id: Mapped[int] = mapped_column(ForeignKey("resident.id"), primary_key=True)
    tag: Mapped[str] = mapped_column(String(30), primary_key=True)

    resident: Mapped[Resident] = relationship(back_populates="tags")


class Doctor(Base):
    __tablename__ = "doctor"
    __table_args__ = (CheckConstraint("capacity IS NULL OR capacity >= 0", name="capacity"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50))
    sex: Mapped[str | None] = mapped_column(String(1))
    title: Mapped[str | None] = mapped_column(String(30))
    licence_no: Mapped[str | None] = mapped_column(String(40))
    phone: Mapped[str | None] = mapped_column(String(20))
    institution_id: Mapped[int] = mapped_column(ForeignKey("institution.id"), index=True)
    capacity: Mapped[int | None] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class Team(Base):
    __tablename__ = "team"
    __table_args__ = (
        UniqueConstraint("institution_id", "name"),
        CheckConstraint("capacity IS NULL OR capacity >= 0", name="capacity"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60))
    institution_id: Mapped[int] = mapped_column(ForeignKey("institution.id"))
    leader_id: Mapped[int | None] = mapped_column(ForeignKey("doctor.id"))
    capacity: Mapped[int | None] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    members: Mapped[list[TeamMember]] = relationship(
        back_populates="team", cascade="all, delete-orphan"
    )


class TeamMember(Base):
    __tablename__ = "team_member"
    __table_args__ = (CheckConstraint(_in("role", TEAM_ROLES), name="role"),)

    team_id: Mapped[int] = mapped_column(ForeignKey("team.id"), primary_key=True)
    doctor_id: Mapped[int] = mapped_column(ForeignKey("doctor.id"), primary_key=True, index=True)
    role: Mapped[str] = mapped_column(String(30))

    team: Mapped[Team] = relationship(back_populates="members")


class TeamVillage(Base):
    """A village a team serves."""

    __tablename__ = "team_village"

    team_id: Mapped[int] = mapped_column(ForeignKey("team.id"), primary_key=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("village.id"), primary_key=True, index=True)


class ServicePackage(Base):
    """A service package version; a new price or content is a new row with new validity dates."""

    __tablename__ = "service_package"
    __table_args__ = (
        UniqueConstraint("code", "valid_from"),
        CheckConstraint(_in("kind", PACKAGE_KINDS), name="kind"),
        CheckConstraint(
            "price_fen = fund_insurance_fen + fund_public_health_fen + self_pay_fen",
            name="price_split",
        ),
        CheckConstraint(
            "price_fen >= 0 AND fund_insurance_fen >= 0 AND fund_public_health_fen >= 0"
            " AND self_pay_fen >= 0",
            name="price_non_negative",
        ),
        CheckConstraint("valid_to IS NULL OR valid_to >= valid_from", name="validity"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(20))
    institution_id: Mapped[int] = mapped_column(ForeignKey("institution.id"))
    description: Mapped[str | None] = mapped_column(Text)
    target_populations: Mapped[list[str]] = mapped_column(JSON, default=list)
    price_fen: Mapped[int] = mapped_column(Integer, default=0)
    fund_insurance_fen: Mapped[int] = mapped_column(Integer, default=0)
    fund_public_health_fen: Mapped[int] = mapped_column(Integer, default=0)
    self_pay_fen: Mapped[int] = mapped_column(Integer, default=0)
    valid_from: Mapped[dt.date] = mapped_column(Date)
    valid_to: Mapped[dt.date | None] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    items: Mapped[list[ServicePackageItem]] = relationship(
        back_populates="package",
        cascade="all, delete-orphan",
        order_by="ServicePackageItem.position",
    )


class ServicePackageItem(Base):
    __tablename__ = "service_package_item"

    package_id: Mapped[int] = mapped_column(ForeignKey("service_package.id"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    frequency: Mapped[str | None] = mapped_column(String(60))

    package: Mapped[ServicePackage] = relationship(back_populates="items")


class Contract(Base):
    """One resident signed to one team and responsible doctor for a period.

    In force on day D when ``start_date <= D <= end_date`` and, if terminated,
    ``D < terminated_on`` (the termination date is the first day no longer in
    force, so a change of team ends one contract and starts the next the same
    day). Migration triggers refuse a second contract in force on any day.
    """

    __tablename__ = "contract"
    __table_args__ = (
        UniqueConstraint("year", "sequence"),
        CheckConstraint("end_date >= start_date", name="period"),
        CheckConstraint(_in("signing_method", SIGNING_METHODS), name="signing_method"),
        CheckConstraint(
            "(terminated_on IS NULL) = (termination_reason IS NULL)", name="termination_pair"
        ),
        CheckConstraint(
            f"termination_reason IS NULL OR {_in('termination_reason', TERMINATION_REASONS)}",
            name="termination_reason",
        ),
        CheckConstraint("sequence BETWEEN 1 AND 999999", name="sequence_range"),
        Index(
            "ix_contract_resident_period", "resident_id", "start_date", "end_date", "terminated_on"
        ),
        Index("ix_contract_period", "start_date", "end_date", "terminated_on"),
        Index("ix_contract_team", "team_id", "start_date"),
        Index("ix_contract_doctor", "doctor_id", "start_date"),
        Index("ix_contract_end_date", "end_date", "start_date", "terminated_on", "resident_id"),
        # Contracts ended early, by the day (migration 0010; coverage ending soon, core.coverage).
        Index(
            "ix_contract_terminated",
            "terminated_on",
            sqlite_where=text("terminated_on IS NOT NULL"),
            postgresql_where=text("terminated_on IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(60), unique=True)
    year: Mapped[int] = mapped_column(Integer)
    sequence: Mapped[int] = mapped_column(Integer)
    resident_id: Mapped[int] = mapped_column(ForeignKey("resident.id"))
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id"))
    doctor_id: Mapped[int] = mapped_column(ForeignKey("doctor.id"))
    signed_on: Mapped[dt.date] = mapped_column(Date)
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date] = mapped_column(Date)
    signing_method: Mapped[str] = mapped_column(String(20), default="in_person")
    guardian_name: Mapped[str | None] = mapped_column(String(50))
    guardian_relation: Mapped[str | None] = mapped_column(String(20))
    guardian_id_number: Mapped[str | None] = mapped_column(String(18))
    guardian_phone: Mapped[str | None] = mapped_column(String(20))
    previous_contract_id: Mapped[int | None] = mapped_column(ForeignKey("contract.id"), index=True)
    terminated_on: Mapped[dt.date | None] = mapped_column(Date)
    termination_reason: Mapped[str | None] = mapped_column(String(30))
    termination_note: Mapped[str | None] = mapped_column(String(200))
    over_capacity_approved_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    # Times printed or saved as PDF (migration 0005; see familydoc.core.contract_document).
    print_count: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    packages: Mapped[list[ContractPackage]] = relationship(
        back_populates="contract", cascade="all, delete-orphan"
    )


class ContractPackage(Base):
    """A package of a contract with the fees as they were when signed."""

    __tablename__ = "contract_package"

    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id"), primary_key=True)
    package_id: Mapped[int] = mapped_column(
        ForeignKey("service_package.id"), primary_key=True, index=True
    )
    price_fen: Mapped[int] = mapped_column(Integer, default=0)
    fund_insurance_fen: Mapped[int] = mapped_column(Integer, default=0)
    fund_public_health_fen: Mapped[int] = mapped_column(Integer, default=0)
    self_pay_fen: Mapped[int] = mapped_column(Integer, default=0)

    contract: Mapped[Contract] = relationship(back_populates="packages")


class ContractSequence(Base):
    """Last contract sequence handed out per year: incremented inside the signing transaction."""

    __tablename__ = "contract_sequence"

    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_value: Mapped[int] = mapped_column(Integer, default=0)


class User(Base):
    __tablename__ = "app_user"
    __table_args__ = (
        CheckConstraint(_in("role", ROLES), name="role"),
        CheckConstraint("failed_logins >= 0", name="failed_logins"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(40), unique=True)
    display_name: Mapped[str] = mapped_column(String(50))
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(String(200))
    doctor_id: Mapped[int | None] = mapped_column(ForeignKey("doctor.id"))
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    last_login_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    password_changed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Migration 0009: set by an administrator's reset (the user picks a new password at the
    # next login); an account of someone who left is deactivated, never deleted (audit).
    must_change_password: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    deactivated_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class AuditEvent(Base):
    """Who did what to which entity, written in the transaction of the change itself."""

    __tablename__ = "audit_event"
    __table_args__ = (
        Index("ix_audit_event_occurred_at", "occurred_at"),
        Index("ix_audit_event_entity", "entity_type", "entity_id"),
        Index("ix_audit_event_user", "user_id", "occurred_at"),
        Index("ix_audit_event_action", "action", "occurred_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    username: Mapped[str | None] = mapped_column(String(40))
    action: Mapped[str] = mapped_column(String(40))
    entity_type: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str | None] = mapped_column(String(60))
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    workstation: Mapped[str | None] = mapped_column(String(100))
    # Set by the sealing trigger of migration 0004 (see familydoc.core.audit_chain).
    chain_prev: Mapped[str | None] = mapped_column(String(64))
    chain_hash: Mapped[str | None] = mapped_column(String(64))


class AuditChainHead(Base):
    """The seal of the newest audit event and the number of sealed events (one row)."""

    __tablename__ = "audit_chain_head"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    last_id: Mapped[int | None] = mapped_column(Integer)
    last_hash: Mapped[str] = mapped_column(String(64))
    event_count: Mapped[int] = mapped_column(Integer)


class SyncOutbox(Base):
    """A report waiting for (or delivered to) the county, one row per stable key."""

    __tablename__ = "sync_outbox"
    __table_args__ = (
        CheckConstraint(_in("state", OUTBOX_STATES), name="state"),
        Index("ix_sync_outbox_state", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    report_key: Mapped[str] = mapped_column(String(120), unique=True)
    institution_code: Mapped[str] = mapped_column(String(32))
    measure: Mapped[str] = mapped_column(String(200))
    period: Mapped[str] = mapped_column(String(7))
    protocol: Mapped[str] = mapped_column(String(10))
    is_final: Mapped[bool] = mapped_column(Boolean, default=False)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    payload_hash: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(12), default="TO_POST")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_attempt_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    last_response: Mapped[str | None] = mapped_column(Text)
    synced_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    synced_hash: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # Migration 0008: the day the figures hold for, the headline figures (for the Sync page),
    # and why the last attempt did not end in SYNCED (a code the interface words for people).
    as_of: Mapped[dt.date | None] = mapped_column(Date)
    figures: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    problem: Mapped[str | None] = mapped_column(String(20))
    http_status: Mapped[int | None] = mapped_column(Integer)


class SigningTarget(Base):
    """A signing-rate target for a year (overall or of a key population), set by a supervisor.

    Kept in the database, not in config.toml: targets are the institution's data (the
    county's yearly figures), shared by every account, audited when changed and carried
    by backups. ``target_permyriad`` is the rate in ten-thousandths (7500 = 75%).
    """

    __tablename__ = "signing_target"
    __table_args__ = (
        CheckConstraint(_in("code", ("overall", *KEY_POPULATIONS, "any_key")), name="code"),
        CheckConstraint("target_permyriad BETWEEN 0 AND 10000", name="target_range"),
    )

    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(30), primary_key=True)
    target_permyriad: Mapped[int] = mapped_column(Integer)
    set_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    set_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class OutreachContact(Base):
    """One attempt to reach a resident from the outreach list (migration 0010).

    ``result`` agreed (同意签约), declined (暂不签约, with ``reason``; ``other`` needs a
    note) or unreachable (无法联系); ``next_contact_on`` is when to try again. Rows are
    never changed: a new attempt is a new row, the last one is the resident's state.
    """

    __tablename__ = "outreach_contact"
    __table_args__ = (
        CheckConstraint(_in("result", CONTACT_RESULTS), name="result"),
        CheckConstraint(
            f"(result = 'declined') = (reason IS NOT NULL AND {_in('reason', DECLINE_REASONS)})",
            name="reason",
        ),
        Index("ix_outreach_contact_resident", "resident_id", "contacted_on", "id"),
        Index("ix_outreach_contact_day", "contacted_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("resident.id"))
    contacted_on: Mapped[dt.date] = mapped_column(Date)
    result: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(String(30))
    note: Mapped[str | None] = mapped_column(String(200))
    next_contact_on: Mapped[dt.date | None] = mapped_column(Date)
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


# Covering indexes of the signing statistics (migration 0007, familydoc.core.statistics): the
# summary reads residents and their contract in force from these alone, never table rows.
Index(
    "ix_resident_statistics",
    Resident.id,
    Resident.village_id,
    Resident.birth_date,
    Resident.moved_in_on,
    Resident.left_on,
)
Index(
    "ix_contract_statistics",
    Contract.resident_id,
    Contract.end_date,
    Contract.start_date,
    Contract.terminated_on,
    Contract.team_id,
    Contract.doctor_id,
)
