"""Loading and validating the company registry file (``pipeline/data/companies.yaml``).

The registry is data an analyst edits by hand, so every problem is reported
with the file, the line of the entry and the company's slug, and problems that
span entries (an alias claimed by two companies) name both.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from chipwire.models.vocab import COMPANY_KINDS
from chipwire.pipeline.errors import RegistryError

SLUG_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
SYMBOL_RE = re.compile(r"^[A-Z0-9]{1,6}(\.[A-Z]{1,2})?$")

# libyaml's loader is ~10x faster on the 2,000-line registry; fall back where it is missing.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

CompanyKind = Literal[COMPANY_KINDS]  # type: ignore[valid-type]


def name_key(text: str) -> str:
    """Comparison key for names: Unicode-normalised, case-folded, single-spaced.

    Two aliases with the same key would be indistinguishable to a
    case-insensitive matcher, so the key is what must be unique.
    """
    text = unicodedata.normalize("NFKC", text).replace("\u2019", "'")
    return " ".join(text.casefold().split())


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)


class Exchange(_Strict):
    """A stock exchange: how yfinance spells its symbols and which calendar it trades on."""

    suffixes: list[str] = Field(description="yfinance symbol suffixes, '' for US listings.")
    calendar: str = Field(description="exchange_calendars code, e.g. XNAS.")
    currency: str = Field(pattern=r"^[A-Z]{3}$")


class ProductEntry(_Strict):
    name: str = Field(min_length=1)
    aliases: list[str] = Field(default_factory=list)

    @property
    def names(self) -> list[str]:
        return [self.name, *self.aliases]


class CompanyEntry(_Strict):
    slug: str
    name: str = Field(min_length=1)
    legal_name: str | None = None
    aliases: list[str] = Field(default_factory=list)
    case_sensitive: list[str] = Field(default_factory=list)
    symbol: str | None = None
    exchange: str | None = None
    kind: CompanyKind
    country: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")
    website: str | None = None
    description: str | None = None
    products: list[ProductEntry] = Field(default_factory=list)
    parent: str | None = Field(
        default=None,
        description="Slug of the company that bought this one: its names then stand for the "
        "parent, except where a text tells of the acquisition itself.",
    )

    @field_validator("slug")
    @classmethod
    def _slug(cls, value: str) -> str:
        if not SLUG_RE.match(value):
            raise ValueError(f"slug {value!r} must be lowercase letters, digits and hyphens")
        return value

    @field_validator("symbol")
    @classmethod
    def _symbol(cls, value: str | None) -> str | None:
        if value is not None and not SYMBOL_RE.match(value):
            raise ValueError(f"symbol {value!r} is not a yfinance symbol like NVDA or 0700.HK")
        return value

    @field_validator("products", mode="before")
    @classmethod
    def _products(cls, value: object) -> object:
        if isinstance(value, list):
            return [{"name": item} if isinstance(item, str) else item for item in value]
        return value

    @property
    def names(self) -> list[str]:
        """Canonical name first, then aliases: every surface form of the company."""
        return [self.name, *self.aliases]

    @property
    def symbol_suffix(self) -> str:
        if self.symbol is None or "." not in self.symbol:
            return ""
        return "." + self.symbol.split(".", 1)[1]


class RegistryFile(_Strict):
    version: Literal[1]
    exchanges: dict[str, Exchange]
    companies: list[CompanyEntry]


@dataclass(frozen=True)
class Registry:
    """A validated registry: companies in file order plus exchange definitions."""

    path: Path
    companies: tuple[CompanyEntry, ...]
    exchanges: dict[str, Exchange]

    def by_slug(self, slug: str) -> CompanyEntry:
        for company in self.companies:
            if company.slug == slug:
                return company
        raise KeyError(slug)


def _entry_lines(text: str) -> list[int]:
    """Line number of each company entry, for error messages."""
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError:
        return []
    if not isinstance(root, yaml.MappingNode):
        return []
    for key, value in root.value:
        if key.value == "companies" and isinstance(value, yaml.SequenceNode):
            return [item.start_mark.line + 1 for item in value.value]
    return []


def _where(path: Path, lines: list[int], index: int, slug: str | None) -> str:
    line = f":{lines[index]}" if index < len(lines) else ""
    who = f" ({slug})" if slug else ""
    return f"{path}{line}: company #{index + 1}{who}"


def parse_yaml_mapping(path: Path, text: str, expected: str) -> dict[str, Any]:
    """A hand-edited YAML file's top-level mapping, or a RegistryError naming the file, the
    line of a syntax error, or the keys ``expected`` at the top."""
    try:
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 - a safe loader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise RegistryError(f"{path}{line}: not valid YAML: {problem}") from exc
    if not isinstance(data, dict):
        raise RegistryError(f"{path}: expected a mapping with {expected}")
    return data


def load_registry(path: Path) -> Registry:
    """Parse and validate the registry file, or raise RegistryError naming the fault."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise RegistryError(f"{path}: registry file not found") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise RegistryError(f"{path}: cannot read registry file: {exc}") from exc
    data = parse_yaml_mapping(path, text, "'version' and 'companies'")
    lines = _entry_lines(text)
    try:
        parsed = RegistryFile.model_validate(data)
    except ValidationError as exc:
        raise RegistryError(_describe(path, data, lines, exc)) from exc
    _check_consistency(path, parsed, lines)
    return Registry(path=path, companies=tuple(parsed.companies), exchanges=parsed.exchanges)


def _describe(path: Path, data: dict, lines: list[int], exc: ValidationError) -> str:
    error = exc.errors()[0]
    loc = list(error["loc"])
    if len(loc) >= 2 and loc[0] == "companies" and isinstance(loc[1], int):
        index = loc[1]
        entries = data.get("companies") or []
        entry = entries[index] if index < len(entries) else {}
        slug = entry.get("slug") if isinstance(entry, dict) else None
        field = ".".join(str(part) for part in loc[2:]) or "entry"
        where = _where(path, lines, index, slug)
    else:
        field = ".".join(str(part) for part in loc) or "file"
        where = str(path)
    if error["type"] == "extra_forbidden":
        return f"{where}: unknown key '{field}'"
    return f"{where}: {field}: {error['msg']}"


def _check_consistency(path: Path, registry: RegistryFile, lines: list[int]) -> None:
    slugs: dict[str, int] = {}
    names: dict[str, tuple[str, str]] = {}  # key -> (slug, surface form)
    products: dict[str, tuple[str, str]] = {}
    for index, company in enumerate(registry.companies):
        where = _where(path, lines, index, company.slug)
        if company.slug in slugs:
            raise RegistryError(
                f"{where}: duplicate slug (first at company #{slugs[company.slug]})"
            )
        slugs[company.slug] = index + 1
        _check_listing(where, company, registry.exchanges)
        for surface in company.names:
            key = name_key(surface)
            if key in names:
                owner, first = names[key]
                if owner == company.slug:
                    raise RegistryError(f"{where}: alias {surface!r} repeats {first!r}")
                raise RegistryError(
                    f"{where}: alias {surface!r} is claimed by both '{owner}' and '{company.slug}'"
                )
            names[key] = (company.slug, surface)
        for surface in company.case_sensitive:
            if surface not in company.names:
                raise RegistryError(
                    f"{where}: case_sensitive entry {surface!r} is not its name or an alias"
                )
        for product in company.products:
            for surface in product.names:
                key = name_key(surface)
                if key in products:
                    owner, first = products[key]
                    raise RegistryError(
                        f"{where}: product {surface!r} is claimed by both '{owner}' "
                        f"and '{company.slug}'"
                    )
                products[key] = (company.slug, surface)
    _check_parents(path, registry, lines)
    for key, (slug, surface) in products.items():
        if key in names:
            raise RegistryError(
                f"{path}: product {surface!r} of '{slug}' is also a company name of "
                f"'{names[key][0]}'"
            )


def _check_listing(where: str, company: CompanyEntry, exchanges: dict[str, Exchange]) -> None:
    if (company.symbol is None) != (company.exchange is None):
        raise RegistryError(f"{where}: symbol and exchange must be given together")
    if company.exchange is None:
        return
    exchange = exchanges.get(company.exchange)
    if exchange is None:
        raise RegistryError(
            f"{where}: unknown exchange {company.exchange!r} "
            f"(known: {', '.join(sorted(exchanges))})"
        )
    if company.symbol_suffix not in exchange.suffixes:
        expected = " or ".join(repr(s) for s in exchange.suffixes)
        raise RegistryError(
            f"{where}: symbol {company.symbol!r} does not fit exchange {company.exchange} "
            f"(suffix {expected})"
        )


def _check_parents(path: Path, registry: RegistryFile, lines: list[int]) -> None:
    """A parent is another company of the file, and owns itself: one level of ownership,
    so folding a name into its parent is a single step that cannot loop."""
    parents = {company.slug: company.parent for company in registry.companies}
    for index, company in enumerate(registry.companies):
        if company.parent is None:
            continue
        where = _where(path, lines, index, company.slug)
        if company.parent == company.slug:
            raise RegistryError(f"{where}: parent is the company itself")
        if company.parent not in parents:
            raise RegistryError(f"{where}: parent {company.parent!r} is no company of the file")
        if parents[company.parent] is not None:
            raise RegistryError(
                f"{where}: parent {company.parent!r} has a parent of its own "
                f"({parents[company.parent]!r}); name the top company"
            )
