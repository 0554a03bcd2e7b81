"""The one model of a browser session: everything a person means, and every way they change it.

Views draw from a ``Session`` and send it intents (its public methods, each applied with ``apply``);
``playground/views/adapter.py`` is the one module between it and Streamlit. After every intent the
session reconciles: the table is checked, the settings fitted to it, and the network kept, moved onto
the new rows, or built anew from the seed. So the model always belongs to the table and the settings
shown, and every figure drawn from it is what ``nn_core`` computes for them. No Streamlit here: tests
drive a session directly.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from nn_core.datasets import split_indices
from playground.add_point import table_with_point
from playground.choices import AskChoices, ColumnChoices, DataSetControls, PictureState, ViewChoices
from playground.learning_rates import DEFAULT_RATES, compare_learning_rates, rates_to_compare
from playground.live_run import LiveRun
from playground.model import ModelRun, rows_key
from playground.network_picture import architecture_change, point_added, weight_change
from playground.plane import axis_range
from playground.presets import TUTORIAL, TUTORIAL_QUESTIONS, PresetSource, load_source, table_from_dataset
from playground.runs import runs_to_overlay
from playground.settings import (
    Settings,
    fitted_to_data,
    resized_layers,
    settings_for_preset,
    with_setting,
)
from playground.share import (
    SharedSetup,
    TableSource,
    decode_setup,
    frame_from_table_source,
    table_source_from_frame,
)
from playground.table import PreparedData, TableCheck, check_table, go_on, number_text, same_cells
from playground.table_edits import read_edit
from playground.text import counted
from playground.tour_session import TourState
from playground.transfer import model_fits_data, model_from_json, table_from_csv

UNDO_HINT = "The table it replaced comes back with Undo, under the data set menu."
MODEL_UNDO_HINT = "The model it replaced comes back with Undo, under the data set menu."


@dataclass(frozen=True)
class Snapshot:
    """What a change replaced, for Undo: the table as edited and where it came from, the model, the
    settings and the column choices. ``replaced`` names it: "table", or "model" (a model file, or a
    trained network replaced by a new one)."""

    table: pd.DataFrame
    origin: pd.DataFrame
    source: str
    preset: PresetSource | None
    model: ModelRun | None
    settings: Settings
    choices: ColumnChoices
    replaced: str = "table"


def tutorial_table() -> pd.DataFrame:
    return table_from_dataset(load_source(TUTORIAL, 4, 0.0, 0))


@dataclass
class Session:
    """Everything one browser session holds.

    ``table`` is the table as loaded (what the editor was given), ``table_version`` names it;
    ``edited_table`` is it with the edits the editor sent (``edit_seq``: the last one applied);
    ``origin`` is the table as its source gave it (None: ``table``), to tell whether it is edited.
    ``messages`` holds the last outcome per area: "table" (an upload), "edit" (an edit refused), "model",
    "link" and "settings".
    """

    table: pd.DataFrame = field(default_factory=tutorial_table)
    origin: pd.DataFrame | None = None
    source: str = TUTORIAL
    preset: PresetSource | None = None
    table_version: int = 0
    edited_table: pd.DataFrame | None = None
    edit_seq: int = 0
    choices: ColumnChoices = field(default_factory=ColumnChoices)
    data_set: DataSetControls = field(default_factory=DataSetControls)
    settings: Settings = field(default_factory=Settings)
    model: ModelRun | None = None
    run: LiveRun = field(default_factory=LiveRun)
    undo: Snapshot | None = None
    messages: dict[str, tuple[str, str]] = field(default_factory=dict)
    ask: AskChoices = field(default_factory=AskChoices)
    picture: PictureState = field(default_factory=PictureState)
    view: ViewChoices = field(default_factory=ViewChoices)
    tour: TourState = field(default_factory=TourState)
    session_id: str = field(default_factory=lambda: secrets.token_hex(8))
    revision: int = 0  # counts the changes the whole page shows (a fragment that sees a new one reruns it)
    link_checked: bool = False
    restart_noted: bool = False
    _checked: tuple[pd.DataFrame, ColumnChoices, TableCheck] | None = field(default=None, repr=False)
    _fitted: tuple[pd.DataFrame, ColumnChoices, ColumnChoices] | None = field(default=None, repr=False)
    _edited: tuple[pd.DataFrame, pd.DataFrame, bool] | None = field(default=None, repr=False)

    # --- applying intents ---------------------------------------------------------------------------

    def apply(
        self,
        intent: Callable[..., Any],
        *args: Any,
        local: bool = False,
        between: Callable[[], None] = go_on,
    ) -> None:
        """Carry out one intent (a method of this class, or a function of a session), then reconcile;
        a trained network the intent replaced comes back with Undo. A ``local`` intent changes only the
        part of the page that sent it (a slider's answer, a picture's own switches). ``between`` is
        called between the steps of the work (the server lets other sessions go first there)."""
        undo, before = self.undo, self._snapshot("model")
        intent(self, *args)
        between()
        self.reconcile(before if self.undo is undo else None, between)  # an intent's own Undo entry stays
        if not local:
            self.revision += 1

    def reconcile(self, before: Snapshot | None = None, between: Callable[[], None] = go_on) -> None:
        """Make the model belong to the table and the settings now: kept, moved onto new rows, or built
        anew from the seed (a running run goes on with it, and Undo brings back a trained network it
        replaced, as ``before`` holds it). While the table is unusable a run waits, and a network
        changed meanwhile is built on the last usable rows, so the picture always shows the settings."""
        self.choices = self.fitted_choices()
        between()
        usable = self.check(between).data
        if usable is None:
            self.run.hold()
        data = usable if usable is not None else (self.model.data if self.model is not None else None)
        if data is None:
            return
        between()
        self._fit_settings(data)
        model = self.model
        if model is None or not model.fits(data, self.settings):
            self.model = ModelRun.build(data, self.settings)
            self.run.restart(self.model)
            if model is not None and model.epoch > 0 and before is not None:
                self.undo = before
        elif model.rows_key != rows_key(data, self.settings):
            self.model = model.moved_to(data, self.settings)
        else:
            model.follow_training(self.settings.training)
        if usable is not None:
            self.run.release()

    # --- what is derived ------------------------------------------------------------------------------

    def current_table(self) -> pd.DataFrame:
        """The table as the person sees it now, edits included."""
        return self.edited_table if self.edited_table is not None else self.table

    def original(self) -> pd.DataFrame:
        """The table as its source gave it."""
        return self.table if self.origin is None else self.origin

    def is_edited(self) -> bool:
        """True when the table differs from what its source gave (worked out once per table)."""
        table = self.current_table()
        if self._edited is None or self._edited[0] is not table or self._edited[1] is not self.original():
            self._edited = (table, self.original(), not same_cells(table, self.original()))
        return self._edited[2]

    def editor_version(self) -> str:
        """The table's name for the editor: its version, in this session only."""
        return f"{self.session_id}-{self.table_version}"

    def fitted_choices(self) -> ColumnChoices:
        """The column choices as the current table allows them (worked out once per table and choice)."""
        table = self.current_table()
        if self._fitted is not None and self._fitted[0] is table and self._fitted[1] == self.choices:
            return self._fitted[2]
        fitted = self.choices.fitted(table)
        self._fitted = (table, self.choices, fitted)
        return fitted

    def check(self, between: Callable[[], None] = go_on) -> TableCheck:
        """The current table checked with the chosen columns (worked out once per table and choice;
        ``between`` is called between the columns)."""
        table, choices = self.current_table(), self.fitted_choices()
        if self._checked is not None and self._checked[0] is table and self._checked[1] == choices:
            return self._checked[2]
        check = check_table(table, choices.inputs or (), choices.target, choices.task, between)
        self._checked = (table, choices, check)
        return check

    @property
    def data(self) -> PreparedData | None:
        return self.check().data

    def data_set_shown(self) -> str | None:
        """What the data set menu shows: the generated data set or the tutorial the table came from, or
        nothing for a table of one's own (so that choosing any entry loads it)."""
        if self.preset is not None:
            return self.preset.name
        return TUTORIAL if self.source == TUTORIAL else None

    def is_tutorial(self) -> bool:
        data = self.data
        return self.source == TUTORIAL and data is not None and len(data.feature_names) == 2

    def slider_values(self) -> np.ndarray:
        """The Ask sliders' values for every input (raw units), clamped into the data's ranges."""
        model = self.model
        if model is None:
            return np.zeros(0)
        values = []
        for index in range(len(model.data.feature_names)):
            low, high = axis_range(model.data.X[:, index])
            value = self.ask.values.get(index, self._default_slider(model.data, index))
            values.append(min(max(float(value), low), high))
        return np.array(values)

    def picture_axes(self) -> tuple[int, int]:
        """Which two inputs the pictures span; with one input both axes are that input."""
        names = list(self.model.data.feature_names) if self.model is not None else []
        if len(names) <= 2:
            return 0, max(0, len(names) - 1)
        x_name, y_name = self.ask.axes or (names[0], names[1])
        x = names.index(x_name) if x_name in names else 0
        y = names.index(y_name) if y_name in names else 1
        return x, y

    # --- the table ------------------------------------------------------------------------------------

    def edit_table(self, message: object) -> None:
        """An edit the table editor sent (the whole edited table, compactly; see table_edits). Applied
        once (the browser sends its last edit with every rerun); one that cannot be applied is
        refused with a message, and the editor keeps what was typed."""
        outcome = read_edit(self.table, self.editor_version(), self.edit_seq, message)
        if outcome.seq is None:
            return
        self.edit_seq = outcome.seq
        if outcome.problem is not None:
            self.messages["edit"] = ("error", outcome.problem)
            return
        self.messages.pop("edit", None)
        self.edited_table = outcome.table

    def choose_inputs(self, names: Sequence[str]) -> None:
        self.choices = replace(self.fitted_choices(), inputs=tuple(str(name) for name in names))

    def choose_target(self, name: str) -> None:
        self.choices = replace(self.fitted_choices(), target=name, inputs=None)

    def choose_task(self, task: str) -> None:
        self.choices = replace(self.choices, task=task)

    def load_data_set(self, name: str | None) -> None:
        """Choose an entry of the data set menu: the tutorial or a generated data set, with settings
        that learn it; what it replaces comes back with Undo."""
        if name is None:
            return
        if name == TUTORIAL:
            self._load(tutorial_table(), source=TUTORIAL, settings=Settings())
            return
        preset = PresetSource(name, self.data_set.size, self.data_set.noise, self.data_set.seed)
        dataset = preset.dataset()
        self._load(
            table_from_dataset(dataset),
            source=f"{name}, {len(dataset.X)} points",
            preset=preset,
            settings=settings_for_preset(dataset.task),
        )

    def change_data_set(self, name: str, value: int | float) -> None:
        """Another size, noise or seed of the generated data set: loaded at once (Undo brings back the
        one before)."""
        self.data_set = replace(self.data_set, **{name: value})
        if self.preset is not None:
            self.load_data_set(self.preset.name)

    def undo_load(self) -> None:
        """Bring back what the last change replaced; pressed again, it redoes it."""
        snapshot = self.undo
        if snapshot is None:
            return
        self._load(
            snapshot.table,
            source=snapshot.source,
            preset=snapshot.preset,
            origin=snapshot.origin,
            settings=snapshot.settings,
            model=snapshot.model,
            choices=snapshot.choices,
        )
        self.undo = replace(self.undo, replaced=snapshot.replaced)  # redoing brings back the same kind

    def upload_csv(self, name: str, content: bytes) -> None:
        """A CSV file as the table (the settings stay); a file that cannot be read changes nothing."""
        try:
            loaded = table_from_csv(content)
        except ValueError as problem:
            self.messages["table"] = ("error", f"{name} was not loaded: {problem}")
            return
        table = loaded.table
        self._load(table, source=f"Uploaded: {name}")
        summary = f"Loaded {name}: {counted(len(table), 'row')}, {counted(len(table.columns), 'column')}."
        self.messages["table"] = ("success", " ".join([summary, *loaded.notes, UNDO_HINT]))

    def add_point(self, message: object) -> None:
        """A click on the surface: a new row there, of the chosen class (or at the click's height, for
        one input); the edits typed so far are kept, and a running training goes on with the row."""
        model = self.model
        if model is None:
            return
        axes = self.picture_axes()
        point = point_added(message, model.data.X, axes)
        target = self._new_point_target(model.data)
        if point is None:
            return
        x, y = point
        one_input = len(model.data.feature_names) == 1
        if one_input:  # on the curve the click's height is the target
            target, y = (number_text(y) if target is None else target), x
        if target is None:
            return
        point_axes = (axes[0], axes[0]) if one_input else axes
        table = table_with_point(
            self.current_table(), model.data, point_axes, (x, y), self.slider_values(), target
        )
        self._show(table, self.source, self.preset, origin=self.original())

    # --- files and links ------------------------------------------------------------------------------

    def load_model_file(self, name: str, content: bytes) -> None:
        """A saved model for the table's columns, with the settings it needs; Undo brings back the model
        it replaced. One that does not fit changes nothing and says why."""
        data = self.data
        if data is None:
            self.messages["model"] = ("error", f"{name} was not loaded: fix the table first.")
            return
        try:
            loaded = model_from_json(content)
        except (ValueError, TypeError) as problem:
            self.messages["model"] = ("error", f"{name} was not loaded: {problem}")
            return
        problems = model_fits_data(loaded, data)
        if problems:
            self.messages["model"] = ("error", f"{name} does not fit this table: " + " ".join(problems))
            return
        network = loaded.network
        identity = bool(np.all(loaded.standardizer.mean == 0) and np.all(loaded.standardizer.scale == 1))
        settings = replace(
            self.settings,
            network=replace(
                self.settings.network,
                hidden_layers=tuple(network.layer_sizes[1:-1]),
                hidden_activation=network.hidden_activation,
                output_activation=network.output_activation,
                init=network.init,
            ),
            data=replace(
                self.settings.data,
                standardize=not identity,
                features=tuple(feature.code for feature in loaded.features),
            ),
        )
        try:
            model = ModelRun.with_network(data, settings, network, loaded.standardizer)
        except ValueError as problem:  # the engine's own checks, should the file checks have missed one
            self.messages["model"] = ("error", f"{name} could not be used: {problem}")
            return
        self.undo = self._snapshot("model")
        self.settings, self.model = settings, model
        self.run.reset()
        self.messages["model"] = (
            "success",
            f"Loaded {name}: press Train to go on training it. {MODEL_UNDO_HINT}",
        )

    def open_page(self, share: str | None, workshop: bool, tour_step: str | None) -> None:
        """The first run of the page: the setup a share link carries (``share``), workshop mode and the
        tour's step when the link asks for them."""
        if self.link_checked:
            return
        self.link_checked = True
        self.view.workshop = workshop
        self.tour.open_at(tour_step)
        if share is not None:
            self._open_link(share)

    def _open_link(self, text: str) -> None:
        """The setup a share link carries; a sentence per part that could not be used goes to the "link"
        message (nothing of the person's is replaced: the session has just begun)."""
        setup, problems = decode_setup(text)
        table, description = _table_of(setup.source)
        choices, missing = _column_choices(setup, {str(name) for name in table.columns})
        preset = setup.source if isinstance(setup.source, PresetSource) else None
        self._show(table, description, preset)
        if preset is not None:
            self.data_set = DataSetControls(preset.n_samples, preset.noise, preset.seed)
        self.choices, self.settings = choices, setup.settings
        self.ask.values = dict(enumerate(setup.slider_values))
        problems += missing
        if problems:
            self.messages["link"] = ("error", "Part of the link could not be used: " + " ".join(problems))

    def shared_setup(self) -> SharedSetup:
        """The setup on screen now, ready for a link (ValueError when the table cannot travel in one)."""
        choices = self.fitted_choices()
        return SharedSetup(
            source=self._shared_source(),
            input_columns=choices.inputs,
            target_column=choices.target,
            task=choices.task,
            settings=self.settings,
            slider_values=tuple(float(value) for value in self.slider_values()),
        )

    def _shared_source(self) -> PresetSource | TableSource | None:
        """The shortest description that rebuilds the table: a preset's parameters, the tutorial, or the
        cells; ValueError naming what keeps the table out of a link."""
        table = self.current_table()
        if self.preset is not None and same_cells(table, table_from_dataset(self.preset.dataset())):
            return self.preset
        if same_cells(table, tutorial_table()):
            return None
        return table_source_from_frame(table)

    # --- settings and the network ----------------------------------------------------------------------

    def change_setting(self, name: str, value: object) -> None:
        """One setting of the sidebar (a field of the settings schema), checked; a value the setting does
        not allow changes nothing."""
        try:
            self.settings = with_setting(self.settings, name, value)
        except ValueError:
            return

    def change_layer_count(self, count: int) -> None:
        self.change_setting("hidden_layers", resized_layers(self.settings.network.hidden_layers, int(count)))

    def change_layer_size(self, layer: int, size: int) -> None:
        sizes = list(self.settings.network.hidden_layers)
        if 0 <= layer < len(sizes):
            sizes[layer] = int(size)
            self.change_setting("hidden_layers", tuple(sizes))

    def change_architecture(self, message: object) -> None:
        """What the picture's − / + and activation menu ask for (checked like a setting)."""
        network = self.settings.network
        change = architecture_change(message, network.hidden_layers, network.hidden_activation)
        if change is not None:
            hidden, activation = change
            self.change_setting("hidden_layers", hidden)
            self.change_setting("hidden_activation", activation)

    def type_weight(self, message: object) -> None:
        """A weight typed on the picture, written into the network (the maps and figures follow)."""
        model = self.model
        change = weight_change(message, model.network.layer_sizes) if model is not None else None
        if change is not None:
            layer, source, target, value = change
            model.network.weights[layer][source, target] = value

    # --- training -------------------------------------------------------------------------------------

    def train(self) -> None:
        if self.model is not None and self.data is not None:
            self.run.start(self.model, self.source)

    def pause(self) -> None:
        self.run.pause()

    def step(self) -> None:
        if self.model is not None and self.data is not None:
            self.run.step(self.model)

    def reset(self) -> None:
        """A new network from the seed, at epoch 0."""
        data = self.data
        if data is not None:
            self.run.reset()
            self.model = ModelRun.build(data, self.settings)

    # --- the learning-rate comparison -----------------------------------------------------------------

    def rates_chosen(self) -> tuple[float, ...]:
        return DEFAULT_RATES if self.view.rates_chosen is None else self.view.rates_chosen

    def choose_rates(self, rates: Sequence[float]) -> None:
        self.view.rates_chosen = tuple(float(rate) for rate in rates)

    def compare_rates(self) -> None:
        """Train one copy of the network per chosen learning rate (and the own), from the same start."""
        model = self.model
        if model is not None:
            rates = rates_to_compare(self.rates_chosen(), model.settings.training.learning_rate)
            self.view.rates_result = (self._rates_key(), compare_learning_rates(model, rates))

    def rates_current(self) -> bool:
        """True when the comparison shown was trained for the network and settings there are now."""
        return self.view.rates_result is not None and self.view.rates_result[0] == self._rates_key()

    def choose_step_rate(self, own_rate: float, rate: float) -> None:
        """The learning rate of the one step on a slice, remembered for the learning rate it starts at."""
        self.view.step_rates[float(own_rate)] = float(rate)

    def _rates_key(self) -> tuple[str, object] | None:
        model = self.model
        return None if model is None else (model.signature, model.settings.training)

    def note_refused_message(self, why: str) -> None:
        """A message from the browser that Streamlit could not read was dropped (see views/browser_input)."""
        self.messages["browser"] = (
            "error",
            f"A message from this page in your browser was ignored ({why}); the playground goes on as it "
            "was.",
        )

    def note_restart(self) -> None:
        """This browser tab had a session before this one: it has been told its earlier work is gone."""
        self.restart_noted = True

    def forget_runs(self) -> None:
        self.run.records = []
        self.view.runs_chosen, self.view.newest_run_seen = None, 0

    def runs_to_overlay(self) -> list[str]:
        """The runs drawn: the chosen ones still kept (the newest three at first), plus every run
        finished since the list was last shown."""
        return runs_to_overlay(self.run.records, self.view.runs_chosen, self.view.newest_run_seen)

    def choose_runs(self, labels: Sequence[str]) -> None:
        self.view.runs_chosen = tuple(labels)

    def see_runs(self) -> None:
        """The runs list was shown: a run finished later joins the overlay by itself."""
        self.view.runs_chosen = tuple(self.runs_to_overlay())
        self.view.newest_run_seen = self.run.records[-1].number if self.run.records else 0

    # --- asking the network ---------------------------------------------------------------------------

    def move_slider(self, index: int, value: float) -> None:
        self.ask.values[int(index)] = float(value)

    def ask_about(self, values: Sequence[float]) -> None:
        self.ask.values = dict(enumerate(float(value) for value in values))

    def choose_axes(self, x_name: str, y_name: str) -> None:
        self.ask.axes = (x_name, y_name)

    def set_view(self, name: str, value: object) -> None:
        """One of the page's view choices (the open tab, a chooser of a teaching view)."""
        if not hasattr(self.view, name):
            raise ValueError(f"There is no view choice named {name!r}.")
        setattr(self.view, name, value)

    def set_ask(self, name: str, value: object) -> None:
        """What a click on the surface adds: ``new_point_class`` or ``new_point_value``."""
        if name not in ("new_point_class", "new_point_value"):
            raise ValueError(f"There is no choice named {name!r}.")
        setattr(self.ask, name, value)

    # --- helpers --------------------------------------------------------------------------------------

    def _fit_settings(self, data: PreparedData) -> None:
        """Settings the table allows (see ``fitted_to_data``); derived inputs taken away are named."""
        split = self.settings.data
        n_train = len(split_indices(len(data.X), split.test_fraction, split.split_seed)[0])
        self.settings, taken = fitted_to_data(self.settings, data.task, len(data.feature_names), n_train)
        if taken:
            gone = ", ".join(taken)
            self.messages["settings"] = (
                "info",
                f"Taken away: {gone}, which the chosen input columns do not offer.",
            )

    def _default_slider(self, data: PreparedData, index: int) -> float:
        if self.source == TUTORIAL and len(data.feature_names) == 2:
            return TUTORIAL_QUESTIONS["Emily"][index]
        return float(np.median(data.X[:, index]))

    def _new_point_target(self, data: PreparedData) -> str | None:
        """The target cell of a row added by clicking the surface (None: the click's height, one input)."""
        if data.task == "regression":
            return None if len(data.feature_names) == 1 else number_text(self.ask.new_point_value)
        index = self.ask.new_point_class
        return None if index is None or not 0 <= index < len(data.class_labels) else data.class_labels[index]

    def _load(
        self,
        table: pd.DataFrame,
        *,
        source: str,
        preset: PresetSource | None = None,
        origin: pd.DataFrame | None = None,
        settings: Settings | None = None,
        model: ModelRun | None = None,
        choices: ColumnChoices | None = None,
    ) -> None:
        """Every load of a table (a data set, a file, Undo) comes here: what it replaces goes to Undo,
        the table shows as a new version, and a run stops."""
        self.undo = self._snapshot("table")
        self._show(table, source, preset, origin=origin)
        self.choices = choices or ColumnChoices()
        if settings is not None:
            self.settings = settings
        if preset is not None:
            self.data_set = DataSetControls(preset.n_samples, preset.noise, preset.seed)
        self.model = model
        self.run.reset()

    def _show(
        self,
        table: pd.DataFrame,
        source: str,
        preset: PresetSource | None,
        *,
        origin: pd.DataFrame | None = None,
    ) -> None:
        """Give the editor ``table`` as a new version (the edits so far are in it or replaced by it)."""
        self.table, self.origin, self.source, self.preset = table, origin, source, preset
        self.edited_table = None
        self.table_version += 1
        self.ask.values = {}

    def _snapshot(self, replaced: str) -> Snapshot:
        """What is here now, for Undo to bring back."""
        return Snapshot(
            self.current_table(),
            self.original(),
            self.source,
            self.preset,
            self.model,
            self.settings,
            self.choices,
            replaced,
        )


def _table_of(source: PresetSource | TableSource | None) -> tuple[pd.DataFrame, str]:
    if isinstance(source, PresetSource):
        return table_from_dataset(source.dataset()), f"{source.name}, {source.n_samples} points (from a link)"
    if isinstance(source, TableSource):
        return frame_from_table_source(source), "A table from a link"
    return tutorial_table(), TUTORIAL


def _column_choices(setup: SharedSetup, columns: set[str]) -> tuple[ColumnChoices, list[str]]:
    """The link's column choices that ``columns`` has, and a sentence for each it does not."""
    problems = []
    inputs = None
    if setup.input_columns is not None:
        missing = [name for name in setup.input_columns if name not in columns]
        inputs = tuple(name for name in setup.input_columns if name in columns)
        if missing:
            quoted = ", ".join(f"'{name}'" for name in missing)
            problems.append(f"Its table has no input column {quoted}; those inputs were left out.")
    target = None
    if setup.target_column is not None:
        if setup.target_column in columns:
            target = setup.target_column
        else:
            problems.append(
                f"Its table has no target column '{setup.target_column}'; the last column is used."
            )
    return ColumnChoices(inputs, target, setup.task), problems
