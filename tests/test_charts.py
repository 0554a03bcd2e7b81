"""The pure chart builders: what each figure contains, and the colours of the per-neuron images."""

from __future__ import annotations

from itertools import pairwise

import numpy as np
import plotly.graph_objects as go
import pytest

from playground.charts import (
    PointSet,
    curve_figure,
    loss_figure,
    network_diagram,
    neuron_layers_image,
    neuron_maps_image,
    surface_figure,
    thin,
)
from playground.colors import BLUE, CLASS_COLORS, DIVERGING_SCALE, NEUTRAL, ORANGE, diverging_rgb, hex_to_rgb

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
    assert DIVERGING_SCALE == [[0.0, ORANGE], [0.5, NEUTRAL], [1.0, BLUE]]


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


def test_loss_figure_has_a_train_line_and_a_dashed_test_line():
    figure = loss_figure(np.linspace(1, 0.1, 50), np.linspace(1.2, 0.2, 50), height=260)
    train, test = scatter_named(figure, "train"), scatter_named(figure, "test")
    assert len(figure.data) == 2
    assert test.line.dash == "dash" and train.line.dash is None
    assert train.x.dtype == np.float32 and train.y.dtype == np.float32
    assert train.x[0] == 1 and train.x[-1] == 50
    assert figure.layout.xaxis.title.text == "Epoch" and figure.layout.yaxis.title.text == "Loss"
    assert figure.layout.yaxis.type == "linear"
    assert figure.layout.legend.orientation == "h"
    assert_projector_ready(figure, 260)


def test_loss_figure_without_test_loss_has_one_trace():
    assert len(loss_figure([0.5, 0.4]).data) == 1
    assert len(loss_figure([0.5, 0.4], []).data) == 1


def test_loss_figure_log_scale_drops_values_it_cannot_draw():
    figure = loss_figure([1.0, 0.0, -0.5, 0.01, np.inf], log_scale=True)
    assert figure.layout.yaxis.type == "log"
    y = figure.data[0].y
    assert y[0] == 1.0 and np.isclose(y[3], 0.01)
    assert np.isnan(y[[1, 2, 4]]).all()


def test_loss_figure_thins_long_histories():
    figure = loss_figure(np.ones(50_000))
    assert len(figure.data[0].x) <= 2000 and figure.data[0].x[-1] == 50_000


def test_empty_loss_figure_asks_for_training():
    figure = loss_figure([], [])
    assert len(figure.data) == 0
    assert "Press Train" in figure.layout.annotations[0].text
    assert_projector_ready(figure, 300)


# ---------------------------------------------------------------- decision surface and curve


def test_binary_surface_heatmap_and_points():
    points = make_points(np.array([0, 1, 0, 1, 1, 0, 1, 0]), n_test=3)
    values = np.random.default_rng(1).random((len(YS), len(XS)))
    figure = surface_figure(XS, YS, values, "binary", points, "Height", "Weight", ("male", "female"))
    heatmap = figure.data[0]
    assert heatmap.type == "heatmap" and heatmap.z.shape == (20, 30) and heatmap.z.dtype == np.float32
    assert (heatmap.zmin, heatmap.zmax) == (0, 1)
    assert [list(stop) for stop in heatmap.colorscale] == DIVERGING_SCALE
    assert heatmap.colorbar.title.text == "P(female)"
    train, test = scatter_named(figure, "train"), scatter_named(figure, "test")
    assert len(train.x) == 5 and len(test.x) == 3
    assert train.marker.symbol != test.marker.symbol
    assert list(test.marker.color) == [ORANGE, BLUE, ORANGE]
    assert "row 0" in test.text[0] and "Height" in test.text[0] and "female" in test.text[1]
    assert figure.layout.showlegend
    assert list(figure.layout.xaxis.range) == [-3, 3] and list(figure.layout.yaxis.range) == [-2, 5]
    assert figure.layout.xaxis.title.text == "Height" and figure.layout.yaxis.title.text == "Weight"
    assert_projector_ready(figure, 420)


def test_surface_without_test_points_has_no_test_trace_and_no_legend():
    points = make_points(np.array([0, 1, 1]), n_test=0)
    figure = surface_figure(XS, YS, np.zeros((20, 30)), "binary", points, "a", "b")
    assert [t.name for t in figure.data[1:]] == ["train"]
    assert not figure.layout.showlegend
    assert figure.data[0].colorbar.title.text == "P(class 1)"


def test_multiclass_surface_uses_class_colours():
    points = make_points(np.array([0, 1, 2, 2, 1]), n_test=2)
    values = np.tile(np.arange(3.0), (20, 10))
    figure = surface_figure(XS, YS, values, "multiclass", points, "a", "b", ("x", "y", "z"))
    heatmap = figure.data[0]
    assert heatmap.z.shape == (20, 30)
    assert (heatmap.zmin, heatmap.zmax) == (-0.5, 2.5)
    assert list(heatmap.colorbar.ticktext) == ["x", "y", "z"]
    assert len(scatter_named(figure, "train").x) == 3 and len(scatter_named(figure, "test").x) == 2
    assert list(scatter_named(figure, "train").marker.color) == [
        CLASS_COLORS[2],
        CLASS_COLORS[2],
        CLASS_COLORS[1],
    ]


def test_regression_surface_shares_one_range_between_heatmap_and_points():
    points = make_points(np.array([10.0, 20.0, 30.0, 40.0]), n_test=1)
    values = np.linspace(15.0, 50.0, 600).reshape(20, 30)
    figure = surface_figure(XS, YS, values, "regression", points, "a", "b")
    heatmap = figure.data[0]
    assert (heatmap.zmin, heatmap.zmax) == (10.0, 50.0)
    for name in ("train", "test"):
        marker = scatter_named(figure, name).marker
        assert (marker.cmin, marker.cmax) == (10.0, 50.0)
    assert len(scatter_named(figure, "train").x) == 3 and len(scatter_named(figure, "test").x) == 1


def test_surface_rejects_a_grid_of_the_wrong_shape_and_unknown_tasks():
    points = make_points(np.array([0.0]), n_test=0)
    with pytest.raises(ValueError, match="shape"):
        surface_figure(XS, YS, np.zeros((30, 20)), "binary", points, "a", "b")
    with pytest.raises(ValueError, match="Unknown task"):
        surface_figure(XS, YS, np.zeros((20, 30)), "ranking", points, "a", "b")


def test_point_hover_escapes_user_text():
    points = PointSet(np.zeros(1), np.zeros(1), np.zeros(1), np.zeros(1, dtype=bool), ("<b>Bob</b>",))
    figure = surface_figure(XS, YS, np.zeros((20, 30)), "binary", points, "a<b", "b")
    assert "&lt;b&gt;Bob" in figure.data[1].text[0] and "a&lt;b" in figure.data[1].text[0]


def test_curve_figure_draws_the_prediction_and_the_data():
    points = make_points(np.array([0.5, 1.5, 2.5, 3.5, 4.5]), n_test=2)
    figure = curve_figure(XS, np.sin(XS), points, "Height", "Weight", height=400)
    curve = scatter_named(figure, "prediction")
    assert curve.mode == "lines" and len(curve.x) == 30 and curve.y.dtype == np.float32
    train, test = scatter_named(figure, "train"), scatter_named(figure, "test")
    assert len(train.x) == 3 and len(test.x) == 2
    assert np.allclose(train.y, points.target[~points.is_test])
    assert figure.layout.xaxis.title.text == "Height"
    assert_projector_ready(figure, 400)


# ---------------------------------------------------------------- per-neuron images


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


# ---------------------------------------------------------------- network diagram


def make_network(
    layer_sizes: list[int], seed: int = 0
) -> tuple[list[np.ndarray], list[np.ndarray], list[np.ndarray]]:
    rng = np.random.default_rng(seed)
    weights = [rng.normal(size=(n_in, n_out)) for n_in, n_out in pairwise(layer_sizes)]
    biases = [rng.normal(size=n_out) for n_out in layer_sizes[1:]]
    node_values = [rng.normal(size=size) for size in layer_sizes]
    return weights, biases, node_values


def edge_traces(figure: go.Figure) -> list[go.Scatter]:
    return [t for t in figure.data if t.mode == "lines"]


def edge_hover(figure: go.Figure) -> go.Scatter:
    (trace,) = [
        t for t in figure.data if t.mode == "markers" and t.text and str(t.text[0]).startswith("w = ")
    ]
    return trace


@pytest.mark.parametrize("layer_sizes", [[2, 1], [6, 16, 16, 16, 16, 16, 16, 10], [3, 4, 2]])
def test_network_diagram_draws_every_edge_with_few_traces(layer_sizes):
    weights, biases, node_values = make_network(layer_sizes)
    inputs = [f"in{i}" for i in range(layer_sizes[0])]
    outputs = [f"out{i}" for i in range(layer_sizes[-1])]
    figure = network_diagram(layer_sizes, weights, biases, node_values, inputs, outputs)
    edge_count = sum(w.size for w in weights)
    assert len(figure.data) <= 20
    segments = sum(int(np.isnan(t.x).sum()) for t in edge_traces(figure))
    assert segments == edge_count
    assert len(edge_hover(figure).x) == edge_count
    assert not figure.layout.xaxis.visible and not figure.layout.yaxis.visible
    assert_projector_ready(figure, 380)


def test_network_diagram_edges_show_exact_weights_and_signs():
    weights = [np.array([[0.123456], [-0.5]])]
    figure = network_diagram([2, 1], weights, [np.array([0.25])], None, ["Height", "Weight"], ["P(female)"])
    assert list(edge_hover(figure).text) == [
        "w = 0.123456 (Height → P(female))",
        "w = -0.500000 (Weight → P(female))",
    ]
    colors = {t.line.color for t in edge_traces(figure)}
    assert colors == {BLUE, ORANGE}
    widths = {t.line.color: t.line.width for t in edge_traces(figure)}
    assert widths[ORANGE] > widths[BLUE]


def test_network_diagram_nodes_show_names_values_and_biases():
    layer_sizes = [2, 3, 1]
    weights, biases, node_values = make_network(layer_sizes)
    figure = network_diagram(layer_sizes, weights, biases, node_values, ["Height", "Weight"], ["P(female)"])
    (nodes,) = [t for t in figure.data if t.mode == "markers+text"]
    assert len(nodes.x) == 6
    assert list(nodes.text) == ["Height", "Weight", "", "", "", "P(female)"]
    assert f"bias = {biases[0][1]:.6f}" in nodes.hovertext[3]
    assert f"value = {node_values[2][0]:.6f}" in nodes.hovertext[5]
    assert "bias" not in nodes.hovertext[0]


def test_network_diagram_rejects_mismatched_shapes():
    with pytest.raises(ValueError, match="Layer 1"):
        network_diagram([2, 3], [np.zeros((3, 2))], [np.zeros(3)], None, ["a", "b"], ["c", "d", "e"])
