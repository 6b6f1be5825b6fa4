"""Canonical URLs: one spelling per document, so the store's unique URL means one article."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from w3lib.url import canonicalize_url

TRACKING_FILE = Path(__file__).with_name("data") / "tracking_params.txt"


@lru_cache(maxsize=1)
def _tracking() -> tuple[frozenset[str], tuple[str, ...]]:
    exact: set[str] = set()
    prefixes: list[str] = []
    for line in TRACKING_FILE.read_text(encoding="utf-8").splitlines():
        name = line.strip().lower()
        if not name or name.startswith("#"):
            continue
        if name.endswith("*"):
            prefixes.append(name[:-1])
        else:
            exact.add(name)
    return frozenset(exact), tuple(prefixes)


def is_tracking(parameter: str) -> bool:
    exact, prefixes = _tracking()
    name = parameter.lower()
    return name in exact or name.startswith(prefixes)


def canonical_url(url: str) -> str:
    """Tracking parameters stripped, then w3lib's canonical form (sorted query, no fragment).

    The host is lower-cased and a default port dropped, so http://X:80/a and
    http://x/a are the same article.
    """
    parts = urlsplit(url.strip())
    query = [
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not is_tracking(k)
    ]
    host = (parts.hostname or "").lower()
    if ":" in host:  # IPv6 literal: urlsplit drops the brackets, the netloc needs them
        host = f"[{host}]"
    port = parts.port
    default = (parts.scheme == "http" and port == 80) or (parts.scheme == "https" and port == 443)
    netloc = host if port is None or default else f"{host}:{port}"
    if parts.username:
        netloc = f"{parts.username}@{netloc}"
    cleaned = urlunsplit((parts.scheme.lower(), netloc, parts.path or "/", urlencode(query), ""))
    return canonicalize_url(cleaned)
