"""The live network picture's numbers: the scene sent once, the frame sent every time, and the checks on
what the picture sends back (a stranger's browser could send anything)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from playground.model import ModelRun
from playground.network_picture import (
    MAX_CURVE_POINTS,
    MAX_TYPED_WEIGHT,
    architecture_change,
    figures,
    frame,
    loss_curves,
    point_added,
    scene,
    scene_key,
    training_gradient,
    weight_change,
)
from playground.settings import MAX_HIDDEN_LAYERS, MAX_NEURONS, NetworkSettings, Settings
from tests.conftest import tutorial_prepared_data, unpacked

CHOICES = [("sigmoid", "Sigmoid"), ("tanh", "Tanh")]
FIXED = np.array([-7.0, -3.0])


def tutorial_model(epochs: int = 0) -> ModelRun:
    model = ModelRun.build(tutorial_prepared_data(), Settings())
    model.trainer.run_epochs(epochs)
    return model


def test_the_scene_names_the_tutorials_neurons_and_weights_and_carries_the_rows():
    picture = scene(tutorial_model(), (0, 1), FIXED, CHOICES)
    assert picture["layers"] == [2, 2, 1]
    assert picture["neurons"] == [["h1", "h2"], ["o1"]]
    assert picture["weightNames"] == [
        {"weights": ["w1", "w3", "w2", "w4"], "biases": ["b1", "b2"]},
        {"weights": ["w5", "w6"], "biases": ["b3"]},
    ]
    assert picture["points"]["x"] == [-2.0, 25.0, 17.0, -15.0]
    assert picture["points"]["target"] == [1.0, 0.0, 0.0, 1.0]
    assert picture["inputs"] == ["Weight - 135", "Height - 66"] and picture["classes"] == ["0", "1"]
    json.dumps(picture)  # it travels as JSON


def test_the_frame_carries_the_exact_parameters_in_the_order_of_the_weight_names():
    model = tutorial_model(5)
    sent = frame(model, running=True)
    network = model.network
    weights = [unpacked(layer) for layer in sent["weights"]]
    assert weights[0] == network.weights[0].ravel().tolist()  # [w1, w3, w2, w4]: exact floats
    assert weights[0][1] == network.weights[0][0, 1]
    assert unpacked(sent["biases"][1]) == network.biases[1].tolist()
    assert sent["epoch"] == 5 and sent["gradients"] is None and sent["running"] is True


def test_a_frame_of_the_largest_network_stays_small():
    largest = NetworkSettings(hidden_layers=(MAX_NEURONS,) * MAX_HIDDEN_LAYERS, hidden_activation="tanh")
    model = ModelRun.build(tutorial_prepared_data(), Settings(network=largest))
    sent = frame(model, running=True)
    assert len(json.dumps(sent)) < 16_000  # 1,425 parameters at 10.7 characters each
    assert unpacked(sent["weights"][3]) == model.network.weights[3].ravel().tolist()
    with_gradients = frame(model, running=True, gradients=training_gradient(model))
    assert len(json.dumps(with_gradients)) < 24_000  # and 1,328 weight gradients at 5.3


def test_a_long_loss_history_is_thinned_so_a_message_stays_small():
    history = tutorial_model(3000).history
    curves = loss_curves(history.train_loss, history.test_loss)
    assert len(curves["train"]) <= MAX_CURVE_POINTS + 1 and curves["epochs"][-1] == 3000
    assert curves["epochs"] == sorted(curves["epochs"])  # the picture cuts it at each frame's epoch
    assert len(json.dumps(curves)) < 8_000


def test_the_gradient_on_the_edges_is_the_training_losss_gradient():
    model = tutorial_model(3)
    gradient = training_gradient(model)
    sent = frame(model, running=False, gradients=gradient)["gradients"]
    dW, _ = model.network.gradients(model.data.X, model.data.y, "mse")
    for layer, expected in enumerate(dW):  # single precision: drawn as thickness, told to 4 digits
        np.testing.assert_allclose(unpacked(sent[layer], "<f4"), expected.ravel(), rtol=1e-6)


def test_the_scene_key_changes_with_the_network_the_axes_and_the_held_inputs_only():
    model = tutorial_model()
    key = scene_key(model, (0, 1), FIXED)
    assert scene_key(model, (0, 1), FIXED.copy()) == key
    assert scene_key(model, (1, 0), FIXED) != key
    assert scene_key(model, (0, 1), np.array([0.0, 0.0])) == key  # the maps span both inputs
    across_only = scene_key(model, (0, 0), FIXED)  # the second input is held at its value
    assert scene_key(model, (0, 0), np.array([-7.0, 5.0])) != across_only
    assert scene_key(model, (0, 0), np.array([3.0, -3.0])) == across_only
    model.trainer.run_epochs(3)  # training changes the frame, not the scene
    assert scene_key(model, (0, 1), FIXED) == key
    wider = ModelRun.build(tutorial_prepared_data(), Settings(network=NetworkSettings(hidden_layers=(3,))))
    assert scene_key(wider, (0, 1), FIXED) != key


def test_the_figures_are_the_epoch_and_the_current_weights_losses_and_accuracy():
    untrained = tutorial_model()
    data = untrained.data
    loss = untrained.network.loss(data.X, data.y)
    right = np.mean((untrained.network.predict(data.X)[:, 0] > 0.5) == (data.y > 0.5))
    assert figures(untrained) == [
        ("Epoch", "0"),
        ("Train loss", f"{loss:.4f}"),
        ("Test loss", "–"),
        ("Train accuracy", f"{right:.0%}"),
    ]
    trained = tutorial_model(1200)
    assert dict(figures(trained))["Epoch"] == "1,200"
    assert dict(figures(trained))["Train loss"] == f"{trained.history.train_loss[-1]:.4f}"


def test_the_figures_follow_a_weight_written_into_the_network():
    model = tutorial_model(1000)
    model.network.weights[1][0, 0] = 3.0
    data = model.data
    assert dict(figures(model))["Train loss"] == f"{model.network.loss(data.X, data.y):.4f}"
    assert dict(figures(model))["Train loss"] != f"{model.history.train_loss[-1]:.4f}"


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ({"layers": 3}, ((3, 4, 4), "sigmoid")),  # a new layer as wide as the last
        ({"layers": 0}, ((), "sigmoid")),
        ({"layers": 1}, ((3,), "sigmoid")),
        ({"layer": 1, "neurons": 7}, ((3, 7), "sigmoid")),
        ({"activation": "relu"}, ((3, 4), "relu")),
        ({"layers": MAX_HIDDEN_LAYERS + 1}, None),
        ({"layer": 0, "neurons": MAX_NEURONS + 1}, None),
        ({"layer": 0, "neurons": 0}, None),
        ({"layer": 5, "neurons": 2}, ((3, 4), "sigmoid")),  # no such layer: nothing changes
        ({"layers": 2.5}, ((3, 4), "sigmoid")),
        ({"layers": True}, ((3, 4), "sigmoid")),
        ({"activation": "softmax"}, None),
        ("anything", None),
    ],
)
def test_only_an_architecture_the_sidebar_could_show_is_taken(message, expected):
    assert architecture_change(message, (3, 4), "sigmoid") == expected


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ({"layer": 1, "from": 1, "to": 0, "value": -2.5}, (1, 1, 0, -2.5)),
        ({"layer": 0, "from": 0, "to": 1, "value": 3}, (0, 0, 1, 3.0)),
        ({"layer": 2, "from": 0, "to": 0, "value": 1.0}, None),
        ({"layer": 1, "from": 2, "to": 0, "value": 1.0}, None),
        ({"layer": 0, "from": 0, "to": 2, "value": 1.0}, None),
        ({"layer": 0, "from": 0, "to": 0, "value": MAX_TYPED_WEIGHT * 2}, None),
        ({"layer": 0, "from": 0, "to": 0, "value": float("nan")}, None),
        ({"layer": 0, "from": 0, "to": 0, "value": "1"}, None),
        ({"layer": -1, "from": 0, "to": 0, "value": 1.0}, None),
        (None, None),
    ],
)
def test_only_a_finite_weight_of_this_network_is_taken(message, expected):
    assert weight_change(message, (2, 2, 1)) == expected


def test_a_click_adds_a_point_only_near_the_data():
    X = tutorial_prepared_data().X
    assert point_added({"x": 3.0, "y": -2.0}, X, (0, 1)) == (3.0, -2.0)
    assert point_added({"x": 3e9, "y": -2.0}, X, (0, 1)) is None
    assert point_added({"x": "3", "y": -2.0}, X, (0, 1)) is None
    assert point_added({"x": float("inf"), "y": 0.0}, X, (0, 1)) is None


def test_the_picture_is_sent_the_tables_own_decimal_pattern_for_typed_weights():
    import re

    from playground.table import DECIMAL_PATTERN, UNICODE_MINUS, parse_number

    sent = scene(tutorial_model(), (0, 1), FIXED, CHOICES)
    assert (sent["numberPattern"], sent["minusSign"]) == (DECIMAL_PATTERN, UNICODE_MINUS)
    whole = re.compile(f"^(?:{sent['numberPattern']})$")  # as static/network_view.js reads it
    for text in ("3", "-0.5", ".5", "2.", "1e3", "+4"):
        assert whole.match(text) and parse_number(text) is not None
    for text in ("", "   ", "0x10", "0b11", "1,5", "inf", "nan", "1_000"):
        assert not whole.match(text.strip())
