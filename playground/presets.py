"""Data sets as tables: the tutorial's four people and the engine's generated presets.

The table holds every cell as text, exactly what a user could have typed, so generated data goes
through the same validation as hand-edited data.
"""

from __future__ import annotations

import pandas as pd

from nn_core.datasets import PRESETS, Dataset, make_preset, tutorial_people

TUTORIAL = "Tutorial: four people"
SOURCES = (TUTORIAL, *PRESETS)


def table_from_dataset(dataset: Dataset) -> pd.DataFrame:
    """One row per example: a Name column when the data set names its rows, then inputs, then target."""
    columns: dict[str, list[str]] = {}
    if dataset.row_names is not None:
        columns["Name"] = list(dataset.row_names)
    for index, name in enumerate(dataset.feature_names):
        columns[name] = [_cell(value) for value in dataset.X[:, index]]
    columns[dataset.target_name] = [_cell(value) for value in dataset.y]
    return pd.DataFrame(columns, dtype=object)


def load_source(name: str, n_samples: int, noise: float, seed: int) -> Dataset:
    """The data set behind a source name; the tutorial ignores size, noise and seed."""
    if name == TUTORIAL:
        return tutorial_people()
    return make_preset(name, n_samples, noise, seed)


def _cell(value: float) -> str:
    """Up to six significant digits, whole numbers without a decimal point."""
    return f"{value:.6g}"
