"""The app driven headless by Streamlit's AppTest: what a user clicks and what the page then shows."""

from __future__ import annotations

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT

APP = str(ROOT / "app.py")
MAX_FRAMES = 200


@pytest.fixture
def app() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    return at


def state(at: AppTest):
    return at.session_state["playground"]


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def epoch(at: AppTest) -> int:
    return int(metric(at, "Epoch").replace(",", ""))


def train_to_the_end(at: AppTest) -> None:
    at.button(key="train").click().run()
    for _ in range(MAX_FRAMES):
        if not state(at).status.running:
            return
        at.run()
    raise AssertionError("training did not finish")


def prediction(at: AppTest) -> str:
    return next(m.value for m in at.markdown if m.value.startswith("### P("))


def edit_table(at: AppTest, edits: dict) -> AppTest:
    change = {"edited_rows": {}, "added_rows": [], "deleted_rows": []} | edits
    at.session_state[f"table_editor_{state(at).table_version}"] = change
    return at.run()


def test_first_open_shows_the_tutorial(app):
    table = state(app).table
    assert list(table["Name"]) == ["Alice", "Bob", "Charlie", "Diana"]
    assert list(table.columns) == ["Name", "Weight - 135", "Height - 66", "Female"]
    assert epoch(app) == 0
    assert app.number_input(key="hidden_layer_count").value == 1
    assert app.number_input(key="neurons_in_layer_0").value == 2
    assert app.number_input(key="learning_rate").value == pytest.approx(0.1)
    assert app.number_input(key="epochs").value == 1000
    assert app.number_input(key="batch_size").value == 1
    assert [app.slider(key=f"ask_0_{i}").value for i in (0, 1)] == [-7.0, -3.0]
    assert not app.error


def test_train_reaches_the_epochs_and_the_loss_falls(app):
    train_to_the_end(app)
    history = state(app).model.history
    assert epoch(app) == 1000 and history.epochs == 1000
    assert history.train_loss[-1] < history.train_loss[0] / 10
    assert metric(app, "Train accuracy") == "100%"
    assert not app.exception


def test_one_click_reproduces_the_tutorials_training(app):
    from nn_core.datasets import tutorial_people
    from nn_core.network import Network

    train_to_the_end(app)
    people = tutorial_people()
    reference = Network([2, 2, 1], seed=1)
    reference.fit(people.X, people.y, epochs=1000, learning_rate=0.1)
    np.testing.assert_allclose(state(app).model.network.parameters, reference.parameters, rtol=1e-12)


def test_emily_and_frank_after_training(app):
    train_to_the_end(app)
    app.button(key="ask_Emily").click().run()
    assert "Predicted class: **1**" in prediction(app)
    app.button(key="ask_Frank").click().run()
    assert "Predicted class: **0**" in prediction(app)


def test_moving_a_slider_changes_the_prediction_without_training(app):
    train_to_the_end(app)
    before, weights = prediction(app), state(app).model.network.parameters.copy()
    app.slider(key="ask_0_0").set_value(20.0).run()
    assert prediction(app) != before
    np.testing.assert_array_equal(state(app).model.network.parameters, weights)


def test_a_bad_cell_is_named_and_training_is_refused(app):
    edit_table(app, {"edited_rows": {1: {"Height - 66": "tall"}}})
    errors = " ".join(error.value for error in app.error)
    assert "Row 2" in errors and "Height - 66" in errors and "not a number" in errors
    assert app.button(key="train").disabled
    assert list(state(app).table["Height - 66"]) == ["-1", "6", "4", "-6"]
    assert not app.exception


def test_edits_survive_reruns_and_reach_the_model(app):
    edit_table(app, {"edited_rows": {0: {"Weight - 135": "-30"}}, "added_rows": [{"Name": "Eve"}]})
    assert "Row 5" in " ".join(error.value for error in app.error)
    edit_table(
        app,
        {
            "edited_rows": {0: {"Weight - 135": "-30"}},
            "added_rows": [{"Name": "Eve", "Weight - 135": "-9", "Height - 66": "-2", "Female": "1"}],
            "deleted_rows": [2],
        },
    )
    assert not app.error
    app.run()
    data = state(app).model.data
    assert data.row_labels == ("Alice", "Bob", "Diana", "Eve")
    assert data.X[0, 0] == -30


def test_loading_a_preset_replaces_the_table_and_suggests_settings(app):
    app.selectbox(key="source_choice").set_value("Spiral").run()
    app.button(key="load_source").click().run()
    assert len(state(app).table) == 200
    assert app.number_input(key="hidden_layer_count").value == 2
    assert app.selectbox(key="hidden_activation").value == "tanh"
    assert state(app).model.data.task == "binary"
    assert not app.exception


def test_pause_step_and_reset(app):
    app.button(key="train").click().run()
    app.run()
    assert state(app).status.running and 0 < epoch(app) < 1000
    app.button(key="pause").click().run()
    paused_at = epoch(app)
    app.run()
    assert epoch(app) == paused_at and not state(app).status.running
    app.button(key="step").click().run()
    assert epoch(app) == paused_at + 1
    app.button(key="reset").click().run()
    assert epoch(app) == 0 and state(app).model.history.epochs == 0


def test_changing_the_architecture_marks_a_trained_model_stale(app):
    app.button(key="step").click().run()
    app.number_input(key="neurons_in_layer_0").set_value(3).run()
    assert any("changed since this model was built" in w.value for w in app.warning)
    app.button(key="train").click().run()
    assert state(app).model.network.layer_sizes == (2, 3, 1)


def test_divergence_stops_with_the_engines_message(app):
    app.selectbox(key="source_choice").set_value("Regression 1-D").run()
    app.button(key="load_source").click().run()
    app.selectbox(key="optimizer").set_value("sgd").run()
    app.number_input(key="learning_rate").set_value(10.0).run()
    train_to_the_end(app)
    assert any("diverged at epoch" in error.value for error in app.error)
    assert np.isfinite(state(app).model.network.parameters).all()
    assert not app.exception


def test_backprop_tab_names_the_tutorials_derivatives(app):
    frames = [element.value for element in app.dataframe]
    gradients = next(frame for frame in frames if "dL/d(parameter)" in frame.columns)
    assert list(gradients["Parameter"]) == ["w1", "w3", "w2", "w4", "b1", "b2", "w5", "w6", "b3"]
    np.testing.assert_allclose(gradients["dL/d(parameter)"], gradients["Numeric check"], atol=1e-7)


def test_finished_runs_are_kept_for_comparison_but_paused_ones_are_not(app):
    train_to_the_end(app)
    app.button(key="train").click().run()
    app.button(key="pause").click().run()
    runs = state(app).runs
    assert [run.label for run in runs] == ["Run 1"]
    assert any("Run 1" in list(frame.value["Run"]) for frame in app.dataframe if "Run" in frame.value)


def test_uploading_a_csv_replaces_the_table(app):
    csv = b"name;x1;x2;label\na;0;1;1\nb;1;0;0\nc;1;1;1\nd;0;0;0\n"
    app.file_uploader(key="upload_csv").set_value(("points.csv", csv, "text/csv")).run()
    table = state(app).table
    assert list(table.columns) == ["name", "x1", "x2", "label"] and len(table) == 4
    assert state(app).model.data.feature_names == ("x1", "x2")
    assert any("Loaded points" in message.value for message in app.success)


def test_a_malformed_csv_is_explained_and_the_table_kept(app):
    app.file_uploader(key="upload_csv").set_value(("bad.csv", b"a,b\n1,2,3\n", "text/csv")).run()
    assert any("was not loaded" in error.value for error in app.error)
    assert list(state(app).table["Name"]) == ["Alice", "Bob", "Charlie", "Diana"]
    assert not app.exception


def test_a_saved_model_loads_back_with_the_same_predictions(app):
    from playground.transfer import model_to_json

    train_to_the_end(app)
    saved, trained = model_to_json(state(app).model), state(app).model.network.parameters.copy()
    app.button(key="reset").click().run()
    assert not np.array_equal(state(app).model.network.parameters, trained)
    app.file_uploader(key="upload_model").set_value(("model.json", saved, "application/json")).run()
    np.testing.assert_array_equal(state(app).model.network.parameters, trained)
    assert any("Loaded model" in message.value for message in app.success)
    app.run()
    assert state(app).model.network.parameters.tobytes() == trained.tobytes()  # not rebuilt as stale


def test_a_model_for_other_columns_is_refused(app):
    from playground.transfer import model_to_json

    app.selectbox(key="source_choice").set_value("XOR").run()
    app.button(key="load_source").click().run()
    saved = model_to_json(state(app).model)
    app.selectbox(key="source_choice").set_value("Tutorial: four people").run()
    app.button(key="load_source").click().run()
    app.file_uploader(key="upload_model").set_value(("xor.json", saved, "application/json")).run()
    assert any("does not fit this table" in error.value for error in app.error)
    assert state(app).model.network.layer_sizes == (2, 2, 1)


def open_with(params: dict[str, str]) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for name, value in params.items():
        at.query_params[name] = value
    at.run()
    assert not at.exception
    return at


def shared_link(at: AppTest) -> str:
    """The encoded setup from the link shown in the "Save and share" tab."""
    from urllib.parse import parse_qs, urlsplit

    from playground.share import SHARE_PARAM

    (link,) = [code.value for code in at.code if f"{SHARE_PARAM}=" in code.value]
    return parse_qs(urlsplit(link).query)[SHARE_PARAM][0]


def test_a_share_link_restores_the_setup_and_the_same_untrained_network(app):
    from playground.share import SHARE_PARAM

    app.selectbox(key="source_choice").set_value("Two moons").run()
    app.slider(key="preset_noise").set_value(0.2).run()
    app.button(key="load_source").click().run()
    app.number_input(key="neurons_in_layer_1").set_value(5).run()
    app.number_input(key="learning_rate").set_value(0.01).run()
    app.button(key="make_link").click().run()
    other = open_with({SHARE_PARAM: shared_link(app)})
    assert state(other).table.equals(state(app).table)
    assert other.number_input(key="neurons_in_layer_1").value == 5
    assert other.number_input(key="learning_rate").value == pytest.approx(0.01)
    np.testing.assert_array_equal(state(other).model.network.parameters, state(app).model.network.parameters)


def test_an_edited_small_table_travels_in_the_link(app):
    from playground.share import SHARE_PARAM

    edit_table(app, {"edited_rows": {0: {"Weight - 135": "-4"}}})
    app.button(key="make_link").click().run()
    other = open_with({SHARE_PARAM: shared_link(app)})
    assert list(state(other).table["Weight - 135"]) == ["-4", "25", "17", "-15"]


def test_a_tampered_link_opens_the_defaults_and_says_so():
    from playground.share import SHARE_PARAM

    at = open_with({SHARE_PARAM: "not-a-real-link"})
    assert list(state(at).table["Name"]) == ["Alice", "Bob", "Charlie", "Diana"]
    assert any("could not be read" in warning.value for warning in at.warning)


def test_workshop_link_opens_the_tour_at_a_step_and_keeps_settings():
    at = open_with({"tour": "sgd"})
    assert at.toggle(key="workshop").value is True
    headings = [*at.header, *at.subheader, *at.markdown]
    assert any("One SGD step" in heading.value for heading in headings)
    at.number_input(key="epochs").set_value(50).run()
    at.toggle(key="workshop").set_value(False).run()
    assert at.number_input(key="epochs").value == 50
    assert not at.exception


def test_a_new_session_in_a_used_tab_says_the_earlier_work_is_gone(app):
    from playground.state import SESSION_PARAM

    assert not app.toast
    marker = app.query_params[SESSION_PARAM]
    reopened = open_with({SESSION_PARAM: marker[0] if isinstance(marker, list) else marker})
    assert any("started again from the tutorial" in toast.value for toast in reopened.toast)
    reopened.run()
    assert not reopened.toast
