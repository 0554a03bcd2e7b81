"""The one module between Streamlit's widgets and the session model: the only code that touches
``st.session_state``.

A view draws a widget from the model's value and names the intent its change sends: ``bound`` gives a
widget's keyword arguments (its key, shown value and callback), ``clicked`` a button's, ``events`` a
component's, ``uploaded`` a file uploader's. Every callback first applies the table editor's pending
edit, then its own intent, in the order the person made them: a cell typed but not committed travels
with the click that ends it, and Streamlit calls the two callbacks in an order of its own.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from playground.fair_share import Priority
from playground.session import Session
from playground.views import keys
from playground.views.browser_input import REFUSED
from playground.views.server_share import counted_before_run, server_turn, share_turn

Intent = Callable[..., Any]


def session() -> Session:
    """This browser session's model, made on first use (the tutorial)."""
    if keys.STATE not in st.session_state:
        st.session_state[keys.STATE] = Session()
    return st.session_state[keys.STATE]


def send(intent: Intent, *args: Any, local: bool = False) -> None:
    """Apply ``intent`` to the session after the table editor's pending edit, in this session's turn
    (``local``: it changes only the part of the page that sent it; see ``Session.apply``)."""
    model = session()
    with counted_before_run(), server_turn(Priority.ANSWER if local else Priority.CLICK, model.session_id):
        share_turn()  # after Streamlit's reading of a large message (browser_input.py), others may go first
        apply_pending_edit(model)
        model.apply(intent, *args, local=local, between=share_turn)


def apply_pending_edit(model: Session) -> None:
    """The table editor's last edit, when the session has not read it yet (it comes with every rerun)."""
    message = component_state(keys.TABLE_EDITOR).get("table")
    if message is not None:
        model.apply(Session.edit_table, message, between=share_turn)


def bound(key: str, value: object, intent: Intent, *args: Any, local: bool = False) -> dict:
    """Keyword arguments for a widget that shows ``value`` and sends its new value to ``intent``
    (after ``args``). The value is written before the widget is drawn, so the model is what it shows."""
    if st.session_state.get(key, _MISSING) != value:
        st.session_state[key] = value
    return {"key": key, "on_change": _send_value, "args": (key, intent, args, local)}


def clicked(key: str, intent: Intent, *args: Any) -> dict:
    """Keyword arguments for a button that sends ``intent(*args)``."""
    return {"key": key, "on_click": send, "args": (intent, *args)}


def uploaded(key: str, intent: Intent) -> dict:
    """Keyword arguments for a file uploader whose file goes to ``intent(name, content)``."""
    return {"key": key, "on_change": _send_file, "args": (key, intent)}


def events(key: str, intents: Mapping[str, Intent], local: frozenset[str] = frozenset()) -> dict:
    """A component's ``on_<name>_change`` callbacks: each sends its value to ``intents[name]`` (those
    named in ``local`` change only the component itself)."""
    return {
        f"on_{name}_change": (
            lambda name=name, intent=intent: _send_component_value(key, name, intent, name in local)
        )
        for name, intent in intents.items()
    }


def component_state(key: str) -> dict:
    """What a component of ours last reported (an empty dict before it reports anything, or when
    Streamlit could not read what it sent: the session is told, and goes on as it was)."""
    state = st.session_state.get(key)
    if not isinstance(state, Mapping):
        return {}
    if REFUSED in state:
        session().note_refused_message(str(state[REFUSED]))
        return {}
    return dict(state)


def fragments_this_run() -> int:
    """How many fragments this run reruns: 0 for a run of the whole page."""
    context = get_script_run_ctx()
    return len(context.fragment_ids_this_run or ()) if context is not None else 0


def _send_value(key: str, intent: Intent, args: tuple, local: bool) -> None:
    if not local and fragments_this_run():
        # A widget outside the fragments (the sidebar's) is changed by a run of the whole page. Here
        # its value is an echo: a live tick's message, sent before the page showed what the model
        # became (the picture's "+" made Layer 1 3, and the tick's 2 made it 2 again). The next run of
        # the whole page shows the model's value.
        return
    send(intent, *args, st.session_state[key], local=local)


def _send_file(key: str, intent: Intent) -> None:
    upload = st.session_state.get(key)
    if upload is not None:
        send(intent, upload.name, upload.getvalue())


def _send_component_value(key: str, name: str, intent: Intent, local: bool) -> None:
    value = component_state(key).get(name)
    if value is not None:
        send(intent, value, local=local)


_MISSING = object()
