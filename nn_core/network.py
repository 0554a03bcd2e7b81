"""A fully connected network of any depth: weights, forward pass (keeping every layer), backward pass.

Layer ``l`` computes ``z = a_prev @ weights[l] + biases[l]`` and ``a = f(z)``; rows are examples.
All parameters live in one flat vector, and ``weights[l]`` / ``biases[l]`` are views into it, so the
optimizers update every layer with a handful of NumPy calls and writing into a view changes the network.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from nn_core.activations import HIDDEN_ACTIVATIONS, OUTPUT_ACTIVATIONS, Activation, get_activation
from nn_core.losses import Loss, get_loss

if TYPE_CHECKING:
    from nn_core.training import History

INITIALISERS = ("normal", "xavier", "he")


class ParameterList(list):
    """A list of views into the network's parameters; assigning an item copies into the view."""

    def __setitem__(self, index: Any, value: Any) -> None:
        if not isinstance(index, int):
            raise TypeError("Assign one layer at a time, e.g. net.weights[0] = array.")
        target = self[index]
        new_value = np.asarray(value, dtype=float)
        if new_value.shape != target.shape:
            raise ValueError(f"Layer {index} needs shape {target.shape}, got {new_value.shape}.")
        target[...] = new_value


@dataclass(frozen=True)
class ForwardPass:
    """What one forward pass computed, layer by layer; also the buffers training reuses.

    inputs: (n_samples, n_inputs); pre_activations[l] and activations[l]: (n_samples, layer_sizes[l+1]).
    activations[-1] is the network's output. layer_inputs[l] is what feeds weight layer l with a column
    of ones appended, (n_samples, layer_sizes[l] + 1), so one product gives dW and db together;
    ``inputs`` and the hidden ``activations`` are views into it.
    """

    layer_inputs: list[np.ndarray]
    pre_activations: list[np.ndarray]
    activations: list[np.ndarray]

    @property
    def inputs(self) -> np.ndarray:
        return self.layer_inputs[0][:, :-1]

    @property
    def output(self) -> np.ndarray:
        return self.activations[-1]


class Network:
    """A multilayer perceptron, e.g. ``Network([2, 2, 1])`` is the tutorial's 2-2-1 network.

    ``weights[l]`` has shape (n_in, n_out) and ``biases[l]`` shape (n_out,). For the 2-2-1 net,
    weights[0] = [[w1, w3], [w2, w4]], biases[0] = [b1, b2], weights[1] = [[w5], [w6]], biases[1] = [b3].
    """

    def __init__(
        self,
        layer_sizes: Sequence[int],
        hidden_activation: str = "sigmoid",
        output_activation: str = "sigmoid",
        init: str = "normal",
        seed: int | None = None,
    ) -> None:
        self.layer_sizes = _validated_sizes(layer_sizes)
        self.hidden_activation = get_activation(hidden_activation, HIDDEN_ACTIVATIONS).name
        self.output_activation = get_activation(output_activation, OUTPUT_ACTIVATIONS).name
        if init not in INITIALISERS:
            raise ValueError(f"Unknown initialiser {init!r}; choose one of: {', '.join(INITIALISERS)}.")
        self.init = init
        self.parameters = np.zeros(self.n_parameters)
        self._blocks = self.blocks_of(self.parameters)
        self.weights = ParameterList(block[:-1] for block in self._blocks)
        self.biases = ParameterList(block[-1] for block in self._blocks)
        self._weights_transposed = [weights.T for weights in self.weights]
        self._activations = [self.activation_of(layer) for layer in range(self.n_layers)]
        self._initialise(np.random.default_rng(seed))

    @property
    def n_inputs(self) -> int:
        return self.layer_sizes[0]

    @property
    def n_outputs(self) -> int:
        return self.layer_sizes[-1]

    @property
    def n_layers(self) -> int:
        """Number of weight layers (hidden layers + 1)."""
        return len(self.layer_sizes) - 1

    @property
    def n_parameters(self) -> int:
        sizes = self.layer_sizes
        return sum((n_in + 1) * n_out for n_in, n_out in itertools.pairwise(sizes))

    def activation_of(self, layer: int) -> Activation:
        """The activation applied after weight layer ``layer`` (0-based)."""
        last = layer == self.n_layers - 1
        return get_activation(self.output_activation if last else self.hidden_activation)

    def blocks_of(self, flat: np.ndarray) -> list[np.ndarray]:
        """Per-layer views (..., n_in + 1, n_out) of a vector like ``parameters``: W, then b as last row.

        ``flat`` may carry leading dimensions (e.g. one parameter vector per epoch); they are kept.
        """
        blocks, start, lead = [], 0, flat.shape[:-1]
        for n_in, n_out in itertools.pairwise(self.layer_sizes):
            blocks.append(flat[..., start : start + (n_in + 1) * n_out].reshape(*lead, n_in + 1, n_out))
            start += (n_in + 1) * n_out
        return blocks

    def _initialise(self, rng: np.random.Generator) -> None:
        # Draw order follows the tutorial: each neuron's incoming weights (w1, w2, then w3, w4, ...),
        # layer by layer, then all biases (b1, b2, b3).
        for weights in self.weights:
            n_in, n_out = weights.shape
            std = {
                "normal": 1.0,
                "xavier": np.sqrt(2.0 / (n_in + n_out)),
                "he": np.sqrt(2.0 / n_in),
            }
            weights[...] = rng.normal(0.0, std[self.init], size=(n_out, n_in)).T
        for biases in self.biases:
            biases[...] = rng.normal(size=biases.shape) if self.init == "normal" else 0.0

    def allocate_pass(self, n_samples: int) -> ForwardPass:
        """Empty buffers for a forward pass over ``n_samples`` rows (ones columns already set)."""
        sizes = self.layer_sizes
        layer_inputs = [np.ones((n_samples, size + 1)) for size in sizes[:-1]]
        pre_activations = [np.empty((n_samples, size)) for size in sizes[1:]]
        activations = [layer_input[:, :-1] for layer_input in layer_inputs[1:]]
        activations.append(np.empty((n_samples, self.n_outputs)))
        return ForwardPass(layer_inputs, pre_activations, activations)

    def forward(self, X: np.ndarray) -> ForwardPass:
        """Run X: (n_samples, n_inputs) through every layer and keep each z and a."""
        inputs = self._validated_inputs(X)
        forward = self.allocate_pass(len(inputs))
        forward.inputs[...] = inputs
        with np.errstate(over="ignore", under="ignore"):
            self.propagate(forward)
        return forward

    def propagate(self, forward: ForwardPass) -> None:
        """Fill every z and a of ``forward`` in place from its ``inputs``."""
        for layer_input, block, activation, z, a in zip(
            forward.layer_inputs,
            self._blocks,
            self._activations,
            forward.pre_activations,
            forward.activations,
            strict=True,
        ):
            np.matmul(layer_input, block, out=z)
            activation.value(z, out=a)

    def predict(self, X: np.ndarray) -> np.ndarray:
        """The network's output for X: (n_samples, n_inputs) -> (n_samples, n_outputs)."""
        return self.forward(X).output

    def backward(
        self, forward: ForwardPass, y: np.ndarray, loss: Loss, grad_blocks: list[np.ndarray]
    ) -> None:
        """Write dL/dparameters for the pass into ``grad_blocks`` (from ``blocks_of``, one per layer).

        Backprop, layer by layer from the top: the output delta is dL/dz at the last layer; a layer's
        gradient is layer_input.T @ delta (weights and biases at once, thanks to the ones column);
        the delta of the layer below is (delta @ W.T) * f'(z).
        """
        output = forward.output
        if loss.canonical_output == self.output_activation:
            delta = loss.output_delta(y, output)
        else:
            delta = self._activations[-1].backward(forward.pre_activations[-1], output, loss.grad(y, output))
        for layer in range(self.n_layers - 1, -1, -1):
            np.matmul(forward.layer_inputs[layer].T, delta, out=grad_blocks[layer])
            if layer > 0:
                delta = self._activations[layer - 1].backward(
                    forward.pre_activations[layer - 1],
                    forward.activations[layer - 1],
                    delta @ self._weights_transposed[layer],
                )

    def gradients(
        self, X: np.ndarray, y: np.ndarray, loss: str = "mse"
    ) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """Exact gradient of the mean loss over the rows of X: (dW per layer, db per layer)."""
        blocks = self.blocks_of(self.gradient_vector(X, y, loss))
        return [block[:-1] for block in blocks], [block[-1] for block in blocks]

    def gradient_vector(self, X: np.ndarray, y: np.ndarray, loss: str = "mse") -> np.ndarray:
        """The same gradient as one flat vector, in the order of ``parameters``."""
        forward = self.forward(X)
        flat = np.empty_like(self.parameters)
        targets = self.validated_targets(y, len(forward.output))
        self.backward(forward, targets, get_loss(loss), self.blocks_of(flat))
        return flat

    def loss(self, X: np.ndarray, y: np.ndarray, loss: str = "mse") -> float:
        """The mean loss of the network's predictions for X against targets y."""
        output = self.predict(X)
        return get_loss(loss).value(self.validated_targets(y, len(output)), output)

    def fit(
        self,
        X: np.ndarray,
        y: np.ndarray,
        epochs: int,
        learning_rate: float,
        batch_size: int | None = 1,
        shuffle: bool = False,
        loss: str = "mse",
        optimizer: str = "sgd",
        **options: Any,
    ) -> History:
        """Train from the current weights and return the per-epoch history.

        ``batch_size`` 1 is per-sample SGD as in the tutorial, ``None`` is full batch. Other options
        (``l1``, ``l2``, ``seed``, ``momentum``, ``validation=(X_test, y_test)``) go to the Trainer.
        """
        from nn_core.training import Trainer, TrainingConfig

        validation = options.pop("validation", None)
        config = TrainingConfig(
            learning_rate=learning_rate,
            batch_size=batch_size,
            shuffle=shuffle,
            loss=loss,
            optimizer=optimizer,
            **options,
        )
        trainer = Trainer(self, X, y, config, validation=validation)
        trainer.run_epochs(epochs)
        return trainer.history

    def copy(self) -> Network:
        """An independent network with the same architecture and parameter values."""
        twin = Network(self.layer_sizes, self.hidden_activation, self.output_activation, self.init)
        twin.parameters[...] = self.parameters
        return twin

    def to_dict(self) -> dict[str, Any]:
        """A versioned, JSON-safe description of the network (see ``nn_core.serialize``)."""
        from nn_core.serialize import network_to_dict

        return network_to_dict(self)

    @classmethod
    def from_dict(cls, data: object) -> Network:
        """Rebuild a network from ``to_dict`` output; malformed input raises ValueError or TypeError."""
        from nn_core.serialize import network_from_dict

        return network_from_dict(data)

    def _validated_inputs(self, X: np.ndarray) -> np.ndarray:
        inputs = np.asarray(X, dtype=float)
        if inputs.ndim == 1:
            inputs = inputs.reshape(1, -1)
        if inputs.ndim != 2 or inputs.shape[1] != self.n_inputs:
            raise ValueError(
                f"Expected inputs with {self.n_inputs} columns, got an array of shape {inputs.shape}."
            )
        return inputs

    def validated_targets(self, y: np.ndarray, n_samples: int) -> np.ndarray:
        """Targets as (n_samples, n_outputs) floats; a 1-D y is accepted for a single output."""
        targets = np.asarray(y, dtype=float)
        if targets.ndim == 1 and self.n_outputs == 1:
            targets = targets.reshape(-1, 1)
        if targets.shape != (n_samples, self.n_outputs):
            raise ValueError(
                f"Expected targets of shape ({n_samples}, {self.n_outputs}), got {targets.shape}."
            )
        return targets


def _validated_sizes(layer_sizes: Sequence[int]) -> tuple[int, ...]:
    sizes = tuple(layer_sizes)
    if len(sizes) < 2:
        raise ValueError("A network needs at least an input and an output layer, e.g. [2, 1].")
    for size in sizes:
        if isinstance(size, bool) or not isinstance(size, (int, np.integer)) or size < 1:
            raise ValueError(f"Layer sizes must be whole numbers of at least 1, got {size!r}.")
    return tuple(int(size) for size in sizes)
