"""Completed training runs kept for comparison: their settings, loss curves and final figures.

Pure data and functions (no Streamlit): a run is recorded when training reaches its target epoch or
stops by diverging; a session keeps the last MAX_RUNS, each with a thinned loss history so memory
per session stays bounded.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from playground.charts import CONFIG, thin
from playground.model import ModelRun
from playground.settings import Settings

MAX_RUNS = 10
MAX_CURVE_POINTS = 500


@dataclass(frozen=True)
class RunRecord:
    """One finished run: a number, its settings, the (thinned) loss curves and the last figures."""

    number: int
    source: str
    settings: Settings
    epochs: int
    curve_epochs: np.ndarray
    train_curve: np.ndarray
    test_curve: np.ndarray
    final: dict[str, float | None]
    stopped_reason: str | None

    @property
    def label(self) -> str:
        return f"Run {self.number}"


def record_run(runs: list[RunRecord], model: ModelRun, source: str) -> list[RunRecord]:
    """``runs`` with the model's run appended, keeping only the newest MAX_RUNS."""
    history = model.history
    epochs, train = (np.array(part) for part in thin(history.train_loss, MAX_CURVE_POINTS))
    test = np.array(thin(history.test_loss, MAX_CURVE_POINTS)[1], dtype=float)
    number = runs[-1].number + 1 if runs else 1
    record = RunRecord(
        number,
        source,
        model.settings,
        history.epochs,
        epochs,
        train,
        test,
        _final_figures(model),
        history.stopped_reason,
    )
    return [*runs, record][-MAX_RUNS:]


def _final_figures(model: ModelRun) -> dict[str, float | None]:
    """The last value of each per-epoch figure, None where the run has none (no test rows, regression)."""
    history = model.history
    names = ("train_loss", "test_loss", "train_accuracy", "test_accuracy")
    return {name: getattr(history, name)[-1] if getattr(history, name) else None for name in names}


def _architecture(settings: Settings) -> str:
    hidden = "-".join(str(size) for size in settings.network.hidden_layers) or "none"
    return f"{hidden} {settings.network.hidden_activation}"


def runs_table(runs: list[RunRecord]) -> pd.DataFrame:
    """One row per run: what was set and how it ended, as text ("–" where a run has no such figure)."""
    rows = []
    for run in runs:
        training, data = run.settings.training, run.settings.data
        rows.append(
            {
                "Run": run.label,
                "Data": run.source,
                "Hidden layers": _architecture(run.settings),
                "Optimizer": training.optimizer,
                "Learning rate": f"{training.learning_rate:g}",
                "Batch": str(training.batch_size),
                "Regularisation": "none"
                if training.regularization == "none"
                else f"{training.regularization} {training.regularization_rate:g}",
                "Derived inputs": ", ".join(data.features) or "none",
                "Standardised": "yes" if data.standardize else "no",
                "Test rows": f"{data.test_fraction:.0%}",
                "Epochs": f"{run.epochs:,}",
                "Train loss": _figure(run.final["train_loss"], "{:.4f}"),
                "Test loss": _figure(run.final["test_loss"], "{:.4f}"),
                "Train accuracy": _figure(run.final["train_accuracy"], "{:.0%}"),
                "Test accuracy": _figure(run.final["test_accuracy"], "{:.0%}"),
                "Ended": run.stopped_reason or "finished",
            }
        )
    return pd.DataFrame(rows)


def runs_to_overlay(runs: list[RunRecord], chosen: list[str] | None, newest_seen: int) -> list[str]:
    """The runs to draw: the user's choice among the runs still kept (the newest three at first), plus
    every run finished since the list was last shown (numbers above ``newest_seen``)."""
    labels = [run.label for run in runs]
    kept = labels[-3:] if chosen is None else [label for label in chosen if label in labels]
    fresh = [run.label for run in runs if run.number > newest_seen and run.label not in kept]
    return kept + fresh


def _figure(value: float | None, pattern: str) -> str:
    return "–" if value is None else pattern.format(value)


def _curve_frame(run: RunRecord, which: str, losses: np.ndarray) -> pd.DataFrame:
    return pd.DataFrame(
        {"epoch": run.curve_epochs[: len(losses)], "loss": losses, "run": run.label, "set": which}
    )


def runs_chart(runs: list[RunRecord], log_scale: bool = False, height: int = 320) -> dict:
    """A Vega-Lite spec overlaying the chosen runs' loss curves: one colour per run, test dashed."""
    frames = []
    for run in runs:
        frames.append(_curve_frame(run, "train", run.train_curve))
        if len(run.test_curve):
            frames.append(_curve_frame(run, "test", run.test_curve))
    curves = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["epoch", "loss"])
    if log_scale:
        curves = curves[curves["loss"] > 0]
    return {
        "height": height,
        "width": "container",
        "config": CONFIG,
        "datasets": {"curves": curves},
        "data": {"name": "curves"},
        "mark": {"type": "line", "strokeWidth": 2.5},
        "encoding": {
            "x": {"field": "epoch", "type": "quantitative", "title": "Epoch"},
            "y": {
                "field": "loss",
                "type": "quantitative",
                "title": "Loss",
                "scale": {"type": "log"} if log_scale else {"zero": True},
            },
            "color": {"field": "run", "type": "nominal", "title": None},
            "strokeDash": {
                "field": "set",
                "type": "nominal",
                "title": None,
                "scale": {"domain": ["train", "test"], "range": [[1, 0], [6, 4]]},
            },
            "detail": {"field": "set"},
            "tooltip": [
                {"field": "run"},
                {"field": "set"},
                {"field": "epoch"},
                {"field": "loss", "format": ".5f"},
            ],
        },
    }
