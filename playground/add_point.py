"""Adding a data row by dragging a small box on the decision surface (the box's centre becomes the row).

``table_with_point`` is pure: it takes the table exactly as the user sees it (pending edits included)
and returns a new table with one more row, so replacing the editor's table loses nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from playground.table import PreparedData, label_column


def box_centre(selection: object) -> tuple[float, float] | None:
    """The centre of a Vega-Lite interval selection {"x": [lo, hi], "y": [lo, hi]}; None if not one."""
    if not isinstance(selection, dict):
        return None
    try:
        xs, ys = (np.asarray(selection[axis], dtype=float) for axis in ("x", "y"))
    except (KeyError, TypeError, ValueError):
        return None
    if xs.shape != (2,) or ys.shape != (2,) or not (np.isfinite(xs).all() and np.isfinite(ys).all()):
        return None
    return float(xs.mean()), float(ys.mean())


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
        row[name] = _cell(other_inputs[index])
    row[data.feature_names[axes[0]]] = _cell(point[0])
    row[data.feature_names[axes[1]]] = _cell(point[1])
    row[data.target_name] = target
    label = label_column(table, data.target_name)
    if label is not None:
        row[label] = f"Added {len(table) + 1}"
    addition = pd.DataFrame([row], columns=table.columns, dtype=object)
    return pd.concat([table, addition], ignore_index=True)


def _cell(value: float) -> str:
    return f"{value:.4g}"
