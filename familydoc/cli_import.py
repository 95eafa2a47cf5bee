"""The import commands of the command line: ``import villages|residents|contracts``.

All rows or none: when any row breaks a rule nothing is written, the command
exits with 1 and an error file (CSV, UTF-8 with BOM so Excel opens it) lists
each problem with its row number as Excel shows it, the file's column, the value
and the reason in the user's language.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from familydoc.cli import EXIT_OK, EXIT_RULE, _login, translate
from familydoc.core.config import Home
from familydoc.core.context import open_context

if TYPE_CHECKING:  # the importers load openpyxl and pypinyin: only when a command runs
    from familydoc.core import imports

SHOWN_PROBLEMS = 10


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "import",
        help=translate("Cli", "import villages, residents or contracts from a CSV or Excel file"),
    )
    kinds = parser.add_subparsers(
        dest="import_kind", metavar="villages|residents|contracts", required=True
    )
    villages = kinds.add_parser(
        "villages",
        help=translate("Cli", "village code, name, and optionally population and year"),
    )
    residents = kinds.add_parser("residents", help=translate("Cli", "residents (all rows or none)"))
    contracts = kinds.add_parser(
        "contracts",
        help=translate("Cli", "the roster of residents already signed (all rows or none)"),
        description=translate(
            "Cli",
            "Signs the residents of a roster already signed on paper. Columns: 身份证号"
            " (id_number), 团队 (team), 责任医生 (doctor), 服务包 (packages; empty: the free"
            " basic package), 签约日期 (signed_on), 开始日期 (start_date; empty: the signing"
            " date), 结束日期 (end_date; empty: one year less a day), and optionally 姓名"
            " (name, checked against the ID number). Every row is signed with the rules of the"
            " signing form: one contract in force per resident, the doctor on the team,"
            " packages offered on the start date, capacities (only a supervisor may sign past"
            " one); minors and residents lacking capacity sign through the guardian recorded"
            " on them. All rows or none. A row whose resident already has a contract with the"
            " same team and start date that was not ended early is counted as already"
            " present and left as stored, so importing the same roster again signs nothing"
            " twice.",
        ),
    )
    contracts.add_argument(
        "--create-missing",
        action="store_true",
        help=translate(
            "Cli",
            "create the teams and doctors the file names that do not exist yet, and make a"
            " named doctor a member (general practitioner) of the named team; a new team is"
            " led by the doctor of its first row (needs an account that manages teams)",
        ),
    )
    for sub in (villages, residents, contracts):
        sub.add_argument("file", metavar="FILE", help=translate("Cli", "a .csv or .xlsx file"))
        sub.add_argument(
            "--dry-run",
            action="store_true",
            help=translate("Cli", "check every row and report, without writing anything"),
        )
        sub.add_argument(
            "--errors",
            metavar="OUT.csv",
            help=translate("Cli", "where to write the list of problems (default: next to FILE)"),
        )
        sub.add_argument(
            "--user",
            default=argparse.SUPPRESS,
            help=translate("Cli", "your user name (password from FAMILYDOC_PASSWORD)"),
        )


def handlers() -> dict[str, Callable[[argparse.Namespace, Home], int]]:
    return {"import": cmd_import}


def default_errors_path(file: Path) -> Path:
    return file.with_name(translate("Cli", "{stem}-errors.csv").format(stem=file.stem))


def _progress(total_hint: int) -> Callable[[int, int], None]:
    """Progress on stderr: a live percentage in a terminal, a line every tenth otherwise."""
    interactive = sys.stderr is not None and sys.stderr.isatty()
    shown = {"step": -1}

    def show(done: int, total: int) -> None:
        total = max(total, total_hint, done, 1)
        if interactive:
            print(
                "\r"
                + translate("Cli", "Checking and importing: row {done} of {total}").format(
                    done=done, total=total
                ),
                end="",
                file=sys.stderr,
                flush=True,
            )
            return
        step = done * 10 // total
        if step != shown["step"]:
            shown["step"] = step
            print(
                translate("Cli", "Rows done: {done} of {total}…").format(done=done, total=total),
                file=sys.stderr,
                flush=True,
            )

    return show


def _describe(source: imports.ImportSource) -> str:
    table = source.table
    if table.kind == "csv":
        delimiter = {
            ",": translate("Cli", "comma"),
            "\t": translate("Cli", "tab"),
            ";": translate("Cli", "semicolon"),
        }.get(table.delimiter, table.delimiter)
        return translate("Cli", "{file}: CSV, {encoding}, separated by {delimiter}").format(
            file=source.path.name, encoding=table.encoding, delimiter=delimiter
        )
    return translate("Cli", "{file}: Excel workbook, sheet {sheet}").format(
        file=source.path.name, sheet=table.sheet
    )


def _report(report: imports.ImportReport) -> str:
    if report.kind == "contracts":
        text = translate(
            "Cli",
            "{rows} rows: {new} contracts signed, {unchanged} already present;"
            " {teams} new teams, {doctors} new doctors, {members} doctors added to teams.",
        )
    elif report.kind == "villages":
        text = translate(
            "Cli",
            "{rows} rows: {new} new villages, {updated} updated, {unchanged} unchanged;"
            " {populations} official populations set.",
        )
    else:
        text = translate(
            "Cli",
            "{rows} rows: {new} new residents, {updated} updated, {unchanged} unchanged;"
            " {households} new households.",
        )
    summary = text.format(
        rows=report.rows,
        new=report.new,
        updated=report.updated,
        unchanged=report.unchanged,
        populations=report.populations_set,
        households=report.households_created,
        teams=report.teams_created,
        doctors=report.doctors_created,
        members=report.members_added,
    )
    if report.dry_run:
        return translate(
            "Cli", "Every row is fine (nothing was written; --dry-run). {summary}"
        ).format(summary=summary)
    return translate("Cli", "Imported {file}. {summary}").format(
        file=report.file_name, summary=summary
    )


def _show_problems(error: imports.ImportRefused, errors_file: Path | None) -> None:
    print(f"familydoc: {error.render(translate)}", file=sys.stderr)
    for problem in error.problems[:SHOWN_PROBLEMS]:
        print(
            "  "
            + translate("Cli", "Row {row}, {column} \u201c{value}\u201d: {reason}").format(
                row=problem.row,
                column=problem.column,
                value=problem.value,
                reason=problem.error.render(translate),
            ),
            file=sys.stderr,
        )
    more = len(error.problems) - SHOWN_PROBLEMS
    if more > 0:
        print("  " + translate("Cli", "… and {count} more.").format(count=more), file=sys.stderr)
    if errors_file is not None:
        print(
            translate(
                "Cli",
                "Every problem is listed in {path}: correct the rows in your file and import"
                " it again.",
            ).format(path=errors_file),
            file=sys.stderr,
        )


def cmd_import(args: argparse.Namespace, home: Home) -> int:
    from familydoc.core import imports

    file = Path(args.file)
    errors_file = Path(args.errors) if args.errors else default_errors_path(file)
    context = open_context(home)
    try:
        actor = _login(context, getattr(args, "user", None))
        source = imports.open_source(file, args.import_kind)
        try:
            print(_describe(source), file=sys.stderr)
            if source.ignored_columns:
                print(
                    translate("Cli", "Columns left out (not known): {columns}").format(
                        columns="、".join(source.ignored_columns)
                    ),
                    file=sys.stderr,
                )
            # A contracts dry run signs in a savepoint it rolls back: it takes the write lock.
            write = not args.dry_run or args.import_kind == "contracts"
            try:
                with context.database.unit_of_work(write=write) as session:
                    report = imports.run_import(
                        session,
                        actor,
                        source,
                        dry_run=args.dry_run,
                        progress=_progress(source.table.row_estimate),
                        create_missing=getattr(args, "create_missing", False),
                    )
            except imports.ImportRefused as refused:
                if sys.stderr is not None and sys.stderr.isatty():
                    print(file=sys.stderr)
                written: Path | None = None
                try:
                    written = imports.write_error_file(errors_file, refused.problems, translate)
                except OSError as exc:
                    print(
                        translate(
                            "Cli", "The list of problems cannot be written to {path}: {reason}"
                        ).format(path=errors_file, reason=exc.strerror or exc),
                        file=sys.stderr,
                    )
                _show_problems(refused, written)
                return EXIT_RULE
        finally:
            source.close()
    finally:
        context.close()
    if sys.stderr is not None and sys.stderr.isatty():
        print(file=sys.stderr)
    print(_report(report))
    return EXIT_OK
