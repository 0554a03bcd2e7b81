"""Neural-network playground: edit the data, train live, look inside, ask the network.

Run with ``python serve.py`` (or ``streamlit run app.py``). This file only composes the views in
``playground/views/``; everything a person means lives in the session model (``playground/session.py``).
"""

import streamlit as st

from playground.process_tuning import freeze_after_first_page, tune_server_process
from playground.session import Session
from playground.share import SHARE_PARAM
from playground.text import escape_markdown
from playground.views import adapter, keys
from playground.views.ask import show_axes_picker
from playground.views.browser_input import guard_component_states, read_browser_messages_in_turn
from playground.views.data import show_data_set_menu
from playground.views.live import PLAYGROUND, show_live
from playground.views.network import show_new_point_choice
from playground.views.page import asked_for_workshop, show_header, show_restart_notice, tour_step_from_link
from playground.views.server_share import counted_page_run, server_turn, share_turn
from playground.views.sidebar import show_sidebar
from playground.views.tabs import show_tabs
from playground.views.tour import show_tour
from playground.views.train import show_buttons, show_notice

tune_server_process()  # once per process, also when started as ``streamlit run app.py``
guard_component_states()
read_browser_messages_in_turn()
st.set_page_config(page_title="Neural-network playground", page_icon="🧠", layout="wide")
WORKSHOP_TABS = ("Guided tour", "Playground")


def compose() -> None:
    """The page, top to bottom."""
    session = adapter.session()
    if not session.link_checked:
        adapter.send(
            Session.open_page, st.query_params.get(SHARE_PARAM), asked_for_workshop(), tour_step_from_link()
        )
        if "link" in session.messages:
            message = escape_markdown(session.messages["link"][1])
            st.toast(message, icon=":material/link_off:", duration="infinite")
    adapter.apply_pending_edit(session)
    share_turn()  # between the parts of the page, a slow run lets others go first
    # Each part in a container of its own: what appears or goes in one never moves the parts after it
    # (Streamlit would draw them anew, and the table editor would lose the cell being typed in).
    with st.container():
        show_header(session)
        show_restart_notice(session)
        if "browser" in session.messages:
            st.error(escape_markdown(session.messages["browser"][1]), icon=":material/block:")
    if not session.view.workshop:
        show_playground(session)
        return
    open_tab = session.view.workshop_tab if session.view.workshop_tab in WORKSHOP_TABS else WORKSHOP_TABS[0]
    tabs = st.tabs(
        WORKSHOP_TABS, **adapter.bound(keys.WORKSHOP_TABS, open_tab, Session.set_view, "workshop_tab")
    )
    with tabs[WORKSHOP_TABS.index(open_tab)]:
        (show_tour if open_tab == WORKSHOP_TABS[0] else show_playground)(session)


def show_playground(session: Session) -> None:
    """The buttons, the live picture and the tabs; the settings in the sidebar (not in workshop mode,
    which puts the data set menu beside the buttons and the network's controls on the picture)."""
    if not session.view.workshop:
        with st.sidebar:
            show_sidebar(session)
        share_turn()
    button_row, notice, picture = st.container(), st.container(), st.container()
    with picture:
        show_axes_picker(session)
        if session.model is not None:
            show_live(PLAYGROUND)
            share_turn()
            show_new_point_choice(session)
    with notice:  # after the live view too: a run that diverged in this page run says so at once
        show_notice(session)
    with button_row:  # drawn after the live view: a run that ended in this page run shows Train again
        rest_of_row = show_buttons(session)
        if session.view.workshop:  # the sidebar is hidden: its data set menu comes here
            with rest_of_row:
                show_data_set_menu(session)
    share_turn()
    show_tabs(session)


_visitor = adapter.session()
with (
    counted_page_run(_visitor.session_id, first=not _visitor.link_checked),
    server_turn(who=_visitor.session_id),
):
    compose()
freeze_after_first_page()
