"""The home folder, its database URL and ``config.toml``."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import platformdirs
import pytest

from familydoc.core.config import (
    CONFIG_KEYS,
    ENV_DATABASE_URL,
    ENV_HOME,
    Config,
    Home,
    resolve_home,
)
from familydoc.core.errors import RuleViolation

# --- where the home is ------------------------------------------------------------------------


def test_home_argument_beats_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_HOME, str(tmp_path / "from-env"))
    assert resolve_home(tmp_path / "from-arg") == (tmp_path / "from-arg").resolve()
    assert resolve_home(str(tmp_path / "from-arg")) == (tmp_path / "from-arg").resolve()


def test_environment_beats_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_HOME, str(tmp_path / "from-env"))
    assert resolve_home(None) == (tmp_path / "from-env").resolve()


def test_default_is_the_platform_user_data_folder() -> None:
    assert ENV_HOME not in os.environ
    expected = Path(platformdirs.user_data_dir("familydoc", appauthor=False))
    assert resolve_home(None) == expected
    assert resolve_home("") == expected


def test_home_paths(tmp_path: Path) -> None:
    home = Home(tmp_path / "h")
    assert home.database_file == tmp_path / "h" / "familydoc.sqlite3"
    assert home.config_file == tmp_path / "h" / "config.toml"
    assert home.backups_dir == tmp_path / "h" / "backups"
    assert home.logs_dir == tmp_path / "h" / "logs"
    home.ensure()
    assert home.backups_dir.is_dir() and home.logs_dir.is_dir()
    if os.name == "posix":
        assert stat.S_IMODE(home.path.stat().st_mode) == 0o700


# --- which database -------------------------------------------------------------------------


def test_database_url_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "h"
    home_file = f"sqlite:///{(path / 'familydoc.sqlite3').as_posix()}"
    configured = f"sqlite:///{(tmp_path / 'configured.sqlite3').as_posix()}"
    from_env = f"sqlite:///{(tmp_path / 'env.sqlite3').as_posix()}"
    override = f"sqlite:///{(tmp_path / 'override.sqlite3').as_posix()}"

    assert Home(path).database_url == home_file  # no config file at all
    Home(path).config().set("ui.lang", "en")
    assert Home(path).database_url == home_file  # a config file without database.url

    Home(path).config().set("database.url", configured)
    assert Home(path).database_url == configured

    monkeypatch.setenv(ENV_DATABASE_URL, from_env)
    assert Home(path).database_url == from_env

    assert Home(path, database_url_override=override).database_url == override


# --- config.toml ------------------------------------------------------------------------------


@pytest.fixture
def config_path(tmp_path: Path) -> Path:
    return tmp_path / "home" / "config.toml"


def test_defaults_without_a_file(config_path: Path) -> None:
    config = Config(config_path)
    assert config.get("ui.lang") == "zh_CN"
    assert config.get("ui.auto_lock_minutes") == 15
    assert config.get("upstream.protocol") == "fhir"
    assert config.get("upstream.url") == ""
    assert not config_path.exists()  # reading never writes


def test_set_and_get_round_trip_with_types(config_path: Path) -> None:
    config = Config(config_path)
    assert config.set("ui.auto_lock_minutes", "30") == 30
    assert config.set("upstream.protocol", "dhis2") == "dhis2"
    assert config.set("upstream.url", "  https://county.example/fhir  ") == (
        "https://county.example/fhir"
    )
    assert config.set("ui.lang", "en") == "en"

    reread = Config(config_path)
    assert reread.get("ui.auto_lock_minutes") == 30
    assert isinstance(reread.get("ui.auto_lock_minutes"), int)
    assert reread.get("upstream.protocol") == "dhis2"
    assert reread.get("upstream.url") == "https://county.example/fhir"
    assert reread.get("ui.lang") == "en"
    assert reread.get("upstream.token") == ""  # untouched keys keep their default


def test_every_declared_key_round_trips(config_path: Path) -> None:
    config = Config(config_path)
    for name, key in CONFIG_KEYS.items():
        value = key.choices[-1] if key.choices else (7 if key.kind is int else f"value-of-{name}")
        config.set(name, str(value))
    reread = Config(config_path)
    for name, key in CONFIG_KEYS.items():
        expected = (
            key.choices[-1] if key.choices else (7 if key.kind is int else f"value-of-{name}")
        )
        assert reread.get(name) == expected, name


@pytest.mark.parametrize("name", ["ui.colour", "upstream", "nosuch.key", ""])
def test_unknown_key_is_refused(config_path: Path, name: str) -> None:
    config = Config(config_path)
    with pytest.raises(RuleViolation, match="Unknown setting"):
        config.set(name, "x")
    with pytest.raises(RuleViolation, match="Unknown setting"):
        config.get(name)
    assert not config_path.exists()


def test_bad_choice_is_refused_and_nothing_written(config_path: Path) -> None:
    config = Config(config_path)
    config.set("upstream.protocol", "fhir")
    before = config_path.read_bytes()
    with pytest.raises(RuleViolation, match="must be one of"):
        config.set("upstream.protocol", "soap")
    with pytest.raises(RuleViolation):
        config.set("ui.lang", "fr")
    assert config_path.read_bytes() == before
    assert Config(config_path).get("upstream.protocol") == "fhir"


@pytest.mark.parametrize("raw", ["abc", "1.5", "", "ten"])
def test_int_setting_needs_a_whole_number(config_path: Path, raw: str) -> None:
    with pytest.raises(RuleViolation, match="whole number"):
        Config(config_path).set("ui.auto_lock_minutes", raw)


def test_int_setting_parses_and_refuses_negative(config_path: Path) -> None:
    config = Config(config_path)
    assert config.set("ui.auto_lock_minutes", " 45 ") == 45
    assert config.set("ui.auto_lock_minutes", 0) == 0
    with pytest.raises(RuleViolation, match="negative"):
        config.set("ui.auto_lock_minutes", "-5")
    assert Config(config_path).get("ui.auto_lock_minutes") == 0


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_file_is_owner_only_after_save(config_path: Path) -> None:
    config_path.parent.mkdir(parents=True)
    config_path.write_text("", encoding="utf-8")
    os.chmod(config_path, 0o644)  # an older file made with the default mode
    Config(config_path).set("upstream.token", "s3cret-token")
    assert stat.S_IMODE(config_path.stat().st_mode) == 0o600
    assert not config_path.with_suffix(".toml.tmp").exists()


def test_secret_is_hidden_in_display(config_path: Path) -> None:
    config = Config(config_path)
    config.set("upstream.token", "s3cret-token")
    assert config.display_value("upstream.token") == "********"
    assert config.get("upstream.token") == "s3cret-token"
    assert config.display_value("upstream.url") == ""


def test_damaged_file_gives_rule_violation(config_path: Path) -> None:
    config_path.parent.mkdir(parents=True)
    config_path.write_text("[ui\nlang = 'en'\n", encoding="utf-8")
    with pytest.raises(RuleViolation, match="damaged"):
        Config(config_path)
