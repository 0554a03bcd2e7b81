"""How the Trainer trains fast: the numbers of ``Network.forward`` and ``Network.backward``, sooner.

Read ``network.py`` first; this module arranges the same steps for speed. On a playground's small arrays
NumPy's cost per call, not the arithmetic, is the bill, so:

- ``BatchEngine`` trains each batch through buffers allocated once. Every layer's input carries a column
  of ones, so ``[a_prev, 1] @ [[W], [b]]`` gives z and ``[a_prev, 1].T @ delta`` gives dW and db in one
  call each, written into views of one flat gradient that the optimizer applies in one step.
- ``FloatEngine`` runs per-sample SGD on tiny networks on Python floats, one neuron at a time as the
  tutorial does, and measures a chunk of epochs' losses afterwards in one broadcast NumPy pass.

``engine_for`` picks one when training starts. Both offer the Trainer the same thing: ``epochs`` trains
and yields each finished epoch's state and figures; the Trainer records them or rolls back.
tests/test_engine_fast.py holds both engines to ``Network.backward``.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from operator import mul
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np

from nn_core.activations import Activation
from nn_core.losses import Loss, get_loss

if TYPE_CHECKING:
    from nn_core.network import Network
    from nn_core.optimizers import Optimizer
    from nn_core.training import TrainingConfig

MAX_FLOAT_PARAMETERS = 64  # beyond this, NumPy's vector arithmetic wins over loops on floats
# The float engine looks at the clock only between epochs: at about 0.3 µs per row and parameter, an
# epoch of at most this many (rows × parameters) takes well under a millisecond, so a frame's slice holds.
MAX_FLOAT_ROW_PARAMETERS = 2048
FLOAT_CHUNK = 256  # epochs trained on floats before their losses are measured together


@dataclass(frozen=True)
class Deadline:
    """When a slice of training ends: once ``clock()`` reaches ``at``."""

    clock: Callable[[], float]
    at: float

    def passed(self) -> bool:
        return self.clock() >= self.at


NEVER = Deadline(lambda: 0.0, math.inf)
ALREADY_PAST = Deadline(lambda: 0.0, -math.inf)


class Snapshot(NamedTuple):
    """Everything an epoch changes: the weights, the optimizer's moments and the shuffling generator."""

    parameters: np.ndarray
    optimizer: tuple[int, list[np.ndarray]]
    rng: dict[str, Any]


class EpochEnd(NamedTuple):
    """A finished epoch: the state it left (a Snapshot's fields, so ``restore`` takes it as one), and
    (loss, accuracy) on the training and the test rows."""

    parameters: np.ndarray
    optimizer: tuple[int, list[np.ndarray]]
    rng: dict[str, Any]
    train: tuple[float, float]
    test: tuple[float, float] | None


class WeightsNotFinite(Exception):
    """Training made a weight infinite or NaN; every epoch yielded before this was sound."""


def floats_apply(network: Network, n_rows: int, config: TrainingConfig) -> bool:
    """True where per-sample SGD on floats gives the batch engine's numbers and is the faster of the two:
    batch size 1, plain SGD, no regularisation, an element-wise output, a tiny network and a cheap epoch."""
    plain_sgd = config.batch_size == 1 and config.optimizer == "sgd" and not (config.l1 or config.l2)
    output, loss = network.activation_of(network.n_layers - 1), get_loss(config.loss)
    output_fits_loss = output.elementwise and (loss.name == "mse" or loss.canonical_output == output.name)
    return (
        plain_sgd
        and output_fits_loss
        and network.n_parameters <= MAX_FLOAT_PARAMETERS
        and n_rows * network.n_parameters <= MAX_FLOAT_ROW_PARAMETERS
    )


@dataclass(frozen=True)
class Setup:
    """What an engine trains: ``network`` on X, y as ``config`` says, measured also on ``validation``.

    ``optimizer`` and ``rng`` (the shuffling generator) are the Trainer's own objects, shared with it.
    """

    network: Network
    X: np.ndarray
    y: np.ndarray
    validation: tuple[np.ndarray, np.ndarray] | None
    config: TrainingConfig
    optimizer: Optimizer
    rng: np.random.Generator
    with_accuracy: bool  # measure the share classified right, too


def engine_for(setup: Setup) -> BatchEngine:
    """The engine that trains ``setup`` fastest, chosen once when training starts."""
    if floats_apply(setup.network, len(setup.X), setup.config):
        return FloatEngine(setup)
    return BatchEngine(setup)


class _Buffers:
    """One forward pass's arrays for a fixed number of rows, reused batch after batch.

    layer_inputs[l]: what feeds weight layer l with a column of ones appended, (n_rows, n_in + 1). A hidden
    layer's activations are a view into the next layer's input, written there beside the ones column.
    """

    def __init__(self, layer_sizes: Sequence[int], n_rows: int) -> None:
        self.layer_inputs = [np.ones((n_rows, size + 1)) for size in layer_sizes[:-1]]
        self.pre_activations = [np.empty((n_rows, size)) for size in layer_sizes[1:]]
        self.activations = [layer_input[:, :-1] for layer_input in self.layer_inputs[1:]]
        self.activations.append(np.empty((n_rows, layer_sizes[-1])))  # replaced by each pass's output
        self.inputs = self.layer_inputs[0][:, :-1]

    @property
    def output(self) -> np.ndarray:
        return self.activations[-1]


class BatchEngine:
    """Mini-batch training on reused buffers; ``batches`` holds the epoch under way's untrained batches.

    The private helpers leave floating-point warnings to their callers, which silence them once.
    """

    def __init__(self, setup: Setup) -> None:
        self.setup, network = setup, setup.network
        self.parameters = network.parameters
        self.loss = get_loss(setup.config.loss)
        self.batches: list[np.ndarray | slice] = []
        self.gradient = np.empty_like(network.parameters)
        self._gradient_blocks = network.blocks_of(self.gradient)
        self._blocks = network.blocks_of(network.parameters)
        self._weights_transposed = [weights.T for weights in network.weights]
        self._activations = [network.activation_of(layer) for layer in range(network.n_layers)]
        self._weight_mask = _weight_mask(network)
        self._buffers: dict[int, _Buffers] = {}
        self._train_pass = _Buffers(network.layer_sizes, len(setup.X))
        self._train_pass.inputs[...] = setup.X
        self._train_pass_at: np.ndarray | None = None

    def snapshot(self) -> Snapshot:
        """The state now, to come back to with ``restore``."""
        return Snapshot(
            self.parameters.copy(), self.setup.optimizer.snapshot(), self.setup.rng.bit_generator.state
        )

    def restore(self, state: Snapshot | EpochEnd) -> None:
        """Put ``state`` back; the epoch under way, if any, is abandoned."""
        self.parameters[...] = state.parameters
        self.setup.optimizer.restore(state.optimizer)
        self.setup.rng.bit_generator.state = state.rng
        self.batches = []

    def epochs(self, max_epochs: int, deadline: Deadline) -> Iterator[EpochEnd]:
        """Finish the epoch under way, then train new ones, yielding each as it ends; stops after
        ``max_epochs`` or after the batch during which ``deadline`` passed. Raises WeightsNotFinite."""
        for _ in range(max_epochs):
            if not self.batches:
                self.batches = self._epoch_batches()
            self._train_batches(deadline)
            if not np.isfinite(self.parameters).all():
                raise WeightsNotFinite
            if self.batches:
                return
            yield self._measured_epoch()
            if deadline.passed():
                return

    def one_batch(self) -> Iterator[EpochEnd]:
        """One optimizer step on the next batch, yielding the epoch if that batch ended it. Always this
        class's ``epochs``: the float engine trains whole epochs only."""
        return BatchEngine.epochs(self, 1, ALREADY_PAST)

    def _epoch_batches(self) -> list[np.ndarray | slice]:
        n_samples, config = len(self.setup.X), self.setup.config
        size = config.batch_size or n_samples
        if config.shuffle:
            order = self.setup.rng.permutation(n_samples)
            return [order[start : start + size] for start in range(0, n_samples, size)]
        return [slice(start, start + size) for start in range(0, n_samples, size)]

    def _train_batches(self, deadline: Deadline) -> None:
        """Train ``batches`` in order, one optimizer step each, and remove those trained. Stops after the
        batch during which ``deadline`` passed."""
        X, y, optimizer = self.setup.X, self.setup.y, self.setup.optimizer
        parameters, gradient, batches = self.parameters, self.gradient, self.batches
        timed, trained = deadline.at < math.inf, 0
        regularised = bool(self.setup.config.l1 or self.setup.config.l2)
        with np.errstate(all="ignore"):
            for batch in batches:
                if isinstance(batch, slice) and not batch.start and batch.stop >= len(X):
                    buffers = self._train_pass_now()
                else:
                    buffers = self._propagated(X[batch])
                self._backward(buffers, y[batch])
                if regularised:
                    self._add_regularisation(gradient)
                optimizer.step(parameters, gradient)
                trained += 1
                if timed and deadline.passed():
                    break
        del batches[:trained]

    def _propagated(self, rows: np.ndarray) -> _Buffers:
        """A reusable buffer (one per batch size) holding ``rows`` and their forward pass."""
        buffers = self._buffers.get(len(rows))
        if buffers is None:
            buffers = self._buffers[len(rows)] = _Buffers(self.setup.network.layer_sizes, len(rows))
        buffers.inputs[...] = rows
        self._propagate(buffers)
        return buffers

    def _train_pass_now(self) -> _Buffers:
        """The forward pass over all training rows at the current parameters.

        Full-batch training needs exactly the pass that measured the last epoch's loss, so it is kept
        and reused until the parameters change (one of three passes per epoch saved).
        """
        if self._train_pass_at is None or not np.array_equal(self._train_pass_at, self.parameters):
            self._propagate(self._train_pass)
            self._train_pass_at = self.parameters.copy()
        return self._train_pass

    def _propagate(self, buffers: _Buffers) -> None:
        """``Network.forward`` into ``buffers``: z = [a_prev, 1] @ [[W], [b]] and a = f(z), layer by layer."""
        activations, output_layer = buffers.activations, len(self._blocks) - 1
        for layer, (layer_input, block, activation, z) in enumerate(
            zip(buffers.layer_inputs, self._blocks, self._activations, buffers.pre_activations, strict=True)
        ):
            np.matmul(layer_input, block, out=z)
            if layer < output_layer:
                activations[layer][...] = activation.value(z)
            else:
                activations[layer] = activation.value(z)

    def _backward(self, buffers: _Buffers, y: np.ndarray) -> None:
        """``Network.backward`` into ``gradient``: [dW; db] = [a_prev, 1].T @ delta, layer by layer."""
        pre_activations, activations = buffers.pre_activations, buffers.activations
        delta = self.setup.network.output_delta(pre_activations[-1], buffers.output, y, self.loss)
        for layer in range(len(self._blocks) - 1, -1, -1):
            np.matmul(buffers.layer_inputs[layer].T, delta, out=self._gradient_blocks[layer])
            if layer > 0:
                grad_a = delta @ self._weights_transposed[layer]
                delta = self._activations[layer - 1].backward(
                    pre_activations[layer - 1], activations[layer - 1], grad_a
                )

    def _add_regularisation(self, gradient: np.ndarray) -> None:
        """Add the L2 and L1 penalties' gradients, for the weights only: biases are not penalised."""
        config = self.setup.config
        weights = self.parameters * self._weight_mask
        if config.l2:
            gradient += config.l2 * weights
        if config.l1:
            gradient += config.l1 * np.sign(weights)

    def measure(self) -> tuple[tuple[float, float], tuple[float, float] | None]:
        """(loss, accuracy) of the current parameters on the training rows and on the test rows (None
        without test rows)."""
        setup, test = self.setup, None
        with np.errstate(all="ignore"):
            train = self._figures(self._train_pass_now(), setup.y)
            if setup.validation is not None:
                X_test, y_test = setup.validation
                test = self._figures(self._propagated(X_test), y_test)
        return train, test

    def _measured_epoch(self) -> EpochEnd:
        return EpochEnd(*self.snapshot(), *self.measure())

    def _figures(self, buffers: _Buffers, y: np.ndarray) -> tuple[float, float]:
        """(loss, accuracy) of the pass in ``buffers`` against y; accuracy 0 where it means nothing."""
        loss = self.loss.value(y, buffers.output)
        accuracy = classification_accuracy(y, buffers.output) if self.setup.with_accuracy else 0.0
        return loss, accuracy


class FloatEngine(BatchEngine):
    """Per-sample SGD on Python floats, where ``floats_apply``; the same epochs as the batch engine.

    It trains whole epochs only: an epoch left part-way (by ``Trainer.step`` or a slice that ran out) is
    finished by the batch engine it extends.
    """

    def __init__(self, setup: Setup) -> None:
        super().__init__(setup)
        self._rows, self._targets = setup.X.tolist(), setup.y.tolist()

    def epochs(self, max_epochs: int, deadline: Deadline) -> Iterator[EpochEnd]:
        if self.batches:
            yield from super().epochs(max_epochs, deadline)
            return
        sgd = _FloatSGD(self._blocks, self._activations, self.loss)
        done = 0
        while done < max_epochs:
            chunk = self._train_chunk(sgd, min(FLOAT_CHUNK, max_epochs - done), deadline)
            yield from self._measured_epochs(chunk)
            done += len(chunk.parameters)
            if chunk.weights_broke:
                raise WeightsNotFinite
            if chunk.out_of_time:
                return

    def _train_chunk(self, sgd: _FloatSGD, n_epochs: int, deadline: Deadline) -> _Chunk:
        """Up to ``n_epochs`` epochs on floats, keeping the parameters after each (and, when shuffling,
        the generator's state). Stops early after a non-finite weight or once ``deadline`` passed."""
        rng, shuffle, n_rows = self.setup.rng, self.setup.config.shuffle, len(self._rows)
        chunk = _Chunk([], [], rng.bit_generator.state)
        while len(chunk.parameters) < n_epochs:
            rows = rng.permutation(n_rows).tolist() if shuffle else range(n_rows)
            sgd.train_epoch(rows, self._rows, self._targets, self.setup.optimizer.learning_rate)
            if not sgd.all_finite():
                chunk.weights_broke = True
                break
            chunk.parameters.append(sgd.flat())
            chunk.rng_states.append(rng.bit_generator.state if shuffle else chunk.rng_at_start)
            if deadline.passed():
                chunk.out_of_time = True
                break
        return chunk

    def _measured_epochs(self, chunk: _Chunk) -> Iterator[EpochEnd]:
        """The chunk's epochs with their figures; the network holds the last one's parameters."""
        if not chunk.parameters:
            return
        setup, parameters = self.setup, np.array(chunk.parameters)
        self.parameters[...] = parameters[-1]
        train_loss, train_accuracy = self._evaluate_epochs(parameters, setup.X, setup.y)
        test = setup.validation and self._evaluate_epochs(parameters, *setup.validation)
        optimizer_state = setup.optimizer.snapshot()  # plain SGD: nothing in it changes between epochs
        tests = zip(test[0].tolist(), test[1].tolist(), strict=True) if test else itertools.repeat(None)
        for row, rng_state, loss, accuracy, test_figures in zip(
            parameters, chunk.rng_states, train_loss.tolist(), train_accuracy.tolist(), tests, strict=False
        ):
            yield EpochEnd(row, optimizer_state, rng_state, (loss, accuracy), test_figures)

    def _evaluate_epochs(
        self, parameters: np.ndarray, X: np.ndarray, y: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """(loss, accuracy) on X, y of every epoch's parameters (the rows of ``parameters``) at once."""
        a = X
        with np.errstate(all="ignore"):
            for block, activation in zip(
                self.setup.network.blocks_of(parameters), self._activations, strict=True
            ):
                a = activation.value(a @ block[..., :-1, :] + block[..., -1:, :])
            losses = self.loss.elementwise(y, a).mean(axis=(-2, -1))
        return losses, classification_accuracy(y, a)


@dataclass
class _Chunk:
    """Epochs trained on floats: parameters and generator state after each, and why the chunk ended."""

    parameters: list[list[float]]
    rng_states: list[dict[str, Any]]
    rng_at_start: dict[str, Any]
    weights_broke: bool = False
    out_of_time: bool = False


Values = list[float]


class _FloatSGD:
    """SGD on lists: ``incoming[l][j]`` holds layer l neuron j's weights, ``biases[l][j]`` its bias.

    Plain loops over floats, one neuron and one weight at a time, as the tutorial writes them: on
    lists this small, CPython runs explicit loops faster than comprehensions or ``map``.
    """

    def __init__(self, blocks: Sequence[np.ndarray], activations: Sequence[Activation], loss: Loss) -> None:
        self.incoming = [block[:-1].T.tolist() for block in blocks]
        self.biases = [block[-1].tolist() for block in blocks]
        self.values = [activation.float_value for activation in activations]
        self.slopes = [activation.float_derivative for activation in activations]
        self.canonical = loss.canonical_output == activations[-1].name

    def flat(self) -> list[float]:
        """All parameters in ``Network.parameters`` order: each layer's weights row by row, then biases."""
        values: list[float] = []
        for incoming, biases in zip(self.incoming, self.biases, strict=True):
            values.extend(itertools.chain.from_iterable(zip(*incoming, strict=True)))
            values.extend(biases)
        return values

    def all_finite(self) -> bool:
        weights = itertools.chain(*self.biases, *itertools.chain(*self.incoming))
        return all(map(math.isfinite, weights))

    def train_epoch(self, rows: Iterable[int], X: list[Values], Y: list[Values], rate: float) -> None:
        """One SGD step per row, in the given order."""
        train_row = self.train_row
        for row in rows:
            train_row(X[row], Y[row], rate)

    def train_row(self, x: Values, y: Values, rate: float) -> None:
        """Forward, backward and update for one example: the tutorial's inner loop, for any depth."""
        layer_inputs = self.forward(x)
        delta = self._output_delta(layer_inputs.pop(), y)
        for layer in range(len(self.incoming) - 1, -1, -1):
            incoming, biases, inputs = self.incoming[layer], self.biases[layer], layer_inputs[layer]
            below = self._delta_below(layer, delta, inputs) if layer else delta
            for j, delta_j in enumerate(delta):
                weights = incoming[j]
                for i, input_i in enumerate(inputs):
                    weights[i] -= input_i * delta_j * rate
                biases[j] -= delta_j * rate
            delta = below

    def forward(self, x: Values) -> list[Values]:
        """The inputs, then every layer's activations, for one row: a = f(Σ w·input + b) per neuron."""
        layers = [x]
        for incoming, biases, value in zip(self.incoming, self.biases, self.values, strict=True):
            inputs, outputs = layers[-1], []
            append = outputs.append
            for weights, bias in zip(incoming, biases, strict=True):
                append(value(sum(map(mul, weights, inputs)) + bias))  # Σ w·input, left to right
            layers.append(outputs)
        return layers

    def _output_delta(self, a: Values, y: Values) -> Values:
        """dL/dz at the output for one row, as ``Network.output_delta``; the loss is a mean over outputs."""
        size = len(a)
        delta = []
        if self.canonical:
            for a_j, y_j in zip(a, y, strict=True):
                delta.append((a_j - y_j) / size)
            return delta
        slope = self.slopes[-1]
        for a_j, y_j in zip(a, y, strict=True):
            delta.append((2.0 / size) * (a_j - y_j) * slope(a_j))
        return delta

    def _delta_below(self, layer: int, delta: Values, inputs: Values) -> Values:
        """dL/dz of layer ``layer - 1`` from this layer's delta and its weights before their update."""
        incoming, slope = self.incoming[layer], self.slopes[layer - 1]
        below = []
        for i, input_i in enumerate(inputs):
            total = 0.0
            for j, delta_j in enumerate(delta):
                total += delta_j * incoming[j][i]
            below.append(total * slope(input_i))
        return below


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


def _weight_mask(network: Network) -> np.ndarray:
    """1 where the flat parameter vector holds a weight, 0 where it holds a bias."""
    mask = np.zeros_like(network.parameters)
    for block in network.blocks_of(mask):
        block[:-1] = 1.0
    return mask
