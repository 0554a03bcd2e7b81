"""The sidebar's settings, drawn in order and fitted to the data's problem type."""

from __future__ import annotations

import streamlit as st

from nn_core.datasets import split_indices
from playground.settings import Settings
from playground.table import PreparedData
from playground.views.controls import show_data_controls, show_network_controls, show_training_controls


def show_settings(data: PreparedData | None) -> Settings:
    """Network, training and data settings; with no valid data, the tutorial's problem type is assumed."""
    network = show_network_controls(data.task if data is not None else "binary")
    st.subheader("Inputs and test rows")
    data_settings = show_data_controls(data.feature_names if data is not None else ())
    n_train_rows = 1
    if data is not None:
        train_rows, _ = split_indices(len(data.X), data_settings.test_fraction, data_settings.split_seed)
        n_train_rows = len(train_rows)
    training = show_training_controls(network.output_activation, n_train_rows)
    return Settings(network=network, training=training, data=data_settings)
