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
from tests.conftest import ROOT

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


def widget_values(settings: Settings) -> list[tuple[str, object]]:
    """The sidebar's widgets (key, value) that show ``settings``, in the order a person would set them:
    a count of layers before their sizes, a percent for a fraction, the learning rate's exact box."""
    shown: list[tuple[str, object]] = []
    for group in (settings.network, settings.training, settings.data):
        for name, spec in settings_of(type(group)).items():
            value = getattr(group, name)
            key = keys.setting_key(name)
            if spec.kind == "layers":
                shown += [(key, len(value))] + [
                    (keys.neurons_key(layer), size) for layer, size in enumerate(value)
                ]
            elif spec.kind == "fraction":
                shown.append((key, round(100 * value)))
            elif spec.kind == "features":
                shown.append((key, list(value)))
            else:
                shown.append((key, value))
    return shown


def set_widget(at: AppTest, key: str, value: object) -> None:
    """Set a sidebar widget as a person would (whatever kind of widget it is) and rerun."""
    widget = next(element for element in at.sidebar if getattr(element, "key", None) == key)
    widget.set_value(value).run()


@pytest.mark.parametrize("task", CHANGED)
def test_the_sidebar_sets_every_setting_and_shows_the_sessions_settings(task: str) -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    session = at.session_state[keys.STATE]
    at.selectbox(key=keys.choice_key("task", session.table_version)).set_value(task).run()
    for key, value in widget_values(CHANGED[task]):
        set_widget(at, key, value)
        assert not at.exception, key
    assert session.settings == CHANGED[task]
    assert session.model.settings.network == CHANGED[task].network
    at.run()  # and a run without a change keeps them all
    assert session.settings == CHANGED[task]
    for key, value in widget_values(CHANGED[task]):
        widget = next(element for element in at.sidebar if getattr(element, "key", None) == key)
        assert widget.value == value, key


def test_between_them_the_changed_settings_move_every_field_from_its_default() -> None:
    default = Settings()
    for group_name in ("network", "training", "data"):
        default_group = getattr(default, group_name)
        for name in settings_of(type(default_group)):
            values = {getattr(getattr(changed, group_name), name) for changed in CHANGED.values()}
            assert any(value != getattr(default_group, name) for value in values), name
