"""Loss functions: each gives its value and its gradient with respect to the prediction ŷ.

``y`` and ``y_hat`` are both ``(n_samples, n_outputs)``. Predictions are clipped away from 0 and 1
before a logarithm, so ``log(0)`` is never taken.
"""

from __future__ import annotations

import numpy as np

EPSILON = 1e-12


class Loss:
    """A loss L(y, ŷ): ``value`` is a float, ``grad`` is dL/dŷ with the shape of ``y_hat``."""

    name = ""
    canonical_output = ""

    def value(self, y: np.ndarray, y_hat: np.ndarray) -> float:
        raise NotImplementedError

    def grad(self, y: np.ndarray, y_hat: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def output_delta(self, y: np.ndarray, y_hat: np.ndarray) -> np.ndarray:
        """dL/dz at the output for this loss's canonical output activation.

        Sigmoid with binary cross-entropy and softmax with cross-entropy both simplify to
        (ŷ − y) / n; using that form keeps the gradient alive when ŷ saturates at 0 or 1.
        """
        raise NotImplementedError


class MeanSquaredError(Loss):
    """L = mean((y − ŷ)²) over every element, as in the tutorial."""

    name = "mse"

    def value(self, y: np.ndarray, y_hat: np.ndarray) -> float:
        return float(self.elementwise(y, y_hat).mean())

    def elementwise(self, y: np.ndarray, y_hat: np.ndarray) -> np.ndarray:
        """(y − ŷ)² for every element; ``value`` is its mean."""
        return (y - y_hat) ** 2

    def grad(self, y: np.ndarray, y_hat: np.ndarray) -> np.ndarray:
        return (2.0 / y.size) * (y_hat - y)


class BinaryCrossEntropy(Loss):
    """L = −mean(y·log ŷ + (1 − y)·log(1 − ŷ)) over every element; for sigmoid outputs."""

    name = "binary_cross_entropy"
    canonical_output = "sigmoid"

    def value(self, y: np.ndarray, y_hat: np.ndarray) -> float:
        return float(self.elementwise(y, y_hat).mean())

    def elementwise(self, y: np.ndarray, y_hat: np.ndarray) -> np.ndarray:
        """−(y·log ŷ + (1 − y)·log(1 − ŷ)) for every element, ŷ kept inside [ε, 1 − ε]."""
        p = np.clip(y_hat, EPSILON, 1.0 - EPSILON)
        return -(y * np.log(p) + (1.0 - y) * np.log1p(-p))

    def grad(self, y: np.ndarray, y_hat: np.ndarray) -> np.ndarray:
        p = np.clip(y_hat, EPSILON, 1.0 - EPSILON)
        return (p - y) / (p * (1.0 - p) * y.size)

    def output_delta(self, y: np.ndarray, y_hat: np.ndarray) -> np.ndarray:
        return (y_hat - y) / y.size


class CrossEntropy(Loss):
    """L = mean over rows of −Σ y·log ŷ; for a softmax output and one-hot targets."""

    name = "cross_entropy"
    canonical_output = "softmax"

    def value(self, y: np.ndarray, y_hat: np.ndarray) -> float:
        p = np.clip(y_hat, EPSILON, 1.0)
        return float(-(y * np.log(p)).sum() / y.shape[0])

    def grad(self, y: np.ndarray, y_hat: np.ndarray) -> np.ndarray:
        return -y / (np.clip(y_hat, EPSILON, 1.0) * y.shape[0])

    def output_delta(self, y: np.ndarray, y_hat: np.ndarray) -> np.ndarray:
        return (y_hat - y) / y.shape[0]


LOSSES: dict[str, Loss] = {
    loss.name: loss for loss in (MeanSquaredError(), BinaryCrossEntropy(), CrossEntropy())
}


def get_loss(name: object) -> Loss:
    """Look a loss up by name; a ValueError lists the names that would work."""
    if not isinstance(name, str) or name not in LOSSES:
        raise ValueError(f"Unknown loss {name!r}; choose one of: {', '.join(LOSSES)}.")
    return LOSSES[name]
