"""Moving tables, training histories and models in and out of the playground as files.

Everything here is bytes in, checked values out (or values in, bytes out), with no Streamlit, so the
views only wire these to upload and download buttons. Uploaded files are outside data: they are parsed
as CSV or JSON and checked field by field, never evaluated and never unpickled. Every problem a user
can cause is a ValueError (or a TypeError for a wrongly shaped saved model) whose message says what
to fix.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import math
import numbers
import re
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from nn_core.datasets import Standardizer
from nn_core.network import Network
from nn_core.serialize import export_script, network_from_dict, network_to_dict
from nn_core.training import History
from playground.model import ModelRun
from playground.table import MAX_ROWS, TASKS, PreparedData, cell_text

MAX_UPLOAD_BYTES = 2_000_000
MAX_COLUMNS = 50
MODEL_FORMAT = "playground.model"
MODEL_VERSION = 1
DELIMITERS = ",;\t|"
MAX_EXAMPLE_ROWS = 5
MAX_INT_DIGITS = 300
# csv.Sniffer's quote search can take quadratic time, so it only ever sees the start of a file.
SNIFF_CHARACTERS = 8192
HISTORY_COLUMNS = ("epoch", "train_loss", "test_loss", "train_accuracy", "test_accuracy")
TASK_WORDS = {
    "binary": "binary classification",
    "multiclass": "multi-class classification",
    "regression": "regression",
}

# Control characters never typed into a table; tab, newline and carriage return are CSV's own.
_BINARY_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


# --- tables ---------------------------------------------------------------------------------------


def table_from_csv(data: bytes) -> pd.DataFrame:
    """An uploaded CSV file as a table of strings (dtype object), every cell exactly as in the file.

    The delimiter (one of , ; tab |) is guessed from the start of the file, falling back to a comma.
    The first line is the header: names are stripped of surrounding spaces, an empty name becomes
    "Column N" (N counting from 1) and a repeated name gets " (2)", " (3)", … appended. Blank lines
    are skipped, and surplus empty cells at the end of a line (a trailing delimiter) are dropped.
    """
    text = _decoded_text(data)
    sniffed = _sniffed_delimiter(text)
    try:
        return _table(text, sniffed)
    except _MalformedCsv as error:
        if sniffed == ",":
            raise
        sniffed_error = error
    # The guess can be fooled, say by a ';' in every header cell; the file may still read with commas.
    try:
        return _table(text, ",")
    except _MalformedCsv:
        raise sniffed_error from None


def table_to_csv(table: pd.DataFrame) -> bytes:
    """The table as UTF-8 CSV, each cell as typed (a blank cell is empty); table_from_csv reads it back."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([str(name) for name in table.columns])
    for row in table.itertuples(index=False, name=None):
        writer.writerow([cell_text(cell) for cell in row])
    return buffer.getvalue().encode("utf-8")


class _MalformedCsv(ValueError):
    """Lines that do not read as CSV with the delimiter tried: bad quotes or the wrong number of cells."""


def _table(text: str, delimiter: str) -> pd.DataFrame:
    """The text read with ``delimiter``: the header's names, then one row per line, of strings."""
    lines = _csv_lines(text, delimiter)
    if not lines:
        raise ValueError("The file is empty. Choose a CSV file with a header line and rows of data.")
    names = _column_names(lines[0][1])
    rows = [_row_of_width(cells, len(names), line, delimiter) for line, cells in lines[1:]]
    if len(names) > MAX_COLUMNS:
        raise ValueError(
            f"The file has {len(names)} columns; the playground takes up to {MAX_COLUMNS}. "
            "Remove columns and upload again."
        )
    if len(rows) > MAX_ROWS:
        raise ValueError(
            f"The file has {len(rows):,} rows; the playground takes up to {MAX_ROWS:,}. "
            "Remove rows and upload again."
        )
    return pd.DataFrame(rows, columns=pd.Index(names, dtype=object), dtype=object)


def _decoded_text(data: bytes) -> str:
    """The file's text: UTF-8 (a byte-order mark is dropped), else Latin-1; binary files are refused."""
    if not isinstance(data, (bytes, bytearray)):
        raise TypeError(f"An uploaded file must be bytes, not {type(data).__name__}.")
    _check_size(data)
    try:
        text = bytes(data).decode("utf-8-sig")
    except UnicodeDecodeError:
        # Latin-1 gives every byte a character, so older spreadsheet exports still open.
        text = bytes(data).decode("latin-1")
    if _BINARY_CHARACTERS.search(text):
        raise ValueError(
            "This file is not CSV text (it contains binary data). "
            "Save the table as CSV (UTF-8) and upload that file."
        )
    if not text.strip():
        raise ValueError("The file is empty. Choose a CSV file with a header line and rows of data.")
    return text


def _check_size(data: bytes) -> None:
    if not data:
        raise ValueError("The file is empty. Choose a file with something in it.")
    if len(data) > MAX_UPLOAD_BYTES:
        raise ValueError(
            f"The file is {len(data):,} bytes; the playground takes files up to {MAX_UPLOAD_BYTES:,} bytes. "
            "Make it smaller and upload again."
        )


def _sniffed_delimiter(text: str) -> str:
    """The delimiter csv.Sniffer finds in whole lines at the start of the file, else a comma."""
    sample = text[:SNIFF_CHARACTERS]
    if len(text) > SNIFF_CHARACTERS and "\n" in sample:
        sample = sample[: sample.rindex("\n")]
    try:
        return csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        return ","


def _csv_lines(text: str, delimiter: str) -> list[tuple[int, list[str]]]:
    """Each non-blank record with the line it starts on (a quoted cell may run over several lines)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quotechar='"', strict=True)
    lines = []
    start = 1
    try:
        for cells in reader:
            if cells:
                lines.append((start, cells))
            start = reader.line_num + 1
    except csv.Error as error:
        raise _MalformedCsv(
            f"Line {start} could not be read as CSV ({error}). Check the quote marks on that line: "
            'a quoted cell must end with a quote, and a quote inside it is written twice ("").'
        ) from error
    return lines


def _column_names(header: list[str]) -> list[str]:
    """Header cells as unique, non-empty column names."""
    names: list[str] = []
    for position, cell in enumerate(header, start=1):
        name = cell.strip() or f"Column {position}"
        unique, copy = name, 2
        while unique in names:
            unique, copy = f"{name} ({copy})", copy + 1
        names.append(unique)
    return names


def _row_of_width(cells: list[str], width: int, line: int, delimiter: str) -> list[str]:
    """The line's cells when it has one per column, else a ValueError naming the line."""
    if len(cells) > width and not any(cells[width:]):
        cells = cells[:width]
    if len(cells) != width:
        shown = "tab" if delimiter == "\t" else f"'{delimiter}'"
        raise _MalformedCsv(
            f"Line {line} has {len(cells)} cells but the header has {width} columns. "
            f"Give every line {width} cells separated by {shown} (put quotes around a cell that "
            "contains one), then upload again."
        )
    return cells


# --- training history -----------------------------------------------------------------------------


def history_to_csv(history: History) -> bytes:
    """One row per epoch (numbered from 1); a figure that was not recorded is an empty cell."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HISTORY_COLUMNS)
    figures = (history.train_loss, history.test_loss, history.train_accuracy, history.test_accuracy)
    for epoch in range(history.epochs):
        cells = [repr(float(values[epoch])) if epoch < len(values) else "" for values in figures]
        writer.writerow([str(epoch + 1), *cells])
    return buffer.getvalue().encode("utf-8")


# --- models ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LoadedModel:
    """A checked model file: the network and what its inputs and outputs mean in the table's units."""

    network: Network
    feature_names: tuple[str, ...]
    target_name: str
    task: str
    class_values: tuple[float, ...]
    standardizer: Standardizer


def model_to_json(model: ModelRun) -> bytes:
    """The trained network, what it reads and predicts, and its standardiser, as a UTF-8 JSON document."""
    if not np.isfinite(model.network.parameters).all():
        raise ValueError(
            "The network's weights are not finite numbers (training diverged), so it cannot be saved. "
            "Reset the network, lower the learning rate and train again."
        )
    document = {
        "format": MODEL_FORMAT,
        "version": MODEL_VERSION,
        "network": network_to_dict(model.network),
        "inputs": list(model.data.feature_names),
        "target": model.data.target_name,
        "task": model.data.task,
        "class_values": [float(value) for value in model.data.class_values],
        "standardizer": model.standardizer.to_dict(),
    }
    return json.dumps(document, indent=1, allow_nan=False).encode("utf-8")


def model_from_json(data: bytes) -> LoadedModel:
    """A model saved by model_to_json, checked field by field; ValueError or TypeError says what is wrong."""
    document = _json_document(data)
    if document.get("format") != MODEL_FORMAT:
        raise ValueError(f"This is not a saved playground model: 'format' should be {MODEL_FORMAT!r}.")
    version = document.get("version")
    if isinstance(version, bool) or version != MODEL_VERSION:
        raise ValueError(
            f"Unsupported model file version {version!r}; this playground reads version {MODEL_VERSION}."
        )
    _check_network_fits_file(document.get("network"), len(data))
    network = network_from_dict(document.get("network"))
    feature_names = _names(document.get("inputs"), network.n_inputs)
    target_name = _text(document.get("target"), "target")
    task = document.get("task")
    if task not in TASKS:
        raise ValueError(f"'task' must be one of {', '.join(TASKS)}; got {task!r}.")
    class_values = _class_values(document.get("class_values"), task, network.n_outputs)
    standardizer = Standardizer.from_dict(document.get("standardizer"))
    if len(standardizer.mean) != network.n_inputs:
        raise ValueError(
            f"The standardiser has {len(standardizer.mean)} columns but the network has "
            f"{network.n_inputs} inputs; they must match."
        )
    return LoadedModel(network, feature_names, target_name, task, class_values, standardizer)


def model_fits_data(loaded: LoadedModel, data: PreparedData) -> list[str]:
    """What stops the loaded model from being used with the table's chosen columns; [] when it fits."""
    problems = []
    if loaded.feature_names != data.feature_names:
        problems.append(
            f"The model was trained on inputs {_quoted(loaded.feature_names)} "
            f"but the table's inputs are {_quoted(data.feature_names)}."
        )
    if loaded.target_name != data.target_name:
        problems.append(
            f"The model was trained to predict '{loaded.target_name}' "
            f"but the table's target is '{data.target_name}'."
        )
    if loaded.task != data.task:
        problems.append(
            f"The model does {TASK_WORDS[loaded.task]} but the table's target is set up for "
            f"{TASK_WORDS[data.task]}."
        )
    elif loaded.task != "regression" and len(loaded.class_values) != len(data.class_values):
        problems.append(
            f"The model knows {len(loaded.class_values)} classes but the table's target "
            f"'{data.target_name}' has {len(data.class_values)}."
        )
    elif loaded.class_values != data.class_values:
        problems.append(
            f"The model's classes are {_numbers(loaded.class_values)} "
            f"but the table's are {_numbers(data.class_values)}."
        )
    return problems


def model_script(model: ModelRun) -> str:
    """A standalone NumPy script printing this model's predictions, the table's first rows as examples."""
    return export_script(
        model.network,
        model.data.feature_names,
        model.standardizer.mean,
        model.standardizer.scale,
        model.data.X[:MAX_EXAMPLE_ROWS],
    )


def _json_document(data: bytes) -> dict[str, Any]:
    """The file parsed as a JSON object; NaN and Infinity, which JSON itself does not allow, are refused."""
    if not isinstance(data, (bytes, bytearray)):
        raise TypeError(f"An uploaded file must be bytes, not {type(data).__name__}.")
    _check_size(data)
    try:
        document = json.loads(
            bytes(data).decode("utf-8-sig"), parse_constant=_refuse_constant, parse_int=_small_int
        )
    except UnicodeDecodeError as error:
        raise ValueError("This is not a saved model: the file is not UTF-8 text.") from error
    except json.JSONDecodeError as error:
        raise ValueError(
            f"This is not a saved model: the file is not valid JSON "
            f"({error.msg} at line {error.lineno}, column {error.colno})."
        ) from error
    except RecursionError as error:
        raise ValueError("This is not a saved model: its JSON is nested too deeply.") from error
    if not isinstance(document, dict):
        raise ValueError("This is not a saved model: the file should hold a JSON object ({…}).")
    return document


def _refuse_constant(name: str) -> float:
    raise ValueError(f"This is not a saved model: it contains {name}, which is not a number JSON allows.")


def _small_int(digits: str) -> int:
    """A JSON whole number, refused when too long to be a float (math on it would overflow)."""
    if len(digits.lstrip("-")) > MAX_INT_DIGITS:
        raise ValueError(f"This is not a saved model: it contains a whole number with {len(digits)} digits.")
    return int(digits)


def _check_network_fits_file(network: object, n_bytes: int) -> None:
    """Refuse layer sizes needing more weights than the file could hold, before any are allocated.

    Each number in JSON takes at least two bytes (a digit and a separator).
    """
    sizes = network.get("layer_sizes") if isinstance(network, dict) else None
    if not isinstance(sizes, list) or not all(isinstance(size, int) and size > 0 for size in sizes):
        return  # network_from_dict explains what is wrong with them
    n_parameters = sum((n_in + 1) * n_out for n_in, n_out in itertools.pairwise(sizes))
    if 2 * n_parameters > n_bytes:
        raise ValueError(
            f"The network's layer sizes {sizes} need {n_parameters:,} weights, more than the file holds."
        )


def _names(value: object, n_inputs: int) -> tuple[str, ...]:
    """One distinct text name per network input."""
    if not isinstance(value, list) or not all(isinstance(name, str) for name in value):
        raise ValueError("'inputs' must be a list of column names (text).")
    if len(value) != n_inputs:
        raise ValueError(f"'inputs' names {len(value)} columns but the network has {n_inputs} inputs.")
    if len(set(value)) != len(value):
        raise ValueError("'inputs' names the same column twice; each input needs its own column.")
    return tuple(value)


def _text(value: object, key: str) -> str:
    if not isinstance(value, str):
        raise ValueError(f"'{key}' must be a column name (text), got {value!r}.")
    return value


def _class_values(value: object, task: str, n_outputs: int) -> tuple[float, ...]:
    """The typed value of each class, increasing; none for regression, two for binary, one per output else."""
    if not isinstance(value, list):
        raise ValueError("'class_values' must be a list of numbers.")
    for number in value:
        is_real = isinstance(number, numbers.Real) and not isinstance(number, bool)
        if not is_real or not math.isfinite(number):
            raise ValueError(f"'class_values' must hold only finite numbers, got {number!r}.")
    expected = {"regression": 0, "binary": 2}.get(task, n_outputs)
    if len(value) != expected or (task == "multiclass") != (n_outputs > 1):
        raise ValueError(
            f"A {TASK_WORDS[task]} model with {n_outputs} output(s) cannot have {len(value)} class values."
        )
    if any(later <= earlier for earlier, later in itertools.pairwise(value)):
        raise ValueError("'class_values' must be distinct and in increasing order.")
    return tuple(float(number) for number in value)


def _quoted(names: tuple[str, ...]) -> str:
    return ", ".join(f"'{name}'" for name in names)


def _numbers(values: tuple[float, ...]) -> str:
    return ", ".join(f"{value:g}" for value in values)
