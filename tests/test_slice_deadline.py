"""A live frame's time slice holds between batches: ``run_for`` stops part-way through an epoch when its
deadline passes, and the next call carries on with the same epoch as if nothing had paused it.

No test here measures real time. A fake clock that moves one tick per optimizer step stands for "every
batch takes the same time", so where a slice stops is exact and the same on every machine.
"""

from __future__ import annotations

import math
import types

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nn_core import _fast, training
from nn_core.datasets import tutorial_people
from nn_core.network import Network
from nn_core.training import Trainer, TrainingConfig

ROWS = 21  # batch size 7 gives three whole batches; batch size 1, twenty-one


class Interrupted(Exception):
    """Stands for Streamlit stopping a script run in the middle of a slice."""


def data(rows=ROWS, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1, 1, size=(rows, 2))
    return X, (X[:, 0] * X[:, 1] > 0).astype(float)


def make_trainer(batch_size=1, shuffle=True, optimizer="sgd", sizes=(2, 16, 16, 1), rows=ROWS, **extra):
    """A trainer on the batch engine (too many parameters for the float one), with a test set."""
    X, y = data(rows)
    config = TrainingConfig(
        0.05, optimizer=optimizer, batch_size=batch_size, shuffle=shuffle, seed=5, **extra
    )
    return Trainer(Network(list(sizes), "tanh", seed=2), X, y, config, validation=(X[:5] + 0.1, y[:5]))


def batches_per_epoch(trainer):
    size = trainer.config.batch_size or len(trainer.X)
    return math.ceil(len(trainer.X) / size)


class BatchClock:
    """Installed as the training module's ``time``: ``perf_counter()`` is the number of optimizer steps
    taken so far, in seconds, so each batch lasts exactly one second of fake time."""

    def __init__(self, patch: pytest.MonkeyPatch, trainer: Trainer) -> None:
        self.now = 0.0
        original = trainer.optimizer.step

        def timed_step(parameters, gradient):
            original(parameters, gradient)
            self.now += 1.0

        patch.setattr(trainer.optimizer, "step", timed_step)
        patch.setattr(training, "time", types.SimpleNamespace(perf_counter=lambda: self.now))

    @property
    def steps(self) -> int:
        return int(self.now)


def state_of(trainer):
    """Everything training depends on, in a form ``==`` compares exactly."""
    steps, moments = trainer.optimizer.snapshot()
    return (
        trainer.network.parameters.tolist(),
        vars(trainer.history),
        steps,
        [m.tolist() for m in moments],
        trainer._rng.bit_generator.state,
        len(trainer._batches),
    )


def assert_same_training(a, b):
    assert state_of(a) == state_of(b)


# --- the deadline is checked after every batch ----------------------------------------------------------


@pytest.mark.parametrize("batch_size", [1, 7])
def test_a_slice_already_out_of_time_trains_exactly_one_batch(batch_size):
    sliced, stepped = make_trainer(batch_size), make_trainer(batch_size)
    assert sliced.run_for(0.0, max_epochs=100) == 0
    assert len(sliced._batches) == batches_per_epoch(sliced) - 1
    assert sliced.epoch == 0 and sliced.history.train_loss == []
    assert stepped.step() is False
    assert_same_training(sliced, stepped)  # one optimizer step, the same one ``step()`` takes


def test_a_full_batch_slice_out_of_time_still_completes_its_single_batch_epoch():
    trainer = make_trainer(batch_size=None)
    assert trainer.run_for(0.0, max_epochs=100) == 1
    assert trainer.epoch == 1 and trainer._batches == []


def test_a_slice_stops_after_the_batch_during_which_its_deadline_passed(monkeypatch):
    trainer = make_trainer(batch_size=1)
    clock = BatchClock(monkeypatch, trainer)
    assert trainer.run_for(2.5, max_epochs=100) == 0  # the deadline passes during the third batch
    assert clock.steps == 3 and len(trainer._batches) == ROWS - 3
    assert trainer.run_for(4.0, max_epochs=100) == 0  # passes exactly at the end of the fourth
    assert clock.steps == 7 and len(trainer._batches) == ROWS - 7
    assert trainer.epoch == 0


def test_a_slice_resumes_the_epoch_where_the_last_one_stopped(monkeypatch):
    trainer = make_trainer(batch_size=1)
    clock = BatchClock(monkeypatch, trainer)
    trainer.run_for(5.0, max_epochs=100)
    assert trainer.run_for(ROWS - 6.5, max_epochs=100) == 0  # one batch short of the epoch
    assert trainer.epoch == 0 and len(trainer._batches) == 1
    assert trainer.run_for(1.0, max_epochs=100) == 1  # its last batch: the epoch is recorded, no more
    assert clock.steps == ROWS and trainer.epoch == 1 and trainer._batches == []
    reference = make_trainer(batch_size=1)
    reference.run_epochs(1)
    monkeypatch.undo()
    assert_same_training(trainer, reference)


def test_the_epoch_cap_still_counts_whole_epochs(monkeypatch):
    trainer = make_trainer(batch_size=7)
    clock = BatchClock(monkeypatch, trainer)
    assert trainer.run_for(1000.0, max_epochs=2) == 2
    assert clock.steps == 6 and trainer._batches == []


def test_run_epochs_and_step_finish_an_epoch_a_slice_left_part_way(monkeypatch):
    by_slice, by_step = make_trainer(batch_size=7), make_trainer(batch_size=7)
    by_slice.run_for(0.0, 100)
    assert by_slice.run_epochs(2) == 2  # the rest of the first epoch, then a whole second one
    by_step.run_for(0.0, 100)
    assert [by_step.step() for _ in range(5)] == [False, True, False, False, True]
    reference = make_trainer(batch_size=7)
    reference.run_epochs(2)
    assert_same_training(by_slice, reference)
    assert_same_training(by_step, reference)


# --- sliced training is the same training ----------------------------------------------------------------


@pytest.mark.parametrize("shuffle", [False, True])
@pytest.mark.parametrize("batch_size", [1, 7, None])
def test_slices_of_any_length_give_run_epochs_bit_for_bit(shuffle, batch_size):
    reference = make_trainer(batch_size, shuffle)
    reference.run_epochs(5)
    generous = make_trainer(batch_size, shuffle)
    for _ in range(5):
        assert generous.run_for(1e9, max_epochs=1) == 1
    tiny = make_trainer(batch_size, shuffle)
    calls = 0
    while tiny.epoch < 5:
        tiny.run_for(0.0, max_epochs=5 - tiny.epoch)
        calls += 1
    assert calls == 5 * batches_per_epoch(tiny)  # one batch per call
    assert_same_training(generous, reference)
    assert_same_training(tiny, reference)


@settings(max_examples=40, deadline=None)
@given(
    batch_size=st.sampled_from([1, 4, 7, None]),
    shuffle=st.booleans(),
    optimizer=st.sampled_from(["sgd", "momentum", "adam"]),
    slices=st.lists(st.tuples(st.floats(0.0, 30.0), st.integers(0, 3)), min_size=1, max_size=12),
)
def test_any_sequence_of_slices_ending_in_whole_epochs_equals_run_epochs(
    batch_size, shuffle, optimizer, slices
):
    sliced = make_trainer(batch_size, shuffle, optimizer)
    with pytest.MonkeyPatch.context() as patch:
        BatchClock(patch, sliced)
        for seconds, max_epochs in slices:
            assert sliced.run_for(seconds, max_epochs) <= max_epochs
        if sliced._batches:
            assert sliced.run_for(math.inf, 1) == 1
    reference = make_trainer(batch_size, shuffle, optimizer)
    reference.run_epochs(sliced.epoch)
    assert_same_training(sliced, reference)


@pytest.mark.parametrize(
    ("batch_size", "how"),
    [(1, "a weight became non-finite"), (3, "loss became inf")],  # part-way; at an epoch's end
)
def test_divergence_in_slices_ends_as_it_does_in_one_run(batch_size, how):
    X = np.array([[1e3, -1e3], [2e3, 5e2], [-1e3, 1e3], [5e2, 2e3], [-2e3, -1e3], [1e3, 1e3]])
    y = np.array([1e3, -1e3, 5e2, 2e3, -5e2, 1e3])

    def fresh():
        network = Network([2, 8, 8, 1], "relu", "linear", seed=0)
        return Trainer(network, X, y, TrainingConfig(10.0, batch_size=batch_size, shuffle=True, seed=1))

    reference = fresh()
    reference.run_epochs(100)
    assert reference.stopped and how in reference.history.stopped_reason
    sliced = fresh()
    while not sliced.stopped:
        sliced.run_for(0.0, 100)
        assert np.isfinite(sliced.network.parameters).all()  # never drawn between frames
    assert_same_training(sliced, reference)


# --- rolling back: divergence and interruption ----------------------------------------------------------


def test_an_epoch_finished_in_a_later_slice_that_diverges_goes_back_to_its_start(monkeypatch):
    trainer = make_trainer(batch_size=1, optimizer="adam")
    trainer.run_epochs(2)
    at_epoch_start = state_of(trainer)
    trainer.run_for(0.0, 100)
    trainer.run_for(0.0, 100)
    assert len(trainer._batches) == ROWS - 2
    monkeypatch.setattr(trainer._engine, "_figures", lambda buffers, y: (math.inf, 0.0))  # the loss overflows
    assert trainer.run_for(1e9, 100) == 0
    assert trainer.stopped and "diverged at epoch 3: loss became inf" in trainer.history.stopped_reason
    restored = state_of(trainer)
    assert restored[0] == at_epoch_start[0] and restored[2:] == at_epoch_start[2:]  # history: stop reason
    assert trainer.history.train_loss == at_epoch_start[1]["train_loss"]


@pytest.mark.parametrize("batch_size", [1, 7])
@pytest.mark.parametrize("shuffle", [False, True])
def test_an_interruption_part_way_puts_everything_back_as_at_the_epochs_start(
    monkeypatch, batch_size, shuffle
):
    trainer = make_trainer(batch_size, shuffle, optimizer="momentum")
    trainer.run_epochs(1)
    at_epoch_start = state_of(trainer)
    trainer.run_for(0.0, 100)  # a slice stops part-way; the next one is interrupted part-way
    original, calls = trainer.optimizer.step, {"n": 0}

    def interrupted_step(parameters, gradient):
        calls["n"] += 1
        if calls["n"] == 2:
            parameters += 1.0  # half-way through an update
            raise Interrupted
        original(parameters, gradient)

    with monkeypatch.context() as patch:
        patch.setattr(trainer.optimizer, "step", interrupted_step)
        with pytest.raises(Interrupted):
            trainer.run_for(1e9, 100)
    assert state_of(trainer) == at_epoch_start  # weights, moments, generator; no batches left over
    trainer.run_epochs(2)
    reference = make_trainer(batch_size, shuffle, optimizer="momentum")
    reference.run_epochs(3)
    assert_same_training(trainer, reference)


def test_an_interrupted_step_also_goes_back_to_the_epochs_start(monkeypatch):
    trainer = make_trainer(batch_size=7, optimizer="adam")
    at_start = state_of(trainer)
    trainer.step()

    def interrupted_step(parameters, gradient):
        raise Interrupted

    monkeypatch.setattr(trainer.optimizer, "step", interrupted_step)
    with pytest.raises(Interrupted):
        trainer.step()
    assert state_of(trainer) == at_start


def test_a_weight_written_between_slices_survives_an_interruption(monkeypatch):
    trainer = make_trainer(batch_size=1)
    trainer.run_for(0.0, 100)
    trainer.network.weights[0][0, 0] = 0.25  # typed on the network picture while paused
    written = trainer.network.parameters.copy()

    def interrupted_step(parameters, gradient):
        raise Interrupted

    with monkeypatch.context() as patch:
        patch.setattr(trainer.optimizer, "step", interrupted_step)
        with pytest.raises(Interrupted):
            trainer.run_for(1e9, 100)
    assert np.array_equal(trainer.network.parameters, written) and trainer._batches == []
    assert trainer.run_epochs(1) == 1 and trainer.network.weights[0][0, 0] != 0.25  # training goes on


# --- which engine: the float one only where an epoch is cheap -------------------------------------------


def test_the_tutorial_still_trains_on_floats():
    people = tutorial_people()
    trainer = Trainer(Network([2, 2, 1], seed=1), people.X, people.y, TrainingConfig(0.1))
    assert isinstance(trainer._engine, _fast.FloatEngine)
    assert trainer.run_for(0.0, 100) == 1  # a whole (tiny) epoch per check of the clock, as before


def test_a_tiny_network_on_thousands_of_rows_stops_between_batches():
    trainer = make_trainer(batch_size=1, shuffle=True, sizes=(2, 2, 1), rows=3000)
    assert not isinstance(trainer._engine, _fast.FloatEngine)
    assert trainer.run_for(0.0, 100) == 0 and len(trainer._batches) == 3000 - 1
    few_rows = make_trainer(batch_size=1, sizes=(2, 2, 1), rows=100)
    assert isinstance(few_rows._engine, _fast.FloatEngine)


def test_a_slice_can_be_measured_on_a_clock_of_the_callers_choosing():
    """The live view measures its slices in the thread's own CPU time; any clock the caller passes is the
    one read: a clock that never moves never ends the slice, one that jumps ends it after one batch."""
    still, jumping = make_trainer(), make_trainer()
    ticks = iter(range(0, 10_000, 100))
    assert still.run_for(1.0, 2, clock=lambda: 0.0) == 2  # the epoch cap ends it, not the clock
    assert jumping.run_for(1.0, 2, clock=lambda: float(next(ticks))) == 0
    assert len(jumping._batches) == batches_per_epoch(jumping) - 1
