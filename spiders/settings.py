"""Scrapy settings for chipwire's spiders: only what we set, each with its reason.

Values that depend on the user's chipwire settings (contact in the User-Agent,
HTTP cache) are filled in by the add-on in ``spiders.addon``, for ``chipwire crawl``
and ``scrapy crawl`` alike.
"""

import os

BOT_NAME = "chipwire"
SPIDER_MODULES = ["chipwire.spiders.crawlers"]
NEWSPIDER_MODULE = "chipwire.spiders.crawlers"

# Polite by default: we read other people's sites.
ROBOTSTXT_OBEY = True
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
AUTOTHROTTLE_START_DELAY = 1.0  # Scrapy's 5 s makes a 20-article feed take minutes
CONCURRENT_REQUESTS_PER_DOMAIN = 4
# User-Agent (with the crawl_contact setting) and HTTP cache come from chipwire.spiders.addon.
ADDONS = {"chipwire.spiders.addon.ChipwireAddon": 0}

# Robust: transient failures and rate limits are retried with backoff (see middlewares).
RETRY_TIMES = 3
RETRY_HTTP_CODES = [408, 429, 500, 502, 503, 504, 522, 524]
CHIPWIRE_BACKOFF_BASE = 1.0  # seconds before the first retry; doubles each time
CHIPWIRE_BACKOFF_MAX = 60.0
# A host that lets a request time out without answering anything meanwhile is not retried
# or asked again in that crawl (middlewares.py): a hung server costs one timeout, not eight.
DOWNLOAD_TIMEOUT = 30
# An article response yields one item; Scrapy's default of 100 parallel item slots per
# response only costs 100 asyncio tasks per page.
CONCURRENT_ITEMS = 8
# News pages are well under 2 MB; anything past 10 MB (decompressed) is not an article.
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024
DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "chipwire.spiders.middlewares.BackoffRetryMiddleware": 550,
}

ITEM_PIPELINES = {
    "chipwire.spiders.pipelines.validate.ValidatePipeline": 100,
    "chipwire.spiders.pipelines.normalise.NormalisePipeline": 200,
    "chipwire.spiders.pipelines.relevance.RelevancePipeline": 300,
    "chipwire.spiders.pipelines.dedup.DedupPipeline": 400,
    "chipwire.spiders.pipelines.store.StorePipeline": 500,
}
EXTENSIONS = {
    "chipwire.spiders.extensions.JobRunRecorder": 500,
    "scrapy.extensions.telnet.TelnetConsole": None,  # no open debug port on analysts' machines
}

# Parse pages (trafilatura, CPU-bound) in worker processes on the other cores, so the
# downloader and the pipelines keep going; 0 parses inline.
CHIPWIRE_PARSE_WORKERS = max(0, min(4, (os.cpu_count() or 1) - 1))

# HTTP cache for developing spiders: switched on by the http_cache setting (spiders.addon).
HTTPCACHE_EXPIRATION_SECS = 24 * 3600

TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "INFO"
LOG_FORMATTER = "chipwire.spiders.logformatter.ChipwireLogFormatter"
