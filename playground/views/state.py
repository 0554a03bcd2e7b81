"""The one typed object that holds a browser session's state, kept in ``st.session_state``.

Everything a user has (their table, their model, whether it is training) lives here, so two
browser tabs never share anything and nothing lives at module level.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import pandas as pd
import streamlit as st

from playground.controller import TrainingStatus
from playground.features_lesson import LessonResult
from playground.model import ModelRun
from playground.presets import TUTORIAL, PresetSource, load_source, table_from_dataset
from playground.runs import RunRecord
from playground.settings import Settings
from playground.table import same_cells
from playground.views import keys
from playground.views.controls import apply_settings

CHOICES = ("inputs", "target", "task")


@dataclass
class TableSnapshot:
    """What a load replaced: the table as edited, its source, model, settings and column choices.

    ``replaced`` names what Undo brings back: "table", or "model" when a model file was loaded."""

    table: pd.DataFrame
    origin: pd.DataFrame
    source: str
    preset: PresetSource | None
    model: ModelRun | None
    settings: Settings
    choices: dict[str, object]
    replaced: str = "table"


@dataclass
class PictureScene:
    """Which scene a network picture was last sent (its key): the frames after it carry only numbers."""

    sent: str | None = None


@dataclass
class TourTraining:
    """The guided tour's own training run, apart from the playground's: its network and where it is."""

    run: ModelRun
    status: TrainingStatus
    raw: bool = False  # trained on the unshifted weights and heights (to watch training stall)


@dataclass
class TourState:
    """Where the guided tour is: its step (None until the first run picks one), how many of the SGD
    step's per-person updates were taken, its training run and the features step's trained networks."""

    step: int | None = None
    sgd_updates: int = 0
    training: TourTraining | None = None
    picture: PictureScene = field(default_factory=PictureScene)
    lesson: tuple[LessonResult, ...] | None = None  # the features step's three trained networks


@dataclass
class AppState:
    """The user's table (as given to the editor), its version, the model and the training status.

    ``table`` is replaced only on purpose (a data set, an upload, a link, an added point, an undo);
    ``origin`` is the table as its source gave it (None: ``table`` itself), to tell whether it is edited;
    each replacement bumps ``table_version``, which tells the editor to show the new table.
    ``edited_table`` is the table with the edits typed so far: an added point is appended to it, so
    replacing the table keeps every edit. ``undo`` is what the last load replaced. ``runs`` are finished
    runs to compare; ``newest_run_seen`` is the number of the newest run the overlay has shown.
    ``messages`` holds the last outcome of an upload or link per area ("table", "model", "link").
    ``preset`` is the generated data set the table was loaded from, so a share link can name it.
    ``settings`` are the settings the last run showed (kept for an undo). ``requested`` is a training
    button pressed since the last run ("train", "pause", "step" or "reset"), carried out on the next run
    of the whole page; ``page_outdated`` says that the network picture changed the network or the table
    and the whole page must run to show it; ``asked_architecture`` is the hidden layer sizes and activation
    asked for on the picture, for the sidebar's controls on that run. ``answered_inputs`` are the slider
    values the Ask tab last answered for.
    ``picture`` remembers the scene the network picture has. ``tour`` is the guided tour's step, training
    run and picture.
    """

    table: pd.DataFrame
    origin: pd.DataFrame | None = None
    source: str = TUTORIAL
    table_version: int = 0
    model: ModelRun | None = None
    status: TrainingStatus = field(default_factory=TrainingStatus)
    requested: str | None = None
    page_outdated: bool = False
    asked_architecture: tuple[tuple[int, ...], str] | None = None
    answered_inputs: tuple[float, ...] | None = None
    runs: list[RunRecord] = field(default_factory=list)
    newest_run_seen: int = 0
    edited_table: pd.DataFrame | None = None
    last_added_box: tuple[float, float] | None = None
    messages: dict[str, tuple[str, str]] = field(default_factory=dict)
    preset: PresetSource | None = None
    settings: Settings = field(default_factory=Settings)
    undo: TableSnapshot | None = None
    session_id: str = field(default_factory=lambda: secrets.token_hex(8))
    link_checked: bool = False
    restart_noted: bool = False
    picture: PictureScene = field(default_factory=PictureScene)
    tour: TourState = field(default_factory=TourState)

    def editor_version(self) -> str:
        """The table's name for the editor: its version, in this session only (a new one never reuses it)."""
        return f"{self.session_id}-{self.table_version}"

    def current_table(self) -> pd.DataFrame:
        """The table as the user sees it now, edits included."""
        return self.edited_table if self.edited_table is not None else self.table

    def is_edited(self) -> bool:
        """True when the table differs from what its source gave."""
        return not same_cells(self.current_table(), self.original())

    def load_table(
        self,
        table: pd.DataFrame | None,
        *,
        source: str | None = None,
        preset: PresetSource | None = None,
        origin: pd.DataFrame | None = None,
        settings: Settings | None = None,
        model: ModelRun | None = None,
        choices: Mapping[str, object] | None = None,
        undoable: bool = True,
        keep_status: bool = False,
    ) -> None:
        """Every load (a data set, an upload, a link, a model file, an added point, an undo) comes here,
        so what each one keeps and what it resets is decided in one place.

        ``table`` is shown as a new version, described by ``source`` (None: the source stays), ``preset``
        (the generated data set it is) and ``origin`` (the table as its source gave it; None: ``table``);
        ``table`` None keeps the table, its version, edits and column choices. ``settings`` are shown in the
        widgets (None: the widgets stay). ``model`` is kept or brought (None: one is built anew).
        ``choices`` are the new version's column choices (None: the defaults). ``undoable``: Undo brings
        back what this replaces (otherwise Undo stays as it was). ``keep_status``: a training goes on.
        """
        if undoable:
            self.undo = self._snapshot("table" if table is not None else "model")
        if table is not None:
            self._show(table, source if source is not None else self.source, preset)
            self.origin = origin
            self._set_choices(choices or {})
        if settings is not None:
            apply_settings(settings)
        self.model = model
        if not keep_status:
            self.status = TrainingStatus()

    def undo_load(self) -> None:
        """Bring back what the last load replaced; pressed again, it redoes the load."""
        snapshot = self.undo
        if snapshot is None:
            return
        self.load_table(
            snapshot.table,
            source=snapshot.source,
            preset=snapshot.preset,
            origin=snapshot.origin,
            settings=snapshot.settings,
            model=snapshot.model,
            choices=snapshot.choices,
        )
        self.undo = replace(self.undo, replaced=snapshot.replaced)  # redoing brings back the same kind

    def original(self) -> pd.DataFrame:
        """The table as its source gave it."""
        return self.table if self.origin is None else self.origin

    def choices(self) -> dict[str, object]:
        """The column choices ("inputs", "target", "task") made for the table's current version."""
        named = {name: keys.choice_key(name, self.table_version) for name in CHOICES}
        return {name: st.session_state[key] for name, key in named.items() if key in st.session_state}

    def forget_runs(self) -> None:
        self.runs = []
        self.newest_run_seen = 0

    def _show(self, table: pd.DataFrame, source: str, preset: PresetSource | None) -> None:
        self.table = table
        self.edited_table = None
        self.source = source
        self.preset = preset
        self.table_version += 1

    def _snapshot(self, replaced: str) -> TableSnapshot:
        """What is here now, for Undo to bring back."""
        return TableSnapshot(
            self.current_table(),
            self.original(),
            self.source,
            self.preset,
            self.model,
            self.settings,
            self.choices(),
            replaced,
        )

    def _set_choices(self, choices: Mapping[str, object]) -> None:
        for name, value in choices.items():
            st.session_state[keys.choice_key(name, self.table_version)] = value


def get_state() -> AppState:
    """This session's state, created with the tutorial's table on first use."""
    if keys.STATE not in st.session_state:
        st.session_state[keys.STATE] = AppState(table=table_from_dataset(load_source(TUTORIAL, 4, 0.0, 0)))
    return st.session_state[keys.STATE]
