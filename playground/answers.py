"""The network's answers in words and tables: the prediction for one input, every neuron's value there,
and every row's prediction beside its target. Pure (no Streamlit); names are escaped for Markdown."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from playground.backprop import neuron_names
from playground.model import ModelRun
from playground.plane import axis_range
from playground.table import PreparedData, unique_column_names
from playground.text import escape_markdown


def prediction_text(data: PreparedData, output: np.ndarray) -> str:
    """The network's answer in words (Markdown, names escaped): probability and class, or the value."""
    target = escape_markdown(data.target_name)
    labels = [escape_markdown(label) for label in data.class_labels]
    if data.task == "regression":
        return f"### Predicted {target}: {output[0]:.4g}"
    if data.task == "binary":
        probability = float(output[0])
        chosen = labels[int(probability > 0.5)]
        return f"### P({target} = {labels[1]}) = {probability:.3f}\nPredicted class: **{chosen}**"
    best = int(np.argmax(output))
    shares = ", ".join(f"{label}: {p:.2f}" for label, p in zip(labels, output, strict=True))
    return f"### Predicted {target}: {labels[best]}\nProbabilities — {shares}"


def neuron_values_text(layer_sizes: Sequence[int], values: Sequence[np.ndarray]) -> str:
    """Every neuron's value at one input, layer by layer: "h1 = 0.971, h2 = 0.014 · o1 = 0.966"."""
    names = neuron_names(layer_sizes)
    return " · ".join(
        ", ".join(f"{name} = {value:.3f}" for name, value in zip(layer_names, layer_values, strict=True))
        for layer_names, layer_values in zip(names, values, strict=True)
    )


def predictions_table(model: ModelRun) -> pd.DataFrame:
    """Every row of the data with its target, the network's prediction, and whether it is right.

    "Confidence" is the probability the network gives the class it predicts. An input column whose
    name is also one of this table's own headings ("Target", "Set", …) is numbered, never overwritten.
    """
    data = model.data
    output = model.predict_raw(data.X)
    is_test = model.is_test
    columns: list[tuple[str, object]] = [("Row", list(data.row_labels))]
    columns += [(name, data.X[:, index]) for index, name in enumerate(data.feature_names)]
    if data.task == "regression":
        columns += [("Target", data.y), ("Prediction", output[:, 0]), ("Error", output[:, 0] - data.y)]
    else:
        probabilities = np.column_stack([1 - output[:, 0], output[:, 0]]) if data.task == "binary" else output
        predicted = probabilities.argmax(axis=1)
        classes = np.array(data.class_labels, dtype=object)
        columns += [
            ("Target", classes[data.y.astype(int)]),
            ("Predicted", classes[predicted]),
            ("Confidence", probabilities.max(axis=1)),
            ("Right?", np.where(predicted == data.y.astype(int), "✓", "✗")),
        ]
    columns.append(("Set", np.where(is_test, "test", "train")))
    inputs = range(1, 1 + len(data.feature_names))
    names = _headings(columns, inputs)
    return pd.DataFrame({name: values for name, (_, values) in zip(names, columns, strict=True)})


def _headings(columns: list[tuple[str, object]], inputs: range) -> list[str]:
    """Distinct headings: the table's own take their names first; an input named like one is numbered."""
    order = sorted(range(len(columns)), key=lambda position: position in inputs)
    unique = unique_column_names([columns[position][0] for position in order])
    names = dict(zip(order, unique, strict=True))
    return [names[position] for position in range(len(columns))]


SLIDER_FORMAT = "%.2f"  # how Streamlit's slider shows a float value unless told otherwise


def inputs_text(data: PreparedData, inputs: np.ndarray) -> str:
    """The inputs asked about, as their sliders show them: "Weight - 135 = -7.00, Height - 66 = -3.00"."""
    shown = []
    for index, (name, value) in enumerate(zip(data.feature_names, inputs, strict=True)):
        low, high = axis_range(data.X[:, index])
        shown.append(f"{escape_markdown(name)} = {(number_format(low, high) or SLIDER_FORMAT) % value}")
    return ", ".join(shown)


def number_format(low: float, high: float) -> str | None:
    """Scientific notation for inputs too small or too large for two decimals; else Streamlit's own."""
    largest = max(abs(low), abs(high))
    return "%.3e" if largest >= 1e6 or (high - low) < 0.01 else None


def nice_step(low: float, high: float) -> float:
    """A round step giving a few hundred positions across the range."""
    raw = (high - low) / 200
    return float(10 ** np.floor(np.log10(raw))) if raw > 0 else 0.01
