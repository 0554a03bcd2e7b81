"""The sidebar's network, training and data settings: widgets drawn from the settings schema, each
showing the session's setting and sending its change as an intent.

Each setting's widget comes from its kind in ``playground.settings`` and is keyed by
``keys.setting_key``; what the table allows (the outputs of its problem type, the largest batch, the
derived inputs its columns offer) narrows the widget, and the session fits the setting to it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import Any

import streamlit as st

from nn_core.features import offered_features
from playground.session import Session
from playground.settings import (
    LEARNING_RATE_CHOICES,
    LOSSES_FOR_OUTPUT,
    MAX_HIDDEN_LAYERS,
    OUTPUTS_FOR_TASK,
    Setting,
    SettingsGroup,
    choice_label,
    settings_of,
)
from playground.views import adapter, keys


def show_network_controls(session: Session, task: str) -> None:
    """Hidden layers and their sizes, activations, initialiser and seed."""
    st.subheader("Network")
    _show_group(session, session.settings.network, {"output_activation": {"choices": OUTPUTS_FOR_TASK[task]}})


def show_training_controls(session: Session, n_train_rows: int) -> None:
    """Loss, optimizer, learning rate, epochs, batching and regularisation."""
    st.subheader("Training")
    largest_batch = max(1, n_train_rows)
    narrowed = {
        "loss": {"choices": LOSSES_FOR_OUTPUT[session.settings.network.output_activation]},
        "batch_size": {
            "high": largest_batch,
            "help": f"1 updates after every row, as in the tutorial; {largest_batch} is the full batch.",
        },
    }
    _show_group(session, session.settings.training, narrowed)


def show_data_controls(session: Session, column_names: Sequence[str]) -> None:
    """Standardisation, derived inputs of the chosen columns and the train/test split. With no valid
    table (no columns) the derived inputs chosen are kept and shown as they are, greyed."""
    chosen = session.settings.data.features
    offered = {feature.code: feature.name(column_names) for feature in offered_features(len(column_names))}
    if not column_names:
        offered = {code: code for code in chosen}
    narrowed = {"features": {"choices": tuple(offered), "labels": offered}}
    _show_group(session, session.settings.data, narrowed, idle=set() if column_names else {"features"})
    note = session.messages.get("settings")
    if note is not None:
        st.caption(note[1])


def _show_group(
    session: Session,
    group: SettingsGroup,
    narrowed: Mapping[str, Mapping[str, Any]],
    idle: set[str] | None = None,
) -> None:
    """Draw a group's widgets in the schema's order, each showing the session's value.

    ``narrowed`` replaces parts of a setting for this table (fewer choices, a lower limit); a setting
    named in ``idle``, or one whose ``matters_when`` holds, is greyed (or left out).
    """
    for name, spec in settings_of(type(group)).items():
        spec = replace(spec, **narrowed.get(name, {}))
        is_idle = name in (idle or set()) or (
            spec.matters_when is not None and getattr(group, spec.matters_when[0]) == spec.matters_when[1]
        )
        if is_idle and spec.hide_idle:
            continue
        _WIDGETS[spec.kind](name, spec, is_idle, getattr(group, name))


def _setting(name: str, value: object, key: str | None = None) -> dict:
    return adapter.bound(key or keys.setting_key(name), value, Session.change_setting, name)


def _choice(name: str, spec: Setting, idle: bool, value: str) -> None:
    shown = value if value in spec.choices else spec.choices[0]
    st.selectbox(
        spec.label,
        spec.choices,
        format_func=choice_label,
        help=spec.help,
        disabled=idle,
        **_setting(name, shown),
    )


def _whole(name: str, spec: Setting, idle: bool, value: int) -> None:
    low, high = int(spec.low), int(spec.high)
    st.number_input(
        spec.label,
        low,
        high,
        step=int(spec.step or 1),
        help=spec.help,
        disabled=idle,
        **_setting(name, min(max(value, low), high)),
    )


def _number(name: str, spec: Setting, idle: bool, value: float) -> None:
    st.number_input(
        spec.label,
        float(spec.low),
        float(spec.high),
        step=spec.step,
        format=spec.number_format,
        help=spec.help,
        disabled=idle,
        **_setting(name, float(value)),
    )


def _flag(name: str, spec: Setting, idle: bool, value: bool) -> None:
    st.checkbox(spec.label, help=spec.help, disabled=idle, **_setting(name, value))


def _fraction(name: str, spec: Setting, idle: bool, value: float) -> None:
    """A fraction chosen on a slider in whole percent."""
    st.slider(
        spec.label,
        0,
        round(100 * spec.high),
        step=round(100 * (spec.step or 0.01)),
        disabled=idle,
        **adapter.bound(keys.setting_key(name), round(100 * value), _set_percent, name),
    )


def _set_percent(session: Session, name: str, percent: int) -> None:
    session.change_setting(name, percent / 100)


def _rate(name: str, spec: Setting, idle: bool, value: float) -> None:
    """A log-scale slider for the usual rates and a box for an exact one; both show the same rate."""
    st.select_slider(
        spec.label,
        options=LEARNING_RATE_CHOICES,
        disabled=idle,
        **_setting(name, _nearest_choice(value), keys.LEARNING_RATE_SCALE),
    )
    st.number_input(
        f"Exact {spec.label.lower()}",
        spec.low,
        spec.high,
        step=None,
        format=spec.number_format,
        disabled=idle,
        **_setting(name, float(value)),
    )


def _nearest_choice(learning_rate: float) -> float:
    return min(LEARNING_RATE_CHOICES, key=lambda choice: abs(math.log(choice / learning_rate)))


def _layers(name: str, spec: Setting, idle: bool, value: tuple[int, ...]) -> None:
    """How many hidden layers, then each one's neurons, up to three to a row."""
    st.number_input(
        spec.label,
        0,
        MAX_HIDDEN_LAYERS,
        step=1,
        disabled=idle,
        **adapter.bound(keys.setting_key(name), len(value), Session.change_layer_count),
    )
    if not value:
        return
    columns = st.columns(min(len(value), 3))
    for layer, size in enumerate(value):
        columns[layer % len(columns)].number_input(
            f"Layer {layer + 1}",
            int(spec.low),
            int(spec.high),
            step=1,
            disabled=idle,
            **adapter.bound(keys.neurons_key(layer), size, Session.change_layer_size, layer),
        )


def _features(name: str, spec: Setting, idle: bool, value: tuple[str, ...]) -> None:
    """The derived inputs chosen among those offered."""
    labels = spec.labels or {}
    st.multiselect(
        spec.label,
        list(spec.choices),
        format_func=lambda code: labels.get(code, code),
        max_selections=int(spec.high),
        disabled=idle,
        placeholder="Add x1², x1·x2, sin(x1)…",
        help=spec.help,
        **adapter.bound(
            keys.setting_key(name),
            [code for code in value if code in spec.choices],
            Session.change_setting,
            name,
        ),
    )


_WIDGETS: Mapping[str, Callable[[str, Setting, bool, Any], None]] = {
    "choice": _choice,
    "whole": _whole,
    "number": _number,
    "flag": _flag,
    "fraction": _fraction,
    "rate": _rate,
    "layers": _layers,
    "features": _features,
}
