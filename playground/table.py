"""Check the table the user typed and turn it into the arrays the network learns from.

Cells arrive exactly as typed in ``st.data_editor``: usually strings, sometimes numbers or blanks
(None, NaN, pd.NA). The table is only read, never changed or reordered. Everything a user can get
wrong becomes a sentence that names the row and column and says what to fix.
"""

from __future__ import annotations

import math
import numbers
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

TASKS = ("binary", "multiclass", "regression")
MAX_ROWS = 5000
MAX_CLASSES = 10
# Beyond this, squares and sums of inputs overflow float64 and chart ranges become infinite.
MAX_MAGNITUDE = 1e12
MAX_LISTED_PROBLEMS = 10
MAX_SHOWN_CHARACTERS = 20

# Plain decimal notation only: no decimal commas, thousands separators or underscores.
_DECIMAL = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_UNICODE_MINUS = "\u2212"


@dataclass(frozen=True)
class PreparedData:
    """The validated table: X (n_rows, n_inputs) and y (n_rows,), both float64, plus what they mean.

    For binary and multiclass, y holds class indices 0..k-1 and class_values[i] is the value typed for
    class i; for regression y holds the typed values and class_values is ().
    """

    X: np.ndarray
    y: np.ndarray
    feature_names: tuple[str, ...]
    target_name: str
    task: str
    class_values: tuple[float, ...]
    row_labels: tuple[str, ...]


@dataclass(frozen=True)
class TableCheck:
    """Either data to train on, or the problems (in the user's words) that stop training."""

    data: PreparedData | None
    problems: tuple[str, ...]


def parse_number(cell: object) -> float | None:
    """The finite number in a cell (" 3 ", "-2.5", "1e3", "−7", 4), or None when there is none."""
    kind, value = _read_cell(cell)
    return value if kind == "number" else None


def numeric_cell_problem(cell: object) -> str | None:
    """None when the cell holds a finite number, else what is wrong with it ("is empty", …)."""
    kind, _ = _read_cell(cell)
    if kind == "number":
        return None
    if kind == "text":
        return f"is {_shown(cell)}, not a number{_comma_hint(cell)}"
    return {
        "empty": "is empty",
        "infinite": "is infinite",
        "nan": "is not a number (NaN)",
        "too large": f"is too large (the playground takes -{MAX_MAGNITUDE:g} to {MAX_MAGNITUDE:g})",
    }[kind]


def cell_text(cell: object) -> str:
    """A cell as it reads in the table: text as is, a blank (None, NaN, pd.NA) as ''."""
    if isinstance(cell, str):
        return cell
    if pd.api.types.is_scalar(cell) and pd.isna(cell):
        return ""
    return str(cell)


def label_column(df: pd.DataFrame) -> str | None:
    """The first column mostly holding text (like "Name"): a row label, never fed to the network.

    "Mostly" (more than half of its filled cells), so that a typo in a number column is reported as
    a bad cell instead of turning that column into labels.
    """
    for name, position in _column_positions(df).items():
        kinds = [_read_cell(cell)[0] for cell in df.iloc[:, position]]
        filled = [kind for kind in kinds if kind != "empty"]
        if filled and 2 * filled.count("text") > len(filled):
            return name
    return None


def candidate_columns(df: pd.DataFrame) -> list[str]:
    """Every column a user may choose as an input or the target: all but the label column, in order."""
    label = label_column(df)
    return [name for name in _column_positions(df) if name != label]


def infer_task(values: np.ndarray) -> str:
    """A few whole numbers are classes (two: binary, more: multiclass); anything else is regression."""
    distinct = np.unique(values)
    if not np.all(distinct == np.round(distinct)) or len(distinct) > MAX_CLASSES:
        return "regression"
    return "binary" if len(distinct) <= 2 else "multiclass"


def check_table(
    df: pd.DataFrame, input_columns: Sequence[str], target_column: str | None, task: str = "auto"
) -> TableCheck:
    """Validate the chosen columns of the table; data when all is well, else every problem found."""
    if task != "auto" and task not in TASKS:
        raise ValueError(f"Unknown task {task!r}; choose 'auto' or one of: {', '.join(TASKS)}.")
    positions = _column_positions(df)
    inputs = list(dict.fromkeys(str(name) for name in input_columns))
    problems = _choice_problems(positions, inputs, target_column)
    if problems:
        return _failed(problems)
    return _check_rows(df, positions, inputs, str(target_column), task)


def _check_rows(
    df: pd.DataFrame, positions: dict[str, int], inputs: list[str], target: str, task: str
) -> TableCheck:
    """With the columns settled: the row count, every chosen cell, then the target against the task."""
    rows = _used_rows(df)
    problems = _row_count_problems(len(rows))
    if len(rows) > MAX_ROWS:
        return _failed(problems)
    chosen = sorted({*inputs, target}, key=positions.__getitem__)
    cells = {name: df.iloc[:, positions[name]].tolist() for name in chosen}
    problems += _cell_problems(cells, rows)
    target_values = [parse_number(cells[target][row]) for row in rows]
    if None in target_values or len(rows) < 2:
        return _failed(problems)
    values = np.array(target_values, dtype=float)
    chosen_task = infer_task(values) if task == "auto" else task
    problems += _target_problems(values, rows, target, chosen_task)
    if problems:
        return _failed(problems)
    X = np.array([[parse_number(cells[name][row]) for name in inputs] for row in rows], dtype=float)
    return TableCheck(_prepared(X, values, inputs, target, chosen_task, _row_labels(df, rows)), ())


def _read_cell(cell: object) -> tuple[str, float | None]:
    """Sort a cell into "number", "empty", "infinite", "too large", "nan" or "text" (+ value if a number)."""
    if _is_empty(cell):
        return "empty", None
    if isinstance(cell, (bool, np.bool_)):
        return "text", None
    if isinstance(cell, numbers.Real):
        return _number_kind(cell)
    if isinstance(cell, str):
        return _read_text(cell.strip().replace(_UNICODE_MINUS, "-"))
    return "text", None


def _is_empty(cell: object) -> bool:
    """True for what the editor shows as a blank cell: None, NaN, pd.NA, or only spaces."""
    if isinstance(cell, str):
        return not cell.strip()
    return bool(pd.api.types.is_scalar(cell) and pd.isna(cell))


def _number_kind(number: numbers.Real | str) -> tuple[str, float | None]:
    """A number that is finite once converted to float; 1e999 and huge integers are infinite."""
    try:
        value = float(number)
    except OverflowError:
        return "infinite", None
    if not math.isfinite(value):
        return "infinite", None
    return ("number", value) if abs(value) <= MAX_MAGNITUDE else ("too large", None)


def _read_text(text: str) -> tuple[str, float | None]:
    """Plain decimals are numbers; "inf" and "nan" are words for numbers a network cannot use."""
    if _DECIMAL.fullmatch(text):
        return _number_kind(text)
    word = text.lstrip("+-").lower()
    if word in ("inf", "infinity"):
        return "infinite", None
    return ("nan", None) if word == "nan" else ("text", None)


def _shown(cell: object) -> str:
    """The cell's text in quotes, cut short so a pasted paragraph doesn't flood the message."""
    text = str(cell).strip()
    if len(text) > MAX_SHOWN_CHARACTERS:
        text = text[: MAX_SHOWN_CHARACTERS - 1] + "…"
    return f"'{text}'"


def _comma_hint(cell: object) -> str:
    """A decimal comma is the likeliest typo; point at the fix instead of just rejecting it."""
    if isinstance(cell, str) and _DECIMAL.fullmatch(cell.strip().replace(",", ".", 1)):
        return f" (use a point for decimals: {cell.strip().replace(',', '.', 1)})"
    return ""


def _column_positions(df: pd.DataFrame) -> dict[str, int]:
    """Column name (as text) -> its position; a repeated name means its first column."""
    positions: dict[str, int] = {}
    for position, name in enumerate(df.columns):
        positions.setdefault(str(name), position)
    return positions


def _choice_problems(positions: dict[str, int], inputs: list[str], target: str | None) -> list[str]:
    """What is wrong with the chosen columns themselves, before any cell is read."""
    problems = []
    if not target:
        problems.append("Choose a target column.")
    if not inputs:
        problems.append("Choose at least one input column.")
    if target and target in inputs:
        problems.append(f"'{target}' is both an input and the target; pick it in only one place.")
    unknown = [name for name in [*inputs, *([str(target)] if target else [])] if name not in positions]
    problems += [f"There is no column '{name}' in the table; choose another column." for name in unknown]
    return problems


def _used_rows(df: pd.DataFrame) -> list[int]:
    """Positions of rows with anything typed in them; a freshly added, still blank row is skipped."""
    columns = [df.iloc[:, position].tolist() for position in range(df.shape[1])]
    return [row for row in range(len(df)) if not all(_is_empty(cells[row]) for cells in columns)]


def _row_count_problems(n_rows: int) -> list[str]:
    """Too few rows to learn from, or more than the page can train on while staying responsive."""
    if n_rows < 2:
        return [f"The table needs at least 2 rows to train on; it has {n_rows}."]
    if n_rows > MAX_ROWS:
        return [f"The table has {n_rows} rows; the most it can train on is {MAX_ROWS}. Delete some rows."]
    return []


def _cell_problems(cells: dict[str, list[object]], rows: list[int]) -> list[str]:
    """One message per cell that is not a number, reading the table top to bottom, left to right."""
    problems = []
    for row in rows:
        for name, column in cells.items():
            problem = numeric_cell_problem(column[row])
            if problem is not None:
                fix = "Type a number, or delete the row." if problem == "is empty" else "Type a number."
                problems.append(f"Row {row + 1}, column '{name}': {problem}. {fix}")
    return problems


def _target_problems(values: np.ndarray, rows: list[int], target: str, task: str) -> list[str]:
    """What stops these target values from being learned as the chosen problem type."""
    distinct = np.unique(values)
    if task == "regression":
        return []
    if len(distinct) == 1:
        return [f"The target '{target}' has only one class ({distinct[0]:g}); add rows of another class."]
    if task == "binary" and len(distinct) > 2:
        return [
            f"A binary target needs exactly two values; '{target}' has {len(distinct)}: "
            f"{_listed(distinct)}. Choose Multi-class or Regression."
        ]
    if task == "multiclass":
        return _multiclass_problems(values, distinct, rows, target)
    return []


def _multiclass_problems(values: np.ndarray, distinct: np.ndarray, rows: list[int], target: str) -> list[str]:
    """Classes must be whole numbers, and few enough to give each its own output neuron."""
    problems = [
        f"Row {row + 1}, column '{target}': {value:g} is not a whole number, so it cannot be a class. "
        "Type a class number, or choose Regression."
        for row, value in zip(rows, values, strict=True)
        if value != round(value)
    ]
    if len(distinct) > MAX_CLASSES:
        problems.append(
            f"A multi-class target can have at most {MAX_CLASSES} classes; '{target}' has {len(distinct)}. "
            "Choose Regression."
        )
    return problems


def _listed(distinct: np.ndarray, shown: int = 6) -> str:
    """The first few distinct values, comma separated, for a message."""
    text = ", ".join(f"{value:g}" for value in distinct[:shown])
    return text + ", …" if len(distinct) > shown else text


def _failed(problems: list[str]) -> TableCheck:
    """No data, and the problems with a long tail summarised so the list stays readable."""
    if len(problems) > MAX_LISTED_PROBLEMS:
        hidden = len(problems) - MAX_LISTED_PROBLEMS
        tail = f"…and {hidden} more problem{'s' if hidden > 1 else ''}."
        problems = [*problems[:MAX_LISTED_PROBLEMS], tail]
    return TableCheck(None, tuple(problems))


def _prepared(
    X: np.ndarray, values: np.ndarray, inputs: list[str], target: str, task: str, row_labels: tuple[str, ...]
) -> PreparedData:
    """Classification targets become class indices 0..k-1 into the sorted distinct values."""
    class_values: tuple[float, ...] = ()
    y = values
    if task != "regression":
        distinct = np.unique(values)
        class_values = tuple(float(value) for value in distinct)
        y = np.searchsorted(distinct, values).astype(float)
    return PreparedData(X, y, tuple(inputs), target, task, class_values, row_labels)


def _row_labels(df: pd.DataFrame, rows: list[int]) -> tuple[str, ...]:
    """The label column's text for each row, or "Row N" (as numbered in the table) when there is none."""
    label = label_column(df)
    labels = df.iloc[:, _column_positions(df)[label]].tolist() if label is not None else [None] * len(df)
    return tuple(f"Row {row + 1}" if _is_empty(labels[row]) else str(labels[row]).strip() for row in rows)
