"""signing statistics: supervisors' targets, and covering indexes for the summary

``signing_target`` holds the signing-rate targets of a year (overall and per key
population) that a supervisor sets on the statistics page; the rows of the
statistics page are coloured against them.

The summary as of a day reads every resident (village, birth date, move-in and
leaving dates) and the contract in force of each (its dates, team and doctor);
two covering indexes let it do so without reading a table row (at 200,000
residents a table row costs about a microsecond, see migration 0006).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_CODES = (
    "overall",
    "elderly_65",
    "child_0_6",
    "maternal",
    "hypertension",
    "diabetes",
    "severe_mental",
    "tuberculosis",
    "disabled",
    "poverty",
    "family_planning_special",
    "any_key",
)


def upgrade() -> None:
    op.create_table(
        "signing_target",
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=30), nullable=False),
        sa.Column("target_permyriad", sa.Integer(), nullable=False),
        sa.Column("set_by", sa.Integer(), nullable=True),
        sa.Column("set_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "code IN (" + ", ".join(f"'{code}'" for code in _CODES) + ")",
            name=op.f("ck_signing_target_code"),
        ),
        sa.CheckConstraint(
            "target_permyriad BETWEEN 0 AND 10000", name=op.f("ck_signing_target_target_range")
        ),
        sa.ForeignKeyConstraint(
            ["set_by"], ["app_user.id"], name=op.f("fk_signing_target_set_by_app_user")
        ),
        sa.PrimaryKeyConstraint("year", "code", name=op.f("pk_signing_target")),
    )
    op.create_index(
        "ix_resident_statistics",
        "resident",
        ["id", "village_id", "birth_date", "moved_in_on", "left_on"],
        unique=False,
    )
    op.create_index(
        "ix_contract_statistics",
        "contract",
        ["resident_id", "end_date", "start_date", "terminated_on", "team_id", "doctor_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_contract_statistics", table_name="contract")
    op.drop_index("ix_resident_statistics", table_name="resident")
    op.drop_table("signing_target")
