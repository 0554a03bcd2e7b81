"""Train / Pause / Step / Reset, and the live view that redraws while the network learns.

The buttons sit outside the ticking fragment so a click is never stuck behind a running frame; the
fragment trains a bounded time slice per tick and redraws only itself.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import NamedTuple

import numpy as np
import streamlit as st
from streamlit.delta_generator import DeltaGenerator
from streamlit.runtime.scriptrunner import get_script_run_ctx

from playground import controller
from playground.fair_share import FRAMES_PER_TICK, Pace, needs_new_tick, pace_for
from playground.model import ModelRun
from playground.runs import record_run
from playground.settings import Settings
from playground.table import PreparedData, number_text
from playground.text import escape_markdown
from playground.views import keys
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


def show_buttons(state: AppState, data: PreparedData | None, settings: Settings) -> DeltaGenerator:
    """The four training buttons, drawn after a pressed one has acted, so they already show its effect;
    returns the rest of their row (where the status goes, and workshop mode's data set menu).

    The buttons only record the request in their callback; it is carried out here, on the table and
    settings of this run. A click that also ends an edit (the table cell loses focus) then trains on the
    edited table, not on the one the button was drawn with.
    """
    _carry_out(state, data, settings)
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


def _carry_out(state: AppState, data: PreparedData | None, settings: Settings) -> None:
    """Pause; Train, Step or Reset on this run's table (nothing when it has just become unusable)."""
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


def _show_status_line(state: AppState, data: PreparedData | None, settings: Settings) -> None:
    if data is None:
        st.caption("Fix the table to train.")
    elif controller.is_stale(state.model, data, settings):
        st.warning(controller.STALE_MESSAGE, icon=":material/update:")


def show_live_view(
    state: AppState, axes: tuple[int, int], fixed_inputs: Callable[[ModelRun], np.ndarray]
) -> None:
    """The network picture (figures, maps, surface, loss curve); ticks only while training.

    The view's own widget (the class of points added by clicking) sits outside the ticking fragment,
    drawn below the picture although it is read first.
    """
    picture = st.container()
    new_point_target = _new_point_target(state.model)
    sessions = training_sessions()
    running = state.status.running
    pace = pace_for(sessions.count(time.monotonic(), state.session_id if running else None))

    state.page_outdated = False  # this run of the whole page shows every change

    @st.fragment(run_every=pace.tick_seconds if running else None)
    def live() -> None:
        with server_turn(urgent=_fragments_this_run() != 1 or not running):  # a live frame can wait
            _live()

    def _live() -> None:
        fragments = _fragments_this_run()
        if _page_must_run(state, ticking=running) or (fragments == 1 and _unanswered(state, fixed_inputs)):
            st.rerun(scope="app")
        model = state.model
        started = time.perf_counter()
        now_pace, frames, trained = pace, None, 0.0
        if model is not None and state.status.running and fragments < 2:
            now_pace = pace_for(sessions.count(time.monotonic(), state.session_id))
            frames, trained = _train_frames(state, model, now_pace)
        if state.status.notice:
            st.error(escape_markdown(state.status.notice), icon=":material/warning:")
        if model is None:
            st.info("Fix the table to see the network.")
            return
        show_network_picture(
            state, model, axes, fixed_inputs(model), new_point_target, frames, now_pace.tick_seconds
        )
        state.status.last_tick_work = (trained, time.perf_counter() - started - trained)
        ended_in_page_run = fragments == 0 and running and not state.status.running
        if ended_in_page_run or needs_new_tick(pace, now_pace):
            st.rerun(scope="app")  # the run is over, or the number of trainers changed a lot
        # A run that ends in a tick shows its last frames over that tick; the whole page runs at the next.

    with picture:
        live()


def _train_frames(state: AppState, model: ModelRun, pace: Pace) -> tuple[list[dict], float]:
    """This tick's frames, each a slice of training further on, and the seconds spent training."""
    trained = 0.0

    def train_slice() -> bool:
        nonlocal trained
        started = time.perf_counter()
        controller.advance(
            model, state.status, model.settings.training.epochs, pace.slice_seconds, pace.frames_per_run
        )
        if not state.status.running:
            _record_if_finished(state, model)  # before any st call, where a new run may cut in
        trained += time.perf_counter() - started
        return state.status.running

    frames = frames_while_training(model, train_slice, FRAMES_PER_TICK)
    return frames, trained


def _fragments_this_run() -> int:
    """How many fragments this run reruns: 0 for a run of the whole page. With 2 (a slider moved on the
    Ask tab while this one ticks), this frame draws without training, so the answer comes sooner."""
    context = get_script_run_ctx()
    return len(context.fragment_ids_this_run or ()) if context is not None else 0


def _unanswered(state: AppState, fixed_inputs: Callable[[ModelRun], np.ndarray]) -> bool:
    """True when the Ask tab's sliders hold values it has not answered for. A slider moved in the same
    instant as this fragment's tick can be sent as this fragment's rerun alone (as a click can)."""
    model = state.model
    answered = state.answered_inputs
    return model is not None and answered is not None and tuple(fixed_inputs(model)) != answered


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
