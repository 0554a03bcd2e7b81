"""The app's own limits sit inside Streamlit's transport limits (.streamlit/config.toml): a message
the app sends is never replaced by Streamlit's "too large" error, and one the browser sends within the
editor's limit never closes the connection."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pandas as pd

from playground.table import MAX_CELL_CHARACTERS
from playground.table_edits import MAX_EDIT_BYTES, editor_data, read_edit
from playground.transfer import MAX_UPLOAD_BYTES, table_from_csv

ROOT = Path(__file__).resolve().parents[1]
MB = 1_000_000  # Streamlit's "MB" in its size options
SERVER = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())["server"]
# The widest characters there are: four bytes of UTF-8, twelve of JSON with ASCII escapes (\ud83d\ude00),
# which is how Streamlit writes a component's data (json.dumps).
WIDE = "\U0001f600"
OTHER_WIDE = "\U0001f601"


def widest_upload() -> pd.DataFrame:
    """The table of a file at the upload limit whose every cell is as long as a cell may be, in the
    widest characters."""
    row = ",".join([WIDE * MAX_CELL_CHARACTERS] * 4) + "\n"
    count = (MAX_UPLOAD_BYTES - 100) // len(row.encode())
    return table_from_csv(("a,b,c,d\n" + row * count).encode()).table


def widest_edit(table: pd.DataFrame) -> pd.DataFrame:
    """Every row of ``table`` typed over with other wide characters, as many as the editor may send."""
    cell = OTHER_WIDE * MAX_CELL_CHARACTERS
    count = min(len(table), MAX_EDIT_BYTES // len(cell.encode()) // len(table.columns))
    edited = table.copy()
    edited.iloc[:count] = cell
    return edited


def test_the_largest_table_the_editor_is_sent_fits_a_page_message():
    table = widest_upload()
    edited = widest_edit(table)
    message = json.dumps(editor_data(table, edited, "v", 1, []))
    assert len(message) > 10 * MB  # the case is the worst one: it is near the limit
    assert len(message) < SERVER["maxMessageSize"] * MB * 0.9


def test_the_largest_edit_the_server_accepts_fits_the_browser_message_limit():
    table = widest_upload()
    rows = widest_edit(table).values.tolist()
    outcome = read_edit(table, "v", 0, {"version": "v", "seq": 1, "rows": rows})
    assert outcome.problem is None
    sent = json.dumps({"version": "v", "seq": 1, "rows": rows}, ensure_ascii=False).encode()
    assert MAX_EDIT_BYTES * 0.9 < len(sent) < SERVER["maxWidgetStateSize"] * MB * 0.9
