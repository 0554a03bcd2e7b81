"""Derived inputs (x1², x1·x2, sin x1): their arithmetic, their names and the checks on their codes."""

from __future__ import annotations

import math
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from nn_core.features import (
    MAX_FEATURE_COLUMNS,
    MAX_FEATURES,
    Feature,
    input_names,
    offered_features,
    parse_features,
    with_features,
)
from nn_core.network import Network
from nn_core.serialize import export_script


def test_each_kind_is_what_its_name_says():
    X = np.array([[2.0, -3.0], [0.5, 4.0]])
    features = parse_features(["x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)"], 2)
    expanded = with_features(X, features)
    assert expanded.shape == (2, 7)
    np.testing.assert_array_equal(expanded[:, :2], X)
    assert expanded[0, 2:].tolist() == [4.0, 9.0, -6.0, math.sin(2.0), math.sin(-3.0)]
    assert expanded[1, 2:].tolist() == [0.25, 16.0, 2.0, math.sin(0.5), math.sin(4.0)]


def test_no_features_leave_the_columns_as_they_are():
    X = np.array([[1.0, 2.0]])
    assert with_features(X, ()).tolist() == [[1.0, 2.0]]


@given(arrays(float, (5, 3), elements=st.floats(-1e3, 1e3)), st.lists(st.sampled_from(range(9)), max_size=8))
def test_features_follow_the_rows_one_by_one(X, picks):
    """Row by row in plain Python equals the whole array at once, whatever features and order."""
    offered = offered_features(3)
    features = list(dict.fromkeys(offered[pick] for pick in picks))
    expanded = with_features(X, features)
    for row, values in zip(X.tolist(), expanded.tolist(), strict=True):
        plain = [_plain(feature, row) for feature in features]
        assert values == [*row, *plain]


def _plain(feature: Feature, row: list[float]) -> float:
    first = row[feature.columns[0]]
    if feature.kind == "square":
        return first * first
    if feature.kind == "product":
        return first * row[feature.columns[1]]
    return math.sin(first)


@pytest.mark.parametrize(("n_columns", "count"), [(0, 0), (1, 2), (2, 5), (3, 9), (4, 14), (50, 14)])
def test_what_is_offered_grows_with_the_columns_up_to_four(n_columns, count):
    offered = offered_features(n_columns)
    assert len(offered) == count
    assert len({feature.code for feature in offered}) == count
    assert all(max(feature.columns) < min(n_columns, MAX_FEATURE_COLUMNS) for feature in offered)


def test_codes_read_back_as_the_same_features():
    offered = offered_features(4)
    assert parse_features([feature.code for feature in offered[:MAX_FEATURES]], 4) == offered[:MAX_FEATURES]


@pytest.mark.parametrize(
    ("codes", "n_columns", "message"),
    [
        (["x1**2"], 2, "is not a derived input"),
        (["__import__('os')"], 2, "is not a derived input"),
        ([3], 2, "is not a derived input"),
        (["x3^2"], 2, "not offered for 2 input column"),
        (["x2*x1"], 2, "not offered"),
        (["x1*x1"], 2, "not offered"),
        (["x1*x2"], 1, "not offered for 1 input column"),
        (["sin(x1)", "sin(x1)"], 2, "listed twice"),
        (["x1^2"] * (MAX_FEATURES + 1), 2, f"At most {MAX_FEATURES}"),
    ],
)
def test_bad_codes_are_refused_with_a_sentence(codes, n_columns, message):
    with pytest.raises(ValueError, match=message):
        parse_features(codes, n_columns)


def test_names_use_the_columns_own_names_bracketed_when_not_one_word():
    features = parse_features(["x1^2", "x2^2", "x1*x2", "sin(x1)"], 2)
    assert input_names(["Weight - 135", "x2"], features) == [
        "Weight - 135",
        "x2",
        "(Weight - 135)²",
        "x2²",
        "(Weight - 135)·x2",
        "sin(Weight - 135)",
    ]


def test_the_exported_script_adds_the_features_and_prints_the_same_predictions(tmp_path):
    rng = np.random.default_rng(3)
    features = parse_features(["x1^2", "x1*x2", "sin(x2)"], 2)
    network = Network([5, 3, 1], "tanh", seed=2)
    X = rng.normal(size=(6, 2)) * 3
    mean, scale = rng.normal(size=5), rng.uniform(0.5, 2.0, size=5)
    script = tmp_path / "model.py"
    script.write_text(export_script(network, ["a", "b"], mean, scale, X, features), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=60, check=True
    )
    printed = [line.split("->")[1].split() for line in result.stdout.splitlines()]
    expected = network.predict((with_features(X, features) - mean) / scale)
    assert np.array_equal(np.array(printed, dtype=float), expected)
    one = subprocess.run(
        [sys.executable, str(script), "1.5", "-2"], capture_output=True, text=True, timeout=60, check=True
    )
    row = (with_features(np.array([[1.5, -2.0]]), features) - mean) / scale
    assert float(one.stdout.split("->")[1]) == network.predict(row)[0, 0]


def test_the_exported_script_refuses_features_that_do_not_fit_the_network():
    features = parse_features(["x1^2"], 2)
    with pytest.raises(ValueError, match="Expected 2 inputs: got 2 column names and 1 derived"):
        export_script(
            Network([2, 1], seed=0), ["a", "b"], np.zeros(3), np.ones(3), np.zeros((1, 2)), features
        )
