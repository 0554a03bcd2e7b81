"""The editable table on the page: a small inline component (``static/table_editor.js``), no iframe.

Why not ``st.data_editor``: in Streamlit 1.67 its grid ignores keyboard moves while the mouse pointer
is outside it, and a click on its "add row" line can start an edit whose Tab then jumps to the first
row; typing "Emily, Tab, -7, Tab …" overwrote Alice. This editor keeps every keystroke in the
browser and sends the table to Python only when an edit is committed (Tab, Enter, leaving a cell).
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from playground.table_edits import edited_table, editor_data
from playground.views import keys
from playground.views.components import static_component

_EDITOR = static_component("playground_table_editor", "table_editor.js", "table_editor.css")


def current_edits(table: pd.DataFrame, version: str) -> pd.DataFrame:
    """The table with the edits the browser has sent so far."""
    return edited_table(table, version, _last_message())


def show_table_editor(table: pd.DataFrame, version: str, bad_cells: Sequence[tuple[int, str, str]]) -> None:
    """Draw the editor for ``table`` (the loaded version) and its edits, marking ``bad_cells``."""
    data = editor_data(table, version, bad_cells, _last_message())
    _EDITOR(key=keys.TABLE_EDITOR, data=data, on_table_change=_ignore)


def _last_message() -> object:
    state = st.session_state.get(keys.TABLE_EDITOR)
    return state.get("table") if isinstance(state, dict) else None


def _ignore() -> None:
    """Edits are read on the rerun that follows; the callback only lets the component keep its state."""
