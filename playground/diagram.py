"""The network drawn as nodes and edges, as a Vega-Lite spec: arrays in, a spec dict out.

Edges are blue for positive weights and orange for negative ones, thicker and darker for larger |w|;
nodes are coloured by their activation for one input. Hovering shows exact values. Vega-Lite (not
plotly) so that moving a slider updates the drawing in place instead of mounting a new chart.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from playground.colors import BLUE, NEUTRAL, ORANGE, diverging_rgb, symmetric_range
from playground.live_charts import CONFIG, FONT_SIZE, OUTLINE

LABEL_ROOM = 1.1  # x units left of the inputs and right of the outputs for their names


def node_positions(layer_sizes: Sequence[int]) -> list[np.ndarray]:
    """y of every node, layer by layer: evenly spaced, centred on 0, first node at the top."""
    return [(size - 1) / 2 - np.arange(size, dtype=float) for size in layer_sizes]


def node_names(
    layer_sizes: Sequence[int], input_names: Sequence[str], output_names: Sequence[str]
) -> list[list[str]]:
    """Inputs and outputs by their column names, hidden neurons as h<layer>.<neuron>."""
    last = len(layer_sizes) - 1
    names = []
    for layer, size in enumerate(layer_sizes):
        given = input_names if layer == 0 else output_names if layer == last else ()
        names.append([given[j] if j < len(given) else f"h{layer}.{j + 1}" for j in range(size)])
    return names


def layer_title(layer: int, last: int) -> str:
    return "Input" if layer == 0 else "Output" if layer == last else f"Hidden {layer}"


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


def edges_frame(
    weights: Sequence[np.ndarray], positions: list[np.ndarray], names: list[list[str]]
) -> pd.DataFrame:
    """One row per weight: its two ends, value, sign and strength (|w| relative to the largest)."""
    rows = []
    for layer, layer_weights in enumerate(weights):
        for (i, j), weight in np.ndenumerate(np.asarray(layer_weights, dtype=float)):
            rows.append({
                "x": float(layer), "y": float(positions[layer][i]),
                "x2": float(layer + 1), "y2": float(positions[layer + 1][j]),
                "weight": float(weight), "sign": "positive" if weight >= 0 else "negative",
                "from": names[layer][i], "to": names[layer + 1][j],
            })  # fmt: skip
    frame = pd.DataFrame(rows)
    largest = float(frame["weight"].abs().max()) if len(frame) else 0.0
    frame["strength"] = frame["weight"].abs() / largest if largest > 0 else 0.0
    return frame


def nodes_frame(
    layer_sizes: Sequence[int],
    names: list[list[str]],
    node_values: Sequence[np.ndarray] | None,
    biases: Sequence[np.ndarray],
    value_ranges: Sequence[tuple[float, float] | None],
) -> pd.DataFrame:
    """One row per neuron: position, name, value and bias, and a fill colour on its layer's range."""
    positions, last = node_positions(layer_sizes), len(layer_sizes) - 1
    rows = []
    for layer, size in enumerate(layer_sizes):
        values = np.full(size, np.nan) if node_values is None else np.asarray(node_values[layer], dtype=float)
        fills = diverging_rgb(values, *(value_ranges[layer] or symmetric_range(values)))
        for j in range(size):
            rows.append({
                "x": float(layer), "y": float(positions[layer][j]), "name": names[layer][j],
                "layer": layer_title(layer, last), "neuron": j + 1,
                "value": None if node_values is None else float(values[j]),
                "bias": None if layer == 0 else float(biases[layer - 1][j]),
                "fill": NEUTRAL if node_values is None else "#{:02x}{:02x}{:02x}".format(*fills[j]),
                "label": names[layer][j] if layer in (0, last) else "",
                "side": "left" if layer == 0 else "right",
            })  # fmt: skip
    return pd.DataFrame(rows)


def _position(x_domain: list[float], y_domain: list[float]) -> dict:
    """x and y channels on fixed, hidden axes (every layer shares them)."""
    return {
        "x": {"field": "x", "type": "quantitative", "axis": None, "scale": {"domain": x_domain}},
        "y": {"field": "y", "type": "quantitative", "axis": None, "scale": {"domain": y_domain}},
    }


def _edge_layer(position: dict) -> dict:
    return {
        "data": {"name": "edges"},
        "mark": {"type": "rule"},
        "encoding": {
            **position,
            "x2": {"field": "x2"},
            "y2": {"field": "y2"},
            "color": {"field": "sign", "type": "nominal", "legend": None,
                      "scale": {"domain": ["positive", "negative"], "range": [BLUE, ORANGE]}},
            "strokeWidth": {"field": "strength", "type": "quantitative", "legend": None,
                            "scale": {"domain": [0, 1], "range": [0.5, 7]}},
            "opacity": {"field": "strength", "type": "quantitative", "legend": None,
                        "scale": {"domain": [0, 1], "range": [0.35, 1]}},
            "tooltip": [{"field": "from", "title": "From"}, {"field": "to", "title": "To"},
                        {"field": "weight", "title": "w", "format": ".6f"}],
        },
    }  # fmt: skip


def _node_layer(position: dict, fills: list[str], size: float) -> dict:
    palette = sorted(set(fills))
    return {
        "data": {"name": "nodes"},
        "mark": {"type": "circle", "size": size, "stroke": OUTLINE, "strokeWidth": 1.5, "opacity": 1},
        "encoding": {
            **position,
            "color": {"field": "fill", "type": "nominal", "legend": None,
                      "scale": {"domain": palette, "range": palette}},
            "tooltip": [{"field": "name", "title": "Neuron"}, {"field": "layer", "title": "Layer"},
                        {"field": "value", "title": "Value", "format": ".6f"},
                        {"field": "bias", "title": "Bias", "format": ".6f"}],
        },
    }  # fmt: skip


def _text_layer(position: dict, data: str, field: str, mark: dict, where: str | None = None) -> dict:
    layer = {
        "data": {"name": data},
        "mark": {"type": "text", "fontSize": FONT_SIZE, **mark},
        "encoding": {**position, "text": {"field": field}},
    }
    if where is not None:
        layer["transform"] = [{"filter": where}]
    return layer


def network_diagram(
    layer_sizes: Sequence[int],
    weights: Sequence[np.ndarray],
    biases: Sequence[np.ndarray],
    node_values: Sequence[np.ndarray] | None,
    input_names: Sequence[str],
    output_names: Sequence[str],
    value_ranges: Sequence[tuple[float, float] | None] | None = None,
    height: int = 380,
) -> dict:
    """The network as a Vega-Lite spec. weights[l]: (n_in, n_out), biases[l]: (n_out,);
    node_values[l]: (layer_sizes[l],) the activations for one input (l = 0 the inputs), or None;
    value_ranges[l]: the (low, high) of layer l's colours, None for symmetric around 0."""
    _check_shapes(layer_sizes, weights, biases)
    positions = node_positions(layer_sizes)
    names = node_names(layer_sizes, input_names, output_names)
    nodes = nodes_frame(layer_sizes, names, node_values, biases, value_ranges or [None] * len(layer_sizes))
    last, top = len(layer_sizes) - 1, (max(layer_sizes) - 1) / 2
    titles = pd.DataFrame({
        "x": [float(layer) for layer in range(last + 1)],
        "y": top + 0.8,
        "title": [layer_title(layer, last) for layer in range(last + 1)],
    })  # fmt: skip
    position = _position([-LABEL_ROOM, last + LABEL_ROOM], [-top - 0.6, top + 1.1])
    node_size = float(np.clip((0.6 * (height - 60) / max(layer_sizes)) ** 2, 60, 900))
    return {
        "height": height,
        "width": "container",
        "config": CONFIG,
        "datasets": {"edges": edges_frame(weights, positions, names), "nodes": nodes, "titles": titles},
        "layer": [
            _edge_layer(position),
            _node_layer(position, list(nodes["fill"]), node_size),
            _text_layer(position, "nodes", "label", {"align": "right", "dx": -16}, "datum.side == 'left'"),
            _text_layer(position, "nodes", "label", {"align": "left", "dx": 16}, "datum.side == 'right'"),
            _text_layer(position, "titles", "title", {"color": "#555"}),
        ],
    }
