"""What the Train, Pause, Step and Reset buttons and each live frame do to the app state.

Plain functions over ``AppState`` with no Streamlit in them, so every transition can be tested
directly. A model that no longer matches the table or the architecture is "stale": it is never
trained further, and training pauses with a message until the user starts a new network.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, replace

from playground.fair_share import pace_for
from playground.model import ModelRun, data_signature
from playground.settings import Settings, TrainingSettings
from playground.table import PreparedData

FRAMES_PER_RUN = pace_for(1).frames_per_run  # one session training alone
SLICE_SECONDS = pace_for(1).slice_seconds
# A model's history holds a few floats per epoch; this bounds a session's memory (about 13 MB).
MAX_TOTAL_EPOCHS = 100_000
FULL_MESSAGE = (
    f"This network has trained {MAX_TOTAL_EPOCHS:,} epochs, as many as one model keeps: "
    "press Reset to start again."
)
STALE_MESSAGE = (
    "The data or the network changed since this model was built: press Train or Reset to start anew."
)


@dataclass
class TrainingStatus:
    """Whether the live loop runs, how far it should go, and the last thing worth telling the user."""

    running: bool = False
    target_epoch: int = 0
    notice: str | None = None
    last_tick_work: tuple[float, float] = (0.0, 0.0)  # seconds of the last live tick: training, the rest


def is_stale(model: ModelRun | None, data: PreparedData | None, settings: Settings) -> bool:
    """True when the table or the architecture no longer match the model."""
    if model is None or data is None:
        return False
    return model.signature != data_signature(data, settings)


def sync(
    model: ModelRun | None, status: TrainingStatus, data: PreparedData | None, settings: Settings
) -> None:
    """Bring a running model in line with the latest training settings, or pause when the table is unusable.

    A new learning rate or epoch budget applies at once (optimizer moments kept); other training
    settings start a fresh optimizer on the current weights. Changed data or architecture is left to
    ``prepare``, which starts a new network.
    """
    if model is None:
        return
    if data is None:
        if status.running:
            status.running = False
            status.notice = "Training paused: fix the table first."
        return
    if is_stale(model, data, settings):
        return
    current, wanted = model.settings.training, settings.training
    if current == wanted:
        return
    if _needs_new_optimizer(current, wanted):
        model.change_training(wanted)
    else:
        model.trainer.set_learning_rate(wanted.learning_rate)
        model.settings = replace(model.settings, training=wanted)
    status.target_epoch = max(status.target_epoch, model.epoch)


def prepare(
    model: ModelRun | None, status: TrainingStatus, data: PreparedData | None, settings: Settings
) -> ModelRun | None:
    """The model this run shows: kept in step with the settings, built when there is none yet.

    A model that no longer fits the table or the architecture is rebuilt from the seed when it is
    untrained (nothing to lose) or training (the new network carries on, as the TensorFlow Playground
    does); a paused, trained one is kept, marked stale, until the user presses Train or Reset.
    """
    sync(model, status, data, settings)
    if data is None:
        return model
    if model is None:
        return fresh_model(data, settings)
    if is_stale(model, data, settings) and (status.running or model.epoch == 0):
        if status.running:
            status.target_epoch = min(settings.training.epochs, MAX_TOTAL_EPOCHS)
        return fresh_model(data, settings)
    return model


def fresh_model(data: PreparedData, settings: Settings) -> ModelRun:
    """A new network initialised from the seed, on the current table and settings."""
    return ModelRun.build(data, settings)


def start(model: ModelRun | None, status: TrainingStatus, data: PreparedData, settings: Settings) -> ModelRun:
    """Train: go on from the current model for another ``epochs``, or start anew when it is stale."""
    if model is None or is_stale(model, data, settings):
        model = fresh_model(data, settings)
    elif model.trainer.stopped:
        model.change_training(settings.training)
    status.target_epoch = min(model.epoch + settings.training.epochs, MAX_TOTAL_EPOCHS)
    status.running = model.epoch < status.target_epoch
    status.notice = None if status.running else FULL_MESSAGE
    return model


def pause(status: TrainingStatus) -> None:
    status.running = False


def step(model: ModelRun | None, status: TrainingStatus, data: PreparedData, settings: Settings) -> ModelRun:
    """Train exactly one more epoch and stop there."""
    if model is None or is_stale(model, data, settings):
        model = fresh_model(data, settings)
    status.running = False
    model.trainer.run_epochs(1)
    status.notice = model.history.stopped_reason
    return model


def reset(status: TrainingStatus, data: PreparedData, settings: Settings) -> ModelRun:
    """Back to epoch 0: a new network from the seed, history cleared."""
    status.running = False
    status.target_epoch = 0
    status.notice = None
    return fresh_model(data, settings)


def advance(
    model: ModelRun,
    status: TrainingStatus,
    epochs_per_run: int,
    slice_seconds: float = SLICE_SECONDS,
    frames_per_run: int = FRAMES_PER_RUN,
) -> int:
    """One live frame: train a bounded slice, then stop when the target is reached or training diverged.

    A run is spread over about ``frames_per_run`` frames so that even the four-row tutorial is visible
    learning; big data sets are bounded by ``slice_seconds`` instead: seconds of this thread's own work,
    so that on a busy server the time other sessions hold the CPU does not shrink the frame's share.
    """
    if not status.running:
        return 0
    remaining = status.target_epoch - model.epoch
    per_frame = max(1, math.ceil(epochs_per_run / frames_per_run))
    done = model.trainer.run_for(slice_seconds, min(remaining, per_frame), clock=time.thread_time)
    if model.trainer.stopped:
        status.notice = model.history.stopped_reason
    if model.trainer.stopped or model.epoch >= status.target_epoch:
        status.running = False
    return done


def _needs_new_optimizer(current: TrainingSettings, wanted: TrainingSettings) -> bool:
    """Anything but the learning rate and the epoch budget changes how the optimizer steps."""
    return replace(current, learning_rate=wanted.learning_rate, epochs=wanted.epochs) != wanted
