"""What Streamlit itself reads from a browser, made safe (and cheaper) before the app sees it.

Streamlit parses a component's state (JSON text from the browser) with ``json.loads`` before any code of
the app runs. JSON nested a few thousand levels deep makes that raise RecursionError while it dispatches
callbacks, where no app code can catch it, and the unparsed text stays in the session: every later run
fails the same way until a reload. ``guard_component_states`` makes those two parsers answer such text
with ``REFUSED`` instead; the adapter drops it and says so, and the session goes on. (Raising the
recursion limit instead would let a deep enough message crash the whole server.)

Streamlit also parses the same state again at every access (to compare it, to call back, to read it):
a 2 MB table five times a run. Each script thread keeps its last text and what it parsed to.
"""

from __future__ import annotations

import json
import threading
from functools import cache
from typing import Any

from streamlit.components.v2.bidi_component import serialization
from streamlit.runtime.state import common

REFUSED = "__refused_by_the_server__"  # the key of the state a refused message is read as


REMEMBERED_CHARACTERS = 10_000  # shorter texts are parsed again: remembering them saves nothing


class _GuardedJson:
    """The ``json`` module, but ``loads`` reads text nested too deeply to parse as ``{REFUSED: why}``, and
    a long text parsed again in the same thread is answered from the last parse (a fresh top level)."""

    def __init__(self) -> None:
        self._last = threading.local()

    def __getattr__(self, name: str) -> Any:
        return getattr(json, name)

    def loads(self, text: str | bytes, *args: Any, **kwargs: Any) -> Any:
        remembered = getattr(self._last, "parsed", None)
        if (
            not args
            and not kwargs
            and len(text) > REMEMBERED_CHARACTERS
            and remembered
            and remembered[0] == text
        ):
            value = remembered[1]
            return dict(value) if isinstance(value, dict) else value
        try:
            value = json.loads(text, *args, **kwargs)
        except RecursionError:
            return {REFUSED: "it was nested too deeply to read"}
        if len(text) > REMEMBERED_CHARACTERS:
            self._last.parsed = (text, value)
        return dict(value) if isinstance(value, dict) else value


@cache
def guard_component_states() -> None:
    """Once per process: Streamlit's two parsers of component states use the guarded ``loads``."""
    for module in (common, serialization):
        module.json = _GuardedJson()  # type: ignore[assignment]
