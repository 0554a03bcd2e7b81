"""``python -m nn_core``: the tutorial replayed with the engine, step by step, from one neuron to training."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

import numpy as np

from nn_core.datasets import tutorial_people
from nn_core.losses import MeanSquaredError
from nn_core.network import Network

DEFAULT_SEED = 1
NEW_PEOPLE = {"Emily": (-7.0, -3.0), "Frank": (20.0, 2.0)}


def single_neuron_output() -> float:
    """One sigmoid neuron with w = [0, 1], b = 4 on x = [2, 3]."""
    neuron = Network([2, 1])
    neuron.weights[0] = [[0.0], [1.0]]
    neuron.biases[0] = [4.0]
    return float(neuron.predict([2.0, 3.0])[0, 0])


def fixed_network_output() -> float:
    """The 2-2-1 network with every neuron's w = [0, 1] and b = 0, on x = [2, 3]."""
    network = Network([2, 2, 1])
    network.weights[0] = [[0.0, 0.0], [1.0, 1.0]]
    network.weights[1] = [[0.0], [1.0]]
    network.biases[0] = [0.0, 0.0]
    network.biases[1] = [0.0]
    return float(network.predict([2.0, 3.0])[0, 0])


def mse_example() -> float:
    """MSE of the true labels [1, 0, 0, 1] against predictions that are all 0."""
    y_true = np.array([[1.0], [0.0], [0.0], [1.0]])
    return MeanSquaredError().value(y_true, np.zeros_like(y_true))


def parse_arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m nn_core",
        description="Replay the 'neural network from scratch' tutorial with the nn_core engine.",
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="seed for the initial weights")
    parser.add_argument("--epochs", type=int, default=1000, help="passes over the four people")
    parser.add_argument("--learning-rate", type=float, default=0.1, help="SGD step size")
    arguments = parser.parse_args(argv)
    if arguments.epochs < 1:
        parser.error("--epochs must be at least 1")
    if not arguments.learning_rate > 0:
        parser.error("--learning-rate must be a positive number")
    return arguments


def main(argv: Sequence[str] | None = None) -> int:
    arguments = parse_arguments(argv)
    print("A single neuron (w = [0, 1], b = 4) on x = [2, 3]:")
    print(single_neuron_output())
    print("\nThe 2-2-1 network, every neuron w = [0, 1] and b = 0, on x = [2, 3]:")
    print(fixed_network_output())
    print("\nMean squared error of y_true = [1, 0, 0, 1] against y_pred = [0, 0, 0, 0]:")
    print(mse_example())

    people = tutorial_people()
    print(
        f"\nTraining the 2-2-1 network on {', '.join(people.row_names or ())} "
        f"(seed {arguments.seed}, {arguments.epochs} epochs, "
        f"learning rate {arguments.learning_rate}, one person at a time):"
    )
    network = Network([2, 2, 1], seed=arguments.seed)
    history = network.fit(people.X, people.y, arguments.epochs, arguments.learning_rate)
    for epoch in range(0, history.epochs, 10):
        print(f"Epoch {epoch} loss: {history.train_loss[epoch]:.3f}")
    if history.stopped_reason:
        print(f"Training stopped: {history.stopped_reason}")

    print("\nPredictions for two new people (1 = female, 0 = male):")
    for name, features in NEW_PEOPLE.items():
        probability = float(network.predict(np.array(features))[0, 0])
        verdict = "female" if probability > 0.5 else "male"
        print(f"{name} {features}: {probability:.3f} ({verdict})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
