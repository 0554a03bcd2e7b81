"""The engine against the tutorial: its printed numbers, and its training loop replayed weight by weight."""

import math
import subprocess
import sys

import numpy as np
import pytest

from nn_core.__main__ import fixed_network_output, mse_example, single_neuron_output
from nn_core.datasets import tutorial_people
from nn_core.network import Network
from tests.conftest import ROOT

TUTORIAL_NAMES = ("w1", "w2", "w3", "w4", "w5", "w6", "b1", "b2", "b3")


def scalar_sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


def tutorial_oracle(params: dict[str, float], data, labels, epochs: int, learning_rate: float):
    """The tutorial's equations, one named weight at a time, as an independent reference."""
    p = dict(params)
    for _ in range(epochs):
        for (x1, x2), y_true in zip(data, labels, strict=True):
            sum_h1 = p["w1"] * x1 + p["w2"] * x2 + p["b1"]
            sum_h2 = p["w3"] * x1 + p["w4"] * x2 + p["b2"]
            h1, h2 = scalar_sigmoid(sum_h1), scalar_sigmoid(sum_h2)
            sum_o1 = p["w5"] * h1 + p["w6"] * h2 + p["b3"]
            y_pred = scalar_sigmoid(sum_o1)
            d_loss = -2.0 * (y_true - y_pred)
            d_o1 = y_pred * (1.0 - y_pred)
            d_h1, d_h2 = h1 * (1.0 - h1), h2 * (1.0 - h2)
            grads = {
                "w1": d_loss * p["w5"] * d_o1 * x1 * d_h1,
                "w2": d_loss * p["w5"] * d_o1 * x2 * d_h1,
                "b1": d_loss * p["w5"] * d_o1 * d_h1,
                "w3": d_loss * p["w6"] * d_o1 * x1 * d_h2,
                "w4": d_loss * p["w6"] * d_o1 * x2 * d_h2,
                "b2": d_loss * p["w6"] * d_o1 * d_h2,
                "w5": d_loss * h1 * d_o1,
                "w6": d_loss * h2 * d_o1,
                "b3": d_loss * d_o1,
            }
            for name, grad in grads.items():
                p[name] -= learning_rate * grad
    return p


def named_parameters(network: Network) -> dict[str, float]:
    (w_hidden, w_out), (b_hidden, b_out) = network.weights, network.biases
    values = [*w_hidden[:, 0], *w_hidden[:, 1], *w_out[:, 0], *b_hidden, *b_out]
    return dict(zip(TUTORIAL_NAMES, map(float, values), strict=True))


def test_single_neuron_matches_the_tutorial():
    assert single_neuron_output() == 0.9990889488055994


def test_fixed_weight_network_matches_the_tutorial():
    assert fixed_network_output() == 0.7216325609518421


def test_mse_example_matches_the_tutorial():
    assert mse_example() == 0.5


def test_weight_layout_follows_the_tutorial_names():
    network = Network([2, 2, 1], seed=3)
    network.parameters[:] = np.arange(9.0)
    # Each layer stores W then b: w1, w3, w2, w4 | b1, b2 | w5, w6 | b3.
    assert named_parameters(network) == {
        "w1": 0.0, "w3": 1.0, "w2": 2.0, "w4": 3.0, "b1": 4.0, "b2": 5.0,
        "w5": 6.0, "w6": 7.0, "b3": 8.0,
    }  # fmt: skip
    z_h1 = 0.0 * 2 + 2.0 * 3 + 4.0
    assert network.forward([2.0, 3.0]).pre_activations[0][0, 0] == z_h1


@pytest.mark.parametrize("seed", [0, 1, 7, 2024])
def test_training_reproduces_the_tutorial_loop_exactly(seed):
    people = tutorial_people()
    network = Network([2, 2, 1], seed=seed)
    expected = tutorial_oracle(named_parameters(network), people.X, people.y, 1000, 0.1)
    network.fit(people.X, people.y, epochs=1000, learning_rate=0.1)
    got = named_parameters(network)
    for name in TUTORIAL_NAMES:
        assert got[name] == pytest.approx(expected[name], abs=1e-12), name


def test_trained_network_tells_emily_from_frank():
    people = tutorial_people()
    network = Network([2, 2, 1], seed=1)
    history = network.fit(people.X, people.y, epochs=1000, learning_rate=0.1)
    emily, frank = network.predict(np.array([[-7.0, -3.0], [20.0, 2.0]]))[:, 0]
    assert emily > 0.9 and frank < 0.1
    assert history.train_loss[-1] < 0.01 < history.train_loss[0]


def run_cli(*arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "nn_core", *arguments],
        cwd=ROOT, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip


def test_cli_replays_the_tutorial():
    result = run_cli()
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    for number in ("0.9990889488055994", "0.7216325609518421", "0.5"):
        assert number in lines
    epoch_lines = [line for line in lines if line.startswith("Epoch ")]
    assert len(epoch_lines) == 100 and epoch_lines[0].startswith("Epoch 0 loss: 0.")
    assert epoch_lines[-1].startswith("Epoch 990 loss: ")
    assert any(line.startswith("Emily") and "female" in line for line in lines)
    assert any(line.startswith("Frank") and line.endswith("(male)") for line in lines)


def test_cli_options_change_the_run():
    result = run_cli("--seed", "5", "--epochs", "20", "--learning-rate", "0.5")
    assert result.returncode == 0, result.stderr
    epoch_lines = [line for line in result.stdout.splitlines() if line.startswith("Epoch ")]
    assert [line.split(" loss")[0] for line in epoch_lines] == ["Epoch 0", "Epoch 10"]
    assert "seed 5, 20 epochs, learning rate 0.5" in result.stdout


def test_cli_help_and_bad_options():
    assert "--learning-rate" in run_cli("--help").stdout
    bad = run_cli("--epochs", "0")
    assert bad.returncode == 2 and "--epochs must be at least 1" in bad.stderr
