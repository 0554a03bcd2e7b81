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
LAYER_COUNT_KEY = "hidden_layer_count"
HIDDEN_ACTIVATION_KEY = "hidden_activation"
LR_SCALE_KEY = "learning_rate_scale"
FEATURES_KEY = "derived_inputs"


def neurons_key(layer: int) -> str:
    return f"neurons_in_layer_{layer}"


def _widget_values(settings: Settings) -> dict[str, object]:
    """The widget key -> value map that shows ``settings``."""
    net, train, data = settings.network, settings.training, settings.data
    values: dict[str, object] = {
        LAYER_COUNT_KEY: len(net.hidden_layers),
        HIDDEN_ACTIVATION_KEY: net.hidden_activation,
        "output_activation": net.output_activation,
        "init": net.init,
        "seed": net.seed,
        "loss": train.loss,
        "optimizer": train.optimizer,
        "learning_rate": train.learning_rate,
        LR_SCALE_KEY: _nearest_choice(train.learning_rate),
        "epochs": train.epochs,
        "batch_size": train.batch_size,
        "shuffle": train.shuffle,
        "regularization": train.regularization,
        "regularization_rate": train.regularization_rate,
        "standardize": data.standardize,
        "test_percent": round(100 * data.test_fraction),
        "split_seed": data.split_seed,
        FEATURES_KEY: list(data.features),
    }
    values.update({neurons_key(i): size for i, size in enumerate(net.hidden_layers)})
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
    count = st.number_input("Hidden layers", 0, MAX_HIDDEN_LAYERS, step=1, key=LAYER_COUNT_KEY)
    sizes = []
    if count:
        columns = st.columns(min(int(count), 3))
        for layer in range(int(count)):
            st.session_state.setdefault(neurons_key(layer), 4)
            with columns[layer % len(columns)]:
                sizes.append(
                    st.number_input(f"Layer {layer + 1}", 1, MAX_NEURONS, step=1, key=neurons_key(layer))
                )
    hidden = _select("Hidden activation", HIDDEN_ACTIVATIONS, HIDDEN_ACTIVATION_KEY)
    output = _select("Output activation", OUTPUTS_FOR_TASK[task], "output_activation")
    init = _select("Initial weights", INITIALISERS, "init")
    seed = st.number_input("Seed", 0, MAX_SEED, step=1, key="seed", help="Same seed, same starting network.")
    return NetworkSettings(tuple(int(size) for size in sizes), hidden, output, init, int(seed))


def show_training_controls(output_activation: str, n_train_rows: int) -> TrainingSettings:
    """Loss, optimizer, learning rate, epochs, batching and regularisation."""
    st.subheader("Training")
    loss = _select("Loss", LOSSES_FOR_OUTPUT[output_activation], "loss")
    optimizer = _select("Optimizer", OPTIMIZERS, "optimizer")
    learning_rate = _learning_rate_controls()
    epochs = st.number_input("Epochs", 1, MAX_EPOCHS, step=100, key="epochs")
    largest_batch = max(1, n_train_rows)
    st.session_state["batch_size"] = min(st.session_state.get("batch_size", 1), largest_batch)
    batch_size = st.number_input(
        "Batch size",
        1,
        largest_batch,
        step=1,
        key="batch_size",
        help=f"1 updates after every row, as in the tutorial; {largest_batch} is the full batch.",
    )
    shuffle = st.checkbox("Shuffle rows each epoch", key="shuffle")
    regularization = _select("Regularisation", REGULARIZATIONS, "regularization")
    rate = 0.0
    if regularization != "none":
        rate = st.number_input(
            "Regularisation rate", 0.0, 10.0, step=0.001, format="%.4f", key="regularization_rate"
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
        key="standardize",
        help="Shift and scale each input to mean 0 and spread 1 (computed on the training rows).",
    )
    features = _derived_inputs(column_names)
    test_percent = st.slider("Test rows (%)", 0, 50, step=5, key="test_percent")
    split_seed = st.number_input(
        "Split seed",
        0,
        MAX_SEED,
        step=1,
        key="split_seed",
        disabled=test_percent == 0,
        help="Which rows are held out for testing: same seed, same test rows.",
    )
    return DataSettings(standardize, test_percent / 100, int(split_seed), features)


def _derived_inputs(column_names: Sequence[str]) -> tuple[str, ...]:
    """The derived inputs chosen among those the columns offer; choices the columns no longer offer
    (fewer input columns than before) are taken away, saying so. With no valid table (no columns) the
    choice is kept and shown as it is, greyed."""
    chosen = st.session_state.get(FEATURES_KEY, [])
    offered = {feature.code: feature.name(column_names) for feature in offered_features(len(column_names))}
    if not column_names:
        offered = {code: code for code in chosen}
    kept = [code for code in chosen if code in offered]
    if kept != chosen:
        st.session_state[FEATURES_KEY] = kept
        gone = ", ".join(code for code in chosen if code not in offered)
        st.caption(f"Taken away: {gone}, which the chosen input columns do not offer.")
    picked = st.multiselect(
        "Derived inputs",
        list(offered),
        format_func=offered.__getitem__,
        key=FEATURES_KEY,
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
        key=LR_SCALE_KEY,
        on_change=_copy_scale_to_exact,
    )
    value = st.number_input(
        "Exact learning rate",
        MIN_LEARNING_RATE,
        MAX_LEARNING_RATE,
        step=None,
        format="%.5g",
        key="learning_rate",
        on_change=_copy_exact_to_scale,
    )
    return float(value)


def _copy_scale_to_exact() -> None:
    st.session_state["learning_rate"] = st.session_state[LR_SCALE_KEY]


def _copy_exact_to_scale() -> None:
    st.session_state[LR_SCALE_KEY] = _nearest_choice(st.session_state["learning_rate"])


def _nearest_choice(learning_rate: float) -> float:
    return min(LEARNING_RATE_CHOICES, key=lambda choice: abs(math.log(choice / learning_rate)))


def _select(label: str, options: tuple[str, ...], key: str) -> str:
    """A selectbox with readable labels; a value the options no longer hold falls back to the first."""
    if st.session_state.get(key) not in options:
        st.session_state[key] = options[0]
    return st.selectbox(label, options, format_func=lambda name: LABELS.get(name, name), key=key)
