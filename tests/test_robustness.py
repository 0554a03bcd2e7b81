"""The bad-input catalogue (docs/robustness.md), each row driven through the real app with AppTest.

For every input: no exception reaches the page, the user's table is exactly what they gave, and a
message says what to fix.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from playground.views import keys
from tests.conftest import ROOT, open_tab

APP = str(ROOT / "app.py")


def upload(csv: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.file_uploader(key=keys.UPLOAD_CSV).set_value(("data.csv", csv.encode(), "text/csv")).run()
    assert not at.exception
    return at


def messages(at: AppTest) -> str:
    return " ".join(element.value for element in [*at.error, *at.warning])


def table_cells(at: AppTest) -> list[list[str]]:
    return at.session_state[keys.STATE].table.astype(str).values.tolist()


BAD_TABLES = {
    "text in a number cell": ("x,y\n1,0\nabc,1\n3,0\n", "Row 2, column 'x': is 'abc', not a number"),
    "an empty cell": ("x,y\n1,0\n,1\n3,0\n", "Row 2, column 'x': is empty"),
    "NaN typed in": ("x,y\n1,0\nnan,1\n3,0\n", "Row 2, column 'x'"),
    "plus infinity": ("x,y\n1,0\ninf,1\n3,0\n", "is infinite"),
    "minus infinity": ("x,y\n1,0\n-inf,1\n3,0\n", "is infinite"),
    "a number too big for a float": ("x,y\n1,0\n1e999,1\n3,0\n", "is infinite"),
    "no rows": ("x,y\n", "at least 2 rows"),
    "one row": ("x,y\n1,0\n", "at least 2 rows"),
    "one class only": ("x,y\n1,1\n2,1\n3,1\n", "only one class"),
}


@pytest.mark.parametrize("case", BAD_TABLES, ids=list(BAD_TABLES))
def test_bad_tables_are_explained_and_kept_as_given(case):
    csv, expected = BAD_TABLES[case]
    at = upload(csv)
    assert expected in messages(at).replace("\\", "")
    assert at.button(key=keys.TRAIN).disabled
    rows = [line.split(",") for line in csv.strip().splitlines()[1:]]
    assert table_cells(at) == rows


def test_fifty_classes_in_a_classification_target():
    rows = "\n".join(f"{i},{i}" for i in range(50))
    at = upload("x,label\n" + rows + "\n")
    assert at.session_state[keys.STATE].model.data.task == "regression"  # worked out as regression
    version = at.session_state[keys.STATE].table_version
    at.selectbox(key=keys.choice_key("task", version)).set_value("multiclass").run()
    assert "more than" in messages(at) or "classes" in messages(at)
    assert at.button(key=keys.TRAIN).disabled


def test_a_constant_input_column_trains_with_standardisation():
    at = upload("x,c,y\n0,5,0\n1,5,1\n2,5,0\n3,5,1\n")
    at.checkbox(key=keys.STANDARDIZE).check().run()
    at.button(key=keys.STEP).click().run()
    model = at.session_state[keys.STATE].model
    assert model.epoch == 1 and np.isfinite(model.network.parameters).all()
    assert not at.exception


def test_huge_but_finite_numbers_are_refused_before_they_overflow():
    at = upload("x,y\n1e308,0\n-1e308,1\n5e307,0\n")
    assert "Row 1, column 'x': is too large" in messages(at).replace("\\", "")
    assert at.button(key=keys.TRAIN).disabled


def test_the_largest_allowed_inputs_train_without_breaking_anything():
    at = upload("x,y\n1e12,0\n-1e12,1\n5e11,0\n")
    at.number_input(key=keys.LEARNING_RATE).set_value(10.0).run()
    at.button(key=keys.STEP).click().run()
    assert at.session_state[keys.STATE].model.epoch == 1 or "diverged" in messages(at)
    assert np.isfinite(at.session_state[keys.STATE].model.network.parameters).all()
    assert not at.exception


HOSTILE_NAMES = [
    "<script>alert(1)</script>",
    "**bold** _x_ [link](http://example.com)",
    "quote ' and \" and \\",
    "__import__('os').system('echo hacked')",
]


def test_hostile_column_names_are_shown_as_text_and_exported_inert(tmp_path):
    import subprocess
    import sys

    from playground.transfer import model_script

    frame = pd.DataFrame({HOSTILE_NAMES[0]: ["0", "1", "2"], HOSTILE_NAMES[3]: ["1", "0", "1"],
                          HOSTILE_NAMES[2]: ["0", "1", "0"]}, dtype=object)  # fmt: skip
    at = upload(frame.to_csv(index=False))
    state = at.session_state[keys.STATE]
    assert list(state.table.columns) == list(frame.columns)
    open_tab(at, "Ask the network")
    labels = [slider.label for slider in at.slider]
    assert any("\\<script\\>" in label or "&lt;script" in label for label in labels)
    script = tmp_path / "model.py"
    script.write_text(model_script(state.model))
    run = subprocess.run([sys.executable, str(script), "1", "0"], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0 and "hacked" not in run.stdout + run.stderr


def test_ten_thousand_rows_are_refused_with_a_message():
    rows = "\n".join(f"{i},{i % 2}" for i in range(10_001))
    at = upload("x,y\n" + rows + "\n")
    assert "up to 5,000" in messages(at)
    assert list(at.session_state[keys.STATE].table["Name"]) == ["Alice", "Bob", "Charlie", "Diana"]


def test_widgets_cap_epochs_and_learning_rate():
    at = AppTest.from_file(APP, default_timeout=60).run()
    epochs, rate = at.number_input(key=keys.EPOCHS), at.number_input(key=keys.LEARNING_RATE)
    assert (epochs.min, epochs.max) == (1, 100_000)
    assert (rate.min, rate.max) == (1e-5, 10.0)


def test_learning_rate_ten_with_per_sample_sgd_keeps_the_last_good_weights():
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.number_input(key=keys.LEARNING_RATE).set_value(10.0).run()
    at.number_input(key=keys.EPOCHS).set_value(300).run()
    at.button(key=keys.TRAIN).click().run()
    for _ in range(100):
        if not at.session_state[keys.STATE].run.running:
            break
        at.run()
    model = at.session_state[keys.STATE].model
    assert np.isfinite(model.network.parameters).all()
    assert not at.exception
