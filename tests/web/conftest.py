"""Browser tests: the real API served by uvicorn, a host page on another origin, and
Debian's Chromium driven by Playwright (the browser cannot be downloaded here: `make test`
installs the `chromium` package). Screenshots go to ``artifacts/screenshots``."""

from __future__ import annotations

import os
import shutil
import threading
import time
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
import uvicorn

from assistant.api import create_app
from assistant.runtime import Runtime

from tests.conftest import ROOT
from tests.fakes import free_port

ARTIFACTS = Path(os.environ.get("ASSISTANT_TEST_ARTIFACTS", ROOT / "artifacts")) / "screenshots"
# A city page whose CSS is as hostile as it gets: it restyles every element, with !important.
HOSTILE_CSS = """
* { font-family: "Comic Sans MS", cursive !important; color: #f0f !important; background: #ff0 !important;
    box-sizing: content-box !important; line-height: 3 !important; }
div, section, button, textarea { display: inline !important; position: static !important; width: 12px !important;
    border: 5px dashed red !important; padding: 30px !important; margin: 40px !important; transform: rotate(3deg) !important; }
body > div { opacity: .2 !important; visibility: hidden !important; }
button { font-size: 40px !important; }
"""
HOST_PAGE = """<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title><style>{css}</style></head>
<body>
  <a id="first-link" href="{other}">Trang khác của Cổng thông tin</a>
  <h1 id="page-title">Cổng thông tin điện tử thành phố Đà Nẵng</h1>
  <p>Trang thử nghiệm nhúng trợ lý.</p>
  <button id="page-button">Nút của trang</button>
  <script src="{api}/widget.js" data-api="{api}" data-title="Trợ lý Kế hoạch Đà Nẵng" async></script>
</body></html>
"""


def chromium_path() -> str:
    for name in ("chromium", "chromium-browser"):
        path = shutil.which(name)
        if path:
            return path
    pytest.fail("Chromium is not installed: `make test` installs it (apt-get install chromium)")


class Servers:
    """The API on 127.0.0.1 and the city's host pages on localhost: two origins."""

    def __init__(self, runtime: Runtime, tmp: Path, **settings_update: object) -> None:
        self.api_port, self.site_port = free_port(), free_port()
        self.api = f"http://127.0.0.1:{self.api_port}"
        self.site = f"http://localhost:{self.site_port}"
        settings = runtime.settings.model_copy(update={"cors_origins": self.site, **settings_update})
        self.app = create_app(settings, runtime=runtime)
        self._uvicorn = uvicorn.Server(uvicorn.Config(self.app, host="127.0.0.1", port=self.api_port, log_level="warning"))
        threading.Thread(target=self._uvicorn.run, daemon=True).start()
        pages = tmp / "site"
        pages.mkdir()
        for name, other in (("page.html", "page2.html"), ("page2.html", "page.html")):
            html = HOST_PAGE.format(title=name, css=HOSTILE_CSS, other=other, api=self.api)
            (pages / name).write_text(html, encoding="utf-8")
        handler = partial(_QuietHandler, directory=str(pages))
        self._site = ThreadingHTTPServer(("127.0.0.1", self.site_port), handler)
        threading.Thread(target=self._site.serve_forever, daemon=True).start()
        self._wait_ready()

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.api}/readyz", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise RuntimeError("the API did not become ready")

    def stop(self) -> None:
        self._uvicorn.should_exit = True
        self._site.shutdown()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def servers(corpus_runtime: Runtime, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servers]:
    running = Servers(corpus_runtime, tmp_path_factory.mktemp("web"))
    yield running
    running.stop()


# Running as root in a closed network: no sandbox, and no background calls home.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture(scope="session")
def playwright_driver() -> Iterator[object]:
    """One Playwright driver for the session (two cannot share a thread)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


def launch_chromium(playwright, *extra_args: str):  # type: ignore[no-untyped-def]
    """Debian's Chromium through Playwright, headless."""
    return playwright.chromium.launch(executable_path=chromium_path(), headless=True, args=[*CHROMIUM_ARGS, *extra_args])


@pytest.fixture(scope="session")
def browser(playwright_driver) -> Iterator[object]:  # type: ignore[no-untyped-def]
    launched = launch_chromium(playwright_driver)
    yield launched
    launched.close()


@pytest.fixture
def page(browser) -> Iterator[object]:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="vi-VN", accept_downloads=True)
    context.set_default_timeout(20_000)
    yield context.new_page()
    context.close()


def screenshot(page, name: str) -> Path:  # type: ignore[no-untyped-def]
    """Save a screenshot as a test artifact."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path
