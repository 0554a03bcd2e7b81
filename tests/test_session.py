"""The session model on its own (no Streamlit): intents, the network it keeps, moves or builds anew, and
what Undo brings back."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from nn_core.network import Network
from playground.live_run import HELD_MESSAGE
from playground.network_picture import figures
from playground.session import Session
from playground.table_edits import STALE_EDIT
from tests.conftest import tutorial_prepared_data


def opened() -> Session:
    session = Session()
    session.apply(Session.open_page, None, False, None)
    return session


def edit(session: Session, rows: list, seq: int | None = None) -> None:
    seq = session.edit_seq + 1 if seq is None else seq
    session.apply(Session.edit_table, {"version": session.editor_version(), "seq": seq, "rows": rows})


def shown_figures(session: Session) -> dict[str, str]:
    return dict(figures(session.model))


def test_a_new_session_is_the_tutorial_with_a_network_from_the_seed():
    session = opened()
    assert session.data.feature_names == ("Weight - 135", "Height - 66")
    np.testing.assert_array_equal(session.model.network.parameters, Network([2, 2, 1], seed=1).parameters)
    assert session.undo is None and not session.run.running


def test_train_pause_step_reset():
    session = opened()
    session.apply(Session.step)
    assert session.model.epoch == 1 and not session.run.running
    session.apply(Session.train)
    assert session.run.running and session.run.target_epoch == 1001
    session.apply(Session.pause)
    assert not session.run.running
    session.apply(Session.reset)
    assert session.model.epoch == 0 and session.undo is None  # Reset is meant: nothing to undo


def test_a_new_learning_rate_applies_to_the_same_optimizer_and_another_optimizer_starts_fresh():
    session = opened()
    session.apply(Session.step)
    optimizer = session.model.trainer.optimizer
    session.apply(Session.change_setting, "learning_rate", 0.5)
    assert session.model.trainer.optimizer is optimizer and optimizer.learning_rate == 0.5
    session.apply(Session.change_setting, "optimizer", "adam")
    assert session.model.trainer.optimizer.name == "adam" and session.model.epoch == 1


def test_a_new_architecture_is_a_new_network_and_undo_brings_back_the_trained_one():
    session = opened()
    session.apply(Session.step)
    trained = session.model
    session.apply(Session.change_layer_size, 0, 3)
    assert session.model.network.layer_sizes == (2, 3, 1) and session.model.epoch == 0
    assert session.undo.replaced == "model" and session.undo.model is trained
    session.apply(Session.undo_load)
    assert session.model is trained and session.settings.network.hidden_layers == (2,)
    session.apply(Session.undo_load)  # and redo
    assert session.settings.network.hidden_layers == (3,) and session.model.epoch == 0


def test_an_untrained_network_replaced_leaves_undo_as_it_was():
    session = opened()
    session.apply(Session.change_setting, "hidden_activation", "tanh")
    assert session.undo is None and session.model.network.hidden_activation == "tanh"


def test_a_network_changed_while_training_starts_anew_from_the_seed_and_goes_on():
    session = opened()
    session.apply(Session.change_setting, "epochs", 100_000)
    session.apply(Session.train)
    session.run.advance(session.model, 1.0, 32)
    session.apply(Session.change_architecture, {"layers": 2})
    assert session.model.network.layer_sizes == (2, 2, 2, 1) and session.model.epoch == 0
    assert session.run.running and session.run.target_epoch == 100_000


def test_a_row_typed_moves_the_same_network_onto_the_new_rows_and_its_figures_follow():
    session = opened()
    session.apply(Session.step)
    network, history = session.model.network, list(session.model.history.train_loss)
    edit(session, [0, 1, 2, 3, ["Eve", "-9", "-2", "1"]])
    model = session.model
    assert model.network is network and model.history.train_loss == history and model.epoch == 1
    assert model.data.X.shape == (5, 2)
    inputs = model.network_inputs(model.data.X)
    assert shown_figures(session)["Train loss"] == f"{model.network.loss(inputs, model.data.y):.4f}"


def test_a_typed_weight_and_a_loaded_model_show_their_own_figures():
    from playground.transfer import model_to_json

    session = opened()
    session.apply(Session.train)
    while session.run.running:
        session.run.advance(session.model, 1.0, 32)
    session.apply(Session.type_weight, {"layer": 1, "from": 0, "to": 0, "value": 3.0})
    data = session.model.data
    assert shown_figures(session)["Train loss"] == f"{session.model.network.loss(data.X, data.y):.4f}"
    saved = model_to_json(session.model)
    session.apply(Session.reset)
    session.apply(Session.load_model_file, "model.json", saved)
    assert session.messages["model"][0] == "success" and session.model.network.weights[1][0, 0] == 3.0
    assert shown_figures(session)["Train loss"] == f"{session.model.network.loss(data.X, data.y):.4f}"
    assert shown_figures(session)["Epoch"] == "0"


def test_a_half_typed_row_holds_the_run_and_a_whole_row_lets_it_go_on():
    session = opened()
    session.apply(Session.change_setting, "epochs", 100_000)
    session.apply(Session.train)
    edit(session, [0, 1, 2, 3, ["Eve", "", "", ""]])
    assert (
        not session.run.running
        and session.run.notice(session.model, session.data is not None) == HELD_MESSAGE
    )
    edit(session, [0, 1, 2, 3, ["Eve", "-9", "-2", "1"]])
    assert session.run.running and session.run.notice(session.model, True) is None
    assert session.model.data.X.shape == (5, 2)


def test_a_pause_while_held_stays_paused_after_the_fix():
    session = opened()
    session.apply(Session.change_setting, "epochs", 100_000)
    session.apply(Session.train)
    edit(session, [0, 1, 2, ["Diana", "abc", "-6", "1"]])
    session.apply(Session.pause)
    edit(session, [0, 1, 2, 3])
    assert not session.run.running


def test_an_edit_then_a_click_on_the_surface_keeps_the_edit_and_adds_the_row():
    session = opened()
    edit(session, [0, ["Bob", "10", "6", "0"], 2, 3])  # what came with the click, applied first
    session.apply(Session.add_point, {"x": 0.0, "y": 0.0})
    table = session.current_table()
    assert table.iloc[1, 1] == "10" and len(table) == 5 and table.iloc[4, 0] == "Added 5"


def test_undo_keeps_the_edit_that_came_with_its_click():
    session = opened()
    session.apply(Session.load_data_set, "XOR")
    session.apply(Session.undo_load)  # back to the people
    edit(session, [0, ["Bob", "10", "6", "0"], 2, 3])
    session.apply(Session.undo_load)  # redo: XOR
    session.apply(Session.undo_load)  # the people again, as left
    assert session.current_table().iloc[1, 1] == "10"


def test_an_edit_for_a_replaced_table_is_refused_saying_so():
    session = opened()
    old_version = session.editor_version()
    session.apply(Session.load_data_set, "XOR")
    session.apply(Session.edit_table, {"version": old_version, "seq": 1, "rows": [0, 1]})
    assert session.messages["edit"] == ("error", STALE_EDIT) and len(session.current_table()) == 200


def test_an_edit_read_once_is_not_read_again_after_a_later_one():
    session = opened()
    edit(session, [0, ["Bob", "10", "6", "0"], 2, 3], seq=1)
    edit(session, [0, ["Bob", "11", "6", "0"], 2, 3], seq=2)
    edit(session, [0, ["Bob", "10", "6", "0"], 2, 3], seq=1)  # the browser's state, sent again late
    assert session.current_table().iloc[1, 1] == "11"


@pytest.mark.parametrize("bad", ["Bo\ud800b", "Bo\x00b"])
def test_a_cell_no_file_can_keep_is_refused_and_the_table_stays(bad: str):
    session = opened()
    edit(session, [0, [bad, "25", "6", "0"], 2, 3])
    assert session.messages["edit"][0] == "error" and "Retype that cell" in session.messages["edit"][1]
    assert session.current_table().iloc[1, 0] == "Bob"


def test_derived_inputs_the_columns_no_longer_offer_are_taken_away_saying_so():
    session = opened()
    session.apply(Session.change_setting, "features", ("x1*x2",))
    assert session.model.network.layer_sizes[0] == 3
    session.apply(Session.choose_inputs, ["Weight - 135"])
    assert session.settings.data.features == () and "x1*x2" in session.messages["settings"][1]


def test_a_share_link_opens_its_setup_once_and_a_bad_one_says_what_was_replaced():
    from playground.share import SharedSetup, TableSource, encode_setup

    table = TableSource(("a", "b", "y"), (("1", "2", "0"), ("2", "1", "1"), ("0", "0", "0")))
    link = encode_setup(SharedSetup(source=table, input_columns=("b",), target_column="y", task="binary"))
    session = Session()
    session.apply(Session.open_page, link, False, None)
    assert session.data.feature_names == ("b",) and session.undo is None
    session.apply(Session.open_page, None, True, None)  # once per session
    assert not session.view.workshop
    broken = Session()
    broken.apply(Session.open_page, "not a link", False, None)
    assert "could not be read" in broken.messages["link"][1]


def test_the_shared_setup_names_the_real_reason_a_table_cannot_travel():
    session = opened()
    edit(session, [0, 1, 2, ["Diana" + "a" * 150, "-15", "-6", "1"]])
    with pytest.raises(ValueError, match="Row 4, column 'Name' holds 155 characters"):
        session.shared_setup()


def test_slider_values_stay_inside_the_datas_ranges_and_the_tutorial_asks_about_emily():
    session = opened()
    assert session.slider_values().tolist() == [-7.0, -3.0]
    session.apply(Session.move_slider, 0, 1e9, local=True)
    assert session.slider_values()[0] < 40


def test_what_the_session_holds_is_reconciled_after_every_intent():
    session = opened()
    revision = session.revision
    session.apply(Session.set_view, "explain_row", 2, local=True)
    assert session.revision == revision  # a local intent: only its part of the page
    session.apply(Session.choose_task, "regression")
    assert session.revision == revision + 1 and session.model.data.task == "regression"
    assert session.settings.training.loss == "mse" and session.model.network.output_activation == "sigmoid"


def test_tutorial_data_and_session_data_agree():
    np.testing.assert_array_equal(opened().data.X, tutorial_prepared_data().X)
    assert isinstance(opened().current_table(), pd.DataFrame)
