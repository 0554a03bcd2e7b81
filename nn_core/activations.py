"""Activation functions, each with its value and its backward rule side by side.

Every activation maps pre-activations ``z`` to activations ``a = f(z)`` and knows how to turn ``dL/da``
into ``dL/dz``. For the element-wise ones that is ``dL/da * f'(z)``; softmax mixes a row's outputs, so it
multiplies by its Jacobian instead. The element-wise ones also give f and f' on one Python float, for
the per-sample training path in ``nn_core._fast``: one table of activations serves both.
"""

from __future__ import annotations

import math

import numpy as np

LEAKY_RELU_SLOPE = 0.01  # the slope of leaky ReLU for z ≤ 0


class Activation:
    """One activation: ``value(z)`` and ``backward(z, a, grad_a)``; ``name`` is its public key."""

    name = ""
    elementwise = True  # f acts on each z alone, so f'(z) exists element by element

    def value(self, z: np.ndarray) -> np.ndarray:
        """a = f(z), same shape as z."""
        raise NotImplementedError

    def derivative(self, z: np.ndarray, a: np.ndarray) -> np.ndarray:
        """da/dz element by element, given both z and a = value(z) (whichever is cheaper)."""
        raise NotImplementedError

    def backward(self, z: np.ndarray, a: np.ndarray, grad_a: np.ndarray) -> np.ndarray:
        """dL/dz from dL/da. Shapes: all (n_samples, n_units)."""
        return grad_a * self.derivative(z, a)

    def float_value(self, z: float) -> float:
        """f(z) for one Python float."""
        raise NotImplementedError

    def float_derivative(self, a: float) -> float:
        """f'(z) for one Python float, read off a = f(z) alone."""
        raise NotImplementedError


class Sigmoid(Activation):
    """σ(z) = 1 / (1 + e^(−z)), the tutorial's neuron; σ'(z) = σ(z)(1 − σ(z))."""

    name = "sigmoid"

    def value(self, z: np.ndarray) -> np.ndarray:
        # For z < −709, e^(−z) overflows to inf and 1 / (1 + inf) = 0 is the right answer.
        with np.errstate(over="ignore"):
            return 1.0 / (1.0 + np.exp(-z))

    def derivative(self, z: np.ndarray, a: np.ndarray) -> np.ndarray:
        return a * (1.0 - a)

    def float_value(self, z: float) -> float:
        try:
            return 1.0 / (1.0 + math.exp(-z))
        except OverflowError:  # as in ``value``: e^(−z) is too large, σ(z) is 0
            return 0.0

    def float_derivative(self, a: float) -> float:
        return a * (1.0 - a)


class Tanh(Activation):
    """tanh(z); tanh'(z) = 1 − tanh(z)²."""

    name = "tanh"

    def value(self, z: np.ndarray) -> np.ndarray:
        return np.tanh(z)

    def derivative(self, z: np.ndarray, a: np.ndarray) -> np.ndarray:
        return 1.0 - a * a

    float_value = staticmethod(math.tanh)  # the math module's own function: no Python call in between

    def float_derivative(self, a: float) -> float:
        return 1.0 - a * a


class Relu(Activation):
    """max(0, z); the derivative is taken as 0 at z = 0."""

    name = "relu"

    def value(self, z: np.ndarray) -> np.ndarray:
        return np.maximum(z, 0.0)

    def derivative(self, z: np.ndarray, a: np.ndarray) -> np.ndarray:
        return (z > 0.0).astype(z.dtype)

    def float_value(self, z: float) -> float:
        return 0.0 if z <= 0.0 else z  # NaN stays NaN, as with np.maximum

    def float_derivative(self, a: float) -> float:
        return 1.0 if a > 0.0 else 0.0  # a > 0 exactly when z > 0


class LeakyRelu(Activation):
    """z for z > 0, else 0.01·z: like ReLU, but a neuron that goes negative can still learn."""

    name = "leaky_relu"

    def value(self, z: np.ndarray) -> np.ndarray:
        return np.maximum(z, LEAKY_RELU_SLOPE * z)

    def derivative(self, z: np.ndarray, a: np.ndarray) -> np.ndarray:
        return np.where(z > 0.0, 1.0, LEAKY_RELU_SLOPE)

    def float_value(self, z: float) -> float:
        return LEAKY_RELU_SLOPE * z if z <= 0.0 else z

    def float_derivative(self, a: float) -> float:
        return 1.0 if a > 0.0 else LEAKY_RELU_SLOPE  # a > 0 exactly when z > 0


class Linear(Activation):
    """The identity: used for regression outputs and to show what a network is without non-linearity."""

    name = "linear"

    def value(self, z: np.ndarray) -> np.ndarray:
        return z.copy()

    def derivative(self, z: np.ndarray, a: np.ndarray) -> np.ndarray:
        return np.ones_like(z)

    def backward(self, z: np.ndarray, a: np.ndarray, grad_a: np.ndarray) -> np.ndarray:
        return grad_a

    def float_value(self, z: float) -> float:
        return z

    def float_derivative(self, a: float) -> float:
        return 1.0


class Softmax(Activation):
    """exp(z_i) / Σ_j exp(z_j) along each row; shifted by the row's maximum so it never overflows."""

    name = "softmax"
    elementwise = False

    def value(self, z: np.ndarray) -> np.ndarray:
        shifted = np.exp(z - z.max(axis=-1, keepdims=True))
        return shifted / shifted.sum(axis=-1, keepdims=True)

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
