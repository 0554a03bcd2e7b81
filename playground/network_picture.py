"""The live network picture's numbers: what the browser needs to draw the network, frame by frame.

A frame carries numbers, never pictures: the weights, the biases, the loss curve and the figures. The
browser (``static/network_view.js``) evaluates the network over the plane of two inputs itself and paints
every neuron's map, the decision surface and the edges in place. What changes rarely (the layers and
their names, the data rows, the axes, the inputs held fixed, the standardiser) is the "scene": it is
sent only when the browser does not have it yet, named by a short key.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
from collections.abc import Callable, Sequence

import numpy as np

from nn_core.activations import HIDDEN_ACTIVATIONS
from playground.backprop import neuron_names, parameter_names
from playground.charts import thin
from playground.choices import PictureState
from playground.colors import (
    BLUE,
    CLASS_COLORS,
    NEUTRAL,
    ORANGE,
    OUTLINE,
    SURFACE_STRENGTH,
    TEST_LINE,
    TRAIN_LINE,
)
from playground.model import ModelRun
from playground.plane import axis_range
from playground.settings import (
    MAX_HIDDEN_LAYERS,
    MAX_NEURONS,
    NetworkSettings,
    choice_label,
    resized_layers,
    settings_of,
)
from playground.table import DECIMAL_PATTERN, UNICODE_MINUS

PALETTE = {
    "background": "#FFFFFF",
    "orange": ORANGE,
    "blue": BLUE,
    "neutral": NEUTRAL,
    "outline": OUTLINE,
    "train": TRAIN_LINE,
    "test": TEST_LINE,
    "strength": SURFACE_STRENGTH,
}
HIDDEN_CHOICES = [(name, choice_label(name)) for name in HIDDEN_ACTIVATIONS]  # the picture's menu
MAX_TYPED_WEIGHT = 1e6
MAX_CURVE_POINTS = 300  # a smooth loss curve; every point travels in every message
DIGITS = 6  # significant digits of everything drawn but not recomputed (points, losses)


def scene_key(model: ModelRun, axes: tuple[int, int], fixed: np.ndarray) -> str:
    """A short name for the scene: the same data, network shape, axes and held inputs give the same key
    (the values of the inputs on the axes do not count: the maps span them)."""
    held = tuple(0.0 if index in axes else float(value) for index, value in enumerate(fixed))
    text = repr((model.signature, axes, held))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def scene(
    model: ModelRun, axes: tuple[int, int], fixed: np.ndarray, hidden_choices: Sequence[tuple[str, str]]
) -> dict:
    """What changes rarely: layers, names, the data rows on the two axes, ranges, held inputs, scaling.

    ``hidden_choices`` are the hidden activations the picture offers, as (name, label) pairs.
    """
    data, network = model.data, model.network
    sizes = list(network.layer_sizes)
    names = neuron_names(sizes)
    is_test = model.is_test
    x_range, y_range = (axis_range(data.X[:, axis]) for axis in axes)
    return {
        "layers": sizes,
        "hidden": network.hidden_activation,
        "output": network.output_activation,
        "hiddenChoices": [list(choice) for choice in hidden_choices],
        "maxLayers": MAX_HIDDEN_LAYERS,
        "maxNeurons": MAX_NEURONS,
        "inputs": list(data.feature_names),
        "nodes": model.input_names,  # the network's inputs: the columns, then the derived inputs
        "derived": [[feature.kind, *feature.columns] for feature in model.features],
        "neurons": names,
        "weightNames": _weight_names(sizes),
        "axes": list(axes),
        "ranges": [list(x_range), list(y_range)],
        "curveRange": list(axis_range(data.y)),  # the height of the curve drawn for one input
        "maxWeight": MAX_TYPED_WEIGHT,
        "numberPattern": DECIMAL_PATTERN,  # what a typed weight may be: plain decimal notation only
        "minusSign": UNICODE_MINUS,
        "fixed": [float(value) for value in fixed],
        "mean": model.standardizer.mean.tolist(),
        "scale": model.standardizer.scale.tolist(),
        "task": data.task,
        "target": data.target_name,
        "classes": list(data.class_labels),
        "classColors": list(CLASS_COLORS),
        "palette": PALETTE,
        "points": {
            "x": _rounded(data.X[:, axes[0]]),
            "y": _rounded(data.X[:, axes[1]]),
            "target": _rounded(data.y),
            "test": is_test.astype(int).tolist(),
        },
    }


def message(
    model: ModelRun,
    picture: PictureState,
    axes: tuple[int, int],
    fixed: np.ndarray,
    frames: list[dict],
    *,
    tick_seconds: float,
    interactive: bool,
    with_scene: bool,
) -> dict:
    """What one picture is sent: ``frames`` to show over ``tick_seconds``, the loss curve, and the scene
    when ``with_scene`` or when the picture has not had this one (``picture`` remembers which it had).

    A run of the whole page always sends the scene (``with_scene``): the picture may have been drawn
    anew there (a mode switch, a tab opened), and one without its scene shows nothing.
    """
    key = scene_key(model, axes, fixed)
    send_scene = with_scene or picture.sent != key
    picture.sent = key
    history = model.history
    return {
        "sceneKey": key,
        "scene": scene(model, axes, fixed, HIDDEN_CHOICES) if send_scene else None,
        "frames": frames,
        "loss": loss_curves(history.train_loss, history.test_loss),
        "options": dict(picture.options),
        "interactive": interactive,
        "tickSeconds": tick_seconds,
    }


def frame_maker(options: dict[str, bool]) -> Callable[[ModelRun, bool], dict]:
    """Makes the frames of a picture with these view switches: the parameters, the figures, and the
    gradients when the picture shows them on the edges."""

    def make(model: ModelRun, running: bool) -> dict:
        gradients = training_gradient(model) if options.get("gradients") else None
        return {**frame(model, running, gradients), "figures": figures(model)}

    return make


def frame(model: ModelRun, running: bool, gradients: np.ndarray | None = None) -> dict:
    """What changes every frame: the parameters (exact, so the browser's sums equal nn_core's) and, when
    asked for, the gradient of the training loss per weight (drawn on the edges, told to 4 digits, so
    single precision), each layer ``packed``."""
    network = model.network
    return {
        "epoch": model.epoch,
        "running": running,
        "weights": [packed(weights) for weights in network.weights],
        "biases": [packed(biases) for biases in network.biases],
        "gradients": None if gradients is None else _weight_gradients(network.layer_sizes, gradients),
    }


def packed(values: np.ndarray, dtype: str = "<f8") -> str:
    """Numbers as base64 of their little-endian bytes (float64 unless told), row by row: exact, and about
    half the size of their decimal text (a frame of the 6 × 16 network: 31 KB as text, 16 KB packed)."""
    return base64.b64encode(np.ascontiguousarray(values, dtype=dtype).tobytes()).decode("ascii")


def figures(model: ModelRun) -> list[tuple[str, str]]:
    """The figures above the picture: the epoch, and the losses and accuracy of the weights the network
    holds now on the table's rows (worked out from the model, so a typed weight, a loaded model or a
    new row shows at once)."""
    now = model.trainer.figures()
    with_test = now.test_loss is not None
    accuracy = now.test_accuracy if with_test else now.train_accuracy
    return [
        ("Epoch", f"{model.epoch:,}"),
        ("Train loss", _figure(now.train_loss)),
        ("Test loss", _figure(now.test_loss)),
        ("Test accuracy" if with_test else "Train accuracy", "–" if accuracy is None else f"{accuracy:.0%}"),
    ]


def architecture_change(
    message: object, hidden_layers: tuple[int, ...], activation: str
) -> tuple[tuple[int, ...], str] | None:
    """The hidden layer sizes and activation the picture asks for, or None when the message is not one.

    The picture sends what was pressed, not a network: {"layers": n} for − / + of the hidden layers
    (a new layer as wide as the last, see ``resized_layers``), {"layer": i, "neurons": n} for one
    layer's neurons, {"activation": name} for the activation menu. Each is checked as a setting is.
    """
    if not isinstance(message, dict):
        return None
    network = settings_of(NetworkSettings)
    sizes, chosen = list(hidden_layers), message.get("activation", activation)
    count, layer, neurons = (message.get(key) for key in ("layers", "layer", "neurons"))
    if _whole(count):
        sizes = list(resized_layers(hidden_layers, count))
    elif _whole(layer) and _whole(neurons) and 0 <= layer < len(sizes):
        sizes[layer] = neurons
    try:
        return network["hidden_layers"].check(sizes), network["hidden_activation"].check(chosen)
    except ValueError:
        return None


def weight_change(message: object, sizes: Sequence[int]) -> tuple[int, int, int, float] | None:
    """(layer, from, to, value) of a weight typed on the picture, or None when it does not fit the network."""
    if not isinstance(message, dict):
        return None
    layer, source, target, value = (message.get(key) for key in ("layer", "from", "to", "value"))
    if not all(_whole(index) for index in (layer, source, target)) or not 0 <= layer < len(sizes) - 1:
        return None
    if not (0 <= source < sizes[layer] and 0 <= target < sizes[layer + 1]):
        return None
    number = isinstance(value, (int, float)) and not isinstance(value, bool)
    if not number or not np.isfinite(value) or abs(value) > MAX_TYPED_WEIGHT:
        return None
    return layer, source, target, float(value)


def point_added(message: object, X: np.ndarray, axes: tuple[int, int]) -> tuple[float, float] | None:
    """(x, y) in the data's units of a click on the surface, or None unless finite and near the data."""
    if not isinstance(message, dict):
        return None
    x, y = message.get("x"), message.get("y")
    if not all(isinstance(value, (int, float)) and not isinstance(value, bool) for value in (x, y)):
        return None
    if not np.isfinite([x, y]).all():
        return None
    (x_low, x_high), (y_low, y_high) = (axis_range(X[:, axis], margin=1.0) for axis in axes)
    if not (x_low <= x <= x_high and y_low <= y <= y_high):
        return None
    return float(x), float(y)


def training_gradient(model: ModelRun) -> np.ndarray:
    """dL/dθ of the mean training loss at the current weights, in ``Network.parameters`` order."""
    rows = model.train_rows
    inputs = model.network_inputs(model.data.X[rows])
    return model.network.gradient_vector(inputs, model.network_targets(rows), model.settings.training.loss)


def _weight_names(sizes: list[int]) -> list[dict[str, list[str]]]:
    """Per weight layer: the names of its weights (row-major, like ``weights[l].ravel()``) and biases."""
    names = iter(parameter_names(sizes))
    layers = []
    for n_in, n_out in itertools.pairwise(sizes):
        weights = [next(names) for _ in range(n_in * n_out)]
        layers.append({"weights": weights, "biases": [next(names) for _ in range(n_out)]})
    return layers


def _weight_gradients(sizes: tuple[int, ...], flat: np.ndarray) -> list[str]:
    """The weights' part of a flat gradient (per layer: the weights row by row, then the biases as a last
    row), packed per layer in single precision."""
    layers, start = [], 0
    for n_in, n_out in itertools.pairwise(sizes):
        block = np.asarray(flat[start : start + (n_in + 1) * n_out]).reshape(n_in + 1, n_out)
        layers.append(packed(block[:-1], "<f4"))
        start += (n_in + 1) * n_out
    return layers


def loss_curves(train: list[float], test: list[float]) -> dict[str, list]:
    """The loss per epoch, thinned to MAX_CURVE_POINTS and rounded (every point travels each message;
    the picture draws it up to each frame's epoch)."""
    epochs, train_kept = thin(train, MAX_CURVE_POINTS)
    return {
        "epochs": epochs,
        "train": [_short(value) for value in train_kept],
        "test": [_short(value) for value in thin(test, MAX_CURVE_POINTS)[1]],
    }


def _figure(value: float | None) -> str:
    return "–" if value is None else f"{value:.4f}"


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _short(value: float) -> float:
    return float(f"{value:.{DIGITS}g}")


def _rounded(values: np.ndarray) -> list[float]:
    return [_short(value) for value in np.asarray(values, dtype=float).tolist()]
