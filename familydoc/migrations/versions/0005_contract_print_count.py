"""contract print count: how many times each contract was printed (or saved as PDF)

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN (no batch rebuild): the contract table keeps its overlap triggers.
    op.add_column(
        "contract",
        sa.Column("print_count", sa.Integer(), server_default=sa.text("0"), nullable=False),
    )


def downgrade() -> None:
    # SQLite 3.35+ drops a column in place (a batch rebuild would lose the triggers).
    op.drop_column("contract", "print_count")
