"""The fast engines compute what the readable ``Network.forward`` / ``Network.backward`` compute.

``nn_core/_fast.py`` rearranges the maths of ``network.py`` for speed (buffers with a ones column, Python
floats for tiny networks); these tests hold both engines to the readable version, and check that the
activations' array and float forms are one and the same table.
"""

import math
import warnings

import numpy as np
import pytest

from nn_core import _fast
from nn_core.activations import ACTIVATIONS, HIDDEN_ACTIVATIONS, LEAKY_RELU_SLOPE, get_activation
from nn_core.network import Network
from nn_core.serialize import export_script
from nn_core.training import Trainer, TrainingConfig


def engine(network, X, y, **config):
    trainer = Trainer(network, X, y, TrainingConfig(**config))
    return trainer._engine


@pytest.mark.parametrize("hidden", HIDDEN_ACTIVATIONS)
@pytest.mark.parametrize(
    ("output", "loss", "n_outputs"),
    [
        ("sigmoid", "mse", 1),
        ("sigmoid", "binary_cross_entropy", 2),
        ("linear", "mse", 2),
        ("softmax", "cross_entropy", 3),
    ],
)
def test_the_batch_engine_computes_network_backward(hidden, output, loss, n_outputs):
    rng = np.random.default_rng(4)
    X = rng.normal(size=(7, 3))
    y = np.eye(n_outputs)[rng.integers(0, n_outputs, size=7)] if n_outputs > 1 else rng.integers(0, 2, (7, 1))
    network = Network([3, 5, 4, n_outputs], hidden, output, seed=2)
    batch_engine = engine(network, X, y.astype(float), loss=loss, batch_size=None)
    buffers = batch_engine._propagated(X)
    forward = network.forward(X)
    for fast, readable in zip(buffers.activations, forward.activations, strict=True):
        np.testing.assert_allclose(fast, readable, rtol=1e-12, atol=1e-15)
    batch_engine._backward(buffers, y.astype(float))
    expected = network.gradient_vector(X, y, loss)
    np.testing.assert_allclose(batch_engine.gradient, expected, rtol=1e-10, atol=1e-15)


def test_one_float_step_is_one_step_of_network_backward():
    X, y = np.array([[0.5, -1.5]]), np.array([[1.0]])
    network = Network([2, 3, 2, 1], "tanh", seed=7)
    expected = network.parameters - 0.1 * network.gradient_vector(X, y)
    float_engine = engine(network, X, y, learning_rate=0.1)
    assert isinstance(float_engine, _fast.FloatEngine)
    assert len(list(float_engine.epochs(1, _fast.NEVER))) == 1
    np.testing.assert_allclose(network.parameters, expected, rtol=1e-12, atol=1e-15)


def test_backward_gives_the_tutorials_hand_derived_output_gradients():
    network = Network([2, 2, 1], seed=1)
    x, y_true = np.array([[-2.0, -1.0]]), np.array([[1.0]])
    forward = network.forward(x)
    (h1, h2), y_pred = forward.activations[0][0], forward.output[0, 0]
    dl_dypred = -2 * (1.0 - y_pred)
    dypred_dz = y_pred * (1 - y_pred)
    weight_grads, bias_grads = network.backward(forward, y_true)
    assert weight_grads[1][:, 0] == pytest.approx([dl_dypred * h1 * dypred_dz, dl_dypred * h2 * dypred_dz])
    assert bias_grads[1][0] == pytest.approx(dl_dypred * dypred_dz)


@pytest.mark.parametrize("name", [name for name, act in ACTIVATIONS.items() if act.elementwise])
def test_float_forms_agree_with_the_array_forms(name):
    activation = get_activation(name)
    z = np.array([-800.0, -3.0, -0.5, 0.0, 0.25, 2.0, 40.0])
    a = activation.value(z)
    # NumPy's exp and tanh may differ from the math module's in the last bit
    assert [activation.float_value(value) for value in z.tolist()] == pytest.approx(a.tolist(), rel=1e-15)
    derivative = activation.derivative(z, a)
    assert [activation.float_derivative(value) for value in a.tolist()] == pytest.approx(derivative.tolist())


def test_sigmoid_reads_as_its_formula_and_saturates_without_warnings():
    sigmoid = get_activation("sigmoid")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        values = sigmoid.value(np.array([-1e4, -800.0, 0.0, 800.0, 1e4]))
    assert values.tolist() == [0.0, 0.0, 0.5, 1.0, 1.0]
    assert sigmoid.float_value(-1e4) == 0.0 and sigmoid.float_value(1e4) == 1.0
    assert sigmoid.value(np.array([1.5]))[0] == 1 / (1 + math.exp(-1.5))


def test_the_leaky_relu_slope_is_one_constant(monkeypatch):
    leaky = get_activation("leaky_relu")
    assert leaky.value(np.array([-2.0]))[0] == -2.0 * LEAKY_RELU_SLOPE
    assert leaky.float_value(-2.0) == -2.0 * LEAKY_RELU_SLOPE
    assert leaky.derivative(np.array([-1.0]), np.array([-0.01]))[0] == LEAKY_RELU_SLOPE
    network = Network([1, 2, 1], "leaky_relu", seed=0)
    script = export_script(network, ["x"], np.zeros(1), np.ones(1), np.zeros((1, 1)))
    assert f"np.maximum(z, {LEAKY_RELU_SLOPE!r} * z)" in script
    monkeypatch.setattr("nn_core.serialize.LEAKY_RELU_SLOPE", 0.2)
    assert "np.maximum(z, 0.2 * z)" in export_script(
        network, ["x"], np.zeros(1), np.ones(1), np.zeros((1, 1))
    )


def test_the_engine_is_chosen_once_for_the_whole_training():
    X, y = np.array([[0.0, 1.0], [1.0, 0.0]]), np.array([1.0, 0.0])
    tiny = Trainer(Network([2, 2, 1], seed=0), X, y)
    batched = Trainer(Network([2, 2, 1], seed=0), X, y, TrainingConfig(batch_size=2))
    assert type(tiny._engine) is _fast.FloatEngine and type(batched._engine) is _fast.BatchEngine
    engine_before = tiny._engine
    tiny.step()
    tiny.run_epochs(3)
    assert tiny._engine is engine_before and tiny.epoch == 3
