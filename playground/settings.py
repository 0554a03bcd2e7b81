"""Every choice a user makes about the network and its training, as plain frozen dataclasses.

The defaults are the tutorial's: a 2-2-1 sigmoid network, MSE, per-sample SGD at learning rate 0.1
for 1000 epochs on the raw (shifted) features. Presets bring their own training defaults.
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_HIDDEN_LAYERS = 6
MAX_NEURONS = 16
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
REGULARIZATIONS = ("none", "l1", "l2")


@dataclass(frozen=True)
class NetworkSettings:
    """The architecture and how it starts: changing any of these means a new network."""

    hidden_layers: tuple[int, ...] = (2,)
    hidden_activation: str = "sigmoid"
    output_activation: str = "sigmoid"
    init: str = "normal"
    seed: int = 1


@dataclass(frozen=True)
class TrainingSettings:
    """How the network learns; changing these keeps the weights and starts a fresh optimizer."""

    loss: str = "mse"
    optimizer: str = "sgd"
    learning_rate: float = 0.1
    epochs: int = 1000
    batch_size: int = 1
    shuffle: bool = False
    regularization: str = "none"
    regularization_rate: float = 0.0

    @property
    def l1(self) -> float:
        return self.regularization_rate if self.regularization == "l1" else 0.0

    @property
    def l2(self) -> float:
        return self.regularization_rate if self.regularization == "l2" else 0.0


@dataclass(frozen=True)
class DataSettings:
    """How the table becomes training data."""

    standardize: bool = False
    test_fraction: float = 0.0
    split_seed: int = 0
    features: tuple[str, ...] = ()  # derived inputs by code, e.g. "x1^2" (nn_core.features)


@dataclass(frozen=True)
class Settings:
    """All of a user's choices at one moment."""

    network: NetworkSettings = NetworkSettings()
    training: TrainingSettings = TrainingSettings()
    data: DataSettings = DataSettings()


def settings_for_preset(task: str) -> Settings:
    """Sensible starting settings for a generated data set of the given problem type.

    Two hidden layers of tanh with Adam learn every preset within the default budget; the tutorial's
    per-sample SGD on raw inputs would be slow on hundreds of points.
    """
    output = OUTPUTS_FOR_TASK[task][0]
    loss = {"binary": "binary_cross_entropy", "multiclass": "cross_entropy", "regression": "mse"}[task]
    return Settings(
        network=NetworkSettings((8, 8), "tanh", output, "xavier", seed=1),
        training=TrainingSettings(loss, "adam", 0.03, 300, batch_size=10, shuffle=True),
        data=DataSettings(standardize=True, test_fraction=0.2, split_seed=0),
    )
