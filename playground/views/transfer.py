"""Upload and download: the table as CSV, the model as JSON or as a Python script, the loss history.

Uploads are read in widget callbacks, so the rerun that follows already shows the new table or model;
anything that cannot be used is explained and nothing the user had is replaced.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from playground.model import ModelRun
from playground.settings import Settings
from playground.table import PreparedData
from playground.text import counted, escape_markdown
from playground.transfer import (
    history_to_csv,
    model_fits_data,
    model_from_json,
    model_script,
    model_to_json,
    table_from_csv,
    table_to_csv,
)
from playground.views import keys
from playground.views.state import AppState

UNDO_HINT = "The table it replaced comes back with Undo, under the data set menu."
MODEL_UNDO_HINT = "The model it replaced comes back with Undo, under the data set menu."


def show_table_transfer(state: AppState) -> None:
    """Under the table: replace it with a CSV file, or download it as one."""
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    left.file_uploader(
        "Upload a CSV file as the table (first row: column names)",
        type=["csv", "txt"],
        key=keys.UPLOAD_CSV,
        on_change=_load_csv,
        args=(state,),
    )
    table = state.current_table()
    _download(right, "Download the table", table_to_csv(table), "table.csv", "text/csv", keys.DOWNLOAD_TABLE)
    _show_message(state, "table")


def show_model_transfer(state: AppState, data: PreparedData | None, settings: Settings) -> None:
    """Download the model (JSON, Python script) and its loss history; load a saved model."""
    model = state.model
    if model is not None and np.isfinite(model.network.parameters).all():
        columns = st.columns(3)
        json_file, script, history = model_to_json(model), model_script(model), history_to_csv(model.history)
        _download(
            columns[0], "Model (JSON)", json_file, "model.json", "application/json", keys.DOWNLOAD_MODEL
        )
        _download(
            columns[1],
            "Model as a Python script",
            script,
            "model.py",
            "text/x-python",
            keys.DOWNLOAD_SCRIPT,
            "A standalone NumPy script: python model.py <one value per column> prints the prediction.",
        )
        _download(columns[2], "Loss history (CSV)", history, "history.csv", "text/csv", keys.DOWNLOAD_HISTORY)
    st.file_uploader(
        "Load a saved model (JSON) for the table's current columns",
        type=["json"],
        key=keys.UPLOAD_MODEL,
        on_change=_load_model,
        args=(state, data, settings),
        disabled=data is None,
    )
    _show_message(state, "model")


def _download(
    place: DeltaGenerator,
    label: str,
    data: bytes | str,
    file_name: str,
    mime: str,
    key: str,
    help: str | None = None,
) -> None:
    """A download button that does not rerun the page (a running training goes on undisturbed)."""
    place.download_button(
        label,
        data,
        file_name=file_name,
        mime=mime,
        key=key,
        help=help,
        on_click="ignore",
        icon=":material/download:",
        width="stretch",
    )


def _show_message(state: AppState, about: str) -> None:
    message = state.messages.get(about)
    if message is None:
        return
    kind, text = message
    (st.success if kind == "success" else st.error)(escape_markdown(text))


def _load_csv(state: AppState) -> None:
    upload = st.session_state.get(keys.UPLOAD_CSV)
    if upload is None:
        return
    try:
        loaded = table_from_csv(upload.getvalue())
    except ValueError as problem:
        state.messages["table"] = ("error", f"{upload.name} was not loaded: {problem}")
        return
    table = loaded.table
    state.load_table(table, source=f"Uploaded: {upload.name}")  # the settings stay as they are
    summary = f"Loaded {upload.name}: {counted(len(table), 'row')}, {counted(len(table.columns), 'column')}."
    state.messages["table"] = ("success", " ".join([summary, *loaded.notes, UNDO_HINT]))


def _load_model(state: AppState, data: PreparedData | None, settings: Settings) -> None:
    upload = st.session_state.get(keys.UPLOAD_MODEL)
    if upload is None or data is None:
        return
    try:
        loaded = model_from_json(upload.getvalue())
    except (ValueError, TypeError) as problem:
        state.messages["model"] = ("error", f"{upload.name} was not loaded: {problem}")
        return
    problems = model_fits_data(loaded, data)
    if problems:
        state.messages["model"] = ("error", f"{upload.name} does not fit this table: " + " ".join(problems))
        return
    network = loaded.network
    architecture = replace(
        settings.network,
        hidden_layers=tuple(network.layer_sizes[1:-1]),
        hidden_activation=network.hidden_activation,
        output_activation=network.output_activation,
        init=network.init,
    )
    identity = bool(np.all(loaded.standardizer.mean == 0) and np.all(loaded.standardizer.scale == 1))
    codes = tuple(feature.code for feature in loaded.features)
    chosen = replace(
        settings, network=architecture, data=replace(settings.data, standardize=not identity, features=codes)
    )
    try:
        model = ModelRun.with_network(data, chosen, network, loaded.standardizer)
    except ValueError as problem:  # the engine's own checks, should the file checks have missed one
        state.messages["model"] = ("error", f"{upload.name} could not be used: {problem}")
        return
    state.load_table(None, settings=chosen, model=model)  # the table stays; Undo brings back the model
    message = f"Loaded {upload.name}: press Train to go on training it. {MODEL_UNDO_HINT}"
    state.messages["model"] = ("success", message)
