"""Backprop against central differences for every activation, output and loss that fit together."""

import numpy as np
import pytest

from nn_core.activations import HIDDEN_ACTIVATIONS
from nn_core.gradcheck import GradientCheck, gradient_check, numeric_gradient
from nn_core.losses import get_loss
from nn_core.network import Network

OUTPUT_AND_LOSS = [
    ("sigmoid", "mse"),
    ("sigmoid", "binary_cross_entropy"),
    ("linear", "mse"),
    ("softmax", "cross_entropy"),
    ("softmax", "mse"),
]


def problem(output: str, seed: int):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(7, 3))
    n_outputs = 3 if output == "softmax" else 2
    if output == "softmax":
        y = np.eye(n_outputs)[rng.integers(0, n_outputs, size=7)]
    elif output == "sigmoid":
        y = rng.integers(0, 2, size=(7, n_outputs)).astype(float)
    else:
        y = rng.normal(size=(7, n_outputs))
    return X, y, n_outputs


@pytest.mark.parametrize("hidden", HIDDEN_ACTIVATIONS)
@pytest.mark.parametrize("output, loss", OUTPUT_AND_LOSS)
@pytest.mark.parametrize("depth", [0, 1, 2])
def test_backprop_matches_central_differences(hidden, output, loss, depth):
    X, y, n_outputs = problem(output, seed=depth)
    sizes = [3, *([4] * depth), n_outputs]
    network = Network(sizes, hidden, output, init="xavier", seed=depth + 10)
    # Keep pre-activations away from ReLU's kink, where the derivative does not exist.
    network.biases[0][:] += 0.05
    check = gradient_check(network, X, y, loss)
    np.testing.assert_allclose(check.analytic, check.numeric, rtol=1e-5, atol=1e-9)
    assert np.abs(check.analytic).max() > 1e-6


def test_gradients_are_split_per_layer_like_the_weights():
    network = Network([2, 3, 1], seed=0)
    X, y = np.array([[1.0, 2.0], [0.5, -1.0]]), np.array([1.0, 0.0])
    grad_weights, grad_biases = network.gradients(X, y)
    assert [g.shape for g in grad_weights] == [w.shape for w in network.weights]
    assert [g.shape for g in grad_biases] == [b.shape for b in network.biases]


def test_gradient_is_the_mean_over_rows():
    network = Network([2, 3, 1], seed=0)
    X, y = np.array([[1.0, 2.0], [0.5, -1.0]]), np.array([1.0, 0.0])
    per_row = [network.gradient_vector(X[i : i + 1], y[i : i + 1]) for i in range(2)]
    np.testing.assert_allclose(network.gradient_vector(X, y), np.mean(per_row, axis=0), rtol=1e-12)


def test_numeric_gradient_leaves_the_network_unchanged():
    network = Network([2, 2, 1], seed=0)
    before = network.parameters.copy()
    numeric_gradient(network, np.ones((1, 2)), np.ones(1))
    assert np.array_equal(before, network.parameters)


def test_cross_entropy_losses_never_take_log_of_zero():
    y = np.array([[1.0, 0.0], [0.0, 1.0]])
    saturated = np.array([[0.0, 1.0], [1.0, 0.0]])
    for name in ("binary_cross_entropy", "cross_entropy"):
        with np.errstate(all="raise"):
            value = get_loss(name).value(y, saturated)
        assert np.isfinite(value) and value > 10


def test_saturated_sigmoid_with_cross_entropy_still_learns():
    network = Network([1, 1], output_activation="sigmoid", seed=0)
    network.weights[0] = [[50.0]]
    grad_weights, _ = network.gradients([[1.0]], [0.0], loss="binary_cross_entropy")
    assert grad_weights[0][0, 0] == pytest.approx(1.0)


def test_huge_losses_are_too_large_to_check_not_a_false_alarm():
    network = Network([1, 2, 1], "tanh", "linear", seed=0)
    X, y = np.array([[0.5]]), np.array([1e12])
    check = gradient_check(network, X, y, "mse")
    assert check.verdict == "too large"


def test_a_wrong_sign_in_tiny_gradients_is_caught():
    network = Network([2, 2, 1], seed=1)
    network.biases[1][:] = 8.0  # a well-trained output: ŷ ≈ 1 for a target of 1, so gradients are tiny
    X, y = np.array([[-2.0, -1.0]]), np.array([1.0])
    check = gradient_check(network, X, y)
    assert np.abs(check.analytic).max() < 1e-6  # an absolute 1e-6 tolerance would pass any sign here
    assert check.verdict == "agrees"
    flipped = GradientCheck(-check.analytic, check.numeric, check.noise)
    assert flipped.verdict == "disagrees"


def test_the_step_grows_with_the_parameter():
    network = Network([1, 1], "sigmoid", "linear", seed=0)
    network.weights[0][...] = 1e9
    X, y = np.array([[1e-9]]), np.array([2.0])
    check = gradient_check(network, X, y)
    assert check.verdict == "agrees"
