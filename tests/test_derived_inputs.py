"""Derived inputs in the playground: the model feeds them, files and links keep them, the views name them,
and the sidebar offers them (AppTest). The teaching claim: squares solve the circle with no hidden layer."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from nn_core.features import parse_features, with_features
from playground.backprop import gradient_matrices
from playground.features_lesson import GRID, LESSON, circle_data, lesson_figure, train_lesson
from playground.model import ModelRun
from playground.network_picture import scene
from playground.settings import Settings, settings_for_preset
from playground.transfer import model_fits_data, model_from_json, model_script, model_to_json
from playground.views import keys
from playground.views.tabs import TAB_NAMES as PAGE_TABS
from tests.conftest import ROOT, open_tab, tutorial_prepared_data
from tests.test_app import edit_table

SQUARES = ("x1^2", "x2^2")


def circle_run(hidden: tuple[int, ...], features: tuple[str, ...]) -> ModelRun:
    """The Circle preset's own settings, with the given hidden layers and derived inputs, trained."""
    base = settings_for_preset("binary")
    settings = replace(
        base, network=replace(base.network, hidden_layers=hidden), data=replace(base.data, features=features)
    )
    model = ModelRun.build(circle_data(), settings)
    model.trainer.run_epochs(settings.training.epochs)
    return model


def tutorial_with(features: tuple[str, ...], standardize: bool = True) -> ModelRun:
    settings = replace(Settings(), data=replace(Settings().data, features=features, standardize=standardize))
    return ModelRun.build(tutorial_prepared_data(), settings)


def test_squares_let_a_network_with_no_hidden_layer_solve_the_circle():
    plain = circle_run((), ())
    squared = circle_run((), SQUARES)
    assert plain.network.layer_sizes == (2, 1) and squared.network.layer_sizes == (4, 1)
    assert plain.history.test_accuracy[-1] < 0.75  # a straight line cannot cut a disc out of a ring
    assert squared.history.test_accuracy[-1] >= 0.95


def test_the_model_feeds_the_columns_then_the_features_standardised_on_the_training_rows():
    model = tutorial_with(("x1^2", "x1*x2", "sin(x2)"))
    X = model.data.X
    expanded = with_features(X, parse_features(["x1^2", "x1*x2", "sin(x2)"], 2))
    assert model.network.layer_sizes[0] == 5
    np.testing.assert_allclose(model.standardizer.mean, expanded.mean(axis=0))
    np.testing.assert_allclose(
        model.network_inputs(X), (expanded - expanded.mean(axis=0)) / expanded.std(axis=0)
    )
    assert model.input_names[2:] == ["(Weight - 135)²", "(Weight - 135)·(Height - 66)", "sin(Height - 66)"]
    np.testing.assert_array_equal(model.predict_raw(X), model.network.predict(model.network_inputs(X)))


def test_without_standardising_the_network_reads_the_features_as_computed():
    model = tutorial_with(SQUARES, standardize=False)
    assert model.network_inputs(np.array([[-2.0, 3.0]])).tolist() == [[-2.0, 3.0, 4.0, 9.0]]


def test_a_saved_model_keeps_its_features_and_its_script_computes_them(tmp_path):
    model = tutorial_with(("x2^2", "sin(x1)"))
    model.trainer.run_epochs(50)
    document = json.loads(model_to_json(model))
    assert document["features"] == ["x2^2", "sin(x1)"] and document["inputs"] == [
        "Weight - 135",
        "Height - 66",
    ]
    loaded = model_from_json(model_to_json(model))
    assert [feature.code for feature in loaded.features] == ["x2^2", "sin(x1)"]
    assert model_fits_data(loaded, model.data) == []
    np.testing.assert_array_equal(loaded.network.predict(loaded.network_inputs(model.data.X)),
                                  model.predict_raw(model.data.X))  # fmt: skip
    script = tmp_path / "model.py"
    script.write_text(model_script(model), encoding="utf-8")
    printed = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, check=True, timeout=60
    )
    values = [float(line.split("->")[1]) for line in printed.stdout.splitlines()]
    assert values == model.predict_raw(model.data.X)[:, 0].tolist()


@pytest.mark.parametrize(
    ("features", "message"),
    [
        (["x1^3", "x2^2"], "not a derived input"),
        (["x1^2", "x1^2"], "listed twice"),
        ("x1^2", "'features' must be a list"),
        (["x1^2"] * 9, "'features' must be a list of up to 8"),
    ],
)
def test_a_model_file_with_bad_features_is_refused_with_a_sentence(features, message):
    document = json.loads(model_to_json(tutorial_with(("x1^2", "x2^2"))))
    document["features"] = features
    with pytest.raises(ValueError, match=message):
        model_from_json(json.dumps(document).encode())


def test_a_model_file_whose_features_do_not_add_up_to_the_networks_inputs_is_refused():
    document = json.loads(model_to_json(tutorial_with(("x1^2", "x2^2"))))
    document["features"] = ["x1^2"]
    with pytest.raises(ValueError, match="'inputs' names 2 columns but the network reads 3 columns"):
        model_from_json(json.dumps(document).encode())


def test_a_model_file_from_before_features_reads_as_having_none():
    document = json.loads(model_to_json(tutorial_with(())))
    del document["features"]
    document["version"] = 2
    assert model_from_json(json.dumps(document).encode()).features == ()


def test_the_picture_and_the_backprop_tables_name_the_derived_inputs():
    model = tutorial_with(("x1*x2",))
    picture = scene(model, (0, 1), model.data.X[0], [("sigmoid", "Sigmoid")])
    assert picture["inputs"] == ["Weight - 135", "Height - 66"]
    assert picture["nodes"] == [*picture["inputs"], "(Weight - 135)·(Height - 66)"]
    assert picture["derived"] == [["product", 0, 1]]
    assert picture["layers"][0] == 3 and len(picture["mean"]) == 3
    weights, _ = gradient_matrices(model, 0)[0]
    assert list(weights.index) == picture["nodes"]


# The sidebar (AppTest).


@pytest.fixture
def app() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception
    return at


def test_the_sidebar_offers_the_tutorials_derived_inputs_by_their_names(app):
    chooser = app.multiselect(key=keys.DERIVED_INPUTS)
    assert chooser.options == ["(Weight - 135)²", "(Height - 66)²", "(Weight - 135)·(Height - 66)",
                               "sin(Weight - 135)", "sin(Height - 66)"]  # fmt: skip
    chooser.set_value(["x1^2", "x2^2"]).run()
    model = app.session_state[keys.STATE].model
    assert model.network.layer_sizes == (4, 2, 1)
    assert model.settings.data.features == SQUARES
    assert not app.exception and not app.error


def test_the_circle_trains_to_the_end_with_squares_and_no_hidden_layer(app):
    app.selectbox(key=keys.SOURCE).set_value("Circle").run()
    app.number_input(key=keys.HIDDEN_LAYER_COUNT).set_value(0).run()
    app.multiselect(key=keys.DERIVED_INPUTS).set_value(list(SQUARES)).run()
    app.button(key=keys.TRAIN).click().run()
    for _ in range(200):
        if not app.session_state[keys.STATE].run.running:
            break
        app.run()
    model = app.session_state[keys.STATE].model
    assert model.network.layer_sizes == (4, 1) and model.epoch == model.settings.training.epochs
    assert model.history.test_accuracy[-1] >= 0.95
    assert not app.exception and not app.error


def test_features_the_new_columns_do_not_offer_are_taken_away_saying_so(app):
    app.multiselect(key=keys.DERIVED_INPUTS).set_value(["x1^2", "x2^2", "x1*x2"]).run()
    inputs_key = keys.choice_key("inputs", app.session_state[keys.STATE].table_version)
    app.multiselect(key=inputs_key).set_value(["Weight - 135"]).run()
    assert app.multiselect(key=keys.DERIVED_INPUTS).value == ["x1^2"]
    assert "Taken away: x2^2, x1*x2" in " ".join(caption.value for caption in app.caption)
    assert app.multiselect(key=keys.DERIVED_INPUTS).options == ["(Weight - 135)²", "sin(Weight - 135)"]
    assert app.session_state[keys.STATE].model.network.layer_sizes[0] == 2
    assert not app.exception and not app.error


# The tour's step "Features or hidden layers?".


def test_the_lesson_shows_a_line_failing_and_squares_or_a_hidden_layer_succeeding():
    data = circle_data()
    plain, squared, hidden = train_lesson(data)
    assert plain.test_accuracy < 0.75
    assert squared.test_accuracy >= 0.95 and hidden.test_accuracy >= 0.95
    assert plain.surface.shape == (GRID, GRID) and np.all((plain.surface >= 0) & (plain.surface <= 1))
    # Where the squared network says "label 1" is a disc around the centre: inside near 1, corners near 0.
    assert squared.surface[GRID // 2, GRID // 2] > 0.9
    assert max(squared.surface[0, 0], squared.surface[-1, -1], squared.surface[0, -1]) < 0.1
    figure = lesson_figure(data, (plain, squared, hidden))
    assert [trace.type for trace in figure.data] == ["heatmap", "scatter"] * 3
    assert "100% of test rows right" in figure.layout.annotations[1].text


def test_the_tour_step_opens_by_link_and_draws_the_three_networks():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["tour"] = "features"
    at.run()
    assert not at.exception and not at.error
    assert any("Features or hidden layers?" in markdown.value for markdown in at.markdown)
    lesson = at.session_state[keys.STATE].tour.lesson
    assert [result.title for result in lesson] == [network.title for network in LESSON]
    (chart,) = [chart for chart in at.get("plotly_chart")]
    assert len(json.loads(chart.proto.spec)["data"]) == 6


def test_a_table_with_a_bad_cell_keeps_the_derived_inputs_until_it_is_fixed(app):
    app.multiselect(key=keys.DERIVED_INPUTS).set_value(list(SQUARES)).run()
    edit_table(app, [0, 1, 2, ["Diana", "abc", "-6", "1"]])
    chooser = app.multiselect(key=keys.DERIVED_INPUTS)
    assert chooser.disabled and chooser.value == list(SQUARES)
    assert app.error  # the bad cell is named
    edit_table(app, [0, 1, 2, ["Diana", "-15", "-6", "1"]])
    assert app.multiselect(key=keys.DERIVED_INPUTS).value == list(SQUARES)
    assert app.session_state[keys.STATE].model.network.layer_sizes == (4, 2, 1)
    assert not app.exception and not app.error


@pytest.mark.parametrize("tab", PAGE_TABS)
def test_every_tab_draws_after_training_with_derived_inputs(app, tab):
    app.multiselect(key=keys.DERIVED_INPUTS).set_value(["x1^2", "x1*x2", "sin(x2)"]).run()
    app.number_input(key=keys.EPOCHS).set_value(20).run()
    app.button(key=keys.TRAIN).click().run()
    for _ in range(50):
        if not app.session_state[keys.STATE].run.running:
            break
        app.run()
    open_tab(app, tab)
    assert not app.exception and not app.error
