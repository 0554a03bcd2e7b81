"""Derived inputs: squares, products and sines of a data set's columns, added as extra network inputs.

With x1² and x2² as inputs, a network with no hidden layer can draw a circle: the boundary
w1·x1² + w2·x2² + b = 0 is curved in the plane of x1 and x2 although the network only draws a straight
line in the plane of its inputs. A feature is named by a short code over the columns' 1-based positions,
``x1^2``, ``x1*x2`` or ``sin(x1)``, so it means the same whatever the columns are called.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations

import numpy as np

MAX_FEATURES = 8
MAX_FEATURE_COLUMNS = 4  # features are offered over the first four input columns (4 + 6 + 4 = 14 choices)
_CODE = re.compile(r"x([1-9])\^2|x([1-9])\*x([1-9])|sin\(x([1-9])\)")


@dataclass(frozen=True)
class Feature:
    """One derived input: ``kind`` is "square", "product" or "sine"; ``columns`` are 0-based positions."""

    kind: str
    columns: tuple[int, ...]

    @property
    def code(self) -> str:
        first = f"x{self.columns[0] + 1}"
        if self.kind == "square":
            return f"{first}^2"
        if self.kind == "product":
            return f"{first}*x{self.columns[1] + 1}"
        return f"sin({first})"

    def values(self, X: np.ndarray) -> np.ndarray:
        """The feature for each row of ``X`` (n_rows, n_columns): shape (n_rows,)."""
        first = X[:, self.columns[0]]
        if self.kind == "square":
            return first * first
        if self.kind == "product":
            return first * X[:, self.columns[1]]
        return np.sin(first)

    def name(self, column_names: Sequence[str]) -> str:
        """How people read it, with the columns' own names: "x1²", "x1·x2", "sin(x1)"."""
        first = column_names[self.columns[0]]
        if self.kind == "square":
            return f"{_grouped(first)}²"
        if self.kind == "product":
            return f"{_grouped(first)}·{_grouped(column_names[self.columns[1]])}"
        return f"sin({first})"


def offered_features(n_columns: int) -> tuple[Feature, ...]:
    """Every feature offered for ``n_columns`` inputs, squares first, then products, then sines."""
    used = range(min(n_columns, MAX_FEATURE_COLUMNS))
    squares = [Feature("square", (i,)) for i in used]
    products = [Feature("product", pair) for pair in combinations(used, 2)]
    sines = [Feature("sine", (i,)) for i in used]
    return (*squares, *products, *sines)


def parse_features(codes: Sequence[str], n_columns: int) -> tuple[Feature, ...]:
    """The features ``codes`` name, checked against ``n_columns`` inputs; ValueError says what is wrong."""
    if len(codes) > MAX_FEATURES:
        raise ValueError(f"At most {MAX_FEATURES} derived inputs can be added; got {len(codes)}.")
    offered = {feature.code: feature for feature in offered_features(n_columns)}
    features = []
    for code in codes:
        if not isinstance(code, str) or not _CODE.fullmatch(code):
            raise ValueError(f"{code!r} is not a derived input; write x1^2, x1*x2 or sin(x1).")
        if code not in offered:
            raise ValueError(f"{code} is not offered for {n_columns} input column(s).")
        if offered[code] in features:
            raise ValueError(f"{code} is listed twice.")
        features.append(offered[code])
    return tuple(features)


def with_features(X: np.ndarray, features: Sequence[Feature]) -> np.ndarray:
    """``X`` (n_rows, n_columns) with one more column per feature, in the order given."""
    X = np.asarray(X, dtype=float)
    if not features:
        return X
    return np.column_stack([X, *(feature.values(X) for feature in features)])


def input_names(column_names: Sequence[str], features: Sequence[Feature]) -> list[str]:
    """The network's inputs by name: the columns, then each feature."""
    return [*column_names, *(feature.name(column_names) for feature in features)]


def _grouped(name: str) -> str:
    """A column name as a factor: bracketed unless it is a single word ("x1", "Weight")."""
    return name if re.fullmatch(r"\w+", name) else f"({name})"
