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
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from nn_core.datasets import Standardizer
from nn_core.features import MAX_FEATURES, Feature, parse_features, with_features
from nn_core.network import Network
from nn_core.serialize import export_script, network_from_dict, network_to_dict
from nn_core.training import History
from playground.model import ModelRun
from playground.settings import MAX_HIDDEN_LAYERS, MAX_NEURONS, OUTPUTS_FOR_TASK, NetworkSettings, setting
from playground.table import (
    MAX_CELL_CHARACTERS,
    MAX_COLUMNS,
    MAX_NAME_CHARACTERS,
    MAX_ROWS,
    TASKS,
    PreparedData,
    cell_text,
    number_text,
    parse_number,
    unique_column_names,
)
from playground.text import counted, has_control_character, has_lone_surrogate

# What the uploader enforces: Streamlit's server.maxUploadSize = 2 means 2,000,000 bytes (its "2MB").
MAX_UPLOAD_BYTES = 2_000_000
# A spreadsheet runs a cell starting with one of these as a formula (OWASP: CSV injection): a download
# writes FORMULA_GUARD before such a text cell, and an upload takes it away again.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FORMULA_GUARD = "'"
MODEL_FORMAT = "playground.model"
MODEL_VERSION = 3
READABLE_MODEL_VERSIONS = (1, 2, 3)
DELIMITERS = ",;\t|"
MAX_EXAMPLE_ROWS = 5
MAX_INT_DIGITS = 300
# The delimiter is chosen from the start of the file only, so a big file is read twice at most.
SNIFF_LINES = 50
HISTORY_COLUMNS = ("epoch", "train_loss", "test_loss", "train_accuracy", "test_accuracy")
TASK_WORDS = {
    "binary": "binary classification",
    "multiclass": "multi-class classification",
    "regression": "regression",
}

# A number with a decimal comma and nothing else: 4,5  -0,25  ,5  1,5e3 (no thousands separators).
_DECIMAL_COMMA = re.compile(r"\s*[+-]?[0-9]*,[0-9]+(?:[eE][+-]?[0-9]+)?\s*")


# --- tables ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CsvImport:
    """An uploaded table of strings, and sentences about anything read in a way worth saying."""

    table: pd.DataFrame
    notes: tuple[str, ...] = ()


def table_from_csv(data: bytes) -> CsvImport:
    """An uploaded CSV file as a table of strings (dtype object), every cell as in the file.

    The delimiter (one of , ; tab |) is the one that splits the start of the file into the same number
    of cells on every line, the most columns winning; a file with one column is read with commas.
    The first line is the header: names are stripped of surrounding spaces, an empty name becomes
    "Column N" (N counting from 1) and a repeated name gets " (2)", " (3)", … appended. Blank lines
    are skipped, and surplus empty cells at the end of a line (a trailing delimiter) are dropped.
    In a file not separated by commas, numbers written with a decimal comma (4,5) are read as 4.5,
    and a note says so.
    """
    text = _decoded_text(data)
    delimiter = _chosen_delimiter(text)
    names, rows = _table(text, delimiter)
    rows, notes = _with_decimal_points(rows, delimiter)
    (names, *rows), guards = _unguarded([names, *rows])
    columns = pd.Index(unique_column_names(names), dtype=object)  # "'=a" and "=a" would meet
    table = pd.DataFrame(rows, columns=columns, dtype=object)
    return CsvImport(table, notes + guards)


def table_to_csv(table: pd.DataFrame) -> bytes:
    """The table as UTF-8 CSV, every cell quoted and as typed (a blank cell is empty), except that a
    text cell a spreadsheet would run as a formula (=, +, -, @, tab or CR first) gets a ' before it.

    Quoting every cell keeps a cell holding ';', a tab or '|' from passing for a delimiter, and
    table_from_csv takes the guards away again, so it reads the file back exactly.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL)
    writer.writerow([_guarded(cell_text(name)) for name in table.columns])
    for row in table.itertuples(index=False, name=None):
        writer.writerow([_guarded(cell_text(cell)) for cell in row])
    return buffer.getvalue().encode("utf-8")


def _guarded(text: str) -> str:
    """A text cell that a spreadsheet would run as a formula, with FORMULA_GUARD before it; numbers
    ("-7", "+3") stay as they are."""
    return FORMULA_GUARD + text if _is_formula(text) else text


def _is_formula(text: str) -> bool:
    return text.startswith(FORMULA_STARTS) and parse_number(text) is None


def _unguarded(rows: list[list[str]]) -> tuple[list[list[str]], tuple[str, ...]]:
    """Cells as typed before a download guarded them (the ' before a formula taken away), and a note
    saying how many."""
    count = 0
    read = []
    for row in rows:
        cells = []
        for cell in row:
            guarded = cell.startswith(FORMULA_GUARD) and _is_formula(cell[len(FORMULA_GUARD) :])
            cells.append(cell[len(FORMULA_GUARD) :] if guarded else cell)
            count += guarded
        read.append(cells)
    if not count:
        return rows, ()
    note = (
        f"{counted(count, 'cell')} started with ' before =, +, -, @ (as this playground's downloads "
        f"guard cells a spreadsheet would run as formulas) and {'were' if count > 1 else 'was'} read "
        "without it."
    )
    return read, (note,)


class _MalformedCsv(ValueError):
    """Lines that do not read as CSV with the delimiter tried: bad quotes or the wrong number of cells."""


def _table(text: str, delimiter: str) -> tuple[list[str], list[list[str]]]:
    """The column names and the rows of strings, every size checked while reading, before it costs memory."""
    records = _csv_records(text, delimiter)
    header = next(records, None)
    if header is None:
        raise ValueError("The file is empty. Choose a CSV file with a header line and rows of data.")
    if len(header[1]) > MAX_COLUMNS:
        raise ValueError(
            f"The file has {len(header[1])} columns; the playground takes up to {MAX_COLUMNS}. "
            "Remove columns and upload again."
        )
    names = unique_column_names(header[1])
    _check_lengths(names, MAX_NAME_CHARACTERS, "A column name", header[0])
    rows = []
    for line, cells in records:
        if len(rows) == MAX_ROWS:
            n_rows = MAX_ROWS + 1 + sum(1 for _ in records)
            raise ValueError(
                f"The file has {n_rows:,} rows; the playground takes up to {MAX_ROWS:,}. "
                "Remove rows and upload again."
            )
        row = _row_of_width(cells, len(names), line, delimiter)
        _check_lengths(row, MAX_CELL_CHARACTERS, "A cell", line)
        rows.append(row)
    return names, rows


def _check_lengths(texts: list[str], limit: int, what: str, line: int) -> None:
    """Refuse a name or cell longer than the app shows, saves and shares (saying which and where)."""
    for position, text in enumerate(texts, start=1):
        if len(text) > limit:
            raise ValueError(
                f"{what} on line {line} (column {position}) is {len(text):,} characters long; the "
                f"playground takes up to {limit:,}. Shorten it and upload again."
            )


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
    if has_control_character(text):
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
            f"The file is {len(data):,} bytes; the playground takes files up to {MAX_UPLOAD_BYTES:,} bytes "
            "(2 MB). Make it smaller and upload again."
        )


def _chosen_delimiter(text: str) -> str:
    """The delimiter giving the most columns with the same number of cells on each of the first lines.

    A delimiter that splits the header but not every line the same way is a coincidence (a ';' inside
    a text cell), not the file's delimiter. With no such delimiter the file has one column (commas).
    """
    best, best_width = ",", 1
    for delimiter in DELIMITERS:
        width = _consistent_width(text, delimiter)
        if width > best_width:
            best, best_width = delimiter, width
    return best


def _consistent_width(text: str, delimiter: str) -> int:
    """The header's number of cells when the first SNIFF_LINES lines all have that many, else 0."""
    records = _csv_records(text, delimiter)
    try:
        sample = list(itertools.islice(records, SNIFF_LINES))
    except _MalformedCsv:
        return 0
    if not sample:
        return 0
    width = len(sample[0][1])
    consistent = all(_trimmed_width(cells, width) == width for _, cells in sample[1:])
    return width if consistent else 0


def _trimmed_width(cells: list[str], width: int) -> int:
    """How many cells a line has once empty cells beyond ``width`` (a trailing delimiter) are dropped."""
    return width if len(cells) > width and not any(cells[width:]) else len(cells)


def _csv_records(text: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """Each non-blank record with the line it starts on (a quoted cell may run over several lines)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quotechar='"', strict=True)
    start = 1
    try:
        for cells in reader:
            if cells:
                yield start, cells
            start = reader.line_num + 1
    except csv.Error as error:
        raise _MalformedCsv(
            f"Line {start} could not be read as CSV ({error}). Check the quote marks on that line: "
            'a quoted cell must end with a quote, and a quote inside it is written twice ("").'
        ) from error


def _row_of_width(cells: list[str], width: int, line: int, delimiter: str) -> list[str]:
    """The line's cells when it has one per column, else a ValueError naming the line."""
    if _trimmed_width(cells, width) == width:
        return cells[:width]
    shown = "tab" if delimiter == "\t" else f"'{delimiter}'"
    raise _MalformedCsv(
        f"Line {line} has {len(cells)} cells but the header has {width} columns. "
        f"Give every line {width} cells separated by {shown} (put quotes around a cell that "
        "contains one), then upload again."
    )


def _with_decimal_points(rows: list[list[str]], delimiter: str) -> tuple[list[list[str]], tuple[str, ...]]:
    """Rows with decimal commas (4,5) read as points (4.5) when the file is not comma-separated."""
    if delimiter == ",":
        return rows, ()
    count = 0
    converted = []
    for row in rows:
        cells = []
        for cell in row:
            if _DECIMAL_COMMA.fullmatch(cell):
                cells.append(cell.replace(",", "."))
                count += 1
            else:
                cells.append(cell)
        converted.append(cells)
    if not count:
        return rows, ()
    example = next(cell for row in rows for cell in row if _DECIMAL_COMMA.fullmatch(cell)).strip()
    note = (
        f"This file writes decimals with a comma, so {count:,} number{'s' if count > 1 else ''} "
        f"such as {example} {'were' if count > 1 else 'was'} read with a point ({example.replace(',', '.')})."
    )
    return converted, (note,)


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
    class_labels: tuple[str, ...]
    standardizer: Standardizer
    features: tuple[Feature, ...] = ()

    def network_inputs(self, X_raw: np.ndarray) -> np.ndarray:
        """Raw rows -> what the network reads: the derived inputs added, then standardised."""
        return self.standardizer.transform(with_features(X_raw, self.features))


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
        "features": [feature.code for feature in model.features],
        "target": model.data.target_name,
        "task": model.data.task,
        "classes": list(model.data.class_labels),
        "standardizer": model.standardizer.to_dict(),
    }
    return json.dumps(document, indent=1, allow_nan=False).encode("utf-8")


def model_from_json(data: bytes) -> LoadedModel:
    """A model saved by model_to_json, checked field by field; ValueError or TypeError says what is wrong.

    Version 1 files (classes saved as numbers under 'class_values') are read too.
    """
    document = _json_document(data)
    if document.get("format") != MODEL_FORMAT:
        raise ValueError(f"This is not a saved playground model: 'format' should be {MODEL_FORMAT!r}.")
    version = document.get("version")
    if isinstance(version, bool) or version not in READABLE_MODEL_VERSIONS:
        raise ValueError(
            f"Unsupported model file version {_brief(version)}; this playground reads versions "
            f"{', '.join(str(number) for number in READABLE_MODEL_VERSIONS)}."
        )
    _check_network_fits_file(document.get("network"), len(data))
    network = network_from_dict(document.get("network"))
    _check_network_fits_controls(network)
    codes = document.get("features", [])
    if not isinstance(codes, list) or len(codes) > MAX_FEATURES:
        raise ValueError(f"'features' must be a list of up to {MAX_FEATURES} derived inputs, like \"x1^2\".")
    feature_names = _names(document.get("inputs"), network.n_inputs - len(codes))
    features = parse_features(codes, len(feature_names))
    target_name = _text(document.get("target"), "target")
    task = document.get("task")
    if task not in TASKS:
        raise ValueError(f"'task' must be one of {', '.join(TASKS)}; got {_brief(task)}.")
    if network.output_activation not in OUTPUTS_FOR_TASK[task]:
        raise ValueError(
            f"A {TASK_WORDS[task]} model needs a {' or '.join(OUTPUTS_FOR_TASK[task])} output, "
            f"not {network.output_activation}."
        )
    if version == 1:
        class_labels = _class_values(document.get("class_values"), task, network.n_outputs)
    else:
        class_labels = _class_labels(document.get("classes"), task, network.n_outputs)
    standardizer = Standardizer.from_dict(document.get("standardizer"))
    if len(standardizer.mean) != network.n_inputs:
        raise ValueError(
            f"The standardiser has {len(standardizer.mean)} columns but the network has "
            f"{network.n_inputs} inputs; they must match."
        )
    return LoadedModel(network, feature_names, target_name, task, class_labels, standardizer, features)


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
    elif loaded.task != "regression" and len(loaded.class_labels) != len(data.class_labels):
        problems.append(
            f"The model knows {len(loaded.class_labels)} classes but the table's target "
            f"'{data.target_name}' has {len(data.class_labels)}."
        )
    elif loaded.class_labels != data.class_labels:
        problems.append(
            f"The model's classes are {_quoted(loaded.class_labels)} "
            f"but the table's are {_quoted(data.class_labels)}."
        )
    if not problems and not _answers_are_finite(loaded, data):
        problems.append(
            "On this table's rows the model's numbers overflow (its standardiser or weights are too "
            "extreme), so it cannot be used. Load a model trained in the playground."
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
        model.features,
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


def _check_network_fits_controls(network: Network) -> None:
    """Refuse a network the sidebar could not show (it would be replaced by a smaller one)."""
    hidden = network.layer_sizes[1:-1]
    try:
        setting(NetworkSettings, "hidden_layers").check(hidden)
    except ValueError:
        raise ValueError(
            f"The model has hidden layers {list(hidden)}; the playground shows up to {MAX_HIDDEN_LAYERS} "
            f"hidden layers of up to {MAX_NEURONS} neurons each."
        ) from None


def _answers_are_finite(loaded: LoadedModel, data: PreparedData) -> bool:
    """True when the model gives finite outputs on every row and at the corners of the input ranges."""
    margin = 0.5 * (data.X.max(axis=0) - data.X.min(axis=0)) + 1.0
    rows = np.vstack([data.X, data.X.min(axis=0) - margin, data.X.max(axis=0) + margin])
    with np.errstate(all="ignore"):
        inputs = loaded.network_inputs(rows)
        return bool(np.isfinite(inputs).all() and np.isfinite(loaded.network.predict(inputs)).all())


def _names(value: object, n_inputs: int) -> tuple[str, ...]:
    """One distinct text name per network input."""
    if not isinstance(value, list):
        raise ValueError("'inputs' must be a list of column names (text).")
    if len(value) != n_inputs:
        raise ValueError(f"'inputs' names {len(value)} columns but the network reads {n_inputs} columns.")
    names = tuple(_text(name, "inputs") for name in value)
    if len(set(names)) != len(names):
        raise ValueError("'inputs' names the same column twice; each input needs its own column.")
    return names


def _text(value: object, key: str) -> str:
    """A name from the file: text a page can show (no lone surrogates), at most MAX_NAME_CHARACTERS long."""
    if not isinstance(value, str):
        raise ValueError(f"'{key}' must hold column names (text), got {type(value).__name__}.")
    if has_lone_surrogate(value):
        raise ValueError(f"'{key}' holds a name with a broken character (a lone surrogate); fix the name.")
    if len(value) > MAX_NAME_CHARACTERS:
        raise ValueError(
            f"'{key}' holds a name of {len(value):,} characters; names have up to {MAX_NAME_CHARACTERS}."
        )
    return value


def _class_labels(value: object, task: str, n_outputs: int) -> tuple[str, ...]:
    """The text of each class, distinct; none for regression, two for binary, one per output else."""
    if not isinstance(value, list):
        raise ValueError("'classes' must be a list of class labels (text).")
    labels = tuple(_text(label, "classes") for label in value)
    _check_class_count(len(labels), task, n_outputs)
    if len(set(labels)) != len(labels):
        raise ValueError("'classes' names the same class twice.")
    return labels


def _class_values(value: object, task: str, n_outputs: int) -> tuple[str, ...]:
    """Version 1: the typed number of each class, increasing, returned as class labels."""
    if not isinstance(value, list):
        raise ValueError("'class_values' must be a list of numbers.")
    for number in value:
        is_real = isinstance(number, numbers.Real) and not isinstance(number, bool)
        if not is_real or not math.isfinite(number):
            raise ValueError(f"'class_values' must hold only finite numbers, got {_brief(number)}.")
    _check_class_count(len(value), task, n_outputs)
    if any(later <= earlier for earlier, later in itertools.pairwise(value)):
        raise ValueError("'class_values' must be distinct and in increasing order.")
    return tuple(number_text(float(number)) for number in value)


def _check_class_count(count: int, task: str, n_outputs: int) -> None:
    expected = {"regression": 0, "binary": 2}.get(task, n_outputs)
    if count != expected or (task == "multiclass") != (n_outputs > 1):
        raise ValueError(
            f"A {TASK_WORDS[task]} model with {n_outputs} output(s) cannot have {count} classes."
        )


def _brief(value: object) -> str:
    """A value from a file, shown short: a file is a stranger's, and its values can be huge."""
    text = repr(value)
    return text if len(text) <= 40 else text[:39] + "…"


def _quoted(names: tuple[str, ...]) -> str:
    return ", ".join(f"'{name}'" for name in names)
