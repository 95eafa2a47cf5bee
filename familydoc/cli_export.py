"""``familydoc export``: the signing summary and the lists of residents and contracts.

    familydoc export summary [--as-of DATE] --format csv|xlsx|pdf -o FILE
                             [--from DATE --to DATE]          (the period of xlsx/pdf)
    familydoc export residents|contracts [--unmasked] -o FILE (.csv or .xlsx)
    familydoc export outreach [--village CODE] [--population CODE] [--as-of DATE]
                              [--days 30] [--unmasked] -o FILE (.csv, .xlsx or .pdf)

Each export is recorded in the audit log under the user of ``--user`` (password from
FAMILYDOC_PASSWORD). Lists are masked unless ``--unmasked`` is given by a role allowed to
(exit code 1 otherwise, and nothing is written).
"""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from familydoc.cli import EXIT_OK, UsageError, _login, translate
from familydoc.core.config import Home
from familydoc.core.context import open_context


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            translate("Cli", "{value} is not a date like 2026-06-30").format(value=text)
        ) from None


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    export = commands.add_parser(
        "export", help=translate("Cli", "export the signing summary or lists of people")
    )
    kinds = export.add_subparsers(
        dest="export_command", metavar="summary|residents|contracts|outreach", required=True
    )
    user_help = translate("Cli", "your user name (password from FAMILYDOC_PASSWORD)")
    summary = kinds.add_parser(
        "summary", help=translate("Cli", "signing rates as of a date (CSV, XLSX or PDF)")
    )
    summary.add_argument(
        "--as-of",
        type=_date,
        metavar="DATE",
        help=translate("Cli", "the report date (default: today)"),
    )
    summary.add_argument("--format", required=True, choices=("csv", "xlsx", "pdf"))
    summary.add_argument("-o", "--output", required=True, metavar="FILE")
    summary.add_argument(
        "--from",
        dest="period_start",
        type=_date,
        metavar="DATE",
        help=translate("Cli", "start of the period shown in XLSX and PDF (default: 1 January)"),
    )
    summary.add_argument(
        "--to",
        dest="period_end",
        type=_date,
        metavar="DATE",
        help=translate("Cli", "end of the period (default: the report date)"),
    )
    summary.add_argument("--user", default=argparse.SUPPRESS, help=user_help)
    for name, text in (
        ("residents", translate("Cli", "every resident, masked unless --unmasked")),
        ("contracts", translate("Cli", "every contract, masked unless --unmasked")),
    ):
        kind = kinds.add_parser(name, help=text)
        kind.add_argument("--unmasked", action="store_true")
        kind.add_argument("-o", "--output", required=True, metavar="FILE")
        kind.add_argument("--user", default=argparse.SUPPRESS, help=user_help)
    _add_outreach(kinds, user_help)


def _days(text: str) -> int:
    try:
        days = int(text)
    except ValueError:
        days = -1
    if not 0 <= days <= 366:
        raise argparse.ArgumentTypeError(
            translate("Cli", "{value} is not a number of days from 0 to 366").format(value=text)
        )
    return days


def _add_outreach(
    kinds: argparse._SubParsersAction[argparse.ArgumentParser], user_help: str
) -> None:
    outreach = kinds.add_parser(
        "outreach",
        help=translate(
            "Cli", "residents to call: not signed, or coverage ending soon (CSV, XLSX or PDF)"
        ),
    )
    outreach.add_argument("--village", metavar="CODE", help=translate("Cli", "a village code"))
    outreach.add_argument(
        "--population", metavar="CODE", help=translate("Cli", "a key population code")
    )
    outreach.add_argument(
        "--as-of", type=_date, metavar="DATE", help=translate("Cli", "the day (default: today)")
    )
    outreach.add_argument(
        "--days",
        type=_days,
        default=30,
        help=translate("Cli", "coverage ending within this many days (default 30)"),
    )
    outreach.add_argument("--unmasked", action="store_true")
    outreach.add_argument("-o", "--output", required=True, metavar="FILE")
    outreach.add_argument("--user", default=argparse.SUPPRESS, help=user_help)


def handlers() -> dict[str, Callable[[argparse.Namespace, Home], int]]:
    return {"export": cmd_export}


def _export_outreach(
    session: Any, actor: Any, args: argparse.Namespace, output: Path, context: Any
) -> Any:
    from familydoc.core.call_list import check_outreach_filter, export_outreach
    from familydoc.core.exports import format_of
    from familydoc.core.statistics import OutreachFilter

    fmt = format_of(output, ("csv", "xlsx", "pdf"))
    filters = OutreachFilter(
        as_of=args.as_of or dt.date.today(),
        village_code=args.village,
        population=args.population,
        ending_within_days=args.days,
    )
    check_outreach_filter(session, filters)
    if fmt != "pdf":
        return export_outreach(session, actor, filters, output, unmasked=args.unmasked)
    from familydoc.printing.summary_pdf import export_call_list_pdf

    return export_call_list_pdf(
        session,
        actor,
        filters,
        output,
        unmasked=args.unmasked,
        font_setting=str(context.config().get("printing.font")),
    )


def cmd_export(args: argparse.Namespace, home: Home) -> int:
    from familydoc.core import exports

    output = Path(args.output).expanduser().resolve()
    context = open_context(home)
    try:
        actor = _login(context, getattr(args, "user", None))
        with context.database.unit_of_work() as session:
            if args.export_command == "summary":
                as_of = args.as_of or dt.date.today()
                period = None
                if args.period_start or args.period_end:
                    period = (
                        args.period_start or dt.date(as_of.year, 1, 1),
                        args.period_end or as_of,
                    )
                    if period[1] < period[0]:
                        raise UsageError(translate("Cli", "--to is before --from."))
                if args.format == "pdf":
                    from familydoc.printing.summary_pdf import export_summary_pdf

                    result = export_summary_pdf(
                        session,
                        actor,
                        output,
                        as_of=as_of,
                        period=period,
                        font_setting=str(context.config().get("printing.font")),
                    )
                else:
                    result = exports.export_summary(
                        session, actor, output, as_of=as_of, format=args.format, period=period
                    )
            elif args.export_command == "outreach":
                result = _export_outreach(session, actor, args, output, context)
            elif args.export_command == "residents":
                result = exports.export_residents(session, actor, output, unmasked=args.unmasked)
            else:
                result = exports.export_contracts(session, actor, output, unmasked=args.unmasked)
    finally:
        context.close()
    if args.export_command == "summary":
        print(
            translate("Cli", "Signing summary as of {date} written to {path}.").format(
                date=as_of.isoformat(), path=result.path
            )
        )
    else:
        print(
            translate("Cli", "{rows} rows written to {path} ({masking}).").format(
                rows=result.rows,
                path=result.path,
                masking=translate("Cli", "unmasked")
                if result.unmasked
                else translate("Cli", "personal data masked"),
            )
        )
    return EXIT_OK
