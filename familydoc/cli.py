"""The command line of DESIGN.md: the front door for scripts, and the GUI launcher.

Exit codes: 0 done; 1 refused by a rule or bad input (nothing written); 2 usage;
3 upstream unreachable; 4 upstream rejected; 5 authentication.
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import logging
import logging.handlers
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from familydoc import __version__
from familydoc.core import auth, setup
from familydoc.core.config import CONFIG_KEYS, Home, default_home
from familydoc.core.context import AppContext, make_home, open_context
from familydoc.core.errors import AuthenticationFailed, FamilydocError, RuleViolation

EXIT_OK = 0
EXIT_RULE = 1
EXIT_USAGE = 2
EXIT_AUTH = 5
ENV_PASSWORD = "FAMILYDOC_PASSWORD"
ENV_NEW_PASSWORD = "FAMILYDOC_NEW_PASSWORD"

log = logging.getLogger("familydoc")


class UsageError(Exception):
    """Wrong use of the command line (exit code 2)."""


class _Messages:
    """Translates the command line's own messages and the services' errors."""

    def __init__(self) -> None:
        self._translate: Callable[[str, str], str] = lambda _context, text: text

    def use(self, lang: str) -> None:
        if lang == "en":
            return
        from familydoc.gui.i18n import Translator  # PySide6's QTranslator only, no widgets

        self._translate = Translator(lang).translate

    def __call__(self, context: str, text: str) -> str:
        return self._translate(context, text)


translate = _Messages()


def _setup_logging(home: Home) -> None:
    try:
        home.logs_dir.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(
            home.logs_dir / "familydoc.log", maxBytes=2_000_000, backupCount=5, encoding="utf-8"
        )
    except OSError:
        return
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)


def _password(prompt: str, env: str = ENV_PASSWORD, confirm: bool = False) -> str:
    value = os.environ.get(env)
    if value:
        return value
    if not sys.stdin or not sys.stdin.isatty():
        raise UsageError(
            translate(
                "Cli", "No password given: set {env} or run the command in a terminal."
            ).format(env=env)
        )
    first = getpass.getpass(prompt)
    if confirm and getpass.getpass(translate("Cli", "Repeat the password: ")) != first:
        raise UsageError(translate("Cli", "The two passwords differ."))
    return first


def _login(context: AppContext, username: str | None) -> auth.Actor:
    if not username:
        raise UsageError(translate("Cli", "This command needs --user NAME."))
    password = _password(translate("Cli", "Password for {user}: ").format(user=username))
    with context.database.unit_of_work() as session:
        result = auth.authenticate(session, username, password)
    if result.actor is None:
        assert result.error is not None
        raise result.error
    return result.actor


def _print_table(rows: Sequence[Sequence[object]], headers: Sequence[str]) -> None:
    texts = [[str(cell) for cell in row] for row in rows]
    widths = [
        max(_width(h), *(_width(r[i]) for r in texts)) if texts else _width(h)
        for i, h in enumerate(headers)
    ]
    print("  ".join(_pad(h, w) for h, w in zip(headers, widths, strict=True)))
    for row in texts:
        print("  ".join(_pad(c, w) for c, w in zip(row, widths, strict=True)))


def _width(text: str) -> int:
    # CJK characters take two columns in a terminal.
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


# --- commands --------------------------------------------------------------------------


def cmd_init(args: argparse.Namespace, home: Home) -> int:
    password = _password(
        translate("Cli", "Password for the administrator {user}: ").format(user=args.admin),
        confirm=True,
    )
    context = open_context(home)
    try:
        with context.database.unit_of_work() as session:
            institution, admin = setup.initialise(
                session,
                institution_code=args.institution_code,
                institution_name=args.institution_name,
                admin_username=args.admin,
                admin_password=password,
                admin_display_name=args.admin_name or "",
            )
    finally:
        context.close()
    print(
        translate("Cli", "Created {name} ({code}) in {home}; administrator: {user}.").format(
            name=institution.name, code=institution.code, home=home.path, user=admin.username
        )
    )
    return EXIT_OK


def cmd_demo(args: argparse.Namespace, home: Home) -> int:
    from familydoc.core import demo  # pypinyin's dictionaries take 0.2 s to load

    if args.residents < 1:
        raise UsageError(translate("Cli", "--residents must be at least 1."))
    context = open_context(home)
    try:
        if context.institution() is not None:
            raise RuleViolation(
                translate(
                    "Cli",
                    "{home} already holds an institution's data; demo data goes into a new"
                    " home: use --home with an empty folder.",
                ).format(home=home.path)
            )
        with context.database.unit_of_work() as session:
            summary = demo.create_demo(session, residents=args.residents, seed=args.seed)
    finally:
        context.close()
    print(
        translate(
            "Cli",
            "Demo data for {name}: {residents} residents in {households} households of"
            " {villages} villages, {contracts} contracts in force ({soon} end within 30 days).",
        ).format(
            name=summary.institution_name,
            residents=summary.residents,
            households=summary.households,
            villages=summary.villages,
            contracts=summary.contracts_in_force,
            soon=summary.ending_within_30_days,
        )
    )
    print(translate("Cli", "Log in with one of these accounts:"))
    _print_table(
        [
            (user, name, translate("Roles", auth.ROLE_LABELS[role]))
            for user, name, role in summary.users
        ],
        [translate("Cli", "User"), translate("Cli", "Name"), translate("Cli", "Role")],
    )
    print(
        translate("Cli", "Password of every demo account: {password}").format(
            password=summary.password
        )
    )
    implied = {str(default_home()), os.environ.get("FAMILYDOC_HOME", "")}
    home_arg = "" if str(home.path) in implied else f" --home {home.path}"
    print(
        translate(
            "Cli",
            "Start the program with: familydoc{args} (in a source checkout: python3 dev.py"
            " run{args})",
        ).format(args=home_arg)
    )
    return EXIT_OK


def cmd_config(args: argparse.Namespace, home: Home) -> int:
    config = home.config()
    if args.config_command == "get":
        print(
            config.display_value(args.key)
            if config.key(args.key).secret and not args.reveal
            else config.get(args.key)
        )
    elif args.config_command == "set":
        if args.value is None:
            raise UsageError(translate("Cli", "config set needs a KEY and a VALUE."))
        home.path.mkdir(parents=True, exist_ok=True)
        config.set(args.key, args.value)
        print(translate("Cli", "{key} saved.").format(key=args.key))
    else:
        _print_table(
            [(name, config.display_value(name)) for name in CONFIG_KEYS],
            [translate("Cli", "Setting"), translate("Cli", "Value")],
        )
    return EXIT_OK


def cmd_users(args: argparse.Namespace, home: Home) -> int:
    context = open_context(home)
    try:
        actor = _login(context, args.user)
        with context.database.unit_of_work() as session:
            if args.users_command == "add":
                password = _password(
                    translate("Cli", "Password for the new user {user}: ").format(
                        user=args.username
                    ),
                    env=ENV_NEW_PASSWORD,
                    confirm=True,
                )
                row = auth.create_user(
                    session,
                    actor,
                    username=args.username,
                    display_name=args.name or args.username,
                    role=args.role,
                    password=password,
                )
                print(translate("Cli", "User {user} added.").format(user=row.username))
            elif args.users_command == "passwd":
                password = _password(
                    translate("Cli", "New password for {user}: ").format(user=args.username),
                    env=ENV_NEW_PASSWORD,
                    confirm=True,
                )
                old = os.environ.get(ENV_PASSWORD) if args.username == actor.username else None
                auth.change_password(
                    session, actor, username=args.username, new_password=password, old_password=old
                )
                print(translate("Cli", "Password of {user} changed.").format(user=args.username))
            elif args.users_command == "lock":
                row = auth.set_disabled(
                    session, actor, username=args.username, disabled=not args.unlock
                )
                if args.unlock:
                    print(translate("Cli", "User {user} unlocked.").format(user=row.username))
                else:
                    print(translate("Cli", "User {user} locked.").format(user=row.username))
            else:
                rows = auth.list_users(session, actor)
                _print_table(
                    [
                        (
                            r.username,
                            r.display_name,
                            translate("Roles", auth.ROLE_LABELS[r.role]),
                            _state(r),
                        )
                        for r in rows
                    ],
                    [
                        translate("Cli", "User"),
                        translate("Cli", "Name"),
                        translate("Cli", "Role"),
                        translate("Cli", "State"),
                    ],
                )
    finally:
        context.close()
    return EXIT_OK


def _state(row: auth.UserRow) -> str:
    if row.disabled:
        return translate("Cli", "locked by administrator")
    if row.locked_until and row.locked_until > dt.datetime.now(dt.UTC):
        return translate("Cli", "locked until {time}").format(
            time=row.locked_until.astimezone().strftime("%H:%M")
        )
    return translate("Cli", "active")


def cmd_import(args: argparse.Namespace, home: Home) -> int:
    from familydoc import cli_import

    return cli_import.cmd_import(args, home)


def cmd_gui(args: argparse.Namespace, home: Home, lang: str) -> int:
    from familydoc.gui.app import run_gui

    return run_gui(home, lang=lang, smoke=args.smoke, user=args.user or "")


# --- parser ----------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="familydoc",
        description=translate("Cli", "Family doctor contracting for township health centres."),
    )
    parser.add_argument("--version", action="version", version=f"familydoc {__version__}")
    parser.add_argument("--home", help=translate("Cli", "data folder (env FAMILYDOC_HOME)"))
    parser.add_argument(
        "--database-url", help=translate("Cli", "database URL (env FAMILYDOC_DATABASE_URL)")
    )
    parser.add_argument(
        "--lang", choices=("zh_CN", "en"), help=translate("Cli", "language of messages")
    )
    parser.add_argument(
        "--smoke",
        action="store_true",
        help=translate("Cli", "start the window, check it opens, and exit (for packaging tests)"),
    )
    parser.add_argument("--user", help=translate("Cli", "user name to log in with (GUI)"))
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    init = commands.add_parser(
        "init", help=translate("Cli", "create the database of an institution")
    )
    init.add_argument("--institution-code", required=True)
    init.add_argument("--institution-name", required=True)
    init.add_argument(
        "--admin", required=True, help=translate("Cli", "user name of the first administrator")
    )
    init.add_argument("--admin-name", help=translate("Cli", "display name of the administrator"))

    demo_cmd = commands.add_parser(
        "demo", help=translate("Cli", "create a home filled with demo data")
    )
    demo_cmd.add_argument("--residents", type=int, default=1200)
    demo_cmd.add_argument("--seed", type=int, default=2026)

    from familydoc import cli_import  # import villages|residents

    cli_import.add_commands(commands)

    config = commands.add_parser("config", help=translate("Cli", "read or change settings"))
    config_commands = config.add_subparsers(dest="config_command", metavar="get|set|list")
    get = config_commands.add_parser("get")
    get.add_argument("key")
    get.add_argument("--reveal", action="store_true", help=translate("Cli", "show secret values"))
    set_ = config_commands.add_parser("set")
    set_.add_argument("key")
    set_.add_argument("value", nargs="?")
    config_commands.add_parser("list")

    users = commands.add_parser("users", help=translate("Cli", "manage accounts"))
    users_commands = users.add_subparsers(
        dest="users_command", metavar="add|passwd|lock|list", required=True
    )
    add = users_commands.add_parser("add")
    add.add_argument("username")
    add.add_argument("--role", required=True, choices=("admin", "supervisor", "doctor", "clerk"))
    add.add_argument("--name", help=translate("Cli", "display name"))
    passwd = users_commands.add_parser("passwd")
    passwd.add_argument("username")
    lock = users_commands.add_parser("lock")
    lock.add_argument("username")
    lock.add_argument("--unlock", action="store_true")
    users_commands.add_parser("list")
    for sub in (add, passwd, lock, users_commands.choices["list"]):
        sub.add_argument(
            "--user",
            default=argparse.SUPPRESS,
            help=translate("Cli", "your user name (password from FAMILYDOC_PASSWORD)"),
        )
    from familydoc import cli_safety  # backup, restore, check

    cli_safety.add_commands(commands)
    from familydoc import cli_print  # print contract

    cli_print.add_commands(commands)
    from familydoc import cli_export  # export summary|residents|contracts

    cli_export.add_commands(commands)
    from familydoc import cli_sync  # sync [--dry-run]

    cli_sync.add_commands(commands)
    return parser


def _early_lang(argv: Sequence[str]) -> str | None:
    for index, arg in enumerate(argv):
        if arg == "--lang" and index + 1 < len(argv):
            return argv[index + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return None


def _resolve_lang(cli_lang: str | None, home: Home) -> str:
    if cli_lang in ("zh_CN", "en"):
        return cli_lang
    try:
        if home.config_file.exists():
            configured = home.config().get("ui.lang")
            if configured in ("zh_CN", "en"):
                return str(configured)
    except FamilydocError:
        pass
    return "zh_CN"


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if sys.stdout and hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(errors="replace")
    early_home = make_home(_preparse(argv, "--home"), _preparse(argv, "--database-url"))
    lang = _resolve_lang(_early_lang(argv), early_home)
    try:
        translate.use(lang)
    except (ImportError, FileNotFoundError) as exc:
        print(f"familydoc: translations unavailable ({exc}); using English", file=sys.stderr)
    parser = build_parser()
    args = parser.parse_args(argv)
    home = make_home(args.home, args.database_url)
    _setup_logging(home)
    try:
        if args.command is None:
            return cmd_gui(args, home, lang)
        if args.command == "config" and args.config_command == "get" and args.key is None:
            raise UsageError(translate("Cli", "config get needs a KEY."))
        handlers: dict[str, Callable[[argparse.Namespace, Home], int]] = {
            "init": cmd_init,
            "demo": cmd_demo,
            "config": cmd_config,
            "users": cmd_users,
            "import": cmd_import,
        }
        from familydoc import cli_safety

        handlers.update(cli_safety.handlers())
        from familydoc import cli_print

        handlers.update(cli_print.handlers())
        from familydoc import cli_export

        handlers.update(cli_export.handlers())
        from familydoc import cli_sync

        handlers.update(cli_sync.handlers())
        return handlers[args.command](args, home)
    except UsageError as exc:
        parser.print_usage(sys.stderr)
        print(f"familydoc: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except AuthenticationFailed as exc:
        print(f"familydoc: {exc.render(translate)}", file=sys.stderr)
        return EXIT_AUTH
    except FamilydocError as exc:
        print(f"familydoc: {exc.render(translate)}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print(translate("Cli", "Interrupted; nothing more was written."), file=sys.stderr)
        return 130
    except Exception:
        log.exception("unexpected error in %s", args.command or "gui")
        print(
            translate(
                "Cli",
                "familydoc: an unexpected error happened. The details are in {log}.",
            ).format(log=Path(home.logs_dir) / "familydoc.log"),
            file=sys.stderr,
        )
        return EXIT_RULE


def _preparse(argv: Sequence[str], flag: str) -> str | None:
    for index, arg in enumerate(argv):
        if arg == flag and index + 1 < len(argv):
            return argv[index + 1]
        if arg.startswith(flag + "="):
            return arg.split("=", 1)[1]
    return None


if __name__ == "__main__":
    raise SystemExit(main())
