"""Settings: defaults, environment, chipwire.toml, and one-line errors for bad values."""

from __future__ import annotations

from pathlib import Path

import pytest

from chipwire.pipeline.config import DEFAULT_REGISTRY, load_settings
from chipwire.pipeline.errors import ConfigError
from tests.conftest import write


def test_default_store_is_sqlite_under_the_data_dir(isolated_env: Path) -> None:
    settings = load_settings()
    assert settings.database_url == f"sqlite:///{isolated_env / 'data' / 'chipwire.db'}"
    assert settings.registry_path == DEFAULT_REGISTRY
    assert settings.timezone == "UTC"


def test_environment_overrides_defaults(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CHIPWIRE_DATA_DIR", str(tmp_path / "elsewhere"))
    monkeypatch.setenv("CHIPWIRE_TIMEZONE", "Europe/Berlin")
    settings = load_settings()
    assert settings.database_url == f"sqlite:///{tmp_path / 'elsewhere' / 'chipwire.db'}"
    assert settings.timezone == "Europe/Berlin"


def test_toml_file_is_read_and_environment_wins(
    isolated_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(isolated_env / "chipwire.toml", 'data_dir = "store"\ntimezone = "Asia/Taipei"\n')
    assert load_settings().timezone == "Asia/Taipei"
    assert load_settings().data_dir == isolated_env / "store"
    monkeypatch.setenv("CHIPWIRE_TIMEZONE", "America/New_York")
    assert load_settings().timezone == "America/New_York"


def test_relative_paths_in_toml_are_relative_to_the_file(tmp_path: Path) -> None:
    config = write(tmp_path / "conf" / "team.toml", 'registry_path = "companies.yaml"\n')
    assert load_settings(config).registry_path == tmp_path / "conf" / "companies.yaml"


def test_config_named_by_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    config = write(tmp_path / "x.toml", 'timezone = "Asia/Seoul"\n')
    monkeypatch.setenv("CHIPWIRE_CONFIG", str(config))
    assert load_settings().timezone == "Asia/Seoul"


def test_unknown_key_names_file_and_key(isolated_env: Path) -> None:
    write(isolated_env / "chipwire.toml", 'databse_url = "sqlite://"\n')
    with pytest.raises(ConfigError, match=r"chipwire\.toml: unknown setting 'databse_url'"):
        load_settings()


@pytest.mark.parametrize(
    ("env", "value", "message"),
    [
        ("CHIPWIRE_TIMEZONE", "Mars/Olympus", "invalid setting 'timezone'.*unknown time zone"),
        (
            "CHIPWIRE_DATABASE_URL",
            "not a url",
            "invalid setting 'database_url'.*not a database URL",
        ),
    ],
)
def test_bad_values_are_one_line_errors(
    monkeypatch: pytest.MonkeyPatch, env: str, value: str, message: str
) -> None:
    monkeypatch.setenv(env, value)
    with pytest.raises(ConfigError, match=message) as error:
        load_settings()
    assert "\n" not in str(error.value)


def test_invalid_toml_and_missing_explicit_file(isolated_env: Path) -> None:
    write(isolated_env / "chipwire.toml", "timezone = \n")
    with pytest.raises(ConfigError, match=r"chipwire\.toml: not valid TOML"):
        load_settings()
    with pytest.raises(ConfigError, match=r"missing\.toml: config file not found"):
        load_settings(isolated_env / "missing.toml")


def test_masked_settings_hide_the_password() -> None:
    settings = load_settings(database_url="postgresql+psycopg://analyst:s3cret@db.example:5432/cw")
    shown = settings.masked()
    assert "s3cret" not in shown["database_url"]
    assert shown["database_url"] == "postgresql+psycopg://analyst:***@db.example:5432/cw"
