"""The data-safety commands of the command line: ``backup``, ``restore`` and ``check``."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path

from familydoc.cli import EXIT_OK, EXIT_RULE, UsageError, _login, _password, translate
from familydoc.core import backup, integrity
from familydoc.core.auth import Actor, Permission, require
from familydoc.core.config import Home
from familydoc.core.context import open_context
from familydoc.core.db import Database, open_database, sqlite_path
from familydoc.core.errors import RuleViolation
from familydoc.core.instance_lock import InstanceLock


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    user_help = translate("Cli", "your user name (password from FAMILYDOC_PASSWORD)")
    make = commands.add_parser(
        "backup", help=translate("Cli", "back up the database (checked copy, kept in rotation)")
    )
    make.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help=translate("Cli", "write the backup to FILE instead of the backups folder"),
    )
    make.add_argument("--user", default=argparse.SUPPRESS, help=user_help)
    restore = commands.add_parser(
        "restore", help=translate("Cli", "replace the database with a backup (administrators)")
    )
    restore.add_argument("file", metavar="FILE")
    restore.add_argument("--user", default=argparse.SUPPRESS, help=user_help)
    restore.add_argument(
        "--yes", action="store_true", help=translate("Cli", "do not ask for confirmation")
    )
    restore.add_argument(
        "--other-institution",
        action="store_true",
        help=translate("Cli", "allow a backup of another institution"),
    )
    check = commands.add_parser(
        "check",
        help=translate("Cli", "check the database: integrity, foreign keys, audit log chain"),
    )
    check.add_argument(
        "--quick", action="store_true", help=translate("Cli", "only the quick check done at start")
    )


def handlers() -> dict[str, Callable[[argparse.Namespace, Home], int]]:
    return {"backup": cmd_backup, "restore": cmd_restore, "check": cmd_check}


def _local(moment: dt.datetime | None) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M") if moment else "—"


def _progress_printer(label: str) -> Callable[[int, int, str], None]:
    shown = {"percent": -1}
    interactive = sys.stderr is not None and sys.stderr.isatty()

    def show(done: int, total: int, _text: str) -> None:
        if not interactive or not total:
            return
        percent = int(done * 100 / total)
        if percent != shown["percent"]:
            shown["percent"] = percent
            end = "\n" if done >= total else ""
            print(f"\r{label} {percent}%", end=end, file=sys.stderr, flush=True)

    return show


def _database_file(home: Home) -> Path:
    path = sqlite_path(home.database_url)
    if path is None:
        raise RuleViolation(
            translate(
                "Cli",
                "backup, restore and check work on a database file; this installation uses a"
                " database server ({url}).",
            ).format(url=home.database_url)
        )
    return path


def _newest_backup_hint(home: Home) -> None:
    newest = backup.last_good_backup(home.backups_dir)
    if newest is None:
        print(translate("Cli", "There is no backup in {folder}.").format(folder=home.backups_dir))
        return
    print(
        translate("Cli", "Newest good backup: {file} ({time}).").format(
            file=newest.path, time=_local(newest.made_at)
        )
    )


def cmd_backup(args: argparse.Namespace, home: Home) -> int:
    context = open_context(home)
    try:
        actor = _login(context, getattr(args, "user", None))
        require(actor, Permission.MAKE_BACKUP)
        result = backup.make_backup(
            home,
            context.database,
            kind="manual",
            output=Path(args.output) if args.output else None,
            progress=_progress_printer(translate("Cli", "Backing up…")),
        )
        with context.database.unit_of_work() as session:
            backup.record_backup(session, actor, result)
    finally:
        context.close()
    print(
        translate("Cli", "Backup checked and saved: {file} ({size} MB, {seconds} s).").format(
            file=result.path, size=f"{result.size / 1_048_576:.1f}", seconds=f"{result.seconds:.1f}"
        )
    )
    if result.second_copy:
        print(translate("Cli", "Copy in the second folder: {file}").format(file=result.second_copy))
    for warning in result.warnings:
        print(f"familydoc: {warning.render(translate)}", file=sys.stderr)
    if result.removed:
        print(
            translate("Cli", "{count} older backups removed by the rotation.").format(
                count=len(result.removed)
            )
        )
    return EXIT_OK


def _confirm(question: str) -> bool:
    answer = input(f"{question} [y/N] ").strip().lower()
    return answer in ("y", "yes", "是", "确定")


def cmd_restore(args: argparse.Namespace, home: Home) -> int:
    source = Path(args.file).expanduser()
    username = getattr(args, "user", None)
    if not username:
        raise UsageError(translate("Cli", "This command needs --user NAME."))
    interactive = bool(sys.stdin and sys.stdin.isatty())
    if not args.yes and not interactive:
        raise UsageError(
            translate(
                "Cli", "restore replaces the current data: add --yes to confirm it in a script."
            )
        )
    live = _database_file(home)
    home.ensure()
    lock = InstanceLock(live)
    lock.acquire("restore", user=username)
    try:
        backup.clear_restore_leftovers(live)
        info = backup.inspect_backup(source)  # refuses damaged or newer files before a login
        database, actor, current = _restorer(home, live, source, username)
        try:
            print(
                translate(
                    "Cli",
                    "Backup {file}: {institution}, {residents} residents, {contracts} contracts,"
                    " last change {time}, schema {revision}.",
                ).format(
                    file=source,
                    institution=info.institution_name or "—",
                    residents=info.residents,
                    contracts=info.contracts,
                    time=_local(info.last_event_at),
                    revision=info.revision,
                )
            )
            other = bool(current and info.institution_code and info.institution_code != current)
            if other and not args.other_institution:
                if not interactive or not _confirm(
                    translate(
                        "Cli",
                        "This backup belongs to another institution ({code}). Replace this"
                        " institution's data ({current}) with it?",
                    ).format(code=info.institution_code, current=current)
                ):
                    raise backup.OtherInstitution(
                        translate(
                            "Cli",
                            "The backup belongs to another institution ({code}); nothing was"
                            " changed. Add --other-institution to restore it anyway.",
                        ).format(code=info.institution_code)
                    )
            if not args.yes and not _confirm(
                translate(
                    "Cli",
                    "The current data will be replaced by this backup (a copy of it is kept"
                    " first). Restore?",
                )
            ):
                print(translate("Cli", "Nothing was changed."))
                return EXIT_RULE
            result = backup.restore_backup(
                home,
                database,
                source,
                actor,
                current_institution=current,
                accept_other_institution=True,
                progress=_progress_printer(translate("Cli", "Restoring…")),
            )
        finally:
            database.dispose()
    finally:
        lock.release()
    print(
        translate("Cli", "Restored {file} ({seconds} s).").format(
            file=result.source, seconds=f"{result.seconds:.1f}"
        )
    )
    if result.from_revision != result.to_revision:
        print(
            translate("Cli", "The backup's schema was upgraded from {old} to {new}.").format(
                old=result.from_revision, new=result.to_revision
            )
        )
    if result.previous_copy:
        print(
            translate("Cli", "The database as it was before is kept in {file}.").format(
                file=result.previous_copy
            )
        )
    return EXIT_OK


def _restorer(
    home: Home, live: Path, source: Path, username: str
) -> tuple[Database, Actor, str | None]:
    """The database to restore into, the checked administrator, the current institution.

    A readable database decides who may restore (its login, with lockout and audit); a
    damaged or missing one cannot, so the backup's own accounts decide."""
    if live.exists() and integrity.quick_check(live).ok:
        context = open_context(home)
        try:
            actor = _login(context, username)
            require(actor, Permission.RESTORE_BACKUP)
            institution = context.institution()
        except BaseException:
            context.close()
            raise
        return context.database, actor, institution.code if institution else None
    if live.exists():
        print(
            translate(
                "Cli",
                "The current database is damaged; the administrator's password is checked"
                " against the backup.",
            ),
            file=sys.stderr,
        )
    password = _password(translate("Cli", "Password for {user}: ").format(user=username))
    actor = backup.verify_administrator(source, username, password)
    return open_database(home.database_url, migrate=False), actor, None


def cmd_check(args: argparse.Namespace, home: Home) -> int:
    path = _database_file(home)
    if not path.exists():
        raise RuleViolation(translate("Cli", "There is no database at {path}.").format(path=path))
    print(translate("Cli", "Checking {path} …").format(path=path))
    if args.quick:
        report = integrity.quick_check(path)
    else:
        report = integrity.full_check(path)
    names = {
        "quick_check": translate("Cli", "Quick check (quick_check)"),
        "integrity_check": translate("Cli", "Integrity (integrity_check)"),
        "foreign_key_check": translate("Cli", "Foreign keys (foreign_key_check)"),
        "audit_chain": translate("Cli", "Audit log hash chain"),
    }
    kinds = {
        "quick_check": ("unreadable", "integrity"),
        "integrity_check": ("unreadable", "integrity"),
        "foreign_key_check": ("foreign_key",),
        "audit_chain": ("audit_chain",),
    }
    for check in report.checks:
        found = [p for p in report.problems if p.kind in kinds[check]]
        if found:
            state = translate("Cli", "PROBLEMS")
        elif check == "audit_chain" and not report.audit_chain_present:
            state = translate("Cli", "not present (database older than schema 0004)")
        elif check == "audit_chain":
            state = translate("Cli", "ok ({count} events)").format(count=report.audit_events)
        else:
            state = translate("Cli", "ok")
        print(f"  {names[check]}: {state}")
        for problem in found:
            print(f"    - {problem.render(translate)}")
    if report.ok:
        print(
            translate("Cli", "The database is in order ({seconds} s).").format(
                seconds=f"{report.seconds:.1f}"
            )
        )
        return EXIT_OK
    if report.damaged:
        print(
            translate(
                "Cli",
                "The database file is damaged. Do not keep working with it: restore the newest"
                " good backup with: familydoc restore FILE --user ADMINISTRATOR",
            )
        )
    else:
        print(
            translate(
                "Cli",
                "The audit log or the references between records were changed outside"
                " familydoc. Keep the file as evidence and ask your administrator.",
            )
        )
    _newest_backup_hint(home)
    return EXIT_RULE
