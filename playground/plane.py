"""The input plane the pictures are drawn on: the range of each input, with a margin.

The network picture's maps and surface, the prediction sliders and the points a click adds share these
ranges, so a point on one of them is the same input on all of them.
"""

from __future__ import annotations

import numpy as np


def axis_range(values: np.ndarray, margin: float = 0.15) -> tuple[float, float]:
    """(low, high) covering ``values`` plus a margin on each side; never empty, even for one value."""
    low, high = float(np.min(values)), float(np.max(values))
    pad = margin * (high - low) if high > low else max(1.0, abs(low) * margin)
    return low - pad, high + pad
