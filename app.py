"""Neural-network playground: edit the data, train live, look inside, ask the network.

Run with ``python serve.py`` (or ``streamlit run app.py``). This file only composes the views in
``playground/``.
"""

import streamlit as st

from playground import controller
from playground.process_tuning import tune_server_process
from playground.settings import Settings
from playground.views import keys
from playground.views.ask import fixed_inputs, show_ask, show_axes_picker, show_predictions
from playground.views.backprop import show_backprop
from playground.views.controls import seed_widget_defaults
from playground.views.data import show_data_set_menu, show_source_picker, show_table
from playground.views.hidden_space import show_hidden_space
from playground.views.learning_rates import show_learning_rates
from playground.views.network import apply_asked_architecture
from playground.views.page import (
    PAGE_TABS,
    show_header,
    show_restart_notice,
    tour_step_from_link,
)
from playground.views.runs import show_runs
from playground.views.server_share import server_turn
from playground.views.share import restore_from_link, show_share
from playground.views.sidebar import show_settings
from playground.views.state import get_state
from playground.views.tour import show_tour
from playground.views.train import carry_out_request, show_buttons, show_live_view
from playground.views.transfer import show_model_transfer, show_table_transfer

tune_server_process()  # once per process, also when started as ``streamlit run app.py``
st.set_page_config(page_title="Neural-network playground", page_icon="🧠", layout="wide")


def compose() -> None:
    """The page, top to bottom."""
    state = get_state()
    restore_from_link(state)
    seed_widget_defaults(Settings())
    apply_asked_architecture(state)

    workshop = show_header()
    if workshop:
        tour_tab, playground_tab = st.tabs(["Guided tour", "Playground"])
        with tour_tab:
            show_tour(state.tour, tour_step_from_link())
        page = playground_tab
    else:
        page = st.container()
    with page:
        top = st.container()
        # Only the open tab's content is drawn (after the Data and Ask tabs, whose widgets the page always
        # needs): every frame of the live picture redraws the whole page, and hidden tables cost frames.
        tabs = st.tabs(PAGE_TABS, key=keys.PAGE_TABS, on_change="rerun")
        (
            data_tab,
            ask_tab,
            predictions_tab,
            backprop_tab,
            hidden_space_tab,
            learning_rates_tab,
            runs_tab,
            save_tab,
        ) = tabs
    with data_tab:
        check = show_table(state)
        show_table_transfer(state)
    with st.sidebar:
        show_source_picker(state)
        settings = show_settings(check.data)
    state.settings = settings
    state.model = controller.prepare(state.model, state.status, check.data, settings)
    with top:
        carry_out_request(state, check.data, settings)
        button_row = st.container()
        if state.model is not None:
            axes = show_axes_picker(state.model.data)
            show_live_view(state, axes, lambda model: fixed_inputs(state, model))
        with button_row:  # drawn last: a run that ended in this page run shows Train again
            rest_of_row = show_buttons(state, check.data, settings)
            if workshop:  # the sidebar is hidden: its data set menu comes here
                with rest_of_row:
                    show_data_set_menu(state)
    with ask_tab:
        show_ask(state, in_view=ask_tab.open)
    if predictions_tab.open:
        with predictions_tab:
            show_predictions(state.model)
    if backprop_tab.open:
        with backprop_tab:
            show_backprop(state.model)
    if hidden_space_tab.open:
        with hidden_space_tab:
            show_hidden_space(state)
    if learning_rates_tab.open:
        with learning_rates_tab:
            show_learning_rates(state)
    if runs_tab.open:
        with runs_tab:
            show_runs(state)
    if save_tab.open:
        with save_tab:
            show_model_transfer(state, check.data, settings)
            sliders = list(fixed_inputs(state, state.model)) if state.model is not None else []
            show_share(state, settings, sliders)
    show_restart_notice(state)


with server_turn():
    compose()
