"""The input plane the pictures are drawn on: axis ranges with a margin and a grid of network inputs.

The decision boundary, every per-neuron map and the prediction sliders share these ranges, so a
point on one picture is the same input on all of them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

GRID_RESOLUTION = 60


def axis_range(values: np.ndarray, margin: float = 0.15) -> tuple[float, float]:
    """(low, high) covering ``values`` plus a margin on each side; never empty, even for one value."""
    low, high = float(np.min(values)), float(np.max(values))
    pad = margin * (high - low) if high > low else max(1.0, abs(low) * margin)
    return low - pad, high + pad


@dataclass(frozen=True)
class Plane:
    """A grid over two chosen inputs, the others held fixed.

    xs: (nx,), ys: (ny,) coordinates in the data's own units; inputs: (ny * nx, n_inputs) raw rows,
    row-major so that ``values.reshape(ny, nx)`` lines up with xs and ys.
    """

    xs: np.ndarray
    ys: np.ndarray
    inputs: np.ndarray

    def reshape(self, values: np.ndarray) -> np.ndarray:
        """Per-grid-point values (ny * nx,) as an image (ny, nx)."""
        return values.reshape(len(self.ys), len(self.xs))


def make_plane(
    X: np.ndarray,
    x_index: int,
    y_index: int,
    fixed_inputs: np.ndarray,
    resolution: int = GRID_RESOLUTION,
) -> Plane:
    """A grid spanning the data in columns ``x_index`` and ``y_index`` of X: (n_samples, n_inputs).

    Every other input takes its value from ``fixed_inputs``: (n_inputs,), the prediction sliders.
    With one input, ``y_index`` may equal ``x_index``: the plane is then a band of identical rows.
    """
    xs = np.linspace(*axis_range(X[:, x_index]), resolution)
    ys = np.linspace(*axis_range(X[:, y_index]), resolution)
    grid_x, grid_y = np.meshgrid(xs, ys)
    inputs = np.tile(np.asarray(fixed_inputs, dtype=float), (grid_x.size, 1))
    inputs[:, y_index] = grid_y.ravel()
    inputs[:, x_index] = grid_x.ravel()
    return Plane(xs, ys, inputs)
