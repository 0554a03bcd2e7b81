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
from playground.model import ModelRun
from playground.presets import TUTORIAL, load_source, table_from_dataset
from playground.runs import RunRecord
from playground.share import PresetSource

STATE_KEY = "playground"
# Marks the browser tab's URL, so a new session in the same tab (a reload, or the server restarted
# and the page reconnected) can say that the earlier table and model are gone.
SESSION_PARAM = "session"
RESTART_MESSAGE = (
    "This page was reloaded or the server restarted, so the playground started again from the "
    "tutorial: an earlier table, model and runs are gone. (Share links and downloads keep your work.)"
)


@dataclass
class AppState:
    """The user's table (as given to the data editor), its version, the model and the training status.

    ``table`` is replaced only on purpose (a preset, an upload, an added point); each replacement bumps
    ``table_version``, which is part of the editor's key, so pending edits are never mixed up.
    ``edited_table`` is what the editor last returned (pending edits included): an added point is
    appended to it, so replacing the table keeps every edit. ``runs`` are finished runs to compare.
    ``messages`` holds the last outcome of an upload or link per area ("table", "model", "link").
    ``preset`` is the generated data set the table was loaded from, so a share link can name it.
    """

    table: pd.DataFrame
    source: str = TUTORIAL
    table_version: int = 0
    model: ModelRun | None = None
    status: TrainingStatus = field(default_factory=TrainingStatus)
    runs: list[RunRecord] = field(default_factory=list)
    edited_table: pd.DataFrame | None = None
    last_added_box: tuple[float, float] | None = None
    messages: dict[str, tuple[str, str]] = field(default_factory=dict)
    preset: PresetSource | None = None
    session_id: str = field(default_factory=lambda: secrets.token_hex(8))
    link_checked: bool = False

    def replace_table(self, table: pd.DataFrame, source: str) -> None:
        self.table = table
        self.source = source
        self.table_version += 1


def get_state() -> AppState:
    """This session's state, created with the tutorial's table on first use."""
    if STATE_KEY not in st.session_state:
        state = AppState(table=table_from_dataset(load_source(TUTORIAL, 4, 0.0, 0)))
        if SESSION_PARAM in st.query_params:  # this browser tab had a session before
            state.messages["restart"] = ("warning", RESTART_MESSAGE)
        st.query_params[SESSION_PARAM] = secrets.token_hex(4)
        st.session_state[STATE_KEY] = state
    return st.session_state[STATE_KEY]
