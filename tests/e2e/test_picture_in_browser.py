"""The live network picture in a real browser: it never blanks while training, it draws what nn_core
computes, it takes a typed weight and a new neuron without stopping, and it fits a projector's screen."""

from __future__ import annotations

import io
import math
import re
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from playwright.sync_api import Browser, Locator, Page, expect

from playground import tour
from playground.colors import diverging_rgb
from playground.fair_share import FRAMES_PER_TICK, pace_for
from playground.plane import axis_range
from playground.transfer import LoadedModel
from tests.conftest import tutorial_prepared_data
from tests.e2e.pages import (
    PICTURE,
    RECORD_METRICS,
    assert_no_errors,
    button,
    cell,
    choose,
    download_model,
    epoch,
    metric,
    open_tab,
    picture_canvas,
    point_at_first_edge,
    set_number,
    table_rows,
    tiles,
    train_to_end,
    wait_for_epoch_above,
)
from tests.e2e.server import wait_until_drawn

pytestmark = pytest.mark.e2e

SAMPLES = 36
GRID = 48  # points per side of every map (GRID in static/network_view.js)
COLOR_TOLERANCE = 3  # the browser's colour table has 1025 steps; the rounding differs by at most this
SCREENS = [(1280, 720), (1920, 1080)]
WORKSHOP_LABEL_PX = 18
EMILY = (-7.0, -3.0)
# [text, font size in px] of the picture (whose canvases write in its font) and of each element with text.
TEXT_SIZES = """(root) => {
    const isText = (child) => child.nodeType === 3 && child.textContent.trim();
    const hasText = (node) => [...node.childNodes].some(isText);
    return [root, ...root.querySelectorAll('*')]
        .filter((node) => node === root || hasText(node))
        .map((node) => [node.textContent.trim().slice(0, 30), parseFloat(getComputedStyle(node).fontSize)]);
}"""
# The lowest bottom edge (px from the top of the screen) of the elements that are shown.
LOWEST_BOTTOM = """(elements) => Math.max(
    ...elements.filter((shown) => shown.offsetParent).map((shown) => shown.getBoundingClientRect().bottom)
)"""


def near_white_share(png: bytes) -> float:
    """The share of a screenshot's pixels that are (nearly) white: 1.0 for a blank picture."""
    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=int)
    return float((pixels > 245).all(axis=-1).mean())


def drawn_values(page: Page, rows: np.ndarray) -> np.ndarray:
    """The network's outputs for ``rows`` (in the table's units) as the picture computes them."""
    return np.array(page.locator(PICTURE).evaluate("(root, rows) => root.evaluate(rows)", rows.tolist()))


def nn_core_outputs(model: LoadedModel, rows: np.ndarray) -> np.ndarray:
    return model.network.predict(model.standardizer.transform(rows))


def emily_on_the_ask_tab(page: Page) -> float:
    panel = open_tab(page, "Ask the network")
    panel.get_by_role("button", name=re.compile(r"^Ask about Emily")).click()
    expect(panel.get_by_role("slider").first).to_have_value("-7")
    wait_until_drawn(page)
    shown = panel.get_by_test_id("stMarkdownContainer").filter(has_text="P(Female = 1) =")
    found = re.search(r"P\(Female = 1\) = ([0-9.]+)", shown.inner_text())
    assert found, f"no probability in {shown.inner_text()!r}"
    return float(found.group(1))


def test_the_picture_never_blanks_while_a_long_run_trains(page: Page) -> None:
    choose(page, "Data set", "Spiral")
    set_number(page, "Epochs", "100000")
    button(page, "Train").click()
    wait_for_epoch_above(page, 0)
    surface, network = picture_canvas(page, "Decision surface"), picture_canvas(page, "Network")
    epochs_seen, blank = set(), []
    for sample in range(SAMPLES):
        surface_white = near_white_share(surface.screenshot(animations="allow"))
        network_white = near_white_share(network.screenshot(animations="allow"))
        epochs_seen.add(metric(page, "Epoch").inner_text())
        if surface_white > 0.5 or network_white > 0.97:
            blank.append((sample, round(surface_white, 3), round(network_white, 3)))
    assert not blank, f"blank samples (sample, white share of surface, of network): {blank}"
    assert len(epochs_seen) >= SAMPLES // 3, f"the run barely moved while sampled: {sorted(epochs_seen)}"
    expect(button(page, "Pause")).to_be_enabled()  # every sample was taken while it trained
    assert_no_errors(page)


def test_a_run_plays_its_last_message_and_ends_on_its_last_epoch(page: Page) -> None:
    """The message in which a run ends is played like every other, not skipped to its end: the
    tutorial's 1000 epochs alone are 32 frames (trained whole in the page run of the Train click, as
    one message), and a frame of the last four is seen before the last epoch (the browser may drop
    frames it cannot keep up with, never their order)."""
    pace = pace_for(1)
    per_frame = math.ceil(1000 / pace.frames_per_run)
    first_of_last_message = per_frame * (pace.frames_per_run - FRAMES_PER_TICK + 1)
    page.evaluate(RECORD_METRICS)
    train_to_end(page)
    shown = [int(text.replace(",", "")) for text in page.evaluate("window.__epochs")]
    assert shown[-1] == 1000
    assert shown == sorted(shown), f"a frame was shown after a later one: {shown}"
    assert any(first_of_last_message <= epoch < 1000 for epoch in shown), (
        f"the last message was skipped: {shown}"
    )
    assert_no_errors(page)


def test_the_maps_and_the_surface_show_the_values_nn_core_computes(page: Page, tmp_path: Path) -> None:
    train_to_end(page)
    model = download_model(page, tmp_path)
    data = tutorial_prepared_data()
    (x_low, x_high), (y_low, y_high) = axis_range(data.X[:, 0]), axis_range(data.X[:, 1])
    generator = np.random.default_rng(3)
    rows = np.column_stack([generator.uniform(x_low, x_high, 25), generator.uniform(y_low, y_high, 25)])
    np.testing.assert_allclose(drawn_values(page, rows), nn_core_outputs(model, rows), rtol=0, atol=1e-6)

    activations = model.network.forward(model.network_inputs(plane_rows(data.X))).activations
    image, spots = network_image(page), tiles(page)
    for layer, neuron in [(1, 0), (1, 1), (2, 0)]:  # h1, h2 and o1 (sigmoid: coloured over [0, 1])
        expected = diverging_rgb(activations[layer - 1][:, neuron].reshape(GRID, GRID), 0.0, 1.0).astype(int)
        assert_map_shows(image, spots[layer][neuron], expected)
    assert_no_errors(page)


def plane_rows(X: np.ndarray) -> np.ndarray:
    """The GRID × GRID points every map is drawn over, row by row; row 0 is the top (the highest y)."""
    (x_low, x_high), (y_low, y_high) = axis_range(X[:, 0]), axis_range(X[:, 1])
    xs, ys = np.linspace(x_low, x_high, GRID), np.linspace(y_high, y_low, GRID)
    return np.array([[x, y] for y in ys for x in xs])


def network_image(page: Page) -> np.ndarray:
    """The network canvas's pixels as (height, width, RGB)."""
    pixels = picture_canvas(page, "Network").evaluate(
        "canvas => Array.from(canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data)"
    )
    width = picture_canvas(page, "Network").evaluate("canvas => canvas.width")
    return np.array(pixels, dtype=int).reshape(-1, width, 4)[:, :, :3]


def assert_map_shows(image: np.ndarray, spot: dict, expected: np.ndarray) -> None:
    """The map at ``spot`` shows ``expected`` (GRID × GRID colours) at five cells, give or take one cell."""
    for row, column in [(5, 5), (10, 40), (24, 24), (40, 8), (44, 44)]:
        shown = pixel_of_cell(image, spot, row, column)
        nearby = expected[row - 1 : row + 2, column - 1 : column + 2].reshape(-1, 3)
        assert np.abs(nearby - shown).max(axis=1).min() <= COLOR_TOLERANCE, (
            f"map at {spot} ({row}, {column}) is {shown}, nn_core says {expected[row, column]}"
        )


def pixel_of_cell(image: np.ndarray, spot: dict, row: int, column: int) -> np.ndarray:
    """The colour drawn at the centre of one grid cell of a map (the canvas is at device scale 1)."""
    cell = spot["size"] / GRID
    return image[int(spot["y"] + (row + 0.5) * cell), int(spot["x"] + (column + 0.5) * cell)]


def test_a_weight_typed_on_an_edge_changes_the_prediction_as_nn_core_says(page: Page, tmp_path: Path) -> None:
    train_to_end(page)
    before = download_model(page, tmp_path)
    wait_until_drawn(page)
    x, y = point_at_first_edge(page, "w1 = ")  # Weight - 135 → h1: the tutorial's w1
    page.mouse.click(x, y)
    typed = page.get_by_role("textbox", name="New value of w1")
    expect(typed).to_be_focused()
    typed.fill("-8")
    typed.press("Enter")
    wait_until_drawn(page)

    expected_network = before.network.copy()
    expected_network.weights[0][0, 0] = -8.0
    emily = before.standardizer.transform(np.array([EMILY]))
    expected = float(expected_network.predict(emily)[0, 0])
    unchanged = float(before.network.predict(emily)[0, 0])
    assert abs(expected - unchanged) > 0.01, "the test's weight should change Emily's answer"
    assert drawn_values(page, np.array([EMILY]))[0, 0] == pytest.approx(expected, abs=1e-9)
    assert emily_on_the_ask_tab(page) == pytest.approx(round(expected, 3), abs=1e-9)
    after = download_model(page, tmp_path)
    assert after.network.weights[0][0, 0] == -8.0
    np.testing.assert_array_equal(after.network.weights[1], before.network.weights[1])
    assert_no_errors(page)


def test_clicking_the_surface_adds_a_row_there_of_the_chosen_class(page: Page) -> None:
    table = tutorial_prepared_data()
    (x_low, x_high), (y_low, y_high) = axis_range(table.X[:, 0]), axis_range(table.X[:, 1])
    classes = page.get_by_role("radiogroup", name="Click the surface to add a point of class")
    classes.get_by_role("radio", name="1", exact=True).click()
    wait_until_drawn(page)
    expect(classes.get_by_role("radio", name="1", exact=True)).to_be_checked()
    surface = picture_canvas(page, "Decision surface")
    surface.scroll_into_view_if_needed()
    box = surface.bounding_box()
    across, down = 0.3, 0.7  # of the surface's width and height, from its top left corner
    surface.click(position={"x": across * box["width"], "y": down * box["height"]})
    expect(cell(page, 5, "Name")).to_have_value("Added 5")
    wait_until_drawn(page)

    rows = table_rows(page)
    assert [row[0] for row in rows] == ["Alice", "Bob", "Charlie", "Diana", "Added 5"]
    _, weight, height, female = rows[-1]
    # Within a pixel and a half of where the click was, in the data's units (cells keep 4 digits).
    expected_weight = x_low + across * (x_high - x_low)
    expected_height = y_high - down * (y_high - y_low)
    assert float(weight) == pytest.approx(expected_weight, abs=1.5 * (x_high - x_low) / box["width"])
    assert float(height) == pytest.approx(expected_height, abs=1.5 * (y_high - y_low) / box["height"])
    assert female == "1"
    expect(page.get_by_text("5 rows · inputs")).to_be_visible()
    assert_no_errors(page)


def test_one_more_neuron_while_training_starts_anew_and_keeps_training(page: Page) -> None:
    set_number(page, "Epochs", "100000")
    button(page, "Train").click()
    wait_for_epoch_above(page, 2_000)
    scroll = page.evaluate("document.querySelector('[data-testid=\"stMain\"]').scrollTop")
    page.get_by_role("button", name="More neurons in hidden layer 1").click()
    expect(page.get_by_role("spinbutton", name="Layer 1", exact=True)).to_have_value("3")
    page.wait_for_function(f"() => document.querySelector('{PICTURE}')?.tiles?.()[1].length === 3")
    expect(button(page, "Pause")).to_be_enabled()
    now = epoch(page)
    wait_for_epoch_above(page, now)
    expect(button(page, "Pause")).to_be_enabled()
    assert [len(layer) for layer in tiles(page)] == [2, 3, 1]
    expect(page.get_by_test_id("stAlert")).to_have_count(0)  # no "settings changed" message, no error
    assert page.evaluate("document.querySelector('[data-testid=\"stMain\"]').scrollTop") == scroll
    assert_no_errors(page)


def test_the_test_rows_switch_is_offered_only_when_there_are_test_rows(page: Page) -> None:
    switches = page.locator(PICTURE).locator(".np-switch")
    expect(switches.filter(has_text="Discretize output")).to_have_count(1)
    expect(switches.filter(has_text="Test rows")).to_have_count(0)  # the tutorial has no test rows
    choose(page, "Data set", "XOR")  # 20 % test rows
    expect(switches.filter(has_text="Test rows")).to_have_count(1)


def test_a_button_pressed_in_the_same_instant_as_a_picture_change_still_acts(page: Page) -> None:
    """Streamlit sends changes made in one instant as one rerun, and when one of them comes from inside
    the ticking fragment (the picture), it reruns only the fragment: the click must still train."""
    expect(page.locator(".np-switch", has_text="Discretize output")).to_be_visible()
    page.evaluate(
        """() => {
            const discretize = [...document.querySelectorAll('.np-switch')]
                .find((label) => label.textContent.includes('Discretize output')).querySelector('input');
            discretize.click();
            document.querySelector('.st-key-train button').click();
        }"""
    )
    wait_for_epoch_above(page, 0)
    expect(metric(page, "Epoch")).to_have_text("1,000", timeout=60_000)
    expect(button(page, "Train")).to_be_enabled()


@pytest.fixture
def sized_page(browser: Browser, app_url: str, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A page at the screen size ``request.param`` = (width, height)."""
    width, height = request.param
    context = browser.new_context(viewport={"width": width, "height": height})
    context.set_default_timeout(30_000)
    try:
        yield context.new_page()
    finally:
        context.close()


def assert_on_screen(page: Page, what: dict[str, Locator]) -> None:
    viewport = page.viewport_size
    for name, locator in what.items():
        box = locator.bounding_box()
        assert box is not None, f"{name} is not drawn"
        right, bottom = box["x"] + box["width"], box["y"] + box["height"]
        inside = (
            box["x"] >= 0
            and box["y"] >= 0
            and right <= viewport["width"] + 1
            and bottom <= viewport["height"] + 1
        )
        assert inside, f"{name} at {box} is not within the {viewport['width']}×{viewport['height']} screen"


def playground_essentials(page: Page) -> dict[str, Locator]:
    return {
        "the Train button": button(page, "Train"),
        "the Epoch figure": metric(page, "Epoch"),
        "the Train loss figure": metric(page, "Train loss"),
        "the network": picture_canvas(page, "Network"),
        "the decision surface": picture_canvas(page, "Decision surface"),
        "the loss curve": picture_canvas(page, "Loss curve"),
    }


@pytest.mark.parametrize("sized_page", SCREENS, indirect=True, ids=lambda size: f"{size[0]}x{size[1]}")
@pytest.mark.parametrize("workshop", [False, True], ids=["normal", "workshop"])
def test_after_train_everything_that_matters_is_on_one_screen(
    sized_page: Page, app_url: str, workshop: bool
) -> None:
    page = sized_page
    page.goto(app_url + ("?workshop=1" if workshop else ""))
    wait_until_drawn(page)
    if workshop:
        page.get_by_role("tab", name="Playground").click()
        wait_until_drawn(page)
    train_to_end(page)
    essentials = playground_essentials(page)
    if workshop:  # the sidebar is hidden: the data and network choices come to the page
        essentials["the data set menu"] = page.get_by_role("combobox", name="Data set")
        essentials["the hidden layers control"] = page.get_by_role("button", name="More layers")
        essentials["the activation menu"] = page.locator(PICTURE).get_by_role(
            "combobox", name="Hidden activation"
        )
    assert_on_screen(page, essentials)
    surface = picture_canvas(page, "Decision surface").bounding_box()
    assert surface["height"] >= 0.4 * page.viewport_size["height"], (
        f"the surface is only {surface['height']} px high"
    )
    if workshop:
        sizes = page.locator(PICTURE).evaluate(TEXT_SIZES)
        small = [(text, size) for text, size in sizes if size < WORKSHOP_LABEL_PX]
        assert not small, f"labels smaller than {WORKSHOP_LABEL_PX} px in workshop mode: {small}"
    assert_no_errors(page)


@pytest.mark.parametrize("sized_page", [(1280, 720)], indirect=True, ids=["1280x720"])
def test_every_tour_step_fits_the_screen(sized_page: Page, app_url: str) -> None:
    page = sized_page
    page.goto(app_url + "?tour=neuron")
    wait_until_drawn(page)
    panel = page.get_by_role("tabpanel", name="Guided tour")
    for step in range(1, len(tour.STEPS) + 1):
        expect(
            page.get_by_role("heading", name=re.compile(f"step {step} of {len(tour.STEPS)}"))
        ).to_be_visible()
        wait_until_drawn(page)  # the step's run over, so the last step's elements are gone
        if step == 5:
            button(page, "Train for 1000 epochs").click()
            expect(
                page.get_by_text(re.compile(r"^Loss before training .* after 1,000 epochs"))
            ).to_be_visible(timeout=60_000)
            wait_until_drawn(page)
        lowest = panel.locator('[data-testid="stElementContainer"]').evaluate_all(LOWEST_BOTTOM)
        assert lowest <= page.viewport_size["height"] + 1, (
            f"step {step} ends at {lowest} px, below the screen"
        )
        if step < len(tour.STEPS):
            button(page, "Next →").click()
            wait_until_drawn(page)
    assert_no_errors(page)


def test_derived_inputs_get_their_own_maps_and_the_picture_computes_them_as_nn_core(
    page: Page, tmp_path: Path
) -> None:
    chooser = page.get_by_test_id("stSidebar").get_by_role("combobox", name="Derived inputs")
    for typed in ("(Weight - 135)²", "sin(Height"):  # as a person types: enough to single one out
        chooser.press_sequentially(typed, delay=40)
        chooser.press("Enter")
        wait_until_drawn(page)
    chooser.press("Escape")  # the multiselect's list stays open for more choices
    page.wait_for_function(f"() => document.querySelector('{PICTURE}')?.tiles?.()[0].length === 4")
    names = page.locator(PICTURE).locator(".np-input-name").all_inner_texts()
    assert names == ["Weight - 135", "Height - 66", "(Weight - 135)²", "sin(Height - 66)"]
    train_to_end(page)
    model = download_model(page, tmp_path)
    assert [feature.code for feature in model.features] == ["x1^2", "sin(x2)"]
    rows = np.array([EMILY, [20.0, 2.0], [0.5, -12.25], [-30.0, 9.0]])
    expected = model.network.predict(model.network_inputs(rows))
    np.testing.assert_allclose(drawn_values(page, rows), expected, rtol=0, atol=1e-12)
    # Each input's map (the two columns and the two derived inputs) coloured over its own range.
    inputs = model.network_inputs(plane_rows(tutorial_prepared_data().X))
    image, spots = network_image(page), tiles(page)
    for neuron in range(4):
        values = inputs[:, neuron].reshape(GRID, GRID)
        largest = np.abs(values).max()
        assert_map_shows(image, spots[0][neuron], diverging_rgb(values, -largest, largest).astype(int))
    assert_no_errors(page)
