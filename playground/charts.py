"""Shared pieces of the pictures: the data rows to draw, history thinning, and per-neuron images.

Pure functions over arrays (no Streamlit). The images are uint8 RGB, so the live view can draw every
hidden neuron as one small picture per frame.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from playground.colors import diverging_rgb

WHITE = 255


@dataclass(frozen=True)
class PointSet:
    """The data rows drawn on a chart.

    x, y: (n_points,) coordinates; target: (n_points,) class index (as float) or regression value;
    is_test: (n_points,) bool; labels: (n_points,) hover text, e.g. the row's name.
    """

    x: np.ndarray
    y: np.ndarray
    target: np.ndarray
    is_test: np.ndarray
    labels: tuple[str, ...]

    def __post_init__(self) -> None:
        lengths = {len(self.x), len(self.y), len(self.target), len(self.is_test), len(self.labels)}
        if len(lengths) != 1:
            raise ValueError("x, y, target, is_test and labels must have one entry per data row.")


def thin(values: np.ndarray, max_points: int = 2000) -> tuple[np.ndarray, np.ndarray]:
    """Every k-th value of a history so at most ``max_points`` remain; the first and last are kept.

    values: (n_epochs,). Returns (epochs, values): 1-based epoch numbers (int) and the kept values.
    """
    if max_points < 1:
        raise ValueError("max_points must be at least 1.")
    values = np.asarray(values, dtype=float)
    count = len(values)
    if count <= max_points:
        indices = np.arange(count)
    elif max_points == 1:
        indices = np.array([count - 1])
    else:
        # A stride chosen so that the first point, every stride-th after it and the last fit the budget.
        stride = -(-(count - 1) // (max_points - 1))
        indices = np.append(np.arange(0, count - 1, stride), count - 1)
    return indices + 1, values[indices]


# ---------------------------------------------------------------- per-neuron images


def _tile(neuron_map: np.ndarray, low: float, high: float, tile: int) -> np.ndarray:
    """One map (rows = y ascending, cols = x) as a tile×tile RGB picture with the highest y at the top."""
    neuron_map = np.asarray(neuron_map, dtype=float)
    if neuron_map.ndim != 2 or 0 in neuron_map.shape:
        raise ValueError(f"Each neuron map must be a non-empty 2-D array; got shape {neuron_map.shape}.")
    rows = np.arange(tile) * neuron_map.shape[0] // tile
    cols = np.arange(tile) * neuron_map.shape[1] // tile
    return diverging_rgb(neuron_map[::-1][np.ix_(rows, cols)], low, high)


def _white(height: int, width: int) -> np.ndarray:
    return np.full((height, width, 3), WHITE, dtype=np.uint8)


def neuron_maps_image(
    maps: Sequence[np.ndarray], low: float, high: float, tile: int = 64, gap: int = 6
) -> np.ndarray:
    """One layer's neurons side by side: what each responds to over the input plane.

    maps: n arrays (ny, nx), one per neuron. Returns uint8 (tile, n·tile + (n−1)·gap, 3), tiles separated
    by white gaps, coloured low → orange, high → blue.
    """
    if len(maps) == 0:
        raise ValueError("No neuron maps to draw: the layer has no neurons.")
    if tile < 1 or gap < 0:
        raise ValueError("tile must be at least 1 pixel and gap must not be negative.")
    image = _white(tile, len(maps) * tile + (len(maps) - 1) * gap)
    for index, neuron_map in enumerate(maps):
        left = index * (tile + gap)
        image[:, left : left + tile] = _tile(neuron_map, low, high, tile)
    return image


def neuron_layers_image(
    layers: Sequence[Sequence[np.ndarray]],
    ranges: Sequence[tuple[float, float]],
    tile: int = 64,
    gap: int = 6,
) -> np.ndarray:
    """Every hidden neuron in one picture: a row of tiles per layer, padded with white to the widest row.

    layers: one list of (ny, nx) maps per hidden layer; ranges: (low, high) colour range per layer.
    Returns uint8 (n_layers·tile + (n_layers−1)·gap, widest row, 3).
    """
    if len(layers) == 0:
        raise ValueError("No hidden layers to draw.")
    if len(layers) != len(ranges):
        raise ValueError(
            f"Got {len(layers)} layers but {len(ranges)} colour ranges; give one range per layer."
        )
    rows = [
        neuron_maps_image(maps, low, high, tile, gap)
        for maps, (low, high) in zip(layers, ranges, strict=True)
    ]
    width = max(row.shape[1] for row in rows)
    image = _white(len(rows) * tile + (len(rows) - 1) * gap, width)
    for index, row in enumerate(rows):
        top = index * (tile + gap)
        image[top : top + tile, : row.shape[1]] = row
    return image
