"""Compare runs: overlay the loss curves of finished runs and list their settings and results."""

from __future__ import annotations

import streamlit as st

from playground.runs import runs_chart, runs_table, runs_to_overlay
from playground.views import keys
from playground.views.state import AppState


def show_runs(state: AppState) -> None:
    """The runs of this session (newest last), a choice of which to overlay, the chart and the table."""
    runs = state.runs
    if not runs:
        st.info("Finished training runs appear here, so you can compare settings and results.")
        return
    labels = [run.label for run in runs]
    st.session_state[keys.RUNS_CHOSEN] = runs_to_overlay(
        runs, st.session_state.get(keys.RUNS_CHOSEN), state.newest_run_seen
    )
    state.newest_run_seen = runs[-1].number
    chosen = st.multiselect("Runs to overlay", labels, key=keys.RUNS_CHOSEN)
    log_scale = st.toggle("Log-scale loss", key=keys.RUNS_LOG_SCALE)
    picked = [run for run in runs if run.label in chosen]
    st.vega_lite_chart(spec=runs_chart(picked, log_scale), width="stretch")
    st.dataframe(runs_table(runs), hide_index=True, width="stretch")
    st.button("Forget all runs", key=keys.RUNS_CLEAR, on_click=state.forget_runs)
