"""Take the README's screenshots: the playground after Train at 1280×720, and workshop mode at 1920×1080
after the spiral preset has trained. Starts its own server and headless Chromium, as the browser tests do.

Run: python scripts/readme_screenshots.py   (writes docs/playground-1280x720.png and
docs/workshop-1920x1080.png)
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from playwright.sync_api import Browser, sync_playwright  # noqa: E402

from tests.e2e.pages import choose, open_tab, train_to_end  # noqa: E402
from tests.e2e.server import launch_chromium, start_server, stop_server, wait_until_drawn  # noqa: E402

DOCS = ROOT / "docs"


def playground_after_training(browser: Browser, url: str) -> Path:
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    page.goto(url)
    wait_until_drawn(page)
    train_to_end(page)
    path = DOCS / "playground-1280x720.png"
    page.screenshot(path=path)
    page.close()
    return path


def workshop_after_training(browser: Browser, url: str) -> Path:
    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    page.goto(f"{url}?workshop=1")
    wait_until_drawn(page)
    open_tab(page, "Playground")
    choose(page, "Data set", "Spiral")
    train_to_end(page)
    path = DOCS / "workshop-1920x1080.png"
    page.screenshot(path=path)
    page.close()
    return path


def main() -> None:
    server = start_server()
    try:
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            for take in (playground_after_training, workshop_after_training):
                print(take(browser, server.url).relative_to(ROOT))
            browser.close()
    finally:
        stop_server(server)


if __name__ == "__main__":
    main()
