"""The charts that redraw while the network trains, as Vega-Lite specs: arrays in, a spec dict out.

Why Vega-Lite and not plotly here: in Streamlit 1.67 a plotly chart's element id hashes its figure, so
every new frame mounts a new chart and the old one blanks out first (flicker, measured in the browser);
a Vega-Lite chart without selections keeps its id and swaps its data in place.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from playground.charts import PointSet, thin
from playground.colors import CLASS_COLORS, diverging_rgb, hex_to_rgb
from playground.png import png_data_uri
from playground.text import chart_label

FONT_SIZE = 15
TITLE_SIZE = 16
TRAIN_LINE = "#303030"
TEST_LINE = "#8A8A8A"
OUTLINE = "#1F2430"
SURFACE_STRENGTH = 0.75
SETS = ("train", "test")
MAX_LOSS_POINTS = 400  # enough for a smooth curve; every point travels and is drawn on every frame
NEW_POINT = "new_point"  # the box a user drags to add a data row there
CONFIG = {
    "axis": {"labelFontSize": FONT_SIZE, "titleFontSize": TITLE_SIZE, "grid": False},
    "legend": {"labelFontSize": FONT_SIZE, "titleFontSize": FONT_SIZE, "orient": "top"},
    "view": {"stroke": None},
}


def _hex(rgb: np.ndarray) -> list[str]:
    """uint8 (n, 3) colours -> '#rrggbb' strings."""
    return [f"#{r:02x}{g:02x}{b:02x}" for r, g, b in rgb.reshape(-1, 3).tolist()]


def _value_range(*arrays: np.ndarray) -> tuple[float, float]:
    finite = np.concatenate([np.ravel(a)[np.isfinite(np.ravel(a))] for a in arrays])
    if finite.size == 0:
        return 0.0, 1.0
    low, high = float(finite.min()), float(finite.max())
    return (low - 0.5, high + 0.5) if low == high else (low, high)


def _class_colors(indices: np.ndarray) -> np.ndarray:
    """uint8 (..., 3) colours of class indices."""
    palette = np.array([hex_to_rgb(color) for color in CLASS_COLORS], dtype=np.uint8)
    return palette[np.nan_to_num(indices).astype(int) % len(palette)]


def _point_colors(points: PointSet, task: str, value_range: tuple[float, float]) -> list[str]:
    target = np.asarray(points.target, dtype=float)
    if task == "regression":
        return _hex(diverging_rgb(target, *value_range))
    return _hex(_class_colors(target))


def _target_text(points: PointSet, task: str, class_names: Sequence[str]) -> list[str]:
    if task == "regression" or not class_names:
        return [f"{value:.4g}" for value in points.target]
    return [class_names[int(index)] for index in points.target]


def _points_frame(points: PointSet, colors: list[str], targets: list[str]) -> pd.DataFrame:
    return pd.DataFrame({
        "x": np.asarray(points.x, dtype=float),
        "y": np.asarray(points.y, dtype=float),
        "label": list(points.labels),
        "target": targets,
        "set": np.where(points.is_test, "test", "train"),
        "fill": colors,
    })  # fmt: skip


def _points_layer(x_title: str, y_title: str, colors: list[str], has_test: bool) -> dict:
    """Data rows on top: circles for training rows, diamonds with a heavier outline for test rows."""
    palette = sorted(set(colors))
    return {
        "params": [{"name": NEW_POINT, "select": {"type": "interval", "encodings": ["x", "y"]}}],
        "data": {"name": "points"},
        "mark": {"type": "point", "filled": True, "size": 120, "opacity": 1, "stroke": OUTLINE},
        "encoding": {
            "x": {"field": "x", "type": "quantitative", "title": x_title},
            "y": {"field": "y", "type": "quantitative", "title": y_title},
            "color": {"field": "fill", "type": "nominal", "legend": None,
                      "scale": {"domain": palette, "range": palette}},
            "shape": {"field": "set", "type": "nominal", "legend": {"title": None} if has_test else None,
                      "scale": {"domain": SETS, "range": ["circle", "diamond"]}},
            "strokeWidth": {"field": "set", "type": "nominal", "legend": None,
                            "scale": {"domain": SETS, "range": [1.2, 2.5]}},
            "tooltip": [
                {"field": "label", "title": "Row"},
                {"field": "x", "title": x_title, "format": ".4g"},
                {"field": "y", "title": y_title, "format": ".4g"},
                {"field": "target", "title": "Target"},
                {"field": "set", "title": "Set"},
            ],
        },
    }  # fmt: skip


def surface_image(values: np.ndarray, task: str, value_range: tuple[float, float]) -> np.ndarray:
    """uint8 RGB picture of the grid (row 0 = top = highest y), paler than the points drawn on it."""
    values = np.asarray(values, dtype=float)[::-1]
    if task == "multiclass":
        rgb = _class_colors(values)
    else:
        low, high = value_range if task == "regression" else (0.0, 1.0)
        rgb = diverging_rgb(values, low, high)
    return (255 - (255 - rgb.astype(float)) * SURFACE_STRENGTH).astype(np.uint8)


def _surface_title(task: str, class_names: Sequence[str], value_range: tuple[float, float]) -> str:
    if task == "binary" and len(class_names) > 1:
        return f"Blue: {class_names[1]}   Orange: {class_names[0]}   (paler = less sure)"
    if task == "regression":
        return f"Prediction: orange {value_range[0]:.3g} … blue {value_range[1]:.3g}"
    return "Background: the class the network predicts"


def surface_chart(
    xs: np.ndarray,
    ys: np.ndarray,
    values: np.ndarray,
    task: str,
    points: PointSet,
    x_title: str,
    y_title: str,
    class_names: Sequence[str] = (),
    size: int = 360,
) -> dict:
    """The network's output over a grid (values: (len(ys), len(xs))) with the data rows on top.

    Titles come from the user's column names and class labels: they are made one safe line each.
    """
    x_title, y_title = chart_label(x_title), chart_label(y_title)
    value_range = _value_range(values, points.target) if task == "regression" else (0.0, 1.0)
    colors = _point_colors(points, task, value_range)
    x_scale = {"domain": [float(xs[0]), float(xs[-1])], "nice": False, "zero": False}
    y_scale = {"domain": [float(ys[0]), float(ys[-1])], "nice": False, "zero": False}
    picture = {"url": png_data_uri(surface_image(values, task, value_range))}
    picture.update(x0=float(xs[0]), x1=float(xs[-1]), y0=float(ys[0]), y1=float(ys[-1]))
    image_layer = {
        "data": {"name": "surface"},  # a named dataset, so the spec itself stays the same from frame to frame
        "mark": {"type": "image", "aspect": False},
        "encoding": {
            "url": {"field": "url", "type": "nominal"},
            "x": {"field": "x0", "type": "quantitative", "scale": x_scale, "title": x_title},
            "x2": {"field": "x1"},
            "y": {"field": "y1", "type": "quantitative", "scale": y_scale, "title": y_title},
            "y2": {"field": "y0"},
        },
    }
    points_layer = _points_layer(x_title, y_title, colors, bool(np.any(points.is_test)))
    return {
        "width": size,
        "height": size,
        "autosize": {"type": "pad"},
        "title": {
            "text": chart_label(_surface_title(task, class_names, value_range), 90),
            "fontSize": FONT_SIZE,
        },
        "datasets": {
            "surface": pd.DataFrame([picture]),
            "points": _points_frame(points, colors, _target_text(points, task, class_names)),
        },
        "layer": [image_layer, points_layer],
        "config": CONFIG,
    }


def curve_chart(
    xs: np.ndarray, values: np.ndarray, points: PointSet, x_title: str, y_title: str, size: int = 360
) -> dict:
    """A one-input network's prediction as a line over the input, with the data rows (x, target) as points."""
    x_title, y_title = chart_label(x_title), chart_label(y_title)
    value_range = _value_range(np.asarray(points.target, dtype=float))
    colors = _point_colors(points, "regression", value_range)
    as_points = PointSet(points.x, points.target, points.target, points.is_test, points.labels)
    targets = [f"{value:.4g}" for value in points.target]
    line_layer = {
        "data": {"name": "curve"},
        "mark": {"type": "line", "color": TRAIN_LINE, "strokeWidth": 3},
        "encoding": {
            "x": {"field": "x", "type": "quantitative", "title": x_title, "scale": {"nice": False}},
            "y": {"field": "y", "type": "quantitative", "title": y_title},
        },
    }
    curve = pd.DataFrame({"x": np.asarray(xs, dtype=float), "y": np.asarray(values, dtype=float)})
    return {
        "width": size,
        "height": size,
        "autosize": {"type": "pad"},
        "title": {"text": "Line: the network's prediction", "fontSize": FONT_SIZE},
        "datasets": {"curve": curve, "points": _points_frame(as_points, colors, targets)},
        "layer": [line_layer, _points_layer(x_title, y_title, colors, bool(np.any(points.is_test)))],
        "config": CONFIG,
    }


def loss_chart(
    train_loss: Sequence[float] | np.ndarray,
    test_loss: Sequence[float] | np.ndarray | None = None,
    log_scale: bool = False,
    height: int = 240,
) -> dict:
    """Loss per epoch: a solid line for training rows, a dashed one for test rows (thinned to ≤ 2,000)."""
    frames = []
    for name, losses in (("train", train_loss), ("test", test_loss)):
        if losses is not None and len(losses):
            epochs, values = thin(np.asarray(losses, dtype=float), MAX_LOSS_POINTS)
            frames.append(pd.DataFrame({"epoch": epochs, "loss": values, "set": name}))
    spec: dict = {"height": height, "width": "container", "config": CONFIG}
    if not frames:
        spec["datasets"] = {"message": pd.DataFrame({"text": ["Press Train to see the loss fall"]})}
        spec["data"] = {"name": "message"}
        spec["mark"] = {"type": "text", "fontSize": TITLE_SIZE, "color": TEST_LINE}
        spec["encoding"] = {"text": {"field": "text"}}
        return spec
    history = pd.concat(frames, ignore_index=True)
    if log_scale:
        history = history[history["loss"] > 0]
    history = history[np.isfinite(history["loss"])]
    spec["datasets"] = {"history": history}
    spec["data"] = {"name": "history"}
    spec["mark"] = {"type": "line", "strokeWidth": 2.5}
    spec["encoding"] = {
        "x": {"field": "epoch", "type": "quantitative", "title": "Epoch"},
        "y": {"field": "loss", "type": "quantitative", "title": "Loss",
              "scale": {"type": "log"} if log_scale else {"zero": True}},
        "color": {"field": "set", "type": "nominal", "title": None,
                  "scale": {"domain": list(SETS), "range": [TRAIN_LINE, TEST_LINE]}},
        "strokeDash": {"field": "set", "type": "nominal", "legend": None,
                       "scale": {"domain": list(SETS), "range": [[1, 0], [6, 4]]}},
        "tooltip": [{"field": "epoch", "title": "Epoch"}, {"field": "loss", "title": "Loss", "format": ".5f"},
                    {"field": "set", "title": "Set"}],
    }  # fmt: skip
    return spec
