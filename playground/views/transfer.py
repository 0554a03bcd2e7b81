"""Upload and download: the table as CSV, the model as JSON or as a Python script, the loss history.

An upload goes to the session model as an intent at once, so the run that follows shows the new table
or model; anything that cannot be used is explained and nothing the person had is replaced.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from playground.model import ModelRun
from playground.session import Session
from playground.text import escape_markdown
from playground.transfer import MAX_UPLOAD_BYTES, history_to_csv, model_script, model_to_json, table_to_csv
from playground.views import adapter, keys
from playground.views.server_share import server_turn

SCRIPT_HELP = "A standalone NumPy script: python model.py <one value per column> prints the prediction."
FORMULA_NOTE = (
    "Cells that a spreadsheet would run as a formula (starting with =, +, -, @ and not a number) are "
    "saved with a ' before them; uploading the file here takes it away again."
)


def show_table_transfer(session: Session) -> None:
    """Under the table: replace it with a CSV file, or download it as one."""
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    left.file_uploader(
        f"Upload a CSV file as the table (first row: column names; up to {MAX_UPLOAD_BYTES:,} bytes)",
        type=["csv", "txt"],
        **adapter.uploaded(keys.UPLOAD_CSV, Session.upload_csv),
    )
    table = session.current_table()
    _download(
        right,
        "Download the table",
        lambda: table_to_csv(table),
        "table.csv",
        "text/csv",
        keys.DOWNLOAD_TABLE,
        FORMULA_NOTE,
    )
    _show_message(session, "table")


def show_model_transfer(session: Session) -> None:
    """Download the model (JSON, Python script) and its loss history; load a saved model."""
    model = session.model
    if model is not None and np.isfinite(model.network.parameters).all():
        columns = st.columns(3)
        files = (
            ("Model (JSON)", model_to_json, "model.json", "application/json", keys.DOWNLOAD_MODEL, None),
            (
                "Model as a Python script",
                model_script,
                "model.py",
                "text/x-python",
                keys.DOWNLOAD_SCRIPT,
                SCRIPT_HELP,
            ),
            ("Loss history (CSV)", _history, "history.csv", "text/csv", keys.DOWNLOAD_HISTORY, None),
        )
        for column, (label, write, name, mime, key, help) in zip(columns, files, strict=True):
            _download(column, label, lambda write=write: write(model), name, mime, key, help)
    st.file_uploader(
        "Load a saved model (JSON) for the table's current columns",
        type=["json"],
        disabled=session.data is None,
        **adapter.uploaded(keys.UPLOAD_MODEL, Session.load_model_file),
    )
    _show_message(session, "model")


def _download(
    place: DeltaGenerator,
    label: str,
    make: Callable[[], bytes | str],
    file_name: str,
    mime: str,
    key: str,
    help: str | None = None,
) -> None:
    """A download button that does not rerun the page (a running training goes on undisturbed) and
    makes its file only when clicked, in this session's turn (a 5,000-row table takes tens of ms)."""
    place.download_button(
        label,
        lambda: _in_turn(make),
        file_name=file_name,
        mime=mime,
        key=key,
        help=help,
        on_click="ignore",
        icon=":material/download:",
        width="stretch",
    )


def _history(model: ModelRun) -> bytes:
    return history_to_csv(model.history)


def _in_turn(make: Callable[[], bytes | str]) -> bytes | str:
    with server_turn():
        return make()


def _show_message(session: Session, about: str) -> None:
    message = session.messages.get(about)
    if message is None:
        return
    kind, text = message
    (st.success if kind == "success" else st.error)(escape_markdown(text))
