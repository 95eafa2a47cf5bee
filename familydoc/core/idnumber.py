"""Resident ID numbers (GB 11643-1999) on top of python-stdnum's ``cn.ric``.

stdnum's ``validate`` also requires the area code to have been in force in the
birth year; that refuses real cards (codes are given when the card is issued,
often after birth), so we check the checksum and date with stdnum's helpers and
accept an area code that exists in any period.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from stdnum import numdb
from stdnum.cn import ric

from familydoc.core.errors import QT_TRANSLATE_NOOP, RuleViolation

_SCIENTIFIC = re.compile(r"^\d(\.\d+)?[eE]\+?\d+$")
_PLAIN = re.compile(r"[0-9]{17}[0-9Xx]")  # nothing for stdnum's (slow) clean-up to do


@dataclass(frozen=True)
class IdNumberInfo:
    number: str
    birth_date: dt.date
    sex: str  # "M" or "F"
    area_code: str


def normalise(raw: object) -> str:
    """Strip, NFKC (full-width digits become ASCII), drop separators, upper-case the ``x``."""
    text = unicodedata.normalize("NFKC", str(raw if raw is not None else ""))
    text = text.replace(" ", "").replace("-", "")
    if _PLAIN.fullmatch(text):
        return text.upper()
    return ric.compact(text)


@lru_cache(maxsize=4096)
def area_code_known(code: str) -> bool:
    """True if the six-digit code names a county-level division in any period."""
    results = numdb.get("cn/loc").info(code)
    return any("county" in props for _part, props in results)


def validate(raw: object) -> IdNumberInfo:
    """Validate a resident ID number; the error says what is wrong in plain words."""
    text = str(raw if raw is not None else "").strip()
    if _SCIENTIFIC.match(text):
        raise RuleViolation(
            QT_TRANSLATE_NOOP(
                "Errors",
                "The ID number {value} was turned into a number by Excel and lost its last"
                " digits. Format the column as text and type the number again.",
            ),
            value=text,
        )
    number = normalise(text)
    if (
        len(number) != 18
        or not number[:17].isdigit()
        or not (number[17].isdigit() or number[17] == "X")
    ):
        raise RuleViolation(
            QT_TRANSLATE_NOOP(
                "Errors",
                "The ID number {value} must have 18 characters: 17 digits and a"
                " digit or X at the end.",
            ),
            value=text,
        )
    if number[-1] != ric.calc_check_digit(number):
        if number.endswith("000") or number.endswith("00"):
            raise RuleViolation(
                QT_TRANSLATE_NOOP(
                    "Errors",
                    "The ID number {value} ends in zeros and its check digit is wrong: Excel"
                    " probably cut it to 15 digits. Format the column as text and type the"
                    " number again.",
                ),
                value=text,
            )
        raise RuleViolation(
            QT_TRANSLATE_NOOP(
                "Errors",
                "The check digit of the ID number {value} is wrong: please check it"
                " against the card.",
            ),
            value=text,
        )
    try:
        # stdnum's get_birth_date, without compacting the compacted number again
        birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise RuleViolation(
            QT_TRANSLATE_NOOP("Errors", "The ID number {value} holds no valid birth date."),
            value=text,
        ) from None
    if birth > dt.date.today() or birth.year < 1890:
        raise RuleViolation(
            QT_TRANSLATE_NOOP("Errors", "The ID number {value} holds no valid birth date."),
            value=text,
        )
    if not area_code_known(number[:6]):
        raise RuleViolation(
            QT_TRANSLATE_NOOP("Errors", "The ID number {value} starts with an unknown area code."),
            value=text,
        )
    return IdNumberInfo(
        number=number,
        birth_date=birth,
        sex="M" if int(number[16]) % 2 else "F",
        area_code=number[:6],
    )


def build(area_code: str, birth_date: dt.date, sequence: int) -> str:
    """Compose a valid number (demo data and tests): ``sequence`` odd for men, even for women."""
    body = f"{area_code}{birth_date:%Y%m%d}{sequence:03d}"
    return body + ric.calc_check_digit(body + "0")
