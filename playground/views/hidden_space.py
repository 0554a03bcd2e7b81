"""The hidden layer's space, shown: the rows where a hidden layer puts them, the input grid bent along,
and the straight line the output draws there; it follows the network while it trains."""

from __future__ import annotations

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from playground.backprop import neuron_names
from playground.hidden_space import hidden_space, hidden_space_chart
from playground.model import ModelRun
from playground.presets import TUTORIAL, TUTORIAL_QUESTIONS
from playground.text import escape_markdown
from playground.views import keys
from playground.views.ask import fixed_inputs
from playground.views.state import AppState

REDRAW_SECONDS = 0.3  # while training: the points move with the network (as often as the Ask tab's)
PICTURE_AXES_KEYS = (keys.AXIS_X, keys.AXIS_Y)  # the inputs the network picture spans


def show_hidden_space(state: AppState) -> None:
    """The explanation, the layer and neuron choosers, and the chart; while the network trains, the
    chart is redrawn every REDRAW_SECONDS, so the points move as it learns."""

    @st.fragment(run_every=REDRAW_SECONDS if state.status.running else None)
    def draw() -> None:
        model = state.model
        if model is None:
            st.info("Fix the table to see the hidden layer's space.")
            return
        hidden_sizes = model.network.layer_sizes[1:-1]
        if not hidden_sizes:
            st.info(
                "This network has no hidden layer, so there is no space to show: add a hidden layer "
                "(the + on the network picture, or in the sidebar) to let the output draw curved boundaries."
            )
            return
        text, chart = st.columns([2, 3])
        with text:
            layer, neurons = _choose_plane(model, hidden_sizes)
            if neurons is None:
                st.info(
                    f"Hidden layer {layer + 1} has one neuron: its space is a line, not a plane. Give it "
                    "a second neuron to see it."
                )
                return
        _show_space(state, model, layer, neurons, text, chart)

    draw()


def _choose_plane(model: ModelRun, hidden_sizes: tuple[int, ...]) -> tuple[int, tuple[int, int] | None]:
    """Which hidden layer and which two of its neurons span the plane; choosers only for a real choice."""
    layer = 0
    if len(hidden_sizes) > 1:
        layers = range(len(hidden_sizes))
        _keep_valid(keys.HIDDEN_SPACE_LAYER, layers, len(hidden_sizes) - 1)
        layer = st.selectbox(
            "Hidden layer",
            layers,
            format_func=lambda index: f"Layer {index + 1}",
            key=keys.HIDDEN_SPACE_LAYER,
        )
    size = hidden_sizes[layer]
    if size == 1:
        return layer, None
    if size == 2:
        return layer, (0, 1)
    names = neuron_names(model.network.layer_sizes)[layer]
    neurons = range(size)
    columns = st.columns(2)
    chosen = []
    for column, axis, label, default in zip(
        columns, ("x", "y"), ("Horizontal neuron", "Vertical neuron"), (0, 1), strict=True
    ):
        key = keys.neuron_key(axis, layer)
        _keep_valid(key, neurons, default)
        chosen.append(column.selectbox(label, neurons, format_func=names.__getitem__, key=key))
    return layer, (chosen[0], chosen[1])


def _keep_valid(key: str, options: range, default: int) -> None:
    """A chooser's remembered value, put back to ``default`` when the network no longer has it."""
    if st.session_state.get(key) not in options:
        st.session_state[key] = default


def _show_space(
    state: AppState,
    model: ModelRun,
    layer: int,
    neurons: tuple[int, int],
    text: DeltaGenerator,
    chart: DeltaGenerator,
) -> None:
    """The words beside the chart (the line's equation, or why there is none) and the chart."""
    axes = _picture_axes(model)
    questions = TUTORIAL_QUESTIONS if _is_tutorial(state, model) else None
    space = hidden_space(model, layer, neurons, axes, fixed_inputs(state, model), questions)
    a, b = space.names
    with text:
        st.markdown(
            f"The hidden layer **moves every point**: each row sits here at its neurons' values "
            f"({a}, {b}) instead of at its inputs, and the grey grid is the inputs' grid, carried along "
            "and bent. In the hidden layer's space the output neuron can only cut **straight** (a line; "
            "with more neurons, a flat plane). Carried back to the inputs, that straight cut is the "
            "curved boundary of the decision surface above."
        )
        if space.equation is not None:
            st.markdown(f"Decision line (output = 0.5): **{space.equation}**")
        if space.note is not None:
            st.caption(space.note)
        st.caption(_grid_caption(model, axes, questions is not None))
    chart.vega_lite_chart(spec=hidden_space_chart(space), width="stretch")


def _picture_axes(model: ModelRun) -> tuple[int, int]:
    """The two inputs the network picture spans; the grid is drawn over the same plane."""
    names = list(model.data.feature_names)
    if len(names) <= 2:
        return 0, len(names) - 1
    chosen = [st.session_state.get(key) for key in PICTURE_AXES_KEYS]
    x, y = (
        names.index(name) if name in names else default for name, default in zip(chosen, (0, 1), strict=True)
    )
    return x, y


def _is_tutorial(state: AppState, model: ModelRun) -> bool:
    return state.source == TUTORIAL and len(model.data.feature_names) == 2


def _grid_caption(model: ModelRun, axes: tuple[int, int], asked: bool) -> str:
    """What the grid is (and the squares), in words; names escaped."""
    names = [escape_markdown(name) for name in model.data.feature_names]
    if axes[0] == axes[1]:
        grid = f"The grey curve is the line of {names[axes[0]]} values, carried into this space."
    else:
        grid = f"The grey grid: lines of constant {names[axes[0]]} and of constant {names[axes[1]]}."
    if len(names) > 2:
        grid += " The other inputs are held at the Ask tab's slider values."
    if asked:
        grid += " Open squares: the tutorial's questions, Emily and Frank."
    return grid
