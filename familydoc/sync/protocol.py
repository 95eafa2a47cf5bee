"""What the two protocols share: the shape of a protocol, hashing, and judging refusals."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any, Protocol

from familydoc.sync.report import (
    AUTH,
    ERROR,
    NOT_FOUND,
    REJECTED,
    Outcome,
    ReportFigures,
)
from familydoc.sync.transport import HttpAnswer, HttpRequest


class UpstreamProtocol(Protocol):
    """One way of reporting (FHIR or DHIS2): builds payloads, requests, and judges answers."""

    name: str

    @property
    def measure_key(self) -> str:
        """The measure part of the outbox key (what is reported, to whom)."""
        ...

    def build(self, figures: ReportFigures, generated_at: dt.datetime) -> dict[str, Any]: ...

    def content(self, payload: dict[str, Any]) -> Any:
        """The payload without what changes at every build (a timestamp): what is hashed."""
        ...

    def request(self, payload: dict[str, Any]) -> HttpRequest: ...

    def interpret(self, answer: HttpAnswer, repeated: bool) -> Outcome:
        """Judge a final answer; ``repeated``: the same payload may have arrived before."""
        ...

    def probe(self) -> HttpRequest:
        """A harmless read that shows whether the server answers and takes the token."""
        ...


def canonical_json(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode(
        "utf-8"
    )


def content_hash(value: Any) -> str:
    return hashlib.sha256(canonical_json(value)).hexdigest()


def refusal(answer: HttpAnswer, words: str) -> Outcome:
    """A status that no retry can fix: the report goes to ERROR, for a person."""
    if answer.status in (401, 403):
        problem = AUTH
    elif answer.status in (404, 410):
        problem = NOT_FOUND
    else:
        problem = REJECTED
    if 300 <= answer.status < 400 and "location" in answer.headers:
        words = f"redirected to {answer.headers['location']}"
    return Outcome(ERROR, problem, answer.status, words or f"HTTP {answer.status}")


def json_body(answer: HttpAnswer) -> Any:
    """The parsed body, or None when it is empty or not JSON."""
    if not answer.body.strip():
        return None
    try:
        return json.loads(answer.body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
