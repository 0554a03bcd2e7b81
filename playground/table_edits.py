"""What the table editor is sent, and the edited table rebuilt from what it sends back.

The editor (``static/table_editor.js``) receives the table the person loaded and sends back, after every
committed edit, the whole edited table in a compact form: each row is either the number of a row it was
sent (unchanged) or that row's cells as typed. The message crosses the network from the browser, so it
is checked as strictly as an upload, its size first; one that does not fit is refused with a sentence
that says why, never half applied, and the editor keeps what was typed.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any, NamedTuple

import pandas as pd

from playground.table import MAX_CELL_CHARACTERS, MAX_ROWS, cell_text
from playground.text import has_control_character, has_lone_surrogate, has_unsafe_character, utf8_size

# The cells of one edit message, in bytes of UTF-8 as they travel: the browser refuses to send more
# (the upload limit, 2 MB), below the 3 MB at which the server closes the connection
# (server.maxWidgetStateSize), and the server refuses a message that holds more.
MAX_EDIT_BYTES = 2_000_000
STALE_EDIT = (
    "An edit arrived for a table that had just been replaced (by a data set, a file, Undo or an added "
    "point), so it was not applied: type it again."
)


class EditOutcome(NamedTuple):
    """What an editor message does: ``seq`` is its number (None: nothing new to apply), then either the
    edited table or the problem that stopped it."""

    seq: int | None
    table: pd.DataFrame | None = None
    problem: str | None = None


def editor_data(
    table: pd.DataFrame,
    edited: pd.DataFrame | None,
    version: str,
    seq: int,
    bad_cells: Sequence[tuple[int, str, str]],
) -> dict[str, Any]:
    """The editor's input: the loaded table as text, the edited rows (None when there are none, or when
    the editor on the page sent them itself: it shows them already), the cells to mark (row, column
    position, why), the number of the last edit read (the marks describe it) and the limits the editor
    enforces before it sends anything."""
    columns = [cell_text(name) for name in table.columns]
    rows = _texts(table)
    position = {name: index for index, name in reversed(list(enumerate(columns)))}
    return {
        "version": version,
        "columns": columns,
        "rows": rows,
        "edits": None if edited is None else _compact(_texts(edited), rows),
        "marks": [[row, position[column], why] for row, column, why in bad_cells if column in position],
        "seq": seq,
        "maxRows": MAX_ROWS,
        "maxChars": MAX_CELL_CHARACTERS,
        "maxEditBytes": MAX_EDIT_BYTES,
    }


def edit_number(message: object) -> int:
    """The ``seq`` of an editor message (0 when there is none)."""
    seq = message.get("seq") if isinstance(message, dict) else None
    return seq if isinstance(seq, int) and not isinstance(seq, bool) else 0


def read_edit(table: pd.DataFrame, version: str, last_seq: int, message: object) -> EditOutcome:
    """``table`` with the edits of ``message`` applied, when the message is newer than ``last_seq``."""
    seq = edit_number(message)
    if seq <= last_seq or not isinstance(message, dict):
        return EditOutcome(None)
    if message.get("version") != version:
        return EditOutcome(seq, problem=STALE_EDIT)
    rows = message.get("rows")
    problem = _rows_problem(rows, len(table), len(table.columns), [cell_text(name) for name in table.columns])
    if problem is not None:
        return EditOutcome(seq, problem=f"The last edit of the table was not applied: {problem}")
    originals = table.to_numpy(dtype=object)
    cells = [list(originals[row]) if isinstance(row, int) else row for row in rows]  # type: ignore[union-attr]
    return EditOutcome(seq, pd.DataFrame(cells, columns=table.columns, dtype=object))


def _rows_problem(rows: object, n_rows: int, n_columns: int, names: list[str]) -> str | None:
    """Why the rows of a message cannot be the table's (None: they can), its size checked first."""
    if not isinstance(rows, list) or len(rows) > MAX_ROWS:
        return f"it is not a table of at most {MAX_ROWS:,} rows."
    for number, row in enumerate(rows, start=1):
        if isinstance(row, bool) or (isinstance(row, int) and not 0 <= row < n_rows):
            return f"row {number} is not a row of the table."
        if not isinstance(row, int) and (not isinstance(row, list) or len(row) != n_columns):
            return f"row {number} does not have {n_columns} cells of text."
    typed = [(number, row) for number, row in enumerate(rows, start=1) if isinstance(row, list)]
    cells = list(itertools.chain.from_iterable(row for _, row in typed))  # at most MAX_ROWS × n_columns
    if not set(map(type, cells)) <= {str}:
        number = next(number for number, row in typed if not set(map(type, row)) <= {str})
        return f"row {number} does not have {n_columns} cells of text."
    if max(map(len, cells), default=0) > MAX_CELL_CHARACTERS:
        number, row = next((number, row) for number, row in typed if max(map(len, row)) > MAX_CELL_CHARACTERS)
        return _cell_problem(number, names, row)
    text = "".join(cells)
    if utf8_size(text) > MAX_EDIT_BYTES:
        return f"its cells hold more than {MAX_EDIT_BYTES:,} bytes in all."
    if has_unsafe_character(text):  # one search, then where
        number, row = next((number, row) for number, row in typed if has_unsafe_character("".join(row)))
        return _cell_problem(number, names, row)
    return None


def _cell_problem(number: int, names: list[str], row: list[str]) -> str:
    """What is wrong with the first bad cell of a row: too long, or a character no cell can keep."""
    for name, cell in zip(names, row, strict=True):
        where = f"row {number}, column '{name}'"
        if len(cell) > MAX_CELL_CHARACTERS:
            return f"{where} holds more than {MAX_CELL_CHARACTERS:,} characters."
        if has_lone_surrogate(cell):
            return (
                f"{where} holds a broken character (half of a character pair, which no file can store). "
                "Retype that cell."
            )
        if has_control_character(cell):
            return (
                f"{where} holds a control character (such as NUL), which a table cell cannot keep. "
                "Retype that cell."
            )
    raise AssertionError("a row found bad has a bad cell")


def _texts(table: pd.DataFrame) -> list[list[str]]:
    return [[cell_text(cell) for cell in row] for row in table.itertuples(index=False, name=None)]


def _compact(edited: list[list[str]], loaded: list[list[str]]) -> list[int | list[str]]:
    """The edited rows as the editor sends them: a row the same as the loaded row at its place is that
    row's number, any other row its cells."""
    return [
        index if index < len(loaded) and row == loaded[index] else row for index, row in enumerate(edited)
    ]
