"""The live network picture on the page: an inline component (``static/network_view.js``), updated in place.

Each message sends the numbers of ``playground.network_picture``: while training, the frames of several
slices, which the picture shows one after the other over the tick; the scene goes only when it changes,
or when the picture asks for it (drawn anew, it has none). The picture sends nothing on its own otherwise:
an update from inside the ticking fragment, sent in the same instant as a click on a button outside it,
would make Streamlit rerun only the fragment for that click. What the picture asks for (a new
architecture, a typed weight) is applied in a callback, before the run that follows, so the sidebar's
controls show it and the next frame draws it.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import streamlit as st

from nn_core.activations import HIDDEN_ACTIVATIONS
from playground.add_point import table_with_point
from playground.model import ModelRun
from playground.network_picture import (
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
from playground.table import number_text
from playground.views import keys
from playground.views.components import static_component
from playground.views.controls import LABELS, apply_architecture
from playground.views.state import AppState, PictureScene

# In the page itself, not a shadow root: tests and benchmarks read the figures like any other text.
_PICTURE = static_component("playground_network", "network_view.js", "network_view.css", isolate_styles=False)
HIDDEN_CHOICES = [(name, LABELS.get(name, name)) for name in HIDDEN_ACTIVATIONS]
DEFAULT_OPTIONS = {"gradients": False, "test": True, "discretize": False, "log": False}


def show_network_picture(
    state: AppState,
    model: ModelRun,
    axes: tuple[int, int],
    fixed: np.ndarray,
    new_point: str | None,
    frames: list[dict] | None = None,
    tick_seconds: float = 0.0,
) -> None:
    """Draw the playground's picture: ``frames`` (from ``frames_while_training``) shown over
    ``tick_seconds``, or the model as it is. A change asked for on it (a new architecture, a typed
    weight, an added row) marks the page outdated: the whole page must run to show it.

    ``new_point`` is the target cell of a row added by clicking the surface (None: the click's height).
    """
    frames = frames or [_frame(keys.NETWORK_PICTURE, model, state.status.running)]
    data = _picture_data(keys.NETWORK_PICTURE, state.picture, model, axes, fixed, frames, interactive=True)
    _PICTURE(
        key=keys.NETWORK_PICTURE,
        data={**data, "tickSeconds": tick_seconds},
        on_need_scene_change=_ignore,
        on_options_change=_ignore,
        on_architecture_change=lambda: _apply_architecture(state),
        on_weight_change=lambda: _apply_weight(state),
        on_point_change=lambda: _add_point(state, model, axes, fixed, new_point),
    )


def show_tour_picture(
    model: ModelRun, frames: list[dict], tick_seconds: float, picture: PictureScene
) -> None:
    """The same picture for the guided tour: to watch, not to change (no network or weight controls)."""
    data = _picture_data(
        keys.TOUR_PICTURE, picture, model, (0, 1), model.data.X[0], frames, interactive=False
    )
    _PICTURE(
        key=keys.TOUR_PICTURE,
        data={**data, "tickSeconds": tick_seconds},
        on_need_scene_change=_ignore,
        on_options_change=_ignore,
    )


def frames_while_training(
    model: ModelRun, train_slice: Callable[[], bool], count: int, *, tour: bool = False
) -> list[dict]:
    """Train up to ``count`` slices (``train_slice`` trains one and says whether training goes on),
    keeping the picture's frame after each: the page shows them one after the other, so a message of
    Streamlit's carries several frames."""
    key = keys.TOUR_PICTURE if tour else keys.NETWORK_PICTURE
    frames = []
    for _ in range(count):
        running = train_slice()
        frames.append(_frame(key, model, running))
        if not running:
            break
    return frames


def _frame(key: str, model: ModelRun, running: bool) -> dict:
    """One frame: the parameters, the figures, and the gradients when the picture shows them."""
    gradients = training_gradient(model) if _shown_options(key)["gradients"] else None
    return {**frame(model, running, gradients), "figures": figures(model)}


def _picture_data(
    key: str,
    picture: PictureScene,
    model: ModelRun,
    axes: tuple[int, int],
    fixed: np.ndarray,
    frames: list[dict],
    *,
    interactive: bool,
) -> dict:
    """The message: the frames, the loss curve, and the scene when it is new to the picture under ``key``
    or asked for."""
    scene_name = scene_key(model, axes, fixed)
    send_scene = picture.sent != scene_name or bool(_picture_state(key).get("need_scene"))
    picture.sent = scene_name
    history = model.history
    return {
        "sceneKey": scene_name,
        "scene": scene(model, axes, fixed, HIDDEN_CHOICES) if send_scene else None,
        "frames": frames,
        "loss": loss_curves(history.train_loss, history.test_loss),
        "options": _shown_options(key),
        "interactive": interactive,
    }


def _picture_state(key: str) -> dict:
    picture_state = st.session_state.get(key)
    return picture_state if isinstance(picture_state, dict) else {}


def _shown_options(key: str) -> dict[str, bool]:
    return {**DEFAULT_OPTIONS, **_options(_picture_state(key).get("options"))}


def _options(sent: object) -> dict[str, bool]:
    """The view switches the picture reports, kept only when they are known names with true/false values."""
    if not isinstance(sent, dict):
        return {}
    return {
        name: value for name, value in sent.items() if name in DEFAULT_OPTIONS and isinstance(value, bool)
    }


def _apply_architecture(state: AppState) -> None:
    """Keep the architecture the picture asks for until the whole page runs (see apply_asked_architecture)."""
    change = architecture_change(_event("architecture"))
    if change is not None:
        state.asked_architecture = change
        state.page_outdated = True


def apply_asked_architecture(state: AppState) -> None:
    """Set the sidebar's network controls to the architecture asked for on the picture, before they are
    drawn. Not in the picture's callback: that runs in the ticking fragment, and the browser's next tick
    would send the controls' old values back over the new ones."""
    if state.asked_architecture is None:
        return
    apply_architecture(*state.asked_architecture)
    state.asked_architecture = None


def _apply_weight(state: AppState) -> None:
    """Write a weight typed on the picture into the network (the maps and the prediction follow)."""
    model = state.model
    change = weight_change(_event("weight"), model.network.layer_sizes) if model is not None else None
    if change is None:
        return
    layer, source, target, value = change
    model.network.weights[layer][source, target] = value
    state.page_outdated = True


def _add_point(
    state: AppState, model: ModelRun, axes: tuple[int, int], fixed: np.ndarray, target: str | None
) -> None:
    """A click on the surface: a new table row there, with the chosen class (or the click's height)."""
    point = point_added(_event("point"), model.data.X, axes)
    if point is None:
        return
    x, y = point
    one_input = len(model.data.feature_names) == 1
    if one_input:  # on the curve the click's height is the target
        target = number_text(y) if target is None else target
        y = x
    if target is None:
        return
    point_axes = (axes[0], axes[0]) if one_input else axes
    state.load_table(
        table_with_point(state.current_table(), model.data, point_axes, (x, y), fixed, target),
        source=state.source,
        preset=state.preset,
        origin=state.original(),
        model=state.model,
        choices=state.choices(),
        undoable=False,  # a point is an edit of the table, not a new one
        keep_status=True,  # a running training goes on, with the point
    )
    state.page_outdated = True


def _event(name: str) -> object:
    return _picture_state(keys.NETWORK_PICTURE).get(name)


def _ignore() -> None:
    """The picture's state is read on the run it causes."""
