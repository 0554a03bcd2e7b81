"""The table editor in a real browser: how long a typed cell takes to reach the page, and a big upload.

For three tables (the tutorial, 5,000 rows × 3 columns, 1,000 rows × 50 columns) it types into a cell
as a person does and presses Tab, then times Tab → the app's rerun finished and drawn (median of 7),
and times an upload → the table drawn. Starts its own server and headless Chromium; prints a table.
Run from anywhere: ``python benchmarks/bench_table_editor.py``.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from playwright.sync_api import Page, sync_playwright  # noqa: E402

from tests.e2e.server import launch_chromium, start_server, stop_server, wait_until_drawn  # noqa: E402

EDITS = 7
WATCH_RERUN = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    window.__ran = false;
    window.__watch?.disconnect();
    window.__watch = new MutationObserver(() => {
        if (app.dataset.testScriptState === "running") window.__ran = true;
    });
    window.__watch.observe(app, {attributes: true});
}"""
RERUN_DONE = """() => window.__ran
    && document.querySelector('[data-testid="stApp"]').dataset.testScriptState === "notRunning" """


def table_csv(rows: int, columns: int) -> bytes:
    """Numbers in every column, a 0/1 label in the last."""
    header = ",".join([*(f"c{index}" for index in range(columns - 1)), "label"])
    lines = [
        ",".join([*(f"{(row * 7 + column) % 13 - 6}" for column in range(columns - 1)), str(row % 2)])
        for row in range(rows)
    ]
    return ("\n".join([header, *lines]) + "\n").encode()


def upload(page: Page, rows: int, columns: int) -> float:
    """Seconds from choosing the file to the table drawn."""
    started = time.perf_counter()
    page.locator("input[type=file]").first.set_input_files(
        {"name": "table.csv", "mimeType": "text/csv", "buffer": table_csv(rows, columns)}
    )
    page.get_by_text(f"{rows} rows · inputs").wait_for(timeout=120_000)
    wait_until_drawn(page)
    return time.perf_counter() - started


def typed_cell_seconds(page: Page, column: str) -> float:
    """Median seconds from Tab (leaving an edited cell) to the rerun finished and drawn."""
    times = []
    for _ in range(EDITS):
        page.get_by_role("textbox", name=f"Row 2, {column}", exact=True).click()
        page.keyboard.press("End")
        page.keyboard.type("1")
        page.evaluate(WATCH_RERUN)
        started = time.perf_counter()
        page.keyboard.press("Tab")
        page.wait_for_function(RERUN_DONE, timeout=30_000)
        wait_until_drawn(page)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    server = start_server()
    rows = []
    try:
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            for size, column in [((4, 4), "Weight - 135"), ((5000, 3), "c0"), ((1000, 50), "c0")]:
                page = browser.new_page(viewport={"width": 1280, "height": 720})
                page.goto(server.url)
                wait_until_drawn(page)
                page.get_by_role("tab", name="Data").click()
                drawn = upload(page, *size) if column == "c0" else None
                latency = typed_cell_seconds(page, column)
                boxes = page.locator("input[aria-label^='Row ']").count()
                rows.append((f"{size[0]:,} rows × {size[1]}", drawn, latency, boxes))
                page.close()
            browser.close()
    finally:
        stop_server(server)
    print(f"{'table':<20}{'upload → drawn':>16}{'Tab → drawn (median)':>24}{'cells drawn':>14}")
    for name, drawn, latency, boxes in rows:
        shown = "–" if drawn is None else f"{drawn:.2f} s"
        print(f"{name:<20}{shown:>16}{latency * 1000:>21.0f} ms{boxes:>14,}")


if __name__ == "__main__":
    main()
