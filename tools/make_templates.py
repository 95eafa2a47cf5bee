"""Write the import templates shipped in resources/templates/.

    python tools/make_templates.py [--output DIR]

居民导入模板, 村居导入模板 and 签约导入模板 (.xlsx / .csv): the header row the importer
knows (the first name of each field in ``familydoc.core.imports``) and two example
rows. In the workbooks the columns of long numbers (ID numbers, phones, household
and record numbers, village codes) are formatted as text, so Excel keeps every
digit instead of showing 3.20321E+17; a second sheet explains each column. The CSV
files are UTF-8 with a byte-order mark, so Excel opens them with the Chinese intact.
Run again after changing the fields; the output is the same for the same fields.
"""

from __future__ import annotations

import csv
import datetime as dt
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from openpyxl import Workbook  # noqa: E402
from openpyxl.styles import Alignment, Font, PatternFill  # noqa: E402
from openpyxl.utils import get_column_letter  # noqa: E402
from openpyxl.worksheet.datavalidation import DataValidation  # noqa: E402

from familydoc.core.idnumber import build as build_id_number  # noqa: E402
from familydoc.core.imports import (  # noqa: E402
    CONTRACT_FIELDS,
    RESIDENT_FIELDS,
    VILLAGE_FIELDS,
    FieldSpec,
)
from familydoc.core.residents import GUARDIAN_RELATIONS, INSURANCE_TYPES, RELATIONS  # noqa: E402

TEMPLATES = ROOT / "resources" / "templates"
RESIDENTS = "居民导入模板"
VILLAGES = "村居导入模板"
CONTRACTS = "签约导入模板"
FIXED_TIME = dt.datetime(2026, 1, 1)
TEXT_FIELDS = {
    "id_number",
    "phone",
    "household_number",
    "health_record_no",
    "guardian_id_number",
    "guardian_phone",
    "code",
}
WIDTHS = {
    "id_number": 22,
    "guardian_id_number": 22,
    "health_record_no": 22,
    "address": 24,
    "team": 22,
    "packages": 26,
}

MOTHER = build_id_number("320321", dt.date(1956, 8, 12), 246)
FATHER = build_id_number("320321", dt.date(1990, 2, 3), 135)
RESIDENT_EXAMPLES = [
    {
        "name": "张秀英",
        "id_number": MOTHER,
        "sex": "女",
        "birth_date": "1956-08-12",
        "phone": "13812345678",
        "village": "青山村",
        "household_number": "0001",
        "relation_to_head": "户主",
        "tags": "高血压、2型糖尿病",
        "health_record_no": "320321110201000123",
        "address": "青山村3组15号",
        "insurance_type": "城乡居民医保",
    },
    {
        "name": "王小宝",
        "sex": "男",
        "birth_date": "2026-05-20",
        "village": "320321110201",
        "household_number": "0001",
        "relation_to_head": "孙子",
        "address": "青山村3组15号",
        "insurance_type": "城乡居民医保",
        "guardian_name": "王建国",
        "guardian_relation": "父亲",
        "guardian_id_number": FATHER,
        "guardian_phone": "13912345678",
    },
]
CONTRACT_EXAMPLES = [
    {
        "id_number": MOTHER,
        "name": "张秀英",
        "team": "青山村家庭医生团队",
        "doctor": "李建华",
        "packages": "基础服务包",
        "signed_on": "2026-03-01",
        "start_date": "2026-03-01",
        "end_date": "2027-02-28",
    },
    {
        "id_number": FATHER,
        "name": "王建国",
        "team": "青山村家庭医生团队",
        "doctor": "李建华",
        "signed_on": "2026-03-05",
    },
]
VILLAGE_EXAMPLES = [
    {"code": "320321110201", "name": "青山村", "population": "1850", "year": "2026"},
    {"code": "320321110202", "name": "河湾村"},
]

RESIDENT_NOTES = {
    "name": "必填。",
    "id_number": "18 位身份证号，末位可为 X。没有身份证号的（如新生儿）留空，"
    "但须填写性别、出生日期和监护人。",
    "sex": "男 或 女；有身份证号时可不填（按身份证号）。",
    "birth_date": "如 1956-08-12、1956/8/12、19560812 或 1956年8月12日；有身份证号时可不填。",
    "phone": "11 位手机号，或带区号的固定电话。",
    "village": "必填。12 位村居代码，或与系统中完全一致的村居名称。",
    "household_number": "同一村居内户号相同的居民为一户；新户号会自动建户。",
    "relation_to_head": "如 " + "、".join(RELATIONS) + "。",
    "tags": "可填多个，用顿号、逗号、分号或空格分隔：高血压、糖尿病（2型糖尿病）、"
    "孕产妇（孕妇、产妇）、严重精神障碍（精神病）、肺结核（结核病）、残疾人、脱贫人口（脱贫户、低保、特困）、"
    "计划生育特殊家庭（计生特殊家庭）。65岁及以上老年人和0-6岁儿童按出生日期自动计算，可不填。",
    "health_record_no": "居民健康档案编号。",
    "address": "现住址。",
    "insurance_type": "、".join(INSURANCE_TYPES) + "。",
    "guardian_name": "未成年人、无民事行为能力人和没有身份证号的居民须填写。",
    "guardian_relation": "如 " + "、".join(GUARDIAN_RELATIONS) + "。",
    "guardian_id_number": "监护人的 18 位身份证号。",
    "guardian_phone": "监护人的联系电话。",
    "moved_in_on": "从外地迁入的日期；本地出生的不填。",
}
VILLAGE_NOTES = {
    "code": "必填。12 位统计用区划代码（县 6 位 + 乡镇 3 位 + 村 3 位）。",
    "name": "必填。村居名称，导入居民时可用名称代替代码。",
    "population": "常住人口（签约率的分母）；与年份同时填写，或都不填。",
    "year": "常住人口所属年份，如 2026。",
}
CONTRACT_NOTES = {
    "id_number": "必填。18 位身份证号；居民须已登记（先导入居民）。",
    "name": "可不填；填写时与该身份证号登记的姓名核对，不一致的行会报错。",
    "team": "必填。与系统中完全一致的团队名称。",
    "doctor": "必填。责任医生姓名，须是该团队的成员（勾选“创建缺少的团队和医生”时自动加入团队）。",
    "packages": "可填多个服务包名称，用顿号或逗号分隔；不填即免费的基础服务包"
    "（基础包总会包含在内）。服务包须在开始日期有效。",
    "signed_on": "必填。如 2026-03-01、2026/3/1 或 20260301。",
    "start_date": "不填即签约日期。",
    "end_date": "不填即开始日期起一年减一天（如 2026-03-01 至 2027-02-28）。",
}
CONTRACT_COMMON_NOTES = (
    "第一行为表头，请勿修改；从第二行起每行一份签约。示例行导入前请删除或替换。",
    "身份证号列已设为“文本”格式；若从其他表格粘贴，请选择“只粘贴数值”，"
    "以免 Excel 把身份证号变成 3.20321E+17 或把末几位变成 0。",
    "导入时每一行都按签约规则检查（同一居民同一天只能有一份有效签约、责任医生须是团队成员、"
    "服务包在开始日期有效、团队和医生的签约上限）：只要有一行有问题，就不会导入任何数据，"
    "并给出错误清单（行号、列、内容、原因）。",
    "未成年人和无民事行为能力人由居民档案中登记的监护人代签。"
    "已有同一团队、同一开始日期且未解约的签约的居民记为“已存在”，重复导入不会重复签约。"
    "勾选“创建缺少的团队和医生”（命令行 --create-missing）可由主管在导入时新建表中的团队和医生。",
)
COMMON_NOTES = (
    "第一行为表头，请勿修改；从第二行起每行一人（一个村居）。示例行导入前请删除或替换。",
    "身份证号等长数字列已设为“文本”格式；若从其他表格粘贴，请选择“只粘贴数值”，"
    "以免 Excel 把身份证号变成 3.20321E+17 或把末几位变成 0。",
    "导入时会检查每一行：只要有一行有问题，就不会导入任何数据，并给出错误清单（行号、列、内容、原因），"
    "改正后重新导入即可。已登记的居民（身份证号相同）会按新内容更新，空白单元格保留原有内容。",
)


def write_csv(path: Path, fields: tuple[FieldSpec, ...], examples: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow([spec.template_header for spec in fields])
        for example in examples:
            writer.writerow([example.get(spec.name, "") for spec in fields])


def write_xlsx(
    path: Path,
    fields: tuple[FieldSpec, ...],
    examples: list[dict[str, str]],
    notes: dict[str, str],
    sheet_title: str,
    lists: dict[str, tuple[str, ...]],
    common_notes: tuple[str, ...] = COMMON_NOTES,
) -> None:
    workbook = Workbook()
    workbook.properties.creator = "familydoc"
    workbook.properties.created = workbook.properties.modified = FIXED_TIME
    sheet = workbook.active
    assert sheet is not None
    sheet.title = sheet_title
    header_font = Font(bold=True, color="FFFFFF")
    header_fill = PatternFill("solid", fgColor="2F6B9A")
    required_fill = PatternFill("solid", fgColor="B03A2E")
    for column, spec in enumerate(fields, start=1):
        letter = get_column_letter(column)
        cell = sheet.cell(row=1, column=column, value=spec.template_header)
        cell.font = header_font
        cell.fill = required_fill if spec.required else header_fill
        cell.alignment = Alignment(horizontal="center", vertical="center")
        width = WIDTHS.get(spec.name, max(10, 2 * len(spec.template_header) + 4))
        sheet.column_dimensions[letter].width = width
        if spec.name in TEXT_FIELDS:
            # The whole column as text: what a clerk types or pastes keeps every digit.
            sheet.column_dimensions[letter].number_format = "@"
        for row, example in enumerate(examples, start=2):
            value = example.get(spec.name, "")
            target = sheet.cell(row=row, column=column, value=value or None)
            if spec.name in TEXT_FIELDS:
                target.number_format = "@"
        if spec.name in lists:
            validation = DataValidation(
                type="list",
                formula1='"' + ",".join(lists[spec.name]) + '"',
                allow_blank=True,
                showErrorMessage=False,
            )
            validation.add(f"{letter}2:{letter}5000")
            sheet.add_data_validation(validation)
    sheet.freeze_panes = "A2"
    sheet.row_dimensions[1].height = 22

    help_sheet = workbook.create_sheet("填写说明")
    help_sheet.column_dimensions["A"].width = 16
    help_sheet.column_dimensions["B"].width = 100
    help_sheet.append(["列", "填写要求"])
    for cell in help_sheet[1]:
        cell.font = Font(bold=True)
    for spec in fields:
        help_sheet.append([spec.template_header, notes.get(spec.name, "")])
    help_sheet.append([])
    for note in common_notes:
        help_sheet.append(["", note])
    for row in help_sheet.iter_rows(min_row=2):
        row[1].alignment = Alignment(wrap_text=True, vertical="top")
    workbook.active = 0
    workbook.save(path)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    target = Path(args[args.index("--output") + 1]) if "--output" in args else TEMPLATES
    target.mkdir(parents=True, exist_ok=True)
    write_csv(target / f"{RESIDENTS}.csv", RESIDENT_FIELDS, RESIDENT_EXAMPLES)
    write_xlsx(
        target / f"{RESIDENTS}.xlsx",
        RESIDENT_FIELDS,
        RESIDENT_EXAMPLES,
        RESIDENT_NOTES,
        "居民",
        {
            "sex": ("男", "女"),
            "relation_to_head": RELATIONS,
            "insurance_type": INSURANCE_TYPES,
            "guardian_relation": GUARDIAN_RELATIONS,
        },
    )
    write_csv(target / f"{VILLAGES}.csv", VILLAGE_FIELDS, VILLAGE_EXAMPLES)
    write_xlsx(
        target / f"{VILLAGES}.xlsx", VILLAGE_FIELDS, VILLAGE_EXAMPLES, VILLAGE_NOTES, "村居", {}
    )
    write_csv(target / f"{CONTRACTS}.csv", CONTRACT_FIELDS, CONTRACT_EXAMPLES)
    write_xlsx(
        target / f"{CONTRACTS}.xlsx",
        CONTRACT_FIELDS,
        CONTRACT_EXAMPLES,
        CONTRACT_NOTES,
        "签约",
        {},
        CONTRACT_COMMON_NOTES,
    )
    for path in sorted(target.glob("*导入模板.*")):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
