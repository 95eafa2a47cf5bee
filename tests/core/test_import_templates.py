"""The import templates in resources/templates: what tools/make_templates.py writes, every
header known to the importer, ID columns as text, and the examples import cleanly."""

from __future__ import annotations

import datetime as dt
import runpy
from pathlib import Path

import pytest
from openpyxl import load_workbook

from familydoc.core import auth, imports, residents
from familydoc.core.context import AppContext
from familydoc.core.idnumber import build as build_id_number
from familydoc.core.resources import resource_path

REPO_ROOT = Path(__file__).resolve().parents[2]
FATHER = build_id_number("320321", dt.date(1990, 2, 3), 135)  # as in tools/make_templates.py
TEMPLATES = {
    "residents": ("居民导入模板.csv", "居民导入模板.xlsx"),
    "villages": ("村居导入模板.csv", "村居导入模板.xlsx"),
    "contracts": ("签约导入模板.csv", "签约导入模板.xlsx"),
}


def test_the_shipped_templates_are_what_the_tool_writes(tmp_path: Path) -> None:
    main = runpy.run_path(str(REPO_ROOT / "tools" / "make_templates.py"))["main"]
    assert main(["--output", str(tmp_path)]) == 0
    for names in TEMPLATES.values():
        csv_name, xlsx_name = names
        assert (tmp_path / csv_name).read_bytes() == resource_path(
            "templates", csv_name
        ).read_bytes()
        fresh = load_workbook(tmp_path / xlsx_name)
        shipped = load_workbook(resource_path("templates", xlsx_name))
        assert fresh.sheetnames == shipped.sheetnames
        for name in fresh.sheetnames:
            assert [[c.value for c in r] for r in fresh[name].iter_rows()] == [
                [c.value for c in r] for r in shipped[name].iter_rows()
            ]


@pytest.mark.parametrize("kind", ["residents", "villages", "contracts"])
def test_every_template_header_is_known_and_csv_has_a_bom(kind: str) -> None:
    csv_name, xlsx_name = TEMPLATES[kind]
    assert resource_path("templates", csv_name).read_bytes().startswith(b"\xef\xbb\xbf")
    for name in (csv_name, xlsx_name):
        source = imports.open_source(resource_path("templates", name), kind)
        try:
            assert source.ignored_columns == []
            assert len(list(source.rows())) == 2  # the two example rows
        finally:
            source.close()


def test_the_workbook_keeps_id_numbers_as_text() -> None:
    workbook = load_workbook(resource_path("templates", "居民导入模板.xlsx"))
    sheet = workbook.active
    assert sheet is not None and sheet.title == "居民"
    headers = [cell.value for cell in sheet[1]]
    for header in ("身份证号", "联系电话", "监护人身份证号", "健康档案号"):
        letter = sheet.cell(row=1, column=headers.index(header) + 1).column_letter
        assert sheet.column_dimensions[letter].number_format == "@"
        assert sheet[f"{letter}2"].number_format == "@"
    assert isinstance(sheet["B2"].value, str) and len(sheet["B2"].value) == 18
    assert "填写说明" in workbook.sheetnames


def test_the_examples_import(
    initialised: AppContext, admin: auth.Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    def run(name: str, kind: str, dry_run: bool) -> imports.ImportReport:
        source = imports.open_source(resource_path("templates", name), kind)
        try:
            with initialised.database.unit_of_work(write=not dry_run) as session:
                return imports.run_import(
                    session,
                    admin,
                    source,
                    dry_run=dry_run,
                    today=dt.date(2026, 11, 24),
                    create_missing=kind == "contracts",
                )
        finally:
            source.close()

    assert run("村居导入模板.xlsx", "villages", dry_run=False).new == 2
    assert run("村居导入模板.csv", "villages", dry_run=False).unchanged == 2
    for name in TEMPLATES["residents"]:
        report = run(name, "residents", dry_run=True)
        assert (report.new, report.households_created) == (2, 1)
    # The contracts examples sign the residents example's 张秀英 and the guardian 王建国,
    # to a team and doctor the import creates.
    assert run("居民导入模板.xlsx", "residents", dry_run=False).new == 2
    with initialised.database.unit_of_work() as session:
        residents.register(
            session,
            admin,
            residents.ResidentInput(name="王建国", id_number=FATHER, village="青山村"),
            today=dt.date(2026, 11, 24),
        )
    for name in TEMPLATES["contracts"]:
        report = run(name, "contracts", dry_run=True)
        assert (report.new, report.teams_created, report.doctors_created) == (2, 1, 1)
