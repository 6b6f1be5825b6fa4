"""Canonical URL and content hash: the two keys the dedup and store stages rely on."""

from __future__ import annotations

import hashlib
from urllib.parse import urljoin, urlsplit

from chipwire.spiders.items import ArticleItem
from chipwire.spiders.urls import canonical_url


def content_hash(text: str) -> str:
    """Hash of the text ignoring case and spacing, so re-rendered copies hash alike."""
    return hashlib.sha256(" ".join(text.casefold().split()).encode("utf-8")).hexdigest()


def choose_url(url: str, page_canonical: str | None) -> str:
    """The page's own rel=canonical when it stays on the same host (AMP, print views),
    else the fetched URL: a cross-site canonical is the publisher's claim, not ours to follow.
    """
    if page_canonical:
        absolute = urljoin(url, page_canonical)
        if urlsplit(absolute).hostname == urlsplit(url).hostname and absolute.startswith("http"):
            return canonical_url(absolute)
    return canonical_url(url)


class NormalisePipeline:
    def process_item(self, item: ArticleItem) -> ArticleItem:
        item["canonical_url"] = choose_url(item["url"], item.get("page_canonical"))
        item["content_hash"] = content_hash(item["text"])
        return item
