"""``familydoc export outreach`` as a script uses it: a real process, files read back."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from coverage_world import (
    DAY,
    OUTREACH_ENDING,
    OUTREACH_UNSIGNED,
    VILLAGE_CODE,
    CoverageWorld,
    build_coverage_world,
)
from openpyxl import load_workbook
from pypdf import PdfReader
from test_cli import ADMIN_PASSWORD, run_cli

from familydoc.core.context import AppContext


@pytest.fixture
def world(initialised: AppContext) -> CoverageWorld:
    return build_coverage_world(initialised.database)


def _run(context: AppContext, *args: str):  # type: ignore[no-untyped-def]
    return run_cli(
        "export", "outreach", *args, "--user", "admin",
        home=context.home.path, password=ADMIN_PASSWORD,
    )  # fmt: skip


def test_csv_xlsx_and_pdf_as_of_a_day(
    initialised: AppContext, world: CoverageWorld, tmp_path: Path
) -> None:
    out = tmp_path / "outreach.csv"
    result = _run(
        initialised, "--village", VILLAGE_CODE, "--as-of", DAY.isoformat(), "-o", str(out)
    )
    assert result.returncode == 0, result.stderr
    rows = list(csv.reader(io.StringIO(out.read_bytes().decode("utf-8-sig"))))
    assert rows[0][6:8] == ["状态", "签约至"]
    names = {row[0]: row[6] for row in rows[1:]}
    assert names == {
        **{world.names[k]: "未签约" for k in OUTREACH_UNSIGNED},
        **{world.names[k]: "即将到期" for k in OUTREACH_ENDING},
    }
    wide = tmp_path / "wide.xlsx"
    result = _run(initialised, "--as-of", DAY.isoformat(), "--days", "60", "-o", str(wide))
    assert result.returncode == 0, result.stderr
    sheet = load_workbook(wide).active
    listed = [r[0] for r in sheet.iter_rows(min_row=4, values_only=True) if r[0]]
    assert world.names["a16"] in listed and len(listed) == 9
    pdf = tmp_path / "calls.pdf"
    result = _run(
        initialised, "--as-of", DAY.isoformat(), "--population", "any_key", "-o", str(pdf)
    )
    assert result.returncode == 0, result.stderr
    assert "随访" in PdfReader(pdf).pages[0].extract_text()


def test_bad_village_population_or_suffix_exit_1_and_write_nothing(
    initialised: AppContext, world: CoverageWorld, tmp_path: Path
) -> None:
    for args in (
        ("--village", "999999999999"),
        ("--population", "nobody"),
    ):
        out = tmp_path / "x.csv"
        result = _run(initialised, *args, "-o", str(out))
        assert result.returncode == 1, result.stderr
        assert not out.exists()
    result = _run(initialised, "-o", str(tmp_path / "x.txt"))
    assert result.returncode == 1 and not (tmp_path / "x.txt").exists()
    result = _run(initialised, "--days", "-3", "-o", str(tmp_path / "y.csv"))
    assert result.returncode == 2
