"""Momentum and Adam step by step against their published update rules, worked out here in plain floats.

The reference rules are written with Python floats and ``math``, one parameter at a time, so they share
nothing with the NumPy code under test but the formulas:

* Momentum, in the form ``nn_core.optimizers.Momentum`` documents (the "v ← μ·v + g" form, as in
  PyTorch's SGD with momentum): v ← μ·v + g, θ ← θ − η·v. It is the same trajectory as the other
  published form v ← μ·v − η·g, θ ← θ + v when η stays fixed (v there is −η times v here).
* Adam (Kingma & Ba 2015) in the form its Section 2 gives for efficiency, which the code uses:
  m ← β1·m + (1−β1)·g, v ← β2·v + (1−β2)·g², α_t = η·√(1−β2^t)/(1−β1^t), θ ← θ − α_t·m/(√v + ε̂).
  Algorithm 1's form, θ ← θ − η·m̂/(√v̂ + ε) with m̂ = m/(1−β1^t) and v̂ = v/(1−β2^t), is the same
  rule with ε in another place (ε̂ = ε·√(1−β2^t)); it agrees to within what ε moves (checked below).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from nn_core.optimizers import Adam, Momentum, make_optimizer

START = [0.5, -1.25, 2.0, 0.0]
# Five steps of gradients: zeros, negatives, a sign change, tiny and large values.
GRADIENTS = [
    [0.3, -0.7, 0.0, 1.5],
    [-0.2, -0.7, 0.05, 1e-4],
    [0.0, 0.4, -2.5, 3.0],
    [1.1, 0.0, -0.01, -1.5],
    [-0.6, 0.25, 0.0, 0.0],
]
LEARNING_RATE = 0.05
MU = 0.8
BETA1, BETA2, EPSILON = 0.9, 0.999, 1e-8  # Adam's defaults in nn_core and in the paper


def momentum_by_hand(start: list[float], gradients: list[list[float]], eta: float, mu: float) -> list:
    """Parameters after each step of v ← μ·v + g, θ ← θ − η·v, from v = 0."""
    theta, velocity, after = list(start), [0.0] * len(start), []
    for gradient in gradients:
        for i, g in enumerate(gradient):
            velocity[i] = mu * velocity[i] + g
            theta[i] = theta[i] - eta * velocity[i]
        after.append(list(theta))
    return after


def adam_by_hand(start: list[float], gradients: list[list[float]], eta: float) -> list:
    """Parameters after each Adam step in Kingma & Ba's efficient form, from m = v = 0 and t = 0."""
    theta, m, v, after = list(start), [0.0] * len(start), [0.0] * len(start), []
    for t, gradient in enumerate(gradients, start=1):
        alpha_t = eta * math.sqrt(1.0 - BETA2**t) / (1.0 - BETA1**t)
        for i, g in enumerate(gradient):
            m[i] = BETA1 * m[i] + (1.0 - BETA1) * g
            v[i] = BETA2 * v[i] + (1.0 - BETA2) * g * g
            theta[i] = theta[i] - alpha_t * m[i] / (math.sqrt(v[i]) + EPSILON)
        after.append(list(theta))
    return after


def adam_algorithm_1(start: list[float], gradients: list[list[float]], eta: float) -> list:
    """Parameters after each Adam step as Algorithm 1 writes it: bias-corrected m̂ and v̂, ε outside √v̂."""
    theta, m, v, after = list(start), [0.0] * len(start), [0.0] * len(start), []
    for t, gradient in enumerate(gradients, start=1):
        for i, g in enumerate(gradient):
            m[i] = BETA1 * m[i] + (1.0 - BETA1) * g
            v[i] = BETA2 * v[i] + (1.0 - BETA2) * g * g
            m_hat, v_hat = m[i] / (1.0 - BETA1**t), v[i] / (1.0 - BETA2**t)
            theta[i] = theta[i] - eta * m_hat / (math.sqrt(v_hat) + EPSILON)
        after.append(list(theta))
    return after


def run_steps(optimizer, gradients: list[list[float]]) -> list[list[float]]:
    """The optimizer's parameters after each step, starting from START."""
    parameters = np.array(START)
    after = []
    for gradient in gradients:
        given = np.array(gradient)
        optimizer.step(parameters, given)
        np.testing.assert_array_equal(given, gradient)  # the caller's gradient is left as it was
        after.append(parameters.tolist())
    return after


def assert_same_steps(got: list[list[float]], expected: list[list[float]]) -> None:
    for step, (shown, wanted) in enumerate(zip(got, expected, strict=True), start=1):
        assert shown == pytest.approx(wanted, rel=1e-12, abs=1e-15), f"step {step}"


def test_momentum_follows_v_mu_v_plus_g_then_theta_minus_eta_v() -> None:
    optimizer = make_optimizer("momentum", LEARNING_RATE, len(START), momentum=MU)
    assert isinstance(optimizer, Momentum) and optimizer.momentum == MU
    assert_same_steps(run_steps(optimizer, GRADIENTS), momentum_by_hand(START, GRADIENTS, LEARNING_RATE, MU))


def test_momentum_is_the_same_path_as_the_minus_eta_g_form() -> None:
    """v' ← μ·v' − η·g, θ ← θ + v': the other published form, for a fixed η."""
    theta, velocity = list(START), [0.0] * len(START)
    for gradient in GRADIENTS:
        for i, g in enumerate(gradient):
            velocity[i] = MU * velocity[i] - LEARNING_RATE * g
            theta[i] += velocity[i]
    optimizer = make_optimizer("momentum", LEARNING_RATE, len(START), momentum=MU)
    assert run_steps(optimizer, GRADIENTS)[-1] == pytest.approx(theta, rel=1e-12, abs=1e-15)


def test_momentum_default_is_0_9() -> None:
    optimizer = make_optimizer("momentum", LEARNING_RATE, len(START))
    expected = momentum_by_hand(START, GRADIENTS[:3], LEARNING_RATE, 0.9)
    assert_same_steps(run_steps(optimizer, GRADIENTS[:3]), expected)


def test_adam_follows_kingma_and_ba() -> None:
    optimizer = make_optimizer("adam", LEARNING_RATE, len(START))
    assert isinstance(optimizer, Adam)
    assert (optimizer.beta1, optimizer.beta2, optimizer.epsilon) == (BETA1, BETA2, EPSILON)
    got = run_steps(optimizer, GRADIENTS)
    assert_same_steps(got, adam_by_hand(START, GRADIENTS, LEARNING_RATE))
    assert optimizer.steps_taken == len(GRADIENTS)
    # Algorithm 1's form puts ε elsewhere: the same rule to within a few ε-sized moves.
    np.testing.assert_allclose(got, adam_algorithm_1(START, GRADIENTS, LEARNING_RATE), rtol=0, atol=1e-6)


def test_adams_first_step_moves_each_nonzero_entry_by_eta_against_its_sign() -> None:
    """A property of the rule, not of the arithmetic above: m̂ = g and √v̂ = |g| on step 1."""
    parameters = np.array(START)
    make_optimizer("adam", LEARNING_RATE, len(START)).step(parameters, np.array(GRADIENTS[0]))
    moved = (parameters - np.array(START)).tolist()
    expected = [-math.copysign(LEARNING_RATE, g) if g else 0.0 for g in GRADIENTS[0]]
    assert moved == pytest.approx(expected, rel=1e-5, abs=1e-15)  # ε̂ = 1e-8 shortens it a little


@pytest.mark.parametrize("name", ["momentum", "adam"])
def test_restore_brings_the_moments_and_the_step_count_back_exactly(name: str) -> None:
    optimizer = make_optimizer(name, LEARNING_RATE, len(START))
    parameters = np.array(START)
    for gradient in GRADIENTS[:2]:
        optimizer.step(parameters, np.array(gradient))
    saved = optimizer.snapshot()
    state_then = [array.copy() for array in optimizer.state]
    steps_then, parameters_then = optimizer.steps_taken, parameters.copy()
    assert any(array.any() for array in state_then)  # the moments are not trivially zero

    def rest_of_the_run() -> np.ndarray:
        for gradient in GRADIENTS[2:]:
            optimizer.step(parameters, np.array(gradient))
        return parameters.copy()

    first = rest_of_the_run()
    optimizer.restore(saved)
    assert optimizer.steps_taken == steps_then
    for restored, then in zip(optimizer.state, state_then, strict=True):
        np.testing.assert_array_equal(restored, then)
    parameters[...] = parameters_then
    np.testing.assert_array_equal(rest_of_the_run(), first)  # the same steps again, bit for bit
    # The snapshot was a copy: stepping on did not change it, so it restores the same state once more.
    optimizer.restore(saved)
    for restored, then in zip(optimizer.state, state_then, strict=True):
        np.testing.assert_array_equal(restored, then)
