"""DHIS2: the month's totals as a data value set, placed by the county's mapping file.

``POST [base]/api/dataValueSets?importStrategy=CREATE_AND_UPDATE`` with period ``yyyyMM``.
A value's identity on the server is period + orgUnit + dataElement + categoryOptionCombo +
attributeOptionCombo, so sending again updates the same values and never adds a second set.

The mapping file (TOML, or JSON with the same keys; sample in
``resources/sync/dhis2_mapping.sample.toml``) says where each figure goes::

    org_unit = "Rp268JB6Ne4"          # the institution's organisation unit (required)
    data_set = "BfMAe6Itzgt"          # optional
    attribute_option_combo = ""       # optional (the server's default when empty)

    [[value]]
    figure = "overall"                # overall | village:<12-digit code> | key_population:<code>
    count = "numerator"               # numerator | denominator
    data_element = "s46m5MS0hxu"
    category_option_combo = ""        # optional (the server's default when empty)
    org_unit = ""                     # optional: another organisation unit for this value

The answer is an ImportSummary, either bare (older servers) or wrapped in a WebMessage
under ``response`` (newer ones, which answer 409 when there are conflicts). Conflicts, or
values ignored on a first send, make the report WARNING with the server's words kept; on a
repeat (an earlier try may have stored the same values) unchanged values count as ignored,
so ignored values without conflicts are then no warning.

The token goes as ``Authorization: ApiToken <token>`` (a DHIS2 personal access token), or
as HTTP basic authentication when it has the form ``user:password``.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from familydoc.core.errors import QT_TRANSLATE_NOOP, RuleViolation
from familydoc.core.statistics import POPULATION_CODES
from familydoc.sync.protocol import canonical_json, json_body, refusal
from familydoc.sync.report import (
    BAD_ANSWER,
    CONFLICTS,
    ERROR,
    REJECTED,
    SYNCED,
    WARNING,
    Count,
    Outcome,
    ReportFigures,
)
from familydoc.sync.settings import UpstreamSettings
from familydoc.sync.transport import HttpAnswer, HttpRequest

COUNTS = ("numerator", "denominator")
_ID = re.compile(r"^\S{1,64}$")
_VILLAGE_CODE = re.compile(r"^\d{12}$")


@dataclass(frozen=True)
class MappedValue:
    figure: str  # overall | village:<code> | key_population:<code>
    count: str  # numerator | denominator
    data_element: str
    category_option_combo: str = ""
    org_unit: str = ""


@dataclass(frozen=True)
class Dhis2Mapping:
    org_unit: str
    data_set: str
    attribute_option_combo: str
    values: tuple[MappedValue, ...]


def _bad_mapping(path: Path, reason: str) -> RuleViolation:
    return RuleViolation(
        QT_TRANSLATE_NOOP("Errors", "The DHIS2 mapping file {path} cannot be used: {reason}"),
        path=str(path),
        reason=reason,
    )


def _text(data: dict[str, Any], key: str, path: Path, where: str, required: bool) -> str:
    value = data.get(key, "")
    if not isinstance(value, str):
        raise _bad_mapping(path, f"{where}{key} must be text")
    value = value.strip()
    if required and not value:
        raise _bad_mapping(path, f"{where}{key} is missing")
    if value and not _ID.match(value):
        raise _bad_mapping(path, f"{where}{key} {value!r} is not a DHIS2 id or code")
    return value


def load_mapping(path_text: str) -> Dhis2Mapping:
    """Read and check the county's mapping file (TOML; JSON when the name ends in .json)."""
    path = Path(path_text).expanduser()
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise _bad_mapping(path, exc.strerror or str(exc)) from exc
    try:
        if path.suffix.lower() == ".json":
            data = json.loads(raw.decode("utf-8-sig"))
        else:
            data = tomllib.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise _bad_mapping(path, str(exc)) from exc
    if not isinstance(data, dict):
        raise _bad_mapping(path, "not a table of settings")
    entries = data.get("value", [])
    if not isinstance(entries, list) or not entries:
        raise _bad_mapping(path, "it maps no value ([[value]] entries)")
    values: list[MappedValue] = []
    identities: set[tuple[str, str, str]] = set()
    org_unit = _text(data, "org_unit", path, "", True)
    for number, entry in enumerate(entries, start=1):
        where = f"value {number}: "
        if not isinstance(entry, dict):
            raise _bad_mapping(path, f"{where}not a table")
        figure = str(entry.get("figure", "")).strip()
        kind, _, code = figure.partition(":")
        if not (
            figure == "overall"
            or (kind == "village" and _VILLAGE_CODE.match(code))
            or (kind == "key_population" and code in POPULATION_CODES)
        ):
            raise _bad_mapping(
                path,
                f"{where}figure {figure!r} is not overall, village:<12-digit code> or"
                f" key_population:<{'|'.join(POPULATION_CODES)}>",
            )
        count = str(entry.get("count", "")).strip()
        if count not in COUNTS:
            raise _bad_mapping(path, f"{where}count must be numerator or denominator")
        value = MappedValue(
            figure=figure,
            count=count,
            data_element=_text(entry, "data_element", path, where, True),
            category_option_combo=_text(entry, "category_option_combo", path, where, False),
            org_unit=_text(entry, "org_unit", path, where, False),
        )
        identity = (value.org_unit or org_unit, value.data_element, value.category_option_combo)
        if identity in identities:
            raise _bad_mapping(path, f"{where}the same data element is mapped twice")
        identities.add(identity)
        values.append(value)
    return Dhis2Mapping(
        org_unit=org_unit,
        data_set=_text(data, "data_set", path, "", False),
        attribute_option_combo=_text(data, "attribute_option_combo", path, "", False),
        values=tuple(values),
    )


def dhis2_period(period: str) -> str:
    return period.replace("-", "")


@dataclass(frozen=True)
class ImportSummary:
    status: str
    imported: int
    updated: int
    ignored: int
    deleted: int
    conflicts: tuple[str, ...]
    message: str

    def words(self) -> str:
        parts = [
            f"{self.status}: imported {self.imported}, updated {self.updated},"
            f" ignored {self.ignored}, deleted {self.deleted}"
        ]
        if self.message:
            parts.append(self.message)
        if self.conflicts:
            parts.append("conflicts: " + "; ".join(self.conflicts))
        return ". ".join(parts)


def _int(value: Any) -> int:
    return value if isinstance(value, int) else 0


def parse_import_summary(body: Any) -> ImportSummary | None:
    """The ImportSummary of an answer, bare (older servers) or under ``response``."""
    if not isinstance(body, dict):
        return None
    message = ""
    summary: Any = body
    if isinstance(body.get("response"), dict):
        summary = body["response"]
        message = str(body.get("message") or "")
    if not isinstance(summary, dict) or not (
        "importCount" in summary or summary.get("responseType") == "ImportSummary"
    ):
        return None
    counts = summary.get("importCount") if isinstance(summary.get("importCount"), dict) else {}
    conflicts = []
    for conflict in summary.get("conflicts") or []:
        if isinstance(conflict, dict):
            subject = conflict.get("object") or ", ".join(
                str(v) for v in (conflict.get("objects") or {}).values()
            )
            text = str(conflict.get("value") or "")
            code = conflict.get("errorCode")
            conflicts.append(
                (f"{subject}: " if subject else "") + text + (f" ({code})" if code else "")
            )
    description = str(summary.get("description") or "")
    return ImportSummary(
        status=str(summary.get("status") or body.get("status") or ""),
        imported=_int(counts.get("imported")),
        updated=_int(counts.get("updated")),
        ignored=_int(counts.get("ignored")),
        deleted=_int(counts.get("deleted")),
        conflicts=tuple(conflicts),
        message="; ".join(part for part in (message, description) if part),
    )


class Dhis2Protocol:
    name = "dhis2"

    def __init__(self, settings: UpstreamSettings, mapping: Dhis2Mapping | None = None) -> None:
        self.settings = settings
        self.mapping = mapping or load_mapping(settings.mapping)

    @property
    def measure_key(self) -> str:
        return f"dhis2:{self.mapping.data_set or self.mapping.org_unit}"

    def build(self, figures: ReportFigures, generated_at: dt.datetime) -> dict[str, Any]:
        counts: dict[str, Count] = {"overall": figures.overall}
        counts.update({f"village:{c.key}": c for c in figures.villages})
        counts.update({f"key_population:{c.key}": c for c in figures.populations})
        values = []
        for mapped in self.mapping.values:
            count = counts.get(mapped.figure)
            if count is None:
                raise RuleViolation(
                    QT_TRANSLATE_NOOP(
                        "Errors",
                        "The DHIS2 mapping file names {figure}, which this institution does"
                        " not have; ask the county to correct the mapping.",
                    ),
                    figure=mapped.figure,
                )
            value: dict[str, Any] = {
                "dataElement": mapped.data_element,
                "value": str(getattr(count, mapped.count)),
            }
            if mapped.category_option_combo:
                value["categoryOptionCombo"] = mapped.category_option_combo
            if mapped.org_unit:
                value["orgUnit"] = mapped.org_unit
            values.append(value)
        payload: dict[str, Any] = {
            "period": dhis2_period(figures.period),
            "orgUnit": self.mapping.org_unit,
        }
        if self.mapping.data_set:
            payload["dataSet"] = self.mapping.data_set
        if self.mapping.attribute_option_combo:
            payload["attributeOptionCombo"] = self.mapping.attribute_option_combo
        payload["dataValues"] = values
        return payload

    def content(self, payload: dict[str, Any]) -> Any:
        return payload

    def request(self, payload: dict[str, Any]) -> HttpRequest:
        return HttpRequest(
            "POST",
            f"{self.settings.base_url}/api/dataValueSets",
            params={"importStrategy": "CREATE_AND_UPDATE"},
            body=canonical_json(payload),
            headers=self._headers(content=True),
        )

    def probe(self) -> HttpRequest:
        return HttpRequest(
            "GET", f"{self.settings.base_url}/api/system/info", headers=self._headers()
        )

    def _headers(self, content: bool = False) -> dict[str, str]:
        headers = {"Accept": "application/json"}
        if content:
            headers["Content-Type"] = "application/json; charset=utf-8"
        token = self.settings.token
        if token:
            if ":" in token:
                encoded = base64.b64encode(token.encode("utf-8")).decode("ascii")
                headers["Authorization"] = f"Basic {encoded}"
            else:
                headers["Authorization"] = f"ApiToken {token}"
        return headers

    def interpret(self, answer: HttpAnswer, repeated: bool) -> Outcome:
        body = json_body(answer)
        summary = parse_import_summary(body)
        if summary is None:
            if 200 <= answer.status < 300:
                return Outcome(ERROR, BAD_ANSWER, answer.status, answer.text())
            words = (
                str(body.get("message")) if isinstance(body, dict) and body.get("message") else ""
            )
            return refusal(answer, words or answer.text())
        words = summary.words()
        if answer.status not in (200, 201, 409):
            return refusal(answer, words)
        if summary.status == "ERROR" and not (summary.imported or summary.updated):
            return Outcome(ERROR, REJECTED, answer.status, words)
        if summary.conflicts or summary.status in ("WARNING", "ERROR"):
            return Outcome(WARNING, CONFLICTS, answer.status, words)
        if summary.ignored and not repeated:
            return Outcome(WARNING, CONFLICTS, answer.status, words)
        return Outcome(SYNCED, None, answer.status, words)
