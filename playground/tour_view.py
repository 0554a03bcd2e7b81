"""The guided tour for workshop presenters: the tutorial in five live steps, with Back and Next.

Every number on these pages is computed by ``playground.tour`` (and through it by ``nn_core``) on each
run; this module only lays the steps out for a projector: big headings, metrics, few words per line.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from nn_core.datasets import tutorial_people
from playground import controller, tour
from playground.controller import TrainingStatus
from playground.fair_share import BASE_TICK_SECONDS, FRAMES_PER_TICK
from playground.network_view import frames_while_training, show_tour_picture
from playground.state import PictureScene, TourState, TourTraining

CONTAINER_KEY = "tour"
CHART_CONFIG = {"displaylogo": False}
NUMBER_FORMAT = "%.6f"
ROW_HEIGHT = 32
SLIDER_RANGE = (-5.0, 5.0)
SLIDER_STEP = 0.1
TOUR_FRAMES = 100  # the tour's 1000 epochs last about 100 frames (3 s): learning, epoch by epoch
# Scoped to the tour's container (Streamlit gives it the class st-key-tour): larger text for the back row.
TOUR_STYLE = """
<style>
.st-key-tour [data-testid="stMarkdownContainer"] p { font-size: 1rem; }
.st-key-tour [data-testid="stMetricValue"] p { font-size: 2rem; line-height: 1.2; }
.st-key-tour [data-testid="stCaptionContainer"] p { font-size: 1.05rem; }
</style>
"""


def show_tour(tour_state: TourState, step_query: str | None) -> None:
    """The current step of the tour; ``step_query`` (a step id from the URL) picks the first step shown."""
    if tour_state.step is None:
        tour_state.step = tour.step_index(step_query)
    index = min(max(tour_state.step, 0), len(tour.STEPS) - 1)
    step = tour.STEPS[index]
    st.html(TOUR_STYLE)
    with st.container(key=CONTAINER_KEY):
        _show_navigation(tour_state, index, step.title)
        # The last step's live picture wants the width; the others share the screen half and half.
        words, work = st.columns([1, 2] if step.id == "training" else [1, 1], gap="large")
        with words:
            st.markdown(step.explanation)
        if step.id == "training":
            _show_training(tour_state, words, work)
        else:
            _renderer(step.id)(words, work)


def _move(tour_state: TourState, offset: int) -> None:
    """Button callback: go ``offset`` steps forward (or back), staying inside the tour."""
    tour_state.step = min(max((tour_state.step or 0) + offset, 0), len(tour.STEPS) - 1)


def _show_navigation(tour_state: TourState, index: int, title: str) -> None:
    """Back, the step's title and number, Next: one row, so that every step fits a 720-pixel screen."""
    back, heading, forward = st.columns([1, 4, 1], vertical_alignment="center")
    back.button(
        "← Back", key="tour_back", on_click=_move, args=(tour_state, -1), disabled=index == 0, width="stretch"
    )
    heading.markdown(f"### {title} · step {index + 1} of {len(tour.STEPS)}")
    forward.button(
        "Next →",
        key="tour_next",
        on_click=_move,
        args=(tour_state, 1),
        disabled=index == len(tour.STEPS) - 1,
        width="stretch",
    )


def _renderer(step_id: str) -> Callable[[DeltaGenerator, DeltaGenerator], None]:
    """A step's own part: controls under the explanation (``words``), results beside it (``work``)."""
    renderers = {
        "neuron": _show_neuron,
        "network": _show_network,
        "loss": _show_loss,
        "sgd": _show_sgd_step,
    }
    return renderers[step_id]


def _slider(label: str, key: str, value: float) -> float:
    low, high = SLIDER_RANGE
    return st.slider(label, low, high, value=value, step=SLIDER_STEP, key=key)


# ----------------------------------------------------------------------------- the steps


def _show_neuron(words: DeltaGenerator, work: DeltaGenerator) -> None:
    with words:
        # Three sliders a row, so that all five fit on a 720-pixel projector screen.
        first, second, third = st.columns(3)
        with first:
            w1 = _slider("Weight w1", "tour_w1", 0.0)
            x1 = _slider("Input x1", "tour_x1", 2.0)
        with second:
            w2 = _slider("Weight w2", "tour_w2", 1.0)
            x2 = _slider("Input x2", "tour_x2", 3.0)
        with third:
            b = _slider("Bias b", "tour_b", 4.0)
    z, y = tour.neuron_output([w1, w2], b, [x1, x2])
    with work:
        st.markdown(f"z = w1·x1 + w2·x2 + b = {tour.written_sum([w1, w2], [x1, x2], b)} = **{z:.4g}**")
        st.markdown(f"y = σ(z) = 1 / (1 + e^(−z)) = **{y:.6f}**")
        total, output = st.columns(2)
        total.metric("Sum z", f"{z:.4g}")
        output.metric("Output y", f"{y:.6f}")
        st.plotly_chart(tour.sigmoid_figure(z, y, height=240), key="tour_sigmoid", config=CHART_CONFIG)


def _show_network(words: DeltaGenerator, work: DeltaGenerator) -> None:
    network = tour.uniform_network([0.0, 1.0], 0.0)
    with words:
        first, second = st.columns(2)
        x1 = first.slider("Input x1", *SLIDER_RANGE, value=2.0, step=SLIDER_STEP, key="tour_net_x1")
        x2 = second.slider("Input x2", *SLIDER_RANGE, value=3.0, step=SLIDER_STEP, key="tour_net_x2")
    forward = tour.network_forward(network, [x1, x2])
    sums = tour.neuron_sums(network, forward)
    with work:
        h1, h2, o1 = st.columns(3)
        h1.metric("h1", f"{forward.h1:.4f}")
        h2.metric("h2", f"{forward.h2:.4f}")
        o1.metric("Output o1", f"{forward.o1:.6f}")
        for name, z, value in (("h1", forward.z_h1, forward.h1), ("h2", forward.z_h2, forward.h2)):
            st.markdown(f"{name} = σ({sums[name]}) = σ({z:.4g}) = **{value:.4f}**")
        st.markdown(f"o1 = σ({sums['o1']}) = σ({forward.z_o1:.4g}) = **{forward.o1:.6f}**")


def _show_loss(words: DeltaGenerator, work: DeltaGenerator) -> None:
    people = tutorial_people()
    names = people.row_names or ()
    with words:
        st.markdown("Set each person's prediction. The right answer is 1 for female and 0 for male.")
        columns = st.columns(len(names))
        predictions = [
            columns[index].slider(name, 0.0, 1.0, value=0.0, step=0.01, key=f"tour_guess_{name.lower()}")
            for index, name in enumerate(names)
        ]
    table = tour.mse_table(people.y, predictions, names)
    loss = tour.mse(people.y, predictions)
    errors = " + ".join(f"{error:.4f}" for error in table["Squared error"])
    with work:
        number = st.column_config.NumberColumn(format="%.4f")
        st.dataframe(
            table, hide_index=True, width="stretch",
            column_config={"Right answer": st.column_config.NumberColumn(format="%d"),
                           "Prediction": number, "Squared error": number},
        )  # fmt: skip
        st.metric("Mean squared error (the loss)", f"{loss:.4f}")
        st.markdown(f"({errors}) / {len(names)} = **{loss:.4f}**")


def _show_sgd_step(words: DeltaGenerator, work: DeltaGenerator) -> None:
    people = tutorial_people()
    names = people.row_names or ()
    person = words.selectbox(
        "Person to learn from",
        range(len(names)),
        format_func=lambda row: _person_label(names[row], people.X[row], people.y[row]),
        key="tour_person",
    )
    row = person or 0
    step = tour.sgd_step(tour.tutorial_start_network(), people.X[row], people.y[row], tour.LEARNING_RATE)
    forward = step.forward
    with work:
        st.markdown(
            f"Forward pass: h1 = {forward.h1:.4f}, h2 = {forward.h2:.4f}, "
            f"prediction o1 = **{forward.o1:.4f}** (right answer {step.y_true:g}). "
            f"First link of every chain: dL/dy_pred = −2 × ({step.y_true:g} − {forward.o1:.4f}) "
            f"= **{step.dl_dy_pred:.4f}**"
        )
        table = step.table()
        number = st.column_config.NumberColumn(format=NUMBER_FORMAT)
        numeric = table.select_dtypes("number").columns
        st.dataframe(
            table, hide_index=True, width="stretch", row_height=ROW_HEIGHT,
            height=ROW_HEIGHT * (len(table) + 1) + 4,
            column_config={name: number for name in numeric},
        )  # fmt: skip
    with words:
        before, after = st.columns(2)
        before.metric("Loss before", f"{step.loss_before:.6f}")
        after.metric(
            "Loss after",
            f"{step.loss_after:.6f}",
            delta=f"{step.loss_after - step.loss_before:.6f}",
            delta_color="inverse",
        )
        st.caption(
            f"Learning rate {step.learning_rate:g}. "
            f"The network starts from random weights (seed {tour.TRAINING_SEED})."
        )


def _person_label(name: str, features: np.ndarray, label: float) -> str:
    weight, height = features
    return f"{name} ({weight:+g} lb, {height:+g} in; {tour.verdict(label)})"


def _start_training(tour_state: TourState) -> None:
    status = TrainingStatus(running=True, target_epoch=tour.TRAINING_EPOCHS)
    tour_state.training = TourTraining(tour.training_run(), status)


def _show_training(tour_state: TourState, words: DeltaGenerator, work: DeltaGenerator) -> None:
    words.button(
        f"Train for {tour.TRAINING_EPOCHS} epochs", key="tour_train", type="primary",
        on_click=_start_training, args=(tour_state,),
    )  # fmt: skip
    training = tour_state.training
    if training is None:
        words.caption("Press the button to train the 2-2-1 network on the four people, and watch it learn.")
        return
    with work:
        _show_live_training(training, tour_state.picture)
    if not training.status.running:
        with words:
            _show_outcome(tour.training_outcome(training.run))


def _show_live_training(training: TourTraining, picture: PictureScene) -> None:
    """The network picture, a few epochs a frame: the whole run lasts about TOUR_FRAMES frames."""

    ticking = training.status.running

    @st.fragment(run_every=BASE_TICK_SECONDS if ticking else None)
    def live() -> None:
        if ticking and not training.status.running:  # ended in a run a newer one cut short
            st.rerun(scope="app")
        frames = frames_while_training(training.run, _tour_slice(training), FRAMES_PER_TICK, tour=True)
        show_tour_picture(training.run, frames, BASE_TICK_SECONDS, picture)
        if ticking and not training.status.running:
            st.rerun(scope="app")  # the outcome beside the picture

    live()


def _tour_slice(training: TourTraining) -> Callable[[], bool]:
    """Train one frame of the tour's run (a few epochs) and say whether it goes on."""

    def train_slice() -> bool:
        controller.advance(training.run, training.status, tour.TRAINING_EPOCHS, frames_per_run=TOUR_FRAMES)
        return training.status.running

    return train_slice


def _show_outcome(outcome: tour.TrainingOutcome) -> None:
    people = (("Emily", tour.EMILY, outcome.emily), ("Frank", tour.FRANK, outcome.frank))
    for name, (weight, height), probability in people:
        st.metric(
            f"{name}: weight {weight:+g}, height {height:+g}",
            f"{probability:.3f} → {tour.verdict(probability)}",
            help="The output is the network's chance that the person is female.",
        )
    losses = outcome.losses
    st.caption(
        f"Loss {losses['Loss'].iloc[0]:.4f} → {losses['Loss'].iloc[-1]:.4f} "
        f"over {losses['Epoch'].iloc[-1]:,} epochs."
    )
