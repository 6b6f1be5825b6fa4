"""Each item pipeline on its own: validate, normalise, relevance, dedup and store.

Pipelines are built the way Scrapy builds them (``build_from_crawler``) on a test
crawler with real stats; dedup and store run against a migrated store on SQLite
and PostgreSQL.  No network: items are made by hand.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from scrapy import Spider
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.utils.misc import build_from_crawler
from scrapy.utils.test import get_crawler
from sqlalchemy import Engine, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from chipwire.models import Article
from chipwire.models import Source as SourceRow
from chipwire.pipeline.config import Settings, load_settings
from chipwire.spiders.items import ArticleItem
from chipwire.spiders.pipelines.dedup import DedupPipeline
from chipwire.spiders.pipelines.normalise import NormalisePipeline, choose_url, content_hash
from chipwire.spiders.pipelines.relevance import RelevancePipeline
from chipwire.spiders.pipelines.store import StorePipeline
from chipwire.spiders.pipelines.validate import ValidatePipeline
from chipwire.spiders.sources import Source
from chipwire.spiders.store import CrawlStore

# About 120 words of plain English news copy naming registry companies.
BODY = (
    "Groq said on Tuesday that it had signed a multi-year agreement to supply inference "
    "capacity to a large cloud provider, its biggest deal since the company was founded. "
    "The startup, which designs its own language processing units, will install the "
    "systems in two new data centres in Texas and Finland over the next eighteen months.\n\n"
    "Analysts said the agreement showed that buyers were looking beyond Nvidia for "
    "inference, where latency and the cost per token matter more than raw training "
    "throughput. Groq did not disclose the value of the contract, but people familiar "
    "with the matter put it at several hundred million dollars over its full term.\n\n"
    "The company also said it was hiring engineers in London and Bangalore, and that its "
    "next chip would be made on a more advanced process node at Samsung's foundry."
)
# Same length, same style, no registry company or product anywhere.
GARDEN = (
    "Spring is the best time to divide perennials, according to the gardeners who look "
    "after the city's botanical collection. Clumps of hostas, daylilies and asters that "
    "have grown crowded can be lifted with a fork, split with a sharp spade and replanted "
    "at the same depth in soil that has been improved with plenty of garden compost.\n\n"
    "Water the new divisions well and keep them moist for the first few weeks while the "
    "roots settle in. A light mulch of bark or leaf mould helps the soil hold moisture "
    "and keeps weeds down around the young plants through the summer months.\n\n"
    "Volunteers will run free workshops on pruning, seed saving and composting at the "
    "glasshouses every Saturday morning from April until the end of September this year."
)
URL = "https://news.example.com/2026/03/groq-deal.html"


def make_item(**fields: Any) -> ArticleItem:
    values: dict[str, Any] = {
        "url": URL,
        "request_url": URL,
        "source": "test-source",
        "kind": "article",
        "title": "Groq signs inference supply deal",
        "text": BODY,
        "language": "en",
        "published_at": datetime(2026, 3, 3, 14, tzinfo=UTC),
    }
    values.update(fields)
    return ArticleItem({k: v for k, v in values.items() if v is not None})


def make_crawler(settings: Settings, source: Source | None = None) -> Crawler:
    crawler = get_crawler(Spider, {"CHIPWIRE": settings})
    crawler.spider = SimpleNamespace(name="test-source", source=source)  # type: ignore[assignment]
    return crawler


def dropped(crawler: Crawler) -> dict[str, int]:
    assert crawler.stats is not None
    prefix = "chipwire/dropped/"
    return {
        key.removeprefix(prefix): value
        for key, value in crawler.stats.get_stats().items()
        if key.startswith(prefix)
    }


def source_spec(**fields: Any) -> Source:
    return Source(name="test-source", kind="rss", url="https://news.example.com/feed", **fields)


@pytest.fixture
def plain_settings(tmp_path: Path) -> Settings:
    """Settings for the pipelines that do not touch the store."""
    return load_settings(database_url=f"sqlite:///{tmp_path / 'unused.db'}", data_dir=tmp_path)


# --- validate ------------------------------------------------------------------------


@pytest.fixture
def validate(plain_settings: Settings) -> tuple[Crawler, ValidatePipeline]:
    crawler = make_crawler(plain_settings)
    return crawler, build_from_crawler(ValidatePipeline, crawler)


def test_validate_keeps_a_good_english_article(
    validate: tuple[Crawler, ValidatePipeline],
) -> None:
    crawler, pipeline = validate
    item = make_item()
    assert pipeline.process_item(item) is item
    assert dropped(crawler) == {}


GERMAN = (
    "Die Bundesregierung stellt neue Fördermittel für Halbleiterwerke bereit. Der Konzern "
    "erwartet hohe Nachfrage nach Beschleunigern für Rechenzentren, sagte ein Sprecher am "
    "Dienstag. Weitere Werke sollen folgen, wenn Genehmigungen vorliegen. "
) * 5

BAD_ENCODING = " ".join(f"Nvidia\ufffds chip\ufffds sold well in quarter {n}." for n in range(30))


@pytest.mark.parametrize(
    ("fields", "reason", "named"),
    [
        pytest.param(
            {"url": None, "request_url": "https://feed.example.com/item/7"},
            "missing_url",
            "https://feed.example.com/item/7",
            id="missing-url",
        ),
        pytest.param({"text": None}, "empty_body", URL, id="no-body"),
        pytest.param({"text": " \n\n \t "}, "empty_body", URL, id="blank-body"),
        pytest.param({"text": "Groq ships a new chip. " * 10}, "too_short", URL, id="short"),
        pytest.param({"text": BAD_ENCODING}, "bad_encoding", URL, id="bad-encoding"),
        pytest.param({"language": "de"}, "unsupported_language", URL, id="declared-german"),
        pytest.param(
            {"language": None, "text": GERMAN},
            "unsupported_language",
            URL,
            id="undeclared-german",
        ),
    ],
)
def test_validate_drops_with_a_counted_reason_and_the_url(
    validate: tuple[Crawler, ValidatePipeline], fields: dict[str, Any], reason: str, named: str
) -> None:
    crawler, pipeline = validate
    with pytest.raises(DropItem, match=reason) as raised:
        pipeline.process_item(make_item(**fields))
    assert named in str(raised.value)
    assert dropped(crawler) == {reason: 1}


def test_validate_keeps_undeclared_english(validate: tuple[Crawler, ValidatePipeline]) -> None:
    crawler, pipeline = validate
    pipeline.process_item(make_item(language=None))
    assert dropped(crawler) == {}


def test_validate_tolerates_a_few_replacement_characters(
    validate: tuple[Crawler, ValidatePipeline],
) -> None:
    crawler, pipeline = validate
    pipeline.process_item(make_item(text=BODY.replace("Texas", "Texas\ufffd", 1)))
    assert dropped(crawler) == {}


def test_validate_counts_each_drop(validate: tuple[Crawler, ValidatePipeline]) -> None:
    crawler, pipeline = validate
    for _ in range(3):
        with pytest.raises(DropItem):
            pipeline.process_item(make_item(text="too short"))
    assert dropped(crawler) == {"too_short": 3}


def test_validate_min_words_comes_from_settings(tmp_path: Path) -> None:
    settings = load_settings(database_url=f"sqlite:///{tmp_path / 'x.db'}", min_words=5)
    pipeline = build_from_crawler(ValidatePipeline, make_crawler(settings))
    assert pipeline.process_item(make_item(text="Groq ships a new chip today.")) is not None


# --- normalise -----------------------------------------------------------------------


def normalise(**fields: Any) -> ArticleItem:
    return NormalisePipeline().process_item(make_item(**fields))


def test_normalise_follows_a_same_host_amp_canonical() -> None:
    item = normalise(
        url="https://news.example.com/amp/2026/03/groq-deal.html",
        page_canonical="/2026/03/groq-deal.html",
    )
    assert item["canonical_url"] == "https://news.example.com/2026/03/groq-deal.html"


def test_normalise_ignores_a_cross_host_canonical() -> None:
    item = normalise(page_canonical="https://wire.example.org/story/123")
    assert item["canonical_url"] == URL


def test_normalise_ignores_a_non_http_canonical() -> None:
    assert choose_url(URL, "javascript:void(0)") == URL


def test_normalise_strips_tracking_parameters() -> None:
    item = normalise(url=URL + "?utm_source=x&utm_campaign=y&fbclid=abc&page=2")
    assert item["canonical_url"] == URL + "?page=2"


def test_normalise_strips_tracking_from_the_page_canonical_too() -> None:
    item = normalise(page_canonical=URL + "?utm_medium=amp")
    assert item["canonical_url"] == URL


def test_content_hash_ignores_case_and_spacing() -> None:
    first = normalise(text="Groq signs a deal.\n\nNvidia  responds.")
    second = normalise(text="  groq SIGNS a deal. nvidia\tresponds.  ")
    assert first["content_hash"] == second["content_hash"]
    assert first["content_hash"] == content_hash("groq signs a deal. nvidia responds.")
    assert normalise(text="Groq signs a deal.")["content_hash"] != first["content_hash"]


# --- relevance -----------------------------------------------------------------------


def relevance(settings: Settings, source: Source | None = None) -> tuple[Crawler, Callable]:
    crawler = make_crawler(settings, source)
    pipeline = build_from_crawler(RelevancePipeline, crawler)
    pipeline.open_spider()
    return crawler, pipeline.process_item


def test_relevance_keeps_an_article_naming_a_registry_company(plain_settings: Settings) -> None:
    crawler, process = relevance(plain_settings, source_spec())
    item = make_item()
    assert process(item) is item
    assert dropped(crawler) == {}


def test_relevance_keeps_an_article_naming_only_a_product(plain_settings: Settings) -> None:
    _, process = relevance(plain_settings, source_spec())
    text = GARDEN + "\n\nThe glasshouse heating is now scheduled by software running on Ironwood."
    assert process(make_item(title="Garden notes", text=text))


def test_relevance_matches_the_title_too(plain_settings: Settings) -> None:
    _, process = relevance(plain_settings, source_spec())
    assert process(make_item(title="Cerebras opens a garden", text=GARDEN))


def test_relevance_drops_an_off_topic_article(plain_settings: Settings) -> None:
    crawler, process = relevance(plain_settings, source_spec())
    with pytest.raises(DropItem, match=f"off_topic: {URL}"):
        process(make_item(title="Dividing perennials", text=GARDEN))
    assert dropped(crawler) == {"off_topic": 1}


def test_relevance_filter_can_be_switched_off_per_source(plain_settings: Settings) -> None:
    crawler, process = relevance(plain_settings, source_spec(relevance_filter=False))
    item = make_item(title="Dividing perennials", text=GARDEN)
    assert process(item) is item
    assert dropped(crawler) == {}


@pytest.mark.parametrize(
    "sentence",
    [
        "Pineapple growers said the pineapple harvest was the best in a decade.",
        "The charity, an arm of the company, gives seeds to schools; arm yourself with a fork.",
        "Artificial intelligence now waters the beds. Intelligence reports say it works.",
    ],
    ids=["apple-inside-a-word", "arm-lowercase", "intel-inside-a-word"],
)
def test_relevance_is_not_fooled_by_names_inside_words(
    plain_settings: Settings, sentence: str
) -> None:
    crawler, process = relevance(plain_settings, source_spec())
    with pytest.raises(DropItem, match="off_topic"):
        process(make_item(title="Garden notes", text=f"{GARDEN}\n\n{sentence}"))
    assert dropped(crawler) == {"off_topic": 1}


@pytest.mark.parametrize(
    "sentence",
    [
        "Apple said the orchard's sensors run on its own chips.",
        "Arm licensed the design to the garden-robot maker.",
        "Intel supplied the processors for the irrigation controllers.",
    ],
)
def test_relevance_still_finds_the_properly_cased_names(
    plain_settings: Settings, sentence: str
) -> None:
    _, process = relevance(plain_settings, source_spec())
    assert process(make_item(title="Garden notes", text=f"{GARDEN}\n\n{sentence}"))


# --- dedup and store, on a migrated store (SQLite and PostgreSQL) ---------------------


class Crawl:
    """Normalise, dedup and store wired to one test crawler, as Scrapy would run them."""

    def __init__(self, settings: Settings) -> None:
        self.crawler = make_crawler(settings, source_spec())
        self.normalise = build_from_crawler(NormalisePipeline, self.crawler)
        self.dedup = build_from_crawler(DedupPipeline, self.crawler)
        self.store = build_from_crawler(StorePipeline, self.crawler)
        self.dedup.open_spider()
        self.store.open_spider()

    def feed(self, item: ArticleItem) -> ArticleItem:
        item = self.normalise.process_item(item)
        return self.store.process_item(self.dedup.process_item(item))

    def close(self) -> None:
        CrawlStore.for_crawler(self.crawler).close()


@pytest.fixture
def crawls(settings: Settings, engine: Engine) -> Iterator[Callable[[], Crawl]]:
    """Start crawls (each a fresh crawler) against the migrated store."""
    started: list[Crawl] = []

    def start() -> Crawl:
        started.append(Crawl(settings))
        return started[-1]

    yield start
    for crawl in started:
        crawl.close()


def articles(engine: Engine) -> list[Article]:
    with Session(engine) as session:
        return list(session.scalars(select(Article).order_by(Article.id)))


def test_store_writes_the_article_and_its_source(
    crawls: Callable[[], Crawl], engine: Engine
) -> None:
    crawl = crawls()
    crawl.feed(make_item(url=URL + "?utm_source=rss"))
    [article] = articles(engine)
    assert article.url == URL
    assert article.title == "Groq signs inference supply deal"
    assert article.text == BODY
    assert article.content_hash == content_hash(BODY)
    assert article.duplicate_of_id is None
    with Session(engine) as session:
        source = session.get(SourceRow, article.source_id)
        assert source is not None and source.name == "test-source"
    assert crawl.crawler.stats is not None
    assert crawl.crawler.stats.get_value("chipwire/stored") == 1


def test_dedup_drops_the_same_canonical_url_in_one_crawl(
    crawls: Callable[[], Crawl], engine: Engine
) -> None:
    crawl = crawls()
    crawl.feed(make_item())
    with pytest.raises(DropItem, match="duplicate_url"):
        crawl.feed(make_item(url=URL + "?utm_medium=social#comments", text=BODY + " Updated."))
    assert dropped(crawl.crawler) == {"duplicate_url": 1}
    assert len(articles(engine)) == 1


def test_dedup_drops_a_url_stored_by_an_earlier_crawl(
    crawls: Callable[[], Crawl], engine: Engine
) -> None:
    crawls().feed(make_item())
    later = crawls()
    with pytest.raises(DropItem, match=f"duplicate_url: {URL}"):
        later.feed(make_item())
    assert dropped(later.crawler) == {"duplicate_url": 1}
    assert len(articles(engine)) == 1


def test_dedup_drops_the_same_text_under_another_url(
    crawls: Callable[[], Crawl], engine: Engine
) -> None:
    crawl = crawls()
    crawl.feed(make_item())
    other = "https://mirror.example.net/groq-deal"
    with pytest.raises(DropItem, match=f"duplicate_content: {other}"):
        crawl.feed(make_item(url=other, text=BODY.upper().replace("\n\n", " ")))
    assert dropped(crawl.crawler) == {"duplicate_content": 1}
    later = crawls()
    with pytest.raises(DropItem, match="duplicate_content"):
        later.feed(make_item(url=other + "-2"))
    assert len(articles(engine)) == 1


def test_syndicated_near_copy_is_stored_and_linked_to_the_original(
    crawls: Callable[[], Crawl], engine: Engine
) -> None:
    crawl = crawls()
    crawl.feed(make_item())
    copy = make_item(
        url="https://wire.example.org/tech/groq-wins-cloud-contract",
        title="Chip startup Groq wins cloud contract",
        text=BODY + "\n\nReporting by the wire desk; editing by the technology team.",
    )
    assert crawl.feed(copy)["duplicate_of_id"] is not None
    original, linked = articles(engine)
    assert original.duplicate_of_id is None
    assert linked.duplicate_of_id == original.id
    assert linked.title == "Chip startup Groq wins cloud contract"
    assert crawl.crawler.stats is not None
    assert crawl.crawler.stats.get_value("chipwire/duplicates_linked") == 1


def test_near_copies_are_found_from_the_store_in_a_later_crawl(
    crawls: Callable[[], Crawl], engine: Engine
) -> None:
    crawls().feed(make_item())
    crawls().feed(make_item(url="https://wire.example.org/x", text="Exclusive. " + BODY))
    original, linked = articles(engine)
    assert linked.duplicate_of_id == original.id


def test_an_unrelated_article_is_not_linked(crawls: Callable[[], Crawl], engine: Engine) -> None:
    crawl = crawls()
    crawl.feed(make_item())
    crawl.feed(make_item(url="https://news.example.com/garden", text=GARDEN))
    assert [a.duplicate_of_id for a in articles(engine)] == [None, None]


def test_storing_the_same_url_twice_keeps_one_row_and_first_seen(
    crawls: Callable[[], Crawl], engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = crawls().store
    first, second = datetime(2026, 3, 3, 15, tzinfo=UTC), datetime(2026, 3, 4, 9, tzinfo=UTC)
    item = NormalisePipeline().process_item(make_item())
    monkeypatch.setattr("chipwire.spiders.store.utcnow", lambda: first)
    store.process_item(item)
    monkeypatch.setattr("chipwire.spiders.store.utcnow", lambda: second)
    store.process_item(
        NormalisePipeline().process_item(make_item(title="Groq signs deal (updated)"))
    )
    [article] = articles(engine)
    assert article.title == "Groq signs deal (updated)"
    assert article.first_seen_at.replace(tzinfo=UTC) == first
    assert article.fetched_at.replace(tzinfo=UTC) == second


def test_each_store_is_its_own_transaction(crawls: Callable[[], Crawl], engine: Engine) -> None:
    store = crawls().store
    good = NormalisePipeline().process_item(make_item())
    store.process_item(good)
    broken = NormalisePipeline().process_item(make_item(url="https://news.example.com/broken"))
    broken["kind"] = "not-a-kind"  # violates the article.kind check constraint
    with pytest.raises(IntegrityError, match="kind"):
        store.process_item(broken)
    after = NormalisePipeline().process_item(
        make_item(url="https://news.example.com/garden", text=GARDEN)
    )
    store.process_item(after)
    assert [a.url for a in articles(engine)] == [URL, "https://news.example.com/garden"]
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(Article)) == 2
