"""The Trainer: slices that resume seamlessly, optimizers, batching, regularisation, divergence guard."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nn_core.network import Network
from nn_core.training import Trainer, TrainingConfig


def xor_data(n=64, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1, 1, size=(n, 2))
    return X, (X[:, 0] * X[:, 1] > 0).astype(float)


def trained(config, epochs, slices=None, seed=3):
    X, y = xor_data()
    trainer = Trainer(Network([2, 6, 1], "tanh", seed=seed), X, y, config)
    for n in slices or [epochs]:
        trainer.run_epochs(n)
    return trainer


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam"])
@pytest.mark.parametrize("batch_size", [1, 8, None])
def test_training_in_slices_equals_training_at_once(optimizer, batch_size):
    config = TrainingConfig(0.05, optimizer=optimizer, batch_size=batch_size, shuffle=True, seed=4)
    whole = trained(config, 12)
    sliced = trained(config, 12, slices=[1, 5, 0, 6])
    assert np.array_equal(whole.network.parameters, sliced.network.parameters)
    assert whole.history.train_loss == sliced.history.train_loss


def test_steps_add_up_to_epochs():
    config = TrainingConfig(0.1, batch_size=16, shuffle=True, seed=1)
    by_epoch = trained(config, 3)
    X, y = xor_data()
    by_step = Trainer(Network([2, 6, 1], "tanh", seed=3), X, y, config)
    completed = [by_step.step() for _ in range(12)]
    assert completed == [False, False, False, True] * 3
    assert by_step.epoch == 3
    assert np.array_equal(by_epoch.network.parameters, by_step.network.parameters)


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam"])
def test_every_optimizer_learns_xor(optimizer):
    rate = {"sgd": 0.5, "momentum": 0.1, "adam": 0.02}[optimizer]
    config = TrainingConfig(rate, loss="binary_cross_entropy", optimizer=optimizer, batch_size=8)
    trainer = trained(config, 300)
    assert trainer.history.train_loss[-1] < 0.5 * trainer.history.train_loss[0]
    assert trainer.history.train_accuracy[-1] >= 0.9


def test_shuffling_is_seeded():
    def final(seed):
        return trained(TrainingConfig(0.1, shuffle=True, seed=seed), 3).network.parameters

    assert np.array_equal(final(1), final(1))
    assert not np.array_equal(final(1), final(2))
    unshuffled = trained(TrainingConfig(0.1), 3).network.parameters
    assert not np.array_equal(final(1), unshuffled)


def test_full_batch_step_is_one_gradient_step():
    X, y = xor_data(16)
    network = Network([2, 3, 1], seed=0)
    expected = network.parameters - 0.3 * network.gradient_vector(X, y)
    Trainer(network, X, y, TrainingConfig(0.3, batch_size=None)).step()
    np.testing.assert_allclose(network.parameters, expected, rtol=1e-13)


@pytest.mark.parametrize("kind", ["l1", "l2"])
def test_regularisation_shrinks_weights_not_biases(kind):
    X, y = xor_data(16)
    network = Network([2, 3, 1], seed=0)
    data_gradient = network.gradient_vector(X, y)
    weights_before = [w.copy() for w in network.weights]
    start = network.parameters.copy()
    Trainer(network, X, y, TrainingConfig(0.1, batch_size=None, **{kind: 0.5})).step()
    penalty = np.concatenate(
        [np.vstack([(w if kind == "l2" else np.sign(w)), np.zeros((1, w.shape[1]))]).ravel()
         for w in weights_before]
    )  # fmt: skip
    np.testing.assert_allclose(network.parameters, start - 0.1 * (data_gradient + 0.5 * penalty))


def test_validation_history_and_accuracy():
    X, y = xor_data(80)
    network = Network([2, 8, 1], "tanh", seed=0)
    history = network.fit(
        X[:60], y[:60], 20, 0.1, batch_size=10, loss="binary_cross_entropy",
        validation=(X[60:], y[60:]),
    )  # fmt: skip
    assert len(history.train_loss) == len(history.test_loss) == 20
    assert len(history.train_accuracy) == len(history.test_accuracy) == 20
    assert all(0.0 <= a <= 1.0 for a in history.test_accuracy)


def test_regression_has_no_accuracy():
    X = np.linspace(-1, 1, 20).reshape(-1, 1)
    history = Network([1, 4, 1], "tanh", "linear", seed=0).fit(X, 3 * X[:, 0], 5, 0.05)
    assert history.train_accuracy == [] and len(history.train_loss) == 5


def test_divergence_stops_and_keeps_the_last_finite_weights():
    X = np.array([[1e3, -1e3], [2e3, 5e2], [-1e3, 1e3]])
    y = np.array([1e3, -1e3, 5e2])
    network = Network([2, 4, 1], "relu", "linear", seed=0)
    trainer = Trainer(network, X, y, TrainingConfig(10.0))
    trainer.run_epochs(50)
    assert trainer.stopped and trainer.history.stopped_reason.startswith("diverged at epoch ")
    assert "try a smaller learning rate" in trainer.history.stopped_reason
    assert np.isfinite(network.parameters).all()
    assert trainer.epoch < 50
    assert trainer.run_epochs(5) == 0 and not trainer.step()


def test_divergence_in_a_single_step_is_undone():
    X = np.array([[1e150, 1e150]])
    network = Network([2, 1], output_activation="linear", seed=0)
    start = network.parameters.copy()
    trainer = Trainer(network, X, np.array([1e150]), TrainingConfig(1.0, batch_size=None))
    trainer.step()
    assert trainer.stopped and np.array_equal(network.parameters, start)


def test_run_for_respects_the_epoch_cap_and_time():
    X, y = xor_data()
    trainer = Trainer(Network([2, 4, 1], seed=0), X, y, TrainingConfig(0.1))
    assert trainer.run_for(seconds=10.0, max_epochs=3) == 3
    assert trainer.run_for(seconds=0.0, max_epochs=100) == 1


def test_learning_rate_can_change_without_losing_momentum():
    X, y = xor_data()
    trainer = Trainer(Network([2, 4, 1], seed=0), X, y, TrainingConfig(0.1, optimizer="momentum"))
    trainer.run_epochs(2)
    velocity = trainer.optimizer.state[0].copy()
    trainer.set_learning_rate(0.01)
    assert trainer.optimizer.learning_rate == 0.01
    assert np.array_equal(trainer.optimizer.state[0], velocity)
    with pytest.raises(ValueError):
        trainer.set_learning_rate(-1.0)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"learning_rate": 0.0}, "Learning rate"),
        ({"learning_rate": float("nan")}, "Learning rate"),
        ({"batch_size": 0}, "Batch size"),
        ({"optimizer": "rmsprop"}, "Unknown optimizer"),
        ({"loss": "hinge"}, "Unknown loss"),
        ({"l2": -1.0}, "L2"),
        ({"momentum": 1.0}, "Momentum"),
    ],
)
def test_bad_settings_are_explained(kwargs, message):
    with pytest.raises(ValueError, match=message):
        TrainingConfig(**kwargs)


def test_bad_data_is_explained():
    network = Network([2, 1], seed=0)
    with pytest.raises(ValueError, match="NaN or infinite"):
        Trainer(network, np.array([[np.nan, 1.0]]), np.array([1.0]))
    with pytest.raises(ValueError, match="targets of shape"):
        Trainer(network, np.ones((3, 2)), np.ones(4))


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 1000), batch=st.sampled_from([1, 3, None]))
def test_training_is_deterministic_under_a_seed(seed, batch):
    config = TrainingConfig(0.1, batch_size=batch, shuffle=True, seed=seed)
    assert (
        trained(config, 2, seed=seed).history.train_loss == trained(config, 2, seed=seed).history.train_loss
    )


def test_full_batch_reuses_the_loss_pass_without_changing_the_numbers():
    X, y = xor_data()
    trainer = Trainer(Network([2, 6, 1], "tanh", seed=3), X, y, TrainingConfig(0.2, batch_size=None))
    trainer.run_epochs(15)
    reference = Network([2, 6, 1], "tanh", seed=3)
    losses = []
    for _ in range(15):
        reference.parameters -= 0.2 * reference.gradient_vector(X, y)
        losses.append(reference.loss(X, y))
    np.testing.assert_allclose(trainer.network.parameters, reference.parameters, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(trainer.history.train_loss, losses, rtol=1e-12)


def test_full_batch_notices_weights_written_between_slices():
    X, y = xor_data()
    trainer = Trainer(Network([2, 6, 1], "tanh", seed=3), X, y, TrainingConfig(0.2, batch_size=None))
    trainer.run_epochs(2)
    trainer.network.parameters[...] = 0.01
    trainer.run_epochs(1)
    reference = Network([2, 6, 1], "tanh", seed=3)
    reference.parameters[...] = 0.01
    reference.parameters -= 0.2 * reference.gradient_vector(X, y)
    np.testing.assert_allclose(trainer.network.parameters, reference.parameters, rtol=1e-12)


class Interrupted(Exception):
    """Stands for Streamlit stopping a script run in the middle of a training slice."""


def interrupt_mid_slice(monkeypatch, trainer: Trainer, epochs: int, after_calls: int = 40) -> None:
    """Run ``epochs`` epochs, stopped by an exception at the ``after_calls``-th step of a row or batch
    (somewhere inside the third epoch for 16 rows), as Streamlit stops a script run."""
    from nn_core import _fast

    calls = {"n": 0}

    def interrupt(original):
        def wrapped(*args, **kwargs):
            calls["n"] += 1
            if calls["n"] == after_calls:
                raise Interrupted
            return original(*args, **kwargs)

        return wrapped

    with monkeypatch.context() as patch:
        patch.setattr(_fast._FloatSGD, "train_row", interrupt(_fast._FloatSGD.train_row))
        patch.setattr(trainer.optimizer, "step", interrupt(trainer.optimizer.step))
        with pytest.raises(Interrupted):
            trainer.run_epochs(epochs)


@pytest.mark.parametrize("batch_size", [1, 4])
def test_an_interrupted_slice_leaves_weights_that_match_the_history(monkeypatch, batch_size):
    X, y = xor_data(16)
    config = TrainingConfig(0.1, batch_size=batch_size)
    trainer = Trainer(Network([2, 3, 1], "tanh", seed=1), X, y, config)
    trainer.run_epochs(3)
    interrupt_mid_slice(monkeypatch, trainer, 10)
    reference = Network([2, 3, 1], "tanh", seed=1)
    reference.fit(X, y, epochs=trainer.epoch, learning_rate=0.1, batch_size=batch_size)
    assert 3 <= trainer.epoch < 13  # stopped part-way through the slice
    np.testing.assert_allclose(trainer.network.parameters, reference.parameters, rtol=1e-12)


@pytest.mark.parametrize("batch_size", [1, 4])
def test_a_shuffled_run_interrupted_mid_slice_ends_where_an_uninterrupted_one_does(monkeypatch, batch_size):
    X, y = xor_data(16)
    config = TrainingConfig(0.1, batch_size=batch_size, shuffle=True, seed=7)
    interrupted = Trainer(Network([2, 3, 1], "tanh", seed=1), X, y, config)
    interrupted.run_epochs(3)
    interrupt_mid_slice(monkeypatch, interrupted, 10)
    assert 3 <= interrupted.epoch < 13
    interrupted.run_epochs(20 - interrupted.epoch)
    uninterrupted = Trainer(Network([2, 3, 1], "tanh", seed=1), X, y, config)
    uninterrupted.run_epochs(20)
    np.testing.assert_array_equal(interrupted.network.parameters, uninterrupted.network.parameters)
    assert interrupted.history.train_loss == uninterrupted.history.train_loss


# --- the figures of the weights held now ----------------------------------------------------------


def accuracy_of(network: Network, X: np.ndarray, y: np.ndarray) -> float:
    return float(np.mean((network.predict(X)[:, 0] > 0.5) == (y > 0.5)))


@pytest.mark.parametrize("batch_size", [1, 8])  # the float engine and the batch engine
def test_figures_after_training_are_the_histories_last(batch_size):
    X, y = xor_data()
    config = TrainingConfig(0.1, batch_size=batch_size)
    trainer = Trainer(Network([2, 3, 1], seed=2), X, y, config, validation=xor_data(16, seed=9))
    trainer.run_epochs(20)
    history, figures = trainer.history, trainer.figures()
    assert figures.train_loss == history.train_loss[-1] and figures.test_loss == history.test_loss[-1]
    assert figures.train_accuracy == history.train_accuracy[-1]
    assert figures.test_accuracy == history.test_accuracy[-1]


@pytest.mark.parametrize("batch_size", [1, 8])
def test_figures_follow_a_weight_written_by_hand(batch_size):
    X, y = xor_data()
    X_test, y_test = xor_data(16, seed=9)
    network = Network([2, 3, 1], seed=2)
    trainer = Trainer(network, X, y, TrainingConfig(0.1, batch_size=batch_size), validation=(X_test, y_test))
    trainer.run_epochs(5)
    network.weights[1][0, 0] = 3.0
    figures = trainer.figures()
    assert figures.train_loss != trainer.history.train_loss[-1]
    assert figures.train_loss == pytest.approx(network.loss(X, y), rel=1e-12)
    assert figures.test_loss == pytest.approx(network.loss(X_test, y_test), rel=1e-12)
    assert figures.train_accuracy == accuracy_of(network, X, y)
    assert figures.test_accuracy == accuracy_of(network, X_test, y_test)


def test_figures_of_an_untrained_regression_have_no_accuracy_and_no_test_loss():
    X = np.linspace(-1, 1, 10).reshape(-1, 1)
    network = Network([1, 2, 1], output_activation="linear", seed=0)
    trainer = Trainer(network, X, 3 * X[:, 0], TrainingConfig(0.01, batch_size=4))
    figures = trainer.figures()
    assert figures.train_loss == pytest.approx(network.loss(X, 3 * X[:, 0]), rel=1e-12)
    assert figures.test_loss is None and figures.train_accuracy is None and figures.test_accuracy is None
