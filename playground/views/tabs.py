"""The page's tabs, registered in one list: a new tab is one entry here plus its view.

Only the open tab is drawn: every frame of the live picture costs a run of whatever is drawn, and a
closed tab's widgets keep nothing (their values live in the session model).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st

from playground.choices import FIRST_TAB
from playground.session import Session
from playground.views import adapter, keys
from playground.views.ask import show_ask_tab, show_predictions_tab
from playground.views.backprop import show_backprop
from playground.views.data import show_data_tab
from playground.views.hidden_space import show_hidden_space
from playground.views.learning_rates import show_learning_rates
from playground.views.runs import show_runs
from playground.views.share import show_save_and_share


@dataclass(frozen=True)
class Tab:
    """A tab of the page: its name, its view, and whether it needs a network (a usable table) to show."""

    name: str
    show: Callable[[Session], None]
    needs_model: bool = True


TABS = (
    Tab(FIRST_TAB, show_data_tab, needs_model=False),
    Tab("Ask the network", show_ask_tab),
    Tab("Predictions", show_predictions_tab),
    Tab("Backprop, step by step", show_backprop),
    Tab("Hidden layer's space", show_hidden_space),
    Tab("Learning rates", show_learning_rates),
    Tab("Compare runs", show_runs, needs_model=False),
    Tab("Save and share", show_save_and_share, needs_model=False),
)
TAB_NAMES = tuple(tab.name for tab in TABS)


def show_tabs(session: Session) -> None:
    """The tab row, and the open tab's view."""
    open_name = session.view.page_tab if session.view.page_tab in TAB_NAMES else FIRST_TAB
    containers = st.tabs(TAB_NAMES, **adapter.bound(keys.PAGE_TABS, open_name, Session.set_view, "page_tab"))
    for tab, container in zip(TABS, containers, strict=True):
        if tab.name != open_name:
            continue
        with container:
            if tab.needs_model and session.model is None:
                st.info("Fix the table (in the Data tab) to see this.")
            else:
                tab.show(session)
