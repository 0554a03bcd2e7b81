"""Pure figure builders: arrays in, a plotly Figure or a uint8 RGB image out. No Streamlit here.

Every figure has a fixed height, a constant ``uirevision`` (zoom and legend clicks survive redraws),
float32 arrays (smaller messages on every tick) and fonts large enough for a projector.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go

from playground.colors import (
    BLUE,
    NEUTRAL,
    ORANGE,
    diverging_rgb,
)

FONT_SIZE = 16
UIREVISION = "playground"
OUTLINE = "#202020"
WHITE = 255


@dataclass(frozen=True)
class PointSet:
    """The data rows drawn on a chart.

    x, y: (n_points,) coordinates; target: (n_points,) class index (as float) or regression value;
    is_test: (n_points,) bool; labels: (n_points,) hover text, e.g. the row's name.
    """

    x: np.ndarray
    y: np.ndarray
    target: np.ndarray
    is_test: np.ndarray
    labels: tuple[str, ...]

    def __post_init__(self) -> None:
        lengths = {len(self.x), len(self.y), len(self.target), len(self.is_test), len(self.labels)}
        if len(lengths) != 1:
            raise ValueError("x, y, target, is_test and labels must have one entry per data row.")


# ---------------------------------------------------------------- shared layout


def _f32(values: np.ndarray | Sequence[float]) -> np.ndarray:
    return np.asarray(values, dtype=np.float32)


def _base_layout(figure: go.Figure, height: int, **layout: object) -> go.Figure:
    """The settings every chart shares; ``layout`` adds to or overrides them."""
    figure.update_layout(
        template="none",
        height=height,
        uirevision=UIREVISION,
        font={"size": FONT_SIZE},
        hoverlabel={"font": {"size": FONT_SIZE}},
        margin={"l": 60, "r": 20, "t": 40, "b": 55},
        paper_bgcolor="white",
        plot_bgcolor="white",
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "xanchor": "left", "x": 0},
    )
    figure.update_layout(**layout)
    return figure


def _text(value: str) -> str:
    """User-typed text made safe for plotly's HTML-like labels."""
    return html.escape(str(value))


# ---------------------------------------------------------------- loss curve


def thin(values: np.ndarray, max_points: int = 2000) -> tuple[np.ndarray, np.ndarray]:
    """Every k-th value of a history so at most ``max_points`` remain; the first and last are kept.

    values: (n_epochs,). Returns (epochs, values): 1-based epoch numbers (int) and the kept values.
    """
    if max_points < 1:
        raise ValueError("max_points must be at least 1.")
    values = np.asarray(values, dtype=float)
    count = len(values)
    if count <= max_points:
        indices = np.arange(count)
    elif max_points == 1:
        indices = np.array([count - 1])
    else:
        # A stride chosen so that the first point, every stride-th after it and the last fit the budget.
        stride = -(-(count - 1) // (max_points - 1))
        indices = np.append(np.arange(0, count - 1, stride), count - 1)
    return indices + 1, values[indices]


# ---------------------------------------------------------------- per-neuron images


def _tile(neuron_map: np.ndarray, low: float, high: float, tile: int) -> np.ndarray:
    """One map (rows = y ascending, cols = x) as a tile×tile RGB picture with the highest y at the top."""
    neuron_map = np.asarray(neuron_map, dtype=float)
    if neuron_map.ndim != 2 or 0 in neuron_map.shape:
        raise ValueError(f"Each neuron map must be a non-empty 2-D array; got shape {neuron_map.shape}.")
    rows = np.arange(tile) * neuron_map.shape[0] // tile
    cols = np.arange(tile) * neuron_map.shape[1] // tile
    return diverging_rgb(neuron_map[::-1][np.ix_(rows, cols)], low, high)


def _white(height: int, width: int) -> np.ndarray:
    return np.full((height, width, 3), WHITE, dtype=np.uint8)


def neuron_maps_image(
    maps: Sequence[np.ndarray], low: float, high: float, tile: int = 64, gap: int = 6
) -> np.ndarray:
    """One layer's neurons side by side: what each responds to over the input plane.

    maps: n arrays (ny, nx), one per neuron. Returns uint8 (tile, n·tile + (n−1)·gap, 3), tiles separated
    by white gaps, coloured low → orange, high → blue.
    """
    if len(maps) == 0:
        raise ValueError("No neuron maps to draw: the layer has no neurons.")
    if tile < 1 or gap < 0:
        raise ValueError("tile must be at least 1 pixel and gap must not be negative.")
    image = _white(tile, len(maps) * tile + (len(maps) - 1) * gap)
    for index, neuron_map in enumerate(maps):
        left = index * (tile + gap)
        image[:, left : left + tile] = _tile(neuron_map, low, high, tile)
    return image


def neuron_layers_image(
    layers: Sequence[Sequence[np.ndarray]],
    ranges: Sequence[tuple[float, float]],
    tile: int = 64,
    gap: int = 6,
) -> np.ndarray:
    """Every hidden neuron in one picture: a row of tiles per layer, padded with white to the widest row.

    layers: one list of (ny, nx) maps per hidden layer; ranges: (low, high) colour range per layer.
    Returns uint8 (n_layers·tile + (n_layers−1)·gap, widest row, 3).
    """
    if len(layers) == 0:
        raise ValueError("No hidden layers to draw.")
    if len(layers) != len(ranges):
        raise ValueError(
            f"Got {len(layers)} layers but {len(ranges)} colour ranges; give one range per layer."
        )
    rows = [
        neuron_maps_image(maps, low, high, tile, gap)
        for maps, (low, high) in zip(layers, ranges, strict=True)
    ]
    width = max(row.shape[1] for row in rows)
    image = _white(len(rows) * tile + (len(rows) - 1) * gap, width)
    for index, row in enumerate(rows):
        top = index * (tile + gap)
        image[top : top + tile, : row.shape[1]] = row
    return image


# ---------------------------------------------------------------- network diagram

WIDTH_BUCKETS = 5
MAX_EDGE_WIDTH = 6.0


def _node_positions(layer_sizes: Sequence[int]) -> list[np.ndarray]:
    """y of every node, layer by layer: evenly spaced, centred on 0, first node at the top."""
    return [(size - 1) / 2 - np.arange(size, dtype=float) for size in layer_sizes]


def _node_names(
    layer_sizes: Sequence[int], input_names: Sequence[str], output_names: Sequence[str]
) -> list[list[str]]:
    last = len(layer_sizes) - 1
    names = []
    for layer, size in enumerate(layer_sizes):
        given = input_names if layer == 0 else output_names if layer == last else ()
        names.append([given[j] if j < len(given) else f"h{layer}.{j + 1}" for j in range(size)])
    return names


def _layer_title(layer: int, last: int) -> str:
    return "Input" if layer == 0 else "Output" if layer == last else f"Hidden {layer}"


def _edges(
    weights: Sequence[np.ndarray], positions: list[np.ndarray], names: list[list[str]]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[str]]:
    """Every edge flattened: starts (n, 2), ends (n, 2), weights (n,), hover texts (n,)."""
    starts, ends, values, texts = [], [], [], []
    for layer, layer_weights in enumerate(weights):
        source, target = np.meshgrid(
            np.arange(layer_weights.shape[0]), np.arange(layer_weights.shape[1]), indexing="ij"
        )
        source, target = source.ravel(), target.ravel()
        starts.append(np.column_stack([np.full(source.size, layer), positions[layer][source]]))
        ends.append(np.column_stack([np.full(target.size, layer + 1), positions[layer + 1][target]]))
        values.append(layer_weights.ravel())
        texts += [
            f"w = {w:.6f} ({_text(names[layer][i])} → {_text(names[layer + 1][j])})"
            for w, i, j in zip(layer_weights.ravel(), source, target, strict=True)
        ]
    return np.concatenate(starts), np.concatenate(ends), np.concatenate(values), texts


def _edge_traces(starts: np.ndarray, ends: np.ndarray, weights: np.ndarray) -> list[go.Scatter]:
    """Edges grouped into a few traces by sign (colour) and |weight| bucket (width), NaN between segments."""
    largest = float(np.max(np.abs(weights))) if weights.size else 0.0
    strength = np.abs(weights) / largest if largest > 0 else np.zeros_like(weights)
    bucket = np.minimum((strength * WIDTH_BUCKETS).astype(int), WIDTH_BUCKETS - 1)
    traces = []
    for color, is_sign in ((BLUE, weights >= 0), (ORANGE, weights < 0)):
        for level in range(WIDTH_BUCKETS):
            chosen = is_sign & (bucket == level)
            if not chosen.any():
                continue
            gaps = np.full(chosen.sum(), np.nan)
            share = (level + 1) / WIDTH_BUCKETS
            traces.append(
                go.Scatter(
                    x=_f32(np.column_stack([starts[chosen, 0], ends[chosen, 0], gaps]).ravel()),
                    y=_f32(np.column_stack([starts[chosen, 1], ends[chosen, 1], gaps]).ravel()),
                    mode="lines",
                    line={"color": color, "width": 0.5 + (MAX_EDGE_WIDTH - 0.5) * share},
                    opacity=0.35 + 0.65 * share,
                    hoverinfo="skip",
                )
            )
    return traces


def _node_colors(node_values: Sequence[np.ndarray] | None, layer_sizes: Sequence[int]) -> list[str]:
    """Fill per node: its value on the diverging scale, scaled per layer (layers differ in units)."""
    if node_values is None:
        return [NEUTRAL] * sum(layer_sizes)
    colors = []
    for values in node_values:
        values = np.asarray(values, dtype=float)
        extent = float(np.nanmax(np.abs(values))) if values.size else 0.0
        colors += [f"rgb({r},{g},{b})" for r, g, b in diverging_rgb(values, -extent, extent)]
    return colors


def _node_hover(
    layer_sizes: Sequence[int],
    names: list[list[str]],
    node_values: Sequence[np.ndarray] | None,
    biases: Sequence[np.ndarray],
) -> list[str]:
    last = len(layer_sizes) - 1
    texts = []
    for layer, size in enumerate(layer_sizes):
        for j in range(size):
            lines = [
                f"<b>{_text(names[layer][j])}</b>",
                f"layer: {_layer_title(layer, last)}",
                f"neuron {j + 1}",
            ]
            if node_values is not None:
                lines.append(f"value = {float(node_values[layer][j]):.6f}")
            if layer > 0:
                lines.append(f"bias = {float(biases[layer - 1][j]):.6f}")
            texts.append("<br>".join(lines))
    return texts


def _check_shapes(
    layer_sizes: Sequence[int], weights: Sequence[np.ndarray], biases: Sequence[np.ndarray]
) -> None:
    if len(layer_sizes) < 2 or len(weights) != len(layer_sizes) - 1 or len(biases) != len(weights):
        raise ValueError("Give one weight matrix and one bias vector between each pair of adjacent layers.")
    for layer, (w, b) in enumerate(zip(weights, biases, strict=True)):
        expected = (layer_sizes[layer], layer_sizes[layer + 1])
        if np.shape(w) != expected or np.shape(b) != expected[1:]:
            raise ValueError(
                f"Layer {layer + 1}: weights {np.shape(w)} and biases {np.shape(b)} do not fit {expected}."
            )


def network_diagram(
    layer_sizes: Sequence[int],
    weights: Sequence[np.ndarray],
    biases: Sequence[np.ndarray],
    node_values: Sequence[np.ndarray] | None,
    input_names: Sequence[str],
    output_names: Sequence[str],
    height: int = 380,
) -> go.Figure:
    """The network as nodes and edges: blue edges positive, orange negative, thicker for larger |w|.

    weights[l]: (n_in, n_out), biases[l]: (n_out,); node_values[l]: (layer_sizes[l],) the activations for one
    input (l = 0 the inputs, last the outputs), or None. Uses at most 2·WIDTH_BUCKETS + 2 traces.
    """
    _check_shapes(layer_sizes, weights, biases)
    weights = [np.asarray(w, dtype=float) for w in weights]
    positions = _node_positions(layer_sizes)
    names = _node_names(layer_sizes, input_names, output_names)
    starts, ends, edge_weights, edge_texts = _edges(weights, positions, names)
    edge_hover = go.Scatter(
        x=_f32((starts[:, 0] + ends[:, 0]) / 2),
        y=_f32((starts[:, 1] + ends[:, 1]) / 2),
        mode="markers",
        marker={"size": 10, "color": "rgba(0,0,0,0)"},
        text=edge_texts,
        hoverinfo="text",
    )
    last = len(layer_sizes) - 1
    node_x = np.concatenate([np.full(size, layer) for layer, size in enumerate(layer_sizes)])
    side = {0: "middle left", last: "middle right"}
    nodes = go.Scatter(
        x=_f32(node_x),
        y=_f32(np.concatenate(positions)),
        mode="markers+text",
        marker={
            "size": float(np.clip(0.55 * (height - 80) / max(layer_sizes), 8, 30)),
            "color": _node_colors(node_values, layer_sizes),
            "line": {"color": OUTLINE, "width": 1.5},
        },
        text=[
            _text(name) if layer in side else ""
            for layer, layer_names in enumerate(names)
            for name in layer_names
        ],
        textposition=[side.get(int(layer), "middle center") for layer in node_x],
        textfont={"size": FONT_SIZE},
        cliponaxis=False,
        hovertext=_node_hover(layer_sizes, names, node_values, biases),
        hoverinfo="text",
    )
    top = (max(layer_sizes) - 1) / 2
    titles = [
        {
            "x": layer,
            "y": top + 0.9,
            "text": _layer_title(layer, last),
            "showarrow": False,
            "font": {"size": 14},
        }
        for layer in range(last + 1)
    ]
    label_room = 9 * max(len(str(name)) for name in (*input_names, *output_names, "x"))
    return _base_layout(
        go.Figure([*_edge_traces(starts, ends, edge_weights), edge_hover, nodes]),
        height,
        xaxis={"visible": False, "range": [-0.3, last + 0.3]},
        yaxis={"visible": False, "range": [-top - 0.6, top + 1.2]},
        annotations=titles,
        showlegend=False,
        hovermode="closest",
        margin={"l": min(20 + label_room, 180), "r": min(20 + label_room, 180), "t": 10, "b": 10},
    )
