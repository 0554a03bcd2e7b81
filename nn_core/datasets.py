"""Data sets to learn from: the tutorial's four people, generated 2-D puzzles, a split and a standardiser.

Every array has one row per example: ``X`` is (n_samples, n_features) and ``y`` is (n_samples,).
Class labels are 0, 1, … stored as floats. Generators draw all their randomness from
``np.random.default_rng(seed)``, so a seed names one data set exactly. ``noise`` is the standard
deviation of Gaussian jitter: on the point positions for classification, on the target for regression.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

TASKS = ("binary", "multiclass", "regression")
MAX_SAMPLES = 5000
MAX_NOISE = 5.0
MAX_TEST_FRACTION = 0.9
XY_NAMES = ("x1", "x2")
LABEL = "label"
# More turns bring the arms so close that a [2, 8, 8, 1] network no longer reliably separates them.
SPIRAL_TURNS = 1.5


@dataclass(frozen=True, eq=False)
class Dataset:
    """Examples and what to learn from them: X (n, n_features) floats, y (n,) floats.

    ``eq=False``: comparing arrays element-wise has no single truth value, so data sets compare by identity.
    """

    X: np.ndarray
    y: np.ndarray
    feature_names: tuple[str, ...]
    target_name: str
    task: str
    row_names: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        n_rows = self.X.shape[0] if self.X.ndim == 2 else -1
        if n_rows < 0 or self.y.shape != (n_rows,) or self.X.shape[1] != len(self.feature_names):
            raise ValueError(
                f"A data set needs X of shape (n, {len(self.feature_names)}) and y of shape (n,); "
                f"got X {self.X.shape} and y {self.y.shape}."
            )
        if self.task not in TASKS:
            raise ValueError(f"Unknown task {self.task!r}; choose one of: {', '.join(TASKS)}.")
        if self.row_names is not None and len(self.row_names) != n_rows:
            raise ValueError(f"There are {n_rows} rows but {len(self.row_names)} row names.")


def tutorial_people() -> Dataset:
    """The tutorial's four people: weight and height as offsets from 135 lb and 66 in; Female is 1 or 0."""
    return Dataset(
        X=np.array([[-2, -1], [25, 6], [17, 4], [-15, -6]], dtype=float),
        y=np.array([1, 0, 0, 1], dtype=float),
        feature_names=("Weight - 135", "Height - 66"),
        target_name="Female",
        task="binary",
        row_names=("Alice", "Bob", "Charlie", "Diana"),
    )


# --- generators -------------------------------------------------------------------------------------


def xor(n_samples: int = 200, noise: float = 0.1, seed: int | None = 0) -> Dataset:
    """Points in [-5, 5]², label 1 where x1·x2 > 0 (first and third quadrants), 0 elsewhere.

    Points keep 0.3 away from both axes, so before jitter no label sits on the boundary.
    """
    rng = _checked_rng(n_samples, noise, seed)
    labels = _balanced_labels(n_samples, 2)
    magnitudes = rng.uniform(0.3, 5.0, size=(n_samples, 2))
    sign_x1 = rng.choice([-1.0, 1.0], size=n_samples)
    sign_x2 = np.where(labels == 1, sign_x1, -sign_x1)
    points = magnitudes * np.column_stack([sign_x1, sign_x2])
    return _classification(points, labels, noise, rng)


def circle(n_samples: int = 200, noise: float = 0.1, seed: int | None = 0) -> Dataset:
    """A disc of radius 2 (label 1) inside a ring from radius 3 to 5 (label 0)."""
    rng = _checked_rng(n_samples, noise, seed)
    labels = _balanced_labels(n_samples, 2)
    inner = labels == 1
    # r = √u spreads points evenly over the area, not bunched at the centre.
    radius = np.where(
        inner, 2.0 * np.sqrt(rng.uniform(size=n_samples)), np.sqrt(rng.uniform(9, 25, n_samples))
    )
    angle = rng.uniform(0.0, 2 * np.pi, size=n_samples)
    points = radius[:, None] * np.column_stack([np.cos(angle), np.sin(angle)])
    return _classification(points, labels, noise, rng)


def gaussian_blobs(n_samples: int = 200, noise: float = 0.1, seed: int | None = 0) -> Dataset:
    """Two round Gaussian clouds (std 1) centred at (2, 2), label 1, and (-2, -2), label 0."""
    rng = _checked_rng(n_samples, noise, seed)
    labels = _balanced_labels(n_samples, 2)
    centres = np.array([[-2.0, -2.0], [2.0, 2.0]])
    points = centres[labels] + rng.normal(size=(n_samples, 2))
    return _classification(points, labels, noise, rng)


def spiral(n_samples: int = 200, noise: float = 0.1, seed: int | None = 0) -> Dataset:
    """Two arms winding SPIRAL_TURNS (1.5) turns out to radius 5; the label-1 arm is the other turned by π."""
    rng = _checked_rng(n_samples, noise, seed)
    labels = _balanced_labels(n_samples, 2)
    # t runs from 0.1, not 0: at the centre both arms meet and no boundary can separate them.
    t = rng.uniform(0.1, 1.0, size=n_samples)
    angle = 2 * np.pi * SPIRAL_TURNS * t + np.pi * labels
    points = 5.0 * t[:, None] * np.column_stack([np.cos(angle), np.sin(angle)])
    return _classification(points, labels, noise, rng)


def two_moons(n_samples: int = 200, noise: float = 0.1, seed: int | None = 0) -> Dataset:
    """Two interlocking half circles of radius 2.5: the upper one label 0, the lower one label 1."""
    rng = _checked_rng(n_samples, noise, seed)
    labels = _balanced_labels(n_samples, 2)
    angle = rng.uniform(0.0, np.pi, size=n_samples)
    upper = np.column_stack([np.cos(angle), np.sin(angle)])
    lower = np.column_stack([1.0 - np.cos(angle), 0.5 - np.sin(angle)])
    unit_points = np.where(labels[:, None] == 1, lower, upper)
    # The unit moons span [-1, 2] × [-0.5, 1]; centre them on the origin and stretch them.
    points = 2.5 * (unit_points - np.array([0.5, 0.25]))
    return _classification(points, labels, noise, rng)


def three_class_blobs(n_samples: int = 200, noise: float = 0.1, seed: int | None = 0) -> Dataset:
    """Three Gaussian clouds (std 1) at radius 3 around the origin, labels 0, 1 and 2."""
    rng = _checked_rng(n_samples, noise, seed, n_classes=3)
    labels = _balanced_labels(n_samples, 3)
    angles = np.pi / 2 + 2 * np.pi / 3 * np.arange(3)
    centres = 3.0 * np.column_stack([np.cos(angles), np.sin(angles)])
    points = centres[labels] + rng.normal(size=(n_samples, 2))
    return _classification(points, labels, noise, rng, task="multiclass")


def regression_1d(n_samples: int = 200, noise: float = 0.1, seed: int | None = 0) -> Dataset:
    """y = 2·sin(x) + noise for x uniform in [-5, 5]; X is (n, 1)."""
    rng = _checked_rng(n_samples, noise, seed)
    x = rng.uniform(-5.0, 5.0, size=n_samples)
    y = 2.0 * np.sin(x) + noise * rng.normal(size=n_samples)
    return Dataset(X=x[:, None], y=y, feature_names=("x",), target_name="y", task="regression")


def regression_2d(n_samples: int = 200, noise: float = 0.1, seed: int | None = 0) -> Dataset:
    """y = 3·sin(x1/2)·cos(x2/2) + noise for (x1, x2) uniform in [-5, 5]²: two hills and two valleys."""
    rng = _checked_rng(n_samples, noise, seed)
    X = rng.uniform(-5.0, 5.0, size=(n_samples, 2))
    y = 3.0 * np.sin(X[:, 0] / 2) * np.cos(X[:, 1] / 2) + noise * rng.normal(size=n_samples)
    return Dataset(X=X, y=y, feature_names=XY_NAMES, target_name="y", task="regression")


PRESETS: dict[str, Callable[..., Dataset]] = {
    "XOR": xor,
    "Circle": circle,
    "Two blobs": gaussian_blobs,
    "Spiral": spiral,
    "Two moons": two_moons,
    "Regression 1-D": regression_1d,
    "Regression 2-D": regression_2d,
    "Three classes": three_class_blobs,
}


def make_preset(name: str, n_samples: int, noise: float, seed: int | None) -> Dataset:
    """The preset called ``name`` (a key of PRESETS), generated with these settings."""
    if name not in PRESETS:
        raise ValueError(f"Unknown data set {name!r}; choose one of: {', '.join(PRESETS)}.")
    return PRESETS[name](n_samples=n_samples, noise=noise, seed=seed)


def _checked_rng(n_samples: int, noise: float, seed: int | None, n_classes: int = 2) -> np.random.Generator:
    """The generator's random source, after checking the arguments a user can set."""
    is_whole = isinstance(n_samples, numbers.Integral) and not isinstance(n_samples, bool)
    if not is_whole:
        raise ValueError(f"n_samples must be a whole number, got {n_samples!r}.")
    if not n_classes <= n_samples <= MAX_SAMPLES:
        raise ValueError(f"n_samples must be between {n_classes} and {MAX_SAMPLES}, got {n_samples}.")
    is_number = isinstance(noise, numbers.Real) and not isinstance(noise, bool)
    if not (is_number and math.isfinite(noise) and 0 <= noise <= MAX_NOISE):
        raise ValueError(f"noise must be a number between 0 and {MAX_NOISE:g}, got {noise!r}.")
    return _rng(seed)


def _rng(seed: int | None) -> np.random.Generator:
    """np.random.default_rng(seed), with a readable error for a seed it cannot take."""
    if seed is not None and (not isinstance(seed, numbers.Integral) or isinstance(seed, bool) or seed < 0):
        raise ValueError(f"seed must be a whole number of 0 or more (or None), got {seed!r}.")
    return np.random.default_rng(seed)


def _balanced_labels(n_samples: int, n_classes: int) -> np.ndarray:
    """Labels 0, 1, …, 0, 1, …: class sizes differ by at most one. Shape (n_samples,), ints."""
    return np.arange(n_samples) % n_classes


def _classification(
    points: np.ndarray, labels: np.ndarray, noise: float, rng: np.random.Generator, task: str = "binary"
) -> Dataset:
    """Jitter the clean points (n, 2) by ``noise`` and wrap them with their integer labels (n,)."""
    jittered = points + noise * rng.normal(size=points.shape)
    return Dataset(X=jittered, y=labels.astype(float), feature_names=XY_NAMES, target_name=LABEL, task=task)


# --- preparing data for a network ---------------------------------------------------------------------


def one_hot(labels: np.ndarray, n_classes: int) -> np.ndarray:
    """Labels (n,) in 0 … n_classes − 1 (floats allowed) → (n, n_classes) rows with a single 1.0."""
    if isinstance(n_classes, bool) or not isinstance(n_classes, numbers.Integral) or n_classes < 1:
        raise ValueError(f"n_classes must be a whole number of 1 or more, got {n_classes!r}.")
    values = np.asarray(labels, dtype=float)
    if values.ndim != 1:
        raise ValueError(f"Labels must be a 1-D array (one per row), got shape {values.shape}.")
    valid = np.isfinite(values) & (values == np.round(values)) & (values >= 0) & (values < n_classes)
    if not valid.all():
        bad = values[~valid][0]
        raise ValueError(f"Class labels must be whole numbers from 0 to {n_classes - 1}, got {bad:g}.")
    return np.eye(n_classes)[values.astype(int)]


def split_indices(n_rows: int, test_fraction: float, seed: int | None) -> tuple[np.ndarray, np.ndarray]:
    """Row numbers for training and testing, each sorted, from a seeded shuffle of range(n_rows).

    The test set has round(n_rows · test_fraction) rows, but whenever test_fraction > 0 and there are
    two or more rows, at least one row is tested and at least one is trained on. A single row is
    always kept for training.
    """
    if isinstance(n_rows, bool) or not isinstance(n_rows, numbers.Integral) or n_rows < 0:
        raise ValueError(f"n_rows must be a whole number of 0 or more, got {n_rows!r}.")
    is_number = isinstance(test_fraction, numbers.Real) and not isinstance(test_fraction, bool)
    if not (is_number and 0 <= test_fraction <= MAX_TEST_FRACTION):
        raise ValueError(
            f"The test fraction must be between 0 and {MAX_TEST_FRACTION}, got {test_fraction!r}."
        )
    n_test = round(n_rows * test_fraction)
    if test_fraction > 0 and n_rows >= 2:
        n_test = max(n_test, 1)
    n_test = min(n_test, max(n_rows - 1, 0))
    order = _rng(seed).permutation(n_rows)
    return np.sort(order[n_test:]), np.sort(order[:n_test])


def train_test_split(
    X: np.ndarray, y: np.ndarray, test_fraction: float, seed: int | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(X_train, X_test, y_train, y_test): rows of X (n, f) and y (n, …) chosen by split_indices."""
    X, y = np.asarray(X), np.asarray(y)
    if len(X) != len(y):
        raise ValueError(f"X has {len(X)} rows but y has {len(y)}; they must match row for row.")
    train_rows, test_rows = split_indices(len(X), test_fraction, seed)
    return X[train_rows], X[test_rows], y[train_rows], y[test_rows]


@dataclass(frozen=True, eq=False)
class Standardizer:
    """Shifts and scales each column: z = (x − mean) / scale. mean and scale are (n_features,)."""

    mean: np.ndarray
    scale: np.ndarray

    @classmethod
    def fit(cls, X: np.ndarray) -> Standardizer:
        """Column means and standard deviations of X (n, f); a constant column gets scale 1."""
        X = np.asarray(X, dtype=float)
        if X.ndim != 2 or len(X) == 0 or not np.isfinite(X).all():
            raise ValueError(
                f"Standardizer.fit needs a non-empty 2-D array of finite numbers, got shape {X.shape}."
            )
        # A constant column may have a rounding-error std like 1e-17; dividing by it would blow up,
        # so its scale is exactly 1 and its mean is exactly its value.
        constant = np.ptp(X, axis=0) == 0
        std = X.std(axis=0)
        mean = np.where(constant, X[0], X.mean(axis=0))
        return cls(mean=mean, scale=np.where(constant | (std == 0), 1.0, std))

    @classmethod
    def identity(cls, n_features: int) -> Standardizer:
        """A standardiser that leaves n_features columns unchanged (mean 0, scale 1)."""
        return cls(mean=np.zeros(n_features), scale=np.ones(n_features))

    def transform(self, X: np.ndarray) -> np.ndarray:
        """Raw rows X (n, f) → standardised rows (n, f)."""
        return (X - self.mean) / self.scale

    def inverse_transform(self, Z: np.ndarray) -> np.ndarray:
        """Standardised rows Z (n, f) → raw rows (n, f)."""
        return Z * self.scale + self.mean

    def to_dict(self) -> dict[str, list[float]]:
        """{"mean": [...], "scale": [...]} as plain floats, ready for JSON."""
        return {"mean": [float(v) for v in self.mean], "scale": [float(v) for v in self.scale]}

    @classmethod
    def from_dict(cls, data: object) -> Standardizer:
        """Rebuild from ``to_dict`` output; anything malformed raises TypeError or ValueError."""
        if not isinstance(data, dict):
            raise TypeError(f"A saved standardiser must be a dict, not {type(data).__name__}.")
        mean, scale = _number_list(data, "mean"), _number_list(data, "scale")
        if len(mean) != len(scale):
            raise ValueError(f"'mean' has {len(mean)} entries but 'scale' has {len(scale)}; they must match.")
        if not all(value > 0 for value in scale):
            raise ValueError("Every 'scale' entry must be greater than 0.")
        return cls(mean=np.array(mean, dtype=float), scale=np.array(scale, dtype=float))


def _number_list(data: dict, key: str) -> list[float]:
    """data[key] checked to be a list of finite numbers."""
    if key not in data:
        raise ValueError(f"A saved standardiser needs a {key!r} entry.")
    values = data[key]
    if not isinstance(values, list):
        raise TypeError(f"{key!r} must be a list of numbers, not {type(values).__name__}.")
    for value in values:
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise TypeError(f"{key!r} must hold only numbers, got {value!r}.")
        if not math.isfinite(value):
            raise ValueError(f"{key!r} must hold only finite numbers, got {value!r}.")
    return [float(value) for value in values]
