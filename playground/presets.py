"""Data sets as tables: the tutorial's four people and the engine's generated presets.

The table holds every cell as text, exactly what a user could have typed, so generated data goes
through the same validation as hand-edited data.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from nn_core.datasets import MAX_NOISE, MAX_SAMPLES, PRESETS, Dataset, make_preset, tutorial_people
from playground.table import number_text

TUTORIAL = "Tutorial: four people"
SOURCES = (TUTORIAL, *PRESETS)
# The tutorial's two questions: Emily and Frank, in its units (weight − 135, height − 66).
TUTORIAL_QUESTIONS = {"Emily": (-7.0, -3.0), "Frank": (20.0, 2.0)}
# What the data set controls offer is exactly what a share link may ask for.
POINTS_RANGE = (10, MAX_SAMPLES)
NOISE_RANGE = (0.0, MAX_NOISE)
PRESET_DIGITS = 6  # a generated data set's cells: up to six significant digits


@dataclass(frozen=True)
class PresetSource:
    """A generated data set: ``name`` is a key of nn_core.datasets.PRESETS."""

    name: str
    n_samples: int
    noise: float
    seed: int

    def dataset(self) -> Dataset:
        return make_preset(self.name, self.n_samples, self.noise, self.seed)


def table_from_dataset(dataset: Dataset) -> pd.DataFrame:
    """One row per example: a Name column when the data set names its rows, then inputs, then target."""
    columns: dict[str, list[str]] = {}
    if dataset.row_names is not None:
        columns["Name"] = list(dataset.row_names)
    for index, name in enumerate(dataset.feature_names):
        columns[name] = [number_text(value, PRESET_DIGITS) for value in dataset.X[:, index]]
    columns[dataset.target_name] = [number_text(value, PRESET_DIGITS) for value in dataset.y]
    return pd.DataFrame(columns, dtype=object)


def load_source(name: str, n_samples: int, noise: float, seed: int) -> Dataset:
    """The data set behind a source name; the tutorial ignores size, noise and seed."""
    if name == TUTORIAL:
        return tutorial_people()
    return make_preset(name, n_samples, noise, seed)
