"""The tour's last step, features or hidden layers: three small networks trained on the Circle data set.

With only x1 and x2 and no hidden layer the network can draw one straight line, which cannot cut a disc
out of a ring. Given x1² and x2² as well, the same network's straight line in the space of its four
inputs is a circle in the plane of x1 and x2. A hidden layer learns such a bend itself.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import NamedTuple

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from playground.charts import FONT_SIZE
from playground.colors import BLUE, NEUTRAL, ORANGE
from playground.model import ModelRun
from playground.plane import axis_range
from playground.presets import PresetSource, table_from_dataset
from playground.settings import settings_for_preset
from playground.table import PreparedData, check_table, default_target, input_choices

CIRCLE = PresetSource("Circle", 200, 0.1, 0)
SQUARES = ("x1^2", "x2^2")
GRID = 60


class LessonNetwork(NamedTuple):
    """One of the three networks: its hidden layers and its derived inputs."""

    title: str
    hidden_layers: tuple[int, ...]
    features: tuple[str, ...]


LESSON = (
    LessonNetwork("No hidden layer", (), ()),
    LessonNetwork("No hidden layer, + x1², x2²", (), SQUARES),
    LessonNetwork("A hidden layer of 4", (4,), ()),
)


@dataclass(frozen=True)
class LessonResult:
    """A trained network's answer over the plane: P(label = 1) on a GRID × GRID grid, and its accuracy."""

    title: str
    test_accuracy: float
    xs: np.ndarray
    ys: np.ndarray
    surface: np.ndarray


def circle_data() -> PreparedData:
    """The Circle preset as the table gives it."""
    table = table_from_dataset(CIRCLE.dataset())
    target = default_target(table)
    return check_table(table, input_choices(table, target), target).data


def train_lesson(data: PreparedData) -> tuple[LessonResult, ...]:
    """Each network of LESSON trained with the preset's own settings (about a tenth of a second each)."""
    return tuple(_trained(data, network) for network in LESSON)


def _trained(data: PreparedData, network: LessonNetwork) -> LessonResult:
    base = settings_for_preset(data.task)
    settings = replace(
        base,
        network=replace(base.network, hidden_layers=network.hidden_layers),
        data=replace(base.data, features=network.features),
    )
    model = ModelRun.build(data, settings)
    model.trainer.run_epochs(settings.training.epochs)
    xs, ys = (np.linspace(*axis_range(data.X[:, axis]), GRID) for axis in (0, 1))
    grid = np.column_stack([np.tile(xs, GRID), np.repeat(ys, GRID)])
    surface = model.predict_raw(grid)[:, 0].reshape(GRID, GRID)
    accuracy = model.history.test_accuracy[-1]
    return LessonResult(network.title, accuracy, xs, ys, surface)


def lesson_figure(data: PreparedData, results: tuple[LessonResult, ...], height: int = 360) -> go.Figure:
    """The three answers side by side (orange: label 0, blue: label 1), each with the rows drawn on it."""
    titles = [f"{result.title}<br>{result.test_accuracy:.0%} of test rows right" for result in results]
    figure = make_subplots(rows=1, cols=len(results), subplot_titles=titles, horizontal_spacing=0.04)
    colors = [ORANGE if label == 0 else BLUE for label in data.y]
    for column, result in enumerate(results, start=1):
        surface = go.Heatmap(
            x=result.xs,
            y=result.ys,
            z=result.surface,
            zmin=0,
            zmax=1,
            showscale=False,
            colorscale=[[0, ORANGE], [0.5, NEUTRAL], [1, BLUE]],
            opacity=0.55,
            hoverinfo="skip",
        )
        marker = {"size": 6, "color": colors, "line": {"width": 1, "color": "white"}}
        rows = go.Scatter(x=data.X[:, 0], y=data.X[:, 1], mode="markers", hoverinfo="skip", marker=marker)
        figure.add_trace(surface, row=1, col=column)
        figure.add_trace(rows, row=1, col=column)
        figure.update_yaxes(
            scaleanchor=f"x{column if column > 1 else ''}", constrain="domain", row=1, col=column
        )
    figure.update_xaxes(constrain="domain")
    figure.update_layout(
        template="none",
        height=height,
        showlegend=False,
        font={"size": FONT_SIZE},
        margin={"l": 30, "r": 10, "t": 70, "b": 30},
    )
    figure.update_annotations(font={"size": FONT_SIZE})
    return figure
