"""The hidden layer's space: every row at its hidden neurons' values, the input grid carried there, and
the output's decision line — why a straight line in that space is a curved boundary over the inputs.

Pure functions over a ``ModelRun`` (no Streamlit). The chart is a Vega-Lite spec whose data travel in
named datasets, so while the network trains only the data change and the chart updates in place.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from nn_core.activations import get_activation
from playground.backprop import neuron_names
from playground.charts import CONFIG
from playground.colors import (
    BLUE,
    CLASS_COLORS,
    NEUTRAL,
    ORANGE,
    OUTLINE,
    activation_range,
    diverging_rgb,
    hex_to_rgb,
)
from playground.model import ModelRun
from playground.plane import axis_range
from playground.text import encodable

GRID_LINES = 11  # lines of constant input in each direction
GRID_SAMPLES = 41  # points along each grid line: enough for a smooth curve
MAX_LABELLED_ROWS = 12  # rows named beside their point; more would cover the picture
# Names of points closer than this (share of the plane's width, height) share one label, so none overlap.
LABEL_REACH = (0.25, 0.07)
DOMAIN_MARGIN = 0.05  # of a bounded activation's range, so points at its ends stay whole
GRID_COLOR = "#7D848C"
LEGEND_COLUMNS = 5  # a legend of ten classes in two rows, not cut off at the chart's edge
BACKGROUND_CELLS = 24  # cells across and up of the output's colour behind the points
BACKGROUND_STRENGTH = 0.45  # of the output's colour: paler than the decision surface, so the grid shows
LINE_COLOR = OUTLINE
_SIGMOID = get_activation("sigmoid")


@dataclass(frozen=True)
class HiddenSpace:
    """One hidden layer's plane, spanned by two of its neurons, and what lies in it.

    points: columns a, b (the two neurons' values), row, set ("train" or "test"), class (the class
    label; regression: the target value) and color (the target's colour for a regression; else "").
    questions: a, b, row — extra inputs asked about (the tutorial's Emily and Frank).
    labels: a, b, text, side — the names of the questions and of up to MAX_LABELLED_ROWS rows, one
    label per group of nearby points, written on the ``side`` ("left" or "right") facing inwards.
    grid: a, b, line, order — the input plane's grid lines after the network up to this layer, each
    line's points in ``order``.
    line: a, b — the ends of the output's decision line in view; no rows when none is drawn, and then
    ``note`` says why. ``equation`` is the line written out.
    background: a, a2, b, b2, output — cells and the output at their centres (drawn orange for 0,
    blue for 1, as on the decision surface), whenever the output depends on these two neurons
    alone; else no rows.
    domain: the axes' fixed range for a bounded activation (sigmoid, tanh), None when the data decide it.
    """

    layer: int
    neurons: tuple[int, int]
    names: tuple[str, str]
    points: pd.DataFrame
    questions: pd.DataFrame
    labels: pd.DataFrame
    grid: pd.DataFrame
    line: pd.DataFrame
    background: pd.DataFrame
    equation: str | None
    note: str | None
    domain: tuple[float, float] | None
    task: str
    target_name: str
    class_labels: tuple[str, ...]


def hidden_activations(
    model: ModelRun, X_raw: np.ndarray, layer: int, neurons: tuple[int, int]
) -> np.ndarray:
    """The two chosen neurons' values of hidden layer ``layer`` for raw rows: (n_rows, 2)."""
    forward = model.forward_raw(np.asarray(X_raw, dtype=float).reshape(-1, len(model.data.feature_names)))
    return forward.activations[layer][:, list(neurons)]


def input_grid(
    X: np.ndarray,
    axes: tuple[int, int],
    fixed: np.ndarray,
    lines: int = GRID_LINES,
    samples: int = GRID_SAMPLES,
) -> tuple[np.ndarray, np.ndarray]:
    """The input plane's grid in raw units: rows (n_points, n_inputs) and each point's line number.

    Lines of constant ``axes[0]`` input, then of constant ``axes[1]`` input, over ``axis_range`` of the
    data; the other inputs are held at ``fixed``. With one input on both axes there is one line.
    """
    spans = [axis_range(X[:, axis]) for axis in axes]
    along = [np.linspace(*span, samples) for span in spans]
    if axes[0] == axes[1]:
        segments = [{axes[0]: along[0]}]
    else:
        segments = [
            {axes[0]: np.full(samples, value), axes[1]: along[1]} for value in np.linspace(*spans[0], lines)
        ]
        segments += [
            {axes[0]: along[0], axes[1]: np.full(samples, value)} for value in np.linspace(*spans[1], lines)
        ]
    rows = np.tile(np.asarray(fixed, dtype=float), (len(segments) * samples, 1))
    for number, segment in enumerate(segments):
        for axis, values in segment.items():
            rows[number * samples : (number + 1) * samples, axis] = values
    return rows, np.repeat(np.arange(len(segments)), samples)


def line_in_box(
    weights: tuple[float, float], bias: float, box: tuple[float, float, float, float]
) -> np.ndarray | None:
    """The two ends of w_a·a + w_b·b + bias = 0 inside box (a_low, a_high, b_low, b_high): (2, 2).

    None when the weights are both 0 or the line misses the box.
    """
    w_a, w_b = weights
    a_low, a_high, b_low, b_high = box
    crossings = []
    if w_b != 0:
        crossings += [(a, -(bias + w_a * a) / w_b) for a in (a_low, a_high)]
    if w_a != 0:
        crossings += [(-(bias + w_b * b) / w_a, b) for b in (b_low, b_high)]
    inside = sorted({(a, b) for a, b in crossings if a_low <= a <= a_high and b_low <= b <= b_high})
    if len(inside) < 2 or inside[0] == inside[-1]:
        return None
    return np.array([inside[0], inside[-1]])


def name_labels(named: pd.DataFrame, box: tuple[float, float, float, float]) -> pd.DataFrame:
    """One label per group of nearby points ("Bob, Charlie, Frank"), at the group's first point.

    named: a, b, row. Points within LABEL_REACH of a group's first point join it; each label is
    written on the side of its point that faces the middle of the plane, so it stays inside.
    """
    spans = np.array([box[1] - box[0], box[3] - box[2]])
    groups: list[tuple[np.ndarray, list[str]]] = []
    for position, name in zip(coordinates_of(named), named["row"], strict=True):
        near = (group for group in groups if (np.abs(position - group[0]) < LABEL_REACH * spans).all())
        group = next(near, None)
        if group is None:
            groups.append((position, [name]))
        else:
            group[1].append(name)
    middle = box[0] + spans[0] / 2
    return pd.DataFrame(
        {
            "a": [anchor[0] for anchor, _ in groups],
            "b": [anchor[1] for anchor, _ in groups],
            "text": pd.Series([", ".join(names) for _, names in groups], dtype=object),
            "side": pd.Series(
                ["left" if anchor[0] > middle else "right" for anchor, _ in groups], dtype=object
            ),
        }
    )


def coordinates_of(frame: pd.DataFrame) -> np.ndarray:
    """The (a, b) columns of a frame of points: (n, 2)."""
    return frame[["a", "b"]].to_numpy(dtype=float)


def output_cells(
    weights: tuple[float, float] | None,
    bias: float,
    box: tuple[float, float, float, float],
    cells: int = BACKGROUND_CELLS,
) -> pd.DataFrame:
    """A cells × cells grid over the box: each cell's corners (a, b), (a2, b2) and the output
    σ(w_a·a + w_b·b + bias) at its centre; no cells when ``weights`` is None."""
    if weights is None:
        return pd.DataFrame({"a": [], "a2": [], "b": [], "b2": [], "output": []})
    a_edges, b_edges = np.linspace(box[0], box[1], cells + 1), np.linspace(box[2], box[3], cells + 1)
    a_low, b_low = (edges.ravel() for edges in np.meshgrid(a_edges[:-1], b_edges[:-1]))
    a_high, b_high = (edges.ravel() for edges in np.meshgrid(a_edges[1:], b_edges[1:]))
    z = weights[0] * (a_low + a_high) / 2 + weights[1] * (b_low + b_high) / 2 + bias
    return pd.DataFrame({"a": a_low, "a2": a_high, "b": b_low, "b2": b_high, "output": _SIGMOID.value(z)})


def why_no_line(model: ModelRun, layer: int, neurons: tuple[int, int]) -> str | None:
    """Why the output's decision line cannot be drawn in this plane, or None when it can."""
    network, data = model.network, model.data
    last = network.n_layers - 2
    size = network.layer_sizes[layer + 1]
    if data.task == "regression":
        return "The output is a number, not a class, so there is no decision line to draw."
    if data.task == "multiclass":
        return (
            f"With {len(data.class_labels)} classes the output draws one line between each pair of "
            "classes; this view draws the line of a two-class problem only."
        )
    if network.output_activation != "sigmoid":
        return f"The output neuron is {network.output_activation}, not sigmoid: no 0.5 line to draw."
    if layer != last:
        return (
            f"The output reads hidden layer {last + 1}, not this one: choose layer {last + 1} "
            "to see its decision line."
        )
    if size != 2:
        return (
            f"The output weighs all {size} neurons of this layer: its straight boundary lives in "
            f"{size} dimensions, so no line in a plane of two of them shows it. Give this layer 2 "
            "neurons to see the line."
        )
    if sorted(neurons) != [0, 1]:
        return "Choose two different neurons to see the decision line."
    return None


def hidden_space(
    model: ModelRun,
    layer: int,
    neurons: tuple[int, int],
    axes: tuple[int, int],
    fixed: np.ndarray,
    questions: Mapping[str, Sequence[float]] | None = None,
) -> HiddenSpace:
    """Everything the hidden-space chart shows for hidden layer ``layer`` (0-based) and two of its
    neurons: the rows, the ``questions`` (name → raw inputs), the warped input grid over ``axes``
    (other inputs at ``fixed``) and, when it exists, the output's decision line."""
    data = model.data
    layer_names = neuron_names(model.network.layer_sizes)[layer]
    names = (layer_names[neurons[0]], layer_names[neurons[1]])
    grid_rows, line_numbers = input_grid(data.X, axes, fixed)
    grid = _frame(hidden_activations(model, grid_rows, layer, neurons))
    grid["line"], grid["order"] = line_numbers, np.arange(len(line_numbers))
    points = _points(model, hidden_activations(model, data.X, layer, neurons))
    asked = _questions(model, layer, neurons, questions or {})
    domain = _domain(model.network.hidden_activation)
    box = _box(domain, [points, asked, grid])
    named = [points] if len(points) <= MAX_LABELLED_ROWS else []
    labels = name_labels(pd.concat([*named, asked], ignore_index=True), box)
    line, background, equation, note = _output_in_plane(model, layer, neurons, names, box)
    return HiddenSpace(
        layer,
        neurons,
        names,
        points,
        asked,
        labels,
        grid,
        line,
        background,
        equation,
        note,
        domain,
        data.task,
        data.target_name,
        data.class_labels,
    )


def _output_in_plane(
    model: ModelRun,
    layer: int,
    neurons: tuple[int, int],
    names: tuple[str, str],
    box: tuple[float, float, float, float],
) -> tuple[pd.DataFrame, pd.DataFrame, str | None, str | None]:
    """The decision line's ends in the box, the output's colour cells, the line's equation, and why
    the line is not drawn (None when it is)."""
    note = why_no_line(model, layer, neurons)
    if note is not None:
        return _frame(np.empty((0, 2))), output_cells(None, 0.0, box), None, note
    weights, bias = _output_line(model, neurons)
    ends = line_in_box(weights, bias, box)
    if ends is None:
        note = "The decision line misses this part of the plane: every point here gets the same answer."
    line = _frame(ends if ends is not None else np.empty((0, 2)))
    return line, output_cells(weights, bias, box), _equation(weights, bias, names), note


def _questions(
    model: ModelRun, layer: int, neurons: tuple[int, int], questions: Mapping[str, Sequence[float]]
) -> pd.DataFrame:
    inputs = np.array(list(questions.values()), dtype=float).reshape(
        len(questions), len(model.data.feature_names)
    )
    frame = _frame(hidden_activations(model, inputs, layer, neurons))
    frame["row"] = pd.Series(list(questions), dtype=str)
    return frame


def _frame(coordinates: np.ndarray) -> pd.DataFrame:
    return pd.DataFrame({"a": coordinates[:, 0], "b": coordinates[:, 1]})


def _points(model: ModelRun, coordinates: np.ndarray) -> pd.DataFrame:
    data = model.data
    frame = _frame(coordinates)
    frame["row"] = list(data.row_labels)
    is_test = model.is_test
    frame["set"] = np.where(is_test, "test", "train")
    if data.task == "regression":
        frame["class"] = [f"{value:.4g}" for value in data.y]
        colors = diverging_rgb(data.y, float(data.y.min()), float(data.y.max()))
        frame["color"] = ["#{:02X}{:02X}{:02X}".format(*color) for color in colors]
    else:
        frame["class"] = [data.class_labels[int(label)] for label in data.y]
        frame["color"] = ""
    return frame


def _output_line(model: ModelRun, neurons: tuple[int, int]) -> tuple[tuple[float, float], float]:
    """(w_a, w_b), b of the output neuron: its output is 0.5 where w_a·a + w_b·b + b = 0."""
    weights = model.network.weights[-1][:, 0]
    return (float(weights[neurons[0]]), float(weights[neurons[1]])), float(model.network.biases[-1][0])


def _equation(weights: tuple[float, float], bias: float, names: tuple[str, str]) -> str:
    """'3.21·h1 − 4.05·h2 + 0.52 = 0'."""
    terms = [(weights[0], f"·{names[0]}"), (weights[1], f"·{names[1]}"), (bias, "")]
    text = ""
    for index, (value, suffix) in enumerate(terms):
        sign = ("−" if value < 0 else "") if index == 0 else (" − " if value < 0 else " + ")
        text += f"{sign}{abs(value):.3g}{suffix}"
    return f"{text} = 0"


def _domain(activation: str) -> tuple[float, float] | None:
    bounds = activation_range(activation)
    if bounds is None:
        return None
    pad = DOMAIN_MARGIN * (bounds[1] - bounds[0])
    return bounds[0] - pad, bounds[1] + pad


def _box(domain: tuple[float, float] | None, frames: list[pd.DataFrame]) -> tuple[float, float, float, float]:
    """Where the line is drawn: the fixed domain on both axes, else everything shown with a margin."""
    if domain is not None:
        return (*domain, *domain)
    drawn = np.vstack([coordinates_of(frame) for frame in frames])
    return (*axis_range(drawn[:, 0], 0.05), *axis_range(drawn[:, 1], 0.05))


def hidden_space_chart(space: HiddenSpace, height: int = 460) -> dict:
    """A Vega-Lite spec of the hidden space: the output's colours behind, thin grey grid, the rows
    coloured by class, the questions as open squares, names beside them, the decision line dark. The
    spec depends only on the names, task and classes; the numbers travel in the datasets, so a
    training frame changes data, not spec."""
    scale = (
        {"zero": False, "nice": False}
        if space.domain is None
        else {"domain": list(space.domain), "nice": False}
    )
    x = {"field": "a", "type": "quantitative", "title": space.names[0], "scale": scale}
    y = {"field": "b", "type": "quantitative", "title": space.names[1], "scale": scale}
    tooltip = [
        {"field": "a", "title": space.names[0], "format": ".3f"},
        {"field": "b", "title": space.names[1], "format": ".3f"},
    ]
    layers = [
        {
            "data": {"name": "background"},
            "mark": {"type": "rect", "strokeWidth": 0.6},
            "encoding": {
                "x": x,
                "x2": {"field": "a2"},
                "y": y,
                "y2": {"field": "b2"},
                "fill": _output_color(),
                "stroke": _output_color(),
            },
        },
        {
            "data": {"name": "grid"},
            "mark": {"type": "line", "color": GRID_COLOR, "strokeWidth": 1, "clip": True},
            "encoding": {"x": x, "y": y, "detail": {"field": "line"}, "order": {"field": "order"}},
        },
        {
            "data": {"name": "line"},
            "mark": {"type": "line", "color": LINE_COLOR, "strokeWidth": 3.5, "clip": True},
            "encoding": {"x": x, "y": y},
        },
        {
            "data": {"name": "points"},
            "mark": {
                "type": "point",
                "filled": True,
                "size": 110,
                "stroke": OUTLINE,
                "strokeWidth": 1,
                "opacity": 1,
            },
            "encoding": {
                "x": x,
                "y": y,
                "color": _point_color(space),
                "shape": _point_shape(space),
                "tooltip": [
                    {"field": "row", "title": "Row"},
                    {"field": "class", "title": "Target"},
                    *tooltip,
                ],
            },
        },
        {
            "data": {"name": "questions"},
            "mark": {
                "type": "square",
                "size": 260,
                "filled": False,
                "stroke": OUTLINE,
                "strokeWidth": 2.5,
                "opacity": 1,
            },
            "encoding": {"x": x, "y": y, "tooltip": [{"field": "row", "title": "Asked"}, *tooltip]},
        },
        *(_label_layer(x, y, side) for side in ("right", "left")),
    ]
    return {
        "height": height,
        "width": "container",
        "config": CONFIG,
        "datasets": {
            "background": space.background.astype("float32"),
            "grid": space.grid.astype({"a": "float32", "b": "float32", "line": "int16", "order": "int16"}),
            "line": space.line,
            "points": space.points.astype({"a": "float32", "b": "float32"}),
            "questions": space.questions,
            "labels": space.labels,
        },
        "layer": layers,
    }


def _output_color() -> dict:
    """The decision surface's colours for the output (orange 0, neutral 0.5, blue 1, linear in RGB
    between), BACKGROUND_STRENGTH of them on white so the grid and the points stand out."""
    return {
        "field": "output",
        "type": "quantitative",
        "scale": {
            "domain": [0, 0.5, 1],
            "range": [pale(color) for color in (ORANGE, NEUTRAL, BLUE)],
            "interpolate": "rgb",
            "clamp": True,
        },
        "legend": None,
    }


def pale(color: str) -> str:
    """``color`` at BACKGROUND_STRENGTH on white: '#F59322' → '#FACE9C' at 0.45."""
    rgb = np.array(hex_to_rgb(color), dtype=float)
    return "#{:02X}{:02X}{:02X}".format(*np.rint(255 - (255 - rgb) * BACKGROUND_STRENGTH).astype(int))


def _label_layer(x: dict, y: dict, side: str) -> dict:
    """The names written to the ``side`` of their points (names are data, never part of the spec)."""
    return {
        "data": {"name": "labels"},
        "transform": [{"filter": {"field": "side", "equal": side}}],
        "mark": {
            "type": "text",
            "align": "left" if side == "right" else "right",
            "dx": 10 if side == "right" else -10,
            "dy": -9,
            "fontSize": 15,
            "fontWeight": "bold",
            "color": OUTLINE,
        },
        "encoding": {"x": x, "y": y, "text": {"field": "text"}},
    }


def _point_color(space: HiddenSpace) -> dict:
    """Class colours as everywhere in the app, under the target's name (one plain line); a regression's
    points carry their own diverging colour."""
    if space.task == "regression":
        return {"field": "color", "type": "nominal", "scale": None, "legend": None}
    labels = list(space.class_labels)
    return {
        "field": "class",
        "type": "nominal",
        "scale": {"domain": labels, "range": list(CLASS_COLORS[: len(labels)])},
        "legend": {"title": " ".join(encodable(space.target_name).split()), "columns": LEGEND_COLUMNS},
    }


def _point_shape(space: HiddenSpace) -> dict:
    """Circles for training rows, diamonds for test rows, as on the decision surface."""
    has_test = bool((space.points["set"] == "test").any())
    return {
        "field": "set",
        "type": "nominal",
        "scale": {"domain": ["train", "test"], "range": ["circle", "diamond"]},
        "legend": {"title": None} if has_test else None,
    }
