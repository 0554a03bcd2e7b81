"""The network diagram's Vega-Lite spec: every edge and node, exact values on hover, signs as colours."""

from __future__ import annotations

import json
from itertools import pairwise

import numpy as np
import pytest

from playground.colors import BLUE, ORANGE
from playground.diagram import network_diagram


def make_network(layer_sizes, seed=0):
    rng = np.random.default_rng(seed)
    weights = [rng.normal(size=(n_in, n_out)) for n_in, n_out in pairwise(layer_sizes)]
    biases = [rng.normal(size=n_out) for n_out in layer_sizes[1:]]
    node_values = [rng.normal(size=size) for size in layer_sizes]
    return weights, biases, node_values


@pytest.mark.parametrize("layer_sizes", [[2, 1], [6, 16, 16, 16, 16, 16, 16, 10], [3, 4, 2]])
def test_every_edge_and_node_is_drawn(layer_sizes):
    weights, biases, values = make_network(layer_sizes)
    inputs = [f"in{i}" for i in range(layer_sizes[0])]
    outputs = [f"out{i}" for i in range(layer_sizes[-1])]
    spec = network_diagram(layer_sizes, weights, biases, values, inputs, outputs)
    edges, nodes = spec["datasets"]["edges"], spec["datasets"]["nodes"]
    assert len(edges) == sum(w.size for w in weights)
    assert len(nodes) == sum(layer_sizes)
    assert spec["datasets"]["titles"]["title"].iloc[0] == "Input"
    json.dumps({key: value for key, value in spec.items() if key != "datasets"})


def test_edges_carry_exact_weights_signs_and_strength():
    weights = [np.array([[0.123456], [-0.5]])]
    spec = network_diagram([2, 1], weights, [np.array([0.25])], None, ["Height", "Weight"], ["P(female)"])
    edges = spec["datasets"]["edges"]
    assert list(edges["weight"]) == [0.123456, -0.5]
    assert list(edges["sign"]) == ["positive", "negative"]
    assert list(edges["from"]) == ["Height", "Weight"] and set(edges["to"]) == {"P(female)"}
    assert edges["strength"].max() == 1.0 and edges["strength"][0] == pytest.approx(0.123456 / 0.5)
    tooltip = spec["layer"][0]["encoding"]["tooltip"]
    assert {"field": "weight", "title": "w", "format": ".6f"} in tooltip


def test_nodes_show_names_values_biases_and_activation_colours():
    layer_sizes = [2, 3, 1]
    weights, biases, values = make_network(layer_sizes)
    spec = network_diagram(layer_sizes, weights, biases, values, ["Height", "Weight"], ["P(female)"])
    nodes = spec["datasets"]["nodes"]
    assert list(nodes["label"]) == ["Height", "Weight", "", "", "", "P(female)"]
    assert nodes["bias"][3] == biases[0][1] and nodes["value"][5] == values[2][0]
    assert nodes["bias"][0] is None or np.isnan(nodes["bias"][0])
    strongest = 2 + int(np.argmax(np.abs(values[1])))  # hidden nodes are rows 2, 3, 4
    assert nodes["fill"][strongest] in (BLUE.lower(), ORANGE.lower())


def test_without_values_every_node_is_neutral():
    weights, biases, _ = make_network([2, 2, 1])
    spec = network_diagram([2, 2, 1], weights, biases, None, ["a", "b"], ["c"])
    assert spec["datasets"]["nodes"]["fill"].nunique() == 1


def test_mismatched_shapes_are_refused():
    with pytest.raises(ValueError, match="Layer 1"):
        network_diagram([2, 3], [np.zeros((3, 2))], [np.zeros(3)], None, ["a", "b"], ["c", "d", "e"])


def test_bounded_layers_use_their_activation_range():
    weights, biases, _ = make_network([2, 1])
    values = [np.array([1.0, -1.0]), np.array([0.2])]
    sigmoid = network_diagram([2, 1], weights, biases, values, ["a", "b"], ["c"], [None, (0.0, 1.0)])
    symmetric = network_diagram([2, 1], weights, biases, values, ["a", "b"], ["c"])
    assert sigmoid["datasets"]["nodes"]["fill"][2] != BLUE.lower()  # 0.2 of 0..1 leans orange
    assert symmetric["datasets"]["nodes"]["fill"][2] == BLUE.lower()  # 0.2 is the layer's largest
