"""Page chrome: the compact header, workshop mode for a projector, the notice after a restart, and the
styles that keep the live picture steady while other parts of the page run again.
"""

from __future__ import annotations

import streamlit as st

from playground.session import Session
from playground.views import adapter, keys
from playground.views.components import static_component

RESTART_MESSAGE = (
    "This page was reloaded or the server restarted, so the playground started again from the "
    "tutorial: an earlier table, model and runs are gone. (Share links and downloads keep your work.)"
)
_TAB_MARKER = static_component("playground_tab_marker", "tab_marker.js")
TOUR_PARAM = "tour"
WORKSHOP_PARAM = "workshop"

# Streamlit's default top padding (6rem) and h1 size eat a fifth of a 720-pixel screen. While a page run
# is slow Streamlit fades the elements of the last run (data-stale); the live pictures and the figures
# over them are never faded: they are kept current by their own messages.
COMPACT_STYLE = f"""
<style>
[data-testid="stMainBlockContainer"] {{ padding-top: 2.6rem; padding-bottom: 2rem; }}
[data-testid="stHeader"], [data-testid="stToolbar"] {{
  background: transparent; pointer-events: none !important;
}}
[data-testid="stMainMenu"], [data-testid="stToolbarActions"] {{ pointer-events: auto !important; }}
[data-testid="stMainBlockContainer"] h3 {{ padding-top: 0; padding-bottom: 0; }}
[data-testid="stSidebarHeader"] {{ height: 1rem; min-height: 1rem; padding: 0; }}
[data-testid="stMetricValue"] {{ font-size: 2rem; }}
.st-key-{keys.NETWORK_PICTURE}, .st-key-{keys.TOUR_PICTURE},
[data-testid="stElementContainer"]:has(.st-key-{keys.NETWORK_PICTURE}, .st-key-{keys.TOUR_PICTURE}) {{
  opacity: 1 !important; transition: none !important;
}}
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


def asked_for_workshop() -> bool:
    """A link with ?workshop=1 or ?tour=<step> opens in workshop mode."""
    return TOUR_PARAM in st.query_params or st.query_params.get(WORKSHOP_PARAM) in ("1", "true", "on")


def tour_step_from_link() -> str | None:
    return st.query_params.get(TOUR_PARAM)


def show_header(session: Session) -> None:
    """Style, title, one line on what to do, and the workshop-mode switch."""
    st.html(COMPACT_STYLE)
    title, switch = st.columns([3, 1], vertical_alignment="center")
    title = title.container(key=keys.APP_TITLE)
    title.markdown(
        "### Neural-network playground",
        help="Edit the data, press Train and watch a network learn — then ask it about new inputs.",
    )
    switch.toggle(
        "Workshop mode",
        help="Large type and no sidebar, for a projector.",
        **adapter.bound(keys.WORKSHOP, session.view.workshop, Session.set_view, "workshop"),
    )
    if session.view.workshop:
        st.html(WORKSHOP_STYLE)


def show_restart_notice(session: Session) -> None:
    """Say once, in a toast that stays until closed, when this tab's earlier session (and its work) is gone.

    The browser tab remembers its last session in sessionStorage (``static/tab_marker.js``), so a reload
    or a server restart is noticed, while a link opened in another tab or browser is not.
    """
    _TAB_MARKER(key=keys.TAB_MARKER, data={"session": session.session_id}, on_earlier_session_change=_ignore)
    if adapter.component_state(keys.TAB_MARKER).get("earlier_session") and not session.restart_noted:
        adapter.send(Session.note_restart, local=True)
        st.toast(RESTART_MESSAGE, icon=":material/restart_alt:", duration="infinite")


def _ignore() -> None:
    """The marker's state is read on the run it causes."""
