"""The teaching views in a real browser: the chain rule's graph is drawn with the chosen path lit up, and
the hidden layer's space is drawn and stays drawn while the network trains."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image
from playwright.sync_api import Locator, Page, expect

from playground.chain_rule import PATH_COLOR
from tests.e2e.pages import assert_no_errors, button, choose, open_tab, set_number, train_to_end
from tests.e2e.server import wait_until_drawn

pytestmark = pytest.mark.e2e

BOXES = 2 + 9 + 3 + 1  # x1, x2; w1 … b3; h1, h2, o1; the loss
SAMPLES = 12


def painted_share(element: Locator) -> float:
    """The share of an element's screenshot that is not blank white."""
    pixels = np.asarray(Image.open(io.BytesIO(element.screenshot())).convert("RGB"), dtype=int)
    return float((pixels < 245).any(axis=2).mean())


def test_the_chain_rule_graph_lights_up_the_chosen_parameters_path(page: Page) -> None:
    train_to_end(page)
    panel = open_tab(page, "Backprop, step by step")
    wait_until_drawn(page)
    graph = panel.locator('[data-testid="stGraphVizChart"] svg')
    expect(graph.locator("g.node")).to_have_count(BOXES)
    lit = f'g.node path[stroke="{PATH_COLOR.lower()}"], g.node polygon[stroke="{PATH_COLOR.lower()}"]'
    expect(graph.locator(lit)).to_have_count(4)  # w1, h1, o1 and the loss
    wait_until_drawn(page)
    chooser = panel.get_by_role("combobox", name="Parameter")
    chooser.click()
    chooser.press_sequentially("w6")  # typed, as a person would, into the menu's filter
    chooser.press("Enter")
    wait_until_drawn(page)
    expect(graph.locator(lit)).to_have_count(3)  # w6, o1 and the loss
    expect(panel.get_by_text("∂L/∂w6 = ∂L/∂ŷ · ∂ŷ/∂z_o1 · ∂z_o1/∂w6")).to_be_visible()
    assert_no_errors(page)


def test_the_hidden_layers_space_is_drawn_and_never_blanks_while_training(page: Page) -> None:
    set_number(page, "Epochs", "100000")
    choose(page, "Optimizer", "Adam")  # with plain SGD the tutorial trains 100,000 epochs in about 2 s
    panel = open_tab(page, "Hidden layer's space")
    wait_until_drawn(page)
    chart = panel.locator('[data-testid="stVegaLiteChart"]')
    expect(chart).to_be_visible()
    drawn = painted_share(chart)  # the points, the bent grid, the line and the output's colours
    button(page, "Train").click()
    shares = []
    for _ in range(SAMPLES):
        page.wait_for_timeout(150)
        shares.append(painted_share(chart))
    assert drawn > 0.2 and min(shares) > drawn / 2, f"before: {drawn}, while training: {shares}"
    expect(button(page, "Pause")).to_be_enabled()  # every sample was taken while it trained
    button(page, "Pause").click()
    assert_no_errors(page)
