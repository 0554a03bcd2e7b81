"""The colours every picture shares, and how a long loss history is thinned."""

from __future__ import annotations

import numpy as np
import pytest

from playground.charts import thin
from playground.colors import BLUE, CLASS_COLORS, NEUTRAL, ORANGE, diverging_rgb, hex_to_rgb

# ---------------------------------------------------------------- colours


def test_class_colors_start_orange_blue_and_are_distinct():
    assert CLASS_COLORS[:2] == (ORANGE, BLUE)
    assert len(set(CLASS_COLORS)) == len(CLASS_COLORS) >= 10


def test_diverging_rgb_endpoints_midpoint_clipping_and_nan():
    rgb = diverging_rgb(np.array([-2.0, -1.0, 0.0, 1.0, 5.0, np.nan]), -1.0, 1.0)
    assert rgb.dtype == np.uint8 and rgb.shape == (6, 3)
    expected = [ORANGE, ORANGE, NEUTRAL, BLUE, BLUE, NEUTRAL]
    assert [tuple(row) for row in rgb] == [hex_to_rgb(color) for color in expected]


def test_diverging_rgb_is_linear_between_stops():
    quarter = diverging_rgb(np.array([0.25]), 0.0, 1.0)[0]
    halfway = (np.array(hex_to_rgb(ORANGE)) + np.array(hex_to_rgb(NEUTRAL))) / 2
    assert np.abs(quarter - halfway).max() <= 0.5


def test_diverging_rgb_with_an_empty_range_and_keeps_shape():
    rgb = diverging_rgb(np.array([[-1.0, 0.0, 1.0]]), 0.0, 0.0)
    assert rgb.shape == (1, 3, 3)
    assert [tuple(row) for row in rgb[0]] == [hex_to_rgb(ORANGE), hex_to_rgb(NEUTRAL), hex_to_rgb(BLUE)]


# ---------------------------------------------------------------- loss


@pytest.mark.parametrize("count", [0, 1, 5, 2000, 2001, 4999, 100_003])
def test_thin_keeps_first_and_last_within_budget(count):
    values = [2.0 * index for index in range(count)]
    epochs, kept = thin(values, max_points=2000)
    assert len(epochs) == len(kept) <= 2000
    if count:
        assert epochs[0] == 1 and epochs[-1] == count
        assert kept[-1] == values[-1]
        assert kept == [values[epoch - 1] for epoch in epochs]
        assert np.all(np.diff(epochs) > 0)
    if count <= 2000:
        assert len(kept) == count


def test_thin_with_a_budget_of_one_keeps_the_last():
    epochs, kept = thin([3.0, 2.0, 1.0], max_points=1)
    assert epochs == [3] and kept == [1.0]
