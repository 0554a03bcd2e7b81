"""How fast is nn_core? Prints ratios against the tutorial's scalar loop and against PyTorch eager.

(a) The tutorial's own training loop (../shared/seed, 1000 epochs, per-sample, four people) against
    ``Network.fit`` with the same initial weights; also the largest weight difference after training.
(b) nn_core against PyTorch CPU eager (float64, one thread) on a 500-point XOR problem with a [2, 8, 8, 1]
    tanh network, full batch, batch size 10 and per sample, the loss of every epoch computed on both sides.
    Without torch installed only nn_core's figures are printed.

Run: python benchmarks/bench_core.py   (each figure is the best of several repeats)
"""

from __future__ import annotations

import contextlib
import io
import runpy
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nn_core.datasets import Standardizer, tutorial_people, xor  # noqa: E402
from nn_core.network import Network  # noqa: E402

TUTORIAL = ROOT.parent / "shared" / "seed" / "tutorial_code_formatted.py"
REPEATS = 7


def best_seconds(run: Callable[[], object], repeats: int = REPEATS) -> float:
    """The fastest of ``repeats`` runs: the least disturbed by whatever else the machine does."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def tutorial_namespace() -> dict:
    """Run the tutorial script once (its prints swallowed) and keep its classes."""
    with contextlib.redirect_stdout(io.StringIO()):
        return runpy.run_path(str(TUTORIAL))


def tutorial_with_weights(namespace: dict, start: Network) -> object:
    """The tutorial's network holding ``start``'s weights under the tutorial's names."""
    tutorial = namespace["MyNeuralNetwork"]()
    (w1, w3), (w2, w4) = start.weights[0].tolist()
    (w5,), (w6,) = start.weights[1].tolist()
    (b1, b2), (b3,) = start.biases[0].tolist(), start.biases[1].tolist()
    for name, value in zip(
        ("w1", "w2", "w3", "w4", "w5", "w6", "b1", "b2", "b3"),
        (w1, w2, w3, w4, w5, w6, b1, b2, b3),
        strict=True,
    ):
        setattr(tutorial, name, value)
    return tutorial


def tutorial_parameters(tutorial: object) -> np.ndarray:
    names = ("w1", "w3", "w2", "w4", "b1", "b2", "w5", "w6", "b3")
    return np.array([getattr(tutorial, name) for name in names], dtype=float)


def bench_tutorial() -> dict[str, float]:
    people = tutorial_people()
    namespace = tutorial_namespace()
    start = Network([2, 2, 1], seed=1)

    def run_tutorial() -> object:
        tutorial = tutorial_with_weights(namespace, start)
        with contextlib.redirect_stdout(io.StringIO()):
            tutorial.train(people.X, people.y)
        return tutorial

    def run_core() -> Network:
        network = start.copy()
        network.fit(people.X, people.y, epochs=1000, learning_rate=0.1)
        return network

    difference = np.abs(tutorial_parameters(run_tutorial()) - run_core().parameters).max()
    return {
        "tutorial_s": best_seconds(run_tutorial),
        "core_s": best_seconds(run_core),
        "max_weight_difference": float(difference),
    }


def bench_xor(batch_size: int | None, epochs: int) -> dict[str, float | None]:
    """Seconds for ``epochs`` epochs of nn_core, and of PyTorch when it is installed (else None)."""
    data = xor(n_samples=500, noise=0.1, seed=0)
    X = Standardizer.fit(data.X).transform(data.X)
    y = data.y.reshape(-1, 1)

    def run_core() -> None:
        network = Network([2, 8, 8, 1], "tanh", "sigmoid", init="xavier", seed=0)
        network.fit(
            X, y, epochs=epochs, learning_rate=0.05, batch_size=batch_size, loss="binary_cross_entropy"
        )

    run_torch = torch_run(X, y, batch_size, epochs)
    return {
        "core_s": best_seconds(run_core, 3),
        "torch_s": None if run_torch is None else best_seconds(run_torch, 3),
    }


def torch_run(X: np.ndarray, y: np.ndarray, batch_size: int | None, epochs: int) -> Callable[[], None] | None:
    """The same training in PyTorch eager, or None when torch is not installed."""
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(1)
    X_t, y_t = torch.tensor(X), torch.tensor(y)

    def run_torch() -> None:
        torch.manual_seed(0)
        model = torch.nn.Sequential(
            torch.nn.Linear(2, 8),
            torch.nn.Tanh(),
            torch.nn.Linear(8, 8),
            torch.nn.Tanh(),
            torch.nn.Linear(8, 1),
        ).double()
        optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
        loss_fn = torch.nn.BCEWithLogitsLoss()
        size = batch_size or len(X_t)
        for _ in range(epochs):
            for start in range(0, len(X_t), size):
                optimizer.zero_grad()
                loss_fn(model(X_t[start : start + size]), y_t[start : start + size]).backward()
                optimizer.step()
            with torch.no_grad():
                loss_fn(model(X_t), y_t).item()

    return run_torch


def main() -> None:
    tutorial = bench_tutorial()
    print("(a) Tutorial problem: 4 people, 2-2-1 sigmoid, per-sample SGD, 1000 epochs")
    print(f"    tutorial's scalar loop  {tutorial['tutorial_s'] * 1000:8.1f} ms")
    print(f"    nn_core Network.fit     {tutorial['core_s'] * 1000:8.1f} ms")
    print(f"    speed-up                {tutorial['tutorial_s'] / tutorial['core_s']:8.2f}x")
    print(f"    largest weight difference after training: {tutorial['max_weight_difference']:.1e}")
    print()
    print("(b) 500-point XOR, [2, 8, 8, 1] tanh, float64, one thread")
    for label, batch_size, epochs in (("full batch", None, 200), ("batch 10", 10, 20), ("per sample", 1, 3)):
        figures = bench_xor(batch_size, epochs)
        per_epoch_core = figures["core_s"] / epochs * 1000
        line = f"    {label:10}  nn_core {per_epoch_core:7.3f} ms/epoch"
        if figures["torch_s"] is None:
            print(line + "   (PyTorch is not installed: pip install torch to compare)")
            continue
        per_epoch_torch = figures["torch_s"] / epochs * 1000
        ratio = figures["torch_s"] / figures["core_s"]
        print(line + f"   torch {per_epoch_torch:7.3f} ms/epoch   nn_core is {ratio:5.1f}x faster")


if __name__ == "__main__":
    main()
