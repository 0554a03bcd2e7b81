"""What Streamlit itself reads from a browser, made safe before the app sees it.

Streamlit parses a component's state (JSON text from the browser) with ``json.loads`` before any code of
the app runs. JSON nested a few thousand levels deep makes that raise RecursionError while it dispatches
callbacks, where no app code can catch it, and the unparsed text stays in the session: every later run
fails the same way until a reload. ``guard_component_states`` makes those two parsers answer such text
with ``REFUSED`` instead; the adapter drops it and says so, and the session goes on. (Raising the
recursion limit instead would let a deep enough message crash the whole server.)
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from streamlit.components.v2.bidi_component import serialization
from streamlit.runtime.state import common

REFUSED = "__refused_by_the_server__"  # the key of the state a refused message is read as


class _GuardedJson:
    """The ``json`` module, but ``loads`` reads text nested too deeply to parse as ``{REFUSED: why}``."""

    def __getattr__(self, name: str) -> Any:
        return getattr(json, name)

    @staticmethod
    def loads(text: str | bytes, *args: Any, **kwargs: Any) -> Any:
        try:
            return json.loads(text, *args, **kwargs)
        except RecursionError:
            return {REFUSED: "it was nested too deeply to read"}


@cache
def guard_component_states() -> None:
    """Once per process: Streamlit's two parsers of component states use the guarded ``loads``."""
    for module in (common, serialization):
        module.json = _GuardedJson()  # type: ignore[assignment]
