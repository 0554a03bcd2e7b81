"""A model run: one network, its trainer and the prepared data it learns from.

This is the seam between the table and the engine. It turns validated arrays into what the network
needs (standardised inputs, one-hot targets, a train/test split) and answers questions in the data's
own units, so the views never touch the learning maths.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace

import numpy as np

from nn_core.datasets import Standardizer, one_hot, split_indices
from nn_core.features import Feature, input_names, parse_features, with_features
from nn_core.network import ForwardPass, Network
from nn_core.training import History, Trainer, TrainingConfig
from playground.settings import Settings, TrainingSettings
from playground.table import PreparedData


def network_key(data: PreparedData, settings: Settings) -> str:
    """What the network is: its inputs (columns and derived inputs, standardised or not), its outputs
    and its architecture and seed. When this changes, a new network is built from the seed."""
    shape = (
        data.feature_names,
        data.target_name,
        data.task,
        n_outputs_for(data),
        settings.network,
        settings.data.features,
        settings.data.standardize,
    )
    return hashlib.sha256(repr(shape).encode()).hexdigest()


def rows_key(data: PreparedData, settings: Settings) -> str:
    """What the network learns from: the rows, their labels and the train/test split. When only this
    changes (a row typed, a point added, another split), the same network goes on with the new rows."""
    digest = hashlib.sha256()
    for array in (data.X, data.y):
        digest.update(np.ascontiguousarray(array).tobytes())
    digest.update(repr((data.class_labels, data.row_labels)).encode())
    digest.update(repr((settings.data.test_fraction, settings.data.split_seed)).encode())
    return digest.hexdigest()


def n_outputs_for(data: PreparedData) -> int:
    """One output per class for multi-class (softmax), otherwise a single output."""
    return len(data.class_labels) if data.task == "multiclass" else 1


@dataclass
class ModelRun:
    """A network, its trainer and the data it was built for."""

    data: PreparedData
    settings: Settings
    network_key: str
    rows_key: str
    standardizer: Standardizer
    train_rows: np.ndarray
    test_rows: np.ndarray
    network: Network
    trainer: Trainer = field(init=False)

    @classmethod
    def build(cls, data: PreparedData, settings: Settings) -> ModelRun:
        """A fresh network from the settings' seed, ready to train on ``data``."""
        net = settings.network
        n_inputs = len(data.feature_names) + len(settings.data.features)
        sizes = [n_inputs, *net.hidden_layers, n_outputs_for(data)]
        network = Network(sizes, net.hidden_activation, net.output_activation, net.init, net.seed)
        return cls.with_network(data, settings, network, None)

    @classmethod
    def with_network(
        cls, data: PreparedData, settings: Settings, network: Network, standardizer: Standardizer | None
    ) -> ModelRun:
        """A run around a given network (e.g. a loaded one); the standardiser is fitted when not given."""
        split = settings.data
        train_rows, test_rows = split_indices(len(data.X), split.test_fraction, split.split_seed)
        features = parse_features(split.features, len(data.feature_names))
        if standardizer is None:
            X_train = with_features(data.X[train_rows], features)
            standardizer = (
                Standardizer.fit(X_train) if split.standardize else Standardizer.identity(X_train.shape[1])
            )
        keys = network_key(data, settings), rows_key(data, settings)
        run = cls(data, settings, *keys, standardizer, train_rows, test_rows, network)
        run.trainer = run._make_trainer(settings.training, History())
        return run

    @property
    def signature(self) -> str:
        """Both keys: the same network on the same rows."""
        return self.network_key + self.rows_key

    def fits(self, data: PreparedData, settings: Settings) -> bool:
        """True when this network is the one ``settings`` ask for on ``data``'s columns."""
        return self.network_key == network_key(data, settings)

    def moved_to(self, data: PreparedData, settings: Settings) -> ModelRun:
        """The same network, weights and history, learning from ``data``'s rows from now on (its
        standardiser kept, so the weights keep their meaning); a past divergence is forgotten."""
        run = ModelRun.with_network(data, settings, self.network, self.standardizer)
        run.trainer = run._make_trainer(settings.training, replace(self.history, stopped_reason=None))
        return run

    def change_training(self, training: TrainingSettings) -> None:
        """Go on from the current weights and loss history with new training settings.

        The optimizer starts fresh (a different optimizer has no moments to carry over) and a past
        divergence is forgotten, so a user can lower the learning rate and carry on.
        """
        self.trainer = self._make_trainer(training, replace(self.trainer.history, stopped_reason=None))

    def follow_training(self, training: TrainingSettings) -> None:
        """Train on with new training settings: a new learning rate or epoch budget applies at once
        (the optimizer's moments kept); anything else starts a fresh optimizer on the current weights."""
        current = self.settings.training
        if current == training:
            return
        if replace(current, learning_rate=training.learning_rate, epochs=training.epochs) != training:
            self.change_training(training)
        else:
            self.trainer.set_learning_rate(training.learning_rate)
            self.settings = replace(self.settings, training=training)

    def _make_trainer(self, training: TrainingSettings, history: History) -> Trainer:
        config = TrainingConfig(
            learning_rate=training.learning_rate,
            loss=training.loss,
            optimizer=training.optimizer,
            batch_size=min(training.batch_size, len(self.train_rows)),
            shuffle=training.shuffle,
            l1=training.l1,
            l2=training.l2,
            seed=self.settings.network.seed,
        )
        validation = None
        if len(self.test_rows):
            validation = (
                self.network_inputs(self.data.X[self.test_rows]),
                self.network_targets(self.test_rows),
            )
        X_train = self.network_inputs(self.data.X[self.train_rows])
        trainer = Trainer(self.network, X_train, self.network_targets(self.train_rows), config, validation)
        trainer.history = history
        self.settings = replace(self.settings, training=training)
        return trainer

    def network_targets(self, rows: np.ndarray) -> np.ndarray:
        """Targets of the given rows as the network sees them: one-hot columns for multi-class."""
        y = self.data.y[rows]
        if self.data.task == "multiclass":
            return one_hot(y, len(self.data.class_labels))
        return y

    @property
    def is_test(self) -> np.ndarray:
        """One flag per data row: True for a row held out to test on, False for a training row."""
        flags = np.zeros(len(self.data.X), dtype=bool)
        flags[self.test_rows] = True
        return flags

    @property
    def features(self) -> tuple[Feature, ...]:
        """The derived inputs the network reads after the table's columns."""
        return parse_features(self.settings.data.features, len(self.data.feature_names))

    @property
    def input_names(self) -> list[str]:
        """The network's inputs by name: the chosen columns, then the derived inputs."""
        return input_names(self.data.feature_names, self.features)

    def network_inputs(self, X_raw: np.ndarray) -> np.ndarray:
        """Raw rows in the table's units -> what the network is fed: with the derived inputs added,
        standardised when chosen."""
        return self.standardizer.transform(with_features(X_raw, self.features))

    def forward_raw(self, X_raw: np.ndarray) -> ForwardPass:
        """Every layer's values for raw input rows: (n_rows, n_columns)."""
        return self.network.forward(self.network_inputs(X_raw))

    def predict_raw(self, X_raw: np.ndarray) -> np.ndarray:
        """Network outputs for raw rows: (n_rows, n_outputs)."""
        return self.forward_raw(X_raw).output

    @property
    def history(self) -> History:
        return self.trainer.history

    @property
    def epoch(self) -> int:
        return self.trainer.epoch
