"""The network: weights, biases, the forward pass and backpropagation. Start reading here.

``Network.forward`` and ``Network.backward`` are the tutorial's maths for any number of layers. Rows are
examples; layer ``l`` computes ``z = a_prev @ weights[l] + biases[l]`` and ``a = f(z)``, and backward
walks back down the layers with dL/dz. The Trainer computes the same numbers, faster, in ``nn_core._fast``.

All parameters live in one flat vector, ``parameters``, and ``weights[l]`` / ``biases[l]`` are views into
it: the optimizers update every layer in one step, and writing into a view changes the network.
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
    """What one forward pass computed, layer by layer: the backward pass needs every z and every a.

    inputs: (n_samples, n_inputs); pre_activations[l] (z) and activations[l] (a) of weight layer l:
    (n_samples, layer_sizes[l + 1]). activations[-1] is the network's output.
    """

    inputs: np.ndarray
    pre_activations: list[np.ndarray]
    activations: list[np.ndarray]

    @property
    def output(self) -> np.ndarray:
        return self.activations[-1]

    def layer_input(self, layer: int) -> np.ndarray:
        """What feeds weight layer ``layer``: the inputs, or the activations of the layer below."""
        return self.inputs if layer == 0 else self.activations[layer - 1]


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
        blocks = self.blocks_of(self.parameters)
        self.weights = ParameterList(block[:-1] for block in blocks)
        self.biases = ParameterList(block[-1] for block in blocks)
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

    def forward(self, X: np.ndarray) -> ForwardPass:
        """Run X: (n_samples, n_inputs) through every layer, keeping each layer's z and a.

        Layer by layer: z = a_prev @ W + b, then a = f(z); the first a_prev is X itself.
        """
        a = self._validated_inputs(X)
        forward = ForwardPass(a, [], [])
        with np.errstate(over="ignore", under="ignore"):
            for layer, (W, b) in enumerate(zip(self.weights, self.biases, strict=True)):
                z = a @ W + b
                a = self.activation_of(layer).value(z)
                forward.pre_activations.append(z)
                forward.activations.append(a)
        return forward

    def predict(self, X: np.ndarray) -> np.ndarray:
        """The network's output for X: (n_samples, n_inputs) -> (n_samples, n_outputs)."""
        return self.forward(X).output

    def backward(
        self, forward: ForwardPass, y: np.ndarray, loss: str = "mse"
    ) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """Backpropagation: (dL/dW, dL/db) per layer for the mean loss of ``forward`` against y.

        From the top down, with delta = dL/dz of the current layer: dL/dW = a_prev.T @ delta,
        dL/db = delta summed over the rows, dL/da_prev = delta @ W.T, and the delta of the layer below
        is dL/da_prev · f'(z_prev). y: (n_samples, n_outputs), as ``validated_targets`` returns it.
        """
        delta = self.output_delta(forward.pre_activations[-1], forward.output, y, get_loss(loss))
        weight_grads, bias_grads = [], []
        for layer in range(self.n_layers - 1, -1, -1):
            a_prev = forward.layer_input(layer)
            weight_grads.insert(0, a_prev.T @ delta)
            bias_grads.insert(0, delta.sum(axis=0))
            if layer > 0:
                grad_a_prev = delta @ self.weights[layer].T
                z_prev = forward.pre_activations[layer - 1]
                delta = self.activation_of(layer - 1).backward(z_prev, a_prev, grad_a_prev)
        return weight_grads, bias_grads

    def output_delta(self, z: np.ndarray, y_hat: np.ndarray, y: np.ndarray, loss: Loss) -> np.ndarray:
        """dL/dz at the output layer: dL/dŷ · f'(z), or its simplified form (ŷ − y) / n where the loss
        is made for the output activation (see ``Loss.output_delta``). All shapes (n_samples, n_outputs).
        """
        if loss.canonical_output == self.output_activation:
            return loss.output_delta(y, y_hat)
        return self.activation_of(self.n_layers - 1).backward(z, y_hat, loss.grad(y, y_hat))

    def gradients(
        self, X: np.ndarray, y: np.ndarray, loss: str = "mse"
    ) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """Exact gradient of the mean loss over the rows of X: (dW per layer, db per layer)."""
        forward = self.forward(X)
        return self.backward(forward, self.validated_targets(y, len(forward.output)), loss)

    def gradient_vector(self, X: np.ndarray, y: np.ndarray, loss: str = "mse") -> np.ndarray:
        """The same gradient as one flat vector, in the order of ``parameters``."""
        flat = np.empty_like(self.parameters)
        weight_grads, bias_grads = self.gradients(X, y, loss)
        for block, weight_grad, bias_grad in zip(self.blocks_of(flat), weight_grads, bias_grads, strict=True):
            block[:-1], block[-1] = weight_grad, bias_grad
        return flat

    def loss(self, X: np.ndarray, y: np.ndarray, loss: str = "mse") -> float:
        """The mean loss of the network's predictions for X against targets y."""
        output = self.predict(X)
        return get_loss(loss).value(self.validated_targets(y, len(output)), output)

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
