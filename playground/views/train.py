"""Train / Pause / Step / Reset, and the line beside them that says why training cannot go on.

Each button sends its intent at the click; the buttons are drawn after the live view has trained this
page run's frames, so they show where the run is now (a run that ended here shows Train again).
"""

from __future__ import annotations

from typing import NamedTuple

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from playground.session import Session
from playground.text import escape_markdown
from playground.views import adapter, keys
from playground.views.adapter import Intent


class _TrainingButton(NamedTuple):
    """One of the four training buttons and the intent it sends."""

    label: str
    key: str
    icon: str
    intent: Intent
    disabled: bool
    help: str | None = None


def show_buttons(session: Session) -> DeltaGenerator:
    """The four buttons and the run's notice; returns the rest of their row (workshop mode puts the
    data set menu there)."""
    columns = st.columns([1, 1, 1, 1, 3], vertical_alignment="center")
    unusable = session.data is None
    running = session.run.running
    buttons = (
        _TrainingButton("Train", keys.TRAIN, ":material/play_arrow:", Session.train, unusable or running),
        _TrainingButton(
            "Pause", keys.PAUSE, ":material/pause:", Session.pause, not (running or session.run.held)
        ),
        _TrainingButton(
            "Step", keys.STEP, ":material/skip_next:", Session.step, unusable, "Train exactly one epoch."
        ),
        _TrainingButton(
            "Reset",
            keys.RESET,
            ":material/restart_alt:",
            Session.reset,
            unusable,
            "A new network from the seed.",
        ),
    )
    for column, button in zip(columns, buttons, strict=False):
        column.button(
            button.label,
            type="primary" if button.key == keys.TRAIN else "secondary",
            icon=button.icon,
            width="stretch",
            disabled=button.disabled,
            help=button.help,
            **adapter.clicked(button.key, button.intent),
        )
    with columns[4]:
        if unusable and session.model is None:
            st.caption("Fix the table to train.")
    return columns[4]


def show_notice(session: Session) -> None:
    """Why the run stopped or waits (a divergence, a full history, a table to fix), derived each run."""
    notice = session.run.notice(session.model, session.data is not None)
    if notice is not None:
        st.error(escape_markdown(notice), icon=":material/warning:")
