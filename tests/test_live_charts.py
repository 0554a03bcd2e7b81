"""Vega-Lite specs of the live view, checked on arrays without Streamlit."""

from __future__ import annotations

import base64
import json
import zlib

import numpy as np
import pandas as pd
import pytest

from playground.charts import PointSet
from playground.colors import BLUE, ORANGE
from playground.live_charts import curve_chart, loss_chart, surface_chart, surface_image
from playground.png import png_bytes, png_data_uri


def points(n=6, n_test=2, target=None):
    rng = np.random.default_rng(0)
    target = np.arange(n) % 2.0 if target is None else target
    is_test = np.arange(n) >= n - n_test
    return PointSet(rng.normal(size=n), rng.normal(size=n), target, is_test, tuple(f"r{i}" for i in range(n)))


def decode_png(data: bytes) -> np.ndarray:
    """Read back an 8-bit RGB PNG written without filters (what png_bytes writes)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    start = data.index(b"IDAT") + 4
    length = int.from_bytes(data[start - 8 : start - 4], "big")
    raw = np.frombuffer(zlib.decompress(data[start : start + length]), dtype=np.uint8)
    return raw.reshape(height, 1 + 3 * width)[:, 1:].reshape(height, width, 3)


def test_png_round_trip_and_data_uri():
    image = np.random.default_rng(1).integers(0, 256, size=(5, 7, 3), dtype=np.uint8)
    assert np.array_equal(decode_png(png_bytes(image)), image)
    uri = png_data_uri(image)
    assert uri.startswith("data:image/png;base64,")
    assert np.array_equal(decode_png(base64.b64decode(uri.split(",", 1)[1])), image)
    with pytest.raises(ValueError, match="height, width, 3"):
        png_bytes(np.zeros((4, 4)))


def test_surface_image_puts_high_y_on_top_and_is_paler_than_the_points():
    values = np.zeros((3, 4))
    values[-1] = 1.0  # the last row of values is the highest y
    image = surface_image(values, "binary", (0.0, 1.0))
    assert image.shape == (3, 4, 3) and image.dtype == np.uint8
    top, bottom = image[0, 0].astype(int), image[-1, 0].astype(int)
    assert top[2] > top[0] and bottom[0] > bottom[2]  # blue on top, orange below
    assert (top > np.array([8, 119, 189])).all()  # paler than pure BLUE


def test_binary_surface_spec():
    xs, ys = np.linspace(-1, 1, 5), np.linspace(0, 2, 4)
    spec = surface_chart(xs, ys, np.full((4, 5), 0.5), "binary", points(), "a", "b", ["y = 0", "y = 1"])
    image_layer, point_layer = spec["layer"]
    assert image_layer["data"] == {"name": "surface"}
    picture = spec["datasets"]["surface"].iloc[0]
    assert (picture["x0"], picture["x1"], picture["y0"], picture["y1"]) == (-1.0, 1.0, 0.0, 2.0)
    assert decode_png(base64.b64decode(picture["url"].split(",")[1])).shape == (4, 5, 3)
    frame = spec["datasets"]["points"]
    assert list(frame["set"]) == ["train"] * 4 + ["test"] * 2
    assert set(frame["fill"]) == {ORANGE.lower(), BLUE.lower()}
    assert list(frame["target"][:2]) == ["y = 0", "y = 1"]
    assert point_layer["encoding"]["shape"]["legend"] is not None
    assert "y = 1" in spec["title"]["text"]
    json.dumps({k: v for k, v in spec.items() if k != "datasets"})


def test_surface_without_test_rows_has_no_shape_legend_and_multiclass_colours():
    target = np.array([0.0, 1.0, 2.0, 2.0])
    spec = surface_chart(
        np.arange(3.0), np.arange(3.0), np.zeros((3, 3)), "multiclass", points(4, 0, target), "a", "b"
    )
    assert spec["layer"][1]["encoding"]["shape"]["legend"] is None
    assert len(set(spec["datasets"]["points"]["fill"])) == 3


def test_regression_surface_shares_one_range_with_the_points():
    target = np.array([-2.0, 0.0, 2.0])
    spec = surface_chart(
        np.arange(2.0), np.arange(2.0), np.zeros((2, 2)), "regression", points(3, 0, target), "a", "b"
    )
    fills = list(spec["datasets"]["points"]["fill"])
    assert fills[0] == ORANGE.lower() and fills[2] == BLUE.lower()
    assert "-2" in spec["title"]["text"] and "2" in spec["title"]["text"]


def test_curve_chart_draws_the_prediction_and_the_data():
    xs = np.linspace(0, 1, 7)
    spec = curve_chart(xs, xs**2, points(4, 1, np.array([0.0, 0.5, 1.0, 0.2])), "x", "y")
    curve = spec["datasets"]["curve"]
    np.testing.assert_allclose(curve["y"], xs**2)
    frame = spec["datasets"]["points"]
    np.testing.assert_allclose(frame["y"], [0.0, 0.5, 1.0, 0.2])


def test_loss_chart_lines_log_scale_and_empty_history():
    spec = loss_chart([0.5, 0.25, 0.0], [0.6, 0.3, 0.2], log_scale=True)
    history = spec["datasets"]["history"]
    assert set(history["set"]) == {"train", "test"}
    assert (history["loss"] > 0).all() and len(history) == 5
    assert spec["encoding"]["y"]["scale"] == {"type": "log"}
    empty = loss_chart([], None)
    assert "Press Train" in empty["datasets"]["message"]["text"][0]


def test_loss_chart_thins_long_histories():
    spec = loss_chart(np.linspace(1, 0.1, 10_000))
    history = spec["datasets"]["history"]
    assert len(history) <= 2000 and history["epoch"].iloc[-1] == 10_000
    assert isinstance(history, pd.DataFrame)


@pytest.mark.parametrize("name", ["a\nb", "a\rb", "a\u2028b", "a\u2029b", "a\x00b\x1fc", "x" * 500])
def test_chart_titles_from_column_names_are_one_safe_line(name):
    xs, ys = np.linspace(-1, 1, 5), np.linspace(0, 2, 4)
    for spec in (
        surface_chart(xs, ys, np.full((4, 5), 0.5), "binary", points(), name, name, [name, name]),
        curve_chart(xs, np.zeros(5), points(), name, name),
    ):
        text = json.dumps({k: v for k, v in spec.items() if k != "datasets"})
        titles = [layer["encoding"]["x"]["title"] for layer in spec["layer"]]
        assert all(len(title) <= 60 and title.isprintable() for title in titles)
        assert "\\n" not in text and "\\r" not in text and "\\u2028" not in text and "\\u0000" not in text
