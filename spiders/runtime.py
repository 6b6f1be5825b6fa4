"""Scrapy settings and spider classes for a chipwire settings object.

The one bridge between chipwire's settings (pydantic) and Scrapy's: the CLI,
``scrapy crawl`` and tests all build their crawls here.
"""

from __future__ import annotations

from typing import Any

from scrapy.settings import Settings as ScrapySettings

from chipwire.pipeline.config import Settings
from chipwire.spiders import settings as defaults
from chipwire.spiders.kinds import SourceSpider, spider_class
from chipwire.spiders.sources import load_sources


def scrapy_settings(settings: Settings, overrides: dict[str, Any] | None = None) -> ScrapySettings:
    result = ScrapySettings()
    result.setmodule(defaults, priority="project")
    result.set("CHIPWIRE", settings, priority="project")  # the add-on derives the rest
    for key, value in (overrides or {}).items():
        result.set(key, value, priority="cmdline")
    return result


def spider_classes(settings: Settings) -> dict[str, type[SourceSpider]]:
    """One spider class per enabled source, keyed by source name, sharing one claimed set."""
    claimed: set[str] = set()
    return {
        source.name: spider_class(source, claimed)
        for source in load_sources(settings.sources_path)
        if source.enabled
    }
