"""The data: choosing a data set, the editable table, which columns to learn from, and what is wrong.

Choosing a data set loads it at once; what it replaces (the table as edited, its model, settings and
column choices) can be brought back with Undo, so no edit is ever lost without a way back.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from playground.presets import (
    NOISE_RANGE,
    POINTS_RANGE,
    SOURCES,
    TUTORIAL,
    PresetSource,
    load_source,
    table_from_dataset,
)
from playground.settings import MAX_SEED, Settings, settings_for_preset
from playground.table import TableCheck, check_table, default_target, input_choices, target_choices
from playground.text import escape_markdown
from playground.views import keys
from playground.views.state import AppState, TableSnapshot
from playground.views.table_editor import current_edits, show_table_editor

TASK_LABELS = {
    "auto": "Work it out",
    "binary": "Binary",
    "multiclass": "Multi-class",
    "regression": "Regression",
}
PRESET_DEFAULTS = {
    keys.PRESET_SIZE: 200,
    keys.PRESET_NOISE: 0.1,
    keys.PRESET_SEED: 0,
}  # a data set's first size
PRESET_KEYS = tuple(PRESET_DEFAULTS)


def show_source_picker(state: AppState) -> None:
    """Sidebar: the data set menu (choosing one loads it), its size, noise and seed, and Undo.

    The menu and its controls always show where the table came from: a table uploaded or opened by
    link leaves the menu empty, so choosing any entry, the tutorial too, loads it.
    """
    st.subheader("Data")
    source = _data_set_menu(state, keys.SOURCE)
    _show_the_data_sets_parameters(state)
    reload = {"on_change": _load_source, "args": (state, keys.SOURCE)}
    if source not in (None, TUTORIAL):
        for key, default in PRESET_DEFAULTS.items():
            st.session_state.setdefault(key, default)
        st.slider("Points", *POINTS_RANGE, step=10, key=keys.PRESET_SIZE, **reload)
        st.slider("Noise", *NOISE_RANGE, step=0.05, key=keys.PRESET_NOISE, **reload)
        st.number_input("Data seed", 0, MAX_SEED, step=1, key=keys.PRESET_SEED, **reload)
    edited = " (edited)" if state.is_edited() else ""
    st.caption(escape_markdown(f"Table now: {state.source}{edited}"))
    if state.undo is not None:
        _undo_button(
            state, state.undo, keys.UNDO_LOAD, f"Undo: bring back the previous {state.undo.replaced}"
        )


def _undo_button(state: AppState, undo: TableSnapshot, key: str, label: str) -> None:
    """Undo, by the data set menu: brings back what ``undo`` holds."""
    st.button(
        label,
        key=key,
        icon=":material/undo:",
        on_click=state.undo_load,
        width="stretch",
        help=escape_markdown(_undo_hint(undo)),
    )


def _undo_hint(undo: TableSnapshot) -> str:
    """What the Undo button brings back, in a sentence."""
    if undo.replaced == "model":
        return (
            f"Back to the previous model and its settings, on {undo.source} as you left it "
            "(pressing it again redoes)."
        )
    return f"Back to: {undo.source}, as you left it (pressing it again redoes)."


def show_data_set_menu(state: AppState) -> None:
    """The data set menu and Undo, for workshop mode (the sidebar, with the rest, is hidden there)."""
    if state.undo is None:
        _data_set_menu(state, keys.WORKSHOP_SOURCE)
        return
    menu, undo = st.columns([3, 1], vertical_alignment="bottom")
    with menu:
        _data_set_menu(state, keys.WORKSHOP_SOURCE)
    with undo:
        _undo_button(state, state.undo, keys.WORKSHOP_UNDO_LOAD, "Undo")


def _data_set_menu(state: AppState, key: str) -> str | None:
    """The data set menu under ``key``, showing the table's source; choosing an entry loads it."""
    _show_where_the_table_came_from(state, key)
    return st.selectbox(
        "Data set",
        SOURCES,
        key=key,
        index=None,
        placeholder="Your own table",
        on_change=_load_source,
        args=(state, key),
    )


def _show_where_the_table_came_from(state: AppState, key: str) -> None:
    """Set a data set menu to the table's source (before it is drawn)."""
    preset = state.preset
    st.session_state[key] = preset.name if preset else TUTORIAL if state.source == TUTORIAL else None


def _show_the_data_sets_parameters(state: AppState) -> None:
    """Set the sidebar's size, noise and seed controls to the loaded data set's (before they are drawn;
    workshop mode's second menu comes after them, so it must not)."""
    preset = state.preset
    if preset is not None:
        values = (preset.n_samples, preset.noise, preset.seed)
        st.session_state.update(zip(PRESET_KEYS, values, strict=True))


def _load_source(state: AppState, key: str) -> None:
    source = st.session_state[key]
    if source is None:
        return
    if source == TUTORIAL:
        state.load_table(
            table_from_dataset(load_source(TUTORIAL, 4, 0.0, 0)), source=TUTORIAL, settings=Settings()
        )
        return
    preset = PresetSource(
        source, *(st.session_state.get(key, default) for key, default in PRESET_DEFAULTS.items())
    )
    dataset = preset.dataset()
    state.load_table(
        table_from_dataset(dataset),
        source=f"{source}, {len(dataset.X)} points",
        preset=preset,
        settings=settings_for_preset(dataset.task),
    )


def show_table(state: AppState) -> TableCheck:
    """The editable table, the column choices, and the validation result for what is in it now."""
    version = state.table_version
    edited = current_edits(state.table, state.editor_version())
    state.edited_table = edited
    editor = st.container()
    check = _check_with_chosen_columns(edited, version)
    with editor:
        show_table_editor(state.table, state.editor_version(), check.bad_cells)
    _show_problems(check)
    return check


def _check_with_chosen_columns(edited: pd.DataFrame, version: int) -> TableCheck:
    inputs_key, target_key, task_key = (
        keys.choice_key(name, version) for name in ("inputs", "target", "task")
    )
    targets = target_choices(edited)
    if st.session_state.get(target_key) not in targets:
        st.session_state[target_key] = default_target(edited)
    inputs = input_choices(edited, st.session_state[target_key])
    chosen = st.session_state.get(inputs_key)
    st.session_state[inputs_key] = [name for name in (inputs if chosen is None else chosen) if name in inputs]
    left, middle, right = st.columns([3, 2, 2])
    with left:
        chosen_inputs = st.multiselect("Inputs", inputs, key=inputs_key)
    with middle:
        target = st.selectbox("Target", targets, key=target_key)
    with right:
        task = st.selectbox("Problem type", list(TASK_LABELS), format_func=TASK_LABELS.get, key=task_key)
    return check_table(edited, chosen_inputs, target, task)


def _show_problems(check: TableCheck) -> None:
    if check.data is not None:
        data = check.data
        classes = f", classes: {', '.join(data.class_labels)}" if data.class_labels else ""
        summary = (
            f"{len(data.X)} rows · inputs: {', '.join(data.feature_names)} · "
            f"target: {data.target_name} ({TASK_LABELS[data.task].lower()}{classes})"
        )
        st.caption(escape_markdown(summary))
        return
    items = "\n".join(f"- {escape_markdown(problem)}" for problem in check.problems)
    marked = " (the cells are marked in red)" if check.bad_cells else ""
    st.error(f"Training is off until the table is fixed{marked}:\n\n" + items, icon="✏️")
