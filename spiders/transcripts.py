"""Video transcripts behind a small interface, so the network can be replaced in tests.

The default fetcher uses ``youtube-transcript-api``; the ``CHIPWIRE_TRANSCRIPT_FETCHER``
Scrapy setting names another one as ``module:attribute`` (a class or factory
taking no arguments), which is how tests and offline demos inject transcripts.
"""

from __future__ import annotations

import importlib
from typing import Protocol

from chipwire.spiders.page import clean_text


class TranscriptUnavailable(Exception):
    """The video has no transcript in the wanted languages (not a network fault)."""


class TranscriptFetcher(Protocol):
    def fetch(self, video_id: str, languages: list[str]) -> str:
        """The transcript as plain text, or raise TranscriptUnavailable."""
        ...


def join_snippets(snippets: list[str]) -> str:
    """Caption snippets to text: one line per snippet would break sentences apart."""
    return clean_text(" ".join(s.replace("\n", " ").strip() for s in snippets if s.strip()))


class YouTubeFetcher:
    """Transcripts from YouTube through youtube-transcript-api (network!)."""

    def __init__(self) -> None:
        from youtube_transcript_api import YouTubeTranscriptApi

        self.api = YouTubeTranscriptApi()

    def fetch(self, video_id: str, languages: list[str]) -> str:
        from youtube_transcript_api import CouldNotRetrieveTranscript

        try:
            transcript = self.api.fetch(video_id, languages=languages or ["en"])
        except CouldNotRetrieveTranscript as exc:
            raise TranscriptUnavailable(str(exc).strip().splitlines()[0]) from exc
        return join_snippets([snippet.text for snippet in transcript])


def load_fetcher(path: str | None) -> TranscriptFetcher:
    if not path:
        return YouTubeFetcher()
    module_name, _, attribute = path.partition(":")
    factory = getattr(importlib.import_module(module_name), attribute)
    return factory()
