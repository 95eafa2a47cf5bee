"""The home folder and ``config.toml``.

The home holds ``familydoc.sqlite3``, ``config.toml``, ``backups/`` and ``logs/``.
Configuration keys are declared here with their type and default, so that a
typo in ``familydoc config set`` is refused instead of silently stored.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import platformdirs
import tomli_w

from familydoc.core.errors import QT_TRANSLATE_NOOP, RuleViolation

APP_NAME = "familydoc"
DATABASE_FILE = "familydoc.sqlite3"
CONFIG_FILE = "config.toml"
ENV_HOME = "FAMILYDOC_HOME"
ENV_DATABASE_URL = "FAMILYDOC_DATABASE_URL"


@dataclass(frozen=True)
class ConfigKey:
    name: str
    kind: type
    default: Any
    secret: bool = False
    choices: tuple[str, ...] = ()


CONFIG_KEYS: dict[str, ConfigKey] = {
    key.name: key
    for key in (
        ConfigKey("ui.lang", str, "zh_CN", choices=("zh_CN", "en")),
        ConfigKey("ui.auto_lock_minutes", int, 15),
        ConfigKey("database.url", str, ""),
        ConfigKey("upstream.url", str, ""),
        ConfigKey("upstream.protocol", str, "fhir", choices=("fhir", "dhis2")),
        ConfigKey("upstream.token", str, "", secret=True),
        ConfigKey("upstream.measure", str, ""),
        ConfigKey("upstream.mapping", str, ""),
        ConfigKey("upstream.ca_bundle", str, ""),
        # Seconds to wait for the county server (connect, and each read), and how many
        # times a failed try is repeated within one sync run (backoff between tries).
        ConfigKey("upstream.timeout", int, 30),
        ConfigKey("upstream.retries", int, 4),
        ConfigKey("backup.second_folder", str, ""),
        ConfigKey("printing.font", str, ""),
        ConfigKey("printing.template", str, ""),
    )
}


def default_home() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def resolve_home(cli_value: str | os.PathLike[str] | None = None) -> Path:
    """``--home`` beats ``FAMILYDOC_HOME`` beats the platform's user data folder."""
    if cli_value:
        return Path(cli_value).expanduser().resolve()
    env = os.environ.get(ENV_HOME)
    if env:
        return Path(env).expanduser().resolve()
    return default_home()


class Config:
    """``config.toml`` of one home, read on creation and written on every change."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._data: dict[str, Any] = {}
        if path.exists():
            try:
                self._data = tomllib.loads(path.read_text(encoding="utf-8"))
            except tomllib.TOMLDecodeError as exc:
                raise RuleViolation(
                    QT_TRANSLATE_NOOP("Errors", "The settings file {path} is damaged: {reason}"),
                    path=str(path),
                    reason=str(exc),
                ) from exc

    @staticmethod
    def key(name: str) -> ConfigKey:
        try:
            return CONFIG_KEYS[name]
        except KeyError:
            raise RuleViolation(
                QT_TRANSLATE_NOOP("Errors", "Unknown setting {name}. Known settings: {known}"),
                name=name,
                known=", ".join(CONFIG_KEYS),
            ) from None

    def get(self, name: str) -> Any:
        key = self.key(name)
        section, _, leaf = name.partition(".")
        value = self._data.get(section, {}).get(leaf)
        return key.default if value is None else value

    def set(self, name: str, raw: str | int) -> Any:
        key = self.key(name)
        value: Any = raw
        if key.kind is int:
            try:
                value = int(raw)
            except ValueError:
                raise RuleViolation(
                    QT_TRANSLATE_NOOP("Errors", "The setting {name} needs a whole number."),
                    name=name,
                ) from None
            if value < 0:
                raise RuleViolation(
                    QT_TRANSLATE_NOOP("Errors", "The setting {name} cannot be negative."),
                    name=name,
                )
        else:
            value = str(raw).strip()
        if key.choices and value not in key.choices:
            raise RuleViolation(
                QT_TRANSLATE_NOOP("Errors", "The setting {name} must be one of: {choices}"),
                name=name,
                choices=", ".join(key.choices),
            )
        section, _, leaf = name.partition(".")
        self._data.setdefault(section, {})[leaf] = value
        self.save()
        return value

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".toml.tmp")
        # Owner-only from the first byte: the file may hold the upstream token.
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as handle:
            tomli_w.dump(self._data, handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, self.path)
        os.chmod(self.path, 0o600)

    def display_value(self, name: str) -> str:
        value = self.get(name)
        if self.key(name).secret and value:
            return "********"
        return str(value)


@dataclass(frozen=True)
class Home:
    """Where one installation keeps its data."""

    path: Path
    database_url_override: str | None = None

    @property
    def database_file(self) -> Path:
        return self.path / DATABASE_FILE

    @property
    def config_file(self) -> Path:
        return self.path / CONFIG_FILE

    @property
    def backups_dir(self) -> Path:
        return self.path / "backups"

    @property
    def logs_dir(self) -> Path:
        return self.path / "logs"

    def config(self) -> Config:
        return Config(self.config_file)

    @property
    def database_url(self) -> str:
        """``--database-url`` beats ``FAMILYDOC_DATABASE_URL`` beats config beats the home file."""
        if self.database_url_override:
            return self.database_url_override
        env = os.environ.get(ENV_DATABASE_URL)
        if env:
            return env
        configured = self.config().get("database.url") if self.config_file.exists() else ""
        if configured:
            return configured
        return f"sqlite:///{self.database_file.as_posix()}"

    def ensure(self) -> None:
        for folder in (self.path, self.backups_dir, self.logs_dir):
            folder.mkdir(parents=True, exist_ok=True)
        if os.name == "posix":
            os.chmod(self.path, 0o700)
