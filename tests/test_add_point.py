"""Adding a row by clicking the surface: the table it produces."""

from __future__ import annotations

import copy

from playground.add_point import table_with_point
from playground.presets import TUTORIAL, load_source, table_from_dataset
from tests.conftest import tutorial_prepared_data


def test_a_new_row_keeps_the_table_as_typed_and_adds_text_cells():
    table = table_from_dataset(load_source(TUTORIAL, 4, 0.0, 0))
    table.loc[0, "Weight - 135"] = "-3"  # a pending edit the user made
    before = copy.deepcopy(table)
    data = tutorial_prepared_data()
    bigger = table_with_point(table, data, (0, 1), (12.345678, -4.0), (0.0, 0.0), "1")
    assert table.equals(before)
    assert len(bigger) == 5 and bigger.iloc[:4].equals(table)
    assert list(bigger.iloc[4]) == ["Added 5", "12.35", "-4", "1"]
    assert bigger["Weight - 135"][0] == "-3"


def test_inputs_off_the_axes_take_the_slider_values():
    table = table_from_dataset(load_source(TUTORIAL, 4, 0.0, 0))
    data = tutorial_prepared_data()
    bigger = table_with_point(table, data, (1, 1), (2.5, 2.5), (-7.0, -3.0), "0")
    assert list(bigger.iloc[4]) == ["Added 5", "-7", "2.5", "0"]


def test_a_point_of_a_text_class_carries_its_label():
    from playground.table import check_table

    table = table_from_dataset(load_source(TUTORIAL, 4, 0.0, 0))
    table["Female"] = ["yes", "no", "no", "yes"]
    data = check_table(table, ["Weight - 135", "Height - 66"], "Female").data
    bigger = table_with_point(table, data, (0, 1), (1.0, 2.0), (0.0, 0.0), data.class_labels[1])
    assert list(bigger.iloc[4]) == ["Added 5", "1", "2", "yes"]
    assert check_table(bigger, ["Weight - 135", "Height - 66"], "Female").data.class_labels == ("no", "yes")
