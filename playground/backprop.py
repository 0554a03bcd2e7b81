"""The backprop arithmetic for one data row, as tables: every sum, activation, derivative and update.

Pure functions over a ``ModelRun`` (no Streamlit), so the explainer's numbers are tested directly.
The tutorial's 2-2-1 network gets the tutorial's names (h1, h2, o1, w1 … w6, b1 … b3); bigger networks
get layer-and-neuron names such as ``W2[3→1]``.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np
import pandas as pd

from nn_core.gradcheck import GradientCheck, gradient_check
from playground.model import ModelRun
from playground.settings import TrainingSettings

TUTORIAL_SHAPE = (2, 2, 1)
TUTORIAL_PARAMETERS = ("w1", "w3", "w2", "w4", "b1", "b2", "w5", "w6", "b3")  # as Network.parameters
TUTORIAL_ORDER = ("w1", "w2", "w3", "w4", "w5", "w6", "b1", "b2", "b3")  # as the tutorial reads them


def is_tutorial_shape(layer_sizes: Sequence[int]) -> bool:
    return tuple(layer_sizes) == TUTORIAL_SHAPE


def neuron_names(layer_sizes: Sequence[int]) -> list[list[str]]:
    """Names of the neurons after each weight layer: h1, h2, o1 for the tutorial, else 'L1 n1'…"""
    if is_tutorial_shape(layer_sizes):
        return [["h1", "h2"], ["o1"]]
    last = len(layer_sizes) - 2
    return [
        [f"out {j + 1}" if layer == last else f"L{layer + 1} n{j + 1}" for j in range(size)]
        for layer, size in enumerate(layer_sizes[1:])
    ]


def parameter_names(layer_sizes: Sequence[int]) -> list[str]:
    """One name per entry of ``Network.parameters``, in its order (weights row by row, then biases)."""
    if is_tutorial_shape(layer_sizes):
        return list(TUTORIAL_PARAMETERS)
    names = []
    for layer, (n_in, n_out) in enumerate(itertools.pairwise(layer_sizes), start=1):
        names += [f"W{layer}[{i + 1}→{j + 1}]" for i in range(n_in) for j in range(n_out)]
        names += [f"b{layer}[{j + 1}]" for j in range(n_out)]
    return names


def row_targets(model: ModelRun, row: int) -> tuple[np.ndarray, np.ndarray]:
    """(inputs, targets) of one table row as the network sees them: shapes (1, n_in), (1, n_out)."""
    inputs = model.network_inputs(model.data.X[[row]])
    targets = model.network_targets(np.array([row]))
    return inputs, targets.reshape(1, -1)


def forward_table(model: ModelRun, row: int) -> pd.DataFrame:
    """Every neuron's weighted sum, written out, its activation, and dL/dz (how the loss on this row
    changes with the sum: backprop's delta, from which every weight's gradient follows) for one row."""
    inputs, targets = row_targets(model, row)
    network = model.network
    forward = network.forward(inputs)
    _, dz = network.gradients(inputs, targets, model.settings.training.loss)  # one row: dL/db = dL/dz
    layer_values = [forward.inputs[0], *(a[0] for a in forward.activations)]
    input_names = ["x" + str(i + 1) for i in range(network.n_inputs)]
    names = neuron_names(network.layer_sizes)
    records = []
    for layer, (weights, biases) in enumerate(zip(network.weights, network.biases, strict=True)):
        below = input_names if layer == 0 else names[layer - 1]
        for j, neuron in enumerate(names[layer]):
            terms = [(weights[i, j], f"·{below[i]}") for i in range(len(below))] + [(biases[j], "")]
            records.append(
                {
                    "Neuron": neuron,
                    "Sum z = Σ w·input + b": _signed_sum(terms),
                    "z": float(forward.pre_activations[layer][0, j]),
                    "Activation": network.activation_of(layer).name,
                    "a = f(z)": float(layer_values[layer + 1][j]),
                    "dL/dz": float(dz[layer][j]),
                }
            )
    return pd.DataFrame(records)


def _signed_sum(terms: list[tuple[float, str]]) -> str:
    """'0.6804·x1 − 0.9889·x2 + 0.1000' from (coefficient, suffix) pairs."""
    text = ""
    for index, (value, suffix) in enumerate(terms):
        sign = ("−" if value < 0 else "") if index == 0 else (" − " if value < 0 else " + ")
        text += f"{sign}{abs(value):.4f}{suffix}"
    return text


def gradient_table(model: ModelRun, row: int, learning_rate: float) -> tuple[pd.DataFrame, GradientCheck]:
    """Each parameter's value, dL/dp by backprop and numerically, and one plain SGD step on this row
    alone (p − η·dL/dp); the tutorial's network lists w1 … w6, b1 … b3 in the tutorial's order.

    Returns the table and the check behind its "Numeric check" column.
    """
    inputs, targets = row_targets(model, row)
    network = model.network
    check = gradient_check(network, inputs, targets, model.settings.training.loss)
    update = -learning_rate * check.analytic
    frame = pd.DataFrame(
        {
            "Parameter p": parameter_names(network.layer_sizes),
            "Value": network.parameters,
            "dL/dp": check.analytic,
            "Numeric check": check.numeric,
            "−η·dL/dp": update,
            "After one plain SGD step": network.parameters + update,
        }
    )
    if is_tutorial_shape(network.layer_sizes):
        frame = frame.set_index("Parameter p").loc[list(TUTORIAL_ORDER)].reset_index()
    return frame, check


def step_differs(settings: TrainingSettings) -> str | None:
    """What makes the configured training step differ from one plain SGD step on one row, or None."""
    reasons = []
    if settings.optimizer != "sgd":
        reasons.append(f"the {settings.optimizer} optimizer")
    if settings.batch_size != 1:
        reasons.append(f"batches of {settings.batch_size} rows (their gradients averaged)")
    if settings.regularization != "none" and settings.regularization_rate > 0:
        reasons.append(f"{settings.regularization.upper()} regularisation")
    return " and ".join(reasons) or None


def gradient_matrices(model: ModelRun, row: int) -> list[tuple[pd.DataFrame, pd.Series]]:
    """Per layer: dL/dW as a (from × to) table and dL/db, for networks too big to list weight by weight."""
    inputs, targets = row_targets(model, row)
    dW, db = model.network.gradients(inputs, targets, model.settings.training.loss)
    names = neuron_names(model.network.layer_sizes)
    sources = [model.input_names, *names[:-1]]
    return [
        (pd.DataFrame(w, index=source, columns=target), pd.Series(b, index=target))
        for w, b, source, target in zip(dW, db, sources, names, strict=True)
    ]


def loss_for_row(model: ModelRun, row: int) -> float:
    inputs, targets = row_targets(model, row)
    return model.network.loss(inputs, targets, model.settings.training.loss)


def check_sentence(check: GradientCheck) -> str:
    """What the numeric check says about backprop, in a sentence a learner can trust."""
    error = (
        f"largest relative difference {check.max_relative_error:.1e}"
        if check.max_relative_error > 0
        else "no difference beyond rounding"
    )
    if check.verdict == "too large":
        return (
            "The loss on this row is too large for central differences to check these gradients "
            "(rounding swamps them); the derivatives are still computed exactly by backprop."
        )
    if check.verdict == "agrees":
        return f"Backprop agrees with central differences ({error})."
    return f"Backprop and central differences disagree ({error}): check the numbers."
