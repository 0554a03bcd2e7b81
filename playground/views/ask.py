"""Asking the trained network: a slider per input, its prediction and neuron values, every row's answer.

Sliders work in the table's own units; standardisation happens inside the model run. Moving a slider
reruns only this fragment and never retrains.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import streamlit as st

from playground.backprop import neuron_names
from playground.fair_share import Priority
from playground.model import ModelRun
from playground.plane import axis_range
from playground.presets import TUTORIAL, TUTORIAL_QUESTIONS
from playground.table import PreparedData, unique_column_names
from playground.text import escape_markdown
from playground.views import keys
from playground.views.server_share import server_turn
from playground.views.state import AppState

SLIDER_FORMAT = "%.2f"  # how Streamlit's slider shows a float value unless told otherwise
ASK_AGAIN_SECONDS = 0.3  # while training: the answer follows the network, and a lost one comes back


def fixed_inputs(state: AppState, model: ModelRun) -> np.ndarray:
    """The slider values (raw units) for every input, clamped into the current data's ranges."""
    data = model.data
    values = []
    for index in range(len(data.feature_names)):
        low, high = axis_range(data.X[:, index])
        default = _default_value(state, data, index)
        value = st.session_state.get(keys.slider_key(state.table_version, index), default)
        values.append(min(max(float(value), low), high))
    return np.array(values)


def sliders_unanswered(state: AppState) -> bool:
    """True when the sliders hold values the Ask tab has not answered for yet."""
    model, answered = state.model, state.answered_inputs
    return model is not None and answered is not None and tuple(fixed_inputs(state, model)) != answered


def _default_value(state: AppState, data: PreparedData, index: int) -> float:
    if state.source == TUTORIAL and len(data.feature_names) == 2:
        return TUTORIAL_QUESTIONS["Emily"][index]
    return float(np.median(data.X[:, index]))


def show_axes_picker(data: PreparedData) -> tuple[int, int]:
    """Which two inputs span the pictures; with one input both axes are that input."""
    names = list(data.feature_names)
    if len(names) <= 2:
        return 0, len(names) - 1
    left, right = st.columns(2)
    x_name = left.selectbox("Horizontal axis", names, index=0, key=keys.AXIS_X)
    y_name = right.selectbox("Vertical axis", names, index=1, key=keys.AXIS_Y)
    return names.index(x_name), names.index(y_name)


def show_ask(state: AppState, *, in_view: bool) -> None:
    """Sliders, the prediction for them, and every neuron's value at that input; while the network
    trains and the tab is ``in_view``, the answer is asked again every ASK_AGAIN_SECONDS, so it follows
    the training (a hidden tab does not tick: with a room training, those ticks filled the server)."""

    @st.fragment(run_every=ASK_AGAIN_SECONDS if state.status.running and in_view else None)
    def ask() -> None:
        moved = not state.status.running or sliders_unanswered(state)  # else this run follows the training
        with server_turn(Priority.ANSWER if moved else Priority.FRAME):
            _ask(state)

    ask()


def _ask(state: AppState) -> None:
    """The answer for the sliders' values, and the sliders themselves."""
    model = state.model
    if model is None:
        st.info("Fix the table to ask the network.")
        return
    for index, value in enumerate(fixed_inputs(state, model)):
        key = keys.slider_key(state.table_version, index)
        if st.session_state.get(key) != value:  # a default, or a value clamped into the data's range
            st.session_state[key] = value
    controls, result = st.columns([2, 3])
    with controls:
        _show_sliders(state, model)
        if state.source == TUTORIAL and len(model.data.feature_names) == 2:
            _show_tutorial_questions(state, model)
    with result:
        inputs = fixed_inputs(state, model)
        state.answered_inputs = tuple(inputs)
        forward = model.forward_raw(inputs[np.newaxis, :])
        st.markdown(prediction_text(model.data, forward.output[0]))
        neurons = neuron_values_text(model.network.layer_sizes, [a[0] for a in forward.activations])
        st.caption(f"At {_inputs_text(model, inputs)}: {neurons}")


def _show_sliders(state: AppState, model: ModelRun) -> None:
    for index, name in enumerate(model.data.feature_names):
        low, high = axis_range(model.data.X[:, index])
        step, shown = _nice_step(low, high), _number_format(low, high)
        st.slider(
            escape_markdown(name),
            low,
            high,
            step=step,
            format=shown,
            key=keys.slider_key(state.table_version, index),
        )


def _show_tutorial_questions(state: AppState, model: ModelRun) -> None:
    """A button per person of the tutorial, and the network's verdict on each: a Markdown table (its
    text is the app's own), which costs a rerun far less than a data frame."""
    lines = ["| Person | Inputs | P(female) | Verdict |", "|---|---|---:|---|"]
    for name, features in TUTORIAL_QUESTIONS.items():
        probability = float(model.predict_raw(np.array([features]))[0, 0])
        verdict = "female" if probability > 0.5 else "male"
        lines.append(f"| {name} | {features[0]:g}, {features[1]:g} | {probability:.3f} | {verdict} |")
        label = f"Ask about {name} {features}"
        st.button(
            label, key=keys.example_key(name), on_click=_set_sliders, args=(state, features), width="stretch"
        )
    st.markdown("\n".join(lines))


def _set_sliders(state: AppState, features: tuple[float, ...]) -> None:
    for index, value in enumerate(features):
        st.session_state[keys.slider_key(state.table_version, index)] = value


def _inputs_text(model: ModelRun, inputs: np.ndarray) -> str:
    """The inputs asked about, as their sliders show them: "Weight - 135 = -7.00, Height - 66 = -3.00"."""
    shown = []
    for index, (name, value) in enumerate(zip(model.data.feature_names, inputs, strict=True)):
        low, high = axis_range(model.data.X[:, index])
        shown.append(f"{escape_markdown(name)} = {(_number_format(low, high) or SLIDER_FORMAT) % value}")
    return ", ".join(shown)


def _number_format(low: float, high: float) -> str | None:
    """Scientific notation for inputs too small or too large for two decimals; else Streamlit's own."""
    largest = max(abs(low), abs(high))
    return "%.3e" if largest >= 1e6 or (high - low) < 0.01 else None


def _nice_step(low: float, high: float) -> float:
    """A round step giving a few hundred positions across the range."""
    raw = (high - low) / 200
    return float(10 ** np.floor(np.log10(raw))) if raw > 0 else 0.01


def prediction_text(data: PreparedData, output: np.ndarray) -> str:
    """The network's answer in words (Markdown, names escaped): probability and class, or the value."""
    target = escape_markdown(data.target_name)
    labels = [escape_markdown(label) for label in data.class_labels]
    if data.task == "regression":
        return f"### Predicted {target}: {output[0]:.4g}"
    if data.task == "binary":
        probability = float(output[0])
        chosen = labels[int(probability > 0.5)]
        return f"### P({target} = {labels[1]}) = {probability:.3f}\nPredicted class: **{chosen}**"
    best = int(np.argmax(output))
    shares = ", ".join(f"{label}: {p:.2f}" for label, p in zip(labels, output, strict=True))
    return f"### Predicted {target}: {labels[best]}\nProbabilities — {shares}"


def neuron_values_text(layer_sizes: Sequence[int], values: Sequence[np.ndarray]) -> str:
    """Every neuron's value at one input, layer by layer: "h1 = 0.971, h2 = 0.014 · o1 = 0.966"."""
    names = neuron_names(layer_sizes)
    return " · ".join(
        ", ".join(f"{name} = {value:.3f}" for name, value in zip(layer_names, layer_values, strict=True))
        for layer_names, layer_values in zip(names, values, strict=True)
    )


def predictions_table(model: ModelRun) -> pd.DataFrame:
    """Every row of the data with its target, the network's prediction, and whether it is right.

    "Confidence" is the probability the network gives the class it predicts. An input column whose
    name is also one of this table's own headings ("Target", "Set", …) is numbered, never overwritten.
    """
    data = model.data
    output = model.predict_raw(data.X)
    is_test = model.is_test
    columns: list[tuple[str, object]] = [("Row", list(data.row_labels))]
    columns += [(name, data.X[:, index]) for index, name in enumerate(data.feature_names)]
    if data.task == "regression":
        columns += [("Target", data.y), ("Prediction", output[:, 0]), ("Error", output[:, 0] - data.y)]
    else:
        probabilities = np.column_stack([1 - output[:, 0], output[:, 0]]) if data.task == "binary" else output
        predicted = probabilities.argmax(axis=1)
        classes = np.array(data.class_labels, dtype=object)
        columns += [
            ("Target", classes[data.y.astype(int)]),
            ("Predicted", classes[predicted]),
            ("Confidence", probabilities.max(axis=1)),
            ("Right?", np.where(predicted == data.y.astype(int), "✓", "✗")),
        ]
    columns.append(("Set", np.where(is_test, "test", "train")))
    inputs = range(1, 1 + len(data.feature_names))
    names = _headings(columns, inputs)
    return pd.DataFrame({name: values for name, (_, values) in zip(names, columns, strict=True)})


def _headings(columns: list[tuple[str, object]], inputs: range) -> list[str]:
    """Distinct headings: the table's own take their names first; an input named like one is numbered."""
    order = sorted(range(len(columns)), key=lambda position: position in inputs)
    unique = unique_column_names([columns[position][0] for position in order])
    names = dict(zip(order, unique, strict=True))
    return [names[position] for position in range(len(columns))]


def show_predictions(model: ModelRun | None) -> None:
    if model is None:
        return
    st.dataframe(predictions_table(model), hide_index=True, width="stretch")
