"""The guided tour's steps and every number they show, computed by the engine. No Streamlit here.

The tour walks a workshop through the tutorial in six steps: one neuron, the 2-2-1 network, the loss,
one SGD step, full training and, beyond the tutorial, features or hidden layers. Each function below
takes plain numbers (or a ``Network``) and returns what its step displays, so the tutorial's reference
numbers are tested without a page.
The 2-2-1 network's parameters get the tutorial's names: h1 = σ(w1·x1 + w2·x2 + b1),
h2 = σ(w3·x1 + w4·x2 + b2), o1 = σ(w5·h1 + w6·h2 + b3).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import NamedTuple

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from nn_core.activations import get_activation
from nn_core.datasets import tutorial_people
from nn_core.losses import get_loss
from nn_core.network import Network
from playground.backprop import TUTORIAL_ORDER, parameter_names
from playground.charts import FONT_SIZE
from playground.model import ModelRun
from playground.presets import table_from_dataset
from playground.settings import NetworkSettings, Settings
from playground.table import check_table

TUTORIAL_SIZES = (2, 2, 1)
LEARNING_RATE = 0.1
TRAINING_EPOCHS = 1000
TRAINING_SEED = 1
REPORT_EVERY = 100
# Two people the network never saw: weight − 135 lb, height − 66 in.
EMILY = (-7.0, -3.0)
FRANK = (20.0, 2.0)
SHIFT = (135.0, 66.0)  # the tutorial subtracts these so the sigmoids work near 0, not on their flat ends
RAW_NAMES = ("Weight (lb)", "Height (in)")


@dataclass(frozen=True)
class TourStep:
    """One page of the tour: ``id`` for links, ``title`` for the heading, ``explanation`` for learners."""

    id: str
    title: str
    explanation: str


STEPS: tuple[TourStep, ...] = (
    TourStep(
        "neuron",
        "One neuron",
        "A neuron takes some numbers in, multiplies each by a weight, adds them up together with a "
        "bias, and squashes the total into the range 0 to 1 with the sigmoid curve. Big positive totals "
        "come out close to 1, big negative totals close to 0, and a total of 0 gives exactly one half. "
        "Move the sliders and watch the point slide along the curve.",
    ),
    TourStep(
        "network",
        "A 2-2-1 network",
        "A network is neurons wired together. Here two inputs feed two hidden neurons, h1 and h2, and "
        "their outputs feed one output neuron, o1. Every neuron does the same small job as before. To "
        "keep the arithmetic easy to follow, every neuron gets the same two weights and bias. The "
        "tutorial's 0 and 1 make each neuron pass on a squashed copy of its second input, so x1 changes "
        "nothing; give x1 a weight and it does.",
    ),
    TourStep(
        "loss",
        "The loss",
        "To learn, the network needs a single number that says how wrong it is: the loss. For each "
        "person we take the gap between the right answer (1 for female, 0 for male) and the network's "
        "guess, square it so that misses in either direction count, and then average over everyone. "
        "A perfect network scores 0; guessing 0 for everybody scores 0.5.",
    ),
    TourStep(
        "sgd",
        "One SGD step",
        "Training nudges every weight and bias a little in the direction that lowers the loss. The "
        "chain rule tells us, for each one, how much the loss changes when it moves: that is its partial "
        "derivative. Stochastic gradient descent looks at one person at a time and subtracts the "
        "learning rate times the derivative from each parameter; the loss on that person usually goes "
        "down a little. Four such steps, one per person, make one epoch: one pass over all the data.",
    ),
    TourStep(
        "training",
        "Full training",
        "Repeat that for 1000 epochs and the network learns: train it, watch the loss fall, then ask "
        "about Emily and Frank, whom it has never seen. The inputs are shifted (weight − 135 lb, "
        "height − 66 in) to keep the sums near 0, where the sigmoid is steep; tick raw to watch "
        "training stall on its flat ends.",
    ),
    TourStep(
        "features",
        "Features or hidden layers?",
        "A network with no hidden layer adds up its weighted inputs, so the place where its answer flips "
        "from one class to the other, w1·x1 + w2·x2 + b = 0, is a straight line: it cannot cut the disc "
        "out of the ring (left). Give the same network x1² and x2² as two more inputs and that rule, "
        "w1·x1 + w2·x2 + w3·x1² + w4·x2² + b = 0, draws a circle in the plane of x1 and x2 (middle): we "
        "did the bending for it. A hidden layer learns its own bends from the data (right), which is why "
        "networks have them: the right features are rarely known in advance. Try it in the Playground "
        "with workshop mode off: Derived inputs, in the sidebar.",
    ),
)


def step_index(step_id: str | None) -> int:
    """Position of the step called ``step_id`` in STEPS; an unknown id or None gives the first step."""
    ids = [step.id for step in STEPS]
    return ids.index(step_id) if step_id in ids else 0


# ----------------------------------------------------------------------------- 1. one neuron


def neuron_output(w: Sequence[float], b: float, x: Sequence[float]) -> tuple[float, float]:
    """(z, y) of one sigmoid neuron: z = w1·x1 + w2·x2 + b and y = σ(z). w and x: two numbers each."""
    neuron = Network([2, 1], seed=0)
    neuron.weights[0] = np.asarray(w, dtype=float).reshape(2, 1)
    neuron.biases[0] = [b]
    forward = neuron.forward(np.asarray(x, dtype=float).reshape(1, 2))
    return float(forward.pre_activations[0][0, 0]), float(forward.output[0, 0])


def written_sum(weights: Sequence[float], inputs: Sequence[float], bias: float) -> str:
    """'w1·x1 + w2·x2 + b' with the numbers filled in: '0·2 − 1.5·(−3) + 4'. Up to 4 significant digits."""
    text = ""
    for weight, value in zip(weights, inputs, strict=True):
        shown_value = _number(value) if value >= 0 else f"({_number(value)})"
        text += _signed(weight, first=not text) + "·" + shown_value
    return text + _signed(bias, first=not text)


def _number(value: float) -> str:
    return f"{value:.4g}".replace("-", "−")


def _signed(value: float, first: bool) -> str:
    """A number as the next term of a sum: ' + 2', ' − 2', or '−2' when it opens the sum."""
    if first:
        return _number(value)
    return f" − {_number(-value)}" if value < 0 else f" + {_number(value)}"


def sigmoid_text(z: float) -> str:
    """σ(z) with six decimals, or, where those would read as exactly 1 or 0, how close it comes:
    σ(55) = '≈ 1 (1 − 1.3e−24)' and σ(−16.5) = '≈ 0 (6.8e−08)'; 1 − σ(z) is computed as σ(−z)."""
    sigmoid = get_activation("sigmoid")
    y, gap = sigmoid.value(np.array([z, -z], dtype=float))
    if gap < 5e-7:
        return f"≈ 1 (1 − {gap:.1e})".replace("-", "−")
    if y < 5e-7:
        return f"≈ 0 ({y:.1e})".replace("-", "−")
    return f"{y:.6f}"


def sigmoid_figure(z: float, y: float, height: int = 280) -> go.Figure:
    """The sigmoid curve with the neuron's current (z, y) marked; the z axis widens to keep it in view."""
    reach = max(8.0, 1.1 * abs(z))
    curve_z = np.linspace(-reach, reach, 241)
    curve_y = get_activation("sigmoid").value(curve_z)
    figure = go.Figure(
        [
            go.Scatter(
                x=curve_z.astype(np.float32),
                y=curve_y.astype(np.float32),
                mode="lines",
                line={"width": 3, "color": "#1f77b4"},
                hoverinfo="skip",
                name="σ(z)",
            ),
            go.Scatter(
                x=[z],
                y=[y],
                mode="markers",
                marker={"size": 16, "color": "#ff7f0e"},
                hovertemplate="z = %{x:.4f}<br>y = %{y:.6f}<extra></extra>",
                name="this neuron",
            ),
        ]
    )
    figure.update_layout(
        template="none",
        height=height,
        uirevision="tour",
        font={"size": FONT_SIZE},
        margin={"l": 55, "r": 15, "t": 15, "b": 50},
        showlegend=False,
        xaxis={"title": {"text": "z"}, "zeroline": True},
        yaxis={"title": {"text": "y = σ(z)"}, "range": [-0.05, 1.05]},
    )
    return figure


# ----------------------------------------------------------------------------- 2. the 2-2-1 network


@dataclass(frozen=True)
class NetworkForward:
    """One forward pass through the 2-2-1 network: each neuron's sum z and its output, by name."""

    x: tuple[float, float]
    z_h1: float
    z_h2: float
    z_o1: float
    h1: float
    h2: float
    o1: float


def uniform_network(w: Sequence[float], b: float) -> Network:
    """A 2-2-1 sigmoid network in which every neuron has the incoming weights ``w`` (two) and bias ``b``."""
    network = Network(TUTORIAL_SIZES, seed=0)
    column = np.asarray(w, dtype=float).reshape(2, 1)
    network.weights[0] = np.hstack([column, column])
    network.biases[0] = [b, b]
    network.weights[1] = column
    network.biases[1] = [b]
    return network


def network_forward(network: Network, x: Sequence[float]) -> NetworkForward:
    """h1, h2, o1 and the sums before each sigmoid, of a 2-2-1 ``network`` for one input x (two numbers)."""
    if tuple(network.layer_sizes) != TUTORIAL_SIZES:
        raise ValueError(f"The tour's network has layers {TUTORIAL_SIZES}, not {network.layer_sizes}.")
    inputs = np.asarray(x, dtype=float).reshape(1, 2)
    forward = network.forward(inputs)
    (z_h1, z_h2), (h1, h2) = forward.pre_activations[0][0], forward.activations[0][0]
    return NetworkForward(
        x=(float(inputs[0, 0]), float(inputs[0, 1])),
        z_h1=float(z_h1),
        z_h2=float(z_h2),
        z_o1=float(forward.pre_activations[1][0, 0]),
        h1=float(h1),
        h2=float(h2),
        o1=float(forward.output[0, 0]),
    )


def tutorial_parameters(network: Network) -> dict[str, float]:
    """The 2-2-1 network's nine parameters by their tutorial names, in the order w1 … w6, b1 … b3."""
    stored = dict(zip(parameter_names(network.layer_sizes), network.parameters, strict=True))
    return {name: float(stored[name]) for name in TUTORIAL_ORDER}


def neuron_sums(network: Network, forward: NetworkForward) -> dict[str, str]:
    """Each neuron's sum written out with the network's own numbers, e.g. {'h1': '0·2 + 1·3 + 0', …}."""
    p = tutorial_parameters(network)
    x1, x2 = forward.x
    return {
        "h1": written_sum([p["w1"], p["w2"]], [x1, x2], p["b1"]),
        "h2": written_sum([p["w3"], p["w4"]], [x1, x2], p["b2"]),
        "o1": written_sum([p["w5"], p["w6"]], [forward.h1, forward.h2], p["b3"]),
    }


# ----------------------------------------------------------------------------- 3. the loss


def mse(y_true: Sequence[float], y_pred: Sequence[float]) -> float:
    """Mean squared error over the people, by the engine's loss."""
    truth, guess = _paired(y_true, y_pred)
    return get_loss("mse").value(truth.reshape(-1, 1), guess.reshape(-1, 1))


def mse_table(
    y_true: Sequence[float], y_pred: Sequence[float], names: Sequence[str] | None = None
) -> pd.DataFrame:
    """One row per person: the right answer, the prediction and the squared error (y_true − y_pred)²."""
    truth, guess = _paired(y_true, y_pred)
    names = list(names) if names is not None else [f"Person {i + 1}" for i in range(len(truth))]
    if len(names) != len(truth):
        raise ValueError(f"There are {len(truth)} answers but {len(names)} names.")
    return pd.DataFrame(
        {
            "Person": names,
            "Right answer": truth,
            "Prediction": guess,
            "Squared error": (truth - guess) ** 2,
        }
    )


def _paired(y_true: Sequence[float], y_pred: Sequence[float]) -> tuple[np.ndarray, np.ndarray]:
    truth, guess = np.asarray(y_true, dtype=float), np.asarray(y_pred, dtype=float)
    if truth.shape != guess.shape or truth.ndim != 1 or len(truth) == 0:
        raise ValueError(
            f"Give one prediction per right answer: {len(truth)} answers, {len(guess)} predictions."
        )
    return truth, guess


# ----------------------------------------------------------------------------- 4. one SGD step


@dataclass(frozen=True, eq=False)
class SgdStep:
    """One stochastic-gradient-descent step on one person, parameter by parameter in the tutorial's order.

    ``names``: ('w1', …, 'w6', 'b1', 'b2', 'b3'); ``gradients``, ``old_values``, ``new_values``: (9,),
    with new_values = old_values − learning_rate · gradients. ``dl_dy_pred`` is dL/dy_pred = −2(y − y_pred),
    the first factor of every chain-rule product.
    """

    x: tuple[float, float]
    y_true: float
    forward: NetworkForward
    names: tuple[str, ...]
    gradients: np.ndarray
    old_values: np.ndarray
    new_values: np.ndarray
    learning_rate: float
    dl_dy_pred: float
    loss_before: float
    loss_after: float

    def table(self) -> pd.DataFrame:
        """Per parameter p: its value, dL/dp, the change −η·dL/dp and its new value."""
        return pd.DataFrame(
            {
                "Parameter p": list(self.names),
                "Before": self.old_values,
                "dL/dp": self.gradients,
                f"−{self.learning_rate:g} × dL/dp": -self.learning_rate * self.gradients,
                "After": self.new_values,
            }
        )


def tutorial_start_network(seed: int = TRAINING_SEED) -> Network:
    """The tutorial's 2-2-1 network with random starting weights: Network([2, 2, 1], seed=seed)."""
    return Network(TUTORIAL_SIZES, seed=seed)


def sgd_step(network: Network, x: Sequence[float], y: float, learning_rate: float = LEARNING_RATE) -> SgdStep:
    """One SGD step of a 2-2-1 ``network`` on the single example (x, y); ``network`` itself is unchanged.

    The loss on the example is L = (y − y_pred)², the tutorial's MSE over one person; every gradient
    comes from one forward pass before any parameter moves.
    """
    inputs = np.asarray(x, dtype=float).reshape(1, 2)
    target = np.array([[float(y)]])
    forward = network_forward(network, inputs[0])
    stored_names = parameter_names(network.layer_sizes)
    order = [stored_names.index(name) for name in TUTORIAL_ORDER]
    gradient = network.gradient_vector(inputs, target)
    stepped = network.copy()
    stepped.parameters -= learning_rate * gradient
    return SgdStep(
        x=forward.x,
        y_true=float(y),
        forward=forward,
        names=TUTORIAL_ORDER,
        gradients=gradient[order],
        old_values=network.parameters[order].copy(),
        new_values=stepped.parameters[order].copy(),
        learning_rate=float(learning_rate),
        dl_dy_pred=float(get_loss("mse").grad(target, np.array([[forward.o1]]))[0, 0]),
        loss_before=network.loss(inputs, target),
        loss_after=stepped.loss(inputs, target),
    )


def sgd_epoch(
    network: Network, X: np.ndarray, y: np.ndarray, learning_rate: float = LEARNING_RATE
) -> list[SgdStep]:
    """One epoch of per-person SGD: a step on each row of X in turn, each from the weights the step
    before left (``network`` itself is unchanged). X: (n, 2), y: (n,)."""
    steps, current = [], network
    for features, target in zip(X, y, strict=True):
        steps.append(sgd_step(current, features, target, learning_rate))
        current = stepped_network(current, steps[-1])
    return steps


def stepped_network(network: Network, step: SgdStep) -> Network:
    """A copy of ``network`` with the parameters ``step`` moved it to."""
    stored = parameter_names(network.layer_sizes)
    moved = network.copy()
    moved.parameters[[stored.index(name) for name in step.names]] = step.new_values
    return moved


@dataclass(frozen=True, eq=False)
class FullBatchStep:
    """One gradient-descent step on all the people at once: the gradient is the mean of their gradients.

    ``gradients``, ``new_values``: (9,) in the tutorial's order; the losses are over all the people.
    """

    gradients: np.ndarray
    new_values: np.ndarray
    loss_before: float
    loss_after: float


def full_batch_step(
    network: Network, X: np.ndarray, y: np.ndarray, learning_rate: float = LEARNING_RATE
) -> FullBatchStep:
    """The averaged gradient over every row and one step along it (``network`` itself is unchanged)."""
    targets = np.asarray(y, dtype=float).reshape(-1, 1)
    order = [parameter_names(network.layer_sizes).index(name) for name in TUTORIAL_ORDER]
    gradient = network.gradient_vector(X, targets)
    stepped = network.copy()
    stepped.parameters -= learning_rate * gradient
    return FullBatchStep(
        gradients=gradient[order],
        new_values=stepped.parameters[order].copy(),
        loss_before=network.loss(X, targets),
        loss_after=stepped.loss(X, targets),
    )


def epoch_table(start: Network, epoch: list[SgdStep], batch: FullBatchStep) -> pd.DataFrame:
    """Per parameter: where it started, where one epoch of per-person steps took it, and where one
    full-batch step took it."""
    return pd.DataFrame(
        {
            "Parameter p": list(TUTORIAL_ORDER),
            "Start": list(tutorial_parameters(start).values()),
            f"After {len(epoch)} per-person steps": epoch[-1].new_values,
            "After 1 full-batch step": batch.new_values,
        }
    )


# ----------------------------------------------------------------------------- 5. full training


class TrainingOutcome(NamedTuple):
    """What full training shows: the loss every REPORT_EVERY epochs and the two new people's predictions.

    ``losses``: a DataFrame with columns 'Epoch' (0 is before training) and 'Loss' (mean over the four
    people). ``emily`` and ``frank``: the network's output, the chance it gives of being female.
    """

    losses: pd.DataFrame
    emily: float
    frank: float


def training_run(raw: bool = False) -> ModelRun:
    """The tutorial's training, ready to be watched: Network([2, 2, 1], TRAINING_SEED) on the four people,
    per-sample SGD at learning rate 0.1, in order (the playground's defaults are the tutorial's).
    ``raw``: on the weights and heights as measured (133 lb, 65 in), not shifted by 135 lb and 66 in."""
    people = tutorial_people()
    if raw:
        people = replace(people, X=people.X + np.array(SHIFT), feature_names=RAW_NAMES)
    data = check_table(table_from_dataset(people), list(people.feature_names), people.target_name).data
    return ModelRun.build(data, Settings(network=NetworkSettings(seed=TRAINING_SEED)))


def training_outcome(run: ModelRun, raw: bool = False) -> TrainingOutcome:
    """The loss every REPORT_EVERY epochs of a training run (0: before training) and its answers."""
    start_loss = tutorial_start_network(run.settings.network.seed).loss(run.data.X, run.data.y)
    history = run.history
    reported = list(range(REPORT_EVERY, history.epochs + 1, REPORT_EVERY))
    losses = pd.DataFrame(
        {
            "Epoch": [0, *reported],
            "Loss": [start_loss, *(history.train_loss[epoch - 1] for epoch in reported)],
        }
    )
    questions = np.array([EMILY, FRANK]) + (np.array(SHIFT) if raw else 0.0)
    emily, frank = run.predict_raw(questions)[:, 0]
    return TrainingOutcome(losses, float(emily), float(frank))


def body_text(features: Sequence[float], with_shift: bool = True) -> str:
    """A person's weight and height as measured, never to be confused with a network weight:
    '133 lb (−2 from 135), 65 in (−1 from 66)', or '133 lb, 65 in' without the tutorial's shift."""
    (weight, height), (weight_shift, height_shift) = features, SHIFT
    if not with_shift:
        return f"{weight + weight_shift:g} lb, {height + height_shift:g} in"
    return (
        f"{weight + weight_shift:g} lb ({_number(weight)} from {weight_shift:g}), "
        f"{height + height_shift:g} in ({_number(height)} from {height_shift:g})"
    )


def verdict(probability: float) -> str:
    """'female' when the network's output is above one half, else 'male' (the tutorial's labels)."""
    return "female" if probability > 0.5 else "male"
