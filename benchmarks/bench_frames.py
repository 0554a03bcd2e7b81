"""How long does one live frame's training really take? The wall time of ``Trainer.run_for(slice, ...)``.

The live UI trains once per frame with a time slice: 10 ms for a session training alone, 0.33 ms when
30 sessions share the server. A frame may only overrun its slice by the batch during which the slice ran
out (plus, when that batch ended an epoch, the epoch's loss measurement). This benchmark trains the
heaviest per-sample case the controls allow, 5,000 spiral rows (standardised) through 6 hidden layers of
16 tanh neurons with a sigmoid output, binary cross-entropy, plain SGD (learning rate 0.03), batch size 1,
shuffled, and prints, per slice, the median, p95 and worst wall time of ~200 consecutive frames, with
the batches trained per frame. For reference it also times one whole epoch (5,000 updates), which is
what a frame cost before the deadline was checked between batches.

Run: python benchmarks/bench_frames.py
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks._common import timed_epochs  # noqa: E402
from nn_core.datasets import Standardizer, spiral  # noqa: E402
from nn_core.network import Network  # noqa: E402
from nn_core.training import Trainer, TrainingConfig  # noqa: E402

ROWS = 5000
HIDDEN = [16] * 6
SLICES = (0.010, 0.00033)  # one session alone; 30 sessions sharing the server
FRAMES = 200
WHOLE_EPOCHS = 3
ENOUGH_EPOCHS = 10**9  # the frame's slice, not the epoch cap, ends every frame


def make_trainer() -> Trainer:
    data = spiral(n_samples=ROWS, noise=0.1, seed=0)
    X = Standardizer.fit(data.X).transform(data.X)
    network = Network([2, *HIDDEN, 1], "tanh", "sigmoid", init="xavier", seed=0)
    config = TrainingConfig(
        0.03, loss="binary_cross_entropy", optimizer="sgd", batch_size=1, shuffle=True, seed=0
    )
    return Trainer(network, X, data.y, config)


def percentile(values: list[float], share: float) -> float:
    return float(np.percentile(values, share * 100))


def time_frames(slice_seconds: float) -> tuple[list[float], list[int]]:
    """Wall seconds and optimizer steps of each of FRAMES consecutive frames."""
    trainer = make_trainer()
    trainer.run_for(0.05, ENOUGH_EPOCHS)  # warm up: buffers allocated, caches filled
    times, steps = [], []
    for _ in range(FRAMES):
        before = batches_trained(trainer)
        start = time.perf_counter()
        trainer.run_for(slice_seconds, ENOUGH_EPOCHS)
        times.append(time.perf_counter() - start)
        steps.append(batches_trained(trainer) - before)
    return times, steps


def batches_trained(trainer: Trainer) -> int:
    """Updates so far: ROWS per completed epoch, and those of the epoch under way."""
    return trainer.epoch * ROWS + (ROWS - len(trainer._batches) if trainer._batches else 0)


def time_whole_epoch() -> list[float]:
    return timed_epochs(make_trainer(), WHOLE_EPOCHS)


def main() -> None:
    print(f"One live frame: {ROWS:,} spiral rows, [2, {', '.join(map(str, HIDDEN))}, 1] tanh -> sigmoid,")
    print("binary cross-entropy, SGD lr 0.03, batch size 1, shuffled; Trainer.run_for(slice, max_epochs=1e9)")
    print()
    header = ("slice", "frames", "median", "p95", "worst", "batches/frame (median)")
    print("{:>9}  {:>6}  {:>9}  {:>9}  {:>9}  {:>22}".format(*header))
    for slice_seconds in SLICES:
        times, steps = time_frames(slice_seconds)
        print(
            f"{slice_seconds * 1000:7.2f}ms  {len(times):6d}  "
            f"{statistics.median(times) * 1000:7.3f}ms  {percentile(times, 0.95) * 1000:7.3f}ms  "
            f"{max(times) * 1000:7.3f}ms  {statistics.median(steps):22.0f}"
        )
    epochs = time_whole_epoch()
    print()
    median, worst = statistics.median(epochs) * 1000, max(epochs) * 1000
    print(
        f"For reference, one whole epoch ({ROWS:,} updates): median {median:.1f} ms, worst {worst:.1f} ms",
        end="",
    )
    print(f" over {len(epochs)} epochs")
    print("(a frame took about this long when the deadline was only checked between epochs)")


if __name__ == "__main__":
    main()
