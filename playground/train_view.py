"""Train / Pause / Step / Reset, and the live view that redraws while the network learns.

The buttons sit outside the ticking fragment so a click is never stuck behind a running frame; the
fragment trains a bounded time slice per tick and redraws only itself (see STREAMLIT_NOTES).
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np
import streamlit as st

from playground import controller
from playground.add_point import box_centre, table_with_point
from playground.charts import PointSet, neuron_layers_image
from playground.colors import activation_range, symmetric_range
from playground.fair_share import TrainingSessions, pace_for
from playground.live_charts import NEW_POINT, curve_chart, loss_chart, surface_chart
from playground.model import ModelRun
from playground.plane import Plane, make_plane
from playground.png import png_data_uri
from playground.runs import record_run
from playground.settings import Settings
from playground.state import AppState
from playground.table import PreparedData, number_text
from playground.text import escape_markdown

CHART_CONFIG = {"displaylogo": False}


def show_buttons(state: AppState, data: PreparedData | None, settings: Settings) -> None:
    """The four training buttons, drawn after a pressed one has acted, so they already show its effect.

    Train, Step and Reset only record the request in their callback; it is carried out here, on the
    table and settings of this run. A click that also ends an edit (the table cell loses focus) then
    trains on the edited table, not on the one the button was drawn with.
    """
    _carry_out(state, data, settings)
    columns = st.columns([1, 1, 1, 1, 3], vertical_alignment="center")
    disabled = data is None
    running = state.status.running
    columns[0].button(
        "Train", key="train", type="primary", icon=":material/play_arrow:", width="stretch",
        disabled=disabled or running, on_click=_request, args=(state, "train"),
    )  # fmt: skip
    columns[1].button(
        "Pause", key="pause", icon=":material/pause:", width="stretch",
        disabled=not running, on_click=controller.pause, args=(state.status,),
    )  # fmt: skip
    columns[2].button(
        "Step", key="step", icon=":material/skip_next:", width="stretch", disabled=disabled,
        on_click=_request, args=(state, "step"), help="Train exactly one epoch.",
    )  # fmt: skip
    columns[3].button(
        "Reset", key="reset", icon=":material/restart_alt:", width="stretch", disabled=disabled,
        on_click=_request, args=(state, "reset"), help="A new network from the seed.",
    )  # fmt: skip
    with columns[4]:
        _show_status_line(state, data, settings)


def _request(state: AppState, action: str) -> None:
    state.requested = action


def _carry_out(state: AppState, data: PreparedData | None, settings: Settings) -> None:
    """Train, Step or Reset on this run's table; nothing when the table has just become unusable."""
    action, state.requested = state.requested, None
    if action is None or data is None:
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
    elif state.status.running:
        st.caption("Training… the charts update as it learns.")


def show_live_view(
    state: AppState, axes: tuple[int, int], fixed_inputs: Callable[[ModelRun], np.ndarray]
) -> None:
    """Metrics, decision surface, loss curve and per-neuron maps; ticks only while training.

    The view's own widgets sit outside the ticking fragment (fewer elements to redraw per frame),
    drawn below the charts although they are read first.
    """
    charts = st.container()
    log_scale, new_point_target = _view_options(state.model)
    sessions = _training_sessions()
    running = state.status.running
    pace = pace_for(sessions.count(time.monotonic(), state.session_id if running else None))

    @st.fragment(run_every=pace.tick_seconds if running else None)
    def live() -> None:
        model = state.model
        was_running = state.status.running
        started = time.perf_counter()
        now_pace = pace
        if model is not None and was_running:
            now_pace = pace_for(sessions.count(time.monotonic(), state.session_id))
            controller.advance(model, state.status, model.settings.training.epochs, now_pace.slice_seconds)
        trained = time.perf_counter()
        if state.status.notice:
            st.error(escape_markdown(state.status.notice), icon=":material/warning:")
        if model is None:
            st.info("Fix the table to see the network.")
            return
        _draw(state, model, axes, fixed_inputs(model), (log_scale, new_point_target))
        state.status.frame_seconds = (trained - started, time.perf_counter() - trained)
        if was_running and not state.status.running:
            _record_if_finished(state, model)
            st.rerun(scope="app")
        if _far_apart(now_pace.tick_seconds, pace.tick_seconds):
            st.rerun(scope="app")  # the number of training sessions changed: take up the new pace

    with charts:
        live()


@st.cache_resource
def _training_sessions() -> TrainingSessions:
    """The server-wide record of who is training (one object for all sessions, by design)."""
    return TrainingSessions()


def _far_apart(tick: float, other: float) -> bool:
    return max(tick, other) > 1.5 * min(tick, other)


def _record_if_finished(state: AppState, model: ModelRun) -> None:
    """Keep a run that reached its target or diverged (not one the user paused) for comparison."""
    if model.trainer.stopped or model.epoch >= state.status.target_epoch:
        state.runs = record_run(state.runs, model, state.source)


def _view_options(model: ModelRun | None) -> tuple[bool, str | None]:
    """Log-scale loss, and the target cell of points added by dragging a box (None: the box's height)."""
    if model is None:
        return False, None
    data = model.data
    left, right = st.columns([3, 2], vertical_alignment="bottom")
    with left:
        if data.task == "regression":
            target = None
            if len(data.feature_names) > 1:
                value = st.number_input("Value of points added by dragging a box on the chart",
                                        key="new_point_value", value=0.0)  # fmt: skip
                target = number_text(value)
        else:
            labels = data.class_labels
            index = st.segmented_control(
                "Drag a small box on the chart to add a point of class", range(len(labels)),
                format_func=lambda index: escape_markdown(labels[index]), key="new_point_class", default=0,
            )  # fmt: skip
            target = None if index is None or index >= len(labels) else labels[index]
    log_scale = right.toggle("Log-scale loss", key="loss_log_scale")
    return log_scale, target


def _draw(state: AppState, model: ModelRun, axes: tuple[int, int], fixed: np.ndarray, options: tuple) -> None:
    log_scale, new_point_target = options
    _show_metrics(model)
    data = model.data
    plane = make_plane(data.X, axes[0], axes[1], fixed)
    forward = model.forward_raw(plane.inputs)
    surface_column, side_column = st.columns([3, 2])
    with surface_column:
        event = st.vega_lite_chart(
            spec=_surface_spec(model, axes, plane, forward.output), width="content",
            key="surface", on_select="rerun", selection_mode=NEW_POINT,
        )  # fmt: skip
        _add_point(state, model, axes, fixed, event.selection.get(NEW_POINT), new_point_target)
    with side_column:
        history = model.history
        st.vega_lite_chart(spec=loss_chart(history.train_loss, history.test_loss, log_scale), width="stretch")
        _show_neuron_maps(model, forward.activations[:-1], plane)


def _add_point(
    state: AppState,
    model: ModelRun,
    axes: tuple[int, int],
    fixed: np.ndarray,
    selection: object,
    target: str | None,
) -> None:
    """A box dragged on the chart: its centre becomes a new table row with the chosen target."""
    centre = box_centre(selection)
    if centre is None or centre == state.last_added_box:
        return
    state.last_added_box = centre
    x, y = centre
    one_input = len(model.data.feature_names) == 1
    if one_input:  # on the curve chart the box's height is the target
        target = number_text(y) if target is None else target
        y = x
    if target is None:
        return
    point_axes = (axes[0], axes[0]) if one_input else axes
    state.add_rows(table_with_point(state.current_table(), model.data, point_axes, (x, y), fixed, target))
    st.rerun(scope="app")


def _surface_spec(model: ModelRun, axes: tuple[int, int], plane: Plane, output: np.ndarray) -> dict:
    """The prediction surface over two inputs, or the prediction curve when there is only one."""
    data = model.data
    points = _points(model, axes)
    if len(data.feature_names) == 1:
        return curve_chart(
            plane.xs, output[: len(plane.xs), 0], points, data.feature_names[0], data.target_name
        )
    values = plane.reshape(_surface_values(model, output))
    x_title, y_title = data.feature_names[axes[0]], data.feature_names[axes[1]]
    return surface_chart(plane.xs, plane.ys, values, data.task, points, x_title, y_title, _class_names(data))


def _show_metrics(model: ModelRun) -> None:
    history = model.history
    columns = st.columns(4)
    columns[0].metric("Epoch", f"{model.epoch:,}")
    columns[1].metric("Train loss", _last(history.train_loss))
    columns[2].metric("Test loss", _last(history.test_loss))
    accuracy = history.test_accuracy or history.train_accuracy
    label = "Test accuracy" if history.test_accuracy else "Train accuracy"
    columns[3].metric(label, f"{accuracy[-1]:.0%}" if accuracy else "–")


def _last(values: list[float]) -> str:
    return f"{values[-1]:.4f}" if values else "–"


def _surface_values(model: ModelRun, output: np.ndarray) -> np.ndarray:
    """Probability of class 1, predicted class index, or predicted value: one number per grid point."""
    if model.data.task == "multiclass":
        return output.argmax(axis=1).astype(float)
    return output[:, 0]


def _points(model: ModelRun, axes: tuple[int, int]) -> PointSet:
    data = model.data
    is_test = np.zeros(len(data.X), dtype=bool)
    is_test[model.test_rows] = True
    return PointSet(data.X[:, axes[0]], data.X[:, axes[1]], data.y, is_test, data.row_labels)


def _class_names(data: PreparedData) -> list[str]:
    return [f"{data.target_name} = {label}" for label in data.class_labels]


def _show_neuron_maps(model: ModelRun, hidden: list[np.ndarray], plane: Plane) -> None:
    """Every hidden neuron's activation over the same plane: one row of small maps per layer."""
    if not hidden:
        st.caption("No hidden layers: the output is a single weighted sum of the inputs.")
        return
    fixed_range = activation_range(model.network.hidden_activation)
    layers, ranges = [], []
    for values in hidden:
        layers.append([plane.reshape(values[:, neuron]) for neuron in range(values.shape[1])])
        ranges.append(fixed_range or symmetric_range(values))
    image = png_data_uri(neuron_layers_image(layers, ranges, tile=56, gap=6))
    st.html(
        f'<img src="{image}" alt="Hidden neurons" style="max-width:100%;image-rendering:pixelated">'
        '<div style="font-size:0.9rem;color:#555">Hidden neurons, one row per layer: '
        "blue where a neuron fires high, orange where low.</div>"
    )
