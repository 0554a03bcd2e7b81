"""Inline components whose browser code is served by the app itself, from ``static/``.

Streamlit sends an inline component's JavaScript and CSS with every run of the element: at 30 frames
a second the network picture's 30 KB of code would travel 30 times a second. So each component's
inline code is a small loader that imports the real module once from the app's own static route
(``server.enableStaticServing``), with the file's hash in its address so a new version is never
taken from a browser's cache. No CDN, nothing from outside the app.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import streamlit as st

STATIC = Path(__file__).resolve().parents[2] / "static"
STATIC_ROUTE = "app/static"

_LOADER = """
const base = document.baseURI;
const script = import(new URL("{route}/{script}?v={version}", base));
const style = {style};

export default async function (component) {{
  const parent = component.parentElement;
  if (style && !parent.querySelector("link[data-style]")) {{
    const link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = new URL(`{route}/${{style}}?v={version}`, base).href;
    link.dataset.style = style;
    parent.prepend(link);
  }}
  return (await script).default(component);
}}
"""


def static_component(name: str, script: str, style: str | None = None, *, isolate_styles: bool = True):
    """An ``st.components.v2`` component whose code is ``static/<script>`` (and ``static/<style>``)."""
    files = [STATIC / script, *([STATIC / style] if style else [])]
    version = hashlib.sha256(b"".join(path.read_bytes() for path in files)).hexdigest()[:12]
    js = _LOADER.format(
        route=STATIC_ROUTE, script=script, version=version, style=repr(style) if style else "null"
    )
    return st.components.v2.component(name, js=js, isolate_styles=isolate_styles)
