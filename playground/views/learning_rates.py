"""The learning rate, side by side: loss curves from one start at several rates, and one step on a slice."""

from __future__ import annotations

import streamlit as st

from playground.backprop import parameter_names
from playground.learning_rates import (
    MAX_RATES,
    MAX_STEP_RATE,
    OVERSHOOT_RATES,
    RATE_CHOICES,
    comparison_sentence,
    curves_chart,
    default_parameter,
    loss_slice,
    overshooting_rate,
    slice_chart,
    slice_key,
    slice_sentence,
)
from playground.model import ModelRun
from playground.session import Session
from playground.settings import MIN_LEARNING_RATE
from playground.text import escape_markdown
from playground.views import adapter, keys

CHART_HEIGHT = 260
INTRO = (
    "The **learning rate** η sets how far each training step moves the weights downhill. Too small, and "
    "the loss crawls down; too large, and a step jumps past the bottom of the valley: the loss bounces, "
    "gets stuck or even diverges."
)


def show_learning_rates(session: Session) -> None:
    """Curves from one start at several learning rates beside one gradient-descent step on a loss slice."""
    st.markdown(INTRO)
    curves, step = st.columns(2, gap="large")
    with curves:
        _show_comparison(session)
    with step:
        _show_slice(session, session.model)


def _show_comparison(session: Session) -> None:
    st.markdown("#### One start, several rates")
    view = session.view
    st.multiselect(
        "Learning rates",
        RATE_CHOICES,
        max_selections=MAX_RATES,
        format_func=lambda rate: f"{rate:g}",
        help="Your own learning rate is always trained too.",
        **adapter.bound(keys.LEARNING_RATES_CHOSEN, list(session.rates_chosen()), Session.choose_rates),
    )
    button_column, toggle_column = st.columns(2, vertical_alignment="center")
    button_column.button(
        "Train side by side",
        type="primary",
        width="stretch",
        **adapter.clicked(keys.LEARNING_RATES_TRAIN, Session.compare_rates),
    )
    toggle_column.toggle(
        "Log-scale loss",
        **adapter.bound(
            keys.LEARNING_RATES_LOG_SCALE, view.rates_log_scale, Session.set_view, "rates_log_scale"
        ),
    )
    if view.rates_result is not None and not session.rates_current():
        with st.spinner("Training one copy per learning rate…"):
            adapter.send(Session.compare_rates)  # the model it was trained for changed: again, for this one
    if view.rates_result is None:
        st.caption(
            "Each rate trains its own copy of the network from the same starting weights (the seed's), "
            "with your other settings, so only the learning rate differs."
        )
        return
    comparison = view.rates_result[1]
    st.vega_lite_chart(spec=curves_chart(comparison, view.rates_log_scale, CHART_HEIGHT), width="stretch")
    st.caption(comparison_sentence(comparison))


def _show_slice(session: Session, model: ModelRun) -> None:
    st.markdown("#### One step on a slice of the loss")
    names = parameter_names(model.network.layer_sizes)
    parameter = session.view.rates_parameter
    if parameter not in names:
        parameter = default_parameter(model.network.layer_sizes)
    parameter_column, rate_column = st.columns(2, vertical_alignment="bottom")
    parameter_column.selectbox(
        "Parameter",
        names,
        help="The loss as this one parameter changes, all others fixed.",
        **adapter.bound(keys.LEARNING_RATES_PARAMETER, parameter, Session.set_view, "rates_parameter"),
    )
    own_rate = model.settings.training.learning_rate
    learning_rate = session.view.step_rates.get(own_rate, own_rate)
    rate_column.number_input(
        "Learning rate η for one step",
        MIN_LEARNING_RATE,
        MAX_STEP_RATE,
        step=None,
        format="%.5g",
        help=f"One full-batch gradient-descent step on this parameter alone, from {MIN_LEARNING_RATE:g} to "
        f"{MAX_STEP_RATE:g}. It starts at your learning rate.",
        **adapter.bound(keys.step_rate_key(own_rate), learning_rate, Session.choose_step_rate, own_rate),
    )
    cut = loss_slice(model, parameter, float(learning_rate))
    st.vega_lite_chart(spec=slice_chart(cut, CHART_HEIGHT), width="stretch")
    st.markdown(escape_markdown(slice_sentence(cut)))
    example = None if cut.overshoots else overshooting_rate(model, parameter)
    if example is None and not cut.overshoots:
        st.caption(
            f"No learning rate up to {OVERSHOOT_RATES[-1]:g} makes this step overshoot here: the loss "
            f"along {parameter} is too flat."
        )
    elif example is not None:
        st.button(
            f"Show a step that overshoots (η = {example:g})",
            **adapter.clicked(keys.LEARNING_RATES_OVERSHOOT, Session.choose_step_rate, own_rate, example),
        )
    st.caption(escape_markdown(slice_key(cut)))
