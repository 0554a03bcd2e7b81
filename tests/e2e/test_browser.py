"""The app in a real browser: what a person sees after opening, training, asking and editing."""

from __future__ import annotations

import re

import numpy as np
import pytest
from PIL import Image
from playwright.sync_api import Locator, Page, expect

from tests.e2e.pages import (
    PEOPLE,
    RECORD_METRICS,
    assert_no_errors,
    button,
    cell,
    choose,
    delete_table_row,
    epoch,
    grid_rows,
    ink,
    metric,
    open_tab,
    picture_canvas,
    replace_cell,
    set_number,
    table_rows,
    train_to_end,
    type_rows,
    wait_for_epoch_above,
)
from tests.e2e.server import ARTIFACTS, wait_until_drawn

pytestmark = pytest.mark.e2e


def test_first_open_shows_the_four_people(page: Page) -> None:
    expect(cell(page, 1, "Name")).to_have_value("Alice")
    assert [row[0] for row in table_rows(page)] == PEOPLE
    expect(metric(page, "Epoch")).to_have_text("0")
    assert_no_errors(page)


def test_train_counts_epochs_draws_the_loss_and_lowers_it(page: Page) -> None:
    page.evaluate(RECORD_METRICS)
    train_to_end(page)
    expect(metric(page, "Epoch")).to_have_text("1,000")
    epochs = page.evaluate("window.__epochs")
    assert len(set(epochs)) >= 3, f"the Epoch counter showed only {epochs}"
    assert epochs[-1] == "1,000"
    loss_curve = picture_canvas(page, "Loss curve")
    expect(loss_curve).to_be_visible()
    assert ink(loss_curve) > 0.005, "the loss curve is blank"
    losses = [float(value) for value in page.evaluate("window.__losses") if value != "–"]
    assert len(losses) >= 2, f"the Train loss metric showed only {losses}"
    assert float(metric(page, "Train loss").inner_text()) < losses[0]
    assert_no_errors(page)


def test_pause_stops_the_counter_step_adds_one_reset_returns_to_zero(page: Page) -> None:
    # A run far longer than the test, so Pause always comes while it trains (the tutorial's 1,000
    # epochs can be over in well under a second).
    set_number(page, "Epochs", "100000")
    choose(page, "Optimizer", "Adam")
    button(page, "Train").click()
    wait_for_epoch_above(page, 0)
    expect(button(page, "Pause")).to_be_enabled()
    button(page, "Pause").click()
    expect(button(page, "Train")).to_be_enabled()
    wait_until_drawn(page)
    paused_at = epoch(page)
    assert 0 < paused_at < 100_000, f"the run was not paused while it trained: epoch {paused_at}"
    page.wait_for_timeout(1_500)  # the claim under test is that nothing moves for a while
    assert epoch(page) == paused_at

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
    replace_cell(page, 1, "Weight - 135", "30")  # Alice's weight
    type_rows(page, cell(page, "New row", "Name"), [["Emma", "-10", "-4", "1"]])
    delete_table_row(page, 3)  # Charlie
    assert [row[0] for row in table_rows(page)] == ["Alice", "Bob", "Diana", "Emma"]
    expect(page.get_by_text("4 rows · inputs")).to_be_visible()

    train_to_end(page)
    panel = open_tab(page, "Predictions")
    predictions = panel.get_by_test_id("stDataFrame")
    expect(predictions.locator("[role=gridcell]").first).to_be_attached()
    rows = {row[0]: row for row in grid_rows(predictions)}
    assert sorted(rows) == ["Alice", "Bob", "Diana", "Emma"]
    assert float(rows["Alice"][1]) == 30
    assert [float(value) for value in rows["Emma"][1:3]] == [-10, -4]
    assert_no_errors(page)


def test_text_in_a_number_cell_is_named_in_an_error_message_and_marked(page: Page) -> None:
    replace_cell(page, 2, "Height - 66", "abc")  # Bob's height
    message = page.get_by_test_id("stAlert").filter(has_text="not a number")
    expect(message).to_be_visible()
    expect(message).to_contain_text("Row 2, column 'Height - 66': is 'abc', not a number")
    expect(cell(page, 2, "Height - 66")).to_have_class(re.compile(r"\bbad\b"))
    expect(cell(page, 2, "Height - 66")).to_have_attribute("title", re.compile("not a number"))
    expect(page.get_by_test_id("stException")).to_have_count(0)
    expect(button(page, "Train")).to_be_disabled()


def test_spiral_preset_trains_to_at_least_90_percent(page: Page) -> None:
    choose(page, "Data set", "Spiral")
    expect(page.get_by_text("Table now: Spiral")).to_be_visible()
    expect(page.get_by_role("spinbutton", name="Epochs")).to_have_value("300")
    train_to_end(page)
    expect(metric(page, "Epoch")).to_have_text("300")
    accuracy = metric(page, "Test accuracy")
    value = accuracy.inner_text()
    assert value.endswith("%"), value
    assert int(value.rstrip("%")) >= 90, f"spiral accuracy {value}"
    assert_no_errors(page)


SCREENSHOT_SIZES = [(1280, 720), (1920, 1080)]


def test_screenshots_of_the_trained_page(page: Page) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    train_to_end(page)
    paths = []
    for width, height in SCREENSHOT_SIZES:
        page.set_viewport_size({"width": width, "height": height})
        wait_until_drawn(page)
        page.wait_for_function(
            "(width) => document.documentElement.clientWidth === width", arg=width
        )  # the layout has reflowed
        path = ARTIFACTS / f"trained_{width}x{height}.png"
        path.unlink(missing_ok=True)
        page.screenshot(path=str(path))
        paths.append(path)
    for path, size in zip(paths, SCREENSHOT_SIZES, strict=True):
        with Image.open(path) as picture:
            assert picture.format == "PNG"
            assert picture.size == size, f"{path} is {picture.size}, not the {size} screen"
            pixels = np.asarray(picture.convert("RGB"), dtype=int)
        painted = float((pixels <= 245).any(axis=-1).mean())  # the share of pixels that are not white
        assert painted > 0.05, f"{path} is nearly blank: {painted:.1%} painted"
        colours = len(np.unique(pixels.reshape(-1, 3)[::7], axis=0))
        assert colours > 50, f"{path} has only {colours} colours: no decision surface or network drawn"
