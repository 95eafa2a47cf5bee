"""``familydoc import contracts`` as a clinic runs it: real processes, exit codes, the error file
in Chinese, --dry-run, --create-missing, a re-import that signs nothing twice, permissions."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from pathlib import Path

import pytest
from test_import_cli import VILLAGES, _query, run_cli, write_roster

from familydoc.core.auth import Actor
from familydoc.core.context import AppContext
from familydoc.core.idnumber import build as build_id_number

USER_PASSWORD = "user-pass-1"  # the make_user fixture's default
ZHANG = build_id_number("320321", dt.date(1950, 3, 4), 123)
LI = build_id_number("320321", dt.date(1985, 7, 9), 22)
HEADER = [
    "序号",
    "姓名",
    "身份证号",
    "团队",
    "责任医生",
    "服务包",
    "签约日期",
    "开始日期",
    "结束日期",
]
GOOD = [
    ["1", "张三", ZHANG, "青山村家庭医生团队", "刘建华", "", "2026/3/1", "", ""],
    ["2", "李四", LI, "青山村家庭医生团队", "刘建华", "基础服务包", "2026-03-02", "", "2026-12-31"],
]


def write_contracts(path: Path, rows: list[list[str]], encoding: str = "gb18030") -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows([HEADER, *rows])
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


@pytest.fixture
def home(initialised: AppContext, make_user: Callable[..., Actor], tmp_path: Path) -> Path:
    """A home with a clerk, two villages and two residents imported through the command line."""
    make_user("clerk", "luru")
    path = initialised.home.path
    initialised.close()
    villages = tmp_path / "villages.csv"
    villages.write_text(VILLAGES, encoding="utf-8-sig")
    assert run_cli(path, "import", "villages", str(villages), "--user", "admin").returncode == 0
    people = write_roster(
        tmp_path / "people.csv",
        [
            ["张三", ZHANG, "", "", "", "青山村", "001", "户主", "", ""],
            ["李四", LI, "", "", "", "河湾村", "002", "户主", "", ""],
        ],
    )
    assert run_cli(path, "import", "residents", str(people), "--user", "admin").returncode == 0
    return path


def count(home: Path, table: str) -> int:
    return int(_query(home / "familydoc.sqlite3", f"SELECT count(*) FROM {table}")[0][0])


def test_import_contracts_creates_what_is_missing_and_a_reimport_signs_nothing_twice(
    home: Path, tmp_path: Path
) -> None:
    path = write_contracts(tmp_path / "签约花名册.csv", GOOD)
    refused = run_cli(home, "import", "contracts", str(path), "--user", "admin")
    assert refused.returncode == 1 and "There is no team called" in refused.stderr
    assert count(home, "contract") == count(home, "team") == 0

    dry = run_cli(
        home, "import", "contracts", str(path), "--user", "admin", "--dry-run", "--create-missing"
    )
    assert dry.returncode == 0, dry.stderr
    assert "nothing was written" in dry.stdout and "2 contracts signed" in dry.stdout
    assert count(home, "contract") == count(home, "team") == count(home, "doctor") == 0

    result = run_cli(home, "import", "contracts", str(path), "--user", "admin", "--create-missing")
    assert result.returncode == 0, result.stderr
    assert (
        "2 rows: 2 contracts signed, 0 already present; 1 new teams, 1 new doctors" in result.stdout
    )
    assert "GB18030" in result.stderr and "序号" in result.stderr  # encoding, ignored column
    database = home / "familydoc.sqlite3"
    assert _query(
        database, "SELECT number, signed_on, start_date, end_date FROM contract ORDER BY id"
    ) == [
        ("320321110-2026-000001", "2026-03-01", "2026-03-01", "2027-02-28"),
        ("320321110-2026-000002", "2026-03-02", "2026-03-02", "2026-12-31"),
    ]
    again = run_cli(home, "import", "contracts", str(path), "--user", "admin")
    assert again.returncode == 0
    assert "2 rows: 0 contracts signed, 2 already present" in again.stdout
    assert count(home, "contract") == 2


def test_a_roster_with_mistakes_writes_nothing_and_explains_each_in_chinese(
    home: Path, tmp_path: Path
) -> None:
    path = write_contracts(
        tmp_path / "签约花名册.csv",
        [
            *GOOD,
            ["3", "王五", "1.10105E+17", "青山村家庭医生团队", "刘建华", "", "2026-03-01", "", ""],
            ["4", "张三", ZHANG, "青山村家庭医生团队", "刘建华", "黄金包", "2026-03-01", "", ""],
            ["5", "李四", LI, "青山村家庭医生团队", "刘建华", "", "2026-03-01", "", "2026-02-01"],
            ["6", "赵六", LI, "青山村家庭医生团队", "刘建华", "", "2099-01-01", "", ""],
        ],
    )
    events = count(home, "audit_event")
    result = run_cli(
        home, "import", "contracts", str(path), "--user", "admin", "--create-missing", lang="zh_CN"
    )
    assert result.returncode == 1
    assert "没有导入任何数据" in result.stderr, result.stderr
    errors = tmp_path / "签约花名册-错误清单.csv"
    rows = list(csv.reader(io.StringIO(errors.read_bytes().decode("utf-8-sig"))))
    assert rows[0] == ["行号", "列", "内容", "问题"]
    problems = {(r[0], r[1]): r[3] for r in rows[1:]}
    assert set(problems) == {("4", "身份证号"), ("5", "服务包"), ("6", "结束日期"), ("7", "姓名")}
    assert "Excel" in problems[("4", "身份证号")] and "文本" in problems[("4", "身份证号")]
    assert "没有名为“黄金包”的服务包" in problems[("5", "服务包")]
    assert "结束日期早于开始日期" in problems[("6", "结束日期")]
    assert "属于李四" in problems[("7", "姓名")] and "赵六" in problems[("7", "姓名")]
    for reason in problems.values():  # every reason translated: mostly Chinese characters
        chinese = sum("\u4e00" <= ch <= "\u9fff" for ch in reason)
        letters = sum(ch.isascii() and ch.isalpha() for ch in reason)
        assert chinese > letters, reason
    assert count(home, "contract") == count(home, "team") == count(home, "doctor") == 0
    assert count(home, "audit_event") == events + 1  # the login only


def test_a_clerk_may_not_import_contracts(home: Path, tmp_path: Path) -> None:
    path = write_contracts(tmp_path / "签约花名册.csv", GOOD)
    result = run_cli(
        home, "import", "contracts", str(path), "--user", "luru", password=USER_PASSWORD
    )
    assert result.returncode == 1
    assert "not allowed to sign or renew contracts" in result.stderr
    assert count(home, "contract") == 0
