"""The table check: the tutorial's numbers come through, and every user mistake becomes a sentence."""

from __future__ import annotations

import copy

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from playground.table import (
    MAX_CLASSES,
    MAX_ROWS,
    TASKS,
    check_table,
    default_target,
    infer_task,
    input_choices,
    label_column,
    numeric_cell_problem,
    parse_number,
    target_choices,
    text_columns,
    unique_column_names,
)

TUTORIAL_INPUTS = ["Weight - 135", "Height - 66"]


def tutorial_table() -> pd.DataFrame:
    """The four people of the tutorial, every cell as text, as the editor holds them."""
    rows = [
        ["Alice", "-2", "-1", "1"],
        ["Bob", "25", "6", "0"],
        ["Charlie", "17", "4", "0"],
        ["Diana", "-15", "-6", "1"],
    ]
    return pd.DataFrame(rows, columns=["Name", *TUTORIAL_INPUTS, "Female"], dtype=object)


def numbers_table(**columns: list[object]) -> pd.DataFrame:
    """A table without a label column, from column name -> cells."""
    return pd.DataFrame(columns, dtype=object)


def check_untouched(df: pd.DataFrame, *args: object) -> tuple:
    """check_table's result, after asserting the frame it was given is exactly as before."""
    before = copy.deepcopy(df)
    result = check_table(df, *args)
    pd.testing.assert_frame_equal(df, before, check_exact=True)
    return result


# --- parse_number and numeric_cell_problem ---------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        *[(" 3 ", 3.0), ("-2.5", -2.5), ("1e3", 1000.0), ("+4", 4.0), ("\u22127", -7.0), (".5", 0.5)],
        *[("5.", 5.0), (3, 3.0), (2.5, 2.5), (np.int64(-4), -4.0), (np.float32(0.5), 0.5)],
    ],
)
def test_parse_number_reads_what_people_type(cell: object, expected: float) -> None:
    assert parse_number(cell) == expected


@pytest.mark.parametrize(
    "cell",
    [
        *["", "  ", None, np.nan, pd.NA, "abc", "1,5", "1_000", "0x10", "inf", "-Infinity", "nan", "1e999"],
        *[float("inf"), -float("inf"), 10**400, True, np.bool_(False), [1], "3 kg"],
    ],
)
def test_parse_number_rejects_everything_else(cell: object) -> None:
    assert parse_number(cell) is None


@pytest.mark.parametrize(
    ("cell", "problem"),
    [
        ("", "is empty"),
        (None, "is empty"),
        (np.nan, "is empty"),
        (pd.NA, "is empty"),
        ("abc", "is 'abc', not a number"),
        ("inf", "is infinite"),
        ("-inf", "is infinite"),
        (float("-inf"), "is infinite"),
        ("1e999", "is infinite"),
        ("NaN", "is not a number (NaN)"),
        ("1,5", "is '1,5', not a number (use a point for decimals: 1.5)"),
        ("4", None),
    ],
)
def test_numeric_cell_problem_says_what_is_wrong(cell: object, problem: str | None) -> None:
    assert numeric_cell_problem(cell) == problem


def test_long_text_is_cut_short_in_messages() -> None:
    problem = numeric_cell_problem("a" * 500)
    assert problem is not None and len(problem) < 60


# --- columns and tasks -----------------------------------------------------------------------------


def test_label_column_is_the_first_text_column() -> None:
    table = tutorial_table()
    assert label_column(table) == "Name"
    assert input_choices(table, "Female") == TUTORIAL_INPUTS
    assert target_choices(table) == ["Name", *TUTORIAL_INPUTS, "Female"]
    assert default_target(table) == "Female"


def test_a_typo_in_a_number_column_is_a_bad_cell_not_a_label_column() -> None:
    table = numbers_table(x1=["1", "abc", "3"], x2=["0", "1", "2"], label=["0", "1", "0"])
    assert label_column(table) is None
    check = check_table(table, ["x1", "x2"], "label")
    assert check.data is None
    assert any("Row 2" in problem and "'x1'" in problem for problem in check.problems)


def test_no_label_column_when_every_cell_is_a_number_or_blank() -> None:
    table = numbers_table(a=["1", None, "inf"], b=[2.0, np.nan, "3"])
    assert label_column(table) is None
    assert text_columns(table) == []
    assert input_choices(table, "b") == ["a"]


def test_column_names_are_text() -> None:
    table = pd.DataFrame({0: ["1", "2"], 1: ["x", "y"]}, dtype=object)
    assert label_column(table) == "1"
    assert input_choices(table, None) == ["0"]


def test_a_column_of_names_is_not_the_default_target() -> None:
    table = numbers_table(x=["1", "2", "3"], y=["0", "1", "0"], who=["Ann", "Bo", "Cy"])
    assert default_target(table) == "y"
    assert label_column(table, "y") == "who"


def test_a_text_target_is_the_label_column_no_longer() -> None:
    table = numbers_table(Name=["a", "b", "c"], x=["1", "2", "3"], Species=["cat", "dog", "cat"])
    assert default_target(table) == "Species"
    assert label_column(table, "Species") == "Name"
    assert label_column(table, "Name") == "Species"
    assert input_choices(table, "Species") == ["x"]


def test_unique_column_names_number_repeats_and_name_blanks() -> None:
    assert unique_column_names(["x", "", "x", " ", "x", "x (2)"]) == [
        "x", "Column 2", "x (2)", "Column 4", "x (3)", "x (2) (2)",
    ]  # fmt: skip


def test_unique_column_names_is_fast_for_thousands_of_repeats() -> None:
    names = unique_column_names(["x"] * 20_000)
    assert len(set(names)) == 20_000 and names[-1] == "x (20000)"


@pytest.mark.parametrize(
    ("values", "task"),
    [
        ([0, 1, 1, 0], "binary"),
        ([-1, 1], "binary"),
        ([3, 3], "binary"),
        ([0, 1, 2], "multiclass"),
        (list(range(MAX_CLASSES)), "multiclass"),
        (list(range(MAX_CLASSES + 1)), "regression"),
        ([0, 0.5, 1], "regression"),
    ],
)
def test_infer_task(values: list[float], task: str) -> None:
    assert infer_task(np.array(values, dtype=float)) == task


# --- check_table: the tutorial ---------------------------------------------------------------------


def test_tutorial_table_becomes_the_tutorial_arrays() -> None:
    result = check_untouched(tutorial_table(), TUTORIAL_INPUTS, "Female")
    assert result.problems == ()
    data = result.data
    np.testing.assert_array_equal(data.X, [[-2, -1], [25, 6], [17, 4], [-15, -6]])
    np.testing.assert_array_equal(data.y, [1, 0, 0, 1])
    assert data.X.dtype == np.float64 and data.y.dtype == np.float64
    assert data.row_labels == ("Alice", "Bob", "Charlie", "Diana")
    assert data.feature_names == tuple(TUTORIAL_INPUTS)
    assert data.target_name == "Female"
    assert data.task == "binary"
    assert data.class_labels == ("0", "1")


def test_rows_are_numbered_when_there_is_no_label_column() -> None:
    table = tutorial_table().drop(columns="Name")
    data = check_untouched(table, TUTORIAL_INPUTS, "Female").data
    assert data.row_labels == ("Row 1", "Row 2", "Row 3", "Row 4")


def test_inputs_follow_the_chosen_order() -> None:
    data = check_untouched(tutorial_table(), TUTORIAL_INPUTS[::-1], "Female").data
    np.testing.assert_array_equal(data.X[0], [-1, -2])
    assert data.feature_names == tuple(TUTORIAL_INPUTS[::-1])


# --- check_table: problems a user can cause --------------------------------------------------------


def test_text_in_a_number_cell_names_the_row_and_column() -> None:
    table = tutorial_table()
    table.loc[2, "Height - 66"] = "abc"
    result = check_untouched(table, TUTORIAL_INPUTS, "Female")
    assert result.data is None
    assert result.problems == ("Row 3, column 'Height - 66': is 'abc', not a number. Type a number.",)


def test_a_table_is_checked_column_by_column_with_a_pause_between() -> None:
    """A server lets other sessions go first between the columns of a 5,000-row table."""
    moments: list[str] = []
    check_table(tutorial_table(), TUTORIAL_INPUTS, "Female", between=lambda: moments.append("pause"))
    assert moments == ["pause"] * 3  # two inputs and the number target


def test_a_cell_with_a_line_break_in_a_number_column_is_a_bad_cell() -> None:
    table = tutorial_table()
    table.loc[1, "Weight - 135"] = "2\n5"  # a CSV's quoted cell may hold a line break
    result = check_untouched(table, TUTORIAL_INPUTS, "Female")
    assert result.problems == ("Row 2, column 'Weight - 135': is '2\n5', not a number. Type a number.",)


def test_empty_and_infinite_cells_are_reported_top_to_bottom() -> None:
    table = tutorial_table()
    table.loc[3, "Weight - 135"] = ""
    table.loc[1, "Female"] = "inf"
    table.loc[1, "Height - 66"] = None
    result = check_untouched(table, TUTORIAL_INPUTS, "Female")
    assert result.problems == (
        "Row 2, column 'Height - 66': is empty. Type a number, or delete the row.",
        "Row 2, column 'Female': is infinite. Type a number.",
        "Row 4, column 'Weight - 135': is empty. Type a number, or delete the row.",
    )


def test_an_empty_added_row_is_skipped() -> None:
    table = pd.concat(
        [tutorial_table(), pd.DataFrame([[None, "", np.nan, pd.NA]], columns=tutorial_table().columns)]
    )
    result = check_untouched(table.reset_index(drop=True), TUTORIAL_INPUTS, "Female")
    assert result.problems == ()
    assert len(result.data.X) == 4


def test_rows_keep_their_table_numbers_after_a_skipped_row() -> None:
    table = numbers_table(a=["1", None, "2", "3"], b=["0", "", "1", "0"])
    data = check_untouched(table, ["a"], "b").data
    assert data.row_labels == ("Row 1", "Row 3", "Row 4")


def test_a_row_with_only_a_name_is_not_empty() -> None:
    table = tutorial_table()
    table.loc[4] = ["Eve", None, None, None]
    result = check_untouched(table, TUTORIAL_INPUTS, "Female")
    assert len(result.problems) == 3
    assert all(problem.startswith("Row 5, column") for problem in result.problems)


def test_single_class_target() -> None:
    table = tutorial_table()
    table["Female"] = "1"
    for task in ("auto", "binary", "multiclass"):
        result = check_untouched(table, TUTORIAL_INPUTS, "Female", task)
        assert result.problems == ("The target 'Female' has only one class (1); add rows of another class.",)


@pytest.mark.parametrize("n_rows", [0, 1])
def test_fewer_than_two_rows(n_rows: int) -> None:
    table = tutorial_table().head(n_rows)
    result = check_untouched(table, TUTORIAL_INPUTS, "Female")
    assert result.problems == (f"The table needs at least 2 rows to train on; it has {n_rows}.",)


def test_too_many_rows() -> None:
    table = numbers_table(a=["1"] * (MAX_ROWS + 1), b=["0", "1"] * (MAX_ROWS // 2) + ["0"])
    result = check_untouched(table, ["a"], "b")
    assert result.problems == (
        f"The table has {MAX_ROWS + 1} rows; the most it can train on is {MAX_ROWS}. Delete some rows.",
    )


def test_many_problems_are_summarised_and_every_bad_cell_is_marked() -> None:
    table = numbers_table(a=["x"] * 14 + ["1"] * 16, b=["0", "1"] * 15)
    check = check_untouched(table, ["a"], "b")
    assert len(check.problems) == 11
    assert check.problems[-1] == "…and 4 more problems."
    assert [(row, column) for row, column, _ in check.bad_cells] == [(row, "a") for row in range(14)]
    assert check.bad_cells[0][2] == "Row 1, column 'a': is 'x', not a number. Type a number."


def test_a_text_input_column_is_refused_as_a_whole() -> None:
    table = numbers_table(a=["x", "y", "z"], b=["0", "1", "0"])
    check = check_untouched(table, ["a"], "b")
    assert check.problems == (
        "Column 'a' holds text, so it cannot be an input (inputs are numbers). "
        "Remove it from the inputs, or choose it as the target.",
    )


# --- check_table: text labels as the target ---------------------------------------------------------


def test_two_text_labels_are_a_binary_target() -> None:
    table = numbers_table(x=["1", "2", "3", "4"], buys=["yes", " no", "yes ", "no"])
    data = check_untouched(table, ["x"], "buys").data
    assert data.task == "binary"
    assert data.class_labels == ("no", "yes")
    np.testing.assert_array_equal(data.y, [1, 0, 1, 0])
    assert data.row_labels == ("Row 1", "Row 2", "Row 3", "Row 4")


def test_more_text_labels_are_a_multiclass_target_and_names_still_label_rows() -> None:
    table = numbers_table(
        Name=["a", "b", "c", "d"],
        x=["1", "2", "3", "4"],
        Species=["setosa", "virginica", "versicolor", "setosa"],
    )
    data = check_untouched(table, ["x"], "Species").data
    assert data.task == "multiclass"
    assert data.class_labels == ("setosa", "versicolor", "virginica")
    np.testing.assert_array_equal(data.y, [0, 2, 1, 0])
    assert data.row_labels == ("a", "b", "c", "d")


def test_numbers_in_a_text_target_are_labels_too() -> None:
    table = numbers_table(x=["1", "2", "3", "4"], grade=["A", "B", "1", "A"])
    assert check_untouched(table, ["x"], "grade").data.class_labels == ("1", "A", "B")


@pytest.mark.parametrize(
    ("labels", "task", "problem"),
    [
        (
            ["yes", "yes", "yes"],
            "auto",
            "The target 't' has only one class (yes); add rows of another class.",
        ),
        (["a", "b", "c"], "binary", "A binary target needs exactly two values; 't' has 3: a, b, c."),
        (["a", "b", "a"], "regression", "'t' holds text labels, so it cannot be a regression target."),
        ([f"c{i}" for i in range(MAX_CLASSES + 1)], "auto", f"at most {MAX_CLASSES} classes; 't' has 11."),
        (["a", "", "b"], "auto", "Row 2, column 't': is empty. Type a label, or delete the row."),
    ],
)
def test_text_labels_that_cannot_be_learned_are_explained(labels: list[str], task: str, problem: str) -> None:
    table = numbers_table(x=[str(i) for i in range(len(labels))], t=labels)
    result = check_untouched(table, ["x"], "t", task)
    assert result.data is None
    assert problem in " ".join(result.problems)


@pytest.mark.parametrize(
    ("inputs", "target", "problem"),
    [
        (TUTORIAL_INPUTS, None, "Choose a target column."),
        (TUTORIAL_INPUTS, "", "Choose a target column."),
        ([], "Female", "Choose at least one input column."),
        (["Female"], "Female", "'Female' is both an input and the target; pick it in only one place."),
        (["Shoe size"], "Female", "There is no column 'Shoe size' in the table; choose another column."),
        (TUTORIAL_INPUTS, "Age", "There is no column 'Age' in the table; choose another column."),
    ],
)
def test_column_choices(inputs: list[str], target: str | None, problem: str) -> None:
    result = check_untouched(tutorial_table(), inputs, target)
    assert result.data is None
    assert result.problems == (problem,)


def test_unknown_task_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="Unknown task"):
        check_table(tutorial_table(), TUTORIAL_INPUTS, "Female", "clustering")


# --- check_table: problem types --------------------------------------------------------------------


def test_multiclass_is_inferred_and_targets_become_class_indices() -> None:
    table = numbers_table(x=["1", "2", "3", "4"], label=["7", "-1", "3", "7"])
    data = check_untouched(table, ["x"], "label").data
    assert data.task == "multiclass"
    assert data.class_labels == ("-1", "3", "7")
    np.testing.assert_array_equal(data.y, [2, 0, 1, 2])


def test_regression_is_inferred_for_fractional_targets() -> None:
    table = numbers_table(x=["1", "2", "3"], price=["1.5", "2", " 2.25 "])
    data = check_untouched(table, ["x"], "price").data
    assert data.task == "regression"
    assert data.class_labels == ()
    np.testing.assert_array_equal(data.y, [1.5, 2, 2.25])


def test_an_explicit_task_overrides_the_inferred_one() -> None:
    data = check_untouched(tutorial_table(), TUTORIAL_INPUTS, "Female", "regression").data
    assert data.task == "regression"
    np.testing.assert_array_equal(data.y, [1, 0, 0, 1])
    data = check_untouched(tutorial_table(), ["Weight - 135"], "Height - 66", "regression").data
    np.testing.assert_array_equal(data.y, [-1, 6, 4, -6])


def test_binary_needs_exactly_two_values() -> None:
    table = numbers_table(x=["1", "2", "3", "4", "5"], label=["0", "1", "2", "3", "4"])
    result = check_untouched(table, ["x"], "label", "binary")
    assert result.problems == (
        "A binary target needs exactly two values; 'label' has 5: 0, 1, 2, 3, 4. "
        "Choose Multi-class or Regression.",
    )


def test_multiclass_needs_whole_numbers() -> None:
    table = numbers_table(x=["1", "2", "3"], label=["0", "1.5", "2"])
    result = check_untouched(table, ["x"], "label", "multiclass")
    assert result.problems == (
        "Row 2, column 'label': 1.5 is not a whole number, so it cannot be a class. "
        "Type a class number, or choose Regression.",
    )


def test_multiclass_needs_few_classes() -> None:
    n_rows = MAX_CLASSES + 1
    table = numbers_table(x=[str(i) for i in range(n_rows)], label=[str(i) for i in range(n_rows)])
    result = check_untouched(table, ["x"], "label", "multiclass")
    assert result.problems == (
        f"A multi-class target can have at most {MAX_CLASSES} classes; 'label' has {n_rows}. "
        "Choose Regression, or use fewer classes.",
    )


# --- check_table never breaks and never touches the table ------------------------------------------

cells = st.one_of(
    st.none(),
    st.just(np.nan),
    st.just(pd.NA),
    st.sampled_from(["", " ", "1", "-2.5", "1e3", "\u22127", "abc", "inf", "nan", "1,5", "0", "1"]),
    st.sampled_from(["1\n2", " 3", "4 "]),  # line breaks and spaces around numbers
    st.text(max_size=5),
    st.integers(-5, 5),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
)
column_names = ["a", "b", "c", "d"]


@st.composite
def tables(draw: st.DrawFn) -> pd.DataFrame:
    n_columns = draw(st.integers(1, len(column_names)))
    n_rows = draw(st.integers(0, 8))
    rows = [[draw(cells) for _ in range(n_columns)] for _ in range(n_rows)]
    return pd.DataFrame(rows, columns=column_names[:n_columns], dtype=object)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    table=tables(),
    inputs=st.lists(st.sampled_from([*column_names, "zz"]), max_size=3),
    target=st.one_of(st.none(), st.sampled_from([*column_names, "zz"])),
    task=st.sampled_from(["auto", *TASKS]),
)
def test_check_table_never_raises_or_mutates(
    table: pd.DataFrame, inputs: list[str], target: str | None, task: str
):
    result = check_untouched(table, inputs, target, task)
    assert (result.data is None) == bool(result.problems)
    assert len(result.problems) <= 11
    if result.data is not None:
        data = result.data
        assert data.X.shape == (len(data.row_labels), len(data.feature_names))
        assert data.y.shape == (len(data.row_labels),)
        assert np.isfinite(data.X).all() and np.isfinite(data.y).all()
        if data.task != "regression":
            assert set(data.y) <= set(range(len(data.class_labels)))


@given(table=tables())
def test_column_helpers_never_raise_or_mutate(table: pd.DataFrame) -> None:
    before = copy.deepcopy(table)
    target = default_target(table)
    label = label_column(table, target)
    inputs = input_choices(table, target)
    pd.testing.assert_frame_equal(table, before, check_exact=True)
    assert target in target_choices(table) == list(table.columns)
    assert label not in inputs and target not in inputs and label != target
    assert set(inputs).isdisjoint(text_columns(table))
