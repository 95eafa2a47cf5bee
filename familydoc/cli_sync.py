"""``familydoc sync [--dry-run]``: queue the current totals and deliver what waits.

Exit codes (DESIGN.md): 0 done; 1 settings missing or wrong (nothing sent); 3 the county
server could not be reached (the work stays queued); 4 the server refused a report or took
it with warnings (needs attention); 5 the server refused the token, or our own login failed.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

from familydoc.cli import EXIT_OK, _login, _print_table, translate
from familydoc.core.config import Home
from familydoc.core.context import open_context
from familydoc.core.errors import QT_TRANSLATE_NOOP
from familydoc.sync.engine import ReportResult, SyncResult, run_sync, sync_lock_path
from familydoc.sync.outbox import CHANGED, NEW, RETRY, UNCHANGED, outbox_status
from familydoc.sync.report import PROBLEM_MESSAGES, PROBLEMS_THAT_WAIT, STATE_LABELS, Count
from familydoc.sync.settings import UpstreamSettings

_ACTIONS = {
    NEW: QT_TRANSLATE_NOOP("Cli", "new report"),
    CHANGED: QT_TRANSLATE_NOOP("Cli", "figures changed"),
    RETRY: QT_TRANSLATE_NOOP("Cli", "sent again"),
    UNCHANGED: QT_TRANSLATE_NOOP("Cli", "unchanged"),
}


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sync = commands.add_parser(
        "sync", help=translate("Cli", "report the signing totals to the county server")
    )
    sync.add_argument(
        "--dry-run",
        action="store_true",
        help=translate("Cli", "show what would be sent; queue and send nothing"),
    )
    sync.add_argument(
        "--user",
        default=argparse.SUPPRESS,
        help=translate("Cli", "your user name (password from FAMILYDOC_PASSWORD)"),
    )


def handlers() -> dict[str, Callable[[argparse.Namespace, Home], int]]:
    return {"sync": cmd_sync}


def _period(period: str, final: bool) -> str:
    if final:
        return translate("Cli", "{period} (final)").format(period=period)
    return translate("Cli", "{period} (open month)").format(period=period)


def _figures(count: Count) -> str:
    rate = f"{count.rate * 100:.2f}%" if count.rate is not None else "—"
    return f"{count.numerator}/{count.denominator} {rate}"


def _show(result: ReportResult) -> None:
    state = translate("Sync", STATE_LABELS.get(result.state, result.state))
    line = f"{_period(result.period, result.final)}: {state}"
    if result.outcome.http_status:
        line += f" (HTTP {result.outcome.http_status})"
    print(line, flush=True)
    if result.outcome.problem:
        print("  " + translate("Sync", PROBLEM_MESSAGES[result.outcome.problem]), flush=True)
    if result.outcome.server_words and result.outcome.problem:
        print(
            "  " + translate("Cli", "Server: {words}").format(words=result.outcome.server_words),
            flush=True,
        )


def _dry_run(result: SyncResult) -> None:
    rows = []
    for planned in result.prepared.plan:
        figures = _figures(planned.figures.overall) if planned.figures else ""
        sends = planned.action != UNCHANGED
        rows.append(
            (
                _period(planned.period, planned.final),
                translate("Cli", _ACTIONS[planned.action]),
                figures,
                translate("Cli", "yes") if sends else translate("Cli", "no"),
            )
        )
    _print_table(
        rows,
        [
            translate("Cli", "Report"),
            translate("Cli", "Change"),
            translate("Cli", "Signed/denominator"),
            translate("Cli", "Would be queued"),
        ],
    )
    print(translate("Cli", "Dry run: nothing was queued or sent."))


def cmd_sync(args: argparse.Namespace, home: Home) -> int:
    context = open_context(home)
    try:
        actor = _login(context, getattr(args, "user", None))
        settings = UpstreamSettings.from_config(context.config())
        result = run_sync(
            context.database,
            actor,
            settings,
            dry_run=args.dry_run,
            lock_path=sync_lock_path(context.database),
            on_report=_show,
        )
        with context.database.read() as session:
            waiting = outbox_status(session).waiting
    finally:
        context.close()
    if result.dry_run:
        _dry_run(result)
        return EXIT_OK
    code = result.exit_code
    if code == EXIT_OK:
        if result.results:
            print(
                translate("Cli", "Done: {count} reports delivered to the county server.").format(
                    count=result.delivered
                )
            )
        else:
            print(translate("Cli", "Nothing to send: the county server has the latest figures."))
    elif result.stopped_by is not None and result.stopped_by.problem in PROBLEMS_THAT_WAIT:
        print(
            translate(
                "Cli",
                "The county server could not be reached; {count} reports stay queued for the"
                " next sync.",
            ).format(count=waiting)
        )
    else:
        print(translate("Cli", "Some reports need attention: see the messages above."))
    return code
