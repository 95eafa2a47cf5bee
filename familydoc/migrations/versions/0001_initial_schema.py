"""initial schema: institutions, villages, residents, teams, packages, contracts, users, audit

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


# A contract is in force on day D when start_date <= D <= end_date and, if it was
# terminated, D < terminated_on. Its last day in force is therefore:
_LAST_DAY = "min({t}.end_date, coalesce(date({t}.terminated_on, '-1 day'), {t}.end_date))"
_OVERLAP = (
    "EXISTS (SELECT 1 FROM contract AS c WHERE c.resident_id = NEW.resident_id"
    " AND c.id IS NOT NEW.id"
    f" AND c.start_date <= {_LAST_DAY.format(t='NEW')}"
    f" AND NEW.start_date <= {_LAST_DAY.format(t='c')}"
    f" AND c.start_date <= {_LAST_DAY.format(t='c')}"
    f" AND NEW.start_date <= {_LAST_DAY.format(t='NEW')})"
)
CONTRACT_TRIGGERS = {
    "trg_contract_single_in_force_insert": (
        f"CREATE TRIGGER trg_contract_single_in_force_insert BEFORE INSERT ON contract"
        f" WHEN {_OVERLAP} BEGIN SELECT RAISE(ABORT, 'contract_overlap'); END"
    ),
    "trg_contract_single_in_force_update": (
        "CREATE TRIGGER trg_contract_single_in_force_update BEFORE UPDATE OF"
        " resident_id, start_date, end_date, terminated_on ON contract"
        f" WHEN {_OVERLAP} BEGIN SELECT RAISE(ABORT, 'contract_overlap'); END"
    ),
}


def upgrade() -> None:
    op.create_table(
        "contract_sequence",
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last_value", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("year", name=op.f("pk_contract_sequence")),
    )
    op.create_table(
        "institution",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("is_home", sa.Boolean(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("phone", sa.String(length=30), nullable=True),
        sa.Column("supervision_phone", sa.String(length=30), nullable=True),
        sa.Column("address", sa.String(length=200), nullable=True),
        sa.Column("division_code", sa.String(length=12), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('township_centre', 'village_clinic', 'county_hospital')",
            name=op.f("ck_institution_kind"),
        ),
        sa.ForeignKeyConstraint(
            ["parent_id"], ["institution.id"], name=op.f("fk_institution_parent_id_institution")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_institution")),
        sa.UniqueConstraint("code", name=op.f("uq_institution_code")),
    )

    op.create_table(
        "doctor",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("sex", sa.String(length=1), nullable=True),
        sa.Column("title", sa.String(length=30), nullable=True),
        sa.Column("licence_no", sa.String(length=40), nullable=True),
        sa.Column("phone", sa.String(length=20), nullable=True),
        sa.Column("institution_id", sa.Integer(), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("capacity IS NULL OR capacity >= 0", name=op.f("ck_doctor_capacity")),
        sa.ForeignKeyConstraint(
            ["institution_id"],
            ["institution.id"],
            name=op.f("fk_doctor_institution_id_institution"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_doctor")),
    )
    with op.batch_alter_table("doctor", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_doctor_institution_id"), ["institution_id"], unique=False
        )

    op.create_table(
        "service_package",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("institution_id", sa.Integer(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("target_populations", sa.JSON(), nullable=False),
        sa.Column("price_fen", sa.Integer(), nullable=False),
        sa.Column("fund_insurance_fen", sa.Integer(), nullable=False),
        sa.Column("fund_public_health_fen", sa.Integer(), nullable=False),
        sa.Column("self_pay_fen", sa.Integer(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('basic', 'personalised')", name=op.f("ck_service_package_kind")
        ),
        sa.CheckConstraint(
            "price_fen = fund_insurance_fen + fund_public_health_fen + self_pay_fen",
            name=op.f("ck_service_package_price_split"),
        ),
        sa.CheckConstraint(
            "price_fen >= 0 AND fund_insurance_fen >= 0 AND fund_public_health_fen >= 0 AND self_pay_fen >= 0",
            name=op.f("ck_service_package_price_non_negative"),
        ),
        sa.CheckConstraint(
            "valid_to IS NULL OR valid_to >= valid_from", name=op.f("ck_service_package_validity")
        ),
        sa.ForeignKeyConstraint(
            ["institution_id"],
            ["institution.id"],
            name=op.f("fk_service_package_institution_id_institution"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_package")),
        sa.UniqueConstraint("code", "valid_from", name=op.f("uq_service_package_code_valid_from")),
    )
    op.create_table(
        "village",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=12), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("institution_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "length(code) = 12 AND code NOT GLOB '*[^0-9]*'", name=op.f("ck_village_code_digits")
        ),
        sa.ForeignKeyConstraint(
            ["institution_id"],
            ["institution.id"],
            name=op.f("fk_village_institution_id_institution"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_village")),
        sa.UniqueConstraint("code", name=op.f("uq_village_code")),
    )
    op.create_table(
        "app_user",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=40), nullable=False),
        sa.Column("display_name", sa.String(length=50), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("doctor_id", sa.Integer(), nullable=True),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(), nullable=True),
        sa.Column("disabled", sa.Boolean(), nullable=False),
        sa.Column("last_login_at", sa.DateTime(), nullable=True),
        sa.Column("password_changed_at", sa.DateTime(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "role IN ('admin', 'supervisor', 'doctor', 'clerk')", name=op.f("ck_app_user_role")
        ),
        sa.CheckConstraint("failed_logins >= 0", name=op.f("ck_app_user_failed_logins")),
        sa.ForeignKeyConstraint(
            ["doctor_id"], ["doctor.id"], name=op.f("fk_app_user_doctor_id_doctor")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_app_user")),
        sa.UniqueConstraint("username", name=op.f("uq_app_user_username")),
    )
    op.create_table(
        "household",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("village_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("address", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["village_id"], ["village.id"], name=op.f("fk_household_village_id_village")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_household")),
        sa.UniqueConstraint("village_id", "number", name=op.f("uq_household_village_id_number")),
    )
    with op.batch_alter_table("household", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_household_village_id"), ["village_id"], unique=False)

    op.create_table(
        "service_package_item",
        sa.Column("package_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("frequency", sa.String(length=60), nullable=True),
        sa.ForeignKeyConstraint(
            ["package_id"],
            ["service_package.id"],
            name=op.f("fk_service_package_item_package_id_service_package"),
        ),
        sa.PrimaryKeyConstraint("package_id", "position", name=op.f("pk_service_package_item")),
    )
    op.create_table(
        "team",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("institution_id", sa.Integer(), nullable=False),
        sa.Column("leader_id", sa.Integer(), nullable=True),
        sa.Column("capacity", sa.Integer(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("capacity IS NULL OR capacity >= 0", name=op.f("ck_team_capacity")),
        sa.ForeignKeyConstraint(
            ["institution_id"], ["institution.id"], name=op.f("fk_team_institution_id_institution")
        ),
        sa.ForeignKeyConstraint(
            ["leader_id"], ["doctor.id"], name=op.f("fk_team_leader_id_doctor")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_team")),
        sa.UniqueConstraint("institution_id", "name", name=op.f("uq_team_institution_id_name")),
    )
    op.create_table(
        "village_population",
        sa.Column("village_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("population", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "population >= 0", name=op.f("ck_village_population_population_non_negative")
        ),
        sa.ForeignKeyConstraint(
            ["village_id"], ["village.id"], name=op.f("fk_village_population_village_id_village")
        ),
        sa.PrimaryKeyConstraint("village_id", "year", name=op.f("pk_village_population")),
    )
    op.create_table(
        "audit_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("username", sa.String(length=40), nullable=True),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("entity_type", sa.String(length=40), nullable=False),
        sa.Column("entity_id", sa.String(length=60), nullable=True),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("workstation", sa.String(length=100), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name=op.f("fk_audit_event_user_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_event")),
    )
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.create_index("ix_audit_event_action", ["action", "occurred_at"], unique=False)
        batch_op.create_index("ix_audit_event_entity", ["entity_type", "entity_id"], unique=False)
        batch_op.create_index("ix_audit_event_occurred_at", ["occurred_at"], unique=False)
        batch_op.create_index("ix_audit_event_user", ["user_id", "occurred_at"], unique=False)

    op.create_table(
        "resident",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("id_number", sa.String(length=18), nullable=True),
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("name_pinyin", sa.String(length=200), nullable=False),
        sa.Column("name_initials", sa.String(length=50), nullable=False),
        sa.Column("sex", sa.String(length=1), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=False),
        sa.Column("phone", sa.String(length=20), nullable=True),
        sa.Column("village_id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=True),
        sa.Column("relation_to_head", sa.String(length=20), nullable=True),
        sa.Column("address", sa.String(length=200), nullable=True),
        sa.Column("health_record_no", sa.String(length=40), nullable=True),
        sa.Column("insurance_type", sa.String(length=20), nullable=True),
        sa.Column("lacks_capacity", sa.Boolean(), nullable=False),
        sa.Column("guardian_name", sa.String(length=50), nullable=True),
        sa.Column("guardian_relation", sa.String(length=20), nullable=True),
        sa.Column("guardian_id_number", sa.String(length=18), nullable=True),
        sa.Column("guardian_phone", sa.String(length=20), nullable=True),
        sa.Column("moved_in_on", sa.Date(), nullable=True),
        sa.Column("left_on", sa.Date(), nullable=True),
        sa.Column("left_reason", sa.String(length=20), nullable=True),
        sa.Column("left_note", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "left_reason IS NULL OR left_reason IN ('moved_out', 'deceased')",
            name=op.f("ck_resident_left_reason"),
        ),
        sa.CheckConstraint("sex IN ('M', 'F')", name=op.f("ck_resident_sex")),
        sa.CheckConstraint(
            "(left_on IS NULL) = (left_reason IS NULL)", name=op.f("ck_resident_left_pair")
        ),
        sa.CheckConstraint(
            "id_number IS NULL OR length(id_number) = 18", name=op.f("ck_resident_id_number_length")
        ),
        sa.ForeignKeyConstraint(
            ["household_id"], ["household.id"], name=op.f("fk_resident_household_id_household")
        ),
        sa.ForeignKeyConstraint(
            ["village_id"], ["village.id"], name=op.f("fk_resident_village_id_village")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_resident")),
        sa.UniqueConstraint("id_number", name=op.f("uq_resident_id_number")),
    )
    with op.batch_alter_table("resident", schema=None) as batch_op:
        batch_op.create_index("ix_resident_birth_date", ["birth_date"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_resident_health_record_no"), ["health_record_no"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_resident_household_id"), ["household_id"], unique=False
        )
        batch_op.create_index("ix_resident_name", ["name"], unique=False)
        batch_op.create_index("ix_resident_name_initials", ["name_initials"], unique=False)
        batch_op.create_index("ix_resident_name_pinyin", ["name_pinyin"], unique=False)
        batch_op.create_index("ix_resident_phone", ["phone"], unique=False)
        batch_op.create_index("ix_resident_village_left", ["village_id", "left_on"], unique=False)

    op.create_table(
        "team_member",
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("doctor_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=30), nullable=False),
        sa.CheckConstraint(
            "role IN ('general_practitioner', 'nurse', 'public_health', 'village_doctor', 'specialist')",
            name=op.f("ck_team_member_role"),
        ),
        sa.ForeignKeyConstraint(
            ["doctor_id"], ["doctor.id"], name=op.f("fk_team_member_doctor_id_doctor")
        ),
        sa.ForeignKeyConstraint(["team_id"], ["team.id"], name=op.f("fk_team_member_team_id_team")),
        sa.PrimaryKeyConstraint("team_id", "doctor_id", name=op.f("pk_team_member")),
    )
    with op.batch_alter_table("team_member", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_team_member_doctor_id"), ["doctor_id"], unique=False)

    op.create_table(
        "team_village",
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("village_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["team_id"], ["team.id"], name=op.f("fk_team_village_team_id_team")
        ),
        sa.ForeignKeyConstraint(
            ["village_id"], ["village.id"], name=op.f("fk_team_village_village_id_village")
        ),
        sa.PrimaryKeyConstraint("team_id", "village_id", name=op.f("pk_team_village")),
    )
    with op.batch_alter_table("team_village", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_team_village_village_id"), ["village_id"], unique=False
        )

    op.create_table(
        "contract",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=60), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("resident_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("doctor_id", sa.Integer(), nullable=False),
        sa.Column("signed_on", sa.Date(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("signing_method", sa.String(length=20), nullable=False),
        sa.Column("guardian_name", sa.String(length=50), nullable=True),
        sa.Column("guardian_relation", sa.String(length=20), nullable=True),
        sa.Column("guardian_id_number", sa.String(length=18), nullable=True),
        sa.Column("guardian_phone", sa.String(length=20), nullable=True),
        sa.Column("previous_contract_id", sa.Integer(), nullable=True),
        sa.Column("terminated_on", sa.Date(), nullable=True),
        sa.Column("termination_reason", sa.String(length=30), nullable=True),
        sa.Column("termination_note", sa.String(length=200), nullable=True),
        sa.Column("over_capacity_approved_by", sa.Integer(), nullable=True),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "signing_method IN ('in_person', 'guardian')", name=op.f("ck_contract_signing_method")
        ),
        sa.CheckConstraint(
            "termination_reason IS NULL OR termination_reason IN ('moved_out', 'deceased', 'resident_request', 'unreachable', 'refused_service', 'changed_team', 'other')",
            name=op.f("ck_contract_termination_reason"),
        ),
        sa.CheckConstraint(
            "(terminated_on IS NULL) = (termination_reason IS NULL)",
            name=op.f("ck_contract_termination_pair"),
        ),
        sa.CheckConstraint("end_date >= start_date", name=op.f("ck_contract_period")),
        sa.CheckConstraint(
            "sequence BETWEEN 1 AND 999999", name=op.f("ck_contract_sequence_range")
        ),
        sa.ForeignKeyConstraint(
            ["created_by"], ["app_user.id"], name=op.f("fk_contract_created_by_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["doctor_id"], ["doctor.id"], name=op.f("fk_contract_doctor_id_doctor")
        ),
        sa.ForeignKeyConstraint(
            ["over_capacity_approved_by"],
            ["app_user.id"],
            name=op.f("fk_contract_over_capacity_approved_by_app_user"),
        ),
        sa.ForeignKeyConstraint(
            ["previous_contract_id"],
            ["contract.id"],
            name=op.f("fk_contract_previous_contract_id_contract"),
        ),
        sa.ForeignKeyConstraint(
            ["resident_id"], ["resident.id"], name=op.f("fk_contract_resident_id_resident")
        ),
        sa.ForeignKeyConstraint(["team_id"], ["team.id"], name=op.f("fk_contract_team_id_team")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contract")),
        sa.UniqueConstraint("number", name=op.f("uq_contract_number")),
        sa.UniqueConstraint("year", "sequence", name=op.f("uq_contract_year_sequence")),
    )
    with op.batch_alter_table("contract", schema=None) as batch_op:
        batch_op.create_index("ix_contract_doctor", ["doctor_id", "start_date"], unique=False)
        batch_op.create_index("ix_contract_end_date", ["end_date"], unique=False)
        batch_op.create_index(
            "ix_contract_period", ["start_date", "end_date", "terminated_on"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_contract_previous_contract_id"), ["previous_contract_id"], unique=False
        )
        batch_op.create_index(
            "ix_contract_resident_period", ["resident_id", "start_date", "end_date"], unique=False
        )
        batch_op.create_index("ix_contract_team", ["team_id", "start_date"], unique=False)

    op.create_table(
        "resident_tag",
        sa.Column("resident_id", sa.Integer(), nullable=False),
        sa.Column("tag", sa.String(length=30), nullable=False),
        sa.CheckConstraint(
            "tag IN ('maternal', 'hypertension', 'diabetes', 'severe_mental', 'tuberculosis', 'disabled', 'poverty', 'family_planning_special')",
            name=op.f("ck_resident_tag_tag"),
        ),
        sa.ForeignKeyConstraint(
            ["resident_id"], ["resident.id"], name=op.f("fk_resident_tag_resident_id_resident")
        ),
        sa.PrimaryKeyConstraint("resident_id", "tag", name=op.f("pk_resident_tag")),
    )
    with op.batch_alter_table("resident_tag", schema=None) as batch_op:
        batch_op.create_index("ix_resident_tag_tag", ["tag", "resident_id"], unique=False)

    op.create_table(
        "contract_package",
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column("package_id", sa.Integer(), nullable=False),
        sa.Column("price_fen", sa.Integer(), nullable=False),
        sa.Column("fund_insurance_fen", sa.Integer(), nullable=False),
        sa.Column("fund_public_health_fen", sa.Integer(), nullable=False),
        sa.Column("self_pay_fen", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["contract_id"], ["contract.id"], name=op.f("fk_contract_package_contract_id_contract")
        ),
        sa.ForeignKeyConstraint(
            ["package_id"],
            ["service_package.id"],
            name=op.f("fk_contract_package_package_id_service_package"),
        ),
        sa.PrimaryKeyConstraint("contract_id", "package_id", name=op.f("pk_contract_package")),
    )
    with op.batch_alter_table("contract_package", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_contract_package_package_id"), ["package_id"], unique=False
        )

    for ddl in CONTRACT_TRIGGERS.values():
        op.execute(ddl)


def downgrade() -> None:
    for name in CONTRACT_TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    with op.batch_alter_table("contract_package", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contract_package_package_id"))

    op.drop_table("contract_package")
    with op.batch_alter_table("resident_tag", schema=None) as batch_op:
        batch_op.drop_index("ix_resident_tag_tag")

    op.drop_table("resident_tag")
    with op.batch_alter_table("contract", schema=None) as batch_op:
        batch_op.drop_index("ix_contract_team")
        batch_op.drop_index("ix_contract_resident_period")
        batch_op.drop_index(batch_op.f("ix_contract_previous_contract_id"))
        batch_op.drop_index("ix_contract_period")
        batch_op.drop_index("ix_contract_end_date")
        batch_op.drop_index("ix_contract_doctor")

    op.drop_table("contract")
    with op.batch_alter_table("team_village", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_team_village_village_id"))

    op.drop_table("team_village")
    with op.batch_alter_table("team_member", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_team_member_doctor_id"))

    op.drop_table("team_member")
    with op.batch_alter_table("resident", schema=None) as batch_op:
        batch_op.drop_index("ix_resident_village_left")
        batch_op.drop_index("ix_resident_phone")
        batch_op.drop_index("ix_resident_name_pinyin")
        batch_op.drop_index("ix_resident_name_initials")
        batch_op.drop_index("ix_resident_name")
        batch_op.drop_index(batch_op.f("ix_resident_household_id"))
        batch_op.drop_index(batch_op.f("ix_resident_health_record_no"))
        batch_op.drop_index("ix_resident_birth_date")

    op.drop_table("resident")
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_event_user")
        batch_op.drop_index("ix_audit_event_occurred_at")
        batch_op.drop_index("ix_audit_event_entity")
        batch_op.drop_index("ix_audit_event_action")

    op.drop_table("audit_event")
    op.drop_table("village_population")
    op.drop_table("team")
    op.drop_table("service_package_item")
    with op.batch_alter_table("household", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_household_village_id"))

    op.drop_table("household")
    op.drop_table("app_user")
    op.drop_table("village")
    op.drop_table("service_package")
    with op.batch_alter_table("doctor", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_doctor_institution_id"))

    op.drop_table("doctor")
    op.drop_table("institution")
    op.drop_table("contract_sequence")
