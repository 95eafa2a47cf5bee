"""``familydoc print contract NUMBER... -o FILE.pdf [--copies 2]``: contract PDFs."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from familydoc.cli import EXIT_OK, _login, translate
from familydoc.core.config import Home
from familydoc.core.context import open_context
from familydoc.core.contract_document import load_contract_documents, record_printed


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    printing = commands.add_parser("print", help=translate("Cli", "print contracts to a PDF"))
    kinds = printing.add_subparsers(dest="print_command", metavar="contract", required=True)
    contract = kinds.add_parser(
        "contract", help=translate("Cli", "the contracts with these numbers, in one PDF")
    )
    contract.add_argument("numbers", nargs="+", metavar="NUMBER")
    contract.add_argument(
        "-o", "--output", required=True, metavar="FILE.pdf", help=translate("Cli", "the PDF file")
    )
    contract.add_argument(
        "--copies",
        type=int,
        choices=(1, 2),
        default=1,
        help=translate("Cli", "2: a copy for the resident and one for the institution"),
    )
    contract.add_argument(
        "--user",
        default=argparse.SUPPRESS,
        help=translate("Cli", "your user name (password from FAMILYDOC_PASSWORD)"),
    )


def handlers() -> dict[str, Callable[[argparse.Namespace, Home], int]]:
    return {"print": cmd_print}


def cmd_print(args: argparse.Namespace, home: Home) -> int:
    # ReportLab is imported only by the commands that print.
    from familydoc.printing.contract_pdf import render_contracts
    from familydoc.printing.files import write_file_atomically
    from familydoc.printing.fonts import choose_font, font_notices
    from familydoc.printing.template import load_template

    output = Path(args.output).expanduser().resolve()
    context = open_context(home)
    try:
        actor = _login(context, getattr(args, "user", None))
        config = context.config()
        template = load_template(config.get("printing.template"))
        font = choose_font(config.get("printing.font"))
        with context.database.read() as session:
            documents = load_contract_documents(session, actor, args.numbers)
        data = render_contracts(documents, copies=args.copies, template=template, font=font)
        write_file_atomically(output, data)
        numbers = [doc.number for doc in documents]
        with context.database.unit_of_work() as session:
            record_printed(session, actor, numbers, copies=args.copies, target="pdf")
    finally:
        context.close()
    for notice in font_notices(font):
        print(f"familydoc: {notice.render(translate)}", file=sys.stderr)
    print(
        translate("Cli", "{count} contract(s) written to {path}.").format(
            count=len(documents), path=output
        )
    )
    return EXIT_OK
