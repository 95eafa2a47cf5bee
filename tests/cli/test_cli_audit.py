"""``familydoc check`` on an audit log whose protection or history was tampered with."""

from __future__ import annotations

import sqlite3

from safety_helpers import add_village, run_familydoc

from familydoc.core.context import AppContext


def test_check_reports_a_protection_trigger_that_does_nothing_in_chinese(
    initialised: AppContext,
) -> None:
    add_village(initialised.database, "320321110201", events=2)
    initialised.database.dispose()
    connection = sqlite3.connect(initialised.home.database_file)
    with connection:
        connection.execute("DROP TRIGGER trg_audit_event_no_update")
        connection.execute(
            "CREATE TRIGGER trg_audit_event_no_update BEFORE UPDATE ON audit_event"
            " BEGIN SELECT 1; END"
        )
    connection.close()
    caught = run_familydoc("check", home=initialised.home.path, lang="zh_CN")
    assert caught.returncode == 1, caught.stdout + caught.stderr
    assert "触发器 trg_audit_event_no_update 的 SQL 与 familydoc 创建的不一致" in caught.stdout
