"""Other ways in: `scrapy crawl NAME`, video channels with an injected fetcher, raw HTML."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from pytest_httpserver import HTTPServer

from chipwire.spiders.samplesite import SampleSite
from tests.conftest import REPO
from tests.crawling import FAST, chipwire, last_run, prepare_store, query, write_sources

CHANNEL_FEED = """<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:yt="http://www.youtube.com/xml/schemas/2015">
  <title>Chip Talk</title>
  {entries}
</feed>"""
ENTRY = """<entry>
    <id>yt:video:{vid}</id><yt:videoId>{vid}</yt:videoId>
    <title>Episode {vid}</title>
    <link rel="alternate" href="https://www.youtube.com/watch?v={vid}"/>
    <author><name>Chip Talk</name></author>
    <published>2026-10-0{n}T12:00:00+00:00</published>
  </entry>"""


def test_scrapy_crawl_name_stores_into_the_configured_store(tmp_path: Path) -> None:
    prepare_store(tmp_path)
    with SampleSite() as site:
        sources = site.write_sources(tmp_path / "sources")
        env = {k: v for k, v in os.environ.items() if not k.startswith("CHIPWIRE_")}
        env.update(
            {
                "CHIPWIRE_DATA_DIR": str(tmp_path / "data"),
                "CHIPWIRE_SOURCES_PATH": str(sources),
                "CHIPWIRE_KEEP_RAW_HTML": "true",
            }
        )
        overrides = [a for k, v in FAST.items() for a in ("-s", f"{k}={v}")]
        scrapy = Path(sys.executable).with_name("scrapy")
        listed = subprocess.run(
            [str(scrapy), "list"], cwd=REPO, env=env, capture_output=True, text=True, check=False
        )
        assert "sample-press" in listed.stdout.split(), listed.stderr
        result = subprocess.run(
            [str(scrapy), "crawl", "sample-press", *overrides],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    assert result.returncode == 0, result.stderr
    rows = query(tmp_path, "SELECT kind, raw_html IS NOT NULL FROM article")
    assert len(rows) == 8
    assert {kind for kind, _ in rows} == {"press_release"}
    # raw HTML is kept only when configured: `scrapy crawl` reads the same settings.
    assert all(kept for _, kept in rows)
    assert last_run(tmp_path, "sample-press")["status"] == "succeeded"


def test_raw_html_is_not_kept_by_default(tmp_path: Path) -> None:
    prepare_store(tmp_path)
    with SampleSite() as site:
        sources = site.write_sources(tmp_path / "sources")
        args = [a for k, v in FAST.items() for a in ("-s", f"{k}={v}")]
        result = chipwire(
            tmp_path, "crawl", "sample-press", *args, env={"CHIPWIRE_SOURCES_PATH": str(sources)}
        )
    assert result.returncode == 0, result.stderr
    assert query(tmp_path, "SELECT count(*), count(raw_html) FROM article") == [(8, 0)]


def test_video_channel_transcripts_through_an_injected_fetcher(
    tmp_path: Path, httpserver: HTTPServer
) -> None:
    entries = "".join(
        ENTRY.format(vid=vid, n=n) for n, vid in enumerate(("vid-ok", "vid-nocap", "vid-boom"), 1)
    )
    httpserver.expect_request("/feeds/videos.xml").respond_with_data(
        CHANNEL_FEED.format(entries=entries), content_type="application/atom+xml"
    )
    prepare_store(tmp_path)
    directory = write_sources(
        tmp_path,
        {
            "chip-talk": f'kind = "youtube"\nurl = "{httpserver.url_for("/feeds/videos.xml")}"\n'
            'article_kind = "transcript"\n'
        },
    )
    args = [a for k, v in FAST.items() for a in ("-s", f"{k}={v}")]
    result = chipwire(
        tmp_path,
        "crawl",
        "chip-talk",
        *args,
        "-s",
        "CHIPWIRE_TRANSCRIPT_FETCHER=tests.fakes:FakeFetcher",
        env={"CHIPWIRE_SOURCES_PATH": str(directory), "PYTHONPATH": str(REPO)},
    )
    assert result.returncode == 0, result.stderr
    rows = query(tmp_path, "SELECT url, kind, title, published_at, text FROM article")
    assert len(rows) == 1
    url, kind, title, published, text = rows[0]
    assert url == "https://www.youtube.com/watch?v=vid-ok"
    assert (kind, title) == ("transcript", "Episode vid-ok")
    assert published.startswith("2026-10-01 12:00:00")
    assert "grock LPU" in text
    counts = last_run(tmp_path, "chip-talk")["counts"]
    assert counts["dropped"] == {"no_transcript": 1}
    assert counts["network_errors"] == {"ConnectionError": 1}
    assert "vid-boom" in result.stderr
    assert json.dumps(counts)  # stored as JSON


def test_addon_derives_user_agent_and_cache_from_chipwire_settings(tmp_path: Path) -> None:
    from chipwire.pipeline.config import load_settings
    from chipwire.spiders.addon import ChipwireAddon
    from chipwire.spiders.runtime import scrapy_settings

    chipwire_settings = load_settings(
        data_dir=tmp_path, crawl_contact="https://example.org/crawler", http_cache=True
    )
    settings = scrapy_settings(chipwire_settings, {"DOWNLOAD_TIMEOUT": 7})
    ChipwireAddon().update_settings(settings)
    assert settings["USER_AGENT"].startswith("chipwire/")
    assert "+https://example.org/crawler" in settings["USER_AGENT"]
    assert settings.getbool("HTTPCACHE_ENABLED") is True
    assert settings["HTTPCACHE_DIR"] == str(tmp_path / "httpcache")
    assert settings.getint("DOWNLOAD_TIMEOUT") == 7
    assert settings.getbool("ROBOTSTXT_OBEY") is True
    assert 429 in settings.getlist("RETRY_HTTP_CODES")


def test_cmdline_overrides_beat_the_addon(tmp_path: Path) -> None:
    from chipwire.pipeline.config import load_settings
    from chipwire.spiders.addon import ChipwireAddon
    from chipwire.spiders.runtime import scrapy_settings

    settings = scrapy_settings(load_settings(data_dir=tmp_path), {"USER_AGENT": "custom/1"})
    ChipwireAddon().update_settings(settings)
    assert settings["USER_AGENT"] == "custom/1"
