"""Every choice a user makes about the network and its training: one declarative list, in three groups.

Each setting is a field of a frozen dataclass whose metadata is a ``Setting``: its label and help for the
sidebar's widget, its limits, and its short key in a share link. The sidebar draws its widgets from
these, share links encode and check fields by them, and other checks (model files, the picture's
messages) use ``Setting.check``. Adding a setting is one field here plus its use.

The defaults are the tutorial's: a 2-2-1 sigmoid network, MSE, per-sample SGD at learning rate 0.1
for 1000 epochs on the raw (shifted) features. Presets bring their own training defaults.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any

from nn_core.activations import HIDDEN_ACTIVATIONS, OUTPUT_ACTIVATIONS
from nn_core.datasets import MAX_SAMPLES
from nn_core.features import MAX_FEATURE_COLUMNS, MAX_FEATURES, offered_features, parse_features
from nn_core.network import INITIALISERS
from nn_core.optimizers import OPTIMIZERS

MAX_HIDDEN_LAYERS = 6
MAX_NEURONS = 16
NEW_LAYER_NEURONS = 4  # a first hidden layer added
MAX_EPOCHS = 100_000
MAX_SEED = 2**31 - 1
MIN_LEARNING_RATE = 1e-5
MAX_LEARNING_RATE = 10.0
LEARNING_RATE_CHOICES = (0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)

OUTPUTS_FOR_TASK = {
    "binary": ("sigmoid",),
    "multiclass": ("softmax",),
    "regression": ("linear", "sigmoid"),
}
LOSSES_FOR_OUTPUT = {
    "sigmoid": ("mse", "binary_cross_entropy"),
    "softmax": ("cross_entropy", "mse"),
    "linear": ("mse",),
}
LOSSES = tuple(dict.fromkeys(loss for losses in LOSSES_FOR_OUTPUT.values() for loss in losses))
REGULARIZATIONS = ("none", "l1", "l2")
CHOICE_LABELS = {
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

_SETTING = "setting"  # the dataclass field metadata key that holds a field's Setting


@dataclass(frozen=True)
class Setting:
    """How one choice is shown, bounded and carried in a link.

    ``kind`` says what its values are and which widget shows them: "choice" (one of ``choices``),
    "whole" or "number" (in [low, high]), "flag", "rate" (a number also picked on a log scale),
    "fraction" (a number shown in percent), "layers" (up to ``MAX_HIDDEN_LAYERS`` sizes in [low, high])
    or "features" (derived-input codes). ``matters_when`` names another setting of its group and a value
    that setting must not have for this one to matter (the widget is then greyed or, with ``hide_idle``,
    not drawn and the default used). ``in_first_links`` is False for a setting added after links were
    first shared: a link without it gets the default silently.
    """

    link_key: str
    label: str
    kind: str
    low: float = 0
    high: float = 0
    step: float | None = None
    choices: tuple[str, ...] = ()
    labels: Mapping[str, str] | None = None
    help: str | None = None
    number_format: str | None = None
    noun: str | None = None
    matters_when: tuple[str, object] | None = None
    hide_idle: bool = False
    in_first_links: bool = True

    @property
    def name_in_sentence(self) -> str:
        """How a sentence names it: "the link's <noun> could not be read"."""
        return self.noun or self.label.lower()

    def check(self, value: object) -> Any:
        """``value`` as this setting holds it (tuples for lists); ValueError when it is not one of its values.

        Values may come from JSON, so a list stands for a tuple and true/false are never numbers.
        """
        return _CHECKS[self.kind](self, value)


def _setting(default: Any, **description: Any) -> Any:
    """A dataclass field with its default and its ``Setting`` (see the class for the parts)."""
    return field(default=default, metadata={_SETTING: Setting(**description)})


def _seed_setting(default: int, **description: Any) -> Any:
    """A seed: a whole number from 0 to ``MAX_SEED`` (same seed, same draws)."""
    return _setting(default, kind="whole", high=MAX_SEED, step=1, **description)


@dataclass(frozen=True, kw_only=True)
class NetworkSettings:
    """The architecture and how it starts: changing any of these means a new network."""

    hidden_layers: tuple[int, ...] = _setting(
        (2,), link_key="h", label="Hidden layers", kind="layers", low=1, high=MAX_NEURONS
    )
    hidden_activation: str = _setting(
        "sigmoid", link_key="ha", label="Hidden activation", kind="choice", choices=HIDDEN_ACTIVATIONS
    )
    output_activation: str = _setting(
        "sigmoid", link_key="oa", label="Output activation", kind="choice", choices=OUTPUT_ACTIVATIONS
    )
    init: str = _setting("normal", link_key="i", label="Initial weights", kind="choice", choices=INITIALISERS)
    seed: int = _seed_setting(
        1, link_key="s", label="Seed", noun="network seed", help="Same seed, same starting network."
    )


@dataclass(frozen=True, kw_only=True)
class TrainingSettings:
    """How the network learns; changing these keeps the weights and starts a fresh optimizer."""

    loss: str = _setting("mse", link_key="l", label="Loss", kind="choice", choices=LOSSES)
    optimizer: str = _setting("sgd", link_key="o", label="Optimizer", kind="choice", choices=OPTIMIZERS)
    learning_rate: float = _setting(
        0.1,
        link_key="lr",
        label="Learning rate",
        kind="rate",
        low=MIN_LEARNING_RATE,
        high=MAX_LEARNING_RATE,
        number_format="%.5g",
    )
    epochs: int = _setting(1000, link_key="e", label="Epochs", kind="whole", low=1, high=MAX_EPOCHS, step=100)
    batch_size: int = _setting(
        1, link_key="b", label="Batch size", kind="whole", low=1, high=MAX_SAMPLES, step=1
    )
    shuffle: bool = _setting(
        False, link_key="sh", label="Shuffle rows each epoch", kind="flag", noun="shuffle setting"
    )
    regularization: str = _setting(
        "none", link_key="r", label="Regularisation", kind="choice", choices=REGULARIZATIONS
    )
    regularization_rate: float = _setting(
        0.0,
        link_key="rr",
        label="Regularisation rate",
        kind="number",
        high=10.0,
        step=0.001,
        number_format="%.4f",
        matters_when=("regularization", "none"),
        hide_idle=True,
    )

    @property
    def l1(self) -> float:
        return self.regularization_rate if self.regularization == "l1" else 0.0

    @property
    def l2(self) -> float:
        return self.regularization_rate if self.regularization == "l2" else 0.0


@dataclass(frozen=True, kw_only=True)
class DataSettings:
    """How the table becomes training data."""

    standardize: bool = _setting(
        False,
        link_key="st",
        label="Standardise inputs",
        kind="flag",
        noun="standardise setting",
        help="Shift and scale each input to mean 0 and spread 1 (computed on the training rows).",
    )
    features: tuple[str, ...] = _setting(
        (),
        link_key="f",
        label="Derived inputs",
        kind="features",
        high=MAX_FEATURES,
        in_first_links=False,
        help=(
            "Squares, products and sines of the input columns, fed to the network as extra inputs. "
            "With both squares, a network with no hidden layer can draw a circle."
        ),
    )
    test_fraction: float = _setting(
        0.0, link_key="tf", label="Test rows (%)", kind="fraction", high=0.5, step=0.05, noun="test fraction"
    )
    split_seed: int = _seed_setting(
        0,
        link_key="ss",
        label="Split seed",
        matters_when=("test_fraction", 0.0),
        help="Which rows are held out for testing: same seed, same test rows.",
    )


@dataclass(frozen=True, kw_only=True)
class Settings:
    """All of a user's choices at one moment."""

    network: NetworkSettings = NetworkSettings()
    training: TrainingSettings = TrainingSettings()
    data: DataSettings = DataSettings()


SettingsGroup = NetworkSettings | TrainingSettings | DataSettings


def choice_label(name: str) -> str:
    """How a choice reads on the page: "leaky_relu" → "Leaky ReLU"."""
    return CHOICE_LABELS.get(name, name)


def settings_of(group: type[SettingsGroup]) -> dict[str, Setting]:
    """A group's settings by field name, in the order the sidebar shows them."""
    return {entry.name: entry.metadata[_SETTING] for entry in fields(group)}


def setting(group: type[SettingsGroup], name: str) -> Setting:
    """One setting of a group, e.g. ``setting(NetworkSettings, "hidden_layers")``."""
    return settings_of(group)[name]


def fitted_to_data(
    settings: Settings, task: str, n_inputs: int, n_train_rows: int
) -> tuple[Settings, tuple[str, ...]]:
    """``settings`` as a table allows them, and the derived inputs taken away: an output activation the
    problem type ``task`` allows (else its first), a loss that output allows (else its first), a batch
    no larger than the ``n_train_rows`` training rows, and only the derived inputs that ``n_inputs``
    input columns offer."""
    network, training, data = settings.network, settings.training, settings.data
    outputs = OUTPUTS_FOR_TASK[task]
    output = network.output_activation if network.output_activation in outputs else outputs[0]
    losses = LOSSES_FOR_OUTPUT[output]
    offered = {feature.code for feature in offered_features(n_inputs)}
    kept = tuple(code for code in data.features if code in offered)
    fitted = Settings(
        network=replace(network, output_activation=output),
        training=replace(
            training,
            loss=training.loss if training.loss in losses else losses[0],
            batch_size=min(training.batch_size, max(1, n_train_rows)),
        ),
        data=replace(data, features=kept),
    )
    return fitted, tuple(code for code in data.features if code not in offered)


def resized_layers(hidden_layers: tuple[int, ...], count: int) -> tuple[int, ...]:
    """``count`` hidden layers: the first ones kept, each new one as wide as the last (4 for the first)."""
    sizes = list(hidden_layers[:count])
    while len(sizes) < count:
        sizes.append(sizes[-1] if sizes else NEW_LAYER_NEURONS)
    return tuple(sizes)


def with_setting(settings: Settings, name: str, value: object) -> Settings:
    """``settings`` with the setting ``name`` (a field of one of its groups) set to ``value``, checked
    (ValueError when it is not one of the setting's values)."""
    for group_name in ("network", "training", "data"):
        group = getattr(settings, group_name)
        specs = settings_of(type(group))
        if name in specs:
            checked = specs[name].check(value)
            return replace(settings, **{group_name: replace(group, **{name: checked})})
    raise ValueError(f"There is no setting named {name!r}.")


def settings_for_preset(task: str) -> Settings:
    """Sensible starting settings for a generated data set of the given problem type.

    Two hidden layers of tanh with Adam learn every preset within the default budget; the tutorial's
    per-sample SGD on raw inputs would be slow on hundreds of points.
    """
    output = OUTPUTS_FOR_TASK[task][0]
    loss = {"binary": "binary_cross_entropy", "multiclass": "cross_entropy", "regression": "mse"}[task]
    return Settings(
        network=NetworkSettings(
            hidden_layers=(8, 8), hidden_activation="tanh", output_activation=output, init="xavier"
        ),
        training=TrainingSettings(
            loss=loss, optimizer="adam", learning_rate=0.03, epochs=300, batch_size=10, shuffle=True
        ),
        data=DataSettings(standardize=True, test_fraction=0.2),
    )


# Checks by kind: each takes a value (perhaps from JSON) and returns it as the setting holds it.


def whole_in(value: object, low: float, high: float) -> int:
    """``value`` when it is a whole number in [low, high]; true and false are not numbers here."""
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValueError("not a whole number in range")
    return int(value)


def number_in(value: object, low: float, high: float) -> float:
    """``value`` as a float when it is a finite number in [low, high]."""
    if not is_finite_number(value) or not low <= value <= high:  # type: ignore[operator]
        raise ValueError("not a number in range")
    return float(value)  # type: ignore[arg-type]


def one_of(value: object, choices: tuple[str, ...]) -> str:
    """``value`` when it is one of a fixed set of names."""
    if not isinstance(value, str) or value not in choices:
        raise ValueError("not one of the choices")
    return value


def is_finite_number(value: object) -> bool:
    """A real number a float can hold: not a bool, NaN, ±inf, or an integer too big to convert."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return abs(value) <= sys.float_info.max
    return isinstance(value, float) and math.isfinite(value)


def _check_flag(value: object) -> bool:
    if not isinstance(value, bool):
        raise ValueError("not true or false")
    return value


def _check_layers(spec: Setting, value: object) -> tuple[int, ...]:
    if not isinstance(value, list | tuple) or len(value) > MAX_HIDDEN_LAYERS:
        raise ValueError("not a list of layer sizes")
    return tuple(whole_in(size, spec.low, spec.high) for size in value)


def _check_features(spec: Setting, value: object) -> tuple[str, ...]:
    """Derived inputs by code; whether the table's columns offer them is judged when the table is known."""
    if not isinstance(value, list | tuple) or len(value) > spec.high:
        raise ValueError("not a list of derived inputs")
    return tuple(feature.code for feature in parse_features(list(value), MAX_FEATURE_COLUMNS))


_CHECKS: Mapping[str, Callable[[Setting, object], Any]] = {
    "choice": lambda spec, value: one_of(value, spec.choices),
    "whole": lambda spec, value: whole_in(value, spec.low, spec.high),
    "number": lambda spec, value: number_in(value, spec.low, spec.high),
    "rate": lambda spec, value: number_in(value, spec.low, spec.high),
    "fraction": lambda spec, value: number_in(value, spec.low, spec.high),
    "flag": lambda spec, value: _check_flag(value),
    "layers": _check_layers,
    "features": _check_features,
}
