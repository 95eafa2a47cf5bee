"""The payload of the QR code printed on each contract.

Format (version 1), ASCII, fields separated by ``|``::

    FD1|<contract number>|<CRC-32 of the number's UTF-8 bytes, 8 upper-case hex digits>

e.g. ``FD1|320321110-2026-000123|1A2B3C4D``. The checksum lets a scanner tell a
complete, unaltered number from a misread or hand-edited one. A later format would
use another prefix (``FD2``); readers refuse prefixes they do not know.
"""

from __future__ import annotations

import zlib

PREFIX = "FD1"


def checksum(number: str) -> str:
    return f"{zlib.crc32(number.encode('utf-8')) & 0xFFFFFFFF:08X}"


def qr_payload(number: str) -> str:
    if "|" in number:
        raise ValueError(f"a contract number cannot contain '|': {number!r}")
    return f"{PREFIX}|{number}|{checksum(number)}"


def parse_qr_payload(text: str) -> str:
    """The contract number in ``text``; ValueError when it is not a valid payload."""
    parts = text.strip().split("|")
    if len(parts) != 3 or parts[0] != PREFIX:
        raise ValueError(f"not a familydoc contract code: {text!r}")
    _, number, check = parts
    if not number or check.upper() != checksum(number):
        raise ValueError(f"checksum mismatch in {text!r}")
    return number
