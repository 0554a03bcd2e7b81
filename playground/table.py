"""Check the table the user typed and turn it into the arrays the network learns from.

Cells arrive exactly as typed: usually strings, sometimes numbers or blanks (None, NaN, pd.NA). The
table is only read, never changed or reordered. Everything a user can get wrong becomes a sentence
that names the row and column and says what to fix, and the cell it is about is remembered so the
editor can mark it.

A column "holds text" when more than half of its filled cells are not numbers. Such a column can be
the target, and then every distinct text (spaces around it ignored) is a class label; it can never
be an input. The first text column that is not the target labels the rows (like "Name").
"""

from __future__ import annotations

import math
import numbers
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

TASKS = ("binary", "multiclass", "regression")
MAX_ROWS = 5000
MAX_COLUMNS = 50  # a table from a file or a link
MAX_CLASSES = 10
# Beyond this, squares and sums of inputs overflow float64 and chart ranges become infinite.
MAX_MAGNITUDE = 1e12
MAX_LISTED_PROBLEMS = 10
MAX_MARKED_CELLS = 500
MAX_KIND_SAMPLE = 200  # filled cells read to tell a text column from a number column
MAX_SHOWN_CHARACTERS = 20
MAX_NAME_CHARACTERS = 200  # a column name or class label, wherever it comes from
MAX_CELL_CHARACTERS = 1000  # a cell, wherever it comes from (the editor, an upload)

# Plain decimal notation only: no decimal commas, thousands separators or underscores.
DECIMAL_PATTERN = r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"  # JavaScript reads it too
_DECIMAL = re.compile(DECIMAL_PATTERN)
_DECIMAL_LINES = re.compile(rf"(?:{DECIMAL_PATTERN})(?:\n(?:{DECIMAL_PATTERN}))*")  # a column of them
UNICODE_MINUS = "\u2212"


@dataclass(frozen=True)
class PreparedData:
    """The validated table: X (n_rows, n_inputs) and y (n_rows,), both float64, plus what they mean.

    For binary and multiclass, y holds class indices 0..k-1 and class_labels[i] is the text of class i
    (a number as typed, like "1", or a label, like "yes"); for regression y holds the typed values and
    class_labels is ().
    """

    X: np.ndarray
    y: np.ndarray
    feature_names: tuple[str, ...]
    target_name: str
    task: str
    class_labels: tuple[str, ...]
    row_labels: tuple[str, ...]


@dataclass(frozen=True)
class TableCheck:
    """Either data to train on, or the problems (in the user's words) that stop training.

    ``bad_cells`` lists (row position, column name, sentence) of every cell a problem is about, so the
    editor can mark it; it is capped at MAX_MARKED_CELLS.
    """

    data: PreparedData | None
    problems: tuple[str, ...]
    bad_cells: tuple[tuple[int, str, str], ...] = ()


@dataclass(frozen=True)
class _Problem:
    sentence: str
    cell: tuple[int, str] | None = None


def parse_number(cell: object) -> float | None:
    """The finite number in a cell (" 3 ", "-2.5", "1e3", "−7", 4), or None when there is none."""
    kind, value = _read_cell(cell)
    return value if kind == "number" else None


def numeric_cell_problem(cell: object) -> str | None:
    """None when the cell holds a finite number, else what is wrong with it ("is empty", …)."""
    return _reading_problem(cell, _read_cell(cell)[0])


def _reading_problem(cell: object, kind: str) -> str | None:
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


def same_cells(left: pd.DataFrame, right: pd.DataFrame) -> bool:
    """True when two tables have the same column names and show the same cells (a blank is a blank)."""
    if left.shape != right.shape or [str(name) for name in left.columns] != [
        str(name) for name in right.columns
    ]:
        return False
    texts = [[cell_text(cell) for cell in frame.to_numpy().ravel()] for frame in (left, right)]
    return texts[0] == texts[1]


def number_text(value: float, digits: int = 15) -> str:
    """A number as a person would type it into a cell: 1.0 → "1", 0.25 → "0.25", at most ``digits``
    significant digits (15 keeps a float as typed; fewer round it for a generated or clicked point)."""
    return f"{value:.{digits}g}"


def unique_column_names(header: Sequence[object]) -> list[str]:
    """Header cells as unique, non-empty column names: "Column N" for a blank, " (2)" for a repeat."""
    names: list[str] = []
    taken: set[str] = set()
    next_copy: dict[str, int] = {}
    for position, cell in enumerate(header, start=1):
        name = str(cell).strip() or f"Column {position}"
        unique = name
        while unique in taken:
            copy = next_copy.get(name, 2)
            next_copy[name] = copy + 1
            unique = f"{name} ({copy})"
        names.append(unique)
        taken.add(unique)
    return names


def text_columns(df: pd.DataFrame) -> list[str]:
    """Columns mostly holding text: more than half of their filled cells (the first MAX_KIND_SAMPLE of
    them) are not numbers.

    "Mostly", so that a typo in a number column is reported as a bad cell instead of turning the
    whole column into text.
    """
    return [name for name, position in _column_positions(df).items() if _holds_text(df.iloc[:, position])]


def label_column(df: pd.DataFrame, target: str | None = None) -> str | None:
    """The first text column that is not the target (like "Name"): a row label, never fed to the network."""
    return label_column_of(text_columns(df), target)


def label_column_of(text: list[str], target: str | None) -> str | None:
    """The first of the text columns ``text`` (in table order) that is not the target."""
    return next((name for name in text if name != target), None)


def target_choices(df: pd.DataFrame) -> list[str]:
    """Every column may be the target: numbers (classes or values) or text (class labels)."""
    return list(_column_positions(df))


def input_choices(df: pd.DataFrame, target: str | None) -> list[str]:
    """Columns that can be inputs: those holding numbers, other than the target, in table order."""
    text = set(text_columns(df))
    return [name for name in _column_positions(df) if name not in text and name != target]


def default_target(df: pd.DataFrame) -> str | None:
    """The last column, unless it is a column of names (all different texts) and another column exists."""
    names = list(_column_positions(df))
    text = set(text_columns(df))
    for name in reversed(names):
        if name not in text or not _all_distinct(df.iloc[:, _column_positions(df)[name]]):
            return name
    return names[-1] if names else None


def infer_task(values: np.ndarray) -> str:
    """A few whole numbers are classes (two: binary, more: multiclass); anything else is regression."""
    distinct = np.unique(values)
    if not np.all(distinct == np.round(distinct)) or len(distinct) > MAX_CLASSES:
        return "regression"
    return "binary" if len(distinct) <= 2 else "multiclass"


def go_on() -> None:
    """Between two parts of long work, by default: nothing (a server passes a way to let others go first)."""


def check_table(
    df: pd.DataFrame,
    input_columns: Sequence[str],
    target_column: str | None,
    task: str = "auto",
    between: Callable[[], None] = go_on,
) -> TableCheck:
    """Validate the chosen columns of the table; data when all is well, else every problem found.
    ``between`` is called between the columns' readings (a 5,000-row column takes a few ms)."""
    if task != "auto" and task not in TASKS:
        raise ValueError(f"Unknown task {task!r}; choose 'auto' or one of: {', '.join(TASKS)}.")
    positions = _column_positions(df)
    inputs = list(dict.fromkeys(str(name) for name in input_columns))
    problems = _choice_problems(positions, inputs, target_column)
    if problems:
        return _failed(problems)
    text = text_columns(df)
    problems = [_text_input_problem(name) for name in inputs if name in text]
    if problems:
        return _failed(problems)
    return _check_rows(df, positions, inputs, str(target_column), task, text, between)


def _check_rows(
    df: pd.DataFrame,
    positions: dict[str, int],
    inputs: list[str],
    target: str,
    task: str,
    text: list[str],
    between: Callable[[], None],
) -> TableCheck:
    """With the columns settled: the row count, every chosen cell, then the target against the task."""
    labels = target in text
    rows = _used_rows(df)
    problems = _row_count_problems(len(rows))
    if len(rows) > MAX_ROWS:
        return _failed(problems)
    cells = {name: df.iloc[:, positions[name]].tolist() for name in sorted(inputs, key=positions.__getitem__)}
    target_cells = df.iloc[:, positions[target]].tolist()
    if not labels:
        cells = dict(sorted({**cells, target: target_cells}.items(), key=lambda item: positions[item[0]]))
    readings = {}
    for name, column in cells.items():
        between()
        readings[name] = _read_column([column[row] for row in rows])
    problems += _cell_problems(cells, readings, rows)
    if labels:
        problems += _label_problems(target_cells, rows, target)
    if problems or len(rows) < 2:
        return _failed(problems)
    if labels:
        texts = [str(target_cells[row]).strip() for row in rows]
        outcome = _labelled(texts, target, task)
    else:
        values = np.array([value for _, value in readings[target]], dtype=float)
        outcome = _numbered(values, rows, target, task)
    if isinstance(outcome, list):
        return _failed(outcome)
    y, chosen_task, class_labels = outcome
    X = (
        np.array([[value for _, value in readings[name]] for name in inputs], dtype=float)
        .reshape(len(inputs), -1)
        .T
    )
    row_labels = _row_labels(df, rows, label_column_of(text, target))
    return TableCheck(PreparedData(X, y, tuple(inputs), target, chosen_task, class_labels, row_labels), ())


def _labelled(
    texts: list[str], target: str, task: str
) -> tuple[np.ndarray, str, tuple[str, ...]] | list[_Problem]:
    """Class indices for text labels (sorted), the task, and the labels; or why they cannot be classes."""
    distinct = sorted(set(texts))
    chosen_task = task
    if task == "auto":
        chosen_task = "binary" if len(distinct) <= 2 else "multiclass"
    if chosen_task == "regression":
        return [
            _Problem(
                f"'{target}' holds text labels, so it cannot be a regression target. "
                "Choose Binary or Multi-class, or type numbers."
            )
        ]
    problems = _class_count_problems(distinct, target, chosen_task)
    if problems:
        return problems
    index = {label: position for position, label in enumerate(distinct)}
    return np.array([index[text] for text in texts], dtype=float), chosen_task, tuple(distinct)


def _numbered(
    values: np.ndarray, rows: list[int], target: str, task: str
) -> tuple[np.ndarray, str, tuple[str, ...]] | list[_Problem]:
    """Targets typed as numbers: class indices into the sorted distinct values, or the values themselves."""
    chosen_task = infer_task(values) if task == "auto" else task
    if chosen_task == "regression":
        return values, chosen_task, ()
    distinct = np.unique(values)
    labels = [number_text(value) for value in distinct]
    problems = _class_count_problems(labels, target, chosen_task)
    if chosen_task == "multiclass":
        problems = _fraction_problems(values, rows, target) + problems
    if problems:
        return problems
    return np.searchsorted(distinct, values).astype(float), chosen_task, tuple(labels)


def _class_count_problems(labels: list[str], target: str, task: str) -> list[_Problem]:
    """One class is nothing to learn; binary needs exactly two; multi-class at most MAX_CLASSES."""
    if len(labels) == 1:
        return [
            _Problem(f"The target '{target}' has only one class ({labels[0]}); add rows of another class.")
        ]
    if task == "binary" and len(labels) > 2:
        return [
            _Problem(
                f"A binary target needs exactly two values; '{target}' has {len(labels)}: "
                f"{_listed(labels)}. Choose Multi-class or Regression."
            )
        ]
    if task == "multiclass" and len(labels) > MAX_CLASSES:
        return [
            _Problem(
                f"A multi-class target can have at most {MAX_CLASSES} classes; '{target}' has {len(labels)}. "
                "Choose Regression, or use fewer classes."
            )
        ]
    return []


def _fraction_problems(values: np.ndarray, rows: list[int], target: str) -> list[_Problem]:
    """Classes typed as numbers must be whole numbers."""
    return [
        _Problem(
            f"Row {row + 1}, column '{target}': {value:g} is not a whole number, so it cannot be a class. "
            "Type a class number, or choose Regression.",
            (row, target),
        )
        for row, value in zip(rows, values, strict=True)
        if value != round(value)
    ]


def _label_problems(cells: list[object], rows: list[int], target: str) -> list[_Problem]:
    """A used row needs a label in a text target column."""
    return [
        _Problem(
            f"Row {row + 1}, column '{target}': is empty. Type a label, or delete the row.", (row, target)
        )
        for row in rows
        if _is_empty(cells[row])
    ]


def _text_input_problem(name: str) -> _Problem:
    return _Problem(
        f"Column '{name}' holds text, so it cannot be an input (inputs are numbers). "
        "Remove it from the inputs, or choose it as the target."
    )


def _read_cell(cell: object) -> tuple[str, float | None]:
    """Sort a cell into "number", "empty", "infinite", "too large", "nan" or "text" (+ value if a number)."""
    if _is_empty(cell):
        return "empty", None
    if isinstance(cell, (bool, np.bool_)):
        return "text", None
    if isinstance(cell, numbers.Real):
        return _number_kind(cell)
    if isinstance(cell, str):
        return _read_text(cell.strip().replace(UNICODE_MINUS, "-"))
    return "text", None


def _read_column(cells: list[object]) -> list[tuple[str, float | None]]:
    """``_read_cell`` of every cell; a column of plain decimals typed as text (the usual case, and every
    generated data set) is read at once: one pattern over the whole column (one line a cell: a cell
    with a line break of its own is read alone), then NumPy's conversion."""
    column = "\n".join(cells) if cells and set(map(type, cells)) == {str} else None  # type: ignore[arg-type]
    if column is not None and column.count("\n") == len(cells) - 1 and _DECIMAL_LINES.fullmatch(column):
        values = np.array(cells, dtype=float)
        if np.isfinite(values).all() and np.abs(values).max() <= MAX_MAGNITUDE:
            return [("number", value) for value in values.tolist()]
    return [_read_cell(cell) for cell in cells]


def _is_empty(cell: object) -> bool:
    """True for what the editor shows as a blank cell: None, NaN, pd.NA, or only spaces."""
    if isinstance(cell, str):
        return not cell.strip()
    return bool(pd.api.types.is_scalar(cell) and pd.isna(cell))


def _holds_text(cells: pd.Series) -> bool:
    """More than half of the first MAX_KIND_SAMPLE filled cells are text (a bounded cost per column)."""
    sample: list[object] = []
    for cell in cells:
        if not _is_empty(cell):
            sample.append(cell)
            if len(sample) == MAX_KIND_SAMPLE:
                break
    texts = sum(kind == "text" for kind, _ in _read_column(sample))
    return 2 * texts > len(sample)


def _all_distinct(cells: pd.Series) -> bool:
    texts = [str(cell).strip() for cell in cells if not _is_empty(cell)]
    return len(set(texts)) == len(texts)


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


def _choice_problems(positions: dict[str, int], inputs: list[str], target: str | None) -> list[_Problem]:
    """What is wrong with the chosen columns themselves, before any cell is read."""
    problems = []
    if not target:
        problems.append(_Problem("Choose a target column."))
    if not inputs:
        problems.append(_Problem("Choose at least one input column."))
    if target and target in inputs:
        problems.append(_Problem(f"'{target}' is both an input and the target; pick it in only one place."))
    unknown = [name for name in [*inputs, *([str(target)] if target else [])] if name not in positions]
    problems += [
        _Problem(f"There is no column '{name}' in the table; choose another column.") for name in unknown
    ]
    return problems


def _used_rows(df: pd.DataFrame) -> list[int]:
    """Positions of rows with anything typed in them; a freshly added, still blank row is skipped."""
    filled = np.zeros(len(df), dtype=bool)
    for position in range(df.shape[1]):
        cells = df.iloc[:, position].tolist()
        if set(map(type, cells)) <= {str}:  # the usual case, read without a Python call per cell
            filled |= np.fromiter(map(bool, map(str.strip, cells)), dtype=bool, count=len(cells))
        else:
            filled |= np.array([not _is_empty(cell) for cell in cells], dtype=bool)
    return np.flatnonzero(filled).tolist()


def _row_count_problems(n_rows: int) -> list[_Problem]:
    """Too few rows to learn from, or more than the page can train on while staying responsive."""
    if n_rows < 2:
        return [_Problem(f"The table needs at least 2 rows to train on; it has {n_rows}.")]
    if n_rows > MAX_ROWS:
        return [
            _Problem(
                f"The table has {n_rows} rows; the most it can train on is {MAX_ROWS}. Delete some rows."
            )
        ]
    return []


def _cell_problems(
    cells: dict[str, list[object]], readings: dict[str, list[tuple[str, float | None]]], rows: list[int]
) -> list[_Problem]:
    """One message per cell that is not a number, reading the table top to bottom, left to right."""
    order = {name: position for position, name in enumerate(cells)}
    bad = sorted(
        (index, order[name])
        for name, reading in readings.items()
        for index, (kind, _) in enumerate(reading)
        if kind != "number"
    )
    names = list(cells)
    problems = []
    for index, position in bad:
        row, name = rows[index], names[position]
        problem = _reading_problem(cells[name][row], readings[name][index][0])
        fix = "Type a number, or delete the row." if problem == "is empty" else "Type a number."
        problems.append(_Problem(f"Row {row + 1}, column '{name}': {problem}. {fix}", (row, name)))
    return problems


def _listed(labels: list[str], shown: int = 6) -> str:
    """The first few distinct values, comma separated, for a message."""
    text = ", ".join(labels[:shown])
    return text + ", …" if len(labels) > shown else text


def _failed(problems: list[_Problem]) -> TableCheck:
    """No data, and the problems with a long tail summarised so the list stays readable."""
    sentences = [problem.sentence for problem in problems]
    if len(sentences) > MAX_LISTED_PROBLEMS:
        hidden = len(sentences) - MAX_LISTED_PROBLEMS
        tail = f"…and {hidden} more problem{'s' if hidden > 1 else ''}."
        sentences = [*sentences[:MAX_LISTED_PROBLEMS], tail]
    cells = tuple((*problem.cell, problem.sentence) for problem in problems if problem.cell is not None)
    return TableCheck(None, tuple(sentences), cells[:MAX_MARKED_CELLS])


def _row_labels(df: pd.DataFrame, rows: list[int], label: str | None) -> tuple[str, ...]:
    """The label column's text for each row, or "Row N" (as numbered in the table) when there is none."""
    labels = df.iloc[:, _column_positions(df)[label]].tolist() if label is not None else [None] * len(df)
    return tuple(f"Row {row + 1}" if _is_empty(labels[row]) else str(labels[row]).strip() for row in rows)
