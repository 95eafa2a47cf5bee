"""outreach contacts: the result of each call to a resident on the outreach list

``outreach_contact`` holds one row per attempt (同意签约 / 暂不签约 with a reason / 无法联系,
an optional next contact date); the outreach list shows each resident's last one and the
statistics count them per village and team. ``ix_contract_terminated`` finds the contracts
ended early within a window (coverage ending soon, ``familydoc.core.coverage``).

Revision ID: 0010_h5_outreach
Revises: 0009_h7_accounts
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_h5_outreach"
down_revision = "0009_h7_accounts"
branch_labels = None
depends_on = None

_RESULTS = ("agreed", "declined", "unreachable")
_REASONS = (
    "away_long",
    "refused",
    "signed_elsewhere",
    "moved_unrecorded",
    "deceased_unrecorded",
    "wrong_contact",
    "other",
)


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN (" + ", ".join(f"'{value}'" for value in values) + ")"


def upgrade() -> None:
    op.create_table(
        "outreach_contact",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("resident_id", sa.Integer(), nullable=False),
        sa.Column("contacted_on", sa.Date(), nullable=False),
        sa.Column("result", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.String(length=30), nullable=True),
        sa.Column("note", sa.String(length=200), nullable=True),
        sa.Column("next_contact_on", sa.Date(), nullable=True),
        sa.Column("recorded_by", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(_in("result", _RESULTS), name=op.f("ck_outreach_contact_result")),
        sa.CheckConstraint(
            f"(result = 'declined') = (reason IS NOT NULL AND {_in('reason', _REASONS)})",
            name=op.f("ck_outreach_contact_reason"),
        ),
        sa.ForeignKeyConstraint(
            ["resident_id"], ["resident.id"], name=op.f("fk_outreach_contact_resident_id_resident")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by"], ["app_user.id"], name=op.f("fk_outreach_contact_recorded_by_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outreach_contact")),
    )
    op.create_index(
        "ix_outreach_contact_resident",
        "outreach_contact",
        ["resident_id", "contacted_on", "id"],
        unique=False,
    )
    op.create_index("ix_outreach_contact_day", "outreach_contact", ["contacted_on"], unique=False)
    op.create_index(
        "ix_contract_terminated",
        "contract",
        ["terminated_on"],
        unique=False,
        sqlite_where=sa.text("terminated_on IS NOT NULL"),
        postgresql_where=sa.text("terminated_on IS NOT NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_contract_terminated", table_name="contract")
    op.drop_index("ix_outreach_contact_day", table_name="outreach_contact")
    op.drop_index("ix_outreach_contact_resident", table_name="outreach_contact")
    op.drop_table("outreach_contact")
