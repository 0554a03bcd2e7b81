"""Gradient check: compare backprop's gradient with central differences of the loss itself.

(L(θ + ε) − L(θ − ε)) / 2ε needs no calculus, so agreement is evidence that backprop is right;
tests use it for every activation and loss, and the playground shows it beside the derivatives.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nn_core.network import Network


@dataclass(frozen=True)
class GradientCheck:
    """Backprop's and the numeric gradient as flat vectors (``Network.parameters`` order), and their gap."""

    analytic: np.ndarray
    numeric: np.ndarray

    @property
    def max_abs_difference(self) -> float:
        return float(np.max(np.abs(self.analytic - self.numeric)))

    @property
    def max_relative_error(self) -> float:
        """max |a − n| / max(|a| + |n|, 1e-8): about 1e-7 or less means the two agree."""
        scale = np.maximum(np.abs(self.analytic) + np.abs(self.numeric), 1e-8)
        return float(np.max(np.abs(self.analytic - self.numeric) / scale))


def numeric_gradient(
    network: Network, X: np.ndarray, y: np.ndarray, loss: str = "mse", epsilon: float = 1e-6
) -> np.ndarray:
    """Central-difference gradient of the mean loss, one parameter at a time; the network is unchanged."""
    parameters = network.parameters
    gradient = np.empty_like(parameters)
    for index in range(parameters.size):
        original = parameters[index]
        parameters[index] = original + epsilon
        loss_plus = network.loss(X, y, loss)
        parameters[index] = original - epsilon
        loss_minus = network.loss(X, y, loss)
        parameters[index] = original
        gradient[index] = (loss_plus - loss_minus) / (2.0 * epsilon)
    return gradient


def gradient_check(
    network: Network, X: np.ndarray, y: np.ndarray, loss: str = "mse", epsilon: float = 1e-6
) -> GradientCheck:
    """Backprop's gradient next to the numeric one for the same rows, targets and loss."""
    analytic = network.gradient_vector(X, y, loss)
    return GradientCheck(analytic, numeric_gradient(network, X, y, loss, epsilon))
