"""resident search index: an FTS5 trigram table kept by triggers

Search as you type finds residents by any 3+ characters of name, pinyin, ID
number, phone or health record number (shorter queries use the name and
pinyin-initials indexes). Triggers keep the index in the same transaction as
the resident row, so it can never drift.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_KEYS = (
    "coalesce({t}.name, '') || ' ' || coalesce({t}.name_pinyin, '') || ' '"
    " || coalesce({t}.name_initials, '') || ' ' || coalesce({t}.id_number, '') || ' '"
    " || coalesce({t}.phone, '') || ' ' || coalesce({t}.health_record_no, '')"
)


def upgrade() -> None:
    op.execute("CREATE VIRTUAL TABLE resident_search USING fts5(keys, tokenize='trigram')")
    op.execute(
        "INSERT INTO resident_search(rowid, keys) SELECT id, "
        + _KEYS.format(t="resident")
        + " FROM resident"
    )
    op.execute(
        "CREATE TRIGGER trg_resident_search_insert AFTER INSERT ON resident BEGIN"
        " INSERT INTO resident_search(rowid, keys) VALUES (NEW.id, "
        + _KEYS.format(t="NEW")
        + "); END"
    )
    op.execute(
        "CREATE TRIGGER trg_resident_search_update AFTER UPDATE OF"
        " name, name_pinyin, name_initials, id_number, phone, health_record_no ON resident"
        " BEGIN UPDATE resident_search SET keys = "
        + _KEYS.format(t="NEW")
        + " WHERE rowid = NEW.id; END"
    )
    op.execute(
        "CREATE TRIGGER trg_resident_search_delete AFTER DELETE ON resident BEGIN"
        " DELETE FROM resident_search WHERE rowid = OLD.id; END"
    )


def downgrade() -> None:
    for trigger in ("insert", "update", "delete"):
        op.execute(f"DROP TRIGGER IF EXISTS trg_resident_search_{trigger}")
    op.execute("DROP TABLE IF EXISTS resident_search")
