"""Train / Pause / Step / Reset, and the live view that redraws while the network learns.

The buttons sit outside the ticking fragment so a click is never stuck behind a running frame; the
fragment trains a bounded time slice per tick and redraws only itself.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import NamedTuple

import numpy as np
import streamlit as st
from streamlit.delta_generator import DeltaGenerator
from streamlit.runtime.scriptrunner import get_script_run_ctx

from playground import controller
from playground.fair_share import FINISH_SECONDS, FRAMES_PER_TICK, Pace, Priority, needs_new_tick, pace_for
from playground.model import ModelRun
from playground.runs import record_run
from playground.settings import Settings
from playground.table import PreparedData, number_text
from playground.text import escape_markdown
from playground.views import keys
from playground.views.ask import sliders_unanswered
from playground.views.network import frames_while_training, show_network_picture
from playground.views.server_share import server_turn, training_sessions
from playground.views.state import AppState


class _TrainingButton(NamedTuple):
    """One of the four training buttons and the request it records."""

    label: str
    key: str
    icon: str
    request: str
    disabled: bool
    help: str | None = None


def carry_out_request(state: AppState, data: PreparedData | None, settings: Settings) -> None:
    """Pause; Train, Step or Reset on this run's table (nothing when it has just become unusable).

    The buttons only record the request in their callback; it is carried out here, on the table and
    settings of this run. A click that also ends an edit (the table cell loses focus) then trains on the
    edited table, not on the one the button was drawn with.
    """
    action, state.requested = state.requested, None
    if action == "pause":
        controller.pause(state.status)
    if action in (None, "pause") or data is None:
        return
    if action == "train":
        state.model = controller.start(state.model, state.status, data, settings)
    elif action == "step":
        state.model = controller.step(state.model, state.status, data, settings)
    else:
        state.model = controller.reset(state.status, data, settings)


def show_buttons(state: AppState, data: PreparedData | None, settings: Settings) -> DeltaGenerator:
    """The four training buttons, drawn after the request is carried out and the live view has trained,
    so they show where training is now; returns the rest of their row (where the status goes, and
    workshop mode's data set menu)."""
    columns = st.columns([1, 1, 1, 1, 3], vertical_alignment="center")
    disabled = data is None
    running = state.status.running
    buttons = (
        _TrainingButton("Train", keys.TRAIN, ":material/play_arrow:", "train", disabled or running),
        _TrainingButton("Pause", keys.PAUSE, ":material/pause:", "pause", not running),
        _TrainingButton(
            "Step", keys.STEP, ":material/skip_next:", "step", disabled, "Train exactly one epoch."
        ),
        _TrainingButton(
            "Reset", keys.RESET, ":material/restart_alt:", "reset", disabled, "A new network from the seed."
        ),
    )
    for column, button in zip(columns, buttons, strict=False):
        column.button(
            button.label,
            key=button.key,
            type="primary" if button.request == "train" else "secondary",
            icon=button.icon,
            width="stretch",
            disabled=button.disabled,
            on_click=_request,
            args=(state, button.request),
            help=button.help,
        )
    with columns[4]:
        _show_status_line(state, data, settings)
    return columns[4]


def _request(state: AppState, action: str) -> None:
    state.requested = action


def _show_status_line(state: AppState, data: PreparedData | None, settings: Settings) -> None:
    if data is None:
        st.caption("Fix the table to train.")
    elif controller.is_stale(state.model, data, settings):
        st.warning(controller.STALE_MESSAGE, icon=":material/update:")


def show_live_view(
    state: AppState, axes: tuple[int, int], fixed_inputs: Callable[[ModelRun], np.ndarray]
) -> None:
    """The network picture (figures, maps, surface, loss curve); ticks only while training.

    A run cheap enough to finish in the page's run that starts it (the tutorial's) is trained there,
    before the view is set to tick, so it costs one run of the page and no ticks. The view's own widget
    (the class of points added by clicking) sits outside the ticking fragment, drawn below the picture
    although it is read first.
    """
    picture = st.container()
    new_point_target = _new_point_target(state.model)
    sessions = training_sessions()
    pace = pace_for(sessions.count(time.monotonic(), state.session_id if state.status.running else None))
    page_frames = _train_frames(state, pace, finish_if_cheap=True)
    running = state.status.running  # after this page's training: a run that ended in it does not tick
    state.page_outdated = False  # this run of the whole page shows every change

    @st.fragment(run_every=pace.tick_seconds if running else None)
    def live() -> None:
        live_frame = _fragments_this_run() == 1 and running
        with server_turn(Priority.FRAME if live_frame else Priority.CLICK):
            _live()

    def _live() -> None:
        fragments = _fragments_this_run()
        # A slider moved in the same instant as this tick can be sent as this fragment's rerun alone.
        if _page_must_run(state, ticking=running) or (fragments == 1 and sliders_unanswered(state)):
            st.rerun(scope="app")
        model = state.model
        now_pace, message = pace, page_frames if fragments == 0 else _Message([], 0.0, 0.0)
        if fragments == 1 and state.status.running:
            now_pace = pace_for(sessions.count(time.monotonic(), state.session_id))
            message = _train_frames(state, now_pace, finish_if_cheap=False)
        started = time.perf_counter()
        if state.status.notice:
            st.error(escape_markdown(state.status.notice), icon=":material/warning:")
        if model is None:
            st.info("Fix the table to see the network.")
            return
        show_network_picture(
            state,
            model,
            axes,
            fixed_inputs(model),
            new_point_target,
            message.frames or None,
            now_pace.playing_seconds(len(message.frames)),
        )
        drawn = message.made - message.trained + time.perf_counter() - started
        state.status.last_tick_work = (message.trained, drawn)
        if needs_new_tick(pace, now_pace):
            st.rerun(scope="app")  # the number of trainers changed a lot
        # A run that ends in a tick shows its last frames over that tick; the whole page runs at the next.

    with picture:
        live()


class _Message(NamedTuple):
    """The frames a message brings the picture, the seconds spent training them and making them."""

    frames: list[dict]
    trained: float
    made: float


def _train_frames(state: AppState, pace: Pace, *, finish_if_cheap: bool) -> _Message:
    """A message's frames, each a slice of training further on (none when not training).

    With ``finish_if_cheap``, a run that looks cheap enough to end within FINISH_SECONDS of training in
    all (the thread's CPU time) is finished in this message, frame by frame (each as far on as it would
    be message by message).
    """
    model = state.model
    if model is None or not state.status.running:
        return _Message([], 0.0, 0.0)
    began, trained, cpu = time.perf_counter(), 0.0, 0.0

    def train_slice(seconds: float) -> bool:
        nonlocal trained, cpu
        started, cpu_started = time.perf_counter(), time.thread_time()
        controller.advance(model, state.status, model.settings.training.epochs, seconds, pace.frames_per_run)
        if not state.status.running:
            _record_if_finished(state, model)  # before any st call, where a new run may cut in
        trained += time.perf_counter() - started
        cpu += time.thread_time() - cpu_started
        return state.status.running

    first_epoch = model.epoch
    frames = frames_while_training(model, lambda: train_slice(pace.slice_seconds), FRAMES_PER_TICK)
    rest = state.status.target_epoch - model.epoch
    # In the thread's CPU time, as slices are: what other threads and processes take is not this run's.
    per_epoch = cpu / max(1, model.epoch - first_epoch)
    if finish_if_cheap and state.status.running and cpu + rest * per_epoch <= FINISH_SECONDS:
        per_frame = math.ceil(model.settings.training.epochs / pace.frames_per_run)

        def within_budget() -> bool:
            return train_slice(max(0.0, FINISH_SECONDS - cpu))

        frames += frames_while_training(model, within_budget, math.ceil(rest / per_frame))
    return _Message(frames, trained, time.perf_counter() - began)


def _fragments_this_run() -> int:
    """How many fragments this run reruns: 0 for a run of the whole page. With 2 (a slider moved on the
    Ask tab while this one ticks), this frame draws without training, so the answer comes sooner."""
    context = get_script_run_ctx()
    return len(context.fragment_ids_this_run or ()) if context is not None else 0


def _page_must_run(state: AppState, *, ticking: bool) -> bool:
    """True when only a run of the whole page shows what happened since it last ran.

    A training button was pressed (when the picture changes in the same instant, Streamlit runs the
    click as this fragment's rerun), the picture changed the network or the table, or the training
    ended while this fragment ticked (in a run that a newer one cut short before it could say so).
    """
    return state.requested is not None or state.page_outdated or (ticking and not state.status.running)


def _record_if_finished(state: AppState, model: ModelRun) -> None:
    """Keep a run that reached its target or diverged (not one the user paused) for comparison."""
    if model.trainer.stopped or model.epoch >= state.status.target_epoch:
        state.runs = record_run(state.runs, model, state.source)


def _new_point_target(model: ModelRun | None) -> str | None:
    """The target cell of points added by clicking the surface (None: the click's height, one input)."""
    if model is None:
        return None
    data = model.data
    if data.task == "regression":
        if len(data.feature_names) == 1:
            return None
        value = st.number_input(
            "Value of points added by clicking the surface", key=keys.NEW_POINT_VALUE, value=0.0
        )
        return number_text(value)
    labels = data.class_labels
    index = st.segmented_control(
        "Click the surface to add a point of class",
        range(len(labels)),
        format_func=lambda index: escape_markdown(labels[index]),
        key=keys.NEW_POINT_CLASS,
        default=0,
    )
    return None if index is None or index >= len(labels) else labels[index]
