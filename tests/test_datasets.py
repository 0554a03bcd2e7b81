"""Data sets: the tutorial's people exactly, every preset's contract, the split and the standardiser."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from nn_core.datasets import (
    MAX_SAMPLES,
    PRESETS,
    TASKS,
    Dataset,
    Standardizer,
    make_preset,
    one_hot,
    spiral,
    split_indices,
    train_test_split,
    tutorial_people,
)
from nn_core.network import Network

PRESET_NAMES = list(PRESETS)
N_CLASSES = {"binary": 2, "multiclass": 3}


def test_tutorial_people_are_the_tutorial_values():
    people = tutorial_people()
    np.testing.assert_array_equal(people.X, np.array([[-2, -1], [25, 6], [17, 4], [-15, -6]], dtype=float))
    np.testing.assert_array_equal(people.y, np.array([1.0, 0.0, 0.0, 1.0]))
    assert people.X.dtype == float and people.y.dtype == float
    assert people.feature_names == ("Weight - 135", "Height - 66")
    assert people.target_name == "Female"
    assert people.task == "binary"
    assert people.row_names == ("Alice", "Bob", "Charlie", "Diana")


def test_presets_are_listed_in_display_order():
    assert PRESET_NAMES == [
        "XOR",
        "Circle",
        "Two blobs",
        "Spiral",
        "Two moons",
        "Regression 1-D",
        "Regression 2-D",
        "Three classes",
    ]


@pytest.mark.parametrize("name", PRESET_NAMES)
@pytest.mark.parametrize("n_samples", [3, 200, 301])
def test_preset_shapes_names_and_values(name, n_samples):
    data = make_preset(name, n_samples, 0.1, 0)
    assert data.task in TASKS
    assert data.X.shape == (n_samples, len(data.feature_names))
    assert data.y.shape == (n_samples,)
    assert data.X.dtype == float and data.y.dtype == float
    assert np.isfinite(data.X).all() and np.isfinite(data.y).all()
    assert np.abs(data.X).max() < 9 and np.abs(data.y).max() < 9
    assert data.row_names is None
    if data.task == "regression":
        assert data.target_name == "y"
    else:
        assert data.feature_names == ("x1", "x2")
        assert data.target_name == "label"


@pytest.mark.parametrize("name", PRESET_NAMES)
def test_preset_feature_counts_and_tasks(name):
    data = make_preset(name, 50, 0.1, 0)
    expected_task = {
        "Regression 1-D": "regression",
        "Regression 2-D": "regression",
        "Three classes": "multiclass",
    }
    assert data.task == expected_task.get(name, "binary")
    assert data.feature_names == (("x",) if name == "Regression 1-D" else ("x1", "x2"))


@pytest.mark.parametrize("name", PRESET_NAMES)
def test_preset_is_determined_by_its_seed(name):
    first, again = make_preset(name, 100, 0.2, 7), make_preset(name, 100, 0.2, 7)
    np.testing.assert_array_equal(first.X, again.X)
    np.testing.assert_array_equal(first.y, again.y)
    other = make_preset(name, 100, 0.2, 8)
    assert not np.array_equal(first.X, other.X)


@pytest.mark.parametrize("name", PRESET_NAMES)
def test_preset_defaults_match_seed_zero(name):
    np.testing.assert_array_equal(PRESETS[name]().X, make_preset(name, 200, 0.1, 0).X)


@pytest.mark.parametrize("name", PRESET_NAMES)
@pytest.mark.parametrize("n_samples", [3, 4, 200, 301])
def test_classification_labels_are_in_range_and_balanced(name, n_samples):
    data = make_preset(name, n_samples, 0.1, 3)
    if data.task == "regression":
        return
    n_classes = N_CLASSES[data.task]
    counts = np.bincount(data.y.astype(int), minlength=n_classes)
    assert set(np.unique(data.y)) <= set(map(float, range(n_classes)))
    assert len(counts) == n_classes
    assert counts.max() - counts.min() <= 1


@pytest.mark.parametrize("name", PRESET_NAMES)
def test_zero_noise_and_maximum_noise_are_allowed(name):
    assert np.isfinite(make_preset(name, 20, 0.0, 0).X).all()
    assert np.isfinite(make_preset(name, 20, 5.0, None).X).all()


@pytest.mark.parametrize("name", PRESET_NAMES)
@pytest.mark.parametrize(
    ("n_samples", "noise", "seed", "message"),
    [
        (0, 0.1, 0, "n_samples must be between 2 and 5000, got 0"),
        (1, 0.1, 0, "n_samples must be between"),
        (MAX_SAMPLES + 1, 0.1, 0, "n_samples must be between"),
        (2.5, 0.1, 0, "n_samples must be a whole number"),
        (True, 0.1, 0, "n_samples must be a whole number"),
        ("10", 0.1, 0, "n_samples must be a whole number"),
        (10, -0.1, 0, "noise must be a number between 0 and 5"),
        (10, 5.01, 0, "noise must be"),
        (10, math.nan, 0, "noise must be"),
        (10, math.inf, 0, "noise must be"),
        (10, "0.1", 0, "noise must be"),
        (10, 0.1, -1, "seed must be"),
        (10, 0.1, 1.5, "seed must be"),
    ],
)
def test_bad_preset_arguments_raise_a_readable_error(name, n_samples, noise, seed, message):
    if name == "Three classes" and n_samples in (0, 1):
        message = message.replace("between 2", "between 3")
    with pytest.raises(ValueError, match=message):
        make_preset(name, n_samples, noise, seed)


def test_three_classes_needs_three_samples():
    with pytest.raises(ValueError, match="n_samples must be between 3 and 5000, got 2"):
        make_preset("Three classes", 2, 0.1, 0)
    assert make_preset("XOR", 2, 0.1, 0).X.shape == (2, 2)


def test_unknown_preset_lists_the_known_names():
    with pytest.raises(ValueError, match=r"'Moon'.*XOR, Circle, Two blobs"):
        make_preset("Moon", 10, 0.1, 0)


def test_xor_labels_follow_the_quadrant_before_noise():
    data = make_preset("XOR", 500, 0.0, 0)
    np.testing.assert_array_equal(data.y, (data.X[:, 0] * data.X[:, 1] > 0).astype(float))


def test_circle_inner_points_are_label_one():
    data = make_preset("Circle", 500, 0.0, 0)
    radius = np.hypot(data.X[:, 0], data.X[:, 1])
    assert radius[data.y == 1].max() <= 2.0 < 3.0 <= radius[data.y == 0].min()


def test_regression_1d_follows_a_smooth_curve():
    data = make_preset("Regression 1-D", 100, 0.0, 0)
    np.testing.assert_allclose(data.y, 2.0 * np.sin(data.X[:, 0]))


def test_dataset_rejects_inconsistent_arrays():
    with pytest.raises(ValueError, match="shape"):
        Dataset(np.zeros((3, 2)), np.zeros(4), ("a", "b"), "t", "binary")
    with pytest.raises(ValueError, match="Unknown task"):
        Dataset(np.zeros((3, 2)), np.zeros(3), ("a", "b"), "t", "ranking")
    with pytest.raises(ValueError, match="row names"):
        Dataset(np.zeros((3, 2)), np.zeros(3), ("a", "b"), "t", "binary", ("r1",))


@pytest.mark.parametrize("seed", [0, 1])
def test_spiral_is_learnable_by_a_small_tanh_network(seed):
    data = spiral(n_samples=200, noise=0.1, seed=seed)
    X = Standardizer.fit(data.X).transform(data.X)
    net = Network([2, 8, 8, 1], "tanh", "sigmoid", init="xavier", seed=seed)
    net.fit(
        X,
        data.y,
        epochs=300,
        learning_rate=0.03,
        batch_size=10,
        shuffle=True,
        loss="binary_cross_entropy",
        optimizer="adam",
        seed=seed,
    )
    accuracy = np.mean((net.predict(X)[:, 0] > 0.5) == data.y)
    assert accuracy >= 0.9


def test_one_hot_marks_each_rows_class():
    encoded = one_hot(np.array([0.0, 2.0, 1.0, 2.0]), 3)
    np.testing.assert_array_equal(encoded, [[1, 0, 0], [0, 0, 1], [0, 1, 0], [0, 0, 1]])
    assert encoded.dtype == float
    assert one_hot(np.array([], dtype=float), 2).shape == (0, 2)


@pytest.mark.parametrize("labels", [[0, 3], [-1, 0], [0.5, 1], [np.nan, 0]])
def test_one_hot_rejects_labels_outside_the_classes(labels):
    with pytest.raises(ValueError, match="Class labels must be whole numbers from 0 to 2"):
        one_hot(np.array(labels, dtype=float), 3)


def test_one_hot_rejects_bad_shapes_and_class_counts():
    with pytest.raises(ValueError, match="1-D"):
        one_hot(np.zeros((2, 2)), 2)
    with pytest.raises(ValueError, match="n_classes"):
        one_hot(np.zeros(2), 0)


@given(
    n_rows=st.integers(0, 300),
    test_fraction=st.floats(0.0, 0.9),
    seed=st.one_of(st.none(), st.integers(0, 2**32)),
)
def test_split_indices_partitions_the_rows(n_rows, test_fraction, seed):
    train_rows, test_rows = split_indices(n_rows, test_fraction, seed)
    assert train_rows.dtype.kind == "i" and test_rows.dtype.kind == "i"
    assert np.all(np.diff(train_rows) > 0) and np.all(np.diff(test_rows) > 0)
    assert not set(train_rows) & set(test_rows)
    assert sorted([*train_rows, *test_rows]) == list(range(n_rows))
    expected = round(n_rows * test_fraction)
    if test_fraction > 0 and n_rows >= 2:
        expected = min(max(expected, 1), n_rows - 1)
    if n_rows <= 1:
        expected = 0
    assert len(test_rows) == expected


def test_split_indices_edge_cases():
    train_rows, test_rows = split_indices(10, 0.0, 0)
    np.testing.assert_array_equal(train_rows, np.arange(10))
    assert len(test_rows) == 0
    assert [len(rows) for rows in split_indices(2, 0.9, 0)] == [1, 1]
    assert [len(rows) for rows in split_indices(10, 0.01, 0)] == [9, 1]
    assert [len(rows) for rows in split_indices(100, 0.25, 0)] == [75, 25]


def test_split_indices_is_determined_by_its_seed():
    first, again = split_indices(50, 0.3, 4), split_indices(50, 0.3, 4)
    np.testing.assert_array_equal(first[1], again[1])
    assert not np.array_equal(first[1], split_indices(50, 0.3, 5)[1])


@pytest.mark.parametrize(
    ("n_rows", "fraction"), [(10, -0.1), (10, 0.95), (10, math.nan), (-1, 0.2), (2.0, 0.2)]
)
def test_split_indices_rejects_bad_arguments(n_rows, fraction):
    with pytest.raises(ValueError):
        split_indices(n_rows, fraction, 0)


def test_train_test_split_keeps_rows_together():
    X = np.arange(20.0).reshape(10, 2)
    y = np.arange(10.0)
    X_train, X_test, y_train, y_test = train_test_split(X, y, 0.3, 1)
    train_rows, test_rows = split_indices(10, 0.3, 1)
    np.testing.assert_array_equal(X_train, X[train_rows])
    np.testing.assert_array_equal(X_test, X[test_rows])
    np.testing.assert_array_equal(X_train[:, 0] / 2, y_train)
    np.testing.assert_array_equal(X_test[:, 0] / 2, y_test)
    with pytest.raises(ValueError, match="row for row"):
        train_test_split(X, y[:5], 0.3, 1)


finite_tables = st.integers(2, 30).flatmap(
    lambda n_rows: st.lists(
        st.lists(st.floats(-1e3, 1e3, allow_nan=False), min_size=n_rows, max_size=n_rows),
        min_size=1,
        max_size=4,
    )
)


def test_standardizer_gives_mean_zero_and_std_one():
    X = make_preset("Two moons", 200, 0.1, 0).X * [3.0, 0.5] + [10.0, -4.0]
    standardizer = Standardizer.fit(X)
    Z = standardizer.transform(X)
    np.testing.assert_allclose(Z.mean(axis=0), 0.0, atol=1e-12)
    np.testing.assert_allclose(Z.std(axis=0), 1.0)
    np.testing.assert_array_equal(Z, (X - standardizer.mean) / standardizer.scale)


def test_standardizer_leaves_constant_columns_finite():
    X = np.array([[0.1, 1.0], [0.1, 2.0], [0.1, 3.0]])
    standardizer = Standardizer.fit(X)
    assert standardizer.scale[0] == 1.0
    np.testing.assert_array_equal(standardizer.transform(X)[:, 0], 0.0)


@given(columns=finite_tables)
def test_standardizer_round_trips(columns):
    X = np.array(columns).T
    standardizer = Standardizer.fit(X)
    assert np.all(standardizer.scale > 0)
    Z = standardizer.transform(X)
    assert np.isfinite(Z).all()
    np.testing.assert_allclose(standardizer.inverse_transform(Z), X, rtol=1e-9, atol=1e-9)


def test_identity_standardizer_changes_nothing():
    X = np.array([[1.5, -2.0], [3.0, 4.0]])
    np.testing.assert_array_equal(Standardizer.identity(2).transform(X), X)


def test_standardizer_fit_rejects_bad_input():
    with pytest.raises(ValueError, match="finite"):
        Standardizer.fit(np.array([[1.0], [np.nan]]))
    with pytest.raises(ValueError, match="non-empty 2-D"):
        Standardizer.fit(np.zeros((0, 2)))


def test_standardizer_dict_round_trip():
    standardizer = Standardizer.fit(np.array([[1.0, 10.0], [3.0, 30.0], [8.0, 20.0]]))
    saved = standardizer.to_dict()
    assert set(saved) == {"mean", "scale"}
    assert all(type(value) is float for value in [*saved["mean"], *saved["scale"]])
    restored = Standardizer.from_dict(saved)
    np.testing.assert_array_equal(restored.mean, standardizer.mean)
    np.testing.assert_array_equal(restored.scale, standardizer.scale)
    assert Standardizer.from_dict({"mean": [1, 2], "scale": [1, 0.5]}).mean.dtype == float


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ([1.0], TypeError),
        ({"mean": [0.0]}, ValueError),
        ({"scale": [1.0]}, ValueError),
        ({"mean": (0.0,), "scale": [1.0]}, TypeError),
        ({"mean": [0.0], "scale": "1"}, TypeError),
        ({"mean": ["0"], "scale": [1.0]}, TypeError),
        ({"mean": [True], "scale": [1.0]}, TypeError),
        ({"mean": [None], "scale": [1.0]}, TypeError),
        ({"mean": [math.nan], "scale": [1.0]}, ValueError),
        ({"mean": [0.0], "scale": [math.inf]}, ValueError),
        ({"mean": [0.0, 1.0], "scale": [1.0]}, ValueError),
        ({"mean": [0.0], "scale": [0.0]}, ValueError),
        ({"mean": [0.0], "scale": [-1.0]}, ValueError),
    ],
)
def test_standardizer_from_dict_rejects_malformed_data(data, error):
    with pytest.raises(error):
        Standardizer.from_dict(data)
