"""Closed vocabularies enforced by CHECK constraints.

Kept as strings plus CHECK rather than native ENUM types: analysts can read and
filter them as text, and adding a value is a one-line migration on both
SQLite and PostgreSQL.
"""

from __future__ import annotations

ARTICLE_KINDS = ("article", "press_release", "transcript", "filing")
SOURCE_KINDS = ("rss", "sitemap", "listing", "page", "youtube", "warc")
COMPANY_KINDS = (
    "chip_designer",
    "hyperscaler",
    "cloud",
    "model_lab",
    "inference_provider",
    "foundry",
    "memory",
    "ip_eda",
    "system_maker",
    "equipment",
    "investor",
)
DEAL_TYPES = ("licensing", "partnership", "acquisition", "investment", "supply", "funding", "ipo")
DEAL_STATUSES = ("announced", "completed", "reported", "talks")
DEAL_ROLES = (
    "payer",
    "acquirer",
    "target",
    "licensee",
    "licensor",
    "investor",
    "lead_investor",
    "investee",
    "customer",
    "supplier",
    "partner",
    "issuer",
)
BENCHMARK_METRICS = (
    "tokens_per_second",
    "speedup",
    "latency_ms",
    "tflops",
    "pflops",
    "memory_bandwidth_tbps",
    "power_efficiency",
)
JOB_STATUSES = ("running", "succeeded", "failed", "partial", "abandoned")


def one_of(column: str, values: tuple[str, ...]) -> str:
    """SQL for a CHECK that ``column`` takes one of ``values`` (literals we own, not input)."""
    quoted = ", ".join(f"'{value}'" for value in values)
    return f"{column} IN ({quoted})"
