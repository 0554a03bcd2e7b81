"""Finished runs kept for comparison: capped, thinned, tabulated and overlaid."""

from __future__ import annotations

import numpy as np

from playground.model import ModelRun
from playground.runs import MAX_CURVE_POINTS, MAX_RUNS, record_run, runs_chart, runs_table, runs_to_overlay
from playground.settings import Settings
from tests.conftest import tutorial_prepared_data


def trained_model(epochs: int) -> ModelRun:
    model = ModelRun.build(tutorial_prepared_data(), Settings())
    model.trainer.run_epochs(epochs)
    return model


def test_runs_are_numbered_and_capped():
    model = trained_model(3)
    runs = []
    for _ in range(MAX_RUNS + 2):
        runs = record_run(runs, model, "Tutorial")
    assert len(runs) == MAX_RUNS
    assert [run.number for run in runs] == list(range(3, MAX_RUNS + 3))


def test_a_run_keeps_a_thinned_curve_and_its_final_figures():
    model = trained_model(1200)
    (run,) = record_run([], model, "Tutorial")
    assert run.epochs == 1200 and len(run.train_curve) <= MAX_CURVE_POINTS
    assert run.curve_epochs[-1] == 1200 and run.train_curve[-1] == model.history.train_loss[-1]
    assert run.final["train_accuracy"] == 1.0 and run.final["test_loss"] is None
    table = runs_table([run])
    assert table.loc[0, "Run"] == "Run 1" and table.loc[0, "Hidden layers"] == "2 sigmoid"
    assert table.loc[0, "Ended"] == "finished"


def test_overlay_chart_has_one_line_per_run_and_set():
    runs = record_run(record_run([], trained_model(5), "a"), trained_model(8), "b")
    curves = runs_chart(runs)["datasets"]["curves"]
    assert set(curves["run"]) == {"Run 1", "Run 2"}
    assert len(curves) == 5 + 8
    assert (runs_chart(runs, log_scale=True)["datasets"]["curves"]["loss"] > 0).all()
    assert np.isfinite(curves["loss"]).all()


def test_the_overlay_takes_in_every_new_run_and_keeps_the_users_choice():
    model = trained_model(2)
    runs = record_run([], model, "a")
    assert runs_to_overlay(runs, None, 0) == ["Run 1"]
    runs = record_run(runs, model, "a")
    assert runs_to_overlay(runs, ["Run 1"], 1) == ["Run 1", "Run 2"]
    assert runs_to_overlay(runs, [], 2) == []  # the user took every run off the chart


def test_after_more_runs_than_are_kept_the_overlay_still_shows_the_new_ones():
    model = trained_model(2)
    runs, shown, newest = [], None, 0
    for _ in range(MAX_RUNS + 3):
        runs = record_run(runs, model, "a")
        shown, newest = runs_to_overlay(runs, shown, newest), runs[-1].number
    assert shown == [run.label for run in runs[-MAX_RUNS:]][-MAX_RUNS:]
    assert f"Run {MAX_RUNS + 3}" in shown


def test_the_table_says_how_inputs_were_prepared_and_dashes_missing_figures():
    from playground.settings import DataSettings

    settings = Settings(data=DataSettings(standardize=True, test_fraction=0.25))
    model = ModelRun.build(tutorial_prepared_data(), settings)
    model.trainer.run_epochs(2)
    row = runs_table(record_run([], model, "Tutorial")).iloc[0]
    assert row["Standardised"] == "yes" and row["Test rows"] == "25%"
    no_test = runs_table(record_run([], trained_model(2), "Tutorial")).iloc[0]
    assert no_test["Test loss"] == "–" and no_test["Test accuracy"] == "–"
    assert "None" not in " ".join(no_test.astype(str))
