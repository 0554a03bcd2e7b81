"""One server, many training sessions: each frame gets shorter and rarer as more sessions train.

A Streamlit server runs every session's Python on one core at a time, and each training session asks
for a frame every tick. Left alone, a few trainers fill the core and every slider elsewhere waits
seconds (measured by benchmarks/load_test_ws.py). ``pace_for`` splits the training budget between the
sessions that trained in the last seconds, so together they leave room for everyone else.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

# One trainer alone: every 0.112 s the page gets four frames, each 10 ms of training further on, and
# shows them 28 ms apart (36 frames/s). Four frames a message: Streamlit's own work per message, in the
# server and in the browser (about 5 and 15 ms), is paid once for four frames. One frame a message
# every 28 ms drew 25-31 frames/s on the spiral, the browser busy throughout.
FRAMES_PER_TICK = 4
BASE_TICK_SECONDS = 0.112
BASE_SLICE_SECONDS = 0.010  # of training per frame
# With n sessions training, messages come every 0.112 + 0.12 (n - 1) s. Measured with 30 users, 10 of
# them training (benchmarks/load_test_ws.py): 0.12 leaves the server at about half a core and slider
# answers within 0.2 s; 0.04 filled the core and slider answers took up to 4 s.
EXTRA_TICK_PER_TRAINER = 0.12
ACTIVE_SECONDS = 2.0  # a session that has not trained for this long no longer counts


@dataclass(frozen=True)
class Pace:
    """How often a training session's page gets new frames, and how long it may train for each frame."""

    tick_seconds: float
    slice_seconds: float


def pace_for(n_training: int) -> Pace:
    """The pace of each of ``n_training`` sessions training at once (one alone trains at full pace)."""
    n = max(1, n_training)
    return Pace(BASE_TICK_SECONDS + EXTRA_TICK_PER_TRAINER * (n - 1), BASE_SLICE_SECONDS / n)


class TrainingSessions:
    """Which sessions trained recently: the one piece of state the whole server shares (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._last_trained: dict[str, float] = {}

    def count(self, now: float, training_session: str | None = None) -> int:
        """Sessions that trained within ACTIVE_SECONDS of ``now``; first marks ``training_session``."""
        with self._lock:
            if training_session is not None:
                self._last_trained[training_session] = now
            stale = [key for key, seen in self._last_trained.items() if now - seen > ACTIVE_SECONDS]
            for key in stale:
                del self._last_trained[key]
            return len(self._last_trained)
