"""The sidebar's network, training and data settings: widgets drawn from the settings schema, a
``Settings`` object out.

Each setting's widget comes from its kind in ``playground.settings`` and is keyed by
``keys.setting_key``; ``seed_widget_defaults`` seeds the widgets once and ``apply_settings`` rewrites
them when a data set, file or link brings settings of its own.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import Any

import streamlit as st

from nn_core.features import offered_features
from playground.settings import (
    LEARNING_RATE_CHOICES,
    LOSSES_FOR_OUTPUT,
    MAX_HIDDEN_LAYERS,
    OUTPUTS_FOR_TASK,
    DataSettings,
    NetworkSettings,
    Setting,
    Settings,
    SettingsGroup,
    TrainingSettings,
    settings_of,
)
from playground.views import keys

LABELS = {
    "sigmoid": "Sigmoid",
    "tanh": "Tanh",
    "relu": "ReLU",
    "leaky_relu": "Leaky ReLU",
    "linear": "Linear",
    "softmax": "Softmax",
    "mse": "Mean squared error",
    "binary_cross_entropy": "Binary cross-entropy",
    "cross_entropy": "Cross-entropy",
    "sgd": "SGD",
    "momentum": "Momentum",
    "adam": "Adam",
    "normal": "Normal N(0, 1)",
    "xavier": "Xavier",
    "he": "He",
    "none": "None",
    "l1": "L1",
    "l2": "L2",
}
NEW_LAYER_NEURONS = 4


def seed_widget_defaults(settings: Settings) -> None:
    """Give every settings widget its starting value, once per session."""
    for key, value in _widget_values(settings).items():
        st.session_state.setdefault(key, value)


def apply_settings(settings: Settings) -> None:
    """Make the widgets show ``settings`` (call before they are drawn, e.g. from a callback)."""
    st.session_state.update(_widget_values(settings))


def apply_architecture(hidden_layers: tuple[int, ...], hidden_activation: str) -> None:
    """Make the network widgets show these hidden layers and activation, the rest as they are."""
    chosen = {"hidden_layers": hidden_layers, "hidden_activation": hidden_activation}
    for name, value in chosen.items():
        st.session_state.update(_shown_as(name, settings_of(NetworkSettings)[name], value))


def show_network_controls(task: str) -> NetworkSettings:
    """Hidden layers and their sizes, activations, initialiser and seed."""
    st.subheader("Network")
    return NetworkSettings(
        **_show_group(NetworkSettings, {"output_activation": {"choices": OUTPUTS_FOR_TASK[task]}})
    )


def show_training_controls(output_activation: str, n_train_rows: int) -> TrainingSettings:
    """Loss, optimizer, learning rate, epochs, batching and regularisation."""
    st.subheader("Training")
    largest_batch = max(1, n_train_rows)
    narrowed = {
        "loss": {"choices": LOSSES_FOR_OUTPUT[output_activation]},
        "batch_size": {
            "high": largest_batch,
            "help": f"1 updates after every row, as in the tutorial; {largest_batch} is the full batch.",
        },
    }
    return TrainingSettings(**_show_group(TrainingSettings, narrowed))


def show_data_controls(column_names: Sequence[str]) -> DataSettings:
    """Standardisation, derived inputs of the chosen columns and the train/test split. With no valid
    table (no columns) the derived inputs chosen are kept and shown as they are, greyed."""
    offered = {feature.code: feature.name(column_names) for feature in offered_features(len(column_names))}
    if not column_names:
        offered = {code: code for code in st.session_state.get(keys.setting_key("features"), [])}
    narrowed = {"features": {"choices": tuple(offered), "labels": offered}}
    return DataSettings(**_show_group(DataSettings, narrowed, idle=set() if column_names else {"features"}))


def _show_group(
    group: type[SettingsGroup], narrowed: Mapping[str, Mapping[str, Any]], idle: set[str] | None = None
) -> dict[str, Any]:
    """Draw a group's widgets in the schema's order; returns the chosen value of each setting.

    ``narrowed`` replaces parts of a setting for this table (fewer choices, a lower limit); a setting
    named in ``idle``, or one whose ``matters_when`` holds, is greyed (or left out, with its default).
    """
    chosen: dict[str, Any] = {}
    for name, spec in settings_of(group).items():
        spec = replace(spec, **narrowed.get(name, {}))
        is_idle = name in (idle or set()) or (
            spec.matters_when is not None and chosen[spec.matters_when[0]] == spec.matters_when[1]
        )
        if is_idle and spec.hide_idle:
            chosen[name] = getattr(group(), name)
            continue
        chosen[name] = _WIDGETS[spec.kind](keys.setting_key(name), spec, is_idle)
    return chosen


def _choice(key: str, spec: Setting, idle: bool) -> str:
    """A selectbox with readable labels; a value the choices no longer hold falls back to the first."""
    if st.session_state.get(key) not in spec.choices:
        st.session_state[key] = spec.choices[0]
    return st.selectbox(spec.label, spec.choices, format_func=_label, key=key, help=spec.help, disabled=idle)


def _whole(key: str, spec: Setting, idle: bool) -> int:
    low, high = int(spec.low), int(spec.high)
    st.session_state[key] = min(max(st.session_state.get(key, low), low), high)
    value = st.number_input(
        spec.label, low, high, step=int(spec.step or 1), key=key, help=spec.help, disabled=idle
    )
    return int(value)


def _number(key: str, spec: Setting, idle: bool) -> float:
    value = st.number_input(
        spec.label,
        float(spec.low),
        float(spec.high),
        step=spec.step,
        format=spec.number_format,
        key=key,
        help=spec.help,
        disabled=idle,
    )
    return float(value)


def _flag(key: str, spec: Setting, idle: bool) -> bool:
    return st.checkbox(spec.label, key=key, help=spec.help, disabled=idle)


def _fraction(key: str, spec: Setting, idle: bool) -> float:
    """A fraction chosen on a slider in whole percent."""
    percent = st.slider(
        spec.label, 0, round(100 * spec.high), step=round(100 * (spec.step or 0.01)), key=key, disabled=idle
    )
    return percent / 100


def _rate(key: str, spec: Setting, idle: bool) -> float:
    """A log-scale slider for the usual rates and a box for an exact one; each follows the other."""
    st.select_slider(
        spec.label,
        options=LEARNING_RATE_CHOICES,
        key=keys.LEARNING_RATE_SCALE,
        on_change=_copy_scale_to_exact,
        disabled=idle,
    )
    exact = st.number_input(
        f"Exact {spec.label.lower()}",
        spec.low,
        spec.high,
        step=None,
        format=spec.number_format,
        key=key,
        on_change=_copy_exact_to_scale,
        disabled=idle,
    )
    return float(exact)


def _copy_scale_to_exact() -> None:
    st.session_state[keys.LEARNING_RATE] = st.session_state[keys.LEARNING_RATE_SCALE]


def _copy_exact_to_scale() -> None:
    st.session_state[keys.LEARNING_RATE_SCALE] = _nearest_choice(st.session_state[keys.LEARNING_RATE])


def _nearest_choice(learning_rate: float) -> float:
    return min(LEARNING_RATE_CHOICES, key=lambda choice: abs(math.log(choice / learning_rate)))


def _layers(key: str, spec: Setting, idle: bool) -> tuple[int, ...]:
    """How many hidden layers, then each one's neurons, up to three to a row."""
    count = _whole(key, replace(spec, low=0, high=MAX_HIDDEN_LAYERS, step=1), idle)
    if not count:
        return ()
    columns = st.columns(min(count, 3))
    sizes = []
    for layer in range(count):
        st.session_state.setdefault(keys.neurons_key(layer), NEW_LAYER_NEURONS)
        with columns[layer % len(columns)]:
            size = replace(spec, label=f"Layer {layer + 1}", help=None)
            sizes.append(_whole(keys.neurons_key(layer), size, idle))
    return tuple(sizes)


def _features(key: str, spec: Setting, idle: bool) -> tuple[str, ...]:
    """The derived inputs chosen among those offered; choices no longer offered (fewer input columns than
    before) are taken away, saying so."""
    chosen = st.session_state.get(key, [])
    kept = [code for code in chosen if code in spec.choices]
    if kept != chosen:
        st.session_state[key] = kept
        gone = ", ".join(code for code in chosen if code not in spec.choices)
        st.caption(f"Taken away: {gone}, which the chosen input columns do not offer.")
    labels = spec.labels or {}
    picked = st.multiselect(
        spec.label,
        list(spec.choices),
        format_func=lambda code: labels.get(code, code),
        key=key,
        max_selections=int(spec.high),
        disabled=idle,
        placeholder="Add x1², x1·x2, sin(x1)…",
        help=spec.help,
    )
    return tuple(picked)


def _label(name: str) -> str:
    return LABELS.get(name, name)


def _widget_values(settings: Settings) -> dict[str, object]:
    """The widget key -> value map that shows ``settings``."""
    values: dict[str, object] = {}
    for group in (settings.network, settings.training, settings.data):
        for name, spec in settings_of(type(group)).items():
            values.update(_shown_as(name, spec, getattr(group, name)))
    return values


def _shown_as(name: str, spec: Setting, value: Any) -> dict[str, object]:
    """The widget values that show one setting's value (some kinds take two or more widgets)."""
    key = keys.setting_key(name)
    if spec.kind == "layers":
        return {key: len(value)} | {keys.neurons_key(layer): size for layer, size in enumerate(value)}
    if spec.kind == "rate":
        return {key: value, keys.LEARNING_RATE_SCALE: _nearest_choice(value)}
    if spec.kind == "fraction":
        return {key: round(100 * value)}
    if spec.kind == "features":
        return {key: list(value)}
    return {key: value}


_WIDGETS: Mapping[str, Callable[[str, Setting, bool], Any]] = {
    "choice": _choice,
    "whole": _whole,
    "number": _number,
    "flag": _flag,
    "fraction": _fraction,
    "rate": _rate,
    "layers": _layers,
    "features": _features,
}
