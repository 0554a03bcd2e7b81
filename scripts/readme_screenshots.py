"""Take the README's screenshots: the playground after Train at 1280×720, workshop mode at 1920×1080
after the spiral preset has trained, and the teaching views at 1280×720 (the chain rule, the hidden
layer's space, the learning rates, the tour's epoch person by person), the Circle learnt with x1² and x2²
and no hidden layer, and the tour's step on features. Starts its own server and
headless Chromium, as the browser tests do.

Run: python scripts/readme_screenshots.py   (writes docs/*.png)
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from collections.abc import Callable  # noqa: E402

from playwright.sync_api import Browser, Page, expect, sync_playwright  # noqa: E402

from tests.e2e.pages import button, choose, open_tab, set_number, train_to_end  # noqa: E402
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


def teaching_view(browser: Browser, url: str, view: tuple[str, str, str, Callable[[Page], None]]) -> Path:
    """After the tutorial's Train: the view's tab opened, its action done, its heading at the top."""
    tab, top, name, act, trained = view
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    page.goto(url)
    wait_until_drawn(page)
    if trained:
        train_to_end(page)
    open_tab(page, tab)
    wait_until_drawn(page)
    act(page)
    page.get_by_text(top, exact=True).first.evaluate("(element) => element.scrollIntoView({block: 'start'})")
    page.wait_for_timeout(1_000)  # the charts' own drawing
    path = DOCS / name
    page.screenshot(path=path)
    page.close()
    return path


def overshoot(page: Page) -> None:
    button(page, "Train side by side").click()
    expect(page.locator('[data-testid="stVegaLiteChart"]')).to_have_count(2)  # the curves beside the slice
    wait_until_drawn(page)
    page.get_by_role("button", name="Show a step that overshoots").click()
    wait_until_drawn(page)


def tour_step(browser: Browser, url: str, step: str, name: str, act: Callable[[Page], None]) -> Path:
    """A tour step opened by its link, its action done."""
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    page.goto(f"{url}?tour={step}")
    wait_until_drawn(page)
    act(page)
    page.wait_for_timeout(1_000)  # the charts' own drawing
    path = DOCS / name
    page.screenshot(path=path)
    page.close()
    return path


def one_epoch_person_by_person(page: Page) -> None:
    for _ in range(4):
        page.locator(".st-key-tour_sgd_next button").first.click()
        wait_until_drawn(page)


def circle_with_squares(browser: Browser, url: str) -> Path:
    """The Circle data set learnt by a network with no hidden layer, given x1² and x2²."""
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    page.goto(url)
    wait_until_drawn(page)
    choose(page, "Data set", "Circle")
    set_number(page, "Hidden layers", "0")
    chooser = page.get_by_test_id("stSidebar").get_by_role("combobox", name="Derived inputs")
    for typed in ("x1²", "x2²"):
        chooser.press_sequentially(typed, delay=40)
        chooser.press("Enter")
        wait_until_drawn(page)
    chooser.press("Escape")
    train_to_end(page)
    path = DOCS / "features-circle-1280x720.png"
    page.screenshot(path=path)
    page.close()
    return path


def look(page: Page) -> None:
    """Nothing to do in the tab but look."""


# (tab, the text to scroll to the top, file, what to do in the tab, whether to train first). The
# learning rates start untrained: there one step of a large rate jumps across the loss's valley.
TEACHING_VIEWS = (
    ("Backprop, step by step", "2. The chain rule, link by link", "chain-rule-1280x720.png", look, True),
    ("Hidden layer's space", "Hidden layer's space", "hidden-space-1280x720.png", look, True),
    ("Learning rates", "Learning rates", "learning-rates-1280x720.png", overshoot, False),
)


def main() -> None:
    server = start_server()
    try:
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            shots = [
                playground_after_training(browser, server.url),
                workshop_after_training(browser, server.url),
                *(teaching_view(browser, server.url, view) for view in TEACHING_VIEWS),
                tour_step(browser, server.url, "sgd", "tour-epoch-1280x720.png", one_epoch_person_by_person),
                circle_with_squares(browser, server.url),
                tour_step(browser, server.url, "features", "tour-features-1280x720.png", look),
            ]
            for path in shots:
                print(path.relative_to(ROOT))
            browser.close()
    finally:
        stop_server(server)


if __name__ == "__main__":
    main()
