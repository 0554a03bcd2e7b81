"""Page chrome: the compact header, and workshop mode for a projector.

Workshop mode hides the sidebar and enlarges the type; the sidebar's widgets are still drawn (only
hidden), so every setting survives switching the mode on and off.
"""

from __future__ import annotations

import streamlit as st

from playground.views import keys
from playground.views.components import static_component
from playground.views.state import AppState

RESTART_MESSAGE = (
    "This page was reloaded or the server restarted, so the playground started again from the "
    "tutorial: an earlier table, model and runs are gone. (Share links and downloads keep your work.)"
)
_TAB_MARKER = static_component("playground_tab_marker", "tab_marker.js")
PAGE_TABS = (
    "Data",
    "Ask the network",
    "Predictions",
    "Backprop, step by step",
    "Hidden layer's space",
    "Learning rates",
    "Compare runs",
    "Save and share",
)
TOUR_PARAM = "tour"
WORKSHOP_PARAM = "workshop"

# Streamlit's default top padding (6rem) and h1 size eat a fifth of a 720-pixel screen.
COMPACT_STYLE = """
<style>
[data-testid="stMainBlockContainer"] { padding-top: 2.6rem; padding-bottom: 2rem; }
[data-testid="stHeader"], [data-testid="stToolbar"] {
  background: transparent; pointer-events: none !important;
}
[data-testid="stMainMenu"], [data-testid="stToolbarActions"] { pointer-events: auto !important; }
[data-testid="stMainBlockContainer"] h3 { padding-top: 0; padding-bottom: 0; }
[data-testid="stSidebarHeader"] { height: 1rem; min-height: 1rem; padding: 0; }
[data-testid="stMetricValue"] { font-size: 2rem; }
</style>
"""
WORKSHOP_STYLE = """
<style>
html { font-size: 19px; }
.st-key-app_title h3 { font-size: 1.3rem; }
section[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"] { display: none; }
[data-testid="stMainBlockContainer"] { max-width: 100%; padding-left: 2rem; padding-right: 2rem; }
</style>
"""


def show_header() -> bool:
    """Style, title, one line on what to do, and the workshop-mode switch; returns whether it is on."""
    st.session_state.setdefault(keys.WORKSHOP, _asked_for_workshop())
    st.html(COMPACT_STYLE)
    title, switch = st.columns([3, 1], vertical_alignment="center")
    title = title.container(key=keys.APP_TITLE)
    title.markdown(
        "### Neural-network playground",
        help="Edit the data, press Train and watch a network learn — then ask it about new inputs.",
    )
    workshop = switch.toggle(
        "Workshop mode", key=keys.WORKSHOP, help="Large type and no sidebar, for a projector."
    )
    if workshop:
        st.html(WORKSHOP_STYLE)
    return workshop


def show_restart_notice(state: AppState) -> None:
    """Say once, in a toast that stays until closed, when this tab's earlier session (and its work) is gone.

    The browser tab remembers its last session in sessionStorage (``static/tab_marker.js``), so a reload
    or a server restart is noticed, while a link opened in another tab or browser is not.
    """
    marker = _TAB_MARKER(
        key=keys.TAB_MARKER, data={"session": state.session_id}, on_earlier_session_change=_ignore
    )
    if marker.get("earlier_session") and not state.restart_noted:
        state.restart_noted = True
        st.toast(RESTART_MESSAGE, icon=":material/restart_alt:", duration="infinite")


def _ignore() -> None:
    """The marker's state is read on the rerun it causes."""


def _asked_for_workshop() -> bool:
    """A link with ?workshop=1 or ?tour=<step> opens in workshop mode."""
    return TOUR_PARAM in st.query_params or st.query_params.get(WORKSHOP_PARAM) in ("1", "true", "on")


def tour_step_from_link() -> str | None:
    return st.query_params.get(TOUR_PARAM)
