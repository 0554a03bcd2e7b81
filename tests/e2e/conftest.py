"""Browser tests: one Streamlit server for the session, one Chromium, a fresh page (session) per test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.e2e.server import launch_chromium, start_server, stop_server, wait_until_drawn

VIEWPORT = {"width": 1280, "height": 720}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "e2e: drives the real app in a headless browser (slow)")


@pytest.fixture(scope="session")
def app_url() -> Iterator[str]:
    """The base URL of the app (``python serve.py``) on a free port; the server is stopped afterwards."""
    server = start_server()
    try:
        yield server.url
    finally:
        stop_server(server)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser: Browser, app_url: str) -> Iterator[Page]:
    """A new browser context (so a new Streamlit session) showing the fully drawn app at 1280×720."""
    context = browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(30_000)
    opened = context.new_page()
    opened.goto(app_url)
    wait_until_drawn(opened)
    try:
        yield opened
    finally:
        context.close()
