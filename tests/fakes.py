"""Injected transcript fetcher for crawl tests: no call to YouTube ever leaves the machine."""

from __future__ import annotations

from chipwire.spiders.transcripts import TranscriptUnavailable

TRANSCRIPTS = {
    "vid-ok": (
        "so today we're looking at the grock LPU and how it serves gpt-oss-120b at around "
        "three hundred sixty tokens per second which is roughly six times what you get on a "
        "typical Nvidia GPU setup and the interesting part is the SRAM heavy design "
    )
    * 4
}


class FakeFetcher:
    def fetch(self, video_id: str, languages: list[str]) -> str:
        if video_id == "vid-boom":
            raise ConnectionError("connection reset by peer")
        if video_id not in TRANSCRIPTS:
            raise TranscriptUnavailable(f"no captions for {video_id} in {languages}")
        return TRANSCRIPTS[video_id]
