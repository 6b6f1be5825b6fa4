"""The browser harness itself: it passes a clean page and catches a bad one.

The briefing's browser test trusts tests/browser.py to notice an external request or a console
error; these two pages prove it does, so a passing briefing test means something.
"""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from tests.browser import artifacts_dir, open_page, require_browser

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
# A 1x1 GIF inline: data: URLs are part of the file, so they must not count as requests.
DOT = "data:image/gif;base64,R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw=="

CLEAN = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Harness check</title>
<style>
  body { font-family: sans-serif; margin: 2rem; }
  h2 { text-transform: uppercase; }
  .bar { fill: #2a6; }
</style>
</head>
<body>
<h1>Weekly briefing</h1>
<p>Intro paragraph.</p>
<h2>Deals</h2>
<svg width="200" height="60" viewBox="0 0 200 60" role="img" aria-label="bars">
  <rect class="bar" x="0" y="10" width="150" height="15"/>
  <rect class="bar" x="0" y="35" width="90" height="15"/>
</svg>
<h3>Funding rounds</h3>
<img alt="dot" src="@DOT@">
<h2>Benchmarks</h2>
</body>
</html>
""".replace("@DOT@", DOT)

BAD = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Bad page</title></head>
<body>
<h1>Leaky</h1>
<img alt="remote" src="http://example.invalid/x.png">
<script>console.error("boom")</script>
</body>
</html>
"""


@pytest.fixture
def chromium() -> str:
    """Skip, with the reason, where no Chromium (or no playwright) can be had."""
    return require_browser()


def png_size(path: Path) -> tuple[int, int]:
    """Width and height from the IHDR chunk, which always directly follows the signature."""
    data = path.read_bytes()
    assert data[:8] == PNG_MAGIC, f"{path} is not a PNG"
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_clean_page_reports_nothing_and_screenshots_both_sizes(
    chromium: str, tmp_path: Path
) -> None:
    page = tmp_path / "clean.html"
    page.write_text(CLEAN, encoding="utf-8")
    artifacts = artifacts_dir(tmp_path)

    report = open_page(page, artifacts)

    assert report.console_errors == []
    assert report.requests == [page.resolve().as_uri()]
    assert report.title == "Harness check"
    # As rendered: text-transform applies, and the order is the document's, not by level.
    assert report.headings == ["Weekly briefing", "DEALS", "Funding rounds", "BENCHMARKS"]
    assert set(report.screenshots) == {"desktop", "phone"}
    assert report.screenshots["desktop"] == artifacts / "clean-desktop.png"
    assert report.screenshots["phone"] == artifacts / "clean-phone.png"
    desktop_width, _ = png_size(report.screenshots["desktop"])
    phone_width, phone_height = png_size(report.screenshots["phone"])
    assert desktop_width == 1280
    assert phone_width == 390 * 2  # device_scale_factor 2
    assert phone_height >= 844 * 2  # full page: at least the viewport


def test_bad_page_reports_external_request_and_console_error(chromium: str, tmp_path: Path) -> None:
    page = tmp_path / "bad.html"
    page.write_text(BAD, encoding="utf-8")

    report = open_page(page, artifacts_dir(tmp_path))

    assert report.requests == [page.resolve().as_uri(), "http://example.invalid/x.png"]
    assert "boom" in report.console_errors
    # The failed image load is itself a console error in Chromium.
    assert any("ERR_NAME_NOT_RESOLVED" in error for error in report.console_errors)
    assert report.headings == ["Leaky"]
    assert all(path.stat().st_size > 0 for path in report.screenshots.values())
