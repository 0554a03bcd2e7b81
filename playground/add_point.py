"""Adding a data row by clicking the decision surface: the click's place becomes the row's inputs.

``table_with_point`` is pure: it takes the table exactly as the user sees it (pending edits included)
and returns a new table with one more row, so replacing the editor's table loses nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from playground.table import PreparedData, label_column, number_text

CLICK_DIGITS = 4  # a clicked point's coordinates, rounded to what a click can mean


def table_with_point(
    table: pd.DataFrame,
    data: PreparedData,
    axes: tuple[int, int],
    point: tuple[float, float],
    other_inputs: Sequence[float],
    target: str,
) -> pd.DataFrame:
    """``table`` plus one row: the two axis inputs at ``point``, other inputs at ``other_inputs``, and
    ``target`` (a class label or a number, as text) in the target column.

    Cells are text, as a user would have typed them; unused columns stay empty.
    """
    row = {str(column): "" for column in table.columns}
    for index, name in enumerate(data.feature_names):
        row[name] = number_text(other_inputs[index], CLICK_DIGITS)
    row[data.feature_names[axes[0]]] = number_text(point[0], CLICK_DIGITS)
    row[data.feature_names[axes[1]]] = number_text(point[1], CLICK_DIGITS)
    row[data.target_name] = target
    label = label_column(table, data.target_name)
    if label is not None:
        row[label] = f"Added {len(table) + 1}"
    addition = pd.DataFrame([row], columns=table.columns, dtype=object)
    return pd.concat([table, addition], ignore_index=True)
