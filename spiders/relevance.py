"""Is an article about the AI-compute market?  Cheap test: does it name a registry company
or product?  Built once per crawl from the registry file, so adding an alias there widens
the filter with no code change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from chipwire.pipeline.registry import Registry


def _alternation(names: list[str]) -> str:
    # Longest first, so "Cerebras Systems" wins over "Cerebras" in the same position.
    escaped = sorted({re.escape(name) for name in names}, key=len, reverse=True)
    return r"(?<![\w-])(?:" + "|".join(escaped) + r")(?![\w-])"


@dataclass(frozen=True)
class CompanyMatcher:
    insensitive: re.Pattern[str] | None
    sensitive: re.Pattern[str] | None

    @classmethod
    def from_registry(cls, registry: Registry) -> CompanyMatcher:
        loose: list[str] = []
        strict: list[str] = []
        for company in registry.companies:
            for name in company.names:
                (strict if name in company.case_sensitive else loose).append(name)
            for product in company.products:
                # Products like "Atlas" or "Corsair" are ordinary words: require their casing.
                strict.extend(product.names)
        return cls(
            insensitive=re.compile(_alternation(loose), re.IGNORECASE) if loose else None,
            sensitive=re.compile(_alternation(strict)) if strict else None,
        )

    def first_match(self, text: str) -> str | None:
        for pattern in (self.insensitive, self.sensitive):
            if pattern is not None and (match := pattern.search(text)):
                return match.group(0)
        return None
