"""The pure chart builders: what each figure contains, and the colours of the per-neuron images."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import pytest

from playground.charts import (
    PointSet,
    neuron_layers_image,
    neuron_maps_image,
    thin,
)
from playground.colors import BLUE, CLASS_COLORS, NEUTRAL, ORANGE, diverging_rgb, hex_to_rgb

XS = np.linspace(-3.0, 3.0, 30)
YS = np.linspace(-2.0, 5.0, 20)


def make_points(targets: np.ndarray, n_test: int) -> PointSet:
    n = len(targets)
    rng = np.random.default_rng(0)
    is_test = np.zeros(n, dtype=bool)
    is_test[:n_test] = True
    labels = tuple(f"row {i}" for i in range(n))
    return PointSet(
        rng.uniform(-3, 3, n), rng.uniform(-2, 5, n), np.asarray(targets, dtype=float), is_test, labels
    )


def scatter_named(figure: go.Figure, name: str) -> go.Scatter:
    (trace,) = [t for t in figure.data if t.type == "scatter" and t.name == name]
    return trace


def assert_projector_ready(figure: go.Figure, height: int) -> None:
    assert figure.layout.height == height
    assert figure.layout.uirevision == "playground"
    assert figure.layout.font.size >= 14


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
    values = np.arange(count, dtype=float) * 2
    epochs, kept = thin(values, max_points=2000)
    assert len(epochs) == len(kept) <= 2000
    if count:
        assert epochs[0] == 1 and epochs[-1] == count
        assert kept[-1] == values[-1]
        assert np.array_equal(kept, values[epochs - 1])
        assert np.all(np.diff(epochs) > 0)
    if count <= 2000:
        assert len(kept) == count


def test_thin_with_a_budget_of_one_keeps_the_last():
    epochs, kept = thin(np.array([3.0, 2.0, 1.0]), max_points=1)
    assert epochs.tolist() == [3] and kept.tolist() == [1.0]


def test_neuron_maps_image_shape_and_colours():
    maps = [np.full((10, 12), 1.0), np.full((10, 12), -1.0), np.zeros((10, 12))]
    image = neuron_maps_image(maps, -1.0, 1.0, tile=32, gap=4)
    assert image.shape == (32, 3 * 32 + 2 * 4, 3) and image.dtype == np.uint8
    assert tuple(image[16, 10]) == hex_to_rgb(BLUE)
    assert tuple(image[16, 36 + 10]) == hex_to_rgb(ORANGE)
    assert tuple(image[16, 72 + 10]) == hex_to_rgb(NEUTRAL)
    assert (image[:, 32:36] == 255).all()


def test_neuron_maps_image_puts_the_highest_y_at_the_top():
    # Rows of a map go with ys ascending: row 0 is the lowest y.
    neuron_map = np.array([[-1.0, -1.0], [1.0, 1.0]])
    image = neuron_maps_image([neuron_map], -1.0, 1.0, tile=8, gap=0)
    assert tuple(image[0, 0]) == hex_to_rgb(BLUE)
    assert tuple(image[-1, 0]) == hex_to_rgb(ORANGE)


def test_neuron_maps_image_accepts_a_stacked_array():
    image = neuron_maps_image(np.zeros((4, 60, 60)), -1.0, 1.0)
    assert image.shape == (64, 4 * 64 + 3 * 6, 3)


def test_neuron_maps_image_rejects_an_empty_layer():
    with pytest.raises(ValueError):
        neuron_maps_image([], -1.0, 1.0)


def test_neuron_layers_image_pads_rows_to_the_widest():
    layers = [[np.ones((5, 5))] * 3, [np.ones((5, 5))]]
    image = neuron_layers_image(layers, [(-1.0, 1.0), (-1.0, 1.0)], tile=10, gap=2)
    assert image.shape == (2 * 10 + 2, 3 * 10 + 2 * 2, 3) and image.dtype == np.uint8
    assert (image[12:, 10:] == 255).all()
    assert tuple(image[15, 5]) == hex_to_rgb(BLUE)
    with pytest.raises(ValueError):
        neuron_layers_image(layers, [(-1.0, 1.0)])
