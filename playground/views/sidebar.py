"""The sidebar: the data set, then the network, the inputs and test rows, and training, fitted to the
table's problem type."""

from __future__ import annotations

import streamlit as st

from nn_core.datasets import split_indices
from playground.session import Session
from playground.views.controls import show_data_controls, show_network_controls, show_training_controls
from playground.views.data import show_source_picker


def show_sidebar(session: Session) -> None:
    """Data set, network, data and training settings; with no valid table, the tutorial's problem type
    is assumed."""
    data = session.data
    show_source_picker(session)
    show_network_controls(session, data.task if data is not None else "binary")
    st.subheader("Inputs and test rows")
    show_data_controls(session, data.feature_names if data is not None else ())
    n_train_rows = 1
    if data is not None:
        split = session.settings.data
        n_train_rows = len(split_indices(len(data.X), split.test_fraction, split.split_seed)[0])
    show_training_controls(session, n_train_rows)
