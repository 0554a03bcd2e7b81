"""Train / Pause / Step / Reset and live frames as plain state transitions (no Streamlit)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from playground import controller
from playground.controller import TrainingStatus
from playground.settings import NetworkSettings, Settings
from tests.conftest import tutorial_prepared_data as tutorial_data


def test_a_run_is_spread_over_frames_and_stops_at_the_target():
    data, settings, status = tutorial_data(), Settings(), TrainingStatus()
    model = controller.start(None, status, data, settings)
    assert status.running and status.target_epoch == 1000
    frames = 0
    while status.running:
        controller.advance(model, status, settings.training.epochs)
        frames += 1
    assert model.epoch == 1000
    assert frames >= controller.FRAMES_PER_RUN // 2


def test_train_again_continues_from_the_current_weights():
    data, settings, status = tutorial_data(), Settings(), TrainingStatus()
    model = controller.step(None, status, data, settings)
    again = controller.start(model, status, data, settings)
    assert again is model and status.target_epoch == 1 + 1000


def test_a_new_learning_rate_applies_without_a_new_optimizer():
    data, settings, status = tutorial_data(), Settings(), TrainingStatus()
    model = controller.start(None, status, data, settings)
    optimizer = model.trainer.optimizer
    faster = replace(settings, training=replace(settings.training, learning_rate=0.5))
    controller.sync(model, status, data, faster)
    assert model.trainer.optimizer is optimizer and optimizer.learning_rate == 0.5
    adam = replace(settings, training=replace(settings.training, optimizer="adam"))
    controller.sync(model, status, data, adam)
    assert model.trainer.optimizer is not optimizer and model.trainer.optimizer.name == "adam"


def test_a_network_changed_while_training_starts_anew_from_the_seed_and_carries_on():
    data, settings, status = tutorial_data(), Settings(), TrainingStatus()
    model = controller.start(None, status, data, settings)
    controller.advance(model, status, settings.training.epochs)
    assert model.epoch > 0
    wider = replace(settings, network=NetworkSettings(hidden_layers=(3,)))
    assert controller.is_stale(model, data, wider)
    rebuilt = controller.prepare(model, status, data, wider)
    assert rebuilt.network.layer_sizes == (2, 3, 1) and rebuilt.epoch == 0
    assert status.running and status.notice is None and status.target_epoch == settings.training.epochs
    np.testing.assert_array_equal(
        rebuilt.network.parameters, controller.fresh_model(data, wider).network.parameters
    )


def test_a_paused_trained_network_is_kept_when_the_architecture_changes():
    data, settings, status = tutorial_data(), Settings(), TrainingStatus()
    model = controller.step(None, status, data, settings)
    wider = replace(settings, network=NetworkSettings(hidden_layers=(3,)))
    assert controller.prepare(model, status, data, wider) is model
    assert controller.is_stale(model, data, wider) and not status.running


def test_invalid_data_pauses_and_keeps_the_model():
    data, settings, status = tutorial_data(), Settings(), TrainingStatus()
    model = controller.start(None, status, data, settings)
    assert controller.prepare(model, status, None, settings) is model
    assert not status.running and "fix the table" in status.notice


def test_an_untrained_stale_model_is_rebuilt_silently():
    data, settings, status = tutorial_data(), Settings(), TrainingStatus()
    model = controller.prepare(None, status, data, settings)
    wider = replace(settings, network=NetworkSettings(hidden_layers=(3,)))
    rebuilt = controller.prepare(model, status, data, wider)
    assert rebuilt is not model and rebuilt.network.layer_sizes == (2, 3, 1)
    rebuilt.trainer.run_epochs(1)
    assert controller.prepare(rebuilt, status, data, settings) is rebuilt


def test_reset_starts_again_from_the_seed():
    data, settings, status = tutorial_data(), Settings(), TrainingStatus()
    first = controller.reset(status, data, settings)
    first.trainer.run_epochs(5)
    second = controller.reset(status, data, settings)
    assert second.epoch == 0
    assert (second.network.parameters == controller.fresh_model(data, settings).network.parameters).all()


def test_a_model_stops_at_the_total_epoch_cap(monkeypatch):
    monkeypatch.setattr(controller, "MAX_TOTAL_EPOCHS", 30)
    data, settings, status = tutorial_data(), Settings(), TrainingStatus()
    model = controller.start(None, status, data, settings)
    assert status.target_epoch == 30
    while status.running:
        controller.advance(model, status, settings.training.epochs)
    assert model.epoch == 30
    controller.start(model, status, data, settings)
    assert not status.running and "press Reset" in status.notice
