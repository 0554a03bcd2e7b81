"""What the charts share: thinning a long loss history, and the style of the Vega-Lite charts.

Pure functions (no Streamlit). The live picture and the run comparison both draw loss curves of up to
100,000 epochs; every point travels to the browser, so both keep a few hundred.
"""

from __future__ import annotations

from collections.abc import Sequence

FONT_SIZE = 15
TITLE_SIZE = 16
CONFIG = {
    "axis": {"labelFontSize": FONT_SIZE, "titleFontSize": TITLE_SIZE, "grid": False},
    "legend": {"labelFontSize": FONT_SIZE, "titleFontSize": FONT_SIZE, "orient": "top"},
    "view": {"stroke": None},
}


def thin(values: Sequence[float], max_points: int = 2000) -> tuple[list[int], list[float]]:
    """Every k-th value of a history so at most ``max_points`` remain; the first and last are kept.

    Returns (epochs, values): 1-based epoch numbers and the kept values. A list slice, so a 100,000-epoch
    history is not copied on every frame.
    """
    if max_points < 1:
        raise ValueError("max_points must be at least 1.")
    count = len(values)
    if count <= max_points:
        return list(range(1, count + 1)), list(values)
    if max_points == 1:
        return [count], [values[-1]]
    # A stride chosen so that the first point, every stride-th after it and the last fit the budget.
    stride = -(-(count - 1) // (max_points - 1))
    epochs = [*range(1, count, stride), count]
    kept = [*values[0 : count - 1 : stride], values[-1]]
    return epochs, kept
