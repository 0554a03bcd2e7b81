"""Compare runs: overlay the loss curves of finished runs and list their settings and results."""

from __future__ import annotations

import streamlit as st

from playground.runs import runs_chart, runs_table
from playground.state import AppState


def show_runs(state: AppState) -> None:
    """The runs of this session (newest last), a choice of which to overlay, the chart and the table."""
    runs = state.runs
    if not runs:
        st.info("Finished training runs appear here, so you can compare settings and results.")
        return
    labels = [run.label for run in runs]
    chosen = st.multiselect("Runs to overlay", labels, default=labels[-3:], key="runs_chosen")
    log_scale = st.toggle("Log-scale loss", key="runs_log_scale")
    picked = [run for run in runs if run.label in chosen]
    st.vega_lite_chart(spec=runs_chart(picked, log_scale), width="stretch")
    st.dataframe(
        runs_table(runs), hide_index=True, width="stretch",
        column_config={name: st.column_config.NumberColumn(format="%.4f")
                       for name in ("Train loss", "Test loss")}
        | {name: st.column_config.NumberColumn(format="percent")
           for name in ("Train accuracy", "Test accuracy")},
    )  # fmt: skip
    st.button("Forget all runs", key="runs_clear", on_click=state.runs.clear)
