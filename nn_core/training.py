"""Training in slices: a Trainer owns the optimizer state and advances by a step, an epoch or a time budget.

The live UI calls ``run_for(seconds)`` once per frame and draws in between; because the optimizer's
moments, the shuffling generator and an unfinished epoch's remaining batches live here, training resumes
exactly where it paused, even part-way through an epoch. A step that makes the loss or any parameter
non-finite is undone and training stops with a reason.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from nn_core import scalar
from nn_core.losses import get_loss
from nn_core.network import ForwardPass, Network
from nn_core.optimizers import OPTIMIZERS, make_optimizer

SCALAR_CHUNK = 256  # epochs trained on floats before their losses are measured together
# The scalar path looks at the clock only between epochs: at about 0.3 µs per row and parameter, an epoch
# of at most this many (rows × parameters) takes well under a millisecond, so a frame's slice holds.
SCALAR_MAX_ROW_PARAMETERS = 2048


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


@dataclass(frozen=True)
class _Deadline:
    """When a slice of training ends: once ``clock()`` reaches ``at``."""

    clock: Callable[[], float]
    at: float

    def passed(self) -> bool:
        return self.clock() >= self.at


_NEVER = _Deadline(lambda: 0.0, math.inf)
_ALREADY_PAST = _Deadline(lambda: 0.0, -math.inf)


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
        self.gradient = np.empty_like(network.parameters)
        self._gradient_blocks = network.blocks_of(self.gradient)
        self._weight_mask = _weight_mask(network)
        self._rng = np.random.default_rng(self.config.seed)
        self._batches: list[np.ndarray | slice] = []  # the current epoch's batches not yet trained
        self._epoch_start = self._snapshot()  # what an interrupted or diverged epoch goes back to
        self._paused_at = network.parameters.copy()  # the weights when a slice stopped part-way
        self._passes: dict[int, ForwardPass] = {}
        self._train_pass = network.allocate_pass(len(self.X))
        self._train_pass.inputs[...] = self.X
        self._train_pass_at: np.ndarray | None = None
        self._last_recorded = network.parameters.copy()
        self._last_recorded_rng = self._rng.bit_generator.state
        self._is_classification = _is_classification(network.output_activation, self.y)

    @property
    def epoch(self) -> int:
        """Completed epochs."""
        return self.history.epochs

    @property
    def stopped(self) -> bool:
        """True once training diverged; the network holds the last finite parameters."""
        return self.history.stopped_reason is not None

    def set_learning_rate(self, learning_rate: float) -> None:
        """Change the step size without losing momentum or Adam's moments."""
        _require(_is_positive(learning_rate), "Learning rate must be a positive number.")
        self.optimizer.learning_rate = learning_rate

    def step(self) -> bool:
        """One mini-batch update; returns True when it completed an epoch."""
        if self.stopped:
            return False
        saved = self._snapshot()
        self._start_or_resume_epoch()
        try:
            self._train_batches(_ALREADY_PAST)  # exactly one batch
        except BaseException:
            self._restore(self._epoch_start)
            raise
        if not np.isfinite(self.network.parameters).all():
            self._diverge(saved, "a weight became non-finite")
            return False
        if not self._batches:
            return self._finish_epoch(saved)
        self._paused_at = self.network.parameters.copy()
        return False

    def run_epochs(self, n_epochs: int) -> int:
        """Train up to ``n_epochs`` more epochs; returns how many completed (fewer if it diverged)."""
        _require(_is_whole(n_epochs) and n_epochs >= 0, "Epochs must be a whole number, 0 or more.")
        return self._run(n_epochs, _NEVER)

    def run_for(self, seconds: float, max_epochs: int, clock: Callable[[], float] | None = None) -> int:
        """Train until ``seconds`` have passed or ``max_epochs`` are done (the UI's slice); returns the
        epochs completed. ``clock`` measures the seconds: ``time.perf_counter`` (wall time) unless given;
        ``time.thread_time`` counts only this thread's work, so on a busy server the time other threads
        hold the CPU does not shorten the slice.

        The clock is read after every batch: when time runs out part-way through an epoch, training stops
        after that batch and the next call (or ``run_epochs`` or ``step``) carries on with the epoch's
        remaining batches. The history only ever holds whole epochs. (The scalar path reads it after
        every epoch; it is taken only where a whole epoch is cheap, see SCALAR_MAX_ROW_PARAMETERS.)
        """
        clock = clock or time.perf_counter
        return self._run(max_epochs, _Deadline(clock, clock() + seconds))

    def _run(self, max_epochs: int, deadline: _Deadline) -> int:
        if self._uses_scalar_path():
            return self._run_scalar(max_epochs, deadline)
        done = 0
        while done < max_epochs and not self.stopped:
            if not self._run_one_epoch(deadline):
                break
            done += 1
            if deadline.passed():
                break
        return done

    def _uses_scalar_path(self) -> bool:
        config = self.config
        plain_sgd = config.batch_size == 1 and config.optimizer == "sgd" and not (config.l1 or config.l2)
        network = self.network
        epoch_is_cheap = len(self.X) * network.n_parameters <= SCALAR_MAX_ROW_PARAMETERS
        return (
            not self._batches
            and epoch_is_cheap
            and scalar.applies(network.layer_sizes, network.output_activation, config.loss, plain_sgd)
        )

    def _run_scalar(self, max_epochs: int, deadline: _Deadline) -> int:
        """The same epochs as ``_run_one_epoch``, trained on Python floats (see nn_core.scalar for why).

        Each epoch only records its parameters; the epochs' losses and accuracies are then measured
        together, a chunk at a time, in one broadcast NumPy pass. A non-finite loss or weight rolls
        the network back to the last good epoch, as ``_finish_epoch`` does.
        """
        network = self.network
        activations = [network.activation_of(layer).name for layer in range(network.n_layers)]
        sgd = scalar.ScalarSGD(network.blocks_of(network.parameters), activations, self.config.loss)
        X, Y = self.X.tolist(), self.y.tolist()
        try:
            return self._scalar_chunks(sgd, X, Y, max_epochs, deadline, network.parameters.copy())
        finally:  # also when interrupted: weights and shuffling as the last recorded epoch left them
            network.parameters[...] = self._last_recorded
            self._rng.bit_generator.state = self._last_recorded_rng

    def _scalar_chunks(
        self, sgd: scalar.ScalarSGD, X: list, Y: list, max_epochs: int, deadline: _Deadline, start: np.ndarray
    ) -> int:
        """Train and record chunks of epochs; ``_last_recorded`` (and ``_last_recorded_rng``, the shuffling
        generator's state) follow the last epoch recorded."""
        network, done = self.network, 0
        self._last_recorded = start
        self._last_recorded_rng = self._rng.bit_generator.state
        while done < max_epochs and not self.stopped:
            after_each, rng_after, weights_broke, out_of_time = [], [], False, False
            while len(after_each) < SCALAR_CHUNK and done + len(after_each) < max_epochs:
                rows = self._rng.permutation(len(X)).tolist() if self.config.shuffle else range(len(X))
                sgd.train_epoch(rows, X, Y, self.optimizer.learning_rate)
                if not sgd.all_finite():
                    weights_broke = True
                    break
                after_each.append(sgd.flat())
                rng_after.append(self._rng.bit_generator.state if self.config.shuffle else None)
                if deadline.passed():
                    out_of_time = True
                    break
            kept = self._record_epochs(np.array(after_each).reshape(-1, network.n_parameters))
            done += kept
            if kept:
                self._last_recorded = np.array(after_each[kept - 1])
                self._last_recorded_rng = rng_after[kept - 1] or self._last_recorded_rng
            if weights_broke and kept == len(after_each):
                self._stop("a weight became non-finite")
            if out_of_time:
                break
        return done

    def _record_epochs(self, parameters: np.ndarray) -> int:
        """Measure and record epochs whose parameters are the rows of ``parameters``: (n_epochs, n_params).

        Returns how many were recorded: all of them, or those before the first non-finite loss.
        """
        train_loss, train_accuracy = self._evaluate_epochs(parameters, self.X, self.y)
        test = self._evaluate_epochs(parameters, *self.validation) if self.validation is not None else None
        for epoch, loss in enumerate(train_loss.tolist()):
            figures = test and (float(test[0][epoch]), float(test[1][epoch]))
            if not self._record_epoch((loss, float(train_accuracy[epoch])), figures):
                self._stop(f"loss became {loss}")
                return epoch
        return len(train_loss)

    def _evaluate_epochs(
        self, parameters: np.ndarray, X: np.ndarray, y: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """(loss, accuracy) of every epoch's parameters on X, y, computed for all epochs at once."""
        a = X
        with np.errstate(all="ignore"):
            for layer, block in enumerate(self.network.blocks_of(parameters)):
                a = self.network.activation_of(layer).value(a @ block[..., :-1, :] + block[..., -1:, :])
            losses = self.loss.elementwise(y, a).mean(axis=(-2, -1))
        return losses, classification_accuracy(y, a)

    def _run_one_epoch(self, deadline: _Deadline) -> bool:
        """Train the current epoch's batches until it ends (True if recorded) or ``deadline`` passes."""
        self._start_or_resume_epoch()
        try:
            self._train_batches(deadline)
            if not self._batches:
                return self._finish_epoch(self._epoch_start)
        except BaseException:  # interrupted: everything back as at the epoch's start, to match the history
            self._restore(self._epoch_start)
            raise
        if not np.isfinite(self.network.parameters).all():
            # A non-finite weight stays non-finite (every update adds to it), so the epoch would diverge
            # when it ends; undo it now rather than leave such weights to be drawn between slices.
            self._diverge(self._epoch_start, "a weight became non-finite")
        else:
            self._paused_at = self.network.parameters.copy()
        return False

    def _start_or_resume_epoch(self) -> None:
        """Draw a new epoch's batches, remembering the state it starts from, unless one is under way.

        Weights written between the slices of an epoch (by hand, in the UI) become the state to go back
        to, so that an interruption or divergence does not silently undo them.
        """
        if not self._batches:
            self._epoch_start = self._snapshot()  # before shuffling: the generator's state is part of it
            self._batches = self._epoch_batches()
        elif not np.array_equal(self._paused_at, self.network.parameters, equal_nan=True):
            self._epoch_start = self._snapshot()

    def _epoch_batches(self) -> list[np.ndarray | slice]:
        n_samples = len(self.X)
        size = self.config.batch_size or n_samples
        if self.config.shuffle:
            order = self._rng.permutation(n_samples)
            return [order[start : start + size] for start in range(0, n_samples, size)]
        return [slice(start, start + size) for start in range(0, n_samples, size)]

    def _train_batches(self, deadline: _Deadline) -> None:
        """Train ``_batches`` in order, one optimizer step each, and remove those trained. Stops after the
        batch during which ``deadline`` passed."""
        network, gradient, optimizer, loss = self.network, self.gradient, self.optimizer, self.loss
        parameters, gradient_blocks, X, y = (
            network.parameters,
            self._gradient_blocks,
            self.X,
            self.y,
        )
        batches, timed, trained = self._batches, deadline.at < math.inf, 0
        with np.errstate(all="ignore"):
            for batch in batches:
                if self._is_whole_set(batch):
                    forward = self._train_pass_now()
                else:
                    forward = self._pass_for(X[batch])
                    network.propagate(forward)
                network.backward(forward, y[batch], loss, gradient_blocks)
                self._add_regularisation(gradient)
                optimizer.step(parameters, gradient)
                trained += 1
                if timed and deadline.passed():
                    break
        del batches[:trained]

    def _is_whole_set(self, batch: np.ndarray | slice) -> bool:
        return isinstance(batch, slice) and not batch.start and batch.stop >= len(self.X)

    def _train_pass_now(self) -> ForwardPass:
        """The forward pass over all training rows at the current parameters.

        Full-batch training needs exactly the pass that measured the last epoch's loss, so it is kept
        and reused until the parameters change (one of three passes per epoch saved).
        """
        parameters = self.network.parameters
        if self._train_pass_at is None or not np.array_equal(self._train_pass_at, parameters):
            with np.errstate(all="ignore"):
                self.network.propagate(self._train_pass)
            self._train_pass_at = parameters.copy()
        return self._train_pass

    def _pass_for(self, rows: np.ndarray) -> ForwardPass:
        """A reusable forward-pass buffer holding ``rows`` as its inputs (one per batch size)."""
        forward = self._passes.get(len(rows))
        if forward is None:
            forward = self._passes[len(rows)] = self.network.allocate_pass(len(rows))
        forward.inputs[...] = rows
        return forward

    def _add_regularisation(self, gradient: np.ndarray) -> None:
        if not (self.config.l1 or self.config.l2):
            return
        weights = self.network.parameters * self._weight_mask
        if self.config.l2:
            gradient += self.config.l2 * weights
        if self.config.l1:
            gradient += self.config.l1 * np.sign(weights)

    def _finish_epoch(self, saved: tuple) -> bool:
        """Record the epoch's figures, or undo it if anything became non-finite."""
        train = self._evaluate(self._train_pass_now(), self.y)
        test = None
        if self.validation is not None:
            X_test, y_test = self.validation
            test = self._evaluate(self._evaluated_pass(X_test), y_test)
        weights_finite = bool(np.isfinite(self.network.parameters).all())
        if weights_finite and self._record_epoch(train, test):
            return True
        self._diverge(saved, f"loss became {train[0]}" if weights_finite else "a weight became non-finite")
        return False

    def _record_epoch(self, train: tuple[float, float], test: tuple[float, float] | None) -> bool:
        """Append (loss, accuracy) of train and test to the history; False if the loss is not finite."""
        if not math.isfinite(train[0]):
            return False
        self.history.train_loss.append(train[0])
        if self._is_classification:
            self.history.train_accuracy.append(train[1])
        if test is not None:
            self.history.test_loss.append(test[0])
            if self._is_classification:
                self.history.test_accuracy.append(test[1])
        return True

    def _evaluated_pass(self, X: np.ndarray) -> ForwardPass:
        forward = self._pass_for(X)
        with np.errstate(all="ignore"):
            self.network.propagate(forward)
        return forward

    def _evaluate(self, forward: ForwardPass, y: np.ndarray) -> tuple[float, float]:
        with np.errstate(all="ignore"):
            loss = self.loss.value(y, forward.output)
        accuracy = classification_accuracy(y, forward.output) if self._is_classification else 0.0
        return loss, accuracy

    def _snapshot(self) -> tuple:
        """Everything an epoch changes: the weights, the optimizer's moments and the shuffling generator."""
        return self.network.parameters.copy(), self.optimizer.snapshot(), self._rng.bit_generator.state

    def _diverge(self, saved: tuple, what: str) -> None:
        self._restore(saved)
        self._stop(what)

    def _restore(self, saved: tuple) -> None:
        parameters, optimizer_state, rng_state = saved
        self.network.parameters[...] = parameters
        self.optimizer.restore(optimizer_state)
        self._rng.bit_generator.state = rng_state
        self._batches = []

    def _stop(self, what: str) -> None:
        epoch = self.epoch + 1
        self.history.stopped_reason = f"diverged at epoch {epoch}: {what}; try a smaller learning rate"


def classification_accuracy(y: np.ndarray, y_hat: np.ndarray) -> float | np.ndarray:
    """Share of rows classified right: argmax for several outputs, ŷ > 0.5 for one.

    y, y_hat: (n_rows, n_outputs), or with leading dimensions (e.g. one set per epoch), which are kept.
    """
    if y.shape[-1] > 1:
        hits = y.argmax(axis=-1) == y_hat.argmax(axis=-1)
    else:
        hits = ((y_hat > 0.5) == (y > 0.5))[..., 0]
    share = hits.mean(axis=-1)
    return float(share) if np.ndim(share) == 0 else share


def _is_classification(output_activation: str, y: np.ndarray) -> bool:
    return output_activation in ("sigmoid", "softmax") and bool(np.isin(y, (0.0, 1.0)).all())


def _weight_mask(network: Network) -> np.ndarray:
    """1 where the flat parameter vector holds a weight, 0 where it holds a bias."""
    mask = np.zeros_like(network.parameters)
    for block in network.blocks_of(mask):
        block[:-1] = 1.0
    return mask


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
