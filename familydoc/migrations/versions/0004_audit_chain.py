"""audit chain: seal every audit event with the hash of the one before, and make the log append-only

Existing events are sealed in id order; from now on a trigger seals each new
event in the transaction that inserts it (see ``familydoc.core.audit_chain``),
and triggers refuse UPDATE and DELETE of sealed events.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from familydoc.core.audit_chain import GENESIS, SEALED_COLUMNS, SQL_FUNCTION, event_hash

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_HEAD = "(SELECT last_hash FROM audit_chain_head WHERE id = 1)"
_VALUES = ", ".join(f"NEW.{column}" for column in SEALED_COLUMNS)

TRIGGERS = {
    "trg_audit_event_seal": (
        "CREATE TRIGGER trg_audit_event_seal AFTER INSERT ON audit_event BEGIN"
        f" UPDATE audit_event SET chain_prev = {_HEAD},"
        f" chain_hash = {SQL_FUNCTION}({_HEAD}, {_VALUES}) WHERE id = NEW.id;"
        " UPDATE audit_chain_head SET last_id = NEW.id,"
        " last_hash = (SELECT chain_hash FROM audit_event WHERE id = NEW.id),"
        " event_count = event_count + 1 WHERE id = 1;"
        " END"
    ),
    "trg_audit_event_no_update": (
        "CREATE TRIGGER trg_audit_event_no_update BEFORE UPDATE ON audit_event"
        " WHEN OLD.chain_hash IS NOT NULL"
        " BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END"
    ),
    "trg_audit_event_no_delete": (
        "CREATE TRIGGER trg_audit_event_no_delete BEFORE DELETE ON audit_event"
        " BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END"
    ),
    "trg_audit_chain_head_no_delete": (
        "CREATE TRIGGER trg_audit_chain_head_no_delete BEFORE DELETE ON audit_chain_head"
        " BEGIN SELECT RAISE(ABORT, 'audit_chain_head is kept'); END"
    ),
}


def upgrade() -> None:
    op.add_column("audit_event", sa.Column("chain_prev", sa.String(length=64), nullable=True))
    op.add_column("audit_event", sa.Column("chain_hash", sa.String(length=64), nullable=True))
    op.create_table(
        "audit_chain_head",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("last_id", sa.Integer(), nullable=True),
        sa.Column("last_hash", sa.String(length=64), nullable=False),
        sa.Column("event_count", sa.Integer(), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_audit_chain_head_single_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_chain_head")),
    )
    connection = op.get_bind()
    columns = ", ".join(SEALED_COLUMNS)
    rows = connection.exec_driver_sql(f"SELECT {columns} FROM audit_event ORDER BY id").fetchall()
    previous = GENESIS
    seals = []
    for row in rows:
        seal = event_hash(previous, *row)
        seals.append({"id": row[0], "prev": previous, "seal": seal})
        previous = seal
    if seals:
        connection.execute(
            sa.text("UPDATE audit_event SET chain_prev = :prev, chain_hash = :seal WHERE id = :id"),
            seals,
        )
    connection.execute(
        sa.text(
            "INSERT INTO audit_chain_head (id, last_id, last_hash, event_count)"
            " VALUES (1, :last_id, :last_hash, :count)"
        ),
        {"last_id": seals[-1]["id"] if seals else None, "last_hash": previous, "count": len(seals)},
    )
    for statement in TRIGGERS.values():
        op.execute(statement)


def downgrade() -> None:
    for name in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_table("audit_chain_head")
    with op.batch_alter_table("audit_event") as batch:
        batch.drop_column("chain_hash")
        batch.drop_column("chain_prev")
