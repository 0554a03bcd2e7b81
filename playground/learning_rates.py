"""The learning rate, side by side: one start trained at several rates, and one step on a slice of the loss.

Pure functions over a ``ModelRun`` (no Streamlit), so every number the view shows is tested directly.
``compare_learning_rates`` trains one fresh copy of the model's starting network per rate;
``loss_slice`` holds every parameter but one fixed and follows the loss along that one, with the
tangent and the full-batch gradient-descent step p − η·dL/dp at the current value.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from playground.backprop import is_tutorial_shape, parameter_names
from playground.charts import CONFIG, thin
from playground.colors import BLUE, CLASS_COLORS, ORANGE, TRAIN_LINE
from playground.model import ModelRun

# 100 as well: with a sigmoid output the tutorial's loss stays bounded, and only a rate that large gets stuck.
DEFAULT_RATES = (0.01, 0.1, 1.0, 10.0, 100.0)
RATE_CHOICES = (0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0, 30.0, 100.0)
MAX_RATES = 6  # chosen rates; the model's own is added to them
# Each rate trains its own copy in one click, which holds the server's thread, so the whole comparison is
# bounded before it starts. The tutorial's 1000 epochs are plenty to tell a crawl from an overshoot. Rows ×
# epochs bound the arithmetic and gradient steps the per-step overhead (20–50 µs a step for per-sample SGD):
# a 200-point data set trains its 300 epochs at four rates, and the worst cases (six layers of 16 on 4,000
# training rows, per sample or in batches of 10) take about 2.5 s for five rates on the 2-core CI class.
MAX_EPOCHS = 1000
MAX_ROW_EPOCHS = 200_000
MAX_STEPS = 50_000
CURVE_POINTS = 500  # points per loss curve sent to the browser

TUTORIAL_SLICE_PARAMETER = "w5"
# The slice reaches this far beyond the current value and the step on each side (more for a long step),
# and downhill on to where the valley rises again, looked for in doubling strides up to VALLEY_REACH.
SLICE_MARGIN = 2.0
FIRST_STRIDE = 0.25
VALLEY_REACH = 16.0
MAX_SLICE_POINTS = 201
MIN_SLICE_POINTS = 41
SLICE_ROW_EVALUATIONS = 200_000  # rows × points: one forward pass per point, on every rerun of the tab
# One step on one weight harms nothing, so the slice takes rates far beyond the sidebar's: where the slope
# is gentle, only a large one shows the step jumping past the bottom of the valley.
MAX_STEP_RATE = 1000.0
OVERSHOOT_RATES = (0.3, 1.0, 3.0, 10.0, 30.0, 100.0, 300.0, 1000.0)  # tried in turn for an example


@dataclass(frozen=True)
class RateCurve:
    """One learning rate's training loss per epoch, and why it stopped early (None: it did not)."""

    learning_rate: float
    train_loss: tuple[float, ...]
    stopped_reason: str | None

    @property
    def diverged(self) -> bool:
        return self.stopped_reason is not None


@dataclass(frozen=True)
class RateComparison:
    """Loss curves from one start, one per rate (smallest first); ``epochs`` each was given of ``asked``."""

    curves: tuple[RateCurve, ...]
    epochs: int
    asked_epochs: int
    own_rate: float


def rates_to_compare(chosen: Sequence[float], own_rate: float) -> tuple[float, ...]:
    """The chosen rates (at most MAX_RATES) and the model's own, each once, smallest first."""
    return tuple(sorted({*(float(rate) for rate in chosen[:MAX_RATES]), float(own_rate)}))


def comparison_epochs(n_rows: int, batch_size: int, n_rates: int, asked: int) -> int:
    """Epochs per rate: the model's own, within MAX_EPOCHS, and MAX_ROW_EPOCHS and MAX_STEPS over all rates
    (at least 1)."""
    steps_per_epoch = -(-n_rows // min(batch_size, n_rows))
    rows_affordable = MAX_ROW_EPOCHS // max(1, n_rows * n_rates)
    steps_affordable = MAX_STEPS // max(1, steps_per_epoch * n_rates)
    return max(1, min(asked, MAX_EPOCHS, rows_affordable, steps_affordable))


def compare_learning_rates(model: ModelRun, rates: Sequence[float] = DEFAULT_RATES) -> RateComparison:
    """Train a fresh copy of the model's starting network (its seed's) at each rate, all else as set."""
    rates = tuple(rates)
    training = model.settings.training
    epochs = comparison_epochs(len(model.train_rows), training.batch_size, len(rates), training.epochs)
    curves = []
    for rate in rates:
        settings = replace(model.settings, training=replace(training, learning_rate=rate))
        run = ModelRun.build(model.data, settings)
        run.trainer.run_epochs(epochs)
        curves.append(RateCurve(rate, tuple(run.history.train_loss), run.history.stopped_reason))
    return RateComparison(tuple(curves), epochs, training.epochs, training.learning_rate)


def rate_label(rate: float) -> str:
    """'η = 0.01'."""
    return f"η = {rate:g}"


def _curve_label(curve: RateCurve, own_rate: float) -> str:
    label = rate_label(curve.learning_rate)
    if curve.learning_rate == own_rate:
        label += " (yours)"
    if curve.diverged:
        label += f": diverged at epoch {len(curve.train_loss) + 1}"
    return label


def loss_text(loss: float) -> str:
    """Three significant digits, never in exponent form (a beginner reads 0.0000122, not 1.22e-05)."""
    return np.format_float_positional(loss, precision=3, unique=False, fractional=False, trim="-")


def comparison_sentence(comparison: RateComparison) -> str:
    """The final training loss of each rate in words, and how many epochs each trained."""
    ends = []
    for curve in comparison.curves:
        if curve.diverged:
            ends.append(f"{rate_label(curve.learning_rate)} diverged at epoch {len(curve.train_loss) + 1}")
        else:
            ends.append(f"{rate_label(curve.learning_rate)} → {loss_text(curve.train_loss[-1])}")
    epochs = f"{comparison.epochs:,} epochs"
    if comparison.epochs < comparison.asked_epochs:
        epochs += f" (of your {comparison.asked_epochs:,}: the comparison is kept quick)"
    return f"Training loss after {epochs}: {'; '.join(ends)}."


def curves_chart(comparison: RateComparison, log_scale: bool = True, height: int = 300) -> dict:
    """A Vega-Lite spec overlaying each rate's loss curve, one colour per rate; a diverged one ends in ✕."""
    frames, ends = [], []
    for curve in comparison.curves:
        label = _curve_label(curve, comparison.own_rate)
        epochs, losses = thin(curve.train_loss, CURVE_POINTS)
        frames.append(pd.DataFrame({"epoch": epochs, "loss": losses, "rate": label}))
        if curve.diverged and curve.train_loss:
            ends.append({"epoch": len(curve.train_loss), "loss": curve.train_loss[-1], "rate": label})
    curves = pd.concat(frames, ignore_index=True)
    if log_scale:
        curves = curves[curves["loss"] > 0]
    ends = [end for end in ends if end["loss"] > 0 or not log_scale]
    labels = [_curve_label(curve, comparison.own_rate) for curve in comparison.curves]
    color = {
        "field": "rate",
        "type": "nominal",
        "title": None,
        "scale": {"domain": labels, "range": list(_rate_colors(len(labels)))},
        "legend": {"orient": "top", "columns": 3, "labelLimit": 400},
    }
    x = {"field": "epoch", "type": "quantitative", "title": "Epoch"}
    y = {
        "field": "loss",
        "type": "quantitative",
        "title": "Training loss",
        "scale": {"type": "log"} if log_scale else {"zero": True},
    }
    return {
        "height": height,
        "width": "container",
        "config": CONFIG,
        "datasets": {"curves": curves, "ends": pd.DataFrame(ends, columns=["epoch", "loss", "rate"])},
        "layer": [
            {
                "data": {"name": "curves"},
                "mark": {"type": "line", "strokeWidth": 2.5},
                "encoding": {
                    "x": x,
                    "y": y,
                    "color": color,
                    "tooltip": [{"field": "rate"}, {"field": "epoch"}, {"field": "loss", "format": ".5g"}],
                },
            },
            {
                "data": {"name": "ends"},
                "mark": {"type": "point", "shape": "cross", "size": 220, "filled": True, "angle": 45},
                "encoding": {"x": x, "y": y, "color": {**color, "legend": None}},
            },
        ],
    }


def _rate_colors(count: int) -> tuple[str, ...]:
    """Blue, green, cyan, orange, red, …: the playground's colours, small rates cool and large ones warm."""
    order = (1, 2, 7, 0, 3, 4, 5, 6, 8, 9)
    return tuple(CLASS_COLORS[index] for index in order[:count])


@dataclass(frozen=True)
class LossSlice:
    """The training loss along one parameter, all others fixed, and one gradient-descent step on it.

    ``values``/``losses``: (n_points,) the slice; ``slope`` is dL/dp at ``current``; the step moves p to
    ``stepped`` = current − learning_rate·slope, where the loss is ``loss_after`` and the slope
    ``slope_after``.
    """

    parameter: str
    values: np.ndarray
    losses: np.ndarray
    current: float
    loss_now: float
    slope: float
    learning_rate: float
    stepped: float
    loss_after: float
    slope_after: float

    @property
    def crosses_minimum(self) -> bool:
        """The slope changed sign on the way: the step went past the bottom of the valley it headed into."""
        return self.slope * self.slope_after < 0

    @property
    def overshoots(self) -> bool:
        return overshoots(self.loss_now, self.loss_after, self.slope, self.slope_after)

    def tangent(self, values: np.ndarray) -> np.ndarray:
        """The tangent line at the current value: L(p) + dL/dp·(v − p)."""
        return self.loss_now + self.slope * (np.asarray(values, dtype=float) - self.current)


def overshoots(loss_now: float, loss_after: float, slope: float, slope_after: float) -> bool:
    """A step overshoots when it lands higher, or past the bottom of the valley (the slope's sign flips)."""
    return loss_after > loss_now or slope * slope_after < 0


def overshooting_rate(model: ModelRun, parameter: str) -> float | None:
    """The smallest of OVERSHOOT_RATES at which one step on ``parameter`` overshoots, or None; two loss and
    gradient evaluations per rate, on a copy of the network."""
    network = model.network.copy()
    index = parameter_names(network.layer_sizes).index(parameter)
    X, y = training_rows(model)
    loss = model.settings.training.loss
    current = float(network.parameters[index])
    loss_now, slope = network.loss(X, y, loss), float(network.gradient_vector(X, y, loss)[index])
    with np.errstate(all="ignore"):
        for rate in OVERSHOOT_RATES:
            network.parameters[index] = current - rate * slope
            loss_after = network.loss(X, y, loss)
            slope_after = float(network.gradient_vector(X, y, loss)[index])
            if overshoots(loss_now, loss_after, slope, slope_after):
                return rate
    return None


def default_parameter(layer_sizes: Sequence[int]) -> str:
    """w5 for the tutorial's 2-2-1 network; otherwise, likewise, the first weight into the output layer."""
    names = parameter_names(layer_sizes)
    if is_tutorial_shape(layer_sizes):
        return TUTORIAL_SLICE_PARAMETER
    last_block = (layer_sizes[-2] + 1) * layer_sizes[-1]
    return names[len(names) - last_block]


def training_rows(model: ModelRun) -> tuple[np.ndarray, np.ndarray]:
    """(X, y) of the training rows as the network sees them: standardised inputs, one-hot classes."""
    return model.network_inputs(model.data.X[model.train_rows]), model.network_targets(model.train_rows)


def slice_points(n_rows: int) -> int:
    """Points along the slice: as many as SLICE_ROW_EVALUATIONS allows, within the bounds."""
    return int(np.clip(SLICE_ROW_EVALUATIONS // max(1, n_rows), MIN_SLICE_POINTS, MAX_SLICE_POINTS))


def loss_slice(model: ModelRun, parameter: str, learning_rate: float) -> LossSlice:
    """The training loss along ``parameter`` (a name from ``parameter_names``) around its current value,
    and the full-batch step at ``learning_rate``; works on a copy, so the model's network is untouched.

    The loss is the data loss of the training settings' loss function (no L1/L2 term).
    """
    network = model.network.copy()
    index = parameter_names(network.layer_sizes).index(parameter)
    X, y = training_rows(model)
    loss = model.settings.training.loss

    def loss_at(value: float) -> float:
        network.parameters[index] = value
        return network.loss(X, y, loss)

    def slope_at(value: float) -> float:
        network.parameters[index] = value
        return float(network.gradient_vector(X, y, loss)[index])

    current = float(model.network.parameters[index])
    with np.errstate(all="ignore"):
        loss_now, slope = loss_at(current), slope_at(current)
        stepped = current - learning_rate * slope
        loss_after, slope_after = loss_at(stepped), slope_at(stepped)
        ends = [current, stepped, _valley_far_side(loss_at, current, -np.sign(slope))]
        margin = max(SLICE_MARGIN, 0.25 * abs(stepped - current))
        grid = np.linspace(min(ends) - margin, max(ends) + margin, slice_points(len(X)))
        values = np.union1d(grid, [current, stepped])
        losses = np.array([loss_at(value) for value in values])
    finite = np.isfinite(losses)
    values, losses = values[finite], losses[finite]
    return LossSlice(
        parameter,
        values,
        losses,
        current,
        loss_now,
        slope,
        float(learning_rate),
        stepped,
        loss_after,
        slope_after,
    )


def _valley_far_side(loss_at: Callable[[float], float], start: float, direction: float) -> float:
    """Going from ``start`` in ``direction`` (downhill) in doubling strides, the first value where the loss
    rises again (past the valley's floor), or ``start`` itself when there is no direction to go."""
    if direction == 0:
        return start
    previous, stride = loss_at(start), FIRST_STRIDE
    while stride < VALLEY_REACH:
        value = start + direction * stride
        loss = loss_at(value)
        if not loss < previous:
            return value
        previous, stride = loss, 2 * stride
    return start + direction * VALLEY_REACH


def _distinct(a: float, b: float) -> tuple[str, str]:
    """Two numbers with the fewest decimals (2 to 8) that tell them apart: ('0.905', '0.894')."""
    for digits in range(2, 9):
        if round(a, digits) != round(b, digits):
            break
    return f"{a:.{digits}f}".replace("-", "−"), f"{b:.{digits}f}".replace("-", "−")


def slice_sentence(cut: LossSlice) -> str:
    """What the step does, in numbers: where it moves the parameter, where the loss goes, and the verdict."""
    eta = rate_label(cut.learning_rate)
    if cut.slope == 0:
        return f"The slope of the loss along {cut.parameter} is 0 here: at {eta} the step does not move it."
    before, after = _distinct(cut.current, cut.stepped)
    loss_before, loss_after = _distinct(cut.loss_now, cut.loss_after)
    direction = "up" if cut.loss_after > cut.loss_now else "down"
    moves = (
        f"At {eta} the step moves {cut.parameter} from {before} to {after} "
        f"and the loss goes from {loss_before} {direction} to {loss_after}"
    )
    if cut.loss_after > cut.loss_now:
        return f"{moves}: it overshoots — the step jumps past the bottom of the valley and lands higher."
    if cut.crosses_minimum:
        return f"{moves}, but it overshoots: it jumps past the bottom of the valley to the far side."
    return f"{moves}: a step downhill that stops short of the bottom of the valley."


def slice_key(cut: LossSlice) -> str:
    """What the slice chart's lines are, with the slope's value."""
    p, slope = cut.parameter, f"{cut.slope:.4g}".replace("-", "−")
    tangent = f"Dashed: its tangent, slope dL/d{p} = {slope}."
    return f"Black: the loss as {p} alone changes. {tangent} Orange: the step."


def slice_chart(cut: LossSlice, height: int = 300) -> dict:
    """A Vega-Lite spec of the loss along one parameter, its tangent now, and the step to the new value."""
    low, high = float(cut.losses.min()), float(cut.losses.max())
    pad = 0.08 * (high - low) or 0.05 * abs(high) or 0.1
    edges = np.array([cut.values[0], cut.values[-1]])
    points = pd.DataFrame(
        {
            "value": [cut.current, cut.stepped],
            "loss": [cut.loss_now, cut.loss_after],
            "what": ["now", "after the step"],
        }
    )
    x = {"field": "value", "type": "quantitative", "title": cut.parameter, "scale": {"nice": False}}
    y = {
        "field": "loss",
        "type": "quantitative",
        "title": "Training loss",
        "scale": {"domain": [low - pad, high + pad], "nice": False},
    }
    colors = {"now": TRAIN_LINE, "after the step": ORANGE}
    color = {
        "field": "what",
        "type": "nominal",
        "legend": None,
        "scale": {"domain": list(colors), "range": list(colors.values())},
    }
    return {
        "height": height,
        "width": "container",
        "config": CONFIG,
        "datasets": {
            "slice": pd.DataFrame({"value": cut.values, "loss": cut.losses}),
            "tangent": pd.DataFrame({"value": edges, "loss": cut.tangent(edges)}),
            "points": points,
        },
        "layer": [
            {
                "data": {"name": "slice"},
                "mark": {"type": "line", "strokeWidth": 3, "color": TRAIN_LINE},
                "encoding": {"x": x, "y": y},
            },
            {
                "data": {"name": "tangent"},
                "mark": {"type": "line", "strokeWidth": 2, "strokeDash": [6, 4], "color": BLUE, "clip": True},
                "encoding": {"x": x, "y": y},
            },
            {
                "data": {"name": "points"},
                "mark": {"type": "line", "strokeWidth": 2.5, "color": ORANGE, "clip": True},
                "encoding": {"x": x, "y": y},
            },
            {
                "data": {"name": "points"},
                "mark": {"type": "point", "filled": True, "size": 160},
                "encoding": {
                    "x": x,
                    "y": y,
                    "color": color,
                    "tooltip": [
                        {"field": "what"},
                        {"field": "value", "format": ".4g"},
                        {"field": "loss", "format": ".4g"},
                    ],
                },
            },
            *(
                _point_label(what, x, y, color, toward_left=(what == "now") == (cut.stepped > cut.current))
                for what in colors
            ),
        ],
    }


def _point_label(what: str, x: dict, y: dict, color: dict, toward_left: bool) -> dict:
    """A text layer naming one point, set beside it on the side away from the other point."""
    return {
        "data": {"name": "points"},
        "transform": [{"filter": {"field": "what", "equal": what}}],
        "mark": {
            "type": "text",
            "fontSize": 15,
            "fontWeight": "bold",
            "dy": -14,
            "align": "right" if toward_left else "left",
            "dx": -8 if toward_left else 8,
        },
        "encoding": {"x": x, "y": y, "color": color, "text": {"field": "what"}},
    }
