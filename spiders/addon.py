"""Scrapy add-on that gives every crawl its chipwire settings, however it was started.

``chipwire crawl`` passes its settings object as the ``CHIPWIRE`` Scrapy setting;
``scrapy crawl NAME`` does not, so the add-on loads it (environment and
chipwire.toml) before Scrapy freezes its settings.  Either way, the pieces that
depend on it (User-Agent contact, HTTP cache) are derived here, once.
"""

from __future__ import annotations

from scrapy.settings import BaseSettings

from chipwire.pipeline import __version__
from chipwire.pipeline.config import Settings, load_settings


def user_agent(contact: str) -> str:
    """Honest User-Agent: who we are and, when configured, how to reach the operator."""
    suffix = f"; +{contact}" if contact else ""
    return f"chipwire/{__version__} (news research crawler{suffix})"


def chipwire_settings(settings: BaseSettings) -> Settings:
    """The chipwire settings of a crawl (set by the add-on, so always present in a crawler)."""
    value = settings.get("CHIPWIRE")
    return value if isinstance(value, Settings) else load_settings()


class ChipwireAddon:
    def update_settings(self, settings: BaseSettings) -> None:
        chipwire = chipwire_settings(settings)
        settings.set("CHIPWIRE", chipwire, priority="addon")
        # "project" priority: over the defaults in spiders/settings.py, under `-s KEY=VALUE`.
        settings.set("USER_AGENT", user_agent(chipwire.crawl_contact), priority="project")
        settings.set("HTTPCACHE_ENABLED", chipwire.http_cache, priority="project")
        settings.set("HTTPCACHE_DIR", str(chipwire.data_dir / "httpcache"), priority="project")
