"""Every way a table or model is loaded goes through ``AppState.load_table``: what each one leaves.

A data set, an upload, a model file, a link, an added point and Undo, each driven as a user does it
(headless, by Streamlit's AppTest), then the state checked: the model new or kept, the training status,
whether Undo has something to bring back, the table's version and the column choices.
"""

from __future__ import annotations

import json
import re

import numpy as np
import pytest
from streamlit.proto.WidgetStates_pb2 import WidgetState
from streamlit.testing.v1 import AppTest

from playground.session import MODEL_UNDO_HINT
from playground.views import keys
from tests.conftest import ROOT, open_tab

APP = str(ROOT / "app.py")
CSV = b"x1,x2,label\n0,0,0\n1,1,1\n0,1,1\n1,0,0\n"


@pytest.fixture
def app() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    return at


def shown(text: str) -> str:
    """Markdown as a reader sees it: the backslashes that keep user text from becoming markup removed."""
    return re.sub(r"\\(.)", r"\1", text)


def state(at: AppTest):
    return at.session_state[keys.STATE]


def choice(at: AppTest, name: str) -> object:
    """A column choice ("inputs", "target", "task") as the session holds it (inputs as a list)."""
    value = getattr(state(at).fitted_choices(), name)
    return list(value) if name == "inputs" else value


def choose_data_set(at: AppTest, name: str) -> AppTest:
    return at.selectbox(key=keys.SOURCE).set_value(name).run()


def undo(at: AppTest) -> AppTest:
    return at.button(key=keys.UNDO_LOAD).click().run()


def upload_model(at: AppTest, saved: str) -> AppTest:
    open_tab(at, "Save and share")
    return at.file_uploader(key=keys.UPLOAD_MODEL).set_value(("model.json", saved, "application/json")).run()


def click_surface(at: AppTest, x: float, y: float) -> AppTest:
    """What the network picture sends when the surface is clicked at (x, y), in the data's units."""
    (picture,) = [c for c in at.get("bidi_component") if c.proto.component_name == "playground_network"]
    states = at._tree.get_widget_states()
    states.widgets.append(
        WidgetState(id=picture.proto.id, json_value=json.dumps({"point": {"x": x, "y": y}}))
    )
    return at._run(states)


def test_a_data_set_starts_a_new_model_with_its_settings_and_undo_brings_back_the_last(app):
    app.button(key=keys.STEP).click().run()
    app.selectbox(key=keys.choice_key("task", 0)).set_value("binary").run()
    before = state(app).model
    choose_data_set(app, "XOR")
    loaded = state(app)
    assert loaded.table_version == 1 and loaded.source == "XOR, 200 points"
    assert loaded.model is not before and loaded.model.epoch == 0 and not loaded.run.running
    assert app.selectbox(key=keys.HIDDEN_ACTIVATION).value == "tanh"
    assert choice(app, "task") == "auto" and choice(app, "target") == "label"
    assert loaded.undo.model is before and loaded.undo.choices.task == "binary"
    assert app.button(key=keys.UNDO_LOAD).label == "Undo: bring back the previous table"
    assert not app.exception


def test_undo_brings_back_the_column_choices_and_redo_the_loaded_ones(app):
    app.multiselect(key=keys.choice_key("inputs", 0)).set_value(["Weight - 135"]).run()
    choose_data_set(app, "XOR")
    undo(app)
    assert state(app).table_version == 2 and choice(app, "inputs") == ["Weight - 135"]
    assert state(app).model.data.feature_names == ("Weight - 135",)
    undo(app)
    assert state(app).table_version == 3 and choice(app, "inputs") == ["x1", "x2"]
    assert state(app).source == "XOR, 200 points"


def test_a_csv_upload_keeps_the_settings_and_starts_a_new_model(app):
    app.number_input(key=keys.LEARNING_RATE).set_value(0.01).run()
    app.button(key=keys.STEP).click().run()
    app.file_uploader(key=keys.UPLOAD_CSV).set_value(("points.csv", CSV, "text/csv")).run()
    loaded = state(app)
    assert loaded.table_version == 1 and list(loaded.table.columns) == ["x1", "x2", "label"]
    assert loaded.model.epoch == 0 and loaded.model.data.feature_names == ("x1", "x2")
    assert app.number_input(key=keys.LEARNING_RATE).value == pytest.approx(0.01)
    assert loaded.undo is not None and loaded.undo.model.epoch == 1


def test_a_model_file_keeps_the_table_stops_training_and_undo_brings_back_the_model_it_replaced(app):
    from playground.transfer import model_to_json

    app.number_input(key=keys.EPOCHS).set_value(20).run()
    app.button(key=keys.TRAIN).click().run()
    for _ in range(50):
        if not state(app).run.running:
            break
        app.run()
    saved, trained = model_to_json(state(app).model), state(app).model.network.parameters.copy()
    app.number_input(key=keys.neurons_key(0)).set_value(3).run()
    app.number_input(key=keys.EPOCHS).set_value(100_000).run()
    app.selectbox(key=keys.choice_key("task", 0)).set_value("binary").run()
    app.button(key=keys.TRAIN).click().run()
    assert state(app).run.running
    replaced = state(app).model

    upload_model(app, saved)
    loaded = state(app)
    assert loaded.table_version == 0 and loaded.undo.replaced == "model" and not loaded.run.running
    np.testing.assert_array_equal(loaded.model.network.parameters, trained)
    assert app.number_input(key=keys.neurons_key(0)).value == 2 and choice(app, "task") == "binary"
    assert app.button(key=keys.UNDO_LOAD).label == "Undo: bring back the previous model"
    assert any(MODEL_UNDO_HINT in shown(message.value) for message in app.success)

    undo(app)
    assert state(app).model is replaced and not state(app).run.running
    assert app.number_input(key=keys.neurons_key(0)).value == 3 and choice(app, "task") == "binary"
    assert app.button(key=keys.UNDO_LOAD).label == "Undo: bring back the previous model"
    undo(app)
    np.testing.assert_array_equal(state(app).model.network.parameters, trained)
    assert app.number_input(key=keys.neurons_key(0)).value == 2
    assert not app.exception


def test_a_link_leaves_nothing_to_undo_and_brings_its_choices_and_settings():
    from dataclasses import replace

    from playground.settings import Settings
    from playground.share import SHARE_PARAM, SharedSetup, TableSource, encode_setup

    table = TableSource(("a", "b", "y"), (("1", "2", "0"), ("2", "1", "1"), ("0", "0", "0")))
    settings = replace(Settings(), training=replace(Settings().training, epochs=77))
    setup = SharedSetup(
        source=table, input_columns=("b",), target_column="y", task="binary", settings=settings
    )
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params[SHARE_PARAM] = encode_setup(setup)
    at.run()
    assert state(at).undo is None and state(at).table_version == 1
    assert (choice(at, "inputs"), choice(at, "target"), choice(at, "task")) == (["b"], "y", "binary")
    assert at.number_input(key=keys.EPOCHS).value == 77
    assert state(at).model.data.feature_names == ("b",)
    assert not at.exception


def test_an_added_point_keeps_the_trained_model_the_choices_and_what_undo_brings_back(app):
    app.selectbox(key=keys.choice_key("task", 0)).set_value("binary").run()
    app.file_uploader(key=keys.UPLOAD_CSV).set_value(("points.csv", CSV, "text/csv")).run()
    app.selectbox(key=keys.choice_key("task", 1)).set_value("binary").run()
    app.button(key=keys.STEP).click().run()
    model, before_undo = state(app).model, state(app).undo
    click_surface(app, 0.5, 0.5)
    added = state(app)
    assert len(added.table) == 5 and added.table_version == 2 and added.source == "Uploaded: points.csv"
    assert added.model.network is model.network and added.model.epoch == 1  # the same network goes on
    assert added.model.data.X.shape == (5, 2) and added.model.history.train_loss == model.history.train_loss
    assert added.undo is before_undo and choice(app, "task") == "binary"
    assert added.is_edited()
    assert not app.exception


def test_an_added_point_lets_a_running_training_go_on(app):
    app.number_input(key=keys.EPOCHS).set_value(100_000).run()  # a run no page run finishes
    app.button(key=keys.TRAIN).click().run()
    click_surface(app, 0.0, 0.0)
    assert len(state(app).table) == 5 and state(app).run.running and state(app).undo is None
    epoch = state(app).model.epoch
    app.run()
    assert state(app).model.epoch > epoch
    assert not app.exception
