"""What Streamlit itself reads from a browser, made safe (and cheaper) before the app sees it.

Streamlit parses a component's state (JSON text from the browser) with ``json.loads`` before any code of
the app runs. JSON nested a few thousand levels deep makes that raise RecursionError while it dispatches
callbacks, where no app code can catch it, and the unparsed text stays in the session: every later run
fails the same way until a reload. ``guard_component_states`` makes those two parsers answer such text
with ``REFUSED`` instead; the adapter drops it and says so, and the session goes on. (Raising the
recursion limit instead would let a deep enough message crash the whole server.)

Streamlit also parses the same state again at every access (to compare it, to call back, to read it):
a 2 MB table five times a run. Each script thread keeps its last text and what it parsed to.

And Streamlit reads a browser's message (compares every widget's state, writes a component's state
back to JSON twice, calls the callbacks) before any code of the app runs: for a 3 MB message 30 ms
of Python that took the GIL from whoever had the server's turn. ``read_browser_messages_in_turn``
makes that work wait for the session's turn and count towards its page run (playground/fair_share.py),
and that run, the reading included, queue behind everyone's clicks as a heavy session's does.
"""

from __future__ import annotations

import functools
import json
import threading
from typing import Any

from streamlit.components.v2.bidi_component import serialization
from streamlit.proto.WidgetStates_pb2 import WidgetStates as WidgetStatesProto
from streamlit.runtime.state import SafeSessionState, common

from playground.views.server_share import counted_before_run, note_message, server_turn, share_turn

REFUSED = "__refused_by_the_server__"  # the key of the state a refused message is read as


REMEMBERED_CHARACTERS = 10_000  # shorter texts are parsed again: remembering them saves nothing
LARGE_MESSAGE_BYTES = 100_000  # a browser message read in the session's turn (usually a few KB)


class _GuardedJson:
    """The ``json`` module, but ``loads`` reads text nested too deeply to parse as ``{REFUSED: why}``; a
    long text parsed again in the same thread is answered from the last parse (a fresh top level), and
    what that parse gave (Streamlit writes it back to JSON to compare it) is written as that text."""

    def __init__(self) -> None:
        self._last = threading.local()

    def __getattr__(self, name: str) -> Any:
        return getattr(json, name)

    def loads(self, text: str | bytes, *args: Any, **kwargs: Any) -> Any:
        remembered = self._remembered(args, kwargs)
        if remembered and len(text) > REMEMBERED_CHARACTERS and remembered[0] == text:
            return _fresh_top(remembered[1])
        if len(text) > REMEMBERED_CHARACTERS:
            share_turn()  # a long parse ahead: whoever outranks this session goes first
        try:
            value = json.loads(text, *args, **kwargs)
        except RecursionError:
            return {REFUSED: "it was nested too deeply to read"}
        if len(text) > REMEMBERED_CHARACTERS:
            self._last.parsed = (text, value)
        return _fresh_top(value)

    def dumps(self, value: Any, *args: Any, **kwargs: Any) -> str:
        remembered = self._remembered(args, kwargs)
        if remembered and isinstance(value, dict) and value == remembered[1]:
            return remembered[0]
        return json.dumps(value, *args, **kwargs)

    def _remembered(self, args: tuple, kwargs: dict) -> tuple[str, Any] | None:
        """The last long text this thread parsed and what it gave (None when options are passed)."""
        return None if args or kwargs else getattr(self._last, "parsed", None)


def _fresh_top(value: Any) -> Any:
    """A dict's top level copied: Streamlit adds its defaults to what it is given."""
    return dict(value) if isinstance(value, dict) else value


@functools.cache
def guard_component_states() -> None:
    """Once per process: Streamlit's two parsers of component states use one guarded ``json``."""
    guarded = _GuardedJson()
    for module in (common, serialization):
        module.json = guarded  # type: ignore[assignment]


@functools.cache
def read_browser_messages_in_turn() -> None:
    """Once per process: Streamlit's reading of a large browser message waits for the session's turn
    (a page's usual message, a few KB, is read at once, as before: a live frame's tick waits once)."""
    reading = SafeSessionState.on_script_will_rerun

    @functools.wraps(reading)
    def in_turn(self: SafeSessionState, widget_states: WidgetStatesProto | None, **kwargs: Any) -> None:
        large = widget_states is not None and widget_states.ByteSize() >= LARGE_MESSAGE_BYTES
        note_message(large)
        if not large:
            reading(self, widget_states, **kwargs)
            return
        with counted_before_run(), server_turn():
            reading(self, widget_states, **kwargs)

    SafeSessionState.on_script_will_rerun = in_turn  # type: ignore[method-assign]
