"""FHIR R4: the month's totals as a MeasureReport, sent by conditional update.

``PUT [base]/MeasureReport?identifier=<system>|<institution>-<period>`` creates the report
the first time (201) and replaces it afterwards (200), so sending again after a lost answer
never makes a second report. The report:

- ``type`` summary; ``status`` pending for the open month, complete for an ended one;
- ``period`` from the first of the month to the day the figures hold for (its last day once
  the month has ended); ``date`` when the report was built;
- ``reporter`` the institution's identifier; ``measure`` the canonical URL of
  ``upstream.measure``;
- one group (the signing rate) with initial-population, denominator and numerator counts
  and ``measureScore`` (the rate to 4 decimals, left out when the denominator is 0), and two
  stratifiers: ``village`` (stratum = the 12-digit division code) and ``key-population``
  (stratum = the codes of DESIGN.md, ``any_key`` included).

The token goes as ``Authorization: Bearer <token>``.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from familydoc.sync.protocol import canonical_json, json_body, refusal
from familydoc.sync.report import (
    BAD_ANSWER,
    ERROR,
    SYNCED,
    Count,
    Outcome,
    ReportFigures,
)
from familydoc.sync.settings import UpstreamSettings
from familydoc.sync.transport import HttpAnswer, HttpRequest

FHIR_JSON = "application/fhir+json"
REPORT_ID_SYSTEM = "urn:familydoc:measure-report"
INSTITUTION_SYSTEM = "urn:familydoc:institution"
STRATIFIER_SYSTEM = "urn:familydoc:stratifier"
VILLAGE_SYSTEM = "urn:familydoc:village"  # GB/T 2260 + town/village, 12 digits
KEY_POPULATION_SYSTEM = "urn:familydoc:key-population"
GROUP_SYSTEM = "urn:familydoc:measure-group"
POPULATION_SYSTEM = "http://terminology.hl7.org/CodeSystem/measure-population"
POPULATIONS = ("initial-population", "denominator", "numerator")


def report_identifier(figures_or_code: ReportFigures | str, period: str = "") -> str:
    if isinstance(figures_or_code, ReportFigures):
        return f"{figures_or_code.institution_code}-{figures_or_code.period}"
    return f"{figures_or_code}-{period}"


def _concept(system: str, code: str, text: str | None = None) -> dict[str, Any]:
    concept: dict[str, Any] = {"coding": [{"system": system, "code": code}]}
    if text:
        concept["text"] = text
    return concept


def _counts(count: Count) -> dict[str, Any]:
    values = {
        "initial-population": count.denominator,
        "denominator": count.denominator,
        "numerator": count.numerator,
    }
    part: dict[str, Any] = {
        "population": [
            {"code": _concept(POPULATION_SYSTEM, name), "count": values[name]}
            for name in POPULATIONS
        ]
    }
    rate = count.rate
    if rate is not None:
        part["measureScore"] = {"value": float(rate)}
    return part


class FhirProtocol:
    name = "fhir"

    def __init__(self, settings: UpstreamSettings) -> None:
        self.settings = settings

    @property
    def measure_key(self) -> str:
        return self.settings.measure

    def build(self, figures: ReportFigures, generated_at: dt.datetime) -> dict[str, Any]:
        group: dict[str, Any] = {"code": _concept(GROUP_SYSTEM, "signing-rate", "签约率")}
        group.update(_counts(figures.overall))
        group["stratifier"] = [
            {
                "code": [_concept(STRATIFIER_SYSTEM, "village", "村")],
                "stratum": [
                    {"value": _concept(VILLAGE_SYSTEM, count.key), **_counts(count)}
                    for count in figures.villages
                ],
            },
            {
                "code": [_concept(STRATIFIER_SYSTEM, "key-population", "重点人群")],
                "stratum": [
                    {"value": _concept(KEY_POPULATION_SYSTEM, count.key), **_counts(count)}
                    for count in figures.populations
                ],
            },
        ]
        return {
            "resourceType": "MeasureReport",
            "identifier": [{"system": REPORT_ID_SYSTEM, "value": report_identifier(figures)}],
            "status": "complete" if figures.final else "pending",
            "type": "summary",
            "measure": self.settings.measure,
            "date": generated_at.astimezone(dt.UTC).isoformat(timespec="seconds"),
            "reporter": {
                "identifier": {"system": INSTITUTION_SYSTEM, "value": figures.institution_code},
                "display": figures.institution_name,
            },
            "period": {
                "start": figures.period_start.isoformat(),
                "end": figures.as_of.isoformat(),
            },
            "group": [group],
        }

    def content(self, payload: dict[str, Any]) -> Any:
        # The open month's "as of" day moves every day; only its totals count as a change.
        content = {key: value for key, value in payload.items() if key != "date"}
        if payload.get("status") == "pending":
            content["period"] = {"start": payload["period"]["start"]}
        return content

    def request(self, payload: dict[str, Any]) -> HttpRequest:
        identifier = payload["identifier"][0]
        return HttpRequest(
            "PUT",
            f"{self.settings.base_url}/MeasureReport",
            params={"identifier": f"{identifier['system']}|{identifier['value']}"},
            body=canonical_json(payload),
            headers=self._headers(content=True),
        )

    def probe(self) -> HttpRequest:
        return HttpRequest("GET", f"{self.settings.base_url}/metadata", headers=self._headers())

    def _headers(self, content: bool = False) -> dict[str, str]:
        headers = {"Accept": FHIR_JSON}
        if content:
            headers["Content-Type"] = f"{FHIR_JSON}; charset=utf-8"
        if self.settings.token:
            headers["Authorization"] = f"Bearer {self.settings.token}"
        return headers

    def interpret(self, answer: HttpAnswer, repeated: bool) -> Outcome:
        body = json_body(answer)
        words = outcome_words(body) if isinstance(body, dict) else answer.text()
        if answer.status not in (200, 201):
            return refusal(answer, words)
        # A 200 from a proxy or a login page is no confirmation: only the server's own
        # answer counts (the stored report, or an empty body for ``return=minimal``).
        if not answer.body.strip():
            return Outcome(SYNCED, None, answer.status, f"HTTP {answer.status}")
        if not isinstance(body, dict) or body.get("resourceType") not in (
            "MeasureReport",
            "OperationOutcome",
        ):
            return Outcome(ERROR, BAD_ANSWER, answer.status, answer.text())
        if body.get("resourceType") == "OperationOutcome" and _has_error(body):
            return Outcome(ERROR, BAD_ANSWER, answer.status, words)
        stored = body.get("id")
        said = f"HTTP {answer.status}" + (f" MeasureReport/{stored}" if stored else "")
        return Outcome(SYNCED, None, answer.status, said)


def _has_error(outcome: dict[str, Any]) -> bool:
    return any(
        isinstance(issue, dict) and issue.get("severity") in ("error", "fatal")
        for issue in outcome.get("issue", [])
    )


def outcome_words(body: dict[str, Any]) -> str:
    """An OperationOutcome's diagnostics in the server's words (else the JSON as sent)."""
    if body.get("resourceType") == "OperationOutcome":
        parts = []
        for issue in body.get("issue", []):
            if not isinstance(issue, dict):
                continue
            details = issue.get("details") if isinstance(issue.get("details"), dict) else {}
            text = issue.get("diagnostics") or details.get("text") or issue.get("code") or ""
            if text:
                parts.append(str(text))
        if parts:
            return "; ".join(parts)
    for key in ("message", "error_description", "error"):  # gateways and proxies in front
        if isinstance(body.get(key), str) and body[key]:
            return str(body[key])
    return json.dumps(body, ensure_ascii=False)[:2000]
