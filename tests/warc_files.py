"""WARC files for the backfill tests, written with warcio (the reference writer)."""

from __future__ import annotations

import io
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

# Invented reporting, one story per company, long enough to pass the crawl's validation.
STORIES = {
    "cerebras-cloud": (
        "Cerebras opens a new inference region",
        "Cerebras Systems said it has opened another inference data centre, adding wafer-scale "
        "capacity for customers that serve open-weight language models. The company told "
        "reporters that demand for low-latency inference grew faster than it had planned for "
        "this year, and that most of the new capacity was reserved before the site opened. "
        "Analysts who follow the chip industry said the move puts pressure on GPU clouds that "
        "price inference by the hour, because a wafer-scale system can answer long prompts "
        "without splitting a model across many small accelerators.",
    ),
    "groq-europe": (
        "Groq adds a European site for its LPU cloud",
        "Groq announced a European data centre for its LPU inference cloud, saying that "
        "customers in regulated industries had asked to keep their prompts inside the region. "
        "The start-up did not disclose the size of the investment, but people briefed on the "
        "plans said the first phase holds several thousand chips and a second phase is "
        "planned for next year. Groq has argued that deterministic scheduling on its "
        "processors lets it quote a fixed latency to customers, something rivals built on "
        "general-purpose graphics processors find harder to promise.",
    ),
    "dmatrix-funding": (
        "d-Matrix raises money for its inference accelerators",
        "d-Matrix said it raised a new funding round to build more of its in-memory compute "
        "accelerators for data-centre inference. The company plans to use the money to hire "
        "engineers and to secure packaging capacity, which has become scarce as hyperscalers "
        "book it years ahead. Investors said they backed the company because inference now "
        "accounts for a growing share of what large operators spend on artificial "
        "intelligence hardware, and memory bandwidth rather than raw arithmetic decides how "
        "fast a model answers.",
    ),
}
OFF_TOPIC = (
    "Regional rail timetable changes next month",
    "The regional rail operator said on Monday that it will change the timetable next month, "
    "adding early trains on weekdays and removing two late services that carried few riders. "
    "Passenger groups welcomed the earlier trains but asked the operator to keep the late "
    "services during the summer, when festivals end after midnight and buses stop running. "
    "The operator said it would review the decision after three months of ticket data. "
    "Station staff will hand out printed timetables for the first two weeks, and the "
    "operator's website will list every changed departure by line and by station.",
)


def page(title: str, text: str) -> bytes:
    paragraphs = "".join(f"<p>{sentence}.</p>" for sentence in text.split(". "))
    return (
        f"<html lang='en'><head><title>{title}</title>"
        "<meta property='article:published_time' content='2026-03-03T09:00:00Z'></head>"
        f"<body><article><h1>{title}</h1>{paragraphs}</article></body></html>"
    ).encode()


class WarcBuilder:
    """Records appended in order, written gzip-compressed per record like CC-NEWS files."""

    def __init__(self) -> None:
        self.buffer = io.BytesIO()
        self.writer = WARCWriter(self.buffer, gzip=True)
        self.writer.write_record(
            self.writer.create_warcinfo_record("test.warc.gz", {"software": "tests"})
        )

    def response(
        self,
        url: str,
        body: bytes,
        content_type: str = "text/html; charset=utf-8",
        status: str = "200 OK",
    ) -> WarcBuilder:
        headers = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
        record = self.writer.create_warc_record(
            url, "response", payload=io.BytesIO(body), http_headers=headers
        )
        self.writer.write_record(record)
        return self

    def request(self, url: str) -> WarcBuilder:
        headers = StatusAndHeaders(
            "GET / HTTP/1.1", [("Host", "news.example.test")], is_http_request=True
        )
        self.writer.write_record(
            self.writer.create_warc_record(
                url, "request", payload=io.BytesIO(b""), http_headers=headers
            )
        )
        return self

    def story(self, url: str, key: str) -> WarcBuilder:
        return self.response(url, page(*STORIES[key]))

    def write(self, path: Path, cut: int = 0) -> Path:
        """The file, its last ``cut`` bytes missing (an interrupted download)."""
        data = self.buffer.getvalue()
        path.write_bytes(data[: len(data) - cut] if cut else data)
        return path


def full_archive() -> WarcBuilder:
    """Every kind of record a news archive holds, ending with a record cut short."""
    builder = WarcBuilder()
    builder.request("https://news.example.test/cerebras-cloud")
    builder.story("https://news.example.test/cerebras-cloud?utm_source=feed", "cerebras-cloud")
    builder.story("https://news.example.test/groq-europe", "groq-europe")
    builder.response("https://news.example.test/rail", page(*OFF_TOPIC))
    # the same story syndicated under another URL, and the same URL archived twice
    builder.story("https://partner.example.test/wire/groq-europe", "groq-europe")
    builder.story("https://news.example.test/groq-europe", "groq-europe")
    builder.response("https://news.example.test/report.pdf", b"%PDF-1.7 ...", "application/pdf")
    builder.response("https://news.example.test/gone", b"<html>gone</html>", status="404 Not Found")
    builder.story("https://news.example.test/dmatrix-funding", "dmatrix-funding")
    return builder
