"""The page never lies, whatever a person does, in whatever order: random sequences of actions driven
through the real app (Streamlit's AppTest), each followed by the same checks.

The actions are what the page offers: Train, Pause, Step, Reset and the frames between; a cell typed
and committed, or typed and carried by the next click (an edit that travels with a button or a click on
the picture, in one message, as the browser sends them); a click on the surface; a weight typed on an
edge; − / + and the activation on the picture; sidebar settings; a data set, Undo and redo; a model
file; workshop mode; the tabs; the Ask tab's sliders. After each: no exception; the figures over the
picture are what ``nn_core`` computes for the model's weights and rows; the picture's weights and layers
are the model's; the model belongs to the table whenever the table is usable; a committed edit is in
the table; Undo twice gives back the table it left.
"""

from __future__ import annotations

import json
import math

import numpy as np
from hypothesis import Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule
from streamlit.proto.WidgetStates_pb2 import WidgetState
from streamlit.testing.v1 import AppTest

from playground.session import Session
from playground.views import keys
from tests.conftest import ROOT, unpacked

APP = str(ROOT / "app.py")
COLUMNS = ("Name", "Weight - 135", "Height - 66", "Female")
TABS = ("Data", "Ask the network", "Predictions", "Backprop, step by step", "Compare runs", "Save and share")
CELL_TEXTS = ("3", "-12", "0", "1", "2.5", "abc", "", " 7 ", "1e3", "−4")
FIGURE_DIGITS = 4


def component(at: AppTest, name: str):
    found = [element for element in at.get("bidi_component") if element.proto.component_name == name]
    return found[0] if found else None


def picture_message(at: AppTest) -> dict | None:
    picture = component(at, "playground_network")
    return None if picture is None else json.loads(picture.proto.json)


def run_with(
    at: AppTest, *, editor: dict | None = None, picture: dict | None = None, click: str | None = None
):
    """One rerun whose message carries what the browser would send together: the table editor's last
    edit, a picture event, a button's click (any of them)."""
    states = at._tree.get_widget_states()
    if editor is not None:
        states.widgets.append(
            WidgetState(id=component(at, "playground_table_editor").proto.id, json_value=json.dumps(editor))
        )
    if picture is not None:
        states.widgets.append(
            WidgetState(id=component(at, "playground_network").proto.id, json_value=json.dumps(picture))
        )
    if click is not None:
        states.widgets.append(WidgetState(id=at.button(key=click).id, trigger_value=True))
    return at._run(states)


def expected_figures(model) -> dict[str, float | None]:
    """Loss and accuracy of the model's weights on its rows, computed here from nn_core's Network."""
    network, loss = model.network, model.settings.training.loss
    result: dict[str, float | None] = {}
    for name, rows in (("Train", model.train_rows), ("Test", model.test_rows)):
        if not len(rows):
            result[f"{name} loss"] = result[f"{name} accuracy"] = None
            continue
        inputs, targets = model.network_inputs(model.data.X[rows]), model.network_targets(rows)
        result[f"{name} loss"] = network.loss(inputs, targets, loss)
        output = network.predict(inputs)
        y = targets.reshape(len(rows), -1)
        classes = network.output_activation in ("sigmoid", "softmax") and bool(np.isin(y, (0.0, 1.0)).all())
        if not classes:
            result[f"{name} accuracy"] = None
        elif y.shape[1] > 1:
            result[f"{name} accuracy"] = float(np.mean(output.argmax(1) == y.argmax(1)))
        else:
            result[f"{name} accuracy"] = float(np.mean((output[:, 0] > 0.5) == (y[:, 0] > 0.5)))
    return result


def assert_figure(shown: str, expected: float | None, *, percent: bool = False) -> None:
    if expected is None:
        assert shown == "–"
        return
    if percent:
        assert shown == f"{expected:.0%}"
        return
    assert math.isclose(float(shown), expected, abs_tol=0.5 * 10**-FIGURE_DIGITS + 1e-9), (shown, expected)


class PlaygroundActions(RuleBasedStateMachine):
    """A person using the playground; every rule is one thing the page lets them do."""

    @initialize()
    def open_the_page(self) -> None:
        self.at = AppTest.from_file(APP, default_timeout=60).run()
        self.saved_model: bytes | None = None
        self.seq = 0

    @property
    def session(self) -> Session:
        return self.at.session_state[keys.STATE]

    def playground_shown(self) -> bool:
        return not self.session.view.workshop or self.session.view.workshop_tab == "Playground"

    def button_enabled(self, key: str) -> bool:
        try:
            return not self.at.button(key=key).disabled
        except KeyError:
            return False

    def edit_message(self, rows: list) -> dict:
        self.seq += 1
        return {
            "table": {
                "version": self.session.editor_version(),
                "seq": self.session.edit_seq + self.seq,
                "rows": rows,
            }
        }

    def edited_rows(self, row: int, column: int, text: str) -> tuple[list, list[str] | None]:
        """The rows an edit sends: every row unchanged but ``row`` (a new row past the end)."""
        table = self.session.current_table()
        cells = [str(cell) for cell in table.iloc[row]] if row < len(table) else ["New"] + [""] * 3
        cells = cells[: len(table.columns)] + [""] * (len(table.columns) - len(cells))
        cells[column % len(cells)] = text
        rows: list = [list(map(str, table.iloc[index])) for index in range(len(table))]
        if row < len(table):
            rows[row] = cells
        else:
            rows.append(cells)
        return rows, cells

    # --- training -----------------------------------------------------------------------------------

    @rule(key=st.sampled_from((keys.TRAIN, keys.PAUSE, keys.STEP, keys.RESET)))
    def press_a_training_button(self, key: str) -> None:
        if self.playground_shown() and self.button_enabled(key):
            self.at.button(key=key).click().run()

    @rule(frames=st.integers(1, 3))
    def let_frames_pass(self, frames: int) -> None:
        for _ in range(frames):
            self.at.run()

    @rule(epochs=st.sampled_from((20, 1000, 100_000)))
    def set_the_epochs(self, epochs: int) -> None:
        if not self.session.view.workshop:
            self.at.number_input(key=keys.EPOCHS).set_value(epochs).run()

    # --- the table ----------------------------------------------------------------------------------

    @rule(row=st.integers(0, 5), column=st.integers(0, 3), text=st.sampled_from(CELL_TEXTS))
    def type_a_cell_and_commit(self, row: int, column: int, text: str) -> None:
        rows, _ = self.edited_rows(row, column, text)
        if self.session.view.page_tab != "Data" or not self.playground_shown():
            return
        run_with(self.at, editor=self.edit_message(rows))
        assert self.session.current_table().astype(str).values.tolist() == rows

    @rule(
        row=st.integers(0, 3),
        text=st.sampled_from(("10", "-30", "4")),
        then=st.sampled_from(("surface", keys.STEP, keys.RESET, keys.TRAIN, keys.UNDO_LOAD)),
    )
    def type_a_cell_then_click_elsewhere(self, row: int, text: str, then: str) -> None:
        """The cell keeps the focus; the click that ends the edit carries it."""
        if self.session.view.page_tab != "Data" or not self.playground_shown() or self.session.model is None:
            return
        rows, cells = self.edited_rows(row, 1, text)
        if then == "surface":
            run_with(self.at, editor=self.edit_message(rows), picture={"point": {"x": 0.0, "y": 0.0}})
        elif self.button_enabled(then):
            undo = then == keys.UNDO_LOAD
            run_with(self.at, editor=self.edit_message(rows), click=then)
            if undo:  # the edit went into what Undo replaced: Undo again brings it back
                self.at.button(key=keys.UNDO_LOAD).click().run()
        else:
            return
        table = self.session.current_table().astype(str).values.tolist()
        assert table[row] == cells, (table[row], cells)

    @rule(x=st.floats(-30, 30), y=st.floats(-10, 10))
    def click_the_surface(self, x: float, y: float) -> None:
        if self.playground_shown() and self.session.model is not None:
            before = len(self.session.current_table())
            run_with(self.at, picture={"point": {"x": x, "y": y}})
            assert len(self.session.current_table()) in (before, before + 1)

    @rule(name=st.sampled_from(("XOR", "Tutorial: four people", "Circle")))
    def choose_a_data_set(self, name: str) -> None:
        key = keys.WORKSHOP_SOURCE if self.session.view.workshop else keys.SOURCE
        if self.playground_shown():
            self.at.selectbox(key=key).set_value(name).run()

    @rule()
    def undo_and_redo(self) -> None:
        key = keys.WORKSHOP_UNDO_LOAD if self.session.view.workshop else keys.UNDO_LOAD
        if not self.playground_shown() or not self.button_enabled(key):
            return
        before = self.session.current_table()
        self.at.button(key=key).click().run()
        self.at.button(key=key).click().run()
        assert self.session.current_table().astype(str).equals(before.astype(str))

    # --- the network --------------------------------------------------------------------------------

    @rule(value=st.floats(-20, 20), layer=st.integers(0, 2), source=st.integers(0, 3), to=st.integers(0, 3))
    def type_a_weight_on_an_edge(self, value: float, layer: int, source: int, to: int) -> None:
        if self.playground_shown() and self.session.model is not None:
            run_with(self.at, picture={"weight": {"layer": layer, "from": source, "to": to, "value": value}})

    @rule(
        change=st.sampled_from(
            ({"layers": 0}, {"layers": 2}, {"layers": 1}, {"layer": 0, "neurons": 3}, {"activation": "tanh"})
        )
    )
    def change_the_network_on_the_picture(self, change: dict) -> None:
        if self.playground_shown() and self.session.model is not None:
            run_with(self.at, picture={"architecture": change})
            assert self.session.model is None or (
                self.session.model.network.layer_sizes[1:-1] == self.session.settings.network.hidden_layers
            )

    @rule(size=st.integers(1, 4))
    def set_the_first_layers_size_in_the_sidebar(self, size: int) -> None:
        if not self.session.view.workshop and self.session.settings.network.hidden_layers:
            self.at.number_input(key=keys.neurons_key(0)).set_value(size).run()

    @rule()
    def save_the_model(self) -> None:
        from playground.transfer import model_to_json

        model = self.session.model
        if model is not None and np.isfinite(model.network.parameters).all():
            self.saved_model = model_to_json(model)

    @precondition(lambda self: self.saved_model is not None)
    @rule()
    def load_the_saved_model(self) -> None:
        if self.playground_shown() and self.session.view.page_tab == "Save and share":
            self.at.file_uploader(key=keys.UPLOAD_MODEL).set_value(
                ("m.json", self.saved_model, "application/json")
            ).run()

    # --- the page -----------------------------------------------------------------------------------

    @rule(tab=st.sampled_from(TABS))
    def open_a_tab(self, tab: str) -> None:
        self.session.apply(Session.set_view, "page_tab", tab)  # what a click on the tab sends
        self.at.run()

    @rule()
    def switch_workshop_mode(self) -> None:
        self.at.toggle(key=keys.WORKSHOP).set_value(not self.session.view.workshop).run()
        if self.session.view.workshop:
            self.session.apply(Session.set_view, "workshop_tab", "Playground")
            self.at.run()

    @rule(value=st.floats(-50, 50))
    def move_an_ask_slider(self, value: float) -> None:
        if (
            self.session.view.page_tab == "Ask the network"
            and self.playground_shown()
            and self.session.model is not None
        ):
            slider = self.at.slider(key=keys.slider_key(self.session.table_version, 0))
            slider.set_value(min(max(value, slider.min), slider.max)).run()

    # --- what must hold after every action ----------------------------------------------------------

    @invariant()
    def no_exception_reached_the_page(self) -> None:
        assert not self.at.exception, [exception.message for exception in self.at.exception]

    @invariant()
    def the_model_belongs_to_the_table_when_the_table_is_usable(self) -> None:
        session = self.session
        data = session.data
        if data is not None:
            assert session.model is not None
            np.testing.assert_array_equal(session.model.data.X, data.X)
            np.testing.assert_array_equal(session.model.data.y, data.y)
            assert session.model.network.layer_sizes[1:-1] == session.settings.network.hidden_layers

    @invariant()
    def the_picture_shows_the_models_weights_layers_and_figures(self) -> None:
        sent = picture_message(self.at)
        model = self.session.model
        if sent is None or model is None or not self.playground_shown():
            return
        last = sent["frames"][-1]
        assert last["epoch"] == model.epoch
        for layer, packed in enumerate(last["weights"]):
            assert unpacked(packed) == model.network.weights[layer].ravel().tolist()
        if sent["scene"] is not None:
            assert sent["scene"]["layers"] == list(model.network.layer_sizes)
        shown = dict(last["figures"])
        expected = expected_figures(model)
        assert shown["Epoch"] == f"{model.epoch:,}"
        assert_figure(shown["Train loss"], expected["Train loss"])
        assert_figure(shown["Test loss"], expected["Test loss"])
        accuracy = "Test accuracy" if len(model.test_rows) else "Train accuracy"
        assert_figure(shown[accuracy], expected[accuracy], percent=True)

    @invariant()
    def the_ask_tab_answers_what_nn_core_predicts(self) -> None:
        session = self.session
        if session.view.page_tab != "Ask the network" or session.model is None or not self.playground_shown():
            return
        model = session.model
        if model.data.task != "binary":
            return
        probability = float(
            model.network.predict(model.network_inputs(session.slider_values()[np.newaxis]))[0, 0]
        )
        answers = [markdown.value for markdown in self.at.markdown if markdown.value.startswith("### P(")]
        assert answers and f") = {probability:.3f}" in answers[0], (answers, probability)


# Every step is a run of the real page (tenths of a second): no shrinking, the failing steps are printed.
PlaygroundActions.TestCase.settings = settings(
    max_examples=20,
    stateful_step_count=60,
    deadline=None,
    phases=(Phase.explicit, Phase.reuse, Phase.generate),
)
test_random_action_sequences_keep_the_page_true = PlaygroundActions.TestCase
