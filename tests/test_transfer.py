"""Import and export: CSV tables, the loss history, saved models and the exported script."""

import contextlib
import csv
import io
import json
import re
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from playground.model import ModelRun
from playground.presets import TUTORIAL, load_source, table_from_dataset
from playground.settings import Settings, settings_for_preset
from playground.table import MAX_COLUMNS, check_table, default_target, input_choices
from playground.transfer import (
    MAX_UPLOAD_BYTES,
    MODEL_FORMAT,
    MODEL_VERSION,
    LoadedModel,
    history_to_csv,
    model_fits_data,
    model_from_json,
    model_script,
    model_to_json,
    table_from_csv,
    table_to_csv,
)
from tests.conftest import ROOT, tutorial_prepared_data

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)


def tutorial_table() -> pd.DataFrame:
    return table_from_dataset(load_source(TUTORIAL, 4, 0.0, 0))


def trained_tutorial_model() -> ModelRun:
    model = ModelRun.build(tutorial_prepared_data(), Settings())
    model.trainer.run_epochs(50)
    return model


def prepared(source: str):
    table = table_from_dataset(load_source(source, 30, 0.1, 0))
    target = default_target(table)
    return check_table(table, input_choices(table, target), target).data


def read_csv(data: bytes) -> pd.DataFrame:
    """The table of an upload that needs no note."""
    result = table_from_csv(data)
    assert result.notes == ()
    return result.table


def assert_table_of_strings(table: pd.DataFrame) -> None:
    assert all(dtype is np.dtype(object) for dtype in table.dtypes)
    assert all(isinstance(cell, str) for column in table.columns for cell in table[column])


def table(columns: dict[str, list[str]]) -> pd.DataFrame:
    return pd.DataFrame(columns, dtype=object)


# --- CSV tables -----------------------------------------------------------------------------------


def test_tutorial_table_round_trips_through_csv():
    original = tutorial_table()
    restored = read_csv(table_to_csv(original))
    assert restored.equals(original)
    assert list(restored.columns) == ["Name", "Weight - 135", "Height - 66", "Female"]
    assert_table_of_strings(restored)


@pytest.mark.parametrize("delimiter", [";", "\t", "|"])
def test_other_delimiters_are_detected_and_decimal_commas_read_with_a_note(delimiter):
    text = delimiter.join(["Name", "Weight", "Height"]) + "\n"
    text += delimiter.join(["Alice", "1,5", "-1"]) + "\n" + delimiter.join(["Bob", "25", "-6,25"]) + "\n"
    result = table_from_csv(text.encode())
    assert result.table.equals(
        table({"Name": ["Alice", "Bob"], "Weight": ["1.5", "25"], "Height": ["-1", "-6.25"]})
    )
    assert result.notes == (
        "This file writes decimals with a comma, so 2 numbers such as 1,5 were read with a point (1.5).",
    )


def test_a_semicolon_file_with_decimal_commas_trains():
    text = "x1;x2;label\n0,5;1,25;1\n-0,5;2;0\n1,5;-0,75;1\n"
    result = table_from_csv(text.encode())
    data = check_table(result.table, ["x1", "x2"], "label").data
    np.testing.assert_array_equal(data.X, [[0.5, 1.25], [-0.5, 2], [1.5, -0.75]])


def test_commas_in_a_comma_file_stay_as_they_are():
    result = table_from_csv(b'x,note\n1,"4,5"\n')
    assert result.notes == () and list(result.table["note"]) == ["4,5"]


def test_a_semicolon_inside_text_does_not_pass_for_the_delimiter():
    text = 'name,comment\nann,"yes; really"\nbob,no\n'
    assert read_csv(text.encode()).equals(table({"name": ["ann", "bob"], "comment": ["yes; really", "no"]}))


def test_a_one_column_table_of_delimiters_and_quotes_round_trips():
    original = table({"x": [";", '";', "|", "\t", ",", '"'] * 3})
    loaded = table_from_csv(table_to_csv(original))
    assert loaded.table.equals(original)
    assert loaded.notes == (
        "3 cells started with ' before =, +, -, @ (as this playground's downloads guard "
        "cells a spreadsheet would run as formulas) and were read without it.",
    )


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ('=HYPERLINK("http://evil.example","x")', '\'=HYPERLINK(""http://evil.example"",""x"")'),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("-7", "-7"),
        ("+3.5", "+3.5"),
        ("-1e3", "-1e3"),
        ("a=b", "a=b"),
    ],
)
def test_a_download_guards_formulas_but_numbers_stay_numbers(cell, written):
    original = table({"=name": [cell], "y": ["1"]})
    text = table_to_csv(original).decode()
    assert text.splitlines()[0] == '"\'=name","y"'
    assert f'"{written}"' in text
    assert table_from_csv(table_to_csv(original)).table.equals(original)  # and it reads back as typed


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "x," + "n" * 201 + "\n1,2\n",
            "A column name on line 1 (column 2) is 201 characters long; the playground takes up to 200.",
        ),
        (
            "x,y\n1,2\n3," + "4" * 1001 + "\n",
            "A cell on line 3 (column 2) is 1,001 characters long; the playground takes up to 1,000.",
        ),
    ],
)
def test_names_and_cells_longer_than_the_app_keeps_are_refused(text, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        table_from_csv(text.encode())


def test_a_header_of_thousands_of_names_is_refused_in_well_under_a_second():
    import time

    header = ",".join(["same"] * 3000) + "\n"
    started = time.perf_counter()
    with pytest.raises(ValueError, match="The file has 3000 columns; the playground takes up to 50"):
        table_from_csv((header + header).encode())
    assert time.perf_counter() - started < 5  # generous: the point is no quadratic naming loop


def test_a_million_one_cell_rows_are_refused_without_holding_them():
    import tracemalloc

    data = b"x\n" + b"1\n" * 999_999
    tracemalloc.start()
    with pytest.raises(ValueError, match="The file has 999,999 rows; the playground takes up to 5,000"):
        table_from_csv(data)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 40_000_000, f"peak {peak:,} bytes"


def test_byte_order_mark_is_dropped_and_latin1_is_read():
    assert list(read_csv("\ufeffx,y\n1,2\n".encode())["x"]) == ["1"]
    assert list(read_csv("Größe,y\n1,2\n".encode("latin-1")).columns) == ["Größe", "y"]


def test_quoted_cells_keep_commas_quotes_and_newlines():
    text = 'Name,Note,y\n"Smith, Jo","says ""hi""\non two lines",1\nAl,plain,0\n'
    result = read_csv(text.encode())
    assert list(result["Name"]) == ["Smith, Jo", "Al"]
    assert list(result["Note"]) == ['says "hi"\non two lines', "plain"]
    assert read_csv(table_to_csv(result)).equals(result)


def test_cells_are_kept_exactly_as_typed_and_empty_cells_are_empty_strings():
    result = read_csv(b"x,y\n 1 ,\n,2.50\n\n")
    assert result.equals(table({"x": [" 1 ", ""], "y": ["", "2.50"]}))


def test_empty_and_duplicate_headers_get_names():
    result = read_csv(b"x,,x, ,x\n1,2,3,4,5\n")
    assert list(result.columns) == ["x", "Column 2", "x (2)", "Column 4", "x (3)"]


def test_a_trailing_delimiter_on_every_row_is_ignored():
    assert read_csv(b"x,y\n1,2,\n3,4,\n").equals(table({"x": ["1", "3"], "y": ["2", "4"]}))


def test_header_only_file_is_an_empty_table():
    result = read_csv(b"x,y\n")
    assert list(result.columns) == ["x", "y"] and len(result) == 0


def test_blank_cells_in_the_app_table_are_written_as_empty():
    typed = pd.DataFrame({"x": ["1", None, np.nan], "y": [pd.NA, "2", 3.5]}, dtype=object)
    assert read_csv(table_to_csv(typed)).equals(table({"x": ["1", "", ""], "y": ["", "2", "3.5"]}))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty"),
        (b"\n \r\n\n", "The file is empty"),
        (b"x" * (MAX_UPLOAD_BYTES + 1), "2,000,001 bytes; the playground takes files up to 2,000,000 bytes"),
        (b"x\n" + b"1\n" * 12_000, "The file has 12,000 rows; the playground takes up to 5,000. Remove rows"),
        (",".join(f"c{i}" for i in range(MAX_COLUMNS + 1)).encode(), "The file has 51 columns; the play"),
        (b"x,y\n1,2\n3\n4,5\n", "Line 3 has 1 cells but the header has 2 columns"),
        (b'x,y\n"a\nb",2\n1,2,3\n', "Line 4 has 3 cells"),
        (b"x,y\n1,2\x00\x01\x02\n", "not CSV text (it contains binary data)"),
        ("x,y\n1,2\n".encode("utf-16"), "not CSV text"),
        (b'x,y\n1,"open\n2,3\n', "Line 2 could not be read as CSV"),
        (b'x,y\n1,"a"b\n', "Line 2 could not be read as CSV"),
    ],
)
def test_unusable_files_are_refused_with_a_sentence(data, message):
    with pytest.raises(ValueError, match="^.*" + message.replace("(", r"\(").replace(")", r"\)")):
        table_from_csv(data)


def test_exactly_the_row_limit_is_accepted():
    assert len(read_csv(b"x\n" + b"1\n" * 5000)) == 5000


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300) | st.text(alphabet=',;\t|"\n\r ab1', max_size=60).map(str.encode))
def test_any_bytes_give_a_table_of_strings_or_a_value_error(data):
    try:
        result = table_from_csv(data).table
    except ValueError:
        return
    assert isinstance(result, pd.DataFrame)
    assert_table_of_strings(result)
    assert 1 <= result.shape[1] <= MAX_COLUMNS


cell_text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")), max_size=8)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.text(alphabet="abcXYZ -", min_size=1, max_size=6), min_size=1, max_size=4, unique=True),
    st.data(),
)
def test_tables_round_trip_through_csv(names, data):
    names = [name.strip() or "blank" for name in names]
    names = list(dict.fromkeys(names))
    n_rows = data.draw(st.integers(1, 5))
    cells = st.text(alphabet=st.sampled_from(list('ab 1.-,;"\n\t|')), max_size=6) | cell_text
    original = table({name: data.draw(st.lists(cells, min_size=n_rows, max_size=n_rows)) for name in names})
    restored = table_from_csv(table_to_csv(original))
    assert restored.table.equals(original)
    assert all("guard cells a spreadsheet would run as formulas" in note for note in restored.notes)


# --- training history -----------------------------------------------------------------------------


def test_history_has_one_row_per_epoch_and_empty_cells_for_missing_figures():
    model = trained_tutorial_model()
    rows = list(csv.reader(io.StringIO(history_to_csv(model.history).decode())))
    assert rows[0] == ["epoch", "train_loss", "test_loss", "train_accuracy", "test_accuracy"]
    assert len(rows) == 1 + model.history.epochs == 51
    assert [row[0] for row in rows[1:]] == [str(epoch) for epoch in range(1, 51)]
    assert float(rows[-1][1]) == model.history.train_loss[-1]
    for column, values in enumerate(
        [model.history.test_loss, model.history.train_accuracy, model.history.test_accuracy], start=2
    ):
        expected = [repr(value) for value in values] or [""] * 50
        assert [row[column] for row in rows[1:]] == expected


# --- saved models ---------------------------------------------------------------------------------


def test_model_round_trip_gives_bit_identical_predictions():
    model = trained_tutorial_model()
    document = json.loads(model_to_json(model))
    assert document["format"] == MODEL_FORMAT and document["version"] == MODEL_VERSION
    assert document["inputs"] == ["Weight - 135", "Height - 66"] and document["target"] == "Female"
    loaded = model_from_json(model_to_json(model))
    assert isinstance(loaded, LoadedModel)
    assert (loaded.feature_names, loaded.target_name, loaded.task, loaded.class_labels) == (
        ("Weight - 135", "Height - 66"),
        "Female",
        "binary",
        ("0", "1"),
    )
    X = np.array([[-7.0, -3.0], [25.0, 6.0], [0.1, -0.3], [1e3, -1e3]])
    assert np.array_equal(loaded.network.predict(loaded.standardizer.transform(X)), model.predict_raw(X))


def test_multiclass_model_round_trips():
    model = ModelRun.build(prepared("Three classes"), settings_for_preset("multiclass"))
    model.trainer.run_epochs(3)
    loaded = model_from_json(model_to_json(model))
    assert loaded.class_labels == ("0", "1", "2") and loaded.task == "multiclass"
    X = model.data.X
    assert np.array_equal(loaded.network.predict(loaded.standardizer.transform(X)), model.predict_raw(X))


def saved_tutorial_document() -> dict:
    return json.loads(model_to_json(trained_tutorial_model()))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"format": "nn_core.network"}, "not a saved playground model"),
        ({"version": 4}, "Unsupported model file version 4"),
        ({"version": True}, "Unsupported model file version True"),
        ({"inputs": ["a"]}, "'inputs' names 1 columns but the network reads 2 columns"),
        ({"inputs": ["a", 3]}, "'inputs' must hold column names"),
        ({"inputs": ["a", "a"]}, "names the same column twice"),
        ({"target": None}, "'target' must hold column names"),
        ({"target": "x" * 201}, "a name of 201 characters"),
        ({"task": "clustering"}, "'task' must be one of"),
        ({"task": "regression"}, "regression model needs a linear or sigmoid output|cannot have 2 classes"),
        ({"task": "multiclass"}, "needs a softmax output"),
        ({"classes": ["no", "no"]}, "the same class twice"),
        ({"classes": ["no", 1]}, "must hold column names"),
        ({"classes": ["no"]}, "cannot have 1 classes"),
        ({"version": 1, "class_values": [1.0, 0.0]}, "increasing order"),
        ({"version": 1, "class_values": [0.0, "1"]}, "only finite numbers"),
        ({"version": 1, "class_values": [0.0, True]}, "only finite numbers"),
        ({"version": 1, "class_values": [0.0, "1e999"]}, "only finite numbers"),
        ({"standardizer": {"mean": [0.0], "scale": [1.0]}}, "1 columns but the network has 2 inputs"),
        ({"standardizer": {"mean": [0.0, 1.0], "scale": [1.0, 0.0]}}, "greater than 0"),
        ({"network": {"format": "nn_core.network", "version": 1, "layer_sizes": [1024] * 32}}, "more than"),
        ({"network": {"layer_sizes": [2, 1]}}, "not a saved network"),
    ],
)
def test_broken_model_files_are_refused_with_a_sentence(change, message):
    document = {**saved_tutorial_document(), **change}
    # "1e999" stands for the JSON number 1e999, which reads as infinity (json.dumps would write Infinity).
    text = json.dumps(document).replace('"1e999"', "1e999")
    with pytest.raises(ValueError, match=message):
        model_from_json(text.encode())


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty"),
        (b" " * (MAX_UPLOAD_BYTES + 1), "2,000,001 bytes"),
        (b"{not json", "not valid JSON"),
        (b"\xff\xfe{}", "not UTF-8 text"),
        (b"[1, 2]", "should hold a JSON object"),
        (b'{"format": NaN}', "contains NaN"),
        (b'{"x": ' + b"9" * 5000 + b"}", "whole number with 5000 digits"),
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    ],
)
def test_files_that_are_not_models_are_refused(data, message):
    with pytest.raises(ValueError, match=message):
        model_from_json(data)


def test_a_huge_whole_number_in_the_standardizer_is_refused():
    document = saved_tutorial_document()
    raw = json.dumps(document).replace('"mean": [', '"mean": [' + "9" * 400 + ", ", 1)
    with pytest.raises(ValueError, match="400 digits"):
        model_from_json(raw.encode())


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=200))
def test_any_bytes_load_or_raise_a_value_or_type_error(data):
    with contextlib.suppress(ValueError, TypeError):
        model_from_json(data)


@settings(max_examples=300, deadline=None)
@given(json_values)
def test_any_json_structure_loads_or_raises_a_value_or_type_error(value):
    with contextlib.suppress(ValueError, TypeError):
        model_from_json(json.dumps(value).encode())


TUTORIAL_DOCUMENT = saved_tutorial_document()


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_a_saved_model_with_any_field_replaced_loads_or_raises_a_value_or_type_error(data):
    document = json.loads(json.dumps(TUTORIAL_DOCUMENT))
    section = data.draw(st.sampled_from([document, document["network"], document["standardizer"]]))
    section[data.draw(st.sampled_from(sorted(section)))] = data.draw(json_values)
    with contextlib.suppress(ValueError, TypeError):
        model_from_json(json.dumps(document).encode())


def test_a_version_1_file_is_still_read():
    document = saved_tutorial_document()
    document["version"] = 1
    document["class_values"] = [0.0, 1.0]
    del document["classes"]
    assert model_from_json(json.dumps(document).encode()).class_labels == ("0", "1")


def test_a_model_with_text_classes_round_trips():
    table = pd.DataFrame({"x": ["1", "2", "3", "4"], "buys": ["yes", "no", "yes", "no"]}, dtype=object)
    data = check_table(table, ["x"], "buys").data
    model = ModelRun.build(data, Settings())
    loaded = model_from_json(model_to_json(model))
    assert loaded.class_labels == ("no", "yes")
    assert model_fits_data(loaded, data) == []


def test_a_lone_surrogate_in_a_name_is_refused_with_a_sentence_that_can_be_shown():
    raw = json.dumps(saved_tutorial_document()).replace('"Weight - 135"', '"\\ud800"')
    with pytest.raises(ValueError, match="lone surrogate") as refused:
        model_from_json(raw.encode())
    str(refused.value).encode("utf-8")  # the message itself can travel to the page


@pytest.mark.parametrize(("hidden", "what"), [([17], "[17]"), ([2] * 7, "[2, 2, 2, 2, 2, 2, 2]")])
def test_a_model_bigger_than_the_sidebar_allows_is_refused(hidden, what):
    from nn_core.network import Network
    from nn_core.serialize import network_to_dict

    document = saved_tutorial_document()
    document["network"] = network_to_dict(Network([2, *hidden, 1], seed=0))
    with pytest.raises(
        ValueError, match=f"hidden layers {what.replace('[', '.').replace(']', '.')}; the play"
    ):
        model_from_json(json.dumps(document).encode())


def test_a_standardiser_that_overflows_on_the_table_is_refused():
    document = saved_tutorial_document()
    document["standardizer"] = {"mean": [0.0, 0.0], "scale": [1e-320, 1.0]}
    loaded = model_from_json(json.dumps(document).encode())
    problems = model_fits_data(loaded, tutorial_prepared_data())
    assert problems == [
        "On this table's rows the model's numbers overflow (its standardiser or weights are too extreme), "
        "so it cannot be used. Load a model trained in the playground."
    ]


def test_model_fits_the_table_it_was_trained_on():
    model = trained_tutorial_model()
    assert model_fits_data(model_from_json(model_to_json(model)), tutorial_prepared_data()) == []


def test_model_does_not_fit_a_table_with_other_columns():
    loaded = model_from_json(model_to_json(trained_tutorial_model()))
    assert model_fits_data(loaded, prepared("XOR")) == [
        "The model was trained on inputs 'Weight - 135', 'Height - 66' "
        "but the table's inputs are 'x1', 'x2'.",
        "The model was trained to predict 'Female' but the table's target is 'label'.",
    ]
    problems = model_fits_data(loaded, prepared("Three classes"))
    assert problems[-1] == (
        "The model does binary classification but the table's target is set up for "
        "multi-class classification."
    )


def test_model_does_not_fit_a_target_with_other_classes():
    multiclass = ModelRun.build(prepared("Three classes"), settings_for_preset("multiclass"))
    loaded = model_from_json(model_to_json(multiclass))
    two_classes = check_table(
        table({"x1": ["1", "2", "3"], "x2": ["0", "1", "0"], "label": ["0", "1", "1"]}),
        ["x1", "x2"],
        "label",
        task="multiclass",
    ).data
    assert model_fits_data(loaded, two_classes) == [
        "The model knows 3 classes but the table's target 'label' has 2."
    ]
    shifted = check_table(
        table({"x1": ["1", "2", "3"], "x2": ["0", "1", "0"], "label": ["1", "2", "3"]}),
        ["x1", "x2"],
        "label",
    ).data
    assert model_fits_data(loaded, shifted) == [
        "The model's classes are '0', '1', '2' but the table's are '1', '2', '3'."
    ]


# --- the exported script --------------------------------------------------------------------------


def test_exported_script_prints_the_apps_prediction(tmp_path):
    model = trained_tutorial_model()
    script = tmp_path / "predict.py"
    script.write_text(model_script(model))
    printed = subprocess.run(
        [sys.executable, str(script), "-7", "-3"], capture_output=True, text=True, check=True
    ).stdout
    inputs, prediction = printed.strip().split("->")
    assert inputs.split() == ["-7.0", "-3.0"]
    assert float(prediction) == model.predict_raw(np.array([[-7.0, -3.0]]))[0, 0]
    examples = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert len(examples) == 4
    assert [float(line.split("->")[1]) for line in examples] == list(model.predict_raw(model.data.X)[:, 0])


def test_the_upload_limit_stated_is_the_one_streamlit_enforces():
    import tomllib

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["maxUploadSize"] * 1_000_000 == MAX_UPLOAD_BYTES  # Streamlit's "MB" is 10⁶ bytes


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(max_size=12), min_size=1, max_size=6))
def test_every_table_the_editor_accepts_downloads_and_uploads_back_exactly(cells):
    """What the table can hold (the editor refuses lone surrogates and control characters other than
    tab, newline and carriage return) is what a download carries and an upload reads back."""
    from playground.table_edits import read_edit

    loaded = table({"a": ["x"] * len(cells), "b": ["y"] * len(cells)})
    message = {"version": "v", "seq": 1, "rows": [[cell, "1"] for cell in cells]}
    edited = read_edit(loaded, "v", 0, message)
    if edited.table is None:
        return  # refused, with a sentence, before the table could hold it
    assert table_from_csv(table_to_csv(edited.table)).table.equals(edited.table)
