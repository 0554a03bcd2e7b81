"""Backprop, shown: pick a row and see the forward pass, the chain rule link by link (for the tutorial's
2-2-1 network), every derivative, one plain SGD step and a numeric check."""

from __future__ import annotations

import streamlit as st

from playground import backprop, chain_rule
from playground.model import ModelRun
from playground.session import Session
from playground.settings import choice_label
from playground.text import escape_markdown
from playground.views import adapter, keys

NUMBER_FORMAT = "%.6f"


def show_backprop(session: Session) -> None:
    """The arithmetic of one SGD step on one row, for the current weights."""
    model = session.model
    data = model.data
    row = min(max(session.view.explain_row, 0), len(data.X) - 1)
    st.selectbox(
        "Data row",
        range(len(data.X)),
        format_func=lambda index: _row_label(model, index),
        **adapter.bound(keys.EXPLAIN_ROW, row, Session.set_view, "explain_row"),
    )
    _show_inputs(model, row)
    st.markdown("#### 1. Forward pass")
    number = st.column_config.NumberColumn(format=NUMBER_FORMAT)
    st.dataframe(
        backprop.forward_table(model, row),
        hide_index=True,
        width="stretch",
        column_config={
            "z": number,
            "a = f(z)": number,
            "dL/dz": number,
            "Sum z = Σ w·input + b": st.column_config.TextColumn(width="medium"),
        },
    )
    st.caption(
        "dL/dz: how fast the loss on this row changes with each neuron's sum. Backprop works it out from "
        "the output down; a weight's gradient is then dL/dz times the input the weight multiplies."
    )
    loss_name = model.settings.training.loss
    st.markdown(f"Loss on this row ({choice_label(loss_name)}): **{backprop.loss_for_row(model, row):.6f}**")
    if chain_rule.can_show(model):
        _show_chain(session, model, row)
    _show_gradients(model, row, first_section=3 if chain_rule.can_show(model) else 2)


def _show_chain(session: Session, model: ModelRun, row: int) -> None:
    """The computation graph with every node's value and gradient; the chosen parameter's path lit up and
    its gradient written as the product of the links on that path."""
    st.markdown("#### 2. The chain rule, link by link")
    # The chosen parameter and its written chain above the graph: one screen shows the lit path with it.
    choice, written = st.columns([1, 5])
    parameter = session.view.chain_parameter
    if parameter not in backprop.TUTORIAL_ORDER:
        parameter = backprop.TUTORIAL_ORDER[0]
    choice.selectbox(
        "Parameter",
        backprop.TUTORIAL_ORDER,
        help="Its path to the loss lights up in the graph; its gradient is the product of the links on it.",
        **adapter.bound(keys.CHAIN_PARAMETER, parameter, Session.set_view, "chain_parameter"),
    )
    nodes = chain_rule.graph(model, row)
    chain = chain_rule.chain(nodes, parameter)
    written.code(chain_rule.chain_text(chain), language=None, wrap_lines=True)
    st.graphviz_chart(chain_rule.graph_dot(nodes, chain.path))
    st.caption(
        "Each box: a node's value in this forward pass and ∂L/∂ of it, how fast the loss changes with it. "
        "z_h1 is h1's weighted sum before its activation; ŷ is the prediction, y the right answer."
    )


def _row_label(model: ModelRun, index: int) -> str:
    values = ", ".join(f"{value:g}" for value in model.data.X[index])
    return f"{model.data.row_labels[index]} ({values})"


def _show_inputs(model: ModelRun, row: int) -> None:
    inputs, targets = backprop.row_targets(model, row)
    names = [escape_markdown(name) for name in model.input_names]
    shown = ", ".join(
        f"x{i + 1} = {value:.4g}" if name == f"x{i + 1}" else f"x{i + 1} = {name} = {value:.4g}"
        for i, (name, value) in enumerate(zip(names, inputs[0], strict=True))
    )
    note = " (standardised)" if model.settings.data.standardize else ""
    st.markdown(
        f"Inputs as the network sees them{note}: {shown}; target: {', '.join(f'{t:g}' for t in targets[0])}"
    )


def _show_gradients(model: ModelRun, row: int, first_section: int) -> None:
    learning_rate = model.settings.training.learning_rate
    st.markdown(
        f"#### {first_section}. Every parameter's gradient, and one plain SGD step on this row "
        f"(η = {learning_rate:g})"
    )
    table, check = backprop.gradient_table(model, row, learning_rate)
    number = st.column_config.NumberColumn(format=NUMBER_FORMAT)
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        column_config={name: number for name in table.columns if name != "Parameter p"},
    )
    st.caption(backprop.check_sentence(check))
    differs = backprop.step_differs(model.settings.training)
    if differs:
        st.caption(
            f"The step shown is p − η·dL/dp on this row alone. Your training uses {differs}, "
            "so Step and Train move the parameters differently."
        )
    if not backprop.is_tutorial_shape(model.network.layer_sizes):
        st.markdown(
            f"#### {first_section + 1}. The same gradients as one matrix per layer (rows: from, columns: to)"
        )
        for layer, (weights, biases) in enumerate(backprop.gradient_matrices(model, row), start=1):
            st.markdown(f"Layer {layer}: dL/dW and dL/db")
            st.dataframe(weights.style.format("{:.6f}"), width="stretch")
            st.dataframe(biases.to_frame("dL/db").T.style.format("{:.6f}"), width="stretch")
