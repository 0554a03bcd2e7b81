"""Compare runs: overlay the loss curves of finished runs and list their settings and results."""

from __future__ import annotations

import streamlit as st

from playground.runs import runs_chart, runs_table
from playground.session import Session
from playground.views import adapter, keys


def show_runs(session: Session) -> None:
    """The runs of this session (newest last), a choice of which to overlay, the chart and the table."""
    runs = session.run.records
    if not runs:
        st.info("Finished training runs appear here, so you can compare settings and results.")
        return
    chosen = session.runs_to_overlay()
    if session.view.newest_run_seen != runs[-1].number:
        adapter.send(Session.see_runs, local=True)
    st.multiselect(
        "Runs to overlay",
        [run.label for run in runs],
        **adapter.bound(keys.RUNS_CHOSEN, chosen, Session.choose_runs),
    )
    st.toggle(
        "Log-scale loss",
        **adapter.bound(keys.RUNS_LOG_SCALE, session.view.runs_log_scale, Session.set_view, "runs_log_scale"),
    )
    picked = [run for run in runs if run.label in chosen]
    st.vega_lite_chart(spec=runs_chart(picked, session.view.runs_log_scale), width="stretch")
    st.dataframe(runs_table(runs), hide_index=True, width="stretch")
    st.button("Forget all runs", **adapter.clicked(keys.RUNS_CLEAR, Session.forget_runs))
