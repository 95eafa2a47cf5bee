"""resident list indexes: covering indexes so search, filters and far pages read no table rows

At 200,000 residents each row read from the resident table costs about a
microsecond (a random page), so the list and the search box must answer from
indexes alone: every index the list filters or sorts by carries ``left_on``
(the "living here" test) and the sort key ``name_pinyin``; the name-order index
carries ``id`` so it gives the exact list order; a small partial index holds the
residents who left (their counts are subtracted); the contract indexes carry
what "in force on a day" needs. Same index names, wider columns.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# (name, table, columns now, columns before)
_WIDENED = (
    ("ix_resident_name", "resident", ["name", "left_on", "name_pinyin"], ["name"]),
    (
        "ix_resident_name_initials",
        "resident",
        ["name_initials", "left_on", "name_pinyin"],
        ["name_initials"],
    ),
    (
        "ix_resident_name_pinyin",
        "resident",
        ["name_pinyin", "id", "left_on", "birth_date", "name_initials"],
        ["name_pinyin"],
    ),
    (
        "ix_resident_birth_date",
        "resident",
        ["birth_date", "left_on", "name_pinyin"],
        ["birth_date"],
    ),
    (
        "ix_resident_village_left",
        "resident",
        ["village_id", "left_on", "name_pinyin"],
        ["village_id", "left_on"],
    ),
    (
        "ix_contract_resident_period",
        "contract",
        ["resident_id", "start_date", "end_date", "terminated_on"],
        ["resident_id", "start_date", "end_date"],
    ),
    (
        "ix_contract_end_date",
        "contract",
        ["end_date", "start_date", "terminated_on", "resident_id"],
        ["end_date"],
    ),
)
_LEFT_COLUMNS = ["left_on", "name", "id_number", "phone", "health_record_no"]


def upgrade() -> None:
    for name, table, columns, _before in _WIDENED:
        op.drop_index(name, table_name=table)
        op.create_index(name, table, columns, unique=False)
    op.create_index(
        "ix_resident_left",
        "resident",
        _LEFT_COLUMNS,
        unique=False,
        sqlite_where=sa.text("left_on IS NOT NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_resident_left", table_name="resident")
    for name, table, _columns, before in _WIDENED:
        op.drop_index(name, table_name=table)
        op.create_index(name, table, before, unique=False)
