"""Per-sample SGD on plain Python floats: the fast path for tiny networks.

On the tutorial's 2-2-1 network every NumPy call costs far more than the two or three multiplications
it does, so a per-sample step written with arrays is slower than the tutorial's scalar code. This
module does the same backprop on lists of floats, one neuron at a time, as the tutorial does. The
Trainer uses it only where it gives the NumPy path's numbers (batch size 1, plain SGD, no
regularisation, an element-wise output) and is faster (few parameters), and measures the epochs'
losses afterwards in one NumPy pass; tests hold the two paths to each other.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterable, Sequence
from operator import mul

import numpy as np

MAX_PARAMETERS = 64

Values = list[float]


def _sigmoid(z: float) -> float:
    try:
        return 1.0 / (1.0 + math.exp(-z))
    except OverflowError:  # e^(-z) beyond float range: NumPy gives 1 / inf = 0
        return 0.0


def _relu(z: float) -> float:
    return 0.0 if z <= 0.0 else z  # NaN stays NaN, as with np.maximum


def _leaky_relu(z: float) -> float:
    return 0.01 * z if z <= 0.0 else z


def _identity(z: float) -> float:
    return z


# Each activation as (f(z), f'(z) read off a = f(z)): for all of these the slope follows from the
# activation alone (for ReLU and leaky ReLU, a > 0 exactly when z > 0), as in nn_core.activations.
SCALAR_ACTIVATIONS: dict[str, tuple[Callable[[float], float], Callable[[float], float]]] = {
    "sigmoid": (_sigmoid, lambda a: a * (1.0 - a)),
    "tanh": (math.tanh, lambda a: 1.0 - a * a),
    "relu": (_relu, lambda a: 1.0 if a > 0.0 else 0.0),
    "leaky_relu": (_leaky_relu, lambda a: 1.0 if a > 0.0 else 0.01),
    "linear": (_identity, lambda a: 1.0),
}


def applies(layer_sizes: Sequence[int], output_activation: str, loss: str, config_is_plain_sgd: bool) -> bool:
    """True when the scalar path gives the NumPy path's numbers and is the faster of the two."""
    n_parameters = sum((n_in + 1) * n_out for n_in, n_out in itertools.pairwise(layer_sizes))
    output_fits_loss = output_activation in SCALAR_ACTIVATIONS and (
        loss == "mse" or (loss == "binary_cross_entropy" and output_activation == "sigmoid")
    )
    return config_is_plain_sgd and output_fits_loss and n_parameters <= MAX_PARAMETERS


class ScalarSGD:
    """SGD on lists: ``incoming[l][j]`` holds layer l neuron j's weights, ``biases[l][j]`` its bias.

    Plain loops over floats, one neuron and one weight at a time, as the tutorial writes them: on
    lists this small, CPython runs explicit loops faster than comprehensions or ``map``.
    """

    def __init__(self, blocks: Sequence[np.ndarray], activations: Sequence[str], loss: str) -> None:
        self.incoming = [block[:-1].T.tolist() for block in blocks]
        self.biases = [block[-1].tolist() for block in blocks]
        self.values = [SCALAR_ACTIVATIONS[name][0] for name in activations]
        self.slopes = [SCALAR_ACTIVATIONS[name][1] for name in activations]
        self.canonical = loss == "binary_cross_entropy"

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
        """dL/dz at the output for one row; the loss is a mean over the row's outputs."""
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
