"""Golden test over every registered source: stored fixture in, expected items out.

Like Fundus' per-publisher test: each source in spiders/sources has a fixture
folder (tests/fixtures/sources/<name>/) whose stored documents are run through
the source's real spider callbacks; the links found and the article parsed must
equal expected.json.  `chipwire fixtures NAME` records or refreshes a folder.
"""

from __future__ import annotations

import json

import pytest

from chipwire.pipeline.config import DEFAULT_SOURCES
from chipwire.spiders.devtools.golden import Fixture, run_fixture
from chipwire.spiders.sources import load_sources
from tests.conftest import REPO

FIXTURES = REPO / "tests" / "fixtures" / "sources"
SOURCES = load_sources(DEFAULT_SOURCES)


def test_there_are_enough_default_sources_of_every_kind() -> None:
    kinds = {source.kind for source in SOURCES}
    assert len(SOURCES) >= 15
    assert {"rss", "sitemap", "listing", "youtube"} <= kinds
    press = [s for s in SOURCES if s.article_kind == "press_release"]
    assert len(press) >= 4


def test_every_source_has_a_fixture_folder_and_nothing_else_does() -> None:
    folders = {path.name for path in FIXTURES.iterdir() if path.is_dir()}
    assert folders == {source.name for source in SOURCES}


@pytest.mark.parametrize("source", list(SOURCES), ids=lambda source: source.name)
def test_source_golden(source) -> None:
    folder = FIXTURES / source.name
    fixture = Fixture.load(folder)
    assert fixture.start_url == source.url
    expected_path = folder / "expected.json"
    assert expected_path.is_file(), f"run `chipwire fixtures {source.name} --offline`"
    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    actual = run_fixture(source, folder)
    assert actual == expected
    # The golden output must be a useful article, not an empty one frozen in place.
    assert actual["links"] and actual["links"][0] == fixture.article_url
    article = actual["article"]
    assert article is not None and article["words"] >= 80
    assert article["title"] and article["language"] == "en"
    assert article["kind"] == source.article_kind


def test_documented_sources_match_the_registry() -> None:
    doc = (REPO / "docs" / "sources.md").read_text(encoding="utf-8")
    listed = {line.split("`")[1] for line in doc.splitlines() if line.startswith("| `")}
    assert listed == {source.name for source in SOURCES}


def test_unverified_sources_say_what_to_check() -> None:
    for source in SOURCES:
        if not source.verified:
            assert source.notes, f"{source.name}: unverified sources need notes"
