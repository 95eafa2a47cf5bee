"""The program's start: one program per database, damaged files and network shares refused,
an automatic backup at start (real processes with ``--smoke``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from safety_helpers import damage_header, damage_table, run_familydoc

from familydoc.core import backup, safety
from familydoc.core.config import Home
from familydoc.core.instance_lock import InstanceLock
from familydoc.gui.safety import open_safely


def test_start_checks_and_makes_the_automatic_backup(demo_home: Home) -> None:
    result = run_familydoc("--smoke", home=demo_home.path)
    assert result.returncode == 0, result.stderr
    [entry] = backup.list_backups(demo_home.backups_dir)
    assert entry.kind == "auto"
    # The lock went with the process: a second start works.
    again = run_familydoc("--smoke", home=demo_home.path)
    assert again.returncode == 0, again.stderr
    assert len(backup.list_backups(demo_home.backups_dir)) == 1  # no second one within minutes


def test_a_second_start_says_who_holds_the_database(demo_home: Home) -> None:
    lock = InstanceLock(demo_home.database_file)
    lock.acquire("gui", user="王卫东")
    try:
        result = run_familydoc("--smoke", home=demo_home.path, lang="zh_CN")
    finally:
        lock.release()
    assert result.returncode == 1
    assert "已在运行" in result.stderr and "王卫东" in result.stderr


@pytest.mark.parametrize("damage", [damage_table, damage_header], ids=["table", "header"])
def test_a_damaged_database_is_found_at_start(demo_home: Home, damage: object) -> None:
    damage(demo_home.database_file)  # type: ignore[operator]
    result = run_familydoc("--smoke", home=demo_home.path, lang="zh_CN")
    assert result.returncode == 1
    assert "数据库文件已损坏" in result.stderr
    assert backup.list_backups(demo_home.backups_dir) == []  # a damaged file is never a backup


def test_a_database_on_a_network_share_is_refused_at_start(
    qapp: QApplication,
    demo_home: Home,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    real = safety._mount_table()
    monkeypatch.setattr(
        safety, "_mount_table", lambda: [*real, (str(Path(demo_home.path).resolve()), "nfs4")]
    )
    assert open_safely(demo_home, smoke=True) == 1
    assert "network share (nfs4)" in capsys.readouterr().err
    lock = InstanceLock(demo_home.database_file)
    lock.acquire()  # the refused start let go of the lock
    lock.release()
