"""Asking the trained network: a slider per input, its prediction and every neuron's value, every row's
answer.

Sliders work in the table's own units; standardisation happens inside the model run. Moving a slider
reruns only this tab's fragment and never retrains; while the network trains and the tab is open, the
answer is asked again every ASK_AGAIN_SECONDS, so it follows the training.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from playground.answers import (
    inputs_text,
    neuron_values_text,
    nice_step,
    number_format,
    prediction_text,
    predictions_table,
)
from playground.fair_share import Priority
from playground.plane import axis_range
from playground.presets import TUTORIAL_QUESTIONS
from playground.session import Session
from playground.text import escape_markdown
from playground.views import adapter, keys
from playground.views.server_share import server_turn

ASK_AGAIN_SECONDS = 0.3  # while training: the answer follows the network, and a lost one comes back


def show_axes_picker(session: Session) -> None:
    """Which two inputs span the pictures (only offered with more than two inputs)."""
    model = session.model
    names = list(model.data.feature_names) if model is not None else []
    if len(names) <= 2:
        return
    x, y = session.picture_axes()
    left, right = st.columns(2)
    left.selectbox("Horizontal axis", names, **adapter.bound(keys.AXIS_X, names[x], _choose_axis, 0))
    right.selectbox("Vertical axis", names, **adapter.bound(keys.AXIS_Y, names[y], _choose_axis, 1))


def _choose_axis(session: Session, which: int, name: str) -> None:
    names = list(session.model.data.feature_names) if session.model is not None else []
    chosen = [names[index] for index in session.picture_axes()]
    chosen[which] = name
    session.choose_axes(*chosen)


def show_ask_tab(session: Session) -> None:
    """Sliders, the prediction for them, and every neuron's value at that input."""
    held = _held_inputs(session)  # what the network picture shows held (more than two inputs)

    @st.fragment(run_every=ASK_AGAIN_SECONDS if session.run.running else None)
    def ask() -> None:
        now = adapter.session()
        moved = not now.run.running or tuple(now.slider_values()) != now.ask.answered
        with server_turn(Priority.ANSWER if moved else Priority.FRAME, now.session_id):
            if _held_inputs(now) != held:
                st.rerun(scope="app")  # the picture holds the other inputs at the sliders' values
            _ask(now)

    ask()


def _held_inputs(session: Session) -> tuple[float, ...]:
    axes = session.picture_axes()
    return tuple(value for index, value in enumerate(session.slider_values()) if index not in axes)


def _ask(session: Session) -> None:
    """The answer for the sliders' values, and the sliders themselves."""
    model = session.model
    if model is None:
        st.info("Fix the table to ask the network.")
        return
    inputs = session.slider_values()
    controls, result = st.columns([2, 3])
    with controls:
        for index, name in enumerate(model.data.feature_names):
            low, high = axis_range(model.data.X[:, index])
            st.slider(
                escape_markdown(name),
                low,
                high,
                step=nice_step(low, high),
                format=number_format(low, high),
                **adapter.bound(
                    keys.slider_key(session.table_version, index),
                    float(inputs[index]),
                    Session.move_slider,
                    index,
                    local=True,
                ),
            )
        if session.is_tutorial():
            _show_tutorial_questions(session)
    with result:
        session.ask.answered = tuple(inputs)
        forward = model.forward_raw(inputs[np.newaxis, :])
        st.markdown(prediction_text(model.data, forward.output[0]))
        neurons = neuron_values_text(model.network.layer_sizes, [a[0] for a in forward.activations])
        st.caption(f"At {inputs_text(model.data, inputs)}: {neurons}")


def _show_tutorial_questions(session: Session) -> None:
    """A button per person of the tutorial, and the network's verdict on each: a Markdown table (its
    text is the app's own), which costs a rerun far less than a data frame."""
    model = session.model
    lines = ["| Person | Inputs | P(female) | Verdict |", "|---|---|---:|---|"]
    for name, features in TUTORIAL_QUESTIONS.items():
        probability = float(model.predict_raw(np.array([features]))[0, 0])
        verdict = "female" if probability > 0.5 else "male"
        lines.append(f"| {name} | {features[0]:g}, {features[1]:g} | {probability:.3f} | {verdict} |")
        st.button(
            f"Ask about {name} {features}",
            width="stretch",
            **adapter.clicked(keys.example_key(name), Session.ask_about, features),
        )
    st.markdown("\n".join(lines))


def show_predictions_tab(session: Session) -> None:
    if session.model is not None:
        st.dataframe(predictions_table(session.model), hide_index=True, width="stretch")
