"""Scrapy spider classes, one per source kind (discovered through SPIDER_MODULES)."""
