"""Compare runs: overlay the loss curves of finished runs and list their settings and results."""

from __future__ import annotations

import streamlit as st

from playground.runs import runs_chart, runs_table, runs_to_overlay
from playground.views.state import AppState

CHOSEN_KEY = "runs_chosen"


def show_runs(state: AppState) -> None:
    """The runs of this session (newest last), a choice of which to overlay, the chart and the table."""
    runs = state.runs
    if not runs:
        st.info("Finished training runs appear here, so you can compare settings and results.")
        return
    labels = [run.label for run in runs]
    st.session_state[CHOSEN_KEY] = runs_to_overlay(
        runs, st.session_state.get(CHOSEN_KEY), state.newest_run_seen
    )
    state.newest_run_seen = runs[-1].number
    chosen = st.multiselect("Runs to overlay", labels, key=CHOSEN_KEY)
    log_scale = st.toggle("Log-scale loss", key="runs_log_scale")
    picked = [run for run in runs if run.label in chosen]
    st.vega_lite_chart(spec=runs_chart(picked, log_scale), width="stretch")
    st.dataframe(runs_table(runs), hide_index=True, width="stretch")
    st.button("Forget all runs", key="runs_clear", on_click=state.forget_runs)
