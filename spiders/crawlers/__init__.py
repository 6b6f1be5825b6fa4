"""Spiders for Scrapy's loader: one class per source, generated from the source files.

This is what makes ``scrapy list`` and ``scrapy crawl NAME`` work from the checkout.
"""

from pipeline.config import load_settings
from spiders.runtime import spider_classes

for _name, _cls in spider_classes(load_settings()).items():
    globals()[_cls.__name__] = _cls
