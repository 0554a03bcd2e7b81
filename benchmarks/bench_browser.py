"""The app in a real browser: live frames per second, bytes and server CPU per frame, slider-to-prediction
latency (idle and while training), time to open (first visitor and later ones), memory.

Starts its own server (as the e2e tests do) and a headless Chromium; prints a table and the targets.
Run from anywhere: ``python benchmarks/bench_browser.py``.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from playwright.sync_api import Browser, Page, expect, sync_playwright  # noqa: E402
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError  # noqa: E402

from playground.controller import SLICE_SECONDS  # noqa: E402
from playground.settings import MAX_HIDDEN_LAYERS, MAX_NEURONS  # noqa: E402
from tests.e2e.pages import button, choose, ink, picture_canvas, set_number  # noqa: E402
from tests.e2e.server import launch_chromium, rss_kib, start_server, stop_server, wait_until_drawn  # noqa: E402

SLIDER_MOVES = 20
ANSWER_TIMEOUT_MS = 3_000
OPENS = 5
LONG_RUN_EPOCHS = "100000"
MEASURE_SECONDS = 6.0
TARGETS = {
    "frames/s": ">= 30 while training",
    "bytes": "<= 20 KB",
    "server": "<= 5 ms besides training",
    "server 6 x 16": "<= 10 ms besides training",
    "slider median": "<= 100 ms",
    "open": "<= 2 s",
}

# [timestamp (performance.now), text] of every change of the Epoch figure; one observer per page, however
# often it is called (two would count every frame twice).
RECORD_EPOCHS = """() => {
    window.__frames = [];
    if (window.__recording) return;
    window.__recording = true;
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

# Timestamp of the first answer in the "Ask the network" tab for the first slider's new value: the
# caption under the prediction starts "At <input> = <value as the slider shows it>". (While the network
# trains the answer is also asked again every 0.3 s: only an answer at the new value counts.)
WATCH_ANSWER = """(panel) => {
    const slider = panel.querySelector('input[type="range"]');
    const caption = () => panel.querySelector('[data-testid="stCaptionContainer"]')?.innerText ?? '';
    const before = slider.getAttribute('aria-valuetext');
    window.__changedAt = null;
    const observer = new MutationObserver(() => {
        const now = slider.getAttribute('aria-valuetext');
        if (now !== before && caption().split(',')[0].endsWith(' = ' + now) && window.__changedAt === null) {
            window.__changedAt = performance.now();
            observer.disconnect();
        }
    });
    observer.observe(panel, {subtree: true, childList: true, characterData: true, attributes: true});
}"""


@dataclass
class LiveFigures:
    frames_per_second: float
    frames: int
    bytes_per_frame: float
    server_ms_per_frame: float  # CPU time of the server process, training included


class WebSocketBytes:
    """Counts the bytes the page receives on its websockets (register before the page opens)."""

    def __init__(self, page: Page) -> None:
        self.total = 0
        page.on("websocket", lambda socket: socket.on("framereceived", self._count))

    def _count(self, payload: str | bytes) -> None:
        self.total += len(payload)


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a process so far, from /proc/<pid>/stat."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def open_page(browser: Browser, url: str) -> tuple[Page, WebSocketBytes]:
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    received = WebSocketBytes(page)
    page.goto(url)
    wait_until_drawn(page)
    return page, received


def use_largest_network(page: Page) -> None:
    """As many hidden layers of as many neurons as the controls allow."""
    set_number(page, "Hidden layers", str(MAX_HIDDEN_LAYERS))
    for layer in range(MAX_HIDDEN_LAYERS):
        set_number(page, f"Layer {layer + 1}", str(MAX_NEURONS))


def live_figures(page: Page, received: WebSocketBytes, server_pid: int) -> LiveFigures:
    """Start a long run; after its first half second, measure it until it ends or MEASURE_SECONDS pass."""
    set_number(page, "Epochs", LONG_RUN_EPOCHS)
    page.evaluate(RECORD_EPOCHS)
    button(page, "Train").click()
    page.wait_for_timeout(500)
    page.evaluate("window.__frames = []")
    bytes_before, cpu_before = received.total, cpu_seconds(server_pid)
    pause = button(page, "Pause")
    deadline = time.perf_counter() + MEASURE_SECONDS
    while time.perf_counter() < deadline and pause.is_enabled():
        page.wait_for_timeout(100)
    frames = page.evaluate("window.__frames")
    bytes_used, cpu_used = received.total - bytes_before, cpu_seconds(server_pid) - cpu_before
    if pause.is_enabled():
        pause.click()
    wait_until_drawn(page)
    seconds = (frames[-1][0] - frames[0][0]) / 1000
    return LiveFigures(
        (len(frames) - 1) / seconds, len(frames), bytes_used / len(frames), cpu_used * 1000 / len(frames)
    )


def slider_latencies(page: Page) -> tuple[list[float], int]:
    """Milliseconds from a key press on the first input slider to the new answer on the page, and how
    many answers did not come within ANSWER_TIMEOUT_MS (counted apart, not timed).

    The keys alternate End and Home: one ArrowRight step moves the input so little that the rounded
    probability shown often stays the same, so there would be no change to time.
    """
    page.get_by_role("tab", name="Ask the network").click()
    panel = page.get_by_role("tabpanel", name="Ask the network")
    expect(panel.get_by_test_id("stMarkdownContainer").filter(has_text="Predicted")).to_be_visible()
    thumb = panel.get_by_role("slider").first
    latencies, lost = [], 0
    for move in range(SLIDER_MOVES):
        wait_until_drawn(page)
        panel.evaluate(WATCH_ANSWER)
        thumb.focus()
        pressed_at = page.evaluate("performance.now()")
        page.keyboard.press("End" if move % 2 == 0 else "Home")
        try:
            page.wait_for_function("() => window.__changedAt !== null", timeout=ANSWER_TIMEOUT_MS)
        except PlaywrightTimeoutError:
            lost += 1
            continue
        latencies.append(page.evaluate("window.__changedAt") - pressed_at)
    return latencies, lost


def time_to_open(browser: Browser, url: str) -> float:
    """Seconds from navigation to the drawn page with its picture painted."""
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    started = time.perf_counter()
    page.goto(url)
    wait_until_drawn(page)
    surface = picture_canvas(page, "Decision surface")
    expect(surface).to_be_visible()
    page.wait_for_function("(canvas) => canvas.width > 0", arg=surface.element_handle())
    opened = time.perf_counter() - started
    assert ink(surface) > 0.5, "the decision surface is not painted"
    page.close()
    return opened


def first_visitor(browser: Browser) -> tuple[float, float]:
    """Seconds from spawning the server to its health answer, and the first visitor's time to open."""
    server = start_server()
    try:
        healthy = time.perf_counter() - server.started_at
        return healthy, time_to_open(browser, server.url)
    finally:
        stop_server(server)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def live_rows(name: str, figures: LiveFigures, server_target: str = "server") -> list[tuple[str, str, str]]:
    besides_training = figures.server_ms_per_frame - SLICE_SECONDS * 1000
    return [
        (f"{name}: frames/s ({figures.frames})", f"{figures.frames_per_second:.1f}", TARGETS["frames/s"]),
        (f"{name}: websocket bytes per frame", f"{figures.bytes_per_frame / 1024:.1f} KB", TARGETS["bytes"]),
        (f"{name}: server CPU per frame", f"{figures.server_ms_per_frame:.1f} ms", ""),
        (f"{name}:   of which not the training slice", f"{besides_training:.1f} ms", TARGETS[server_target]),
    ]


def slider_rows(name: str, answers: tuple[list[float], int]) -> list[tuple[str, str, str]]:
    latencies, lost = answers
    return [
        (f"slider → prediction, {name}, median of {len(latencies)}", f"{statistics.median(latencies):.0f} ms",
         TARGETS["slider median"]),
        (f"slider → prediction, {name}, 95th percentile", f"{percentile(latencies, 0.95):.0f} ms", ""),
        (f"moves unanswered after {ANSWER_TIMEOUT_MS // 1000} s, {name}", f"{lost}/{SLIDER_MOVES}", ""),
    ]  # fmt: skip


def measure(browser: Browser) -> list[tuple[str, str, str]]:
    healthy, first_open = first_visitor(browser)
    rows = [
        ("server start → health answers", f"{healthy:.2f} s", ""),
        ("first visitor after the start: open → drawn", f"{first_open:.2f} s", TARGETS["open"]),
    ]
    server = start_server()
    try:
        pid = server.process.pid
        time_to_open(browser, server.url)  # the server's first visitor, measured above
        opens = [time_to_open(browser, server.url) for _ in range(OPENS)]
        rows.append((f"later visitors: open → drawn, median of {OPENS}", f"{statistics.median(opens):.2f} s",
                     TARGETS["open"]))  # fmt: skip

        page, received = open_page(browser, server.url)
        rows += slider_rows("idle", slider_latencies(page))
        rows += live_rows("tutorial, 100,000 epochs", live_figures(page, received, pid))
        page.close()

        page, received = open_page(browser, server.url)
        choose(page, "Data set", "Spiral")
        rows += live_rows("spiral preset", live_figures(page, received, pid))
        button(page, "Train").click()
        rows += slider_rows("while the spiral trains", slider_latencies(page))
        expect(button(page, "Pause")).to_be_enabled()
        button(page, "Pause").click()
        use_largest_network(page)
        rows += live_rows("spiral, 6 x 16 tanh", live_figures(page, received, pid), "server 6 x 16")
        page.close()
        rows.append(("server memory (VmRSS) after the runs", f"{rss_kib(pid) / 1024:.0f} MiB", ""))
    finally:
        stop_server(server)
    return rows


def main() -> None:
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            rows = measure(browser)
        finally:
            browser.close()
    width = max(len(name) for name, _, _ in rows)
    print(f"{'measure':<{width}}  {'value':>10}  target")
    for name, value, target in rows:
        print(f"{name:<{width}}  {value:>10}  {target}")


if __name__ == "__main__":
    main()
