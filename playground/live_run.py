"""One live run: Train, Pause, Step and Reset, and the frames a page shows while a network learns.

Pure (no Streamlit), so every transition is tested directly. The playground and the guided tour each
own one ``LiveRun`` over their model, and the one live view (``playground/views/live.py``) asks it for
each message's frames. What the page says about a run (a divergence, a full history, a table to fix)
is derived from the model and the run each time, never kept as text that could outlive its cause.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

from playground.fair_share import FINISH_SECONDS, FRAMES_PER_TICK, Pace
from playground.model import ModelRun
from playground.runs import RunRecord, record_run

# A model's history holds a few floats per epoch; this bounds a session's memory (about 13 MB).
MAX_TOTAL_EPOCHS = 100_000
FULL_MESSAGE = (
    f"This network has trained {MAX_TOTAL_EPOCHS:,} epochs, as many as one model keeps: "
    "press Reset to start again."
)
HELD_MESSAGE = "Training paused: fix the table first (see the Data tab); it goes on once the table is fixed."

FrameMaker = Callable[[ModelRun, bool], dict]


class Message(NamedTuple):
    """The frames a message brings the picture, and the seconds spent training them and making them."""

    frames: list[dict]
    trained: float
    made: float


NO_MESSAGE = Message([], 0.0, 0.0)


@dataclass
class LiveRun:
    """Whether the network trains, how far it should go, and the runs it finished.

    ``held`` is a run the table paused: it goes on by itself once the table is usable again.
    ``frames_per_run`` spreads a run over that many frames (None: as many as the pace gives, about
    0.84 s); ``records`` are the finished runs (reached their target or diverged), when ``keeps_runs``.
    """

    running: bool = False
    target_epoch: int = 0
    held: bool = False
    frames_per_run: int | None = None
    keeps_runs: bool = True
    records: list[RunRecord] = field(default_factory=list)
    source: str = ""  # what the run trains on, in words, for its record
    last_tick_work: tuple[float, float] = (0.0, 0.0)  # seconds of the last live tick: training, the rest

    def start(self, model: ModelRun, source: str = "") -> None:
        """Train: go on from the model's epoch for another ``epochs`` of its settings (``source``
        names the data in the run's record)."""
        self.source = source
        if model.trainer.stopped:
            model.change_training(model.settings.training)  # a lower learning rate may carry on
        self.target_epoch = min(model.epoch + model.settings.training.epochs, MAX_TOTAL_EPOCHS)
        self.running = model.epoch < self.target_epoch
        self.held = False

    def pause(self) -> None:
        self.running = self.held = False

    def step(self, model: ModelRun) -> None:
        """Exactly one more epoch, then stop there."""
        self.pause()
        if model.epoch < MAX_TOTAL_EPOCHS:
            model.trainer.run_epochs(1)

    def reset(self) -> None:
        """Back to no run: the caller builds a new network from the seed."""
        self.pause()
        self.target_epoch = 0

    def restart(self, model: ModelRun) -> None:
        """A new network replaced the one under way: a running (or held) run starts over on it."""
        if self.running or self.held:
            self.target_epoch = min(model.settings.training.epochs, MAX_TOTAL_EPOCHS)
        else:
            self.target_epoch = 0

    def hold(self) -> None:
        """The table became unusable: a running run waits for it."""
        if self.running:
            self.running, self.held = False, True

    def release(self) -> None:
        """The table is usable again: a held run goes on."""
        if self.held:
            self.running, self.held = True, False

    def notice(self, model: ModelRun | None, table_usable: bool) -> str | None:
        """What the page says about the run now: why it stopped or waits, or nothing."""
        if self.held and not table_usable:
            return HELD_MESSAGE
        if model is None:
            return None
        if model.trainer.stopped:
            return model.history.stopped_reason
        if model.epoch >= MAX_TOTAL_EPOCHS and not self.running:
            return FULL_MESSAGE
        return None

    def advance(self, model: ModelRun, slice_seconds: float, frames_per_run: int) -> int:
        """One frame: train a bounded slice, then stop when the target is reached or training diverged.

        A run is spread over about ``frames_per_run`` frames so that even the four-row tutorial is seen
        learning; big data sets are bounded by ``slice_seconds`` instead: seconds of this thread's own
        work, so that on a busy server the time other sessions hold the CPU does not shrink the frame.
        """
        if not self.running:
            return 0
        remaining = self.target_epoch - model.epoch
        per_frame = max(1, math.ceil(model.settings.training.epochs / frames_per_run))
        done = model.trainer.run_for(slice_seconds, min(remaining, per_frame), clock=time.thread_time)
        if model.trainer.stopped or model.epoch >= self.target_epoch:
            self.running = False
            if self.keeps_runs:
                self.records = record_run(self.records, model, self.source)
        return done

    def message(
        self, model: ModelRun, pace: Pace, make_frame: FrameMaker, *, finish_if_cheap: bool = False
    ) -> Message:
        """A message's frames, each a slice of training further on (one frame, as it is, when not
        running).

        With ``finish_if_cheap``, a run that looks cheap enough to end within FINISH_SECONDS of training
        in all (the thread's CPU time) is finished in this message, frame by frame (each as far on as it
        would be message by message): one run of the page for a whole tutorial run.
        """
        if not self.running:
            return Message([make_frame(model, False)], 0.0, 0.0)
        began, trained, cpu = time.perf_counter(), 0.0, 0.0
        frames_per_run = self.frames_per_run or pace.frames_per_run

        def train_slice(seconds: float) -> bool:
            nonlocal trained, cpu
            started, cpu_started = time.perf_counter(), time.thread_time()
            self.advance(model, seconds, frames_per_run)
            trained += time.perf_counter() - started
            cpu += time.thread_time() - cpu_started
            return self.running

        first_epoch = model.epoch
        frames = self._frames(model, make_frame, lambda: train_slice(pace.slice_seconds), FRAMES_PER_TICK)
        rest = self.target_epoch - model.epoch
        # In the thread's CPU time, as slices are: what other threads and processes take is not this run's.
        per_epoch = cpu / max(1, model.epoch - first_epoch)
        if finish_if_cheap and self.running and cpu + rest * per_epoch <= FINISH_SECONDS:
            per_frame = math.ceil(model.settings.training.epochs / frames_per_run)
            frames += self._frames(
                model,
                make_frame,
                lambda: train_slice(max(0.0, FINISH_SECONDS - cpu)),
                math.ceil(rest / per_frame),
            )
        return Message(frames, trained, time.perf_counter() - began)

    def _frames(
        self, model: ModelRun, make_frame: FrameMaker, train_slice: Callable[[], bool], count: int
    ) -> list[dict]:
        """Train up to ``count`` slices (``train_slice`` trains one and says whether the run goes on),
        keeping a frame after each: the page shows them one after the other."""
        frames = []
        for _ in range(count):
            running = train_slice()
            frames.append(make_frame(model, running))
            if not running:
                break
        return frames
