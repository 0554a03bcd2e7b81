"""Network construction, the public weight layout, forward passes and numerical stability."""

import itertools
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nn_core.activations import HIDDEN_ACTIVATIONS, OUTPUT_ACTIVATIONS
from nn_core.network import Network

layer_sizes = st.lists(st.integers(1, 6), min_size=2, max_size=5)


@settings(max_examples=40, deadline=None)
@given(sizes=layer_sizes, n_rows=st.integers(1, 7), seed=st.integers(0, 2**32 - 1))
def test_shapes_follow_the_layer_sizes(sizes, n_rows, seed):
    network = Network(sizes, hidden_activation="tanh", seed=seed)
    assert [w.shape for w in network.weights] == list(itertools.pairwise(sizes))
    assert [b.shape for b in network.biases] == [(n,) for n in sizes[1:]]
    forward = network.forward(np.random.default_rng(seed).normal(size=(n_rows, sizes[0])))
    assert [a.shape for a in forward.activations] == [(n_rows, n) for n in sizes[1:]]
    assert [z.shape for z in forward.pre_activations] == [(n_rows, n) for n in sizes[1:]]
    assert forward.output.shape == (n_rows, sizes[-1])


@settings(max_examples=25, deadline=None)
@given(
    sizes=layer_sizes,
    seed=st.integers(0, 2**32 - 1),
    init=st.sampled_from(["normal", "xavier", "he"]),
)
def test_same_seed_gives_the_same_network(sizes, seed, init):
    first = Network(sizes, init=init, seed=seed)
    second = Network(sizes, init=init, seed=seed)
    assert np.array_equal(first.parameters, second.parameters)
    if first.n_parameters > 2:
        assert not np.array_equal(first.parameters, Network(sizes, init=init, seed=seed + 1).parameters)


def test_initialisers_scale_the_weights():
    def weight_std(init):
        return np.std(Network([200, 200, 1], init=init, seed=0).weights[0])

    assert weight_std("normal") == pytest.approx(1.0, rel=0.05)
    assert weight_std("xavier") == pytest.approx(np.sqrt(2 / 400), rel=0.05)
    assert weight_std("he") == pytest.approx(np.sqrt(2 / 200), rel=0.05)
    assert not Network([3, 4, 1], init="he", seed=0).biases[0].any()


def test_writing_into_the_weights_changes_the_network():
    network = Network([2, 2, 1], seed=0)
    before = network.predict([[1.0, 2.0]])
    network.weights[1][0, 0] += 1.0
    network.biases[0][:] = 0.5
    assert not np.array_equal(before, network.predict([[1.0, 2.0]]))
    network.weights[0] = np.zeros((2, 2))
    assert not network.weights[0].any() and not network.parameters[:4].any()


def test_assigning_a_wrong_shape_is_refused():
    network = Network([2, 2, 1], seed=0)
    with pytest.raises(ValueError, match="shape"):
        network.weights[0] = np.zeros((3, 2))


def test_forward_matches_a_plain_layer_by_layer_computation():
    network = Network([3, 5, 4, 2], hidden_activation="tanh", output_activation="softmax", seed=2)
    X = np.random.default_rng(0).normal(size=(6, 3))
    a = X
    for layer, (weights, biases) in enumerate(zip(network.weights, network.biases, strict=True)):
        z = a @ weights + biases
        last = layer == network.n_layers - 1
        a = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True) if last else np.tanh(z)
    np.testing.assert_allclose(network.predict(X), a, rtol=1e-12)
    np.testing.assert_allclose(network.predict(X).sum(axis=1), 1.0)


@pytest.mark.parametrize("hidden", HIDDEN_ACTIVATIONS)
@pytest.mark.parametrize("output", OUTPUT_ACTIVATIONS)
def test_extreme_inputs_give_finite_outputs_without_warnings(hidden, output):
    network = Network([2, 3, 2], hidden_activation=hidden, output_activation=output, seed=0)
    network.weights[0] = np.full((2, 3), 1.0)
    network.weights[1] = np.array([[1.0, -1.0]] * 3)
    X = np.array([[1e4, 1e4], [-1e4, -1e4], [0.0, 0.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        output_values = network.predict(X)
    assert np.isfinite(output_values).all()


def test_sigmoid_and_softmax_saturate_correctly():
    sigmoid_net = Network([1, 1], output_activation="sigmoid", seed=0)
    sigmoid_net.weights[0] = [[1.0]]
    sigmoid_net.biases[0] = [0.0]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = sigmoid_net.predict([[1e4], [-1e4]])[:, 0]
    assert out[0] == 1.0 and out[1] == 0.0


def test_predict_accepts_one_row_and_rejects_wrong_widths():
    network = Network([2, 3, 1], seed=0)
    assert network.predict([0.5, -0.5]).shape == (1, 1)
    with pytest.raises(ValueError, match="2 columns"):
        network.predict(np.zeros((4, 3)))


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"layer_sizes": [2]}, "at least an input and an output"),
        ({"layer_sizes": [2, 0, 1]}, "at least 1"),
        ({"layer_sizes": [2, 1.5]}, "whole numbers"),
        ({"layer_sizes": [2, 1], "hidden_activation": "swish"}, "Unknown activation"),
        ({"layer_sizes": [2, 1], "output_activation": "relu"}, "Unknown activation"),
        ({"layer_sizes": [2, 1], "init": "zeros"}, "Unknown initialiser"),
    ],
)
def test_bad_construction_is_explained(kwargs, message):
    with pytest.raises(ValueError, match=message):
        Network(**kwargs)


def test_copy_is_independent():
    network = Network([2, 3, 1], seed=0)
    twin = network.copy()
    assert np.array_equal(twin.parameters, network.parameters)
    twin.weights[0][0, 0] += 1.0
    assert twin.weights[0][0, 0] != network.weights[0][0, 0]
