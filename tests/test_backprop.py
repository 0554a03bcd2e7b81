"""The backprop explainer's tables: names, sums and derivatives that match the engine."""

from __future__ import annotations

import math

import numpy as np
import pytest

from playground import backprop
from playground.model import ModelRun
from playground.settings import NetworkSettings, Settings, TrainingSettings
from tests.conftest import tutorial_prepared_data


def tutorial_model(settings: Settings | None = None) -> ModelRun:
    return ModelRun.build(tutorial_prepared_data(), settings or Settings())


def test_tutorial_names():
    assert backprop.parameter_names([2, 2, 1]) == ["w1", "w3", "w2", "w4", "b1", "b2", "w5", "w6", "b3"]
    assert backprop.neuron_names([2, 2, 1]) == [["h1", "h2"], ["o1"]]
    names = backprop.parameter_names([3, 2, 2])
    assert names[:3] == ["W1[1→1]", "W1[1→2]", "W1[2→1]"] and names[-1] == "b2[2]"
    assert len(names) == (3 + 1) * 2 + (2 + 1) * 2


def test_tutorial_weights_sit_where_the_names_say():
    model = tutorial_model()
    table, _ = backprop.gradient_table(model, 0, 0.1)
    assert list(table["Parameter p"]) == ["w1", "w2", "w3", "w4", "w5", "w6", "b1", "b2", "b3"]
    values = dict(zip(table["Parameter p"], table["Value"], strict=True))
    weights, biases = model.network.weights, model.network.biases
    assert values["w1"] == weights[0][0, 0] and values["w2"] == weights[0][1, 0]
    assert values["w3"] == weights[0][0, 1] and values["w6"] == weights[1][1, 0]
    assert values["b2"] == biases[0][1] and values["b3"] == biases[1][0]


def test_forward_table_matches_the_tutorials_arithmetic_done_by_hand():
    """Bob (160 lb, 72 in: x1 = 25, x2 = 6) through the 2-2-1 network in plain floats and math.exp."""
    model = tutorial_model()
    assert model.data.X[1].tolist() == [25.0, 6.0]  # the tutorial's shifted Bob; not standardised
    x1, x2 = 25.0, 6.0
    weights = [layer.tolist() for layer in model.network.weights]  # weights[layer][from][to]
    biases = [layer.tolist() for layer in model.network.biases]

    def sigmoid(z: float) -> float:
        return 1.0 / (1.0 + math.exp(-z))

    z_h1 = weights[0][0][0] * x1 + weights[0][1][0] * x2 + biases[0][0]
    z_h2 = weights[0][0][1] * x1 + weights[0][1][1] * x2 + biases[0][1]
    h1, h2 = sigmoid(z_h1), sigmoid(z_h2)
    z_o1 = weights[1][0][0] * h1 + weights[1][1][0] * h2 + biases[1][0]
    o1 = sigmoid(z_o1)

    table = backprop.forward_table(model, 1)
    assert list(table["Neuron"]) == ["h1", "h2", "o1"]
    assert list(table["Activation"]) == ["sigmoid"] * 3
    assert list(table["z"]) == pytest.approx([z_h1, z_h2, z_o1], rel=1e-12)
    assert list(table["a = f(z)"]) == pytest.approx([h1, h2, o1], rel=1e-12)
    # Bob is male (0); the MSE loss (y − o1)² has dL/dz = 2·(o1 − y)·o1·(1 − o1) at the output.
    assert model.data.y[1] == 0
    assert table["dL/dz"].iloc[2] == pytest.approx(2 * o1 * o1 * (1 - o1), rel=1e-12)


def in_parameter_order(table, model: ModelRun, column: str) -> np.ndarray:
    """A column of the gradient table in the order of ``Network.parameters``."""
    by_name = dict(zip(table["Parameter p"], table[column], strict=True))
    return np.array([by_name[name] for name in backprop.parameter_names(model.network.layer_sizes)])


def test_gradients_updates_and_numeric_check_for_one_row():
    model = tutorial_model()
    table, check = backprop.gradient_table(model, 2, 0.1)
    dW, db = model.network.gradients(model.data.X[[2]], model.data.y[[2]])
    flat = np.concatenate([np.vstack([w, b]).ravel() for w, b in zip(dW, db, strict=True)])
    np.testing.assert_allclose(in_parameter_order(table, model, "dL/dp"), flat)
    np.testing.assert_allclose(in_parameter_order(table, model, "−η·dL/dp"), -0.1 * flat)
    after = in_parameter_order(table, model, "After one plain SGD step")
    np.testing.assert_allclose(after, model.network.parameters - 0.1 * flat)
    assert check.verdict == "agrees"
    assert backprop.check_sentence(check).startswith("Backprop agrees with central differences")


def test_the_update_shown_is_the_step_training_takes():
    model = tutorial_model()
    table, _ = backprop.gradient_table(model, 0, 0.1)
    after = in_parameter_order(table, model, "After one plain SGD step")
    model.trainer.step()  # per-sample SGD: the first step trains on row 0
    np.testing.assert_allclose(model.network.parameters, after, rtol=1e-12)
    assert backprop.step_differs(model.settings.training) is None


def test_it_says_when_the_configured_step_is_not_plain_sgd_on_one_row():
    training = TrainingSettings(optimizer="adam", batch_size=4, regularization="l2", regularization_rate=0.01)
    assert backprop.step_differs(training) == (
        "the adam optimizer and batches of 4 rows (their gradients averaged) and L2 regularisation"
    )


def test_dl_dz_of_every_neuron_is_backprops_delta_worked_out_by_hand():
    model = tutorial_model(Settings(network=NetworkSettings(hidden_layers=(3, 2), hidden_activation="tanh")))
    model.trainer.run_epochs(5)
    network = model.network
    inputs, targets = backprop.row_targets(model, 1)
    forward = network.forward(inputs)
    delta = 2 * (forward.output - targets) * forward.output * (1 - forward.output)  # MSE, sigmoid output
    deltas = [delta]
    for layer in (2, 1):
        below = forward.activations[layer - 1]
        delta = (delta @ network.weights[layer].T) * (1 - below**2)  # tanh′ = 1 − tanh²
        deltas.insert(0, delta)
    table = backprop.forward_table(model, 1)
    np.testing.assert_allclose(table["dL/dz"], np.concatenate([d[0] for d in deltas]), rtol=1e-12)


def test_bigger_networks_get_per_layer_matrices():
    settings = Settings(network=NetworkSettings(hidden_layers=(3, 2), hidden_activation="tanh"))
    model = tutorial_model(settings)
    matrices = backprop.gradient_matrices(model, 0)
    assert [m.shape for m, _ in matrices] == [(2, 3), (3, 2), (2, 1)]
    assert list(matrices[0][0].index) == ["Weight - 135", "Height - 66"]


def test_sums_are_written_with_their_signs():
    model = tutorial_model()
    model.network.weights[0][...] = [[0.5, -1.0], [-0.25, 2.0]]
    model.network.biases[0][...] = [-0.1, 0.0]
    sums = list(backprop.forward_table(model, 0)["Sum z = Σ w·input + b"])
    assert sums[0] == "0.5000·x1 − 0.2500·x2 − 0.1000"
    assert sums[1] == "−1.0000·x1 + 2.0000·x2 + 0.0000"


def test_a_check_with_no_difference_beyond_rounding_says_so_in_words():
    from nn_core.gradcheck import GradientCheck

    same = np.array([0.25, -1.5])
    zero = GradientCheck(analytic=same, numeric=same.copy(), noise=np.zeros(2))
    assert zero.max_relative_error == 0
    assert backprop.check_sentence(zero) == (
        "Backprop agrees with central differences (no difference beyond rounding)."
    )
