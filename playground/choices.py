"""The small choices a person makes around the table and the network: which columns, which data set
parameters, where the Ask sliders are, what the picture shows, which tab is open.

Plain values held by the session model (``playground/session.py``); the widgets only show them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from playground.table import default_target, input_choices, target_choices

TASKS = ("auto", "binary", "multiclass", "regression")
PICTURE_OPTIONS = {"gradients": False, "test": True, "discretize": False, "log": False}
FIRST_TAB = "Data"


@dataclass(frozen=True)
class ColumnChoices:
    """Which columns are the inputs (None: every number column) and the target (None: the default),
    and the problem type ("auto": worked out from the target)."""

    inputs: tuple[str, ...] | None = None
    target: str | None = None
    task: str = "auto"

    def fitted(self, table: pd.DataFrame) -> ColumnChoices:
        """These choices as ``table`` allows them: a target it has (else its default), inputs among its
        number columns other than the target, in the table's order."""
        target = self.target if self.target in target_choices(table) else default_target(table)
        offered = input_choices(table, target)
        inputs = offered if self.inputs is None else [name for name in self.inputs if name in offered]
        return ColumnChoices(tuple(inputs), target, self.task if self.task in TASKS else "auto")


@dataclass(frozen=True)
class DataSetControls:
    """The size, noise and seed of a generated data set, as the sidebar's controls show them."""

    size: int = 200
    noise: float = 0.1
    seed: int = 0


@dataclass
class AskChoices:
    """The Ask tab's slider values (raw units, by input position; missing: the default), the values it
    last answered for, the two inputs the pictures span (None: the first two), and what a click on the
    surface adds."""

    values: dict[int, float] = field(default_factory=dict)
    answered: tuple[float, ...] | None = None
    axes: tuple[str, str] | None = None
    new_point_class: int | None = 0
    new_point_value: float = 0.0


@dataclass
class PictureState:
    """One network picture: the view switches it reports, and the scene it was last sent (its key)."""

    options: dict[str, bool] = field(default_factory=lambda: dict(PICTURE_OPTIONS))
    sent: str | None = None

    def set_options(self, sent: object) -> None:
        """The view switches the picture reports, kept only when they are known names with true/false."""
        if isinstance(sent, dict):
            known = {
                name: value
                for name, value in sent.items()
                if name in self.options and isinstance(value, bool)
            }
            self.options.update(known)

    def forget_scene(self) -> None:
        """The picture was drawn anew (or asks for the scene): the next message carries it."""
        self.sent = None


@dataclass
class ViewChoices:
    """Where a person is on the page and what each teaching view shows."""

    workshop: bool = False
    page_tab: str = FIRST_TAB
    workshop_tab: str = "Guided tour"
    explain_row: int = 0
    chain_parameter: str = "w1"
    hidden_space_layer: int | None = None
    hidden_space_neurons: dict[int, tuple[int, int]] = field(default_factory=dict)
    rates_chosen: tuple[float, ...] | None = None
    rates_log_scale: bool = True
    rates_result: tuple[object, object] | None = None  # (what it was trained for, the comparison)
    rates_parameter: str | None = None
    step_rates: dict[float, float] = field(default_factory=dict)  # by the learning rate it starts at
    runs_chosen: tuple[str, ...] | None = None
    runs_log_scale: bool = False
    newest_run_seen: int = 0

    def choose_hidden_neuron(self, layer: int, vertical: bool, neuron: int) -> None:
        """One of the two neurons of ``layer`` that span the hidden layer's space."""
        chosen = list(self.hidden_space_neurons.get(layer, (0, 1)))
        chosen[vertical] = neuron
        self.hidden_space_neurons[layer] = (chosen[0], chosen[1])
