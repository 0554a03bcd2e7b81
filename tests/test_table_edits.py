"""The table editor's messages: what it is sent, and the edited table rebuilt from what it sends back.

The message back comes from the browser, so it is attacked like an upload: one that does not fit the
table it claims to edit is refused as a whole with a sentence that says why, and the table stays as
it was; one already read (the browser sends its last edit with every rerun) is not read again.
"""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from playground.presets import TUTORIAL, load_source, table_from_dataset
from playground.table import MAX_CELL_CHARACTERS, MAX_ROWS
from playground.table_edits import MAX_EDIT_BYTES, STALE_EDIT, edit_number, editor_data, read_edit


def tutorial() -> pd.DataFrame:
    return table_from_dataset(load_source(TUTORIAL, 4, 0.0, 0))


def message(rows: object, version: str = "s-3", seq: int = 1) -> dict:
    return {"version": version, "seq": seq, "rows": rows}


def test_the_editor_is_sent_text_cells_its_edits_the_limits_and_marks_by_column_position():
    table = tutorial()
    edited = read_edit(table, "s-3", 0, message([0, ["Bobby", "26", "tall", "0"], 2, 3])).table
    data = editor_data(table, edited, "s-3", 5, [(1, "Height - 66", "Row 2: not a number")])
    assert data["columns"] == ["Name", "Weight - 135", "Height - 66", "Female"]
    assert data["rows"][0] == ["Alice", "-2", "-1", "1"]
    assert data["edits"] == [0, ["Bobby", "26", "tall", "0"], 2, 3]
    assert data["marks"] == [[1, 2, "Row 2: not a number"]]
    assert (data["version"], data["seq"], data["maxRows"]) == ("s-3", 5, MAX_ROWS)
    assert (data["maxChars"], data["maxEditBytes"]) == (MAX_CELL_CHARACTERS, MAX_EDIT_BYTES)


def test_an_unedited_table_sends_no_edits():
    assert editor_data(tutorial(), None, "s-3", 0, [])["edits"] is None


def test_unchanged_rows_come_from_the_table_and_typed_rows_as_typed():
    outcome = read_edit(
        tutorial(), "s-3", 0, message([0, ["Bobby", "26", "6", "0"], 3, ["Emily", "-7", "-3", "1"]], seq=4)
    )
    assert outcome.seq == 4 and outcome.problem is None
    assert outcome.table.values.tolist() == [
        ["Alice", "-2", "-1", "1"],
        ["Bobby", "26", "6", "0"],
        ["Diana", "-15", "-6", "1"],
        ["Emily", "-7", "-3", "1"],
    ]
    assert list(outcome.table.columns) == list(tutorial().columns)


def test_an_edit_read_already_is_not_read_again():
    assert read_edit(tutorial(), "s-3", 4, message([0, 1], seq=4)).seq is None
    assert read_edit(tutorial(), "s-3", 4, message([0, 1], seq=3)).seq is None
    assert read_edit(tutorial(), "s-3", 0, None).seq is None


def test_an_edit_for_a_table_replaced_since_is_refused_saying_so():
    outcome = read_edit(tutorial(), "s-4", 2, message([0, 1], version="s-3", seq=3))
    assert (outcome.seq, outcome.table, outcome.problem) == (3, None, STALE_EDIT)


@pytest.mark.parametrize(
    ("rows", "why"),
    [
        ([0, 1, 4], "row 3 is not a row of the table"),
        ([-1], "row 1 is not a row of the table"),
        ([True], "row 1 is not a row of the table"),
        ([0, ["too", "short"]], "row 2 does not have 4 cells of text"),
        ([0, ["a", "b", "c", 4]], "row 2 does not have 4 cells of text"),
        ([["x" * (MAX_CELL_CHARACTERS + 1), "1", "2", "3"]], "row 1, column 'Name' holds more than 1,000"),
        ([0, ["Bo\ud800b", "1", "2", "3"]], "row 2, column 'Name' holds a broken character"),
        ([0, ["Bo\x00b", "1", "2", "3"]], "row 2, column 'Name' holds a control character"),
        ("0,1,2", "not a table of at most 5,000 rows"),
        ([0] * (MAX_ROWS + 1), "not a table of at most 5,000 rows"),
        ([["1" * 1000] * 4] * 501, "more than 2,000,000 bytes"),
        ([["é" * 300] * 4] * 850, "more than 2,000,000 bytes"),  # 1.02 million characters, 2.04 MB
    ],
)
def test_a_message_that_does_not_fit_the_table_is_refused_as_a_whole_saying_why(rows, why):
    outcome = read_edit(tutorial(), "s-3", 0, message(rows))
    assert outcome.table is None and outcome.seq == 1
    assert (
        outcome.problem.startswith("The last edit of the table was not applied:") and why in outcome.problem
    )


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
    st.fixed_dictionaries(
        {"version": st.sampled_from(["s-2", "s-3", 3]), "seq": st.integers(-2, 3), "rows": json_values}
    )
    | json_values
)
def test_any_message_gives_nothing_a_refusal_or_a_table_of_text_with_its_columns(sent):
    outcome = read_edit(tutorial(), "s-3", 0, sent)
    if outcome.table is None:
        assert outcome.seq is None or isinstance(outcome.problem, str)
        return
    assert list(outcome.table.columns) == list(tutorial().columns)
    assert all(isinstance(value, str) for value in outcome.table.to_numpy().ravel())
