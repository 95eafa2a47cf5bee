"""The upstream settings of ``config.toml``, read once per sync run and checked before use."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from familydoc.core.config import Config
from familydoc.core.errors import QT_TRANSLATE_NOOP, RuleViolation

PROTOCOLS = ("fhir", "dhis2")
_LOOPBACK_NAMES = {"localhost"}


@dataclass(frozen=True)
class UpstreamSettings:
    """Where and how to report; ``timeout`` (seconds) bounds connecting and each read."""

    url: str
    protocol: str
    token: str = ""
    measure: str = ""
    mapping: str = ""
    ca_bundle: str = ""
    timeout: float = 30.0
    retries: int = 4

    @classmethod
    def from_config(cls, config: Config) -> UpstreamSettings:
        return cls(
            url=str(config.get("upstream.url")).strip(),
            protocol=str(config.get("upstream.protocol")),
            token=str(config.get("upstream.token")),
            measure=str(config.get("upstream.measure")).strip(),
            mapping=str(config.get("upstream.mapping")).strip(),
            ca_bundle=str(config.get("upstream.ca_bundle")).strip(),
            timeout=float(config.get("upstream.timeout")),
            retries=int(config.get("upstream.retries")),
        )

    @property
    def base_url(self) -> str:
        return self.url.rstrip("/")

    def check(self) -> None:
        """Refuse settings that cannot work, before anything is queued or sent."""
        if not self.url:
            raise RuleViolation(
                QT_TRANSLATE_NOOP(
                    "Errors",
                    "No county server is set up: set upstream.url (Settings, or"
                    " familydoc config set upstream.url URL).",
                )
            )
        parts = urlsplit(self.url)
        if parts.scheme not in ("https", "http") or not parts.hostname:
            raise RuleViolation(
                QT_TRANSLATE_NOOP(
                    "Errors", "The county server address {url} is not a web address (https://…)."
                ),
                url=self.url,
            )
        if parts.scheme == "http" and not _is_loopback(parts.hostname):
            # The token and the figures would cross the network readable by anyone on the way.
            raise RuleViolation(
                QT_TRANSLATE_NOOP(
                    "Errors",
                    "The county server address must start with https:// (an unencrypted"
                    " connection is allowed only to this computer).",
                )
            )
        if self.protocol not in PROTOCOLS:
            raise RuleViolation(
                QT_TRANSLATE_NOOP("Errors", "The setting {name} must be one of: {choices}"),
                name="upstream.protocol",
                choices=", ".join(PROTOCOLS),
            )
        if self.protocol == "fhir" and not self.measure:
            raise RuleViolation(
                QT_TRANSLATE_NOOP(
                    "Errors",
                    "FHIR reporting needs the county's measure address: set upstream.measure.",
                )
            )
        if self.protocol == "dhis2" and not self.mapping:
            raise RuleViolation(
                QT_TRANSLATE_NOOP(
                    "Errors",
                    "DHIS2 reporting needs the mapping file the county gives: set"
                    " upstream.mapping.",
                )
            )
        if self.ca_bundle and not Path(self.ca_bundle).expanduser().is_file():
            raise RuleViolation(
                QT_TRANSLATE_NOOP("Errors", "The CA bundle file {path} does not exist."),
                path=self.ca_bundle,
            )


def _is_loopback(host: str) -> bool:
    if host.lower() in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
