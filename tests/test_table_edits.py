"""The table editor's messages: what it is sent, and the edited table rebuilt from what it sends back.

The message back comes from the browser, so it is attacked like an upload: anything that does not fit
the table it claims to edit is ignored as a whole, and the table stays as it was.
"""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from playground.presets import TUTORIAL, load_source, table_from_dataset
from playground.table import MAX_CELL_CHARACTERS, MAX_ROWS
from playground.table_edits import edit_number, edited_table, editor_data


def tutorial() -> pd.DataFrame:
    return table_from_dataset(load_source(TUTORIAL, 4, 0.0, 0))


def message(rows: list, version: str = "s-3", seq: int = 1) -> dict:
    return {"version": version, "seq": seq, "rows": rows}


def test_the_editor_is_sent_text_cells_its_edits_and_marks_by_column_position():
    edits = message([0, ["Bobby", "26", "tall", "0"]], seq=5)
    data = editor_data(tutorial(), "s-3", [(1, "Height - 66", "Row 2: not a number")], edits)
    assert data["columns"] == ["Name", "Weight - 135", "Height - 66", "Female"]
    assert data["rows"][0] == ["Alice", "-2", "-1", "1"]
    assert data["edits"] == [0, ["Bobby", "26", "tall", "0"]]
    assert data["marks"] == [[1, 2, "Row 2: not a number"]]
    assert (data["version"], data["seq"], data["maxRows"]) == ("s-3", 5, MAX_ROWS)


def test_edits_for_another_table_are_not_sent_back():
    data = editor_data(tutorial(), "s-4", [], message([0], version="s-3", seq=9))
    assert data["edits"] is None and data["seq"] == 9


def test_unchanged_rows_come_from_the_table_and_typed_rows_as_typed():
    edited = edited_table(
        tutorial(), "s-3", message([0, ["Bobby", "26", "6", "0"], 3, ["Emily", "-7", "-3", "1"]])
    )
    assert edited.values.tolist() == [
        ["Alice", "-2", "-1", "1"],
        ["Bobby", "26", "6", "0"],
        ["Diana", "-15", "-6", "1"],
        ["Emily", "-7", "-3", "1"],
    ]
    assert list(edited.columns) == list(tutorial().columns)


def test_a_message_for_another_version_of_the_table_is_ignored():
    table = tutorial()
    assert edited_table(table, "s-4", message([0, 1], version="s-3")) is table
    assert edited_table(table, "t-3", message([0, 1], version="s-3")) is table  # another session


@pytest.mark.parametrize(
    "rows",
    [
        [0, 1, 4],  # no such row
        [-1],
        [True],
        [0, ["too", "short"]],
        [0, ["a", "b", "c", 4]],
        [["x" * (MAX_CELL_CHARACTERS + 1), "1", "2", "3"]],
        "0,1,2",
        [0] * (MAX_ROWS + 1),
    ],
)
def test_a_message_that_does_not_fit_the_table_is_ignored_as_a_whole(rows):
    table = tutorial()
    assert edited_table(table, "s-3", message(rows)) is table


@pytest.mark.parametrize("sent", [None, [], "table", {"seq": "7"}, {"seq": True}, {"seq": 7}])
def test_the_edit_number_is_a_whole_number_or_zero(sent):
    assert edit_number(sent) == (7 if sent == {"seq": 7} else 0)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 10) | st.floats() | st.text(max_size=4),
    lambda children: (
        st.lists(children, max_size=6) | st.dictionaries(st.text(max_size=6), children, max_size=4)
    ),
    max_leaves=30,
)


@given(
    st.fixed_dictionaries({"version": st.sampled_from(["s-2", "s-3", 3]), "rows": json_values}) | json_values
)
def test_any_message_gives_the_table_or_a_table_of_text_with_its_columns(sent):
    table = tutorial()
    edited = edited_table(table, "s-3", sent)
    assert list(edited.columns) == list(table.columns)
    assert all(isinstance(value, str) for value in edited.to_numpy().ravel())
