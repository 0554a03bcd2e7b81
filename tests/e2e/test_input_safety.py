"""Whatever a person types, chooses or opens by link is kept safe, seen in a real browser (issue 10).

Typing rows into the table at a person's speed; choosing a data set and taking it back with Undo; a
share link whose names are Markdown, HTML and line breaks; a column name that once broke the chart.
"""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from playwright.sync_api import Locator, Page, expect

from playground.share import SHARE_PARAM, SharedSetup, TableSource, encode_setup
from tests.e2e.pages import (
    PEOPLE,
    assert_no_errors,
    button,
    cell,
    choose,
    grid_rows,
    ink,
    metric,
    open_tab,
    picture_canvas,
    replace_cell,
    table_rows,
    train_to_end,
    type_rows,
)
from tests.e2e.server import ARTIFACTS, wait_until_drawn

pytestmark = pytest.mark.e2e

NEW_PEOPLE = [["Emily", "-7", "-3", "1"], ["Frank", "20", "2", "0"], ["Gina", "-9", "-4", "1"]]
HOSTILE_NAME = "[Fix your table here](http://evil.example/fix) ![t](http://evil.example/track.png) **bold**"
HOSTILE_CELL = "<img src=http://evil.example/x.png> <b>loud</b> *shout*"
LINE_BREAK_NAMES = ("Weight\nin lb", "Height\r\nin in", "Female\u2028?")


def sidebar_choice(page: Page, label: str) -> Locator:
    return page.get_by_test_id("stSidebar").get_by_role("combobox", name=label)


def open_link(page: Page, base_url: str, setup: SharedSetup) -> None:
    page.goto(f"{base_url}?{urlencode({SHARE_PARAM: encode_setup(setup)})}")
    wait_until_drawn(page)


def test_typing_three_new_rows_at_a_persons_speed_keeps_every_cell(page: Page) -> None:
    """Issue 10.1: click the empty last row, type Emily, Tab, -7, Tab … Enter; then the next person."""
    open_tab(page, "Data")
    type_rows(page, cell(page, "New row", "Name"), NEW_PEOPLE)
    assert table_rows(page) == [
        ["Alice", "-2", "-1", "1"],
        ["Bob", "25", "6", "0"],
        ["Charlie", "17", "4", "0"],
        ["Diana", "-15", "-6", "1"],
        *NEW_PEOPLE,
    ]
    expect(page.get_by_text("7 rows · inputs")).to_be_visible()
    expect(cell(page, "New row", "Name")).to_be_focused()  # Enter went to the next row's first cell
    train_to_end(page)
    expect(metric(page, "Train accuracy")).to_have_text("100%")
    assert_no_errors(page)


@pytest.mark.parametrize("pressed", ["Step", "Train"])
def test_a_button_pressed_straight_after_typing_acts_on_the_typed_table(page: Page, pressed: str) -> None:
    box = cell(page, 2, "Weight - 135")
    box.click()
    page.keyboard.press("Control+A")
    page.keyboard.type("26", delay=90)
    button(page, pressed).click()  # no Tab: the click itself ends the edit
    if pressed == "Train":
        expect(button(page, "Train")).to_be_enabled(timeout=60_000)
    wait_until_drawn(page)
    expect(metric(page, "Epoch")).to_have_text("1" if pressed == "Step" else "1,000")
    expect(page.get_by_text("changed since this model was built")).to_have_count(0)
    assert table_rows(page)[1] == ["Bob", "26", "6", "0"]
    expect(page.get_by_text("Table now: Tutorial: four people (edited)")).to_be_visible()
    predictions = open_tab(page, "Predictions").get_by_test_id("stDataFrame")
    expect(predictions.locator("[role=gridcell]").first).to_be_attached()
    bob = next(row for row in grid_rows(predictions) if row[0] == "Bob")
    assert float(bob[1]) == 26


def test_choosing_a_data_set_loads_it_and_undo_brings_back_the_edited_table(page: Page) -> None:
    """Issue 10.4: choosing loads at once; the edited table is never lost without a way back."""
    type_rows(page, cell(page, "New row", "Name"), NEW_PEOPLE[:1])
    choose(page, "Data set", "XOR")
    expect(page.get_by_text("Table now: XOR, 200 points")).to_be_visible()
    expect(page.get_by_text("200 rows · inputs")).to_be_visible()
    expect(sidebar_choice(page, "Hidden activation")).to_have_value("Tanh")

    button(page, "Undo: bring back the previous table").click()
    wait_until_drawn(page)
    expect(page.get_by_text("Table now: Tutorial: four people")).to_be_visible()
    assert [row[0] for row in table_rows(page)] == [*PEOPLE, "Emily"]
    expect(sidebar_choice(page, "Hidden activation")).to_have_value("Sigmoid")
    empty_cells = cell(page, "New row", "Weight - 135")
    expect(empty_cells).to_have_value("")
    expect(page.get_by_text("None", exact=True)).to_have_count(0)
    assert_no_errors(page)


def test_a_hostile_share_link_reaches_the_page_only_as_text(page: Page, app_url: str) -> None:
    """Issue 10.6: names and cells from a link make no link, image, bold text or HTML."""
    columns = (HOSTILE_NAME, "x2", "label")
    rows = tuple((str(i % 3), str(i % 2), "yes" if i % 2 else HOSTILE_CELL) for i in range(6))
    open_link(page, app_url, SharedSetup(source=TableSource(columns, rows), target_column="x2"))
    open_tab(page, "Data")
    expect(page.get_by_text("Fix your table here", exact=False).first).to_be_attached()
    for tab in ("Data", "Ask the network", "Predictions", "Backprop, step by step", "Save and share"):
        open_tab(page, tab)
        wait_until_drawn(page)
        made = page.evaluate(
            """() => ({
                links: [...document.querySelectorAll('a[href*="evil"]')].length,
                images: [...document.querySelectorAll('img[src*="evil"]')].length,
                bold: [...document.querySelectorAll('strong, b')].filter(
                    (node) => /bold|loud/.test(node.textContent)).length,
            })"""
        )
        assert made == {"links": 0, "images": 0, "bold": 0}, f"{tab}: {made}"
    expect(page.get_by_test_id("stException")).to_have_count(0)
    page.screenshot(path=str(ARTIFACTS / "hostile_link.png"))


def test_line_breaks_in_column_names_leave_a_drawn_chart(page: Page, app_url: str) -> None:
    """Issue 10.10: a newline, CR or U+2028 in a name once made the decision surface 0 × 0."""
    rows = tuple((str(w), str(h), str(f)) for w, h, f in [(-2, -1, 1), (25, 6, 0), (17, 4, 0), (-15, -6, 1)])
    open_link(page, app_url, SharedSetup(source=TableSource(LINE_BREAK_NAMES, rows)))
    surface = picture_canvas(page, "Decision surface")
    expect(surface).to_be_visible()
    box = surface.bounding_box()
    assert box is not None and box["width"] > 200 and box["height"] > 200, box
    assert ink(surface) > 0.9
    expect(page.get_by_text("Maps over Weight in lb (across) and Height in in (up).")).to_be_visible()
    train_to_end(page)
    assert_no_errors(page)


def test_edits_survive_switching_workshop_mode_on_and_off(page: Page) -> None:
    """The editor is drawn anew when the page's layout changes; it must show the edits, not the old table."""
    replace_cell(page, 1, "Weight - 135", "99")
    type_rows(page, cell(page, "New row", "Name"), NEW_PEOPLE[:1])
    edited = table_rows(page)
    for workshop in (True, False):
        page.get_by_text("Workshop mode").click()
        tour = page.get_by_role("tab", name="Guided tour")
        if workshop:  # the tour comes first, the playground in a tab beside it
            expect(tour).to_be_visible()
            open_tab(page, "Playground")
        else:
            expect(tour).to_have_count(0)
        wait_until_drawn(page)
        open_tab(page, "Data")
        assert table_rows(page) == edited
        expect(page.get_by_text("5 rows · inputs")).to_be_visible()
    replace_cell(page, 2, "Weight - 135", "26")
    edited[1][1] = "26"
    assert table_rows(page) == edited
    expect(page.get_by_text("5 rows · inputs")).to_be_visible()
