"""The app in a real browser: what a person sees after opening, training, asking and editing.

The data editor is a glide-data-grid canvas. Its cells are read through the accessible table glide keeps
in the DOM (``glide-cell-<column>-<row>``, column 1 is the first data column); they are edited by clicking
the first cell, walking with the arrow keys and typing into the overlay editor glide opens on Enter.
"""

from __future__ import annotations

import re
import struct
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.e2e.server import ARTIFACTS, wait_until_drawn

pytestmark = pytest.mark.e2e

PEOPLE = ["Alice", "Bob", "Charlie", "Diana"]
ROW_HEIGHT = 35
HEADER_HEIGHT = 35
ROW_MARKER_WIDTH = 32
TRAINING_TIMEOUT_MS = 60_000

# Records every distinct text of the Epoch and Train loss metrics, as the page shows them.
RECORD_METRICS = """() => {
    window.__epochs = [];
    window.__losses = [];
    const valueOf = (label) => {
        const metric = [...document.querySelectorAll('[data-testid="stMetric"]')]
            .find((m) => m.querySelector('[data-testid="stMetricLabel"]')?.innerText.trim() === label);
        return metric?.querySelector('[data-testid="stMetricValue"]')?.innerText.trim();
    };
    const record = (list, value) => {
        if (value !== undefined && !list.includes(value)) list.push(value);
    };
    const observe = () => {
        record(window.__epochs, valueOf("Epoch"));
        record(window.__losses, valueOf("Train loss"));
    };
    observe();
    const options = {subtree: true, childList: true, characterData: true};
    new MutationObserver(observe).observe(document.body, options);
}"""


def metric(page: Page, label: str) -> Locator:
    """The value of the metric with exactly this label."""
    label_pattern = re.compile(rf"^\s*{re.escape(label)}\s*$")
    card = page.get_by_test_id("stMetric").filter(
        has=page.get_by_test_id("stMetricLabel").filter(has_text=label_pattern)
    )
    return card.get_by_test_id("stMetricValue")


def epoch(page: Page) -> int:
    return int(metric(page, "Epoch").inner_text().replace(",", ""))


def button(page: Page, name: str) -> Locator:
    return page.get_by_role("button", name=name, exact=True)


def assert_no_errors(page: Page) -> None:
    expect(page.get_by_test_id("stException")).to_have_count(0)
    expect(page.get_by_test_id("stAlertContentError")).to_have_count(0)


def train_to_end(page: Page) -> None:
    """Press Train and wait until the run is over and the page redrawn."""
    button(page, "Train").click()
    expect(button(page, "Pause")).to_be_enabled()
    expect(button(page, "Train")).to_be_enabled(timeout=TRAINING_TIMEOUT_MS)
    wait_until_drawn(page)


def open_tab(page: Page, name: str) -> Locator:
    page.get_by_role("tab", name=name).click()
    panel = page.get_by_role("tabpanel", name=name)
    expect(panel).to_be_visible()
    return panel


def grid_cells(grid: Locator) -> list[str]:
    return grid.locator("[role=gridcell]").all_text_contents()


def grid_rows(grid: Locator) -> list[list[str]]:
    """The accessible table's body rows as lists of cell texts."""
    return grid.locator("tbody tr").evaluate_all(
        "rows => rows.map(row => [...row.querySelectorAll('td')].map(cell => cell.textContent))"
    )


def canvas_box(grid: Locator) -> dict[str, float]:
    """The grid's canvas, scrolled back to the top row and redrawn there (so coordinates mean rows)."""
    grid.locator(".dvn-scroller").evaluate(
        """element => new Promise((done) => {
            element.scrollTop = 0;
            requestAnimationFrame(() => requestAnimationFrame(done));
        })"""
    )
    box = grid.locator("canvas").first.bounding_box()
    assert box is not None
    return box


def focus_cell(page: Page, grid: Locator, row: int, column: int) -> None:
    """Select a cell: click the first data cell of the top row, then walk there with the arrow keys."""
    box = canvas_box(grid)
    page.mouse.click(box["x"] + ROW_MARKER_WIDTH + 40, box["y"] + HEADER_HEIGHT + ROW_HEIGHT / 2)
    for _ in range(row):
        page.keyboard.press("ArrowDown")
    for _ in range(column):
        page.keyboard.press("ArrowRight")


def edit_cell(page: Page, grid: Locator, row: int, column: int, text: str) -> None:
    """Type ``text`` into a cell (0-based row and data column) and wait for the app's rerun."""
    focus_cell(page, grid, row, column)
    page.keyboard.press("Enter")
    editor = page.locator("textarea.gdg-input")
    current = grid.get_by_test_id(f"glide-cell-{column + 1}-{row}").text_content()
    expect(editor, "the editor opened on another cell").to_have_value(current or "")
    editor.fill(text)
    editor.press("Enter")
    try:
        expect(grid.get_by_test_id(f"glide-cell-{column + 1}-{row}")).to_have_text(text)
    except AssertionError:
        page.screenshot(path=str(ARTIFACTS / f"failed_edit_{row}_{column}.png"))
        message = f"editing ({row}, {column}) to {text!r} left the table as {grid_rows(grid)}"
        raise AssertionError(message) from None
    wait_until_drawn(page)


def delete_row(page: Page, grid: Locator, row: int) -> None:
    box = canvas_box(grid)
    page.mouse.click(box["x"] + ROW_MARKER_WIDTH / 2, box["y"] + HEADER_HEIGHT + ROW_HEIGHT * (row + 0.5))
    grid.hover()
    page.get_by_role("button", name="Delete row(s)").click()
    wait_until_drawn(page)


def is_png(path: Path) -> bool:
    data = path.read_bytes()
    if len(data) < 24 or not data.startswith(b"\x89PNG\r\n\x1a\n"):
        return False
    width, height = struct.unpack(">II", data[16:24])
    return width > 0 and height > 0


def test_first_open_shows_the_four_people(page: Page) -> None:
    grid = page.get_by_test_id("stDataFrame").first
    expect(grid.locator("[role=gridcell]").first).to_be_attached()
    names = [row[0] for row in grid_rows(grid)]
    assert names == PEOPLE
    expect(metric(page, "Epoch")).to_have_text("0")
    assert_no_errors(page)


def test_train_counts_epochs_draws_the_loss_and_lowers_it(page: Page) -> None:
    page.evaluate(RECORD_METRICS)
    train_to_end(page)
    expect(metric(page, "Epoch")).to_have_text("1,000")
    epochs = page.evaluate("window.__epochs")
    assert len(set(epochs)) >= 3, f"the Epoch counter showed only {epochs}"
    assert epochs[-1] == "1,000"
    # The loss chart: the Vega-Lite chart whose drawing has a y axis titled "Loss" and a line along it.
    loss_chart = page.get_by_test_id("stVegaLiteChart").filter(
        has=page.locator("[aria-label*=\"Y-axis titled 'Loss'\"]")
    )
    expect(loss_chart).to_have_count(1)
    expect(loss_chart.locator("canvas, svg").first).to_be_visible()
    expect(loss_chart.locator('path[aria-label^="Epoch: "]').first).to_be_attached()
    losses = [float(value) for value in page.evaluate("window.__losses") if value != "–"]
    assert len(losses) >= 2, f"the Train loss metric showed only {losses}"
    assert float(metric(page, "Train loss").inner_text()) < losses[0]
    assert_no_errors(page)


def test_pause_stops_the_counter_step_adds_one_reset_returns_to_zero(page: Page) -> None:
    button(page, "Train").click()
    page.wait_for_function(
        """() => {
            const metric = [...document.querySelectorAll('[data-testid="stMetric"]')]
                .find((m) => m.innerText.trim().startsWith('Epoch'));
            const value = metric?.querySelector('[data-testid="stMetricValue"]')?.innerText;
            return value && Number(value.replace(/,/g, '')) > 0;
        }"""
    )
    button(page, "Pause").click()
    expect(button(page, "Train")).to_be_enabled(timeout=1_000)
    wait_until_drawn(page)
    paused_at = epoch(page)
    page.wait_for_timeout(1_500)  # the claim under test is that nothing moves for a while
    assert epoch(page) == paused_at
    assert 0 < paused_at < 1_000

    button(page, "Step").click()
    expect(metric(page, "Epoch")).to_have_text(f"{paused_at + 1:,}")
    wait_until_drawn(page)
    assert epoch(page) == paused_at + 1

    button(page, "Reset").click()
    expect(metric(page, "Epoch")).to_have_text("0")
    assert_no_errors(page)


def prediction(panel: Locator) -> Locator:
    return panel.get_by_test_id("stMarkdownContainer").filter(has_text="Predicted class")


def read_prediction(panel: Locator) -> tuple[float, int]:
    text = prediction(panel).inner_text()
    found = re.search(r"P\(Female = 1\) = ([0-9.]+)\s*Predicted class:\s*(\d+)", text)
    assert found, f"unexpected prediction text: {text!r}"
    return float(found.group(1)), int(found.group(2))


def test_ask_about_emily_and_frank_and_move_a_slider(page: Page) -> None:
    train_to_end(page)
    panel = open_tab(page, "Ask the network")

    panel.get_by_role("button", name=re.compile(r"^Ask about Emily")).click()
    expect(prediction(panel)).to_contain_text("Predicted class: 1")
    wait_until_drawn(page)
    emily_probability, emily_class = read_prediction(panel)
    assert emily_class == 1 and emily_probability > 0.5

    panel.get_by_role("button", name=re.compile(r"^Ask about Frank")).click()
    expect(prediction(panel)).to_contain_text("Predicted class: 0")
    wait_until_drawn(page)
    frank_probability, frank_class = read_prediction(panel)
    assert frank_class == 0 and frank_probability < 0.5

    before = prediction(panel).inner_text()
    thumb = panel.get_by_role("slider").first
    thumb.focus()
    for _ in range(5):
        page.keyboard.press("ArrowLeft")
    page.keyboard.press("Home")
    expect(prediction(panel)).not_to_have_text(before)
    wait_until_drawn(page)
    assert read_prediction(panel) != (frank_probability, frank_class)
    assert_no_errors(page)


def test_table_edits_reach_the_predictions(page: Page) -> None:
    grid = page.get_by_test_id("stDataFrame").first
    grid.scroll_into_view_if_needed()
    edit_cell(page, grid, row=0, column=1, text="30")  # Alice's weight

    grid.hover()
    page.get_by_role("button", name="Add row").click()
    expect(grid.locator("tbody tr")).to_have_count(5)
    wait_until_drawn(page)
    for column, text in enumerate(["Emma", "-10", "-4", "1"]):
        edit_cell(page, grid, row=4, column=column, text=text)

    delete_row(page, grid, row=2)  # Charlie
    expect(grid.locator("tbody tr")).to_have_count(4)
    assert [row[0] for row in grid_rows(grid)] == ["Alice", "Bob", "Diana", "Emma"]
    expect(page.get_by_text("4 rows · inputs")).to_be_visible()

    train_to_end(page)
    panel = open_tab(page, "Predictions")
    predictions = panel.get_by_test_id("stDataFrame")
    expect(predictions.locator("[role=gridcell]").first).to_be_attached()
    rows = {row[0]: row for row in grid_rows(predictions)}
    assert sorted(rows) == ["Alice", "Bob", "Diana", "Emma"]
    assert float(rows["Alice"][1]) == 30
    assert [float(cell) for cell in rows["Emma"][1:3]] == [-10, -4]
    assert_no_errors(page)


def test_text_in_a_number_cell_is_named_in_an_error_message(page: Page) -> None:
    grid = page.get_by_test_id("stDataFrame").first
    grid.scroll_into_view_if_needed()
    edit_cell(page, grid, row=1, column=2, text="abc")  # Bob's height
    message = page.get_by_test_id("stAlert").filter(has_text="not a number")
    expect(message).to_be_visible()
    expect(message).to_contain_text("Row 2")
    expect(message).to_contain_text("Height - 66")
    expect(page.get_by_test_id("stException")).to_have_count(0)
    expect(button(page, "Train")).to_be_disabled()


def choose(page: Page, label: str, option: str) -> None:
    page.get_by_role("combobox", name=label).click()
    page.get_by_role("option", name=option, exact=True).click()
    wait_until_drawn(page)


def test_spiral_preset_trains_to_at_least_90_percent(page: Page) -> None:
    choose(page, "Data set", "Spiral")
    button(page, "Load into the table").click()
    wait_until_drawn(page)
    expect(page.get_by_text("Table now: Spiral")).to_be_visible()
    expect(page.get_by_role("spinbutton", name="Epochs")).to_have_value("300")
    train_to_end(page)
    expect(metric(page, "Epoch")).to_have_text("300")
    accuracy = page.get_by_test_id("stMetric").filter(has_text="accuracy").get_by_test_id("stMetricValue")
    value = accuracy.inner_text()
    assert value.endswith("%"), value
    assert int(value.rstrip("%")) >= 90, f"spiral accuracy {value}"
    assert_no_errors(page)


def test_screenshots_of_the_trained_page(page: Page) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    train_to_end(page)
    paths = []
    for width, height in [(1280, 720), (1920, 1080)]:
        page.set_viewport_size({"width": width, "height": height})
        wait_until_drawn(page)
        page.wait_for_function(
            "(width) => document.documentElement.clientWidth === width", arg=width
        )  # the layout has reflowed
        path = ARTIFACTS / f"trained_{width}x{height}.png"
        path.unlink(missing_ok=True)
        page.screenshot(path=str(path))
        paths.append(path)
    for path in paths:
        assert path.exists() and path.stat().st_size > 0
        assert is_png(path), f"{path} is not a PNG"
