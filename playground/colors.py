"""The playground's colours: orange for class 0 and negative numbers, blue for class 1 and positive ones.

``diverging_rgb`` is the one mapping from numbers to colours, used by the decision surface, the
per-neuron images and the network diagram, so a colour means the same thing everywhere on the page.
"""

from __future__ import annotations

import numpy as np

ORANGE = "#F59322"
BLUE = "#0877BD"
NEUTRAL = "#E8EAEB"
OUTLINE = "#1F2430"  # around data points and maps
TRAIN_LINE = "#303030"
TEST_LINE = "#8A8A8A"
SURFACE_STRENGTH = 0.75  # the decision surface is this much of its colour, paler than the points on it

CLASS_COLORS = (
    ORANGE,
    BLUE,
    "#2CA02C",  # green
    "#D62728",  # red
    "#9467BD",  # purple
    "#8C564B",  # brown
    "#E377C2",  # pink
    "#17BECF",  # cyan
    "#BCBD22",  # olive
    "#5A5A5A",  # dark grey
)


def hex_to_rgb(color: str) -> tuple[int, int, int]:
    """'#F59322' → (245, 147, 34)."""
    digits = color.lstrip("#")
    if len(digits) != 6:
        raise ValueError(f"Colour {color!r} is not of the form '#RRGGBB'.")
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)


_STOPS = np.array([hex_to_rgb(ORANGE), hex_to_rgb(NEUTRAL), hex_to_rgb(BLUE)], dtype=float)


def diverging_rgb(values: np.ndarray, low: float, high: float) -> np.ndarray:
    """Colours for ``values``: low → orange, (low + high) / 2 → neutral, high → blue, linear in between.

    values: any shape (...). Returns uint8 (..., 3). Values outside [low, high] take the end colour;
    NaN is neutral. When low == high, values equal to it are neutral, smaller orange, larger blue.
    """
    values = np.asarray(values, dtype=float)
    if high == low:
        position = 0.5 + 0.5 * np.sign(values - low)
    else:
        position = np.clip((values - low) / (high - low), 0.0, 1.0)
    position = np.where(np.isnan(position), 0.5, position)
    channels = [np.interp(position, [0.0, 0.5, 1.0], _STOPS[:, channel]) for channel in range(3)]
    return np.rint(np.stack(channels, axis=-1)).astype(np.uint8)


def activation_range(activation: str) -> tuple[float, float] | None:
    """Fixed colour range of a bounded activation (so a colour means the same value on every frame)."""
    return {"sigmoid": (0.0, 1.0), "softmax": (0.0, 1.0), "tanh": (-1.0, 1.0)}.get(activation)


def symmetric_range(values: np.ndarray) -> tuple[float, float]:
    """(-m, m) with m the largest |value|: zero stays neutral, the strongest value gets a full colour."""
    finite = np.abs(np.asarray(values, dtype=float))
    finite = finite[np.isfinite(finite)]
    extent = float(finite.max()) if finite.size else 0.0
    extent = extent if extent > 0 else 1e-9
    return -extent, extent
