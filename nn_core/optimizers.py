"""Optimizers: each turns a flat gradient into an in-place update of the flat parameter vector.

An optimizer's state (velocity, moments) is a list of arrays, so the trainer can snapshot and
restore it when a step diverges, and the live UI can pause and resume with nothing lost.
"""

from __future__ import annotations

import numpy as np

OPTIMIZERS = ("sgd", "momentum", "adam")


class Optimizer:
    """Updates ``parameters`` in place from ``gradient``; ``learning_rate`` may change between steps."""

    name = ""

    def __init__(self, learning_rate: float, n_parameters: int) -> None:
        self.learning_rate = learning_rate
        self.state = [np.zeros(n_parameters) for _ in range(self.n_state_arrays)]
        self.steps_taken = 0

    n_state_arrays = 0

    def step(self, parameters: np.ndarray, gradient: np.ndarray) -> None:
        raise NotImplementedError

    def snapshot(self) -> tuple[int, list[np.ndarray]]:
        return self.steps_taken, [array.copy() for array in self.state]

    def restore(self, snapshot: tuple[int, list[np.ndarray]]) -> None:
        self.steps_taken = snapshot[0]
        for array, saved in zip(self.state, snapshot[1], strict=True):
            array[...] = saved


class SGD(Optimizer):
    """θ ← θ − η·g, the tutorial's update."""

    name = "sgd"

    def step(self, parameters: np.ndarray, gradient: np.ndarray) -> None:
        gradient *= self.learning_rate
        parameters -= gradient


class Momentum(Optimizer):
    """v ← μ·v + g; θ ← θ − η·v: a heavy ball that rolls through small bumps."""

    name = "momentum"
    n_state_arrays = 1

    def __init__(self, learning_rate: float, n_parameters: int, momentum: float = 0.9) -> None:
        super().__init__(learning_rate, n_parameters)
        self.momentum = momentum

    def step(self, parameters: np.ndarray, gradient: np.ndarray) -> None:
        (velocity,) = self.state
        velocity *= self.momentum
        velocity += gradient
        parameters -= self.learning_rate * velocity


class Adam(Optimizer):
    """Adam: per-parameter steps from bias-corrected running means of g and g²."""

    name = "adam"
    n_state_arrays = 2

    def __init__(
        self,
        learning_rate: float,
        n_parameters: int,
        beta1: float = 0.9,
        beta2: float = 0.999,
        epsilon: float = 1e-8,
    ) -> None:
        super().__init__(learning_rate, n_parameters)
        self.beta1, self.beta2, self.epsilon = beta1, beta2, epsilon

    def step(self, parameters: np.ndarray, gradient: np.ndarray) -> None:
        mean, mean_square = self.state
        self.steps_taken += 1
        mean *= self.beta1
        mean += (1.0 - self.beta1) * gradient
        mean_square *= self.beta2
        mean_square += (1.0 - self.beta2) * gradient * gradient
        step_size = (
            self.learning_rate
            * np.sqrt(1.0 - self.beta2**self.steps_taken)
            / (1.0 - self.beta1**self.steps_taken)
        )
        parameters -= step_size * mean / (np.sqrt(mean_square) + self.epsilon)


def make_optimizer(name: str, learning_rate: float, n_parameters: int, momentum: float = 0.9) -> Optimizer:
    """Build an optimizer by name for a parameter vector of the given length."""
    if name == "sgd":
        return SGD(learning_rate, n_parameters)
    if name == "momentum":
        return Momentum(learning_rate, n_parameters, momentum)
    if name == "adam":
        return Adam(learning_rate, n_parameters)
    raise ValueError(f"Unknown optimizer {name!r}; choose one of: {', '.join(OPTIMIZERS)}.")
