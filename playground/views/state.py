"""The one typed object that holds a browser session's state, kept in ``st.session_state``.

Everything a user has (their table, their model, whether it is training) lives here, so two
browser tabs never share anything and nothing lives at module level.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

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

CHOICES = ("inputs", "target", "task")


@dataclass
class TableSnapshot:
    """What a load replaced: the table as edited, its source, model, settings and column choices."""

    table: pd.DataFrame
    origin: pd.DataFrame
    source: str
    preset: PresetSource | None
    model: ModelRun | None
    settings: Settings
    choices: dict[str, object]


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
        return not same_cells(self.current_table(), self._original())

    def load_table(
        self,
        table: pd.DataFrame,
        source: str,
        preset: PresetSource | None = None,
        origin: pd.DataFrame | None = None,
    ) -> None:
        """Replace the table with new data; the model starts anew, and Undo can bring back what was here."""
        self.undo = TableSnapshot(
            self.current_table(),
            self._original(),
            self.source,
            self.preset,
            self.model,
            self.settings,
            self._choices(),
        )
        self._show(table, source, preset)
        self.origin = origin
        self.model = None
        self.status = TrainingStatus()

    def add_rows(self, table: pd.DataFrame) -> None:
        """Show ``table``, the current one with rows added: same source, same column choices."""
        choices, original = self._choices(), self._original()
        self._show(table, self.source, self.preset)
        self.origin = original
        self._set_choices(choices)

    def undo_load(self) -> Settings:
        """Bring back what the last load replaced (pressed again, it redoes the load); returns settings."""
        snapshot = self.undo
        if snapshot is None:
            return self.settings
        self.load_table(snapshot.table, snapshot.source, snapshot.preset, snapshot.origin)
        self.model = snapshot.model
        self._set_choices(snapshot.choices)
        return snapshot.settings

    def _original(self) -> pd.DataFrame:
        """The table as its source gave it."""
        return self.table if self.origin is None else self.origin

    def forget_runs(self) -> None:
        self.runs = []
        self.newest_run_seen = 0

    def _show(self, table: pd.DataFrame, source: str, preset: PresetSource | None) -> None:
        self.table = table
        self.edited_table = None
        self.source = source
        self.preset = preset
        self.table_version += 1

    def _choices(self) -> dict[str, object]:
        named = {name: keys.choice_key(name, self.table_version) for name in CHOICES}
        return {name: st.session_state[key] for name, key in named.items() if key in st.session_state}

    def _set_choices(self, choices: dict[str, object]) -> None:
        for name, value in choices.items():
            st.session_state[keys.choice_key(name, self.table_version)] = value


def get_state() -> AppState:
    """This session's state, created with the tutorial's table on first use."""
    if keys.STATE not in st.session_state:
        st.session_state[keys.STATE] = AppState(table=table_from_dataset(load_source(TUTORIAL, 4, 0.0, 0)))
    return st.session_state[keys.STATE]
