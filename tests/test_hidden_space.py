"""The hidden layer's space: every number of the view against a forward pass written out by hand with
NumPy from the network's weights, the decision line against the output it stands for, and the view in
the app."""

from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from playground.hidden_space import (
    BACKGROUND_CELLS,
    GRID_LINES,
    GRID_SAMPLES,
    LEGEND_COLUMNS,
    hidden_space,
    hidden_space_chart,
    input_grid,
    line_in_box,
    name_labels,
    why_no_line,
)
from playground.model import ModelRun
from playground.plane import axis_range
from playground.presets import TUTORIAL_QUESTIONS, load_source, table_from_dataset
from playground.settings import NetworkSettings, Settings, settings_for_preset
from playground.table import PreparedData, check_table, default_target, input_choices
from playground.views import keys
from tests.conftest import ROOT, open_tab, tutorial_prepared_data

TAB = "Hidden layer's space"
EXACT = 1e-12


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


def preset_data(name: str) -> PreparedData:
    table = table_from_dataset(load_source(name, 200, 0.1, 0))
    target = default_target(table)
    return check_table(table, input_choices(table, target), target).data


def preset_model(name: str, hidden: tuple[int, ...] = (8, 8), epochs: int = 20) -> ModelRun:
    data = preset_data(name)
    settings = settings_for_preset(data.task)
    settings = replace(settings, network=replace(settings.network, hidden_layers=hidden))
    model = ModelRun.build(data, settings)
    model.trainer.run_epochs(epochs)
    return model


def tutorial_model(epochs: int = 1000) -> ModelRun:
    model = ModelRun.build(tutorial_prepared_data(), Settings())
    model.trainer.run_epochs(epochs)
    return model


def tutorial_hidden(model: ModelRun, X_raw: np.ndarray) -> np.ndarray:
    """(h1, h2) = σ(x·W + b) of the tutorial's raw inputs (not standardised), by hand."""
    return sigmoid(np.asarray(X_raw, dtype=float) @ model.network.weights[0] + model.network.biases[0])


def tanh_layers(model: ModelRun, X_raw: np.ndarray) -> list[np.ndarray]:
    """Every hidden layer of a standardised tanh network, by hand: z = (x − mean)/std over the
    training rows, then h = tanh(h_prev·W + b) layer after layer."""
    X_train = model.data.X[model.train_rows]
    values = (X_raw - X_train.mean(axis=0)) / X_train.std(axis=0)
    layers = []
    for weights, biases in zip(model.network.weights[:-1], model.network.biases[:-1], strict=True):
        values = np.tanh(values @ weights + biases)
        layers.append(values)
    return layers


def coordinates(frame) -> np.ndarray:
    return frame[["a", "b"]].to_numpy()


def test_the_rows_sit_at_their_hidden_activations():
    model = tutorial_model()
    space = hidden_space(model, 0, (0, 1), (0, 1), model.data.X[0])
    np.testing.assert_allclose(
        coordinates(space.points), tutorial_hidden(model, model.data.X), rtol=0, atol=EXACT
    )
    assert list(space.points["row"]) == ["Alice", "Bob", "Charlie", "Diana"]
    assert list(space.points["class"]) == ["1", "0", "0", "1"]
    assert space.names == ("h1", "h2")


def test_emily_and_frank_sit_at_their_hidden_activations():
    model = tutorial_model()
    space = hidden_space(model, 0, (0, 1), (0, 1), model.data.X[0], TUTORIAL_QUESTIONS)
    assert list(space.questions["row"]) == ["Emily", "Frank"]
    by_hand = tutorial_hidden(model, np.array([[-7.0, -3.0], [20.0, 2.0]]))
    np.testing.assert_allclose(coordinates(space.questions), by_hand, rtol=0, atol=EXACT)


def test_a_wider_layer_shows_the_two_chosen_neurons_of_a_standardised_network():
    model = preset_model("Spiral")
    by_hand = tanh_layers(model, model.data.X)
    for layer, neurons in ((0, (3, 7)), (1, (5, 2)), (1, (4, 4))):
        space = hidden_space(model, layer, neurons, (0, 1), model.data.X[0])
        np.testing.assert_allclose(
            coordinates(space.points), by_hand[layer][:, list(neurons)], rtol=0, atol=EXACT
        )
        assert space.names == (f"L{layer + 1} n{neurons[0] + 1}", f"L{layer + 1} n{neurons[1] + 1}")


def test_the_input_grid_spans_the_data_with_lines_of_constant_input():
    X = np.array([[0.0, 10.0, 5.0], [2.0, 30.0, 6.0]])
    rows, lines = input_grid(X, (2, 0), np.array([1.0, 20.0, 5.5]))
    assert rows.shape == (2 * GRID_LINES * GRID_SAMPLES, 3) and lines.max() == 2 * GRID_LINES - 1
    (low2, high2), (low0, high0) = axis_range(X[:, 2]), axis_range(X[:, 0])
    first, last = rows[lines == 0], rows[lines == 2 * GRID_LINES - 1]
    np.testing.assert_array_equal(first[:, 2], low2)  # constant input 3, input 1 running over its range
    assert (first[0, 0], first[-1, 0]) == (low0, high0)
    np.testing.assert_array_equal(last[:, 0], high0)  # constant input 1, input 3 running over its range
    assert (last[0, 2], last[-1, 2]) == (low2, high2)
    np.testing.assert_array_equal(rows[:, 1], 20.0)  # the input off the plane is held


def test_one_input_gives_one_grid_line():
    rows, lines = input_grid(np.array([[1.0], [3.0]]), (0, 0), np.array([2.0]))
    assert rows.shape == (GRID_SAMPLES, 1) and set(lines) == {0}
    assert (rows[0, 0], rows[-1, 0]) == axis_range(np.array([1.0, 3.0]))


def test_the_warped_grid_is_the_input_grid_after_the_hidden_layer():
    model = tutorial_model()
    space = hidden_space(model, 0, (0, 1), (0, 1), model.data.X[0])
    (low0, high0), (low1, high1) = (axis_range(model.data.X[:, axis]) for axis in (0, 1))
    corners = np.array([[low0, low1], [low0, high1], [high0, low1], [high0, high1]])
    grid = space.grid
    first_line = grid[grid["line"] == 0]
    last_line = grid[grid["line"] == grid["line"].max()]
    ends = np.vstack([coordinates(first_line)[[0, -1]], coordinates(last_line)[[0, -1]]])
    np.testing.assert_allclose(ends, tutorial_hidden(model, corners[[0, 1, 1, 3]]), rtol=0, atol=EXACT)
    assert (np.diff(first_line["order"]) > 0).all()
    assert len(grid) == 2 * GRID_LINES * GRID_SAMPLES


def test_every_point_of_the_decision_line_gets_the_output_one_half():
    model = tutorial_model()
    space = hidden_space(model, 0, (0, 1), (0, 1), model.data.X[0])
    assert space.note is None and len(space.line) == 2
    (w5, w6), b3 = model.network.weights[1][:, 0], model.network.biases[1][0]
    ends = coordinates(space.line)
    along = ends[0] + np.linspace(0, 1, 5)[:, None] * (ends[1] - ends[0])
    np.testing.assert_allclose(sigmoid(along @ np.array([w5, w6]) + b3), 0.5, rtol=0, atol=EXACT)
    low, high = space.domain
    assert all(np.isclose(end[:, None], [low, high]).any() for end in ends)  # it runs to the frame's edges
    assert space.equation.endswith("= 0") and "h1" in space.equation and "h2" in space.equation


def test_swapping_the_axes_swaps_the_line():
    model = tutorial_model()
    straight = hidden_space(model, 0, (0, 1), (0, 1), model.data.X[0])
    swapped = hidden_space(model, 0, (1, 0), (0, 1), model.data.X[0])
    np.testing.assert_allclose(
        np.sort(coordinates(swapped.line)[:, ::-1], axis=0), np.sort(coordinates(straight.line), axis=0)
    )


def test_a_line_is_clipped_to_the_box_or_absent():
    np.testing.assert_allclose(line_in_box((1.0, -1.0), 0.0, (0, 1, 0, 1)), [[0, 0], [1, 1]])
    np.testing.assert_allclose(line_in_box((1.0, 0.0), -0.25, (0, 1, 0, 1)), [[0.25, 0], [0.25, 1]])
    np.testing.assert_allclose(line_in_box((0.0, 2.0), -1.0, (0, 1, 0, 1)), [[0, 0.5], [1, 0.5]])
    assert line_in_box((1.0, 1.0), 5.0, (0, 1, 0, 1)) is None
    assert line_in_box((0.0, 0.0), 0.0, (0, 1, 0, 1)) is None


def test_no_line_is_drawn_where_none_exists_and_the_view_says_why():
    wide = preset_model("Spiral", epochs=1)
    assert "hidden layer 2" in why_no_line(wide, 0, (0, 1))
    assert "all 8 neurons" in why_no_line(wide, 1, (0, 1))
    space = hidden_space(wide, 1, (0, 1), (0, 1), wide.data.X[0])
    assert space.line.empty and space.equation is None and "all 8 neurons" in space.note
    assert "number, not a class" in why_no_line(preset_model("Regression 2-D", (2,), 1), 0, (0, 1))
    assert "3 classes" in why_no_line(preset_model("Three classes", (2,), 1), 0, (0, 1))
    assert (
        why_no_line(tutorial_model(1), 0, (1, 1)) == "Choose two different neurons to see the decision line."
    )


def test_an_unbounded_activation_draws_the_line_across_everything_shown():
    data = tutorial_prepared_data()
    settings = replace(
        Settings(), network=NetworkSettings(hidden_layers=(2,), hidden_activation="relu", init="he", seed=3)
    )
    model = ModelRun.build(data, settings)
    model.trainer.run_epochs(50)
    space = hidden_space(model, 0, (0, 1), (0, 1), data.X[0])
    assert space.domain is None and len(space.line) == 2
    (w_a, w_b), bias = model.network.weights[1][:, 0], model.network.biases[1][0]
    np.testing.assert_allclose(coordinates(space.line) @ [w_a, w_b] + bias, 0.0, atol=1e-9)
    shown = np.vstack([coordinates(space.points), coordinates(space.grid)])
    assert (coordinates(space.line).min(axis=0) < shown.max(axis=0)).all()
    assert (coordinates(space.line).max(axis=0) > shown.min(axis=0)).all()


def test_behind_the_line_each_cell_holds_the_output_at_its_centre_in_the_surfaces_colours():
    model = tutorial_model()
    space = hidden_space(model, 0, (0, 1), (0, 1), model.data.X[0])
    cells = space.background
    assert len(cells) == BACKGROUND_CELLS**2
    low, high = space.domain
    assert (cells["a"].min(), cells["a2"].max(), cells["b"].min(), cells["b2"].max()) == (
        low,
        high,
        low,
        high,
    )
    (w5, w6), b3 = model.network.weights[1][:, 0], model.network.biases[1][0]
    by_hand = sigmoid(w5 * (cells["a"] + cells["a2"]) / 2 + w6 * (cells["b"] + cells["b2"]) / 2 + b3)
    np.testing.assert_allclose(cells["output"], by_hand, rtol=0, atol=EXACT)
    layer = next(
        layer for layer in hidden_space_chart(space)["layer"] if layer["data"]["name"] == "background"
    )
    scale = layer["encoding"]["fill"]["scale"]
    assert scale["domain"] == [0, 0.5, 1] and scale["interpolate"] == "rgb"
    assert scale["range"] == ["#FACE9C", "#F5F6F6", "#90C2E1"]  # 45 % of orange, neutral, blue on white
    wide = preset_model("Spiral", epochs=1)
    assert hidden_space(wide, 1, (0, 1), (0, 1), wide.data.X[0]).background.empty


def points_layer(spec: dict) -> dict:
    return next(layer for layer in spec["layer"] if layer["data"]["name"] == "points")


def test_the_chart_carries_the_numbers_as_data_and_keeps_its_spec_while_training():
    model = tutorial_model(10)
    before = hidden_space_chart(hidden_space(model, 0, (0, 1), (0, 1), model.data.X[0], TUTORIAL_QUESTIONS))
    model.trainer.run_epochs(500)
    space = hidden_space(model, 0, (0, 1), (0, 1), model.data.X[0], TUTORIAL_QUESTIONS)
    after = hidden_space_chart(space)
    assert {key: value for key, value in before.items() if key != "datasets"} == {
        key: value for key, value in after.items() if key != "datasets"
    }
    datasets = after["datasets"]
    assert set(datasets) == {"background", "grid", "line", "points", "questions", "labels"}
    np.testing.assert_allclose(coordinates(datasets["points"]), coordinates(space.points), rtol=1e-6)
    assert list(datasets["questions"]["row"]) == ["Emily", "Frank"]
    assert list(datasets["labels"]["text"]) == ["Alice, Diana, Emily", "Bob, Charlie, Frank"]
    layers = after["layer"]
    assert [layer["data"]["name"] for layer in layers] == [
        "background", "grid", "line", "points", "questions", "labels", "labels",
    ]  # fmt: skip
    x_axis = layers[0]["encoding"]["x"]
    assert x_axis["title"] == "h1" and x_axis["scale"]["domain"] == list(space.domain)
    color = points_layer(after)["encoding"]["color"]
    assert color["scale"]["domain"] == ["0", "1"] and color["legend"]["title"] == "Female"


def test_a_legend_of_many_classes_wraps_instead_of_running_off_the_chart():
    model = preset_model("Three classes")
    chart = hidden_space_chart(hidden_space(model, 1, (0, 1), (0, 1), model.data.X[0], {}))
    assert points_layer(chart)["encoding"]["color"]["legend"]["columns"] == LEGEND_COLUMNS


def test_names_a_stranger_typed_stay_plain_data_in_the_chart():
    data = replace(
        tutorial_prepared_data(),
        target_name="Fem\nale](http://x)",
        row_labels=("{{datum.a}}", "<b>Bob</b>", "Charlie", "Diana"),
    )
    model = ModelRun.build(data, Settings())
    spec = hidden_space_chart(hidden_space(model, 0, (0, 1), (0, 1), data.X[0]))
    assert points_layer(spec)["encoding"]["color"]["legend"]["title"] == "Fem ale](http://x)"
    assert list(spec["datasets"]["points"]["row"][:2]) == ["{{datum.a}}", "<b>Bob</b>"]
    assert "datum.a" not in json.dumps({key: value for key, value in spec.items() if key != "datasets"})


def test_names_of_nearby_points_share_one_label_written_towards_the_middle():
    named = pd.DataFrame(
        {"a": [0.1, 0.12, 0.9, 0.5], "b": [0.5, 0.52, 0.5, 0.9], "row": ["A", "B", "C", "D"]}
    )
    labels = name_labels(named, (0.0, 1.0, 0.0, 1.0))
    assert list(labels["text"]) == ["A, B", "C", "D"]
    assert list(labels["side"]) == ["right", "left", "right"]
    np.testing.assert_array_equal(coordinates(labels), [[0.1, 0.5], [0.9, 0.5], [0.5, 0.9]])


def test_many_rows_are_not_named_but_the_questions_are():
    model = preset_model("Spiral", epochs=1)
    space = hidden_space(model, 1, (0, 1), (0, 1), model.data.X[0], {"Q": (0.0, 0.0)})
    assert list(space.labels["text"]) == ["Q"]


def test_a_regression_colours_each_point_by_its_target():
    model = preset_model("Regression 2-D", (2,), 1)
    space = hidden_space(model, 0, (0, 1), (0, 1), model.data.X[0])
    low = model.data.y.argmin()
    assert space.points["color"][low] == "#F59322"  # the app's orange for the lowest value
    assert points_layer(hidden_space_chart(space))["encoding"]["color"]["scale"] is None
    assert space.background.empty


# The view in the app (AppTest).


def chart_data(at: AppTest) -> dict:
    (chart,) = at.get("vega_lite_chart")
    return {
        dataset.name: pa.ipc.open_stream(dataset.data.data).read_all().to_pandas()
        for dataset in chart.proto.datasets
    }


@pytest.fixture
def app() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    return open_tab(at, TAB)


def test_the_view_follows_the_tutorials_training(app):
    assert not app.exception
    assert "moves every point" in " ".join(markdown.value for markdown in app.markdown)
    app.button(key=keys.TRAIN).click().run()
    for _ in range(200):
        assert not app.exception
        if not app.session_state[keys.STATE].run.running:
            break
        app.run()
    model = app.session_state[keys.STATE].model
    assert model.epoch == 1000
    points = chart_data(app)["points"]
    np.testing.assert_allclose(coordinates(points), tutorial_hidden(model, model.data.X), atol=1e-6)
    assert len(chart_data(app)["line"]) == 2
    assert any("Decision line" in markdown.value for markdown in app.markdown)


def test_with_two_hidden_layers_of_eight_the_learner_chooses_the_layer_and_neurons(app):
    app.selectbox(key=keys.SOURCE).set_value("Spiral").run()
    assert not app.exception
    assert app.selectbox(key=keys.HIDDEN_SPACE_LAYER).value == 1  # the layer the output reads
    app.selectbox(key=keys.neuron_key("x", 1)).set_value(6).run()
    app.selectbox(key=keys.neuron_key("y", 1)).set_value(3).run()
    assert not app.exception
    model = app.session_state[keys.STATE].model
    by_hand = tanh_layers(model, model.data.X)
    np.testing.assert_allclose(coordinates(chart_data(app)["points"]), by_hand[1][:, [6, 3]], atol=1e-6)
    assert chart_data(app)["line"].empty
    assert any("all 8 neurons" in caption.value for caption in app.caption)
    app.selectbox(key=keys.HIDDEN_SPACE_LAYER).set_value(0).run()
    app.selectbox(key=keys.neuron_key("y", 0)).set_value(7).run()
    assert not app.exception
    np.testing.assert_allclose(coordinates(chart_data(app)["points"]), by_hand[0][:, [0, 7]], atol=1e-6)
    assert any("reads hidden layer 2" in caption.value for caption in app.caption)


def test_a_network_without_a_hidden_layer_is_told_to_add_one(app):
    app.number_input(key=keys.HIDDEN_LAYER_COUNT).set_value(0).run()
    assert not app.exception
    assert any("no hidden layer" in info.value for info in app.info)
