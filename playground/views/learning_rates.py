"""The learning rate, side by side: loss curves from one start at several rates, and one step on a slice."""

from __future__ import annotations

import streamlit as st

from playground.backprop import parameter_names
from playground.learning_rates import (
    DEFAULT_RATES,
    MAX_RATES,
    MAX_STEP_RATE,
    OVERSHOOT_RATES,
    RATE_CHOICES,
    RateComparison,
    compare_learning_rates,
    comparison_sentence,
    curves_chart,
    default_parameter,
    loss_slice,
    overshooting_rate,
    rates_to_compare,
    slice_chart,
    slice_key,
    slice_sentence,
)
from playground.model import ModelRun
from playground.settings import MIN_LEARNING_RATE
from playground.text import escape_markdown
from playground.views import keys
from playground.views.state import AppState

CHART_HEIGHT = 260
INTRO = (
    "The **learning rate** η sets how far each training step moves the weights downhill. Too small, and "
    "the loss crawls down; too large, and a step jumps past the bottom of the valley: the loss bounces, "
    "gets stuck or even diverges."
)


def show_learning_rates(state: AppState) -> None:
    """Curves from one start at several learning rates beside one gradient-descent step on a loss slice."""
    model = state.model
    if model is None:
        st.info("Fix the table to compare learning rates.")
        return
    st.markdown(INTRO)
    curves, step = st.columns(2, gap="large")
    with curves:
        _show_comparison(model)
    with step:
        _show_slice(model)


def _show_comparison(model: ModelRun) -> None:
    st.markdown("#### One start, several rates")
    chosen = st.multiselect(
        "Learning rates",
        RATE_CHOICES,
        default=DEFAULT_RATES,
        key=keys.LEARNING_RATES_CHOSEN,
        max_selections=MAX_RATES,
        format_func=lambda rate: f"{rate:g}",
        help="Your own learning rate is always trained too.",
    )
    button_column, toggle_column = st.columns(2, vertical_alignment="center")
    clicked = button_column.button(
        "Train side by side", key=keys.LEARNING_RATES_TRAIN, type="primary", width="stretch"
    )
    log_scale = toggle_column.toggle("Log-scale loss", value=True, key=keys.LEARNING_RATES_LOG_SCALE)
    comparison = _comparison(model, chosen, clicked)
    if comparison is None:
        st.caption(
            "Each rate trains its own copy of the network from the same starting weights (the seed's), "
            "with your other settings, so only the learning rate differs."
        )
        return
    st.vega_lite_chart(spec=curves_chart(comparison, log_scale, CHART_HEIGHT), width="stretch")
    st.caption(comparison_sentence(comparison))


def _comparison(model: ModelRun, chosen: list[float], clicked: bool) -> RateComparison | None:
    """The comparison shown: trained on a click, and again when the model it was trained for has changed."""
    wanted = (model.signature, model.settings.training)
    kept = st.session_state.get(keys.LEARNING_RATES_RESULT)
    if kept is None and not clicked:
        return None
    if clicked or kept[0] != wanted:
        with st.spinner("Training one copy per learning rate…"):
            comparison = compare_learning_rates(
                model, rates_to_compare(chosen, model.settings.training.learning_rate)
            )
        kept = st.session_state[keys.LEARNING_RATES_RESULT] = (wanted, comparison)
    return kept[1]


def _show_slice(model: ModelRun) -> None:
    st.markdown("#### One step on a slice of the loss")
    sizes = model.network.layer_sizes
    names = parameter_names(sizes)
    if st.session_state.get(keys.LEARNING_RATES_PARAMETER) not in names:
        st.session_state[keys.LEARNING_RATES_PARAMETER] = default_parameter(sizes)
    parameter_column, rate_column = st.columns(2, vertical_alignment="bottom")
    parameter = parameter_column.selectbox(
        "Parameter",
        names,
        key=keys.LEARNING_RATES_PARAMETER,
        help="The loss as this one parameter changes, all others fixed.",
    )
    own_rate = model.settings.training.learning_rate
    learning_rate = rate_column.number_input(
        "Learning rate η for one step",
        MIN_LEARNING_RATE,
        MAX_STEP_RATE,
        value=own_rate,
        step=None,
        format="%.5g",
        key=keys.step_rate_key(own_rate),
        help=f"One full-batch gradient-descent step on this parameter alone, from {MIN_LEARNING_RATE:g} to "
        f"{MAX_STEP_RATE:g}. It starts at your learning rate.",
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
            key=keys.LEARNING_RATES_OVERSHOOT,
            on_click=_set_step_rate,
            args=(keys.step_rate_key(own_rate), example),
        )
    st.caption(escape_markdown(slice_key(cut)))


def _set_step_rate(key: str, rate: float) -> None:
    st.session_state[key] = rate
