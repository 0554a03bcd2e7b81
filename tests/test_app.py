"""The app driven headless by Streamlit's AppTest: what a user clicks and what the page then shows."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from playground.views import keys
from tests.conftest import ROOT, open_tab, unpacked

APP = str(ROOT / "app.py")
MAX_FRAMES = 200


@pytest.fixture
def app() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    return at


def shown(text: str) -> str:
    """Markdown as a reader sees it: the backslashes that keep user text from becoming markup removed."""
    return re.sub(r"\\(.)", r"\1", text)


def errors(at: AppTest) -> str:
    return " ".join(shown(error.value) for error in at.error)


def state(at: AppTest):
    return at.session_state[keys.STATE]


def picture_data(at: AppTest) -> dict:
    """What the network picture was sent in the last run (its frames, loss curve and scene)."""
    (picture,) = [c for c in at.get("bidi_component") if c.proto.component_name == "playground_network"]
    return json.loads(picture.proto.json)


def metric(at: AppTest, label: str) -> str:
    """A figure above the network picture, as the page shows it once the last frame sent is shown."""
    return dict(picture_data(at)["frames"][-1]["figures"])[label]


def epoch(at: AppTest) -> int:
    return int(metric(at, "Epoch").replace(",", ""))


def train_to_the_end(at: AppTest) -> None:
    at.button(key=keys.TRAIN).click().run()
    for _ in range(MAX_FRAMES):
        if not state(at).run.running:
            return
        at.run()
    raise AssertionError("training did not finish")


def prediction(at: AppTest) -> str:
    return next(m.value for m in at.markdown if m.value.startswith("### P("))


def ask(at: AppTest) -> AppTest:
    """Open the Ask tab (its sliders and the tutorial's questions)."""
    return open_tab(at, "Ask the network")


def edit_table(at: AppTest, rows: list) -> AppTest:
    """What the table editor sends after an edit: each row is an index into the loaded table
    (unchanged) or its cells as typed."""
    seq = getattr(at, "edit_seq", 0) + 1
    at.edit_seq = seq
    message = {"version": state(at).editor_version(), "seq": seq, "rows": rows}
    at.session_state[keys.TABLE_EDITOR] = {"table": message}
    return at.run()


def choose_data_set(at: AppTest, name: str) -> AppTest:
    return at.selectbox(key=keys.SOURCE).set_value(name).run()


def test_first_open_shows_the_tutorial(app):
    table = state(app).table
    assert list(table["Name"]) == ["Alice", "Bob", "Charlie", "Diana"]
    assert list(table.columns) == ["Name", "Weight - 135", "Height - 66", "Female"]
    assert epoch(app) == 0
    assert app.number_input(key=keys.HIDDEN_LAYER_COUNT).value == 1
    assert app.number_input(key=keys.neurons_key(0)).value == 2
    assert app.number_input(key=keys.LEARNING_RATE).value == pytest.approx(0.1)
    assert app.number_input(key=keys.EPOCHS).value == 1000
    assert app.number_input(key=keys.BATCH_SIZE).value == 1
    ask(app)
    version = state(app).table_version
    assert [app.slider(key=keys.slider_key(version, i)).value for i in (0, 1)] == [-7.0, -3.0]
    assert not app.error


def test_train_reaches_the_epochs_and_the_loss_falls(app):
    train_to_the_end(app)
    history = state(app).model.history
    assert epoch(app) == 1000 and history.epochs == 1000
    assert history.train_loss[-1] < history.train_loss[0] / 10
    assert metric(app, "Train accuracy") == "100%"
    assert not app.exception


def test_each_message_while_training_carries_several_frames_each_further_on(app):
    from playground.fair_share import FRAMES_PER_TICK

    app.number_input(key=keys.EPOCHS).set_value(100_000).run()  # far more than one message can train
    app.button(key=keys.TRAIN).click().run()
    sent = picture_data(app)
    frames = sent["frames"]
    epochs = [frame["epoch"] for frame in frames]
    assert len(frames) == FRAMES_PER_TICK and epochs == sorted(set(epochs)) and epochs[0] > 0
    assert [dict(frame["figures"])["Epoch"] for frame in frames] == [f"{epoch:,}" for epoch in epochs]
    network = state(app).model.network
    assert unpacked(frames[-1]["weights"][0]) == network.weights[0].ravel().tolist()
    assert frames[0]["weights"] != frames[-1]["weights"]
    assert sent["loss"]["epochs"][-1] == epochs[-1]  # the curve reaches the last frame
    assert state(app).run.running and app.button(key=keys.PAUSE).disabled is False


def test_a_cheap_run_is_trained_whole_in_the_page_run_that_starts_it_and_played_frame_by_frame(app):
    from playground.fair_share import FRAMES_PER_TICK, RUN_SPREAD_SECONDS, pace_for

    app.button(key=keys.TRAIN).click().run()
    sent = picture_data(app)
    epochs = [frame["epoch"] for frame in sent["frames"]]
    assert len(epochs) > FRAMES_PER_TICK and epochs == sorted(set(epochs)) and epochs[-1] == 1000
    assert [frame["running"] for frame in sent["frames"]] == [True] * (len(epochs) - 1) + [False]
    played = min(len(epochs) * pace_for(1).frame_seconds, RUN_SPREAD_SECONDS)
    assert sent["tickSeconds"] >= played - 1e-9  # played as the run would be, not flashed
    assert not state(app).run.running and epoch(app) == 1000
    assert app.button(key=keys.TRAIN).disabled is False and app.button(key=keys.PAUSE).disabled is True


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
    ask(app)
    app.button(key=keys.example_key("Emily")).click().run()
    assert "Predicted class: **1**" in prediction(app)
    app.button(key=keys.example_key("Frank")).click().run()
    assert "Predicted class: **0**" in prediction(app)


def test_moving_a_slider_changes_the_prediction_without_training(app):
    train_to_the_end(app)
    ask(app)
    before, weights = prediction(app), state(app).model.network.parameters.copy()
    app.slider(key=keys.slider_key(state(app).table_version, 0)).set_value(20.0).run()
    assert prediction(app) != before
    np.testing.assert_array_equal(state(app).model.network.parameters, weights)


def test_the_answer_names_its_inputs_and_every_neurons_value_from_nn_core(app):
    train_to_the_end(app)
    ask(app)
    app.button(key=keys.example_key("Emily")).click().run()
    network = state(app).model.network
    hidden, output = network.forward(
        state(app).model.standardizer.transform(np.array([[-7.0, -3.0]]))
    ).activations
    expected = f"h1 = {hidden[0, 0]:.3f}, h2 = {hidden[0, 1]:.3f} · o1 = {output[0, 0]:.3f}"
    captions = [shown(caption.value) for caption in app.caption]
    assert f"At Weight - 135 = -7.00, Height - 66 = -3.00: {expected}" in captions


def test_a_bad_cell_is_named_and_training_is_refused(app):
    edit_table(app, [0, ["Bob", "25", "tall", "0"], 2, 3])
    assert "Row 2, column 'Height - 66': is 'tall', not a number" in errors(app)
    assert app.button(key=keys.TRAIN).disabled
    assert list(state(app).table["Height - 66"]) == ["-1", "6", "4", "-6"]
    assert not app.exception


def test_edits_survive_reruns_and_reach_the_model(app):
    edit_table(app, [["Alice", "-30", "-1", "1"], 1, 2, 3, ["Eve", "", "", ""]])
    assert "Row 5" in errors(app)
    edit_table(app, [["Alice", "-30", "-1", "1"], 1, 3, ["Eve", "-9", "-2", "1"]])
    assert not app.error
    app.run()
    data = state(app).model.data
    assert data.row_labels == ("Alice", "Bob", "Diana", "Eve")
    assert data.X[0, 0] == -30


def test_choosing_a_preset_loads_it_and_suggests_settings(app):
    choose_data_set(app, "Spiral")
    assert len(state(app).table) == 200
    assert app.number_input(key=keys.HIDDEN_LAYER_COUNT).value == 2
    assert app.selectbox(key=keys.HIDDEN_ACTIVATION).value == "tanh"
    assert state(app).model.data.task == "binary"
    assert not app.exception


def test_pause_step_and_reset(app):
    app.number_input(key=keys.EPOCHS).set_value(100_000).run()  # a run no page run finishes
    app.button(key=keys.TRAIN).click().run()
    app.run()
    assert state(app).run.running and 0 < epoch(app) < 100_000
    app.button(key=keys.PAUSE).click().run()
    paused_at = epoch(app)
    app.run()
    assert epoch(app) == paused_at and not state(app).run.running
    app.button(key=keys.STEP).click().run()
    assert epoch(app) == paused_at + 1
    app.button(key=keys.RESET).click().run()
    assert epoch(app) == 0 and state(app).model.history.epochs == 0


def test_a_new_architecture_is_a_new_network_and_undo_brings_back_the_trained_one(app):
    from nn_core.network import Network

    app.button(key=keys.STEP).click().run()
    trained = state(app).model.network.parameters.copy()
    app.number_input(key=keys.neurons_key(0)).set_value(3).run()
    model = state(app).model
    assert (
        model.network.layer_sizes == (2, 3, 1) and model.epoch == 0
    )  # the picture draws what the sidebar says
    np.testing.assert_array_equal(model.network.parameters, Network([2, 3, 1], seed=1).parameters)
    assert not app.warning and epoch(app) == 0
    assert app.button(key=keys.UNDO_LOAD).label == "Undo: bring back the previous model"
    app.button(key=keys.UNDO_LOAD).click().run()
    assert app.number_input(key=keys.neurons_key(0)).value == 2 and state(app).model.epoch == 1
    np.testing.assert_array_equal(state(app).model.network.parameters, trained)


def test_divergence_stops_with_the_engines_message(app):
    choose_data_set(app, "Regression 1-D")
    app.selectbox(key=keys.OPTIMIZER).set_value("sgd").run()
    app.number_input(key=keys.LEARNING_RATE).set_value(10.0).run()
    train_to_the_end(app)
    assert any("diverged at epoch" in error.value for error in app.error)
    assert np.isfinite(state(app).model.network.parameters).all()
    assert not app.exception


def test_backprop_tab_names_the_tutorials_derivatives(app):
    open_tab(app, "Backprop, step by step")
    frames = [element.value for element in app.dataframe]
    gradients = next(frame for frame in frames if "dL/dp" in frame.columns)
    assert list(gradients["Parameter p"]) == ["w1", "w2", "w3", "w4", "w5", "w6", "b1", "b2", "b3"]
    np.testing.assert_allclose(gradients["dL/dp"], gradients["Numeric check"], atol=1e-7)


def test_backprop_tab_writes_the_chosen_parameters_chain_and_its_product_is_the_gradient(app):
    train_to_the_end(app)
    open_tab(app, "Backprop, step by step")
    app.selectbox(key=keys.CHAIN_PARAMETER).set_value("w1").run()
    (written,) = [code.value for code in app.code if code.value.startswith("∂L/∂w1")]
    product = float(written.split("\n")[3].removeprefix("= ").replace("−", "-"))
    gradients = next(element.value for element in app.dataframe if "dL/dp" in element.value.columns)
    expected = dict(zip(gradients["Parameter p"], gradients["dL/dp"], strict=True))["w1"]
    assert product == pytest.approx(expected, rel=1e-3)  # shown to 4 significant digits
    assert written.endswith("where σ′(z) = σ(z)(1 − σ(z))")
    assert not app.exception


def test_backprop_tab_names_generated_inputs_once_and_says_what_its_step_is(app):
    choose_data_set(app, "XOR")
    open_tab(app, "Backprop, step by step")
    inputs = next(text.value for text in app.markdown if text.value.startswith("Inputs as the network"))
    assert "x1 = x1" not in inputs and "x1 = " in inputs
    assert any("Your training uses the adam optimizer" in caption.value for caption in app.caption)
    assert not app.get("graphviz_chart")  # the chain is written out for the 2-2-1 network only
    assert not app.exception


def test_finished_runs_are_kept_for_comparison_but_paused_ones_are_not(app):
    train_to_the_end(app)
    app.number_input(key=keys.EPOCHS).set_value(100_000).run()  # a run no page run finishes
    app.button(key=keys.TRAIN).click().run()
    app.button(key=keys.PAUSE).click().run()
    open_tab(app, "Compare runs")
    runs = state(app).run.records
    assert [run.label for run in runs] == ["Run 1"]
    assert any("Run 1" in list(frame.value["Run"]) for frame in app.dataframe if "Run" in frame.value)


def test_uploading_a_csv_replaces_the_table(app):
    csv = b"name;x1;x2;label\na;0;1;1\nb;1;0;0\nc;1;1;1\nd;0;0;0\n"
    app.file_uploader(key=keys.UPLOAD_CSV).set_value(("points.csv", csv, "text/csv")).run()
    table = state(app).table
    assert list(table.columns) == ["name", "x1", "x2", "label"] and len(table) == 4
    assert state(app).model.data.feature_names == ("x1", "x2")
    assert any("Loaded points" in message.value for message in app.success)


def test_a_malformed_csv_is_explained_and_the_table_kept(app):
    app.file_uploader(key=keys.UPLOAD_CSV).set_value(("bad.csv", b"a,b\n1,2,3\n", "text/csv")).run()
    assert any("was not loaded" in error.value for error in app.error)
    assert list(state(app).table["Name"]) == ["Alice", "Bob", "Charlie", "Diana"]
    assert not app.exception


def test_a_saved_model_loads_back_with_the_same_predictions(app):
    from playground.transfer import model_to_json

    train_to_the_end(app)
    saved, trained = model_to_json(state(app).model), state(app).model.network.parameters.copy()
    app.button(key=keys.RESET).click().run()
    assert not np.array_equal(state(app).model.network.parameters, trained)
    open_tab(app, "Save and share")
    app.file_uploader(key=keys.UPLOAD_MODEL).set_value(("model.json", saved, "application/json")).run()
    np.testing.assert_array_equal(state(app).model.network.parameters, trained)
    assert any("Loaded model" in message.value for message in app.success)
    app.run()
    assert state(app).model.network.parameters.tobytes() == trained.tobytes()  # not rebuilt as stale


def test_a_model_for_other_columns_is_refused(app):
    from playground.transfer import model_to_json

    choose_data_set(app, "XOR")
    saved = model_to_json(state(app).model)
    choose_data_set(app, "Tutorial: four people")
    open_tab(app, "Save and share")
    app.file_uploader(key=keys.UPLOAD_MODEL).set_value(("xor.json", saved, "application/json")).run()
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

    choose_data_set(app, "Two moons")
    app.slider(key=keys.PRESET_NOISE).set_value(0.2).run()
    app.number_input(key=keys.neurons_key(1)).set_value(5).run()
    app.number_input(key=keys.LEARNING_RATE).set_value(0.01).run()
    open_tab(app, "Save and share")
    app.button(key=keys.MAKE_LINK).click().run()
    other = open_with({SHARE_PARAM: shared_link(app)})
    assert state(other).table.equals(state(app).table)
    assert other.number_input(key=keys.neurons_key(1)).value == 5
    assert other.number_input(key=keys.LEARNING_RATE).value == pytest.approx(0.01)
    np.testing.assert_array_equal(state(other).model.network.parameters, state(app).model.network.parameters)


def test_an_edited_small_table_travels_in_the_link(app):
    from playground.share import SHARE_PARAM

    edit_table(app, [["Alice", "-4", "-1", "1"], 1, 2, 3])
    open_tab(app, "Save and share")
    app.button(key=keys.MAKE_LINK).click().run()
    other = open_with({SHARE_PARAM: shared_link(app)})
    assert list(state(other).table["Weight - 135"]) == ["-4", "25", "17", "-15"]


def test_a_tampered_link_opens_the_defaults_and_says_so():
    from playground.share import SHARE_PARAM

    at = open_with({SHARE_PARAM: "not-a-real-link"})
    assert list(state(at).table["Name"]) == ["Alice", "Bob", "Charlie", "Diana"]
    open_tab(at, "Save and share")
    assert any("could not be read" in warning.value for warning in at.warning)


def open_workshop_playground(at: AppTest) -> AppTest:
    """Workshop mode opens on the tour; its Playground tab, as a click on it does."""
    from playground.session import Session

    state(at).apply(Session.set_view, "workshop_tab", "Playground")
    return at.run()


def test_in_workshop_mode_a_data_set_chosen_beside_the_buttons_loads_and_trains():
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["workshop"] = "1"
    at.run()
    open_workshop_playground(at)
    assert not at.sidebar.children or not list(at.sidebar)  # the sidebar is hidden: its menu is here
    at.selectbox(key=keys.WORKSHOP_SOURCE).set_value("Spiral").run()
    at.button(key=keys.TRAIN).click().run()
    at.run()
    assert not at.exception
    assert state(at).source.startswith("Spiral") and epoch(at) > 0
    assert at.selectbox(key=keys.WORKSHOP_SOURCE).value == "Spiral"
    assert state(at).data_set.size == 200


def test_workshop_link_opens_the_tour_at_a_step_and_mode_switches_keep_settings():
    at = open_with({"tour": "sgd"})
    assert at.toggle(key=keys.WORKSHOP).value is True
    headings = [*at.header, *at.subheader, *at.markdown]
    assert any("One SGD step" in heading.value for heading in headings)
    at.toggle(key=keys.WORKSHOP).set_value(False).run()
    at.number_input(key=keys.EPOCHS).set_value(50).run()
    at.toggle(key=keys.WORKSHOP).set_value(True).run()
    at.toggle(key=keys.WORKSHOP).set_value(False).run()
    assert at.number_input(key=keys.EPOCHS).value == 50
    assert not at.exception


def test_a_tab_that_had_a_session_before_hears_once_that_the_earlier_work_is_gone(app):
    assert not app.toast
    app.session_state[keys.TAB_MARKER] = {"earlier_session": True}  # what the tab marker's script reports
    app.run()
    assert any("started again from the tutorial" in toast.value for toast in app.toast)
    app.run()
    assert not app.toast


# --- issue 10: whatever a person types, uploads or opens by link is kept safe -----------------------


def markdown_texts(at: AppTest) -> list[str]:
    """Every piece of Markdown the page renders: text elements, alerts, captions, widget labels."""
    elements = [*at.markdown, *at.caption, *at.error, *at.warning, *at.success, *at.info, *at.toast]
    labels = [widget.label for widget in [*at.slider, *at.selectbox, *at.multiselect, *at.number_input]]
    return [element.value for element in elements] + labels


def test_choosing_a_data_set_after_edits_can_be_undone_and_redone(app):
    edit_table(app, [["Alice", "-30", "-1", "1"], 1, 2, 3, ["Eve", "-9", "-2", "1"]])
    app.button(key=keys.STEP).click().run()
    trained = state(app).model.network.parameters.copy()
    choose_data_set(app, "XOR")
    assert len(state(app).table) == 200 and app.selectbox(key=keys.HIDDEN_ACTIVATION).value == "tanh"
    assert any("Table now: XOR, 200 points" in shown(caption.value) for caption in app.caption)
    app.button(key=keys.UNDO_LOAD).click().run()
    table = state(app).current_table()
    assert list(table["Name"]) == ["Alice", "Bob", "Charlie", "Diana", "Eve"] and table.iloc[0, 1] == "-30"
    assert app.selectbox(key=keys.HIDDEN_ACTIVATION).value == "sigmoid"
    assert state(app).model.epoch == 1
    np.testing.assert_array_equal(state(app).model.network.parameters, trained)
    app.run()
    assert state(app).model.epoch == 1  # the restored model fits the restored table: not rebuilt
    app.button(key=keys.UNDO_LOAD).click().run()
    assert len(state(app).table) == 200
    assert not app.exception


def test_the_table_caption_says_when_the_table_was_edited(app):
    assert any(shown(c.value) == "Table now: Tutorial: four people" for c in app.caption)
    edit_table(app, [["Alice", "-30", "-1", "1"], 1, 2, 3])
    assert any(shown(c.value) == "Table now: Tutorial: four people (edited)" for c in app.caption)


def test_a_text_target_trains_and_the_answers_speak_its_labels(app):
    edit_table(
        app,
        [
            ["Alice", "-2", "-1", "yes"],
            ["Bob", "25", "6", "no"],
            ["Charlie", "17", "4", "no"],
            ["Diana", "-15", "-6", "yes"],
        ],
    )
    assert not app.error
    assert state(app).model.data.class_labels == ("no", "yes")
    train_to_the_end(app)
    ask(app)
    app.button(key=keys.example_key("Emily")).click().run()
    assert "P(Female = yes)" in shown(prediction(app)) and "Predicted class: **yes**" in shown(
        prediction(app)
    )
    open_tab(app, "Predictions")
    predictions = next(frame.value for frame in app.dataframe if "Predicted" in frame.value.columns)
    assert set(predictions["Predicted"]) <= {"yes", "no"} and list(predictions["Target"])[:2] == ["yes", "no"]


def test_a_csv_with_decimal_commas_is_read_and_the_note_says_so(app):
    csv = b"x1;x2;label\n0,5;1,25;1\n-0,5;2;0\n1,5;-0,75;1\n-1;0;0\n"
    app.file_uploader(key=keys.UPLOAD_CSV).set_value(("europe.csv", csv, "text/csv")).run()
    message = " ".join(shown(success.value) for success in app.success)
    assert "decimals with a comma" in message and "0,5" in message
    np.testing.assert_array_equal(state(app).model.data.X[:, 0], [0.5, -0.5, 1.5, -1])


HOSTILE = "[Fix your table here](http://evil.example/x) ![t](http://evil.example/t.png) **bold**"


def test_hostile_names_reach_the_page_only_as_escaped_text(app):
    header = f'"{HOSTILE}",x2,"{HOSTILE} target"\n'
    rows = "".join(f"{i},{i % 3},{'ab'[i % 2]}\n" for i in range(6))
    app.file_uploader(key=keys.UPLOAD_CSV).set_value(
        ("**evil**.csv", (header + rows).encode(), "text/csv")
    ).run()
    edit_table(app, [0, 1, 2, 3, 4, [HOSTILE, "1", "a"]])  # and a hostile cell
    texts = markdown_texts(app)
    assert any("evil" in text for text in texts)
    for text in texts:
        assert "](http" not in text and "**bold**" not in text and "**evil**" not in text
    assert not app.exception


@pytest.mark.parametrize("names", [["_index", "x", "y"], ["a", "a", "y"]])
def test_reserved_or_repeated_column_names_leave_a_working_page(app, names):
    header = ",".join(names) + "\n"
    rows = "".join(f"{i},{i + 1},{i % 2}\n" for i in range(4))
    app.file_uploader(key=keys.UPLOAD_CSV).set_value(("odd.csv", (header + rows).encode(), "text/csv")).run()
    assert not app.exception
    train_to_the_end(app)
    app.run()
    assert not app.exception


def test_a_model_file_with_a_lone_surrogate_is_refused_and_the_page_keeps_working(app):
    from playground.transfer import model_to_json

    raw = model_to_json(state(app).model).decode().replace('"Weight - 135"', '"\\ud800"')
    open_tab(app, "Save and share")
    app.file_uploader(key=keys.UPLOAD_MODEL).set_value(("m.json", raw.encode(), "application/json")).run()
    assert "lone surrogate" in errors(app)
    for _ in range(2):
        app.run()
        assert not app.exception


def test_a_model_bigger_than_the_sidebar_is_refused_with_the_limits(app):
    from nn_core.network import Network
    from nn_core.serialize import network_to_dict
    from playground.transfer import model_to_json

    document = json.loads(model_to_json(state(app).model))
    document["network"] = network_to_dict(Network([2, 17, 1], seed=0))
    upload = ("big.json", json.dumps(document).encode(), "application/json")
    open_tab(app, "Save and share")
    app.file_uploader(key=keys.UPLOAD_MODEL).set_value(upload).run()
    assert "up to 6 hidden layers of up to 16 neurons" in errors(app)
    assert state(app).model.network.layer_sizes == (2, 2, 1)


def test_a_tiny_standardiser_scale_in_a_model_file_gets_a_message_not_a_traceback(app):
    from playground.transfer import model_to_json

    document = json.loads(model_to_json(state(app).model))
    document["standardizer"]["scale"] = [1e-320, 1.0]
    upload = ("m.json", json.dumps(document).encode(), "application/json")
    open_tab(app, "Save and share")
    app.file_uploader(key=keys.UPLOAD_MODEL).set_value(upload).run()
    assert "overflow" in errors(app)
    assert not app.exception


def test_a_share_link_brings_its_split_seed(app):
    from playground.share import SHARE_PARAM

    app.slider(key=keys.TEST_PERCENT).set_value(25).run()
    app.number_input(key=keys.SPLIT_SEED).set_value(7).run()
    test_rows = state(app).model.test_rows.copy()
    open_tab(app, "Save and share")
    app.button(key=keys.MAKE_LINK).click().run()
    other = open_with({SHARE_PARAM: shared_link(app)})
    assert other.number_input(key=keys.SPLIT_SEED).value == 7
    np.testing.assert_array_equal(state(other).model.test_rows, test_rows)


def test_every_finished_run_joins_the_overlay(app):
    train_to_the_end(app)
    app.run()
    train_to_the_end(app)
    app.run()
    open_tab(app, "Compare runs")
    assert app.multiselect(key=keys.RUNS_CHOSEN).value == ["Run 1", "Run 2"]
    table = next(frame.value for frame in app.dataframe if "Run" in frame.value.columns)
    assert "None" not in table.to_string() and list(table["Standardised"]) == ["no", "no"]


def test_the_backprop_tab_says_when_numbers_are_too_large_to_check(app):
    edit_table(app, [["Alice", "-2", "-1", "1e12"], ["Bob", "25", "6", "-1e12"], 2, 3])
    app.selectbox(key=keys.choice_key("task", state(app).table_version)).set_value("regression").run()
    open_tab(app, "Backprop, step by step")
    captions = " ".join(shown(caption.value) for caption in app.caption)
    assert "too large for central differences to check" in captions
    assert "disagree" not in captions


def test_the_data_set_menu_always_shows_where_the_table_came_from(app):
    csv = b"x1,x2,label\n0,0,0\n1,1,1\n0,1,1\n1,0,0\n"
    app.file_uploader(key=keys.UPLOAD_CSV).set_value(("points.csv", csv, "text/csv")).run()
    assert app.selectbox(key=keys.SOURCE).value is None  # your own table: any entry loads
    choose_data_set(app, "Tutorial: four people")
    assert list(state(app).table["Name"]) == ["Alice", "Bob", "Charlie", "Diana"]
    app.button(key=keys.UNDO_LOAD).click().run()
    assert list(state(app).table.columns) == ["x1", "x2", "label"]
    assert app.selectbox(key=keys.SOURCE).value is None
    choose_data_set(app, "Spiral")
    app.slider(key=keys.PRESET_SIZE).set_value(300).run()
    assert len(state(app).table) == 300
    choose_data_set(app, "XOR")
    app.button(key=keys.UNDO_LOAD).click().run()
    assert app.selectbox(key=keys.SOURCE).value == "Spiral"
    assert app.slider(key=keys.PRESET_SIZE).value == 300


def test_an_undone_edited_table_still_says_it_is_edited(app):
    edit_table(app, [["Alice", "-30", "-1", "1"], 1, 2, 3])
    choose_data_set(app, "XOR")
    app.button(key=keys.UNDO_LOAD).click().run()
    assert any(shown(c.value) == "Table now: Tutorial: four people (edited)" for c in app.caption)


def test_a_link_for_a_big_preset_sets_the_controls_to_it():
    from playground.presets import PresetSource
    from playground.share import SHARE_PARAM, SharedSetup, encode_setup

    link = encode_setup(SharedSetup(source=PresetSource("Spiral", 3000, 2.5, 9)))
    at = open_with({SHARE_PARAM: link})
    assert len(state(at).table) == 3000
    assert at.selectbox(key=keys.SOURCE).value == "Spiral"
    assert (at.slider(key=keys.PRESET_SIZE).value, at.slider(key=keys.PRESET_NOISE).value) == (3000, 2.5)
    assert at.number_input(key=keys.PRESET_SEED).value == 9


def test_a_link_naming_columns_its_table_lacks_says_so_at_once():
    from playground.share import SHARE_PARAM, SharedSetup, TableSource, encode_setup

    table = TableSource(("a", "b", "y"), (("1", "2", "0"), ("2", "1", "1"), ("0", "0", "0")))
    link = encode_setup(SharedSetup(source=table, input_columns=("a", "q"), target_column="z"))
    at = open_with({SHARE_PARAM: link})
    toasts = " ".join(shown(toast.value) for toast in at.toast)
    assert "no input column 'q'" in toasts and "no target column 'z'" in toasts
    assert state(at).model.data.feature_names == ("a",)


def test_inputs_named_like_the_predictions_headings_are_kept_and_confidence_is_of_the_prediction(app):
    csv = b"Row,Target,Set,y\n5,9,1,0\n6,8,2,1\n7,7,3,0\n8,6,4,1\n"
    app.file_uploader(key=keys.UPLOAD_CSV).set_value(("collide.csv", csv, "text/csv")).run()
    train_to_the_end(app)
    open_tab(app, "Predictions")
    frame = next(f.value for f in app.dataframe if "Predicted" in f.value.columns)
    assert list(frame.columns) == [
        "Row", "Row (2)", "Target (2)", "Set (2)", "Target", "Predicted", "Confidence", "Right?", "Set",
    ]  # fmt: skip
    assert list(frame["Row (2)"]) == [5, 6, 7, 8] and list(frame["Target"]) == ["0", "1", "0", "1"]
    assert (frame["Confidence"] >= 0.5).all()


def test_in_workshop_mode_undo_is_beside_the_data_set_menu_and_brings_the_table_back():
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["workshop"] = "1"
    at.run()
    open_workshop_playground(at)
    at.selectbox(key=keys.WORKSHOP_SOURCE).set_value("XOR").run()
    assert len(state(at).table) == 200
    at.button(key=keys.WORKSHOP_UNDO_LOAD).click().run()
    assert list(state(at).table["Name"]) == ["Alice", "Bob", "Charlie", "Diana"]
    assert at.selectbox(key=keys.WORKSHOP_SOURCE).value == "Tutorial: four people"
    assert not at.exception


# --- issue 19: messages no page could send, and the session goes on ----------------------------------


def send_component_state(at: AppTest, component_name: str, json_text: str) -> AppTest:
    """A rerun whose message carries this JSON text as a component's state (a crafted client's)."""
    from streamlit.proto.WidgetStates_pb2 import WidgetState

    (element,) = [c for c in at.get("bidi_component") if c.proto.component_name == component_name]
    states = at._tree.get_widget_states()
    states.widgets.append(WidgetState(id=element.proto.id, json_value=json_text))
    return at._run(states)


@pytest.mark.parametrize("component", ["playground_table_editor", "playground_network"])
def test_a_component_state_nested_5000_deep_is_ignored_and_every_later_run_works(app, component):
    deep = '{"table": ' + "[" * 5000 + "]" * 5000 + "}"
    send_component_state(app, component, deep)
    assert not app.exception
    if component == "playground_table_editor":
        assert "was nested too deeply to read" in errors(app)
    app.button(key=keys.STEP).click().run()
    assert not app.exception and epoch(app) == 1
    app.run()
    assert not app.exception


def test_a_lone_surrogate_typed_into_a_cell_is_refused_and_every_later_run_works(app):
    message = {
        "version": state(app).editor_version(),
        "seq": 1,
        "rows": [0, ["B\ud800b", "25", "6", "0"], 2, 3],
    }
    send_component_state(app, "playground_table_editor", json.dumps({"table": message}))
    assert not app.exception
    assert "row 2, column 'Name' holds a broken character" in errors(app)
    assert state(app).current_table().iloc[1, 0] == "Bob"
    for _ in range(2):
        app.run()
        assert not app.exception
    open_tab(app, "Save and share")
    assert not app.exception
