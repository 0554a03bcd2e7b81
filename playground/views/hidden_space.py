"""The hidden layer's space, shown: the rows where a hidden layer puts them, the input grid bent along,
and the straight line the output draws there; it follows the network while it trains."""

from __future__ import annotations

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from playground.backprop import neuron_names
from playground.hidden_space import hidden_space, hidden_space_chart
from playground.model import ModelRun
from playground.presets import TUTORIAL_QUESTIONS
from playground.session import Session
from playground.text import escape_markdown
from playground.views import adapter, keys

REDRAW_SECONDS = 0.3  # while training: the points move with the network (as often as the Ask tab's)


def show_hidden_space(session: Session) -> None:
    """The explanation, the layer and neuron choosers, and the chart; while the network trains, the
    chart is redrawn every REDRAW_SECONDS, so the points move as it learns."""

    @st.fragment(run_every=REDRAW_SECONDS if session.run.running else None)
    def draw() -> None:
        now = adapter.session()
        model = now.model
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
            layer, neurons = _choose_plane(now, model, hidden_sizes)
            if neurons is None:
                st.info(
                    f"Hidden layer {layer + 1} has one neuron: its space is a line, not a plane. Give it "
                    "a second neuron to see it."
                )
                return
        _show_space(now, model, layer, neurons, text, chart)

    draw()


def _choose_plane(
    session: Session, model: ModelRun, hidden_sizes: tuple[int, ...]
) -> tuple[int, tuple[int, int] | None]:
    """Which hidden layer and which two of its neurons span the plane; choosers only for a real choice."""
    view = session.view
    last = len(hidden_sizes) - 1
    layer = view.hidden_space_layer if view.hidden_space_layer in range(len(hidden_sizes)) else last
    if len(hidden_sizes) > 1:
        st.selectbox(
            "Hidden layer",
            range(len(hidden_sizes)),
            format_func=lambda index: f"Layer {index + 1}",
            **adapter.bound(
                keys.HIDDEN_SPACE_LAYER, layer, Session.set_view, "hidden_space_layer", local=True
            ),
        )
    size = hidden_sizes[layer]
    if size == 1:
        return layer, None
    if size == 2:
        return layer, (0, 1)
    names = neuron_names(model.network.layer_sizes)[layer]
    chosen = [
        index if index in range(size) else default
        for index, default in zip(view.hidden_space_neurons.get(layer, (0, 1)), (0, 1), strict=True)
    ]
    for column, axis, label in zip(
        st.columns(2), ("x", "y"), ("Horizontal neuron", "Vertical neuron"), strict=True
    ):
        column.selectbox(
            label,
            range(size),
            format_func=names.__getitem__,
            **adapter.bound(
                keys.neuron_key(axis, layer),
                chosen[axis == "y"],
                _choose_neuron,
                layer,
                axis == "y",
                local=True,
            ),
        )
    return layer, (chosen[0], chosen[1])


def _choose_neuron(session: Session, layer: int, vertical: bool, neuron: int) -> None:
    session.view.choose_hidden_neuron(layer, vertical, neuron)


def _show_space(
    session: Session,
    model: ModelRun,
    layer: int,
    neurons: tuple[int, int],
    text: DeltaGenerator,
    chart: DeltaGenerator,
) -> None:
    """The words beside the chart (the line's equation, or why there is none) and the chart."""
    axes = session.picture_axes()
    questions = TUTORIAL_QUESTIONS if session.is_tutorial() else None
    space = hidden_space(model, layer, neurons, axes, session.slider_values(), questions)
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
