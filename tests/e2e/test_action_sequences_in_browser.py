"""A random (seeded) sequence of what a person does in the real browser, where only the browser can go:
cells typed and committed with Tab, or typed and carried by the next click; clicks on the picture's
surface, its − / + and its edges; workshop mode switched off and on; the training buttons.

After each action the page is read as a person reads it, and must agree with itself: the table in the
editor, the weights the picture draws and the figures over it. The Train loss shown is the mean squared
error of the picture's own answers (``root.evaluate``, the network's arithmetic in the browser) on the
table's rows; the Hidden layers box in the sidebar shows as many layers as the picture draws; no value
typed is lost; no exception reaches the page.
"""

from __future__ import annotations

import random

import numpy as np
import pytest
from playwright.sync_api import Page, expect

from tests.e2e.pages import (
    PICTURE,
    assert_no_errors,
    button,
    cell,
    metric,
    picture_canvas,
    set_number,
    table_rows,
    tiles,
)
from tests.e2e.server import wait_until_drawn

pytestmark = pytest.mark.e2e

SEED = 19
ACTIONS = 30
NUMBERS = ("-20", "-5", "0", "3", "12", "25")


def settle(page: Page) -> None:
    """Until the run under way (if any) has ended and the page is drawn."""
    expect(button(page, "Train")).to_be_enabled(timeout=60_000)
    wait_until_drawn(page)


def assert_the_page_agrees_with_itself(page: Page) -> None:
    assert_no_errors(page)
    rows = table_rows(page)
    X = np.array([[float(row[1]), float(row[2])] for row in rows])
    y = np.array([float(row[3]) for row in rows])
    answers = np.array(page.locator(PICTURE).evaluate("(root, rows) => root.evaluate(rows)", X.tolist()))[
        :, 0
    ]
    expected = float(np.mean((y - answers) ** 2))
    shown = float(metric(page, "Train loss").inner_text())
    assert abs(shown - expected) <= 0.5e-4 + 1e-9, f"Train loss {shown} shown, {expected} drawn"
    hidden = page.get_by_role("spinbutton", name="Hidden layers", exact=True).input_value()
    assert len(tiles(page)) == int(hidden) + 2


def type_and_commit(page: Page, pick: random.Random) -> None:
    row, column = pick.randint(1, 4), pick.choice(("Weight - 135", "Height - 66"))
    box = cell(page, row, column)
    box.click()
    page.keyboard.press("Control+A")
    typed = pick.choice(NUMBERS)
    page.keyboard.type(typed, delay=40)
    page.keyboard.press("Tab")
    wait_until_drawn(page)
    expect(box).to_have_value(typed)


def type_then_click_elsewhere(page: Page, pick: random.Random) -> None:
    """The cell keeps the focus; the next click (the surface, Step, a switch) must carry the edit."""
    row = pick.randint(1, 4)
    box = cell(page, row, "Weight - 135")
    box.click()
    page.keyboard.press("Control+A")
    typed = pick.choice(NUMBERS)
    page.keyboard.type(typed, delay=40)
    then = pick.choice(("surface", "Step", "Discretize output"))
    if then == "surface":
        surface = picture_canvas(page, "Decision surface")
        box_size = surface.bounding_box()
        surface.click(
            position={"x": box_size["width"] * pick.uniform(0.1, 0.9), "y": box_size["height"] * 0.5}
        )
    elif then == "Step":
        button(page, "Step").click()
    else:
        page.locator(".np-switch", has_text="Discretize output").click()
    settle(page)
    expect(cell(page, row, "Weight - 135")).to_have_value(typed)


def change_the_network(page: Page, pick: random.Random) -> None:
    hidden = int(page.get_by_role("spinbutton", name="Hidden layers", exact=True).input_value())
    name = pick.choice(("More layers", "Fewer layers", "More neurons in hidden layer 1"))
    control = page.get_by_role("button", name=name)
    if (hidden == 0 and name.startswith("More neurons")) or not control.is_enabled():
        return
    control.click()
    settle(page)


def press_a_training_button(page: Page, pick: random.Random) -> None:
    name = pick.choice(("Train", "Step", "Reset", "Train then Pause"))
    if name == "Train then Pause":
        button(page, "Train").click()
        page.wait_for_timeout(pick.randint(20, 300))
        if button(page, "Pause").is_enabled():
            button(page, "Pause").click()
    else:
        button(page, name).click()
    settle(page)


def switch_workshop_mode_twice(page: Page, pick: random.Random) -> None:
    for _ in range(2):
        page.get_by_text("Workshop mode").click()
        wait_until_drawn(page)
    settle(page)


ACTIONS_OFFERED = (
    type_and_commit,
    type_then_click_elsewhere,
    change_the_network,
    press_a_training_button,
    switch_workshop_mode_twice,
)


def test_a_random_sequence_of_what_a_person_does_keeps_the_page_true(page: Page) -> None:
    pick = random.Random(SEED)
    set_number(page, "Epochs", "200")
    done = []
    for _ in range(ACTIONS):
        action = pick.choice(ACTIONS_OFFERED)
        action(page, pick)
        done.append(action.__name__)
        try:
            assert_the_page_agrees_with_itself(page)
        except AssertionError as failure:
            raise AssertionError(f"after {done}: {failure}") from failure
