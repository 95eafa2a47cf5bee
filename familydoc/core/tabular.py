"""Reading the tables clinics bring: CSV as Excel writes it, and Excel workbooks.

CSV files come in UTF-8 with or without a byte-order mark ("CSV UTF-8") or in
the ANSI code page of Simplified-Chinese Windows (GBK, of which GB18030 is a
superset). We decode strictly as UTF-8 first, then as GB18030, and refuse a
file that is neither rather than garble it. The delimiter is a comma, a tab or
a semicolon. Workbooks are streamed with openpyxl's read-only mode.

Every value comes back as text, and each row with the number Excel shows for it
(the header row is row 1 when it is the first row), so messages can point at
the cell a clerk has to fix.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from familydoc.core.errors import QT_TRANSLATE_NOOP, RuleViolation

DELIMITERS = (",", "\t", ";")
HEADER_SEARCH_ROWS = 10  # a title row or two above the header is common in rosters
EXCEL_EPOCH = dt.date(1899, 12, 30)
_FORMULA_TEXT = re.compile(r'^="(.*)"$', re.DOTALL)
_HEADER_NOISE = re.compile(r"[\s_\-*:：]|\([^)]*\)|\[[^\]]*\]")


@dataclass
class Table:
    """A sheet's header and rows, every cell as text."""

    headers: list[str]
    rows: Iterator[tuple[int, list[str]]]  # (row number as Excel shows it, cells)
    kind: str  # "csv" or "xlsx"
    encoding: str = ""  # "UTF-8", "UTF-8 (BOM)", "GB18030"; empty for workbooks
    delimiter: str = ""
    sheet: str = ""
    header_row: int = 1
    row_estimate: int = 0  # rows below the header, blank ones included
    closers: list[Callable[[], None]] = field(default_factory=list)

    def close(self) -> None:
        for close in self.closers:
            close()
        self.closers.clear()

    def __enter__(self) -> Table:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def header_key(text: str) -> str:
    """A header reduced for matching: NFKC, lower case, no spaces, marks or hints in brackets.

    ``身份证号码*`` -> ``身份证号码``; ``出生日期（yyyy-mm-dd）`` -> ``出生日期``;
    ``ID Number`` -> ``idnumber``.
    """
    text = unicodedata.normalize("NFKC", text or "").lower()
    return _HEADER_NOISE.sub("", text)


def decode(data: bytes) -> tuple[str, str]:
    """The text of a CSV file and the name of its encoding; never a silent garble."""
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "UTF-8 (BOM)"
        except UnicodeDecodeError as exc:
            raise _undecodable(exc) from None
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "GB18030"
    except UnicodeDecodeError as exc:
        raise _undecodable(exc) from None


def _undecodable(exc: UnicodeDecodeError) -> RuleViolation:
    return RuleViolation(
        QT_TRANSLATE_NOOP(
            "Errors",
            "The file is neither UTF-8 nor GB18030 (GBK) text (unreadable bytes at position"
            ' {position}). Open it in Excel and save it again as "CSV UTF-8" or as an Excel'
            " workbook.",
        ),
        position=exc.start,
    )


def sniff_delimiter(text: str) -> str:
    """Comma, tab or semicolon: whichever splits the first lines most consistently."""
    sample = [line for line in text[:65536].splitlines() if line.strip()][:20]
    if not sample:
        return ","
    best, best_score = ",", (0, 0)
    for delimiter in DELIMITERS:
        widths = [len(row) for row in csv.reader(sample, delimiter=delimiter)]
        if not widths or widths[0] < 2:
            continue
        # Columns of the first line, then how many lines agree with it.
        score = (sum(1 for width in widths if width == widths[0]), widths[0])
        if score > best_score:
            best, best_score = delimiter, score
    return best


def cell_text(value: object) -> str:
    """An Excel cell as text: whole numbers without ``.0``, dates as ``1949-12-31``.

    Numbers of 16 digits or more cannot be held exactly by Excel; they are shown
    the way Excel shows them (``1.10105199001011E+17``) so the ID-number check
    can say what happened.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int):
        return str(value) if abs(value) < 10**15 else format(float(value), ".15G")
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        if abs(value) >= 1e15:
            return format(value, ".15G")
        return repr(value)
    return _unwrap(str(value))


def _unwrap(text: str) -> str:
    """``="0123"`` (a formula some systems export to keep leading zeros) -> ``0123``."""
    if not text.startswith('="'):
        return text
    match = _FORMULA_TEXT.match(text)
    return match.group(1) if match else text


def _blank(cells: Sequence[str]) -> bool:
    return not any(cell.strip() for cell in cells)


def _find_header(
    rows: Iterator[tuple[int, list[str]]], known: Callable[[str], bool] | None
) -> tuple[int, list[str], list[tuple[int, list[str]]]]:
    """The header row: the first of the top rows with two known column names, else the
    first non-blank row. Returns it and the rows read past it (to be yielded again)."""
    seen: list[tuple[int, list[str]]] = []
    for number, cells in rows:
        seen.append((number, cells))
        if len(seen) >= HEADER_SEARCH_ROWS:
            break
    candidates = [(n, c) for n, c in seen if not _blank(c)]
    if not candidates:
        raise RuleViolation(QT_TRANSLATE_NOOP("Errors", "The file is empty."))
    chosen = candidates[0]
    if known is not None:
        for candidate in candidates:
            if sum(1 for cell in candidate[1] if known(header_key(cell))) >= 2:
                chosen = candidate
                break
    index = seen.index(chosen)
    headers = [cell.strip() for cell in chosen[1]]
    while headers and not headers[-1]:
        headers.pop()  # trailing delimiters, formatted but empty cells right of the sheet
    return chosen[0], headers, seen[index + 1 :]


def _data_rows(
    pending: list[tuple[int, list[str]]],
    rest: Iterator[tuple[int, list[str]]],
    width: int,
) -> Iterator[tuple[int, list[str]]]:
    for source in (iter(pending), rest):
        for number, cells in source:
            if _blank(cells[:width]):
                continue  # empty lines, and values only under columns without a name
            if len(cells) < width:
                cells = cells + [""] * (width - len(cells))
            yield number, cells[:width]


def _csv_rows(text: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    for number, cells in enumerate(reader, start=1):
        if any(cell.startswith('="') for cell in cells):
            cells = [_unwrap(cell) for cell in cells]
        yield number, cells


def read_csv_bytes(data: bytes, known_header: Callable[[str], bool] | None = None) -> Table:
    text, encoding = decode(data)
    delimiter = sniff_delimiter(text)
    rows = _csv_rows(text, delimiter)
    header_row, headers, pending = _find_header(rows, known_header)
    estimate = max(0, text.count("\n") + (0 if text.endswith("\n") else 1) - header_row)
    return Table(
        headers=headers,
        rows=_data_rows(pending, rows, len(headers)),
        kind="csv",
        encoding=encoding,
        delimiter=delimiter,
        header_row=header_row,
        row_estimate=estimate,
    )


def read_xlsx(path: Path, known_header: Callable[[str], bool] | None = None) -> Table:
    from openpyxl import load_workbook  # 0.2 s to import: only when a workbook is read

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # zipfile.BadZipFile, KeyError, InvalidFileException...
        raise RuleViolation(
            QT_TRANSLATE_NOOP(
                "Errors", "{file} cannot be read as an Excel workbook (.xlsx): {reason}"
            ),
            file=path.name,
            reason=str(exc) or type(exc).__name__,
        ) from None
    sheet = workbook.active or workbook.worksheets[0]

    def rows() -> Iterator[tuple[int, list[str]]]:
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, [cell_text(value) for value in values]

    source = rows()
    try:
        header_row, headers, pending = _find_header(source, known_header)
    except BaseException:
        workbook.close()
        raise
    max_row = sheet.max_row or 0
    return Table(
        headers=headers,
        rows=_data_rows(pending, source, len(headers)),
        kind="xlsx",
        sheet=sheet.title,
        header_row=header_row,
        row_estimate=max(0, max_row - header_row),
        closers=[workbook.close],
    )


def read_table(path: Path | str, known_header: Callable[[str], bool] | None = None) -> Table:
    """Open a CSV or XLSX file; ``known_header`` says which header names are expected."""
    path = Path(path)
    suffix = path.suffix.lower()
    try:
        if suffix in (".xlsx", ".xlsm"):
            return read_xlsx(path, known_header)
        if suffix == ".xls":
            raise RuleViolation(
                QT_TRANSLATE_NOOP(
                    "Errors",
                    "{file} is an old Excel 97-2003 workbook (.xls). Open it in Excel and save"
                    " it as an Excel workbook (.xlsx) or as CSV UTF-8.",
                ),
                file=path.name,
            )
        data = path.read_bytes()
    except FileNotFoundError:
        raise RuleViolation(
            QT_TRANSLATE_NOOP("Errors", "There is no file {file}."), file=str(path)
        ) from None
    except (IsADirectoryError, PermissionError) as exc:
        raise RuleViolation(
            QT_TRANSLATE_NOOP("Errors", "{file} cannot be read: {reason}"),
            file=str(path),
            reason=exc.strerror or str(exc),
        ) from None
    if data.startswith(b"PK\x03\x04"):
        return read_xlsx(path, known_header)  # a workbook saved with another name
    return read_csv_bytes(data, known_header)


_DATE = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"
)
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_SERIAL = re.compile(r"^(\d{5})(?:\.0+)?$")


def parse_date(text: str) -> dt.date | None:
    """``1949-12-31``, ``1949/12/31``, ``1949.12.31``, ``19491231``, ``1949年12月31日``,
    or an Excel date serial (``18263``); None when empty. ValueError when not a date."""
    text = unicodedata.normalize("NFKC", text or "").strip()
    if not text:
        return None
    match = _DATE.match(text) or _COMPACT_DATE.match(text)
    if match:
        year, month, day = (int(part) for part in match.groups())
        return dt.date(year, month, day)
    match = _SERIAL.match(text)
    if match:
        return EXCEL_EPOCH + dt.timedelta(days=int(match.group(1)))
    raise ValueError(text)
