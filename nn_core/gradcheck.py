"""Gradient check: compare backprop's gradient with central differences of the loss itself.

(L(θ + h) − L(θ − h)) / 2h needs no calculus, so agreement is evidence that backprop is right;
tests use it for every activation and loss, and the playground shows it beside the derivatives.

Two things make a fair comparison. The step h grows with |θ| (a fixed step is lost in the rounding
of a large parameter). And L itself is only known to about 1e-16 of its size, so the difference of
two losses carries a rounding error of about eps·|L| / h: differences within that are not evidence
of a bug, and when that error swamps the gradient the check cannot tell anything ("too large").
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nn_core.network import Network

STEP = float(np.finfo(float).eps) ** (1 / 3)  # ≈ 6e-6: balances the h² error against rounding
ROUNDING = 64 * float(np.finfo(float).eps)  # a generous bound on the relative error of a computed loss
AGREEMENT = 1e-5  # largest relative error that still counts as agreement
RESOLUTION = 1e-3  # rounding noise must stay below this share of the largest gradient to judge at all


@dataclass(frozen=True)
class GradientCheck:
    """Backprop's and the numeric gradient as flat vectors (``Network.parameters`` order), and for each
    numeric value how far rounding alone could have moved it (``noise``)."""

    analytic: np.ndarray
    numeric: np.ndarray
    noise: np.ndarray

    @property
    def relative_errors(self) -> np.ndarray:
        """|a − n| beyond the rounding noise, over |a| + |n|: 0 means they agree as well as can be seen."""
        beyond_noise = np.maximum(np.abs(self.analytic - self.numeric) - self.noise, 0.0)
        size = np.abs(self.analytic) + np.abs(self.numeric)
        return np.divide(beyond_noise, size, out=np.zeros_like(size), where=size > 0)

    @property
    def max_relative_error(self) -> float:
        return float(np.max(self.relative_errors, initial=0.0))

    @property
    def verdict(self) -> str:
        """One of "agrees", "disagrees" and "too large" (the loss is too big for differences to judge)."""
        largest_gradient = float(np.max(np.abs(self.analytic), initial=0.0))
        largest_noise = float(np.max(self.noise, initial=0.0))
        if largest_noise > RESOLUTION * largest_gradient and largest_noise > 1e-8:
            return "too large"
        return "agrees" if self.max_relative_error <= AGREEMENT else "disagrees"


def numeric_gradient(
    network: Network, X: np.ndarray, y: np.ndarray, loss: str = "mse", step: float = STEP
) -> np.ndarray:
    """Central-difference gradient of the mean loss, one parameter at a time; the network is unchanged."""
    return _central_differences(network, X, y, loss, step)[0]


def gradient_check(
    network: Network, X: np.ndarray, y: np.ndarray, loss: str = "mse", step: float = STEP
) -> GradientCheck:
    """Backprop's gradient next to the numeric one for the same rows, targets and loss."""
    analytic = network.gradient_vector(X, y, loss)
    numeric, noise = _central_differences(network, X, y, loss, step)
    return GradientCheck(analytic, numeric, noise)


def _central_differences(
    network: Network, X: np.ndarray, y: np.ndarray, loss: str, step: float
) -> tuple[np.ndarray, np.ndarray]:
    """The numeric gradient and its rounding noise, parameter by parameter, with h = step·max(1, |θ|)."""
    parameters = network.parameters
    gradient = np.empty_like(parameters)
    noise = np.empty_like(parameters)
    for index in range(parameters.size):
        original = parameters[index]
        h = step * max(1.0, abs(original))
        upper, lower = original + h, original - h
        parameters[index] = upper
        loss_plus = network.loss(X, y, loss)
        parameters[index] = lower
        loss_minus = network.loss(X, y, loss)
        parameters[index] = original
        width = upper - lower  # the step as the floats took it, not as intended
        gradient[index] = (loss_plus - loss_minus) / width
        noise[index] = ROUNDING * max(abs(loss_plus), abs(loss_minus)) / width
    return gradient, noise
