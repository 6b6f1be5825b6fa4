"""WARC readers: FastWARC against warcio on the same files, reading what a backfill reads.

``chipwire backfill`` reads every record's headers and every response's HTTP headers and
body (spiders/warc.py).  Both readers do exactly that here, on the same generated files:

* **A news-archive-like file**: ``--records`` HTML responses of 20-60 KB (CC-NEWS pages
  are of that size), each preceded by its request record, plus a warcinfo record; bodies
  mix varied text so compression behaves as on real pages.  Written by warcio, gzip per
  record (as CC-NEWS is), and once more uncompressed.
* **Each reader in turn, alternating, best of ``--repeat``**: iterate all records, parse
  HTTP, read each response body to the end, count bytes; both must see the same records
  and bytes or there is no figure.
* Reported: records/s and MB/s (uncompressed body bytes) per reader and file, and the
  ratio FastWARC / warcio, with the host's figures.

Run from the project root: ``.venv/bin/python -m bench.warc_readers [--records N]``.
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import random
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from fastwarc.warc import ArchiveIterator as FastIterator
from fastwarc.warc import WarcRecordType
from warcio.archiveiterator import ArchiveIterator as WarcioIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from bench.machine import load

WORDS = " ".join(
    (
        "inference accelerator wafer scale memory bandwidth tokens latency cluster data "
        "centre supply agreement licence funding round valuation chips foundry packaging rack "
        "power cooling compiler kernel model serving throughput benchmark customer analyst "
        "quarter",
    )
).split()


def page(rng: random.Random, size: int) -> bytes:
    parts = ["<html><head><title>story</title></head><body><article>"]
    length = 0
    while length < size:
        sentence = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 20)))
        chunk = f"<p>{sentence} {rng.randint(1, 99999)}.</p>"
        parts.append(chunk)
        length += len(chunk)
    parts.append("</article></body></html>")
    return "".join(parts).encode()


def write_archive(path: Path, records: int, gzip: bool, seed: int = 5) -> None:
    rng = random.Random(seed)
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=gzip)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "bench"}))
        for number in range(records):
            url = f"https://news.example.test/{number}"
            request = StatusAndHeaders(
                "GET / HTTP/1.1", [("Host", "news.example.test")], is_http_request=True
            )
            writer.write_record(
                writer.create_warc_record(
                    url, "request", payload=io.BytesIO(b""), http_headers=request
                )
            )
            headers = StatusAndHeaders(
                "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
            )
            body = page(rng, rng.randint(20_000, 60_000))
            writer.write_record(
                writer.create_warc_record(
                    url, "response", payload=io.BytesIO(body), http_headers=headers
                )
            )


def read_fastwarc(path: Path) -> tuple[int, int]:
    responses = size = 0
    with path.open("rb") as stream:
        for record in FastIterator(stream, parse_http=True):
            if record.record_type == WarcRecordType.response:
                responses += 1
                size += len(record.reader.read())
    return responses, size


def read_warcio(path: Path) -> tuple[int, int]:
    responses = size = 0
    with path.open("rb") as stream:
        for record in WarcioIterator(stream):
            if record.rec_type == "response":
                responses += 1
                size += len(record.content_stream().read())
    return responses, size


READERS: dict[str, Callable[[Path], tuple[int, int]]] = {
    "fastwarc": read_fastwarc,
    "warcio": read_warcio,
}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--records", type=int, default=3000, help="HTML responses per file")
    parser.add_argument("--repeat", type=int, default=3, help="runs per reader and file")
    args = parser.parse_args(argv)
    before = load()
    with tempfile.TemporaryDirectory() as tmp:
        files = {
            "gzip per record": Path(tmp) / "news.warc.gz",
            "uncompressed": Path(tmp) / "news.warc",
        }
        for label, path in files.items():
            write_archive(path, args.records, gzip=label != "uncompressed")
        print(
            f"{args.records} responses; host: {platform.machine()}, {os.cpu_count()} CPUs, "
            f"Python {platform.python_version()}, load {before}"
        )
        for label, path in files.items():
            best: dict[str, float] = {}
            seen: dict[str, tuple[int, int]] = {}
            for repeat in range(args.repeat):
                order = list(READERS) if repeat % 2 == 0 else list(reversed(READERS))
                for name in order:
                    started = time.perf_counter()
                    seen[name] = READERS[name](path)
                    elapsed = time.perf_counter() - started
                    best[name] = min(best.get(name, elapsed), elapsed)
            if len(set(seen.values())) != 1:
                raise SystemExit(f"{label}: the readers disagree: {seen}")
            responses, size = seen["fastwarc"]
            print(
                f"\n{label}: {path.stat().st_size / 1e6:.0f} MB on disk, "
                f"{size / 1e6:.0f} MB of bodies"
            )
            for name, seconds in best.items():
                print(
                    f"  {name:8s} {seconds:6.2f} s  {responses / seconds:8.0f} responses/s  "
                    f"{size / 1e6 / seconds:6.0f} MB/s"
                )
            print(f"  fastwarc / warcio: {best['warcio'] / best['fastwarc']:.1f}x")
    print(f"load after: {load()}")


if __name__ == "__main__":
    main()
