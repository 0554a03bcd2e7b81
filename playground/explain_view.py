"""Backprop, shown: pick a row and see the forward pass, every derivative, the update and a numeric check."""

from __future__ import annotations

import streamlit as st

from playground import backprop
from playground.model import ModelRun
from playground.text import escape_markdown

NUMBER_FORMAT = "%.6f"


def show_backprop(model: ModelRun | None) -> None:
    """The arithmetic of one SGD step on one row, for the current weights."""
    if model is None:
        st.info("Fix the table to see the arithmetic.")
        return
    data = model.data
    row = st.selectbox(
        "Data row",
        range(len(data.X)),
        format_func=lambda index: _row_label(model, index),
        key="explain_row",
    )
    row = min(row or 0, len(data.X) - 1)
    _show_inputs(model, row)
    st.markdown("#### 1. Forward pass")
    st.dataframe(
        backprop.forward_table(model, row), hide_index=True, width="stretch",
        column_config={"z": st.column_config.NumberColumn(format=NUMBER_FORMAT),
                       "a = f(z)": st.column_config.NumberColumn(format=NUMBER_FORMAT)},
    )  # fmt: skip
    loss_name = model.settings.training.loss
    st.markdown(f"Loss on this row ({loss_name}): **{backprop.loss_for_row(model, row):.6f}**")
    _show_gradients(model, row)


def _row_label(model: ModelRun, index: int) -> str:
    values = ", ".join(f"{value:g}" for value in model.data.X[index])
    return f"{model.data.row_labels[index]} ({values})"


def _show_inputs(model: ModelRun, row: int) -> None:
    inputs, targets = backprop.row_targets(model, row)
    names = [escape_markdown(name) for name in model.data.feature_names]
    shown = ", ".join(
        f"x{i + 1} = {name} = {value:.4g}"
        for i, (name, value) in enumerate(zip(names, inputs[0], strict=True))
    )
    note = " (standardised)" if model.settings.data.standardize else ""
    st.markdown(
        f"Inputs as the network sees them{note}: {shown}; target: {', '.join(f'{t:g}' for t in targets[0])}"
    )


def _show_gradients(model: ModelRun, row: int) -> None:
    learning_rate = model.settings.training.learning_rate
    st.markdown(f"#### 2. Backward pass and the update at learning rate η = {learning_rate:g}")
    table, check = backprop.gradient_table(model, row, learning_rate)
    number = st.column_config.NumberColumn(format=NUMBER_FORMAT)
    st.dataframe(
        table, hide_index=True, width="stretch",
        column_config={name: number for name in table.columns if name != "Parameter"},
    )  # fmt: skip
    st.caption(backprop.check_sentence(check))
    if not backprop.is_tutorial_shape(model.network.layer_sizes):
        st.markdown("#### 3. The same gradients as one matrix per layer (rows: from, columns: to)")
        for layer, (weights, biases) in enumerate(backprop.gradient_matrices(model, row), start=1):
            st.markdown(f"Layer {layer}: dL/dW and dL/db")
            st.dataframe(weights.style.format("{:.6f}"), width="stretch")
            st.dataframe(biases.to_frame("dL/db").T.style.format("{:.6f}"), width="stretch")
