"""Activation functions, each with its value and its backward rule side by side.

Every activation maps pre-activations ``z`` to activations ``a`` and knows how to turn ``dL/da`` into
``dL/dz``. For the element-wise ones that is ``dL/da * f'(z)``; softmax mixes a row's outputs, so it
multiplies by its Jacobian instead. ``value`` can write into a given ``out`` array: training reuses
its buffers, because on the tutorial's tiny arrays NumPy's per-call cost, not arithmetic, is the bill.
"""

from __future__ import annotations

import numpy as np


class Activation:
    """One activation: ``value(z)`` and ``backward(z, a, grad_a)``; ``name`` is its public key."""

    name = ""

    def value(self, z: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
        """a = f(z), written into ``out`` when given (same shape as z)."""
        raise NotImplementedError

    def derivative(self, z: np.ndarray, a: np.ndarray) -> np.ndarray:
        """da/dz element by element, given both z and a = value(z) (whichever is cheaper)."""
        raise NotImplementedError

    def backward(self, z: np.ndarray, a: np.ndarray, grad_a: np.ndarray) -> np.ndarray:
        """dL/dz from dL/da. Shapes: all (n_samples, n_units)."""
        return grad_a * self.derivative(z, a)


class Sigmoid(Activation):
    """σ(z) = 1 / (1 + e^(−z)), the tutorial's neuron; σ'(z) = σ(z)(1 − σ(z))."""

    name = "sigmoid"

    def value(self, z: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
        # For z < −709, e^(−z) overflows to inf and 1 / inf is the right answer, 0: callers
        # (Network.forward, the Trainer) silence that warning once per call, not once per layer.
        out = np.negative(z, out=out)
        np.exp(out, out=out)
        out += 1.0
        return np.divide(1.0, out, out=out)

    def derivative(self, z: np.ndarray, a: np.ndarray) -> np.ndarray:
        return a * (1.0 - a)


class Tanh(Activation):
    """tanh(z); tanh'(z) = 1 − tanh(z)²."""

    name = "tanh"

    def value(self, z: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
        return np.tanh(z, out=out)

    def derivative(self, z: np.ndarray, a: np.ndarray) -> np.ndarray:
        return 1.0 - a * a


class Relu(Activation):
    """max(0, z); the derivative is taken as 0 at z = 0."""

    name = "relu"

    def value(self, z: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
        return np.maximum(z, 0.0, out=out)

    def derivative(self, z: np.ndarray, a: np.ndarray) -> np.ndarray:
        return (z > 0.0).astype(z.dtype)


class LeakyRelu(Activation):
    """z for z > 0, else 0.01·z: like ReLU, but a neuron that goes negative can still learn."""

    name = "leaky_relu"
    slope = 0.01

    def value(self, z: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
        out = np.multiply(z, self.slope, out=out)
        return np.maximum(z, out, out=out)

    def derivative(self, z: np.ndarray, a: np.ndarray) -> np.ndarray:
        return np.where(z > 0.0, 1.0, self.slope)


class Linear(Activation):
    """The identity: used for regression outputs and to show what a network is without non-linearity."""

    name = "linear"

    def value(self, z: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
        if out is None:
            return z.copy()
        out[...] = z
        return out

    def derivative(self, z: np.ndarray, a: np.ndarray) -> np.ndarray:
        return np.ones_like(z)

    def backward(self, z: np.ndarray, a: np.ndarray, grad_a: np.ndarray) -> np.ndarray:
        return grad_a


class Softmax(Activation):
    """exp(z_i) / Σ_j exp(z_j) along each row; shifted by the row's maximum so it never overflows."""

    name = "softmax"

    def value(self, z: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
        shifted = np.exp(z - z.max(axis=-1, keepdims=True))
        return np.divide(shifted, shifted.sum(axis=-1, keepdims=True), out=out)

    def derivative(self, z: np.ndarray, a: np.ndarray) -> np.ndarray:
        raise TypeError("softmax has no element-wise derivative; use backward()")

    def backward(self, z: np.ndarray, a: np.ndarray, grad_a: np.ndarray) -> np.ndarray:
        # Jacobian-vector product: dL/dz_i = a_i (dL/da_i − Σ_j a_j dL/da_j).
        return a * (grad_a - (grad_a * a).sum(axis=-1, keepdims=True))


ACTIVATIONS: dict[str, Activation] = {
    act.name: act for act in (Sigmoid(), Tanh(), Relu(), LeakyRelu(), Linear(), Softmax())
}
HIDDEN_ACTIVATIONS = ("sigmoid", "tanh", "relu", "leaky_relu", "linear")
OUTPUT_ACTIVATIONS = ("sigmoid", "linear", "softmax")


def get_activation(name: object, allowed: tuple[str, ...] = tuple(ACTIVATIONS)) -> Activation:
    """Look an activation up by name; a ValueError lists the names that would work."""
    if not isinstance(name, str) or name not in allowed:
        raise ValueError(f"Unknown activation {name!r}; choose one of: {', '.join(allowed)}.")
    return ACTIVATIONS[name]
