"""The shipped registry is valid, and malformed registries fail with a precise message."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from chipwire.pipeline.config import DEFAULT_REGISTRY
from chipwire.pipeline.errors import RegistryError
from chipwire.pipeline.registry import SYMBOL_RE, load_registry, name_key
from tests.conftest import write

HEADER = """version: 1
exchanges:
  NASDAQ: {suffixes: [""], calendar: XNAS, currency: USD}
  KRX: {suffixes: [.KS], calendar: XKRX, currency: KRW}
companies:
"""


def registry_text(*entries: str) -> str:
    return HEADER + "".join(entries)


GROQ = """  - slug: groq
    name: Groq
    aliases: [Groq Inc]
    kind: chip_designer
    products: [{name: LPU, aliases: [Language Processing Unit]}]
"""
NVIDIA = """  - slug: nvidia
    name: Nvidia
    aliases: [NVIDIA Corporation]
    symbol: NVDA
    exchange: NASDAQ
    kind: chip_designer
    products: [Blackwell]
"""


@pytest.fixture(scope="module")
def shipped():
    return load_registry(DEFAULT_REGISTRY)


def test_shipped_registry_covers_the_market(shipped) -> None:
    kinds = Counter(company.kind for company in shipped.companies)
    assert len(shipped.companies) >= 60
    for kind in ("chip_designer", "hyperscaler", "model_lab", "inference_provider", "foundry"):
        assert kinds[kind] >= 3, kind
    names = {company.name for company in shipped.companies}
    for must in ("Nvidia", "AMD", "Groq", "Cerebras", "SambaNova", "d-Matrix", "Etched", "Taalas"):
        assert must in names


def test_shipped_slugs_names_and_aliases_are_unique(shipped) -> None:
    slugs = [company.slug for company in shipped.companies]
    assert len(slugs) == len(set(slugs))
    keys = [name_key(surface) for company in shipped.companies for surface in company.names]
    duplicates = [key for key, count in Counter(keys).items() if count > 1]
    assert duplicates == []


def test_shipped_symbols_are_well_formed_and_fit_their_exchange(shipped) -> None:
    for company in shipped.companies:
        if company.symbol is None:
            assert company.exchange is None, company.slug
            continue
        assert SYMBOL_RE.match(company.symbol), company.slug
        assert company.symbol_suffix in shipped.exchanges[company.exchange].suffixes


def test_shipped_products_map_to_their_makers(shipped) -> None:
    owner = {
        name_key(surface): company.name
        for company in shipped.companies
        for product in company.products
        for surface in product.names
    }
    expected = {
        "TPU": "Google",
        "LPU": "Groq",
        "Trainium": "Amazon",
        "Inferentia": "Amazon",
        "Maia": "Microsoft",
        "MTIA": "Meta",
        "WSE": "Cerebras",
        "Blackwell": "Nvidia",
        "Rubin": "Nvidia",
    }
    for product, company in expected.items():
        assert owner.get(name_key(product)) == company, product
    company_keys = {name_key(s) for c in shipped.companies for s in c.names}
    assert not company_keys & set(owner)


def test_groq_and_grok_belong_to_different_companies(shipped) -> None:
    owner = {
        name_key(surface): company.slug
        for company in shipped.companies
        for surface in [*company.names, *(s for p in company.products for s in p.names)]
    }
    assert owner["groq"] == "groq"
    assert owner["grok"] == "xai"


def test_valid_minimal_registry_loads(tmp_path: Path) -> None:
    registry = load_registry(write(tmp_path / "r.yaml", registry_text(GROQ, NVIDIA)))
    assert [c.slug for c in registry.companies] == ["groq", "nvidia"]
    assert registry.by_slug("groq").products[0].names == ["LPU", "Language Processing Unit"]
    assert registry.by_slug("nvidia").products[0].name == "Blackwell"


def test_alias_claimed_by_two_companies_names_both(tmp_path: Path) -> None:
    clash = NVIDIA.replace("[NVIDIA Corporation]", "[NVIDIA Corporation, groq inc]")
    path = write(tmp_path / "r.yaml", registry_text(GROQ, clash))
    with pytest.raises(RegistryError) as error:
        load_registry(path)
    message = str(error.value)
    assert "'groq'" in message and "'nvidia'" in message and "groq inc" in message
    assert str(path) in message


@pytest.mark.parametrize(
    ("mutation", "expected"),
    [
        (("kind: chip_designer", "kind: chipmaker"), r"r\.yaml:\d+: company #2 \(nvidia\): kind"),
        (("symbol: NVDA", "symbol: nvda!"), r"company #2 \(nvidia\): symbol: .*not a yfinance"),
        (("symbol: NVDA", "symbol: 005930.KS"), r"does not fit exchange NASDAQ"),
        (("exchange: NASDAQ", "exchange: NOWHERE"), r"unknown exchange 'NOWHERE'"),
        (("    exchange: NASDAQ\n", ""), r"symbol and exchange must be given together"),
        (("slug: nvidia", "slug: Nvidia Corp"), r"slug 'Nvidia Corp' must be lowercase"),
        (("kind: chip", "colour: green\n    kind: chip"), r"unknown key 'colour'"),
        (("[Blackwell]", "[LPU]"), r"product 'LPU' is claimed by both 'groq' and 'nvidia'"),
        (("[Blackwell]", "[Groq]"), r"product 'Groq' of 'nvidia' is also a company name"),
        (("slug: nvidia", "slug: groq"), r"duplicate slug"),
    ],
)
def test_malformed_entries_are_reported_with_file_line_and_slug(
    tmp_path: Path, mutation: tuple[str, str], expected: str
) -> None:
    old, new = mutation
    assert old in NVIDIA
    path = write(tmp_path / "r.yaml", registry_text(GROQ, NVIDIA.replace(old, new, 1)))
    with pytest.raises(RegistryError, match=expected):
        load_registry(path)


def test_case_sensitive_entry_must_be_a_name_of_the_company(tmp_path: Path) -> None:
    bad = GROQ.replace("kind:", "case_sensitive: [Grok]\n    kind:")
    with pytest.raises(RegistryError, match="case_sensitive entry 'Grok'"):
        load_registry(write(tmp_path / "r.yaml", registry_text(bad)))


def test_invalid_yaml_names_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path / "r.yaml", registry_text(GROQ) + "  - slug: [unclosed\n")
    with pytest.raises(RegistryError, match=re.escape(str(path)) + r":\d+: not valid YAML"):
        load_registry(path)


def test_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(RegistryError, match=r"nope\.yaml: registry file not found"):
        load_registry(tmp_path / "nope.yaml")


def test_name_key_ignores_case_spacing_and_curly_apostrophes() -> None:
    assert name_key("  Tom\u2019s   HARDWARE ") == name_key("tom's hardware")
    assert name_key("ＡＭＤ") == "amd"


HABANA = """  - slug: habana-labs
    name: Habana Labs
    aliases: [Habana]
    parent: nvidia
    kind: chip_designer
"""


def test_a_bought_company_names_its_parent(tmp_path: Path) -> None:
    registry = load_registry(write(tmp_path / "r.yaml", registry_text(HABANA, GROQ, NVIDIA)))
    assert registry.by_slug("habana-labs").parent == "nvidia"
    assert registry.by_slug("nvidia").parent is None


@pytest.mark.parametrize(
    ("entries", "expected"),
    [
        ((HABANA.replace("parent: nvidia", "parent: intel"), GROQ, NVIDIA), "parent 'intel' is no"),
        ((HABANA.replace("parent: nvidia", "parent: habana-labs"), NVIDIA), "the company itself"),
        (
            (HABANA, GROQ.replace("kind:", "parent: habana-labs\n    kind:"), NVIDIA),
            r"company #2 \(groq\): parent 'habana-labs' has a parent of its own \('nvidia'\)",
        ),
    ],
)
def test_a_parent_must_be_a_top_company_of_the_file(
    tmp_path: Path, entries: tuple[str, ...], expected: str
) -> None:
    with pytest.raises(RegistryError, match=expected):
        load_registry(write(tmp_path / "r.yaml", registry_text(*entries)))
