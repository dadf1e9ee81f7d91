"""Screenshots of preview pages through headless Chromium (Debian's chromium, driven by Playwright).

The browser opens file:// pages only and every other request is refused: a preview must not reach the network,
and a screenshot that needed it would show what the network said, not the data.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from core.errors import ToolError, UsageError

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

CHROMIUM_ENV = "DASH_CHROMIUM"  # a browser elsewhere than Debian's /usr/bin/chromium
WIDTH = 1600
_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-extensions",
          "--disable-sync", "--no-first-run", "--disable-default-apps")  # fmt: skip


class BrowserError(ToolError):
    """Chromium or Playwright is missing, or a page did not draw."""


def chromium_path() -> str:
    """Debian's chromium (or $DASH_CHROMIUM), else an error saying how to install it."""
    found = os.environ.get(CHROMIUM_ENV) or shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        raise UsageError(
            f"--png needs Chromium: install Debian's package (apt-get install chromium) or set {CHROMIUM_ENV} "
            "to a Chromium binary"
        )
    return found


@dataclass
class PageLog:
    """What a page did besides drawing: console errors, uncaught exceptions, and requests refused."""

    errors: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)


@contextmanager
def browser() -> Iterator[Browser]:
    """A headless Chromium for the duration of the block."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise UsageError("--png needs the playwright package: pip install playwright (no browser download)") from None
    from playwright.sync_api import Error

    executable = chromium_path()
    try:
        with sync_playwright() as driver:
            launched = driver.chromium.launch(executable_path=executable, headless=True, args=list(_FLAGS))
            try:
                yield launched
            finally:
                launched.close()
    except Error as exc:
        raise BrowserError(f"Chromium ({executable}) failed: {exc.message.splitlines()[0]}") from None


def open_page(chromium: Browser, html: Path, log: PageLog, timeout_ms: int = 60_000) -> Page:
    """``html`` opened with every request but the file itself refused, once its charts have drawn."""
    page = chromium.new_context(viewport={"width": WIDTH, "height": 900}).new_page()
    page.on("console", lambda message: log.errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: log.errors.append(str(error)))
    url = html.resolve().as_uri()

    def route(r: object) -> None:
        request = r.request  # type: ignore[attr-defined]
        if request.url == url:
            r.continue_()  # type: ignore[attr-defined]
        else:
            log.refused.append(request.url)
            r.abort()  # type: ignore[attr-defined]

    page.route("**/*", route)
    page.goto(url, wait_until="load", timeout=timeout_ms)
    try:
        page.wait_for_selector("body[data-ready='1']", state="attached", timeout=timeout_ms)
    except Exception as exc:  # playwright's TimeoutError: the charts' script did not finish
        raise BrowserError(f"{html}: the page's charts did not draw ({log.errors or exc})") from None
    return page


def screenshots(pages: Sequence[Path]) -> list[Path]:
    """A full-page PNG beside each HTML page (same name, .png)."""
    written = []
    with browser() as chromium:
        for html in pages:
            log = PageLog()
            page = open_page(chromium, html, log)
            target = html.with_suffix(".png")
            page.screenshot(path=str(target), full_page=True)
            page.context.close()
            written.append(target)
    return written
