"""The float engine must give the batch engine's numbers: same weights, same history."""

import numpy as np
import pytest

from nn_core import _fast
from nn_core.network import Network
from nn_core.training import Trainer, TrainingConfig


def train_both_ways(monkeypatch, sizes, hidden, output, loss, y, epochs=25, **config):
    """(float-engine trainer, batch-engine trainer) after the same training from the same start."""
    rng = np.random.default_rng(5)
    X = rng.uniform(-2, 2, size=(len(y), sizes[0]))
    validation = (X[:3] + 0.5, y[:3])
    settings = TrainingConfig(learning_rate=0.2, loss=loss, batch_size=1, **config)
    trainers = []
    for limit in (_fast.MAX_FLOAT_PARAMETERS, 0):
        monkeypatch.setattr(_fast, "MAX_FLOAT_PARAMETERS", limit)
        trainer = Trainer(Network(sizes, hidden, output, seed=11), X, y, settings, validation)
        assert isinstance(trainer._engine, _fast.FloatEngine) == (limit > 0)
        trainer.run_epochs(epochs)
        trainers.append(trainer)
    return trainers


def assert_same_training(fast, slow):
    np.testing.assert_allclose(fast.network.parameters, slow.network.parameters, rtol=1e-9, atol=1e-12)
    for name in ("train_loss", "test_loss", "train_accuracy", "test_accuracy"):
        np.testing.assert_allclose(getattr(fast.history, name), getattr(slow.history, name), rtol=1e-9)
    assert fast.history.stopped_reason == slow.history.stopped_reason


@pytest.mark.parametrize("hidden", ["sigmoid", "tanh", "relu", "leaky_relu", "linear"])
@pytest.mark.parametrize(
    ("sizes", "output", "loss"),
    [
        ([2, 2, 1], "sigmoid", "mse"),
        ([2, 3, 1], "sigmoid", "binary_cross_entropy"),
        ([3, 4, 2, 1], "linear", "mse"),
        ([2, 3, 2], "sigmoid", "mse"),
        ([2, 1], "sigmoid", "binary_cross_entropy"),
    ],
)
def test_float_engine_matches_batch_engine(monkeypatch, hidden, sizes, output, loss):
    rng = np.random.default_rng(2)
    y = rng.integers(0, 2, size=(12, sizes[-1])).astype(float)
    if output == "linear":
        y = rng.normal(size=(12, sizes[-1]))
    fast, slow = train_both_ways(monkeypatch, sizes, hidden, output, loss, y, shuffle=True, seed=3)
    assert_same_training(fast, slow)


def test_divergence_is_caught_the_same_way(monkeypatch):
    y = np.linspace(-1000, 1000, 8)
    fast, slow = train_both_ways(monkeypatch, [2, 3, 1], "relu", "linear", "mse", y, epochs=50)
    assert fast.stopped and "diverged at epoch" in fast.history.stopped_reason
    assert_same_training(fast, slow)
    assert np.isfinite(fast.network.parameters).all()


def test_weights_written_between_slices_are_used():
    X, y = np.array([[0.0, 1.0], [1.0, 0.0]]), np.array([1.0, 0.0])
    trainer = Trainer(Network([2, 2, 1], seed=0), X, y)
    trainer.run_epochs(3)
    trainer.network.parameters[...] = 0.0
    trainer.run_epochs(1)
    reference = Network([2, 2, 1], seed=0)
    reference.parameters[...] = 0.0
    reference.fit(X, y, epochs=1, learning_rate=0.1)
    np.testing.assert_allclose(trainer.network.parameters, reference.parameters, rtol=1e-12)


@pytest.mark.parametrize(
    ("sizes", "output", "loss", "plain_sgd", "expected"),
    [
        ([2, 2, 1], "sigmoid", "mse", True, True),
        ([2, 2, 1], "sigmoid", "mse", False, False),
        ([2, 2, 1], "linear", "binary_cross_entropy", True, False),
        ([2, 3, 3], "softmax", "cross_entropy", True, False),
        ([2, 16, 16, 1], "sigmoid", "mse", True, False),
    ],
)
def test_fast_path_only_where_it_applies(sizes, output, loss, plain_sgd, expected):
    config = TrainingConfig(loss=loss, optimizer="sgd" if plain_sgd else "momentum")
    assert _fast.floats_apply(Network(sizes, output_activation=output), 4, config) is expected


def test_long_runs_cross_measuring_chunks_unchanged(monkeypatch):
    y = np.array([0.0, 1.0, 1.0, 0.0, 1.0, 0.0])
    epochs = 2 * _fast.FLOAT_CHUNK + 7
    fast, slow = train_both_ways(monkeypatch, [2, 3, 1], "tanh", "sigmoid", "mse", y, epochs=epochs)
    assert fast.epoch == epochs
    assert_same_training(fast, slow)


def test_time_sliced_runs_record_every_epoch_once():
    X, y = np.array([[0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]), np.array([1.0, 0.0, 1.0])
    trainer = Trainer(Network([2, 2, 1], seed=0), X, y)
    total = sum(trainer.run_for(0.001, 50) for _ in range(10))
    assert trainer.epoch == total == len(trainer.history.train_accuracy)
    assert np.isfinite(trainer.history.train_loss).all()
