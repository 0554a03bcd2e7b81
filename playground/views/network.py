"""The live network picture on the page: an inline component (``static/network_view.js``), updated in place.

It is sent the numbers of ``playground.network_picture`` (frames, the loss curve, the scene when new)
and reports what is done on it: the view switches, a typed weight, the − / + and activation menu, a click
on the surface. Each report goes to the session model as an intent (``adapter.events``).
"""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from playground.session import Session
from playground.text import escape_markdown
from playground.views import adapter, keys
from playground.views.adapter import Intent
from playground.views.components import static_component

# In the page itself, not a shadow root: tests and benchmarks read the figures like any other text.
_PICTURE = static_component("playground_network", "network_view.js", "network_view.css", isolate_styles=False)
# The picture's own view switches and its request for a scene change nothing else on the page.
LOCAL_EVENTS = frozenset({"options", "need_scene"})
PLAYGROUND_EVENTS: Mapping[str, Intent] = {
    "options": lambda session, sent: session.picture.set_options(sent),
    "need_scene": lambda session, _: session.picture.forget_scene(),
    "architecture": Session.change_architecture,
    "weight": Session.type_weight,
    "point": Session.add_point,
}
TOUR_EVENTS: Mapping[str, Intent] = {  # the tour's picture is to watch, not to change
    "options": lambda session, sent: session.tour.picture.set_options(sent),
    "need_scene": lambda session, _: session.tour.picture.forget_scene(),
}


def draw_picture(key: str, data: dict, intents: Mapping[str, Intent]) -> None:
    """The picture under ``key`` with this message; what is done on it goes to ``intents``."""
    _PICTURE(key=key, data=data, **adapter.events(key, intents, LOCAL_EVENTS))


def show_new_point_choice(session: Session) -> None:
    """Under the picture: the class (or, for a regression, the value) of a point added by a click on the
    surface; with one input the click's height is the value."""
    if session.model is None:
        return
    data = session.model.data  # the network's rows (the table's last usable ones while it is being fixed)
    if data.task == "regression":
        if len(data.feature_names) > 1:
            st.number_input(
                "Value of points added by clicking the surface",
                **adapter.bound(
                    keys.NEW_POINT_VALUE, session.ask.new_point_value, Session.set_ask, "new_point_value"
                ),
            )
        return
    labels = data.class_labels
    chosen = session.ask.new_point_class
    st.segmented_control(
        "Click the surface to add a point of class",
        range(len(labels)),
        format_func=lambda index: escape_markdown(labels[index]),
        **adapter.bound(
            keys.NEW_POINT_CLASS,
            chosen if chosen is not None and chosen < len(labels) else None,
            Session.set_ask,
            "new_point_class",
        ),
    )
