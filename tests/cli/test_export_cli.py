"""``familydoc export`` as scripts use it: real processes, files read back, exit codes."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from signing_world import AS_OF, SigningWorld, build_world
from sqlalchemy import select
from test_cli import ADMIN_PASSWORD, run_cli

from familydoc.core.auth import Actor
from familydoc.core.context import AppContext
from familydoc.core.exports import summary_csv_bytes
from familydoc.core.models import AuditEvent
from familydoc.core.statistics import signing_summary

USER_PASSWORD = "user-pass-1"


@pytest.fixture
def world(initialised: AppContext) -> SigningWorld:
    return build_world(initialised.database)


def _home(context: AppContext) -> Path:
    return context.home.path


def _exports(context: AppContext) -> list[tuple[str | None, str, dict[str, object]]]:
    with context.database.read() as session:
        return [
            (event.username, event.action, event.changes)
            for event in session.scalars(
                select(AuditEvent).where(AuditEvent.action.like("export.%")).order_by(AuditEvent.id)
            )
        ]


def test_summary_csv_as_of_a_date(
    initialised: AppContext, world: SigningWorld, tmp_path: Path
) -> None:
    out = tmp_path / "summary.csv"
    result = run_cli(
        "export", "summary", "--as-of", AS_OF.isoformat(), "--format", "csv", "-o", str(out),
        "--user", "admin", home=_home(initialised), password=ADMIN_PASSWORD,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "2026-06-15" in result.stdout
    with initialised.database.read() as session:
        expected = summary_csv_bytes(signing_summary(session, AS_OF))
    assert out.read_bytes() == expected
    rows = list(csv.reader(io.StringIO(out.read_bytes().decode("utf-8-sig"))))
    assert rows[1] == ["overall", "overall", "全部居民", "15", "6", "0.4000", "mixed"]
    assert _exports(initialised) == [
        ("admin", "export.summary", {"format": "csv", "as_of": "2026-06-15", "rows": 21})
    ]


def test_summary_xlsx_and_pdf_with_a_period(
    initialised: AppContext, world: SigningWorld, tmp_path: Path
) -> None:
    for fmt in ("xlsx", "pdf"):
        out = tmp_path / f"summary.{fmt}"
        result = run_cli(
            "export", "summary", "--as-of", "2026-06-15", "--from", "2026-01-01",
            "--to", "2026-06-15", "--format", fmt, "-o", str(out), "--user", "admin",
            home=_home(initialised), password=ADMIN_PASSWORD,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
    workbook = load_workbook(tmp_path / "summary.xlsx")
    assert "期间情况" in workbook.sheetnames
    assert workbook["期间情况"]["A1"].value.endswith("（2026-01-01 至 2026-06-15）")
    text = "".join(page.extract_text() for page in PdfReader(tmp_path / "summary.pdf").pages)
    assert "测试镇卫生院家庭医生签约服务统计报表" in text and "2026-01-01 至 2026-06-15" in text
    assert [action for _, action, _ in _exports(initialised)] == ["export.summary"] * 2


def test_lists_masked_unless_an_allowed_role_asks(
    initialised: AppContext,
    world: SigningWorld,
    make_user: Callable[..., Actor],
    tmp_path: Path,
) -> None:
    make_user("clerk")
    make_user("supervisor")
    home = _home(initialised)
    refused = tmp_path / "refused.csv"
    result = run_cli(
        "export", "residents", "--unmasked", "-o", str(refused), "--user", "clerk1",
        home=home, password=USER_PASSWORD,
    )  # fmt: skip
    assert result.returncode == 1
    assert "clerk1" in result.stderr and not refused.exists()

    masked = tmp_path / "masked.csv"
    result = run_cli(
        "export", "residents", "-o", str(masked), "--user", "clerk1",
        home=home, password=USER_PASSWORD,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "14 rows" in result.stdout and "masked" in result.stdout
    rows = list(csv.DictReader(io.StringIO(masked.read_bytes().decode("utf-8-sig"))))
    assert all("*" in row["身份证号"] and "*" in row["联系电话"] for row in rows)

    full = tmp_path / "contracts.xlsx"
    result = run_cli(
        "export", "contracts", "--unmasked", "-o", str(full), "--user", "supervisor1",
        home=home, password=USER_PASSWORD,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    sheet = load_workbook(full).active
    ids = [row[2] for row in sheet.iter_rows(min_row=4, values_only=True)]
    assert len(ids) == 11 and all(len(value) == 18 and "*" not in value for value in ids)
    assert _exports(initialised) == [
        ("clerk1", "export.residents", {"format": "csv", "rows": 14, "unmasked": False}),
        ("supervisor1", "export.contracts", {"format": "xlsx", "rows": 11, "unmasked": True}),
    ]


def test_export_refusals_and_usage(initialised: AppContext, tmp_path: Path) -> None:
    home = _home(initialised)
    result = run_cli(
        "export", "contracts", "-o", str(tmp_path / "list.txt"), "--user", "admin",
        home=home, password=ADMIN_PASSWORD,
    )  # fmt: skip
    assert result.returncode == 1 and ".xlsx" in result.stderr
    result = run_cli(
        "export", "summary", "--as-of", "2026-13-01", "--format", "csv", "-o", "x.csv",
        home=home, password=ADMIN_PASSWORD,
    )  # fmt: skip
    assert result.returncode == 2 and "2026-13-01" in result.stderr
    result = run_cli(
        "export", "summary", "--format", "csv", "-o", str(tmp_path / "x.csv"),
        home=home, password=ADMIN_PASSWORD,
    )  # fmt: skip
    assert result.returncode == 2 and "--user" in result.stderr
    result = run_cli(
        "export", "summary", "--format", "csv", "-o", str(tmp_path / "x.csv"), "--user",
        "admin", home=home, password="wrong-password",
    )  # fmt: skip
    assert result.returncode == 5
    result = run_cli(
        "export", "summary", "--format", "csv", "-o", str(tmp_path / "x.csv"), "--user",
        "admin", "--from", "2026-05-01", "--to", "2026-04-01",
        home=home, password=ADMIN_PASSWORD,
    )  # fmt: skip
    assert result.returncode == 2
    assert not (tmp_path / "x.csv").exists()
    assert _exports(initialised) == []


def test_export_speaks_chinese(initialised: AppContext, tmp_path: Path) -> None:
    result = run_cli(
        "export", "summary", "--format", "csv", "-o", str(tmp_path / "s.csv"), "--user",
        "admin", home=_home(initialised), password=ADMIN_PASSWORD, lang="zh_CN",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "签约" in result.stdout
