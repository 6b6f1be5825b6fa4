"""Spiders for Scrapy's loader: one class per source, generated from the source files.

This is what makes ``scrapy list`` and ``scrapy crawl NAME`` work from the checkout.
Scrapy only picks up classes defined in the module it scans, so each generated class
is re-homed here.
"""

from chipwire.pipeline.config import load_settings
from chipwire.spiders.runtime import spider_classes

for _name, _cls in spider_classes(load_settings()).items():
    _cls.__module__ = __name__
    globals()[_cls.__name__] = _cls

del _name, _cls  # the loop variables would make Scrapy see the last spider twice
