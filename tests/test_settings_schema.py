"""The settings schema: its defaults, its checks, and the sidebar drawn from it round-tripping settings."""

from __future__ import annotations

import math

import pytest
from streamlit.testing.v1 import AppTest

from playground.settings import (
    MAX_HIDDEN_LAYERS,
    MAX_NEURONS,
    MAX_SEED,
    DataSettings,
    NetworkSettings,
    Settings,
    TrainingSettings,
    settings_of,
)
from playground.views import keys

GROUPS = (NetworkSettings, TrainingSettings, DataSettings)


def test_every_default_passes_its_own_check() -> None:
    for group in GROUPS:
        default = group()
        for name, spec in settings_of(group).items():
            assert spec.check(getattr(default, name)) == getattr(default, name), name


def test_link_keys_are_distinct_in_each_group_and_widget_keys_across_all() -> None:
    for group in GROUPS:
        link_keys = [spec.link_key for spec in settings_of(group).values()]
        assert len(set(link_keys)) == len(link_keys), group.__name__
    widget_keys = [keys.setting_key(name) for group in GROUPS for name in settings_of(group)]
    assert len(set(widget_keys)) == len(widget_keys)


def test_settings_are_built_by_keyword_only() -> None:
    with pytest.raises(TypeError):
        NetworkSettings((3,))  # type: ignore[misc]
    with pytest.raises(TypeError):
        Settings(NetworkSettings())  # type: ignore[misc]


@pytest.mark.parametrize(
    ("group", "name", "value"),
    [
        (NetworkSettings, "seed", True),
        (NetworkSettings, "seed", MAX_SEED + 1),
        (NetworkSettings, "seed", 1.0),
        (NetworkSettings, "hidden_layers", [MAX_NEURONS + 1]),
        (NetworkSettings, "hidden_layers", [0]),
        (NetworkSettings, "hidden_layers", [2] * (MAX_HIDDEN_LAYERS + 1)),
        (NetworkSettings, "hidden_layers", "2"),
        (NetworkSettings, "hidden_activation", "swish"),
        (TrainingSettings, "learning_rate", math.nan),
        (TrainingSettings, "learning_rate", 0.0),
        (TrainingSettings, "learning_rate", 10**400),
        (TrainingSettings, "epochs", 0),
        (TrainingSettings, "shuffle", 1),
        (TrainingSettings, "regularization_rate", -0.1),
        (DataSettings, "test_fraction", 0.51),
        (DataSettings, "features", ["x1^3"]),
        (DataSettings, "features", "x1^2"),
    ],
)
def test_a_check_refuses_what_its_setting_cannot_hold(group: type, name: str, value: object) -> None:
    with pytest.raises(ValueError):
        settings_of(group)[name].check(value)


def test_a_check_turns_json_lists_into_tuples() -> None:
    assert settings_of(NetworkSettings)["hidden_layers"].check([3, 5]) == (3, 5)
    assert settings_of(DataSettings)["features"].check(["x1^2", "x1*x2"]) == ("x1^2", "x1*x2")


def _sidebar_after_apply() -> None:
    """Show settings on the widgets, draw the sidebar from the schema, keep what it returns."""
    import streamlit as st

    from playground.presets import TUTORIAL, load_source, table_from_dataset
    from playground.table import check_table, default_target, input_choices
    from playground.views.controls import apply_settings
    from playground.views.sidebar import show_settings
    from tests.test_settings_schema import CHANGED

    task = st.session_state["task"]
    table = table_from_dataset(load_source(TUTORIAL, 4, 0.0, 0))
    target = default_target(table)
    data = check_table(table, input_choices(table, target), target, task).data
    if "shown" not in st.session_state:
        apply_settings(CHANGED[task])
    st.session_state["shown"] = show_settings(data)


def _changed(output: str, loss: str) -> Settings:
    """Settings in which every field the task's output and loss leave free differs from its default."""
    return Settings(
        network=NetworkSettings(
            hidden_layers=(3, 5), hidden_activation="relu", output_activation=output, init="he", seed=7
        ),
        training=TrainingSettings(
            loss=loss,
            optimizer="adam",
            learning_rate=0.003,
            epochs=2500,
            batch_size=2,
            shuffle=True,
            regularization="l2",
            regularization_rate=0.01,
        ),
        data=DataSettings(standardize=True, test_fraction=0.25, split_seed=7, features=("x1^2",)),
    )


CHANGED = {"binary": _changed("sigmoid", "binary_cross_entropy"), "regression": _changed("linear", "mse")}


@pytest.mark.parametrize("task", CHANGED)
def test_the_sidebar_drawn_from_the_schema_returns_the_settings_it_was_given(task: str) -> None:
    at = AppTest.from_function(_sidebar_after_apply)
    at.session_state["task"] = task
    at.run()
    assert not at.exception
    for group in GROUPS:
        for name in settings_of(group):
            assert keys.setting_key(name) in at.session_state, name
    assert at.session_state["shown"] == CHANGED[task]
    at.run()
    assert at.session_state["shown"] == CHANGED[task]


def test_between_them_the_changed_settings_move_every_field_from_its_default() -> None:
    default = Settings()
    for group_name in ("network", "training", "data"):
        default_group = getattr(default, group_name)
        for name in settings_of(type(default_group)):
            values = {getattr(getattr(changed, group_name), name) for changed in CHANGED.values()}
            assert any(value != getattr(default_group, name) for value in values), name
