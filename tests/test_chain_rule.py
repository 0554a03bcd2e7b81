"""The chain rule written out for the 2-2-1 network: every factor from its own formula, and their
product equal to the gradient nn_core's backprop gives."""

from __future__ import annotations

import numpy as np
import pytest

from playground.backprop import TUTORIAL_ORDER, parameter_names, row_targets
from playground.chain_rule import can_show, chain, chain_text, graph, graph_dot
from playground.model import ModelRun
from playground.settings import NetworkSettings, Settings, TrainingSettings
from tests.conftest import tutorial_prepared_data

SETTINGS = {
    "tutorial": Settings(),
    "tanh hidden": Settings(network=NetworkSettings(hidden_activation="tanh")),
    "cross-entropy": Settings(training=TrainingSettings(loss="binary_cross_entropy")),
    "linear output": Settings(network=NetworkSettings(output_activation="linear")),
}


def trained(settings: Settings, epochs: int = 30) -> ModelRun:
    model = ModelRun.build(tutorial_prepared_data(), settings)
    model.trainer.run_epochs(epochs)
    return model


def backprop_gradient(model: ModelRun, row: int) -> dict[str, float]:
    inputs, targets = row_targets(model, row)
    flat = model.network.gradient_vector(inputs, targets, model.settings.training.loss)
    return dict(zip(parameter_names(model.network.layer_sizes), flat, strict=True))


@pytest.mark.parametrize("name", SETTINGS)
@pytest.mark.parametrize("row", range(4))
def test_each_chains_product_is_the_gradient_backprop_gives(name: str, row: int):
    model = trained(SETTINGS[name])
    expected = backprop_gradient(model, row)
    nodes = graph(model, row)
    for parameter in TUTORIAL_ORDER:
        assert chain(nodes, parameter).gradient == pytest.approx(expected[parameter], rel=1e-12, abs=1e-15)
        assert nodes.gradients[parameter] == pytest.approx(expected[parameter], rel=1e-12, abs=1e-15)


def test_the_factors_of_dl_dw1_are_the_tutorials_formulas():
    model = trained(Settings())
    (w1, w3), (w2, w4) = model.network.weights[0]
    (w5,), (w6,) = model.network.weights[1]
    b1, _ = model.network.biases[0]
    (b3,) = model.network.biases[1]
    inputs, targets = row_targets(model, 0)
    x1, x2 = inputs[0]

    def sigmoid(z: float) -> float:
        return 1.0 / (1.0 + np.exp(-z))

    h1 = sigmoid(w1 * x1 + w2 * x2 + b1)
    h2 = sigmoid(w3 * x1 + w4 * x2 + model.network.biases[0][1])
    y_hat = sigmoid(w5 * h1 + w6 * h2 + b3)
    by_hand = [-2 * (targets[0, 0] - y_hat), y_hat * (1 - y_hat), w5, h1 * (1 - h1), x1]
    factors = chain(graph(model, 0), "w1").factors
    assert [factor.value for factor in factors] == pytest.approx(by_hand, rel=1e-12)
    symbols = ["∂L/∂ŷ", "∂ŷ/∂z_o1", "∂z_o1/∂h1", "∂h1/∂z_h1", "∂z_h1/∂w1"]
    assert [factor.symbol for factor in factors] == symbols
    assert factors[1].formula == "σ′(z_o1) = ŷ(1 − ŷ)" and factors[3].formula == "σ′(z_h1) = h1(1 − h1)"


def test_a_bias_ends_its_chain_with_one_and_the_output_layer_has_a_short_chain():
    nodes = graph(trained(Settings()), 2)
    assert chain(nodes, "b2").factors[-1].value == 1.0
    short = chain(nodes, "w6")
    assert [factor.symbol for factor in short.factors] == ["∂L/∂ŷ", "∂ŷ/∂z_o1", "∂z_o1/∂w6"]
    assert short.factors[-1].value == nodes.values["h2"]
    assert short.path == ("L", "ŷ", "z_o1", "w6")


def test_cross_entropy_with_a_sigmoid_output_is_one_factor_that_stays_exact():
    nodes = graph(trained(SETTINGS["cross-entropy"]), 1)
    first = chain(nodes, "w1").factors[0]
    assert first.symbol == "∂L/∂z_o1" and first.value == pytest.approx(nodes.values["ŷ"] - nodes.values["y"])


def test_the_text_shows_symbols_formulas_numbers_and_the_product():
    text = chain_text(chain(graph(trained(Settings()), 0), "w1"))
    symbols, formulas, numbers, product, rule = text.split("\n")
    assert symbols.startswith("∂L/∂w1 = ∂L/∂ŷ · ∂ŷ/∂z_o1")
    assert "(−2(y − ŷ))" in formulas and "(w5)" in formulas and "(x1)" in formulas
    assert numbers.count("×") == 4 and product.startswith("= ")
    assert rule == "where σ′(z) = σ(z)(1 − σ(z))"
    tanh_output_layer = chain_text(chain(graph(trained(SETTINGS["tanh hidden"]), 0), "w5"))
    assert "tanh" not in tanh_output_layer  # the output layer's chain never meets the hidden slope
    cross_entropy = chain_text(chain(graph(trained(SETTINGS["cross-entropy"]), 0), "w5"))
    assert "where" not in cross_entropy


def test_the_graph_names_every_node_highlights_the_path_and_holds_no_user_text():
    model = trained(Settings())
    nodes = graph(model, 0)
    path = chain(nodes, "w1").path
    dot = graph_dot(nodes, path)
    assert dot.count("penwidth=3") == 4 + 3  # w1, h1, o1 and L, and the three edges between them
    for name in ("x1", "x2", "w1", "b3", "L"):
        assert f'"{name}" [label="{name} = ' in dot
    for neuron, first_line in (("h1", "z_h1"), ("h2", "z_h2"), ("o1", "z_o1")):
        assert f'"{neuron}" [label="{first_line} = ' in dot  # its sum, then its activation
    assert f"∂L/∂h1 = {nodes.gradients['h1']:.4g}".replace("-", "−") in dot
    assert all(name not in dot for name in model.data.feature_names)


def test_the_chain_is_offered_for_the_2_2_1_shape_only_and_names_are_checked():
    assert can_show(trained(Settings()))
    wider = ModelRun.build(tutorial_prepared_data(), Settings(network=NetworkSettings(hidden_layers=(3,))))
    assert not can_show(wider)
    with pytest.raises(ValueError, match="Choose one of"):
        chain(graph(trained(Settings()), 0), "w7")


def test_a_dead_relu_neuron_gives_zero_not_minus_zero():
    model = trained(Settings(network=NetworkSettings(hidden_activation="relu")))
    model.network.biases[0][0] = -100.0  # h1 = relu(z_h1) = 0 for every row: no gradient reaches w1
    nodes = graph(model, 0)
    text = chain_text(chain(nodes, "w1"))
    assert text.split("\n")[3] == "= 0"
    assert "−0\\n" not in graph_dot(nodes) and '= −0"' not in graph_dot(nodes)
