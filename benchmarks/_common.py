"""Small helpers the benchmark scripts share.

A script imports them as ``benchmarks._common`` after putting the repository root on ``sys.path``, so
``python benchmarks/<script>.py`` works from anywhere.
"""

from __future__ import annotations

import asyncio
import random
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from nn_core.training import Trainer


def timed_epochs(trainer: Trainer, count: int) -> list[float]:
    """Wall seconds of each of ``count`` consecutive single epochs of ``trainer``."""
    times = []
    for _ in range(count):
        start = time.perf_counter()
        trainer.run_epochs(1)
        times.append(time.perf_counter() - start)
    return times


async def paced_moves(start: float, seconds: float, period: float) -> AsyncIterator[int]:
    """Move numbers 0, 1, 2 … about once every ``period`` seconds until ``start + seconds`` (monotonic).

    The first move waits for ``start`` and a random part of one period, so simulated users do not all
    move at once; after each move (the loop body) the wait is what is left of its period.
    """
    await asyncio.sleep(max(0.0, start - time.monotonic()) + random.uniform(0, period))
    end = start + seconds
    move = 0
    while time.monotonic() < end:
        began = time.monotonic()
        yield move
        move += 1
        await asyncio.sleep(max(0.0, period - (time.monotonic() - began)))
