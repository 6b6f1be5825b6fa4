"""Open an HTML file in a real headless Chromium and report what a reader's browser would see.

The briefing promises to be one self-contained file: inline CSS and SVG, no scripts, nothing
fetched. Parsing the HTML cannot prove that (a CSS ``url()``, a ``srcset``, a protocol-relative
link all hide from a regex), so the tests open the file in Chromium and record every request and
every console error, and save desktop and phone screenshots for a human to look at.

Playwright drives the Chromium that Debian packages (``apt-get install chromium``, which
``.ci/run`` does), never a browser Playwright downloads: that download needs internet access
that CI does not have. Without a Chromium the browser tests skip with a reason saying how to get
one.

Nothing is blocked or routed, so every request the page makes shows up in the report. Host
names (IP literals included) resolve to "not found" instead, so a stray request fails at once,
identically with or without internet, instead of reaching the network or stalling the load.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, ConsoleMessage, Error, Request

CHROMIUM_ENV = "CHIPWIRE_CHROMIUM"
ARTIFACTS_ENV = "CHIPWIRE_TEST_ARTIFACTS"
DEBIAN_CHROMIUM = "/usr/bin/chromium"
OTHER_NAMES = ("chromium", "chromium-browser", "google-chrome")

# A hung browser must fail the test, not hang CI. Every wait below is bounded by this.
TIMEOUT_MS = 30_000

# Keyword arguments of Browser.new_context, by screenshot name.
VIEWPORTS: dict[str, dict[str, Any]] = {
    "desktop": {"viewport": {"width": 1280, "height": 900}},
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "device_scale_factor": 2,
        "is_mobile": True,
        "has_touch": True,
    },
}

LAUNCH_ARGS = [
    # Every host name and IP literal fails to resolve: requests are still reported, never sent.
    "--host-resolver-rules=MAP * ~NOTFOUND",
    # Containers often have a 64 MB /dev/shm, too small for rendering; use /tmp instead.
    "--disable-dev-shm-usage",
]

# tests/conftest.py's autouse `isolated_env` deletes every CHIPWIRE_* variable before each test,
# so the settings are read once here, at collection time, while they are still visible.
_SETTINGS_AT_IMPORT = {name: os.environ.get(name) for name in (CHROMIUM_ENV, ARTIFACTS_ENV)}


def _setting(name: str) -> str | None:
    return os.environ.get(name) or _SETTINGS_AT_IMPORT[name]


@dataclass
class PageReport:
    """What Chromium saw while loading one HTML file, at both screen sizes."""

    console_errors: list[str] = field(default_factory=list)
    """Console messages of type error, then uncaught page errors as ``Uncaught Name: message``."""
    requests: list[str] = field(default_factory=list)
    """Every URL the page requested, the document itself included, first occurrence order."""
    screenshots: dict[str, Path] = field(default_factory=dict)
    """Full-page PNGs by viewport name: ``desktop`` and ``phone``."""
    title: str = ""
    headings: list[str] = field(default_factory=list)
    """Rendered text of every h1, h2 and h3 in document order (desktop layout)."""


def chromium_path() -> str | None:
    """The Chromium to drive: $CHIPWIRE_CHROMIUM, Debian's, or one on PATH; None if none."""
    configured = _setting(CHROMIUM_ENV)
    if configured:
        return configured
    if os.access(DEBIAN_CHROMIUM, os.X_OK):
        return DEBIAN_CHROMIUM
    for name in OTHER_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def require_browser() -> str:
    """The Chromium path, or skip the calling test saying what is missing and how to get it."""
    if importlib.util.find_spec("playwright") is None:
        pytest.skip(
            "browser test skipped: the playwright Python package is not installed "
            "(pip install -e '.[test]')"
        )
    path = chromium_path()
    if path is None:
        pytest.skip(
            "browser test skipped: no Chromium found; install Debian's chromium package "
            f"(apt-get install chromium) or set {CHROMIUM_ENV}=/path/to/chromium"
        )
    return path


def artifacts_dir(tmp_path: Path) -> Path:
    """Where a test saves its screenshots: kept under $CHIPWIRE_TEST_ARTIFACTS, else tmp_path.

    CI sets the variable so the screenshots outlive the run; one sub-directory per test keeps
    two tests' files apart.
    """
    root = _setting(ARTIFACTS_ENV)
    if not root:
        return tmp_path
    current = os.environ.get("PYTEST_CURRENT_TEST", "")  # "tests/x.py::test_y[p] (call)"
    name = current.rsplit(" ", 1)[0].rsplit("/", 1)[-1] if current else tmp_path.name
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "-", name.replace(".py::", "-")).strip("-")
    directory = Path(root).resolve() / (safe or tmp_path.name)
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def open_page(html_file: Path, artifacts: Path) -> PageReport:
    """Load ``html_file`` from disk at desktop and phone size; report and screenshot both.

    Both sizes are loaded separately because media queries can pull in different resources;
    requests and errors from both land in the one report.
    """
    executable = require_browser()
    # Imported here, after the skip, so a machine without playwright still collects the tests.
    from playwright.sync_api import sync_playwright

    url = html_file.resolve().as_uri()
    artifacts.mkdir(parents=True, exist_ok=True)
    report = PageReport()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable,
            headless=True,
            # Playwright's default, spelled out: as root, Chromium refuses to start sandboxed.
            chromium_sandbox=False,
            args=LAUNCH_ARGS,
            timeout=TIMEOUT_MS,
        )
        try:
            for name in VIEWPORTS:
                _load(browser, name, url, html_file, artifacts, report)
        finally:
            browser.close()
    return report


def _load(
    browser: Browser, name: str, url: str, html_file: Path, artifacts: Path, report: PageReport
) -> None:
    context = browser.new_context(**VIEWPORTS[name])
    try:
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        page = context.new_page()

        def on_request(request: Request) -> None:
            if request.url not in report.requests:
                report.requests.append(request.url)

        def on_console(message: ConsoleMessage) -> None:
            if message.type == "error":
                report.console_errors.append(message.text)

        def on_page_error(error: Error) -> None:
            report.console_errors.append(f"Uncaught {error.name}: {error.message}")

        page.on("request", on_request)
        page.on("console", on_console)
        page.on("pageerror", on_page_error)
        # "load" waits for images, styles and fonts; failed requests end it like finished ones.
        page.goto(url, wait_until="load")
        shot = artifacts / f"{html_file.stem}-{name}.png"
        page.screenshot(path=shot, full_page=True)
        report.screenshots[name] = shot
        if name == "desktop":
            report.title = page.title()
            report.headings = page.locator("h1, h2, h3").all_inner_texts()
    finally:
        context.close()
