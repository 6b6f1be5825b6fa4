"""Settings: the one place that reads the environment and ``chipwire.toml``.

Every other module receives a :class:`Settings` instance instead of looking at
``os.environ`` itself, so a test (or a scheduler running several stores) can
build settings explicitly and nothing leaks in from the process environment.

Precedence, highest first: ``CHIPWIRE_*`` environment variables, the TOML file,
the defaults below.  The TOML file is the one passed with ``--config``, else
the one named by ``CHIPWIRE_CONFIG``, else ``./chipwire.toml`` if present.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import tomllib
from contextvars import ContextVar
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from chipwire.pipeline.errors import ConfigError

PACKAGE_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_REGISTRY = PACKAGE_ROOT / "pipeline" / "data" / "companies.yaml"
DEFAULT_SOURCES = PACKAGE_ROOT / "spiders" / "sources"
DEFAULT_CONFIG_NAME = "chipwire.toml"
DATABASE_FILE = "chipwire.db"

# Which TOML file the settings being built should read; a context variable
# rather than a class attribute so concurrent loads cannot see each other's file.
_config_file: ContextVar[Path | None] = ContextVar("chipwire_config_file", default=None)

_PATH_KEYS = ("data_dir", "registry_path", "sources_path", "prices_csv")


class _TomlSource(PydanticBaseSettingsSource):
    """Reads the TOML file; relative paths in it are relative to the file, not the cwd."""

    def __init__(self, settings_cls: type[BaseSettings], path: Path | None) -> None:
        super().__init__(settings_cls)
        self.path = path

    def get_field_value(self, field: Any, field_name: str) -> tuple[Any, str, bool]:
        raise NotImplementedError  # __call__ returns everything at once

    def __call__(self) -> dict[str, Any]:
        if self.path is None:
            return {}
        try:
            data = tomllib.loads(self.path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise ConfigError(f"{self.path}: cannot read config file ({exc.strerror})") from exc
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{self.path}: not valid TOML ({exc})") from exc
        known = set(self.settings_cls.model_fields)
        for key in data:
            if key not in known:
                raise ConfigError(
                    f"{self.path}: unknown setting '{key}' (known: {', '.join(sorted(known))})"
                )
        for key in _PATH_KEYS:
            if isinstance(data.get(key), str):
                value = Path(data[key]).expanduser()
                if not value.is_absolute():
                    value = self.path.parent / value
                data[key] = str(value)
        return data


def _known_zone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {value!r}") from exc
    return value


_DURATION = re.compile(r"(\d+)\s*([smhdw])")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def parse_duration(text: str) -> dt.timedelta:
    """'90m', '2h', '1h30m', '3d': the spellings an operator writes in a schedule."""
    compact = text.replace(" ", "").lower()
    parts = _DURATION.findall(compact)
    if not parts or "".join(n + u for n, u in parts) != compact:
        raise ValueError(f"not a duration: {text!r} (write e.g. '30m', '2h', '1h30m', '3d')")
    seconds = sum(int(number) * _UNIT_SECONDS[unit] for number, unit in parts)
    if seconds <= 0:
        raise ValueError(f"duration must be positive: {text!r}")
    return dt.timedelta(seconds=seconds)


class JobSchedule(BaseModel):
    """When one scheduled job fires: ``every`` (an interval) or ``cron`` (five crontab fields)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    every: str | None = Field(default=None, description="Interval, e.g. '2h' or '90m'.")
    cron: str | None = Field(
        default=None, description="Crontab 'minute hour day month weekday', e.g. '0 7 * * mon'."
    )
    timezone: str | None = Field(
        default=None, description="IANA zone the cron fields are read in; default: `timezone`."
    )
    misfire_grace: str = Field(
        default="1h",
        description="How late a missed run may still start (after downtime it runs once).",
    )
    enabled: bool = Field(default=True, description="false: the scheduler leaves this job out.")

    @field_validator("every", "misfire_grace")
    @classmethod
    def _duration(cls, value: str | None) -> str | None:
        if value is not None:
            parse_duration(value)
        return value

    @field_validator("cron")
    @classmethod
    def _five_fields(cls, value: str | None) -> str | None:
        if value is not None and len(value.split()) != 5:
            raise ValueError(f"cron needs five fields (minute hour day month weekday): {value!r}")
        return value

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str | None) -> str | None:
        return value if value is None else _known_zone(value)

    @model_validator(mode="after")
    def _one_trigger(self) -> JobSchedule:
        if (self.every is None) == (self.cron is None):
            raise ValueError("give exactly one of 'every' or 'cron'")
        return self


class Schedule(BaseModel):
    """The scheduler's jobs.  Extraction runs right after each crawl, so it has no trigger."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    crawl: JobSchedule = Field(
        default=JobSchedule(every="2h", misfire_grace="2h"),
        description="Crawl every enabled source, then extract what is new.",
    )
    market: JobSchedule = Field(
        # half an hour after the New York close, when the day's bars are final
        default=JobSchedule(
            cron="30 16 * * mon-fri", timezone="America/New_York", misfire_grace="12h"
        ),
        description="Refresh prices and re-run the event studies.",
    )
    brief: JobSchedule = Field(
        # Monday morning, local: last week's briefing; a late start still publishes it
        default=JobSchedule(cron="0 7 * * mon", misfire_grace="3d"),
        description="Render last week's briefing.",
    )


class Settings(BaseSettings):
    """Effective configuration of one chipwire installation."""

    model_config = SettingsConfigDict(
        env_prefix="CHIPWIRE_",
        extra="forbid",
        validate_default=True,
    )

    data_dir: Path = Field(
        default=Path("data"),
        description="Directory for the default SQLite store, caches and exports.",
    )
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL of the store; default: SQLite file in data_dir.",
    )
    timezone: str = Field(
        default="UTC", description="IANA time zone used for schedules and briefing dates."
    )
    registry_path: Path = Field(
        default=DEFAULT_REGISTRY, description="YAML file with the company registry."
    )
    sources_path: Path = Field(
        default=DEFAULT_SOURCES, description="Directory of declarative source files."
    )
    debug: bool = Field(default=False, description="Show tracebacks on errors.")
    crawl_contact: str = Field(
        default="",
        description="Contact (URL or e-mail) for the crawler's User-Agent, so sites can reach us.",
    )
    keep_raw_html: bool = Field(
        default=False, description="Store fetched HTML in article.raw_html."
    )
    http_cache: bool = Field(
        default=False, description="Cache HTTP responses under data_dir (for developing spiders)."
    )
    min_words: int = Field(default=80, ge=1, description="Shorter article bodies are dropped.")
    languages: list[str] = Field(
        default=["en"], description="Languages kept by the crawl (ISO 639-1 codes)."
    )
    benchmark: str = Field(
        default="SMH",
        description="Symbol whose returns the event studies and excess returns are measured "
        "against (a semiconductor ETF by default).",
    )
    market_index: str = Field(
        default="^GSPC", description="Broad-market symbol fetched alongside, for context."
    )
    history_days: int = Field(
        default=730, ge=30, description="How far back a symbol's first price refresh reaches."
    )
    prices_csv: Path | None = Field(
        default=None,
        description="Read daily prices from this CSV file instead of Yahoo Finance "
        "(offline installations; format in pipeline/market/csvfile.py).",
    )
    spacy_model: str | None = Field(
        default=None,
        description="Optional installed spaCy pipeline (package name or directory) whose ORG "
        "entities add unknown-organisation candidates; extraction is rule-based without it.",
    )

    schedule: Schedule = Field(
        default=Schedule(), description="When `chipwire schedule run` fires each job."
    )
    crawl_timeout: int = Field(
        default=3600,
        ge=10,
        description="Seconds a scheduled crawl may take before its process is stopped.",
    )
    silent_after_days: int = Field(
        default=7,
        ge=1,
        description="`chipwire status` flags an enabled source with no new article for this long.",
    )

    # -- scale-out: a team store and Celery workers (docs/scaling.md) -------------------
    broker_url: str | None = Field(
        default=None,
        description="Celery broker (redis://... or amqp://...).  Set, the scheduler only "
        "enqueues and `chipwire worker` processes do the work; unset, all runs in-process.",
    )
    extract_batch: int = Field(
        default=50,
        ge=1,
        le=10_000,
        description="Articles one extraction task claims.  Smaller batches share a round "
        "more evenly between workers (the last batch runs alone); claiming one costs a "
        "few per cent of its time at 50 (bench/scaleout.py).",
    )
    market_batch: int = Field(
        default=10, ge=1, le=1000, description="Symbols one market-refresh task fetches."
    )
    task_visibility_timeout: int = Field(
        default=3600,
        ge=10,
        description="Seconds before a task (or an extraction claim) of a worker that vanished "
        "is handed to another; longer than any task may take.",
    )
    db_pool_size: int = Field(
        default=5, ge=1, le=100, description="Connections kept open per process (PostgreSQL)."
    )
    db_max_overflow: int = Field(
        default=5, ge=0, le=100, description="Extra connections a busy process may open."
    )
    db_pool_timeout: int = Field(
        default=30, ge=1, description="Seconds to wait for a free pooled connection."
    )
    db_pool_recycle: int = Field(
        default=1800,
        ge=60,
        description="Seconds after which a pooled connection is replaced (outlives idle "
        "timeouts of proxies such as PgBouncer).",
    )

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings, env_settings, _TomlSource(settings_cls, _config_file.get()))

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        return _known_zone(value)

    @field_validator("database_url")
    @classmethod
    def _parseable_url(cls, value: str | None) -> str | None:
        if value is None or value == "":
            return None
        try:
            make_url(value)
        except ArgumentError as exc:
            raise ValueError(f"not a database URL: {value!r}") from exc
        return value

    @model_validator(mode="after")
    def _default_database(self) -> Settings:
        # Absolute paths, so a job that changes directory still finds its store.
        self.data_dir = self.data_dir.expanduser().resolve()
        if self.database_url is None:
            self.database_url = f"sqlite:///{self.data_dir / DATABASE_FILE}"
        return self

    @property
    def url(self) -> str:
        """The database URL, always set after validation."""
        assert self.database_url is not None  # noqa: S101 - guaranteed by _default_database
        return self.database_url

    def masked(self) -> dict[str, str]:
        """Settings as strings, passwords replaced, for display and logs."""
        shown: dict[str, str] = {}
        for name in type(self).model_fields:
            value = getattr(self, name)
            secret = name in ("database_url", "broker_url") and value is not None
            shown[name] = mask_url(value) if secret else str(value)
        return shown


def settings_env(settings: Settings) -> dict[str, str]:
    """``CHIPWIRE_*`` variables that make a child process load exactly these settings.

    The environment outranks the TOML file, so a child crawl sees what its parent saw,
    including settings built in code (tests, the demo) rather than read from a file.
    """
    env: dict[str, str] = {}
    for name, value in settings.model_dump(mode="json").items():
        if value is None:
            continue
        text = value if isinstance(value, str) else json.dumps(value)
        env[f"CHIPWIRE_{name.upper()}"] = text
    return env


def mask_url(url: str) -> str:
    """The URL with its password replaced by ***, safe to print in errors."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<unparseable URL>"


def find_config_file(explicit: Path | None = None) -> Path | None:
    """The TOML file to read: explicit, then $CHIPWIRE_CONFIG, then ./chipwire.toml."""
    if explicit is not None:
        if not explicit.is_file():
            raise ConfigError(f"{explicit}: config file not found")
        return explicit.resolve()
    named = os.environ.get("CHIPWIRE_CONFIG")
    if named:
        path = Path(named)
        if not path.is_file():
            raise ConfigError(f"{path}: config file named by CHIPWIRE_CONFIG not found")
        return path.resolve()
    local = Path(DEFAULT_CONFIG_NAME)
    return local.resolve() if local.is_file() else None


def load_settings(config_file: Path | None = None, **overrides: Any) -> Settings:
    """Build settings from defaults, the TOML file, the environment and overrides.

    Validation problems become one ConfigError that names the setting and where
    it came from, because a pydantic error dump is unreadable on a command line.
    """
    path = find_config_file(config_file)
    token = _config_file.set(path)
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        first = exc.errors()[0]
        key = ".".join(str(part) for part in first["loc"]) or "settings"
        origin = f"{path}" if path else "environment"
        if first["type"] == "extra_forbidden":
            raise ConfigError(f"{origin}: unknown setting '{key}'") from exc
        env = f"CHIPWIRE_{key.upper()}"
        raise ConfigError(
            f"invalid setting '{key}' (from {origin} or ${env}): {first['msg']}"
        ) from exc
    finally:
        _config_file.reset(token)
