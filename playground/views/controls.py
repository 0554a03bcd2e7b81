"""The sidebar's network and training settings: widgets in, a ``Settings`` object out.

Widget values live under the keys below; ``seed_widget_defaults`` seeds them once and
``apply_settings`` rewrites them when a preset brings its own settings.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import streamlit as st

from nn_core.activations import HIDDEN_ACTIVATIONS
from nn_core.features import MAX_FEATURES, offered_features
from nn_core.network import INITIALISERS
from nn_core.optimizers import OPTIMIZERS
from playground.settings import (
    LEARNING_RATE_CHOICES,
    LOSSES_FOR_OUTPUT,
    MAX_EPOCHS,
    MAX_HIDDEN_LAYERS,
    MAX_LEARNING_RATE,
    MAX_NEURONS,
    MAX_SEED,
    MIN_LEARNING_RATE,
    OUTPUTS_FOR_TASK,
    REGULARIZATIONS,
    DataSettings,
    NetworkSettings,
    Settings,
    TrainingSettings,
)
from playground.views import keys

LABELS = {
    "sigmoid": "Sigmoid",
    "tanh": "Tanh",
    "relu": "ReLU",
    "leaky_relu": "Leaky ReLU",
    "linear": "Linear",
    "softmax": "Softmax",
    "mse": "Mean squared error",
    "binary_cross_entropy": "Binary cross-entropy",
    "cross_entropy": "Cross-entropy",
    "sgd": "SGD",
    "momentum": "Momentum",
    "adam": "Adam",
    "normal": "Normal N(0, 1)",
    "xavier": "Xavier",
    "he": "He",
    "none": "None",
    "l1": "L1",
    "l2": "L2",
}


def _widget_values(settings: Settings) -> dict[str, object]:
    """The widget key -> value map that shows ``settings``."""
    net, train, data = settings.network, settings.training, settings.data
    values: dict[str, object] = {
        keys.HIDDEN_LAYER_COUNT: len(net.hidden_layers),
        keys.HIDDEN_ACTIVATION: net.hidden_activation,
        keys.OUTPUT_ACTIVATION: net.output_activation,
        keys.INIT: net.init,
        keys.SEED: net.seed,
        keys.LOSS: train.loss,
        keys.OPTIMIZER: train.optimizer,
        keys.LEARNING_RATE: train.learning_rate,
        keys.LEARNING_RATE_SCALE: _nearest_choice(train.learning_rate),
        keys.EPOCHS: train.epochs,
        keys.BATCH_SIZE: train.batch_size,
        keys.SHUFFLE: train.shuffle,
        keys.REGULARIZATION: train.regularization,
        keys.REGULARIZATION_RATE: train.regularization_rate,
        keys.STANDARDIZE: data.standardize,
        keys.TEST_PERCENT: round(100 * data.test_fraction),
        keys.SPLIT_SEED: data.split_seed,
        keys.DERIVED_INPUTS: list(data.features),
    }
    values.update({keys.neurons_key(i): size for i, size in enumerate(net.hidden_layers)})
    return values


def seed_widget_defaults(settings: Settings) -> None:
    """Give every settings widget its starting value, once per session."""
    for key, value in _widget_values(settings).items():
        st.session_state.setdefault(key, value)


def apply_settings(settings: Settings) -> None:
    """Make the widgets show ``settings`` (call before they are drawn, e.g. from a callback)."""
    st.session_state.update(_widget_values(settings))


def show_network_controls(task: str) -> NetworkSettings:
    """Hidden layers and their sizes, activations, initialiser and seed."""
    st.subheader("Network")
    count = st.number_input("Hidden layers", 0, MAX_HIDDEN_LAYERS, step=1, key=keys.HIDDEN_LAYER_COUNT)
    sizes = []
    if count:
        columns = st.columns(min(int(count), 3))
        for layer in range(int(count)):
            st.session_state.setdefault(keys.neurons_key(layer), 4)
            with columns[layer % len(columns)]:
                sizes.append(
                    st.number_input(f"Layer {layer + 1}", 1, MAX_NEURONS, step=1, key=keys.neurons_key(layer))
                )
    hidden = _select("Hidden activation", HIDDEN_ACTIVATIONS, keys.HIDDEN_ACTIVATION)
    output = _select("Output activation", OUTPUTS_FOR_TASK[task], keys.OUTPUT_ACTIVATION)
    init = _select("Initial weights", INITIALISERS, keys.INIT)
    seed = st.number_input(
        "Seed", 0, MAX_SEED, step=1, key=keys.SEED, help="Same seed, same starting network."
    )
    return NetworkSettings(tuple(int(size) for size in sizes), hidden, output, init, int(seed))


def show_training_controls(output_activation: str, n_train_rows: int) -> TrainingSettings:
    """Loss, optimizer, learning rate, epochs, batching and regularisation."""
    st.subheader("Training")
    loss = _select("Loss", LOSSES_FOR_OUTPUT[output_activation], keys.LOSS)
    optimizer = _select("Optimizer", OPTIMIZERS, keys.OPTIMIZER)
    learning_rate = _learning_rate_controls()
    epochs = st.number_input("Epochs", 1, MAX_EPOCHS, step=100, key=keys.EPOCHS)
    largest_batch = max(1, n_train_rows)
    st.session_state[keys.BATCH_SIZE] = min(st.session_state.get(keys.BATCH_SIZE, 1), largest_batch)
    batch_size = st.number_input(
        "Batch size",
        1,
        largest_batch,
        step=1,
        key=keys.BATCH_SIZE,
        help=f"1 updates after every row, as in the tutorial; {largest_batch} is the full batch.",
    )
    shuffle = st.checkbox("Shuffle rows each epoch", key=keys.SHUFFLE)
    regularization = _select("Regularisation", REGULARIZATIONS, keys.REGULARIZATION)
    rate = 0.0
    if regularization != "none":
        rate = st.number_input(
            "Regularisation rate", 0.0, 10.0, step=0.001, format="%.4f", key=keys.REGULARIZATION_RATE
        )
    return TrainingSettings(
        loss,
        optimizer,
        learning_rate,
        int(epochs),
        int(batch_size),
        shuffle,
        regularization,
        float(rate),
    )


def show_data_controls(column_names: Sequence[str]) -> DataSettings:
    """Standardisation, derived inputs of the chosen columns and the train/test split."""
    standardize = st.checkbox(
        "Standardise inputs",
        key=keys.STANDARDIZE,
        help="Shift and scale each input to mean 0 and spread 1 (computed on the training rows).",
    )
    features = _derived_inputs(column_names)
    test_percent = st.slider("Test rows (%)", 0, 50, step=5, key=keys.TEST_PERCENT)
    split_seed = st.number_input(
        "Split seed",
        0,
        MAX_SEED,
        step=1,
        key=keys.SPLIT_SEED,
        disabled=test_percent == 0,
        help="Which rows are held out for testing: same seed, same test rows.",
    )
    return DataSettings(standardize, test_percent / 100, int(split_seed), features)


def _derived_inputs(column_names: Sequence[str]) -> tuple[str, ...]:
    """The derived inputs chosen among those the columns offer; choices the columns no longer offer
    (fewer input columns than before) are taken away, saying so. With no valid table (no columns) the
    choice is kept and shown as it is, greyed."""
    chosen = st.session_state.get(keys.DERIVED_INPUTS, [])
    offered = {feature.code: feature.name(column_names) for feature in offered_features(len(column_names))}
    if not column_names:
        offered = {code: code for code in chosen}
    kept = [code for code in chosen if code in offered]
    if kept != chosen:
        st.session_state[keys.DERIVED_INPUTS] = kept
        gone = ", ".join(code for code in chosen if code not in offered)
        st.caption(f"Taken away: {gone}, which the chosen input columns do not offer.")
    picked = st.multiselect(
        "Derived inputs",
        list(offered),
        format_func=offered.__getitem__,
        key=keys.DERIVED_INPUTS,
        max_selections=MAX_FEATURES,
        disabled=not column_names,
        placeholder="Add x1², x1·x2, sin(x1)…",
        help=(
            "Squares, products and sines of the input columns, fed to the network as extra inputs. "
            "With both squares, a network with no hidden layer can draw a circle."
        ),
    )
    return tuple(picked)


def _learning_rate_controls() -> float:
    st.select_slider(
        "Learning rate",
        options=LEARNING_RATE_CHOICES,
        key=keys.LEARNING_RATE_SCALE,
        on_change=_copy_scale_to_exact,
    )
    value = st.number_input(
        "Exact learning rate",
        MIN_LEARNING_RATE,
        MAX_LEARNING_RATE,
        step=None,
        format="%.5g",
        key=keys.LEARNING_RATE,
        on_change=_copy_exact_to_scale,
    )
    return float(value)


def _copy_scale_to_exact() -> None:
    st.session_state[keys.LEARNING_RATE] = st.session_state[keys.LEARNING_RATE_SCALE]


def _copy_exact_to_scale() -> None:
    st.session_state[keys.LEARNING_RATE_SCALE] = _nearest_choice(st.session_state[keys.LEARNING_RATE])


def _nearest_choice(learning_rate: float) -> float:
    return min(LEARNING_RATE_CHOICES, key=lambda choice: abs(math.log(choice / learning_rate)))


def _select(label: str, options: tuple[str, ...], key: str) -> str:
    """A selectbox with readable labels; a value the options no longer hold falls back to the first."""
    if st.session_state.get(key) not in options:
        st.session_state[key] = options[0]
    return st.selectbox(label, options, format_func=lambda name: LABELS.get(name, name), key=key)
