"""The learning-rate views: curves from one start at several rates, and one step on a slice of the loss.

Every number is checked against a formula worked out apart from the code under test: the tutorial's
arrays straight from nn_core, a plain Trainer run, central differences and p − η·g.
"""

from __future__ import annotations

import re
from dataclasses import replace

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from nn_core.datasets import make_preset, tutorial_people
from nn_core.network import Network
from nn_core.training import Trainer, TrainingConfig
from playground.backprop import parameter_names
from playground.learning_rates import (
    CURVE_POINTS,
    DEFAULT_RATES,
    MAX_EPOCHS,
    MAX_RATES,
    MAX_ROW_EPOCHS,
    MAX_STEPS,
    compare_learning_rates,
    comparison_epochs,
    comparison_sentence,
    curves_chart,
    default_parameter,
    loss_slice,
    loss_text,
    rates_to_compare,
    slice_chart,
    slice_key,
    slice_sentence,
)
from playground.model import ModelRun
from playground.presets import table_from_dataset
from playground.settings import Settings, settings_for_preset
from playground.table import check_table, default_target, input_choices
from playground.views import keys
from tests.conftest import ROOT, open_tab, tutorial_prepared_data

W5 = 6  # w5's place in Network.parameters for the 2-2-1 network: w1 w3 w2 w4 b1 b2 w5 w6 b3


@pytest.fixture
def tutorial() -> ModelRun:
    return ModelRun.build(tutorial_prepared_data(), Settings())


def tutorial_loss_at(model: ModelRun, index: int, value: float) -> float:
    """The tutorial's training loss (MSE on the four people) with one parameter set to ``value``."""
    people = tutorial_people()
    network = model.network.copy()
    network.parameters[index] = value
    return float(np.mean((network.predict(people.X)[:, 0] - people.y) ** 2))


def preset_model(name: str, n_samples: int, **training: object) -> ModelRun:
    table = table_from_dataset(make_preset(name, n_samples, 0.1, 0))
    target = default_target(table)
    data = check_table(table, input_choices(table, target), target).data
    settings = settings_for_preset(data.task)
    return ModelRun.build(data, replace(settings, training=replace(settings.training, **training)))


def test_the_slice_at_the_current_value_is_the_networks_loss(tutorial):
    people = tutorial_people()
    cut = loss_slice(tutorial, "w5", 0.1)
    assert cut.current == tutorial.network.parameters[W5]
    assert cut.loss_now == tutorial.network.loss(people.X, people.y, "mse")
    assert cut.loss_now == pytest.approx(tutorial_loss_at(tutorial, W5, cut.current), rel=1e-14)
    assert cut.losses[cut.values == cut.current] == pytest.approx([cut.loss_now], rel=1e-14)


def test_every_point_of_the_slice_is_the_loss_with_that_one_parameter_changed(tutorial):
    cut = loss_slice(tutorial, "w5", 0.1)
    for value, loss in list(zip(cut.values, cut.losses, strict=True))[::20]:
        assert loss == pytest.approx(tutorial_loss_at(tutorial, W5, value), rel=1e-12)


def test_the_tangent_slope_is_a_central_difference_and_nn_cores_gradient(tutorial):
    people = tutorial_people()
    cut = loss_slice(tutorial, "w5", 0.1)
    h = 1e-5
    central = (
        tutorial_loss_at(tutorial, W5, cut.current + h) - tutorial_loss_at(tutorial, W5, cut.current - h)
    ) / (2 * h)
    assert cut.slope == pytest.approx(central, rel=1e-6)
    assert cut.slope == tutorial.network.gradient_vector(people.X, people.y, "mse")[W5]
    values = np.array([cut.current - 1, cut.current + 2])
    np.testing.assert_allclose(cut.tangent(values), cut.loss_now + cut.slope * np.array([-1, 2]), rtol=1e-14)


def test_the_step_is_p_minus_eta_times_the_slope_and_the_loss_is_measured_there(tutorial):
    for eta in (0.01, 0.1, 10.0, 100.0):
        cut = loss_slice(tutorial, "w5", eta)
        assert cut.stepped == cut.current - eta * cut.slope
        assert cut.loss_after == pytest.approx(tutorial_loss_at(tutorial, W5, cut.stepped), rel=1e-12)
        assert cut.stepped in cut.values


def test_the_slice_works_on_a_copy(tutorial):
    before = tutorial.network.parameters.copy()
    loss_slice(tutorial, "b3", 100.0)
    np.testing.assert_array_equal(tutorial.network.parameters, before)


def test_a_large_step_on_the_tutorial_overshoots_and_a_small_one_does_not(tutorial):
    small = loss_slice(tutorial, "w5", 0.1)
    assert not small.overshoots and small.loss_after < small.loss_now
    assert "stops short of the bottom" in slice_sentence(small)

    past_the_floor = loss_slice(tutorial, "w5", 100.0)  # lower, but on the valley's far side
    assert past_the_floor.loss_after < past_the_floor.loss_now
    assert past_the_floor.slope > 0 > past_the_floor.slope_after
    assert past_the_floor.overshoots

    higher = loss_slice(tutorial, "b3", 100.0)
    assert higher.loss_after > higher.loss_now and higher.overshoots


def test_the_sentence_says_in_numbers_what_the_step_does(tutorial):
    assert slice_sentence(loss_slice(tutorial, "w5", 0.1)) == (
        "At η = 0.1 the step moves w5 from 0.91 to 0.89 and the loss goes from 0.393 down to 0.392: "
        "a step downhill that stops short of the bottom of the valley."
    )
    assert slice_sentence(loss_slice(tutorial, "w5", 100.0)) == (
        "At η = 100 the step moves w5 from 0.91 to −10.37 and the loss goes from 0.39 down to 0.12, "
        "but it overshoots: it jumps past the bottom of the valley to the far side."
    )
    higher = loss_slice(tutorial, "b3", 100.0)
    assert slice_sentence(higher) == (
        f"At η = 100 the step moves b3 from {higher.current:.2f} to {higher.stepped:.2f}".replace("-", "−")
        + f" and the loss goes from {higher.loss_now:.2f} up to {higher.loss_after:.2f}: it overshoots — "
        "the step jumps past the bottom of the valley and lands higher."
    )
    assert slice_key(loss_slice(tutorial, "w5", 0.1)) == (
        "Black: the loss as w5 alone changes. Dashed: its tangent, slope dL/dw5 = 0.1127. Orange: the step."
    )


def test_the_default_parameter_is_w5_or_the_first_weight_into_the_output():
    assert default_parameter((2, 2, 1)) == "w5"
    assert default_parameter((2, 8, 8, 1)) == "W3[1→1]"
    network = Network([2, 8, 8, 1], seed=3)
    index = parameter_names(network.layer_sizes).index(default_parameter(network.layer_sizes))
    assert network.parameters[index] == network.weights[-1][0, 0]


def test_a_slice_of_a_bigger_network_uses_its_standardised_training_rows():
    model = preset_model("XOR", 200)
    name = default_parameter(model.network.layer_sizes)
    cut = loss_slice(model, name, 0.03)
    raw = model.data.X[model.train_rows]
    X = (raw - raw.mean(axis=0)) / raw.std(axis=0)
    y = model.data.y[model.train_rows]
    p = np.clip(model.network.predict(X)[:, 0], 1e-15, 1 - 1e-15)
    assert cut.loss_now == pytest.approx(float(np.mean(-(y * np.log(p) + (1 - y) * np.log(1 - p)))), rel=1e-9)


def test_the_curve_at_the_models_own_rate_is_a_plain_trainer_run_from_the_seed(tutorial):
    people = tutorial_people()
    comparison = compare_learning_rates(tutorial, DEFAULT_RATES)
    assert [curve.learning_rate for curve in comparison.curves] == list(DEFAULT_RATES)
    assert comparison.epochs == 1000
    for curve in comparison.curves:
        network = Network([2, 2, 1], "sigmoid", "sigmoid", "normal", seed=1)
        trainer = Trainer(
            network, people.X, people.y, TrainingConfig(learning_rate=curve.learning_rate, seed=1)
        )
        trainer.run_epochs(1000)
        np.testing.assert_allclose(curve.train_loss, trainer.history.train_loss, rtol=1e-12, atol=0)
        assert not curve.diverged


def test_the_comparison_starts_from_the_seed_not_from_the_trained_weights(tutorial):
    fresh = compare_learning_rates(tutorial, (0.1,))
    tutorial.trainer.run_epochs(50)
    assert compare_learning_rates(tutorial, (0.1,)) == fresh
    assert tutorial.epoch == 50


def test_the_models_own_rate_is_always_compared_and_the_choice_is_capped():
    assert rates_to_compare([10.0, 0.01, 1.0], 0.1) == (0.01, 0.1, 1.0, 10.0)
    assert rates_to_compare([0.1, 1.0], 0.1) == (0.1, 1.0)
    assert len(rates_to_compare([float(k) for k in range(1, 20)], 0.5)) == MAX_RATES + 1


def test_the_epochs_per_rate_keep_to_the_caps():
    assert comparison_epochs(4, 1, 4, 1000) == 1000
    assert comparison_epochs(4, 1, 4, 50_000) == MAX_EPOCHS
    assert comparison_epochs(160, 10, 4, 300) == 300
    assert comparison_epochs(4000, 10, 4, 300) == MAX_ROW_EPOCHS // (4000 * 4) == 12
    assert comparison_epochs(4000, 1, 5, 300) == MAX_STEPS // (4000 * 5) == 2
    assert comparison_epochs(10**6, 10**6, 7, 300) == 1


def test_the_caps_hold_for_a_5000_row_table():
    model = preset_model("XOR", 5000)
    comparison = compare_learning_rates(model, DEFAULT_RATES)
    rows = len(model.train_rows)
    assert rows == 4000
    assert comparison.epochs * rows * len(DEFAULT_RATES) <= MAX_ROW_EPOCHS
    assert comparison.epochs * (rows // 10) * len(DEFAULT_RATES) <= MAX_STEPS
    assert 1 <= comparison.epochs <= MAX_EPOCHS
    assert all(len(curve.train_loss) <= comparison.epochs for curve in comparison.curves)
    assert comparison.epochs == MAX_ROW_EPOCHS // (rows * len(DEFAULT_RATES))
    sentence = comparison_sentence(comparison)
    assert f"{comparison.epochs} epochs (of your 300: the comparison is kept quick)" in sentence


def test_a_rate_that_diverges_is_marked_in_the_curves_the_legend_and_the_sentence():
    model = preset_model("Regression 1-D", 200, optimizer="sgd", learning_rate=0.01)
    comparison = compare_learning_rates(model, (0.01, 10.0))
    calm, wild = comparison.curves
    assert not calm.diverged and len(calm.train_loss) == comparison.epochs
    assert wild.diverged and len(wild.train_loss) < comparison.epochs
    epoch = len(wild.train_loss) + 1
    assert f"diverged at epoch {epoch}" in wild.stopped_reason
    spec = curves_chart(comparison, log_scale=True)
    assert spec["layer"][0]["encoding"]["color"]["scale"]["domain"] == [
        "η = 0.01 (yours)",
        f"η = 10: diverged at epoch {epoch}",
    ]
    ends = spec["datasets"]["ends"]
    assert list(ends["epoch"]) == [len(wild.train_loss)]
    assert list(ends["loss"]) == [wild.train_loss[-1]]
    assert f"η = 10 diverged at epoch {epoch}" in comparison_sentence(comparison)


def test_the_curves_chart_holds_each_rates_curve(tutorial):
    comparison = compare_learning_rates(tutorial, (0.01, 0.1))
    spec = curves_chart(comparison, log_scale=False)
    curves = spec["datasets"]["curves"]
    assert set(curves["rate"]) == {"η = 0.01", "η = 0.1 (yours)"}
    small = curves[curves["rate"] == "η = 0.01"]
    assert len(small) <= CURVE_POINTS and small["epoch"].iloc[0] == 1 and small["epoch"].iloc[-1] == 1000
    history = comparison.curves[0].train_loss
    assert list(small["loss"]) == [history[epoch - 1] for epoch in small["epoch"]]
    assert spec["datasets"]["ends"].empty
    assert spec["layer"][0]["encoding"]["y"]["scale"] == {"zero": True}
    assert curves_chart(comparison, log_scale=True)["layer"][0]["encoding"]["y"]["scale"] == {"type": "log"}
    colors = spec["layer"][0]["encoding"]["color"]["scale"]["range"]
    assert len(set(colors)) == 2


def test_the_slice_chart_holds_the_slice_the_tangent_and_the_step(tutorial):
    cut = loss_slice(tutorial, "w5", 100.0)
    spec = slice_chart(cut)
    data = spec["datasets"]
    np.testing.assert_array_equal(data["slice"]["value"], cut.values)
    np.testing.assert_array_equal(data["slice"]["loss"], cut.losses)
    tangent = data["tangent"]
    assert list(tangent["value"]) == [cut.values[0], cut.values[-1]]
    np.testing.assert_allclose(tangent["loss"], cut.loss_now + cut.slope * (tangent["value"] - cut.current))
    points = data["points"].set_index("what")
    assert points.loc["now", "value"] == cut.current and points.loc["now", "loss"] == cut.loss_now
    assert points.loc["after the step", "value"] == cut.stepped
    assert points.loc["after the step", "loss"] == cut.loss_after
    assert spec["layer"][0]["encoding"]["x"]["title"] == "w5"
    low, high = spec["layer"][0]["encoding"]["y"]["scale"]["domain"]
    assert low < cut.losses.min() and high > cut.losses.max()


def test_the_slice_reaches_past_the_valley_floor_downhill(tutorial):
    cut = loss_slice(tutorial, "w5", 0.1)
    floor = int(np.argmin(cut.losses))
    assert cut.values[floor] < cut.current and 0 < floor < len(cut.values) - 1


def test_losses_are_written_without_exponents():
    assert loss_text(1.2173613968e-05) == "0.0000122"
    assert loss_text(0.0236251) == "0.0236"
    assert loss_text(0.5) == "0.5"


def shown(text: str) -> str:
    """Markdown as a reader sees it: the backslashes that keep text from becoming markup removed."""
    return re.sub(r"\\(.)", r"\1", text)


def test_the_tab_trains_side_by_side_and_says_what_the_step_does():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    open_tab(at, "Learning rates")
    assert not at.exception
    at.button(key=keys.LEARNING_RATES_TRAIN).click().run()
    assert not at.exception
    texts = [shown(markdown.value) for markdown in at.markdown]
    assert (
        "At η = 0.1 the step moves w5 from 0.91 to 0.89 and the loss goes from 0.393 down to 0.392: "
        "a step downhill that stops short of the bottom of the valley."
    ) in texts
    captions = [caption.value for caption in at.caption]
    assert any(
        caption.startswith("Training loss after 1,000 epochs: η = 0.01 → 0.0236") for caption in captions
    )
    assert len(at.get("vega_lite_chart")) == 2
    at.button(key=keys.LEARNING_RATES_OVERSHOOT).click().run()  # "Show a step that overshoots"
    assert at.number_input(key=keys.step_rate_key(0.1)).value > 0.1
    assert any("it overshoots" in shown(markdown.value) for markdown in at.markdown)
    assert not at.exception


def test_the_comparison_is_trained_again_for_a_new_network_and_a_bad_table_asks_for_a_fix():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    open_tab(at, "Learning rates")
    assert not any(caption.value.startswith("Training loss after") for caption in at.caption)
    at.button(key=keys.LEARNING_RATES_TRAIN).click().run()
    first = at.session_state[keys.STATE].view.rates_result
    at.number_input(key=keys.neurons_key(0)).set_value(3).run()
    model = at.session_state[keys.STATE].model
    again = at.session_state[keys.STATE].view.rates_result
    assert model.network.layer_sizes == (2, 3, 1)
    assert again[0][0] == model.signature != first[0][0]
    assert again[1].curves[0].train_loss != first[1].curves[0].train_loss

    bad = b"x,y\n1,0\nabc,1\n3,0\n"  # a table that was never usable: no network to compare
    open_tab(at, "Data")
    at.file_uploader(key=keys.UPLOAD_CSV).set_value(("bad.csv", bad, "text/csv")).run()
    open_tab(at, "Learning rates")
    assert at.session_state[keys.STATE].model is None
    assert "Fix the table (in the Data tab) to see this." in [info.value for info in at.info]
    assert not at.exception


def test_an_example_of_an_overshooting_step_is_the_smallest_rate_that_overshoots(tutorial):
    from playground.learning_rates import OVERSHOOT_RATES, overshooting_rate

    model = tutorial
    rate = overshooting_rate(model, "w5")
    assert rate is not None and loss_slice(model, "w5", rate).overshoots
    smaller = [r for r in OVERSHOOT_RATES if r < rate]
    assert not any(loss_slice(model, "w5", r).overshoots for r in smaller)
