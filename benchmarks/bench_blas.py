"""One BLAS thread per server process? Full-batch epochs with OpenBLAS's default threads against one.

On a server every session trains in its own process and all of them share the cores. A BLAS library that
starts a thread per core for each matrix product then competes with the other processes' threads, and
its threads wait for each other at every product. This benchmark times one full-batch epoch
(``Trainer.run_epochs(1)``, batch size = all rows) of 5,000 rows through 6 hidden layers of 16 tanh
neurons, median and p95 over EPOCHS epochs, in four conditions:

  idle / default threads   the machine otherwise idle, BLAS with its default thread count
  idle / 1 thread          the same under threadpoolctl.threadpool_limits(limits=1, user_api="blas")
  busy / default threads   os.cpu_count() background processes train the same network in a loop, each
                           with the default thread count, so every core is contended
  busy / 1 thread          the same, with this process and every background process on one BLAS thread

Run: python benchmarks/bench_blas.py   (about ten seconds; background processes are always stopped)
"""

from __future__ import annotations

import multiprocessing
import os
import statistics
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from threadpoolctl import threadpool_info, threadpool_limits

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks._common import timed_epochs  # noqa: E402
from nn_core.datasets import Standardizer, spiral  # noqa: E402
from nn_core.network import Network  # noqa: E402
from nn_core.training import Trainer, TrainingConfig  # noqa: E402

if TYPE_CHECKING:
    from multiprocessing.synchronize import Event

ROWS = 5000
HIDDEN = [16] * 6
EPOCHS = 30
WARM_UP_EPOCHS = 5
BUSY_WARM_UP_SECONDS = 2.0  # the background processes start and reach their training loop
STOP_TIMEOUT_SECONDS = 10.0


def make_trainer() -> Trainer:
    data = spiral(n_samples=ROWS, noise=0.1, seed=0)
    X = Standardizer.fit(data.X).transform(data.X)
    network = Network([2, *HIDDEN, 1], "tanh", "sigmoid", init="xavier", seed=0)
    config = TrainingConfig(0.03, loss="binary_cross_entropy", batch_size=None)
    return Trainer(network, X, data.y, config)


def epoch_seconds() -> list[float]:
    """Wall seconds of EPOCHS full-batch epochs, after a few untimed ones."""
    trainer = make_trainer()
    trainer.run_epochs(WARM_UP_EPOCHS)
    return timed_epochs(trainer, EPOCHS)


def keep_a_core_busy(stop: Event, ready: Event, one_thread: bool) -> None:
    """A background process: another session training the same network, until told to stop."""
    limits = threadpool_limits(limits=1, user_api="blas") if one_thread else None
    trainer = make_trainer()
    ready.set()
    try:
        while not stop.is_set():
            trainer.run_epochs(1)
    finally:
        if limits is not None:
            limits.restore_original_limits()


def measure(busy: bool, one_thread: bool) -> list[float]:
    """Epoch times in one condition; the background processes (when busy) are stopped whatever happens."""
    context = multiprocessing.get_context("spawn")  # a fresh interpreter: no BLAS threads inherited by fork
    stop = context.Event()
    workers = []
    try:
        if busy:
            for _ in range(os.cpu_count() or 1):
                ready = context.Event()
                worker = context.Process(target=keep_a_core_busy, args=(stop, ready, one_thread), daemon=True)
                worker.start()
                workers.append((worker, ready))
            for _, ready in workers:
                ready.wait(STOP_TIMEOUT_SECONDS * 3)
            time.sleep(BUSY_WARM_UP_SECONDS)
        if one_thread:
            with threadpool_limits(limits=1, user_api="blas"):
                return epoch_seconds()
        return epoch_seconds()
    finally:
        stop.set()
        for worker, _ in workers:
            worker.join(STOP_TIMEOUT_SECONDS)
            if worker.is_alive():
                worker.terminate()
                worker.join()


def blas_description() -> str:
    libraries = [info for info in threadpool_info() if info.get("user_api") == "blas"]
    if not libraries:
        return "no BLAS library found by threadpoolctl"
    return "; ".join(
        f"{info.get('internal_api')} {info.get('version')} ({info.get('threading_layer')} threads, "
        f"{info.get('architecture')}), default threads: {info.get('num_threads')}"
        for info in libraries
    )


def main() -> None:
    layers = ", ".join(map(str, HIDDEN))
    print(f"One full-batch epoch: {ROWS:,} rows, [2, {layers}, 1] tanh, Trainer.run_epochs(1)")
    print(f"BLAS: {blas_description()}")
    print(f"CPUs: {os.cpu_count()}; busy = {os.cpu_count()} background processes training the same network")
    print()
    figures = {}
    for busy in (False, True):
        for one_thread in (False, True):
            times = measure(busy, one_thread)
            figures[busy, one_thread] = (statistics.median(times), float(np.percentile(times, 95)))
    print(f"{'machine':8} {'BLAS threads':>15} {'median':>10} {'p95':>10}")
    for (busy, one_thread), (median, p95) in figures.items():
        threads = "1" if one_thread else "default"
        print(f"{'busy' if busy else 'idle':8} {threads:>15} {median * 1000:8.2f}ms {p95 * 1000:8.2f}ms")
    print()
    for busy in (False, True):
        default, single = figures[busy, False], figures[busy, True]
        machine = "busy" if busy else "idle"
        print(
            f"{machine}: default threads / 1 thread = {default[0] / single[0]:.2f}x (median), "
            f"{default[1] / single[1]:.2f}x (p95)"
        )


if __name__ == "__main__":
    main()
