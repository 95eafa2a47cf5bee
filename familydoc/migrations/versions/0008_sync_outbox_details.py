"""sync outbox details: the figures of each report and why its last attempt failed

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMNs: nullable, so existing rows need no default.
    op.add_column("sync_outbox", sa.Column("as_of", sa.Date(), nullable=True))
    op.add_column("sync_outbox", sa.Column("figures", sa.JSON(), nullable=True))
    op.add_column("sync_outbox", sa.Column("problem", sa.String(length=20), nullable=True))
    op.add_column("sync_outbox", sa.Column("http_status", sa.Integer(), nullable=True))


def downgrade() -> None:
    for column in ("http_status", "problem", "figures", "as_of"):
        op.drop_column("sync_outbox", column)
