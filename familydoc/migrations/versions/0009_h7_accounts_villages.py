"""accounts and villages in the window: must-change passwords, disabled accounts, retired villages

Revision ID: 0009_h7_accounts
Revises: 0008
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_h7_accounts"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMNs (no batch rebuild): the tables keep their triggers and rows.
    op.add_column(
        "app_user",
        sa.Column("must_change_password", sa.Boolean(), server_default=sa.false(), nullable=False),
    )
    op.add_column("app_user", sa.Column("deactivated_at", sa.DateTime(), nullable=True))
    op.add_column("village", sa.Column("retired_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    op.drop_column("village", "retired_at")
    op.drop_column("app_user", "deactivated_at")
    op.drop_column("app_user", "must_change_password")
