"""The guided tour: the tutorial's numbers from the tour's own functions, and the page clicked through."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from nn_core.datasets import tutorial_people
from nn_core.network import Network
from playground import tour
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
    assert [step.id for step in tour.STEPS] == ["neuron", "network", "loss", "sgd", "training"]
    assert [tour.step_index(step.id) for step in tour.STEPS] == [0, 1, 2, 3, 4]
    assert tour.step_index(None) == 0
    assert tour.step_index("no-such-step") == 0
    assert tour.step_index("") == 0


def test_every_step_explains_itself() -> None:
    assert len(set(TITLES)) == len(TITLES)
    assert all(len(step.explanation) > 100 for step in tour.STEPS)


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
        "from playground.state import get_state\nfrom playground.tour_view import show_tour\n"
        f"show_tour(get_state().tour, {step_query!r})\n"
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
    assert at.button(key="tour_back").disabled
    for index, title in enumerate(TITLES):
        assert shown_title(at) == title
        assert any(m.value.endswith(f"step {index + 1} of {len(TITLES)}") for m in at.markdown)
        if index < len(TITLES) - 1:
            at.button(key="tour_next").click().run()
            assert not at.exception
    assert at.button(key="tour_next").disabled
    for title in reversed(TITLES[:-1]):
        at.button(key="tour_back").click().run()
        assert not at.exception
        assert shown_title(at) == title
    assert at.session_state["playground"].tour.step == 0


def test_first_step_shows_the_tutorial_neuron_and_follows_the_sliders(tmp_path: Path) -> None:
    at = tour_app(tmp_path).run()
    metrics = {metric.label: metric.value for metric in at.metric}
    assert metrics["Output y"] == "0.999089"
    at.slider(key="tour_b").set_value(0.0).run()
    metrics = {metric.label: metric.value for metric in at.metric}
    assert metrics["Sum z"] == "3"
    assert metrics["Output y"] == f"{1 / (1 + np.exp(-3)):.6f}"


def test_deep_link_opens_a_step(tmp_path: Path) -> None:
    at = tour_app(tmp_path, "loss").run()
    assert not at.exception
    assert shown_title(at) == "The loss"
    assert {m.label: m.value for m in at.metric}["Mean squared error (the loss)"] == "0.5000"
    at.slider(key="tour_guess_alice").set_value(1.0).run()
    assert {m.label: m.value for m in at.metric}["Mean squared error (the loss)"] == "0.2500"


def test_network_and_sgd_steps_show_their_numbers(tmp_path: Path) -> None:
    at = tour_app(tmp_path, "network").run()
    assert {m.label: m.value for m in at.metric}["Output o1"] == "0.721633"
    at.button(key="tour_next").click().run()
    at.button(key="tour_next").click().run()
    at.selectbox(key="tour_person").set_value(3).run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert float(metrics["Loss after"]) < float(metrics["Loss before"])
    assert "b3" in at.dataframe[0].value["Parameter p"].tolist()


def test_training_button_tells_emily_from_frank(tmp_path: Path) -> None:
    at = tour_app(tmp_path, "training").run()
    assert not at.metric
    at.button(key="tour_train").click().run()
    for _ in range(200):  # each run is one frame of the live picture
        if not at.session_state["playground"].tour.training.status.running:
            break
        at.run()
    at.run()
    assert not at.exception
    assert at.session_state["playground"].tour.training.run.epoch == 1000
    metrics = {m.label.split(":")[0]: m.value for m in at.metric}
    assert metrics["Emily"].endswith("→ female")
    assert metrics["Frank"].endswith("→ male")
    at.button(key="tour_back").click().run()
    at.button(key="tour_next").click().run()
    assert len(at.metric) == 2  # the result stays when the presenter steps away and back


def test_the_tours_run_is_the_tutorials_training() -> None:
    from nn_core.datasets import tutorial_people

    run = tour.training_run()
    run.trainer.run_epochs(1000)
    people = tutorial_people()
    reference = tour.tutorial_start_network(tour.TRAINING_SEED)
    reference.fit(people.X, people.y, epochs=1000, learning_rate=tour.LEARNING_RATE)
    np.testing.assert_allclose(run.network.parameters, reference.parameters, rtol=1e-12)
