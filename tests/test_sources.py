"""Declarative sources, the new-source scaffold, canonical URLs and near-duplicate detection."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from chipwire.spiders.devtools.scaffold import new_source
from chipwire.spiders.samplesite import SOURCES_DIR as SAMPLE_SOURCES
from chipwire.spiders.similarity import NearDuplicateIndex, containment, shingles
from chipwire.spiders.sources import Selectors, SourceError, load_source, load_sources
from chipwire.spiders.urls import canonical_url, is_tracking
from tests.conftest import write

RSS = 'kind = "rss"\nurl = "https://news.example.com/feed.xml"\n'


def sources_dir(tmp_path: Path, files: dict[str, str]) -> Path:
    directory = tmp_path / "sources"
    directory.mkdir(exist_ok=True)
    for name, text in files.items():
        write(directory / name, text)
    return directory


# --- loading -------------------------------------------------------------------------


def test_valid_files_load_with_defaults(tmp_path: Path) -> None:
    directory = sources_dir(
        tmp_path,
        {
            "groq-news.toml": RSS,
            "vendor-press.toml": (
                'name = "acme-press"\nkind = "listing"\nurl = "https://acme.example/press/"\n'
                'article_kind = "press_release"\ntags = ["vendor"]\nrelevance_filter = false\n'
                'follow = ["/press/\\\\d+"]\n'
                '[listing]\nlinks = "a.story::attr(href)"\nnext = "a[rel=next]::attr(href)"\n'
            ),
            "notes.txt": "not a source",
        },
    )
    registry = load_sources(directory)
    assert len(registry) == 2
    assert sorted(s.name for s in registry) == ["acme-press", "groq-news"]
    groq = registry.get("groq-news")
    assert (groq.kind, groq.article_kind, groq.relevance_filter) == ("rss", "article", True)
    assert groq.domain == "news.example.com"
    assert groq.path == directory / "groq-news.toml"
    acme = registry.get("acme-press")
    assert acme.listing is not None and acme.listing.max_pages == 5
    assert acme.tags == ("vendor",) and acme.follow == ("/press/\\d+",)


def test_name_defaults_to_the_file_stem(tmp_path: Path) -> None:
    source = load_source(write(tmp_path / "hpc-wire.toml", RSS))
    assert source.name == "hpc-wire"


def test_a_file_stem_that_is_not_a_valid_name_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match=r"Bad_Name\.toml: name: .*lowercase"):
        load_source(write(tmp_path / "Bad_Name.toml", RSS))


def test_unknown_source_name_lists_the_known_ones(tmp_path: Path) -> None:
    registry = load_sources(sources_dir(tmp_path, {"groq-news.toml": RSS}))
    with pytest.raises(SourceError, match="unknown source 'nope'; known sources: groq-news"):
        registry.get("nope")


def test_duplicate_name_is_refused_naming_both_files(tmp_path: Path) -> None:
    directory = sources_dir(
        tmp_path,
        {
            "a-first.toml": 'name = "same"\n' + RSS,
            "b-second.toml": 'name = "same"\nkind = "rss"\nurl = "https://other.example/rss"\n',
        },
    )
    with pytest.raises(SourceError, match="duplicate source name 'same'") as raised:
        load_sources(directory)
    assert "a-first.toml" in str(raised.value) and "b-second.toml" in str(raised.value)


def test_explicit_name_clashing_with_a_file_stem_is_refused(tmp_path: Path) -> None:
    directory = sources_dir(
        tmp_path,
        {
            "groq-news.toml": RSS,
            "other.toml": 'name = "groq-news"\nkind = "rss"\nurl = "https://other.example/rss"\n',
        },
    )
    with pytest.raises(SourceError, match="duplicate source name 'groq-news'") as raised:
        load_sources(directory)
    assert "groq-news.toml" in str(raised.value) and "other.toml" in str(raised.value)


def test_duplicate_start_url_is_refused_naming_both_files(tmp_path: Path) -> None:
    directory = sources_dir(
        tmp_path, {"a-first.toml": 'name = "renamed"\n' + RSS, "b-second.toml": RSS}
    )
    with pytest.raises(SourceError) as raised:
        load_sources(directory)
    message = str(raised.value)
    assert "start URL https://news.example.com/feed.xml" in message
    assert "a-first.toml" in message and "b-second.toml" in message and "'renamed'" in message


@pytest.mark.parametrize(
    ("text", "key"),
    [
        (RSS + "colour = 'green'\n", "colour"),
        (RSS + "[listing]\nlinks = 'a'\nnextpage = 'b'\n", "listing.nextpage"),
        (RSS + "[[selectors]]\nbody = 'article'\nheadline = 'h1'\n", "selectors.0.headline"),
    ],
)
def test_unknown_key_is_named_with_its_file(tmp_path: Path, text: str, key: str) -> None:
    path = write(tmp_path / "typo.toml", text)
    with pytest.raises(SourceError) as raised:
        load_source(path)
    assert str(raised.value) == f"{path}: unknown key '{key}'"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('kind = "atom"\nurl = "https://x.example/feed"\n', "kind"),
        ('kind = "rss"\nurl = "/feed.xml"\n', "must be an absolute http"),
        ('kind = "rss"\nurl = "ftp://x.example/feed"\n', "must be an absolute http"),
        (RSS + 'follow = ["/news/(unclosed"]\n', "follow pattern '/news/\\(unclosed' is not a"),
        ('kind = "listing"\nurl = "https://x.example/news/"\n', "needs a \\[listing\\] table"),
        (RSS + "max_items = 0\n", "max_items"),
        ('kind = "rss"\n', "url: Field required"),
        ('kind = "rss"\nurl = \n', "not valid TOML"),
    ],
    ids=[
        "bad-kind",
        "relative-url",
        "non-http-url",
        "bad-regex",
        "listing-without-listing",
        "zero-max-items",
        "missing-url",
        "bad-toml",
    ],
)
def test_invalid_source_errors_name_the_file(tmp_path: Path, text: str, expected: str) -> None:
    path = write(tmp_path / "broken-source.toml", text)
    with pytest.raises(SourceError, match=expected) as raised:
        load_sources(tmp_path)
    assert str(raised.value).startswith(f"{path}: ")


def test_a_non_utf8_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "latin.toml"
    path.write_bytes(RSS.encode() + b'notes = "caf\xe9"\n')
    with pytest.raises(SourceError, match=r"latin\.toml: not valid TOML"):
        load_source(path)


def test_missing_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="sources directory not found"):
        load_sources(tmp_path / "nowhere")


def test_selector_versions_as_an_array_of_tables(tmp_path: Path) -> None:
    text = (
        RSS + "[[selectors]]\nbody = 'div.body-v2'\ntitle = 'h1::text'\n"
        "[[selectors]]\nbody = 'div.body-v1'\n"
    )
    source = load_source(write(tmp_path / "versions.toml", text))
    assert source.selectors == (
        Selectors(body="div.body-v2", title="h1::text"),
        Selectors(body="div.body-v1"),
    )


def test_a_single_selectors_table_is_one_version(tmp_path: Path) -> None:
    text = RSS + "[selectors]\nbody = 'article .content'\nauthor = '.byline::text'\n"
    source = load_source(write(tmp_path / "single.toml", text))
    assert source.selectors == (Selectors(body="article .content", author=".byline::text"),)


def test_the_shipped_sample_site_sources_load(tmp_path: Path) -> None:
    directory = tmp_path / "sample"
    directory.mkdir()
    for path in SAMPLE_SOURCES.glob("*.toml"):
        text = path.read_text(encoding="utf-8").replace("__BASE__", "http://127.0.0.1:1")
        write(directory / path.name, text)
    registry = load_sources(directory)
    assert {s.name for s in registry} == {p.stem for p in SAMPLE_SOURCES.glob("*.toml")}
    assert len(registry) >= 5
    for source in registry:
        assert source.url.startswith("http://127.0.0.1:1/")
        assert source.kind != "listing" or source.listing is not None
    assert registry.get("sample-press").relevance_filter is False


def test_the_shipped_sources_load() -> None:
    from chipwire.pipeline.config import DEFAULT_SOURCES

    registry = load_sources(DEFAULT_SOURCES)
    assert len(registry) == len(list(DEFAULT_SOURCES.glob("*.toml")))


# --- new-source scaffold -------------------------------------------------------------


@pytest.mark.parametrize("kind", ["rss", "sitemap", "listing", "page", "youtube"])
def test_new_source_writes_a_loadable_file_and_fixture_folder(tmp_path: Path, kind: str) -> None:
    path, folder = new_source(
        "acme-news",
        kind,
        "https://acme.example/news/",
        tmp_path / "sources",
        tmp_path / "fixtures",
        tags=["vendor", "acme"],
        relevance_filter=False,
    )
    assert path == tmp_path / "sources" / "acme-news.toml"
    source = load_sources(tmp_path / "sources").get("acme-news")
    assert (source.kind, source.url) == (kind, "https://acme.example/news/")
    assert source.tags == ("vendor", "acme")
    assert source.relevance_filter is False and source.verified is False
    assert (source.listing is not None) == (kind == "listing")
    assert folder == tmp_path / "fixtures" / "acme-news"
    meta = tomllib.loads((folder / "meta.toml").read_text(encoding="utf-8"))
    assert meta["start_url"] == "https://acme.example/news/"


def test_new_source_refuses_an_existing_name(tmp_path: Path) -> None:
    write(tmp_path / "sources" / "acme-news.toml", RSS)
    with pytest.raises(SourceError, match=r"acme-news\.toml already exists"):
        new_source(
            "acme-news", "rss", "https://acme.example/rss", tmp_path / "sources", tmp_path / "fx"
        )
    assert (tmp_path / "sources" / "acme-news.toml").read_text(encoding="utf-8") == RSS
    assert not (tmp_path / "fx").exists()


@pytest.mark.parametrize("name", ["Acme", "acme_news", "acme--news", "-acme", "acme news", ""])
def test_new_source_refuses_a_bad_name(tmp_path: Path, name: str) -> None:
    with pytest.raises(SourceError, match="must be lowercase letters, digits and hyphens"):
        new_source(name, "rss", "https://acme.example/rss", tmp_path / "sources", tmp_path / "fx")
    assert not (tmp_path / "sources").exists()


def test_new_source_with_an_invalid_url_leaves_nothing_behind(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="must be an absolute http"):
        new_source("acme-news", "rss", "acme.example/rss", tmp_path / "sources", tmp_path / "fx")
    assert list((tmp_path / "sources").iterdir()) == []
    assert not (tmp_path / "fx").exists()


# --- canonical URLs ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://example.com:80/a", "http://example.com/a"),
        ("https://example.com:443/a", "https://example.com/a"),
        ("https://example.com:8443/a", "https://example.com:8443/a"),
        ("http://example.com:443/a", "http://example.com:443/a"),
        ("HTTPS://News.Example.COM/Path/Case", "https://news.example.com/Path/Case"),
        ("https://example.com/a#comments", "https://example.com/a"),
        ("https://example.com/a?b=2&a=1", "https://example.com/a?a=1&b=2"),
        ("https://example.com", "https://example.com/"),
        ("  https://example.com/a  ", "https://example.com/a"),
        ("http://[::1]:8080/a?b=1", "http://[::1]:8080/a?b=1"),
        ("http://[::1]:80/a", "http://[::1]/a"),
    ],
)
def test_canonical_url(url: str, expected: str) -> None:
    assert canonical_url(url) == expected


def test_canonical_url_strips_tracking_parameters_but_keeps_the_rest() -> None:
    url = (
        "https://example.com/a?utm_source=x&UTM_Medium=y&utm_campaign_id=7&fbclid=1&gclid=2"
        "&ref=twitter&id=42&page=2&utm=keep#top"
    )
    assert canonical_url(url) == "https://example.com/a?id=42&page=2&utm=keep"


def test_canonical_url_of_only_tracking_parameters_has_no_query() -> None:
    assert canonical_url("https://example.com/a?utm_source=rss&utm_medium=feed") == (
        "https://example.com/a"
    )


def test_canonical_url_keeps_blank_and_repeated_parameters() -> None:
    assert canonical_url("https://example.com/s?q=&tag=b&tag=a") == (
        "https://example.com/s?q=&tag=a&tag=b"
    )


@pytest.mark.parametrize(
    ("name", "tracking"),
    [
        ("utm_source", True),
        ("utm_whatever_new", True),
        ("UTM_CONTENT", True),
        ("fbclid", True),
        ("__twitter_impression", True),
        ("utm", False),
        ("refresh", False),
        ("id", False),
    ],
)
def test_tracking_list_with_wildcard(name: str, tracking: bool) -> None:
    assert is_tracking(name) is tracking


def test_same_article_spelled_differently_is_one_url() -> None:
    spellings = [
        "https://News.example.com:443/story?id=7&utm_source=rss",
        "https://news.example.com/story?utm_medium=email&id=7#more",
        "https://news.example.com/story?id=7&fbclid=abc",
    ]
    assert len({canonical_url(url) for url in spellings}) == 1


# --- near-duplicate index ------------------------------------------------------------

ORIGINAL = (
    "Groq said on Tuesday that it had signed a multi-year agreement to supply inference "
    "capacity to a large cloud provider, its biggest deal since the company was founded. "
    "The startup, which designs its own language processing units, will install the "
    "systems in two new data centres in Texas and Finland over the next eighteen months. "
    "Analysts said the agreement showed that buyers were looking beyond Nvidia for "
    "inference, where latency and the cost per token matter more than raw throughput."
)
UNRELATED = (
    "Spring is the best time to divide perennials, according to the gardeners who look "
    "after the city's botanical collection. Clumps of hostas, daylilies and asters that "
    "have grown crowded can be lifted with a fork, split with a sharp spade and replanted "
    "at the same depth in soil that has been improved with plenty of garden compost."
)


def test_copy_with_an_extra_paragraph_is_found() -> None:
    index = NearDuplicateIndex()
    index.add(1, UNRELATED)
    index.add(2, ORIGINAL)
    copy = (
        "CHIP WIRE — " + ORIGINAL.upper() + "\n\nThe company's shares are not listed; a "
        "spokesperson declined to comment on the timing of any public offering."
    )
    assert index.find(copy) == 2
    assert len(index) == 2


def test_a_trimmed_copy_is_found() -> None:
    index = NearDuplicateIndex()
    index.add(7, ORIGINAL)
    assert index.find(ORIGINAL.rsplit(" Analysts", 1)[0]) == 7


def test_an_unrelated_article_is_not_found() -> None:
    index = NearDuplicateIndex()
    index.add(1, ORIGINAL)
    assert index.find(UNRELATED) is None
    assert index.find("") is None


def test_an_article_sharing_one_sentence_is_not_a_copy() -> None:
    index = NearDuplicateIndex()
    index.add(1, ORIGINAL)
    assert index.find(UNRELATED + " " + ORIGINAL.split(". ")[0] + ".") is None


def test_the_best_match_wins() -> None:
    index = NearDuplicateIndex()
    index.add(1, ORIGINAL.rsplit(" Analysts", 1)[0] + " Shares rose sharply in early trading.")
    index.add(2, ORIGINAL)
    assert index.find(ORIGINAL + " Extra closing line.") == 2


def test_short_texts() -> None:
    assert shingles("") == frozenset()
    assert len(shingles("Groq raises money")) == 1
    index = NearDuplicateIndex()
    index.add(1, "Groq raises money")
    index.add(2, "")
    assert index.find("groq  RAISES money") == 1
    assert index.find("Cerebras raises money") is None
    assert index.find("") is None
    assert index.find(ORIGINAL) is None
    assert containment(frozenset(), shingles(ORIGINAL)) == 0.0
