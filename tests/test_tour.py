"""The guided tour: the tutorial's numbers from the tour's own functions, and the page clicked through."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from nn_core.datasets import tutorial_people
from nn_core.network import Network
from playground import tour
from playground.settings import DataSettings, settings_of
from playground.views import keys
from tests.conftest import ROOT

TITLES = [step.title for step in tour.STEPS]


# ----------------------------------------------------------------------------- the numbers


def test_neuron_matches_the_tutorial() -> None:
    z, y = tour.neuron_output([0, 1], 4, [2, 3])
    assert z == pytest.approx(7.0)
    assert y == pytest.approx(0.9990889488055994, abs=1e-15)


def test_network_matches_the_tutorial() -> None:
    network = tour.uniform_network([0, 1], 0)
    forward = tour.network_forward(network, [2, 3])
    assert forward.h1 == forward.h2 == pytest.approx(1 / (1 + np.exp(-3)))
    assert forward.o1 == pytest.approx(0.7216325609518421, abs=1e-15)
    assert tour.neuron_sums(network, forward)["h1"] == "0·2 + 1·3 + 0"


def test_tutorial_parameters_follow_the_network_layout() -> None:
    network = Network([2, 2, 1], seed=3)
    named = tour.tutorial_parameters(network)
    (w1, w3), (w2, w4) = network.weights[0]
    (w5,), (w6,) = network.weights[1]
    b1, b2 = network.biases[0]
    assert list(named) == ["w1", "w2", "w3", "w4", "w5", "w6", "b1", "b2", "b3"]
    assert list(named.values()) == [w1, w2, w3, w4, w5, w6, b1, b2, network.biases[1][0]]


def test_written_sum_shows_signs_plainly() -> None:
    assert tour.written_sum([0, -1.5], [2, -3], 4) == "0·2 − 1.5·(−3) + 4"
    assert tour.written_sum([-0.25, 1], [2, 3], -0.5) == "−0.25·2 + 1·3 − 0.5"


def test_loss_matches_the_tutorial() -> None:
    table = tour.mse_table([1, 0, 0, 1], [0, 0, 0, 0], ["Alice", "Bob", "Charlie", "Diana"])
    assert tour.mse([1, 0, 0, 1], [0, 0, 0, 0]) == 0.5
    assert table["Squared error"].tolist() == [1, 0, 0, 1]
    assert table["Squared error"].mean() == 0.5
    assert table["Person"].tolist() == ["Alice", "Bob", "Charlie", "Diana"]


def test_loss_rejects_mismatched_predictions() -> None:
    with pytest.raises(ValueError, match="one prediction per right answer"):
        tour.mse([1, 0], [0.5])


@pytest.mark.parametrize("row", range(4))
def test_sgd_step_lowers_the_loss_on_that_person(row: int) -> None:
    people = tutorial_people()
    network = tour.tutorial_start_network()
    before = network.parameters.copy()
    step = tour.sgd_step(network, people.X[row], people.y[row], 0.1)
    assert step.loss_after < step.loss_before
    np.testing.assert_allclose(step.new_values, step.old_values - 0.1 * step.gradients, rtol=0, atol=1e-15)
    np.testing.assert_array_equal(network.parameters, before)  # the step works on a copy


def test_sgd_step_names_and_gradients_are_the_engines() -> None:
    people = tutorial_people()
    network = Network([2, 2, 1], seed=1)
    x, y = people.X[0], people.y[0]
    step = tour.sgd_step(network, x, y, 0.1)
    dW, db = network.gradients(x.reshape(1, 2), np.array([[y]]))
    expected = {
        "w1": dW[0][0, 0], "w2": dW[0][1, 0], "w3": dW[0][0, 1], "w4": dW[0][1, 1],
        "w5": dW[1][0, 0], "w6": dW[1][1, 0], "b1": db[0][0], "b2": db[0][1], "b3": db[1][0],
    }  # fmt: skip
    assert step.names == tuple(expected)
    np.testing.assert_allclose(step.gradients, list(expected.values()), rtol=1e-12)
    assert step.table()["Parameter p"].tolist() == list(expected)
    # The tutorial's chain rule by hand for w1: dL/dy_pred · dy_pred/dh1 · dh1/dw1.
    f, w5 = step.forward, tour.tutorial_parameters(network)["w5"]
    by_hand = -2 * (y - f.o1) * (w5 * f.o1 * (1 - f.o1)) * (x[0] * f.h1 * (1 - f.h1))
    assert step.dl_dy_pred == pytest.approx(-2 * (y - f.o1))
    assert step.gradients[0] == pytest.approx(by_hand, rel=1e-12)


def test_an_epoch_of_per_person_steps_is_one_epoch_of_the_tutorials_training() -> None:
    people = tutorial_people()
    start = tour.tutorial_start_network()
    epoch = tour.sgd_epoch(start, people.X, people.y)
    for before, after in itertools.pairwise(epoch):
        np.testing.assert_array_equal(after.old_values, before.new_values)  # each goes on from the last
    run = tour.training_run()
    run.trainer.run_epochs(1)
    final = tour.stepped_network(start, epoch[-1])
    np.testing.assert_allclose(final.parameters, run.network.parameters, rtol=1e-12)


def test_a_full_batch_step_follows_the_mean_of_the_four_gradients() -> None:
    people = tutorial_people()
    start = tour.tutorial_start_network()
    per_person = [tour.sgd_step(start, x, y).gradients for x, y in zip(people.X, people.y, strict=True)]
    batch = tour.full_batch_step(start, people.X, people.y)
    np.testing.assert_allclose(batch.gradients, np.mean(per_person, axis=0), rtol=1e-12)
    start_values = list(tour.tutorial_parameters(start).values())
    np.testing.assert_allclose(
        batch.new_values, np.array(start_values) - tour.LEARNING_RATE * batch.gradients
    )
    assert batch.loss_after < batch.loss_before


def test_sigmoid_values_next_to_0_or_1_say_how_close_they_come() -> None:
    assert tour.sigmoid_text(55) == "≈ 1 (1 − 1.3e−24)"
    assert tour.sigmoid_text(-16.5) == "≈ 0 (6.8e−08)"
    assert tour.sigmoid_text(0.0) == "0.500000"
    assert tour.sigmoid_text(7.0) == "0.999089"


def test_a_persons_body_weight_is_written_as_measured_with_the_shift() -> None:
    assert tour.body_text(tutorial_people().X[0]) == "133 lb (−2 from 135), 65 in (−1 from 66)"
    assert tour.body_text(tour.FRANK) == "155 lb (20 from 135), 68 in (2 from 66)"
    assert tour.body_text(tour.EMILY, with_shift=False) == "128 lb, 63 in"


def test_raw_inputs_stall_training_where_shifted_ones_learn() -> None:
    raw, shifted = tour.training_run(raw=True), tour.training_run()
    for run in (raw, shifted):
        run.trainer.run_epochs(1000)
    stalled = tour.training_outcome(raw, raw=True)
    assert stalled.losses["Loss"].iloc[-1] > 0.2 and abs(stalled.emily - stalled.frank) < 0.01
    assert tour.training_outcome(shifted).losses["Loss"].iloc[-1] < 0.01
    assert list(raw.data.feature_names) == ["Weight (lb)", "Height (in)"]


def test_training_tells_emily_from_frank() -> None:
    run = tour.training_run()
    run.trainer.run_epochs(1000)
    outcome = tour.training_outcome(run)
    assert outcome.emily > 0.5 > outcome.frank
    assert outcome.emily > 0.9 and outcome.frank < 0.1
    assert outcome.losses["Epoch"].tolist() == list(range(0, 1001, 100))
    losses = outcome.losses["Loss"]
    assert losses.iloc[-1] < 0.01 < losses.iloc[0]
    assert (tour.verdict(outcome.emily), tour.verdict(outcome.frank)) == ("female", "male")


def test_step_index_for_deep_links() -> None:
    assert [step.id for step in tour.STEPS] == ["neuron", "network", "loss", "sgd", "training", "features"]
    assert [tour.step_index(step.id) for step in tour.STEPS] == [0, 1, 2, 3, 4, 5]
    assert tour.step_index(None) == 0
    assert tour.step_index("no-such-step") == 0
    assert tour.step_index("") == 0


def explanation(step_id: str) -> str:
    return tour.STEPS[tour.step_index(step_id)].explanation


def test_every_step_explains_what_it_shows() -> None:
    assert len(set(TITLES)) == len(TITLES)
    must_name = {
        "neuron": ["weight", "bias", "sigmoid", "sliders"],
        "network": ["h1", "h2", "o1", "two inputs"],
        "loss": ["square", "average", "1 for female, 0 for male"],
        "sgd": ["chain rule", "learning rate", "derivative", "epoch"],
        "training": ["Emily", "Frank", "raw"],
        "features": ["x1²", "x2²", "straight line", "circle", "Derived inputs"],
    }
    assert set(must_name) == {step.id for step in tour.STEPS}
    for step_id, words in must_name.items():
        missing = [word for word in words if word not in explanation(step_id)]
        assert not missing, f"the {step_id!r} step's explanation does not mention {missing}"


def test_the_numbers_the_explanations_quote_are_what_the_code_computes() -> None:
    # "a total of 0 gives exactly one half"
    assert "a total of 0 gives exactly one half" in explanation("neuron")
    assert tour.neuron_output([1.5, -2.0], 0.5, [1.0, 1.0]) == (0.0, 0.5)
    # "The tutorial's 0 and 1 make each neuron pass on a squashed copy of its second input, so x1 changes
    # nothing"
    assert "tutorial's 0 and 1" in explanation("network") and "x1 changes nothing" in explanation("network")
    network = tour.uniform_network([0, 1], 0)
    outputs = {tour.network_forward(network, [x1, 3]).o1 for x1 in (-5.0, 0.0, 2.0, 9.0)}
    assert len(outputs) == 1
    assert tour.network_forward(network, [2, 3]).h1 == pytest.approx(1 / (1 + np.exp(-3)), rel=1e-15)
    # "A perfect network scores 0; guessing 0 for everybody scores 0.5."
    people = tutorial_people()
    assert "perfect network scores 0; guessing 0 for everybody scores 0.5" in explanation("loss")
    assert tour.mse(people.y, people.y) == 0
    assert tour.mse(people.y, [0.0] * len(people.y)) == 0.5
    # "Four such steps, one per person, make one epoch"
    assert "Four such steps, one per person" in explanation("sgd")
    assert len(people.X) == 4 == len(tour.sgd_epoch(tour.tutorial_start_network(), people.X, people.y))
    # "Repeat that for 1000 epochs", "(weight − 135 lb, height − 66 in)"
    shift = f"weight − {tour.SHIFT[0]:g} lb, height − {tour.SHIFT[1]:g} in"
    assert f"for {tour.TRAINING_EPOCHS} epochs" in explanation("training")
    assert shift in explanation("training")
    assert tour.TRAINING_EPOCHS == 1000
    # "Try it in the Playground ...: Derived inputs, in the sidebar": the sidebar has a control so named.
    assert "Derived inputs, in the sidebar" in explanation("features")
    assert settings_of(DataSettings)["features"].label == "Derived inputs"


def test_sigmoid_figure_marks_the_point() -> None:
    figure = tour.sigmoid_figure(7.0, 0.9990889488055994)
    curve, point = figure.data
    assert (point.x[0], point.y[0]) == (7.0, 0.9990889488055994)
    assert min(curve.x) <= -8 and max(curve.x) >= 8
    assert tour.sigmoid_figure(30.0, 1.0).data[0].x.max() >= 30


# ----------------------------------------------------------------------------- the page


def tour_app(tmp_path: Path, step_query: str | None = None) -> AppTest:
    script = tmp_path / "tour_page.py"
    script.write_text(
        f"import sys\nsys.path.insert(0, {str(ROOT)!r})\n"
        "from playground.session import Session\nfrom playground.views import adapter\n"
        "from playground.views.tour import show_tour\n"
        f"adapter.send(Session.open_page, None, True, {step_query!r})\nshow_tour(adapter.session())\n"
    )
    return AppTest.from_file(str(script), default_timeout=60)


def shown_title(at: AppTest) -> str:
    """The step's title, from the heading "### <title> · step i of n"."""
    heading = next(m.value for m in at.markdown if m.value.startswith("### "))
    return heading.removeprefix("### ").split(" · step ")[0]


def test_next_and_back_walk_through_every_step(tmp_path: Path) -> None:
    at = tour_app(tmp_path).run()
    assert not at.exception
    assert shown_title(at) == TITLES[0]
    assert at.button(key=keys.TOUR_BACK).disabled
    for index, title in enumerate(TITLES):
        assert shown_title(at) == title
        assert any(m.value.endswith(f"step {index + 1} of {len(TITLES)}") for m in at.markdown)
        if index < len(TITLES) - 1:
            at.button(key=keys.TOUR_NEXT).click().run()
            assert not at.exception
    assert at.button(key=keys.TOUR_NEXT).disabled
    for title in reversed(TITLES[:-1]):
        at.button(key=keys.TOUR_BACK).click().run()
        assert not at.exception
        assert shown_title(at) == title
    assert at.session_state[keys.STATE].tour.step == 0


def test_first_step_shows_the_tutorial_neuron_and_follows_the_sliders(tmp_path: Path) -> None:
    at = tour_app(tmp_path).run()
    metrics = {metric.label: metric.value for metric in at.metric}
    assert metrics["Output y"] == "0.999089"
    at.slider(key=keys.tour_slider_key(keys.TOUR_NEURON, "b")).set_value(0.0).run()
    metrics = {metric.label: metric.value for metric in at.metric}
    assert metrics["Sum z"] == "3"
    assert metrics["Output y"] == f"{1 / (1 + np.exp(-3)):.6f}"


def test_deep_link_opens_a_step(tmp_path: Path) -> None:
    at = tour_app(tmp_path, "loss").run()
    assert not at.exception
    assert shown_title(at) == "The loss"
    assert {m.label: m.value for m in at.metric}["Mean squared error (the loss)"] == "0.5000"
    at.slider(key=keys.tour_guess_key("Alice")).set_value(1.0).run()
    assert {m.label: m.value for m in at.metric}["Mean squared error (the loss)"] == "0.2500"


def test_network_and_sgd_steps_show_their_numbers(tmp_path: Path) -> None:
    at = tour_app(tmp_path, "network").run()
    assert {m.label: m.value for m in at.metric}["Output o1"] == "0.721633"
    at.button(key=keys.TOUR_NEXT).click().run()
    at.button(key=keys.TOUR_NEXT).click().run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert float(metrics["Loss on Alice, after"]) < float(metrics["Loss on Alice, before"])
    assert "b3" in at.dataframe[0].value["Parameter p"].tolist()


def test_the_x1_slider_moves_the_output_once_x1_has_a_weight(tmp_path: Path) -> None:
    at = tour_app(tmp_path, "network").run()

    def output_for(x1: float) -> str:
        at.slider(key=keys.tour_slider_key(keys.TOUR_NETWORK, "x1")).set_value(x1).run()
        return {m.label: m.value for m in at.metric}["Output o1"]

    assert output_for(-3.0) == output_for(3.0)  # the tutorial's weights 0 and 1 ignore x1
    at.slider(key=keys.tour_slider_key(keys.TOUR_NETWORK, "w1")).set_value(1.0).run()
    assert output_for(-3.0) != output_for(3.0)
    assert not at.exception


def test_the_sgd_step_walks_one_epoch_person_by_person_then_shows_a_full_batch_step(tmp_path: Path) -> None:
    at = tour_app(tmp_path, "sgd").run()
    for person in ("Alice", "Bob", "Charlie", "Diana"):
        labels = [m.label for m in at.metric]
        assert f"Loss on {person}, before" in labels
        at.button(key=keys.TOUR_SGD_NEXT).click().run()
        assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert set(metrics) == {
        "Before training",
        "After the epoch",
        "After 1 full-batch step",
    }
    assert list(at.dataframe[0].value.columns) == [
        "Parameter p", "Start", "After 4 per-person steps", "After 1 full-batch step"
    ]  # fmt: skip
    at.button(key=keys.TOUR_SGD_AGAIN).click().run()
    assert "Loss on Alice, before" in [m.label for m in at.metric]


def test_ticking_raw_after_a_run_takes_that_run_away_until_train_is_pressed(tmp_path: Path) -> None:
    at = tour_app(tmp_path, "training").run()
    at.button(key=keys.TOUR_TRAIN).click().run()
    assert at.session_state[keys.STATE].tour.model is not None
    at.checkbox(key=keys.TOUR_RAW).check().run()
    assert at.session_state[keys.STATE].tour.model is None  # no shifted run shown beside "raw"
    assert not outcome_answers(at) and not at.exception


def test_raw_inputs_stall_the_tours_training_and_the_caption_says_before_training(tmp_path: Path) -> None:
    at = tour_app(tmp_path, "training").run()
    at.checkbox(key=keys.TOUR_RAW).check().run()
    at.button(key=keys.TOUR_TRAIN).click().run()
    for _ in range(200):
        if not at.session_state[keys.STATE].tour.run.running:
            break
        at.run()
    at.run()
    answers = outcome_answers(at)
    assert answers["Emily"].startswith("0.50") and answers["Frank"].startswith("0.50")
    assert any(c.value.startswith("Loss before training") and "(raw inputs)" in c.value for c in at.caption)
    assert not at.exception


def outcome_answers(at: AppTest) -> dict[str, str]:
    """The tour's answers for Emily and Frank: "**Emily** (128 lb, 63 in): **0.966 → female**"."""
    answers = [m.value for m in at.markdown if m.value.startswith(("**Emily**", "**Frank**"))]
    return {line.split("**")[1]: line.split("): ")[1].strip("*") for line in answers}


def test_training_button_tells_emily_from_frank(tmp_path: Path) -> None:
    at = tour_app(tmp_path, "training").run()
    assert not at.metric
    at.button(key=keys.TOUR_TRAIN).click().run()
    for _ in range(200):  # each run is one frame of the live picture
        if not at.session_state[keys.STATE].tour.run.running:
            break
        at.run()
    at.run()
    assert not at.exception
    assert at.session_state[keys.STATE].tour.model.epoch == 1000
    answers = outcome_answers(at)
    assert answers["Emily"].endswith("→ female")
    assert answers["Frank"].endswith("→ male")
    at.button(key=keys.TOUR_BACK).click().run()
    at.button(key=keys.TOUR_NEXT).click().run()
    assert len(outcome_answers(at)) == 2  # the result stays when the presenter steps away and back


def test_the_tours_run_is_the_tutorials_training() -> None:
    from nn_core.datasets import tutorial_people

    run = tour.training_run()
    run.trainer.run_epochs(1000)
    people = tutorial_people()
    reference = tour.tutorial_start_network(tour.TRAINING_SEED)
    reference.fit(people.X, people.y, epochs=1000, learning_rate=tour.LEARNING_RATE)
    np.testing.assert_allclose(run.network.parameters, reference.parameters, rtol=1e-12)
