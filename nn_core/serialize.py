"""Saving a network as a versioned JSON-safe dict, loading it back with validation, exporting it as code.

``network_from_dict`` is the one door through which outside data (an uploaded model) becomes a network,
so it checks every field and says what is wrong in a sentence: never a KeyError, never pickle.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from nn_core.activations import HIDDEN_ACTIVATIONS, LEAKY_RELU_SLOPE, OUTPUT_ACTIVATIONS
from nn_core.features import Feature
from nn_core.network import INITIALISERS, Network

FORMAT_NAME = "nn_core.network"
FORMAT_VERSION = 1
MAX_LAYER_SIZE = 1024
MAX_LAYERS = 32


def network_to_dict(network: Network) -> dict[str, Any]:
    """Everything needed to rebuild ``network``, as plain lists, strings and floats."""
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "layer_sizes": list(network.layer_sizes),
        "hidden_activation": network.hidden_activation,
        "output_activation": network.output_activation,
        "init": network.init,
        "weights": [weights.tolist() for weights in network.weights],
        "biases": [biases.tolist() for biases in network.biases],
    }


def network_from_dict(data: object) -> Network:
    """Rebuild a network from ``network_to_dict`` output; anything malformed raises ValueError/TypeError."""
    if not isinstance(data, dict):
        raise TypeError(f"A saved network must be a dict (a JSON object), not {type(data).__name__}.")
    if data.get("format") != FORMAT_NAME:
        raise ValueError(f"This is not a saved network: 'format' should be {FORMAT_NAME!r}.")
    if data.get("version") != FORMAT_VERSION:
        raise ValueError(
            f"Unsupported saved-network version {data.get('version')!r}; "
            f"this version reads version {FORMAT_VERSION}."
        )
    sizes = _layer_sizes(data.get("layer_sizes"))
    network = Network(
        sizes,
        hidden_activation=_choice(data, "hidden_activation", HIDDEN_ACTIVATIONS),
        output_activation=_choice(data, "output_activation", OUTPUT_ACTIVATIONS),
        init=_choice(data, "init", INITIALISERS),
        seed=0,
    )
    weights = _layer_list(data, "weights", network.n_layers)
    biases = _layer_list(data, "biases", network.n_layers)
    for layer in range(network.n_layers):
        network.weights[layer] = _finite_array(
            weights[layer], network.weights[layer].shape, f"weights[{layer}]"
        )
        network.biases[layer] = _finite_array(biases[layer], network.biases[layer].shape, f"biases[{layer}]")
    return network


def _layer_sizes(value: object) -> list[int]:
    if not isinstance(value, list) or not 2 <= len(value) <= MAX_LAYERS:
        raise ValueError(f"'layer_sizes' must be a list of 2 to {MAX_LAYERS} whole numbers.")
    for size in value:
        if isinstance(size, bool) or not isinstance(size, int) or not 1 <= size <= MAX_LAYER_SIZE:
            raise ValueError(
                f"'layer_sizes' entries must be whole numbers from 1 to {MAX_LAYER_SIZE}, got {size!r}."
            )
    return value


def _choice(data: dict, key: str, allowed: Sequence[str]) -> str:
    value = data.get(key)
    if value not in allowed:
        raise ValueError(f"'{key}' must be one of {', '.join(allowed)}; got {value!r}.")
    return value


def _layer_list(data: dict, key: str, n_layers: int) -> list:
    value = data.get(key)
    if not isinstance(value, list) or len(value) != n_layers:
        raise ValueError(f"'{key}' must be a list with one entry per layer ({n_layers}).")
    return value


def _finite_array(value: object, shape: tuple[int, ...], name: str) -> np.ndarray:
    """A float array of exactly ``shape`` from nested lists of real numbers, or a clear ValueError."""
    try:
        array = np.array(value)
    except (ValueError, TypeError) as error:
        raise ValueError(f"'{name}' is not a rectangular list of numbers.") from error
    if array.dtype.kind not in "iuf" or array.shape != shape:
        raise ValueError(
            f"'{name}' must be numbers in shape {list(shape)}, got shape {list(array.shape)} "
            f"of {array.dtype.name} values."
        )
    if not np.isfinite(array).all():
        raise ValueError(f"'{name}' contains NaN or infinite values.")
    return array.astype(float)


def export_script(
    network: Network,
    feature_names: Sequence[str],
    input_mean: np.ndarray,
    input_scale: np.ndarray,
    examples: np.ndarray,
    features: Sequence[Feature] = (),
) -> str:
    """A standalone NumPy script with the weights inlined that prints the network's predictions.

    It adds the derived ``features`` to the raw columns, standardises with ``input_mean`` and
    ``input_scale`` and then does the same arithmetic as ``Network.predict``, so its output is
    bit-identical. User-supplied names only ever appear inside ``repr`` string literals, so no name can
    break out of a string or a comment. ``feature_names`` name the raw columns; ``examples``:
    (n_examples, n_columns) rows in raw units, printed when the script gets no arguments.
    """
    names = [str(name) for name in feature_names]
    if len(names) + len(features) != network.n_inputs:
        raise ValueError(
            f"Expected {network.n_inputs} inputs: got {len(names)} column names and "
            f"{len(features)} derived inputs."
        )
    layers = ",\n".join(
        f"    ({_literal(weights)}, {_literal(biases)}, {network.activation_of(layer).name!r})"
        for layer, (weights, biases) in enumerate(zip(network.weights, network.biases, strict=True))
    )
    derived = ", ".join(f"({feature.kind!r}, {feature.columns!r})" for feature in features)
    return _SCRIPT_TEMPLATE.format(
        feature_names=repr(names),
        derived=f"[{derived}]",
        input_mean=_literal(input_mean),
        input_scale=_literal(input_scale),
        layers=layers,
        leaky_relu_slope=repr(LEAKY_RELU_SLOPE),
        examples=_literal(np.asarray(examples, dtype=float).reshape(-1, len(names))),
    )


def _literal(array: np.ndarray) -> str:
    """``np.array([...])`` source whose floats read back exactly (repr is round-trip exact)."""
    return f"np.array({_nested(np.asarray(array, dtype=float).tolist())})"


def _nested(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_nested(item) for item in value) + "]"
    return repr(float(value))


_SCRIPT_TEMPLATE = '''"""Predictions from a neural network trained in the NumPy playground; needs only NumPy.

Usage: python this_file.py VALUE [VALUE ...]   one value per input, in the data table's units.
With no arguments it prints the predictions for the example rows stored below.
"""

import sys

import numpy as np

FEATURE_NAMES = {feature_names}
# Inputs derived from the columns and added after them: (kind, column positions).
DERIVED = {derived}
INPUT_MEAN = {input_mean}
INPUT_SCALE = {input_scale}
# One entry per layer: (weights, biases, activation).
LAYERS = [
{layers},
]
EXAMPLES = {examples}


def activate(name, z):
    if name == "sigmoid":
        with np.errstate(over="ignore"):
            return 1.0 / (1.0 + np.exp(-z))
    if name == "tanh":
        return np.tanh(z)
    if name == "relu":
        return np.maximum(z, 0.0)
    if name == "leaky_relu":
        return np.maximum(z, {leaky_relu_slope} * z)
    if name == "softmax":
        shifted = np.exp(z - z.max(axis=-1, keepdims=True))
        return shifted / shifted.sum(axis=-1, keepdims=True)
    return z


def with_derived(rows):
    columns = [rows[:, i] for i in range(rows.shape[1])]
    for kind, positions in DERIVED:
        first = rows[:, positions[0]]
        if kind == "square":
            columns.append(first * first)
        elif kind == "product":
            columns.append(first * rows[:, positions[1]])
        else:
            columns.append(np.sin(first))
    return np.column_stack(columns)


def predict(rows):
    a = (with_derived(np.asarray(rows, dtype=float)) - INPUT_MEAN) / INPUT_SCALE
    for weights, biases, activation in LAYERS:
        a = activate(activation, a @ weights + biases)
    return a


def main(arguments):
    if not arguments:
        rows = EXAMPLES
    elif len(arguments) == len(FEATURE_NAMES):
        rows = np.array([[float(value) for value in arguments]])
    else:
        sys.exit("Give " + str(len(FEATURE_NAMES)) + " values, one each for: " + repr(FEATURE_NAMES))
    for row, prediction in zip(rows.tolist(), predict(rows).tolist()):
        print(" ".join(repr(value) for value in row), "->", " ".join(repr(p) for p in prediction))


if __name__ == "__main__":
    main(sys.argv[1:])
'''
