"""The chain rule, written out for the tutorial's 2-2-1 network and one data row. No Streamlit here.

Every node of the computation (inputs, parameters, sums z, activations, the prediction ŷ, the loss L)
gets its forward value and its gradient dL/d(node), worked out link by link the way the tutorial
derives them by hand; a parameter's gradient is then the product of the factors on its path to the
loss, e.g. ∂L/∂w1 = ∂L/∂ŷ · ∂ŷ/∂z_o1 · ∂z_o1/∂h1 · ∂h1/∂z_h1 · ∂z_h1/∂w1. The graph is drawn as DOT
text holding only fixed names and numbers (never a user's column name).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nn_core.losses import get_loss
from playground.backprop import TUTORIAL_ORDER, is_tutorial_shape, row_targets
from playground.model import ModelRun

# Which hidden neuron and input each first-layer parameter connects (the tutorial's naming).
FIRST_LAYER = {
    "w1": ("h1", "x1"), "w2": ("h1", "x2"), "b1": ("h1", None),
    "w3": ("h2", "x1"), "w4": ("h2", "x2"), "b2": ("h2", None),
}  # fmt: skip
SECOND_LAYER = {"w5": "h1", "w6": "h2", "b3": None}
# Each activation's slope at a sum z, written with the neuron's own output a where that is simpler.
DERIVATIVE_FORMULAS = {
    "sigmoid": "σ′({z}) = {a}(1 − {a})",
    "tanh": "tanh′({z}) = 1 − {a}²",
    "relu": "relu′({z}) = 1 if {z} > 0, else 0",
    "leaky_relu": "leaky_relu′({z}) = 1 if {z} > 0, else 0.01",
    "linear": "1",
}
# The general rule behind a slope written above, by how that slope's formula begins.
IDENTITIES = {"σ′(": "σ′(z) = σ(z)(1 − σ(z))", "tanh′(": "tanh′(z) = 1 − tanh(z)²"}
LOSS_FORMULAS = {
    "mse": "−2(y − ŷ)",
    "binary_cross_entropy": "(ŷ − y) / (ŷ(1 − ŷ))",
}
PATH_COLOR = "#E8710A"
HIGHLIGHTED_BOX = f', color="{PATH_COLOR}", penwidth=3, fontcolor="{PATH_COLOR}"'
HIGHLIGHTED_EDGE = f' [color="{PATH_COLOR}", penwidth=3]'
NEURONS = {"h1": ("z_h1", "h1"), "h2": ("z_h2", "h2"), "o1": ("z_o1", "ŷ")}  # a box each: sum, activation


@dataclass(frozen=True)
class Factor:
    """One link of a chain: ``symbol`` (e.g. ∂h1/∂z_h1), how it is worked out, and its value."""

    symbol: str
    formula: str
    value: float


@dataclass(frozen=True)
class Chain:
    """∂L/∂(parameter) as the product of its factors, and the nodes on its path to the loss."""

    parameter: str
    factors: tuple[Factor, ...]
    path: tuple[str, ...]

    @property
    def gradient(self) -> float:
        return float(np.prod([factor.value for factor in self.factors]))


@dataclass(frozen=True)
class Graph:
    """Every node's forward value and its gradient dL/d(node), and each activation's local derivative
    ("ŷ/z_o1", "h1/z_h1", "h2/z_h2"), for one row."""

    values: dict[str, float]
    gradients: dict[str, float]
    local: dict[str, float]
    hidden_activation: str
    output_activation: str
    loss: str


def can_show(model: ModelRun) -> bool:
    """The chain is written out for the 2-2-1 network with an element-wise output and a loss it names."""
    network = model.network
    return (
        is_tutorial_shape(network.layer_sizes)
        and network.output_activation != "softmax"
        and model.settings.training.loss in LOSS_FORMULAS
    )


def graph(model: ModelRun, row: int) -> Graph:
    """Forward values and gradients of every node of the 2-2-1 network for one row, link by link."""
    inputs, targets = row_targets(model, row)
    network = model.network
    forward = network.forward(inputs)
    (w1, w3), (w2, w4) = network.weights[0]
    (w5,), (w6,) = network.weights[1]
    b1, b2 = network.biases[0]
    (b3,) = network.biases[1]
    x1, x2 = inputs[0]
    z_h1, z_h2 = forward.pre_activations[0][0]
    h1, h2 = forward.activations[0][0]
    z_o1, y_hat = forward.pre_activations[1][0, 0], forward.output[0, 0]
    loss_name = model.settings.training.loss
    values = {
        "x1": x1,
        "x2": x2,
        "w1": w1,
        "w2": w2,
        "w3": w3,
        "w4": w4,
        "w5": w5,
        "w6": w6,
        "b1": b1,
        "b2": b2,
        "b3": b3,
        "z_h1": z_h1,
        "z_h2": z_h2,
        "h1": h1,
        "h2": h2,
        "z_o1": z_o1,
        "ŷ": y_hat,
        "y": targets[0, 0],
        "L": network.loss(inputs, targets, loss_name),
    }
    local, dl_dy, dl_dz = _local_derivatives(model, values)
    gradients = {"L": 1.0, "ŷ": dl_dy, "z_o1": dl_dz}
    for name, hidden in SECOND_LAYER.items():
        gradients[name] = gradients["z_o1"] * (1.0 if hidden is None else values[hidden])
    for hidden, weight in (("h1", "w5"), ("h2", "w6")):
        gradients[hidden] = gradients["z_o1"] * values[weight]
        gradients["z_" + hidden] = gradients[hidden] * local[f"{hidden}/z_{hidden}"]
    for name, (hidden, source) in FIRST_LAYER.items():
        gradients[name] = gradients["z_" + hidden] * (1.0 if source is None else values[source])
    return Graph(
        {name: float(value) for name, value in values.items()},
        {name: float(value) for name, value in gradients.items()},
        local,
        network.hidden_activation,
        network.output_activation,
        loss_name,
    )


def chain(graph_: Graph, parameter: str) -> Chain:
    """The factors of ∂L/∂(parameter), from the loss back to the parameter."""
    if parameter not in TUTORIAL_ORDER:
        raise ValueError(f"Choose one of {', '.join(TUTORIAL_ORDER)}, not {parameter!r}.")
    factors = list(_output_factors(graph_))
    path = ["L", "ŷ", "z_o1"]
    if parameter in SECOND_LAYER:
        hidden = SECOND_LAYER[parameter]
        factors.append(_last_link("z_o1", parameter, hidden, graph_))
        return Chain(parameter, tuple(factors), (*path, parameter))
    hidden, source = FIRST_LAYER[parameter]
    weight = "w5" if hidden == "h1" else "w6"
    factors += [
        Factor(f"∂z_o1/∂{hidden}", weight, graph_.values[weight]),
        Factor(
            f"∂{hidden}/∂z_{hidden}",
            DERIVATIVE_FORMULAS[graph_.hidden_activation].format(z="z_" + hidden, a=hidden),
            graph_.local[f"{hidden}/z_{hidden}"],
        ),
        _last_link("z_" + hidden, parameter, source, graph_),
    ]
    return Chain(parameter, tuple(factors), (*path, hidden, "z_" + hidden, parameter))


def chain_text(chain_: Chain) -> str:
    """'∂L/∂w1 = ∂L/∂ŷ · … = (−2(y − ŷ)) × … = (0.1234) × … = 0.0071', plain text, then the slope
    rules the chain used ("where σ′(z) = σ(z)(1 − σ(z))")."""
    factors = chain_.factors
    lines = [
        f"∂L/∂{chain_.parameter} = " + " · ".join(factor.symbol for factor in factors),
        "= " + " × ".join(f"({factor.formula})" for factor in factors),
        "= " + " × ".join(f"({_number(factor.value)})" for factor in factors),
        f"= {_number(chain_.gradient)}",
    ]
    rules = [rule for start, rule in IDENTITIES.items() if any(f.formula.startswith(start) for f in factors)]
    return "\n".join(lines + ([f"where {' and '.join(rules)}"] if rules else []))


def graph_dot(graph_: Graph, path: tuple[str, ...] = ()) -> str:
    """The computation graph as DOT, ``path`` drawn highlighted: a box per input and parameter, one per
    neuron holding its sum z and its activation (each with its gradient), and the loss with the right
    answer. Four columns, so that its text stays large on a projector."""
    lines = [
        "digraph {",
        "rankdir=LR; bgcolor=transparent; nodesep=0.12; ranksep=0.3;",
        'node [shape=box, style="rounded", fontname="Helvetica", fontsize=16, margin="0.08,0.03"];',
        'edge [color="#888888"];',
    ]
    for node, label, members in _boxes(graph_):
        style = HIGHLIGHTED_BOX if _on_path(members, path) else ""
        lines.append(f'"{node}" [label="{label}"{style}];')
    for source, target in _edges():
        on_path = _on_path(_members(source), path) and _on_path(_members(target), path)
        lines.append(f'"{source}" -> "{target}"{HIGHLIGHTED_EDGE if on_path else ""};')
    lines.append("}")
    return "\n".join(lines)


def _on_path(members: tuple[str, ...], path: tuple[str, ...]) -> bool:
    return any(member in path for member in members)


def _boxes(graph_: Graph) -> list[tuple[str, str, tuple[str, ...]]]:
    """(node, label, the graph's values it shows) for every box of the drawing."""
    boxes = []
    for name in ("x1", "x2", *TUTORIAL_ORDER):
        boxes.append((name, _line(graph_, name), (name,)))
    for neuron in NEURONS:
        members = _members(neuron)
        boxes.append((neuron, "\\n".join(_line(graph_, member) for member in members), members))
    loss = f"{_line(graph_, 'L')}\\ny = {_number(graph_.values['y'])}"
    return [*boxes, ("L", loss, ("L",))]


def _line(graph_: Graph, name: str) -> str:
    """'h1 = 0.045', and under it '∂L/∂h1 = 0.0105' (inputs have no gradient shown)."""
    text = f"{name} = {_number(graph_.values[name])}"
    gradient = graph_.gradients.get(name)
    return text if gradient is None or name.startswith("x") else f"{text}\\n∂L/∂{name} = {_number(gradient)}"


def _members(node: str) -> tuple[str, ...]:
    return NEURONS.get(node, (node,))


def _local_derivatives(model: ModelRun, values: dict[str, float]) -> tuple[dict[str, float], float, float]:
    """Each activation's f′(z) at this row, with dL/dŷ and dL/dz_o1."""
    network = model.network
    loss = get_loss(model.settings.training.loss)
    y, y_hat = np.array([[values["y"]]]), np.array([[values["ŷ"]]])
    derivative = {
        f"{name}/{sum_name}": float(activation.derivative(np.array(values[sum_name]), np.array(values[name])))
        for name, sum_name, activation in (
            ("ŷ", "z_o1", network.activation_of(1)),
            ("h1", "z_h1", network.activation_of(0)),
            ("h2", "z_h2", network.activation_of(0)),
        )
    }
    dl_dy = float(loss.grad(y, y_hat)[0, 0])
    if loss.canonical_output == network.output_activation:
        dl_dz = float(loss.output_delta(y, y_hat)[0, 0])  # stays exact when ŷ saturates at 0 or 1
    else:
        dl_dz = dl_dy * derivative["ŷ/z_o1"]
    return derivative, dl_dy, dl_dz


def _output_factors(graph_: Graph) -> tuple[Factor, ...]:
    """∂L/∂ŷ · ∂ŷ/∂z_o1, or ∂L/∂z_o1 in one when the loss and the output activation simplify together."""
    dl_dy, dl_dz = graph_.gradients["ŷ"], graph_.gradients["z_o1"]
    if get_loss(graph_.loss).canonical_output == graph_.output_activation:
        return (Factor("∂L/∂z_o1", "ŷ − y (cross-entropy and sigmoid simplify together)", dl_dz),)
    return (
        Factor("∂L/∂ŷ", LOSS_FORMULAS[graph_.loss], dl_dy),
        Factor(
            "∂ŷ/∂z_o1",
            DERIVATIVE_FORMULAS[graph_.output_activation].format(z="z_o1", a="ŷ"),
            graph_.local["ŷ/z_o1"],
        ),
    )


def _last_link(sum_name: str, parameter: str, source: str | None, graph_: Graph) -> Factor:
    """∂z/∂w is the input the weight multiplies; ∂z/∂b is 1."""
    if source is None:
        return Factor(f"∂{sum_name}/∂{parameter}", "1", 1.0)
    return Factor(f"∂{sum_name}/∂{parameter}", source, graph_.values[source])


def _edges() -> list[tuple[str, str]]:
    edges = []
    for name, (hidden, source) in FIRST_LAYER.items():
        edges += [(name, hidden)] + ([(source, hidden)] if source is not None else [])
    edges += [(name, "o1") for name in SECOND_LAYER]
    return [*edges, ("h1", "o1"), ("h2", "o1"), ("o1", "L")]


def _number(value: float) -> str:
    return f"{value + 0.0:.4g}".replace("-", "−")  # + 0.0 turns a −0.0 (ReLU's flat side) into 0
