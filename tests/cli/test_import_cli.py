"""``familydoc import villages|residents`` as a clerk's script runs it: real processes, exit
codes, the error file Excel opens, --dry-run, and an import killed half-way through."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from familydoc.core.context import AppContext
from familydoc.core.idnumber import build as build_id_number

REPO_ROOT = Path(__file__).resolve().parents[2]
ADMIN_PASSWORD = "admin-pass-1"  # the ``initialised`` fixture's administrator
VILLAGES = "村居代码,村居名称,常住人口,年份\n320321110201,青山村,1850,2026\n320321110202,河湾村,,\n"
HEADER = [
    "姓名",
    "身份证号码",
    "性别",
    "出生日期",
    "联系电话",
    "村居",
    "户号",
    "与户主关系",
    "重点人群",
    "备注",
]
ZHANG = build_id_number("320321", dt.date(1950, 3, 4), 123)
LI = build_id_number("320321", dt.date(1985, 7, 9), 22)


def _environment(password: str | None) -> dict[str, str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("FAMILYDOC_")}
    environment.update(
        PYTHONPATH=str(REPO_ROOT), PYTHONIOENCODING="utf-8", QT_QPA_PLATFORM="offscreen"
    )
    if password is not None:
        environment["FAMILYDOC_PASSWORD"] = password
    return environment


def _command(home: Path, lang: str, *args: str) -> list[str]:
    return [sys.executable, "-m", "familydoc", "--home", str(home), "--lang", lang, *args]


def run_cli(
    home: Path, *args: str, lang: str = "en", password: str | None = ADMIN_PASSWORD
) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        _command(home, lang, *args),
        env=_environment(password),
        cwd=REPO_ROOT,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
    )
    assert "Traceback" not in result.stderr, result.stderr
    return result


def write_roster(path: Path, rows: list[list[str]], encoding: str = "gb18030") -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows([HEADER, *rows])
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def _query(database: Path, sql: str) -> list[tuple]:
    connection = sqlite3.connect(database)
    try:
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


@pytest.fixture
def home(initialised: AppContext, tmp_path: Path) -> Path:
    """An institution's home with two villages imported through the command line."""
    path = initialised.home.path
    initialised.close()  # the commands open the database themselves
    villages = tmp_path / "villages.csv"
    villages.write_text(VILLAGES, encoding="utf-8-sig")
    result = run_cli(path, "import", "villages", str(villages), "--user", "admin")
    assert result.returncode == 0, result.stderr
    assert "2 new villages" in result.stdout
    return path


GOOD = [
    [
        "张三",
        ZHANG,
        "男",
        "1950年3月4日",
        "13812345678",
        "青山村",
        "001",
        "户主",
        "高血压、低保",
        "x",
    ],
    ["李四", LI, "女", "1985/07/09", "", "320321110202", "002", "户主", "孕产妇", ""],
]


def test_import_residents_then_again_updates(home: Path, tmp_path: Path) -> None:
    path = write_roster(tmp_path / "花名册.csv", GOOD)
    result = run_cli(home, "import", "residents", str(path), "--user", "admin")
    assert result.returncode == 0, result.stderr
    assert "2 new residents, 0 updated, 0 unchanged; 2 new households" in result.stdout
    assert "GB18030" in result.stderr and "备注" in result.stderr  # encoding, ignored column
    changed = [list(row) for row in GOOD]
    changed[0][4] = "13900001111"
    write_roster(path, changed)
    result = run_cli(home, "import", "residents", str(path), "--user", "admin")
    assert result.returncode == 0
    assert "0 new residents, 1 updated, 1 unchanged" in result.stdout
    database = home / "familydoc.sqlite3"
    assert _query(database, "SELECT phone FROM resident ORDER BY id") == [("13900001111",), (None,)]


def test_a_roster_with_mistakes_writes_nothing_and_an_error_file_in_chinese(
    home: Path, tmp_path: Path
) -> None:
    path = write_roster(
        tmp_path / "花名册.csv",
        [
            *GOOD,
            ["赵六", "1.10105E+17", "男", "", "", "青山村", "003", "户主", "", ""],
            ["钱七", ZHANG, "男", "", "", "不存在村", "003", "子", "糖尿病/脚气", ""],
        ],
    )
    database = home / "familydoc.sqlite3"
    events = _query(database, "SELECT count(*) FROM audit_event")
    result = run_cli(home, "import", "residents", str(path), "--user", "admin", lang="zh_CN")
    assert result.returncode == 1
    assert "没有导入任何数据" in result.stderr or "未导入" in result.stderr, result.stderr
    errors = tmp_path / "花名册-错误清单.csv"
    assert errors.exists(), result.stderr
    data = errors.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # Excel opens UTF-8 only with the BOM
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == ["行号", "列", "内容", "问题"]
    problems = {(r[0], r[1]): r[3] for r in rows[1:]}
    assert "Excel" in problems[("4", "身份证号码")]
    assert "不存在村" in problems[("5", "村居")]
    assert "脚气" in problems[("5", "重点人群")]
    assert "第 2 行" in problems[("5", "身份证号码")]  # the same number as row 2
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in reason) for reason in problems.values())
    assert _query(database, "SELECT count(*) FROM resident") == [(0,)]
    assert _query(database, "SELECT count(*) FROM audit_event") == [
        (events[0][0] + 1,)  # the login; no import event
    ]


def test_errors_option_dry_run_and_exit_codes(home: Path, tmp_path: Path) -> None:
    path = write_roster(tmp_path / "roster.csv", GOOD, encoding="utf-8-sig")
    result = run_cli(home, "import", "residents", str(path), "--user", "admin", "--dry-run")
    assert result.returncode == 0
    assert "nothing was written" in result.stdout and "2 new residents" in result.stdout
    assert _query(home / "familydoc.sqlite3", "SELECT count(*) FROM resident") == [(0,)]

    bad = write_roster(tmp_path / "bad.csv", [["", ZHANG, "", "", "", "青山村", "", "", "", ""]])
    out = tmp_path / "out" / "problems.csv"
    out.parent.mkdir()
    result = run_cli(home, "import", "residents", str(bad), "--user", "admin", "--errors", str(out))
    assert result.returncode == 1 and out.exists()
    assert "The name is missing" in out.read_text(encoding="utf-8-sig")
    assert not (tmp_path / "bad-errors.csv").exists()

    assert run_cli(home, "import", "residents", str(path)).returncode == 2  # no --user
    assert (
        run_cli(
            home, "import", "residents", str(path), "--user", "admin", password="wrong"
        ).returncode
        == 5
    )
    missing = run_cli(home, "import", "residents", str(tmp_path / "nope.csv"), "--user", "admin")
    assert missing.returncode == 1 and "nope.csv" in missing.stderr
    no_village = tmp_path / "no-village.csv"
    no_village.write_text("姓名,电话\n张三,13812345678\n", encoding="utf-8")
    result = run_cli(home, "import", "residents", str(no_village), "--user", "admin")
    assert result.returncode == 1 and "村居" in result.stderr


def test_an_import_killed_half_way_leaves_the_database_as_it_was(
    home: Path, tmp_path: Path
) -> None:
    database = home / "familydoc.sqlite3"
    first = write_roster(tmp_path / "first.csv", GOOD)
    assert run_cli(home, "import", "residents", str(first), "--user", "admin").returncode == 0
    rows = [
        [
            f"居民{i}",
            build_id_number("320321", dt.date(1940, 1, 1) + dt.timedelta(days=i), 11 + i % 400 * 2),
            "",
            "",
            "",
            "青山村" if i % 2 else "河湾村",
            f"H{i // 3:05d}",
            "户主",
            "高血压" if i % 5 == 0 else "",
            "",
        ]
        for i in range(30_000)
    ]
    big = write_roster(tmp_path / "big.csv", rows)
    counts = {
        table: f"SELECT count(*) FROM {table}"
        for table in ("resident", "household", "resident_tag", "resident_search", "village")
    }
    counts["audit"] = "SELECT count(*) FROM audit_event WHERE action != 'login'"
    counts["residents"] = "SELECT id, name, phone, household_id FROM resident ORDER BY id"
    before = {name: _query(database, sql) for name, sql in counts.items()}

    process = subprocess.Popen(
        _command(home, "en", "import", "residents", str(big), "--user", "admin"),
        env=_environment(ADMIN_PASSWORD),
        cwd=REPO_ROOT,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )
    try:
        seen = []
        deadline = time.monotonic() + 120
        assert process.stderr is not None
        while time.monotonic() < deadline:
            line = process.stderr.readline()
            seen.append(line)
            # Progress comes after a chunk of rows has been checked and written (not committed).
            if line.startswith("Rows done") or not line:
                break
        assert seen[-1].startswith("Rows done"), seen
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == -signal.SIGKILL
    assert process.stdout is not None and "Imported" not in process.stdout.read()

    after = {name: _query(database, sql) for name, sql in counts.items()}
    assert after == before  # the login of the killed process is the only thing kept
    assert _query(database, "PRAGMA integrity_check") == [("ok",)]
    triggers = {
        name
        for (name,) in _query(database, "SELECT name FROM sqlite_master WHERE type = 'trigger'")
    }
    assert {"trg_resident_search_insert", "trg_resident_search_update"} <= triggers
    # And the database takes the same file afterwards.
    small = write_roster(tmp_path / "small.csv", rows[:50])
    result = run_cli(home, "import", "residents", str(small), "--user", "admin")
    assert result.returncode == 0 and "50 new residents" in result.stdout
