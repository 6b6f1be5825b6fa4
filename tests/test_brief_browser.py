"""The briefing in a real browser: headless Chromium opens it from disk, with no console
error and no request beyond the file itself; desktop and phone screenshots are kept
(``$CHIPWIRE_TEST_ARTIFACTS`` in CI)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from chipwire.reports.render import write_week
from chipwire.reports.week import parse_week
from tests.briefing_store import WEEK, build
from tests.browser import artifacts_dir, open_page, require_browser
from tests.test_brief import SECTIONS


@pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)
def test_the_briefing_opens_cleanly_in_chromium(engine: Engine, tmp_path: Path) -> None:
    require_browser()
    build(engine)
    with Session(engine) as session:
        page = write_week(session, parse_week(WEEK, "UTC"), tmp_path / "briefings")
    report = open_page(page, artifacts_dir(tmp_path))
    assert report.console_errors == []
    assert report.requests == [page.resolve().as_uri()]
    assert report.title == f"chipwire briefing {WEEK}"
    assert report.headings[0] == f"AI-chip briefing, {WEEK}"
    assert [h for h in report.headings if h in SECTIONS] == SECTIONS
    for shot in report.screenshots.values():
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
