"""Share links: a whole playground setup as one compact, URL-safe query parameter, and back again.

A link holds base64url(zlib(JSON)) with the format version inside. Links come from strangers, so decoding
checks every field against the app's own limits, keeps each part it can read and puts the default (with a
sentence saying so) in place of each part it cannot. Only ``json`` and a size-capped ``zlib`` ever touch
the text: never eval, exec or pickle. No Streamlit here; the page reads and writes ``SHARE_PARAM``.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any, NamedTuple

import pandas as pd

from nn_core.activations import OUTPUT_ACTIVATIONS
from nn_core.datasets import PRESETS
from playground.presets import NOISE_RANGE, POINTS_RANGE, PresetSource
from playground.settings import (
    LOSSES_FOR_OUTPUT,
    MAX_SEED,
    OUTPUTS_FOR_TASK,
    DataSettings,
    NetworkSettings,
    Settings,
    SettingsGroup,
    TrainingSettings,
    is_finite_number,
    number_in,
    one_of,
    settings_of,
    whole_in,
)
from playground.table import MAX_COLUMNS, MAX_NAME_CHARACTERS, cell_text, unique_column_names
from playground.text import has_unsafe_character

SHARE_PARAM = "s"
FORMAT_VERSION = 1
MAX_TABLE_ROWS = 200
MAX_LINK_CHARS = 8000
MAX_JSON_BYTES = 200_000
MAX_CELL_CHARS = 100  # shorter than the table's own limit: a link must stay short
TASK_CHOICES = ("auto", *OUTPUTS_FOR_TASK)
_BASE64URL = re.compile(r"[A-Za-z0-9_-]*")


@dataclass(frozen=True)
class TableSource:
    """The edited table itself: column names and every cell as text, exactly as typed."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class SharedSetup:
    """Everything a link restores; None means the app's own default (the tutorial, its column choice)."""

    source: PresetSource | TableSource | None = None
    input_columns: tuple[str, ...] | None = None
    target_column: str | None = None
    task: str = "auto"
    settings: Settings = field(default_factory=Settings)
    slider_values: tuple[float, ...] = ()


class _Problem(NamedTuple):
    """One part of a link that had to be replaced: its name, and the sentence a user reads."""

    label: str
    sentence: str


def encode_setup(setup: SharedSetup) -> str:
    """The setup as a compact URL-safe string; ValueError if a link could not restore it exactly."""
    payload = _payload(setup)
    restored, problems = _setup_from_payload(payload)
    if problems:
        labels = sorted({problem.label for problem in problems})
        verb = "is" if len(labels) == 1 else "are"
        raise ValueError(f"Cannot share this setup: its {', '.join(labels)} {verb} outside the app's limits.")
    if restored != setup:
        raise ValueError("Cannot share this setup: some of its values are not of a kind a link can carry.")
    text = _pack(payload)
    if len(text) > MAX_LINK_CHARS:
        raise ValueError(
            f"This setup is too big for a link ({len(text)} characters, the limit is {MAX_LINK_CHARS}); "
            "a smaller table or a generated data set would fit."
        )
    return text


def decode_setup(text: str) -> tuple[SharedSetup, list[str]]:
    """The setup in a link and one sentence per part that was replaced by its default; never raises."""
    try:
        payload = _unpack(text)
    except ValueError as error:
        return SharedSetup(), [f"This link could not be read ({error}); the tutorial is shown instead."]
    setup, problems = _setup_from_payload(payload)
    return setup, [problem.sentence for problem in problems]


TOO_BIG_FOR_A_LINK = "Download the table as CSV to share it instead."


def table_source_from_frame(df: pd.DataFrame) -> TableSource:
    """The table as text for a link; ValueError naming what keeps it out of one (its rows, its columns,
    a name or a cell too long), sizes checked before any cell is read."""
    if len(df) > MAX_TABLE_ROWS:
        raise ValueError(
            f"The table has {len(df):,} rows; a link can carry up to {MAX_TABLE_ROWS}. {TOO_BIG_FOR_A_LINK}"
        )
    if len(df.columns) > MAX_COLUMNS:
        raise ValueError(
            f"The table has {len(df.columns)} columns; a link can carry up to {MAX_COLUMNS}. "
            + TOO_BIG_FOR_A_LINK
        )
    columns = tuple(cell_text(name) for name in df.columns)
    rows = tuple(tuple(cell_text(cell) for cell in row) for row in df.itertuples(index=False, name=None))
    for name in columns:
        if len(name) > MAX_NAME_CHARACTERS:
            raise ValueError(
                f"A column name is {len(name):,} characters long; a link carries names of up to "
                f"{MAX_NAME_CHARACTERS}. {TOO_BIG_FOR_A_LINK}"
            )
    for number, row in enumerate(rows, start=1):
        for name, cell in zip(columns, row, strict=True):
            if len(cell) > MAX_CELL_CHARS:
                raise ValueError(
                    f"Row {number}, column '{name}' holds {len(cell):,} characters; a link carries cells of "
                    f"up to {MAX_CELL_CHARS}. {TOO_BIG_FOR_A_LINK}"
                )
    source = TableSource(columns, rows)
    try:
        _table_source(_source_payload(source))
    except ValueError as problem:
        raise ValueError(f"This table cannot travel in a link ({problem}). {TOO_BIG_FOR_A_LINK}") from problem
    return source


def frame_from_table_source(source: TableSource) -> pd.DataFrame:
    """The shared table as the app holds it: one row per example, every cell a string (dtype object)."""
    return pd.DataFrame([list(row) for row in source.rows], columns=list(source.columns), dtype=object)


# Packing: JSON ⇄ zlib ⇄ base64url, with every size capped before it can cost memory.


def _pack(payload: dict[str, Any]) -> str:
    """base64url(zlib(JSON)) without '=' padding, which a URL would otherwise have to escape."""
    text = json.dumps(payload, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    packed = zlib.compress(text.encode("utf-8"), 9)
    return base64.urlsafe_b64encode(packed).rstrip(b"=").decode("ascii")


def _unpack(text: object) -> object:
    """The JSON value inside a link; ValueError (saying why, for a user) for anything that is not one."""
    if not isinstance(text, str):
        raise ValueError("it is not text")
    text = text.strip().rstrip("=")
    if len(text) > MAX_LINK_CHARS:
        raise ValueError("it is too long")
    if not _BASE64URL.fullmatch(text):
        raise ValueError("it contains characters a link never has")
    try:
        packed = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except binascii.Error as error:
        raise ValueError("it is incomplete") from error
    payload = _json_value(_inflate(packed))
    if not isinstance(payload, dict):
        raise ValueError("it is damaged")
    version = payload.get("v")
    if isinstance(version, bool) or version != FORMAT_VERSION:
        raise ValueError("it was made by a different version of the playground")
    return payload


def _inflate(packed: bytes) -> bytes:
    """zlib-decompressed bytes, stopping at MAX_JSON_BYTES so a tiny 'zip bomb' cannot fill memory."""
    inflater = zlib.decompressobj()
    try:
        raw = inflater.decompress(packed, MAX_JSON_BYTES)
    except zlib.error as error:
        raise ValueError("it is damaged") from error
    if inflater.unconsumed_tail:
        raise ValueError("it unpacks to more than a link may hold")
    if not inflater.eof or inflater.unused_data:
        raise ValueError("it is incomplete")
    return raw


def _json_value(raw: bytes) -> object:
    """The parsed JSON; NaN and huge numbers are let through here and refused field by field later."""
    try:
        return json.loads(raw.decode("utf-8"))
    except (ValueError, RecursionError) as error:
        raise ValueError("it is damaged") from error


# Setup → JSON, with short keys to keep links short.


def _payload(setup: SharedSetup) -> dict[str, Any]:
    """The setup as plain JSON values: lists for tuples, short keys."""
    settings = setup.settings
    return {
        "v": FORMAT_VERSION,
        "src": _source_payload(setup.source),
        "net": _group_payload(settings.network),
        "trn": _group_payload(settings.training),
        "dat": _group_payload(settings.data),
        "in": None if setup.input_columns is None else list(setup.input_columns),
        "tg": setup.target_column,
        "tk": setup.task,
        "sl": list(setup.slider_values),
    }


def _source_payload(source: PresetSource | TableSource | None) -> dict[str, Any] | None:
    if isinstance(source, PresetSource):
        return {"p": source.name, "n": source.n_samples, "z": source.noise, "s": source.seed}
    if isinstance(source, TableSource):
        return {"c": list(source.columns), "r": [list(row) for row in source.rows]}
    if source is None:
        return None
    raise ValueError(f"Cannot share this setup: {type(source).__name__} is not a data source.")


def _group_payload(group: SettingsGroup) -> dict[str, Any]:
    values = {spec.link_key: getattr(group, name) for name, spec in settings_of(type(group)).items()}
    return {key: list(value) if isinstance(value, tuple) else value for key, value in values.items()}


# JSON → setup: every part checked on its own, so one bad field costs only that field.


def _setup_from_payload(payload: dict[str, Any]) -> tuple[SharedSetup, list[_Problem]]:
    """The setup a payload describes, and a problem for each part replaced by its default."""
    problems: list[_Problem] = []
    default = SharedSetup()
    app_choice = "the app's default choice"
    source = _read(payload, "src", _source, "data set", None, problems, "the tutorial's four people")
    inputs = _read(payload, "in", _optional(_texts), "input columns", None, problems, app_choice)
    target = _read(payload, "tg", _optional(_text), "target column", None, problems, app_choice)
    task = _read(payload, "tk", lambda value: one_of(value, TASK_CHOICES), "task", default.task, problems)
    settings = Settings(
        network=_read_group(payload, "net", "network settings", NetworkSettings(), problems),
        training=_read_group(payload, "trn", "training settings", TrainingSettings(), problems),
        data=_read_group(payload, "dat", "data settings", DataSettings(), problems),
    )
    settings = _fit_to_task(settings, task, problems)
    sliders = _read(payload, "sl", _numbers, "slider values", (), problems, "the sliders' defaults")
    return SharedSetup(source, inputs, target, task, settings, sliders), problems


def _read(
    group: dict[str, Any],
    key: str,
    check: Callable[[object], Any],
    label: str,
    default: Any,
    problems: list[_Problem],
    shown: str | None = None,
) -> Any:
    """``check(group[key])``, or ``default`` plus a problem when the key is missing or the check fails."""
    if key in group:
        try:
            return check(group[key])
        except ValueError:
            pass
    using = shown if shown is not None else _shown(default)
    problems.append(_Problem(label, f"The link's {label} could not be read; using {using}."))
    return default


def _read_group(
    payload: dict[str, Any], key: str, label: str, default: SettingsGroup, problems: list[_Problem]
) -> Any:
    """One settings group, setting by setting; the whole default when the group is not a JSON object."""
    group = payload.get(key)
    if not isinstance(group, dict):
        problems.append(_Problem(label, f"The link's {label} could not be read; using the defaults."))
        return default
    values = {
        name: _read(group, spec.link_key, spec.check, spec.name_in_sentence, getattr(default, name), problems)
        for name, spec in settings_of(type(default)).items()
        if spec.link_key in group or spec.in_first_links
    }
    return replace(default, **values)


def _fit_to_task(settings: Settings, task: str, problems: list[_Problem]) -> Settings:
    """Settings whose output fits the task and whose loss fits the output, as the controls allow."""
    network, training = settings.network, settings.training
    outputs = OUTPUTS_FOR_TASK.get(task, OUTPUT_ACTIVATIONS)
    if network.output_activation not in outputs:
        output = _preferred(NetworkSettings().output_activation, outputs)
        sentence = f"The link's output activation does not fit the {task} task; using {output}."
        problems.append(_Problem("output activation", sentence))
        network = replace(network, output_activation=output)
    losses = LOSSES_FOR_OUTPUT[network.output_activation]
    if training.loss not in losses:
        loss = _preferred(TrainingSettings().loss, losses)
        sentence = f"The link's loss does not fit the {network.output_activation} output; using {loss}."
        problems.append(_Problem("loss", sentence))
        training = replace(training, loss=loss)
    return replace(settings, network=network, training=training)


def _preferred(default: str, allowed: tuple[str, ...]) -> str:
    """The usual default when it is allowed, else the first allowed choice."""
    return default if default in allowed else allowed[0]


def _shown(value: object) -> str:
    """A default as a user would read it in a sentence."""
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, tuple):
        return "[" + ", ".join(str(item) for item in value) + "]"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


# Checks: each takes a raw JSON value and returns the checked value, or raises ValueError.


def _text(value: object, max_chars: int = MAX_NAME_CHARACTERS) -> str:
    """Text of at most ``max_chars`` characters that a table can hold: no lone surrogates (UTF-8 cannot
    carry them) and no control characters (a downloaded table could not be read back)."""
    if not isinstance(value, str) or len(value) > max_chars:
        raise ValueError("not text of a sensible length")
    if has_unsafe_character(value):
        raise ValueError("not text a table can hold")
    return value


def _texts(value: object) -> tuple[str, ...]:
    if not isinstance(value, list) or len(value) > MAX_COLUMNS:
        raise ValueError("not a list of names")
    return tuple(_text(item) for item in value)


def _numbers(value: object) -> tuple[float, ...]:
    if not isinstance(value, list) or len(value) > MAX_COLUMNS:
        raise ValueError("not a list of numbers")
    if not all(is_finite_number(item) for item in value):
        raise ValueError("not a list of finite numbers")
    return tuple(float(item) for item in value)


def _optional(check: Callable[[object], Any]) -> Callable[[object], Any]:
    """The same check, also accepting null (the app's default)."""
    return lambda value: None if value is None else check(value)


def _source(value: object) -> PresetSource | TableSource | None:
    """A data source: null, a preset {"p", "n", "z", "s"} or a table {"c", "r"}."""
    if value is None:
        return None
    if isinstance(value, dict) and "p" in value:
        return _preset_source(value)
    if isinstance(value, dict) and "c" in value:
        return _table_source(value)
    raise ValueError("not a data source")


def _preset_source(value: dict[str, Any]) -> PresetSource:
    source = PresetSource(
        one_of(value.get("p"), tuple(PRESETS)),
        whole_in(value.get("n"), *POINTS_RANGE),
        number_in(value.get("z"), *NOISE_RANGE),
        whole_in(value.get("s"), 0, MAX_SEED),
    )
    source.dataset()  # the generator knows limits of its own: let it judge
    return source


def _table_source(value: dict[str, Any]) -> TableSource:
    columns, rows = value.get("c"), value.get("r")
    if not isinstance(columns, list) or not 1 <= len(columns) <= MAX_COLUMNS:
        raise ValueError("not a list of column names")
    if not isinstance(rows, list) or len(rows) > MAX_TABLE_ROWS:
        raise ValueError("not a list of rows")
    names = tuple(_text(name) for name in columns)
    if unique_column_names(names) != list(names):
        raise ValueError("column names must be distinct, non-empty and without surrounding spaces")
    return TableSource(names, tuple(_table_row(row, len(names)) for row in rows))


def _table_row(row: object, n_columns: int) -> tuple[str, ...]:
    if not isinstance(row, list) or len(row) != n_columns:
        raise ValueError("a row does not match the columns")
    return tuple(_text(cell, MAX_CELL_CHARS) for cell in row)
