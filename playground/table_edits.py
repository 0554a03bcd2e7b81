"""What the table editor is sent, and the edited table rebuilt from what it sends back.

The editor (``static/table_editor.js``) receives the table the user loaded and sends back, after every
committed edit, the whole edited table in a compact form: each row is either the number of a row it
was sent (unchanged) or that row's cells as typed. The message crosses the network from the browser,
so it is checked as strictly as an upload; one that does not fit is ignored, never half applied.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from playground.table import MAX_CELL_CHARACTERS, MAX_ROWS, cell_text


def editor_data(
    table: pd.DataFrame, version: str, bad_cells: Sequence[tuple[int, str, str]], message: object
) -> dict[str, Any]:
    """The editor's input: the table as text, the edits accepted so far (so an editor drawn anew, say
    after switching workshop mode, shows them), the cells to mark (row, column position, why) and the
    number of the edit they describe. ``version`` names this table in this session only, so the
    editor of a page that outlived its session (a server restart) starts again from the table."""
    columns = [cell_text(name) for name in table.columns]
    position = {name: index for index, name in reversed(list(enumerate(columns)))}
    return {
        "version": version,
        "columns": columns,
        "rows": [[cell_text(cell) for cell in row] for row in table.itertuples(index=False, name=None)],
        "edits": _rows(message, version, len(table), len(columns)),
        "marks": [[row, position[column], why] for row, column, why in bad_cells if column in position],
        "seq": edit_number(message),
        "maxRows": MAX_ROWS,
        "maxChars": MAX_CELL_CHARACTERS,
    }


def edit_number(message: object) -> int:
    """The ``seq`` of an editor message (0 when there is none), echoed back with the marks."""
    seq = message.get("seq") if isinstance(message, dict) else None
    return seq if isinstance(seq, int) and not isinstance(seq, bool) else 0


def edited_table(table: pd.DataFrame, version: str, message: object) -> pd.DataFrame:
    """``table`` with the edits in ``message`` applied; ``table`` itself when the message is for another
    version of the table or does not fit it."""
    rows = _rows(message, version, len(table), len(table.columns))
    if rows is None:
        return table
    originals = table.to_numpy(dtype=object)
    cells = [list(originals[row]) if isinstance(row, int) else row for row in rows]
    return pd.DataFrame(cells, columns=table.columns, dtype=object)


def _rows(message: object, version: str, n_rows: int, n_columns: int) -> list[int | list[str]] | None:
    """The message's rows when every one is a valid row number or a row of text cells, else None."""
    if not isinstance(message, dict) or message.get("version") != version:
        return None
    rows = message.get("rows")
    if not isinstance(rows, list) or len(rows) > MAX_ROWS:
        return None
    for row in rows:
        if isinstance(row, bool):
            return None
        if isinstance(row, int):
            if not 0 <= row < n_rows:
                return None
        elif not _is_text_row(row, n_columns):
            return None
    return rows


def _is_text_row(row: object, n_columns: int) -> bool:
    return (
        isinstance(row, list)
        and len(row) == n_columns
        and all(isinstance(cell, str) and len(cell) <= MAX_CELL_CHARACTERS for cell in row)
    )
