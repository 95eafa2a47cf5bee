"""A county server for the sync tests: real HTTP on 127.0.0.1, in a thread of the test.

It speaks just enough FHIR (conditional update of MeasureReport by identifier, validated
with ``fhir.resources.R4B``; ``GET /metadata``) or DHIS2 (``POST /api/dataValueSets`` with
the ImportSummary bare or wrapped; ``GET /api/system/info``) to hold what it was sent, keeps
the raw bytes of every request, and plays the faults a test queues:

- ``status(code, headers, body)``: answer that without storing anything;
- ``store_then_hang(seconds)``: store the report, then answer too late (the answer is lost);
- ``hold(event)``: read the request and wait (nothing stored) until the event is set.

Conditional updates are not atomic here, as on real servers: two requests for the same
identifier in flight at once both create a report — which is why the client sends one at a
time per key.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from fhir.resources.R4B.measurereport import MeasureReport


@dataclass
class Received:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes


@dataclass
class Fault:
    kind: str  # status | store_then_hang | hold
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    seconds: float = 0.0
    event: threading.Event | None = None


def status(code: int, body: bytes = b"", **headers: str) -> Fault:
    return Fault("status", code, {k.replace("_", "-"): v for k, v in headers.items()}, body)


def store_then_hang(seconds: float) -> Fault:
    return Fault("store_then_hang", seconds=seconds)


def hold(event: threading.Event) -> Fault:
    return Fault("hold", event=event)


class Upstream:
    """The server and what it holds; ``url`` is its base address."""

    def __init__(self, protocol: str, token: str = "county-token", shape: str = "wrapped") -> None:
        self.protocol = protocol
        self.token = token
        self.shape = shape  # DHIS2 ImportSummary: "old" (bare) or "wrapped" (WebMessage)
        self.faults: deque[Fault] = deque()
        self.received: list[Received] = []
        self.reports: dict[str, dict[str, Any]] = {}  # FHIR id -> MeasureReport
        self.values: dict[tuple[str, ...], str] = {}  # DHIS2 identity -> value
        self.unknown_elements: set[str] = set()  # DHIS2 data elements that conflict
        self.invalid: list[str] = []  # validation errors of bodies received
        self.arrived = threading.Event()  # a report request was read (and stored, if so)
        self._lock = threading.Lock()
        self._ids = 0
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        base = f"http://{host}:{port}"
        return f"{base}/fhir" if self.protocol == "fhir" else f"{base}/dhis"

    def start(self) -> Upstream:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def report_bodies(self) -> list[bytes]:
        return [r.body for r in self.received if r.method in ("PUT", "POST")]

    def fhir_by_identifier(self, value: str) -> list[dict[str, Any]]:
        return [
            report
            for report in self.reports.values()
            if any(i.get("value") == value for i in report.get("identifier", []))
        ]

    # --- the handler ------------------------------------------------------------------------

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        upstream = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *_args: object) -> None:
                return

            def _answer(self, code: int, body: Any, headers: dict[str, str] | None = None) -> None:
                data = body if isinstance(body, bytes) else json.dumps(body).encode()
                try:
                    self.send_response(code)
                    for name, value in (headers or {}).items():
                        self.send_header(name, value)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:  # the client gave up waiting
                    pass

            def _handle(self) -> None:
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                received = Received(
                    self.command,
                    parts.path,
                    parse_qs(parts.query),
                    {k.lower(): v for k, v in self.headers.items()},
                    body,
                )
                with upstream._lock:
                    upstream.received.append(received)
                if not upstream._authorised(received.headers.get("authorization", "")):
                    self._answer(401, {"message": "Unauthorized: bad token"})
                    return
                if self.command == "GET":
                    self._answer(*upstream._get(parts.path))
                    return
                fault = upstream.faults.popleft() if upstream.faults else None
                if fault is None or fault.kind != "store_then_hang":
                    upstream.arrived.set()
                if fault is not None and fault.kind == "status":
                    self._answer(fault.status, fault.body, fault.headers)
                    return
                if fault is not None and fault.kind == "hold":
                    assert fault.event is not None
                    fault.event.wait(60)  # then carry on as usual (the client may be gone)
                code, answer = upstream._store(received)
                if fault is not None and fault.kind == "store_then_hang":
                    upstream.arrived.set()  # stored: from now on only the answer is missing
                    time.sleep(fault.seconds)
                self._answer(code, answer)

            do_GET = _handle
            do_PUT = _handle
            do_POST = _handle

        return Handler

    def _authorised(self, header: str) -> bool:
        scheme = "Bearer" if self.protocol == "fhir" else "ApiToken"
        return header == f"{scheme} {self.token}"

    def _get(self, path: str) -> tuple[int, Any]:
        if path.endswith("/metadata"):
            return 200, {"resourceType": "CapabilityStatement", "fhirVersion": "4.0.1"}
        if path.endswith("/api/system/info"):
            return 200, {"version": "2.40.3"}
        return 404, {"message": "not found"}

    def _store(self, received: Received) -> tuple[int, Any]:
        if self.protocol == "fhir":
            return self._store_fhir(received)
        return self._store_dhis2(received)

    def _store_fhir(self, received: Received) -> tuple[int, Any]:
        try:
            resource = json.loads(received.body)
            MeasureReport.model_validate(resource)
        except Exception as exc:
            self.invalid.append(str(exc))
            return 422, {
                "resourceType": "OperationOutcome",
                "issue": [{"severity": "error", "code": "invalid", "diagnostics": str(exc)}],
            }
        system, _, value = received.query["identifier"][0].partition("|")
        matches = [
            key
            for key, report in self.reports.items()
            if any(
                i.get("system") == system and i.get("value") == value
                for i in report.get("identifier", [])
            )
        ]
        time.sleep(0.05)  # search, then write: not atomic, as on real servers
        with self._lock:
            if len(matches) > 1:
                return 412, {"resourceType": "OperationOutcome", "issue": []}
            if matches:
                resource["id"] = matches[0]
                self.reports[matches[0]] = resource
                return 200, resource
            self._ids += 1
            resource["id"] = str(self._ids)
            self.reports[resource["id"]] = resource
            return 201, resource

    def _store_dhis2(self, received: Received) -> tuple[int, Any]:
        data = json.loads(received.body)
        counts = {"imported": 0, "updated": 0, "ignored": 0, "deleted": 0}
        conflicts = []
        with self._lock:
            for index, value in enumerate(data["dataValues"]):
                if value["dataElement"] in self.unknown_elements:
                    counts["ignored"] += 1
                    conflicts.append(
                        {
                            "object": value["dataElement"],
                            "value": f"Data element not found or not accessible: "
                            f"`{value['dataElement']}`",
                            "errorCode": "E7610",
                            "indexes": [index],
                        }
                    )
                    continue
                identity = (
                    data["period"],
                    value.get("orgUnit", data["orgUnit"]),
                    value["dataElement"],
                    value.get("categoryOptionCombo", "default"),
                    data.get("attributeOptionCombo", "default"),
                )
                if identity not in self.values:
                    counts["imported"] += 1
                elif self.values[identity] == value["value"]:
                    counts["ignored"] += 1
                else:
                    counts["updated"] += 1
                self.values[identity] = value["value"]
        status_word = "WARNING" if conflicts else "SUCCESS"
        summary = {
            "responseType": "ImportSummary",
            "status": status_word,
            "importOptions": {"importStrategy": received.query["importStrategy"][0]},
            "importCount": counts,
            "conflicts": conflicts,
        }
        if self.shape == "old":
            return 200, summary
        if conflicts:
            return 409, {
                "httpStatus": "Conflict",
                "httpStatusCode": 409,
                "status": "WARNING",
                "message": "One more conflicts encountered, please check import summary.",
                "response": summary,
            }
        return 200, {
            "httpStatus": "OK",
            "httpStatusCode": 200,
            "status": "OK",
            "message": "Import was successful.",
            "response": summary,
        }
