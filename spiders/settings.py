"""Scrapy settings for chipwire's spiders: only what we set, each with its reason."""

BOT_NAME = "chipwire"
SPIDER_MODULES = ["spiders.crawlers"]
NEWSPIDER_MODULE = "spiders.crawlers"

# Polite by default: we read other people's sites.
ROBOTSTXT_OBEY = True
USER_AGENT = "chipwire/0.1 (+https://github.com/chipwire/chipwire; news research crawler)"
AUTOTHROTTLE_ENABLED = True
CONCURRENT_REQUESTS_PER_DOMAIN = 4

# Scrapy's future-proof defaults, set explicitly so upgrades do not change behaviour.
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
FEED_EXPORT_ENCODING = "utf-8"
