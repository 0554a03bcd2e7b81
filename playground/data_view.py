"""The data: choosing a source, the editable table, which columns to learn from, and what is wrong.

The table the user typed is passed to ``st.data_editor`` unchanged on every run (a new object would
reset their pending edits); only loading a data set replaces it, under a new editor key.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from nn_core.datasets import MAX_SAMPLES
from playground.controller import TrainingStatus
from playground.controls import apply_settings
from playground.presets import SOURCES, TUTORIAL, load_source, table_from_dataset
from playground.settings import Settings, settings_for_preset
from playground.share import PresetSource
from playground.state import AppState
from playground.table import TableCheck, candidate_columns, check_table

TASK_LABELS = {
    "auto": "Work it out",
    "binary": "Binary",
    "multiclass": "Multi-class",
    "regression": "Regression",
}
PRESET_SIZE_LIMIT = min(MAX_SAMPLES, 1000)
PRESET_DEFAULTS = {"preset_size": 200, "preset_noise": 0.1, "preset_seed": 0}


def show_source_picker(state: AppState) -> None:
    """Sidebar: pick the tutorial or a generated data set and load it into the table."""
    st.subheader("Data")
    source = st.selectbox("Data set", SOURCES, key="source_choice")
    if source != TUTORIAL:
        st.slider("Points", 20, PRESET_SIZE_LIMIT, 200, step=10, key="preset_size")
        st.slider("Noise", 0.0, 1.0, 0.1, step=0.05, key="preset_noise")
        st.number_input("Data seed", 0, 2**31 - 1, 0, step=1, key="preset_seed")
    st.button(
        "Load into the table",
        key="load_source",
        on_click=_load_source,
        args=(state,),
        width="stretch",
        help="Replaces the table with this data set and its suggested settings.",
    )
    st.caption(f"Table now: {state.source}")


def _load_source(state: AppState) -> None:
    source = st.session_state["source_choice"]
    size, noise, seed = (st.session_state.get(key, default) for key, default in PRESET_DEFAULTS.items())
    dataset = load_source(source, size, noise, seed)
    description = source if source == TUTORIAL else f"{source}, {len(dataset.X)} points"
    state.replace_table(table_from_dataset(dataset), description)
    state.preset = None if source == TUTORIAL else PresetSource(source, size, noise, seed)
    state.model = None
    state.status = TrainingStatus()
    apply_settings(Settings() if source == TUTORIAL else settings_for_preset(dataset.task))


def replace_table_keeping_choices(state: AppState, table: pd.DataFrame) -> None:
    """Swap in a table with the same columns (e.g. one more row), keeping the chosen inputs and target."""
    old, new = state.table_version, state.table_version + 1
    for name in ("inputs", "target", "task"):
        if f"{name}_{old}" in st.session_state:
            st.session_state[f"{name}_{new}"] = st.session_state[f"{name}_{old}"]
    state.replace_table(table, state.source)


def show_table(state: AppState) -> TableCheck:
    """The editable table, the column choices, and the validation result for what is in it now."""
    version = state.table_version
    edited = st.data_editor(
        state.table,
        key=f"table_editor_{version}",
        num_rows="dynamic",
        hide_index=True,
        width="stretch",
        # Every argument is part of a dynamic editor's identity in Streamlit 1.67: a height that
        # followed the edited rows would reset the editor and lose the user's pending edits.
        height=min(420, 38 + 35 * (len(state.table) + 1)),
        column_config={name: st.column_config.TextColumn(name) for name in state.table.columns},
    )
    state.edited_table = edited
    check = _check_with_chosen_columns(edited, version)
    _show_problems(check)
    return check


def _check_with_chosen_columns(edited: pd.DataFrame, version: int) -> TableCheck:
    candidates = candidate_columns(edited)
    inputs_key, target_key = f"inputs_{version}", f"target_{version}"
    _keep_choices_valid(candidates, inputs_key, target_key)
    left, middle, right = st.columns([3, 2, 2])
    with left:
        inputs = st.multiselect("Inputs", candidates, key=inputs_key)
    with middle:
        target = st.selectbox("Target", candidates, key=target_key)
    with right:
        task = st.selectbox(
            "Problem type", list(TASK_LABELS), format_func=TASK_LABELS.get, key=f"task_{version}"
        )
    return check_table(edited, inputs, target, task)


def _keep_choices_valid(candidates: list[str], inputs_key: str, target_key: str) -> None:
    """Start with the last column as the target and the rest as inputs; drop choices that vanished."""
    target = st.session_state.get(target_key)
    if target not in candidates:
        st.session_state[target_key] = candidates[-1] if candidates else None
    chosen = st.session_state.get(inputs_key)
    if chosen is None:
        chosen = [name for name in candidates if name != st.session_state[target_key]]
    st.session_state[inputs_key] = [name for name in chosen if name in candidates]


def _show_problems(check: TableCheck) -> None:
    if check.data is not None:
        data = check.data
        st.caption(
            f"{len(data.X)} rows · inputs: {', '.join(data.feature_names)} · "
            f"target: {data.target_name} ({TASK_LABELS[data.task].lower()})"
        )
        return
    st.error(
        "Training is off until the table is fixed:\n\n" + "\n".join(f"- {p}" for p in check.problems),
        icon="✏️",
    )
