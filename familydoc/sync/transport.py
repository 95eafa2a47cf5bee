"""HTTP to the county server: httpx with timeouts, verified TLS, and retries that can help.

A retry can fix a timeout, a dropped connection, 408, 429 and 5xx; it cannot fix 400, 401,
403, 404 or 422, so those come back at once for the protocol to judge. Between tries the
wait is ``random(0, min(cap, base·2^n))`` ("full jitter"), or what ``Retry-After`` asks.
The sleep is injected so tests (and a closing window) need not wait for real.
"""

from __future__ import annotations

import email.utils
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from familydoc import __version__
from familydoc.sync.report import TLS, UNREACHABLE, WAIT
from familydoc.sync.settings import UpstreamSettings

RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
SERVER_WORDS_LIMIT = 2000


@dataclass(frozen=True)
class RetryPolicy:
    retries: int = 4  # tries after the first
    base: float = 1.0  # seconds
    cap: float = 60.0
    max_retry_after: float = 300.0  # a longer Retry-After ends the run (the report waits)

    def backoff(self, attempt: int, draw: Callable[[], float] = random.random) -> float:
        return draw() * min(self.cap, self.base * 2**attempt)


@dataclass(frozen=True)
class HttpRequest:
    method: str
    url: str
    params: dict[str, str] = field(default_factory=dict)
    body: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class HttpAnswer:
    status: int
    body: bytes
    headers: dict[str, str]  # lower-case names

    def text(self, limit: int = SERVER_WORDS_LIMIT) -> str:
        return self.body.decode("utf-8", errors="replace").strip()[:limit]


@dataclass(frozen=True)
class Delivery:
    """A final answer (``problem`` None), or why none came after the retries."""

    answer: HttpAnswer | None
    tries: int
    problem: str | None = None
    detail: str = ""

    @property
    def http_status(self) -> int | None:
        return self.answer.status if self.answer is not None else None


def retry_after_seconds(value: str | None, now: float | None = None) -> float | None:
    """``Retry-After`` as seconds: delta-seconds or an HTTP date; None when absent or bad."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if moment is None:
        return None
    return max(0.0, moment.timestamp() - (time.time() if now is None else now))


def _certificate_problem(exc: BaseException) -> bool:
    text = f"{exc} {exc.__cause__ or ''} {exc.__context__ or ''}"
    return "CERTIFICATE_VERIFY_FAILED" in text or "certificate verify failed" in text


class Transport:
    """One httpx client for one sync run; ``send`` retries what a retry can fix."""

    def __init__(
        self,
        settings: UpstreamSettings,
        *,
        policy: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
        draw: Callable[[], float] = random.random,
        stop: threading.Event | None = None,
    ) -> None:
        self.policy = policy or RetryPolicy(retries=max(0, settings.retries))
        self._sleep = sleep
        self._draw = draw
        self._stop = stop
        verify: Any = True
        if settings.ca_bundle:
            verify = str(Path(settings.ca_bundle).expanduser())
        timeout = httpx.Timeout(settings.timeout, connect=settings.timeout)
        self._client = httpx.Client(
            timeout=timeout,
            verify=verify,
            follow_redirects=False,
            headers={"User-Agent": f"familydoc/{__version__}"},
        )

    def __enter__(self) -> Transport:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def _stopped(self) -> bool:
        return self._stop is not None and self._stop.is_set()

    def send(self, request: HttpRequest) -> Delivery:
        last_answer: HttpAnswer | None = None
        detail = ""
        problem = UNREACHABLE
        tries = 0
        for attempt in range(self.policy.retries + 1):
            if self._stopped():
                break
            tries += 1
            retry_after: float | None = None
            try:
                response = self._client.request(
                    request.method,
                    request.url,
                    params=request.params or None,
                    content=request.body,
                    headers=request.headers,
                )
            except httpx.TimeoutException as exc:
                last_answer, problem = None, UNREACHABLE
                detail = f"timeout: {exc.__class__.__name__} {exc}".strip()
            except httpx.TransportError as exc:
                if _certificate_problem(exc):
                    return Delivery(None, tries, TLS, str(exc))
                last_answer, problem = None, UNREACHABLE
                detail = f"{exc.__class__.__name__}: {exc}"
            else:
                answer = HttpAnswer(
                    response.status_code,
                    response.content,
                    {name.lower(): value for name, value in response.headers.items()},
                )
                if answer.status not in RETRY_STATUSES:
                    return Delivery(answer, tries)
                last_answer = answer
                retry_after = retry_after_seconds(answer.headers.get("retry-after"))
                problem = WAIT if retry_after is not None else UNREACHABLE
                detail = f"HTTP {answer.status} {answer.text(500)}".strip()
            if attempt == self.policy.retries:
                break
            if retry_after is not None and retry_after > self.policy.max_retry_after:
                return Delivery(last_answer, tries, WAIT, detail)
            wait = (
                retry_after if retry_after is not None else self.policy.backoff(attempt, self._draw)
            )
            self._sleep(wait)
        return Delivery(last_answer, tries, problem, detail)
