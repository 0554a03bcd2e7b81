"""The one live-run loop as plain state transitions (no Streamlit): Train, Pause, Step, Reset, frames,
the cheap run finished in one message, and the notices derived from the model and the run."""

from __future__ import annotations

import numpy as np
import pytest

from playground import live_run
from playground.fair_share import FRAMES_PER_TICK, pace_for
from playground.live_run import FULL_MESSAGE, HELD_MESSAGE, LiveRun
from playground.model import ModelRun
from playground.network_picture import frame_maker
from playground.settings import Settings, TrainingSettings
from tests.conftest import tutorial_prepared_data

ALONE = pace_for(1)


def tutorial_model(**training: object) -> ModelRun:
    return ModelRun.build(tutorial_prepared_data(), Settings(training=TrainingSettings(**training)))


def make_frame(model: ModelRun, running: bool) -> dict:
    return frame_maker({})(model, running)


def test_a_run_is_spread_over_frames_stops_at_its_target_and_is_recorded():
    model, run = tutorial_model(), LiveRun()
    run.start(model, "the tutorial")
    assert run.running and run.target_epoch == 1000
    frames = 0
    while run.running:
        run.advance(model, ALONE.slice_seconds, ALONE.frames_per_run)
        frames += 1
    assert model.epoch == 1000 and frames >= ALONE.frames_per_run // 2
    (record,) = run.records
    assert record.epochs == 1000 and record.source == "the tutorial"


def test_train_again_goes_on_from_the_current_weights():
    model, run = tutorial_model(), LiveRun()
    run.step(model)
    weights = model.network.parameters.copy()
    run.start(model)
    assert run.target_epoch == 1 + 1000 and model.epoch == 1
    np.testing.assert_array_equal(model.network.parameters, weights)


def test_pause_stops_and_a_paused_run_is_not_recorded():
    model, run = tutorial_model(epochs=100_000), LiveRun()
    run.start(model)
    run.advance(model, ALONE.slice_seconds, ALONE.frames_per_run)
    run.pause()
    assert not run.running and not run.records
    assert run.advance(model, ALONE.slice_seconds, ALONE.frames_per_run) == 0


def test_a_held_run_goes_on_once_released_and_says_why_it_waits_meanwhile():
    model, run = tutorial_model(epochs=100_000), LiveRun()
    run.start(model)
    run.hold()
    assert not run.running and run.notice(model, table_usable=False) == HELD_MESSAGE
    run.release()
    assert run.running and run.notice(model, table_usable=True) is None


def test_a_paused_run_is_not_resumed_by_a_fixed_table():
    run = LiveRun()
    run.hold()  # not running: nothing to hold
    run.release()
    assert not run.running and not run.held


def test_a_new_network_under_a_running_run_starts_over_and_an_idle_one_waits():
    model, run = tutorial_model(), LiveRun()
    run.start(model)
    run.advance(model, ALONE.slice_seconds, ALONE.frames_per_run)
    fresh = tutorial_model()
    run.restart(fresh)
    assert run.running and run.target_epoch == 1000
    run.pause()
    run.restart(fresh)
    assert not run.running and run.target_epoch == 0


def test_a_divergence_ends_the_run_is_recorded_and_is_the_notice():
    import pandas as pd

    from playground.settings import NetworkSettings
    from playground.table import check_table

    table = pd.DataFrame(
        {"x": [str(x) for x in range(10)], "y": [str(100 * x) for x in range(10)]}, dtype=object
    )
    data = check_table(table, ["x"], "y", "regression").data
    network = NetworkSettings(output_activation="linear")
    model = ModelRun.build(data, Settings(network=network, training=TrainingSettings(learning_rate=10.0)))
    run = LiveRun()
    run.start(model)
    while run.running:
        run.advance(model, ALONE.slice_seconds, ALONE.frames_per_run)
    assert model.trainer.stopped and model.epoch < 1000
    assert np.isfinite(model.network.parameters).all()
    assert "diverged at epoch" in run.notice(model, table_usable=True)
    assert run.records[-1].stopped_reason == model.history.stopped_reason
    run.start(model)  # Train again forgets the divergence (a lower learning rate may carry on)
    assert model.history.stopped_reason is None and run.running


def test_the_notice_follows_the_models_own_stop_reason():
    model, run = tutorial_model(), LiveRun()
    assert run.notice(model, table_usable=True) is None
    model.trainer.history.stopped_reason = "diverged at epoch 7: loss became inf; try a smaller learning rate"
    assert run.notice(model, table_usable=True) == model.history.stopped_reason
    model.trainer.history.stopped_reason = None
    assert run.notice(model, table_usable=True) is None


def test_a_model_stops_at_the_total_epoch_cap(monkeypatch):
    monkeypatch.setattr(live_run, "MAX_TOTAL_EPOCHS", 30)
    model, run = tutorial_model(), LiveRun()
    run.start(model)
    assert run.target_epoch == 30
    while run.running:
        run.advance(model, ALONE.slice_seconds, ALONE.frames_per_run)
    assert model.epoch == 30
    run.start(model)
    assert not run.running
    monkeypatch.setattr(live_run, "FULL_MESSAGE", FULL_MESSAGE)
    assert "press Reset" in run.notice(model, table_usable=True)


def test_a_message_carries_a_ticks_frames_each_further_on():
    model, run = tutorial_model(epochs=100_000), LiveRun()
    run.start(model)
    message = run.message(model, ALONE, make_frame)
    epochs = [frame["epoch"] for frame in message.frames]
    assert len(epochs) == FRAMES_PER_TICK and epochs == sorted(set(epochs)) and epochs[0] > 0
    assert [dict(frame["figures"])["Epoch"] for frame in message.frames] == [f"{e:,}" for e in epochs]


def test_a_cheap_run_is_finished_in_one_message_frame_by_frame():
    model, run = tutorial_model(), LiveRun()
    run.start(model)
    message = run.message(model, ALONE, make_frame, finish_if_cheap=True)
    epochs = [frame["epoch"] for frame in message.frames]
    assert epochs[-1] == 1000 and len(epochs) > FRAMES_PER_TICK and epochs == sorted(set(epochs))
    assert [frame["running"] for frame in message.frames] == [True] * (len(epochs) - 1) + [False]
    assert not run.running and len(run.records) == 1


def test_a_run_that_is_not_cheap_is_not_finished_in_one_message():
    model, run = tutorial_model(epochs=100_000), LiveRun()
    run.start(model)
    message = run.message(model, ALONE, make_frame, finish_if_cheap=True)
    assert len(message.frames) == FRAMES_PER_TICK and run.running


def test_not_running_a_message_is_the_model_as_it_is():
    model, run = tutorial_model(), LiveRun()
    message = run.message(model, ALONE, make_frame)
    assert [frame["epoch"] for frame in message.frames] == [0] and message.frames[0]["running"] is False


@pytest.mark.parametrize("frames_per_run", [100, 8])
def test_a_run_spread_over_more_frames_trains_fewer_epochs_a_frame(frames_per_run):
    model, run = tutorial_model(), LiveRun(frames_per_run=frames_per_run, keeps_runs=False)
    run.start(model)
    run.advance(model, 1.0, frames_per_run)
    assert model.epoch == -(-1000 // frames_per_run)
    while run.running:
        run.advance(model, 1.0, frames_per_run)
    assert model.epoch == 1000 and not run.records
