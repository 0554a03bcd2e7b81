"""The editable table on the page: a small inline component (``static/table_editor.js``), no iframe.

Why not ``st.data_editor``: in Streamlit 1.67 its grid ignores keyboard moves while the mouse pointer
is outside it, and a click on its "add row" line can start an edit whose Tab then jumps to the first
row; typing "Emily, Tab, -7, Tab …" overwrote Alice. This editor keeps every keystroke in the
browser and sends the table to Python only when an edit is committed (Tab, Enter, leaving a cell);
each edit goes to the session model as an intent, before any other intent of the same rerun.
"""

from __future__ import annotations

from collections.abc import Sequence

from playground.session import Session
from playground.table_edits import edit_number, editor_data
from playground.views import adapter, keys
from playground.views.components import static_component

_EDITOR = static_component("playground_table_editor", "table_editor.js", "table_editor.css")


def show_table_editor(session: Session, bad_cells: Sequence[tuple[int, str, str]]) -> None:
    """The editor for the loaded table and its edits, marking ``bad_cells``. The edited rows travel only
    to an editor that has not sent them itself (one drawn anew): a table of 5,000 edited rows is a
    megabyte, and the page runs again at every click."""
    sent = adapter.component_state(keys.TABLE_EDITOR).get("table")
    version = session.editor_version()
    has_edits = (
        isinstance(sent, dict) and sent.get("version") == version and edit_number(sent) == session.edit_seq
    )
    edited = None if has_edits else session.edited_table
    data = editor_data(session.table, edited, version, session.edit_seq, bad_cells)
    _EDITOR(
        key=keys.TABLE_EDITOR, data=data, **adapter.events(keys.TABLE_EDITOR, {"table": Session.edit_table})
    )
