"""The app in a real browser: live frames per second, slider-to-prediction latency, cold start, memory.

Starts its own server (as the e2e tests do) and a headless Chromium; prints a table and the targets.
Run from anywhere: ``python benchmarks/bench_browser.py``.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from playwright.sync_api import Page, expect, sync_playwright  # noqa: E402

from tests.e2e.server import launch_chromium, rss_kib, start_server, stop_server, wait_until_drawn  # noqa: E402

SLIDER_MOVES = 20
TRAINING_TIMEOUT_MS = 120_000
TARGETS = {
    "frames/s": ">= 10 while training",
    "slider median": "<= 150 ms",
    "slider p95": "<= 300 ms",
    "cold start": "<= 4 s",
}

# Timestamps (performance.now) of every change of the Epoch metric's text.
RECORD_EPOCHS = """() => {
    window.__frames = [];
    let last = null;
    const observe = () => {
        const metric = document.querySelector('[data-metric="Epoch"]');
        const value = metric?.textContent.trim();
        if (value !== undefined && value !== last) {
            last = value;
            window.__frames.push([performance.now(), value]);
        }
    };
    const options = {subtree: true, childList: true, characterData: true};
    new MutationObserver(observe).observe(document.body, options);
}"""

# Timestamp of the next change of the prediction text in the "Ask the network" tab.
WATCH_PREDICTION = """(panel) => {
    const target = [...panel.querySelectorAll('[data-testid="stMarkdownContainer"]')]
        .find((m) => m.innerText.includes('Predicted'));
    window.__before = target.innerText;
    window.__changedAt = null;
    const observer = new MutationObserver(() => {
        const now = [...panel.querySelectorAll('[data-testid="stMarkdownContainer"]')]
            .find((m) => m.innerText.includes('Predicted'));
        if (now && now.innerText !== window.__before && window.__changedAt === null) {
            window.__changedAt = performance.now();
            observer.disconnect();
        }
    });
    observer.observe(panel, {subtree: true, childList: true, characterData: true});
}"""


def train_and_count_frames(page: Page, epochs_text: str) -> tuple[float, int, float]:
    """Press Train; frames per second of the Epoch counter while it ran, frames seen, seconds."""
    page.evaluate(RECORD_EPOCHS)
    page.get_by_role("button", name="Train", exact=True).click()
    page.wait_for_function(
        "(text) => window.__frames.some(([, value]) => value === text)", arg=epochs_text,
        timeout=TRAINING_TIMEOUT_MS,
    )  # fmt: skip
    wait_until_drawn(page)
    frames = page.evaluate("window.__frames")
    moving = [time for time, value in frames if value != "0"]
    # Frames per second between the first and last new value: the counter's own update rate.
    seconds = (moving[-1] - moving[0]) / 1000 if len(moving) > 1 else float("nan")
    return (len(moving) - 1) / seconds, len(moving), seconds


def slider_latencies(page: Page) -> list[float]:
    """Milliseconds from a key press on the first input slider to the new prediction text.

    The keys alternate End and Home: one ArrowRight step moves the input so little that the rounded
    probability shown often stays the same, so there would be no change to time.
    """
    page.get_by_role("tab", name="Ask the network").click()
    panel = page.get_by_role("tabpanel", name="Ask the network")
    expect(panel.get_by_test_id("stMarkdownContainer").filter(has_text="Predicted")).to_be_visible()
    thumb = panel.get_by_role("slider").first
    latencies = []
    for move in range(SLIDER_MOVES):
        wait_until_drawn(page)
        panel.evaluate(WATCH_PREDICTION)
        thumb.focus()
        pressed_at = page.evaluate("performance.now()")
        page.keyboard.press("End" if move % 2 == 0 else "Home")
        page.wait_for_function("() => window.__changedAt !== null", timeout=10_000)
        latencies.append(page.evaluate("window.__changedAt") - pressed_at)
    return latencies


def cold_start(browser) -> tuple[float, float]:
    """Seconds from spawning the server to the health check, and to the first fully drawn page."""
    server = start_server()
    try:
        healthy = time.perf_counter() - server.started_at
        page = browser.new_page(viewport={"width": 1280, "height": 720})
        page.goto(server.url)
        wait_until_drawn(page)
        expect(page.locator('[data-metric="Epoch"]')).to_be_visible()
        drawn = time.perf_counter() - server.started_at
        page.close()
    finally:
        stop_server(server)
    return healthy, drawn


def load_spiral(page: Page) -> None:
    page.get_by_role("combobox", name="Data set").click()
    page.get_by_role("option", name="Spiral", exact=True).click()  # choosing loads it
    wait_until_drawn(page)
    expect(page.get_by_text("Table now: Spiral")).to_be_visible()


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main() -> None:
    rows: list[tuple[str, str, str]] = []
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            healthy, drawn = cold_start(browser)
            rows.append(("cold start: health answers", f"{healthy:.2f} s", ""))
            rows.append(("cold start: first drawn page", f"{drawn:.2f} s", TARGETS["cold start"]))

            server = start_server()
            try:
                page = browser.new_page(viewport={"width": 1280, "height": 720})
                page.goto(server.url)
                wait_until_drawn(page)
                fps, frames, seconds = train_and_count_frames(page, "1,000")
                rows.append(
                    (f"live view, tutorial ({frames} frames in {seconds:.1f} s)", f"{fps:.1f} /s",
                     TARGETS["frames/s"])
                )  # fmt: skip
                latencies = slider_latencies(page)
                rows.append(
                    (f"slider → prediction, median of {len(latencies)}",
                     f"{statistics.median(latencies):.0f} ms", TARGETS["slider median"])
                )  # fmt: skip
                rows.append(
                    ("slider → prediction, 95th percentile", f"{percentile(latencies, 0.95):.0f} ms",
                     TARGETS["slider p95"])
                )  # fmt: skip
                page.close()

                page = browser.new_page(viewport={"width": 1280, "height": 720})
                page.goto(server.url)
                wait_until_drawn(page)
                load_spiral(page)
                fps, frames, seconds = train_and_count_frames(page, "300")
                rows.append(
                    (f"live view, Spiral preset ({frames} frames in {seconds:.1f} s)", f"{fps:.1f} /s",
                     TARGETS["frames/s"])
                )  # fmt: skip
                page.close()
                rows.append(
                    (
                        "server memory (VmRSS) after the runs",
                        f"{rss_kib(server.process.pid) / 1024:.0f} MiB",
                        "",
                    )
                )
            finally:
                stop_server(server)
        finally:
            browser.close()

    width = max(len(name) for name, _, _ in rows)
    print(f"{'measure':<{width}}  {'value':>10}  target")
    for name, value, target in rows:
        print(f"{name:<{width}}  {value:>10}  {target}")


if __name__ == "__main__":
    main()
