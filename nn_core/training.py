"""Training in slices: a Trainer owns the optimizer state and advances by a step, an epoch or a time budget.

The live UI calls ``run_for(seconds)`` once per frame and draws in between; because the optimizer's
moments, the shuffling generator and an unfinished epoch's remaining batches live here, training resumes
exactly where it paused, even part-way through an epoch. A step that makes the loss or any parameter
non-finite is undone and training stops with a reason.

The Trainer keeps the history and decides what is recorded and what is rolled back; the epochs themselves
are trained by an engine from ``nn_core._fast``, chosen once (``Network.backward``'s numbers, sooner).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from nn_core._fast import NEVER, Deadline, EpochEnd, Setup, Snapshot, WeightsNotFinite, engine_for
from nn_core.losses import get_loss
from nn_core.network import Network
from nn_core.optimizers import OPTIMIZERS, make_optimizer


@dataclass(frozen=True)
class TrainingConfig:
    """How to train. ``batch_size`` 1 is per-sample SGD (the tutorial); ``None`` is full batch."""

    learning_rate: float = 0.1
    loss: str = "mse"
    optimizer: str = "sgd"
    batch_size: int | None = 1
    shuffle: bool = False
    l1: float = 0.0
    l2: float = 0.0
    seed: int | None = None
    momentum: float = 0.9

    def __post_init__(self) -> None:
        get_loss(self.loss)
        if self.optimizer not in OPTIMIZERS:
            raise ValueError(f"Unknown optimizer {self.optimizer!r}; choose one of: {', '.join(OPTIMIZERS)}.")
        _require(_is_positive(self.learning_rate), "Learning rate must be a positive number.")
        _require(
            self.batch_size is None or (_is_whole(self.batch_size) and self.batch_size >= 1),
            "Batch size must be a whole number of at least 1 (or None for full batch).",
        )
        for name in ("l1", "l2"):
            rate = getattr(self, name)
            _require(_is_number(rate) and rate >= 0, f"The {name.upper()} rate must be 0 or more.")
        _require(_is_number(self.momentum) and 0 <= self.momentum < 1, "Momentum must be in [0, 1).")


class Figures(NamedTuple):
    """Loss and accuracy of one set of weights on the training and the test rows; None where there is
    no such figure (no test rows, or targets that are not classes)."""

    train_loss: float
    test_loss: float | None
    train_accuracy: float | None
    test_accuracy: float | None


@dataclass
class History:
    """Per-epoch figures; accuracy lists stay empty when the targets are not classes."""

    train_loss: list[float] = field(default_factory=list)
    test_loss: list[float] = field(default_factory=list)
    train_accuracy: list[float] = field(default_factory=list)
    test_accuracy: list[float] = field(default_factory=list)
    stopped_reason: str | None = None

    @property
    def epochs(self) -> int:
        return len(self.train_loss)


class Trainer:
    """Trains ``network`` on X: (n_samples, n_inputs), y: (n_samples, n_outputs) or (n_samples,)."""

    def __init__(
        self,
        network: Network,
        X: np.ndarray,
        y: np.ndarray,
        config: TrainingConfig | None = None,
        validation: tuple[np.ndarray, np.ndarray] | None = None,
    ) -> None:
        self.network = network
        self.config = config or TrainingConfig()
        self.X = _finite_inputs(network, X, "training")
        self.y = network.validated_targets(y, len(self.X))
        _require(np.isfinite(self.y).all(), "The training targets contain NaN or infinite values.")
        _require(len(self.X) >= 1, "Training needs at least one row of data.")
        self.validation = None
        if validation is not None and len(validation[0]) > 0:
            X_test = _finite_inputs(network, validation[0], "test")
            self.validation = (X_test, network.validated_targets(validation[1], len(X_test)))
        self.loss = get_loss(self.config.loss)
        self.optimizer = make_optimizer(
            self.config.optimizer,
            self.config.learning_rate,
            network.n_parameters,
            self.config.momentum,
        )
        self.history = History()
        self._rng = np.random.default_rng(self.config.seed)
        self._is_classification = _is_classification(network.output_activation, self.y)
        setup = Setup(
            network,
            self.X,
            self.y,
            self.validation,
            self.config,
            self.optimizer,
            self._rng,
            self._is_classification,
        )
        self._engine = engine_for(setup)
        self._epoch_start = self._engine.snapshot()  # what an interrupted or diverged epoch goes back to
        self._paused_at = network.parameters.copy()  # the weights when a slice stopped part-way

    @property
    def epoch(self) -> int:
        """Completed epochs."""
        return self.history.epochs

    @property
    def stopped(self) -> bool:
        """True once training diverged; the network holds the last finite parameters."""
        return self.history.stopped_reason is not None

    def figures(self) -> Figures:
        """Loss and accuracy of the weights the network holds now (the history's last entry while the
        weights are still that epoch's; measured anew after they were written or left part-way)."""
        last = self._epoch_start
        if isinstance(last, EpochEnd) and np.array_equal(last.parameters, self.network.parameters):
            train, test = last.train, last.test
        else:
            train, test = self._engine.measure()
        accuracy = self._is_classification
        return Figures(
            train[0],
            None if test is None else test[0],
            train[1] if accuracy else None,
            None if test is None or not accuracy else test[1],
        )

    def set_learning_rate(self, learning_rate: float) -> None:
        """Change the step size without losing momentum or Adam's moments."""
        _require(_is_positive(learning_rate), "Learning rate must be a positive number.")
        self.optimizer.learning_rate = learning_rate

    def step(self) -> bool:
        """One mini-batch update; returns True when it completed an epoch."""
        if self.stopped:
            return False
        epochs_before = self.epoch
        self._advance(self._engine.one_batch(), undo_to=self._engine.snapshot())
        return self.epoch > epochs_before

    def run_epochs(self, n_epochs: int) -> int:
        """Train up to ``n_epochs`` more epochs; returns how many completed (fewer if it diverged)."""
        _require(_is_whole(n_epochs) and n_epochs >= 0, "Epochs must be a whole number, 0 or more.")
        return self._run(n_epochs, NEVER)

    def run_for(self, seconds: float, max_epochs: int, clock: Callable[[], float] | None = None) -> int:
        """Train until ``seconds`` have passed or ``max_epochs`` are done (the UI's slice); returns the
        epochs completed. ``clock`` measures the seconds: ``time.perf_counter`` (wall time) unless given;
        ``time.thread_time`` counts only this thread's work, so on a busy server the time other threads
        hold the CPU does not shorten the slice.

        The clock is read after every batch: when time runs out part-way through an epoch, training stops
        after that batch and the next call (or ``run_epochs`` or ``step``) carries on with the epoch's
        remaining batches. The history only ever holds whole epochs. (The float engine reads it after
        every epoch; it is chosen only where a whole epoch is cheap, see nn_core._fast.)
        """
        clock = clock or time.perf_counter
        return self._run(max_epochs, Deadline(clock, clock() + seconds))

    @property
    def _batches(self) -> list[np.ndarray | slice]:
        """The batches of the epoch under way not yet trained."""
        return self._engine.batches

    def _run(self, max_epochs: int, deadline: Deadline) -> int:
        if self.stopped:
            return 0
        epochs_before = self.epoch
        self._advance(self._engine.epochs(max_epochs, deadline))
        return self.epoch - epochs_before

    def _advance(self, epochs: Iterator[EpochEnd], undo_to: Snapshot | None = None) -> None:
        """Record every epoch ``epochs`` trains: the one place that keeps the weights and the history in
        agreement. A non-finite loss or weight goes back to ``undo_to`` (unless given, the epoch's start)
        and stops training; an exception (Streamlit ending a run mid-slice) puts back the epoch's start.
        """
        self._note_written_weights()
        try:
            for end in epochs:
                if not math.isfinite(end.train[0]):
                    self._diverge(undo_to or self._epoch_start, f"loss became {end.train[0]}")
                    return
                self._record(end)
        except WeightsNotFinite:
            self._diverge(undo_to or self._epoch_start, "a weight became non-finite")
            return
        except BaseException:
            self._engine.restore(self._epoch_start)
            raise
        if self._engine.batches:
            self._paused_at = self.network.parameters.copy()

    def _note_written_weights(self) -> None:
        """Take the state to go back to afresh at an epoch's start, or when weights were written between
        the slices of an epoch (by hand, in the UI), so that a rollback does not silently undo them."""
        under_way = bool(self._engine.batches)
        if not under_way or not np.array_equal(self._paused_at, self.network.parameters, equal_nan=True):
            self._epoch_start = self._engine.snapshot()

    def _record(self, end: EpochEnd) -> None:
        """Append the epoch's loss (and accuracy) on train and test rows; its state is the new start."""
        history = self.history
        history.train_loss.append(end.train[0])
        if self._is_classification:
            history.train_accuracy.append(end.train[1])
        if end.test is not None:
            history.test_loss.append(end.test[0])
            if self._is_classification:
                history.test_accuracy.append(end.test[1])
        self._epoch_start = end

    def _diverge(self, state: Snapshot | EpochEnd, what: str) -> None:
        self._engine.restore(state)
        epoch = self.epoch + 1
        self.history.stopped_reason = f"diverged at epoch {epoch}: {what}; try a smaller learning rate"


def _is_classification(output_activation: str, y: np.ndarray) -> bool:
    return output_activation in ("sigmoid", "softmax") and bool(np.isin(y, (0.0, 1.0)).all())


def _finite_inputs(network: Network, X: np.ndarray, which: str) -> np.ndarray:
    inputs = network._validated_inputs(X)
    _require(np.isfinite(inputs).all(), f"The {which} inputs contain NaN or infinite values.")
    return inputs


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise ValueError(message)


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float, np.number)) and not isinstance(value, bool)


def _is_whole(value: object) -> bool:
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool)


def _is_positive(value: object) -> bool:
    return _is_number(value) and math.isfinite(value) and value > 0
