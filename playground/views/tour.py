"""The guided tour for workshop presenters: the tutorial in six live steps, with Back and Next.

Every number on these pages is computed by ``playground.tour`` (and through it by ``nn_core``) on each
run; this module only lays the steps out for a projector: big headings, metrics, few words per line.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from nn_core.datasets import tutorial_people
from nn_core.network import Network
from playground import tour
from playground.features_lesson import circle_data, lesson_figure
from playground.session import Session
from playground.settings import settings_for_preset
from playground.tour_session import TourState
from playground.views import adapter, keys
from playground.views.live import TOUR, show_live

CHART_CONFIG = {"displaylogo": False}
NUMBER_FORMAT = "%.6f"
ROW_HEIGHT = 30
SLIDER_RANGE = (-5.0, 5.0)
SLIDER_STEP = 0.1
NEURON_SLIDERS = ("w1", "x1", "w2", "x2", "b")
WIDE_STEPS = ("training", "features")
# Scoped to the tour's container (Streamlit gives it the class st-key-tour): larger text for the back row.
TOUR_STYLE = """
<style>
.st-key-tour [data-testid="stMarkdownContainer"] p { font-size: 1rem; }
.st-key-tour [data-testid="stMetricValue"] p { font-size: 2rem; line-height: 1.2; }
.st-key-tour [data-testid="stCaptionContainer"] p { font-size: 1.05rem; }
</style>
"""


def show_tour(session: Session) -> None:
    """The current step of the tour, with Back and Next."""
    tour_state = session.tour
    index = min(max(tour_state.step or 0, 0), len(tour.STEPS) - 1)
    step = tour.STEPS[index]
    st.html(TOUR_STYLE)
    with st.container(key=keys.TOUR):
        _show_navigation(index, step.title)
        # The live picture and the three networks want the width; the others share the screen half and half.
        words, work = st.columns([1, 2] if step.id in WIDE_STEPS else [1, 1], gap="large")
        with words:
            st.markdown(step.explanation)
        STEP_VIEWS[step.id](tour_state, words, work)


def _move(session: Session, offset: int) -> None:
    session.tour.move(offset)


def _show_navigation(index: int, title: str) -> None:
    """Back, the step's title and number, Next: one row, so that every step fits a 720-pixel screen."""
    back, heading, forward = st.columns([1, 4, 1], vertical_alignment="center")
    back.button("← Back", disabled=index == 0, width="stretch", **adapter.clicked(keys.TOUR_BACK, _move, -1))
    heading.markdown(f"### {title} · step {index + 1} of {len(tour.STEPS)}")
    forward.button(
        "Next →",
        disabled=index == len(tour.STEPS) - 1,
        width="stretch",
        **adapter.clicked(keys.TOUR_NEXT, _move, 1),
    )


def _neuron_sliders(
    tour_state: TourState, words: DeltaGenerator, prefix: str, labels: dict[str, str], bias: float
) -> tuple[float, float, float, float, float]:
    """w1, x1, w2, x2 and b from five sliders (keys ``prefix`` + w1, x1 …), three a row, each weight
    above its input, so that all five fit on a 720-pixel projector screen."""
    starts = {"w1": 0.0, "x1": 2.0, "w2": 1.0, "x2": 3.0, "b": bias}
    values = {}
    with words:
        for column, names in zip(st.columns(3), (("w1", "x1"), ("w2", "x2"), ("b",)), strict=True):
            with column:
                for name in names:
                    key = keys.tour_slider_key(prefix, name)
                    values[name] = _slider(tour_state, labels[name], key, starts[name])
    w1, x1, w2, x2, b = (values[name] for name in NEURON_SLIDERS)
    return w1, x1, w2, x2, b


def _slider(
    tour_state: TourState,
    label: str,
    key: str,
    start: float,
    low: float = SLIDER_RANGE[0],
    high: float = SLIDER_RANGE[1],
    step: float = SLIDER_STEP,
) -> float:
    """A tour slider: its value is kept in the tour's state (under its key), so it survives a mode switch."""
    value = tour_state.slider(key, start)
    st.slider(label, low, high, step=step, **adapter.bound(key, value, _set_slider, key))
    return value


def _set_slider(session: Session, key: str, value: float) -> None:
    session.tour.set_slider(key, value)


# ----------------------------------------------------------------------------- the steps


def _show_neuron(tour_state: TourState, words: DeltaGenerator, work: DeltaGenerator) -> None:
    labels = {"w1": "Weight w1", "x1": "Input x1", "w2": "Weight w2", "x2": "Input x2", "b": "Bias b"}
    w1, x1, w2, x2, b = _neuron_sliders(tour_state, words, keys.TOUR_NEURON, labels, bias=4.0)
    z, y = tour.neuron_output([w1, w2], b, [x1, x2])
    with work:
        st.markdown(f"z = w1·x1 + w2·x2 + b = {tour.written_sum([w1, w2], [x1, x2], b)} = **{z:.4g}**")
        st.markdown(f"y = σ(z) = 1 / (1 + e^(−z)) = **{tour.sigmoid_text(z)}**")
        total, output = st.columns(2)
        total.metric("Sum z", f"{z:.4g}")
        output.metric("Output y", tour.sigmoid_text(z))
        st.plotly_chart(tour.sigmoid_figure(z, y, height=240), key=keys.TOUR_SIGMOID, config=CHART_CONFIG)


def _show_network(tour_state: TourState, words: DeltaGenerator, work: DeltaGenerator) -> None:
    labels = {"w1": "Weight on x1", "x1": "Input x1", "w2": "Weight on x2", "x2": "Input x2", "b": "Bias"}
    w1, x1, w2, x2, b = _neuron_sliders(tour_state, words, keys.TOUR_NETWORK, labels, bias=0.0)
    network = tour.uniform_network([w1, w2], b)
    forward = tour.network_forward(network, [x1, x2])
    sums = tour.neuron_sums(network, forward)
    with work:
        h1, h2, o1 = st.columns(3)
        h1.metric("h1", f"{forward.h1:.4f}")
        h2.metric("h2", f"{forward.h2:.4f}")
        o1.metric("Output o1", tour.sigmoid_text(forward.z_o1))
        for name, z, value in (("h1", forward.z_h1, forward.h1), ("h2", forward.z_h2, forward.h2)):
            st.markdown(f"{name} = σ({sums[name]}) = σ({z:.4g}) = **{value:.4f}**")
        st.markdown(f"o1 = σ({sums['o1']}) = σ({forward.z_o1:.4g}) = **{tour.sigmoid_text(forward.z_o1)}**")


def _show_loss(tour_state: TourState, words: DeltaGenerator, work: DeltaGenerator) -> None:
    people = tutorial_people()
    names = people.row_names or ()
    with words:
        st.markdown("Set each person's prediction. The right answer is 1 for female and 0 for male.")
        predictions = []
        for column, name in zip(st.columns(len(names)), names, strict=True):
            with column:
                predictions.append(_slider(tour_state, name, keys.tour_guess_key(name), 0.0, 0.0, 1.0, 0.01))
    table = tour.mse_table(people.y, predictions, names)
    loss = tour.mse(people.y, predictions)
    errors = " + ".join(f"{error:.4f}" for error in table["Squared error"])
    with work:
        number = st.column_config.NumberColumn(format="%.4f")
        st.dataframe(
            table,
            hide_index=True,
            width="stretch",
            column_config={
                "Right answer": st.column_config.NumberColumn(format="%d"),
                "Prediction": number,
                "Squared error": number,
            },
        )
        st.metric("Mean squared error (the loss)", f"{loss:.4f}")
        st.markdown(f"({errors}) / {len(names)} = **{loss:.4f}**")


def _train_lesson(session: Session) -> None:
    session.tour.train_lesson()


def _show_sgd_epoch(tour_state: TourState, words: DeltaGenerator, work: DeltaGenerator) -> None:
    """One epoch, person by person: each SGD step goes on from the weights the one before left; after
    the fourth, the epoch beside one full-batch step from the same start."""
    people = tutorial_people()
    start = tour.tutorial_start_network()
    epoch = tour.sgd_epoch(start, people.X, people.y, tour.LEARNING_RATE)
    taken = min(max(tour_state.sgd_updates, 0), len(epoch))
    if taken < len(epoch):
        _show_person_step(tour_state, epoch[taken], taken, words, work)
    else:
        _show_epoch_done(tour_state, start, epoch, words, work)


def _show_person_step(
    tour_state: TourState, step: tour.SgdStep, index: int, words: DeltaGenerator, work: DeltaGenerator
) -> None:
    people = tutorial_people()
    names = people.row_names or ()
    forward = step.forward
    with work:
        st.markdown(
            f"**Update {index + 1} of {len(names)}** of epoch 1: {names[index]}, "
            f"{tour.body_text(people.X[index])}, {tour.verdict(step.y_true)}. "
            f"h1 = {forward.h1:.4f}, h2 = {forward.h2:.4f}, prediction o1 = **{forward.o1:.4f}** "
            f"(right answer {step.y_true:g}); first link of every chain: "
            f"∂L/∂ŷ = −2 × ({step.y_true:g} − {forward.o1:.4f}) = **{step.dl_dy_pred:.4f}**."
        )
        _parameter_table(step.table())
    with words:
        before, after, go_on = st.columns([2, 2, 2], vertical_alignment="center")
        before.metric(f"Loss on {names[index]}, before", f"{step.loss_before:.6f}")
        change = f"{step.loss_after - step.loss_before:.6f}"
        after.metric(
            f"Loss on {names[index]}, after", f"{step.loss_after:.6f}", delta=change, delta_color="inverse"
        )
        last = index + 1 == len(names)
        go_on.button(
            f"{names[index]}'s step, the epoch's last" if last else f"Next: {names[index + 1]} →",
            type="primary",
            width="stretch",
            help=f"Take this step (learning rate {step.learning_rate:g}); the next starts from its weights.",
            **adapter.clicked(keys.TOUR_SGD_NEXT, _take_sgd_update),
        )


def _show_epoch_done(
    tour_state: TourState,
    start: Network,
    epoch: list[tour.SgdStep],
    words: DeltaGenerator,
    work: DeltaGenerator,
) -> None:
    people = tutorial_people()
    batch = tour.full_batch_step(start, people.X, people.y, tour.LEARNING_RATE)
    after_epoch = tour.stepped_network(start, epoch[-1]).loss(people.X, people.y.reshape(-1, 1))
    with work:
        st.markdown(
            f"**Epoch 1 done**: {len(epoch)} updates, one per person, each from random starting weights "
            f"(seed {tour.TRAINING_SEED}) onwards. Beside it, **one full-batch step** from the same start: "
            "the four people's gradients averaged, then a single update."
        )
        _parameter_table(tour.epoch_table(start, epoch, batch))
    with words:
        st.markdown("Loss over all four people:")
        results = (
            ("Before training", batch.loss_before),
            ("After the epoch", after_epoch),
            ("After 1 full-batch step", batch.loss_after),
        )
        for column, (label, loss) in zip(st.columns(3), results, strict=True):
            column.metric(label, f"{loss:.6f}")
        st.button("Start the epoch again", **adapter.clicked(keys.TOUR_SGD_AGAIN, _restart_epoch))


def _parameter_table(table: pd.DataFrame) -> None:
    number = st.column_config.NumberColumn(format=NUMBER_FORMAT)
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        row_height=ROW_HEIGHT,
        height=ROW_HEIGHT * (len(table) + 1) + 4,
        column_config={name: number for name in table.select_dtypes("number").columns},
    )


def _take_sgd_update(session: Session) -> None:
    session.tour.take_sgd_update()


def _restart_epoch(session: Session) -> None:
    session.tour.restart_epoch()


def _train(session: Session) -> None:
    session.tour.train()


def _set_raw(session: Session, raw: bool) -> None:
    session.tour.set_raw(raw)


def _show_training(tour_state: TourState, words: DeltaGenerator, work: DeltaGenerator) -> None:
    with words:
        button, raw = st.columns([3, 2], vertical_alignment="center")
        button.button(
            f"Train for {tour.TRAINING_EPOCHS} epochs",
            type="primary",
            **adapter.clicked(keys.TOUR_TRAIN, _train),
        )
        raw.checkbox(
            "raw",
            help="Train on 133 lb, 65 in … as measured, not shifted by 135 and 66.",
            **adapter.bound(keys.TOUR_RAW, tour_state.raw, _set_raw),
        )
    if tour_state.model is None:
        words.caption("Press the button to train the 2-2-1 network on the four people, and watch it learn.")
        return
    with work:
        show_live(TOUR)  # the network picture, a few epochs a frame: the run lasts about 100 frames
    if not tour_state.run.running:
        with words:
            _show_outcome(tour.training_outcome(tour_state.model, tour_state.raw), tour_state.raw)


def _show_outcome(outcome: tour.TrainingOutcome, raw: bool) -> None:
    people = (("Emily", tour.EMILY, outcome.emily), ("Frank", tour.FRANK, outcome.frank))
    for name, features, probability in people:
        st.markdown(
            f"**{name}** ({tour.body_text(features, with_shift=False)}): "
            f"**{probability:.3f} → {tour.verdict(probability)}**"
        )
    losses = outcome.losses
    inputs = "raw inputs" if raw else "shifted inputs"
    st.caption(
        f"Loss before training {losses['Loss'].iloc[0]:.4f}, after {losses['Epoch'].iloc[-1]:,} epochs "
        f"{losses['Loss'].iloc[-1]:.4f} ({inputs})."
    )


def _show_features_lesson(tour_state: TourState, words: DeltaGenerator, work: DeltaGenerator) -> None:
    """Three networks on the Circle data set, trained on the first visit (about a third of a second)."""
    data = circle_data()
    if tour_state.lesson is None:
        adapter.send(_train_lesson, local=True)
    with work:
        figure = lesson_figure(data, tour_state.lesson)
        st.plotly_chart(figure, key=keys.TOUR_FEATURES, config=CHART_CONFIG, width="stretch")
        st.caption(
            "The Circle data set: orange rows are label 0, blue rows label 1; the shading is each "
            f"network's answer after {settings_for_preset(data.task).training.epochs} epochs with the "
            "preset's settings."
        )


# Every step of the tour (playground.tour.STEPS) and its view: controls under the explanation
# (``words``), results beside it (``work``). A new step is one entry there and one here.
STEP_VIEWS: dict[str, Callable[[TourState, DeltaGenerator, DeltaGenerator], None]] = {
    "neuron": _show_neuron,
    "network": _show_network,
    "loss": _show_loss,
    "sgd": _show_sgd_epoch,
    "training": _show_training,
    "features": _show_features_lesson,
}
